"""The ``dates`` section: months of every calendar, calendar markers, plausible years, and
relative time (a date only against a reference date)."""
from __future__ import annotations

import regex

from coopfacts.rulebook.build import Build
from coopfacts.rulebook.language import DateRules, Pattern
from coopfacts.rulebook.regexes import alternation


def compile_dates(b: Build) -> DateRules:
    section = b.section("dates")
    months: dict[str, tuple[str, int]] = {}
    markers: dict[str, str] = {}
    years: dict[str, tuple[int, int]] = {}
    alone: list[str] = []
    for cal, spec in (section.get("calendars") or {}).items():
        if spec.get("alone", True):
            alone.append(cal)
        for num, ws in (spec.get("months") or {}).items():
            for w in b.norms(ws):
                months[w] = (cal, int(num))
        for w in b.norms(spec.get("markers")):
            markers[w] = cal
        yr = spec.get("years")
        if yr:
            years[cal] = (int(yr[0]), int(yr[-1]))
    relative: dict[str, tuple[int, int, int, str]] = {}
    for item in section.get("relative", []) or []:
        y, mo, d = int(item.get("years", 0)), int(item.get("months", 0)), int(item.get("days", 0))
        grain = "day" if "days" in item else "month" if "months" in item else "year"
        for w in b.norms(item["words"]):
            relative[w] = (y, mo, d, grain)
    return DateRules(months, markers, years, relative, section.get("relative_calendar", "gregorian"), tuple(alone))


def relative_patterns(b: Build, dates: DateRules) -> list[Pattern]:
    """"l'an dernier", "سال گذشته": one pattern for every relative-time word of the language."""
    if not dates.relative:
        return []
    rx = regex.compile(rf"(?<!\w){b.clitic}(?P<rel>{alternation(list(dates.relative))})", regex.IGNORECASE)
    return [Pattern(id="relative-time", kind="date", priority=20, relative=True, source=b.docs[0].path, regex=rx)]
