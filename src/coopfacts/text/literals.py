"""Many literal strings found in one pass over a text.

Where a pattern can start (its literal prefixes, prefixes.py), where a numeral can start (the
words of the number lexicon, clitic and all, and digits): each is a set of literal strings.
Searching each set with its own `re` alternation costs one pass over the text per set, and
a pass of `re` over an alternation of Arabic words is slow (its first letters are the
commonest of the script). An Aho-Corasick automaton (the `ahocorasick-rs` library) finds
every occurrence of all the sets' strings in a single pass, several times faster than one
`re` pass; the occurrences are then sorted out by set.

The strings are matched as written: callers give them case-folded and search the text's
case folding (``Caseless`` in prefixes.py explains when that is exact). Without the library
(a platform with no wheel) ``available()`` is False and callers keep their `re` searches.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

_AhoCorasick: Any = None  # the automaton's class, imported at first use (start-up stays light)
_TRIED = False


def available() -> bool:
    global _AhoCorasick, _TRIED
    if not _TRIED:
        _TRIED = True
        try:  # a compiled extension: a dependency, but only for speed
            import ahocorasick_rs

            _AhoCorasick = ahocorasick_rs.AhoCorasick
        except ImportError:  # pragma: no cover - a platform with no wheel: `re` searches
            _AhoCorasick = None
    return _AhoCorasick is not None


class LiteralScan:
    """The start of every occurrence, overlapping ones included, of each group's strings."""

    __slots__ = ("_ac", "_owner", "_shared", "keys")

    def __init__(self, groups: dict[Hashable, Iterable[str]]):
        # most strings belong to one group: a plain lookup for them (``_owner``, by the string's
        # index), a tuple of groups for the others (``_shared``). One pass, in the groups' order:
        # this runs at every start, over some ten thousand strings for a language's patterns
        index: dict[str, int] = {}
        owner: list[Hashable | None] = []
        shared: dict[int, list[Hashable]] = {}
        for key, strings in groups.items():
            for s in strings:
                i = index.get(s)
                if i is None:
                    if s:
                        index[s] = len(owner)
                        owner.append(key)
                elif owner[i] is not None:
                    if owner[i] != key:
                        shared[i] = [owner[i], key]
                        owner[i] = None
                elif key not in shared[i]:
                    shared[i].append(key)
        self.keys = tuple(groups)
        self._owner = owner
        self._shared = {i: tuple(keys) for i, keys in shared.items()}
        self._ac = _AhoCorasick(list(index)) if index and available() else None

    def starts(self, text: str) -> dict[Hashable, list[int]] | None:
        """Sorted, distinct start offsets of the occurrences in ``text``, by group (a group
        with none is absent); None when the automaton cannot read the text (a lone
        surrogate is no UTF-8) and the caller must search its own way."""
        out: dict[Hashable, list[int]] = {}
        if self._ac is None:
            return out
        try:
            found = self._ac.find_matches_as_indexes(text, overlapping=True)
        except UnicodeError:
            return None
        owner, shared = self._owner, self._shared
        for i, s, _ in found:
            key = owner[i]
            if key is not None:
                lst = out.get(key)
                if lst is None:
                    out[key] = [s]
                else:
                    lst.append(s)
            else:
                for key in shared[i]:
                    out.setdefault(key, []).append(s)
        # reported by end: sorted by start, and one entry per start
        for key, lst in out.items():
            out[key] = sorted(set(lst))
        return out
