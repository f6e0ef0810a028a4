"""Parts and wholes: a part larger than its whole (``dont``, ``منها``, ``از این تعداد``), a share
above 100 %.

The words that tie a part to its whole ("dont", "sur", "des" after a percentage...) are
language knowledge: each rule file lists them under `parts:` (`part_before`, `whole_after`,
`share_after`), and `Language.parts` gives them normalised.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import regex

from coopfacts.check.article import Article
from coopfacts.check.figures import SIDE_KINDS, describe, measure, rel
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import claim_interval
from coopfacts.check.text import WORD, fold, language_rules, phrase_words
from coopfacts.model import Claim
from coopfacts.text.segments import clause_break


def _marker_re(words: list[str], lang: str | None, rulebook: Any, at_end: bool) -> Any:
    """A pattern for the marker words on folded text: at the end of what precedes a figure
    (``at_end``) or at the start of what follows it; None when there are no words."""
    folded = sorted({" ".join(phrase_words(w, lang, rulebook)) for w in words} - {""}, key=len, reverse=True)
    if not folded:
        return None
    alt = "|".join(r"\s+".join(regex.escape(p) for p in w.split()) for w in folded)
    if at_end:  # the marker, then at most three words (a qualifier), then the figure
        return regex.compile(rf"(?<!\w)(?:{alt})(?:\W+\w+){{0,3}}\W*\Z")
    return regex.compile(rf"\A\W*(?:\w+\W+){{0,3}}?(?:{alt})(?!\w)")


def _above_100(p: Claim) -> bool:
    """Every value the percentage allows is above 100 (``120 %``, ``plus de 100 %``)."""
    if isinstance(p.value, bool) or not isinstance(p.value, (int, float)):
        return False
    iv = claim_interval(float(p.value), p.qualifier)
    return iv.lo > 100 or (iv.lo == 100 and iv.lo_open)


@dataclass
class _Markers:
    """The language's part/whole words as patterns on folded text (None: the language has none)."""

    part_before: Any  # "dont 30": the marker, then the part
    whole_after: Any  # "30 sur 120": the part, the marker, then the whole
    share_after: Any  # "120 % des coopératives": a percentage that is a share


def _markers(d: Article) -> _Markers:
    L = language_rules(d.lang, d.rulebook)
    words = L.parts if L is not None else {}
    return _Markers(_marker_re(words.get("part_before", []), d.lang, d.rulebook, at_end=True),
                    _marker_re(words.get("whole_after", []), d.lang, d.rulebook, at_end=False),
                    _marker_re(words.get("share_after", []), d.lang, d.rulebook, at_end=False))


def part_findings(d: Article) -> list[Finding]:
    """A finding for each part tied to its whole, then for each other percentage above 100 %."""
    out: list[Finding] = []
    if not d.text or d.lang is None:
        return out
    markers = _markers(d)
    reported: set[int] = set()
    ordered = sorted(d.claims, key=lambda x: x.start)
    for p in ordered:
        if p.kind not in SIDE_KINDS:
            continue
        pm = measure(p.kind, p.value, p.unit)
        if pm is None:
            continue
        whole = _whole_of(d, p, pm[0], markers)
        if whole is None:
            continue
        if p.kind == "percent":
            reported.add(id(p))
            out.append(_share_finding(p, whole))
        else:
            out.append(_part_finding(p, pm[1], whole))
    for p in ordered:
        if p.kind != "percent" or id(p) in reported or p.extra.get("change"):
            continue
        if _above_100(p):
            out.append(_over_100_finding(d, p, markers.share_after))
    return out


def _whole_of(d: Article, p: Claim, dim: str, markers: _Markers) -> Claim | None:
    """The whole ``p`` is a part of: the last figure before it in its sentence when a marker
    leads ``p`` (``dont``), else the next one when a marker follows it within the clause
    (``sur``); ``p`` itself for a percentage that is a share of what came before."""
    lang = d.lang
    whole = None
    if markers.part_before is not None:
        lead = fold(d.text[max(d.sentence(p)[0], p.start - 60):p.start], lang, d.rulebook)
        if markers.part_before.search(lead):
            prior = [w for w in d.by_sentence.get(d.sentence(p), []) if w.kind in SIDE_KINDS
                     and w.kind != "percent" and w.end <= p.start]
            if p.kind != "percent":
                prior = [w for w in prior if measure(w.kind, w.value, w.unit)[0] == dim]
            whole = prior[-1] if prior else None
            if whole is None and p.kind == "percent":
                whole = p  # "dont 46,8 %": a share of what came before, whatever its kind
    if whole is None and markers.whole_after is not None and p.kind != "percent":
        nxt = next((w for w in d.by_sentence.get(d.sentence(p), []) if w.start >= p.end and w is not p), None)
        if nxt is not None and nxt.kind == p.kind and measure(nxt.kind, nxt.value, nxt.unit)[0] == dim:
            gap = fold(d.text[p.end:nxt.start], lang, d.rulebook)
            if markers.whole_after.search(gap) and len(WORD.findall(gap)) <= 6 and not clause_break(gap):
                whole = nxt
    return whole


def _share_finding(p: Claim, whole: Claim) -> Finding:
    """A percentage that is a share of a whole: at most 100 %."""
    over = _above_100(p)
    spans = [span_of(p, "part")] + ([span_of(whole, "whole")] if whole is not p else [])
    why = f"«{p.text}» is a share of a whole" + (f" («{whole.text}»)" if whole is not p else "")
    why += ": above 100 %" if over else ": at most 100 %"
    return Finding("internal", "part_whole", "contradicted" if over else "consistent", spans, why,
                   expected=100, difference=rel(float(p.value), 100.0) if over else None)


def _part_finding(p: Claim, part: float, whole: Claim) -> Finding:
    """A part (``part`` in base units) and its whole: the part may not be larger."""
    pi = claim_interval(part, p.qualifier)
    wm = measure(whole.kind, whole.value, whole.unit)
    wi = claim_interval(wm[1], whole.qualifier)
    bigger = pi.lo > wi.hi or (pi.lo == wi.hi and (pi.lo_open or wi.hi_open) and math.isfinite(pi.lo))
    why = f"«{p.text}» is part of «{whole.text}»: {describe(p)} " + ("> " if bigger else "≤ ") + describe(whole)
    if bigger:
        why = "the part is larger than its whole: " + why
    return Finding("internal", "part_whole", "contradicted" if bigger else "consistent",
                   [span_of(p, "part"), span_of(whole, "whole")], why,
                   expected=whole.value, difference=rel(part, wm[1]) if bigger else None)


def _over_100_finding(d: Article, p: Claim, share: Any) -> Finding:
    """A percentage above 100 % not stated as a change: wrong if the text calls it a share,
    else worth a look (a growth rate the text does not say is one)."""
    tail = fold(d.text[p.end:p.end + 30], d.lang, d.rulebook)
    is_share = share is not None and bool(share.match(tail)) and len(tail) > 0
    if is_share:
        why = f"«{p.text}» is a share («{d.text[p.end:p.end + 12].strip()}…») and a share cannot exceed 100 %"
    else:
        why = (f"«{p.text}» is above 100 % and not stated as a change: a share cannot exceed 100 %; "
               "if it is a growth rate, say so in the text")
    return Finding("internal", "percent_over_100", "contradicted" if is_share else "flagged",
                   [span_of(p)], why, expected=100, difference=rel(float(p.value), 100.0))
