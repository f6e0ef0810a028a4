"""The order of the steps: text -> normalised text -> numerals -> masked text -> pattern
matches -> candidates -> the claims chosen, with their context.

Patterns (from the rule files) run over a masked copy of the normalised text (masking.py), each
tried only where it can start (search.py); a match becomes a candidate (resolve.py), lazily
where it may lose to a longer or higher one; the candidates that do not overlap a better one
are chosen, and each gets its qualifier, counted noun, change and comparison (context.py).
A long text is read window by window (windows.py).
"""
from __future__ import annotations

import bisect
import datetime as _dt
from typing import Any

from coopfacts.engine import windows
from coopfacts.engine.context import (
    DATELINE_WITHIN,
    carry_currency,
    carry_measure,
    carry_to_targets,
    dateline,
    link_comparisons,
    make_claim,
    share_qualifiers,
)
from coopfacts.engine.resolve import Candidate, Unresolved, relative, resolve
from coopfacts.engine.search import (
    LiteralStarts,
    Watchdog,
    pattern_matches,
    pattern_starts,
    pattern_timed_out,
    timed_out_before,
)
from coopfacts.engine.window import Window, read_window, span_of
from coopfacts.model import Claim
from coopfacts.rulebook.language import Language, Pattern
from coopfacts.text.segments import sentence_starts

Match = Any  # a `regex` match


class LanguageRuntime:
    """Extraction in one language: its compiled rules and the automaton over their literals.
    Holds nothing about any document: one runtime serves every window and every thread."""

    def __init__(self, lang: Language):
        self.lang = lang
        self.literal_starts = LiteralStarts(lang)

    def window(self, text: str, doc: str | None = None) -> Window:
        return read_window(self.lang, self.literal_starts, text, doc)

    def claims(self, text: str, doc: str | None = None, kinds: set[str] | None = None,
               reference: _dt.date | None = None) -> list[Claim]:
        """Claims of a whole document; a long one window by window (windows.py)."""
        if len(text) <= windows.CHUNK_CHARS:
            return self.window_claims(text, doc, kinds, reference)
        return list(windows.windowed_claims(
            [text], lambda part, ref: self.window_claims(part, doc, kinds, ref), reference))

    def window_claims(self, text: str, doc: str | None, kinds: set[str] | None,
                      reference: _dt.date | None) -> list[Claim]:
        """Claims of one window of text (offsets into it)."""
        w = self.window(text, doc)
        cands, relatives = self._candidates(w)
        top = dateline([c for c in cands if isinstance(c, Candidate)], w.masked)
        ref = reference or (top.extra.get("_date") if top is not None and top.extra else None)
        if ref is not None:
            cands += [c for c in (relative(w, p, m, ref) for p, m in relatives) if c is not None]
        chosen = choose(w, cands)
        link_comparisons(w, chosen)
        carry_to_targets(w, chosen)
        carry_currency(w, chosen)
        carry_measure(w, chosen)
        sentences = sentence_starts(text)
        claims = [make_claim(w, c, sentences) for c in chosen]
        share_qualifiers(w, claims)
        return [c for c in claims if not kinds or c.kind in kinds]

    def _candidates(self, w: Window) -> tuple[list[Candidate | Unresolved], list[tuple[Pattern, Match]]]:
        """Every pattern's matches as candidates; relative-time matches apart (they need a
        reference date, which the candidates' dateline may give)."""
        cands: list[Candidate | Unresolved] = []
        relatives: list[tuple[Pattern, Match]] = []
        held = self.literal_starts.may_match
        short = None if w.starts is not None or w.long else w.masked.casefold()  # no automaton ran
        with Watchdog() as watch:
            for i, p in enumerate(self.lang.patterns):
                if timed_out_before(self.lang, p, w.doc):
                    continue  # timed out on an earlier window of this document
                if p.held and (not held(i, w.starts, w.leads) if w.starts is not None else
                               short is not None and not self.literal_starts.may_match_short(i, w.masked, short)):
                    continue  # the text lacks what every match of the pattern holds
                if p.requires is not None and not _required(w, i, p):
                    continue  # what the pattern needs is nowhere in this text
                try:
                    watch.begin()
                    found, found_rel = _matches_of(w, i, p, watch.timeout)
                    watch.end()
                except TimeoutError:
                    watch.end()
                    pattern_timed_out(self.lang, p, w.doc)
                    continue
                cands += found
                relatives += found_rel
        return cands, relatives


def _required(w: Window, i: int, p: Pattern) -> bool:
    """Does what pattern ``p`` (the ``i``th) requires occur in the window? Where the automaton ran,
    a text without any string a match of `requires` starts with has none (no search)."""
    if p.requires_lits and w.starts is not None and ("req", i) not in w.starts:
        return False
    return p.requires is None or p.requires.search(w.masked) is not None


def _matches_of(w: Window, i: int, p: Pattern,
                timeout: float | None) -> tuple[list[Candidate | Unresolved], list[tuple[Pattern, Match]]]:
    found: list[Candidate | Unresolved] = []
    found_rel: list[tuple[Pattern, Match]] = []
    eager = p.range or p.list or p.sum or p.kind == "ignore"
    at = pattern_starts(p, i, w.starts, w.masked, w.leads) if w.long else None
    after = w.after_figures() if p.follow and w.leads is not None else None
    before = w.before_figures() if p.precede and w.leads is not None else None
    for m in pattern_matches(p, w.masked, w.folded, w.leads, at, timeout, after, before):
        if p.relative:
            found_rel.append((p, m))
            continue
        if not eager:
            # resolved only if chosen: most matches lose to a longer or higher one. Its span
            # is known now (as resolve() makes it); a date near the top is resolved at once,
            # a dateline candidate.
            cs, ce = span_of(m, p.span_groups)
            if p.kind != "date" or cs > DATELINE_WITHIN:
                found.append(Unresolved(cs, ce, p, m))
                continue
        c = resolve(w, p, m)
        if c is not None:
            found.append(c)
    return found, found_rel


def choose(w: Window, cands: list[Candidate | Unresolved]) -> list[Candidate]:
    """The candidates that overlap no better one (higher priority, then longer, then first),
    resolved, in reading order; a range's ends in its place, numbered in reading order."""
    cands.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    # taken spans never overlap, so sorted by start they are sorted by end too: one neighbour
    # decides whether a candidate overlaps (no quadratic scan)
    t_starts: list[int] = []
    t_ends: list[int] = []
    chosen: list[Candidate] = []
    n_ranges = 0
    for cand in cands:
        k = bisect.bisect_left(t_starts, cand.end)
        if k and t_ends[k - 1] > cand.start:
            continue
        c = resolve(w, cand.pattern, cand.match) if isinstance(cand, Unresolved) else cand
        if c is None:
            continue
        t_starts.insert(k, c.start)
        t_ends.insert(k, c.end)
        if c.members:
            n_ranges += 1
            for mem in c.members:
                if not c.pattern.list:  # a list's figures share a unit, not a range
                    mem.extra = dict(mem.extra or {}, range=n_ranges)
                chosen.append(mem)
        elif c.kind != "ignore":
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    renumber: dict[int, int] = {}
    for c in chosen:  # range ids in reading order
        if c.extra and "range" in c.extra:
            c.extra["range"] = renumber.setdefault(c.extra["range"], len(renumber) + 1)
    return chosen
