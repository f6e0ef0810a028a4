"""Checking figures: against a reference table, within one article, across articles.

Extraction says what figures an article states; this module says which of them
hold.  Everything here works on :class:`~coopfacts.model.Claim` objects (or the
dicts ``Claim.to_dict()`` gives) and the text they were taken from, and returns
:class:`Finding` records:

- :func:`check_reference` links each claim to the rows of a reference table
  (:func:`load_reference`) that speak about it and gives a verdict:
  ``supported``, ``contradicted`` or ``unverified``;
- :func:`check_internal` looks at one article alone: the same figure stated
  twice, different figures for the same counted thing, a stated multiple or
  change recomputed from the figures it relates, a part larger than its whole,
  a share above 100 %;
- :func:`check_across` groups the same figure found in several documents.

Comparisons are made on base values: the engine has already applied scale words
(``44 همت`` is 44·10¹² toman); here toman and rial are converted (×10),
durations (a year is 12 months, a week 7 days; a month is 30.4375 days),
masses, lengths, areas and volumes.  No exchange rates: a sum in one currency
is never compared with a sum in another.

Verdicts: ``supported`` / ``contradicted`` / ``unverified`` (reference),
``consistent`` / ``contradicted`` / ``flagged`` (internal and across checks;
``flagged`` means "look at this", not "wrong").
"""
from __future__ import annotations

import bisect
import csv
import datetime as _dt
import functools
import io
import json
import math
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any, Iterable, Sequence

import regex

from coopfacts.model import FIELDS, Claim
from coopfacts.outputs.writers import TableWriter, Writer, _cell, make_writer

# --- tunables (documented in the README, "Checking figures") -------------------

APPROX_TOLERANCE = 0.05  # "about 200": 190..210
RECOMPUTE_TOLERANCE = 0.05  # a stated multiple or change is rounded: within 5 % (or half its last digit)
EXIT_CONTRADICTED = 3  # exit status when some finding is contradicted
SIDE_KINDS = ("count", "money", "quantity", "percent")  # what a multiple or a change can relate
ACROSS_KINDS = ("count", "money", "quantity", "percent")
ACROSS_MIN_COUNT = 100  # smaller counts are grouped across documents only with the same counted noun
GROUP_KINDS = ("count", "money", "quantity", "percent")

VERDICTS = ("supported", "contradicted", "unverified", "consistent", "flagged")
FINDING_FIELDS = (
    "check", "finding", "verdict", "doc", "start", "end", "text", "value", "unit", "qualifier",
    "expected", "difference", "row", "label", "source", "also", "why", "spans",
)

# The words that tie a part to its whole ("dont", "sur", "des" after a percentage...) are
# language knowledge: each rule file lists them under `parts:` (`part_before`, `whole_after`,
# `share_after`), and `Language.parts` gives them normalised.

# --- units ----------------------------------------------------------------------

_SUBUNITS = {"IRT": ("IRR", 10.0)}  # the toman is ten rials
_DURATION = {  # in minutes; a month is 1/12 year (30.4375 days)
    "minute": 1.0, "hour": 60.0, "day": 1440.0, "week": 10080.0, "month": 43830.0, "year": 525960.0,
}
_QUANTITY = {
    "g": ("mass", 0.001), "kg": ("mass", 1.0), "q": ("mass", 100.0), "t": ("mass", 1000.0),
    "mm": ("length", 0.001), "cm": ("length", 0.01), "m": ("length", 1.0), "km": ("length", 1000.0),
    "m2": ("area", 1.0), "ha": ("area", 1e4), "km2": ("area", 1e6),
    "l": ("volume", 0.001), "m3": ("volume", 1.0), "bbl": ("volume", 0.158987294928),
    "kw": ("power", 1.0), "mw": ("power", 1e3),
}
_KIND_OF_UNIT = {"%": "percent", "ratio": "ratio", **{u: "duration" for u in _DURATION}}


def measure(kind: str, value: Any, unit: str | None) -> tuple[str, float] | None:
    """``(dimension, value in base units)`` of a figure; ``None`` for dates and non-numbers.

    >>> measure("money", 10, "IRT")
    ('money:IRR', 100.0)
    >>> measure("duration", 2, "year") == measure("duration", 24, "month")
    True
    """
    if kind == "date" or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    v = float(value)
    if not math.isfinite(v):
        return None
    if kind == "money":
        code = (unit or "?").upper()
        if code in _SUBUNITS:
            base, f = _SUBUNITS[code]
            return f"money:{base}", v * f
        return f"money:{code}", v
    if kind == "duration":
        f = _DURATION.get(unit or "")
        return ("duration", v * f) if f else (f"duration:{unit}", v)
    if kind == "quantity":
        q = _QUANTITY.get((unit or "").lower())
        return (f"quantity:{q[0]}", v * q[1]) if q else (f"quantity:{unit}", v)
    if kind in ("percent", "ratio", "count"):
        return kind, v
    return f"{kind}:{unit}", v


def _factor(kind: str, unit: str | None) -> float:
    m = measure(kind, 1.0, unit)
    return m[1] if m else 1.0


def _canon(x: float) -> float:
    return float(f"{x:.9g}")


# --- intervals (what a qualified figure allows) -----------------------------------

@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def overlaps(self, other: "Interval") -> bool:
        return _before(self, other) and _before(other, self)


def _before(a: Interval, b: Interval) -> bool:
    """``a`` reaches at least as far up as ``b`` starts (so b does not lie wholly above a)."""
    eps = 1e-9 * max(1.0, *(abs(x) for x in (a.hi, b.lo) if math.isfinite(x)))
    if b.lo > a.hi + eps:
        return False
    if abs(b.lo - a.hi) <= eps and (a.hi_open or b.lo_open):
        return False
    return True


def claim_interval(value: float, qualifier: str, slack: float = 0.0,
                   approx: float = APPROX_TOLERANCE) -> Interval:
    """The values a figure stated with ``qualifier`` allows.

    ``more_than 30`` is (30, ∞), ``at_least 30`` is [30, ∞), ``approx 200`` is
    200 ± 5 % (or ± ``slack`` where that is more), ``exact`` is value ± ``slack``.
    """
    inf = math.inf
    if qualifier == "more_than":
        return Interval(value, inf, True, True)
    if qualifier == "at_least":
        return Interval(value, inf, False, True)
    if qualifier == "less_than":
        return Interval(-inf, value, True, True)
    if qualifier == "at_most":
        return Interval(-inf, value, True, False)
    s = max(slack, approx * abs(value)) if qualifier == "approx" else slack
    return Interval(value - s, value + s)


_QUAL_SIGN = {"exact": "", "approx": "≈", "more_than": ">", "at_least": "≥", "less_than": "<", "at_most": "≤"}
_DIRECTION = {"more_than": 1, "at_least": 1, "less_than": -1, "at_most": -1}


def fmt_number(v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e16:
        return f"{int(v):,}".replace(",", " ")
    return f"{v:.6g}"


# --- folding text for label matching ------------------------------------------------

_WORD = regex.compile(r"\w+")


def _language(lang: str | None, rulebook: Any = None) -> Any:
    """The compiled rules of ``lang``; ``None`` when no rule file has it."""
    if not lang:
        return None
    rb = _rb(rulebook)
    return rb.language(lang) if lang in rb.languages else None


@functools.lru_cache(maxsize=32)
def _folding(lang: str | None, rb: Any) -> tuple[tuple, tuple[str, ...]]:
    """``(normalisers, clitics)`` of :func:`fold` for ``lang``: its own normaliser, then those
    of the other languages written in the same script; its clitics, folded likewise."""
    own = _language(lang, rb)
    if own is None:
        return (), ()
    others = [c for c in rb.languages if c != lang and own.script != "any" and rb.detect_hints(c)[0] == own.script]
    normalizers = (own.normalizer, *(rb.language(c).normalizer for c in others))
    clitics = [_apply(normalizers, c) for c in own.clitics]
    articles = [_apply(normalizers, a) for a in own.articles]
    # a label word may stand in the text behind a clitic, the article, or both (وال…)
    prefixes = clitics + articles + [c + a for c in clitics for a in articles]
    return normalizers, tuple(x for x in dict.fromkeys(prefixes) if x)


def _apply(normalizers: tuple, text: str) -> str:
    for n in normalizers:
        text = n(text).text
    text = unicodedata.normalize("NFKD", text)
    # marks (accents, harakat, hamza seats) and format characters (ZWNJ, bidi controls) go
    return "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf").casefold()


def _rb(rulebook: Any) -> Any:
    if rulebook is not None:
        return rulebook
    from coopfacts.rulebook import get_rulebook

    return get_rulebook()


def fold(text: str, lang: str | None = None, rulebook: Any = None) -> str:
    """``text`` as compared: the language's normaliser (digits, letter variants, marks), then
    the normalisers of the other languages written in the same script (a label typed with
    Persian letters matches Arabic text and the other way round), then accents, other
    combining marks and format characters (ZWNJ) removed and case folded."""
    return _apply(_folding(lang, _rb(rulebook))[0] if lang else (), text)


def _clitics(lang: str | None, rulebook: Any) -> tuple[str, ...]:
    """The language's proclitics (rule file, ``clitics:``), folded."""
    return _folding(lang, _rb(rulebook))[1] if lang else ()


@dataclass
class _Token:
    start: int
    end: int
    word: str


def _tokens(text: str, offset: int, lang: str | None, rulebook: Any) -> list[_Token]:
    out = []
    for m in _WORD.finditer(text):
        w = fold(m.group(), lang, rulebook)
        for part in _WORD.findall(w):  # folding may split (a mark became a space)
            out.append(_Token(offset + m.start(), offset + m.end(), part))
    return out


def _word_matches(w: str, t: str, clitics: Sequence[str] = ()) -> bool:
    """A label word matches a text word that is it, starts with it (plural, suffix) or
    carries one of the language's clitics before it (والتعاونيات)."""
    if t == w:
        return True
    if len(w) < 3:
        return False
    return t.startswith(w) or any(t.startswith(c + w) for c in clitics)


def _phrase_words(phrase: str, lang: str | None, rulebook: Any) -> list[str]:
    return _WORD.findall(fold(phrase, lang, rulebook))


# --- claims and documents -------------------------------------------------------------

def as_claim(c: Claim | dict) -> Claim:
    """A :class:`Claim` from a claim or from the record ``Claim.to_dict()`` gives."""
    if isinstance(c, Claim):
        return c
    known = {k: c.get(k) for k in FIELDS if k in c}
    extra = {k: v for k, v in c.items() if k not in FIELDS and k != "calendar"}
    return Claim(**known, calendar=c.get("calendar"), extra=extra)


def span_of(c: Claim, role: str | None = None) -> dict:
    d = {"doc": c.doc, "start": c.start, "end": c.end, "text": c.text, "kind": c.kind,
         "value": c.value, "unit": c.unit, "qualifier": c.qualifier}
    if role:
        d["role"] = role
    return d


def _period(value: str, calendar: str | None = None, extra: dict | None = None) -> tuple[_dt.date, _dt.date] | None:
    """First and last Gregorian day a date value stands for (``None``: no year)."""
    extra = extra or {}
    if not isinstance(value, str) or value.startswith("X"):
        return None
    if extra.get("gregorian_range"):
        a, b = extra["gregorian_range"]
        return _dt.date.fromisoformat(a), _dt.date.fromisoformat(b)
    parts = value.split("-")
    try:
        y = int(parts[0])
        if calendar in ("jalali", "hijri") and len(parts) == 1:
            from coopfacts.engine import dates

            first = dates.to_gregorian(calendar, y, 1, 1)
            nxt = dates.to_gregorian(calendar, y + 1, 1, 1)
            return first, nxt - _dt.timedelta(days=1)
        if len(parts) == 1:
            return _dt.date(y, 1, 1), _dt.date(y, 12, 31)
        m = int(parts[1])
        if len(parts) == 2:
            last = (_dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1))
            return _dt.date(y, m, 1), last
        d = _dt.date(y, m, int(parts[2]))
        return d, d
    except (ValueError, TypeError, OverflowError, ImportError):
        return None


def _claim_period(c: Claim) -> tuple[_dt.date, _dt.date] | None:
    return _period(c.value, c.calendar, c.extra) if c.kind == "date" else None


def _overlap(a: tuple[_dt.date, _dt.date], b: tuple[_dt.date, _dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


class _Doc:
    """One document's claims with what the checks look up about them."""

    def __init__(self, claims: Iterable[Claim | dict], text: str | None, rulebook: Any = None):
        self.claims = [as_claim(c) for c in claims]
        self.text = text
        self.rulebook = rulebook
        self.lang = next((c.lang for c in self.claims if c.lang), None)
        self.doc = next((c.doc for c in self.claims if c.doc is not None), None)
        self.line_starts = [0]
        if text:
            self.line_starts += [m.end() for m in regex.finditer("\n", text)]
        self.ranges: dict[Any, list[Claim]] = {}
        for c in self.claims:
            if c.extra.get("range") is not None:
                self.ranges.setdefault(c.extra["range"], []).append(c)
        self._tok: dict[tuple[int, int], list[_Token]] = {}
        self._dates: dict[tuple[int, int], list] = {}
        self.by_span = {(c.start, c.end): c for c in self.claims}
        self.by_sentence: dict[tuple[int, int], list[Claim]] = {}
        self.by_paragraph: dict[int, list[Claim]] = {}
        for c in sorted(self.claims, key=lambda x: x.start):
            self.by_sentence.setdefault(self.sentence(c), []).append(c)
            self.by_paragraph.setdefault(self.paragraph(c), []).append(c)
        self._ekeys: dict[int, tuple[str, ...]] = {}

    # where a claim stands
    def paragraph(self, c: Claim) -> int:
        return bisect.bisect_right(self.line_starts, c.start) - 1

    def sentence(self, c: Claim) -> tuple[int, int]:
        if c.sentence_start is not None and c.sentence_end is not None:
            return c.sentence_start, c.sentence_end
        p = self.paragraph(c)
        end = self.line_starts[p + 1] - 1 if p + 1 < len(self.line_starts) else len(self.text or "")
        return self.line_starts[p], end

    def same_sentence(self, a: Claim, b: Claim) -> bool:
        return self.sentence(a) == self.sentence(b)

    def range_members(self, c: Claim) -> list[Claim]:
        rid = c.extra.get("range")
        return self.ranges.get(rid, [c]) if rid is not None else [c]

    def tokens(self, start: int, end: int) -> list[_Token]:
        if (start, end) not in self._tok:
            src = (self.text or "")[start:end]
            self._tok[(start, end)] = _tokens(src, start, self.lang, self.rulebook)
        return self._tok[(start, end)]

    def entity_tokens(self, c: Claim) -> list[_Token]:
        if not c.entity:
            return []
        if self.text and c.sentence_start is not None:
            at = self.text.find(c.entity, c.end, (c.sentence_end or len(self.text)) + 1)
            if at >= 0:
                return self.tokens(at, at + len(c.entity))
        return _tokens(c.entity, -1, self.lang, self.rulebook)

    def entity_key(self, c: Claim) -> tuple[str, ...]:
        if id(c) not in self._ekeys:
            self._ekeys[id(c)] = tuple(_WORD.findall(fold(c.entity or "", c.lang, self.rulebook)))
        return self._ekeys[id(c)]

    def dates(self, c: Claim) -> list[tuple[tuple[_dt.date, _dt.date], str]]:
        """``(period, text)`` of each date in the claim's sentence (not the dateline);
        a range of dates (``de 2019 à 2023``) is one period."""
        key = self.sentence(c)
        if key not in self._dates:
            periods = []
            seen_ranges = set()
            for d in self.by_sentence.get(key, []):
                if d.kind != "date" or d.extra.get("dateline"):
                    continue
                rid = d.extra.get("range")
                if rid is not None:
                    if rid in seen_ranges:
                        continue
                    seen_ranges.add(rid)
                    ms = self.ranges[rid]
                    ps = [p for p in (_claim_period(m) for m in ms) if p]
                    if ps:
                        periods.append(((min(p[0] for p in ps), max(p[1] for p in ps)),
                                        f"{ms[0].text}–{ms[-1].text}"))
                    continue
                p = _claim_period(d)
                if p:
                    periods.append((p, d.text))
            self._dates[key] = periods
        return self._dates[key]


# --- findings --------------------------------------------------------------------

@dataclass
class Finding:
    """One result of a check.  ``spans`` quote every claim involved (doc, start, end, text...)."""

    check: str  # reference | internal | across
    finding: str  # reference | same_figure | different_figures | multiple | change | part_whole | percent_over_100 | across
    verdict: str  # supported | contradicted | unverified | consistent | flagged
    spans: list[dict]
    why: str
    expected: Any = None
    difference: float | None = None
    row: str | None = None
    label: str | None = None
    source: str | None = None
    also: list[str] | None = None

    @property
    def doc(self) -> str | None:
        return self.spans[0]["doc"] if self.spans else None

    def to_dict(self) -> dict:
        main = self.spans[0] if self.spans else {}
        return {
            "check": self.check, "finding": self.finding, "verdict": self.verdict, "doc": main.get("doc"),
            "start": main.get("start"), "end": main.get("end"), "text": main.get("text"),
            "value": main.get("value"), "unit": main.get("unit"), "qualifier": main.get("qualifier"),
            "expected": self.expected,
            "difference": None if self.difference is None else round(self.difference, 4),
            "row": self.row, "label": self.label, "source": self.source, "also": self.also,
            "why": self.why, "spans": self.spans,
        }


def exit_status(findings: Iterable[Finding | dict]) -> int:
    """:data:`EXIT_CONTRADICTED` when some finding is contradicted, else 0."""
    for f in findings:
        verdict = f["verdict"] if isinstance(f, dict) else f.verdict
        if verdict == "contradicted":
            return EXIT_CONTRADICTED
    return 0


def _rel(a: float, b: float) -> float | None:
    return (a - b) / abs(b) if b else None


def _describe(c: Claim) -> str:
    unit = f" {c.unit}" if c.unit and c.unit != "%" else ("%" if c.unit == "%" else "")
    return f"{_QUAL_SIGN.get(c.qualifier, '')}{fmt_number(c.value)}{unit}"


# --- the reference table ----------------------------------------------------------------

class ReferenceError(ValueError):
    """A reference table that cannot be read; ``str()`` is ``path:line: message``."""


@dataclass
class ReferenceRow:
    """One reference figure.  ``value`` is in ``unit`` (base units: toman, not billion toman)."""

    id: str
    label: str
    kind: str
    value: Any  # float, or an ISO date string for kind date
    unit: str | None = None
    date: tuple[_dt.date, _dt.date] | None = None
    date_text: str | None = None
    source: str | None = None
    tolerance: tuple[float, bool] | None = None  # (amount, relative)
    line: int = 0
    _words: dict = field(default_factory=dict, repr=False)

    def alternatives(self, lang: str | None, rulebook: Any) -> list[tuple[str, list[str]]]:
        """The label's alternatives (``|``-separated), each with its folded words."""
        if lang not in self._words:
            alts = []
            for alt in self.label.split("|"):
                words = _phrase_words(alt, lang, rulebook)
                if words:
                    alts.append((alt.strip(), words))
            self._words[lang] = alts
        return self._words[lang]

    def measure(self) -> tuple[str, float] | None:
        return measure(self.kind, self.value, self.unit)

    def period(self) -> tuple[_dt.date, _dt.date] | None:
        return _period(self.value) if self.kind == "date" else None

    def tolerance_in_base(self, base: float, default: tuple[float, bool] | None = None) -> float:
        tol = self.tolerance or default
        if tol is None:
            return 0.0
        amount, relative = tol
        return amount * abs(base) if relative else amount * _factor(self.kind, self.unit)


_NUMBER = regex.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ISO_DATE = regex.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_KINDS = ("count", "money", "percent", "ratio", "duration", "quantity", "date")


def parse_tolerance(text: str | None) -> tuple[float, bool] | None:
    """``"2%"`` → (0.02, relative); ``"1000"`` → (1000, absolute); empty → None."""
    t = (text or "").strip().replace(" ", "")
    if not t:
        return None
    relative = t.endswith("%")
    num = t.rstrip("%")
    if not _NUMBER.fullmatch(num) or float(num) < 0:
        raise ValueError(f"tolerance: expected a number or a percentage like 2%, got {text!r}")
    return (float(num) / 100 if relative else float(num)), relative


def _parse_number(text: str) -> float | None:
    t = text.strip().replace("_", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    return float(t) if _NUMBER.fullmatch(t) else None


def _ascii_digits(t: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in t)


def _calendar_period(calendar: str, value: str) -> tuple[_dt.date, _dt.date] | None:
    """Period of ``1402``, ``1402-07`` or ``1402-07-12`` in a non-Gregorian calendar."""
    from coopfacts.engine import dates

    parts = [int(x) for x in value.split("-")]
    try:
        if len(parts) == 1:
            first = dates.to_gregorian(calendar, parts[0], 1, 1)
            return first, dates.to_gregorian(calendar, parts[0] + 1, 1, 1) - _dt.timedelta(days=1)
        if len(parts) == 2:
            y, m = parts
            first = dates.to_gregorian(calendar, y, m, 1)
            nxt = dates.to_gregorian(calendar, y + (m == 12), m % 12 + 1, 1)
            return first, nxt - _dt.timedelta(days=1)
        d = dates.to_gregorian(calendar, *parts)
        return d, d
    except (dates.BadDate, ValueError):
        return None


def _read_cell(text: str, rulebook: Any, dates: bool) -> list[Claim]:
    """The claims of a table cell, in the language that reads most of it (a cell is too short
    for language detection: ``3.15 همت`` has no letter peculiar to Persian)."""
    from coopfacts.engine import Engine
    from coopfacts.rulebook import get_rulebook

    rb = rulebook or get_rulebook()
    try:
        first = Engine(rb).language_of(text, "auto")
    except ValueError:
        first = None
    best: list[Claim] = []
    cover = 0
    for code in [first, *(c for c in rb.languages if c != first)]:
        if code is None:
            continue
        found = [c for c in Engine(rb).extract(text, code) if (c.kind == "date") == dates]
        n = sum(c.end - c.start for c in found)
        if found and n > cover:
            best, cover = found, n
    return best


def _parse_date(text: str, rulebook: Any, calendar: str | None = None) -> tuple[tuple[_dt.date, _dt.date], str] | None:
    """A date cell: ISO (``2023``, ``2023-08``, ``2023-08-20``), a period ``A/B`` (also ``A..B``,
    ``A–B``, ``2019-2023``), ``jalali:1402`` or ``hijri:1445-09`` for other calendars, or a date
    as written in the text (``مهر ۱۴۰۲``, ``1445 هـ``)."""
    t = text.strip()
    head, colon, rest = t.partition(":")
    if colon and head.strip().lower() in ("jalali", "hijri", "gregorian") and calendar is None:
        got = _parse_date(rest, rulebook, head.strip().lower())
        return (got[0], t) if got else None
    for sep in ("..", "/", "–", "—"):
        if sep in t:
            a, _, b = t.partition(sep)
            pa, pb = _parse_date(a, rulebook, calendar), _parse_date(b, rulebook, calendar)
            if pa and pb:
                return (min(pa[0][0], pb[0][0]), max(pa[0][1], pb[0][1])), t
            return None
    iso = _ascii_digits(t) if calendar else t
    m = regex.fullmatch(r"([0-9]{4})-([0-9]{4})", iso)
    if m:
        return _parse_date(f"{m[1]}..{m[2]}", rulebook, calendar)
    if _ISO_DATE.fullmatch(iso):
        p = _period(iso) if calendar in (None, "gregorian") else _calendar_period(calendar, iso)
        return (p, t) if p else None
    ps = [p for p in (_claim_period(c) for c in _read_cell(t, rulebook, dates=True)) if p]
    if not ps:
        return None
    return (min(p[0] for p in ps), max(p[1] for p in ps)), t


def _figure_from_text(text: str, rulebook: Any) -> Claim | None:
    """The one figure written in a table cell such as ``44 همت`` or ``240 millions de dirhams``."""
    found = _read_cell(text, rulebook, dates=False)
    return found[0] if len(found) == 1 else None


def read_unit(text: str, rulebook: Any = None) -> tuple[str, str | None]:
    """The unit column: ``(unit, kind)``, kind ``None`` where the cell does not tell.

    A code stays as it is: ``%``, ``ratio``, ``year``/``month``/``week``/``day``/``hour``/``minute``,
    ``t``/``kg``/``ha``/``km2``…, an ISO 4217 code (``MAD``; ``mad`` is upper-cased).  Any other
    word is looked up in the units of the rule files (``words`` and ``before``), in the language
    that reads the cell first, then in the others: a unit word as written in an article reads as
    its code (the percent word, the toman, a currency name).  A word that stands for a multiple of
    its unit (factor other than 1: a decade, a billion toman) is refused: the value would be in
    another unit than the one the row names.  Raises ValueError.
    """
    t = text.strip()
    low = t.lower()
    if low in _KIND_OF_UNIT:
        return low, _KIND_OF_UNIT[low]
    if low in _QUANTITY:
        return low, "quantity"
    if regex.fullmatch(r"[A-Z]{3}", t):
        return t, "money"
    rb = _rb(rulebook)
    from coopfacts.engine import Engine

    try:
        first = Engine(rb).language_of(t, "auto")
    except ValueError:
        first = None
    for code in dict.fromkeys([first, *rb.languages]):
        if code is None:
            continue
        L = rb.language(code)
        entry = L.units.get(L.key(L.normalizer(t).text))
        if entry is None:
            continue
        unit = "ratio" if entry.kind == "ratio" else (entry.code or t)
        if entry.factor != 1:
            raise ValueError(f"unit: {t!r} is {fmt_number(_tidy(entry.factor))} {unit} ({code} rules); "
                             f"write the unit {unit} with the value in {unit}, or the figure as written in the value column")
        if entry.kind == "quantity" and unit.lower() in _QUANTITY:
            unit = unit.lower()
        return unit, entry.kind
    if regex.fullmatch(r"[A-Za-z]{3}", t):
        return t.upper(), "money"
    return t, None


def reference_row(fields: dict[str, Any], line: int = 0, rulebook: Any = None) -> ReferenceRow:
    """One row from its columns: ``label``, ``value`` (required), ``unit``, ``kind``,
    ``date``, ``tolerance``, ``source``, ``id``.  Raises ValueError with a reason."""
    f = {str(k).strip().lower(): ("" if v is None else str(v).strip() if not isinstance(v, (int, float)) else v)
         for k, v in fields.items() if k is not None}
    label = str(f.get("label", "")).strip()
    if not label:
        raise ValueError("label: empty (the words that name the figure, as the article writes them; alternatives separated by |)")
    raw_value = f.get("value", "")
    if raw_value == "" or raw_value is None:
        raise ValueError("value: empty")
    kind = str(f.get("kind", "")).strip().lower() or None
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(_KINDS)}")
    unit = str(f.get("unit", "")).strip() or None
    unit_kind = None
    if unit is not None:
        unit, unit_kind = read_unit(unit, rulebook)
    value: Any
    text_value = raw_value if isinstance(raw_value, str) else None
    if isinstance(raw_value, (int, float)) and not isinstance(raw_value, bool):
        value = float(raw_value)
    elif kind == "date" or (kind is None and unit is None and _ISO_DATE.fullmatch(raw_value) and "-" in raw_value):
        if not _ISO_DATE.fullmatch(raw_value) or _period(raw_value) is None:
            raise ValueError(f"value: expected an ISO date (2024, 2024-01, 2024-01-15) for kind date, got {raw_value!r}")
        kind, value = "date", raw_value
    else:
        pct = raw_value.rstrip().endswith("%")
        num = _parse_number(raw_value.rstrip().rstrip("%"))
        if num is not None:
            value = num
            if pct:
                if unit not in (None, "%"):
                    raise ValueError(f"value: {raw_value!r} is a percentage but unit is {unit!r}")
                unit = "%"
        else:
            claim = _figure_from_text(str(text_value), rulebook)
            if claim is None or not isinstance(claim.value, (int, float)):
                raise ValueError(f"value: cannot read one figure in {raw_value!r} "
                                 "(write a number in base units, or one figure with its unit as an article writes it)")
            value = float(claim.value)
            if unit is not None and unit != claim.unit:
                if measure(claim.kind, 1, claim.unit)[0] == measure(claim.kind, 1, unit)[0]:
                    value = value * _factor(claim.kind, claim.unit) / _factor(claim.kind, unit)
                elif not (claim.kind == "money" and regex.fullmatch(r"[A-Z]{3}", unit)):
                    raise ValueError(f"value: {raw_value!r} reads as {claim.unit or claim.kind}, but unit is {unit!r}")
                # else: the unit column names the currency a word such as "dinars" leaves open
            unit = unit or claim.unit
            kind = kind or claim.kind
    if kind is None:
        if unit is None:
            kind = "count"
        elif unit_kind is not None:
            kind = unit_kind
        elif unit in _KIND_OF_UNIT:
            kind = _KIND_OF_UNIT[unit]
        elif unit.lower() in _QUANTITY:
            kind = "quantity"
        elif regex.fullmatch(r"[A-Z]{3}", unit):
            kind = "money"
        else:
            kind = "quantity"
    if kind == "percent":
        unit = "%"
    try:
        tolerance = parse_tolerance(str(f.get("tolerance", "")))
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    date = date_text = None
    if str(f.get("date", "")).strip():
        parsed = _parse_date(str(f["date"]), rulebook)
        if parsed is None:
            raise ValueError(f"date: cannot read {f['date']!r} (2023, 2023-08, 2023-08-20, 2019/2023, jalali:1402, or a date as an article writes it)")
        date, date_text = parsed
    rid = str(f.get("id", "")).strip() or f"line {line}"
    return ReferenceRow(id=rid, label=label, kind=kind, value=value, unit=unit, date=date, date_text=date_text,
                        source=str(f.get("source", "")).strip() or None, tolerance=tolerance, line=line)


def load_reference(path: str, rulebook: Any = None) -> list[ReferenceRow]:
    """Rows of a reference table: CSV (a header line, comma-, semicolon- or tab-separated)
    or JSON Lines (one object per line; also a JSON array).  Raises :class:`ReferenceError`."""
    from coopfacts.io.documents import DecodeProblem, decode

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ReferenceError(f"{path}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        text = decode(data)
    except DecodeProblem as exc:
        raise ReferenceError(f"{path}: {exc}") from None
    return parse_reference(text, path, rulebook)


def parse_reference(text: str, name: str = "<reference>", rulebook: Any = None) -> list[ReferenceRow]:
    """Rows from the text of a reference table (format sniffed: JSON if it starts with ``{`` or ``[``)."""
    rows: list[ReferenceRow] = []
    stripped = text.lstrip()
    records: list[tuple[int, dict]] = []
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReferenceError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        for i, item in enumerate(data, 1):
            if not isinstance(item, dict):
                raise ReferenceError(f"{name}: item {i}: expected an object")
            records.append((i, item))
    elif stripped.startswith("{"):
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReferenceError(f"{name}:{n}: not valid JSON: {exc.msg}") from None
            if not isinstance(item, dict):
                raise ReferenceError(f"{name}:{n}: expected an object")
            records.append((n, item))
    else:
        lines = [ln for ln in text.splitlines(keepends=True)]
        header_at = next((i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")), None)
        if header_at is None:
            raise ReferenceError(f"{name}: empty table")
        head = lines[header_at]
        delim = max(",;\t", key=head.count)
        reader = csv.reader(io.StringIO("".join(lines[header_at:])), delimiter=delim)
        header = [h.strip().lower() for h in next(reader)]
        for needed in ("label", "value"):
            if needed not in header:
                raise ReferenceError(f"{name}:{header_at + 1}: no {needed!r} column (columns: {', '.join(header)})")
        for cells in reader:
            n = header_at + reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if len(cells) > len(header):
                raise ReferenceError(f"{name}:{n}: {len(cells)} cells for {len(header)} columns")
            records.append((n, dict(zip(header, cells))))
    for n, rec in records:
        try:
            rows.append(reference_row(rec, n, rulebook))
        except ValueError as exc:
            raise ReferenceError(f"{name}:{n}: {exc}") from None
    if not rows:
        raise ReferenceError(f"{name}: no rows")
    return rows


# --- checking against the reference table -------------------------------------------------

@dataclass
class _Link:
    row: ReferenceRow
    alt: str
    n_words: int
    in_entity: bool
    date_match: bool
    supported: bool
    expected: Any
    difference: float | None
    date_text: str | None = None

    @property
    def score(self) -> tuple:
        return (self.n_words + self.in_entity + self.date_match, -abs(self.difference or 0.0))


def _label_hit(row: ReferenceRow, d: _Doc, c: Claim) -> tuple[str, int, bool, list[_Token]] | None:
    """The best alternative of the row's label found in the claim's counted noun or sentence."""
    ent = d.entity_tokens(c)
    s, e = d.sentence(c)
    sent = d.tokens(s, e)
    best = None
    clitics = _clitics(c.lang, d.rulebook)
    for alt, words in row.alternatives(c.lang, d.rulebook):
        in_entity = bool(ent) and all(any(_word_matches(w, t.word, clitics) for t in ent) for w in words)
        hits = []
        for w in words:
            found = [t for t in sent if _word_matches(w, t.word, clitics)]
            if not found and not in_entity:
                break
            hits.extend(found)
        else:
            cand = (alt, len(words), in_entity, hits)
            if best is None or (cand[1] + cand[2]) > (best[1] + best[2]):
                best = cand
    return best


def _owner(d: _Doc, c: Claim, row: ReferenceRow, hits: list[_Token], dim: str) -> Claim | None:
    """For a label found in the sentence only: the claim of the same dimension it belongs
    to - the one whose counted noun holds it, else the nearest to it."""
    siblings = [o for o in d.by_sentence.get(d.sentence(c), []) if o is not c and o not in d.range_members(c)
                and (m := measure(o.kind, o.value, o.unit)) is not None and m[0] == dim]
    if not siblings:
        return c
    for o in siblings:
        h = _label_hit(row, d, o)
        if h and h[2]:
            return o
    if not hits:
        return c

    def dist(x: Claim) -> int:
        return min(max(x.start - t.end, t.start - x.end, 0) for t in hits)

    return min([c, *siblings], key=lambda x: (dist(x), x is not c))


def check_reference(claims: Iterable[Claim | dict], text: str | None, rows: Sequence[ReferenceRow], *,
                    rulebook: Any = None, default_tolerance: tuple[float, bool] | None = None) -> list[Finding]:
    """One finding per claim (one per range): the reference row it is best linked to and the verdict.

    A row is linked to a claim when (1) every word of one of its label's alternatives is
    found in the claim's counted noun or sentence (and, found in the sentence only, no
    other figure of the sentence owns it), (2) kind and unit are comparable, (3) the dates
    agree where both have one.  The best link has the most label words (one more for the
    counted noun, one more for a matching date), then the smallest difference.
    """
    d = _Doc(claims, text, rulebook)
    out: list[Finding] = []
    done: set = set()
    for c in d.claims:
        rid = c.extra.get("range")
        if rid is not None:
            if rid in done:
                continue
            done.add(rid)
        members = d.range_members(c)
        out.append(_check_one(d, c, members, rows, default_tolerance))
    return out


def _check_one(d: _Doc, c: Claim, members: list[Claim], rows: Sequence[ReferenceRow],
               default_tolerance: tuple[float, bool] | None) -> Finding:
    spans = [span_of(m) for m in members]
    links: list[_Link] = []
    near: list[str] = []
    cm = measure(c.kind, c.value, c.unit)
    periods = d.dates(c)
    for row in rows:
        hit = _label_hit(row, d, c)
        if hit is None:
            continue
        alt, n_words, in_entity, hits = hit
        if c.kind == "date":
            if row.kind != "date":
                continue
            cps = [p for p in (_claim_period(m) for m in members) if p]
            rp = row.period()
            if not cps or rp is None:
                continue
            cp = (min(p[0] for p in cps), max(p[1] for p in cps))
            links.append(_Link(row, alt, n_words, in_entity, False, _overlap(cp, rp), row.value, None))
            continue
        rm = row.measure()
        if cm is None or rm is None or rm[0] != cm[0]:
            if rm is not None and cm is not None and row.kind == c.kind:
                near.append(f"row {row.id} «{alt}» is {row.kind} in {row.unit or '-'}, not comparable with {c.unit or c.kind}")
            continue
        if not in_entity:
            owner = _owner(d, c, row, hits, cm[0])
            if owner is not c:
                continue
        date_match = False
        date_text = None
        if row.date is not None and periods:
            agreeing = [t for p, t in periods if _overlap(p, row.date)]
            agreeing.sort(key=lambda t: any(t == x.text and x.extra.get("relative") for x in d.claims))
            if not agreeing:
                near.append(f"row {row.id} «{alt}» is about {row.date_text}, the sentence about "
                            f"{', '.join(t for _, t in periods)}")
                continue
            date_match = True
            date_text = agreeing[0]
        r = rm[1]
        tol = row.tolerance_in_base(r, default_tolerance)
        ref = Interval(r - tol, r + tol)
        bases = [measure(m.kind, m.value, m.unit)[1] for m in members]
        if len(members) > 1:
            claim_int = Interval(min(bases), max(bases))
            nearest = min(bases, key=lambda b: abs(b - r))
        else:
            claim_int = claim_interval(cm[1], c.qualifier)
            nearest = cm[1]
        expected = r / _factor(c.kind, c.unit)
        links.append(_Link(row, alt, n_words, in_entity, date_match, claim_int.overlaps(ref),
                           _tidy(expected), _rel(nearest, r), date_text))
    if not links:
        why = "no reference row speaks of it" + (": " + "; ".join(near) if near else "")
        return Finding("reference", "reference", "unverified", spans, why)
    links.sort(key=lambda lk: lk.score, reverse=True)
    best = links[0]
    row = best.row
    where = "the counted noun" if best.in_entity else "the sentence"
    bits = [f"row {row.id}: «{best.alt}» in {where}"]
    if best.date_match:
        bits.append(f"date {row.date_text} ~ «{best.date_text}»")
    if c.kind == "date":
        bits.append(f"{c.text} vs {row.value}")
    else:
        claim_desc = (f"{fmt_number(members[0].value)}–{fmt_number(members[-1].value)}" if len(members) > 1
                      else _describe(c))
        ref_desc = f"{fmt_number(best.expected)}"
        tol = row.tolerance or default_tolerance
        if tol:
            ref_desc += f" ± {fmt_number(tol[0] * 100)}%" if tol[1] else f" ± {fmt_number(tol[0])}"
        if row.unit != c.unit and row.unit:
            ref_desc += f" (the table: {fmt_number(row.value)} {row.unit})"
        bits.append(f"{claim_desc} vs reference {ref_desc}")
        if c.qualifier != "exact" and len(members) == 1:
            bits.append(f"qualifier {c.qualifier} respected" if best.supported else f"qualifier {c.qualifier} not met")
    if len(links) > 1:
        bits.append("other rows: " + ", ".join(lk.row.id for lk in links[1:4]) + (" …" if len(links) > 4 else ""))
    verdict = "supported" if best.supported else "contradicted"
    return Finding("reference", "reference", verdict, spans, "; ".join(bits), expected=best.expected,
                   difference=best.difference, row=row.id, label=row.label, source=row.source,
                   also=[lk.row.id for lk in links[1:]] or None)


def _tidy(v: Any) -> Any:
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 2**53:
            return int(v)
        return float(f"{v:.10g}")
    return v


# --- internal consistency --------------------------------------------------------------------

def check_internal(claims: Iterable[Claim | dict], text: str | None, *, rulebook: Any = None) -> list[Finding]:
    """Findings about one article on its own (see the module docstring)."""
    d = _Doc(claims, text, rulebook)
    out: list[Finding] = []
    out += _same_figures(d)
    out += _different_figures(d)
    out += _recomputed(d)
    out += _parts(d)
    out.sort(key=lambda f: (f.spans[0]["start"] if f.spans else 0))
    return out


def _entities_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same counted noun, or one that extends the other (واحد / واحد مسکونی)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _same_figures(d: _Doc) -> list[Finding]:
    groups: dict[tuple, list[list[Claim]]] = {}
    for c in d.claims:
        if c.kind not in GROUP_KINDS:
            continue
        m = measure(c.kind, c.value, c.unit)
        if m is None:
            continue
        key = (m[0], _canon(m[1]))
        bucket = groups.setdefault(key, [])
        if c.kind != "count":
            if not bucket:
                bucket.append([])
            bucket[0].append(c)
            continue
        ek = d.entity_key(c)
        if not ek:
            continue
        for g in bucket:
            if all(_entities_compatible(ek, d.entity_key(o)) for o in g):
                g.append(c)
                break
        else:
            bucket.append([c])
    out = []
    for (dim, base), bucket in groups.items():
        for g in bucket:
            if len(g) < 2:
                continue
            forms = {fold(x.text, x.lang, d.rulebook) for x in g}
            units = {x.unit for x in g}
            intervals = [claim_interval(measure(x.kind, x.value, x.unit)[1], x.qualifier) for x in g]
            agree = all(a.overlaps(b) for i, a in enumerate(intervals) for b in intervals[i + 1:])
            quals = sorted({x.qualifier for x in g})
            how = "in different forms" if len(forms) > 1 or len(units) > 1 else "in the same form"
            why = f"the same figure stated {len(g)} times, {how}: " + ", ".join(f"«{x.text}» ({x.qualifier})" for x in g)
            if not agree:
                why += f"; the qualifiers do not agree ({' vs '.join(quals)})"
            out.append(Finding("internal", "same_figure", "consistent" if agree else "flagged",
                               [span_of(x) for x in g], why))
    return out


def _date_context(d: _Doc, a: Claim, b: Claim) -> bool | None:
    """True: same time (both sentences undated, or dates that overlap); False: different dates;
    None: one is dated and the other is not."""
    pa, pb = d.dates(a), d.dates(b)
    if not pa and not pb:
        return True
    if not pa or not pb:
        return None
    return any(_overlap(x, y) for x, _ in pa for y, _ in pb)


def _different_figures(d: _Doc) -> list[Finding]:
    by_entity: dict[tuple, list[Claim]] = {}
    for c in d.claims:
        if c.kind != "count" or not c.entity:
            continue
        by_entity.setdefault(d.entity_key(c), []).append(c)
    out = []
    for ek, cs in by_entity.items():
        if len(cs) < 2 or len({_canon(float(c.value)) for c in cs}) < 2:
            continue
        clash = []
        same_time = False
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                if a.extra.get("range") is not None and a.extra.get("range") == b.extra.get("range"):
                    continue
                if claim_interval(float(a.value), a.qualifier).overlaps(claim_interval(float(b.value), b.qualifier)):
                    continue
                clash.append((a, b))
                if _date_context(d, a, b) is True:
                    same_time = True
        if not clash:
            continue
        involved = sorted({id(x): x for pair in clash for x in pair}.values(), key=lambda x: x.start)
        entity = involved[0].entity
        why = f"different figures for «{entity}»: " + ", ".join(f"«{x.text}» ({_describe(x)})" for x in involved)
        if same_time:
            why += "; nothing in the sentences sets them apart in time"
            verdict = "contradicted"
        else:
            dated = [f"«{x.text}»: {', '.join(t for _, t in d.dates(x)) or 'no date'}" for x in involved]
            why += "; the sentences speak of different times (" + "; ".join(dated) + ")"
            verdict = "flagged"
        out.append(Finding("internal", "different_figures", verdict, [span_of(x) for x in involved], why))
    return out


def _pair_candidates(d: _Doc, r: Claim) -> list[tuple[Claim, Claim, str]]:
    """Pairs of figures a stated multiple or change may relate, nearest first: the ends of a
    range or the two sides of a comparison in the same paragraph; else the only two
    figures of one kind in the same sentence."""
    para = d.paragraph(r)
    pairs = []
    seen = set()
    here = d.by_paragraph.get(para, [])
    for rid in dict.fromkeys(c.extra.get("range") for c in here if c.extra.get("range") is not None):
        ms = sorted(d.ranges[rid], key=lambda x: x.start)
        if len(ms) >= 2 and ms[0].kind in SIDE_KINDS and r not in ms and d.paragraph(ms[0]) == para:
            pairs.append((ms[0], ms[-1], "range"))
    for c in here:
        ct = c.extra.get("compared_to")
        if not isinstance(ct, dict) or c is r or c.kind not in SIDE_KINDS:
            continue
        other = d.by_span.get((ct.get("start"), ct.get("end")))
        if other is None or other is r:
            continue
        key = frozenset((id(c), id(other)))
        if key in seen:
            continue
        seen.add(key)
        first, second = sorted((c, other), key=lambda x: x.start)
        # "X contre Y", "X مقابل Y": the first is the newer figure
        pairs.append((second, first, "comparison"))
    pairs = [p for p in pairs if (m0 := measure(p[0].kind, p[0].value, p[0].unit)) and
             (m1 := measure(p[1].kind, p[1].value, p[1].unit)) and m0[0] == m1[0]]
    if pairs:
        def distance(p):
            s, e = min(p[0].start, p[1].start), max(p[0].end, p[1].end)
            return (not d.same_sentence(p[0], r), max(s - r.end, r.start - e, 0))
        return sorted(pairs, key=distance)
    sides = [c for c in d.by_sentence.get(d.sentence(r), []) if c is not r and c.kind in SIDE_KINDS
             and not (r.kind == "percent" and c.kind == "percent" and c.extra.get("change"))]
    if len(sides) == 2:
        m0, m1 = (measure(x.kind, x.value, x.unit) for x in sides)
        if m0 and m1 and m0[0] == m1[0] and _canon(m0[1]) != _canon(m1[1]):
            return [(sides[0], sides[1], "sentence")]
    return []


def _rounding(v: float) -> float:
    """Half a unit in the last decimal place of ``v`` as it would be written."""
    s = f"{v:.10g}"
    if "e" in s:
        return 0.0
    decimals = len(s.split(".")[1]) if "." in s else 0
    return 0.5 * 10 ** -decimals


def _stated_holds(stated: float, qualifier: str, computed: float) -> bool:
    slack = max(RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
    if qualifier == "approx":
        slack = max(2 * RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
    return claim_interval(stated, qualifier, slack, approx=0).overlaps(Interval(computed, computed))


def _recomputed(d: _Doc) -> list[Finding]:
    out = []
    for r in d.claims:
        change = r.extra.get("change")
        if r.kind == "ratio":
            what = "multiple"
        elif r.kind == "percent" and change in ("increase", "decrease"):
            what = "change"
        elif r.kind in ("money", "count", "quantity") and change in ("increase", "decrease"):
            what = "change"
        else:
            continue
        if not isinstance(r.value, (int, float)):
            continue
        pairs = _pair_candidates(d, r)
        if r.kind in ("money", "count", "quantity"):  # an amount of change: only figures it can be subtracted from
            rm = measure(r.kind, r.value, r.unit)
            pairs = [p for p in pairs if p[2] != "sentence" and measure(p[0].kind, p[0].value, p[0].unit)[0] == rm[0]]
        if not pairs:
            continue
        old_c, new_c, how = pairs[0]
        a = measure(old_c.kind, old_c.value, old_c.unit)[1]
        b = measure(new_c.kind, new_c.value, new_c.unit)[1]
        if how == "sentence" and (change == "decrease") == (a < b):
            # order unknown: the change's direction tells which is the earlier
            a, b, old_c, new_c = b, a, new_c, old_c
        if a <= 0 or b <= 0:
            continue
        spans = [span_of(r, "stated"), span_of(old_c, "from"), span_of(new_c, "to")]
        stated = float(r.value)
        problems = []
        if how == "range" and change in ("increase", "decrease") and (b > a) != (change == "increase") and a != b:
            problems.append(f"it says {change} but the figures go from {fmt_number(a)} to {fmt_number(b)}")
        if what == "multiple":
            computed = max(a, b) / min(a, b) if stated >= 1 else min(a, b) / max(a, b)
            label = f"{fmt_number(_tidy(round(computed, 3)))}×"
            ok = _stated_holds(stated, r.qualifier, computed)
            alt_ok = False
        elif r.kind == "percent":
            old, new = (a, b) if how == "range" else ((min(a, b), max(a, b)) if change == "increase" else (max(a, b), min(a, b)))
            computed = abs(new - old) / old * 100
            label = f"{fmt_number(_tidy(round(computed, 2)))}%"
            ok = _stated_holds(stated, r.qualifier, computed)
            alt_ok = False
            if old_c.kind == "percent" and not ok:  # "de 9 % à 12 %, +3": points, not per cent
                points = abs(new - old)
                alt_ok = _stated_holds(stated, r.qualifier, points)
                if alt_ok:
                    computed, label = points, f"{fmt_number(_tidy(round(points, 2)))} points"
        else:
            computed = abs(b - a) / _factor(r.kind, r.unit)
            label = fmt_number(_tidy(round(computed, 6)))
            ok = _stated_holds(stated, r.qualifier, computed)
            alt_ok = False
        holds = (ok or alt_ok) and not problems
        why = (f"«{r.text}» ({_describe(r)}) recomputed from «{old_c.text}» and «{new_c.text}»"
               f" ({'range' if how == 'range' else 'compared figures' if how == 'comparison' else 'same sentence'}): {label}")
        why += " — holds" if holds else " — does not hold"
        if problems:
            why += "; " + "; ".join(problems)
        out.append(Finding("internal", what, "consistent" if holds else "contradicted", spans, why,
                           expected=_tidy(round(computed, 6)), difference=_rel(stated, computed)))
    return out


def _marker_re(words: list[str], lang: str | None, rulebook: Any, at_end: bool) -> Any:
    folded = sorted({" ".join(_phrase_words(w, lang, rulebook)) for w in words} - {""}, key=len, reverse=True)
    if not folded:
        return None
    alt = "|".join(r"\s+".join(regex.escape(p) for p in w.split()) for w in folded)
    if at_end:  # the marker, then at most three words (a qualifier), then the figure
        return regex.compile(rf"(?<!\w)(?:{alt})(?:\W+\w+){{0,3}}\W*\Z")
    return regex.compile(rf"\A\W*(?:\w+\W+){{0,3}}?(?:{alt})(?!\w)")


_TERMINAL = regex.compile(r"\p{Terminal_Punctuation}")


def _clause_break(s: str) -> bool:
    """A full stop, colon, semicolon, question or exclamation mark, in any script (Unicode
    terminal punctuation other than a comma): a part and its whole are not on both sides."""
    return any(_TERMINAL.match(ch) and "COMMA" not in unicodedata.name(ch, "") for ch in s)


def _above_100(p: Claim) -> bool:
    """Every value the percentage allows is above 100 (``120 %``, ``plus de 100 %``)."""
    if isinstance(p.value, bool) or not isinstance(p.value, (int, float)):
        return False
    iv = claim_interval(float(p.value), p.qualifier)
    return iv.lo > 100 or (iv.lo == 100 and iv.lo_open)


def _parts(d: _Doc) -> list[Finding]:
    out = []
    lang = d.lang
    if not d.text or lang is None:
        return out
    L = _language(lang, d.rulebook)
    words = L.parts if L is not None else {}
    before = _marker_re(words.get("part_before", []), lang, d.rulebook, at_end=True)
    after = _marker_re(words.get("whole_after", []), lang, d.rulebook, at_end=False)
    share = _marker_re(words.get("share_after", []), lang, d.rulebook, at_end=False)
    reported: set[int] = set()
    ordered = sorted(d.claims, key=lambda x: x.start)
    for i, p in enumerate(ordered):
        if p.kind not in SIDE_KINDS:
            continue
        pm = measure(p.kind, p.value, p.unit)
        if pm is None:
            continue
        whole = None
        if before is not None:
            lead = fold(d.text[max(d.sentence(p)[0], p.start - 60):p.start], lang, d.rulebook)
            if before.search(lead):
                prior = [w for w in d.by_sentence.get(d.sentence(p), []) if w.kind in SIDE_KINDS
                         and w.kind != "percent" and w.end <= p.start]
                if p.kind != "percent":
                    prior = [w for w in prior if measure(w.kind, w.value, w.unit)[0] == pm[0]]
                whole = prior[-1] if prior else None
                if whole is None and p.kind == "percent":
                    whole = p  # "dont 46,8 %": a share of what came before, whatever its kind
        if whole is None and after is not None and p.kind != "percent":
            nxt = next((w for w in d.by_sentence.get(d.sentence(p), []) if w.start >= p.end and w is not p), None)
            if nxt is not None and nxt.kind == p.kind and measure(nxt.kind, nxt.value, nxt.unit)[0] == pm[0]:
                gap = fold(d.text[p.end:nxt.start], lang, d.rulebook)
                if after.search(gap) and len(_WORD.findall(gap)) <= 6 and not _clause_break(gap):
                    whole = nxt
        if whole is None:
            continue
        if p.kind == "percent":
            reported.add(id(p))
            over = _above_100(p)
            spans = [span_of(p, "part")] + ([span_of(whole, "whole")] if whole is not p else [])
            why = f"«{p.text}» is a share of a whole" + (f" («{whole.text}»)" if whole is not p else "")
            why += ": above 100 %" if over else ": at most 100 %"
            out.append(Finding("internal", "part_whole", "contradicted" if over else "consistent", spans, why,
                               expected=100, difference=_rel(float(p.value), 100.0) if over else None))
            continue
        pi = claim_interval(pm[1], p.qualifier)
        wm = measure(whole.kind, whole.value, whole.unit)
        wi = claim_interval(wm[1], whole.qualifier)
        bigger = pi.lo > wi.hi or (pi.lo == wi.hi and (pi.lo_open or wi.hi_open) and math.isfinite(pi.lo))
        why = f"«{p.text}» is part of «{whole.text}»: {_describe(p)} " + ("> " if bigger else "≤ ") + _describe(whole)
        if bigger:
            why = "the part is larger than its whole: " + why
        out.append(Finding("internal", "part_whole", "contradicted" if bigger else "consistent",
                           [span_of(p, "part"), span_of(whole, "whole")], why,
                           expected=whole.value, difference=_rel(pm[1], wm[1]) if bigger else None))
    for p in ordered:
        if p.kind != "percent" or id(p) in reported or p.extra.get("change"):
            continue
        if not _above_100(p):
            continue
        tail = fold(d.text[p.end:p.end + 30], lang, d.rulebook)
        is_share = share is not None and bool(share.match(tail)) and len(tail) > 0
        if is_share:
            why = f"«{p.text}» is a share («{d.text[p.end:p.end + 12].strip()}…») and a share cannot exceed 100 %"
        else:
            why = (f"«{p.text}» is above 100 % and not stated as a change: a share cannot exceed 100 %; "
                   "if it is a growth rate, say so in the text")
        out.append(Finding("internal", "percent_over_100", "contradicted" if is_share else "flagged",
                           [span_of(p)], why, expected=100, difference=_rel(float(p.value), 100.0)))
    return out


# --- across documents ---------------------------------------------------------------------

def check_across(documents: Iterable[Iterable[Claim | dict]], *, rulebook: Any = None,
                 min_docs: int = 2) -> list[Finding]:
    """The same figure (kind, unit, base value, compatible qualifier) in ``min_docs`` documents
    or more, in any language: one finding per figure, every occurrence quoted."""
    groups: dict[tuple, list[Claim]] = {}
    order: list[tuple] = []
    for claims in documents:
        for c in (as_claim(x) for x in claims):
            if c.kind not in ACROSS_KINDS:
                continue
            m = measure(c.kind, c.value, c.unit)
            if m is None:
                continue
            key = (m[0], _canon(m[1]))
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(c)
    out = []
    for key in order:
        cs = groups[key]
        up = [c for c in cs if _DIRECTION.get(c.qualifier, 0) > 0]
        down = [c for c in cs if _DIRECTION.get(c.qualifier, 0) < 0]
        neutral = [c for c in cs if not _DIRECTION.get(c.qualifier, 0)]
        clusters = [neutral + up, down] if (up and down) else [cs]
        for g in clusters:
            g = sorted(g, key=lambda c: cs.index(c))
            if key[0] == "count" and key[1] < ACROSS_MIN_COUNT:
                g = _same_noun(g, rulebook)
            if len({c.doc for c in g}) < min_docs:
                continue
            quals = {c.qualifier for c in g}
            docs = list(dict.fromkeys(c.doc for c in g))
            why = (f"{fmt_number(g[0].value)} {g[0].unit or g[0].kind} in {len(docs)} documents: "
                   + "; ".join(f"{c.doc} «{c.text}» ({c.qualifier}{', ' + c.lang if c.lang else ''})" for c in g))
            intervals = [claim_interval(measure(c.kind, c.value, c.unit)[1], c.qualifier) for c in g]
            agree = all(a.overlaps(b) for i, a in enumerate(intervals) for b in intervals[i + 1:])
            if len(quals) > 1:
                why += f"; the qualifier changes ({', '.join(sorted(quals))})"
                if not agree:
                    why += ": one says exactly what another bounds"
            if len({c.unit for c in g}) > 1:
                why += f"; in different units ({', '.join(sorted({c.unit or '-' for c in g}))})"
            out.append(Finding("across", "across", "consistent" if agree else "flagged",
                               [span_of(c) for c in g], why))
    return out


def _same_noun(g: list[Claim], rulebook: Any) -> list[Claim]:
    """Small counts: keep the largest set sharing one counted noun (same language)."""
    keys: dict[tuple, list[Claim]] = {}
    for c in g:
        if c.entity:
            keys.setdefault((c.lang, tuple(_WORD.findall(fold(c.entity, c.lang, rulebook)))), []).append(c)
    return max(keys.values(), key=lambda cs: len({c.doc for c in cs}), default=[])


# --- output ----------------------------------------------------------------------------------

def _span_line(s: dict, with_doc: bool) -> str:
    role = f"{s['role']}: " if s.get("role") else ""
    doc = f"{s['doc']} " if with_doc else ""
    return f"{role}{doc}{s['start']}-{s['end']} {s['text']}"


def make_finding_writer(fmt: str, out: IO[str], *, bom: bool = False) -> Writer:
    """A writer with the calls of :func:`coopfacts.outputs.writers.make_writer` (``write``,
    ``end_document``, ``close``) for finding records (``Finding.to_dict()``): JSON and
    JSON Lines as for claims, CSV with :data:`FINDING_FIELDS`, a table per document."""
    if fmt in ("json", "jsonl"):
        return make_writer(fmt, out)
    if fmt == "csv":
        return FindingCsvWriter(out, bom=bom)
    if fmt == "table":
        return FindingTableWriter(out)
    raise ValueError(f"unknown format {fmt!r} for findings; expected one of table, json, jsonl, csv")


class FindingCsvWriter(Writer):
    """Columns :data:`FINDING_FIELDS`; ``spans`` and ``also`` as JSON."""

    def __init__(self, out: IO[str], bom: bool = False):
        super().__init__(out)
        if bom:
            out.write("\ufeff")
        self.csv = csv.writer(out)
        self.csv.writerow(FINDING_FIELDS)

    def write(self, record: dict) -> None:
        self.csv.writerow([_cell(record.get(k)) for k in FINDING_FIELDS])


class FindingTableWriter(TableWriter):
    """One table per document (and one for the groups across documents)."""

    columns = ("verdict", "finding", "doc", "spans", "expected", "diff", "why")

    def write(self, r: dict) -> None:
        spans = r.get("spans") or []
        docs = {s.get("doc") for s in spans}
        diff = r.get("difference")
        self.rows.append([
            _cell(r.get("verdict")), _cell(r.get("finding")),
            _cell(r.get("doc")) if len(docs) < 2 else f"{len(docs)} documents",
            "\n".join(_span_line(s, len(docs) > 1) for s in spans),
            fmt_number(r["expected"]) if r.get("expected") is not None else "",
            "" if diff is None else f"{diff * 100:+.1f}%", _cell(r.get("why")),
        ])

    def end_document(self) -> None:
        if self.rows:
            from rich.table import Table
            from rich.text import Text

            table = Table(show_lines=True)
            for name in self.columns:
                table.add_column(name, overflow="fold", ratio=3 if name == "why" else None)
            for row in self.rows:
                table.add_row(*(Text(cell) for cell in row))
            self.console.print(table)
            self.rows = []
        self.out.flush()


# --- one call for a document -----------------------------------------------------------------

def check_document(text: str, claims: Iterable[Claim | dict], *, reference: Sequence[ReferenceRow] | None = None,
                   internal: bool = True, rulebook: Any = None,
                   default_tolerance: tuple[float, bool] | None = None) -> list[Finding]:
    """Reference findings (when a table is given) then internal findings, for one document."""
    claims = [as_claim(c) for c in claims]
    out: list[Finding] = []
    if reference:
        out += check_reference(claims, text, reference, rulebook=rulebook, default_tolerance=default_tolerance)
    if internal:
        out += check_internal(claims, text, rulebook=rulebook)
    return out
