"""Language detection: every text we have is read in its own language, Persian typed with Arabic
letters included (many Iranian and Afghan sites type ي, ك and the digits ٠–٩)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import coopfacts

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"
# Persian as typed on an Arabic keyboard: yeh, kaf, heh with yeh above and the digits
ARABIC_KEYBOARD = str.maketrans("یکۀ۰۱۲۳۴۵۶۷۸۹", "يكة٠١٢٣٤٥٦٧٨٩")


def _our_texts() -> list[tuple[str, str, str]]:
    out = []
    for p in sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "dev").glob("*.txt")):
        lang = next(code for code in ("ar", "fa", "fr", "en") if f"{code}-" in p.name)
        out.append((p.name, lang, p.read_text(encoding="utf-8")))
    return out


def _gold_texts() -> list[tuple[str, str, str]]:
    if not GOLD.is_dir():
        pytest.skip("../shared/gold is not beside the repository (a user's clone has none)")
    out = []
    for name in ("seeds.jsonl", "dev-real.jsonl"):
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            out.append((r["id"], r["lang"], r["text"]))
    return out


def _check(texts: list[tuple[str, str, str]]) -> None:
    engine = coopfacts.load()
    persian = [t for t in texts if t[1] == "fa"]
    assert persian
    for name, lang, text in texts:
        assert engine.language_of(text) == lang, name
    for name, _, text in persian:
        retyped = text.translate(ARABIC_KEYBOARD)
        assert retyped != text
        assert engine.language_of(retyped) == "fa", name + " typed with Arabic letters"
        ours = [(c.start, c.end, c.kind, c.value, c.unit, c.qualifier) for c in engine.extract(text)]
        theirs = [(c.start, c.end, c.kind, c.value, c.unit, c.qualifier) for c in engine.extract(retyped)]
        assert theirs == ours, name


def test_our_texts_and_their_arabic_keyboard_twins() -> None:
    _check(_our_texts())


def test_the_gold_texts_and_their_arabic_keyboard_twins() -> None:
    _check(_gold_texts())


@pytest.mark.parametrize("text, lang", [
    ("اعلام کرد که ۲۵ درصد از بودجه برای این طرح است", "fa"),
    ("اعلام كرد كه ٢٥ درصد از بودجه براي اين طرح است", "fa"),  # the same, on an Arabic keyboard
    ("أعلنت الوزارة أن 25 في المائة من الميزانية مخصصة لهذا المشروع", "ar"),
    ("Le ministère a annoncé que 25 % du budget est réservé au projet", "fr"),
    ("54 %", "fr"),  # no letters: the language marked fallback
])
def test_short_texts(text: str, lang: str) -> None:
    assert coopfacts.load().language_of(text) == lang


def test_a_paragraph_in_another_script_is_read_in_its_own_language():
    import coopfacts
    text = ("La banque a prêté 3 millions d'euros en 2023, soit 12 % de plus qu'avant.\n\n"
            "وقال الوزير إن المشروع كلف حوالي 200 مليون درهم وشغل أكثر من 1500 عامل في الجهة.\n\n"
            "Le reste, 45 %, vient de l'Etat.")
    claims = coopfacts.extract(text)
    got = [(c.lang, c.text, c.kind, c.value, c.unit, c.qualifier) for c in claims]
    assert ("ar", "200 مليون درهم", "money", 200000000, "MAD", "approx") in got
    assert ("ar", "1500", "count", 1500, None, "more_than") in got
    assert ("fr", "45 %", "percent", 45, "%", "exact") in got
    assert all(text[c.start:c.end] == c.text for c in claims)
    # asked for one language, the whole text is read in it
    assert {c.lang for c in coopfacts.extract(text, "fr")} == {"fr"}


def test_a_few_words_of_another_script_leave_the_paragraph_alone():
    import coopfacts
    text = "أعلنت وكالة Reuters أن شركة Boeing باعت 40 طائرة خلال العام"
    assert {c.lang for c in coopfacts.extract(text)} == {"ar"}


def test_words_counted_by_the_automaton_as_findall_counts_them() -> None:
    """A language's words are found by the automaton, then its regex is tried there only: the
    count is findall's on every text we have (each language's words on each text, folded its
    way), on texts cut anywhere, and on words run together or split by joiners."""
    import regex

    from coopfacts.engine import langdetect
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook()
    clues = [c for c in langdetect._all_clues(rb) if c.words]
    texts = [t for _, _, t in _our_texts()]
    if GOLD.is_dir():
        texts += [t for _, _, t in _gold_texts()]
    made = []
    for c in clues:  # the words themselves, glued, doubled, with joiners and marks between
        w = list(c.word_list)
        made += [" ".join(w), "".join(w), "\u200c".join(w), "_".join(w), "-".join(w) + "ـ", " ".join(w[::-1]) * 3]
    texts += made + [t[k:k + 700] for t in texts[:20] for k in (1, 333)]
    n_checked = 0
    for text in texts:
        for c in clues:
            folded = text.translate(c.fold) if c.fold else text
            assert langdetect.count_words(c.words, c.word_list, folded) == len(regex.findall(c.words, folded)), c.code
            n_checked += 1
    assert n_checked > 100


def test_detection_is_the_same_with_and_without_the_automaton(monkeypatch) -> None:
    from coopfacts.engine import langdetect
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook()
    texts = [t for _, _, t in _our_texts()] + ([t for _, _, t in _gold_texts()] if GOLD.is_dir() else [])
    fast = [langdetect.detect_language(t, rb) for t in texts]
    monkeypatch.setattr(langdetect, "WORDS_BY_AUTOMATON", 10**9)
    assert [langdetect.detect_language(t, rb) for t in texts] == fast
