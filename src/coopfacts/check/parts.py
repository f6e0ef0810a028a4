"""Parts and wholes: a part larger than its whole (``dont``, ``منها``, ``از این تعداد``), a share
above 100 %.

The words that tie a part to its whole ("dont", "sur", "des" after a percentage...) are
language knowledge: each rule file lists them under `parts:` (`part_before`, `whole_after`,
`share_after`), and `Language.parts` gives them normalised.
"""
from __future__ import annotations

import math
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


def part_findings(d: Article) -> list[Finding]:
    out = []
    lang = d.lang
    if not d.text or lang is None:
        return out
    L = language_rules(lang, d.rulebook)
    words = L.parts if L is not None else {}
    before = _marker_re(words.get("part_before", []), lang, d.rulebook, at_end=True)
    after = _marker_re(words.get("whole_after", []), lang, d.rulebook, at_end=False)
    share = _marker_re(words.get("share_after", []), lang, d.rulebook, at_end=False)
    reported: set[int] = set()
    ordered = sorted(d.claims, key=lambda x: x.start)
    for p in ordered:
        if p.kind not in SIDE_KINDS:
            continue
        pm = measure(p.kind, p.value, p.unit)
        if pm is None:
            continue
        whole = None
        if before is not None:
            lead = fold(d.text[max(d.sentence(p)[0], p.start - 60):p.start], lang, d.rulebook)
            if before.search(lead):
                prior = [w for w in d.by_sentence.get(d.sentence(p), []) if w.kind in SIDE_KINDS
                         and w.kind != "percent" and w.end <= p.start]
                if p.kind != "percent":
                    prior = [w for w in prior if measure(w.kind, w.value, w.unit)[0] == pm[0]]
                whole = prior[-1] if prior else None
                if whole is None and p.kind == "percent":
                    whole = p  # "dont 46,8 %": a share of what came before, whatever its kind
        if whole is None and after is not None and p.kind != "percent":
            nxt = next((w for w in d.by_sentence.get(d.sentence(p), []) if w.start >= p.end and w is not p), None)
            if nxt is not None and nxt.kind == p.kind and measure(nxt.kind, nxt.value, nxt.unit)[0] == pm[0]:
                gap = fold(d.text[p.end:nxt.start], lang, d.rulebook)
                if after.search(gap) and len(WORD.findall(gap)) <= 6 and not clause_break(gap):
                    whole = nxt
        if whole is None:
            continue
        if p.kind == "percent":
            reported.add(id(p))
            over = _above_100(p)
            spans = [span_of(p, "part")] + ([span_of(whole, "whole")] if whole is not p else [])
            why = f"«{p.text}» is a share of a whole" + (f" («{whole.text}»)" if whole is not p else "")
            why += ": above 100 %" if over else ": at most 100 %"
            out.append(Finding("internal", "part_whole", "contradicted" if over else "consistent", spans, why,
                               expected=100, difference=rel(float(p.value), 100.0) if over else None))
            continue
        pi = claim_interval(pm[1], p.qualifier)
        wm = measure(whole.kind, whole.value, whole.unit)
        wi = claim_interval(wm[1], whole.qualifier)
        bigger = pi.lo > wi.hi or (pi.lo == wi.hi and (pi.lo_open or wi.hi_open) and math.isfinite(pi.lo))
        why = f"«{p.text}» is part of «{whole.text}»: {describe(p)} " + ("> " if bigger else "≤ ") + describe(whole)
        if bigger:
            why = "the part is larger than its whole: " + why
        out.append(Finding("internal", "part_whole", "contradicted" if bigger else "consistent",
                           [span_of(p, "part"), span_of(whole, "whole")], why,
                           expected=whole.value, difference=rel(pm[1], wm[1]) if bigger else None))
    for p in ordered:
        if p.kind != "percent" or id(p) in reported or p.extra.get("change"):
            continue
        if not _above_100(p):
            continue
        tail = fold(d.text[p.end:p.end + 30], lang, d.rulebook)
        is_share = share is not None and bool(share.match(tail)) and len(tail) > 0
        if is_share:
            why = f"«{p.text}» is a share («{d.text[p.end:p.end + 12].strip()}…») and a share cannot exceed 100 %"
        else:
            why = (f"«{p.text}» is above 100 % and not stated as a change: a share cannot exceed 100 %; "
                   "if it is a growth rate, say so in the text")
        out.append(Finding("internal", "percent_over_100", "contradicted" if is_share else "flagged",
                           [span_of(p)], why, expected=100, difference=rel(float(p.value), 100.0)))
    return out
