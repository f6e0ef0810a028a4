"""Property tests: offsets survive normalisation, and extraction never breaks them.

Texts are drawn from a weighted alphabet of what Arabic, Persian and French news
actually contains (letters of the three scripts, digits of three scripts, number
separators, every kind of space, ZWNJ/ZWJ, tatweel, diacritics, bidi controls)
plus fragments of real number words and units, so that the rules fire often.

COOPFACTS_FUZZ_EXAMPLES sets the number of examples per test (default 200, which
keeps CI fast); run e.g. ``COOPFACTS_FUZZ_EXAMPLES=5000 pytest tests/test_span_property.py``
for a deeper search.
"""
from __future__ import annotations

import math
import os

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coopfacts import extract
from coopfacts.rulebook import get_rulebook
from coopfacts.text.normalize import DELETE_CLASS, DETACHED_CLASS

MAX_EXAMPLES = int(os.environ.get("COOPFACTS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

LANGS = ("ar", "fa", "fr")

# --- the alphabet -----------------------------------------------------------------

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةىٱ"
PERSIAN_LETTERS = "پچژگکیۀ"
LATIN = "abcdeilmnoprstuzAEMéèêëàâçîïôùûüÉÀÇ'"
ASCII_DIGITS = "0123456789"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
NUMBER_PUNCT = ".,٫٬،/-:"
DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0653))
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
FRAGMENTS = [
    # Persian
    "هزار", "میلیون", "میلیارد", "تومان", "ریال", "درصد", "بیش از", "حدود", "دست\u200cکم",
    "یک", "دو", "سه", "بیست و پنج", "صد", "نفر", "سال", "فروردین", "۱۴۰۲", "میلیون\u200cها",
    # Arabic
    "ألف", "آلاف", "مليون", "ملايين", "مليار", "درهم", "دولار", "دينار", "بالمئة", "في المائة",
    "نحو", "أكثر من", "خمسة", "عشرون", "ثلاثة عشر", "مائة", "يناير", "٢٠٢٣", "عاماً",
    # French
    "millions", "milliards", "mille", "euros", "dollars", "%", "pour cent", "plus de",
    "environ", "vingt", "quatre-vingt-dix", "cent", "janvier", "2024", "ans", "d'euros",
    # signs
    "%", "٪", "$", "€",
]

# (weight, strategy) pairs; hypothesis has no weighted sampled_from, so repeat.
_WEIGHTED = [
    (6, st.sampled_from(ARABIC_LETTERS)),
    (3, st.sampled_from(PERSIAN_LETTERS)),
    (4, st.sampled_from(LATIN)),
    (4, st.sampled_from(ASCII_DIGITS)),
    (3, st.sampled_from(ARABIC_INDIC_DIGITS)),
    (3, st.sampled_from(PERSIAN_DIGITS)),
    (3, st.sampled_from(NUMBER_PUNCT)),
    (7, st.just(" ")),
    (1, st.sampled_from(["\u00a0", "\u202f", "\u2009"])),
    (2, st.just("\u200c")),  # ZWNJ
    (1, st.just("\u200d")),  # ZWJ
    (1, st.just("\u0640")),  # tatweel
    (2, st.sampled_from(DIACRITICS)),
    (2, st.sampled_from(BIDI)),
    (1, st.sampled_from([chr(c) for c in range(0xE000, 0xE010)] + ["\u0301", "\u0654"])),  # PUA, NFD marks
    (1, st.just("\n")),
    (6, st.sampled_from(FRAGMENTS)),
]
PIECE = st.one_of(*[s for w, s in _WEIGHTED for _ in range(w)])

# Claim-shaped stretches, so that money / percent / date rules fire as often as counts:
# [qualifier] figure [scale] unit, glued with any kind of space or mark.
_DIGIT_SCRIPTS = [ASCII_DIGITS, ARABIC_INDIC_DIGITS, PERSIAN_DIGITS]
_GLUE = st.sampled_from([" ", " ", " ", "\u00a0", "\u202f", "\u200c", "\u200f", " \u200f", "", "\u0640", "-"])


@st.composite
def _figure(draw):
    script = draw(st.sampled_from(_DIGIT_SCRIPTS))
    head = draw(st.integers(1, 999))
    groups = draw(st.lists(st.integers(0, 999), max_size=3))
    sep = draw(st.sampled_from([",", ".", "٬", " ", "\u202f", "'"]))
    s = str(head) + "".join(f"{sep}{g:03d}" for g in groups)
    if draw(st.booleans()):
        s += draw(st.sampled_from([".", ",", "٫", "/"])) + str(draw(st.integers(0, 99)))
    return s.translate(str.maketrans("0123456789", script))


_SCALES = ["هزار", "میلیون", "میلیارد", "ألف", "مليون", "مليار", "ملايين", "mille", "millions", "milliards"]
_UNITS = ["تومان", "ریال", "درصد", "دلار", "درهم", "دولار", "دينار", "بالمئة", "%", "٪", "euros", "d'euros",
          "dollars", "pour cent", "نفر", "شخص", "personnes", "سال", "عاما", "ans", "€", "$"]
_QUALS = ["بیش از", "حدود", "نحو", "أكثر من", "حوالي", "plus de", "environ", "près de", "moins de"]


@st.composite
def _claimish(draw):
    parts = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(_QUALS)))
    parts.append(draw(_figure()) if draw(st.integers(0, 3)) else draw(st.sampled_from(FRAGMENTS)))
    for _ in range(draw(st.integers(0, 2))):
        parts.append(draw(st.sampled_from(_SCALES)))
    if draw(st.integers(0, 3)):
        parts.append(draw(st.sampled_from(_UNITS)))
    out = parts[0]
    for p in parts[1:]:
        out += draw(_GLUE) + p
    return out


_ANY_PIECE = st.one_of(PIECE, PIECE, PIECE, _claimish())
# hypothesis keeps lists short by default; draw the length first to get news-sized texts too
TEXTS = st.integers(0, 50).flatmap(lambda n: st.lists(_ANY_PIECE, min_size=n, max_size=n)).map("".join)

_DELETE_RE = regex.compile(f"[{DELETE_CLASS}]")
_DETACHED_RE = regex.compile(f"[{DETACHED_CLASS}]")
_TOKENS = regex.compile(r"\w+|\s+|.", regex.S)
# a day and month without a year in another calendar carries it, as RFC 9557 writes one
_DATE_VALUE = regex.compile(r"(?:\d{4}|XXXX)(?:-\d{2}(?:-\d{2})?)?|XXXX-\d{2}-\d{2}\[u-ca=(?:persian|islamic-umalqura)\]")


def _normalizer(lang):
    return get_rulebook().language(lang).normalizer


def _boundaries(s: str) -> list[int]:
    """Word-ish boundaries: the ends of every word, space run and other character."""
    b = {0, len(s)}
    for m in _TOKENS.finditer(s):
        b.add(m.start())
        b.add(m.end())
    return sorted(b)


_COMPOSING_RE = regex.compile("[\u0300-\u036f\u0653-\u0655]")


# --- (a) the offset map -------------------------------------------------------------

@FUZZ
@given(text=TEXTS)
@example(text="")
@example(text="\u200f\u200f")
@example(text="\u200f١٢٣\u0651\u200f ألفًا")
@example(text="مـــلیون\u200c\u200d۲۹٫۵")
def test_span_maps_into_the_original_and_is_monotone(text):
    for lang in LANGS:
        normalizer = _normalizer(lang)
        nt = normalizer(text)
        assert nt.original == text
        n = len(nt.text)
        starts = [nt.to_original_start(i) for i in range(n + 1)]
        ends = [nt.to_original_end(j) for j in range(n + 1)]
        assert all(0 <= x <= len(text) for x in starts + ends)
        assert starts == sorted(starts), "to_original_start is not monotone"
        assert ends == sorted(ends), "to_original_end is not monotone"
        assert ends[0] == 0 or n == 0
        for i in range(n):
            # every normalised character covers at least one original character
            assert starts[i] < ends[i + 1]
        composes = _COMPOSING_RE.search(text) is not None  # letter + mark pairs become one character
        if not normalizer.expand and not composes:
            # deletions only: characters map one-to-one and in order; whatever is
            # not covered by a normalised character is a deleted character
            covered = set(starts[:n])
            for i in range(n):
                assert ends[i + 1] == starts[i] + 1
                assert normalizer(text[starts[i]]).text == nt.text[i]
            for k, ch in enumerate(text):
                if k not in covered:
                    assert _DELETE_RE.fullmatch(ch), f"{ch!r} at {k} vanished but is not deletable"

        bounds = _boundaries(nt.text)
        for a, s in enumerate(bounds):
            for e in bounds[a:a + 8]:
                os_, oe = nt.span(s, e)
                assert 0 <= os_ <= oe <= len(text)
                if e > s:
                    assert oe > os_
                    # the mapped stretch never starts with a deleted character ...
                    assert not _DELETE_RE.fullmatch(text[os_])
                    # ... and ends on its last character or on marks/tatweel after it
                    # (the strict form, "only marks right after it", is pinned in test_normalize.py)
                    tail = text[nt.to_original_end(e):oe]
                    assert all(_DELETE_RE.fullmatch(ch) for ch in tail), tail
                    assert not _DETACHED_RE.fullmatch(text[oe - 1])
                    if not normalizer.expand and not composes:
                        # and normalises back to exactly the normalised stretch
                        assert normalizer(text[os_:oe]).text == nt.text[s:e]
                # monotone in both ends
                if e < n:
                    os2, oe2 = nt.span(s, e + 1)
                    assert os2 == os_ and oe2 >= oe
                if s > 0 and e > s:
                    os3, oe3 = nt.span(s - 1, e)
                    assert os3 <= os_ and oe3 == oe


# --- (b) and (c) claims -------------------------------------------------------------

def _check_claims(text, claims):
    for c in claims:
        assert 0 <= c.start < c.end <= len(text), c
        assert text[c.start:c.end] == c.text, c
        assert not _DELETE_RE.fullmatch(c.text[0]) and not _DETACHED_RE.fullmatch(c.text[-1]), c
        if c.kind == "date":
            assert isinstance(c.value, str) and _DATE_VALUE.fullmatch(c.value), c
        else:
            assert isinstance(c.value, (int, float)) and not isinstance(c.value, bool), c
            assert math.isfinite(c.value), c
        if c.unit_text is not None:
            assert c.unit_text in c.text or c.unit_text in text, c
        if c.sentence_start is not None:
            assert 0 <= c.sentence_start <= c.start
    starts = [c.start for c in claims]
    assert starts == sorted(starts)


@FUZZ
@given(text=TEXTS)
@example(text="بیش از ۲۹ هزار صندوق")
@example(text="\u200f٥٠\u200f٪ من ٣٫٥ مليون دولار")
@example(text="entre 10\u202fet 20\u00a0% des 54 millions d'euros")
@example(text="۲۰/۰۲/۲۰۲۴ و ۱۴۰۱/۱۴۰۲")
def test_claims_point_into_the_original(text):
    for lang in LANGS:
        _check_claims(text, extract(text, lang=lang))  # (c): must not raise


@FUZZ
@given(text=TEXTS)
@example(text="1 فروردین")  # a Jalali day without a year: its value carries the calendar
def test_extraction_with_language_detection_never_raises(text):
    _check_claims(text, extract(text))


# --- huge numerals ------------------------------------------------------------------
# Regression: before 8caddf8 ("over-long digit runs are no figures") parse_digits
# turned a digit run into float(int(...)): 309+ digits raised OverflowError, 4301+
# digits ValueError (int max str digits), and a long run with a decimal mark, or one
# scaled past 1.8e308, gave the value inf.  The strategy above never draws such runs.

_BIG = "1" + "0" * 300  # 1e300: still a finite float
_HUGE_CASES = [
    # (id, lang, text, what the engine did before 8caddf8)
    ("400-digits-ar", "ar", "9" * 400, "OverflowError"),
    ("400-digits-fa", "fa", "۹" * 400, "OverflowError"),
    ("400-digits-fr", "fr", "9" * 400, "OverflowError"),
    ("5000-digits-ar", "ar", "5" * 5000, "ValueError"),
    ("decimal-fa", "fa", "1" * 400 + ".5 درصد", "value inf"),
    ("decimal-ar", "ar", "1" * 400 + ".5 %", "value inf"),
    ("decimal-fr", "fr", "1" * 400 + ",5 %", "value inf"),
    ("scaled-fa", "fa", _BIG + " هزار میلیارد تومان", "value inf"),
    ("scaled-ar", "ar", _BIG + " ألف مليار دولار", "value inf"),
    ("scaled-fr", "fr", _BIG + " mille milliards d'euros", "value inf"),
]


@pytest.mark.parametrize("lang,text,before", [c[1:] for c in _HUGE_CASES], ids=[c[0] for c in _HUGE_CASES])
def test_huge_numerals_neither_raise_nor_give_infinity(lang, text, before):
    _check_claims(text, extract(text, lang=lang))


# --- private-use characters ------------------------------------------------------
# The extractor masks every numeral with private-use characters U+E000–U+E00F. The
# same characters in the INPUT (PDF text set in fonts with private-use glyphs carries
# them) must not be taken for masks: the normaliser maps them to U+FFFD.


@pytest.mark.parametrize(
    "lang,text",
    [
        ("fr", "janvier \ue001"),  # got KeyError: 8
        ("fr", "en \ue001"),  # got KeyError: 3
        ("fa", "فروردین \ue001"),  # got KeyError: 8
        ("ar", "يناير \ue001"),  # got KeyError: 6
    ],
)
def test_private_use_mask_characters_in_the_input(lang, text):
    _check_claims(text, extract(text, lang=lang))
