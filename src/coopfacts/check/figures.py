"""A figure as the checks see it: claims from records, base values, and how a figure is written
in a finding's ``why``.

Comparisons are made on base values: the engine has already applied scale words (``44 همت`` is
44·10¹² toman); the unit registry (``rules/units.yaml``, :mod:`coopfacts.units`) converts toman
to rial (×10), durations (a year is 12 months, a week 7 days; a month is 30.4375 days), masses,
lengths, areas, volumes, power and energy.  No exchange rates: a sum in one currency is never
compared with a sum in another.
"""
from __future__ import annotations

from typing import Any

from coopfacts.model import FIELDS, Claim
from coopfacts.units import registry

SIDE_KINDS = ("count", "money", "quantity", "percent")  # what a multiple, a change or a part can relate


# --- base values: the program's one unit registry ---------------------------------------

def measure(kind: str, value: Any, unit: str | None) -> tuple[str, float] | None:
    """``(dimension, value in base units)`` of a figure; ``None`` for dates and non-numbers
    (:meth:`coopfacts.units.UnitRegistry.measure`).

    >>> measure("money", 10, "IRT")
    ('money:IRR', 100.0)
    """
    return registry().measure(kind, value, unit)


def factor(kind: str, unit: str | None) -> float:
    """One ``unit`` in base units (1 where the unit is unknown)."""
    return registry().factor(kind, unit)


# --- claims and how they are written ---------------------------------------------------

def canon(x: float) -> float:
    """A base value as grouped: nine significant digits (``0.1 + 0.2`` is ``0.3``)."""
    return float(f"{x:.9g}")


QUAL_SIGN = {"exact": "", "approx": "≈", "more_than": ">", "at_least": "≥", "less_than": "<", "at_most": "≤"}


def fmt_number(v: Any) -> str:
    """A number as a finding's ``why`` writes it: ``12 000 000``, ``1.582``."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e16:
        return f"{int(v):,}".replace(",", " ")
    return f"{v:.6g}"


def as_claim(c: Claim | dict) -> Claim:
    """A :class:`Claim` from a claim or from the record ``Claim.to_dict()`` gives."""
    if isinstance(c, Claim):
        return c
    known = {k: c.get(k) for k in FIELDS if k in c}
    extra = {k: v for k, v in c.items() if k not in FIELDS and k != "calendar"}
    return Claim(**known, calendar=c.get("calendar"), extra=extra)


def rel(a: float, b: float) -> float | None:
    """The relative difference of ``a`` from ``b`` (``None`` when ``b`` is 0)."""
    return (a - b) / abs(b) if b else None


def describe(c: Claim) -> str:
    """A claim's value with its qualifier and unit: ``>3 600``, ``≈29%``, ``12 IRT``."""
    unit = f" {c.unit}" if c.unit and c.unit != "%" else ("%" if c.unit == "%" else "")
    return f"{QUAL_SIGN.get(c.qualifier, '')}{fmt_number(c.value)}{unit}"


def tidy(v: Any) -> Any:
    """An integral float as an int, another float to ten significant digits."""
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 2**53:
            return int(v)
        return float(f"{v:.10g}")
    return v


def year_like(c: Claim) -> bool:
    """A bare four-digit count between 1300 and 2100 with no counted noun nor unit: a year the
    extractor did not take for one (``۱۳۹۸``, ``2021``). Never an operand of a change, a
    multiple, a part or a sum."""
    if c.kind != "count" or c.unit or c.entity or isinstance(c.value, bool):
        return False
    if not isinstance(c.value, (int, float)) or not float(c.value).is_integer():
        return False
    digits = [ch for ch in c.text if ch.isdigit()]
    return len(digits) == 4 and len(c.text.strip()) == 4 and 1300 <= c.value <= 2100


def operand(c: Claim) -> bool:
    """A figure a change, a multiple, a part or a sum may relate: a count, sum, quantity or
    percentage with a base value, not a year."""
    return c.kind in SIDE_KINDS and not year_like(c) and measure(c.kind, c.value, c.unit) is not None


def written_slack(c: Claim) -> float:
    """How far a round figure may be from what it rounds, in its own unit: (just under) half the
    unit of its last significant digit when it ends in zeros (``25 400``: 49; ``432 هزار``: 490),
    at most 5 % of it; 0 for a figure with no trailing zero."""
    if isinstance(c.value, bool) or not isinstance(c.value, (int, float)) or not float(c.value).is_integer():
        return 0.0
    v = abs(int(c.value))
    if v == 0:
        return 0.0
    step = 1
    while v % (step * 10) == 0:
        step *= 10
    if step < 10:
        return 0.0
    return min(step * 0.49, 0.05 * v)  # two round figures a step apart (1 100, 1 200) do not meet
