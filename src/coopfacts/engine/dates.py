"""Calendar conversion for date claims, done by well-kept libraries:
jdatetime for the Solar Hijri (Jalali) calendar, hijridate for the lunar Hijri
(Umm al-Qura) calendar.  No month arithmetic is written here by hand.
"""
from __future__ import annotations

import datetime as _dt


class BadDate(ValueError):
    pass


# a day and month without a year, in a calendar other than the Gregorian: ``XXXX-MM-DD`` with the
# calendar's name as RFC 9557 writes it (``XXXX-03-15[u-ca=persian]`` is 15 Khordad, not 15 March)
CALENDAR_TAGS = {"jalali": "persian", "hijri": "islamic-umalqura"}


_CONVERTED: dict[tuple[str, int, int, int], _dt.date | str] = {}  # a date, or why there is none


def to_gregorian(calendar: str, year: int, month: int, day: int) -> _dt.date:
    # news repeats its dates, and a calendar library's constructor is costly next to the
    # rest of a claim: each conversion is kept (a few hundred bytes per distinct date)
    key = (calendar, year, month, day)
    hit = _CONVERTED.get(key)
    if hit is None:
        try:
            hit = _convert(calendar, year, month, day)
        except BadDate as exc:
            hit = str(exc)
        if len(_CONVERTED) > 100_000:
            _CONVERTED.clear()
        _CONVERTED[key] = hit
    if isinstance(hit, str):
        raise BadDate(hit)
    return hit


def _convert(calendar: str, year: int, month: int, day: int) -> _dt.date:
    try:
        if calendar == "gregorian":
            return _dt.date(year, month, day)
        if calendar == "jalali":
            import jdatetime

            return jdatetime.date(year, month, day).togregorian()
        if calendar == "hijri":
            from hijridate import Hijri

            return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError) as exc:
        raise BadDate(str(exc)) from None
    raise BadDate(f"unknown calendar {calendar!r}")


def date_value(calendar: str, year: int | None, month: int | None, day: int | None) -> tuple[str, dict]:
    """ISO 8601 value (Gregorian) and extra fields for a date written in ``calendar``.

    - full date: converted (``۲۹ مرداد ۱۴۰۲`` -> ``2023-08-20``)
    - Gregorian year and month: ``2023-12``; a year alone: ``2023``
    - day and month without a year: ``XXXX-MM-DD`` (never guessed); in another calendar than the
      Gregorian, tagged with it: ``XXXX-03-15[u-ca=persian]``
    - a Jalali or Hijri year alone keeps its own number, with the Gregorian
      years it straddles in ``gregorian_years``
    - a Jalali or Hijri month of a year keeps its own numbers too (``مهر ۱۴۰۴``: ``1404-07``): it
      straddles two Gregorian months (23 September - 22 October 2025), so no Gregorian month
      is its value; its Gregorian first and last day are in ``gregorian_range``
    - a Jalali or Hijri date also gets ``date_start``, ``date_end`` (its first and last Gregorian
      day) and ``grain`` (year, month or day); Gregorian ones are read off the value
      (``model.date_span``)
    """
    extra: dict = {}
    if year is None:
        if month is None or day is None:
            raise BadDate("a date needs a year or a day and month")
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise BadDate("day or month out of range")
        tag = CALENDAR_TAGS.get(calendar)
        if tag:
            extra["grain"] = "day"
        return f"XXXX-{month:02d}-{day:02d}" + (f"[u-ca={tag}]" if tag else ""), extra
    if month is None:
        if calendar == "gregorian":
            return f"{year:04d}", extra
        first = to_gregorian(calendar, year, 1, 1)
        last = _last_day(calendar, year, 12)
        extra["gregorian_years"] = sorted({first.year, last.year})
        extra.update(date_start=first.isoformat(), date_end=last.isoformat(), grain="year")
        return f"{year:04d}", extra
    if day is None:
        if calendar == "gregorian":
            if not 1 <= month <= 12:
                raise BadDate("month out of range")
            return f"{year:04d}-{month:02d}", extra
        first = to_gregorian(calendar, year, month, 1)
        last = _last_day(calendar, year, month)
        extra["gregorian_range"] = [first.isoformat(), last.isoformat()]
        extra.update(date_start=first.isoformat(), date_end=last.isoformat(), grain="month")
        return f"{year:04d}-{month:02d}", extra
    iso = to_gregorian(calendar, year, month, day).isoformat()
    if calendar != "gregorian":
        extra.update(date_start=iso, date_end=iso, grain="day")
    return iso, extra


def _last_day(calendar: str, year: int, month: int) -> _dt.date:
    for day in (31, 30, 29):
        try:
            return to_gregorian(calendar, year, month, day)
        except BadDate:
            continue
    raise BadDate("no last day")
