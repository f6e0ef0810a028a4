"""What stands around a claim: qualifiers (``qualifiers``, ``qualifiers_after``,
``qualifiers_distant``, ``negations``), changes and comparisons, and the counted noun
(``entity``)."""
from __future__ import annotations

from typing import Any

import regex

from coopfacts.rulebook.build import Build
from coopfacts.rulebook.compile_patterns import Macros
from coopfacts.rulebook.language import ContextRules, prefixes_of
from coopfacts.rulebook.masks import MASK_LEAD
from coopfacts.rulebook.prefixes import last_chars
from coopfacts.rulebook.regexes import alternation

_I = regex.IGNORECASE
# a word between a change or distant-qualifier word and its figure: letters, a unit word masked
# there (ارتفعت الصادرات بنسبة 20%), or an ordinal, an adjective (لا يقل الدعم للدفعة الأولى عن);
# no digit or other figure
_WORD_GAP = r"(?:[^\s\d\ue000-\ue01f.,،؛:;!?؟()]+|[\ue010-\ue01f\ue004]\ue00f*)"


def _by_word(b: Build, section: str) -> dict[str, str]:
    """A section that maps a value (a qualifier) to its words, turned into word -> value."""
    return {b.norm(w): q for q, ws in (b.data.get(section) or {}).items() for w in ws}


def _distant_rules(b: Build) -> tuple[dict[str, str], str | None]:
    """Verbs that bound a figure from a distance, verb -> qualifier, and the regex that finds one
    before a figure: up to five words between ("تجاوز عدد المشاركين 500"); a verb written with a
    word after "…" in the rule file (يقترب … من) bounds only a figure right after that word, else
    any figure within reach would be bounded (يقترب موعد الانتخابات وقد صوت 300: no hedge)."""
    free: list[str] = []
    by_tail: dict[str, list[str]] = {}
    distant: dict[str, str] = {}
    for q, ws in (b.data.get("qualifiers_distant") or {}).items():
        for w in ws:
            head, _, tail = w.partition("…")
            distant[b.norm(head)] = q
            (by_tail.setdefault(b.norm(tail), []) if tail else free).append(b.norm(head))
    lead = rf"(?<!\w){b.verb_clitic}"  # the bounds are verbs: قارب nearly reached, لقارب for a boat
    alts = [rf"{lead}(?P<q>{alternation(free)})(?:\s+{_WORD_GAP}){{1,5}}\s*\Z"] if free else []
    for tail, heads in sorted(by_tail.items()):
        alts.append(rf"{lead}(?P<q>{alternation(heads)})(?:\s+{_WORD_GAP}){{0,4}}\s+{alternation([tail])}\s*\Z")
    return distant, "|".join(alts) or None


def _after_rules(b: Build) -> tuple[dict[str, str], dict[str, Any]]:
    """Words after a figure that bound it, word -> qualifier, and for each one written with a word
    before "…" in the rule file (از … گذشت) the regex that word must match before the figure, with
    at most one word between (از مرز ۱۰۰ هزار نفر گذشت: passed 100 000); without it the word says
    something else (۱۲ ماه گذشته است: twelve months have gone by, no bound)."""
    after: dict[str, str] = {}
    heads: dict[str, list[str]] = {}
    for q, ws in (b.data.get("qualifiers_after") or {}).items():
        for w in ws:
            head, sep, tail = w.partition("…")
            word = b.norm(tail if sep else head)
            after[word] = q
            if sep:
                heads.setdefault(word, []).append(b.norm(head))
    # a word also written alone bounds wherever it stands
    plain = {b.norm(w) for ws in (b.data.get("qualifiers_after") or {}).values() for w in ws if "…" not in w}
    needs = {word: regex.compile(rf"(?<!\w){b.clitic}(?:{alternation(hs)})(?:\s+{_WORD_GAP})?\s*\Z", _I)
             for word, hs in heads.items() if word not in plain}
    return after, needs


def _entity_re(skip: list[str]) -> Any:
    """A word after a figure, a counted noun maybe. A skip word that ends in an apostrophe is an
    elided article glued to the word (`3 milliards d'économies`): it is passed over, so that the
    word is its noun, as after `de` (`7,2 milliards de recettes`)."""
    elided = [w for w in skip if w.endswith(("'", "’"))]
    lead = rf"(?:(?:{alternation(elided, False)})(?=\w))?" if elided else ""
    return regex.compile(rf"\s*{lead}(?P<w>[\w'][\w'\-]*)", _I)


def _compiled(source: str | None) -> Any:
    return regex.compile(source, _I) if source else None


def _qualifier_rules(b: Build) -> dict[str, Any]:
    cl = b.clitic
    before = _by_word(b, "qualifiers")
    after, after_needs = _after_rules(b)
    distant, distant_source = _distant_rules(b)
    negations = b.norms(b.data.get("negations"))
    # phrases that begin with a negation word but negate nothing (لا يزال: "still")
    not_negations = b.norms(b.data.get("not_negations"))
    not_neg = rf"(?!(?:{alternation(not_negations)}))" if not_negations else ""
    qual_before_re = _compiled(rf"(?<!\w){cl}(?P<q>{alternation(list(before), False)})\s*\Z" if before else None)
    # verbs that bound a figure from a distance: "تجاوز عدد المشاركين 500" (verb, subject, figure);
    # five words at most ("لا يقل الدعم الحكومي للدفعة الأولى عن 100 ألف": subject, its complement, عن)
    qual_distant_re = _compiled(distant_source)
    return dict(
        qualifiers=before, qualifiers_after=after, qualifiers_distant=distant, qual_after_needs=after_needs,
        qual_before_re=qual_before_re,
        qual_before_last=last_chars(qual_before_re.pattern) if qual_before_re is not None else None,
        qual_after_re=_compiled(rf"\s*,?\s*(?P<q>{alternation(list(after))})" if after else None),
        qual_distant_re=qual_distant_re,
        # the word right before a figure that makes it a distant verb's margin, no bound on it
        # (يفوق السعر الرسمي بأربعة أضعاف: by four times; بنسبة 20%)
        margin_re=_compiled(rf"(?<!\S)(?:{alternation(b.norms(b.data.get('margins')), False)})\s*\Z"
                            if b.data.get("margins") else None),
        qual_distant_prefixes=prefixes_of(qual_distant_re),
        negation_re=_compiled(
            rf"(?<!\w){not_neg}(?:{alternation(negations)})(?:\s+\S+){{0,2}}\s*\Z" if negations else None),
    )


def _change_rules(b: Build, macros: Macros) -> dict[str, Any]:
    """A figure stated as a change: "ارتفع بنسبة 5%", "en hausse de 3,1 %", "۱۲٫۵ درصد کاهش"."""
    section = b.section("changes")
    changes = {b.norm(w): d for d in ("increase", "decrease") for w in section.get(d, []) or []}
    before = after = None
    if changes:
        stop = alternation(b.norms(section.get("not_across")))
        gap = rf"(?:\s+(?!(?:{stop})){_WORD_GAP}){{0,3}}"
        before = regex.compile(rf"(?<!\w){b.clitic}(?P<c>{alternation(list(changes))}){gap}\s*\Z", _I)
        # words that mark only the figure after them, never the one before (Arabic بزيادة)
        not_after = set(b.norms(section.get("not_after")))
        after = regex.compile(rf"\s*(?P<c>{alternation([w for w in changes if w not in not_after])})", _I)
    figure = f"[{''.join(v for k, v in MASK_LEAD.items() if k != 'ordinal')}]"
    # "… 480 إلى 1245": the figure is where a change started, not the change; an ordinal after
    # the to word is no second end ("en hausse de 3 % au troisième trimestre" is a change)
    to_after = regex.compile(rf"\s*(?:{macros['joiner']}\s*)?(?:{macros['unit']}\s*)?(?:{macros['to']})\s*{figure}", _I)
    # "passant de 1 507,5 livres à 89 500": the from word before the first figure of such a pair
    from_before = regex.compile(rf"{macros['between']}\s*\Z", _I)
    # "… إلى 2 مليون برميل …، ثم إلى 3 ملايين": the to word before each of two targets
    to_before = regex.compile(rf"(?<!\w){b.clitic}(?P<to>{macros['to']})\s*\Z", _I)
    return dict(changes=changes, change_before_re=before, change_after_re=after,
                change_before_prefixes=prefixes_of(before), to_after_re=to_after, from_before_re=from_before,
                to_before_re=to_before)


def _word_starts(b: Build, words: list[str]) -> Any:
    """Any of ``words`` at a word's start, after a clitic and an article (لميزانية, l'enveloppe)."""
    return regex.compile(rf"{b.word_lead()}(?:{alternation(words, False)})", _I) if words else None


def compile_context(b: Build, macros: Macros) -> ContextRules:
    comps = b.norms(b.data.get("comparisons"))
    ent = b.section("entity")
    wholes = b.norms(b.section("parts").get("whole_after"))
    return ContextRules(
        **_qualifier_rules(b),
        **_change_rules(b, macros),
        comparison_re=_compiled(rf"(?<!\w){b.clitic}(?:{alternation(comps)})" if comps else None),
        comparison_words={w for c in comps for w in c.split()},
        entity_re=_entity_re(b.norms(ent.get("skip"))),
        entity_skip=set(b.norms(ent.get("skip"))),
        entity_stop=set(b.norms(ent.get("stop"))),
        entity_stop_prefixes=tuple(b.norms(ent.get("stop_prefixes"))),
        entity_closing=frozenset(b.norms(ent.get("closing_forms"))),
        entity_max=int(ent.get("max_words", 2)),
        sum_words_re=_word_starts(b, b.norms(b.section("sums").get("money_words"))),
        count_words_re=_word_starts(b, b.norms(b.section("sums").get("count_words"))),
        conversion_re=_compiled(rf"(?<!\w){b.clitic}(?:{alternation(b.norms(b.section('sums').get('conversion_words')))})"
                                rf"(?:\s+\S+)?\s*\Z" if b.section("sums").get("conversion_words") else None),
        phrase_starts_re=_phrase_starts(b.norms(b.section("sums").get("phrase_starts"))),
        # "يُصرف منه مبلغ 100 ألف دفعة مقدمة": the figure after a noun naming an amount is that amount
        amount_nouns_re=_amount_nouns(b, b.norms(b.section("sums").get("amount_nouns"))),
        more_words_re=_compiled(rf"[^\S\n]*(?:{alternation(b.norms(b.section('sums').get('more_words')), False)})(?!\w)"
                                if b.section("sums").get("more_words") else None),
        # "9 تريليونات دينار، منها 6.5 تريليون": only a part marker between a sum and a bare figure
        part_gap_re=_part_gap(b, b.norms(b.section("parts").get("part_before"))),
        # the words alone between a part and its whole (`30 مليون دولار من أصل 50 مليونا`)
        whole_gap_re=_compiled(rf"\s*(?:{alternation(wholes)})\s*\Z" if wholes else None),
    )


def _part_gap(b: Build, markers: list[str]) -> Any:
    """The text between a sum and a part of it written bare: punctuation, then the language's
    part marker (`dont`, `منها`), whole."""
    if not markers:
        return None
    return regex.compile(rf"[\s,;:،؛(\-–—]*(?:{alternation(markers)})\s*", _I)


def _amount_nouns(b: Build, nouns: list[str]) -> Any:
    """One of ``nouns`` (clitic and all) right before where a search of it ends: a figure there
    is the amount the noun names."""
    return regex.compile(rf"(?<!\w){b.clitic}(?:{alternation(nouns, False)})\s*\Z", _I) if nouns else None


def _phrase_starts(starts: list[str]) -> Any:
    """The word right after a figure, when it begins with one of ``starts`` (a preposition joined
    to the article: للتعليم) or is one (a purpose written whole: لدعم): a phrase of its own, no
    counted noun."""
    return regex.compile(rf"\s*(?:{alternation(starts, False)})", _I) if starts else None
