"""The private-use characters that stand for a figure or a unit in the masked text.

The engine replaces every numeral (and the unit next to it) with characters of the same
length: a lead character that says what it is, then continuation characters. The rule
files' macros (``{num}``, ``{unit}``…) match those, so a pattern treats a figure as one
token and offsets never move.
"""
from __future__ import annotations

# definite: a number word with the article, after its noun (السنوات العشر): no figure alone
MASK_LEAD = {"digits": "\ue000", "year": "\ue001", "words": "\ue002", "weak": "\ue003", "ordinal": "\ue004",
             "definite": "\ue005"}
MASK_CONT = "\ue00f"
UNIT_KINDS = ("money", "percent", "ratio", "duration", "quantity")
UNIT_LEAD = {k: chr(0xE010 + i) for i, k in enumerate(UNIT_KINDS)}  # a unit after its figure
UNIT_BEFORE_LEAD = {k: chr(0xE018 + i) for i, k in enumerate(UNIT_KINDS)}  # a unit before it
# the first character of every masked figure and unit
LEADS = "".join([*MASK_LEAD.values(), *UNIT_LEAD.values(), *UNIT_BEFORE_LEAD.values()])
# what the engine notes of a letter with case outside ASCII next to a figure (which letters
# `regex` takes for its case partners is not settled there: such a figure is always tried by a
# pattern, whatever it says may come before or after its figure; Pattern.follow and precede)
NEIGHBOUR_ANY = "\x00any"


def cased_beyond_ascii(c: str) -> bool:
    """Is ``c`` a letter with case outside ASCII: one a figure's neighbour filter never relies
    on (noted as NEIGHBOUR_ANY by the window, no filter where a pattern names one)?"""
    return not c.isascii() and c.lower() != c.upper()


def lead_class(chars: str) -> str:
    """A class of masked lead characters as the macros write it: one range, any character of
    it not in ``chars`` refused by a look-behind, and case-sensitive. The same characters as
    a plain class, but `regex` finds the first character of a match by a range check, where
    a listed class (and any class under IGNORECASE) is tested character by character: a
    pattern that starts with a figure is searched about five times faster (private-use
    characters have no case, so the case flag changes nothing else)."""
    cps = sorted({ord(c) for c in chars})
    lo, hi = cps[0], cps[-1]
    out = f"(?-i:[{chr(lo)}-{chr(hi)}])" if hi > lo else f"(?-i:{chr(lo)})"
    gaps = "".join(chr(c) for c in range(lo, hi + 1) if c not in cps)
    return out + (f"(?<![{gaps}])" if gaps else "")

