"""The checks of one article on its own: the same figure stated twice, different figures for the
same counted thing, a stated multiple or change recomputed from the figures it relates
(:mod:`~coopfacts.check.recompute`), a part larger than its whole and a share above 100 %
(:mod:`~coopfacts.check.parts`)."""
from __future__ import annotations

from typing import Any, Iterable

from coopfacts.check.article import Article
from coopfacts.check.figures import canon, describe, fmt_number, measure, operand, written_slack
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import claim_interval
from coopfacts.check.parts import part_findings
from coopfacts.check.periods import overlap
from coopfacts.check.recompute import compared_pairs, from_to_pairs, recomputed_findings
from coopfacts.check.text import WORD, fold
from coopfacts.check.words import CheckWords, check_words
from coopfacts.model import Claim

GROUP_KINDS = ("count", "money", "quantity", "percent")
SUBSET_RATIO = 2  # a figure less than half another of its noun is more likely a part of it


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
    """True: same time (both sentences undated, or dates of about the same length that overlap:
    a year and the same year, not a year and a day in it - an event is another time); False:
    different dates; None: one is dated and the other is not."""
    pa, pb = d.own_dates(a), d.own_dates(b)
    if not pa and not pb:
        return True
    if not pa or not pb:
        return None
    return any(overlap(x, y) and _days(x) <= 2 * _days(y) and _days(y) <= 2 * _days(x) for x, _ in pa for y, _ in pb)


def _days(p: tuple) -> int:
    return (p[1] - p[0]).days + 1


def _clause_text(d: Article, c: Claim, reach: int = 50) -> str:
    """The folded text around a claim within its sentence (``reach`` characters each side, the
    claim itself left out), where a word setting it apart would stand."""
    if not d.text:
        return ""
    s, e = d.sentence(c)
    before = d.text[max(s, c.start - reach):c.start]
    after = d.text[c.end:min(e, c.end + reach)]
    return fold(before + " | " + after, d.lang, d.rulebook)


def _as_written(d: Article, c: Claim, folded: str, reach: int = 50) -> str:
    """The words of the text around ``c`` that fold to ``folded`` (as the text writes them)."""
    if not d.text:
        return folded
    want = WORD.findall(folded)
    s, e = d.sentence(c)
    toks = list(WORD.finditer(d.text, max(s, c.start - reach), min(e, c.end + reach)))
    folds = [WORD.findall(fold(t.group(), d.lang, d.rulebook)) for t in toks]
    flat = [(i, w) for i, ws in enumerate(folds) for w in ws]
    for k in range(len(flat) - len(want) + 1):
        if [w for _, w in flat[k:k + len(want)]] == want:
            return d.text[toks[flat[k][0]].start():toks[flat[k + len(want) - 1][0]].end()]
    return folded


def _specific(key: tuple[str, ...], words: CheckWords) -> bool:
    """A counted noun that names one set: no word of it generic (``personnes``, ``نفر``) nor a
    lone letter or two (``d'entre``)."""
    return bool(key) and all(len(w) >= 3 and w not in words.generic for w in key)


def _set_apart(d: Article, c: Claim, words: CheckWords) -> str | None:
    """Why a figure may be another set or time than another figure of its noun: a word near it
    (``par mois``, ``امسال``, ``dont``), a part marker before it, a range or comparison it belongs
    to, or a sentence that lists three counts or more (a breakdown)."""
    around = _clause_text(d, c)
    if words.set_apart is not None:
        m = words.set_apart.search(around)
        if m:
            return f"«{_as_written(d, c, m.group())}» near «{c.text}»"
    lead = fold(d.text[max(d.sentence(c)[0], c.start - 60):c.start], d.lang, d.rulebook) if d.text else ""
    if words.part_before is not None and words.part_before.search(lead):
        return f"«{c.text}» is a part"
    if c.extra.get("range") is not None or c.extra.get("compared_to") or c.extra.get("change"):
        return f"«{c.text}» is in a range, a comparison or a change"
    counts = [x for x in d.by_sentence.get(d.sentence(c), []) if x.kind == "count" and operand(x)]
    if len(counts) >= 3:
        return f"«{c.text}» is in a list of {len(counts)} counts"
    return None


def _different_figures(d: Article) -> list[Finding]:
    """Different figures for one counted noun.  Contradicted only when a person would accept it:
    the same specific noun, in different sentences, at the same time (both undated or dated
    alike), nothing near either that sets it apart, the figures apart by more than their
    rounding; otherwise flagged."""
    words = check_words(d.lang, d.rulebook)
    by_entity: dict[tuple, list[Claim]] = {}
    for c in d.claims:
        if c.kind != "count" or not c.entity or not operand(c):
            continue
        by_entity.setdefault(d.entity_key(c), []).append(c)
    out = []
    moves = _evolutions(d, words)
    for key, cs in by_entity.items():
        if len(cs) < 2 or len({canon(float(c.value)) for c in cs}) < 2:
            continue
        clash = []
        hard = False
        reasons: list[str] = []
        specific = _specific(key, words)
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                if frozenset((id(a), id(b))) in moves:  # "من 300 منخرط إلى 1200 منخرط": one figure's evolution
                    continue
                if a.extra.get("range") is not None and a.extra.get("range") == b.extra.get("range"):
                    continue
                ia = claim_interval(float(a.value), a.qualifier, written_slack(a))
                ib = claim_interval(float(b.value), b.qualifier, written_slack(b))
                if ia.overlaps(ib):
                    continue
                clash.append((a, b))
                why_not = _why_not_same(d, a, b, specific, words)
                if why_not is None:
                    hard = True
                else:
                    reasons.append(why_not)
        if not clash:
            continue
        involved = sorted({id(x): x for pair in clash for x in pair}.values(), key=lambda x: x.start)
        entity = involved[0].entity
        why = f"different figures for «{entity}»: " + ", ".join(f"«{x.text}» ({describe(x)})" for x in involved)
        if hard and len({canon(float(x.value)) for x in involved}) > 2:
            # three figures or more for one noun are a total and its breakdown far more often
            # than three claims of one figure (5.214 صفقة … 312 صفقة … 446 صفقة by kind of property)
            why += "; maybe not the same thing: three figures or more for one noun read as a total and its parts"
            verdict = "flagged"
        elif hard:
            why += ("; the same counted noun, at the same time, in sentences where nothing sets them apart "
                    "(no part, period, rate or list)")
            verdict = "contradicted"
        else:
            why += "; maybe not the same thing: " + "; ".join(dict.fromkeys(reasons))
            verdict = "flagged"
        out.append(Finding("internal", "different_figures", verdict, [span_of(x) for x in involved], why))
    return out


def _evolutions(d: Article, words: CheckWords) -> set[frozenset[int]]:
    """Pairs of figures the text gives as one quantity's evolution or comparison: a from→to pair,
    two figures compared (``X contre Y``, ``X مقابل Y``)."""
    out = {frozenset((id(a), id(b))) for sent in d.by_sentence for a, b in from_to_pairs(d, sent, words)}
    out |= {frozenset((a, id(b))) for a, b in compared_pairs(d).items()}
    return out


def _why_not_same(d: Article, a: Claim, b: Claim, specific: bool, words: CheckWords) -> str | None:
    """Why two figures of one noun may be about different things (None: nothing tells them apart)."""
    if not specific:
        return f"«{a.entity}» is too generic a noun to name one set"
    if d.same_sentence(a, b):
        return "one sentence states both (a list, a part or a comparison)"
    for c in (a, b):
        apart = _set_apart(d, c, words)
        if apart:
            return apart
    small, big = sorted((float(a.value), float(b.value)))
    if small * SUBSET_RATIO < big:
        return (f"{fmt_number(small)} is less than half of {fmt_number(big)}: more likely a part of it "
                "(a subset the sentence describes) than the same set")
    when = _date_context(d, a, b)
    if when is not True:
        dated = [f"«{x.text}»: {', '.join(dict.fromkeys(t for _, t in d.own_dates(x))) or 'no date'}" for x in (a, b)]
        return "the sentences speak of different times (" + "; ".join(dated) + ")"
    return None
