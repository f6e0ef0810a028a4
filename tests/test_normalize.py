"""Unit tests for the offset-preserving normaliser (src/coopfacts/normalize.py).

The normaliser has two layers:

* one-for-one replacements (``str.translate``): digits of every script -> ASCII,
  space separators -> " ", ZWNJ -> " ", typographic marks, and the letter folds
  of ``rules/<lang>.yaml``.  Length and offsets are unchanged.
* deletions (tatweel, Arabic combining marks, bidi controls, ZWJ, soft hyphen,
  BOM) and expansions, recorded as edits so that ``NormalizedText.span`` maps a
  normalised [s, e) back to the original text.

Every test here states one behaviour of that contract.
"""
from __future__ import annotations

import unicodedata

import pytest
import regex

from coopfacts import extract
from coopfacts.rulebook import get_rulebook
from coopfacts.text.normalize import DELETE_CLASS, DETACHED_CLASS, NormalizedText, Normalizer, base_table

LANGS = ("ar", "fa", "fr")

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669

TATWEEL = "\u0640"
FATHATAN = "\u064b"
DAMMATAN = "\u064c"
KASRATAN = "\u064d"
FATHA, DAMMA, KASRA, SHADDA, SUKUN = "\u064e", "\u064f", "\u0650", "\u0651", "\u0652"
ZWNJ, ZWJ = "\u200c", "\u200d"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"

_DELETE_RE = regex.compile(f"[{DELETE_CLASS}]")
_DETACHED_RE = regex.compile(f"[{DETACHED_CLASS}]")


def norm(lang: str):
    return get_rulebook().language(lang).normalizer


def assert_roundtrip(nt: NormalizedText, s: int, e: int, lang: str) -> None:
    """The original stretch that [s, e) maps to normalises back to exactly nt.text[s:e]."""
    os_, oe = nt.span(s, e)
    assert 0 <= os_ <= oe <= len(nt.original)
    assert norm(lang)(nt.original[os_:oe]).text == nt.text[s:e]


# --- digits -------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("digits", [PERSIAN_DIGITS, ARABIC_INDIC_DIGITS], ids=["persian", "arabic-indic"])
def test_eastern_digits_become_ascii(lang, digits):
    nt = norm(lang)(digits)
    assert nt.text == "0123456789"
    assert nt.edits == []  # one-for-one: no offset bookkeeping needed
    assert nt.span(0, 10) == (0, 10)
    assert nt.span(3, 4) == (3, 4)


@pytest.mark.parametrize("lang", LANGS)
def test_mixed_digit_scripts_in_one_number(lang):
    assert norm(lang)("۱٢3").text == "123"


def test_every_bmp_decimal_digit_maps_to_its_ascii_value():
    table = base_table()
    checked = 0
    for cp in range(0x10000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd":
            want = str(unicodedata.decimal(ch))
            got = table.get(cp, ch)
            assert got == want, f"U+{cp:04X} {unicodedata.name(ch, '?')}: {got!r} != {want!r}"
            checked += 1
    assert checked > 300  # dozens of scripts; a sanity check that the loop ran


@pytest.mark.parametrize("lang", LANGS)
def test_ascii_digits_untouched(lang):
    nt = norm(lang)("2024")
    assert nt.text == "2024" and nt.edits == []


# --- Arabic decimal / thousands separators and percent sign --------------------
# Since commit cb21c98 the engine keeps U+066B/U+066C as they are in the
# normalised text and lists them as the languages' own decimal and group marks
# (rules/ar.yaml, rules/fa.yaml `numbers.decimal_marks` / `group_marks`).  The
# tests pin that contract: the character survives normalisation one-for-one and
# the number grammar reads it with its meaning.

@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_arabic_decimal_separator_kept_one_for_one(lang):
    nt = norm(lang)("۳٫۵")
    assert nt.text == "3\u066b5"
    assert nt.edits == [] and len(nt.text) == 3


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_arabic_thousands_separator_kept_one_for_one(lang):
    nt = norm(lang)("١٬٠٠٠")
    assert nt.text == "1\u066c000"
    assert nt.edits == [] and len(nt.text) == 5


@pytest.mark.parametrize(
    "text,lang,value",
    [
        ("۳٫۵ درصد", "fa", 3.5),
        ("١٢٫٧٥ مليون دولار", "ar", 12_750_000),
        ("١٬٥٠٠ دولار", "ar", 1500),
        ("۲٬۵۰۰٬۰۰۰ تومان", "fa", 2_500_000),
    ],
)
def test_arabic_separators_read_by_the_number_grammar(text, lang, value):
    claims = extract(text, lang=lang)
    assert [c.value for c in claims] == [value]
    assert claims[0].text == text


@pytest.mark.parametrize("lang", LANGS)
def test_arabic_percent_sign_becomes_ascii(lang):
    assert norm(lang)("٥٠٪").text == "50%"


# --- spaces -------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("space", [NBSP, NNBSP, THIN, "\u2007", "\u3000"], ids=["nbsp", "narrow-nbsp", "thin", "figure", "ideographic"])
def test_space_separators_become_space(lang, space):
    nt = norm(lang)(f"1{space}500")
    assert nt.text == "1 500"
    assert nt.edits == []


def test_every_space_separator_becomes_ascii_space():
    table = base_table()
    for cp in range(0x10000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Zs" and ch != " ":
            assert table.get(cp) == " ", f"U+{cp:04X} {unicodedata.name(ch, '?')}"


def test_french_narrow_nbsp_in_number_and_before_percent():
    text = f"1{NNBSP}500{NNBSP}%"
    claims = extract(text, lang="fr")
    assert [(c.value, c.kind) for c in claims] == [(1500, "percent")]
    assert claims[0].text == text


# ZWNJ.  The first design mapped ZWNJ to a space; since commit 37e1de3 ("ZWNJ
# kept as a word joiner") the engine keeps it in the normalised text and treats
# it as a space only where rule words are looked up (rulebook._key and
# rulebook.alternation).  Either way ZWNJ is replaced one-for-one: it is never
# deleted and never costs an offset edit.

@pytest.mark.parametrize("lang", LANGS)
def test_zwnj_is_kept_one_for_one(lang):
    text = f"xx{ZWNJ}yy"
    nt = norm(lang)(text)
    assert nt.edits == []
    assert nt.text == text
    assert nt.span(3, 5) == (3, 5)


@pytest.mark.parametrize(
    "text,value,kind",
    [
        (f"۵۰{ZWNJ}درصد", 50, "percent"),
        (f"۲۰ هزار{ZWNJ}میلیارد تومان", 20_000_000_000_000, "money"),
        (f"دست{ZWNJ}کم ۵۰ درصد", 50, "percent"),
    ],
)
def test_zwnj_joined_words_are_read(text, value, kind):
    claims = extract(text, lang="fa")
    assert [(c.value, c.kind) for c in claims] == [(value, kind)]
    assert text.endswith(claims[0].text)


# Regression: between 37e1de3 (ZWNJ kept) and 8caddf8 ("ZWNJ ends a number word")
# a scale word glued to its unit by ZWNJ lost both, because the `regex` module
# counts ZWNJ as \w (Join_Control) and the scale's (?!\w) word end failed:
# "وام ۱۰۰ میلیون‌تومانی" gave [(100, 'count')].

@pytest.mark.parametrize(
    "text,value",
    [
        (f"وام ۱۰۰ میلیون{ZWNJ}تومانی", 100_000_000),
        (f"۳ میلیون{ZWNJ}تومان", 3_000_000),
    ],
)
def test_scale_glued_to_unit_by_zwnj(text, value):
    claims = extract(text, lang="fa")
    assert [(c.value, c.kind, c.unit) for c in claims] == [(value, "money", "IRT")]


# --- deletions and the offset map -----------------------------------------------
# Two kinds of deleted characters (normalize.ATTACHED_CLASS / DETACHED_CLASS):
# * detached (zero-width space/joiner, bidi controls, ALM, soft hyphen, BOM, word
#   joiner): never part of a mapped span's edges;
# * attached (tatweel, Arabic combining marks): excluded at a span's start, but a run
#   of them right after the span's last character comes along (commit f5bf22b), so
#   that a claim's text keeps its word's vowel marks.

DETACHED = [ZWJ, "\u200b", LRM, RLM, ALM, "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
            "\u2066", "\u2067", "\u2068", "\u2069", "\u00ad", "\ufeff", "\u2060"]
ATTACHED = [TATWEEL, FATHATAN, DAMMATAN, KASRATAN, FATHA, DAMMA, KASRA, SHADDA, SUKUN, "\u0670",
            "\u0610", "\u0653", "\u0654", "\u06ed"]


@pytest.mark.parametrize("ch", DETACHED, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("lang", LANGS)
def test_deleted_detached_character_and_its_offsets(lang, ch):
    nt = norm(lang)(f"ab{ch}cd")
    assert nt.text == "abcd"
    assert nt.span(0, 2) == (0, 2)  # "ab": the deleted mark is not part of it
    assert nt.span(2, 4) == (3, 5)  # "cd": starts after the mark
    assert nt.span(1, 3) == (1, 4)  # "bc": spans the mark
    assert nt.span(2, 3) == (3, 4)


@pytest.mark.parametrize("ch", ATTACHED, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("lang", LANGS)
def test_deleted_attached_character_and_its_offsets(lang, ch):
    nt = norm(lang)(f"ab{ch}cd")
    assert nt.text == "abcd"
    assert nt.span(0, 2) == (0, 3)  # "ab" + the mark that sits on b
    assert nt.span(1, 2) == (1, 3)
    assert nt.span(2, 4) == (3, 5)  # "cd": starts after the mark
    assert nt.span(1, 3) == (1, 4)
    assert nt.span(0, 1) == (0, 1)  # "a": nothing attached to it


def test_tatweel_run_inside_a_word():
    text = "مـــلیون"  # میلیون written with three tatweels after م
    nt = norm("fa")(text)
    assert nt.text == "ملیون"
    assert nt.span(0, 5) == (0, 8)
    assert nt.span(0, 1) == (0, 4)  # م and the tatweels drawn out of it
    assert nt.span(1, 2) == (4, 5)  # ل: starts after the tatweels
    assert nt.span(1, 5) == (4, 8)


def test_tanween_in_the_middle_of_a_word():
    text = "مليونًا"  # مليون + FATHATAN + ا : the mark sits inside the word
    assert text[5] == FATHATAN
    nt = norm("ar")(text)
    assert nt.text == "مليونا"
    assert nt.span(0, 6) == (0, 7)  # the whole word
    assert nt.span(0, 5) == (0, 6)  # مليون and the tanween on its ن
    assert nt.span(5, 6) == (6, 7)  # the final alef alone
    assert nt.span(4, 6) == (4, 7)  # ن + ا across the mark


def test_fully_vocalised_word():
    text = "أَلْفَ"  # alef-hamza fatha lam sukun feh fatha
    nt = norm("ar")(text)
    assert nt.text == "الف"
    assert nt.span(0, 3) == (0, 6)  # with its final fatha
    assert nt.span(0, 1) == (0, 2)
    assert nt.span(1, 2) == (2, 4)  # ل with its sukun
    assert nt.span(2, 3) == (4, 6)
    for s in range(4):
        for e in range(s, 4):
            assert_roundtrip(nt, s, e, "ar")


def test_number_followed_by_rlm():
    text = f"١٢٣{RLM} ألف"
    nt = norm("ar")(text)
    assert nt.text == "123 الف"
    assert nt.span(0, 3) == (0, 3)  # the number without the bidi mark
    assert nt.span(3, 4) == (4, 5)  # the space after the mark
    assert nt.span(0, 7) == (0, 8)


def test_number_mark_percent():
    text = f"٥٠{RLM}٪"
    nt = norm("ar")(text)
    assert nt.text == "50%"
    assert nt.span(0, 2) == (0, 2)
    assert nt.span(2, 3) == (3, 4)
    assert nt.span(0, 3) == (0, 4)


def test_deletions_at_text_start():
    text = f"{RLM}{LRM}١٢٣"
    nt = norm("ar")(text)
    assert nt.text == "123"
    assert nt.span(0, 3) == (2, 5)
    assert nt.span(0, 1) == (2, 3)
    assert nt.to_original_start(0) == 2


def test_attached_mark_at_text_start_is_not_part_of_the_first_word():
    text = f"{FATHA}{TATWEEL}الف"
    nt = norm("ar")(text)
    assert nt.text == "الف"
    assert nt.span(0, 3) == (2, 5)


def test_detached_deletions_at_text_end():
    text = f"١٢٣{RLM}{LRM}"
    nt = norm("ar")(text)
    assert nt.text == "123"
    assert nt.span(0, 3) == (0, 3)
    assert nt.to_original_end(3) == 3
    # an empty span at the very end sits after the deleted tail
    assert nt.span(3, 3) == (5, 5)


def test_attached_deletions_at_text_end():
    text = "ألفًـ"
    nt = norm("ar")(text)
    assert nt.text == "الف"
    assert nt.span(0, 3) == (0, 5)
    assert nt.span(2, 3) == (2, 5)


def test_deletions_at_both_edges_and_inside():
    text = f"{RLM}١{SHADDA}٢{RLM}"
    nt = norm("ar")(text)
    assert nt.text == "12"
    assert nt.span(0, 2) == (1, 4)
    assert nt.span(0, 1) == (1, 3)  # the shadda on ١ comes along
    assert nt.span(1, 2) == (3, 4)


def test_mark_after_a_bidi_control_does_not_stick_to_the_previous_letter():
    nt = norm("ar")(f"a{RLM}{SHADDA}b")
    assert nt.text == "ab"
    assert nt.span(0, 1) == (0, 1)


def test_text_of_only_deletable_characters():
    text = RLM + TATWEEL + FATHA + ZWJ
    nt = norm("fa")(text)
    assert nt.text == ""
    start, end = nt.span(0, 0)
    assert 0 <= start == end <= len(text)


@pytest.mark.parametrize("lang", LANGS)
def test_empty_string(lang):
    nt = norm(lang)("")
    assert nt.text == "" and nt.original == "" and nt.edits == []
    assert nt.span(0, 0) == (0, 0)
    assert extract("", lang=lang) == []


def test_span_without_edits_is_identity():
    nt = norm("fr")("54 % des coopératives")
    assert nt.edits == []
    for s in range(len(nt.text) + 1):
        for e in range(s, len(nt.text) + 1):
            assert nt.span(s, e) == (s, e)


def test_empty_or_reversed_span_collapses_to_a_point():
    nt = norm("ar")(f"ab{RLM}cd")
    assert nt.span(2, 2) == (3, 3)
    assert nt.span(3, 1) == nt.span(3, 3)


def test_roundtrip_for_every_span_of_a_marked_up_sentence():
    text = f"{RLM}بلغت الـــخسائر {FATHATAN}٣٫٥{RLM} مليار{ZWJ} دولار{KASRATAN}{LRM}"
    nt = norm("ar")(text)
    n = len(nt.text)
    for s in range(n + 1):
        for e in range(s, n + 1):
            assert_roundtrip(nt, s, e, "ar")


# --- expansions (supported by the engine; no rule file uses one yet) ------------

def test_expansion_maps_to_the_whole_replaced_character():
    n = Normalizer.build(expand={"\ufdf2": "الله"})  # ARABIC LIGATURE ALLAH ISOLATED FORM
    text = "a\ufdf2b"
    nt = n(text)
    assert nt.text == "aاللهb"
    assert nt.span(1, 5) == (1, 2)  # the whole expansion -> the ligature
    assert nt.span(2, 3) == (1, 2)  # any part of it -> the ligature
    assert nt.span(0, 1) == (0, 1)
    assert nt.span(5, 6) == (2, 3)
    assert nt.span(0, 6) == (0, 3)


def test_expansion_next_to_a_deletion():
    n = Normalizer.build(expand={"\ufdf2": "الله"})
    text = f"{RLM}\ufdf2{RLM}x"
    nt = n(text)
    assert nt.text == "اللهx"
    assert nt.span(0, 4) == (1, 2)
    assert nt.span(4, 5) == (3, 4)
    assert nt.span(0, 5) == (1, 4)


def test_expansion_to_nothing_next_to_a_deletion():
    # two edits at the same normalised position
    n = Normalizer.build(expand={"#": ""})
    nt = n(f"a{RLM}#b")
    assert nt.text == "ab"
    assert nt.span(1, 2) == (3, 4)
    assert nt.span(0, 1) == (0, 1)
    assert nt.span(0, 2) == (0, 4)


# --- per-language letter folds ----------------------------------------------------

@pytest.mark.parametrize(
    "src,dst",
    [
        ("ي", "ی"),  # U+064A ARABIC YEH -> U+06CC FARSI YEH
        ("ى", "ی"),  # U+0649 ALEF MAKSURA -> FARSI YEH
        ("ك", "ک"),  # U+0643 ARABIC KAF -> U+06A9 KEHEH
        ("ة", "ه"),  # teh marbuta -> heh
        ("ۀ", "ه"),  # heh with yeh above -> heh
        ("أ", "ا"),
        ("إ", "ا"),
        ("ٱ", "ا"),
        ("ؤ", "و"),
        ("ھ", "ه"),  # heh doachashmee
    ],
)
def test_persian_folds(src, dst):
    nt = norm("fa")(src)
    assert nt.text == dst and nt.edits == []


@pytest.mark.parametrize("ch", ["آ", "ی", "ک", "پ", "چ", "ژ", "گ", "ه", "و"])
def test_persian_keeps_its_own_letters(ch):
    # آ is a letter of its own in Persian: not folded to ا
    assert norm("fa")(ch).text == ch


@pytest.mark.parametrize(
    "src,dst",
    [
        ("أ", "ا"),
        ("إ", "ا"),
        ("آ", "ا"),
        ("ٱ", "ا"),
        ("ى", "ي"),  # alef maksura -> yeh
        ("ی", "ي"),  # Persian yeh -> Arabic yeh
        ("ک", "ك"),  # keheh -> kaf
        ("ة", "ه"),  # teh marbuta -> heh (rules/ar.yaml, since cb21c98)
        ("ۀ", "ه"),
    ],
)
def test_arabic_folds(src, dst):
    nt = norm("ar")(src)
    assert nt.text == dst and nt.edits == []


@pytest.mark.parametrize("ch", ["ا", "ي", "ك", "ه", "ؤ", "ئ", "ء"])
def test_arabic_keeps_base_letters(ch):
    assert norm("ar")(ch).text == ch


def test_folds_apply_inside_words_and_keep_offsets():
    text = "إجمالي الأرباح"
    nt = norm("ar")(text)
    assert nt.text == "اجمالي الارباح"
    assert nt.span(7, 14) == (7, 14)
    text_fa = "يك ميليارد"
    assert norm("fa")(text_fa).text == "یک میلیارد"


def test_persian_folds_are_not_applied_to_arabic_and_vice_versa():
    assert norm("ar")("ي").text == "ي"
    assert norm("fa")("ی").text == "ی"
    assert norm("fr")("ي").text == "ي"  # French has no Arabic folds


def test_french_accent_folds():
    assert norm("fr")("Élevé à près d'un député").text == "Eleve a pres d'un depute"


def test_typographic_apostrophes_and_dashes():
    nt = norm("fr")("l\u2019an 2020\u20132021 \u2212 5")
    assert nt.text == "l'an 2020-2021 - 5"
    assert nt.edits == []


# --- claims point into the original text ------------------------------------------

@pytest.mark.parametrize(
    "text,lang,want_text,value",
    [
        (f"{RLM}٥٠{RLM}٪", "ar", f"٥٠{RLM}٪", 50),
        ("ارتفـــاع بنسبة ٥٠٪", "ar", "٥٠٪", 50),
        (f"بیش از ۲۹{RLM} هزار تومان", "fa", f"۲۹{RLM} هزار تومان", 29000),
        (f"مبلغ ۲۰ هزار{ZWNJ}میلیارد تومان", "fa", f"۲۰ هزار{ZWNJ}میلیارد تومان", 20_000_000_000_000),
        (f"ثلاثة{FATHATAN} ملايين درهم", "ar", f"ثلاثة{FATHATAN} ملايين درهم", 3_000_000),
        (f"54{NNBSP}millions d\u2019euros", "fr", f"54{NNBSP}millions d\u2019euros", 54_000_000),
    ],
)
def test_claim_offsets_index_the_original(text, lang, want_text, value):
    claims = extract(text, lang=lang)
    assert [c.value for c in claims] == [value]
    c = claims[0]
    assert c.text == want_text
    assert text[c.start:c.end] == c.text
    assert not _DELETE_RE.match(c.text[0]) and not _DETACHED_RE.match(c.text[-1])


# --- decomposed (NFD) input ----------------------------------------------------------
# Text copied from some sources (macOS file names and clipboards, some CMS exports)
# arrives decomposed: é = e + U+0301, ئ = ي + U+0654 (HAMZA ABOVE).  The normaliser
# composes letter + mark pairs (recorded as edits) before the folds apply, so the
# decomposed text reads like the composed one.



@pytest.mark.parametrize(
    "lang,text,claims_nfc",
    [
        ("fr", "le 3 février 2024", [("2024-02-03", "date")]),
        ("fr", "février 2023", [("2023-02", "date")]),
        ("fr", "3 années", [(3, "duration")]),
        ("ar", "أربعمئة مليون دولار", [(400_000_000, "money")]),
        ("ar", "مئتا شخص", [(200, "count")]),
    ],
)
def test_composed_text_is_read(lang, text, claims_nfc):
    # the composed (ordinary) spelling: the reference for the test below
    assert unicodedata.is_normalized("NFC", text)
    assert [(c.value, c.kind) for c in extract(text, lang=lang)] == claims_nfc


@pytest.mark.parametrize(
    "lang,text",
    [
        ("fr", "le 3 février 2024"),  # NFD got [(3, 'count'), ('2024', 'date')]
        ("fr", "février 2023"),  # NFD got [('2023', 'date')]
        ("fr", "3 années"),  # NFD got [(3, 'count')]
        ("fr", "près de 30 % des députés"),  # NFD got qualifier exact, not approx
        ("ar", "أربعمئة مليون دولار"),  # NFD got [(1000000, 'money')]
        ("ar", "مئتا شخص"),  # NFD got []
    ],
)
def test_decomposed_text_reads_like_composed_text(lang, text):
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    want = [(c.value, c.kind, c.qualifier) for c in extract(text, lang=lang)]
    got = extract(nfd, lang=lang)
    assert [(c.value, c.kind, c.qualifier) for c in got] == want
    for c in got:
        assert nfd[c.start:c.end] == c.text


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_long_text_folds_as_a_short_one(code):
    """A long text is folded through a list table (faster): the same result as the dict."""
    from coopfacts.rulebook import get_rulebook

    norm = get_rulebook().language(code).normalizer
    short = "أكثر من ٣٬٦٠٠ منظمة، ۴۴ هزار میلیارد تومان، ＄１２ et 1 500 emplois\u200f ﻻ 𝟗 ي ى ك ة ‌ é É\n"
    assert len(short) < 500
    long = short * (30_000 // len(short) + 1)
    assert len(long) > 20_000
    one = norm(short)
    many = norm(long)
    assert many.text == one.text * (len(long) // len(short))
    assert len(many.edits) == len(one.edits) * (len(long) // len(short))


# --- the automaton's way to the deletions (long texts) makes what the regex scan makes --------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st

from coopfacts.text import literals  # noqa: E402
from coopfacts.text import normalize as normalize_mod


def _slow(monkeypatch, nz, text):
    with monkeypatch.context() as m:
        m.setattr(normalize_mod, "_SCAN_EDITS_FROM", 10 ** 12)
        return nz(text)


@pytest.mark.parametrize("lang", ["ar", "fa", "fr"])
def test_deletions_found_by_the_automaton_equal_the_regex_scan(lang, monkeypatch):
    if not literals.available():
        pytest.skip("ahocorasick-rs is not installed: the regex scan is the only way")
    nz = get_rulebook().language(lang).normalizer
    pieces = st.sampled_from(["ا", "ب", "e", "1", " ", "\n", "\u0640", "\u064e", "\u0651\u064f", "\u200f",
                              "\u200c", "\u200b\u200e", "\u00ad", "\ufeff", "\u061c", "\u0670", "\u0301", "\u0654",
                              "\u06f5", "\u00a0", "é", "ي"])

    @settings(max_examples=150, deadline=None)
    @given(st.lists(pieces, min_size=1, max_size=60))
    def check(parts):
        text = ("كلمة word " * 120) + "".join(parts)  # past the length where the automaton runs
        fast, slow = nz(text), _slow(monkeypatch, nz, text)
        assert (fast.text, fast.edits, fast.attached) == (slow.text, slow.edits, slow.attached)

    check()
