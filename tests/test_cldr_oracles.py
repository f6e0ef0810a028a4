"""Oracles from CLDR (through babel, a test dependency): every currency in current use and the
common units, named as CLDR names them in each language, in sentences of our own, must come out
with the right code and value — and never with a wrong one.

A currency name that several currencies share as written (French "franc CFA" is XOF and XAF) is
given its country in the sentence, as a story would: the name alone cannot tell them apart.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest
from babel import Locale
from babel.core import get_global
from babel.numbers import format_decimal, get_currency_name
from babel.units import format_unit

import coopfacts

LANGS = ("ar", "fa", "fr")
COUNTS = (1, 2, 3, 11, 250)  # a number of every plural category of the three languages
# sentences of our own: a sum, then the same sum with a scale word before the currency
SUM = {
    "ar": ("بلغ المبلغ المرصود {n} {name} في نهاية العام{where}.", "بلغ المبلغ المرصود {n} مليون {name} في نهاية العام{where}."),
    "fa": ("مبلغ اختصاص یافته به {n} {name} رسید{where}.", "مبلغ اختصاص یافته به {n} میلیون {name} رسید{where}."),
    "fr": ("Le fonds a reçu {n} {name} à la fin de l'année{where}.",
           "Le fonds a reçu {n} millions de {name} à la fin de l'année{where}."),
}
WHERE = {"ar": " في {country}", "fa": " در {country}", "fr": " ({country})"}
MEASURE = {"ar": "سجلت المحطة {x} خلال الأسبوع.", "fa": "ایستگاه {x} را در این هفته ثبت کرد.",
           "fr": "La station a relevé {x} cette semaine."}
UNITS = {"length-kilometer": "km", "length-meter": "m", "length-centimeter": "cm", "length-millimeter": "mm",
         "length-mile": "mi", "area-square-kilometer": "km2", "area-square-meter": "m2", "area-hectare": "ha",
         "area-acre": "acre", "mass-kilogram": "kg", "mass-gram": "g", "mass-tonne": "t", "volume-liter": "l",
         "volume-cubic-meter": "m3", "volume-barrel": "bbl", "energy-kilowatt-hour": "kWh", "power-kilowatt": "kW",
         "power-megawatt": "MW", "power-gigawatt": "GW", "speed-kilometer-per-hour": "km/h",
         "temperature-celsius": "°C"}
# where the language's own unit is not CLDR's translation: the feddan and the jarib are units of
# their own (rules/<code>/units.yaml), not the acre CLDR names with their words
OWN_UNIT = {("ar", "acre"): "feddan", ("fa", "acre"): "jarib"}
_BRACKETS = re.compile(r"\s*\([^)]*\)")


def _current() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for territory, entries in get_global("territory_currencies").items():
        for code, _start, end, tender in entries:
            if end is None and tender:
                found.setdefault(code, []).append(territory)
    return found


def _name(code: str, n: int, lang: str) -> str:
    return _BRACKETS.sub("", get_currency_name(code, count=n, locale=lang)).strip()


def _currency_cases(lang: str) -> list[tuple[str, str, float]]:
    current = _current()
    loc = Locale.parse(lang)
    names = {code: {_name(code, n, lang) for n in COUNTS} for code in current}
    shared = Counter(form for forms in names.values() for form in forms)
    cases = []
    for code, territories in sorted(current.items()):
        country = next((loc.territories[t] for t in territories if t in loc.territories), "")
        for n in COUNTS:
            plain = _name(code, n, lang)
            scaled = _name(code, 2 if lang == "fr" else 1, lang)  # "millions de dollars", "مليون دولار"
            for template, name, value in ((SUM[lang][0], plain, n), (SUM[lang][1], scaled, n * 1_000_000)):
                where = WHERE[lang].format(country=country) if shared[name] > 1 else ""
                cases.append((template.format(n=n, name=name, where=where), code, value))
    return cases


@pytest.mark.parametrize("lang", LANGS)
def test_every_current_currency_by_its_cldr_names(lang: str) -> None:
    engine = coopfacts.load()
    cases = _currency_cases(lang)
    right, wrong = 0, []
    for text, code, value in cases:
        money = [c for c in engine.extract(text, lang) if c.kind == "money"]
        if money and money[0].unit == code and abs(money[0].value - value) <= 1e-6 * value:
            right += 1
        elif money and money[0].unit not in (code, None):
            wrong.append((text, money[0].unit, money[0].value))
    assert not wrong, f"{len(wrong)} wrong codes: {wrong[:5]}"  # a wrong currency is a wrong claim
    assert right / len(cases) >= 0.98, f"{right}/{len(cases)}"


def _measure_cases(lang: str) -> list[tuple[str, str, float]]:
    cases = []
    for unit, code in UNITS.items():
        for length in ("long", "short"):
            for n in COUNTS:
                written = format_unit(n, unit, length=length, locale=lang)
                if format_decimal(n, locale=lang) not in written and n == 1:
                    continue  # "متر" alone: one metre in words, no figure
                cases.append((MEASURE[lang].format(x=written), OWN_UNIT.get((lang, code), code), n))
    return cases


@pytest.mark.parametrize("lang", LANGS)
def test_common_units_by_their_cldr_names(lang: str) -> None:
    engine = coopfacts.load()
    cases = _measure_cases(lang)
    right, wrong = 0, []
    for text, code, value in cases:
        found = [c for c in engine.extract(text, lang) if c.kind == "quantity"]
        if found and found[0].unit == code and found[0].value == value:
            right += 1
        elif found and found[0].unit != code:
            wrong.append((text, found[0].unit))
    assert not wrong, f"{len(wrong)} wrong units: {wrong[:5]}"
    assert right / len(cases) >= 0.95, f"{right}/{len(cases)}"


def test_a_shared_word_takes_the_currency_of_the_country_named() -> None:
    engine = coopfacts.load()
    text = "Le Premier ministre tunisien a annoncé 40 millions de dinars pour les régions de Tunisie."
    (claim,) = [c for c in engine.extract(text, "fr") if c.kind == "money"]
    assert (claim.unit, claim.extra.get("unit_from")) == ("TND", "country")
    text = "Le budget a prévu 40 millions de dinars."  # no country: the rule file's reading, said so
    (claim,) = [c for c in engine.extract(text, "fr") if c.kind == "money"]
    assert claim.extra.get("unit_from") == "default"
    text = "أعلنت الحكومة الكويتية تخصيص 300 مليون دينار للمشروع."
    (claim,) = [c for c in engine.extract(text, "ar") if c.kind == "money"]
    assert (claim.unit, claim.extra.get("unit_from")) == ("KWD", "country")
