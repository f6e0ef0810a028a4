"""Small typed records: documents and claims."""
from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from coopfacts.digest import hex_digest

SCHEMA_VERSION = "2.0"

# the kinds of claim, the qualifiers a figure may carry and the calendars a date is written in:
# defined here once for every layer
CLAIM_KINDS = ("count", "money", "percent", "ratio", "duration", "quantity", "date")
QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "at_most")
CALENDARS = ("gregorian", "jalali", "hijri")
# what `check` says of a figure, and the order of gravity where several findings concern one
VERDICTS = ("supported", "contradicted", "unverified", "consistent", "flagged")
SEVERITY = ("contradicted", "flagged", "supported", "consistent", "unverified")

# A claim record (schema 2.0): every key in every record, in this order, null where it does not apply
# (``relative`` and ``dateline`` are false). README "Output record" describes each one.
FIELDS = (
    "id", "doc", "lang", "start", "end", "text", "context", "kind", "value", "number", "unit", "unit_text",
    "unit_from", "qualifier", "entity", "change", "compared_to", "date_start", "date_end", "grain", "calendar",
    "gregorian_years", "gregorian_range", "range", "relative", "dateline", "rule", "sentence_start",
    "sentence_end", "schema_version",
)
# the keys a Claim keeps as attributes; the others of FIELDS are worked out (id, number,
# schema_version) or kept in Claim.extra
CLAIM_ATTRS = ("doc", "lang", "start", "end", "text", "kind", "value", "unit", "unit_text", "qualifier",
               "entity", "sentence_start", "sentence_end", "rule", "calendar", "context")
FALSE_WHEN_EMPTY = ("relative", "dateline")
GRAINS = ("year", "month", "day")
CONTEXT_MAX = 600  # a sentence longer than this (characters) is shown as a window around the claim
CONTEXT_SIDE = 240  # characters kept either side of the claim in such a window
# how a sum's currency was decided (`unit_from`): the word names it; several currencies share the
# word and the document names the country of one; the sentence's currency carried to a bare sum;
# the story's one currency, to a bare sum a noun naming a sum stands by; or no evidence (the rule
# file's plain reading, or the currency left unknown)
UNIT_FROM = ("written", "country", "sentence", "story", "default")


@dataclass
class Document:
    id: str
    text: str
    lang: str | None = None  # None: detect
    path: str | None = None
    date: _dt.date | None = None  # its publication date (a corpus's --date-field): its reference date


def claim_id(doc: str | None, start: int, end: int, occurrence: int = 0) -> str:
    """A claim's id: 16 hex digits from its document id and span, the same on every run and
    machine (``check`` findings name claims by it).  ``occurrence``: the n-th document of a run
    with the same id (1, 2...), so that ids stay unique in a run with repeated document ids."""
    key = f"{doc if doc is not None else ''}\x1f{start}\x1f{end}" + (f"\x1f{occurrence}" if occurrence else "")
    return hex_digest(key.encode("utf-8", "surrogatepass"), 8)


def context_of(text: str, sentence_start: int, sentence_end: int, start: int, end: int) -> str:
    """The claim's sentence as written; a sentence over :data:`CONTEXT_MAX` characters is cut to
    :data:`CONTEXT_SIDE` characters either side of the claim (at a space where one is near), its
    cut ends marked ``…``.  Always holds ``text[start:end]``."""
    s, e = min(sentence_start, start), max(sentence_end, end)
    if e - s > CONTEXT_MAX:
        lo, hi = max(s, start - CONTEXT_SIDE), min(e, end + CONTEXT_SIDE)
        if lo > s:
            space = text.find(" ", lo, start)
            lo = space + 1 if 0 <= space < lo + 40 else lo
        if hi < e:
            space = text.rfind(" ", end, hi)
            hi = space if space >= 0 and space > hi - 40 else hi
        return ("…" if lo > s else "") + text[lo:hi].strip() + ("…" if hi < e else "")
    return text[s:e].strip()


_ISO_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_span(value: Any) -> tuple[str | None, str | None, str | None]:
    """``(date_start, date_end, grain)`` of a Gregorian ISO value: ``2023`` is 2023-01-01 to
    2023-12-31 (year), ``2023-02`` its month's days (month), ``2023-02-05`` that day; a value
    without a year (``XXXX-03-15``) has a grain and no days."""
    if not isinstance(value, str):
        return None, None, None
    if value.startswith("XXXX-"):
        return None, None, "day" if value.count("-") == 2 else "month"
    m = _ISO_DAY.fullmatch(value)
    if m is None:
        return None, None, None
    y, mo, d = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    try:
        if not mo:
            return f"{y:04d}-01-01", f"{y:04d}-12-31", "year"
        last = _calendar.monthrange(y, mo)[1]
        if not d:
            return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{last:02d}", "month"
        if 1 <= d <= last:
            return value, value, "day"
    except (ValueError, IndexError, _calendar.IllegalMonthError):
        pass
    return None, None, None


@dataclass
class Claim:
    """One quantified claim. ``start``/``end`` index the ORIGINAL text (code points).

    :meth:`to_dict` gives its record (:data:`FIELDS`, schema :data:`SCHEMA_VERSION`)."""

    doc: str | None
    lang: str
    start: int
    end: int
    text: str
    kind: str
    value: Any
    unit: str | None = None
    unit_text: str | None = None
    qualifier: str = "exact"
    entity: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    rule: str | None = None
    calendar: str | None = None
    context: str | None = None  # the sentence's text (a window of it when it is very long)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Stable for the same document id and span (see :func:`claim_id`)."""
        return claim_id(self.doc, self.start, self.end)

    @property
    def number(self) -> int | float | None:
        """The value as a number for every kind but date (None for a date)."""
        v = self.value
        if self.kind == "date" or isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        return v

    def to_dict(self) -> dict[str, Any]:
        """The record: every key of :data:`FIELDS`, null where it does not apply."""
        x = self.extra
        d: dict[str, Any] = dict.fromkeys(FIELDS)
        d.update({k: getattr(self, k) for k in CLAIM_ATTRS})
        d["id"] = self.id
        d["number"] = self.number
        for k, v in x.items():
            d[k] = v
        for k in FALSE_WHEN_EMPTY:
            d[k] = bool(d[k])
        if self.kind == "date" and d["grain"] is None and self.calendar in (None, "gregorian"):
            d["date_start"], d["date_end"], d["grain"] = date_span(self.value)
        d["schema_version"] = SCHEMA_VERSION
        return d

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Claim:
        """The claim of a record :meth:`to_dict` gave (of this schema or the one before)."""
        known: dict[str, Any] = {k: record.get(k) for k in CLAIM_ATTRS if k in record}
        derived = ("id", "number", "schema_version")
        extra = {k: v for k, v in record.items()
                 if k not in CLAIM_ATTRS and k not in derived and v is not None
                 and not (k in FALSE_WHEN_EMPTY and v is False)}
        return cls(**known, extra=extra)

    def __repr__(self) -> str:
        bits = [f"{self.kind} {self.value!r}"]
        if self.unit:
            bits.append(self.unit)
        if self.qualifier != "exact":
            bits.append(self.qualifier)
        return f"Claim({self.text!r} [{self.start}:{self.end}] {' '.join(bits)})"


def clean_number(v: float) -> int | float:
    """Integers print as integers (44000000000000, not 4.4e13)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e18:
        return int(v)
    if isinstance(v, float):
        return float(f"{v:.12g}")
    return v


NUMBER_FIELDS = ("doc", "lang", "start", "end", "text", "kind", "value", "weak")


@dataclass
class NumberRecord:
    """One numeral, claim or not (``coopfacts numbers``). ``start``/``end`` index the ORIGINAL text."""

    doc: str | None
    lang: str
    start: int
    end: int
    text: str
    kind: str  # number | ordinal
    value: int | float
    weak: bool = False  # a number only in form: an article (un, یک, أحد) or a bare fraction

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in NUMBER_FIELDS}
