"""Dates in three calendars, years, ranges and relative time."""
from __future__ import annotations

import pytest

from coopfacts import extract


def dates(text, lang, **kw):
    return [(c.text, c.value, c.calendar) for c in extract(text, lang, **kw) if c.kind == "date"]


@pytest.mark.parametrize("lang,text,value,calendar", [
    ("fa", "۲۹ مرداد ۱۴۰۲", "2023-08-20", "jalali"),
    ("fa", "۲۷ ارديبهشت ۱۴۰۲", "2023-05-17", "jalali"),          # Arabic yeh in a Persian month name
    ("fa", "۱ فروردین ۱۴۰۳", "2024-03-20", "jalali"),
    ("fa", "۲۵ حوت ۱۴۰۲", "2024-03-15", "jalali"),               # Afghan (Dari) month name
    ("fa", "۱۵ ژانویه ۲۰۲۴", "2024-01-15", "gregorian"),          # Persian name of a Gregorian month
    ("ar", "15 ربيع الأول 1445 هـ", "2023-09-30", "hijri"),
    ("ar", "20 فبراير 2024", "2024-02-20", "gregorian"),
    ("ar", "3 شتنبر 2023", "2023-09-03", "gregorian"),            # Moroccan
    ("ar", "5 جويلية 2022", "2022-07-05", "gregorian"),           # Algerian
    ("ar", "12 تشرين الأول 2023", "2023-10-12", "gregorian"),     # Levantine
    ("ar", "٧ غشت ٢٠٢٣", "2023-08-07", "gregorian"),
    ("fr", "15 décembre 2023", "2023-12-15", "gregorian"),
    ("fr", "1er mai 2024", "2024-05-01", "gregorian"),
    ("fr", "15 déc. 2023", "2023-12-15", "gregorian"),
    ("fr", "le 20/02/2024", "2024-02-20", "gregorian"),
    ("fa", "تاریخ ۱۴۰۲/۰۵/۲۹", "2023-08-20", "jalali"),
    ("fr", "le 2023-08-20", "2023-08-20", "gregorian"),
])
def test_full_dates(lang, text, value, calendar):
    got = dates(text, lang)
    assert len(got) == 1 and got[0][1:] == (value, calendar), got


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "en décembre 2023", [("décembre 2023", "2023-12", "gregorian")]),
    ("fr", "le 16 janvier", [("16 janvier", "XXXX-01-16", "gregorian")]),
    ("ar", "في عام ٢٠٢٣", [("٢٠٢٣", "2023", "gregorian")]),
    ("fa", "در سال ۱۴۰۱", [("۱۴۰۱", "1401", "jalali")]),
    ("fr", "d'ici fin 2024", [("2024", "2024", "gregorian")]),
])
def test_partial_dates(lang, text, expected):
    assert dates(text, lang) == expected


def test_jalali_year_lists_gregorian_years():
    (c,) = [c for c in extract("سال ۱۴۰۲", "fa") if c.kind == "date"]
    assert c.value == "1402" and c.extra["gregorian_years"] == [2023, 2024]


@pytest.mark.parametrize("lang,text,ends", [
    ("fr", "de 2019 à 2023", ["2019", "2023"]),
    ("ar", "بين 2021 و2025", ["2021", "2025"]),
    ("fa", "از ۱۳۹۵ تا ۱۴۰۰", ["1395", "1400"]),
    ("fr", "la campagne 2023/2024", ["2023", "2024"]),
    ("ar", "الموسم الفلاحي 2017-2018", ["2017", "2018"]),
])
def test_ranges_share_an_id(lang, text, ends):
    got = [c for c in extract(text, lang) if c.kind == "date"]
    assert [c.value for c in got] == ends
    assert got[0].extra["range"] == got[1].extra["range"]


@pytest.mark.parametrize("lang,text", [
    ("fr", "la loi n° 112-12 et l'article 2023"),
    ("ar", "القانون رقم 31.13"),
    ("fr", "à 15h30 ou 18:45"),
    ("fa", "ساعت ۱۸:۳۹"),
])
def test_not_dates(lang, text):
    assert dates(text, lang) == []


def test_relative_time_needs_a_reference():
    text = "L'an dernier, 1 500 emplois ont été créés ; hier encore"
    assert dates(text, "fr") == []
    assert dates(text, "fr", reference_date="2024-02-20") == [
        ("L'an dernier", "2023", "gregorian"), ("hier", "2024-02-19", "gregorian")]
    assert all(c.extra.get("relative") for c in extract(text, "fr", reference_date="2024-02-20") if c.kind == "date")


def test_dateline_is_the_reference_and_persian_last_year_is_jalali():
    text = "۲۹ مرداد ۱۴۰۲ - ۱۸:۳۹\nخبر\nسال گذشته ۳۱ همت پرداخت شد و امروز جلسه بود."
    got = {c.text: c for c in extract(text, "fa") if c.kind == "date"}
    assert got["۲۹ مرداد ۱۴۰۲"].extra.get("dateline") is True
    assert got["سال گذشته"].value == "1401" and got["سال گذشته"].calendar == "jalali"
    assert got["امروز"].value == "2023-08-20"


def test_duration_wins_over_relative_time():
    got = extract("طی دو سال گذشته", "fa", reference_date="2023-08-20")
    assert [(c.kind, c.value) for c in got] == [("duration", 2)]


def test_invalid_dates_are_not_full_dates():
    # 31 February does not exist: no day-level date is made up (the year may still stand)
    assert all(len(v) == 4 for _, v, _ in dates("31/02/2024", "fr"))


def test_long_documents_are_read_in_windows_with_whole_text_offsets():
    from coopfacts.engine import windows
    piece = "Au 15 décembre 2023, 504 coopératives (de 2019 à 2023), soit 12 % de plus.\n\n"
    text = piece * (windows.CHUNK_CHARS // len(piece) * 3)
    claims = extract(text, "fr")
    assert len(claims) == len(extract(piece, "fr")) * (text.count(piece))
    assert all(text[c.start:c.end] == c.text for c in claims)
    ranges = [c.extra["range"] for c in claims if "range" in c.extra]
    assert len(set(ranges)) == len(ranges) // 2  # every range keeps its own id across windows
