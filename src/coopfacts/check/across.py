"""The same figure in several documents, in any language."""
from __future__ import annotations

from typing import Any, Iterable

from coopfacts.check.figures import as_claim, canon, fmt_number, measure
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import claim_interval
from coopfacts.check.text import WORD, fold
from coopfacts.model import Claim

ACROSS_KINDS = ("count", "money", "quantity", "percent")
ACROSS_MIN_COUNT = 100  # smaller counts are grouped across documents only with the same counted noun
_DIRECTION = {"more_than": 1, "at_least": 1, "less_than": -1, "at_most": -1}


def check_across(documents: Iterable[Iterable[Claim | dict]], *, rulebook: Any = None,
                 min_docs: int = 2) -> list[Finding]:
    """The same figure (kind, unit, base value, compatible qualifier) in ``min_docs`` documents
    or more, in any language: one finding per figure, every occurrence quoted."""
    groups: dict[tuple, list[Claim]] = {}
    order: list[tuple] = []
    for claims in documents:
        for c in (as_claim(x) for x in claims):
            if c.kind not in ACROSS_KINDS:
                continue
            m = measure(c.kind, c.value, c.unit)
            if m is None:
                continue
            key = (m[0], canon(m[1]))
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(c)
    out = []
    for key in order:
        cs = groups[key]
        up = [c for c in cs if _DIRECTION.get(c.qualifier, 0) > 0]
        down = [c for c in cs if _DIRECTION.get(c.qualifier, 0) < 0]
        neutral = [c for c in cs if not _DIRECTION.get(c.qualifier, 0)]
        clusters = [neutral + up, down] if (up and down) else [cs]
        for g in clusters:
            g = sorted(g, key=lambda c: cs.index(c))
            if key[0] == "count" and key[1] < ACROSS_MIN_COUNT:
                g = _same_noun(g, rulebook)
            if len({c.doc for c in g}) < min_docs:
                continue
            quals = {c.qualifier for c in g}
            docs = list(dict.fromkeys(c.doc for c in g))
            why = (f"{fmt_number(g[0].value)} {g[0].unit or g[0].kind} in {len(docs)} documents: "
                   + "; ".join(f"{c.doc} «{c.text}» ({c.qualifier}{', ' + c.lang if c.lang else ''})" for c in g))
            intervals = [claim_interval(measure(c.kind, c.value, c.unit)[1], c.qualifier) for c in g]
            agree = all(a.overlaps(b) for i, a in enumerate(intervals) for b in intervals[i + 1:])
            if len(quals) > 1:
                why += f"; the qualifier changes ({', '.join(sorted(quals))})"
                if not agree:
                    why += ": one says exactly what another bounds"
            if len({c.unit for c in g}) > 1:
                why += f"; in different units ({', '.join(sorted({c.unit or '-' for c in g}))})"
            out.append(Finding("across", "across", "consistent" if agree else "flagged",
                               [span_of(c) for c in g], why))
    return out


def _same_noun(g: list[Claim], rulebook: Any) -> list[Claim]:
    """Small counts: keep the largest set sharing one counted noun (same language)."""
    keys: dict[tuple, list[Claim]] = {}
    for c in g:
        if c.entity:
            keys.setdefault((c.lang, tuple(WORD.findall(fold(c.entity, c.lang, rulebook)))), []).append(c)
    return max(keys.values(), key=lambda cs: len({c.doc for c in cs}), default=[])
