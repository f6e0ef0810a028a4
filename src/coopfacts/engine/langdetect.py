"""Guess a document's language from its script, its tell-tale letters and its commonest words.

Each rule file declares its script (a Unicode script name: ``arabic``, ``latin``…), ``markers``
(characters that point to it rather than to another language of the same script: Persian
پ چ ژ گ against Arabic ة ى أ) and ``words`` (its commonest short words: Persian است را این که,
Arabic في التي الذي). The script with most letters in the text's beginning wins; among its
languages, the one with the best score: its markers, plus its words counted :data:`WORD_WEIGHT`
times each. A language's words are looked for in the text as its own rules read it (its
``normalize`` folds first), so that Persian typed with Arabic ي and ك still shows its words,
which letters alone would not: whoever types Persian on an Arabic keyboard still writes است.
A text with no letter of any declared script goes to the language whose file says
``detect: {fallback: true}`` (else the first language). Nothing here names a script or a word.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import regex

SAMPLE = 20000
WORD_WEIGHT = 4  # a function word is stronger evidence than one letter


@functools.lru_cache(maxsize=64)
def script_letters(script: str) -> Any:
    """The letters of a Unicode script (``arabic`` → ``\\p{Script=Arabic}``)."""
    return regex.compile(rf"\p{{Script={script}}}")


@dataclass(frozen=True)
class _Clues:
    code: str
    script: str
    markers: frozenset[str]
    fallback: bool
    fold: dict[int, int]  # str.translate table of the language's own letter folds
    words: Any  # a regex of its words, whole, or None


def _clues(code: str, hints: Any) -> _Clues:
    fold = str.maketrans(dict(hints.fold)) if hints.fold else {}
    words = None
    if hints.words:
        folded = sorted({w.translate(fold) for w in hints.words}, key=len, reverse=True)
        words = regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(w) for w in folded) + r")(?!\w)")
    return _Clues(code, hints.script, frozenset(hints.markers), hints.fallback, fold, words)


_CLUES: dict[int, tuple[Any, list[_Clues]]] = {}


def _all_clues(rulebook: Any) -> list[_Clues]:
    """Every language's clues, read once per rulebook (its files' heads, nothing compiled)."""
    found = _CLUES.get(id(rulebook))
    if found is None or found[0] is not rulebook:
        found = _CLUES[id(rulebook)] = (rulebook, [_clues(c, rulebook.detect_hints(c)) for c in rulebook.languages])
    return found[1]


def _score(clue: _Clues, sample: str) -> int:
    score = sum(sample.count(ch) for ch in clue.markers)
    if clue.words is not None:
        score += WORD_WEIGHT * len(clue.words.findall(sample.translate(clue.fold) if clue.fold else sample))
    return score


def detect_language(text: str, rulebook: Any) -> str:
    sample = text[:SAMPLE]
    clues = _all_clues(rulebook)
    scripts = sorted({c.script for c in clues if c.script != "any"})
    counts = {s: len(script_letters(s).findall(sample)) for s in scripts}
    if not any(counts.values()):
        fallback = [c.code for c in clues if c.fallback]
        return fallback[0] if fallback else rulebook.languages[0]
    script = max(scripts, key=lambda s: counts[s])  # the first in name order where counts tie
    best, best_score = None, -1
    for clue in clues:
        if clue.script not in (script, "any"):
            continue
        score = _score(clue, sample)
        if score > best_score:
            best, best_score = clue.code, score
    return best if best is not None else rulebook.languages[0]
