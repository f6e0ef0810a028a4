"""Regular expressions built from word lists, and the lookup key of a matched phrase."""
from __future__ import annotations

import regex

from coopfacts.rulebook.shapes import Located


def key(s: str) -> str:
    """Lookup key of a matched (already normalised) stretch of text: spaces, hyphens and ZWNJ
    inside a phrase are interchangeable ("quatre-vingt", "quatre vingt"), case is folded."""
    k = _KEYS.get(s)
    if k is None:
        k = " ".join(s.replace("-", " ").replace("\u200c", " ").split()).casefold()
        if len(s) <= 64:  # words and phrases are kept; the text between two figures is not
            if len(_KEYS) > 50_000:  # the words of a language are few; a hostile text is not
                _KEYS.clear()
            _KEYS[s] = k
    return k


_KEYS: dict[str, str] = {}


_SEP = object()  # a run of space, hyphen or ZWNJ inside a phrase
_END = r"(?![^\W\u200c])"  # the word ends: no letter follows (a ZWNJ and suffix may: هفته‌ای)
_SEP_RE = r"[\s\-\u200c]+"


def alternation(words: list[str], word_final_boundary: bool = True) -> str:
    """A regex matching any of the literal phrases, the longest where several fit.

    Inside a phrase, spaces and hyphens are interchangeable ("quatre-vingt" / "quatre
    vingt") and ZWNJ may stand for them (دست‌کم). The phrases are folded into a trie
    (ث(?:لاث(?:ة|ين)…)) rather than listed: a list of hundreds of words is tried word
    by word at every position of the text, a trie a character at a time.
    """
    trie: dict = {}
    for w in set(words):
        parts = [p for p in regex.split(r"[\s\-\u200c]+", w) if p]
        if not parts:
            parts = [w]
        node = trie
        for i, part in enumerate(parts):
            if i:
                node = node.setdefault(_SEP, {})
            for ch in part:
                node = node.setdefault(ch, {})
        node[None] = bool(word_final_boundary and regex.match(r".*\w$", w))
    if not trie:
        return r"(?!x)x"
    return _emit(trie)


def _emit(node: dict) -> str:
    branches = []
    # longer continuations first: a node's own end is the last choice
    for key in sorted((k for k in node if k is not None), key=lambda k: (k is not _SEP, str(k))):
        child = node[key]
        head = _SEP_RE if key is _SEP else regex.escape(key)
        branches.append(head + _emit_tail(child))
    if None in node:
        branches.append(_END if node[None] else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _emit_tail(child: dict) -> str:
    if list(child) == [None]:
        return _END if child[None] else ""
    return _emit(child)


def compile_checked(doc: Located, p: tuple, pattern: str, flags: int) -> regex.Pattern:
    """``pattern`` compiled, or the rule file's located error."""
    from coopfacts.rulebook.pattern_size import size_problem

    problem = size_problem(pattern)
    if problem is not None:
        raise doc.error(p, f"regular expression refused: {problem}")
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise doc.error(p, f"invalid regular expression: {exc}") from None
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise doc.error(p, f"regular expression too large to compile ({type(exc).__name__})") from None


