"""The checks of one article on its own: the same figure stated twice, different figures for the
same counted thing, a stated multiple or change recomputed from the figures it relates
(:mod:`~coopfacts.check.recompute`), a part larger than its whole and a share above 100 %
(:mod:`~coopfacts.check.parts`)."""
from __future__ import annotations

from typing import Any, Iterable

from coopfacts.check.article import Article
from coopfacts.check.figures import canon, describe, measure
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import claim_interval
from coopfacts.check.parts import part_findings
from coopfacts.check.periods import overlap
from coopfacts.check.recompute import recomputed_findings
from coopfacts.check.text import fold
from coopfacts.model import Claim

GROUP_KINDS = ("count", "money", "quantity", "percent")


def check_internal(claims: Iterable[Claim | dict], text: str | None, *, rulebook: Any = None) -> list[Finding]:
    """Findings about one article on its own (see the module docstring)."""
    d = Article(claims, text, rulebook)
    out: list[Finding] = []
    out += _same_figures(d)
    out += _different_figures(d)
    out += recomputed_findings(d)
    out += part_findings(d)
    out.sort(key=lambda f: (f.spans[0]["start"] if f.spans else 0))
    return out


def _entities_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same counted noun, or one that extends the other (واحد / واحد مسکونی)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _same_figures(d: Article) -> list[Finding]:
    groups: dict[tuple, list[list[Claim]]] = {}
    for c in d.claims:
        if c.kind not in GROUP_KINDS:
            continue
        m = measure(c.kind, c.value, c.unit)
        if m is None:
            continue
        key = (m[0], canon(m[1]))
        bucket = groups.setdefault(key, [])
        if c.kind != "count":
            if not bucket:
                bucket.append([])
            bucket[0].append(c)
            continue
        ek = d.entity_key(c)
        if not ek:
            continue
        for g in bucket:
            if all(_entities_compatible(ek, d.entity_key(o)) for o in g):
                g.append(c)
                break
        else:
            bucket.append([c])
    out = []
    for bucket in groups.values():
        for g in bucket:
            if len(g) < 2:
                continue
            forms = {fold(x.text, x.lang, d.rulebook) for x in g}
            units = {x.unit for x in g}
            intervals = [claim_interval(measure(x.kind, x.value, x.unit)[1], x.qualifier) for x in g]
            agree = all(a.overlaps(b) for i, a in enumerate(intervals) for b in intervals[i + 1:])
            quals = sorted({x.qualifier for x in g})
            how = "in different forms" if len(forms) > 1 or len(units) > 1 else "in the same form"
            why = (f"the same figure stated {len(g)} times, {how}: "
                   + ", ".join(f"«{x.text}» ({x.qualifier})" for x in g))
            if not agree:
                why += f"; the qualifiers do not agree ({' vs '.join(quals)})"
            out.append(Finding("internal", "same_figure", "consistent" if agree else "flagged",
                               [span_of(x) for x in g], why))
    return out


def _date_context(d: Article, a: Claim, b: Claim) -> bool | None:
    """True: same time (both sentences undated, or dates that overlap); False: different dates;
    None: one is dated and the other is not."""
    pa, pb = d.dates(a), d.dates(b)
    if not pa and not pb:
        return True
    if not pa or not pb:
        return None
    return any(overlap(x, y) for x, _ in pa for y, _ in pb)


def _different_figures(d: Article) -> list[Finding]:
    by_entity: dict[tuple, list[Claim]] = {}
    for c in d.claims:
        if c.kind != "count" or not c.entity:
            continue
        by_entity.setdefault(d.entity_key(c), []).append(c)
    out = []
    for cs in by_entity.values():
        if len(cs) < 2 or len({canon(float(c.value)) for c in cs}) < 2:
            continue
        clash = []
        same_time = False
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                if a.extra.get("range") is not None and a.extra.get("range") == b.extra.get("range"):
                    continue
                if claim_interval(float(a.value), a.qualifier).overlaps(claim_interval(float(b.value), b.qualifier)):
                    continue
                clash.append((a, b))
                if _date_context(d, a, b) is True:
                    same_time = True
        if not clash:
            continue
        involved = sorted({id(x): x for pair in clash for x in pair}.values(), key=lambda x: x.start)
        entity = involved[0].entity
        why = f"different figures for «{entity}»: " + ", ".join(f"«{x.text}» ({describe(x)})" for x in involved)
        if same_time:
            why += "; nothing in the sentences sets them apart in time"
            verdict = "contradicted"
        else:
            dated = [f"«{x.text}»: {', '.join(t for _, t in d.dates(x)) or 'no date'}" for x in involved]
            why += "; the sentences speak of different times (" + "; ".join(dated) + ")"
            verdict = "flagged"
        out.append(Finding("internal", "different_figures", verdict, [span_of(x) for x in involved], why))
    return out
