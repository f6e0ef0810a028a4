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

from coopfacts.model import Claim
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
    return Claim.from_dict(c)


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
