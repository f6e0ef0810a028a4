"""The pipeline: text -> normalised text -> numerals -> pattern matches -> claims.

This is the only module that strings the steps together; the CLI and the
Python API both call :func:`extract`.

Patterns (from the rule files) run over a *masked* copy of the normalised text
in which every numeral found by :mod:`numbers` is replaced by private-use
characters of the same length: a lead character that says what sort of numeral
it is (digits, a plain four-digit year, words, a weak word such as an article,
an ordinal) followed by continuation characters.  Patterns therefore treat a
numeral as one token (``{num}``), offsets are unchanged, and the value of a
numeral is looked up by its start.
"""
from __future__ import annotations

import bisect
import os
import sys
from dataclasses import dataclass
from typing import Any, Iterable

import regex

import datetime as _dt

from coopfacts.engine import dates
from coopfacts.engine import windows
from coopfacts.engine.langdetect import detect_language
from coopfacts.model import Claim, clean_number
from coopfacts.text.normalize import NormalizedText
from coopfacts.engine.numbers import Numeral, scan
from coopfacts.text import literals
from coopfacts.rulebook import prefixes
from coopfacts.rulebook.book import (MASK_CONT, MASK_LEAD, UNIT_BEFORE_LEAD, UNIT_LEAD, Language, Pattern, Rulebook,
                       get_rulebook)

# A rule file is untrusted input: one pattern with catastrophic backtracking must not hang a
# run.  Each pattern gets this many seconds of matching per document (the regex module's own
# clock); past it, the pattern is reported once and skipped for that document.
try:
    PATTERN_TIMEOUT = float(os.environ.get("COOPFACTS_PATTERN_TIMEOUT") or 5.0)
except ValueError:
    PATTERN_TIMEOUT = 5.0
_TIMED_OUT: set[tuple[str, str, str]] = set()  # (language, pattern id, document id)


def pattern_timed_out(lang: Language, p: Pattern, doc: str | None) -> None:
    """Report a pattern that ran out of time (one line on stderr per pattern and document)."""
    if doc is not None:
        _TIMED_OUT.add((lang.code, p.id, doc))
    where = f" ({p.source}:{p.line})" if p.source else ""
    print(f"coopfacts: {doc or '<text>'}: rule {lang.code}.{p.id}{where} took over {PATTERN_TIMEOUT:g} s "
          f"(catastrophic backtracking?); skipped for this document", file=sys.stderr, flush=True)


_NEGATED = {"more_than": "at_most", "less_than": "at_least", "at_least": "less_than", "at_most": "more_than"}
# where a sentence ends: after . ! ? ؟ … (closing quotes and brackets, then space), or at a
# line break; only the match's end is used, so the stop is matched, not looked behind for
# (a look-behind is tried at every position)
_SENTENCE_END = regex.compile(r"[.!?؟…][\"')\]»]*\s+|\n\s*")


_DATELINE_WITHIN = 600  # a dateline starts this near the top of the page


class _Lazy:
    """A match not resolved yet, with the span its claim will have."""

    __slots__ = ("start", "end", "priority", "pattern", "kind", "match")

    def __init__(self, start, end, priority, pattern, kind, match):
        self.start, self.end, self.priority, self.pattern, self.kind, self.match = start, end, priority, pattern, kind, match


@dataclass
class _Cand:
    start: int  # normalised offsets of the claim's core (no qualifier)
    end: int
    priority: int
    pattern: Pattern
    kind: str
    value: Any
    unit: str | None = None
    unit_span: tuple[int, int] | None = None
    qualifier: str | None = None
    calendar: str | None = None
    extra: dict | None = None
    members: list["_Cand"] | None = None  # a range: its ends, chosen together
    approx: bool = False  # the numeral itself says "about" (une centaine)


def mask_numerals(text: str, numerals: list[Numeral]) -> str:
    return _mask(text, [(n.start, n.end, MASK_LEAD[n.cls]) for n in numerals]) if numerals else text


def _mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for s, e, lead in spans:
        out.append(text[last:s])
        out.append(lead + MASK_CONT * (e - s - 1))
        last = e
    out.append(text[last:])
    return "".join(out)


_PREFIXES_FROM = prefixes.SEARCH_FROM  # a shorter text is not case-folded for the prefixes


def _pattern_matches(p: Pattern, masked: str, folded: str | None = None, leads: dict | None = None,
                     starts: list[int] | None = None):
    """The matches of ``p`` in ``masked`` (``folded``: its case folding, if already made), as
    ``finditer`` gives them; a pattern that starts with words may be tried only where its
    prefixes are (``starts``: where they are, if already found), one that starts with a
    masked figure only where those are (``leads``: their positions by lead character;
    prefixes.py)."""
    if starts is not None:
        return prefixes.finditer_from(p.regex, starts, masked, PATTERN_TIMEOUT)
    if p.lead_chars and not p.prefix_lits and leads is not None:
        return prefixes.finditer_at(p.regex, p.lead_chars, leads, masked, PATTERN_TIMEOUT)
    return prefixes.finditer(p.regex, p.prefix_src, p.prefix_folded, masked, folded, PATTERN_TIMEOUT)


def pattern_starts(p: Pattern, key, starts: dict | None, masked: str, leads: dict[str, list[int]]) -> list[int] | None:
    """Where pattern ``p`` can start in ``masked``, from what the automaton found (``starts``,
    by group; ``key``: the pattern's group): at its prefixes, at the start of every word
    that holds one of its word endings, and at the figures it may start with (``leads``:
    their positions by lead character); a pattern that starts a line, at the lines that
    hold what its first line needs (any line when the automaton did not run: ``starts`` is
    None); None when it may start anywhere."""
    if p.line_start:
        if not p.line_needs or starts is None:
            return prefixes.line_starts(masked)
        # the starts of the lines that hold what the pattern's first line needs
        rfind = masked.rfind
        return sorted({rfind("\n", 0, q) + 1 for q in starts.get(("need", key), ())})
    if not p.prefix_lits or starts is None:
        return None
    at = starts.get(key, [])
    if p.prefix_ws:  # found right after a letter, these start no match
        ws = [q for q in starts.get(("ws", key), ()) if not (q and masked[q - 1].isalpha())]
        if ws:
            at = sorted({*at, *ws})
    ends = starts.get(("end", key)) if p.word_endings else None
    if ends:
        back = _WORD_BACK.match
        at = sorted({*at, *(back(masked, 0, q + 1).start() for q in ends)})
    if p.lead_chars:
        at = sorted({*at, *(q for c in p.lead_chars for q in leads.get(c, ()))})
    if p.word_start:  # not right after a letter (a prefix found inside a word)
        at = [q for q in at if not (q and masked[q - 1].isalpha())]
    return at


_WORD_BACK = regex.compile(r"\w*", regex.REVERSE)  # matched backwards: the start of a word


def _lead_positions(masked: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for m in _LEAD_RE.finditer(masked):
        out.setdefault(m.group(), []).append(m.start())
    return out


_LEADS = "".join([*MASK_LEAD.values(), *UNIT_LEAD.values(), *UNIT_BEFORE_LEAD.values()])
_LEAD_RE = regex.compile("[" + _LEADS + "]")


def _prefixed_matches(p: Pattern, masked: str, folded: str | None = None):
    return prefixes.prefixed_finditer(p.regex, p.prefix_src, p.prefix_folded, masked, folded, PATTERN_TIMEOUT)


class Extractor:
    """Extraction for one language (compiled rules held)."""

    def __init__(self, lang: Language):
        self.lang = lang
        self._low: tuple[str, str, dict] | None = None
        self._hits_of: str | None = None  # the masked window _hits belong to
        self._hits: dict[str, prefixes.Hits] = {}
        self._scan: literals.LiteralScan | None = None  # built at the first long text
        self._starts_of: str | None = None  # the masked window _starts belong to
        self._starts: dict = {}

    def _literal_starts(self, masked: str, folded: str) -> dict | None:
        """Where every pattern's prefixes (by the pattern's index) and the context patterns'
        (by name) start in ``masked``: one pass over its case folding, when the folding keeps
        every character in place (prefixes.Caseless) and the automaton is there."""
        if not literals.available() or len(folded) != len(masked):
            return None
        if self._scan is None:
            L = self.lang
            # a pattern's prefixes in two groups: those that start a match only at a word start
            groups: dict = {i: set(p.prefix_lits) - set(p.prefix_ws) for i, p in enumerate(L.patterns) if p.prefix_lits}
            groups.update({("ws", i): p.prefix_ws for i, p in enumerate(L.patterns) if p.prefix_ws})
            groups.update({("end", i): p.word_endings for i, p in enumerate(L.patterns) if p.word_endings})
            groups["qual_distant"] = L.qual_distant_prefixes[2]
            groups["change_before"] = L.change_before_prefixes[2]
            groups.update({("lead", c): (c,) for c in _LEADS})  # masked figures and units
            groups.update({("need", i): tuple(p.line_needs) for i, p in enumerate(L.patterns) if p.line_needs})
            self._scan = literals.LiteralScan(groups)
        found = self._scan.starts(folded)
        if found is None:
            return None
        self._starts_of, self._starts = masked, found
        return found

    # -- numerals --------------------------------------------------------
    def numerals(self, nt: NormalizedText) -> list[Numeral]:
        return scan(self.lang, nt.text)

    def _mask_units(self, masked: str, ntext: str, nums: list[Numeral]) -> str:
        """Mask the unit right after each figure (or right before it: $, MAD) with a lead
        character of its kind, as the numerals are."""
        L = self.lang
        if L.unit_after_re is None or not nums:
            return masked
        spans: list[tuple[int, int, str]] = []
        taken_end = -1
        for n in nums:
            if n.cls == "ordinal":
                continue  # "الأولى من سنة 2024": no amount follows an ordinal
            m = L.unit_after_re.match(masked, n.end)
            if m and m.start("unit") >= taken_end:
                entry = L.units.get(L.key(ntext[m.start("unit"):m.end("unit")]))
                if entry is not None and entry.kind == "duration" and L.unit_not_before_re.match(masked, m.end("unit")):
                    entry = None
                if entry is not None:
                    spans.append((m.start("unit"), m.end("unit"), UNIT_LEAD[entry.kind]))
                    taken_end = m.end("unit")
        if L.unit_before_re is not None:
            # the units taken never overlap, so kept sorted by start they are sorted by end
            # too: one neighbour tells whether a new one overlaps any
            starts = [s for s, _, _ in spans]
            ends = [e for _, e, _ in spans]
            last = L.unit_before_last
            for n in nums:
                lo = max(0, n.start - 24)
                if last is not None and not prefixes.may_end_before(last, masked, n.start, lo):
                    continue  # no unit ends right before this figure
                m = L.unit_before_re.search(masked, lo, n.start)
                if not m:
                    continue
                us, ue = m.span("unit")
                k = bisect.bisect_left(starts, ue)
                if k and ends[k - 1] > us:
                    continue
                entry = L.units.get(L.key(ntext[us:ue]))
                if entry is not None:
                    spans.append((us, ue, UNIT_BEFORE_LEAD[entry.kind]))
                    starts.insert(k, us)
                    ends.insert(k, ue)
        if not spans:
            return masked
        spans.sort()
        return _mask(masked, spans)

    # -- claims ------------------------------------------------------------
    def claims(self, text: str, doc: str | None = None, kinds: set[str] | None = None,
               reference: _dt.date | None = None) -> list[Claim]:
        """Claims of a whole document; a long one window by window (engine/windows.py)."""
        if len(text) <= windows.CHUNK_CHARS:
            return self.window_claims(text, doc, kinds, reference)
        return list(windows.windowed_claims([text], lambda part, ref: self.window_claims(part, doc, kinds, ref), reference))

    def window_claims(self, text: str, doc: str | None, kinds: set[str] | None,
                       reference: _dt.date | None) -> list[Claim]:
        L = self.lang
        nt = L.normalizer(text)
        nums = self.numerals(nt)
        by_start = {n.start: n for n in nums}
        masked = self._mask_units(mask_numerals(nt.text, nums), nt.text, nums)
        cands: list[_Cand] = []
        relative: list = []
        long = len(masked) >= _PREFIXES_FROM
        folded = masked.casefold() if long else None
        starts = self._literal_starts(masked, folded) if long else None
        if starts is not None:  # the automaton found the figures' lead characters too
            leads = {c: starts[("lead", c)] for c in _LEADS if ("lead", c) in starts}
        else:
            leads = _lead_positions(masked) if long else None
        for i, p in enumerate(L.patterns):
            if doc is not None and (L.code, p.id, doc) in _TIMED_OUT:
                continue  # timed out on an earlier window of this document
            if p.requires is not None and not p.requires.search(masked):
                continue  # what the pattern needs is nowhere in this text
            found: list[_Cand] = []
            found_rel: list = []
            try:
                eager = p.range or p.sum or p.kind == "ignore"
                at = pattern_starts(p, i, starts, masked, leads) if long else None
                for m in _pattern_matches(p, masked, folded, leads, at):
                    if p.relative:
                        found_rel.append((p, m))
                        continue
                    if not eager:
                        # resolved only if chosen: most matches lose to a longer or
                        # higher one. Its span is known now (as _resolve makes it); a
                        # date near the top is resolved at once, a dateline candidate.
                        spans = [sp for sp in map(m.span, p.span_groups) if sp[0] >= 0]
                        cs, ce = (min(x[0] for x in spans), max(x[1] for x in spans)) if spans else m.span()
                        if p.kind != "date" or cs > _DATELINE_WITHIN:
                            found.append(_Lazy(cs, ce, p.priority, p, p.kind, m))
                            continue
                    c = self._resolve(p, m, nt.text, by_start)
                    if c is not None:
                        found.append(c)
            except TimeoutError:
                pattern_timed_out(L, p, doc)
                continue
            cands.extend(found)
            relative.extend(found_rel)
        dateline = self._dateline(cands, masked)
        if relative:
            ref = reference or (dateline.extra.get("_date") if dateline is not None else None)
            if ref is not None:
                for p, m in relative:
                    c = self._relative(p, m, ref)
                    if c is not None:
                        cands.append(c)
        cands.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.start))
        # taken spans never overlap, so sorted by start they are sorted by end too:
        # one neighbour decides whether a candidate overlaps (no quadratic scan)
        t_starts: list[int] = []
        t_ends: list[int] = []
        chosen: list[_Cand] = []
        n_ranges = 0
        for c in cands:
            k = bisect.bisect_left(t_starts, c.end)
            if k and t_ends[k - 1] > c.start:
                continue
            if type(c) is _Lazy:
                c = self._resolve(c.pattern, c.match, nt.text, by_start)
                if c is None:
                    continue
            t_starts.insert(k, c.start)
            t_ends.insert(k, c.end)
            if c.members:
                n_ranges += 1
                for mem in c.members:
                    mem.extra = dict(mem.extra or {}, range=n_ranges)
                    chosen.append(mem)
            elif c.kind != "ignore":
                chosen.append(c)
        chosen.sort(key=lambda c: c.start)
        renumber: dict[int, int] = {}
        for c in chosen:  # range ids in reading order
            if c.extra and "range" in c.extra:
                c.extra["range"] = renumber.setdefault(c.extra["range"], len(renumber) + 1)
        self._link_comparisons(chosen, masked)
        sentences = _sentence_starts(text)
        out: list[Claim] = []
        for c in chosen:
            if kinds and c.kind not in kinds:
                continue
            out.append(self._claim(c, nt, masked, doc, sentences))
        return out

    def _link_comparisons(self, chosen: list[_Cand], masked: str) -> None:
        """`12 % des emplois, contre 9 %`, `2.4 مليار درهم مقابل 900 مليون`: a figure compared
        with the next one of its kind in the same clause links to it (both ways). A bare
        figure compared with a sum of money is that money (the unit is written once)."""
        L = self.lang
        if L.comparison_re is None:
            return
        for a, b in zip(chosen, chosen[1:]):
            gap = masked[a.end:b.start]
            if len(gap) > 60 or "\n" in gap or any(ch in gap for ch in ".!?؟;؛"):
                continue
            if not L.comparison_re.search(gap):
                continue
            if b.kind == "count" and a.kind == "money" and a.unit and not self._has_noun(masked, b.end):
                b.kind, b.unit = a.kind, a.unit  # "… مقابل 900 مليون": the same currency
            if a.kind != b.kind or a.kind == "date":
                continue
            a.extra = dict(a.extra or {}, compared_to=("next", b))
            b.extra = dict(b.extra or {}, compared_to=("prev", a))

    def _resolve(self, p: Pattern, m, ntext: str, by_start: dict[int, Numeral]) -> _Cand | None:
        L = self.lang
        gd = m.groupdict()
        spans = [sp for sp in map(m.span, p.span_groups) if sp[0] >= 0]
        if p.kind == "ignore":
            s, e = m.span()
            return _Cand(s, e, p.priority, p, "ignore", None)
        s, e = (min(x[0] for x in spans), max(x[1] for x in spans)) if spans else m.span()
        kind = p.kind
        value: Any = p.value
        unit = p.unit
        unit_span = None
        extra: dict = {}
        calendar = None
        if p.range:
            return self._range(p, m, ntext, by_start)
        if p.sum:
            return self._sum(p, m, ntext, by_start)
        approx = False
        if gd.get("num") is not None:
            n = by_start.get(m.start("num"))
            if n is None:
                return None
            value = n.value
            approx = n.approx
            if kind == "count" and n.cls == "weak" and not n.integer:
                return None  # a bare fraction (ربع, deux tiers) counts nothing
        if kind == "date":
            try:
                value, calendar, extra = self._date(p, m, by_start)
            except dates.BadDate:
                return None
            return _Cand(s, e, p.priority, p, kind, value, None, None, p.qualifier, calendar, extra)
        if gd.get("unit") is not None:
            entry = self._unit(L.key(ntext[m.start("unit"):m.end("unit")]), ntext)
            if entry is None:
                return None
            unit_span = m.span("unit")
            if kind == "unit":
                kind = entry.kind
            if entry.dual and gd.get("num") is None:
                value = 2
            if value is None:
                value = 1
            value = value * entry.factor
            unit = unit or entry.code
        elif gd.get("dual") is not None and value is None:
            value = 2
        if kind == "unit" or value is None:
            return None
        if isinstance(value, (int, float)):
            value = clean_number(float(value))
        return _Cand(s, e, p.priority, p, kind, value, unit, unit_span, p.qualifier, None, extra, approx=approx)

    def _unit(self, key: str, ntext: str):
        """The unit written ``key``; where several currencies share a name (dinar), the one whose
        context words (country, adjective) the document mentions, else the rule file's default."""
        entry = self.lang.units.get(key)
        if entry is not None and entry.alternatives:
            if self._low is None or self._low[0] is not ntext:
                self._low = (ntext, ntext.casefold(), {})  # once per document
            _, low, seen = self._low
            for alt in entry.alternatives:
                hit = seen.get(id(alt))
                if hit is None:
                    hit = seen[id(alt)] = any(w in low for w in alt.context)
                if hit:
                    return alt
        return entry

    def _range(self, p: Pattern, m, ntext: str, by_start: dict[int, Numeral]) -> _Cand | None:
        """A range (`10 to 20 dollars`, `2021–2025`): each end is its own claim; the
        unit written once after the last end applies to both."""
        L = self.lang
        gd = m.groupdict()
        if gd.get("day") is not None and gd.get("month") is not None:
            return self._day_range(p, m, by_start)
        group = "year" if gd.get("year") is not None else "num"
        spans = m.spans(group)
        if len(spans) < 2:
            return None
        nums = [by_start.get(s) for s, _ in spans]
        if any(n is None for n in nums):
            return None
        # "85 à 110 millions de dongs": a bare first end takes the scale the last end wrote
        borrowed = nums[-1].scale if nums[0].scale == 1 and nums[-1].scale > 1 and nums[0].value < 1000 else 1.0
        entry = None
        unit_span = None
        if gd.get("unit") is not None:
            unit_span = m.span("unit")
            entry = self._unit(L.key(ntext[unit_span[0]:unit_span[1]]), ntext)
            if entry is None:
                return None
        kind = entry.kind if p.kind == "unit" and entry else p.kind
        if kind == "unit":
            return None
        members = []
        for i, (s, e) in enumerate(spans):
            n = nums[i]
            last = i == len(spans) - 1
            # a qualifier before the range bounds its first end; "تا" / "à" inside it is no bound
            qual = p.qualifier if i == 0 else "exact"
            end = max(e, unit_span[1]) if (last and unit_span) else e
            if kind == "date":
                try:
                    value, calendar, extra = self._date_parts(p, int(n.value), None, None, None)
                except dates.BadDate:
                    return None
                members.append(_Cand(s, end, p.priority, p, kind, value, None, None, qual, calendar, extra))
            else:
                value = clean_number(n.value * (borrowed if i < len(spans) - 1 else 1.0) * (entry.factor if entry else 1.0))
                members.append(_Cand(s, end, p.priority, p, kind, value, p.unit or (entry.code if entry else None),
                                     unit_span if last else None, qual))
        return _Cand(members[0].start, members[-1].end, p.priority, p, kind, None, members=members)

    def _sum(self, p: Pattern, m, ntext: str, by_start: dict[int, Numeral]) -> _Cand | None:
        """`20 دولار و43 سنت`, `1 USD et 23 centimes`: one sum, each figure times its own unit."""
        L = self.lang
        nums, units = m.spans("num"), m.spans("unit")
        if len(nums) != len(units) or len(nums) < 2:
            return None
        total, code, factor = 0.0, None, None
        for (ns, _), (us, ue) in zip(nums, units):
            n = by_start.get(ns)
            entry = self._unit(L.key(ntext[us:ue]), ntext)
            if n is None or entry is None or entry.kind != "money":
                return None
            if factor is not None and entry.factor >= factor:
                return None  # "10 euros et 20 euros" are two sums; only a smaller unit adds (cents)
            factor = entry.factor
            code = code or entry.code  # centimes follow the currency before them
            total += n.value * entry.factor
        return _Cand(nums[0][0], units[-1][1], p.priority, p, "money", clean_number(total), code, units[0])

    def _day_range(self, p: Pattern, m, by_start) -> _Cand | None:
        """`du 2 au 5 novembre`, `بين 8 و10 ماي 2023`: each day is a date with the shared month/year."""
        L = self.lang
        gd = m.groupdict()
        cal, month = L.months[L.key(gd["month"])]
        year = int(by_start[m.start("year")].value) if gd.get("year") is not None else None
        members = []
        for i, (s, e) in enumerate(m.spans("day")):
            n = by_start.get(s)
            if n is None or not n.integer or not 1 <= n.value <= 31:
                return None
            last = i == len(m.spans("day")) - 1
            end = m.end() if last else e
            try:
                value, calendar, extra = self._date_parts(p, year, month, int(n.value), cal, gd.get("calmark"))
            except dates.BadDate:
                return None
            members.append(_Cand(s, end, p.priority, p, "date", value, None, None, "exact", calendar, extra))
        if len(members) < 2:
            return None
        return _Cand(members[0].start, members[-1].end, p.priority, p, "date", None, members=members)

    def _date(self, p: Pattern, m, by_start) -> tuple[str, str, dict]:
        L = self.lang
        gd = m.groupdict()
        year = month = day = None
        calendar = p.calendar if p.calendar not in (None, "auto") else None
        if gd.get("year") is not None:
            year = int(by_start[m.start("year")].value)
        if gd.get("month") is not None:
            cal, month = L.months[L.key(gd["month"])]
            calendar = calendar or cal
        if gd.get("monthnum") is not None:
            n = by_start.get(m.start("monthnum"))
            if n is None or not n.integer or not 1 <= n.value <= 12:
                raise dates.BadDate("month")
            month = int(n.value)
        if gd.get("day") is not None:
            n = by_start.get(m.start("day"))
            if n is None or not n.integer or not 1 <= n.value <= 31:
                raise dates.BadDate("day")
            day = int(n.value)
        calmark = gd.get("calmark")
        return self._date_parts(p, year, month, day, calendar, calmark)

    def _date_parts(self, p: Pattern, year, month, day, calendar, calmark=None) -> tuple[str, str, dict]:
        L = self.lang
        if calendar is None and p.calendar not in (None, "auto"):
            calendar = p.calendar
        if calmark is not None:
            calendar = L.calendar_markers.get(L.key(calmark), calendar)
        if year is not None and calendar is None:
            for cal, (lo, hi) in L.year_ranges.items():
                if lo <= year <= hi:
                    calendar = cal
                    break
            else:
                raise dates.BadDate("year out of every range")
        elif year is not None:
            rng = L.year_ranges.get(calendar)
            if rng and not rng[0] <= year <= rng[1]:
                raise dates.BadDate("year out of range for its calendar")
        calendar = calendar or "gregorian"
        value, extra = dates.date_value(calendar, year, month, day)
        return value, calendar, extra

    def _claim(self, c: _Cand, nt: NormalizedText, masked: str, doc, sentences) -> Claim:
        L = self.lang
        original = nt.original
        s, e = nt.span(c.start, c.end)
        qualifier = c.qualifier
        if c.kind == "date":
            qualifier = "exact"  # "avant 2010" is a modified date, not a bound on a figure
        if qualifier is None:
            qualifier = "exact"
            lo = max(0, c.start - 48)
            if L.qual_before_re is not None and (
                    L.qual_before_last is None or prefixes.may_end_before(L.qual_before_last, masked, c.start, lo)):
                qm = L.qual_before_re.search(masked, lo, c.start)
                if qm:
                    qualifier = L.qualifiers[L.key(qm.group("q"))]
                    # "لا يتجاوز", "ne dépasse pas": a negated bound turns over
                    if L.negation_re is not None and L.negation_re.search(masked, max(0, qm.start() - 30), qm.start()):
                        qualifier = _NEGATED.get(qualifier, qualifier)
            if qualifier == "exact" and L.qual_distant_re is not None and self._may_start(
                    "qual_distant", L.qual_distant_prefixes, masked, c.start - 60, c.start):
                qm = L.qual_distant_re.search(masked, max(0, c.start - 60), c.start)
                if qm:
                    qualifier = L.qualifiers_distant[L.key(qm.group("q"))]
                    if L.negation_re is not None and L.negation_re.search(masked, max(0, qm.start() - 30), qm.start()):
                        qualifier = _NEGATED.get(qualifier, qualifier)
            if qualifier == "exact" and c.approx:
                qualifier = "approx"
            if qualifier == "exact" and L.qual_after_re is not None:
                qm = L.qual_after_re.match(masked, c.end)
                if qm:
                    qualifier = L.qualifiers_after[L.key(qm.group("q"))]
        entity = None
        if c.pattern.entity:
            entity = self._entity(masked, c.end, nt)
        unit_text = None
        if c.unit_span:
            us, ue = nt.span(*c.unit_span)
            unit_text = original[us:ue]
        k = bisect.bisect_right(sentences, s) - 1
        sent_start = sentences[k] if k >= 0 else 0
        sent_end = sentences[k + 1] if k + 1 < len(sentences) else len(original)
        while sent_end > sent_start and original[sent_end - 1].isspace():
            sent_end -= 1
        extra = {k: v for k, v in (c.extra or {}).items() if not k.startswith("_")}
        if "compared_to" in extra:
            other = extra["compared_to"][1]
            os_, oe = nt.span(other.start, other.end)
            extra["compared_to"] = {"start": os_, "end": oe, "text": original[os_:oe]}
        change = self._change(c, masked)
        if change:
            extra["change"] = change
        return Claim(
            doc=doc, lang=L.code, start=s, end=e, text=original[s:e], kind=c.kind, value=c.value,
            unit=("%" if c.kind == "percent" and not c.unit else c.unit), unit_text=unit_text,
            qualifier=qualifier, entity=entity, sentence_start=sent_start, sentence_end=sent_end,
            rule=f"{L.code}.{c.pattern.id}", calendar=c.calendar, extra=extra,
        )

    def _dateline(self, cands: list[_Cand], masked: str) -> _Cand | None:
        """The publication date at the top of a page (`۲۹ مرداد ۱۴۰۲ - ۱۸:۳۹` on a line of its own):
        the first full date in the first lines whose line holds little else. It is marked
        `dateline: true` and serves as the reference for relative time."""
        best = None
        for c in cands:
            if c.kind != "date" or c.start > _DATELINE_WITHIN or not isinstance(c.value, str) or len(c.value) != 10 or "X" in c.value:
                continue
            ls = masked.rfind("\n", 0, c.start) + 1
            le = masked.find("\n", c.end)
            le = len(masked) if le < 0 else le
            rest = (masked[ls:c.start] + masked[c.end:le]).strip()
            if len(rest) > 40 or masked.count("\n", 0, c.start) > 8:
                continue
            if best is None or c.start < best.start:
                best = c
        if best is not None:
            best.extra = dict(best.extra or {}, dateline=True, _date=_dt.date.fromisoformat(best.value))
        return best

    def _relative(self, p: Pattern, m, ref: _dt.date) -> _Cand | None:
        """Relative time resolved against ``ref`` in the language's calendar for it (a Persian
        "last year" is the last Jalali year)."""
        L = self.lang
        years, months, days, grain = L.relative[L.key(m.group("rel"))]
        cal = L.relative_calendar
        try:
            if grain == "day":
                d = ref + _dt.timedelta(days=days)
                value, extra, cal = d.isoformat(), {}, "gregorian"
            else:
                if cal == "jalali":
                    import jdatetime
                    j = jdatetime.date.fromgregorian(date=ref)
                    y, mo = j.year, j.month
                else:
                    y, mo = ref.year, ref.month
                if grain == "year":
                    value, extra = dates.date_value(cal, y + years, None, None)
                else:
                    k = (y * 12 + mo - 1) + months + 12 * years
                    value, extra = dates.date_value(cal, k // 12, k % 12 + 1, None)
        except dates.BadDate:
            return None
        s, e = m.span("rel")
        return _Cand(s, e, p.priority, p, "date", value, None, None, "exact", cal,
                     dict(extra, relative=True))

    def _has_noun(self, masked: str, pos: int) -> bool:
        """Does a (counted) noun follow the figure at ``pos``?"""
        L = self.lang
        m = L.entity_re.match(masked, pos)
        if not m or "\n" in masked[pos:m.start("w")]:
            return False
        w = L.key(m.group("w"))
        return w not in L.entity_stop and w not in L.entity_skip and w not in L.comparison_words

    def _may_start(self, name: str, sources: tuple[str, str], masked: str, lo: int, hi: int) -> bool:
        """False when a context pattern (a distant qualifier, a change word) cannot start in
        masked[lo:hi]: its prefixes, found once per window, are nowhere there."""
        if not sources[0] or len(masked) < prefixes.SEARCH_FROM:
            return True
        if self._starts_of is masked:  # where the prefixes start is known: one there?
            at = self._starts.get(name, ())
            k = bisect.bisect_left(at, max(0, lo))
            return k < len(at) and at[k] < hi
        hits = self._hits.get(name) if self._hits_of is masked else None
        if hits is None:
            if self._hits_of is not masked:
                self._hits_of, self._hits = masked, {}
            hits = self._hits[name] = prefixes.Hits(sources[0], sources[1], masked)
        return hits.any_within(max(0, lo), hi)

    def _change(self, c: _Cand, masked: str) -> str | None:
        """"increase"/"decrease" when the figure is stated as a change (not as a level reached)."""
        L = self.lang
        if L.change_before_re is None or c.kind in ("date", "duration"):
            return None
        if L.to_after_re is not None and L.to_after_re.match(masked, c.end):
            return None  # "ارتفع من 480 إلى 1245", "passé de 10 à 30": a level, not the change
        m = None
        if self._may_start("change_before", L.change_before_prefixes, masked, c.start - 60, c.start):
            m = L.change_before_re.search(masked, max(0, c.start - 60), c.start)
        if m is None:
            m = L.change_after_re.match(masked, c.end)
            if m is None or c.kind not in ("percent", "ratio"):
                return None
        return L.changes.get(L.key(m.group("c")))

    def _entity(self, masked: str, pos: int, nt: NormalizedText) -> str | None:
        L = self.lang
        words: list[tuple[int, int]] = []
        skipping = True
        while len(words) < L.entity_max:
            m = L.entity_re.match(masked, pos)
            if not m or "\n" in masked[pos:m.start("w")]:
                break
            w = L.key(m.group("w"))
            pos = m.end()
            if skipping and w in L.entity_skip:
                continue
            skipping = False
            if w in L.entity_stop or (words and L.entity_stop_prefixes and w.startswith(L.entity_stop_prefixes)):
                break
            words.append(m.span("w"))
        if not words:
            return None
        s, e = nt.span(words[0][0], words[-1][1])
        return nt.original[s:e]


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


_EXTRACTORS: dict[tuple[int, str], Extractor] = {}


def extractor_for(code: str, rulebook: Rulebook | None = None) -> Extractor:
    rb = rulebook or get_rulebook()
    key = (id(rb), code)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = Extractor(rb.language(code))
    return _EXTRACTORS[key]


def resolve_language(text: str, lang: str | None, rulebook: Rulebook | None = None) -> str:
    rb = rulebook or get_rulebook()
    if lang and lang != "auto":
        if lang not in rb.languages:
            raise ValueError(f"unknown language {lang!r}; rule files exist for: {', '.join(rb.languages)}")
        return lang
    return detect_language(text, rb)


def extract(text: str, lang: str | None = "auto", *, doc: str | None = None,
            kinds: Iterable[str] | None = None, rulebook: Rulebook | None = None,
            reference_date: _dt.date | str | None = None) -> list[Claim]:
    """Every quantified claim in ``text``.

    >>> [c.value for c in extract("بیش از ۲۹ هزار صندوق", lang="fa")]
    [29000]
    """
    code = resolve_language(text, lang, rulebook)
    if isinstance(reference_date, str):
        reference_date = _dt.date.fromisoformat(reference_date)
    return extractor_for(code, rulebook).claims(text, doc=doc, kinds=set(kinds) if kinds else None,
                                                reference=reference_date)


def numerals(text: str, lang: str | None = "auto", rulebook: Rulebook | None = None) -> tuple[str, list[Numeral], NormalizedText]:
    code = resolve_language(text, lang, rulebook)
    ex = extractor_for(code, rulebook)
    nt = ex.lang.normalizer(text)
    return code, ex.numerals(nt), nt
