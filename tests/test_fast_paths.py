"""The fast paths of a long text (numeral anchors, pattern prefixes, patterns tried at the
masked figures, the shortcuts around each claim) give exactly the claims of the plain
searches, on long texts cut and shuffled from our articles."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopfacts import extract
from coopfacts.engine import numbers
from coopfacts.rulebook import prefixes
from coopfacts.text import literals
from coopfacts.text import normalize as normalize_mod

ROOT = Path(__file__).resolve().parents[1]


class _Always(dict):
    def get(self, key, default=None):
        return True  # every pattern takes its fast way, calibration or not


def _paragraphs(code: str) -> list[str]:
    out = []
    for d in ("samples", "tests/dev"):
        for p in sorted((ROOT / d).glob(f"*{code}-*.txt")):
            out += [x for x in p.read_text(encoding="utf-8").split("\n") if x.strip()]
    return out


def _claims(text: str, code: str):
    return [c.to_dict() for c in extract(text, code)]


def _same_both_ways(text: str, code: str, monkeypatch) -> None:
    """Claims with every fast path off, then with every one taken: the same, spans true."""
    with monkeypatch.context() as m:
        m.setattr(prefixes, "SEARCH_FROM", 10**12)
        m.setattr(numbers, "_SCAN_WHOLE_BELOW", 10**12)
        m.setattr(normalize_mod, "_SCAN_EDITS_FROM", 10**12)
        plain = _claims(text, code)
    for automaton in (True, False):  # with the Aho-Corasick pass, and the `re` searches without it
        with monkeypatch.context() as m:
            m.setattr(prefixes, "_USE", _Always())
            m.setattr(prefixes, "SEARCH_FROM", 0)
            m.setattr(numbers, "_SCAN_WHOLE_BELOW", 0)
            m.setattr(normalize_mod, "_SCAN_EDITS_FROM", 0)
            if not automaton:
                m.setattr(literals, "_TRIED", True)
                m.setattr(literals, "_AhoCorasick", None)
            fast = _claims(text, code)
        assert fast == plain, f"automaton={automaton}"
    for c in fast:
        assert text[c["start"]:c["end"]] == c["text"]


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_fast_paths_find_the_claims_of_the_plain_searches(code, monkeypatch):
    paras = _paragraphs(code)

    @settings(max_examples=12, deadline=None)
    @given(st.randoms(use_true_random=False), st.integers(20, 80), st.booleans())
    def check(rnd: random.Random, n: int, upper: bool):
        picked = [rnd.choice(paras) for _ in range(n)]
        # cut some paragraphs mid-word and glue others without a break
        text = ""
        for p in picked:
            cut = p[: rnd.randrange(len(p) + 1)] if rnd.random() < 0.3 else p
            text += cut + rnd.choice(["\n", "\n\n", " ", ""])
        if upper:
            text = text.upper()
        _same_both_ways(text, code, monkeypatch)

    check()


@pytest.mark.parametrize("code", ["ar", "fa", "fr"])
def test_fast_paths_on_long_hostile_text(code, monkeypatch):
    """The same on long random text: every digit script, marks, bidi controls, the engine's own
    private-use characters, number fragments (the hostile fuzz alphabet)."""
    from test_hostile_fuzz import PIECE

    long_text = st.lists(PIECE, min_size=150, max_size=400).map("".join)

    # long texts are the point: an older hypothesis may find them too large to generate often
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.data_too_large])
    @given(long_text)
    def check(text):
        _same_both_ways(text, code, monkeypatch)

    check()


@pytest.mark.parametrize("code, pid", [(c, p) for c in ("ar", "fa", "fr") for p in ("line-counter", "bracketed-marker")])
def test_patterns_after_a_sign_tried_only_there(code, pid, monkeypatch):
    """`line-counter` starts a line or follows a bar (`(?:^|(?<=[|•·]\\s*))`), `bracketed-marker`
    follows a bracket (`(?<=\\()`): each is tried only there (the lines holding its colon or
    bracket, after each bar and its spaces, after each bracket), and finds what the whole
    search finds, bars followed by any spaces, line feeds included."""
    from coopfacts.engine.search import LiteralStarts, pattern_starts
    from coopfacts.engine.window import read_window
    from coopfacts.rulebook import get_rulebook

    lang = get_rulebook().language(code)
    key, p = next((i, p) for i, p in enumerate(lang.patterns) if p.id == pid)
    assert p.after_re is not None and bool(p.line_start and p.line_needs) == (pid == "line-counter")
    paras = _paragraphs(code)
    pieces = ["Vues : 1 234", "Partages : 56", "Commentaires (3)", "كود الخبر: 95130", "بازدید: ۱۲۰",
              "|", "•", "·", " ", "\t", "\n", "\u2003", ": 7", "(12)", "( 4 )", "(", ")", "(3 %)", "(1)", "(25)", "x"]
    rnd = random.Random(20)
    matched = 0
    for _ in range(30):
        text = "".join(rnd.choice(pieces) if rnd.random() < 0.7 else rnd.choice(paras) for _ in range(rnd.randrange(5, 60)))
        w = read_window(lang, LiteralStarts(lang), text, None)  # figures masked as the search sees them
        if w.starts is None:
            continue
        at = set(pattern_starts(p, key, w.starts, w.masked, w.leads))
        found = {m.start() for m in p.regex.finditer(w.masked)}
        assert found <= at
        matched += len(found)
        _same_both_ways(text, code, monkeypatch)
    assert matched > 3
