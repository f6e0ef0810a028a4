"""Where sentences, clauses and paragraphs break: one definition for the whole program.

A sentence ends after ``. ! ? ؟ …`` (then any closing quotes and brackets, then space) or at a
line break; a clause also at any other terminal punctuation but the comma (``; ؛ :``), in any
script; a paragraph at a blank line. Extraction (a claim's sentence), windowing (where a long
text is cut), ``check`` (a part and its whole in one clause) and the HTML report (paragraphs)
all ask here.
"""
from __future__ import annotations

import functools
import unicodedata

import regex

# only a match's end is used, so the stop is matched, not looked behind for (a look-behind is
# tried at every position)
SENTENCE_END = regex.compile(r"[.!?؟…][\"')\]»]*\s+|\n\s*")
BLANK_LINE = regex.compile(r"\n[^\S\n]*\n")
PARAGRAPH_BREAK = regex.compile(r"\r?\n(?:[^\S\r\n]*\r?\n)+")
_NEWLINE = regex.compile(r"\n")
_SPACE = regex.compile(r"\s+")
_TERMINAL = regex.compile(r"\p{Terminal_Punctuation}")


def sentence_starts(text: str) -> list[int]:
    """The offset of every sentence's start, the first being 0."""
    starts = [0]
    for m in SENTENCE_END.finditer(text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


@functools.lru_cache(maxsize=4096)
def _breaks_clause(ch: str) -> bool:
    return ch == "\n" or (_TERMINAL.match(ch) is not None and "COMMA" not in unicodedata.name(ch, ""))


def clause_break(s: str) -> bool:
    """Does ``s`` hold a clause break: a full stop, colon, semicolon, question or exclamation
    mark in any script (Unicode terminal punctuation other than a comma), or a line break?"""
    return any(map(_breaks_clause, s))


def find_cut(text: str, lo: int, hi: int) -> int:
    """Where to end a stretch of ``text`` that should end between ``lo`` and ``hi``: just after
    the last blank line there, else the last line break, else the last sentence end, else the
    last whitespace; ``hi`` when the stretch has no whitespace at all. No claim straddles such
    a cut but in the rarest text."""
    lo = max(0, lo)
    for rx in (BLANK_LINE, _NEWLINE, SENTENCE_END, _SPACE):
        ends = [m.end() for m in rx.finditer(text, lo, hi)]
        if ends and ends[-1] > lo:
            return ends[-1]
    return hi


def line_start_before(text: str, pos: int, within: int) -> int:
    """The start of the line ``pos`` is on, if it starts at most ``within`` characters back;
    else ``pos - within`` (a window's left context: its sentences then start right)."""
    lo = max(0, pos - within)
    nl = text.rfind("\n", lo, pos)
    return nl + 1 if nl >= 0 else lo


def opening_bracket_before(text: str, pos: int) -> int | None:
    """Where an opening bracket stands right before ``pos``, a space between at most ("(4.8",
    "( 4.8": wire copy brackets its figures in right-to-left text); None if none."""
    j = pos - 1 if text[pos - 1:pos] == " " else pos
    return j - 1 if j > 0 and text[j - 1] == "(" else None


def closing_bracket_after(text: str, pos: int) -> int | None:
    """Where a closing bracket right after ``pos`` ends, a space between at most; None if none."""
    k = pos + 1 if text[pos:pos + 1] == " " else pos
    return k + 1 if text[k:k + 1] == ")" else None
