"""From a pattern's match to a candidate claim: its value, unit and kind; ranges, sums of
several units, dates in any calendar, and relative time against a reference date."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from coopfacts.engine import dates
from coopfacts.engine.window import Window, span_of
from coopfacts.model import clean_number
from coopfacts.rulebook.language import Pattern

Match = Any  # a `regex` match


@dataclass
class Candidate:
    start: int  # normalised offsets of the claim's core (no qualifier)
    end: int
    priority: int
    pattern: Pattern
    kind: str
    value: Any
    unit: str | None = None
    unit_span: tuple[int, int] | None = None
    qualifier: str | None = None
    calendar: str | None = None
    extra: dict[str, Any] | None = None
    members: list[Candidate] | None = None  # a range: its ends, chosen together
    approx: bool = False  # the numeral itself says "about" (une centaine)


class Unresolved:
    """A match not resolved yet, with the span its claim will have: most matches lose to a
    longer or higher one, and are never resolved."""

    __slots__ = ("start", "end", "priority", "pattern", "kind", "match")

    def __init__(self, start: int, end: int, pattern: Pattern, match: Match):
        self.start, self.end, self.priority, self.pattern, self.kind, self.match = (
            start, end, pattern.priority, pattern, pattern.kind, match)


def resolve(w: Window, p: Pattern, m: Match) -> Candidate | None:
    """The candidate a match makes, or None when it makes none (a value it cannot have)."""
    gd = m.groupdict()
    if (p.max_value is not None or p.min_value is not None or p.min_words > 1 or p.fractional) \
            and gd.get("num") is not None:
        n = w.by_start.get(m.start("num"))
        if n is None or (p.max_value is not None and n.value > p.max_value) \
                or (p.min_value is not None and n.value < p.min_value):
            return None  # "(3)" is a footnote marker; "(1 282)" a figure
        if p.fractional and float(n.value).is_integer():
            return None  # "0,3 point" is a share's points; "3 points" may be a team's
        if n.atoms < p.min_words:
            return None  # "یک سوم گندم" is a third of the wheat; "نیم" alone before a noun is often a compound
    if p.kind == "ignore":
        if p.unit is not None and gd.get("unit") is not None:
            entry = w.unit(w.lang.unit_key(w.ntext[m.start("unit"):m.end("unit")]))
            if entry is None or entry.code != p.unit:
                return None  # the figure is in another unit than the pattern's (a time of day is in hours)
        s, e = m.span()
        return Candidate(s, e, p.priority, p, "ignore", None)
    if p.range or p.list:
        return _range(w, p, m)
    if p.sum:
        return _sum(w, p, m)
    s, e = span_of(m, p.span_groups)
    kind, value, approx = p.kind, p.value, False
    if gd.get("num") is not None:
        n = w.by_start.get(m.start("num"))
        if n is None:
            return None
        value, approx = n.value, n.approx
        if kind == "count" and n.cls == "weak" and not n.integer:
            return None  # a bare fraction (ربع, deux tiers) counts nothing
        if p.fraction and not (n.cls == "weak" and 0 < n.value < 1):
            return None  # a share of a whole is a fraction in words, nothing else
        if p.fraction:
            value = round(value, 4)  # a share as the guide writes it: two thirds is 0.6667
        if p.inverse:
            if not value:
                return None
            value = round(1 / value, 4)  # divisé par trois: a factor of 0.3333, as a share is written
    if kind == "date":
        try:
            value, calendar, extra = _date(w, p, m)
        except dates.BadDate:
            return None
        return Candidate(s, e, p.priority, p, "date", value, None, None, p.qualifier, calendar, extra)
    unit, unit_span, how = p.unit, None, "written"
    entry = None
    # `unit` is written with the figure; `carried_unit` is another figure's, which this one
    # leaves unsaid (`cinq ans de prison, dont trois avec sursis`): read, but outside the span
    ug = "unit" if gd.get("unit") is not None else "carried_unit" if gd.get("carried_unit") is not None else None
    if ug is not None:
        entry, how = w.unit_reading(w.lang.unit_key(w.ntext[m.start(ug):m.end(ug)]), m.start(ug))
        if entry is None:
            return None
        unit_span = m.span(ug) if ug == "unit" else None
        if kind == "unit":
            kind = entry.kind
        if entry.dual and gd.get("num") is None:
            value = 2
        value = (1 if value is None else value) * entry.factor
        unit = unit or entry.code
    elif gd.get("dual") is not None and value is None:
        value = 2
    if kind == "unit" or value is None:
        return None
    if gd.get("frac") is not None:  # "deux ans et demi", "une fois et demie": the figure and a fraction
        f = w.by_start.get(m.start("frac"))
        if f is None or f.cls != "weak" or not 0 < f.value < 1 or not isinstance(value, (int, float)):
            return None
        value += f.value * (entry.factor if entry is not None else 1.0)
    if kind == "duration" and unit in _SUMMED_OVER_PEOPLE and gd.get("num") is not None:
        n = w.by_start.get(m.start("num"))
        if n is not None and n.scale >= _MILLION:
            # `50 millions de journées`, `مليون يوم عمل`, `۲۳۰ میلیون شب`: days, nights or hours
            # summed over people (worked, spent in hotels), no span of time: a count of them
            kind, value, unit, unit_span, (s, e) = "count", n.value, None, None, m.span("num")
    if isinstance(value, (int, float)):
        value = clean_number(float(value))
    extra = {"unit_from": how} if kind == "money" else {}
    return Candidate(s, e, p.priority, p, kind, value, unit, unit_span, p.qualifier, None, extra, approx=approx)


_SUMMED_OVER_PEOPLE = ("day", "hour", "week")
_MILLION = 1e6


def _range(w: Window, p: Pattern, m: Match) -> Candidate | None:
    """A range (`10 to 20 dollars`, `2021–2025`): each end is its own claim; the unit written once
    after the last end applies to both."""
    gd = m.groupdict()
    if gd.get("day") is not None and gd.get("month") is not None:
        return _day_range(w, p, m)
    if gd.get("qtr") is not None and gd.get("year") is not None:
        return _quarter_range(w, p, m)
    spans = m.spans("year" if gd.get("year") is not None else "num")
    if len(spans) < 2:
        return None
    nums = [w.by_start.get(s) for s, _ in spans]
    if any(n is None for n in nums):
        return None
    first, last_n = nums[0], nums[-1]
    assert first is not None and last_n is not None
    # "85 à 110 millions de dongs": a bare first end takes the scale the last end wrote with a
    # figure before it ("entre cinq cents et mille": mille alone is the number 1000, no scale)
    borrowed = (last_n.scale if first.scale == 1 and last_n.scale > 1 and first.value < 1000
                and last_n.value != last_n.scale else 1.0)
    entry = unit_span = None
    how = "written"
    if gd.get("unit") is not None:
        unit_span = m.span("unit")
        entry, how = w.unit_reading(w.lang.unit_key(w.ntext[unit_span[0]:unit_span[1]]), unit_span[0])
        if entry is None:
            return None
    kind = entry.kind if p.kind == "unit" and entry else p.kind
    if kind == "unit":
        return None
    if p.scaled and borrowed == 1.0:
        return None  # "entre 20 et 30": no scale to share; each end reads as its own figure
    if kind in ("percent", "ratio") and any(n.scale > 1 for n in nums[:-1] if n is not None):
        return None  # "une hausse de 3,5 milliards ou 18 %": a share is never written in billions
    members: list[Candidate] = []
    for i, (s, e) in enumerate(spans):
        n = nums[i]
        assert n is not None
        last = i == len(spans) - 1
        # a qualifier before the range bounds its first end; "تا" / "à" inside it is no bound, but a
        # bound written right before a later end is that end's (de 21 000 à plus de 40 000 dollars)
        qual = p.qualifier if i == 0 else None if bound_before(w, spans[i - 1][1], s) is not None else "exact"
        end = max(e, unit_span[1]) if (last and unit_span) else e
        if i == 0 and unit_span and unit_span[1] <= s:
            s = unit_span[0]  # "$5-7 million": the sign written before the range opens its first end
        if kind == "date":
            try:
                value, calendar, extra = date_parts(w, p, int(n.value), None, None, None)
            except dates.BadDate:
                return None
            if members and members[0].calendar != calendar:
                return None  # "من 1500 إلى 2000 طالب": a span of years has both ends in one calendar
            members.append(Candidate(s, end, p.priority, p, kind, value, None, None, qual, calendar, extra))
        else:
            own = 1.0 if last or n.scale != 1 else borrowed  # a list's middle figure may have its own scale
            amount = clean_number(n.value * own * (entry.factor if entry else 1.0))
            members.append(Candidate(s, end, p.priority, p, kind, amount, p.unit or (entry.code if entry else None),
                                     unit_span if last else None, qual,
                                     extra={"unit_from": how} if kind == "money" else None))
    return Candidate(members[0].start, members[-1].end, p.priority, p, kind, None, members=members)


def bound_before(w: Window, lo: int, at: int) -> int | None:
    """Where a bound or hedge (the language's qualifiers before a figure) that ends right at
    ``at`` starts, within w.masked[lo:at]; None without one."""
    rx = w.lang.context.qual_before_re
    m = rx.search(w.masked, lo, at) if rx is not None and at > lo else None
    return None if m is None else m.start()


def _sum(w: Window, p: Pattern, m: Match) -> Candidate | None:
    """`20 دولار و43 سنت`, `1 USD et 23 centimes`: one sum, each figure times its own unit.
    A last figure with no unit of its own is in the minor unit of the currency before it
    (`15 dollars 50`, `2 euros et 10`), when written with as many digits as that unit takes."""
    if p.kind == "duration":
        return _hours_and_minutes(w, p, m)
    nums, units = m.spans("num"), m.spans("unit")
    if len(nums) == len(units) + 1 and len(units) == 1:
        return _bare_minor_unit(w, p, m, nums, units[0])
    if len(nums) != len(units) or len(nums) < 2:
        return None
    total, code, factor, how = 0.0, None, None, None
    for (ns, _), (us, ue) in zip(nums, units):
        n = w.by_start.get(ns)
        entry, reading = w.unit_reading(w.lang.unit_key(w.ntext[us:ue]), us)
        how = how or reading
        if n is None or entry is None or entry.kind != "money":
            return None
        if factor is not None and (entry.factor >= factor or entry.factor > 1):
            # "10 euros et 20 euros" are two sums; only a smaller unit adds (cents, or a plain
            # تومان after a همت); a unit that carries its own scale is a sum of its own
            # ("104,7 MMDH et 300 MDH", "3 G$ et 450 M$")
            return None
        factor = entry.factor
        code = code or entry.code  # centimes follow the currency before them
        total += n.value * entry.factor
    return Candidate(nums[0][0], units[-1][1], p.priority, p, "money", clean_number(total), code, units[0],
                     extra={"unit_from": how})


def _hours_and_minutes(w: Window, p: Pattern, m: Match) -> Candidate | None:
    """`ساعتين و١٥ دقيقة`, `۴ ساعت و ۳۰ دقیقه`, `2 heures et 30 minutes`: one duration, in hours
    (the minutes a fraction of the hour: 2.25), as the guide's units stop at the hour; the hours
    may be a dual (ساعتين). Only hours then fewer than sixty minutes."""
    nums, units = m.spans("num"), m.spans("unit")
    if len(units) != 2 or len(nums) not in (1, 2):
        return None
    entries = [w.unit_reading(w.lang.unit_key(w.ntext[s:e]), s)[0] for s, e in units]
    if [e.code if e is not None and e.kind == "duration" else None for e in entries] != ["hour", "minute"]:
        return None
    parts = [w.by_start.get(s) for s, _ in nums]
    if any(n is None or not isinstance(n.value, (int, float)) for n in parts):
        return None
    if len(parts) == 1:  # the hours a dual, the figure the minutes'
        if not (entries[0] is not None and entries[0].dual) or nums[0][0] < units[0][1]:
            return None
        hours = 2.0
    else:
        hours = float(parts[0].value)  # type: ignore[union-attr]
    minutes = float(parts[-1].value)  # type: ignore[union-attr]
    if not 0 < minutes < 60:
        return None
    start = min(units[0][0], nums[0][0])
    return Candidate(start, units[1][1], p.priority, p, "duration", clean_number(round(hours + minutes / 60, 4)),
                     "hour", units[0])


def _bare_minor_unit(w: Window, p: Pattern, m: Match, nums: list[tuple[int, int]],
                     unit: tuple[int, int]) -> Candidate | None:
    whole, minor = (w.by_start.get(s) for s, _ in nums)
    entry, how = w.unit_reading(w.lang.unit_key(w.ntext[unit[0]:unit[1]]), unit[0])
    if (whole is None or minor is None or entry is None or entry.kind != "money" or not entry.code
            or entry.factor != 1 or not whole.integer or whole.scale != 1.0 or whole.cls != "digits"
            or minor.digits_raw is None or not minor.digits_raw.isdigit()):
        return None
    if entry.minor_digits < 1 or len(minor.digits_raw) != entry.minor_digits:
        return None  # "3 dollars 5", a yen has no minor unit: not a price in cents
    value = whole.value + int(minor.digits_raw) / 10 ** entry.minor_digits
    return Candidate(min(nums[0][0], unit[0]), m.end(), p.priority, p, "money", clean_number(value),
                     entry.code, unit, extra={"unit_from": how})


def _day_range(w: Window, p: Pattern, m: Match) -> Candidate | None:
    """`du 2 au 5 novembre`, `بين 8 و10 ماي 2023`: each day is a date with the shared month/year."""
    gd = m.groupdict()
    cal, month = w.lang.dates.months[w.lang.key(gd["month"])]
    year = int(w.by_start[m.start("year")].value) if gd.get("year") is not None else None
    members = []
    days = m.spans("day")
    for i, (s, e) in enumerate(days):
        n = w.by_start.get(s)
        if n is None or not n.integer or not 1 <= n.value <= 31:
            return None
        end = m.end() if i == len(days) - 1 else e
        try:
            value, calendar, extra = date_parts(w, p, year, month, int(n.value), cal, gd.get("calmark"))
        except dates.BadDate:
            return None
        members.append(Candidate(s, end, p.priority, p, "date", value, None, None, "exact", calendar, extra))
    if len(members) < 2:
        return None
    return Candidate(members[0].start, members[-1].end, p.priority, p, "date", None, members=members)


def _quarter_range(w: Window, p: Pattern, m: Match) -> Candidate | None:
    """`Q3 2024`, `the first half of 2024`: a part of a year (a quarter, or the fraction `frac`
    names) is the range of its first and last months, two dates (the part's span holds the first,
    the year's the last)."""
    n = w.by_start.get(m.start("qtr"))
    written = m.group("qtr")
    index = int(n.value) if n is not None and n.integer else int(written) if written.isdigit() else 0
    months = 3
    if m.groupdict().get("frac") is not None:
        part = w.by_start.get(m.start("frac"))
        share = part.value if part is not None and 0 < part.value < 1 else 0.0
        months = round(12 * share)
        if months not in (3, 4, 6) or abs(12 * share - months) > 1e-6:
            return None  # a quarter, a third or a half of the year
    year_n = w.by_start.get(m.start("year"))
    if not 1 <= index <= 12 // max(months, 1) or year_n is None:
        return None
    head_end = m.end("frac") if m.groupdict().get("frac") is not None else m.end("qtr")
    ends = sorted([(min(m.start(), m.start("qtr")), head_end, months * index - months + 1),
                   (m.start("year"), m.end("year"), months * index)])
    members = []
    for s, e, month in ends:
        try:
            value, calendar, extra = date_parts(w, p, int(year_n.value), month, None, None)
        except dates.BadDate:
            return None
        members.append(Candidate(s, e, p.priority, p, "date", value, None, None, "exact", calendar, extra))
    return Candidate(members[0].start, members[-1].end, p.priority, p, "date", None, members=members)


def _date(w: Window, p: Pattern, m: Match) -> tuple[str, str, dict[str, Any]]:
    gd = m.groupdict()
    year = month = day = None
    calendar = p.calendar if p.calendar not in (None, "auto") else None
    if gd.get("year") is not None:
        year = int(w.by_start[m.start("year")].value)
    elif p.short_year is not None and gd.get("num") is not None:
        n = w.by_start.get(m.start("num"))
        if n is None or n.cls != "digits" or not n.integer or len(n.text.strip()) != 2:
            raise dates.BadDate("a short year is two digits")
        year = p.short_year + int(n.value)
    if gd.get("month") is not None:
        cal, month = w.lang.dates.months[w.lang.key(gd["month"])]
        calendar = calendar or cal
    if gd.get("monthnum") is not None:
        n = w.by_start.get(m.start("monthnum"))
        if n is None or not n.integer or not 1 <= n.value <= 12:
            raise dates.BadDate("month")
        month = int(n.value)
    if gd.get("day") is not None:
        n = w.by_start.get(m.start("day"))
        if n is None or not n.integer or not 1 <= n.value <= 31:
            raise dates.BadDate("day")
        day = int(n.value)
    return date_parts(w, p, year, month, day, calendar, gd.get("calmark"))


def date_parts(w: Window, p: Pattern, year: int | None, month: int | None, day: int | None,
               calendar: str | None, calmark: str | None = None) -> tuple[str, str, dict[str, Any]]:
    """A date's value, calendar and extra fields; the calendar from the pattern, a marker (هـ),
    or the range of plausible years it falls in."""
    D = w.lang.dates
    if calendar is None and p.calendar not in (None, "auto"):
        calendar = p.calendar
    if calmark is not None:
        calendar = D.calendar_markers.get(w.lang.key(calmark), calendar)
    if year is not None and calendar is None:
        for cal, (lo, hi) in D.year_ranges.items():
            if lo <= year <= hi and cal in D.alone:
                calendar = cal
                break
        else:
            raise dates.BadDate("year out of every range")
    elif year is not None and calendar is not None:
        rng = D.year_ranges.get(calendar)
        if rng and not rng[0] <= year <= rng[1]:
            raise dates.BadDate("year out of range for its calendar")
    calendar = calendar or "gregorian"
    value, extra = dates.date_value(calendar, year, month, day)
    return value, calendar, extra


def relative(w: Window, p: Pattern, m: Match, ref: _dt.date) -> Candidate | None:
    """Relative time resolved against ``ref`` in the language's calendar for it (a Persian "last
    year" is the last Jalali year)."""
    D = w.lang.dates
    years, months, days, grain = D.relative[w.lang.key(m.group("rel"))]
    cal = D.relative_calendar
    extra: dict[str, Any]
    try:
        if grain == "day":
            value, extra, cal = (ref + _dt.timedelta(days=days)).isoformat(), {}, "gregorian"
        else:
            y, mo = ref.year, ref.month
            if cal == "jalali":
                import jdatetime

                j = jdatetime.date.fromgregorian(date=ref)
                y, mo = j.year, j.month
            if grain == "year":
                value, extra = dates.date_value(cal, y + years, None, None)
            else:
                k = (y * 12 + mo - 1) + months + 12 * years
                value, extra = dates.date_value(cal, k // 12, k % 12 + 1, None)
    except (dates.BadDate, OverflowError, ValueError):  # past the calendar's ends (--reference-date 0001-01-01)
        return None
    s, e = m.span("rel")
    return Candidate(s, e, p.priority, p, "date", value, None, None, "exact", cal, dict(extra, relative=True))
