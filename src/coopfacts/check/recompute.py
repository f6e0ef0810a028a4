"""A stated multiple or change (``deux fois plus``, ``+23 %``) recomputed from the two figures it
relates: a from→to pair (``de X en 2021 à Y en 2022``, ``من X إلى Y``, ``از X به Y``), the ends
of a range, the two sides of a comparison (``X contre Y``), or - for a multiple - the figure
just before it and a base earlier in its sentence or paragraph (``چهار همت ... 44 همت ... هشت
برابری``).

A verdict of ``contradicted`` needs the figures tied to the stated one by the text itself: a
from→to pair, a range or a comparison in the same sentence, or a multiple whose every possible
base in its sentence fails.  A pair found less surely (another sentence, the only two figures
of a sentence) gives ``consistent`` when it holds and ``flagged`` when it does not.  Years are
never operands; nor are percentages that are themselves rates of change.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from coopfacts.check.article import Article
from coopfacts.check.figures import SIDE_KINDS, canon, describe, factor, fmt_number, measure, operand, rel, tidy
from coopfacts.check.findings import Finding, span_of
from coopfacts.check.intervals import Interval, claim_interval
from coopfacts.check.parts import alike
from coopfacts.check.periods import claim_period, overlap
from coopfacts.check.text import WORD, fold, language_rules
from coopfacts.check.words import CheckWords, check_words
from coopfacts.model import Claim
from coopfacts.text.segments import clause_break

RECOMPUTE_TOLERANCE = 0.05  # a stated multiple or change is rounded: within 5 % (or half its last digit)
FROM_TO_GAP = 12  # at most this many words between the two figures of a from→to pair
TIE_WORDS = 10  # a stated figure this many words at most from the figures it relates (14 for a multiple's base)
COMPARISON_GAP = 80  # characters at most between two figures compared (dates may stand between)
CLAUSE_MARK = regex.compile(r"[,،;؛:.!?؟\n]")


@dataclass
class _Pair:
    old: Claim
    new: Claim
    how: str  # from-to | range | comparison | sentence | base
    strong: bool  # tied to the stated figure by the text: a contradiction may be called one


def _dim(c: Claim) -> str:
    m = measure(c.kind, c.value, c.unit)
    return m[0] if m else ""


def _side(c: Claim) -> bool:
    """A figure a change or multiple may be recomputed from (a rate of change is not one)."""
    return operand(c) and not (c.kind == "percent" and c.extra.get("change"))


def from_to_pairs(d: Article, sent: tuple[int, int], words: CheckWords) -> list[tuple[Claim, Claim]]:
    """``(X, Y)`` of each from→to construction of a sentence: a figure after a `from` word, then
    the next figure of its dimension after a `to` word, a few words on (dates may stand between)."""
    if words.from_ is None or words.to is None or not d.text:
        return []
    figs = [c for c in d.by_sentence.get(sent, []) if _side(c)]
    out = []
    for i, a in enumerate(figs):
        lead = fold(d.text[max(sent[0], a.start - 40):a.start], d.lang, d.rulebook)
        if not words.from_.search(lead):
            continue
        for b in figs[i + 1:]:
            if _dim(b) != _dim(a) or b.extra.get("range") is not None and b.extra.get("range") == a.extra.get("range"):
                continue
            gap = d.text[a.end:b.start]
            if (len(WORD.findall(gap)) <= FROM_TO_GAP and words.to.search(fold(gap, d.lang, d.rulebook))
                    and not clause_break(gap)):
                out.append((a, b))
            break
    # "إلى 1.1 في المئة من 1.6 في المئة": the level reached first, then where it came from
    for a, b in zip(figs, figs[1:]):
        gap = fold(d.text[a.end:b.start], d.lang, d.rulebook)
        lead = fold(d.text[max(sent[0], a.start - 20):a.start], d.lang, d.rulebook)
        if (_dim(a) == _dim(b) and words.to.search(lead) and len(WORD.findall(gap)) <= 2
                and words.from_.fullmatch(gap.strip()) is not None and (b, a) not in out):
            out.append((b, a))
    return out


def tied(d: Article, r: Claim, figures: list[Claim], words: CheckWords, reach: int = TIE_WORDS) -> bool:
    """Does the text tie the stated figure ``r`` to ``figures``: at most ``reach`` words apart,
    and in one clause - a comma, a semicolon or a list word (``et``, ``و``) starts another -, or
    the clause between them is about them: it opens with a link (``, soit une hausse de``,
    ``، أي بزيادة``, ``, passant de``), holds only the change phrase (``, en hausse de``, ``،
    بزيادة تقدر بـ``) or only the pair's first word (``, de 3 millions``, ``, à 130 millions``)."""
    if not d.text or not figures:
        return False
    first, last = min(f.start for f in figures), max(f.end for f in figures)
    if r.start >= last:
        gap = d.text[last:r.start]
    elif r.end <= first:
        gap = d.text[r.end:first]
    else:
        return True
    if len(WORD.findall(gap)) > reach:
        return False
    folded = fold(gap, d.lang, d.rulebook)
    marks = list(CLAUSE_MARK.finditer(folded))
    joins = list(words.and_any.finditer(folded)) if words.and_any is not None else []
    if not marks and not joins:
        return True
    if marks and marks[-1].group() == ":" and not joins:  # "a chuté de 30 % : elle est tombée de 2 000 à 1 400"
        return True
    tail = folded[max([m.end() for m in marks] + [j.end() for j in joins]):]
    n = len(WORD.findall(tail))
    if n == 0 or (words.link is not None and words.link.search(tail)):
        return True  # "…، ۲۰ درصد رشد": the stated figure opens the clause; ", soit une hausse de"
    if r.start >= last and n <= 4 and _change_word(d, tail):
        return True  # "…, en hausse de 20 %", "، بزيادة تقدر بـ 80 في المائة"
    # ", de 3 millions à 12 millions", ", à 130 millions contre 120": the clause is the pair itself
    return r.end <= first and n <= 2 and any(m is not None and m.search(tail) for m in (words.from_, words.to))


def _change_word(d: Article, folded: str) -> bool:
    """Does ``folded`` (folded text) hold one of the language's change words (rules ``changes``)?"""
    L = language_rules(d.lang, d.rulebook)
    changes = getattr(getattr(L, "context", None), "changes", None)
    if not changes:
        return False
    toks = folded.split()
    return any(L.key(" ".join(toks[i:i + k])) in changes or fold(" ".join(toks[i:i + k]), d.lang, d.rulebook) in
               {fold(w, d.lang, d.rulebook) for w in changes} for k in (1, 2, 3) for i in range(len(toks)))


def _named_base(d: Article, r: Claim, words: CheckWords) -> bool:
    """A multiple whose base the text names with a noun right after it (``le double de la
    monoculture``, ``près du double de la récolte de 2022``), or with one of the language's
    `named_bases` and no figure near (``دو برابر سال گذشته``, ``۱.۵ برابر استاندارد جهانی``,
    ``ضعف ما سجل قبل خمس سنوات``):
    no figure of the text is its base. A year named there is a base period (``سه برابر سال
    ۱۴۰۰``), left to the period check."""
    if _base_named_before(d, r, words):
        return True
    if not d.text or words.share_after is None:
        return False
    tail = d.text[r.end:r.end + 30]
    if words.share_after.match(fold(tail, d.lang, d.rulebook)):
        nxt = [c for c in d.claims if r.end <= c.start < r.end + 30 and c.kind != "date"]
        return not nxt
    # a figure near after the base words may be the base's own (le double des 300 ...); one past a
    # clause mark is another's ("a doublé depuis, pour s'établir à 33 000")
    mark = _CLAUSE_MARK.search(tail)
    reach = r.end + (mark.start() if mark else len(tail))
    # the multiple's own last word may begin its base (`trois fois son investissement`: the unit
    # is written with its determiner)
    own_last = (WORD.findall(r.text) or [""])[-1]
    if words.named_base is not None and (words.named_base.match(fold(tail, d.lang, d.rulebook))
                                         or words.named_base.match(fold(own_last + tail, d.lang, d.rulebook))):
        nxt = [c for c in d.claims if r.end <= c.start < reach and c.kind != "duration"]
        return not nxt
    if r.kind == "ratio" and _definite_noun_next(d, tail):
        # "ستة أضعاف العجز الفعلي": a multiple in construct with a definite noun names its base
        nxt = [c for c in d.claims if r.end <= c.start < reach and c.kind != "duration"]
        return not nxt
    return False


_CLAUSE_MARK = regex.compile(r"[,;:.،؛]")
BASE_BEFORE_REACH = 100  # characters before a multiple its base may be named in


def _base_named_before(d: Article, r: Claim, words: CheckWords) -> bool:
    """A base named before the multiple, after the last figure: a comparison word and one of the
    language's `named_bases` (``۲۱۵ هزار تومان … که نسبت به مدت مشابه سال قبل دو برابر شده``):
    no figure of the text is its base."""
    if d.text is None or words.compare is None or words.named_base is None:
        return False
    lo = max(0, r.start - BASE_BEFORE_REACH)
    # (a date there may be the base's own: نسبت به مدت مشابه سال قبل, the last year read as a date)
    start = max([c.end for c in d.claims if lo <= c.end <= r.start and c is not r and c.kind != "date"], default=lo)
    seg = fold(d.text[start:r.start], d.lang, d.rulebook)
    return any(words.named_base.match(seg[m.end():]) for m in words.compare.finditer(seg))


def _definite_noun_next(d: Article, tail: str) -> bool:
    """Does a word with the language's definite article (Arabic ال) come right after?"""
    rules = language_rules(d.lang, d.rulebook)
    articles = getattr(rules, "articles", ()) if rules is not None else ()
    first = WORD.match(tail.lstrip())
    if first is None:
        return False
    word = first.group()
    # a noun with a possessive ending is definite too (ثلاثة أضعاف إنتاجها الحالي)
    endings = check_words(d.lang, d.rulebook).possessive_endings
    return (any(word.startswith(a) and len(word) > len(a) + 1 for a in articles)
            or any(word.endswith(e) and len(word) > len(e) + 2 for e in endings))


def _named_period(d: Article, r: Claim) -> tuple | None:
    """The period a stated multiple names as its base, a date a few words after it (``trois fois
    plus qu'en 2020``, ``سه برابر سال ۱۴۰۰``), or None."""
    for c in d.by_sentence.get(d.sentence(r), []):
        if c.kind == "date" and c.start >= r.end and len(WORD.findall((d.text or "")[r.end:c.start])) <= 4:
            return claim_period(c)
        if c.start >= r.end and c.kind != "date":
            break
    return None


def compared_pairs(d: Article) -> dict[int, Claim]:
    """Each figure a comparison ties to another (both ways), by ``id``."""
    return _compared(d)


def _compares_with_named(gap: str, d: Article, compare: Any, named: Any) -> bool:
    """Does a comparison word in ``gap`` take a base the language names right after it (the year
    before, the same period), so that the figure after the gap is no side of it?"""
    if compare is None or named is None:
        return False
    folded = fold(gap, d.lang, d.rulebook)
    m = compare.search(folded)
    return m is not None and named.match(folded[m.end():].lstrip()) is not None


def _compared(d: Article) -> dict[int, Claim]:
    """Each figure a comparison ties to another (both ways): as the extractor linked them, or a
    figure and the next of its dimension in its clause with a comparison word between them
    and nothing but dates (``12 ألف طن سنة 2023 مقابل 15 ألف طن سنة 2022``)."""
    if d.compared is not None:
        return d.compared
    out: dict[int, Claim] = {}
    for c in d.claims:
        ct = c.extra.get("compared_to")
        if isinstance(ct, dict):
            other = d.by_span.get((ct.get("start"), ct.get("end")))
            if other is not None and other is not c:
                out[id(c)] = other
                out[id(other)] = c
    L = language_rules(d.lang, d.rulebook)
    comparison_re = getattr(getattr(L, "context", None), "comparison_re", None)
    cw = check_words(d.lang, d.rulebook)
    also, named = cw.compare, cw.named_base
    if (comparison_re is not None or also is not None) and d.text:
        for cs in d.by_sentence.values():
            # only dates, or the stated change itself, between the two figures compared
            figs = [c for c in cs if c.kind != "date" and not (c.kind in ("percent", "ratio") and c.extra.get("change"))
                    and c.kind != "ratio"]
            for i, (a, b) in enumerate(zip(figs, figs[1:])):
                if id(a) in out or id(b) in out or not (_side(a) and _side(b)) or _dim(a) != _dim(b):
                    continue
                reach = COMPARISON_GAP
                if not alike(d, a, b):
                    reach = 3 * COMPARISON_GAP  # past the other figures of the list before the comparison
                    # "47 قتيلا و538 جريحا، مقابل 389 حادثا": the figure compared with 389 is the
                    # one before that counts accidents (412 حادث), not the wounded
                    a = next((x for x in reversed(figs[:i]) if id(x) not in out and _side(x)
                              and _dim(x) == _dim(b) and alike(d, x, b) and d.entity_key(x)), None)
                    if a is None:
                        continue
                gap = d.text[a.end:b.start]
                if len(gap) > reach or (clause_break(gap) and not alike(d, a, b, strict=True)):
                    continue
                if _compares_with_named(gap, d, also, named):
                    continue  # "بتراجع 21% مقارنة مع السنة السابقة": compared with a period it names
                if (comparison_re is not None and comparison_re.search(L.key(L.normalizer(gap).text))) or (
                        also is not None and also.search(fold(gap, d.lang, d.rulebook))):
                    out[id(a)] = b
                    out[id(b)] = a
    d.compared = out
    return out


def _pair_candidates(d: Article, r: Claim, words: CheckWords) -> list[_Pair]:
    """Pairs of figures a stated multiple or change may relate, the surest first."""
    sent = d.sentence(r)
    para = d.paragraph(r)
    own_range = r.extra.get("range")
    pairs: list[_Pair] = []
    for a, b in from_to_pairs(d, sent, words):
        if r not in (a, b):
            pairs.append(_Pair(a, b, "from-to", tied(d, r, [a, b], words)))
    for rid, ms in d.ranges.items():
        ms = sorted(ms, key=lambda x: x.start)
        if rid == own_range or len(ms) < 2 or r in ms or not all(_side(m) for m in (ms[0], ms[-1])):
            continue
        if d.paragraph(ms[0]) == para:
            pairs.append(_Pair(ms[0], ms[-1], "range", d.same_sentence(ms[0], r) and tied(d, r, ms, words)))
    seen = set()
    compared = _compared(d)
    for c in d.by_paragraph.get(para, []):
        other = compared.get(id(c))
        if other is None or r in (c, other) or not (_side(c) and _side(other)):
            continue
        key = frozenset((id(c), id(other)))
        if key in seen:
            continue
        seen.add(key)
        first, second = sorted((c, other), key=lambda x: x.start)
        # "X contre Y", "X مقابل Y": the first is the newer figure
        pairs.append(_Pair(second, first, "comparison",
                           d.same_sentence(first, r) and tied(d, r, [first, second], words)))
    pairs = [p for p in pairs if _dim(p.old) and _dim(p.old) == _dim(p.new)]
    if pairs:
        def distance(p: _Pair) -> tuple:
            s, e = min(p.old.start, p.new.start), max(p.old.end, p.new.end)
            return (not p.strong, not d.same_sentence(p.old, r), max(s - r.end, r.start - e, 0))
        return sorted(pairs, key=distance)
    sides = [c for c in d.by_sentence.get(sent, []) if c is not r and _side(c)
             and not (own_range is not None and c.extra.get("range") == own_range)]
    if len(sides) == 2 and _dim(sides[0]) == _dim(sides[1]):
        m0, m1 = (measure(x.kind, x.value, x.unit) for x in sides)
        if m0 and m1 and canon(m0[1]) != canon(m1[1]):
            return [_Pair(sides[0], sides[1], "sentence", False)]
    return []


def _rounding(v: float) -> float:
    """Half a unit in the last decimal place of ``v`` as it would be written."""
    s = f"{v:.10g}"
    if "e" in s:
        return 0.0
    decimals = len(s.split(".")[1]) if "." in s else 0
    return 0.5 * 10 ** -decimals


MULTIPLE_TOLERANCE = 0.10  # "trois fois plus" holds from 2.7 to 3.3 (20 % when approximate)


def _stated_holds(stated: float, qualifier: str, computed: float, multiple: bool = False) -> bool:
    """The stated figure, as rounded as it is written (and within 5 %; 10 % when approximate),
    allows the recomputed one.  A multiple is a word more than a rounded number (``deux fois
    plus`` is not 1.5): within 10 %, or half the last digit of a decimal one (``2,5 fois``)."""
    if multiple:
        rounding = _rounding(stated) if not float(stated).is_integer() else 0.0
        slack = max((2 if qualifier == "approx" else 1) * MULTIPLE_TOLERANCE * abs(stated), rounding)
    else:
        slack = max(RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
        if qualifier == "approx":
            slack = max(2 * RECOMPUTE_TOLERANCE * abs(stated), _rounding(stated))
    if qualifier in ("more_than", "at_least"):
        # a bound is as rounded as any figure: "تفوق 25 بالمائة" from 2.8 to "more than" 3.5 is
        # 25 % at the least, no contradiction
        return computed >= stated - slack
    if qualifier in ("less_than", "at_most"):
        return computed <= stated + slack
    return claim_interval(stated, qualifier, slack, approx=0).overlaps(Interval(computed, computed))


def _times_count(d: Article, c: Claim, words: CheckWords) -> bool:
    """A count of `times` (``ثلاث مرات``, ``trois fois``): the number of a multiple."""
    ek = d.entity_key(c)
    return c.kind == "count" and bool(ek) and ek[0] in words.times


def _stated_multiples(d: Article, words: CheckWords) -> dict[int, tuple[float, Claim | None]]:
    """The value of each stated multiple: a ratio's own, or that of the count of times right
    after it (``تضاعفت ... ثلاث مرات`` is threefold)."""
    out: dict[int, tuple[float, Claim | None]] = {}
    taken: set[int] = set()
    for cs in d.by_sentence.values():
        for i, c in enumerate(cs):
            if c.kind != "ratio" or not isinstance(c.value, (int, float)):
                continue
            out[id(c)] = (float(c.value), None)
            for n in cs[i + 1:i + 3]:
                if _times_count(d, n, words) and len(WORD.findall((d.text or "")[c.end:n.start])) <= 3:
                    out[id(c)] = (float(n.value), n)
                    taken.add(id(n))
                    break
        for c in cs:
            if id(c) not in taken and _times_count(d, c, words) and isinstance(c.value, (int, float)) \
                    and c.extra.get("change"):
                out[id(c)] = (float(c.value), None)
    for c in d.claims:
        if id(c) in taken:
            out.pop(id(c), None)
            out[-id(c)] = (0.0, None)  # a count of times read as its ratio's value: no finding of its own
    return out


def recomputed_findings(d: Article) -> list[Finding]:
    """A finding for each stated multiple or change whose figures the article also states."""
    words = check_words(d.lang, d.rulebook)
    multiples = _stated_multiples(d, words)
    out = []
    for r in d.claims:
        if -id(r) in multiples or (r.kind == "count" and _times_count(d, r, words) and id(r) not in multiples):
            continue
        stated = multiples.get(id(r))
        finding = _recomputed(d, r, words, stated[0] if stated else None)
        if finding is not None and stated and stated[1] is not None:  # "تضاعفت ... ثلاث مرات"
            times = stated[1]
            finding.spans.insert(1, span_of(times, "stated"))
            finding.why = finding.why.replace(f"«{r.text}» ({describe(r)})",
                                              f"«{r.text} … {times.text}» ({fmt_number(stated[0])}×)", 1)
        if finding is not None:
            out.append(finding)
    return out


def _stated_kind(r: Claim, change: str | None, multiple: float | None) -> str | None:
    """``multiple`` (a ratio), ``change`` (a percentage or an amount stated as a rise or a fall), or None."""
    if multiple is not None:
        return "multiple"
    if r.kind == "percent" and change in ("increase", "decrease"):
        return "change"
    if r.kind in ("money", "count", "quantity") and change in ("increase", "decrease") and operand(r):
        return "change"
    return None


def inferred_change(d: Article, r: Claim) -> str | None:
    """The direction of a change word of the language (rule files, ``changes``) shortly before a
    percentage in its clause (``انخفض عدد التعاونيات بنسبة 20 في المائة``), for a percentage
    the extractor did not mark as a change."""
    L = language_rules(d.lang, d.rulebook)
    changes = getattr(getattr(L, "context", None), "changes", None)
    if not changes or not d.text:
        return None
    s = d.sentence(r)[0]
    before = d.text[max(s, r.start - 160):r.start]
    marks = list(CLAUSE_MARK.finditer(before))
    words = check_words(d.lang, d.rulebook)
    last = fold(before, d.lang, d.rulebook).split()[-1:]
    if last and words.and_any is not None and words.and_any.fullmatch(last[0]):
        # "… از ۱۴۵ به ۹۰ کاهش یافته و ۴۲۰ مرکز": a figure after a list word opens a clause of its
        # own; the change word before belongs to the clause before
        return None
    if marks:
        clause = before[marks[-1].end():]
        linked = words.link is not None and words.link.search(fold(clause, d.lang, d.rulebook))
        # "ارتفع عدد التعاونيات من 467 إلى 504، أي بنسبة 15 في المائة": the change word opens the sentence
        before = before if linked else clause
    text = L.normalizer(before).text
    bound = getattr(L.context, "qual_before_re", None)
    qm = bound.search(text) if bound is not None else None
    if qm is not None:
        # the words of a bound right before the figure are no change (فقدان ما يزيد على 150 ألف
        # وظيفة: more than 150 000 jobs lost), as the extractor reads them
        text = text[:qm.start()]
    if words.to is not None and words.to.search(fold(text[-40:], d.lang, d.rulebook)):
        return None  # "ارتفعت الإيرادات إلى 1.52 مليار": the level reached, no amount of change
    toks = text.split()[-8 if not marks else -30:]
    for i in range(len(toks) - 1, -1, -1):
        for n in (3, 2, 1):
            phrase = L.key(" ".join(toks[i:i + n]))
            if i + n <= len(toks) and phrase in changes:
                return str(changes[phrase])
    return None


def _recomputed(d: Article, r: Claim, words: CheckWords, multiple: float | None) -> Finding | None:
    change = r.extra.get("change")
    inferred = False
    if r.kind in SIDE_KINDS and operand(r) and change is None and multiple is None:
        change = inferred_change(d, r)  # "، أي بزيادة قدرها 1500 منخرط": judged only on a tied pair
        inferred = change is not None
    what = _stated_kind(r, change, multiple)
    if what is None or not isinstance(r.value, (int, float)) or id(r) in _compared(d):
        return None  # a figure compared with another is a side, not a stated change
    stated = float(multiple if multiple is not None else r.value)
    if what == "multiple" and _named_base(d, r, words):
        return None
    if what == "multiple" and stated < 1 and words.part_after is not None and d.text and words.part_after.match(
            fold(d.text[r.end:r.end + 30], d.lang, d.rulebook)):
        return None  # "نزدیک به یک‌سوم آنان": a share of the group named before, its part unwritten
    pairs = _pair_candidates(d, r, words)
    if r.kind in ("money", "count", "quantity") and what == "change":
        # an amount of change: only figures it can be subtracted from
        pairs = [p for p in pairs if p.how != "sentence" and _dim(p.old) == _dim(r)]
    if what == "multiple" and (not pairs or not pairs[0].strong):
        found = _multiple_from_bases(d, r, stated, words)
        if found is not None:
            return found
    if not pairs or (inferred and not pairs[0].strong):
        return None  # a change read from a nearby word is judged only on figures the text ties to it
    # of several pairs the text ties to it as strongly (412 حادثا … 47 قتيلا …، مقابل 389 حادثا و41
    # قتيلا، أي بزيادة 5.9%), the one it holds for is the one it relates
    if what == "multiple":
        # the ends of a range bound one estimate, they are no base and result of a multiple
        # (اثني عشر ضعفاً … بين 250 و400 مليار دولار); nor are compared figures the whole a
        # fraction is of (ثلث … 1,600 ميغاواط مقابل 9 آلاف)
        pairs = [q for q in pairs if not (q.how == "range" and not _opened_by_from(d, q.old, words))
                 and not (stated < 1 and q.how == "comparison")]
        if not pairs:
            return None
    else:
        # nor do a range's ends opened by between or after a verb of spanning tell a change
        # (تراجعت الأسعار بـ22 بالمائة ليتراوح سعر اللتر بين 15 و18 دينارا)
        pairs = [q for q in pairs if not (q.how == "range" and not _opened_by_from(d, q.old, words))]
        if not pairs:
            return None
    rivals = [q for q in pairs[1:] if q.strong == pairs[0].strong and q.how == pairs[0].how]
    p = next((q for q in [pairs[0], *rivals] if _holds_for(r, stated, what, q, change)), pairs[0])
    old_c, new_c = p.old, p.new
    a = measure(old_c.kind, old_c.value, old_c.unit)[1]
    b = measure(new_c.kind, new_c.value, new_c.unit)[1]
    if p.how == "sentence" and (change == "decrease") == (a < b):
        # order unknown: the change's direction tells which is the earlier
        a, b, old_c, new_c = b, a, new_c, old_c
    if a <= 0 or b <= 0:
        return None
    spans = [span_of(r, "stated"), span_of(old_c, "from"), span_of(new_c, "to")]
    inverse = _as_exchange_rate(r, stated, change, old_c, a, b)
    if inverse is not None:
        why = (f"«{r.text}» ({describe(r)}) recomputed from «{old_c.text}» and «{new_c.text}» as a rate quoted the "
               f"other way (the price of the other currency rose as this one lost value): "
               f"{fmt_number(tidy(round(inverse, 2)))}% — holds")
        return Finding("internal", what, "consistent", spans, why,
                       expected=tidy(round(inverse, 6)), difference=rel(stated, inverse))
    problems = []
    if p.how in ("range", "from-to") and change in ("increase", "decrease") and (b > a) != (change == "increase") \
            and a != b:
        problems.append(f"it says {change} but the figures go from {fmt_number(a)} to {fmt_number(b)}")
    computed, label, ok = _recompute(r, stated, what, p.how, a, b, old_c.kind == "percent", change)
    if not ok and not problems and p.how == "comparison" and (change is None or inferred):
        # two figures set against each other name no order: the base may be the one after the
        # comparison word (`2,650 جنيهاً مقابل 2,100، أي بفارق 26%`: 26 % above 2 100), and a
        # direction read from a word elsewhere in the sentence does not say which
        for other in ("increase", "decrease"):
            c2, label2, ok2 = _recompute(r, stated, what, p.how, a, b, old_c.kind == "percent", other)
            if ok2:
                computed, label, ok = c2, label2, ok2
                if (other == "increase") != (a <= b):
                    a, b, old_c, new_c = b, a, new_c, old_c
                spans = [span_of(r, "stated"), span_of(old_c, "from"), span_of(new_c, "to")]
                break
    holds = ok and not problems
    source = {"range": "range", "comparison": "compared figures", "from-to": "from → to",
              "sentence": "the two figures of its sentence"}[p.how]
    if not d.same_sentence(old_c, r) or not d.same_sentence(new_c, r):
        source += ", another sentence"
    why = f"«{r.text}» ({describe(r)}) recomputed from «{old_c.text}» and «{new_c.text}» ({source}): {label}"
    if holds:
        verdict, why = "consistent", why + " — holds"
    elif p.strong and rivals:
        verdict = "flagged"
        why += " — does not hold, nor for the other figures compared in its paragraph; which it relates is not said"
    elif p.strong and r.kind == "percent" and _years_apart(d, old_c, new_c) > 1:
        # "11,3 millions de tonnes en 2024, en hausse de 18,5 %, contre 2,6 millions en 2019": a
        # rate may be the last year's, or a yearly average, not the change over the whole span
        verdict = "flagged"
        why += " — does not hold over the whole span; the figures are years apart, and the rate may be a yearly one"
    elif p.strong:
        verdict, why = "contradicted", why + " — does not hold"
    elif p.how == "sentence" or not d.same_sentence(old_c, r) or not d.same_sentence(new_c, r):
        return None  # figures the text does not tie to it, and they do not give it: not a finding
    else:
        verdict = "flagged"
        why += " — does not hold, if these are the figures it relates (the text does not tie them to it)"
    if problems:
        why += "; " + "; ".join(problems)
    return Finding("internal", what, verdict, spans, why,
                   expected=tidy(round(computed, 6)), difference=rel(stated, computed))


def _opened_by_from(d: Article, first: Claim, words: CheckWords) -> bool:
    """A range opened by a from word (`de 5 à 44 milliards`, `من 5 إلى 44`) tells a movement; one
    opened by between (`بين 250 و400 مليار`, `entre 2 et 3`), or after a verb of spanning in its
    clause (`le prix variait de 1 000 à 5 000`, `ليتراوح سعر اللتر بين 15 و18`), bounds one figure."""
    text = d.text or ""
    lead = fold(text[max(0, first.start - 20):first.start], d.lang, d.rulebook)
    if words.from_ is None or not words.from_.search(lead):
        return False
    clause = text[max(0, first.start - 60):first.start]
    clause = clause[max((m.end() for m in CLAUSE_MARK.finditer(clause)), default=0):]
    return words.span is None or not words.span.search(fold(clause, d.lang, d.rulebook))


WHOLE_REACH = 4  # at most this many words between a fraction and the figure of its whole


def _names_whole(d: Article, r: Claim, c: Claim) -> bool:
    """Is ``c`` the figure of the whole the fraction ``r`` is of: a few words after it, in its
    clause (``ثلثي الإيرادات العامة البالغة 11.7 مليار``; not ``ثلثا المودعين حسابات تقل
    أرصدتها عن 10 آلاف دولار``, nor ``نصف المقاعد، فيما … 48 ألفاً``)?"""
    gap = (d.text or "")[r.end:c.start]
    return len(WORD.findall(gap)) <= WHOLE_REACH and not clause_break(gap)


PERIOD_AGO_REACH = 3  # at most this many words between a multiple and a period that dates its base


def _period_ago_after(d: Article, r: Claim) -> bool:
    """A period written a few words after the multiple (``سه برابر شهریه چهار سال پیش``, ``trois
    fois plus qu'il y a dix ans``): its base is dated by it, a figure the text does not give."""
    nxt = next((c for c in d.by_sentence.get(d.sentence(r), []) if c.start >= r.end), None)
    if nxt is None or nxt.kind != "duration" or not d.text:
        return False
    return len(WORD.findall(fold(d.text[r.end:nxt.start], d.lang, d.rulebook))) <= PERIOD_AGO_REACH


def _years_apart(d: Article, a: Claim, b: Claim) -> int:
    """How many years lie between the dates that speak of two figures (0 when either has none)."""
    da = [p for p, _ in d.own_dates(a, strict=True)]
    db = [p for p, _ in d.own_dates(b, strict=True)]
    if not da or not db:
        return 0
    return abs(da[0][0].year - db[0][0].year)


def _multiple_from_bases(d: Article, r: Claim, stated: float, words: CheckWords) -> Finding | None:
    """A stated multiple with its figures in earlier clauses: the new figure is the one it
    leads to in its clause (``… ثلاثة أضعاف، ليصل إلى 1.85 مليار``), else the nearest one before
    it; the base, any earlier figure of that dimension in the sentence, else in the paragraph.
    Consistent when some base gives it; contradicted when every base of the sentence fails and
    the text ties the new figure to it; else no finding."""
    base_period = _named_period(d, r)
    if base_period is not None:
        return _multiple_of_period(d, r, stated, words, base_period)
    if _period_ago_after(d, r):
        return None  # "سه برابر شهریه چهار سال پیش": the base is of a time the text gives no figure for
    after = [c for c in d.by_sentence.get(d.sentence(r), []) if _side(c) and c.kind != "percent"
             and c.start >= r.end and tied(d, r, [c], words)]
    para = [c for c in d.by_paragraph.get(d.paragraph(r), []) if _side(c) and c.kind != "percent"
            and c.end <= r.start]
    if after:  # "إلى ثلاثة أضعاف ... ليصل إلى 1.85 مليار درهم": the figure reached follows it
        para = [c for c in para if _dim(c) == _dim(after[0])] + [after[0]]
    if not para:
        return None
    new = para[-1]
    dim = _dim(new)
    head = d.entity_key(new)[:1]

    def alike(c: Claim) -> bool:  # a base of the same dimension (and, for counts, counted noun)
        return _dim(c) == dim and (new.kind != "count" or d.entity_key(c)[:1] == head) and not (
            new.extra.get("range") is not None and c.extra.get("range") == new.extra.get("range"))

    same = [c for c in para[:-1] if alike(c) and d.same_sentence(c, r)]
    near = bool(same) and d.same_sentence(new, r) and (bool(after) or tied(d, r, [new], words, reach=TIE_WORDS + 4))
    bases = same if near else [c for c in para[:-1] if alike(c)]
    return _judge_bases(d, r, stated, new, bases, near, whole_named=bool(after) and _names_whole(d, r, after[0]))


def _multiple_of_period(d: Article, r: Claim, stated: float, words: CheckWords, period: tuple) -> Finding | None:
    """``soit deux fois plus qu'en 2022 (800 tonnes)``: the base is the figure of its sentence
    dated that period (before or after the multiple), the new one the nearest other figure of
    its kind before it (else after it)."""
    sent = [c for c in d.by_sentence.get(d.sentence(r), []) if _side(c) and c.kind != "percent"]
    bases = [c for c in sent if any(overlap(p, period) for p, _ in d.own_dates(c, strict=True))]
    others = [c for c in sent if c not in bases and any(_dim(c) == _dim(b) for b in bases)]
    before = [c for c in others if c.end <= r.start]
    new = before[-1] if before else next((c for c in others if c.start >= r.end), None)
    if new is None:
        return None
    bases = [c for c in bases if _dim(c) == _dim(new)]
    return _judge_bases(d, r, stated, new, bases, tied(d, r, [new], words, reach=TIE_WORDS + 4))


def _judge_bases(d: Article, r: Claim, stated: float, new: Claim, bases: list[Claim], near: bool,
                 whole_named: bool = False) -> Finding | None:
    """Consistent when some base gives the stated multiple with ``new``; contradicted when none
    does and the bases are tied to it (``near``); else no finding. A fraction is judged only
    when its whole is the figure written right after it (``ثلثي الإيرادات العامة البالغة 11.7
    مليار``, ``whole_named``)."""
    if not bases:
        return None
    b = measure(new.kind, new.value, new.unit)[1]
    tried = []
    for base in reversed(bases):
        a = measure(base.kind, base.value, base.unit)[1]
        if a <= 0 or b <= 0 or canon(a) == canon(b):
            continue
        computed = max(a, b) / min(a, b) if stated >= 1 else min(a, b) / max(a, b)
        tried.append((base, computed))
        if _stated_holds(stated, r.qualifier, computed, multiple=True):
            why = (f"«{r.text}» ({describe(r)}) recomputed from «{base.text}» (base) and «{new.text}»: "
                   f"{fmt_number(tidy(round(computed, 3)))}× — holds")
            return Finding("internal", "multiple", "consistent",
                           [span_of(r, "stated"), span_of(base, "from"), span_of(new, "to")], why,
                           expected=tidy(round(computed, 6)), difference=rel(stated, computed))
    if not tried or not near or (stated < 1 and not whole_named):
        # no base gives it, but none is tied to it either; or a fraction (ثلث, un quart) whose
        # whole is a noun (ثلث الصادرات), not one of the figures around it
        return None
    base, computed = tried[0]
    others = ", ".join(f"«{x.text}»: {fmt_number(tidy(round(v, 3)))}×" for x, v in tried)
    why = f"«{r.text}» ({describe(r)}) recomputed from «{new.text}» and each earlier figure ({others}) — none gives it"
    return Finding("internal", "multiple", "contradicted",
                   [span_of(r, "stated"), span_of(base, "from"), span_of(new, "to")], why,
                   expected=tidy(round(computed, 6)), difference=rel(stated, computed))


def _as_exchange_rate(r: Claim, stated: float, change: str | None, old_c: Claim, a: float, b: float) -> float | None:
    """A currency that lost a share of its value while its rate rose (``la livre a perdu 98 % de sa
    valeur, passant de 1 507,5 livres à 89 500 pour un dollar``): the loss is 1 - a/b, not the
    rise of the rate. The loss, when that is what the stated percentage gives; else None."""
    if r.kind != "percent" or old_c.kind != "money" or change not in ("increase", "decrease") or a <= 0 or b <= 0:
        return None
    if (change == "decrease") != (b > a):
        return None  # the rate moves the way it says: no inversion to look for
    inverse = abs(1 - a / b) * 100
    return inverse if _stated_holds(stated, r.qualifier, inverse) else None


def _holds_for(r: Claim, stated: float, what: str, p: _Pair, change: str | None) -> bool:
    """Does the stated figure hold for the pair ``p`` (its direction as said, its value)?"""
    a = measure(p.old.kind, p.old.value, p.old.unit)[1]
    b = measure(p.new.kind, p.new.value, p.new.unit)[1]
    if p.how == "sentence" and (change == "decrease") == (a < b):
        a, b = b, a
    if a <= 0 or b <= 0:
        return False
    if p.how in ("range", "from-to") and change in ("increase", "decrease") and (b > a) != (change == "increase") \
            and a != b:
        return False
    return _recompute(r, stated, what, p.how, a, b, p.old.kind == "percent", change)[2]


def _recompute(r: Claim, stated: float, what: str, how: str, a: float, b: float,
               from_percent: bool, change: str | None) -> tuple[float, str, bool]:
    """``(computed value, as written in the why, whether the stated value holds)`` for the
    stated figure ``r`` (value ``stated``, a ``change`` up or down) and the figures ``a`` (earlier)
    and ``b`` (later), in base units."""
    if what == "multiple":
        computed = max(a, b) / min(a, b) if stated >= 1 else min(a, b) / max(a, b)
        return (computed, f"{fmt_number(tidy(round(computed, 3)))}×",
                _stated_holds(stated, r.qualifier, computed, multiple=True))
    if r.kind == "percent":
        if how in ("range", "from-to"):
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
