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
WORD_END = _END
_SEP_RE = r"[\s\-\u200c]+"


def exact_key(s: str) -> str:
    """Lookup key of a unit word read only as written (``case_sensitive``): its spaces collapsed,
    its case kept, and a mark no folded key starts with."""
    return "=" + " ".join(s.split())


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
        return FAIL  # nothing to match (no literal: `regex` would search the whole text for one)
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


FAIL = "(?!)"  # matches nothing: the source of an empty macro or word list


def cannot_match(src: str) -> bool:
    """Does ``src`` hold a ``(?!)`` that every match must pass through, so that it matches
    nothing? (A shared pattern naming a list or a unit kind the language does not have.) Only
    ``(?!)`` outside any look-around, alternation or optional group counts. A language's
    impossible patterns are dropped when its rules compile: tried at each figure, such a
    pattern costs a failed match there for nothing."""
    stack: list[dict[str, bool]] = []  # the open groups: look-around? alternation inside?
    top_alt = False
    i, n = 0, len(src)

    def optional_after(j: int) -> bool:
        return j < n and (src[j] in "?*" or (src[j] == "{" and src[j + 1:j + 2] == "0"))

    candidates: list[list[dict[str, bool]]] = []
    while i < n:
        ch = src[i]
        if src.startswith(FAIL, i):
            if not optional_after(i + len(FAIL)):
                candidates.append(list(stack))
            i += len(FAIL)
            continue
        if ch == "\\":
            i += 2
            if src[i - 1:i] in ("p", "P") and src[i:i + 1] == "{":
                i = src.index("}", i) + 1
            continue
        if ch == "[":
            j = i + 1
            if src[j:j + 1] == "^":
                j += 1
            if src[j:j + 1] == "]":
                j += 1
            while j < n and src[j] != "]":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            look = src.startswith(("(?=", "(?!", "(?<=", "(?<!"), i)
            stack.append({"look": look, "alt": False, "optional": False})
            i += 1
            continue
        if ch == ")":
            frame = stack.pop()
            frame["optional"] = optional_after(i + 1)
            i += 1
            continue
        if ch == "|":
            if stack:
                stack[-1]["alt"] = True
            else:
                top_alt = True
        i += 1
    return not top_alt and any(not any(f["look"] or f["alt"] or f["optional"] for f in frames)
                               for frames in candidates)
