"""One article's claims, indexed for the checks: by sentence, paragraph, range and span, with
the tokens of a stretch of text and the dates of a claim's sentence."""
from __future__ import annotations

import bisect
import datetime as _dt
from typing import Any, Iterable

import regex

from coopfacts.check.figures import as_claim
from coopfacts.check.periods import claim_period
from coopfacts.check.text import WORD, Token, fold, tokenize
from coopfacts.model import Claim


class Article:
    """One document's claims with what the checks look up about them."""

    def __init__(self, claims: Iterable[Claim | dict], text: str | None, rulebook: Any = None):
        self.claims = [as_claim(c) for c in claims]
        self.text = text
        self.rulebook = rulebook
        self.lang = next((c.lang for c in self.claims if c.lang), None)
        self.doc = next((c.doc for c in self.claims if c.doc is not None), None)
        self.line_starts = [0]
        if text:
            self.line_starts += [m.end() for m in regex.finditer("\n", text)]
        self.ranges: dict[Any, list[Claim]] = {}
        for c in self.claims:
            if c.extra.get("range") is not None:
                self.ranges.setdefault(c.extra["range"], []).append(c)
        self._tok: dict[tuple[int, int], list[Token]] = {}
        self._dates: dict[tuple[int, int], list] = {}
        self.by_span = {(c.start, c.end): c for c in self.claims}
        self.by_sentence: dict[tuple[int, int], list[Claim]] = {}
        self.by_paragraph: dict[int, list[Claim]] = {}
        for c in sorted(self.claims, key=lambda x: x.start):
            self.by_sentence.setdefault(self.sentence(c), []).append(c)
            self.by_paragraph.setdefault(self.paragraph(c), []).append(c)
        self._ekeys: dict[int, tuple[str, ...]] = {}
        self.compared: dict[int, Claim] | None = None  # figures compared with each other (check.recompute)

    # where a claim stands
    def paragraph(self, c: Claim) -> int:
        return bisect.bisect_right(self.line_starts, c.start) - 1

    def sentence(self, c: Claim) -> tuple[int, int]:
        if c.sentence_start is not None and c.sentence_end is not None:
            return c.sentence_start, c.sentence_end
        p = self.paragraph(c)
        end = self.line_starts[p + 1] - 1 if p + 1 < len(self.line_starts) else len(self.text or "")
        return self.line_starts[p], end

    def same_sentence(self, a: Claim, b: Claim) -> bool:
        return self.sentence(a) == self.sentence(b)

    def range_members(self, c: Claim) -> list[Claim]:
        rid = c.extra.get("range")
        return self.ranges.get(rid, [c]) if rid is not None else [c]

    def tokens(self, start: int, end: int) -> list[Token]:
        if (start, end) not in self._tok:
            src = (self.text or "")[start:end]
            self._tok[(start, end)] = tokenize(src, start, self.lang, self.rulebook)
        return self._tok[(start, end)]

    def entity_tokens(self, c: Claim) -> list[Token]:
        if not c.entity:
            return []
        if self.text and c.sentence_start is not None:
            at = self.text.find(c.entity, c.end, (c.sentence_end or len(self.text)) + 1)
            if at >= 0:
                return self.tokens(at, at + len(c.entity))
        return tokenize(c.entity, -1, self.lang, self.rulebook)

    def entity_key(self, c: Claim) -> tuple[str, ...]:
        if id(c) not in self._ekeys:
            self._ekeys[id(c)] = tuple(WORD.findall(fold(c.entity or "", c.lang, self.rulebook)))
        return self._ekeys[id(c)]

    def dates(self, c: Claim) -> list[tuple[tuple[_dt.date, _dt.date], str]]:
        """``(period, text)`` of each date in the claim's sentence (not the dateline);
        a range of dates (``de 2019 à 2023``) is one period."""
        key = self.sentence(c)
        if key not in self._dates:
            periods = []
            seen_ranges = set()
            for d in self.by_sentence.get(key, []):
                if d.kind != "date" or d.extra.get("dateline"):
                    continue
                rid = d.extra.get("range")
                if rid is not None:
                    if rid in seen_ranges:
                        continue
                    seen_ranges.add(rid)
                    ms = self.ranges[rid]
                    ps = [p for p in (claim_period(m) for m in ms) if p]
                    if ps:
                        periods.append(((min(p[0] for p in ps), max(p[1] for p in ps)),
                                        f"{ms[0].text}–{ms[-1].text}"))
                    continue
                p = claim_period(d)
                if p:
                    periods.append((p, d.text))
            self._dates[key] = periods
        return self._dates[key]

    def own_dates(self, c: Claim, members: list[Claim] | None = None,
                  strict: bool = False) -> list[tuple[tuple[_dt.date, _dt.date], str]]:
        """The dates of the claim's sentence that speak of it: each date goes with the nearest
        figure of the claim's kind (``سال قبل چهار همت … امسال 44 همت``: 1401 for the first sum,
        1402 for the other); all the sentence's dates when none goes with it (none: ``strict``)."""
        members = members or [c]
        sent = self.by_sentence.get(self.sentence(c), [])
        figures = [x for x in sent if x.kind == c.kind and (x in members or x.extra.get("range") is None
                                                            or x.extra.get("range") != c.extra.get("range"))]
        own = []
        seen_ranges: set = set()
        for d in sent:
            if d.kind != "date" or d.extra.get("dateline"):
                continue
            rid = d.extra.get("range")
            ms = self.ranges[rid] if rid is not None else [d]
            if rid is not None:
                if rid in seen_ranges:
                    continue
                seen_ranges.add(rid)
            s, e = min(m.start for m in ms), max(m.end for m in ms)

            nearest = min(figures, key=lambda x, s=s, e=e: max(s - x.end, x.start - e, 0), default=None)
            if nearest is None or nearest not in members:
                continue
            lo_, hi_ = (nearest.end, s) if nearest.end <= s else (e, nearest.start)
            if any(x.kind == "ratio" and lo_ <= x.start and x.end <= hi_ for x in sent):
                continue  # "3 millions, trois fois plus qu'en 2020": the date is the multiple's base, not the figure's
            ps = [p for p in (claim_period(m) for m in ms) if p]
            if ps:
                text = ms[0].text if len(ms) == 1 else f"{ms[0].text}–{ms[-1].text}"
                own.append(((min(p[0] for p in ps), max(p[1] for p in ps)), text))
        return own if strict else own or self.dates(c)
