"""A stated multiple or change (``deux fois plus``, ``+23 %``) recomputed from the two figures it
relates: the ends of a range, the two sides of a comparison, or the only two figures of a sentence."""
from __future__ import annotations

from coopfacts.check.article import Article
from coopfacts.check.figures import SIDE_KINDS, canon, describe, factor, fmt_number, measure, rel, tidy
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import Interval, claim_interval
from coopfacts.model import Claim

RECOMPUTE_TOLERANCE = 0.05  # a stated multiple or change is rounded: within 5 % (or half its last digit)


def _pair_candidates(d: Article, r: Claim) -> list[tuple[Claim, Claim, str]]:
    """Pairs of figures a stated multiple or change may relate, nearest first: the ends of a
    range or the two sides of a comparison in the same paragraph; else the only two
    figures of one kind in the same sentence."""
    para = d.paragraph(r)
    pairs = []
    seen = set()
    here = d.by_paragraph.get(para, [])
    for rid in dict.fromkeys(c.extra.get("range") for c in here if c.extra.get("range") is not None):
        ms = sorted(d.ranges[rid], key=lambda x: x.start)
        if len(ms) >= 2 and ms[0].kind in SIDE_KINDS and r not in ms and d.paragraph(ms[0]) == para:
            pairs.append((ms[0], ms[-1], "range"))
    for c in here:
        ct = c.extra.get("compared_to")
        if not isinstance(ct, dict) or c is r or c.kind not in SIDE_KINDS:
            continue
        other = d.by_span.get((ct.get("start"), ct.get("end")))
        if other is None or other is r:
            continue
        key = frozenset((id(c), id(other)))
        if key in seen:
            continue
        seen.add(key)
        first, second = sorted((c, other), key=lambda x: x.start)
        # "X contre Y", "X مقابل Y": the first is the newer figure
        pairs.append((second, first, "comparison"))
    pairs = [p for p in pairs if (m0 := measure(p[0].kind, p[0].value, p[0].unit)) and
             (m1 := measure(p[1].kind, p[1].value, p[1].unit)) and m0[0] == m1[0]]
    if pairs:
        def distance(p):
            s, e = min(p[0].start, p[1].start), max(p[0].end, p[1].end)
            return (not d.same_sentence(p[0], r), max(s - r.end, r.start - e, 0))
        return sorted(pairs, key=distance)
    sides = [c for c in d.by_sentence.get(d.sentence(r), []) if c is not r and c.kind in SIDE_KINDS
             and not (r.kind == "percent" and c.kind == "percent" and c.extra.get("change"))]
    if len(sides) == 2:
        m0, m1 = (measure(x.kind, x.value, x.unit) for x in sides)
        if m0 and m1 and m0[0] == m1[0] and canon(m0[1]) != canon(m1[1]):
            return [(sides[0], sides[1], "sentence")]
    return []


def _rounding(v: float) -> float:
    """Half a unit in the last decimal place of ``v`` as it would be written."""
    s = f"{v:.10g}"
    if "e" in s:
        return 0.0
    decimals = len(s.split(".")[1]) if "." in s else 0
    return 0.5 * 10 ** -decimals


def _stated_holds(stated: float, qualifier: str, computed: float) -> bool:
    slack = max(RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
    if qualifier == "approx":
        slack = max(2 * RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
    return claim_interval(stated, qualifier, slack, approx=0).overlaps(Interval(computed, computed))


def recomputed_findings(d: Article) -> list[Finding]:
    out = []
    for r in d.claims:
        change = r.extra.get("change")
        if r.kind == "ratio":
            what = "multiple"
        elif r.kind == "percent" and change in ("increase", "decrease"):
            what = "change"
        elif r.kind in ("money", "count", "quantity") and change in ("increase", "decrease"):
            what = "change"
        else:
            continue
        if not isinstance(r.value, (int, float)):
            continue
        pairs = _pair_candidates(d, r)
        if r.kind in ("money", "count", "quantity"):  # an amount of change: only figures it can be subtracted from
            rm = measure(r.kind, r.value, r.unit)
            pairs = [p for p in pairs if p[2] != "sentence" and measure(p[0].kind, p[0].value, p[0].unit)[0] == rm[0]]
        if not pairs:
            continue
        old_c, new_c, how = pairs[0]
        a = measure(old_c.kind, old_c.value, old_c.unit)[1]
        b = measure(new_c.kind, new_c.value, new_c.unit)[1]
        if how == "sentence" and (change == "decrease") == (a < b):
            # order unknown: the change's direction tells which is the earlier
            a, b, old_c, new_c = b, a, new_c, old_c
        if a <= 0 or b <= 0:
            continue
        spans = [span_of(r, "stated"), span_of(old_c, "from"), span_of(new_c, "to")]
        stated = float(r.value)
        problems = []
        if how == "range" and change in ("increase", "decrease") and (b > a) != (change == "increase") and a != b:
            problems.append(f"it says {change} but the figures go from {fmt_number(a)} to {fmt_number(b)}")
        if what == "multiple":
            computed = max(a, b) / min(a, b) if stated >= 1 else min(a, b) / max(a, b)
            label = f"{fmt_number(tidy(round(computed, 3)))}×"
            ok = _stated_holds(stated, r.qualifier, computed)
            alt_ok = False
        elif r.kind == "percent":
            old, new = (a, b) if how == "range" else ((min(a, b), max(a, b)) if change == "increase" else (max(a, b), min(a, b)))
            computed = abs(new - old) / old * 100
            label = f"{fmt_number(tidy(round(computed, 2)))}%"
            ok = _stated_holds(stated, r.qualifier, computed)
            alt_ok = False
            if old_c.kind == "percent" and not ok:  # "de 9 % à 12 %, +3": points, not per cent
                points = abs(new - old)
                alt_ok = _stated_holds(stated, r.qualifier, points)
                if alt_ok:
                    computed, label = points, f"{fmt_number(tidy(round(points, 2)))} points"
        else:
            computed = abs(b - a) / factor(r.kind, r.unit)
            label = fmt_number(tidy(round(computed, 6)))
            ok = _stated_holds(stated, r.qualifier, computed)
            alt_ok = False
        holds = (ok or alt_ok) and not problems
        why = (f"«{r.text}» ({describe(r)}) recomputed from «{old_c.text}» and «{new_c.text}»"
               f" ({'range' if how == 'range' else 'compared figures' if how == 'comparison' else 'same sentence'}): {label}")
        why += " — holds" if holds else " — does not hold"
        if problems:
            why += "; " + "; ".join(problems)
        out.append(Finding("internal", what, "consistent" if holds else "contradicted", spans, why,
                           expected=tidy(round(computed, 6)), difference=rel(stated, computed)))
    return out
