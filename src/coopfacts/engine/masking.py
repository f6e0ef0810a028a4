"""The masked text the patterns read: every numeral, and the unit right after (or before) it,
replaced by private-use characters of the same length, a lead character that says what it is
followed by continuation characters (rulebook/masks.py). A pattern then treats a figure as one
token (``{num}``, ``{unit}``), offsets never move, and a numeral's value is looked up by its
start."""
from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from coopfacts.engine.numeral_grammar import Numeral
from coopfacts.rulebook import prefixes
from coopfacts.rulebook.cache import fixed_regex
from coopfacts.rulebook.language import Language, UnitEntry
from coopfacts.rulebook.masks import LEADS, MASK_CONT, MASK_LEAD, UNIT_BEFORE_LEAD, UNIT_LEAD
from coopfacts.text.segments import closing_bracket_after, opening_bracket_before

_LEAD_RE = fixed_regex("[" + LEADS + "]")
_UNIT_BEFORE_REACH = 24  # characters before a figure a unit written before it may start
_NOT_AFTER_REACH = 100  # characters before a figure a unit's not_after_in_clause word may stand


def mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, lead)`` span, in order and apart, masked."""
    out, last = [], 0
    for s, e, lead in spans:
        out.append(text[last:s])
        out.append(lead + MASK_CONT * (e - s - 1))
        last = e
    out.append(text[last:])
    return "".join(out)


def mask_numerals(text: str, numerals: list[Numeral]) -> str:
    return mask(text, [(n.start, n.end, MASK_LEAD[n.cls]) for n in numerals]) if numerals else text


def _units_after(lang: Language, masked: str, ntext: str, nums: list[Numeral],
                 evidenced: Callable[[UnitEntry, int], bool]) -> list[tuple[int, int, str]]:
    rules = lang.unit_rules
    spans: list[tuple[int, int, str]] = []
    taken_end = -1
    for n in nums:
        if n.cls == "ordinal":
            continue  # "الأولى من سنة 2024": no amount follows an ordinal
        at = n.end
        closing = closing_bracket_after(masked, n.end)
        if closing is not None and opening_bracket_before(masked, n.start) is not None:
            at = closing  # "(4.8) بالمائة", "( 4.8 ) بالمائة": the figure in brackets of its own, its unit after them
        m = rules.after_re.match(masked, at)
        if m and m.start("unit") >= taken_end:
            entry = lang.units.get(lang.unit_key(ntext[m.start("unit"):m.end("unit")]))
            if entry is not None and entry.kind == "duration":
                named = rules.not_before_re.match(masked, m.end("unit"))
                if named and entry.code == ("year" if named.group("year") is not None else "month"):
                    entry = None  # "14 شهر شباط", "سنة 2022": a month or year word before one names it
                    #               ("۹ ماه ۱۴۰۲" is nine months of 1402)
            if entry is not None and entry.not_before is not None and entry.not_before.match(ntext, m.end("unit")):
                entry = None  # "سه تن از مسئولان": the word is another word here (persons, not tonnes)
            if entry is not None and entry.not_after is not None and entry.not_after.search(
                    ntext, max(0, n.start - _NOT_AFTER_REACH), n.start):
                entry = None  # "شمار عودت‌کنندگان به ۵۱۲ هزار تن رسید": a number of people, in persons
            if entry is not None and entry.evidence_only and not evidenced(entry, m.start("unit")):
                entry = None  # "12 livres": books, unless its paragraph names a country whose money it is
            if (entry is not None and n.cls == "weak"
                    and _before_next_figure(rules, masked, m.start("unit"), m.end("unit"))):
                entry = None  # a sign before the next figure is that figure's, not the article's before it
            if (entry is not None and lang.numbers.glued_sign_goes_forward and m.start("unit") > at
                    and (masked[m.end("unit"):m.end("unit") + 1] in _FIGURE_LEADS
                         or rules.before_re.search(masked, max(0, n.start - _UNIT_BEFORE_REACH), n.start))
                    and _before_next_figure(rules, masked, m.start("unit"), m.end("unit"))):
                # "3 USD50": the code glued to the figure after it is that figure's; so is a sign
                # between two figures when the first has its own before it ("$ 20 $ 37")
                entry = None
            if entry is not None:
                spans.append((m.start("unit"), m.end("unit"), UNIT_LEAD[entry.kind]))
                taken_end = m.end("unit")
    return spans


_FIGURE_LEADS = (MASK_LEAD["digits"], MASK_LEAD["year"], MASK_LEAD["words"])


def _before_next_figure(rules: Any, masked: str, us: int, ue: int) -> bool:
    """Whether the unit at ``us:ue`` is one written before a figure and a figure follows it."""
    j = ue
    while j < len(masked) and masked[j] in " \t\u00a0":
        j += 1
    if j >= len(masked) or masked[j] not in _FIGURE_LEADS:
        return False
    m = rules.before_re.search(masked, us, j)
    return m is not None and m.start("unit") == us


def _units_before(lang: Language, masked: str, ntext: str, nums: list[Numeral],
                  spans: list[tuple[int, int, str]]) -> None:
    """Units written before their figure ($, MAD), added to ``spans`` where they overlap none."""
    rules = lang.unit_rules
    # the units taken never overlap, so kept sorted by start they are sorted by end too: one
    # neighbour tells whether a new one overlaps any
    starts = [s for s, _, _ in spans]
    ends = [e for _, e, _ in spans]
    for n in nums:
        lo = max(0, n.start - _UNIT_BEFORE_REACH)
        if rules.before_last is not None and not prefixes.may_end_before(rules.before_last, masked, n.start, lo):
            continue  # no unit ends right before this figure
        m = rules.before_re.search(masked, lo, n.start)
        if not m:
            continue
        us, ue = m.span("unit")
        if "\n" in masked[ue:n.start]:
            continue  # a unit on the line before names no figure of this one
        k = bisect.bisect_left(starts, ue)
        if k and ends[k - 1] > us:
            continue
        entry = lang.units.get(lang.unit_key(ntext[us:ue]))
        if entry is not None:
            spans.append((us, ue, UNIT_BEFORE_LEAD[entry.kind]))
            starts.insert(k, us)
            ends.insert(k, ue)


def mask_units(lang: Language, masked: str, ntext: str, nums: list[Numeral],
               evidenced: Callable[[UnitEntry, int], bool] = lambda entry, at: False) -> str:
    """``masked`` with the unit right after each figure (or right before it: $, MAD) masked
    with a lead character of its kind, as the numerals are. ``evidenced`` says whether the
    paragraph at a position names a country of a word that is money only by evidence."""
    if not nums:
        return masked
    spans = _units_after(lang, masked, ntext, nums, evidenced)
    _units_before(lang, masked, ntext, nums, spans)
    if not spans:
        return masked
    spans.sort()
    return mask(masked, spans)


def lead_positions(masked: str) -> dict[str, list[int]]:
    """Where each lead character (a masked figure or unit) stands, by character."""
    out: dict[str, list[int]] = {}
    for m in _LEAD_RE.finditer(masked):
        out.setdefault(m.group(), []).append(m.start())
    return out
