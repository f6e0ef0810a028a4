"""The public engine: :class:`Engine` and :func:`load`.

An :class:`Engine` holds compiled rules and nothing about any one document, so one engine
may serve many threads at once.
"""
from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Iterable, Iterator

from coopfacts.engine import pipeline
from coopfacts.engine.windows import windowed_claims
from coopfacts.model import Claim, NumberRecord, clean_number
from coopfacts.rulebook.book import KINDS, Rulebook, get_rulebook

CLAIM_KINDS = tuple(k for k in KINDS if k != "ignore")
NUMBER_KINDS = ("number", "ordinal")


def parse_kinds(kinds: str | Iterable[str] | None, allowed: tuple[str, ...] = CLAIM_KINDS) -> set[str] | None:
    """``"money,percent"``, ``["money"]`` or None (every kind) as a set; an unknown kind is a
    ``ValueError`` naming the known ones (a typo must not silently select nothing)."""
    if kinds is None:
        return None
    items = kinds.split(",") if isinstance(kinds, str) else list(kinds)
    wanted = {str(k).strip() for k in items if str(k).strip()}
    unknown = sorted(wanted - set(allowed))
    if unknown:
        raise ValueError(f"unknown kind{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(allowed)}")
    return wanted or None


class Engine:
    """Extraction with one set of rule files (the packaged ones plus any extra directories)."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook

    @property
    def languages(self) -> list[str]:
        return self.rulebook.languages

    def language_of(self, text: str, lang: str | None = "auto") -> str:
        """``lang`` checked against the rule files, or the language detected in ``text``."""
        return pipeline.resolve_language(text, lang, self.rulebook)

    def extract(self, text: str, lang: str | None = "auto", *, kinds: str | Iterable[str] | None = None,
                doc: str | None = None, reference_date: _dt.date | str | None = None) -> list[Claim]:
        """Every quantified claim in ``text`` (see :func:`coopfacts.extract`)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        return pipeline.extract(text, lang, doc=doc, kinds=parse_kinds(kinds), rulebook=self.rulebook,
                                reference_date=reference_date)

    def extract_pieces(self, pieces: Iterable[str], lang: str, *, kinds: str | Iterable[str] | None = None,
                       doc: str | None = None, reference_date: _dt.date | str | None = None) -> Iterator[Claim]:
        """The claims of a text given piece by piece (a large file as it is decoded), in reading
        order, read window by window: memory stays that of one window. ``lang`` is a language
        code (detect it on the text's beginning with :meth:`language_of`)."""
        code = self.language_of("", lang)
        wanted = parse_kinds(kinds)
        ref = _dt.date.fromisoformat(reference_date) if isinstance(reference_date, str) else reference_date
        ex = pipeline.extractor_for(code, self.rulebook)
        return windowed_claims(pieces, lambda part, r: ex.window_claims(part, doc, wanted, r), ref)

    def numbers(self, text: str, lang: str | None = "auto", *, kinds: str | Iterable[str] | None = None,
                doc: str | None = None) -> list[NumberRecord]:
        """Every numeral in ``text``, claim or not (see :func:`coopfacts.numbers`)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        wanted = parse_kinds(kinds, NUMBER_KINDS)
        code, nums, nt = pipeline.numerals(text, lang, self.rulebook)
        out = []
        for n in nums:
            start, end = nt.span(n.start, n.end)
            rec = NumberRecord(doc, code, start, end, nt.original[start:end],
                               "ordinal" if n.cls == "ordinal" else "number", clean_number(float(n.value)),
                               n.cls == "weak")
            if wanted is None or rec.kind in wanted:
                out.append(rec)
        return out


_ENGINES: dict[tuple[str, ...], Engine] = {}
_LOCK = threading.Lock()


def load(rules: Iterable[str] | None = None) -> Engine:
    """The engine for the packaged rules plus the directories ``rules``, made once per set."""
    if isinstance(rules, str):
        rules = [rules]
    key = tuple(str(r) for r in rules or ())
    engine = _ENGINES.get(key)
    if engine is None:
        with _LOCK:
            engine = _ENGINES.get(key)
            if engine is None:
                engine = _ENGINES[key] = Engine(get_rulebook(list(key) or None))
    return engine
