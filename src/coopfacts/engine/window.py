"""One window of text as the engine reads it: the normalised text, its numerals, the masked
text, where the patterns' literals start in it, and what is worked out once per window on the
way (the document's folded text, the context prefixes). A window is made for one call and
dropped after it: nothing about a document is kept on the engine, so one engine may serve many
threads."""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from coopfacts.engine.masking import lead_positions, mask_numerals, mask_units
from coopfacts.engine.numbers import scan
from coopfacts.engine.numeral_grammar import Numeral
from coopfacts.engine.search import LiteralStarts, Starts, neighbour
from coopfacts.rulebook import prefixes
from coopfacts.rulebook.cache import fixed_regex
from coopfacts.rulebook.language import Language, Prefixes, UnitEntry
from coopfacts.rulebook.masks import LEADS, MASK_CONT
from coopfacts.text import literals
from coopfacts.text.literals import LiteralScan
from coopfacts.text.normalize import NormalizedText
from coopfacts.text.segments import SENTENCE_END

Mention = tuple[int, frozenset[str]]  # where context words or country names were found, and which
# a masked figure's or unit's continuation characters and the white space after them, mixed in
# any order (prefixes.follow_chars reads a pattern's next character past the same)
_CONT_AND_SPACES = fixed_regex("[" + MASK_CONT + r"\s]*")
_SPACES_BACK = fixed_regex(r"(?r)\s*")  # the white space that ends where a match is tried


@dataclass(eq=False)
class Window:
    lang: Language
    doc: str | None
    nt: NormalizedText
    numerals: list[Numeral]
    by_start: dict[int, Numeral]  # numerals by their start in the normalised text
    masked: str
    folded: str | None  # the masked text case-folded (long texts only)
    starts: Starts | None  # where the automaton found each group of literals (long texts only)
    leads: dict[str, list[int]] | None  # masked figures and units by lead character (long texts only)
    _evidence: list[Mention] | None = None  # context words and country names found (where, which)
    _hits: dict[str, prefixes.Hits] = field(default_factory=dict)
    # the counted noun after each figure end asked about (context.entity): asked of a figure by
    # the claim's record and by every rule that wants to know whether it counts anything
    entities: dict[int, str | None] = field(default_factory=dict)
    _after: dict[int, str] | None = None
    _before: dict[int, str] | None = None

    def after_figures(self) -> dict[int, str]:
        """For each masked figure and unit (by where its lead stands), the character that comes
        first after it, past its continuation characters and white space ("" at the end; a
        letter with case outside ASCII as masks.NEIGHBOUR_ANY)."""
        if self._after is None:
            masked, n, past = self.masked, len(self.masked), _CONT_AND_SPACES.match
            self._after = {}
            for at in (self.leads or {}).values():  # a match a figure: twice as fast as one finditer
                for q in at:
                    e = past(masked, q + 1).end()
                    self._after[q] = neighbour(masked[e]) if e < n else ""
        return self._after

    def before_figures(self) -> dict[int, str]:
        """For each masked figure and unit (by where its lead stands), the character that comes
        last before it, past white space (as after_figures notes it)."""
        if self._before is None:
            masked, back = self.masked, _SPACES_BACK.match
            self._before = {}
            for at in (self.leads or {}).values():
                for q in at:
                    s = back(masked, 0, q).start()
                    self._before[q] = neighbour(masked[s - 1]) if s else ""
        return self._before

    @property
    def long(self) -> bool:
        return self.folded is not None

    @property
    def ntext(self) -> str:
        return self.nt.text

    def unit(self, key: str) -> UnitEntry | None:
        return self.unit_reading(key)[0]

    def unit_reading(self, key: str, at: int | None = None) -> tuple[UnitEntry | None, str]:
        """The unit written ``key`` (at ``at`` in the normalised text) and how its reading was
        decided: ``written`` (the word names it), ``country`` (several currencies share the word,
        dinar, and the text names the country of one: the one its sentence names most, else its
        paragraph, else the one the whole text names most), or ``default`` (no such evidence:
        the rule file's plain reading, or a currency left unknown)."""
        entry = self.lang.units.get(key)
        if entry is None or not entry.alternatives:
            return entry, "written"
        found = self.evidence()
        if at is not None:
            # a paragraph is a line: news pages and their text files put one paragraph a line
            text = self.ntext
            lo = text.rfind("\n", 0, at)
            hi = text.find("\n", at)
            hi = hi if hi >= 0 else len(text)
            # a roundup may name several countries in one paragraph, each in the sentence of
            # its figures ("Au Gabon, … francs. Au Sénégal, … FCFA."): that sentence first
            s_lo = max((m.end() for m in SENTENCE_END.finditer(text, lo + 1, at)), default=lo + 1)
            end = SENTENCE_END.search(text, at, hi)
            s_hi = end.start() if end else hi
            in_sentence = [m for m in found if s_lo <= m[0] < s_hi]
            best = (_best_reading(entry.alternatives, in_sentence, at)
                    or _best_reading(entry.alternatives, [m for m in found if lo < m[0] < hi])
                    or self._reading_before(entry, found, lo))
            if best is not None:
                return best, "country"
        best = _best_reading(entry.alternatives, found)
        if best is not None and not _about(best, found):
            # the only country of the word is named in passing: the text is about another (a
            # buyer in an Iranian saffron story, `هنگ کنگ با ۱۵ تن`, makes no dollar Hong Kong's)
            best = None
        return (best, "country") if best is not None else (entry, "default")

    def _reading_before(self, entry: UnitEntry, found: list[Mention], lo: int) -> UnitEntry | None:
        """The reading the nearest paragraph before ``lo`` gives evidence for: a roundup of
        several countries names each before its figures ("في مسقط ... 900 مليون ريال")."""
        by_line: dict[int, list[Mention]] = {}
        for m in found:
            if m[0] < lo:
                by_line.setdefault(self.ntext.rfind("\n", 0, m[0]), []).append(m)
        for line in sorted(by_line, reverse=True):
            tied = _top_readings(entry.alternatives, by_line[line])
            if len({alt.code for alt in tied}) > 1:
                # a paragraph that names two countries as often ("le marché algérien …, suivi du
                # marché libyen") does not say which one's dinars: the country the whole text
                # names most does (a Tunis dispatch names Tunisia most)
                return _best_reading(entry.alternatives, found) or tied[-1]
            if tied:
                return tied[-1]
        return None

    def evidence(self) -> list[Mention]:
        """Where each context word and country name of the language occurs in the window."""
        if self._evidence is None:
            self._evidence = find_evidence(self.lang, self.nt.text)
        return self._evidence

    def may_start(self, name: str, sources: Prefixes, lo: int, hi: int) -> bool:
        """False when a context pattern (a distant qualifier, a change word) cannot start in
        masked[lo:hi]: its prefixes, found once per window, are nowhere there."""
        if not sources.source or len(self.masked) < prefixes.SEARCH_FROM:
            return True
        if self.starts is not None:  # where the prefixes start is known: one there?
            at = self.starts.get(name, ())
            k = bisect.bisect_left(at, max(0, lo))
            return k < len(at) and at[k] < hi
        hits = self._hits.get(name)
        if hits is None:
            hits = self._hits[name] = prefixes.Hits(sources.source, sources.folded, self.masked)
        return hits.any_within(max(0, lo), hi)


def find_evidence(lang: Language, text: str) -> list[Mention]:
    """Where each context word and country name of the language occurs in ``text``: one
    mention for the words found at one place (a name both a context word and a country, gabon;
    a shorter name inside a longer one, اردن in الاردن, centrafricain in république
    centrafricaine), so that every reading counts a mention once."""
    rules, key = lang.unit_rules, lang.key
    found: list[tuple[int, str]] = []
    folded = text.casefold()
    starts = (_evidence_scan(lang).starts(folded)
              if literals.available() and len(folded) == len(text) else None)
    for name, rx in (("context", rules.context_re), ("countries", rules.countries_re)):
        if rx is None:
            continue
        if starts is None:  # no automaton, or a text whose case folding moves offsets
            found.extend((m.start("w"), key(m.group("w"))) for m in rx.finditer(text))
            continue
        for s in starts.get(name, ()):
            m = _match_ending_lead(rx, text, s)
            if m is not None:
                found.append((s, key(m.group("w"))))
    mentions: list[Mention] = []
    end = -1
    for pos, w in sorted(set(found)):
        if mentions and pos < end:
            mentions[-1] = (mentions[-1][0], mentions[-1][1] | {w})
            end = max(end, pos + len(w))
        else:
            mentions.append((pos, frozenset((w,))))
            end = pos + len(w)
    return mentions


def _speaks_of_money(lang: Language, text: str, at: int) -> bool:
    """Does the sentence around ``at`` hold a word naming a sum (the language's `sums` words)?"""
    rx = lang.context.sum_words_re
    if rx is None:
        return False
    lo = max((m.end() for m in SENTENCE_END.finditer(text, max(0, at - 300), at)), default=max(0, at - 300))
    end = SENTENCE_END.search(text, at)
    hi = end.start() if end else min(len(text), at + 300)
    return rx.search(text, lo, hi) is not None


def read_window(lang: Language, literal_starts: LiteralStarts, text: str, doc: str | None) -> Window:
    """Normalise ``text``, find its numerals and mask them and their units."""
    nt = lang.normalizer(text)
    nums = scan(lang, nt.text)
    evidence: list[list[Mention]] = []  # found once, when a word needs it

    def evidenced(entry: UnitEntry, at: int) -> bool:
        # its own paragraph (line): "livres" in a story that names Britain once may still be books;
        # a word that is money wherever it stands (فلس) takes its country from the whole text
        if not evidence:
            evidence.append(find_evidence(lang, nt.text))
        if entry.evidence_in_text:
            return _best_reading(entry.alternatives, evidence[0]) is not None
        # ... and the currency written in full anywhere ("livres libanaises" in the first paragraph
        # makes "la livre a perdu 98 % de sa valeur, passant de 1 507,5 livres" pounds too) when
        # the word's sentence speaks of money: its own adjective is no passing mention, and "il a
        # écrit 12 livres" names no sum
        lo, hi = nt.text.rfind("\n", 0, at), nt.text.find("\n", at)
        own = {w for alt in entry.alternatives for w in alt.context} if _speaks_of_money(lang, nt.text, at) else set()
        near = [m for m in evidence[0] if (lo < m[0] and (hi < 0 or m[0] < hi)) or m[1] & own]
        return _best_reading(entry.alternatives, near) is not None

    masked = mask_units(lang, mask_numerals(nt.text, nums), nt.text, nums, evidenced)
    folded = starts = leads = None
    if len(masked) >= prefixes.SEARCH_FROM:  # a shorter text is searched plainly
        folded = masked.casefold()
        starts = literal_starts.find(masked, folded)
        if starts is not None:  # the automaton found the figures' lead characters too
            leads = {c: starts[("lead", c)] for c in LEADS if ("lead", c) in starts}
        else:
            leads = lead_positions(masked)
    return Window(lang, doc, nt, nums, {n.start: n for n in nums}, masked, folded, starts, leads,
                  evidence[0] if evidence else None)


def span_of(m: Any, groups: tuple[str, ...]) -> tuple[int, int]:
    """The extent of a match's claim: its span groups (num, unit, year…), or the whole match.
    (Written out: it runs for every match of every pattern.)"""
    s = e = -1
    for g in groups:
        a, b = m.span(g)
        if a >= 0:
            if s < 0 or a < s:
                s = a
            if b > e:
                e = b
    return (s, e) if s >= 0 else m.span()


def _names(alt: UnitEntry, words: frozenset[str]) -> bool:
    return not alt.names.isdisjoint(words)


def _about(reading: UnitEntry, found: list[Mention]) -> bool:
    """Is the text about the country of ``reading``: named in at least as many places as any
    other place or people the text names (a context word or country name of any unit)?"""
    named = sum(_names(reading, ws) for _, ws in found)
    most = max(Counter(ws for _, ws in found).values(), default=0)
    return named >= most


def _top_readings(readings: list[UnitEntry], found: list[Mention]) -> list[UnitEntry]:
    """The readings whose context words and country names are found in most mentions (none
    when no reading is named)."""
    counts = [sum(_names(alt, ws) for _, ws in found) for alt in readings]
    top = max(counts, default=0)
    return [alt for alt, n in zip(readings, counts) if n == top] if top else []


def _best_reading(readings: list[UnitEntry], found: list[Mention], at: int | None = None) -> UnitEntry | None:
    """The reading whose context words and country names are found in most mentions; on a tie,
    the one named nearest ``at`` (the unit), before or after it, when it is given: in one
    sentence, each figure goes with the country of its own clause ("Au Gabon … 800 francs, au
    Sénégal 900 francs CFA", "في المنامة 200 فلس، بينما في الأردن 150 فلسا"); else the later
    reading (the hand-kept file's)."""
    tied = _top_readings(readings, found)
    if not tied:
        return None
    if at is not None and len({alt.code for alt in tied}) > 1:
        for _, ws in sorted(found, key=lambda m: abs(m[0] - at)):
            named = [alt for alt in tied if _names(alt, ws)]
            if named and len({alt.code for alt in named}) == 1:
                return named[-1]
    return tied[-1]


# The evidence regexes begin with a word's lead (clitic, article) and hold hundreds of names:
# searched over a whole text they try every position. The first words of the names are found
# in one automaton pass instead, and the regex is tried only where one starts (from the few
# characters a lead can take before it).
_EVIDENCE_SCANS: dict[int, LiteralScan] = {}
_LEAD_REACH = 8  # characters a clitic and an article can take before a word


def _evidence_scan(lang: Language) -> LiteralScan:
    scan = _EVIDENCE_SCANS.get(id(lang))
    if scan is None:
        # the readings of many words share their lists (every word for the dinar names the same
        # countries): each name once
        context: set[str] = set()
        countries: set[str] = set()
        for entry in lang.units.values():
            for alt in entry.alternatives:
                context.update(alt.context)
                countries.update(alt.countries)
        groups: dict[Hashable, Iterable[str]] = {"context": {_first(w) for w in context if w.strip()},
                                                 "countries": {_first(w) for w in countries if w.strip()}}
        scan = _EVIDENCE_SCANS[id(lang)] = LiteralScan(groups)
    return scan


def _first(name: str) -> str:
    """What the automaton looks for: a name's first word, or the whole name when that word is
    short and common ("de Hong Kong", "Îles Cocos" is fine by its first word)."""
    word = name.split()[0]
    return word if len(word) >= 4 else name


def _match_ending_lead(rx: Any, text: str, s: int) -> Any:
    """The match of ``rx`` whose word starts at ``s``, its lead (if any) just before it."""
    for p in range(max(0, s - _LEAD_REACH), s + 1):
        m = rx.match(text, p)
        if m is not None and m.start("w") == s:
            return m
    return None
