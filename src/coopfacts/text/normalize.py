"""Normalisation with an offset map back to the original text.

Rules match on normalised text; claims must point into the ORIGINAL text. The
normaliser therefore works in two passes:

1. one-for-one character replacements with ``str.translate`` (digits of every
   script to ASCII, space separators to a plain space, letter variants from the
   language's rule file).  Length is unchanged, so offsets are unchanged.
2. deletions (tatweel, Arabic combining marks, bidi controls, soft hyphens) and
   expansions, found with one regex scan.  Only these edits are recorded, so the
   map costs nothing for text that has none.

What is folded here is Unicode-level fact (a digit's value, a space's kind);
letter folding that is language knowledge comes from ``rules/<lang>.yaml``.
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field

import regex

from coopfacts.text import literals

# Characters removed before matching: Arabic tatweel and combining marks,
# zero-width joiner, bidi controls, soft hyphen, byte-order mark, word joiner.
ATTACHED_CLASS = (
    "\u0640"  # tatweel
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"  # Arabic marks
)
DETACHED_CLASS = (
    "\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"  # zero-width + bidi
    "\u00ad\ufeff\u061c"  # soft hyphen, BOM, Arabic letter mark
)
DELETE_CLASS = ATTACHED_CLASS + DETACHED_CLASS


_ATTACHED = regex.compile(f"[{ATTACHED_CLASS}]")
_COMBINING = regex.compile("[\u0300-\u036f\u0653-\u0655]")


def _base_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x10000):  # the BMP holds every digit script met in news
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat == "Nd" and not ("0" <= ch <= "9"):
            table[cp] = str(unicodedata.decimal(ch))
        elif cat == "Zs" and ch != " ":
            table[cp] = " "
    table.update(
        {
            0x2018: "'", 0x2019: "'", 0x201B: "'", 0x02BC: "'", 0x2032: "'", 0x00B4: "'",
            0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2212: "-",
            0x066A: "%",  # ARABIC PERCENT SIGN
            0x060D: ",",  # ARABIC DATE SEPARATOR
            0x2009: " ", 0x202F: " ", 0x00A0: " ",
            0x000B: "\n", 0x000C: "\n", 0x0085: "\n", 0x2028: "\n", 0x2029: "\n",
            0x00AB: '"', 0x00BB: '"', 0x201C: '"', 0x201D: '"',
        }
    )
    # the extractor marks numerals with U+E000-U+E00F: in the input they are noise
    table.update({cp: "\ufffd" for cp in range(0xE000, 0xE020)})
    return table


def _compositions() -> dict[str, str]:
    """Letter + combining mark pairs that compose into one character (NFC), for text that
    arrives decomposed (NFD from some PDF and Mac exports): "e" + U+0301 reads "é",
    "ي" + U+0654 reads "ئ". Recorded as edits like any other, so offsets stay true."""
    marks = [chr(c) for c in range(0x0300, 0x0370)] + ["\u0653", "\u0654", "\u0655"]
    bases = [chr(c) for c in range(0x41, 0x7B) if chr(c).isalpha()] + [chr(c) for c in range(0x0621, 0x064B)]
    bases += ["\u06cc", "\u06c1", "\u06d2", "\u06d5"]
    out = {}
    for b in bases:
        for m in marks:
            c = unicodedata.normalize("NFC", b + m)
            if len(c) == 1:
                out[b + m] = c
    return out


_COMPOSE: dict[str, str] | None = None


_BASE: dict[int, str] | None = None


def base_table() -> dict[int, str]:
    global _BASE
    if _BASE is None:
        _BASE = _base_table()
    return _BASE


_LIST_TABLE_FROM = 1_000  # characters: a text long enough to repay building the list table (1.5 ms, once)
_SCAN_EDITS_FROM = 1_000  # characters: a text long enough to repay one pass of the automaton


def _class_chars(cls: str) -> list[str]:
    """The characters of a character class body written as above (characters and ranges)."""
    out, i = [], 0
    while i < len(cls):
        if i + 2 < len(cls) and cls[i + 1] == "-":
            out += [chr(c) for c in range(ord(cls[i]), ord(cls[i + 2]) + 1)]
            i += 3
        else:
            out.append(cls[i])
            i += 1
    return out


_EDIT_SCAN: "literals.LiteralScan | None" = None


def _edit_scan() -> "literals.LiteralScan":
    """The characters deleted (attached, detached) and the combining marks, as one automaton:
    one pass finds them all, where a `regex` class search looks at every character in turn."""
    global _EDIT_SCAN
    if _EDIT_SCAN is None:
        _EDIT_SCAN = literals.LiteralScan({"attached": _class_chars(ATTACHED_CLASS),
                                           "detached": _class_chars(DETACHED_CLASS),
                                           "combining": _class_chars(_COMBINING.pattern[1:-1])})
    return _EDIT_SCAN


def _deleted_runs(found: dict) -> list[tuple[int, int, bool]]:
    """Runs of deleted characters as the deletion regex finds them (`[attached]+|[detached]+`):
    (start, end, attached?), in order."""
    kind = dict.fromkeys(found.get("attached", ()), True)
    kind.update(dict.fromkeys(found.get("detached", ()), False))
    runs: list[list] = []
    for q in sorted(kind):
        k = kind[q]
        if runs and runs[-1][1] == q and runs[-1][2] is k:
            runs[-1][1] = q + 1
        else:
            runs.append([q, q + 1, k])
    return [tuple(r) for r in runs]


@dataclass(eq=False)
class Normalizer:
    """A compiled normaliser for one language (base table + the rule file's folds)."""

    table: dict[int, str]
    expand: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        global _COMPOSE
        if _COMPOSE is None:
            _COMPOSE = _compositions()
        # decomposed letters compose first (their result folded like any character), then the
        # rule file's expansions; marks and tatweel are a run apart from the detached controls:
        # they belong to the letter before them
        self._replace = {k: v.translate(self.table) for k, v in _COMPOSE.items()}
        self._replace.update(self.expand)
        deletions = [f"[{ATTACHED_CLASS}]+", f"[{DETACHED_CLASS}]+"]
        plain = [regex.escape(k) for k in sorted(self.expand, key=len, reverse=True)]
        self._edit_re = regex.compile("|".join(plain + deletions))
        # the composition table is large: compiled only for text that holds combining marks
        self._deletions = deletions
        self._edit_re_composing = None

    @classmethod
    def build(cls, fold: dict[str, str] | None = None, expand: dict[str, str] | None = None) -> "Normalizer":
        table = dict(base_table())
        for src, dst in (fold or {}).items():
            for ch in src:
                table[ord(ch)] = dst
        return cls(table, dict(expand or {}))

    def _fast_table(self) -> list:
        """The table as a list indexed by code point: `str.translate` looks a list up about
        twice as fast as a dict (a character past its end is left as it is). Built on first
        use by a long text, not kept with the compiled language (half a megabyte)."""
        lst = self.__dict__.get("_list")
        if lst is None:
            lst = list(range(max(self.table, default=0) + 1))
            for k, v in self.table.items():
                lst[k] = v
            self.__dict__["_list"] = lst
        return lst

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_list", None)
        return state

    def __call__(self, text: str) -> "NormalizedText":
        folded = text.translate(self._fast_table() if len(text) > _LIST_TABLE_FROM else self.table)
        if len(folded) >= _SCAN_EDITS_FROM and not self.expand and literals.available():
            found = _edit_scan().starts(folded)
            if found is not None and "combining" not in found:
                return _edited(text, folded, ((s, e, "", a) for s, e, a in _deleted_runs(found)))
        edit_re = self._edit_re
        if _COMBINING.search(folded):
            if self._edit_re_composing is None:
                full = [regex.escape(k) for k in sorted(self._replace, key=len, reverse=True)]
                self._edit_re_composing = regex.compile("|".join(full + self._deletions))
            edit_re = self._edit_re_composing
        replace = self._replace
        runs = ((m.start(), m.end(), replace.get(m.group(), ""), _ATTACHED.match(folded, m.start()) is not None)
                for m in edit_re.finditer(folded))
        return _edited(text, folded, runs)


def _edited(text: str, folded: str, runs) -> "NormalizedText":
    """``folded`` with each run (start, end, replacement, marks?) replaced, in order, and the
    edits that map it back to ``text``."""
    edits: list[tuple[int, int, int, int]] = []  # (norm_pos, norm_len, orig_pos, orig_len)
    attached: dict[int, int] = {}  # norm_pos of a deleted run of marks -> its original end
    pieces: list[str] = []
    last = 0
    shift = 0  # norm_pos - orig_pos after the edits so far
    prev_deleted_end = -1
    for s, e, rep, marks in runs:
        pieces.append(folded[last:s])
        pieces.append(rep)
        edits.append((s + shift, len(rep), s, e - s))
        # marks right after a kept letter belong to it (not marks after a bidi control)
        if not rep and marks and prev_deleted_end != s:
            attached[s + shift] = e
        if not rep:
            prev_deleted_end = e
        shift += len(rep) - (e - s)
        last = e
    if not edits:
        return NormalizedText(folded, text, [])
    pieces.append(folded[last:])
    return NormalizedText("".join(pieces), text, edits, attached)


@dataclass
class NormalizedText:
    """Normalised text plus the edits needed to map offsets back to ``original``."""

    text: str
    original: str
    edits: list[tuple[int, int, int, int]]
    attached: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._keys = [e[0] for e in self.edits]

    def to_original_start(self, i: int) -> int:
        """Original index of the character at normalised index ``i``."""
        if not self.edits:
            return i
        k = bisect.bisect_right(self._keys, i) - 1
        if k < 0:
            return i
        npos, nlen, opos, olen = self.edits[k]
        if i < npos + nlen:  # inside an expansion: the whole replaced stretch
            return opos
        return opos + olen + (i - npos - nlen)

    def to_original_end(self, j: int) -> int:
        """Original index just after the character at normalised index ``j - 1``."""
        if not self.edits:
            return j
        k = bisect.bisect_left(self._keys, j) - 1
        if k < 0:
            return j
        npos, nlen, opos, olen = self.edits[k]
        if j <= npos + nlen:
            return opos + olen
        return opos + olen + (j - npos - nlen)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) to the original text. Diacritics and tatweel
        right after the last character are part of it and come along."""
        if end <= start:
            s = self.to_original_start(start)
            return s, s
        e = self.to_original_end(end)
        if self.attached:
            e = self.attached.get(end, e)
        return self.to_original_start(start), e
