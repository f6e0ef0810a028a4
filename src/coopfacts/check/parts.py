"""Parts and wholes: a part larger than its whole (``dont``, ``منها``, ``از این تعداد``,
``از مجموع ... ،``), parts that add up to more than their whole (``X, dont A et B``), a share
above 100 %.

The words that tie a part to its whole are language knowledge: each rule file lists them under
`parts:` (`part_before`, `whole_after`, `share_after`) and `check:` (`whole_before`);
:func:`~coopfacts.check.words.check_words` gives them as patterns.  Years are never parts nor
wholes.
"""
from __future__ import annotations

import math
import unicodedata

import regex

from coopfacts.check.article import Article
from coopfacts.check.figures import describe, fmt_number, measure, operand, rel, tidy, written_slack
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import claim_interval
from coopfacts.check.text import WORD, fold
from coopfacts.check.words import CheckWords, check_words
from coopfacts.model import Claim
from coopfacts.text.segments import clause_break


def d_ascii(t: str) -> str:
    """``t`` with every decimal digit (Persian, Arabic) as an ASCII one."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in t)


SUM_TOLERANCE = 0.02  # parts may add up to 2 % over their whole (each rounded) before it is a finding


def _above_100(p: Claim) -> bool:
    """Every value the percentage allows is above 100 (``120 %``, ``plus de 100 %``)."""
    if isinstance(p.value, bool) or not isinstance(p.value, (int, float)):
        return False
    iv = claim_interval(float(p.value), p.qualifier)
    return iv.lo > 100 or (iv.lo == 100 and iv.lo_open)


def _dim(c: Claim) -> str:
    m = measure(c.kind, c.value, c.unit)
    return m[0] if m else ""


def part_findings(d: Article) -> list[Finding]:
    """A finding for each part tied to its whole, each whole whose parts exceed it, then each
    other percentage above 100 %."""
    out: list[Finding] = []
    if not d.text or d.lang is None:
        return out
    words = check_words(d.lang, d.rulebook)
    reported: set[int] = set()
    ordered = sorted(d.claims, key=lambda x: x.start)
    wholes: dict[int, tuple[Claim, list[Claim]]] = {}
    part_of: dict[int, Claim] = {}
    for p in ordered:
        if not operand(p):
            continue
        whole, led = _whole_of(d, p, _dim(p), words, part_of)
        if whole is None:
            continue
        if p.kind == "percent":
            reported.add(id(p))
            out.append(_share_finding(p, whole))
        else:
            out.append(_part_finding(p, measure(p.kind, p.value, p.unit)[1], whole))
            if led:
                part_of[id(p)] = whole
                wholes.setdefault(id(whole), (whole, []))[1].append(p)
    for whole, led_parts in wholes.values():
        total = _sum_finding(d, whole, led_parts)
        if total is not None:
            out.append(total)
    for p in ordered:
        if p.kind != "percent" or id(p) in reported or p.extra.get("change"):
            continue
        if _above_100(p):
            out.append(_over_100_finding(d, p, words.share_next))
    out += _remainder_findings(d, words)
    return out


SHARES_GAP = 10  # at most this many words between two shares of one list


_REMAINDER_CLAUSE = regex.compile(r"[,،;؛.:!?؟\n]")


def _remainder_findings(d: Article, words: CheckWords) -> list[Finding]:
    """``49 فیصد … و ۵۱ فیصد متباقی``, ``60 %, 30 % et les 10 % restants``: shares listed up to the
    one a remainder word follows add up to 100 % (each rounded as written)."""
    out: list[Finding] = []
    if words.remainder is None or not d.text:
        return out
    for sent in d.by_sentence.values():
        shares = [c for c in sent if c.kind == "percent" and not c.extra.get("change") and c.extra.get("range") is None
                  and isinstance(c.value, (int, float)) and not _above_100(c)]
        for i, p in enumerate(shares):
            # in the share's own clause: "14%، وذهب الباقي إلى ..." names another share, the rest
            tail = _REMAINDER_CLAUSE.split(d.text[p.end:p.end + 30], maxsplit=1)[0]
            if not words.remainder.search(fold(tail, d.lang, d.rulebook)):
                continue
            listed = [p]
            for q in reversed(shares[:i]):
                gap = d.text[q.end:listed[0].start]
                if clause_break(gap) or len(WORD.findall(gap)) > SHARES_GAP:
                    break
                listed.insert(0, q)
            if len(listed) < 2 or any(c.qualifier not in ("exact", "approx") for c in listed):
                continue
            total = sum(float(c.value) for c in listed)
            slack = sum(max(_decimal_half(c), 2.5 if c.qualifier == "approx" else 0.0) for c in listed)
            wrong = abs(total - 100) > slack + 1e-9
            why = (" + ".join(f"«{c.text}»" for c in listed) + f" = {fmt_number(tidy(round(total, 6)))} %: "
                   f"«{p.text}» is what remains, so the shares should make 100 %"
                   + (f" (± {fmt_number(tidy(round(slack, 6)))} for rounding)" if slack else ""))
            out.append(Finding("internal", "shares_sum", "contradicted" if wrong else "consistent",
                               [span_of(c, "part") for c in listed], why, expected=100,
                               difference=rel(total, 100.0) if wrong else None))
    return out


def _decimal_half(c: Claim) -> float:
    """Half a unit of the last digit a percentage is written with (``12,5 %``: 0.05; ``12 %``: 0.5)."""
    digits = regex.findall(r"\d+(?:[.,٫]\d+)?", d_ascii(c.text))
    if not digits:
        return 0.5
    last = digits[-1]
    decimals = len(regex.split(r"[.,٫]", last)[1]) if regex.search(r"[.,٫]", last) else 0
    return 0.5 * 10 ** -decimals


def parts_of(d: Article) -> dict[int, Claim]:
    """Each figure that is a part of another (``dont 118``, ``منها``, ``از مجموع ... ،``, ``12 sur
    40``; not a percentage, which is a share): ``{id(part): whole}`` - for a reference table,
    which judges a total's row against a total, not against its part."""
    out: dict[int, Claim] = {}
    if not d.text or d.lang is None:
        return out
    words = check_words(d.lang, d.rulebook)
    for p in sorted(d.claims, key=lambda x: x.start):
        if not operand(p):
            continue
        whole, _ = _whole_of(d, p, _dim(p), words, out)
        if whole is not None and whole is not p and p.kind != "percent":  # a share is what a % row gives
            out[id(p)] = whole
    return out


def _previous_sentence_figures(d: Article, p: Claim, dim: str) -> list[Claim]:
    """The figures of ``dim`` in the sentence before ``p``'s, in its paragraph, when ``p``'s
    sentence opens with the part marker (nothing but it and a few words before ``p``)."""
    s = d.sentence(p)
    if d.text is None or len(WORD.findall(d.text[s[0]:p.start])) > 4:
        return []
    prev = [k for k in d.by_sentence if k[1] <= s[0]]
    if not prev:
        return []
    key = max(prev)
    figs = [w for w in d.by_sentence[key] if operand(w) and w.kind != "percent" and _dim(w) == dim]
    return figs if figs and d.paragraph(figs[-1]) == d.paragraph(p) else []


def _lead(d: Article, p: Claim, reach: int = 60) -> str:
    return fold(d.text[max(d.sentence(p)[0], p.start - reach):p.start], d.lang, d.rulebook) if d.text else ""


def _whole_of(d: Article, p: Claim, dim: str, words: CheckWords,
              part_of: dict[int, Claim]) -> tuple[Claim | None, bool]:
    """``(whole, led by a marker)``: the whole ``p`` is a part of - the last figure before it in
    its sentence when a marker leads ``p`` (``dont``), the figure a `whole_before` marker leads
    just before it (``از مجموع ۱۲۰۰ تعاونی، ۹۰۰ ...``), else the next one when a marker follows
    it within the clause (``sur``); ``p`` itself for a percentage that is a share of what came
    before."""
    sent = d.by_sentence.get(d.sentence(p), [])
    prior = [w for w in sent if operand(w) and w.kind != "percent" and w.end <= p.start]
    if p.kind != "percent":
        prior = [w for w in prior if _dim(w) == dim]
    if prior and id(prior[-1]) in part_of and _next_item(d, prior[-1], p, words):
        return part_of[id(prior[-1])], True  # "..., 120 millions pour les silos et 100 millions pour les machines"
    lead = _lead(d, p)
    marker = words.part_before.search(lead) if words.part_before is not None else None
    if marker is not None and words.part_not_after is not None and words.part_not_after.search(lead[:marker.start()]):
        marker = None  # "كل منها ما يزيد على 900 طالب": each of them, no part; "بالاتر از آن": above it
    if marker is not None and words.average is not None:
        # an average is no whole ("3,870 شاحنة، أي بمعدل 69 شاحنة في اليوم، منها 2,215"): the
        # part is of the total before it
        prior = [w for w in prior if not words.average.search(_lead(d, w, 25))] or prior
    if marker is not None:
        if prior:  # "dont 140 femmes et 110 hommes": 110 is a part of the same whole as 140
            if p.kind == "count" and d.entity_key(p):
                # "329 مقعدا في 18 دائرة، بينها 83 مقعدا": the whole counts what the part counts
                same = [w for w in prior if d.entity_key(w)[:1] == d.entity_key(p)[:1]]
                if not same and d.entity_key(prior[-1]) and isinstance(p.value, (int, float)):
                    # none counts its noun: of the figures that count other nouns, the nearest that
                    # may hold it ("٤٥٠ نقطة موزعة على ٢٧ محافظة، منها ١٢٠ صومعة": silos of the points)
                    holds = [w for w in prior if isinstance(w.value, (int, float)) and w.value >= p.value]
                    same = holds[-1:]
                prior = same or prior
            return part_of.get(id(prior[-1]), prior[-1]), True
        before = [w for w in _previous_sentence_figures(d, p, dim) if not w.extra.get("change")]
        if p.kind == "count" and d.entity_key(p):  # the figure of what the part counts, if one is
            before = [w for w in before if d.entity_key(w)[:1] == d.entity_key(p)[:1]] or before
        if before and p.kind != "percent":  # "… 504 coopératives (soit 37 de plus). Parmi elles, 77 …"
            return before[-1], True
        if p.kind == "percent":
            return p, True  # "dont 46,8 %": a share of what came before, whatever its kind
    if words.part_after is not None and p.kind != "percent" and prior and d.text:
        # within its sentence: "… parmi les dix premières. 30 d'entre elles" marks no part of dix
        stop = p.sentence_end if p.sentence_end and p.sentence_end > p.end else p.end + 40
        after = fold(d.text[p.end:min(p.end + 40, stop)], d.lang, d.rulebook)
        m = words.part_after.search(after)  # "۱۸۰ نفر از آنها زن": the part, then "of them"
        nxt = next((w for w in sent if w.start >= p.end and w is not p), None)
        # unless the marker leads the next figure: "ليصل إلى مليون و850 ألفاً، منهم 290 ألف
        # عماني" makes 1 850 000 the whole of 290 000, no part of the figure before it
        leads_next = m is not None and nxt is not None and (
            "،" in after[:m.start()] or "," in after[:m.start()]
            or len(WORD.findall(fold(d.text[p.end:nxt.start], d.lang, d.rulebook)))
            <= len(WORD.findall(after[:m.end()])) + 1)
        if m is not None and not leads_next:
            return part_of.get(id(prior[-1]), prior[-1]), True
    if words.whole_before is not None and p.kind != "percent" and prior:
        w = prior[-1]
        if words.whole_before.search(_lead(d, w, 30)) and w.extra.get("range") is None and alike(d, p, w) \
                and not _closes_pair(d, prior[:-1], w, words):
            gap = fold(d.text[w.end:p.start], d.lang, d.rulebook)
            if len(WORD.findall(gap)) <= 8:
                return w, True
    if words.whole_after is not None and p.kind != "percent":
        nxt = next((w for w in sent if w.start >= p.end and w is not p), None)
        if nxt is not None and operand(nxt) and nxt.kind == p.kind and _dim(nxt) == dim:
            gap = fold(d.text[p.end:nxt.start], d.lang, d.rulebook)
            reverse = words.part_before is not None and words.part_before.search(gap)  # "X ... از این میان Y"
            # "از ۱۲۰۰ نفر به کمتر از ۵۰۰ نفر": the از of a bound, in a from→to pair
            moving = nxt.qualifier not in ("exact", "approx") or (words.to is not None and words.to.search(gap))
            # "… ۳ میلیون تومان و بن کارگری از ۱/۴ میلیون به ۲/۲ میلیون": the از opens a from→to
            # pair of the next figure, no whole
            after_nxt = next((w for w in sent if w.start >= nxt.end), None)
            if after_nxt is not None and words.to is not None:
                gap2 = fold(d.text[nxt.end:after_nxt.start], d.lang, d.rulebook)
                moving = moving or (len(WORD.findall(gap2)) <= 3 and bool(words.to.search(gap2)))
            # after a comma or a list's and, a word between the marker and the figure makes it the
            # list's next item, no whole (۵۰۰ میگاوات، از ترکمنستان ۳۶۰ میگاوات و از تاجکستان ۳۰۰:
            # from Turkmenistan, not of 360)
            first = WORD.findall(gap)[:1]
            opens = _COMMA_FIRST.match(gap) is not None or (
                bool(first) and words.and_any is not None and words.and_any.fullmatch(first[0]) is not None)
            listed = opens and not (words.whole_next is not None and words.whole_next.search(gap))
            if words.whole_after.search(gap) and words.whole_end is not None and words.whole_end.search(gap) \
                    and not reverse and not moving and not listed and len(WORD.findall(gap)) <= 6 \
                    and not clause_break(gap) and alike(d, p, nxt):
                return nxt, False
    return None, False


def _closes_pair(d: Article, before: list[Claim], w: Claim, words: CheckWords) -> bool:
    """``w`` is the whole of the figure right before it (``11 ولاية من أصل 18``): that pair is
    closed, and a figure later in the sentence (``… والمقدر عددهم بنحو 860 ألف شخص``) is no part of
    it."""
    if not before or words.whole_after is None or not d.text:
        return False
    q = before[-1]
    gap = fold(d.text[q.end:w.start], d.lang, d.rulebook)
    return bool(words.whole_after.search(gap)) and len(WORD.findall(gap)) <= 6 and not clause_break(gap)


LIST_GAP = 5  # at most this many words from one item of a list of parts to the next
_COMMA_FIRST = regex.compile(r"\s*[,،]")  # a gap that opens with a comma


def _next_item(d: Article, prev: Claim, p: Claim, words: CheckWords) -> bool:
    """``p`` is the next item of the list ``prev`` belongs to: a few words on, in the same
    clause, after a list joiner (``et``, ``و``) or a comma; for counts, counting what ``prev``
    counts (or nothing said)."""
    if not d.text or p.kind != prev.kind or _dim(p) != _dim(prev):
        return False
    gap = d.text[prev.end:p.start]
    if clause_break(gap) or len(WORD.findall(gap)) > LIST_GAP:
        return False
    folded = fold(gap, d.lang, d.rulebook)
    joined = (words.and_ is not None and bool(words.and_.search(folded))) or gap.rstrip().endswith((",", "،"))
    if not joined:
        return False
    if p.kind == "count" and d.entity_key(p)[:1] not in ((), d.entity_key(prev)[:1]):
        # another noun: a list item only right after the previous one's noun ("1 200 femmes et 1 100 hommes")
        rest = WORD.findall(folded)
        return len(rest) - len(d.entity_key(prev)) <= 1
    return True


def alike(d: Article, part: Claim, whole: Claim, strict: bool = False) -> bool:
    """Two figures count the same thing: for counts, the same counted noun (first word), or no
    noun on one of them (``12 coopératives sur 40``) unless ``strict``; other kinds always."""
    if part.kind != "count":
        return not strict
    a, b = d.entity_key(part)[:1], d.entity_key(whole)[:1]
    if not a or not b:
        return not strict
    if a == b:
        return True
    x, y = sorted((a[0], b[0]), key=len)  # مستفيد / مستفيدا: one word with a suffix
    return len(x) >= 3 and y.startswith(x)


def _share_finding(p: Claim, whole: Claim) -> Finding:
    """A percentage that is a share of a whole: at most 100 %."""
    over = _above_100(p)
    spans = [span_of(p, "part")] + ([span_of(whole, "whole")] if whole is not p else [])
    why = f"«{p.text}» is a share of a whole" + (f" («{whole.text}»)" if whole is not p else "")
    why += ": above 100 %" if over else ": at most 100 %"
    return Finding("internal", "part_whole", "contradicted" if over else "consistent", spans, why,
                   expected=100, difference=rel(float(p.value), 100.0) if over else None)


def _part_finding(p: Claim, part: float, whole: Claim) -> Finding:
    """A part (``part`` in base units) and its whole: the part may not be larger (than the whole
    as rounded as it is written)."""
    pi = claim_interval(part, p.qualifier)
    wm = measure(whole.kind, whole.value, whole.unit)
    slack = written_slack(whole) * (wm[1] / float(whole.value) if whole.value else 1.0)
    wi = claim_interval(wm[1], whole.qualifier, slack)
    bigger = pi.lo > wi.hi or (pi.lo == wi.hi and (pi.lo_open or wi.hi_open) and math.isfinite(pi.lo))
    why = f"«{p.text}» is part of «{whole.text}»: {describe(p)} " + ("> " if bigger else "≤ ") + describe(whole)
    if bigger:
        why = "the part is larger than its whole: " + why
    return Finding("internal", "part_whole", "contradicted" if bigger else "consistent",
                   [span_of(p, "part"), span_of(whole, "whole")], why,
                   expected=whole.value, difference=rel(part, wm[1]) if bigger else None)


def _sum_finding(d: Article, whole: Claim, led: list[Claim]) -> Finding | None:
    """``X, dont A, B et C``: the parts listed after the marker - the figures the marker leads,
    and those after them of their dimension (and counted noun's first word, for counts) up to
    the end of the list - add up to no more than the whole (as rounded as written, within 2 %)."""
    first = led[0]
    words = check_words(d.lang, d.rulebook)
    sent = d.by_sentence.get(d.sentence(first), [])
    heads = {d.entity_key(x)[:1] for x in led}
    parts = [first]
    for c in sent:
        if c.start <= first.start or not operand(c) or _dim(c) != _dim(first) or c.extra.get("range") is not None:
            continue
        if c in led:
            parts.append(c)
            continue
        # not tied by the marker: a count of the same noun as the parts, listed right after one
        # ("332 358 نفر عضو 125 شرکت …، 39 977 نفر …"), never another sum later in the sentence
        if c.kind != "count" or d.entity_key(c)[:1] not in heads:
            continue
        gap = d.text[parts[-1].end:c.start] if d.text else ""
        joined = "," in gap or "،" in gap or (words.and_ is not None
                                              and bool(words.and_.search(fold(gap, d.lang, d.rulebook))))
        if clause_break(gap) or len(WORD.findall(gap)) > 8 or not joined:
            break
        parts.append(c)
    if len(parts) < 2:
        return None
    values = [measure(c.kind, c.value, c.unit)[1] for c in parts]
    total = sum(values)
    wm = measure(whole.kind, whole.value, whole.unit)[1]
    slack = written_slack(whole) * (wm / float(whole.value) if whole.value else 1.0)
    allowed = claim_interval(wm, whole.qualifier, slack)
    exact_parts = all(c.qualifier in ("exact", "approx", "at_least", "more_than") for c in parts)
    over = exact_parts and total > allowed.hi * (1 + SUM_TOLERANCE)
    listed = " + ".join(f"«{c.text}»" for c in parts)
    unit = f" {whole.unit}" if whole.unit and whole.unit != "%" else ""
    why = f"the parts {listed} add up to {fmt_number(tidy(round(total / (wm / float(whole.value)), 6)))}{unit}"
    verdict = "contradicted" if over else "consistent"
    if over:
        why += f", more than their whole «{whole.text}» ({describe(whole)})"
        crossing = _crossing(d, parts)
        if crossing:  # "dont 180 femmes et 150 jeunes": a young woman counts twice
            verdict = "flagged"
            why += f"; but «{crossing}» cuts across the other parts: they may overlap"
    else:
        why += f", within their whole «{whole.text}» ({describe(whole)})"
    return Finding("internal", "parts_sum", verdict,
                   [span_of(whole, "whole")] + [span_of(c, "part") for c in parts], why,
                   expected=whole.value, difference=rel(total, wm) if over else None)


def _crossing(d: Article, parts: list[Claim]) -> str | None:
    """A part counting a category that cuts across the others (rules ``check.cross_nouns``:
    ``jeunes``, ``الشباب``, ``جوانان``) beside parts counting something else: its noun."""
    words = check_words(d.lang, d.rulebook)
    heads = [d.entity_key(c) for c in parts]
    crossing = [c for c, k in zip(parts, heads) if any(w in words.cross for w in k)]
    if crossing and len(crossing) < len(parts):
        return crossing[0].entity
    return None


def _as_written_near(d: Article, p: Claim, folded: str) -> str:
    """The words after ``p`` that fold to ``folded``, as the text writes them."""
    want = WORD.findall(folded)
    toks = list(WORD.finditer(d.text or "", p.end, min(len(d.text or ""), p.end + 60)))
    for i in range(len(toks) - len(want) + 1):
        got = [w for t in toks[i:i + len(want)] for w in WORD.findall(fold(t.group(), d.lang, d.rulebook))]
        if got[:len(want)] == want:
            return (d.text or "")[toks[i].start():toks[i + len(want) - 1].end()]
    return folded


def regex_list_gap(gap: str) -> bool:
    """A gap between two items of a list: a comma or a semicolon and a few words, no full stop."""
    return "." not in gap and "؟" not in gap and "!" not in gap and len(WORD.findall(gap)) <= 8


def _over_100_finding(d: Article, p: Claim, share: object) -> Finding:
    """A percentage above 100 % not stated as a change: wrong if the text calls it a share (a
    share word right after it: `120 % des membres`; not `200% اعتباراً من تموز`, from July),
    else worth a look (a growth rate the text does not say is one)."""
    tail = fold(d.text[p.end:p.end + 30], d.lang, d.rulebook) if d.text else ""
    is_share = share is not None and bool(share.match(tail)) and len(tail) > 0  # type: ignore[attr-defined]
    beyond = check_words(d.lang, d.rulebook).over_100
    of = beyond.search(fold(d.text[p.end:p.end + 60], d.lang, d.rulebook)) if beyond is not None and d.text else None
    if is_share and of:  # "120 % du PIB", "120 في المائة من الهدف": a ratio to a level, not a share of a whole
        why = (f"«{p.text}» is a ratio to «{_as_written_near(d, p, of.group())}», which may exceed 100 %")
        return Finding("internal", "percent_over_100", "consistent", [span_of(p)], why)
    if is_share:
        why = f"«{p.text}» is a share («{(d.text or '')[p.end:p.end + 12].strip()}…») and a share cannot exceed 100 %"
    else:
        why = (f"«{p.text}» is above 100 % and not stated as a change: a share cannot exceed 100 %; "
               "if it is a growth rate, say so in the text")
    return Finding("internal", "percent_over_100", "contradicted" if is_share else "flagged",
                   [span_of(p)], why, expected=100, difference=rel(float(p.value), 100.0))
