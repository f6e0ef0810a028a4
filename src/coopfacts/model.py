"""Small typed records: documents and claims."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

# the kinds of claim, the qualifiers a figure may carry and the calendars a date is written in:
# defined here once for every layer
CLAIM_KINDS = ("count", "money", "percent", "ratio", "duration", "quantity", "date")
QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "at_most")
CALENDARS = ("gregorian", "jalali", "hijri")
# what `check` says of a figure, and the order of gravity where several findings concern one
VERDICTS = ("supported", "contradicted", "unverified", "consistent", "flagged")
SEVERITY = ("contradicted", "flagged", "supported", "consistent", "unverified")

FIELDS = (
    "doc", "lang", "start", "end", "text", "kind", "value", "unit", "unit_text", "qualifier",
    "entity", "sentence_start", "sentence_end", "rule",
)
OPTIONAL_FIELDS = (
    "calendar", "gregorian_years", "gregorian_range", "range", "relative", "change", "compared_to", "dateline",
    "unit_from",
)
# how a sum's currency was decided (`unit_from`): the word names it; several currencies share the
# word and the document names the country of one; the sentence's currency carried to a bare sum;
# or no evidence (the rule file's plain reading, or the currency left unknown)
UNIT_FROM = ("written", "country", "sentence", "default")


@dataclass
class Document:
    id: str
    text: str
    lang: str | None = None  # None: detect
    path: str | None = None


@dataclass
class Claim:
    """One quantified claim. ``start``/``end`` index the ORIGINAL text (code points)."""

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
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in FIELDS}
        if self.calendar is not None:
            d["calendar"] = self.calendar
        d.update(self.extra)
        return d

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
