"""Reading one cell of a reference table: a number, a tolerance, a date or period, a unit, or a
figure written as in an article (read by the extractor, in the language that reads it best)."""
from __future__ import annotations

import datetime as _dt
import unicodedata
from typing import Any

import regex

from coopfacts.check.figures import fmt_number, tidy
from coopfacts.check.periods import calendar_period, claim_period, date_period
from coopfacts.check.text import rulebook_or_default
from coopfacts.model import Claim
from coopfacts.units import registry

_NUMBER = regex.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
ISO_DATE = regex.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


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


DECIMAL_MARKS = ("auto", ".", ",")
_SPACES = regex.compile(r"[\s\u00a0\u202f\u2009_']")
_GROUPED = {",": regex.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"),
            ".": regex.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")}


def parse_number(text: str, decimal: str = "auto") -> float | None:
    """A number as people type it in a table: ``1500``, ``1 500``, ``1,500``, ``1.500.000``,
    ``59,5``, ``1,234.5``, ``1.234,5``, ``۱۲٫۵``, ``١٬٥٠٠``, ``-3``, ``3e7``; None otherwise.

    ``decimal`` is the table's decimal mark: ``.`` (``1,500`` is 1500), ``,`` (``1,500`` is
    1.5, ``1.500`` is 1500), or ``auto``: a mark followed by groups of three digits that is
    not the only mark of its kind ends thousands (``1,500,000``, ``1.500.000``), a lone comma
    before exactly three digits too (``1,500``: a spreadsheet's thousands), any other lone
    comma or point is the decimal mark (``59,5``, ``12.5``)."""
    t = _ascii_digits(text.strip()).replace("\u066c", "").replace("\u2212", "-")  # ٬ only ever groups thousands
    t = t.replace("\u066b", "," if decimal == "," else ".")  # ٫ is the decimal mark
    grouped_by_space = regex.fullmatch(r"[+-]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?", t)
    if not grouped_by_space and regex.search(r"\d\s+\d", t):
        return None  # "12 34": two numbers, not one
    t = _SPACES.sub("", t)
    if _NUMBER.fullmatch(t) and not (decimal == "," and "." in t):
        return float(t)
    commas, points = t.count(","), t.count(".")
    if commas and points:  # both: the last one is the decimal mark
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if dec == "," else ","
        if decimal not in ("auto", dec) or not _GROUPED[thousands].fullmatch(t):
            return None
        return float(t.replace(thousands, "").replace(",", "."))
    mark = "," if commas else "."
    if decimal == "auto":
        lone = (commas or points) == 1
        is_thousands = _GROUPED[mark].fullmatch(t) and (not lone or mark == ",")
        dec = None if is_thousands else mark
    else:
        dec = mark if mark == decimal else None
    if dec is None:
        return float(t.replace(mark, "")) if _GROUPED[mark].fullmatch(t) else None
    if (commas or points) != 1:
        return None
    t = t.replace(",", ".")
    return float(t) if _NUMBER.fullmatch(t) else None


def _ascii_digits(t: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in t)


def _read_cell(text: str, rulebook: Any, dates: bool) -> list[Claim]:
    """The claims of a table cell, in the language that reads most of it (a cell is too short
    for language detection: ``3.15 همت`` has no letter peculiar to Persian)."""
    from coopfacts.engine import Engine

    engine = Engine(rulebook_or_default(rulebook))
    try:
        first = engine.language_of(text, "auto")
    except ValueError:
        first = None
    best: list[Claim] = []
    cover = 0
    for code in [first, *(c for c in engine.languages if c != first)]:
        if code is None:
            continue
        found = [c for c in engine.extract(text, code) if (c.kind == "date") == dates]
        n = sum(c.end - c.start for c in found)
        if found and n > cover:
            best, cover = found, n
    return best


def parse_date(text: str, rulebook: Any, calendar: str | None = None) -> tuple[tuple[_dt.date, _dt.date], str] | None:
    """A date cell: ISO (``2023``, ``2023-08``, ``2023-08-20``), a period ``A/B`` (also ``A..B``,
    ``A–B``, ``2019-2023``), ``jalali:1402`` or ``hijri:1445-09`` for other calendars, or a date
    as written in the text (``مهر ۱۴۰۲``, ``1445 هـ``)."""
    t = text.strip()
    head, colon, rest = t.partition(":")
    if colon and head.strip().lower() in ("jalali", "hijri", "gregorian") and calendar is None:
        got = parse_date(rest, rulebook, head.strip().lower())
        return (got[0], t) if got else None
    for sep in ("..", "/", "–", "—"):
        if sep in t:
            a, _, b = t.partition(sep)
            pa, pb = parse_date(a, rulebook, calendar), parse_date(b, rulebook, calendar)
            if pa and pb:
                return (min(pa[0][0], pb[0][0]), max(pa[0][1], pb[0][1])), t
            return None
    iso = _ascii_digits(t) if calendar else t
    m = regex.fullmatch(r"([0-9]{4})-([0-9]{4})", iso)
    if m:
        return parse_date(f"{m[1]}..{m[2]}", rulebook, calendar)
    if ISO_DATE.fullmatch(iso):
        p = date_period(iso) if calendar in (None, "gregorian") else calendar_period(calendar, iso)
        return (p, t) if p else None
    ps = [p for p in (claim_period(c) for c in _read_cell(t, rulebook, dates=True)) if p]
    if not ps:
        return None
    return (min(p[0] for p in ps), max(p[1] for p in ps)), t


def figure_from_text(text: str, rulebook: Any) -> Claim | None:
    """The one figure written in a table cell such as ``44 همت`` or ``240 millions de dirhams``."""
    found = _read_cell(text, rulebook, dates=False)
    return found[0] if len(found) == 1 else None


def read_unit(text: str, rulebook: Any = None) -> tuple[str, str | None]:
    """The unit column: ``(unit, kind)``, kind ``None`` where the cell does not tell.

    A code of the unit registry (``rules/units.yaml``) reads as the registry spells it: ``%``,
    ``ratio``, ``year``/``month``/``week``/``day``/``hour``/``minute``, ``t``/``kg``/``ha``/``km2``…,
    ``kW``/``MWh``…; an ISO 4217 code stays as it is (``MAD``; ``mad`` is upper-cased).  Any other
    word is looked up in the units of the rule files (``words`` and ``before``), in the language
    that reads the cell first, then in the others: a unit word as written in an article reads as
    its code (the percent word, the toman, a currency name).  A word that stands for a multiple of
    its unit (factor other than 1: a decade, a billion toman) is refused: the value would be in
    another unit than the one the row names.  Raises ValueError.
    """
    t = text.strip()
    known = registry().get(t)
    if known is not None and known.kind != "money":  # a code of the registry, as it spells it (``kw`` is kW)
        return known.code, known.kind
    if regex.fullmatch(r"[A-Z]{3}", t):
        return t, "money"
    from coopfacts.engine import Engine

    rb = rulebook_or_default(rulebook)
    try:
        first = Engine(rb).language_of(t, "auto")
    except ValueError:
        first = None
    for code in dict.fromkeys([first, *rb.languages]):
        if code is None:
            continue
        L = rb.language(code)
        entry = L.units.get(L.unit_key(L.normalizer(t).text))
        if entry is None:
            continue
        unit = "ratio" if entry.kind == "ratio" else (entry.code or t)
        if entry.factor != 1:
            raise ValueError(f"unit: {t!r} is {fmt_number(tidy(entry.factor))} {unit} ({code} rules); "
                             f"write the unit {unit} with the value in {unit}, "
                             "or the figure as written in the value column")
        known = registry().get(unit)
        if entry.kind == "quantity" and known is not None and known.kind == "quantity":
            unit = known.code
        return unit, entry.kind
    if regex.fullmatch(r"[A-Za-z]{3}", t):
        return t.upper(), "money"
    return t, None
