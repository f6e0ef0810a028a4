"""The public engine: :class:`Engine` and :func:`load`.

An :class:`Engine` holds a rulebook and nothing about any one document, so one engine may serve
many threads at once; making one is cheap (the compiled languages and their automata are shared
by every engine of the same rules).
"""
from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Iterable, Iterator

from coopfacts.engine.langdetect import detect_language, foreign_paragraphs
from coopfacts.engine.numeral_grammar import Numeral
from coopfacts.engine.pipeline import LanguageRuntime
from coopfacts.engine.windows import windowed_claims
from coopfacts.model import CLAIM_KINDS, Claim, NumberRecord, clean_number
from coopfacts.rulebook import Rulebook, get_rulebook
from coopfacts.rulebook.language import Language
from coopfacts.text.normalize import NormalizedText

NUMBER_KINDS = ("number", "ordinal")

_RUNTIMES: dict[int, LanguageRuntime] = {}  # by id() of the compiled language (kept alive by the runtime)
_RUNTIMES_LOCK = threading.Lock()


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


def _reference(reference_date: _dt.date | str | None) -> _dt.date | None:
    if isinstance(reference_date, str):
        return _dt.date.fromisoformat(reference_date)
    return reference_date


def _text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return text


def runtime_for(lang: Language) -> LanguageRuntime:
    rt = _RUNTIMES.get(id(lang))
    if rt is None or rt.lang is not lang:
        with _RUNTIMES_LOCK:
            rt = _RUNTIMES.get(id(lang))
            if rt is None or rt.lang is not lang:
                rt = _RUNTIMES[id(lang)] = LanguageRuntime(lang)
    return rt


class Engine:
    """Extraction with one set of rule files (the packaged ones plus any extra directories)."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook

    @property
    def languages(self) -> list[str]:
        return self.rulebook.languages

    def language_of(self, text: str, lang: str | None = "auto") -> str:
        """``lang`` checked against the rule files (ValueError if unknown), or the language
        detected in ``text`` (``auto``)."""
        if lang and lang != "auto":
            if lang not in self.rulebook.languages:
                raise ValueError(f"unknown language {lang!r}; rule files exist for: "
                                 f"{', '.join(self.rulebook.languages)}")
            return lang
        return detect_language(text, self.rulebook)

    def runtime(self, code: str) -> LanguageRuntime:
        return runtime_for(self.rulebook.language(code))

    def extract(self, text: str, lang: str | None = "auto", *, kinds: str | Iterable[str] | None = None,
                doc: str | None = None, reference_date: _dt.date | str | None = None,
                mixed: bool | None = None) -> list[Claim]:
        """Every quantified claim in ``text`` (see :func:`coopfacts.extract`). ``mixed``: read
        the paragraphs written in another script in their own language (by default when
        ``lang`` is ``auto``; a caller that detected the language itself says so)."""
        code = self.language_of(_text(text), lang)
        wanted, ref = parse_kinds(kinds), _reference(reference_date)
        if mixed is None:
            mixed = not lang or lang == "auto"
        foreign = foreign_paragraphs(text, code, self.rulebook) if mixed else []
        if not foreign:
            return self.runtime(code).claims(text, doc, wanted, ref)
        # each language reads its own paragraphs in a copy of the text where the others are
        # blanked (spaces, line breaks kept): offsets stay those of the text itself
        claims = self.runtime(code).claims(_blanked(text, [(s, e) for s, e, _ in foreign]), doc, wanted, ref)
        for other in sorted({c for _, _, c in foreign} - {code}):
            keep = [(s, e) for s, e, c in foreign if c == other]
            claims += self.runtime(other).claims(_blanked(text, _outside(keep, len(text))), doc, wanted, ref)
        return sorted(claims, key=lambda c: (c.start, c.end))

    def extract_pieces(self, pieces: Iterable[str], lang: str, *, kinds: str | Iterable[str] | None = None,
                       doc: str | None = None, reference_date: _dt.date | str | None = None) -> Iterator[Claim]:
        """The claims of a text given piece by piece (a large file as it is decoded), in reading
        order, read window by window: memory stays that of one window. ``lang`` is a language
        code (detect it on the text's beginning with :meth:`language_of`)."""
        rt = self.runtime(self.language_of("", lang))
        wanted = parse_kinds(kinds)
        return windowed_claims(pieces, lambda part, r: rt.window_claims(part, doc, wanted, r),
                               _reference(reference_date))

    def read(self, text: str, lang: str | None = "auto") -> tuple[str, NormalizedText, list[Numeral]]:
        """``(language, normalised text, numerals)``: what the patterns see (``coopfacts normalize``)."""
        code = self.language_of(_text(text), lang)
        w = self.runtime(code).window(text)
        return code, w.nt, w.numerals

    def numbers(self, text: str, lang: str | None = "auto", *, kinds: str | Iterable[str] | None = None,
                doc: str | None = None) -> list[NumberRecord]:
        """Every numeral in ``text``, claim or not (see :func:`coopfacts.numbers`)."""
        wanted = parse_kinds(kinds, NUMBER_KINDS)
        code, nt, nums = self.read(text, lang)
        out = []
        for n in nums:
            start, end = nt.span(n.start, n.end)
            rec = NumberRecord(doc, code, start, end, nt.original[start:end],
                               "ordinal" if n.cls == "ordinal" else "number", clean_number(float(n.value)),
                               n.cls in ("weak", "definite"))
            if wanted is None or rec.kind in wanted:
                out.append(rec)
        return out


_ENGINES: dict[tuple[str, ...], Engine] = {}
_LOCK = threading.Lock()


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given stretches turned to spaces (their line breaks kept)."""
    parts, at = [], 0
    for s, e in spans:
        parts.append(text[at:s])
        parts.append("".join(ch if ch == "\n" else " " for ch in text[s:e]))
        at = e
    parts.append(text[at:])
    return "".join(parts)


def _outside(spans: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The stretches of 0..n that none of ``spans`` (sorted, apart) covers."""
    out, at = [], 0
    for s, e in spans:
        if s > at:
            out.append((at, s))
        at = e
    if at < n:
        out.append((at, n))
    return out


def load(rules: str | Iterable[str] | None = None) -> Engine:
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
