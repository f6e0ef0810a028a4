"""The ``units`` section: the unit table, its forms after and before a figure, and the regexes that
find a unit next to a figure. Every unit's code must be in the unit registry (coopfacts.units)."""
from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import regex

from coopfacts.rulebook.build import Build, Item
from coopfacts.rulebook.compile_numbers import number_words
from coopfacts.rulebook.language import UnitEntry, UnitRules
from coopfacts.rulebook.masks import MASK_LEAD
from coopfacts.rulebook.prefixes import last_chars
from coopfacts.rulebook.regexes import WORD_END, alternation, exact_key
from coopfacts.units import UnitRegistry, registry


@dataclass
class UnitForms:
    """A kind's unit words by where they stand: after the figure, before it, or as an Arabic dual."""

    after: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    dual: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # ISO 4217 codes, before or after: in capitals only
    glued: list[str] = field(default_factory=list)  # one letter that may be typed against the figure (5c)
    # words read only as written (`case_sensitive`), keyed by `exact_key`, after or before the figure
    exact_after: list[str] = field(default_factory=list)
    exact_before: list[str] = field(default_factory=list)


def _check_code(item: Item, reg: UnitRegistry) -> None:
    """A unit's code is a currency (money) or a unit of the registry of the same kind."""
    u = item.value
    code = u.get("code")
    if code is None:
        return
    known = reg.get(code)
    if known is None or known.kind != u["kind"] or (u["kind"] == "money" and known.code != code):
        what = "an ISO 4217 currency code" if u["kind"] == "money" else f"a {u['kind']} unit"
        raise item.doc.error(item.path + ("code",),
                             f"{code!r} is not {what} of rules/units.yaml or rules/currencies.yaml")


def unit_table(b: Build) -> tuple[dict[str, UnitEntry], dict[str, UnitForms]]:
    """Every unit word (folded) with its entry, and the words of each kind by position.

    A word has one plain reading (the last written: the hand-kept units.yaml is read after the
    files generated from CLDR, and wins) and may have readings that need evidence (`context`,
    `countries`: "dinars" in a Tunisian story is TND); with no evidence in a document, the plain
    reading stands (the claim says `unit_from: default`)."""
    reg = registry()
    plain: dict[str, UnitEntry] = {}
    by_evidence: dict[str, list[UnitEntry]] = {}
    forms: dict[str, UnitForms] = {}
    for item in b.of("unit"):
        _check_code(item, reg)
        u = item.value
        factor = float(u.get("factor", 1))
        not_before = b.norms(u.get("not_before"))
        not_in_clause = b.norms(u.get("not_in_clause"))
        unit = reg.get(u.get("code")) if u["kind"] == "money" else None
        entry = UnitEntry(u["kind"], u.get("code"), factor, context=tuple(b.norms(u.get("context"))),
                          minor_digits=unit.minor_digits if unit else 2,
                          countries=tuple(b.norms(u.get("countries"))),
                          not_before=_not_before_re(not_before, not_in_clause,
                                                    b.norms(u.get("not_before_except"))),
                          not_after=_not_after_re(b.norms(u.get("not_after_in_clause")),
                                                  b.norms(b.section("numbers").get("connectors"))),
                          evidence_in_text=bool(u.get("unambiguous")))
        kind_forms = forms.setdefault(u["kind"], UnitForms())
        kind_forms.glued.extend(b.norms(u.get("glued")))
        if u.get("case_sensitive"):
            _add_exact(b, u, entry, plain, kind_forms)
            continue
        for k in b.norms(u.get("words")):
            if entry.context or entry.countries:
                by_evidence.setdefault(k, []).append(entry)
            else:
                plain[k] = entry
            kind_forms.after.append(k)
        before = list(u.get("before", []) or [])
        iso = u.get("code") or ""
        if (u["kind"] == "money" and regex.fullmatch(r"[A-Z]{3}", iso) and iso not in before
                and factor == 1 and b.norm(iso) not in plain and iso not in reg.lookalikes):
            # an ISO 4217 code may stand before or after the figure in any language, written in
            # capitals ("top 10" is no Tongan money); one that is also a name (COP28) is not read
            plain[b.norm(iso)] = entry
            kind_forms.codes.append(iso)
        for k in b.norms(before):
            if k in plain and plain[k] is not entry and factor != 1:
                continue  # a code or symbol keeps its plain (factor 1) reading
            plain[k] = entry
            kind_forms.before.append(k)
            if not u.get("before_only"):
                kind_forms.after.append(k)  # "$ 10" and "10 $", "MAD 200" and "200 MAD"
        for k in b.norms(u.get("dual")):
            # a dual read by country as its singular is (جنيهين: EGP in Cairo, SDG in Khartoum)
            dual = dataclasses.replace(entry, not_before=None, dual=True)
            if entry.context or entry.countries:
                by_evidence.setdefault(k, []).append(dual)
            else:
                plain[k] = dual
            if k not in kind_forms.dual:
                kind_forms.dual.append(k)
    units: dict[str, UnitEntry] = {}
    for k, default in plain.items():
        readings = by_evidence.get(k)
        units[k] = dataclasses.replace(default, alternatives=readings) if readings else default
    # a word read only by evidence (the head of several currencies' names, from CLDR) with no
    # plain reading in any rule file is a unit only in a text that names one of its countries:
    # "livres" is books or pounds weight before it is money, "couronnes" crowns (engine/masking)
    numerals = number_words(b)  # Persian سوم is "third" before it is a som
    for k, readings in by_evidence.items():
        if k not in units and k not in numerals:
            first = readings[0]
            units[k] = UnitEntry(first.kind, None, alternatives=readings, evidence_only=True,
                                 evidence_in_text=all(r.evidence_in_text for r in readings))
    return units, forms


def _add_exact(b: Build, u: dict[str, Any], entry: UnitEntry, plain: dict[str, UnitEntry],
               kind_forms: UnitForms) -> None:
    """A unit whose words are read only as written: SI prefixes and press abbreviations differ by
    case alone (MD millions of dinars, mD thousands; MW, mW). Case-folded keys would merge them."""
    for w in u.get("words") or ():
        k = b.normalizer(w).text
        plain[exact_key(k)] = entry
        kind_forms.exact_after.append(k)
    for w in u.get("before") or ():
        k = b.normalizer(w).text
        plain[exact_key(k)] = entry
        kind_forms.exact_before.append(k)
        if not u.get("before_only"):
            kind_forms.exact_after.append(k)


def _not_before_re(words: list[str], in_clause: list[str], except_: list[str] | None = None) -> Any:
    """What after a unit word makes it another word: a word right after it, or one later in its
    clause (up to a punctuation mark, within a few words); ``except_``: phrases right after it
    that keep it the unit though they start with one of ``words`` (`تن از طریق`: by way of)."""
    alts = []
    if words:
        unless = rf"(?!(?:{alternation(except_)})(?![\w\u200c]))" if except_ else ""
        alts.append(rf"[\s\u200c]+{unless}(?:{alternation(words)})")
    if in_clause:
        alts.append(rf"[^.!?؟،؛,;:\n]{{0,80}}?(?<![\w\u200c])(?:{alternation(in_clause)})")
    return regex.compile("|".join(alts), regex.IGNORECASE) if alts else None


def _not_after_re(words: list[str], connectors: list[str]) -> Any:
    """What earlier in its clause makes a unit word another word: a word before the figure, with
    no punctuation mark between (شمار عودت‌کنندگان به ۵۱۲ هزار تن رسید: a number of persons)."""
    if not words:
        return None
    # a clause ends at a punctuation mark or at the language's "and" between spaces (the
    # connectors of its numbers: و, et)
    joined = rf"(?!\s(?:{alternation(connectors)})\s)" if connectors else ""
    clause = rf"(?:{joined}[^.!?؟،؛,;:\n]){{0,90}}"
    return regex.compile(rf"(?<![\w\u200c])(?:{alternation(words)}){clause}\Z", regex.IGNORECASE)


def _context_endings(b: Build) -> str:
    """What may follow a context word inside its word: one of the endings the language declares
    for a word ending so (``context_endings``: an Arabic nisba عراقي takes ة, ين, ون…; "" for
    any word), else nothing. A context word is a whole word: الرياضة (sport) is no mention of
    الرياض, nor عراقيل (obstacles) of عراقي, nor orange of Oran."""
    alts = []
    declared = b.data.get("context_endings") or {}
    for final in sorted(declared, key=len, reverse=True):  # the longest word ending first ("" last)
        endings = alternation(b.norms(declared[final]), False)
        last = b.norm(final)
        alts.append(f"(?<={regex.escape(last)}){endings}" if last else endings)
    return f"(?:{'|'.join(alts)})?" if alts else ""


def evidence_rules(b: Build, units: dict[str, UnitEntry]) -> dict[str, Any]:
    """The regexes that find, once per document, the words that choose among a shared word's readings."""
    # a name written in capitals (EAU, RDC, UK) is read only in capitals: "l'eau" is water, no
    # Émirats arabes unis
    raw = {w for item in b.of("unit") for k in ("context", "countries") for w in item.value.get(k) or ()}
    acronyms = {b.norm(w) for w in raw if len(w) >= 2 and w.isupper()}
    exact = sorted({b.normalizer(w).text for w in raw if len(w) >= 2 and w.isupper()})
    context = sorted({w for e in units.values() for alt in e.alternatives for w in alt.context} - acronyms)
    countries = sorted({w for e in units.values() for alt in e.alternatives for w in alt.countries} - acronyms)
    caps = rf"(?-i:{alternation(exact)})|" if exact else ""
    lead = b.word_lead()
    # a country (or its adjective) named after these (من الجزائر: tourists from Algeria) is where
    # people or goods come from or go, not the country whose money the story counts
    not_after = b.norms(b.data.get("countries_not_after"))
    # (and the next name of a pair: من الجزائر وليبيا)
    not_after_src = rf"(?<!(?<!\w)(?:{alternation(not_after, False)})\s(?:\S+\s)?)" if not_after else ""
    return {
        "context_re": regex.compile(rf"{not_after_src}{lead}(?P<w>{caps}{alternation(context, False)})"
                                    rf"{_context_endings(b)}{WORD_END}",
                                    regex.IGNORECASE)
        if context else None,
        "countries_re": regex.compile(rf"{not_after_src}{lead}(?P<w>{caps}{alternation(countries)})", regex.IGNORECASE)
        if countries else None,
    }


def unit_rules(forms: dict[str, UnitForms], joiner: str, month: str, evidence: dict[str, Any]) -> UnitRules:
    """Units next to a figure are found once per figure (engine/masking.py) and masked like the
    numerals, a lead character per kind: patterns name them as one token, and the unit lexicon
    is compiled twice (after, before) instead of into every pattern."""
    all_after = [w for f in forms.values() for w in f.after]
    all_before = [w for f in forms.values() for w in f.before]
    codes = sorted({w for f in forms.values() for w in f.codes} - set(all_after) - set(all_before))
    # on the figure's line: a word at the start of the next paragraph names no unit of it; and a
    # unit of one letter (m, g) only after a space: glued to a figure it names something else (5G)
    # (an ideograph is a word of its own: 100元)
    # (and a letter a unit lists as `glued`: 5c, 20p)
    glued = {w for f in forms.values() for w in f.glued}
    letters = [w for w in all_after if len(w) == 1 and w.isalpha() and "CJK" not in unicodedata.name(w, "")
               and w not in glued]
    words = [w for w in all_after if w not in letters]
    gap = r"(?:[^\S\n]|\u200c)"
    code_alt = rf"|(?-i:{alternation(codes)})" if codes else ""
    # words read only as written go first: the case-folded ones no longer hold them
    exact_after = [w for f in forms.values() for w in f.exact_after]
    exact_before = [w for f in forms.values() for w in f.exact_before]
    # ... a letter alone (A, the ampere) only after a space, as the folded letters below
    exact_letters = [w for w in exact_after if len(w) == 1]
    exact_words = [w for w in exact_after if len(w) > 1]
    exact_alt = (rf"(?-i:{alternation(exact_words)})|" if exact_words else "") + (
        rf"(?<=[^\S\n]|\u200c)(?-i:{alternation(exact_letters)})|" if exact_letters else "")
    exact_before_alt = rf"(?-i:{alternation(exact_before, False)})|" if exact_before else ""
    after_src = rf"{gap}*(?:{joiner}[^\S\n]*)?(?P<unit>{exact_alt}{alternation(words)}{code_alt})"
    if letters:
        after_src = rf"(?:{after_src}|{gap}+(?:{joiner}[^\S\n]*)?(?P<unit>{alternation(letters)}))"
    # no unit ends before an apostrophe: that letter is an elided article ("3,6 milliards l'an
    # dernier" holds no litres, "10 $ c'est" no "$ c")
    after = regex.compile(rf"{after_src}(?![\'’])", regex.IGNORECASE)
    # a code (USD) starts a word; a symbol ($, €) may follow letters (US$, usd$)
    before = regex.compile(rf"(?:(?<!\p{{L}})(?=\p{{L}})|(?!\p{{L}}))"
                           rf"(?P<unit>{exact_before_alt}{alternation(all_before, False)}{code_alt})\s*\Z",
                           regex.IGNORECASE)
    # "14 شهر شباط", "900 مليون سنة 2022": a time word before a month or a year names it
    not_before = regex.compile(rf"\s*(?:(?P<month>{month})|(?P<year>{MASK_LEAD['year']}))", regex.IGNORECASE)
    return UnitRules(after_re=after, before_re=before, before_last=last_chars(before.pattern),
                     not_before_re=not_before, **evidence)
