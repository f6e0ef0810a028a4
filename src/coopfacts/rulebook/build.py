"""What every section compiler of a language reads: its files merged, their located items, and
the normaliser that folds the rules' words as it folds the text."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from coopfacts.rulebook.regexes import alternation, key
from coopfacts.rulebook.schema import RULE_FILE
from coopfacts.rulebook.shapes import Located
from coopfacts.text.normalize import Normalizer

LISTED = ("patterns", "examples", "units")  # sections kept item by item, with where each was written
EXAMPLE_SECTIONS = ("numbers", "duals", "dates", "sums", "entity")  # sections that may carry worked examples


@dataclass
class Item:
    """A pattern, unit or worked example, with the file and path it was written at."""

    doc: Located
    what: str  # pattern | unit | example
    path: tuple[Any, ...]
    value: dict[str, Any]


@dataclass
class Build:
    code: str
    docs: list[Located]
    data: dict[str, Any]  # the sections of every file merged (lists appended, maps merged)
    items: list[Item]
    normalizer: Normalizer
    clitic: str  # an optional clitic before a word, as a regex ("" when the language has none)
    verb_clitic: str = ""  # ... before a verb (و, ف: a verb takes no ب or ل); the clitic when unsaid

    def norm(self, s: str) -> str:
        """A rule file's word as the engine will look it up: folded like the text, then keyed."""
        return key(self.normalizer(s).text)

    def norms(self, words: Iterable[str] | None) -> list[str]:
        return [self.norm(w) for w in words or ()]

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name) or {}

    def word_lead(self) -> str:
        """What may stand before a word at its start: a clitic, then an article (لميزانية, l'enveloppe)."""
        articles = self.norms(self.data.get("articles"))
        art = f"(?:{alternation(articles, False)})?" if articles else ""
        return rf"(?<!\w){self.clitic}{art}"

    def of(self, what: str) -> list[Item]:
        return [it for it in self.items if it.what == what]


def _merge(into: dict[str, Any], more: dict[str, Any]) -> None:
    for k, v in more.items():
        if k in into and isinstance(into[k], dict) and isinstance(v, dict):
            _merge(into[k], v)
        elif k in into and isinstance(into[k], list) and isinstance(v, list):
            into[k] = into[k] + v
        else:
            into[k] = v


def _located_items(doc: Located) -> list[Item]:
    d = doc.data
    out = [Item(doc, "pattern", ("patterns", i), p) for i, p in enumerate(d.get("patterns", []) or [])]
    out += [Item(doc, "example", ("examples", i), ex) for i, ex in enumerate(d.get("examples", []) or [])]
    out += [Item(doc, "unit", ("units", i), u) for i, u in enumerate(d.get("units", []) or [])]
    for section in EXAMPLE_SECTIONS:
        for i, ex in enumerate((d.get(section) or {}).get("examples", []) or []):
            out.append(Item(doc, "example", (section, "examples", i), ex))
    return out


def _normalizer(docs: list[Located], data: dict[str, Any]) -> Normalizer:
    for doc in docs:
        for k, v in ((doc.data.get("normalize") or {}).get("fold") or {}).items():
            if len(v) != 1:
                raise doc.error(("normalize", "fold", k),
                                "a fold maps characters to exactly one character (use `expand` for more)")
    section = data.get("normalize") or {}
    return Normalizer.build(section.get("fold") or {}, section.get("expand") or {})


def start_build(code: str, docs: list[Located]) -> Build:
    """Every file's shape checked, the files merged, the normaliser and the clitic regex made."""
    data: dict[str, Any] = {}
    items: list[Item] = []
    for doc in docs:
        RULE_FILE.check(doc, doc.data, ())
        _merge(data, {k: v for k, v in doc.data.items() if k not in LISTED})
        items += _located_items(doc)
    normalizer = _normalizer(docs, data)
    b = Build(code, docs, data, items, normalizer, "")
    clitics = b.norms(data.get("clitics"))
    # lazy: "واحد" is the word itself before it is "و" + "احد"
    b.clitic = f"(?:{alternation(clitics, False)})??" if clitics else ""
    verb_clitics = b.norms(data.get("verb_clitics")) if "verb_clitics" in data else None
    b.verb_clitic = (b.clitic if verb_clitics is None
                     else f"(?:{alternation(verb_clitics, False)})??" if verb_clitics else "")
    return b
