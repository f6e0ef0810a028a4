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
    """The stated figure, as rounded as it is written (and within 5 %; 10 % when approximate),
    allows the recomputed one."""
    slack = max(RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
    if qualifier == "approx":
        slack = max(2 * RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
    return claim_interval(stated, qualifier, slack, approx=0).overlaps(Interval(computed, computed))


def recomputed_findings(d: Article) -> list[Finding]:
    """A finding for each stated multiple or change whose figures the article also states."""
    out = []
    for r in d.claims:
        finding = _recomputed(d, r)
        if finding is not None:
            out.append(finding)
    return out


def _stated_kind(r: Claim, change: str | None) -> str | None:
    """``multiple`` (a ratio), ``change`` (a percentage or an amount stated as a rise or a fall), or None."""
    if r.kind == "ratio":
        return "multiple"
    if r.kind == "percent" and change in ("increase", "decrease"):
        return "change"
    if r.kind in ("money", "count", "quantity") and change in ("increase", "decrease"):
        return "change"
    return None


def _recomputed(d: Article, r: Claim) -> Finding | None:
    change = r.extra.get("change")
    what = _stated_kind(r, change)
    if what is None or not isinstance(r.value, (int, float)):
        return None
    pairs = _pair_candidates(d, r)
    if r.kind in ("money", "count", "quantity"):  # an amount of change: only figures it can be subtracted from
        rm = measure(r.kind, r.value, r.unit)
        pairs = [p for p in pairs if p[2] != "sentence" and measure(p[0].kind, p[0].value, p[0].unit)[0] == rm[0]]
    if not pairs:
        return None
    old_c, new_c, how = pairs[0]
    a = measure(old_c.kind, old_c.value, old_c.unit)[1]
    b = measure(new_c.kind, new_c.value, new_c.unit)[1]
    if how == "sentence" and (change == "decrease") == (a < b):
        # order unknown: the change's direction tells which is the earlier
        a, b, old_c, new_c = b, a, new_c, old_c
    if a <= 0 or b <= 0:
        return None
    spans = [span_of(r, "stated"), span_of(old_c, "from"), span_of(new_c, "to")]
    stated = float(r.value)
    problems = []
    if how == "range" and change in ("increase", "decrease") and (b > a) != (change == "increase") and a != b:
        problems.append(f"it says {change} but the figures go from {fmt_number(a)} to {fmt_number(b)}")
    computed, label, ok = _recompute(r, what, how, a, b, old_c.kind == "percent")
    holds = ok and not problems
    source = "range" if how == "range" else "compared figures" if how == "comparison" else "same sentence"
    why = f"«{r.text}» ({describe(r)}) recomputed from «{old_c.text}» and «{new_c.text}» ({source}): {label}"
    why += " — holds" if holds else " — does not hold"
    if problems:
        why += "; " + "; ".join(problems)
    return Finding("internal", what, "consistent" if holds else "contradicted", spans, why,
                   expected=tidy(round(computed, 6)), difference=rel(stated, computed))


def _recompute(r: Claim, what: str, how: str, a: float, b: float, from_percent: bool) -> tuple[float, str, bool]:
    """``(computed value, as written in the why, whether the stated value holds)`` for the
    stated figure ``r`` and the figures ``a`` (earlier) and ``b`` (later), in base units."""
    stated = float(r.value)
    change = r.extra.get("change")
    if what == "multiple":
        computed = max(a, b) / min(a, b) if stated >= 1 else min(a, b) / max(a, b)
        return computed, f"{fmt_number(tidy(round(computed, 3)))}×", _stated_holds(stated, r.qualifier, computed)
    if r.kind == "percent":
        if how == "range":
            old, new = a, b
        else:
            old, new = (min(a, b), max(a, b)) if change == "increase" else (max(a, b), min(a, b))
        computed = abs(new - old) / old * 100
        label = f"{fmt_number(tidy(round(computed, 2)))}%"
        if _stated_holds(stated, r.qualifier, computed):
            return computed, label, True
        if from_percent:  # "de 9 % à 12 %, +3": points, not per cent
            points = abs(new - old)
            if _stated_holds(stated, r.qualifier, points):
                return points, f"{fmt_number(tidy(round(points, 2)))} points", True
        return computed, label, False
    computed = abs(b - a) / factor(r.kind, r.unit)
    return computed, fmt_number(tidy(round(computed, 6))), _stated_holds(stated, r.qualifier, computed)
