"""What a qualified figure allows: ``more than 30`` is (30, ∞), ``about 200`` is 190..210."""
from __future__ import annotations

import math
from dataclasses import dataclass

APPROX_TOLERANCE = 0.05  # "about 200": 190..210


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
