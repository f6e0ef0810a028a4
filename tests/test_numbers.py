"""The numeral layer: digit conventions, number words, scales, and what is no number."""
from __future__ import annotations

import pytest

from coopfacts.extract import numerals
from coopfacts.numbers import parse_digits


@pytest.mark.parametrize("raw,groups,decimals,value", [
    ("3.600", ".,", ".,", 3600),          # Arabic: a mark before exactly three digits groups
    ("9.45", ".,", ".,", 9.45),
    ("1,981", ".,", ".,", 1981),
    ("12.000.000", ".,", ".,", 12_000_000),
    ("1,234.56", ".,", ".,", 1234.56),
    ("0,08", ".,", ".,", 0.08),
    ("2,5", " .", ",", 2.5),              # French: the comma is decimal only
    ("2,500", " .", ",", 2.5),
    ("1.500", " .", ",", 1500),
    ("2/5", ",.", "./", 2.5),             # Persian slash as decimal mark
    ("-3.5", ".,", ".", -3.5),
])
def test_parse_digits(raw, groups, decimals, value):
    assert parse_digits(raw, groups, decimals) == pytest.approx(value)


@pytest.mark.parametrize("raw", ["192.168.1.2", "20.02.2024", "1.2.3", "1401/1402", "1402/05/29", "12.34.567"])
def test_not_one_number(raw):
    assert parse_digits(raw, ".,", "./") is None


def values(text, lang):
    _, nums, nt = numerals(text, lang)
    return [(nt.original[slice(*nt.span(n.start, n.end))], n.value) for n in nums if n.cls != "weak"]


@pytest.mark.parametrize("lang,text,expected", [
    ("ar", "ثلاثة آلاف وخمسمائة", [("ثلاثة آلاف وخمسمائة", 3500)]),
    ("ar", "خمسمائة و خمسة و عشرون", [("خمسمائة و خمسة و عشرون", 525)]),
    ("ar", "ثلاثة عشر", [("ثلاثة عشر", 13)]),
    ("ar", "ألفين ومئتين", [("ألفين ومئتين", 2200)]),
    ("ar", "١٢٬٥٠٠ و٨٫٥", [("١٢٬٥٠٠", 12500), ("٨٫٥", 8.5)]),
    ("ar", "مليون وألف", [("مليون وألف", 1_001_000)]),
    ("fa", "۴۴ هزار میلیارد", [("۴۴ هزار میلیارد", 44e12)]),
    ("fa", "دو هزار و پانصد", [("دو هزار و پانصد", 2500)]),
    ("fa", "یک و نیم میلیون", [("یک و نیم میلیون", 1.5e6)]),
    ("fa", "سیصد و بیست و پنج", [("سیصد و بیست و پنج", 325)]),
    ("fa", "۱۲٬۰۰۰ و ۱٫۵ و ۲/۵", [("۱۲٬۰۰۰", 12000), ("۱٫۵", 1.5), ("۲/۵", 2.5)]),
    ("fr", "quatre-vingt-dix-sept", [("quatre-vingt-dix-sept", 97)]),
    ("fr", "soixante et onze", [("soixante et onze", 71)]),
    ("fr", "deux mille cinq cents", [("deux mille cinq cents", 2500)]),
    ("fr", "un million deux cent mille", [("un million deux cent mille", 1_200_000)]),
    ("fr", "1 500 et 6 700,54", [("1 500", 1500), ("6 700,54", 6700.54)]),
    ("fr", "1\u00a0500 et 2\u202f000", [("1\u00a0500", 1500), ("2\u202f000", 2000)]),
    ("fr", "2,5 millions", [("2,5 millions", 2.5e6)]),
])
def test_numeral_values(lang, text, expected):
    got = values(text, lang)
    assert [(t, pytest.approx(v)) for t, v in expected] == got


@pytest.mark.parametrize("lang,text", [
    ("ar", "آلاف المشاركين"),        # a plural scale alone: "thousands of"
    ("fr", "des millions de personnes"),
    ("fa", "میلیون‌ها دلار"),
    ("fa", "روز سه‌شنبه"),           # a weekday, not three
    ("ar", "لست أدري"),              # ل + ست would read as six
])
def test_no_figure(lang, text):
    assert values(text, lang) == []


def test_words_are_not_split_into_numbers():
    # "زیان‌ده" (loss-making) holds ده (ten) after a ZWNJ: one word, no figure
    assert values("تعاونی‌های زیان‌ده", "fa") == []


def test_twenty_thirty_stay_apart():
    assert [v for _, v in values("بین 20 30 نفر", "fa")] == [20, 30]
