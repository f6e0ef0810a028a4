"""Checking claims against a reference table: which row speaks of each claim, and the verdict."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from coopfacts.check.article import Article
from coopfacts.check.figures import describe, factor, fmt_number, measure, rel, tidy
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import Interval, claim_interval
from coopfacts.check.parts import parts_of
from coopfacts.check.periods import claim_period, overlap
from coopfacts.check.reference import ReferenceRow
from coopfacts.check.text import Token, clitics_of, rulebook_or_default, word_matches
from coopfacts.model import Claim


@dataclass
class _Link:
    """A row that speaks of a claim: how well (label words, counted noun, date) and the verdict."""

    row: ReferenceRow
    alt: str
    n_words: int
    in_entity: bool
    date_match: bool
    supported: bool
    expected: Any
    difference: float | None
    date_text: str | None = None

    @property
    def match(self) -> int:
        """How well the row's label matches the claim: its words, one more in the counted noun."""
        return self.n_words + self.in_entity

    @property
    def score(self) -> tuple:
        return (self.match + self.date_match, -abs(self.difference or 0.0))


def _label_hit(row: ReferenceRow, d: Article, c: Claim) -> tuple[str, int, bool, list[Token]] | None:
    """The best alternative of the row's label found in the claim's counted noun or sentence."""
    ent = d.entity_tokens(c)
    s, e = d.sentence(c)
    sent = d.tokens(s, e)
    best = None
    clitics = clitics_of(c.lang, d.rulebook)
    for alt, words in row.alternatives(c.lang, d.rulebook):
        if not _written_for(alt, c.lang, d.rulebook):
            continue
        in_entity = bool(ent) and all(any(word_matches(w, t.word, clitics) for t in ent) for w in words)
        hits = []
        for w in words:
            found = [t for t in sent if word_matches(w, t.word, clitics)]
            if not found and not in_entity:
                break
            hits.extend(found)
        else:
            cand = (alt, len(words), in_entity, hits)
            if best is None or (cand[1] + cand[2]) > (best[1] + best[2]):
                best = cand
    return best


def _written_for(alt: str, lang: str | None, rulebook: Any) -> bool:
    """A label alternative may judge claims in ``lang`` unless it carries letters only another
    language writes (its rule file's ``detect.markers``) and none of ``lang``'s: ``تعاونی`` (a
    Persian ی) is a Persian label, not one for Arabic text; ``فلاحیة`` (ی and ة) may be either."""
    rb = rulebook_or_default(rulebook)
    marked = _markers_in(alt, rb)
    return not marked or lang in marked


@functools.lru_cache(maxsize=4096)
def _markers_in(alt: str, rb: Any) -> frozenset[str]:
    """The languages whose marker letters ``alt`` holds."""
    out = set()
    for code in rb.languages:
        markers = getattr(rb.language(code), "markers", "") or ""
        if markers and any(ch in markers for ch in alt):
            out.add(code)
    return frozenset(out)


def _owner(d: Article, c: Claim, row: ReferenceRow, hits: list[Token], dim: str) -> Claim | None:
    """For a label found in the sentence only: the claim of the same dimension it belongs
    to - the one whose counted noun holds it, else the nearest to it."""
    siblings = [o for o in d.by_sentence.get(d.sentence(c), []) if o is not c and o not in d.range_members(c)
                and (m := measure(o.kind, o.value, o.unit)) is not None and m[0] == dim]
    if not siblings:
        return c
    for o in siblings:
        h = _label_hit(row, d, o)
        if h and h[2]:
            return o
    if not hits:
        return c

    def dist(x: Claim) -> int:
        return min(max(x.start - t.end, t.start - x.end, 0) for t in hits)

    return min([c, *siblings], key=lambda x: (dist(x), x is not c))


def check_reference(claims: Iterable[Claim | dict], text: str | None, rows: Sequence[ReferenceRow], *,
                    rulebook: Any = None, default_tolerance: tuple[float, bool] | None = None) -> list[Finding]:
    """One finding per claim (one per range): the reference row it is best linked to and the verdict.

    A row is linked to a claim when (1) every word of one of its label's alternatives is
    found in the claim's counted noun or sentence (and, found in the sentence only, no
    other figure of the sentence owns it), (2) kind and unit are comparable, (3) the dates
    agree where both have one.  The best link has the most label words (one more for the
    counted noun, one more for a matching date), then the smallest difference.
    """
    d = Article(claims, text, rulebook)
    parts = parts_of(d)
    done: set = set()
    judged: list[tuple[Claim, list[Claim], list[_Link], list[str]]] = []
    for c in d.claims:
        rid = c.extra.get("range")
        if rid is not None:
            if rid in done:
                continue
            done.add(rid)
        members = d.range_members(c)
        links, near = _links(d, c, members, rows, default_tolerance, parts)
        judged.append((c, members, links, near))
    # each row judges only the claims its label matches best (most label words, in the counted noun);
    # a claim whose sentence has no date is not beaten by one whose sentence has the row's date
    # (and among those, the nearest to its value: "3 600 organisations" and "1 300 organisations" of
    # two events, the row of 3 600 judges the first)
    best: dict[int, tuple[int, float]] = {}
    for _, _, links, _ in judged:
        for lk in links:
            key = (lk.match, -abs(lk.difference or 0.0))
            best[id(lk.row)] = max(best.get(id(lk.row), key), key)
    out: list[Finding] = []
    for c, members, links, near in judged:
        kept = [lk for lk in links if lk.match >= best[id(lk.row)][0]
                and abs(lk.difference or 0.0) <= -best[id(lk.row)][1] + 1e-9]
        for lk in links:
            if lk not in kept:
                better = "better" if lk.match < best[id(lk.row)][0] else "as well, nearer its value"
                near.append(f"row {lk.row.id} «{lk.alt}» matches another figure {better}")
        spans = [span_of(m) for m in members]
        if not kept:
            why = "no reference row speaks of it" + (": " + "; ".join(near) if near else "")
            out.append(Finding("reference", "reference", "unverified", spans, why))
            continue
        kept.sort(key=lambda lk: lk.score, reverse=True)
        out.append(_linked_finding(c, members, spans, kept, default_tolerance))
    return out


def _row_applies(d: Article, row: ReferenceRow, c: Claim, hit: tuple, parts: dict[int, Claim],
                 near: list[str]) -> bool:
    """The row's scoping columns allow it to judge ``c``: its document (``doc``), its language
    (``lang``), and a part (``dont 118 femmes``) only with ``scope: part``, or when the label is
    in the part's counted noun and not in its whole's - never with ``scope: total``."""
    if not row.applies_to_doc(c.doc) or (row.lang is not None and row.lang != c.lang):
        return False
    whole = parts.get(id(c))
    if row.scope == "part" and whole is None:
        return False
    if whole is not None and row.scope is None and hit[2]:
        of_whole = _label_hit(row, d, whole)
        if of_whole is None or not of_whole[2]:
            return True  # the row names what the part counts, not the whole
    if whole is not None and row.scope != "part":
        near.append(f"row {row.id} «{hit[0]}»: «{c.text}» is a part of «{whole.text}»"
                    + ("" if row.scope == "total" else "; give the row scope part to judge parts"))
        return False
    return True


def _links(d: Article, c: Claim, members: list[Claim], rows: Sequence[ReferenceRow],
           default_tolerance: tuple[float, bool] | None, parts: dict[int, Claim]) -> tuple[list[_Link], list[str]]:
    """The rows that speak of one claim (or range), and why some that nearly did cannot."""
    links: list[_Link] = []
    near: list[str] = []  # rows that speak of it but cannot be compared: said in the why
    for row in rows:
        hit = _label_hit(row, d, c)
        if hit is None or not _row_applies(d, row, c, hit, parts, near):
            continue
        if c.kind == "date":
            link = _date_link(c, members, row, hit)
        else:
            link = _figure_link(d, c, members, row, hit, default_tolerance, near)
        if link is not None:
            links.append(link)
    return links, near


def _date_link(c: Claim, members: list[Claim], row: ReferenceRow, hit: tuple) -> _Link | None:
    """A date claim and a date row: supported when their periods overlap."""
    alt, n_words, in_entity, _ = hit
    if row.kind != "date":
        return None
    cps = [p for p in (claim_period(m) for m in members) if p]
    rp = row.period()
    if not cps or rp is None:
        return None
    cp = (min(p[0] for p in cps), max(p[1] for p in cps))
    return _Link(row, alt, n_words, in_entity, False, overlap(cp, rp), row.value, None)


def _figure_link(d: Article, c: Claim, members: list[Claim], row: ReferenceRow, hit: tuple,
                 default_tolerance: tuple[float, bool] | None, near: list[str]) -> _Link | None:
    """A figure and a row of the same dimension whose label the claim owns and whose date agrees
    with the sentence's: supported when what the claim allows meets the row within tolerance."""
    alt, n_words, in_entity, hits = hit
    cm = measure(c.kind, c.value, c.unit)
    rm = row.measure()
    if cm is None or rm is None or rm[0] != cm[0]:
        if rm is not None and cm is not None and row.kind == c.kind:
            near.append(f"row {row.id} «{alt}» is {row.kind} in {row.unit or '-'}, "
                        f"not comparable with {c.unit or c.kind}")
        return None
    if not in_entity:
        owner = _owner(d, c, row, hits, cm[0])
        if owner is not c:
            return None
    date_match = False
    date_text = None
    periods = d.own_dates(c, members)
    if row.date is not None and periods:
        agreeing = [t for p, t in periods if overlap(p, row.date)]
        agreeing.sort(key=lambda t: any(t == x.text and x.extra.get("relative") for x in d.claims))
        if not agreeing:
            near.append(f"row {row.id} «{alt}» is about {row.date_text}, the figure about "
                        f"{', '.join(dict.fromkeys(t for _, t in periods))}")
            return None
        date_match = True
        date_text = agreeing[0]
    r = rm[1]
    tol = row.tolerance_in_base(r, default_tolerance)
    ref = Interval(r - tol, r + tol)
    bases = [measure(m.kind, m.value, m.unit)[1] for m in members]
    if len(members) > 1:
        claim_int = Interval(min(bases), max(bases))
        nearest = min(bases, key=lambda b: abs(b - r))
    else:
        claim_int = claim_interval(cm[1], c.qualifier)
        nearest = cm[1]
    expected = r / factor(c.kind, c.unit)
    return _Link(row, alt, n_words, in_entity, date_match, claim_int.overlaps(ref),
                 tidy(expected), rel(nearest, r), date_text)


def _linked_finding(c: Claim, members: list[Claim], spans: list[dict], links: list[_Link],
                    default_tolerance: tuple[float, bool] | None) -> Finding:
    """The verdict of the best link (``links`` best first) and why: the row, where its label
    was found, the date, the figures compared, the other rows that also speak of it."""
    best = links[0]
    row = best.row
    where = "the counted noun" if best.in_entity else "the sentence"
    bits = [f"row {row.id}: «{best.alt}» in {where}"]
    if best.date_match:
        bits.append(f"date {row.date_text} ~ «{best.date_text}»")
    if c.kind == "date":
        bits.append(f"{c.text} vs {row.value}")
    else:
        claim_desc = (f"{fmt_number(members[0].value)}–{fmt_number(members[-1].value)}" if len(members) > 1
                      else describe(c))
        ref_desc = f"{fmt_number(best.expected)}"
        tol = row.tolerance or default_tolerance
        if tol:
            ref_desc += f" ± {fmt_number(tol[0] * 100)}%" if tol[1] else f" ± {fmt_number(tol[0])}"
        if row.unit != c.unit and row.unit:
            ref_desc += f" (the table: {fmt_number(row.value)} {row.unit})"
        bits.append(f"{claim_desc} vs reference {ref_desc}")
        if c.qualifier != "exact" and len(members) == 1:
            bits.append(f"qualifier {c.qualifier} respected" if best.supported else f"qualifier {c.qualifier} not met")
    if len(links) > 1:
        bits.append("other rows: " + ", ".join(lk.row.id for lk in links[1:4]) + (" …" if len(links) > 4 else ""))
    verdict = "supported" if best.supported else "contradicted"
    return Finding("reference", "reference", verdict, spans, "; ".join(bits), expected=best.expected,
                   difference=best.difference, row=row.id, label=row.label, source=row.source,
                   also=[lk.row.id for lk in links[1:]] or None)
