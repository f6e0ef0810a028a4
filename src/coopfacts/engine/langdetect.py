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
``detect: {fallback: true}`` (else the first language); so does a tie among the languages of
a script. Nothing here names a script or a word.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Any

import regex

from coopfacts.rulebook.cache import fixed_regex
from coopfacts.text import literals

SAMPLE = 6000  # characters read from a text's beginning: a language shows in a few hundred words
WORD_WEIGHT = 4  # a function word is stronger evidence than one letter
WORDS_BY_AUTOMATON = 500  # from this many characters, a language's words are found by the automaton


@functools.lru_cache(maxsize=64)
def script_letters(script: str) -> Any:
    """The letters of a Unicode script (``arabic`` → ``\\p{Script=Arabic}``)."""
    return fixed_regex(rf"\p{{Script={script}}}")


@functools.lru_cache(maxsize=64)
def _script_runs(script: str) -> Any:
    return fixed_regex(rf"\p{{Script={script}}}+")


@dataclass(frozen=True)
class _Clues:
    code: str
    script: str
    markers: frozenset[str]
    fallback: bool
    fold: Any  # str.translate table of the language's own letter folds (a list, or a dict)
    words: str | None  # the regex of its words, whole (compiled on first use by _words_re), or None
    word_list: tuple[str, ...] = ()  # those words (folded)


def _clues(code: str, hints: Any) -> _Clues:
    fold: Any = str.maketrans(dict(hints.fold)) if hints.fold else {}
    # one letter for one letter (maketrans keeps them as strings): by code point, for the list below
    fold = {k: ord(v) if isinstance(v, str) and len(v) == 1 else v for k, v in fold.items()}
    if fold and all(isinstance(k, int) and (v is None or isinstance(v, int)) for k, v in fold.items()):
        # a list indexed by code point: `str.translate` reads it about twice as fast as a dict
        table: list[int | None] = list(range(max(fold) + 1))
        for k, v in fold.items():
            table[k] = v
        fold = table
    words = None
    folded: list[str] = []
    if hints.words:
        # the longest first, in a fixed order: the same regex in every process (it is cached)
        folded = sorted({w.translate(fold) for w in hints.words}, key=lambda w: (-len(w), w))
        words = r"(?<!\w)(?:" + "|".join(regex.escape(w) for w in folded) + r")(?!\w)"
    return _Clues(code, hints.script, frozenset(hints.markers), hints.fallback, fold, words, tuple(folded))


@functools.lru_cache(maxsize=64)
def _words_re(source: str) -> Any:
    """A language's words, compiled when a text of its script first needs them (a French text
    never compiles the Persian words)."""
    return fixed_regex(source)


_CLUES: dict[int, tuple[Any, list[_Clues]]] = {}


def _all_clues(rulebook: Any) -> list[_Clues]:
    """Every language's clues, read once per rulebook (its files' heads, nothing compiled)."""
    found = _CLUES.get(id(rulebook))
    if found is None or found[0] is not rulebook:
        found = _CLUES[id(rulebook)] = (rulebook, [_clues(c, rulebook.detect_hints(c)) for c in rulebook.languages])
    return found[1]


@functools.lru_cache(maxsize=64)
def _words_scan(source: str, words: tuple[str, ...]) -> Any:
    """The automaton over a language's words (None without it, or for an empty word)."""
    if not literals.available() or not all(words):
        return None
    return literals.LiteralScan({0: words})


def count_words(source: str, words: tuple[str, ...], text: str) -> int:
    """``len(regex.compile(source).findall(text))`` for the regex of whole ``words`` (_clues):
    the automaton finds where a word starts, and the regex is tried there only, left to right
    past each match, as findall goes; a short text is searched plainly."""
    rx = _words_re(source)
    scan = _words_scan(source, words) if len(text) >= WORDS_BY_AUTOMATON else None
    at = scan.starts(text) if scan is not None else None
    if at is None:
        return len(rx.findall(text))
    match = rx.match
    n = last = 0
    for p in at.get(0, ()):
        if p >= last:
            m = match(text, p)
            if m is not None:
                n += 1
                last = m.end()
    return n


def _score(clue: _Clues, sample: str) -> int:
    score = sum(sample.count(ch) for ch in clue.markers)
    if clue.words is not None:
        score += WORD_WEIGHT * count_words(clue.words, clue.word_list,
                                           sample.translate(clue.fold) if clue.fold else sample)
    return score


def detect_language(text: str, rulebook: Any) -> str:
    sample = text[:SAMPLE]
    clues = _all_clues(rulebook)
    scripts = sorted({c.script for c in clues if c.script != "any"})
    counts = {s: sum(map(len, _script_runs(s).findall(sample))) for s in scripts}
    if not any(counts.values()):
        fallback = [c.code for c in clues if c.fallback]
        return fallback[0] if fallback else rulebook.languages[0]
    script = max(scripts, key=lambda s: counts[s])  # the first in name order where counts tie
    best, best_score = None, -1
    for clue in clues:
        if clue.script not in (script, "any"):
            continue
        score = _score(clue, sample)
        if score > best_score or (score == best_score and clue.fallback):  # a tie goes to the fallback
            best, best_score = clue.code, score
    return best if best is not None else rulebook.languages[0]


PARAGRAPH_LETTERS = 40  # letters a paragraph needs before its own script can outvote the document's
PARAGRAPH_SAMPLE = 600  # a paragraph's script is plain from its beginning
_PARAGRAPH_BREAK = fixed_regex(r"\n[^\S\n]*\n\s*")


def foreign_paragraphs(text: str, code: str, rulebook: Any) -> list[tuple[int, int, str]]:
    """The paragraphs of ``text`` written in another script than the language ``code``'s (an
    Arabic quotation in a French story, a Latin-script block in a Persian one), each with the
    language detected in it: ``(start, end, language)``. Paragraphs are separated by a blank
    line; one counts when it holds at least :data:`PARAGRAPH_LETTERS` letters of another
    declared script, and more of them than of its document's (in its first
    :data:`PARAGRAPH_SAMPLE` characters). Languages of one script are never told apart
    paragraph by paragraph: a short paragraph says too little for that."""
    clues = _all_clues(rulebook)
    own = next((c.script for c in clues if c.code == code), "any")
    scripts = sorted({c.script for c in clues if c.script not in ("any", own)})
    if own == "any" or not scripts:
        return []
    # one pass finds the runs of other scripts' letters; most texts have few or none
    runs = [m for m in _other_runs(tuple(scripts)).finditer(text) if len(m.group()) >= 2]
    if sum(len(m.group()) for m in runs) < PARAGRAPH_LETTERS:
        return []
    breaks = list(_PARAGRAPH_BREAK.finditer(text))
    starts = [0, *(b.end() for b in breaks)]
    ends = [*(b.start() for b in breaks), len(text)]
    letters: dict[int, int] = {}
    for m in runs:
        k = bisect.bisect_right(starts, m.start()) - 1
        letters[k] = letters.get(k, 0) + len(m.group())
    out: list[tuple[int, int, str]] = []
    for k, n in sorted(letters.items()):
        if n < PARAGRAPH_LETTERS:
            continue
        sample = text[starts[k]:min(ends[k], starts[k] + PARAGRAPH_SAMPLE)]
        theirs = sum(map(len, _other_runs(tuple(scripts)).findall(sample)))
        if theirs > sum(map(len, _script_runs(own).findall(sample))):
            out.append((starts[k], ends[k], detect_language(text[starts[k]:ends[k]], rulebook)))
    return out


@functools.lru_cache(maxsize=16)
def _other_runs(scripts: tuple[str, ...]) -> Any:
    return fixed_regex("|".join(rf"\p{{Script={s}}}+" for s in scripts))
