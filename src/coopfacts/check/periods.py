"""The days a date stands for: ``2023`` is 2023-01-01..2023-12-31, ``1402`` (Jalali) the
Gregorian days of that year."""
from __future__ import annotations

import datetime as _dt

from coopfacts.model import Claim


def date_period(value: str, calendar: str | None = None, extra: dict | None = None) -> tuple[_dt.date, _dt.date] | None:
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
        if calendar in ("jalali", "hijri") and len(parts) <= 2:
            # a year or a month of a year in its own calendar's numbers (1402, 1404-07)
            from coopfacts.engine import dates

            if len(parts) == 2:
                m = int(parts[1])
                next_y, next_m = (y + 1, 1) if m == 12 else (y, m + 1)
            else:
                m, next_y, next_m = 1, y + 1, 1
            first = dates.to_gregorian(calendar, y, m, 1)
            return first, dates.to_gregorian(calendar, next_y, next_m, 1) - _dt.timedelta(days=1)
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


def claim_period(c: Claim) -> tuple[_dt.date, _dt.date] | None:
    """The days a date claim stands for (``None`` for other claims)."""
    return date_period(c.value, c.calendar, c.extra) if c.kind == "date" else None


def overlap(a: tuple[_dt.date, _dt.date], b: tuple[_dt.date, _dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def calendar_period(calendar: str, value: str) -> tuple[_dt.date, _dt.date] | None:
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
