"""Pattern search over the masked text: where each pattern can start, its matches there, and the
time budget that keeps a runaway pattern from hanging a run.

A long text is searched once by an Aho-Corasick automaton (text/literals.py) for every
pattern's prefixes, word endings and line needs, and for the masked figures' lead characters;
each pattern is then tried only where it can start. The plain searches they replace give the
same matches (tests/test_fast_paths.py, tests/test_prefixes.py).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Hashable, Iterable, Iterator
from typing import Any

import regex

from coopfacts.rulebook import prefixes
from coopfacts.rulebook.cache import fixed_regex
from coopfacts.rulebook.language import Language, Pattern
from coopfacts.rulebook.masks import LEADS, NEIGHBOUR_ANY, cased_beyond_ascii
from coopfacts.text import literals

# A rule file is untrusted input: one pattern with catastrophic backtracking must not hang a
# run. Each pattern gets this many seconds of matching per document (the regex module's own
# clock); past it, the pattern is reported once and skipped for that document.
try:
    PATTERN_TIMEOUT = float(os.environ.get("COOPFACTS_PATTERN_TIMEOUT") or 5.0)
except ValueError:
    PATTERN_TIMEOUT = 5.0
_TIMED_OUT: set[tuple[str, str, str]] = set()  # (language, pattern id, document id)

_WORD_BACK = fixed_regex(r"\w*", regex.REVERSE)  # matched backwards: the start of a word

Starts = dict[Hashable, list[int]]  # where each group of literals starts in a text


class Watchdog:
    """The time budget of the patterns of one window, kept by a timer signal when it can be.

    Passing ``timeout=`` to every `regex` call costs more than the call itself on these short
    attempts (the module reads the clock at each: about 1.6 µs, against 0.6 µs for an attempt
    that fails at once), and the patterns make most of a run's calls. The `regex` module
    checks for signals while it matches, so one interval timer per window (``SIGALRM``) stops
    a runaway pattern as surely: its handler raises TimeoutError once the pattern being tried
    (:meth:`begin`) has had :data:`PATTERN_TIMEOUT` seconds, and otherwise sets the timer
    again for what that pattern has left. Signals are for a process's main thread only, and
    the timer is the process's: away from the main thread, without ``setitimer`` (Windows),
    or when another handler or timer is in place (an application using ``SIGALRM``), the
    budget stays with each call (:attr:`timeout` is then :data:`PATTERN_TIMEOUT`, else None).
    """

    __slots__ = ("_armed", "_previous", "_started", "timeout")

    def __init__(self) -> None:
        self._started: float | None = None
        self._armed = False
        self._previous: Any = None
        self.timeout: float | None = PATTERN_TIMEOUT

    def __enter__(self) -> Watchdog:
        if _can_use_timer():
            self._previous = signal.signal(signal.SIGALRM, self._on_alarm)
            signal.setitimer(signal.ITIMER_REAL, PATTERN_TIMEOUT)
            self._armed = True
            self.timeout = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._armed = False
            self.timeout = PATTERN_TIMEOUT
        self._started = None

    def begin(self) -> None:
        """A pattern starts: its budget starts now."""
        self._started = time.perf_counter()

    def end(self) -> None:
        """No pattern is being tried: the timer raises nothing."""
        self._started = None

    def _on_alarm(self, signum: int, frame: Any) -> None:
        started = self._started
        left = PATTERN_TIMEOUT if started is None else started + PATTERN_TIMEOUT - time.perf_counter()
        if left > 0:  # the time went to other patterns, or to no pattern: this one goes on
            signal.setitimer(signal.ITIMER_REAL, left)
            return
        self._started = None  # raised once; the next pattern has its own budget
        signal.setitimer(signal.ITIMER_REAL, PATTERN_TIMEOUT)
        raise TimeoutError("regex timed out")


def _can_use_timer() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


def timed_out_before(lang: Language, p: Pattern, doc: str | None) -> bool:
    """Did ``p`` run out of time on an earlier window of this document?"""
    return doc is not None and (lang.code, p.id, doc) in _TIMED_OUT


def pattern_timed_out(lang: Language, p: Pattern, doc: str | None) -> None:
    """Report a pattern that ran out of time (one line on stderr per pattern and document)."""
    if doc is not None:
        _TIMED_OUT.add((lang.code, p.id, doc))
    where = f" ({p.source}:{p.line})" if p.source else ""
    print(f"coopfacts: {doc or '<text>'}: rule {lang.code}.{p.id}{where} took over {PATTERN_TIMEOUT:g} s "
          f"(catastrophic backtracking?); skipped for this document", file=sys.stderr, flush=True)


class LiteralStarts:
    """One language's automaton over every literal its patterns and context rules start with,
    built at the first long text and shared by every window after (read-only once built)."""

    def __init__(self, lang: Language):
        self.lang = lang
        self._scan: literals.LiteralScan | None = None
        self._lock = threading.Lock()
        # each pattern's held sets (Pattern.held): the automaton's groups for them, ("held",
        # pattern, set), all of which a text must hold, and the sets of masked leads (looked
        # up among the leads found, not searched), each of which it must hold one of
        self._held: list[tuple[frozenset[Hashable], tuple[frozenset[str], ...]]] = [
            (frozenset(("held", i, j) for j, lits in enumerate(p.held) if not _only_leads(lits)),
             tuple(frozenset(lits) for lits in p.held if _only_leads(lits)))
            for i, p in enumerate(lang.patterns)]

    def _groups(self) -> dict[Hashable, Iterable[str]]:
        L = self.lang
        # a pattern's prefixes in two groups: those that start a match only at a word start
        groups: dict[Hashable, Iterable[str]] = {
            i: set(p.prefix_lits) - set(p.prefix_ws) for i, p in enumerate(L.patterns) if p.prefix_lits}
        groups.update({("ws", i): p.prefix_ws for i, p in enumerate(L.patterns) if p.prefix_ws})
        groups.update({("end", i): p.word_endings for i, p in enumerate(L.patterns) if p.word_endings})
        groups["qual_distant"] = L.context.qual_distant_prefixes.literals
        groups["change_before"] = L.context.change_before_prefixes.literals
        groups.update({("lead", c): (c,) for c in LEADS})  # masked figures and units
        groups.update({("need", i): tuple(p.line_needs) for i, p in enumerate(L.patterns) if p.line_needs})
        groups.update({("req", i): p.requires_lits for i, p in enumerate(L.patterns) if p.requires_lits})
        groups.update({("held", i, j): lits for i, p in enumerate(L.patterns) for j, lits in enumerate(p.held)
                       if not _only_leads(lits)})
        return groups

    def may_match(self, i: int, starts: Starts, leads: dict[str, list[int]] | None) -> bool:
        """Does the text whose automaton pass found ``starts`` (and masked ``leads``) hold
        something of each set the ``i``th pattern's matches hold? False: it has no match there."""
        keys, lead_sets = self._held[i]
        if keys and not starts.keys() >= keys:
            return False
        return not lead_sets or (leads is not None and not any(leads.keys().isdisjoint(s) for s in lead_sets))

    def may_match_short(self, i: int, masked: str, folded: str) -> bool:
        """:meth:`may_match` for a text too short for the automaton (prefixes.SEARCH_FROM): each
        of the ``i``th pattern's sets looked for by substring (a few hundred strings at most,
        cheaper there than searching the pattern, whose regex need not even be unpickled).
        ``folded``: ``masked.casefold()``; where folding changes the length, no pattern is
        skipped (the automaton is not used then either)."""
        if len(folded) != len(masked):
            return True
        return all(any(s in folded for s in lits) for lits in self.lang.patterns[i].held)

    def find(self, masked: str, folded: str) -> Starts | None:
        """Where every group starts in ``masked``, from one pass over its case folding; None
        when the folding moves characters (prefixes.Caseless) or the automaton is missing."""
        if not literals.available() or len(folded) != len(masked):
            return None
        if self._scan is None:
            with self._lock:
                if self._scan is None:
                    self._scan = literals.LiteralScan(self._groups())
        return self._scan.starts(folded)


def _only_leads(lits: tuple[str, ...]) -> bool:
    return all(len(x) == 1 and x in LEADS for x in lits)


def pattern_starts(p: Pattern, key: int, starts: Starts | None, masked: str,
                   leads: dict[str, list[int]] | None) -> list[int] | None:
    """Where pattern ``p`` can start in ``masked``, from what the automaton found (``starts``,
    by group; ``key``: the pattern's group): at its prefixes, at the start of every word that
    holds one of its word endings, and at the figures it may start with (``leads``: their
    positions by lead character); a pattern that starts a line, at the lines that hold what its
    first line needs (any line when the automaton did not run); None: anywhere."""
    if p.line_start:
        if not p.line_needs or starts is None:
            at = prefixes.line_starts(masked)
        else:
            rfind = masked.rfind
            at = sorted({rfind("\n", 0, q) + 1 for q in starts.get(("need", key), ())})
        if p.after_re is not None:  # (?:^|(?<=[|•·]\s*)): and after each bar and its spaces
            after = [q for m in p.after_re.finditer(masked) for q in range(m.start() + 1, m.end() + 1)]
            if after:
                at = sorted({*at, *after})
        return at
    if p.after_re is not None:  # (?<=\(): right after each such sign
        return [q for m in p.after_re.finditer(masked) for q in range(m.start() + 1, m.end() + 1)]
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
    if p.lead_chars and leads is not None:
        at = sorted({*at, *(q for c in p.lead_chars for q in leads.get(c, ()))})
    if p.word_start:  # not right after a letter (a prefix found inside a word)
        at = [q for q in at if not (q and masked[q - 1].isalpha())]
    return at


def pattern_matches(p: Pattern, masked: str, folded: str | None = None, leads: dict[str, list[int]] | None = None,
                    starts: list[int] | None = None, timeout: float | None = PATTERN_TIMEOUT,
                    after: dict[int, str] | None = None, before: dict[int, str] | None = None) -> Iterator[Any]:
    """The matches of ``p`` in ``masked`` (``folded``: its case folding, if already made), as
    ``finditer`` gives them; a pattern that starts with words may be tried only where its
    prefixes are (``starts``: where they are, if already found), one that starts with a masked
    figure only where those are (``leads``: their positions by lead character), and, given
    ``after`` (Window.after_figures), only at the figures followed by what the pattern's figure
    can be followed by (``Pattern.follow``), given ``before`` (Window.before_figures), preceded
    by what its look-behind sees last (``Pattern.precede``). ``timeout``: the search's budget in
    seconds (None: a Watchdog keeps it)."""
    if starts is not None:
        return prefixes.finditer_from(p.regex, starts, masked, timeout)
    if p.lead_chars and not p.prefix_lits and leads is not None:
        if p.follow and after is not None:
            leads = kept_near(leads, p.lead_chars, p.follow_set, after)
        if p.precede and before is not None:
            leads = kept_near(leads, p.lead_chars, p.precede_set, before)
        return prefixes.finditer_at(p.regex, p.lead_chars, leads, masked, timeout)
    return prefixes.finditer(p.regex, p.prefix_src, p.prefix_folded, masked, folded, timeout)


def neighbour(c: str) -> str:
    """What a window notes of the character ``c`` next to a figure (Window.after_figures and
    before_figures): ``c`` itself, or NEIGHBOUR_ANY for a letter with case outside ASCII."""
    return NEIGHBOUR_ANY if cased_beyond_ascii(c) else c


def kept_near(leads: dict[str, list[int]], chars: str, allowed: frozenset[str],
              near: dict[int, str]) -> dict[str, list[int]]:
    """The positions of ``leads`` (of the lead characters ``chars``) whose figure's neighbour
    (``near``: what comes first after each figure, or last before it, as :func:`neighbour`
    notes it) is one of ``allowed`` (Pattern.follow_set or precede_set: with both cases of an
    ASCII letter, and NEIGHBOUR_ANY); a position with no neighbour noted is kept."""
    out: dict[str, list[int]] = {}
    for c in chars:
        at = leads.get(c)
        if at:
            out[c] = [q for q in at if near.get(q, NEIGHBOUR_ANY) in allowed]
    return out


def prefixed_matches(p: Pattern, masked: str, folded: str | None = None) -> Iterator[Any]:
    return prefixes.prefixed_finditer(p.regex, p.prefix_src, p.prefix_folded, masked, folded, PATTERN_TIMEOUT)
