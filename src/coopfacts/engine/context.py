"""What the words around a claim say of it: its qualifier (more than, about…), whether it is a
change or compared with another figure, the noun it counts, the page's dateline; and the claim
record itself, with its span mapped back to the original text."""
from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable
from typing import Any

from coopfacts.engine.resolve import Candidate, bound_before
from coopfacts.engine.window import Window
from coopfacts.model import Claim, clean_number, context_of
from coopfacts.rulebook import prefixes
from coopfacts.rulebook.cache import fixed_regex
from coopfacts.rulebook.masks import MASK_LEAD
from coopfacts.text.segments import clause_break, opening_bracket_before, sentence_starts

_NEGATED = {"more_than": "at_most", "less_than": "at_least", "at_least": "less_than", "at_most": "more_than"}
DATELINE_WITHIN = 600  # a dateline starts this near the top of the page
_QUALIFIER_REACH = 48  # characters before a figure a qualifier may start
_DISTANT_REACH = 60  # ... a verb that bounds it from a distance, or a change word
_COMPARISON_GAP = 60  # at most this many characters between two figures compared


def _negated(w: Window, qualifier: str, at: int) -> str:
    """"لا يتجاوز", "ne dépasse pas": a negated bound turns over."""
    neg = w.lang.context.negation_re
    if neg is not None and neg.search(w.masked, max(0, at - 30), at):
        return _NEGATED.get(qualifier, qualifier)
    return qualifier


# a year right after a word: the word names the year (سنة 2023, exercice 2024), no counted noun
_YEAR_AFTER = fixed_regex(r"[^\S\n]+" + MASK_LEAD["year"])
_FIGURE_BEFORE = fixed_regex(r"[\ue000-\ue0ff][^\S\n]*\Z")  # a masked figure or unit, then spaces


def _links_two_figures(w: Window, at: int, c: Candidate) -> bool:
    """The qualifier word at ``at`` is the "to" of a pair of figures (a figure, its unit, then the
    word, then ``c``), as a range's is: `۹ ماهه تا ۵ ساله`, `de 9 mois à 5 ans`."""
    to_after = w.lang.context.to_after_re
    m = _FIGURE_BEFORE.search(w.masked, max(0, at - 8), at)
    if to_after is None or m is None:
        return False
    link = to_after.match(w.masked, m.start() + 1)
    return link is not None and link.end() >= c.start


def qualifier(w: Window, c: Candidate) -> str:
    """The claim's qualifier: the pattern's, else a word before the figure, a verb bounding it
    from a few words away, an approximate numeral (une centaine), or a word after it."""
    if c.kind == "date":
        return "exact"  # "avant 2010" is a modified date, not a bound on a figure
    if c.qualifier is not None:
        return c.qualifier
    C, masked = w.lang.context, w.masked
    lo = max(0, c.start - _QUALIFIER_REACH)
    # a figure in brackets keeps the word before them: "لنحو (11,500) أسرة", "près de (300)"
    before = opening_bracket_before(masked, c.start)
    before = c.start if before is None else before
    if C.qual_before_re is not None and (
            C.qual_before_last is None or prefixes.may_end_before(C.qual_before_last, masked, before, lo)):
        qm = C.qual_before_re.search(masked, lo, before)
        if qm and _links_two_figures(w, qm.start(), c):
            qm = None  # "۹ ماهه تا ۵ ساله": تا joins two figures (from… to), it bounds neither
        if qm:
            q = _negated(w, C.qualifiers[w.lang.key(qm.group("q"))], qm.start())
            if q != "exact" and not _unbound_after(w, c):
                return q
    if C.qual_distant_re is not None and w.may_start("qual_distant", C.qual_distant_prefixes,
                                                     c.start - _DISTANT_REACH, c.start):
        qm = C.qual_distant_re.search(masked, max(0, c.start - _DISTANT_REACH), c.start)
        if qm and C.margin_re is not None and C.margin_re.search(w.ntext, max(0, c.start - 12), c.start):
            qm = None  # "يفوق السعر الرسمي بأربعة أضعاف": by how much it exceeds, no bound
        if qm:
            q = _negated(w, C.qualifiers_distant[w.lang.key(qm.group("q"))], qm.start())
            if q != "exact":
                return q
    if c.approx:
        return "approx"
    if C.qual_after_re is not None:
        qm = C.qual_after_re.match(masked, c.end)
        if qm is None and c.kind in ("count", "ratio") and has_noun(w, c.end):
            # after the counted noun, of a word or two (11 مليون نسمة تقريبا, 5 morts au moins,
            # ستة لاعبين أجانب كحد أقصى), or the whole a share is of (ثلثي إيرادات الدولة تقريبا)
            nm = C.entity_re.match(masked, c.end)
            qm = C.qual_after_re.match(masked, nm.end()) if nm else None
            if qm is None and nm is not None and C.entity_max > 1:
                nm2 = C.entity_re.match(masked, nm.end())
                if nm2 is not None and w.lang.key(nm2.group("w")) not in C.entity_stop:
                    qm = C.qual_after_re.match(masked, nm2.end())
        if qm:
            word = w.lang.key(qm.group("q"))
            needs = C.qual_after_needs.get(word)
            if needs is None or needs.search(masked, max(0, c.start - _QUALIFIER_REACH), c.start):
                return C.qualifiers_after[word]
    return "exact"


def _unbound_after(w: Window, c: Candidate) -> bool:
    """A word right after a period that makes the word before it no bound (a `qualifiers_after`
    word of `exact`): `تا سه ماه آینده` is within the next three months, not at most three. Only
    a period: `حدود ۷ میلیارد دیگر` is about seven billion more."""
    C = w.lang.context
    if c.kind != "duration":
        return False
    qm = C.qual_after_re.match(w.masked, c.end) if C.qual_after_re is not None else None
    return qm is not None and C.qualifiers_after.get(w.lang.key(qm.group("q"))) == "exact"


def change(w: Window, c: Candidate) -> str | None:
    """"increase"/"decrease" when the figure is stated as a change (not as a level reached)."""
    C, masked = w.lang.context, w.masked
    if C.change_before_re is None or C.change_after_re is None or c.kind in ("date", "duration"):
        return None
    if C.to_after_re is not None and C.to_after_re.match(masked, c.end):
        return None  # "ارتفع من 480 إلى 1245", "passé de 10 à 30": a level, not the change
    m = None
    if w.may_start("change_before", C.change_before_prefixes, c.start - _DISTANT_REACH, c.start):
        m = C.change_before_re.search(masked, max(0, c.start - _DISTANT_REACH), c.start)
    if m is not None and C.qual_before_re is not None:
        qm = C.qual_before_re.search(masked, max(0, c.start - _QUALIFIER_REACH), c.start)
        if qm and qm.start("q") <= m.start("c") < qm.end("q"):
            m = None  # "کمتر از ۲۰ درصد", "plus de 10 %": the word bounds the figure, no change
    if m is None:
        m = C.change_after_re.match(masked, c.end)
        if m is None or c.kind not in ("percent", "ratio"):
            return None
    return C.changes.get(w.lang.key(m.group("c")))


_LAST_WORD = fixed_regex(r"(\S+)\Z")


def _closed_number(w: Window, pos: int) -> bool:
    """Does the figure ending at ``pos`` end with a number word in a form that closes its phrase
    (the language's `entity.closing_forms`: Arabic مليونا, ألفاً)?"""
    closing = w.lang.context.entity_closing
    if not closing:
        return False
    m = _LAST_WORD.search(w.ntext, max(0, pos - 16), pos)
    return m is not None and w.lang.key(m.group(1)) in closing


def has_noun(w: Window, pos: int) -> bool:
    """Does a (counted) noun follow the figure that ends at ``pos``?"""
    C = w.lang.context
    m = C.entity_re.match(w.masked, pos)
    if not m or "\n" in w.masked[pos:m.start("w")]:
        return False
    if _closed_number(w, pos) and w.lang.key(m.group("w")) not in C.entity_skip:
        return False
    word = w.lang.key(m.group("w"))
    return (word not in C.entity_stop and word not in C.entity_skip and word not in C.comparison_words
            and not _YEAR_AFTER.match(w.masked, m.end()))


def entity(w: Window, pos: int) -> str | None:
    """The noun a count counts: up to ``max_words`` words after the figure, skipping the
    language's skip words and stopping at its stop words (found once per figure end and window)."""
    entities = w.entities
    if pos not in entities:
        entities[pos] = _entity(w, pos)
    return entities[pos]


def _entity(w: Window, pos: int) -> str | None:
    C = w.lang.context
    words: list[tuple[int, int]] = []
    last = ""
    skipping = True
    closed = _closed_number(w, pos)
    while len(words) < C.entity_max:
        m = C.entity_re.match(w.masked, pos)
        if not m or "\n" in w.masked[pos:m.start("w")]:
            break
        word = w.lang.key(m.group("w"))
        pos = m.end()
        if skipping and word in C.entity_skip:
            closed = False  # "20 مليونا من السكان": the noun after من is the one counted
            continue
        if closed:
            return None  # "قرض يصل إلى 25 مليونا يسدد على 5 سنوات": the verb is no counted noun
        if _YEAR_AFTER.match(w.masked, pos):
            break  # "6.300 مليار سنة 2023", "12 شخصا عام 2024": a word that names the year counts nothing
        skipping = False
        if word in C.entity_stop or (words and C.entity_stop_prefixes and word.startswith(C.entity_stop_prefixes)
                                     and not word[1:].startswith(last)):
            break  # a prefix begins a new phrase, unless it joins the noun's own pair (متعاون ومتعاونة)
        words.append(m.span("w"))
        last = word
    if not words:
        return None
    s, e = w.nt.span(words[0][0], words[-1][1])
    return w.nt.original[s:e]


def link_comparisons(w: Window, chosen: list[Candidate]) -> None:
    """`12 % des emplois, contre 9 %`, `2.4 مليار درهم مقابل 900 مليون`: a figure compared with
    the next one of its kind in the same clause links to it (both ways). A bare figure compared
    with a sum of money, a quantity or a percentage is in its unit (written once), and in the
    scale that unit carries (`12 M€ contre 10,5`: millions)."""
    comparison_re = w.lang.context.comparison_re
    if comparison_re is None:
        return
    # a sum in brackets converts the one before it (`505 آلاف مليار ليرة (نحو 5.6 مليارات دولار)،
    # مقابل 503 آلاف مليار`): the comparison is with that one, across the brackets
    main = [c for c in chosen if not _in_brackets(w.masked, c)] if "(" in w.masked else chosen
    # a date between two figures compared dates the first, it is not compared itself (`24,3
    # millions de barils en 2024, contre 25,1 millions`)
    main = [c for c in main if c.kind != "date"]
    for a, b in zip(main, main[1:]):
        if _from_to(w, a, b):
            # "passant de 1 507,5 livres à 89 500 pour un dollar": the to end is in the from end's unit
            _carry_unit(w, a, b)
            continue
        whole_gap = w.lang.context.whole_gap_re
        if whole_gap is not None and whole_gap.match(w.masked, a.end, b.start):
            # "30 مليون دولار من أصل 50 مليونا معروضة": the whole a part is of is in the part's
            # unit, and no smaller; written with a scale word, whatever word follows it (a
            # participle, معروضة, proposés); not "125 million dollars of zero-coupon bonds"
            n = w.by_start.get(b.start)
            if isinstance(a.value, (int, float)) and isinstance(b.value, (int, float)) and b.value >= a.value:
                _carry_unit(w, a, b, noun_checked=n is not None and n.scale > 1.0)
            continue
        gap = _LEADING_BRACKETS.sub("", w.masked[a.end:b.start], count=1)
        if len(gap) > _COMPARISON_GAP or "\n" in gap or not comparison_re.search(gap) or clause_break(gap):
            continue
        if _of_its_size(w, a, b) or b.unit:
            # a figure is compared with one of its size: a bare one far larger or smaller is
            # compared with another (`72 000 passagers … sur ses 67 km de voies, contre 100 000`)
            _carry_unit(w, a, b)
        if a.kind != b.kind or a.kind == "date" or (a.kind == "count" and not _same_noun(w, a, b)):
            continue  # "47 قتيلا و538 جريحا، مقابل 389 حادثا": the wounded are not set against accidents
        a.extra = dict(a.extra or {}, compared_to=("next", b))
        b.extra = dict(b.extra or {}, compared_to=("prev", a))


def _of_its_size(w: Window, a: Candidate, b: Candidate) -> bool:
    """Are two figures, as written (`12 M€ contre 10,5`: 12 and 10.5), within ten times of each
    other? (Yes when either is no number.)"""
    na, nb = w.by_start.get(a.start), w.by_start.get(b.start)
    va = na.value if na is not None else a.value
    vb = nb.value if nb is not None else b.value
    if not (isinstance(va, (int, float)) and isinstance(vb, (int, float))) or not va or not vb:
        return True
    return _within_ten_times(abs(va), abs(vb))


def _within_ten_times(x: Any, y: Any) -> bool:
    """Are two values numbers, ``y`` within ten times of ``x`` either way (figures of one size)?"""
    return isinstance(x, (int, float)) and isinstance(y, (int, float)) and x / 10 <= y <= x * 10


def _same_noun(w: Window, a: Candidate, b: Candidate) -> bool:
    """Two counts count the same thing: no noun said after one of them, or the same first word
    (one with a suffix of the other: حادث / حادثا)."""
    na, nb = entity(w, a.end), entity(w, b.end)
    if not na or not nb:
        return True
    x, y = sorted((w.lang.key(na.split()[0]), w.lang.key(nb.split()[0])), key=len)
    return x == y or (len(x) >= 3 and y.startswith(x))


def _carry_unit(w: Window, a: Candidate, b: Candidate, noun_checked: bool = False) -> None:
    """A bare figure set against a sum, a quantity or a percentage is in its unit: "… مقابل 900
    مليون": the same currency; "45 000 tonnes, contre 38 000": tonnes; and in the scale the unit
    carries (104,7 MMDH contre 98,2: billions) where the figure has none. ``noun_checked``: the
    caller knows the word after ``b`` is no counted noun of its own."""
    if b.kind == "count" and a.kind in _CARRIED_KINDS and a.unit and (noun_checked or not has_noun(w, b.end)):
        n = w.by_start.get(b.start)
        if a.kind == "percent" and n is not None and n.scale > 1.0:
            return  # "progressé de 6 % à 27 millions": a share is never written in millions
        b.kind, b.unit, b.value = a.kind, a.unit, clean_number(b.value * _unit_scale(w, a, b))
        if a.kind == "money":
            b.extra = dict(b.extra or {}, unit_from="sentence")


def _from_to(w: Window, a: Candidate, b: Candidate) -> bool:
    """``a`` and ``b`` are the two ends of a from… to pair written with its unit after the first
    (`de 1 507,5 livres à 89 500`, `من 300 دينار إلى 450`, `entre 10 % et 15`): the from word
    before a, the to word between them and nothing else."""
    C = w.lang.context
    if C.to_after_re is None or C.from_before_re is None or a.unit is None:
        return False
    m = C.to_after_re.match(w.masked, a.end)
    return (m is not None and m.end() - 1 == b.start
            and C.from_before_re.search(w.masked, max(0, a.start - 20), a.start) is not None)


def _unit_scale(w: Window, a: Candidate, b: Candidate) -> float:
    """The scale a's unit word carries (MMDH, M€: 10⁹, 10⁶), for a bare figure compared with it
    that has no scale word of its own; else 1."""
    n = w.by_start.get(b.start)
    if a.unit_span is None or n is None or n.scale != 1.0:
        return 1.0
    entry, _ = w.unit_reading(w.lang.key(w.ntext[a.unit_span[0]:a.unit_span[1]]), a.unit_span[0])
    return entry.factor if entry is not None else 1.0


_CARRIED_KINDS = ("money", "quantity", "percent", "duration")  # a bare figure compared with one of these has its unit
_CARRIED_SCALE = 1e6  # a bare figure written with a scale word this large may be a sum of money
_PARALLEL_SCALE = 1e3  # ... or one this large, written with the same scale as a sum in its sentence
_SUM_WORD_BEFORE = 60  # characters before a bare figure a noun naming a sum may start
_SUM_WORD_AFTER = 30  # ... or after it
_BRACKET_REACH = 80  # characters from a claim to the brackets around it
_LEADING_BRACKETS = fixed_regex(r"^\s*\([^()\n]*\)")  # the brackets right after a figure
_BRACKET_GAP = fixed_regex(r"\s*[()\[\]]\s*")  # a sum and its conversion, in brackets beside it
# a sum, a short phrase of its own, a connector, then the bare price beside it
_PARALLEL_GAP = fixed_regex(r"[^\S\n]+\p{L}+(?:[^\S\n]+\p{L}+){0,3}[^\S\n]+(\p{L}+)[^\S\n]?")


def _parallel_gap(w: Window, lo: int, hi: int) -> bool:
    """Between a sum and a bare figure, a phrase of a few words and the language's connector
    (`٤٧,٨٥ جنيه للشراء و٤٧,٩٥ للبيع`, `500 F CFA pour les véhicules légers et 2 000`): two
    prices side by side, in one currency."""
    m = _PARALLEL_GAP.fullmatch(w.ntext, lo, hi)
    return m is not None and w.lang.key(m.group(1)) in w.lang.numbers.connectors


# a bare price, the language's connector, a word or two (what the next price is of), the sum
_PARALLEL_AFTER = fixed_regex(r"[^\S\n]+(\p{L}+)[^\S\n]+\p{L}+(?:[\s\u200c]+\p{L}+)?[^\S\n]+")


def _parallel_gap_after(w: Window, lo: int, hi: int) -> bool:
    """Between a bare price and a sum after it, the connector and a word or two
    (`۱۵۰۰ و بنزین آزاد ۳ هزار تومان`): two prices side by side, the currency written with the second."""
    m = _PARALLEL_AFTER.fullmatch(w.ntext, lo, hi)
    return m is not None and w.lang.key(m.group(1)) in w.lang.numbers.connectors


def _beside_a_price(w: Window, c: Candidate, chosen: list[Candidate]) -> bool:
    """A bare figure without a scale right after a sum of its size, a short phrase and the
    connector between (`5.000 دج للقمح اللين و3.400 للشعير`): a price of the same list, though no
    noun naming a sum stands near it."""
    if c.kind != "count" or c.unit or not c.pattern.entity or _scale(w, c) != 1 or not _counts_nothing(w, c.end):
        return False
    before = [o for o in chosen if o.end <= c.start]
    if not before:
        return False
    prev = max(before, key=lambda o: o.end)
    return (prev.kind == "money" and prev.unit is not None and _scale(w, prev) == 1
            and _within_ten_times(prev.value, c.value) and _parallel_gap(w, prev.end, c.start))


def carry_currency(w: Window, chosen: list[Candidate]) -> None:
    """A sum written without its currency is money in the currency of its own sentence, else of
    the one before - when that is one currency only:
    - in its own sentence, when no noun naming a count stands between it and the money nearest
      it (`22,5 milliards d'euros, soit une hausse de 3,5 milliards`, `۳۹۹ میلیارد افغانی ...
      ۲۷۵ میلیارد آن`; not `31,7 milliards de DH ..., le nombre d'arrivées a franchi les 4,6
      millions`);
    - after a sentence with money, when a noun naming a sum stands near it and none naming a
      count (`portant le financement à 50 milliards`); a sum that took its currency so is money
      for the sentence after it in turn (`… 90 millions d'euros. Son salaire est estimé à 1,2
      million par mois. L'indemnité pourrait atteindre 100 millions`); further on, so too when
      all the story's money is in one currency;
    - never from money in brackets (the sum converted into another currency), nor from a sum
      of unknown currency;
    - the ends of a range together (`entre 2,4 et 3 milliards`).
    Only a figure with a scale word of a million or more and no counted noun after it: a count
    of people or things names them (`3 millions d'habitants`), and a bare small figure is as
    often a count as a sum; a thousand will do beside a sum of the same scale in its sentence
    (`۵۰۰ هزار تومان و در سایر دهک‌ها ۳۵۰ هزار`: the sentence lists sums). The nouns are each
    language's `sums:` words."""
    bare = [c for c in chosen if _bare_sum(w, c) or _beside_a_price(w, c, chosen)]
    if not bare or not any(c.kind == "money" and c.unit for c in chosen):
        return
    C, masked = w.lang.context, w.masked
    sentences = sentence_starts(w.ntext)  # in the normalised text, as the candidates' offsets

    def sentence_of(c: Candidate) -> int:
        return bisect.bisect_right(sentences, c.start) - 1

    by_sentence: dict[int, list[Candidate]] = {}
    prev: Candidate | None = None
    for c in chosen:
        # a sum whose currency is unknown (`ليرة` with no country) is a source too, of no
        # currency: it stops the one in brackets beside it from being taken for the sentence's.
        # A sum in brackets is a conversion of the figure before it, never the sentence's money;
        # so is one after a conversion word, but not one that restates a percentage
        # (`progressera de 2,4 %, soit 6,3 milliards d'euros`: the sentence's money)
        if c.kind == "money" and not _in_brackets(masked, c) and not (
                _converted(w, c) and (prev is None or prev.kind not in ("percent", "ratio"))):
            by_sentence.setdefault(sentence_of(c), []).append(c)
        if c.kind != "date":
            prev = c
    # further back, the story's money, when it is in one currency: a noun naming a sum beside
    # the figure says it is money (`pour un coût estimé entre 3,5 et 4 milliards`, two sentences
    # after a sum in francs)
    story = [m for ms in by_sentence.values() for m in ms]
    for c in bare:
        k = sentence_of(c)
        same = by_sentence.get(k)
        near_by = same or by_sentence.get(k - 1)
        sources = near_by or story
        whole = _whole_sum_before(w, c, same) or _whole_named_before(w, c, chosen, story, k, sentence_of)
        if whole is not None:  # a part of a sum is in its currency (`9 تريليونات دينار، منها 6.5 تريليون`)
            sources = same = [whole]
        elif _part_of_a_count(w, c, chosen, k, sentence_of):
            continue  # `4,97 millions d'Haïtiens …, dont 1,64 million en phase d'urgence`: people
        elif not same and len({m.unit for m in sources}) > 1:
            # sums in several currencies before its sentence: the one its scale is written in, if
            # one only (`64 تريليون دينار، أي 49 مليار دولار. اقترضت 5 تريليونات`: dinars)
            alike = [m for m in sources if _scale(w, m) == _scale(w, c)]
            if len({m.unit for m in alike}) == 1:
                sources = alike
        elif same and len({m.unit for m in same}) > 1:
            # ... and so in its own sentence, else the one before (`182 milliards de FCFA, financé à
            # hauteur de 95 millions d'euros par la BAD et de 40 milliards par l'État`: FCFA)
            # the sums before it first (a sum after it is another's: `45 مليون يورو …، وألمانيا 30
            # مليوناً، إضافة إلى 18.5 مليون دولار`)
            alike = ([m for m in same if _scale(w, m) == _scale(w, c) and m.end <= c.start]
                     or [m for m in same if _scale(w, m) == _scale(w, c)]
                     or [m for m in by_sentence.get(k - 1, []) if _scale(w, m) == _scale(w, c)])
            if len({m.unit for m in alike}) > 1 and alike[-1].end <= c.start and _more_after(w, c):
                # more of the sum right before it (۸۵۰ میلیارد ریال …، ۲۵.۵ میلیارد تومان تخصیص یافته
                # و ۶۰ میلیارد دیگر: tomans)
                alike = alike[-1:]
            if len({m.unit for m in alike}) == 1:
                sources = same = alike
        if len({m.unit for m in sources}) != 1 or sources[0].unit is None:
            continue  # no money near, or sums in several currencies (or an unknown one): which one is unsaid
        if _measure_nearer(w, c, chosen, sources, sentence_of):
            continue  # "إلى 2 مليون برميل يوميا … ثم إلى 3 ملايين، عبر خطة … 17 مليار دولار": barrels
        if same:
            near = min(same, key=lambda m: abs(m.start - c.start))
            lo, hi = (near.end, c.start) if near.start < c.start else (c.end, near.start)
            between = [o.end for o in chosen if lo <= o.start and o.end <= hi and o is not c]
            if between and near.start < c.start:
                # the noun another figure between them counts is that figure's (`4,2 milliards
                # d'euros pour 20 millions d'habitants, et 1,8 milliard`): look after it
                lo = _past_noun(w, max(between))
            if (_found(C.count_words_re, masked, lo, hi) and not _after_amount_noun(w, c)) or \
                    _BRACKET_GAP.fullmatch(masked, lo, hi):
                # a count between them (but `un montant de 23,5 milliards` names a sum whatever
                # stands between); or one converts the other (`1,6 milliard (2,5 milliards de $)`)
                continue
            if _scale(w, c) < _CARRIED_SCALE and not _alike_in_size(w, near, c):
                continue  # a thousand is a sum only in a list of sums in thousands
            if _scale(w, c) == 1 and not (_within_ten_times(near.value, c.value) and (
                    (near.start < c.start and (_found(C.sum_words_re, masked, near.end, c.start)
                                               or (near.extra or {}).get("unit_from") == "sentence"
                                               or _parallel_gap(w, near.end, c.start)))
                    or (c.start < near.start and _parallel_gap_after(w, c.end, near.start)))):
                # a price after a sum of its own size, a noun naming it between them (11,850 ليرة …
                # سعر النشرة الرسمية عند 11,000), or after such a price (… و11,110 للمبيع), or
                # before one, the connector and its noun between (قیمت بنزین سهمیه‌ای ۱۵۰۰ و بنزین
                # آزاد ۳ هزار تومان); "one dollar and two" is cents, no price
                continue
        elif _scale(w, c) < _CARRIED_SCALE:
            continue  # (a price without a scale takes the currency of its own sentence only)
        else:
            lo = max(sentences[k] if k >= 0 else 0, c.start - _SUM_WORD_BEFORE)
            # the noun nearest before it decides (`2 500 emplois d'ici 2030, pour un coût estimé
            # à 4 milliards`: the cost); with none, one naming a sum right after it
            before = _last_found(C.sum_words_re, masked, lo, c.start)
            count_at = _last_found(C.count_words_re, masked, lo, c.start)
            if 0 <= before < count_at and _one_phrase(masked, before, count_at):
                count_at = -1  # the noun naming the sum heads the phrase: بدهی معوقه مشترکان (their debt)
            if (count_at >= 0 and count_at >= before) or not (
                    before >= 0 or _starts_within(C.sum_words_re, masked, c.end, c.end + _SUM_WORD_AFTER)
                    or (_more_after(w, c) and _last_alike_is_money(w, c, chosen))):
                # (a word of addition right after it, ۳۵۰ میلیارد دیگر: another 350 billion, more of
                # the sums before it)
                continue
        # the other ends of its range are sums in that currency too (`entre 2,4 et 3 milliards`),
        # unless one counts a noun (`ما بين مليون ومليوني معدّن`: miners)
        ends = _bare_range_ends(w, c, chosen)
        if not ends:
            continue
        for end in ends:
            if end.kind == "count" and not end.unit:
                end.kind, end.unit = "money", sources[0].unit
                end.extra = dict(end.extra or {}, unit_from="sentence" if near_by else "story")
        # a sum so read carries its currency on to the sentence after (`un déficit de 800
        # millions. Il faut économiser 3 milliards`), as one written with it would
        by_sentence.setdefault(k, []).append(c)


def carry_measure(w: Window, chosen: list[Candidate]) -> None:
    """A bare figure written with a scale word (a thousand or more), no counted noun after it,
    after quantities of that scale in its sentence that are all in one unit, is in that unit:
    `الطلب 48 ألف ميغاواط والإنتاج 30 ألفا`, `۱۱۰ میلیون مترمکعب آب رها می‌شود که ۴۰ میلیون آن ...`.
    Not in a sentence with money (carry_currency decides there), nor past a noun naming a
    count or a sum between them (`2 مليون برميل بتكلفة 20 مليونا`: a cost)."""
    if not any(o.kind == "quantity" and o.unit for o in chosen):
        return  # (most windows: no quantity to carry, and the noun look-up per count is spared)
    bare = [c for c in chosen if c.kind == "count" and not c.unit and c.pattern.entity
            and _counts_nothing(w, c.end) and w.by_start.get(c.start) is not None]
    if not bare:
        return
    C, masked = w.lang.context, w.masked
    sentences = sentence_starts(w.ntext)

    def sentence_of(c: Candidate) -> int:
        return bisect.bisect_right(sentences, c.start) - 1

    for c in bare:
        k = sentence_of(c)
        before = [o for o in chosen if o is not c and o.start < c.start and sentence_of(o) == k]
        if any(o.kind == "money" for o in chosen if sentence_of(o) == k):
            continue
        last = max((o for o in before if o.kind != "date"), key=lambda o: o.end, default=None)
        if (last is not None and last.kind == "quantity" and last.unit and _part_marked(w, c)
                and isinstance(last.value, (int, float)) and isinstance(c.value, (int, float))
                and c.value <= last.value):
            # a part of the quantity right before it, whatever its scale (`1,6 million d'hectares,
            # dont plus de 800 000 en goutte-à-goutte`)
            c.kind, c.unit = "quantity", last.unit
            c.extra = dict(c.extra or {}, unit_from="sentence")
            continue
        if not _bare_sum(w, c) or _scale(w, c) < _PARALLEL_SCALE:
            continue
        measures = [o for o in before if o.kind == "quantity" and o.unit and _scale(w, o) == _scale(w, c)]
        if len({o.unit for o in measures}) != 1:
            continue
        near = max(measures, key=lambda o: o.start)
        if _found(C.count_words_re, masked, near.end, c.start) or _found(C.sum_words_re, masked, near.end, c.start):
            continue
        for end in _bare_range_ends(w, c, chosen):
            if end.kind == "count" and not end.unit:
                end.kind, end.unit = "quantity", near.unit
                end.extra = dict(end.extra or {}, unit_from="sentence")


_PHRASE_WORDS = 3  # a noun, an adjective or two: words from a phrase's head to its complement


def _one_phrase(text: str, head: int, other: int) -> bool:
    """Do the words at ``head`` and ``other`` stand in one noun phrase, the first its head and
    the second its complement (`la dette des abonnés`, `بدهی معوقه مشترکان`, `ديون المشتركين`):
    a few words apart, with no clause mark between?"""
    gap = text[head:other]
    return len(gap.split()) <= _PHRASE_WORDS and _CLAUSE_MARK.search(gap) is None


def _bare_range_ends(w: Window, c: Candidate, chosen: list[Candidate]) -> list[Candidate]:
    """The ends of c's range (c alone when it is none), or none when one of them counts a noun
    (`ما بين مليون ومليوني معدّن`: the range counts miners, whatever the sentence speaks of)."""
    group = (c.extra or {}).get("range")
    ends = [o for o in chosen if group and (o.extra or {}).get("range") == group] or [c]
    return [] if any(o.kind == "count" and not _counts_nothing(w, o.end) and not _after_amount_noun(w, o)
                     for o in ends) else ends


def _whole_sum_before(w: Window, c: Candidate, same: list[Candidate] | None) -> Candidate | None:
    """The sum in c's sentence that c is a part of: the one right before it, with only a part
    marker between (`, dont`, `، منها`), and a bound on c (`منها أكثر من 12 مليار`)."""
    rx = w.lang.context.part_gap_re
    if rx is None or not same:
        return None
    before = [m for m in same if m.end <= c.start]
    if not before:
        return None
    whole = max(before, key=lambda m: m.end)
    if not isinstance(whole.value, (int, float)) or not isinstance(c.value, (int, float)) or c.value > whole.value:
        return None  # larger than that sum: the part of another (`3 Md€ et 500 M$, dont 1,2 milliard`)
    return whole if rx.fullmatch(w.masked, whole.end, _bound_start(w, c)) else None


def _part_of_a_count(w: Window, c: Candidate, chosen: list[Candidate], k: int,
                     sentence_of: Callable[[Candidate], int]) -> bool:
    """A part marker right before ``c`` (`dont`, `منها`), or a whole marker (`من أصل`, `sur un
    total de`), and the last figure before it in its sentence (no date, rate or share) a count:
    ``c`` is a part, or the whole, of what that counts, no sum (`20.4 مليون شخص داخل السودان، من
    أصل 30 مليوناً`)."""
    whole_re = w.lang.context.whole_gap_re
    if not (_part_marked(w, c) or (whole_re is not None
                                   and whole_re.search(w.masked, max(0, c.start - 30), c.start) is not None)):
        return False
    before = [o for o in chosen if o.end <= c.start and o.kind not in ("date", "percent", "ratio")
              and sentence_of(o) == k]
    return bool(before) and max(before, key=lambda o: o.end).kind == "count"


def _part_marked(w: Window, c: Candidate) -> bool:
    """Does a part marker (`dont`, `منها`, `از این میزان`) stand right before the figure, a
    bound between them aside (`dont plus de 800 000`)?"""
    C = w.lang.context
    if C.part_gap_re is None:
        return False
    at = _bound_start(w, c)
    return any(m.end() == at for m in C.part_gap_re.finditer(w.masked, max(0, at - 30), at))


def _bound_start(w: Window, c: Candidate) -> int:
    """Where the figure's phrase starts: at the bound written right before it (`plus de 800
    000`, `أكثر من 12 مليار`), else at the figure."""
    at = bound_before(w, max(0, c.start - 30), c.start)
    return c.start if at is None else at


def _whole_named_before(w: Window, c: Candidate, chosen: list[Candidate], sums: list[Candidate], k: int,
                        sentence_of: Callable[[Candidate], int]) -> Candidate | None:
    """The sum a part marker right before ``c`` points back to (`از این مبلغ ۷۴۰ میلیارد`): the
    last figure (no date, rate or share) before it, in its sentence or the one before, when that is a sum (not `24,6
    millions de passagers, dont 3,2 millions`) and c is no larger. (A sum after c in its sentence
    is another's.)"""
    rx = w.lang.context.part_gap_re
    if rx is None or not any(m.end() == c.start for m in rx.finditer(w.masked, max(0, c.start - 30), c.start)):
        return None
    # (a rate or share between them says how the sum moved: `۱۲۰۰ میلیارد تومان ... ۳۰ درصد بیشتر است. از این مبلغ`)
    before = [o for o in chosen if o.end <= c.start and o.kind not in ("date", "percent", "ratio")
              and sentence_of(o) in (k, k - 1)]
    if not before:
        return None
    whole = max(before, key=lambda o: o.end)
    if (not any(whole is m for m in sums) or not isinstance(whole.value, (int, float))
            or not isinstance(c.value, (int, float)) or c.value > whole.value):
        return None
    return whole


def _measure_nearer(w: Window, c: Candidate, chosen: list[Candidate], sources: list[Candidate],
                    sentence_of: Callable[[Candidate], int]) -> bool:
    """A quantity or percentage of the bare figure's own scale stands nearer to it in its sentence
    than any sum: the figure is as likely in that unit, and no currency is plain."""
    k = sentence_of(c)
    gap = min(abs(m.start - c.start) for m in sources)
    to_c = _to_word_before(w, c)

    def parallel(o: Candidate) -> bool:  # both after the same to word: two levels reached
        return to_c is not None and o.start < c.start and _to_word_before(w, o) == to_c

    return any(o is not c and o.kind in ("quantity", "percent") and o.unit and sentence_of(o) == k
               and _scale(w, o) == _scale(w, c) and (abs(o.start - c.start) < gap or parallel(o))
               for o in chosen)


def carry_to_targets(w: Window, chosen: list[Candidate]) -> None:
    """Two levels reached in one sentence, each after the same to word, the unit written with the
    first only (`رفع الإنتاج إلى 2 مليون برميل يوميا بحلول 2028، ثم إلى 3 ملايين`, `porter la
    capacité à 500 MW en 2026, puis à 800`): the second is in the first's unit, and in the scale
    it carries where it has none, when no noun follows it and nothing but dates stands between."""
    if w.lang.context.to_before_re is None:
        return
    sentences = sentence_starts(w.ntext)
    last: Candidate | None = None
    for c in chosen:
        if c.kind == "date":
            continue
        if (last is not None and c.kind == "count" and last.kind in ("quantity", "percent") and last.unit
                and bisect.bisect_right(sentences, last.start) == bisect.bisect_right(sentences, c.start)
                and not has_noun(w, c.end) and _scale(w, c) == _scale(w, last)):
            to_c = _to_word_before(w, c)
            if to_c is not None and _to_word_before(w, last) == to_c:
                c.kind, c.unit, c.value = last.kind, last.unit, clean_number(c.value * _unit_scale(w, last, c))
        last = c


def _to_word_before(w: Window, c: Candidate) -> str | None:
    """The to word right before a figure (`إلى 3 ملايين`, `à 12 %`), folded, or None."""
    rx = w.lang.context.to_before_re
    m = rx.search(w.masked, max(0, c.start - 12), c.start) if rx is not None else None
    return w.lang.key(m.group("to")) if m else None


def _converted(w: Window, c: Candidate) -> bool:
    """Is the sum a conversion of the figure before it (`، وهو ما يعادل نحو 12 مليار جنيه`, `soit
    environ 5,6 milliards de dollars`): not the money its sentence is counted in."""
    rx = w.lang.context.conversion_re
    return rx is not None and rx.search(w.masked, max(0, c.start - 40), c.start) is not None


def _in_brackets(masked: str, c: Candidate) -> bool:
    """Does the claim stand inside brackets (`(نحو 5.6 مليارات دولار)`, `(2,1 milliards de $)`):
    an opening one before it on its line with no closing one between, and a closing one after it
    before any opening one?"""
    line_start = masked.rfind("\n", 0, c.start) + 1
    before = masked[max(line_start, c.start - _BRACKET_REACH):c.start]
    if before.rfind("(") <= before.rfind(")"):
        return False
    after = masked[c.end:c.end + _BRACKET_REACH]
    close = after.find(")")
    return close >= 0 and not 0 <= after.find("(") < close


def _bare_sum(w: Window, c: Candidate) -> bool:
    """A count without unit or counted noun, written with a scale word of a thousand or more
    (carry_currency asks a million, or the scale of a sum beside it), or a price: a figure
    without a scale right after a noun naming a sum in its clause (سعر النشرة الرسمية عند 11,000)."""
    if c.kind != "count" or c.unit or not c.pattern.entity:
        return False
    n = w.by_start.get(c.start)
    if n is None or n.end != c.end:
        return False
    if not _counts_nothing(w, c.end) and not _after_amount_noun(w, c):
        return False
    return n.scale >= _PARALLEL_SCALE or (n.scale == 1 and _after_sum_word(w, c))


def _more_after(w: Window, c: Candidate) -> bool:
    """A word of addition right after the figure (`۶۰ میلیارد دیگر`, `200 مليون إضافية`, the
    language's `more_words`): more of the sums before it."""
    rx = w.lang.context.more_words_re
    return rx is not None and rx.match(w.masked, c.end) is not None


def _last_alike_is_money(w: Window, c: Candidate, chosen: list[Candidate]) -> bool:
    """Is the last figure before ``c`` written in its scale a sum (`9,4 millions de plus` after
    `61 millions de voyages` is more journeys, not more of the sums a sentence before)?"""
    alike = [o for o in chosen if o.end <= c.start and o.kind not in ("date", "percent", "ratio")
             and _scale(w, o) == _scale(w, c)]
    return bool(alike) and alike[-1].kind == "money"


def _after_amount_noun(w: Window, c: Candidate) -> bool:
    """A noun naming an amount stands right before the figure (`مبلغ 100 ألف`, `un montant de
    100 000`, the language's `amount_nouns`): the figure is that amount, whatever word follows
    it (`مبلغ 100 ألف دفعة مقدمة`: paid in advance, no counted noun)."""
    rx = w.lang.context.amount_nouns_re
    return rx is not None and rx.search(w.masked, max(0, c.start - 30), c.start) is not None


_PRICE_REACH = 40  # characters before an unscaled figure a noun naming its sum may stand
_CLAUSE_MARK = fixed_regex(r"[.,;:!?،؛؟\n]")


def _after_sum_word(w: Window, c: Candidate) -> bool:
    """A noun naming a sum stands a few words before the figure, in its clause."""
    rx = w.lang.context.sum_words_re
    lo = max(0, c.start - _PRICE_REACH)
    m = None if rx is None else _last_found(rx, w.masked, lo, c.start)
    return m is not None and m >= 0 and not _CLAUSE_MARK.search(w.masked, m, c.start)


def _alike_in_size(w: Window, near: Candidate, c: Candidate) -> bool:
    """Is the bare figure ``c`` written in the scale of the sum ``near``, or of its size, one in
    full digits and the other with the word for a thousand (`3,984 ريالاً، في حين تجاوزت الباقات
    الفاخرة 13 ألفاً`, `بنزین سهمیه‌ای ۱۵۰۰ و بنزین آزاد ۳ هزار تومان`: thousands both, within ten
    times of each other)?"""
    if _scale(w, near) == _scale(w, c):
        return True
    if {_scale(w, near), _scale(w, c)} != {1, _PARALLEL_SCALE}:
        return False
    digits = near if _scale(w, near) == 1 else c
    return (_within_ten_times(near.value, c.value) and isinstance(digits.value, (int, float))
            and digits.value >= _PARALLEL_SCALE)


def _scale(w: Window, c: Candidate) -> float:
    """The scale word of the figure a candidate starts with (1 without one)."""
    n = w.by_start.get(c.start)
    return n.scale if n is not None else 1.0


def _past_noun(w: Window, pos: int) -> int:
    """Where the noun a figure ending at ``pos`` counts ends (its first word, past the language's
    skip words: `de personnes`, `d'habitants`); ``pos`` when none follows."""
    C = w.lang.context
    while (m := C.entity_re.match(w.masked, pos)) is not None and "\n" not in w.masked[pos:m.start("w")]:
        pos = m.end()
        if w.lang.key(m.group("w")) not in C.entity_skip:
            break
    return pos


def _counts_nothing(w: Window, pos: int) -> bool:
    """No counted noun after a figure: no noun at all, a noun naming a sum (`1.2 مليار إيرادات`,
    also past the skip words: `1.3 مليار من منح`), or a word that begins a phrase of its own
    (`300 مليون للتعليم`: the language's `phrase_starts`)."""
    if entity(w, pos) is None:
        return True
    C = w.lang.context
    word = C.entity_re.match(w.masked, pos)
    if word is None:
        return True
    if any(rx is not None and rx.match(w.masked, word.start("w")) is not None
           for rx in (C.sum_words_re, C.phrase_starts_re)):
        return True
    skipped = False
    while (word is not None and w.lang.key(word.group("w")) in C.entity_skip
           and "\n" not in w.masked[pos:word.start("w")]):
        pos, skipped = word.end(), True
        word = C.entity_re.match(w.masked, pos)
    return (skipped and word is not None and C.sum_words_re is not None
            and C.sum_words_re.match(w.masked, word.start("w")) is not None)


def _last_found(rx: Any, text: str, lo: int, hi: int) -> int:
    """Where the last match of ``rx`` within text[lo:hi] starts; -1 without one."""
    if rx is None or hi <= lo:
        return -1
    last = -1
    for m in rx.finditer(text, lo, hi, overlapped=False):
        last = m.start()
    return last


def _found(rx: Any, text: str, lo: int, hi: int) -> bool:
    """Does ``rx`` match within text[lo:hi]?"""
    return rx is not None and hi > lo and rx.search(text, lo, hi) is not None


def _starts_within(rx: Any, text: str, lo: int, hi: int) -> bool:
    """Does a match of ``rx`` start within text[lo:hi] (ending where it ends: `, soit près de
    40 % des dépenses`, the noun begun within reach)?"""
    if rx is None or hi <= lo:
        return False
    m = rx.search(text, lo, min(len(text), hi + _WORD_TAIL))
    return m is not None and m.start() < hi


_WORD_TAIL = 40  # how far past a reach the word begun within it may run


def dateline(cands: list[Any], masked: str) -> Candidate | None:
    """The publication date at the top of a page (`۲۹ مرداد ۱۴۰۲ - ۱۸:۳۹` on a line of its own):
    the first full date in the first lines whose line holds little else. It is marked
    `dateline: true` and serves as the reference for relative time."""
    best = None
    for c in cands:
        if (c.kind != "date" or c.start > DATELINE_WITHIN or not isinstance(c, Candidate)
                or not isinstance(c.value, str) or len(c.value) != 10 or "X" in c.value):
            continue
        ls = masked.rfind("\n", 0, c.start) + 1
        le = masked.find("\n", c.end)
        le = len(masked) if le < 0 else le
        rest = (masked[ls:c.start] + masked[c.end:le]).strip()
        if len(rest) > 40 or masked.count("\n", 0, c.start) > 8:
            continue
        if best is None or c.start < best.start:
            best = c
    if best is not None:
        best.extra = dict(best.extra or {}, dateline=True, _date=_dt.date.fromisoformat(best.value))
    return best


def share_qualifiers(w: Window, claims: list[Claim]) -> None:
    """A hedge covers the figures joined to its own: the ends of a range (`بحد أدنى ... بين 1000
    و1200`: both at least) and a figure coordinated with it and nothing else between
    (`environ 8 700 et 5 500 €`: both about), or listed with it (`environ 2, 3 et 4 millions`).
    A figure after a noun or a verb is a phrase of its own (`au moins 25 morts et 20 blessés`:
    the second is exact)."""
    connectors = w.lang.numbers.connectors
    original = w.nt.original
    for a, b in zip(claims, claims[1:]):
        if a.qualifier == "exact" or b.qualifier != "exact" or a.kind != b.kind or a.kind == "date":
            continue
        same_range = a.extra.get("range") is not None and a.extra.get("range") == b.extra.get("range")
        gap = original[a.end:b.start] if b.start > a.end else None
        if same_range or (gap is not None and (w.lang.key(gap) in connectors or _LIST_COMMA.fullmatch(gap))):
            b.qualifier = a.qualifier
        elif (a.kind == "money" and gap is not None and _OPENING.fullmatch(gap)
              and _CLOSING.match(original, b.end)):
            b.qualifier = a.qualifier  # a sum's conversion in brackets: `نحو 7.8 مليار دينار (25.4 مليار دولار)`


_LIST_COMMA = fixed_regex(r"\s*[,،]\s*")  # two figures of a list: nothing but a comma between them
_OPENING = fixed_regex(r"\s*\(\s*")
_CLOSING = fixed_regex(r"\s*\)")


def make_claim(w: Window, c: Candidate, sentences: list[int]) -> Claim:
    """The claim record of a chosen candidate, its spans mapped back to the original text."""
    nt, original = w.nt, w.nt.original
    s, e = nt.span(c.start, c.end)
    unit_text = None
    if c.unit_span:
        us, ue = nt.span(*c.unit_span)
        unit_text = original[us:ue]
    k = bisect.bisect_right(sentences, s) - 1
    sent_start = sentences[k] if k >= 0 else 0
    sent_end = sentences[k + 1] if k + 1 < len(sentences) else len(original)
    while sent_end > sent_start and original[sent_end - 1].isspace():
        sent_end -= 1
    extra = {k: v for k, v in (c.extra or {}).items() if not k.startswith("_")}
    if "compared_to" in extra:
        other = extra["compared_to"][1]
        os_, oe = nt.span(other.start, other.end)
        extra["compared_to"] = {"start": os_, "end": oe, "text": original[os_:oe]}
    ch = change(w, c)
    if ch:
        extra["change"] = ch
    L = w.lang
    return Claim(
        doc=w.doc, lang=L.code, start=s, end=e, text=original[s:e], kind=c.kind, value=c.value,
        unit=("%" if c.kind == "percent" and not c.unit else c.unit), unit_text=unit_text,
        qualifier=qualifier(w, c), entity=entity(w, c.end) if c.pattern.entity else None,
        sentence_start=sent_start, sentence_end=sent_end,
        rule=f"{L.code}.{c.pattern.id}", calendar=c.calendar, extra=extra,
        context=context_of(original, sent_start, sent_end, s, e),
    )
