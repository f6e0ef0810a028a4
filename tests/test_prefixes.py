"""Literal prefixes of patterns (prefixes.py) and the anchored pattern search built on them:
the anchored search must find exactly what one search of the whole text finds."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from coopfacts.engine import load
from coopfacts.engine.masking import lead_positions as _lead_positions
from coopfacts.engine.masking import mask_numerals, mask_units
from coopfacts.engine.numbers import scan
from coopfacts.engine.search import LiteralStarts, pattern_starts
from coopfacts.engine.search import prefixed_matches as _prefixed_matches
from coopfacts.rulebook import prefixes
from coopfacts.rulebook.masks import LEADS
from coopfacts.rulebook.prefixes import literal_prefixes, prefix_regex
from coopfacts.text import literals

ROOT = Path(__file__).resolve().parents[1]


def _lang(code: str):
    return load().rulebook.language(code)


@pytest.mark.parametrize("source, expected", [
    ("abc", {"abc"}),
    ("ab|cd", {"ab", "cd"}),
    (r"(?<!\w)(?:x|y)z", {"xz", "yz"}),  # look-behind skipped
    (r"(?:de\s+)?mai", {"de", "mai"}),  # an optional part: with and without it; \s stops
    (r"(?:b|w)??ten", {"bten", "wten", "ten"}),  # lazy optional clitic
    (r"(?P<m>jan(?:v|)|f[eé]v)", {"janv", "jan", "fev", "fév"}),  # a small class: its branches
    (r"(?P<m>jan|f[a-z]v)", {"jan", "f"}),  # a range stops the prefix
    (r"a+bc", {"a"}),  # repeated: stops after the first time
    (r"abcdefgh", {"abcdef"}),  # six characters at most
    (r"(?i)doubl(?=e)", {"doubl"}),  # inline flags and look-ahead are zero-width
    (r"l\x27an", {"l'an"}),
    (r"\u0627\u0644", {"ال"}),
    (r"\.5", {".5"}),
    (r"x*y", {"x", "y"}),  # none or more x, then y
    (r"[a-c]d", {"ad", "bd", "cd"}),  # a small range: its characters
    ("(?-i:[\ue000-\ue002])(?<![\ue001])x", {"\ue000x", "\ue001x", "\ue002x"}),  # a figure class (rulebook)
])
def test_literal_prefixes(source, expected):
    assert set(literal_prefixes(source)) == expected


@pytest.mark.parametrize("source", [
    r"\w+ab", r"[a-z]d", r"[a-c-e]", r"(?:ab)?", r"x*", r".ab", r"(?P=g)x", r"(?x)a b", r"(?(1)a|b)", r"\Lwords",
    r"a|", r"(ab", "", r"(?:a|\d)b",
])
def test_no_prefixes_when_a_match_may_start_anywhere(source):
    assert literal_prefixes(source) is None


def test_prefix_regex_is_a_trie_that_finds_every_prefix():
    prefixes = ("abc", "abd", "ab", "x")
    import re

    rx = re.compile(prefix_regex(prefixes))
    assert rx.pattern.count("|") <= 2
    assert [m.group() for m in rx.finditer("zabcx ab x")] == ["ab", "x", "ab", "x"]


def _articles(code: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for d in ("samples", "tests/dev")
            for p in sorted((ROOT / d).glob(f"*{code}-*.txt"))]


def _masked(code: str, text: str) -> str:
    L = _lang(code)
    nt = L.normalizer(text)
    nums = scan(L, nt.text)
    return mask_units(L, mask_numerals(nt.text, nums), nt.text, nums)


def _literal_matches(p, masked: str):
    """The matches found by trying ``p`` only where the automaton finds its prefixes (the
    engine's way for a long text whose case folding keeps every character in place)."""
    at = literals.LiteralScan({"p": p.prefix_lits}).starts(masked.casefold()).get("p", [])
    return prefixes.matches_at(p.regex, at, masked)


def _literal_scan_applies(masked: str) -> bool:
    return literals.available() and len(masked.casefold()) == len(masked)


def _anchored_patterns(code: str):
    return [p for p in _lang(code).patterns if p.prefix_src]


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_word_first_patterns_have_prefixes(code):
    ids = {p.id for p in _anchored_patterns(code)}
    assert "relative-time" in ids and "date-month-year" in ids


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_anchored_search_equals_whole_search_on_articles(code):
    texts = _articles(code)
    masked = _masked(code, "\n\n".join(texts))
    found = 0
    for p in _anchored_patterns(code):
        whole = [(m.span(), m.groupdict()) for m in p.regex.finditer(masked)]
        assert [(m.span(), m.groupdict()) for m in _prefixed_matches(p, masked)] == whole, p.id
        if _literal_scan_applies(masked):
            assert [(m.span(), m.groupdict()) for m in _literal_matches(p, masked)] == whole, p.id
        found += len(whole)
    assert found > 10  # the articles hold dates and relative dates: the test is not empty


def _vocabulary(code: str) -> list[str]:
    L = _lang(code)
    words = list(L.dates.months) + list(L.dates.relative) + list(L.context.qualifiers)[:20]
    for p in _anchored_patterns(code):  # the literal words of the patterns themselves
        words += [w for w in regex.findall(r"\w{3,}", p.regex.pattern) if not w.isascii() or w.isalpha()][:40]
    return sorted(set(words))


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_anchored_search_equals_whole_search_property(code):
    L = _lang(code)
    words = _vocabulary(code)
    clitics = sorted(set(L.clitics)) or [""]
    word = st.builds(lambda c, w, up: c + (w.upper() if up else w), st.sampled_from(["", "", *clitics]),
                     st.sampled_from(words), st.booleans())
    # ß and İ change length when case-folded: the search then runs on the text itself
    glue = st.sampled_from([" ", "  ", "\n", "-", "'", "x", "ab", "2023", "12", " 2024 ", "(", ".", "\u200c",
                            "ß", "İ", "ſ", "K"])
    texts = st.lists(st.one_of(word, word, glue), min_size=1, max_size=30).map(" ".join)

    @settings(max_examples=120, deadline=None)
    @given(texts)
    def check(text):
        masked = _masked(code, text)
        for p in _anchored_patterns(code):
            whole = [m.span() for m in p.regex.finditer(masked)]
            assert [m.span() for m in _prefixed_matches(p, masked)] == whole, p.id
            if _literal_scan_applies(masked):
                assert [m.span() for m in _literal_matches(p, masked)] == whole, p.id

    check()


def test_caseless_search_keeps_places_when_folding_would_move_them():
    from coopfacts.rulebook.prefixes import Caseless

    plain, folded = prefix_regex(("Deux",)), prefix_regex(("deux",))
    for text in ("la DEUX et deux", "straße DEUX et deux", "İ DEUX et deux"):
        found = [m.start() for m in Caseless(plain, folded, text).finditer()]
        assert [text[i:i + 4].casefold() for i in found] == ["deux", "deux"], text


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_not_number_words_found_by_prefixes_as_by_one_search(code):
    L = _lang(code)
    if L.numbers.not_number_re is None:
        pytest.skip("no not-a-number words in this language")
    texts = _articles(code)
    text = L.normalizer("\n\n".join(texts)).text
    plain, folded, lits, _ = L.numbers.not_number_prefixes
    if not plain:
        pytest.skip("not-a-number words of this language start anywhere")
    whole = [m.span() for m in L.numbers.not_number_re.finditer(text)]
    assert [m.span() for m in prefixes.prefixed_finditer(L.numbers.not_number_re, plain, folded, text)] == whole
    if literals.available():
        at = literals.LiteralScan({"nn": lits}).starts(text.casefold()).get("nn", [])
        assert [m.span() for m in prefixes.matches_at(L.numbers.not_number_re, at, text)] == whole


def test_calibrated_search_gives_the_same_matches_before_and_after_deciding(monkeypatch):
    monkeypatch.setattr(prefixes, "_USE", {})
    monkeypatch.setattr(prefixes, "_TIMED", {})
    p = next(p for p in _anchored_patterns("ar") if p.id == "relative-time")
    texts = [pp.read_text(encoding="utf-8") for pp in sorted((ROOT / "samples").glob("ar-*.txt"))]
    masked = _masked("ar", "\n\n".join(texts) * 3)
    expected = [m.span() for m in p.regex.finditer(masked)]
    key = (p.regex.pattern, p.prefix_src)
    runs = 0
    while key not in prefixes._USE:  # times both ways until enough characters are timed
        assert [m.span() for m in prefixes.finditer(p.regex, p.prefix_src, p.prefix_folded, masked)] == expected
        runs += 1
        assert runs < 10
    for _ in range(2):  # then the way chosen
        assert [m.span() for m in prefixes.finditer(p.regex, p.prefix_src, p.prefix_folded, masked)] == expected


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_patterns_tried_at_masked_figures_find_what_one_search_finds(code):

    texts = _articles(code)
    masked = _masked(code, "\n\n".join(texts))
    leads = _lead_positions(masked)
    at_leads = [p for p in _lang(code).patterns if p.lead_chars]
    assert len(at_leads) > 5
    found = 0
    for p in at_leads:
        whole = [(m.span(), m.groupdict()) for m in p.regex.finditer(masked)]
        got = [(m.span(), m.groupdict()) for m in prefixes.positioned_finditer(p.regex, p.lead_chars, leads, masked)]
        assert got == whole, p.id
        found += len(whole)
    assert found > 100


def test_small_classes_are_read_as_branches():
    assert {p[0] for p in literal_prefixes("[\ue000\ue002]\ue00f*x")} == {"\ue000", "\ue002"}
    assert set(literal_prefixes(r"[ab]c")) == {"ac", "bc"}
    assert literal_prefixes(r"[a-z]c") is None and literal_prefixes(r"[^a]c") is None


def test_last_chars_of_patterns_searched_before_a_figure():
    from coopfacts.rulebook.prefixes import last_chars

    assert set(last_chars(r"(?<!\w)(?:plus de|au moins)\s*\Z")) == {"e", "s"}
    assert set(last_chars(r"(?P<q>A|b(?:c)?)\s*\Z")) == {"a", "b", "c"}
    assert last_chars(r"(?:\s+\S+){0,2}\s*\Z") is None  # may end with anything
    assert last_chars(r"(?:ab)?\s*\Z") is None  # may be empty
    assert last_chars(r"ab") is None  # not searched before a figure


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_shortcut_never_skips_a_qualifier_or_unit_the_search_finds(code):
    from coopfacts.rulebook.prefixes import may_end_before

    L = _lang(code)
    texts = _articles(code)
    masked = _masked(code, "\n\n".join(texts))
    checked = found = 0
    for rx, last, width in ((L.context.qual_before_re, L.context.qual_before_last, 48), (L.unit_rules.before_re, L.unit_rules.before_last, 24)):
        assert last is not None
        for pos in range(1, len(masked), 3):
            lo = max(0, pos - width)
            hit = rx.search(masked, lo, pos) is not None
            found += hit
            checked += 1
            if hit:
                assert may_end_before(last, masked, pos, lo), (rx.pattern[:40], masked[lo:pos])
    assert found > 20


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_hits_never_rule_out_a_context_pattern_the_search_finds(code):
    L = _lang(code)
    texts = _articles(code)
    masked = _masked(code, "\n\n".join(texts))
    found = 0
    for rx, sources in ((L.context.qual_distant_re, L.context.qual_distant_prefixes), (L.context.change_before_re, L.context.change_before_prefixes)):
        if rx is None or not sources[0]:
            continue
        hits = prefixes.Hits(sources[0], sources[1], masked)
        for pos in range(1, len(masked), 2):
            lo = max(0, pos - 60)
            if rx.search(masked, lo, pos) is not None:
                found += 1
                assert hits.any_within(lo, pos), masked[lo:pos]
    assert found > 10


# --- every pattern tried only where the automaton says it can start (extract.pattern_starts) ---

def _engine_matches(code: str, masked: str):
    """Each pattern's matches the engine's way for a long text: tried only at the starts that
    one pass of the automaton found (prefixes, and words with a pattern's word endings)."""
    L = _lang(code)
    starts = LiteralStarts(L).find(masked, masked.casefold())
    if starts is None:
        return None
    out = {}
    leads = _lead_positions(masked)
    for i, p in enumerate(L.patterns):
        at = pattern_starts(p, i, starts, masked, leads)
        if at is not None:
            out[p.id] = [m.span() for m in prefixes.matches_at(p.regex, at, masked)]
    return out


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_automaton_starts_give_the_whole_search_on_articles(code):
    if not literals.available():
        pytest.skip("ahocorasick-rs is not installed: the engine searches with re")
    masked = _masked(code, "\n\n".join(_articles(code)))
    found = _engine_matches(code, masked)
    L = _lang(code)
    assert found and {"relative-time", "date-month-year"} <= set(found)
    if L.code == "ar":
        assert "dual-noun" in found  # anchored by its listed forms and its generic endings
    for p in L.patterns:
        if p.id in found:
            assert found[p.id] == [m.span() for m in p.regex.finditer(masked)], p.id


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_automaton_starts_give_the_whole_search_property(code):
    if not literals.available():
        pytest.skip("ahocorasick-rs is not installed: the engine searches with re")
    L = _lang(code)
    words = _vocabulary(code)
    clitics = sorted(set(L.clitics)) or [""]
    endings = sorted({e for p in L.patterns for e in p.word_endings}) or ["x"]
    stem = st.text(alphabet="abcdeتبنيمسلا", min_size=0, max_size=6)
    word = st.builds(lambda c, w, up: c + (w.upper() if up else w), st.sampled_from(["", "", *clitics]),
                     st.sampled_from(words), st.booleans())
    # words with a generic ending (and the article, or another ending, around it)
    ending_word = st.builds(lambda a, s, e, tail: a + s + e + tail, st.sampled_from(["", "", *L.articles, *clitics]),
                            stem, st.sampled_from(endings), st.sampled_from(["", "", "ه", "x", "2"]))
    glue = st.sampled_from([" ", "  ", "\n", "-", "'", "x", "2023", "12", " 2024 ", "(", ".", "\u200c", "+", "+33 ",
                            "06 12 34 56", "+212-5.37", ":"])
    # pieces glued with and without spaces: prefixes found inside words too
    texts = st.lists(st.one_of(word, ending_word, glue, glue), min_size=1, max_size=40).map("".join)

    @settings(max_examples=120, deadline=None)
    @given(texts)
    def check(text):
        masked = _masked(code, text)
        found = _engine_matches(code, masked)
        for p in L.patterns:
            if found and p.id in found:
                assert found[p.id] == [m.span() for m in p.regex.finditer(masked)], p.id

    check()


@pytest.mark.parametrize("source, expected", [
    (r"(?<!\w)(?:ab|cd)", {"ab", "cd"}),
    (r"(?:xy\s+)?(?<!\w)(?:ab|cd)", {"ab", "cd"}),  # "xy" may start a match anywhere
    (r"(?<!\w)ab|cd", {"ab"}),  # the look-behind binds the first branch only
    (r"ab(?<!\w)cd", set()),  # asserted after something was consumed: not the match's start
    (r"(?:ab)?(?<!\w)ab", {"ab"}),  # "abab" may start anywhere, "ab" alone only at a word
    (r"(?<!\w)AB|ab", set()),  # the same string, case-folded, both ways: not word-start only
])
def test_word_start_prefixes(source, expected):
    from coopfacts.rulebook.prefixes import word_start_prefixes

    assert set(word_start_prefixes(source)) == expected


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_automaton_starts_after_punctuation_and_letters(code):
    """Words right after punctuation, digits or letters (no space): the word-start filters
    must keep the first kinds and may drop only the last."""
    if not literals.available():
        pytest.skip("ahocorasick-rs is not installed: the engine searches with re")
    import random

    rnd = random.Random(7)
    glue = ["(", ".", "«", "-", "'", "\u200c", "2", "x", "\u0628", " ", "\n"]
    text = "\n\n".join(_articles(code))
    text = "".join(rnd.choice(glue) if ch == " " and rnd.random() < 0.5 else ch for ch in text)
    masked = _masked(code, text)
    found = _engine_matches(code, masked)
    L = _lang(code)
    assert any(p.prefix_ws for p in L.patterns)
    for p in L.patterns:
        if p.id in found:
            assert found[p.id] == [m.span() for m in p.regex.finditer(masked)], p.id


@pytest.mark.parametrize("source, expected", [
    (r"(?m)^[^\n:()]{0,40}(?::|\()\s*x", "(:"),  # line-counter: a colon or bracket on its first line
    ("(?m)^[ \\t]*\ue000\ue00f*[ \\t]*$", "\ue000"),  # a figure alone on its line
    (r"(?m)^\s*:", None),  # \s may take a line feed first
    (r"(?m)^[^:]{0,40}:", None),  # so may a class that does not list it
    (r"(?m)^.*:", None),  # and anything the analysis does not read
    (r"(?m)^a|b", None),  # a second branch
    (r"(?m)^(?::|\n)", None),  # the line feed itself is one of the choices
])
def test_first_line_needs(source, expected):
    from coopfacts.rulebook.prefixes import first_line_needs

    assert first_line_needs(source) == expected


@pytest.mark.parametrize("source, expected", [
    (r"(?<=(?<!\w)(?:article|alinéa)\s+)\d+", {("alinéa", "article")}),  # a look-behind that must match
    (r"\d+\s*fois(?!\w)", {("fois",)}),
    (r"(?=\d+\s+(?:victoire|défaite))\d", {("défaite", "victoire")}),  # a look-ahead's words
    (r"(?i)Trimestre\s+\d", {("trimestre",)}),  # case-folded
    (r"(?:kilo)?mètres", {("mètres",)}),  # the optional part holds nothing
    (r"(?:tonnes?|kilos)\s+de\s+blé", {("blé",), ("kilos", "tonne")}),  # each set, strongest first
    ("\ue000\ue00f*\\s*(?:\ue011|%)", {("\ue000",)}),  # `%` is one character: found everywhere
    ("\ue000\ue00f*\\s*\ue011", {("\ue000",), ("\ue011",)}),  # masked leads: looked up, not searched
])
def test_held_literals(source, expected):
    assert set(prefixes.held_literals(source)) == expected


@pytest.mark.parametrize("source", [
    r"\d+(?!\s*km)",  # what must not follow holds nothing
    r"(?:abc)?\d+",
    r"jours|\d+",  # one way through holds nothing
    r"(?:de|du)\s+\d+",  # short words: in every text
    r"\L<words>",  # syntax the analysis does not read
    r"(?:mille){e<=1}\s+\d",  # a fuzzy constraint: a match may differ from what is written
])
def test_no_held_literals(source):
    assert prefixes.held_literals(source) == ()
    if "{e" in source:
        assert literal_prefixes(source) is None


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_held_literals_never_skip_a_pattern_that_matches(code):
    """Paragraph by paragraph of our articles (short texts lack most words): a pattern the
    automaton rules out finds nothing there, and some are ruled out."""
    if not literals.available():
        pytest.skip("ahocorasick-rs is not installed: the engine searches with re")
    L = _lang(code)
    starts_of = LiteralStarts(L)
    skipped = 0
    for text in _articles(code):
        for para in text.split("\n\n"):
            masked = _masked(code, para)
            starts = starts_of.find(masked, masked.casefold())
            if starts is None:
                continue
            leads = _lead_positions(masked)
            for i, p in enumerate(L.patterns):
                if not starts_of.may_match(i, starts, leads):
                    skipped += 1
                    assert p.regex.search(masked) is None, (p.id, para)
    assert skipped > 100


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_held_literals_never_skip_a_pattern_that_matches_a_short_text(code):
    """Sentence by sentence of our articles (texts too short for the automaton, looked at by
    substring): a pattern ruled out finds nothing there, and many are ruled out."""
    L = _lang(code)
    starts_of = LiteralStarts(L)
    skipped = kept = 0
    for text in _articles(code):
        for sentence in regex.split(r"(?<=[.!?؟])\s+|\n+", text):
            masked = _masked(code, sentence)
            if not masked.strip() or len(masked) >= prefixes.SEARCH_FROM:
                continue
            for i, p in enumerate(L.patterns):
                found = p.regex.search(masked) is not None
                if starts_of.may_match_short(i, masked, masked.casefold()):
                    kept += 1
                else:
                    skipped += 1
                    assert not found, (p.id, sentence)
    assert skipped > 1000, (skipped, kept)


def test_a_short_text_whose_folding_changes_its_length_skips_nothing():
    L = _lang("fr")
    starts_of = LiteralStarts(L)
    text = "STRASSE ß " * 3  # ß folds to two letters: offsets and substrings no longer line up
    assert len(text.casefold()) != len(text)
    assert all(starts_of.may_match_short(i, text, text.casefold()) for i in range(len(L.patterns)))


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_automaton_prefixes_are_shortened_until_few(code):
    """The automaton is built at every start: a pattern with many long prefixes (Arabic duals
    with every clitic and article) gets shorter ones, never fewer characters than K."""
    from coopfacts.rulebook.language import AUTOMATON_PREFIXES

    for p in _lang(code).patterns:
        few = len(p.prefix_lits) <= AUTOMATON_PREFIXES
        assert few or all(len(x) <= prefixes.K for x in p.prefix_lits), p.id
        shortest = literal_prefixes(p.regex.pattern)
        if p.prefix_lits and shortest:  # each begins with one of the shortest, or is one
            folded = tuple(s.casefold() for s in shortest)
            assert all(x.startswith(folded) for x in p.prefix_lits), p.id
    if code == "ar":  # a dual of every noun: many prefixes of K characters, none longer
        dual = next(p for p in _lang(code).patterns if p.id == "dual-noun")
        assert len(dual.prefix_lits) > AUTOMATON_PREFIXES and max(map(len, dual.prefix_lits)) == prefixes.K


# --- what follows a masked figure (prefixes.follow_chars, Pattern.follow) ---------------------

_FIG = "(?-i:[\ue000-\ue002])(?<![\ue001])\ue00f*"  # a figure as the macros write it


@pytest.mark.parametrize("source, expected", [
    (_FIG + r"\s*(?:-|à|et)\s*" + _FIG, "-àe"),  # a range sign or word after the figure
    (_FIG + "\ue010", "\ue010"),  # a unit glued to it
    (_FIG + r"\s?%", "%"),  # one space or none: what comes after the spaces
    (r"(?=" + _FIG + r"\s*x)" + _FIG + r"\s*(?:x|y)", "xy"),  # a look-ahead consumes nothing
    ("(?:" + _FIG + r"|\+)\s*(?:fois|%)", "%f"),  # a way that starts with `+` is never tried at a figure
    (_FIG + r"(?:\s*,\s*" + _FIG + r")*\s*et", ",e"),  # a repeated part: its first character, or what follows it
    (_FIG + r"\s*(?:h|:)?\s*\d", None),  # an optional part before a class: anything may come
    (_FIG + r"(?!\w)", None),  # the pattern may end with its figure
    (_FIG + r"\w+", None),  # a class after the figure
    (r".\s*x", None),  # a pattern that may start with anything
    (_FIG + r"{e<=1}x", None),  # syntax the analysis does not read
])
def test_follow_chars(source, expected):
    from coopfacts.rulebook.masks import MASK_CONT
    from coopfacts.rulebook.prefixes import follow_chars

    found = follow_chars(source, LEADS, MASK_CONT)
    assert (None if found is None else set(found)) == (None if expected is None else set(expected))


def test_follow_takes_both_cases_of_an_ascii_letter_and_gives_up_on_other_cased_letters():
    from coopfacts.rulebook.language import _both_cases

    assert set(_both_cases("e-\ue010")) == set("eE-\ue010")
    assert _both_cases("ſ") == "" and _both_cases("é") == "" and _both_cases(None) == ""
    assert set(_both_cases("ب%")) == set("ب%")  # a letter without case: itself


@pytest.mark.parametrize("source, expected", [
    (r"(?<=(?<!\w)(?:article|loi)\s+)" + _FIG, "ei"),  # the last letters of the words it sees
    (r"(?<=n°\s*:?\s*)" + _FIG, ":°"),  # an optional sign: it, or what comes before it
    (r"(?<=(?:x|y))(?<=\w)" + _FIG, "xy"),  # a look-behind that reads nothing known adds nothing
    (r"(?<=x)" + _FIG + "|(?<=y)" + _FIG, "xy"),  # each way its own
    (r"(?<=x)" + _FIG + "|" + _FIG, None),  # a way with no look-behind: anything may precede
    (r"(?<=x)" + _FIG + r"|\+" + _FIG, "x"),  # a way that starts with `+` is never tried at a figure
    (r"(?<=\s)" + _FIG, None),  # a look-behind that sees only white space
    (r"(?<=[a-z]\s)" + _FIG, None),  # a class
    (r"(?<!x)" + _FIG, None),  # a look-behind that must not match tells nothing
    (r"(?=x)" + _FIG, None),  # nor does a look-ahead
])
def test_precede_chars(source, expected):
    from coopfacts.rulebook.prefixes import precede_chars

    found = precede_chars(source, LEADS)
    assert (None if found is None else set(found)) == (None if expected is None else set(expected))


def _neighbours(masked: str, side: str) -> dict[int, str]:
    """What comes first after each figure (``follow``) or last before it (``precede``), past
    white space, as Window notes it: written here as one search each."""
    from coopfacts.engine.search import neighbour

    if side == "follow":
        return {m.start(): neighbour(masked[m.end()]) if m.end() < len(masked) else ""
                for m in regex.finditer("[" + LEADS + "](?:\ue00f|\\s)*", masked)}
    return {m.start(): neighbour(m.group(1)) if m.group(1) else ""
            for m in regex.finditer("[" + LEADS + "](?<=(\\S)\\s*.|^\\s*.)", masked)}


@pytest.mark.parametrize("side, at_least", [("follow", 10), ("precede", 3)])
@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_neighbour_filters_never_skip_a_figure_a_pattern_matches_at(code, side, at_least):
    """On every article of ours, masked: each match of each pattern that has a `follow` (a
    `precede`) starts at a figure the filter keeps; and the filter skips most figures."""
    from coopfacts.engine.search import kept_near

    L = _lang(code)
    filtered = [p for p in L.patterns if getattr(p, side)]
    assert len(filtered) >= at_least
    kept = skipped = 0
    for text in _articles(code):
        masked = _masked(code, text)
        near, leads = _neighbours(masked, side), _lead_positions(masked)
        for p in filtered:
            at = {q for qs in kept_near(leads, p.lead_chars, getattr(p, side + "_set"), near).values() for q in qs}
            every = {q for c in p.lead_chars for q in leads.get(c, ())}
            kept, skipped = kept + len(at), skipped + len(every - at)
            for m in p.regex.finditer(masked):
                assert m.start() in at, (p.id, masked[max(0, m.start() - 12):m.end() + 3])
    assert skipped > kept


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_a_window_knows_what_comes_after_and_before_each_figure(code):
    """Window.after_figures and before_figures, against their definition written as one search
    each, on every article of ours."""
    from coopfacts.engine.api import runtime_for

    rt = runtime_for(_lang(code))
    for text in _articles(code):
        w = rt.window(text)
        if w.leads is None:
            continue
        assert w.after_figures() == _neighbours(w.masked, "follow")
        assert w.before_figures() == _neighbours(w.masked, "precede")
        assert w.after_figures()  # every article of ours has figures


def _analyses(lang) -> list[dict]:
    """Every field of every pattern, the regexes by their source (what the analyses of a
    pattern's source left in it)."""
    import dataclasses

    def plain(v):
        return (v.pattern, v.flags) if hasattr(v, "pattern") and hasattr(v, "flags") else v

    return [{f.name: plain(getattr(p, f.name)) for f in dataclasses.fields(p)} for p in lang.patterns]


def test_a_parse_shared_by_the_analyses_gives_what_a_parse_of_each_gave(monkeypatch):
    """A pattern's source is parsed once a process (prefixes._parsed) and the tree handed to
    every analysis, which must only read it: the French language compiled with every analysis
    parsing anew equals the language compiled with the trees shared (and those already used by
    a first compilation)."""
    from coopfacts.rulebook import Rulebook, packaged_rules_dir

    monkeypatch.setenv("COOPFACTS_NO_CACHE", "1")
    prefixes._parsed.cache_clear()
    Rulebook([packaged_rules_dir()]).language("fr")  # the trees made, and read once
    shared = _analyses(Rulebook([packaged_rules_dir()]).language("fr"))
    assert prefixes._parsed.cache_info().hits > 0
    monkeypatch.setattr(prefixes, "_parsed", lambda source: prefixes._Parser(source).parse())
    assert _analyses(Rulebook([packaged_rules_dir()]).language("fr")) == shared
