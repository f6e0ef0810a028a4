"""The numeral layer: digit conventions, number words, scales, and what is no number."""
from __future__ import annotations

import pytest

from coopfacts import load
from coopfacts.engine.numbers import parse_digits


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
    _, nt, nums = load().read(text, lang)
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
    ("fa", "یکصد و بیست", [("یکصد و بیست", 120)]),             # یکصد is one hundred, not one
    ("fa", "یکصد میلیون", [("یکصد میلیون", 1e8)]),
    ("fa", "۵ هزارمیلیارد", [("۵ هزارمیلیارد", 5e12)]),        # scale words typed glued
    ("fa", "سیصدهزار", [("سیصدهزار", 3e5)]),
    ("fr", "12'480", [("12'480", 12480)]),                    # the Swiss group mark
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


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "vingt\n\ncent", [20, 100]),          # a blank line: two paragraphs, two numbers
    ("fa", "سی و سه\n\nصد و هجده", [33, 118]),
    ("ar", "3\nالرابع", [3, 4]),                  # a line break: no fraction 3/4
])
def test_numbers_stop_at_line_and_paragraph_breaks(lang, text, expected):
    assert [v for _, v in values(text, lang)] == expected


def test_zwnj_joins_number_words():
    # a ZWNJ between number words separates them as a space would (یک‌سوم = 1/3); after
    # another word it does not start a number (زیان‌ده, above)
    assert values("دو‌هزار نفر", "fa") == [("دو‌هزار", 2000)]
    import coopfacts
    [share] = coopfacts.extract("یک‌سوم از کارکنان", "fa")
    assert (share.text, share.kind, share.value) == ("یک‌سوم", "ratio", pytest.approx(0.3333))


def test_twenty_thirty_stay_apart():
    assert [v for _, v in values("بین 20 30 نفر", "fa")] == [20, 30]


# --- the anchored scan (numbers.numeral_matches) finds what one whole scan finds ---------

from pathlib import Path  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st

from coopfacts.engine.numbers import _literal_scan, numeral_matches  # noqa: E402
from coopfacts.rulebook import get_rulebook  # noqa: E402
from coopfacts.text import literals  # noqa: E402

_ROOT = Path(__file__).resolve().parents[1]


def _spans(lang, text, whole):
    return [m.span() for m in numeral_matches(lang, text, whole=whole)]


def _literal_spans(lang, text):
    """The anchored scan from the automaton's anchors (the engine's way when the text's case
    folding keeps every character in place); None where that way does not apply."""
    folded = text.casefold()
    if not literals.available() or len(folded) != len(text):
        return None
    starts = _literal_scan(lang).starts(folded)
    return [m.span() for m in numeral_matches(lang, text, starts=starts)]


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_anchored_scan_equals_whole_scan_on_articles(code):
    L = get_rulebook().language(code)
    texts = [p.read_text(encoding="utf-8") for d in ("samples", "tests/dev")
             for p in sorted((_ROOT / d).glob(f"*{code}-*.txt"))]
    text = L.normalizer("\n\n".join(texts)).text
    assert len(text) > 10_000  # long enough for the anchored path
    whole = _spans(L, text, True)
    assert whole and _spans(L, text, False) == whole
    assert _literal_spans(L, text) in (None, whole)


def _pieces(L):
    """Bits that make and break numerals: lexicon words (any case, with clitics), digits
    with marks and signs, connectors, spaces of every length, letters glued on."""
    words = sorted(L.numbers.words)
    clitics = sorted(set(L.clitics)) or [""]
    word = st.builds(lambda c, w, up: (c + (w.upper() if up else w)),
                     st.sampled_from(["", *clitics]), st.sampled_from(words), st.booleans())
    digits = st.from_regex(r"-?[.,]?[0-9]{1,4}([.,  ٫٬/][0-9]{1,3}){0,3}(e[0-9])?[KM%]?", fullmatch=True)
    glue = st.sampled_from([" ", "  ", " " * 70, "\n", "-", " - ", "\u200c", "x", "ab", "(", "½", "ß", "İ", "ſ",
                            *sorted(L.numbers.connectors)[:6], *(" " + c + " " for c in sorted(L.numbers.connectors)[:6])])
    return st.lists(st.one_of(word, digits, glue), min_size=1, max_size=40).map("".join)


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_anchored_scan_equals_whole_scan_property(code):
    L = get_rulebook().language(code)

    @settings(max_examples=150, deadline=None)
    @given(_pieces(L), st.integers(0, 3))
    def check(body, pad):
        # padded past the length below which the whole text is scanned anyway
        text = L.normalizer(("صفحة page " * 60)[: 520 + pad] + body).text
        whole = _spans(L, text, True)
        assert _spans(L, text, False) == whole
        assert _literal_spans(L, text) in (None, whole)

    check()
