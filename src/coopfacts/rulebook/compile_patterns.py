"""The ``patterns`` section: the macros a pattern may name, filled from the language's lexicon, and
each pattern compiled (its words folded like the text); the worked examples of every section."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from coopfacts.rulebook.build import Build, Item
from coopfacts.rulebook.compile_units import UnitForms
from coopfacts.rulebook.language import DateRules, Example, NumberRules, Pattern, prefixes_of
from coopfacts.rulebook.masks import MASK_CONT, MASK_LEAD, UNIT_BEFORE_LEAD, UNIT_KINDS, UNIT_LEAD, lead_class
from coopfacts.rulebook.regexes import FAIL, alternation, cannot_match, compile_checked

MACRO = regex.compile(r"\{([a-z_]+(?::[a-z_]+)?)\}")
LIST = "list:"  # {list:NAME}: a word list of the language's `lists:` section
NEVER = FAIL  # a macro with nothing to match in this language (see regexes.cannot_match)


@dataclass
class Macros:
    """Everything a pattern may name, as regex sources."""

    sources: dict[str, str | None]
    dual_listed: str | None  # {dual} without its generic branch: what its prefixes are read from
    dual_endings: tuple[str, ...]  # the generic dual endings, case-folded

    def __getitem__(self, name: str) -> str:
        src = self.sources[name]
        return NEVER if src is None else src  # "" (no clitics: {cl}) is a source, matching nothing


def _figure_macros() -> dict[str, str | None]:
    """Masked figures, by what a pattern accepts (engine/masking.py writes them)."""
    lc = lead_class
    lead_all = "".join(MASK_LEAD[k] for k in ("digits", "year", "words"))
    cont = f"{MASK_CONT}*"
    out: dict[str, str | None] = {
        "num": f"(?P<num>{lc(lead_all)}{cont})",
        "anynum": f"(?P<num>{lc(lead_all + MASK_LEAD['weak'] + MASK_LEAD['definite'])}{cont})",
        "definite": f"(?P<num>{lc(MASK_LEAD['definite'])}{cont})",
        "frac": f"(?P<frac>{lc(MASK_LEAD['weak'])}{cont})",  # a fraction added to the figure (et demi)
        "digits": f"(?P<num>{lc(MASK_LEAD['digits'] + MASK_LEAD['year'])}{cont})",
        "numword": f"(?P<num>{lc(MASK_LEAD['words'] + MASK_LEAD['weak'])}{cont})",
        "year": f"(?P<year>{lc(MASK_LEAD['year'])}{cont})",
        "day": f"(?P<day>{lc(''.join(MASK_LEAD[k] for k in ('digits', 'ordinal', 'words', 'weak')))}{cont})",
        "ordinal": f"(?P<num>{lc(MASK_LEAD['ordinal'])}{cont})",
        "monthnum": f"(?P<monthnum>{lc(MASK_LEAD['digits'])}{cont})",
        "unit": f"(?P<unit>{lc(''.join(UNIT_LEAD.values()))}{cont})",
        "unit_before": f"(?P<unit>{lc(''.join(UNIT_BEFORE_LEAD.values()))}{cont})",
        # a figure of any class, for a look-around: no group of its own
        "any_figure": f"(?:{lc(lead_all + MASK_LEAD['weak'] + MASK_LEAD['definite'])}{cont})",
        # a unit of any kind written before a figure, for a look-around: no group of its own
        "any_unit_before": f"(?:{lc(''.join(UNIT_BEFORE_LEAD.values()))}{cont})",
    }
    for kind in UNIT_KINDS:
        # a unit of this kind written somewhere (for a look-around): no group of its own
        out[f"any_unit:{kind}"] = f"(?:{lc(UNIT_LEAD[kind])}|{lc(UNIT_BEFORE_LEAD[kind])})"
        out[f"unit:{kind}"] = f"(?P<unit>{lc(UNIT_LEAD[kind])}{cont})"
        out[f"unit_before:{kind}"] = f"(?P<unit>{lc(UNIT_BEFORE_LEAD[kind])}{cont})"
    return out


def _word_macros(b: Build, numbers: NumberRules, dates: DateRules) -> dict[str, str | None]:
    cl = b.clitic
    quals = b.data.get("qualifiers") or {}
    qualifiers = [b.norm(w) for ws in quals.values() for w in ws]
    # the bounds and hedges of an amount, never "until" (at_most holds jusqu'à, تا): after one, a
    # year-shaped figure is a count (plus de 2000 personnes), not a year
    hedges = [b.norm(w) for k, ws in quals.items() if k != "at_most" for w in ws]
    ranges = b.section("ranges")
    connectors = sorted(numbers.connectors)
    return {
        "month": f"(?<!\\w){cl}(?P<month>{alternation(list(dates.months))})",
        "qual": f"(?<!\\w){cl}(?P<qual>{alternation(qualifiers, False)})",
        "hedge": f"(?<!\\w){cl}(?:{alternation(hedges, False)})" if hedges else NEVER,
        # a joiner of punctuation alone ("-": a 30-year loan) is kept as written, not keyed away
        "joiner": f"(?:{alternation([b.norm(w) or w for w in b.data.get('unit_joiners') or ()], False)})",
        "cl": cl,
        "and": f"(?:{alternation(connectors, True)})" if connectors else NEVER,
        "to": f"(?:{alternation(b.norms(ranges.get('to')), True)})",
        "between": f"(?<!\\w){cl}(?:{alternation(b.norms(ranges.get('between')), True)})",
        "calmark": f"(?P<calmark>{alternation(list(dates.calendar_markers), False)})",
    }


def _dual_forms(b: Build) -> list[str]:
    """The listed dual nouns with their dual endings (feminine nouns change their ending)."""
    duals = b.section("duals")
    out: list[str] = []
    for n in b.norms(duals.get("nouns")):
        for fem_end, fem_sufs in (duals.get("feminine") or {}).items():
            fe = b.norm(fem_end)
            if n.endswith(fe):
                out += [n[: -len(fe)] + s for s in b.norms(fem_sufs)]
                break
        else:
            out += [n + s for s in b.norms(duals.get("suffixes"))]
    return out


def _dual_macro(b: Build) -> tuple[str | None, str | None, tuple[str, ...]]:
    """{dual}: a listed dual noun, or any word of ``min_stem`` letters or more with a generic dual
    ending; the listed branch alone; and the generic endings."""
    duals = b.section("duals")
    cl = b.clitic
    forms = _dual_forms(b)
    generic = b.norms(duals.get("generic_endings"))
    # a listed noun is a dual with the article too (الميناءين, the two ports): its ending is the
    # dual's alone, article or not
    # (each form written out with it: the prefix analysis reads a plain alternation)
    arts = b.norms(b.data.get("articles"))
    dual_alt = alternation(forms + [a + f for a in arts for f in forms]) if forms else None
    gen_alt = None
    if generic:
        # not after the article nor ending with an excluded word. The whole word is taken
        # first and its ending checked behind it (possessively: a shorter stretch is never a
        # whole word); a look-ahead over the word for the exclusions cost a scan of it at
        # every word start.
        excl = b.norms(duals.get("generic_exclude"))
        no_art = f"(?!(?:{alternation(arts, False)}))" if arts else ""
        no_excl = f"(?<!(?:{alternation(excl, False)}))" if excl else ""
        min_stem = int(duals.get("min_stem", 3))
        gen_alt = rf"{no_art}\w{{{min_stem},}}+(?<=(?:{'|'.join(regex.escape(g) for g in generic)})){no_excl}"
    if not (dual_alt or gen_alt):
        return None, None, ()
    # not an adjective agreeing with a dual noun before it (مجموعتين تعاونيتين): the noun counts
    sufs = b.norms(duals.get("suffixes"))
    # (a dual has a stem before its ending: أن / إن / بين are no duals, أن شركتين counts two)
    after_dual = rf"(?<!\w\w(?:{'|'.join(regex.escape(x) for x in sufs)})\s)" if sufs else ""
    # ... unless a conjunction joins it: a second noun, no adjective (مدرستان وجامعتان)
    conj = b.norms(duals.get("conjunctions"))
    if after_dual and conj:
        after_dual = rf"(?:(?=(?:{alternation(conj, False)})\w)|{after_dual})"
    whole = f"(?<!\\w){after_dual}{cl}(?P<dual>{'|'.join(x for x in (dual_alt, gen_alt) if x)})"
    listed = f"(?<!\\w){after_dual}{cl}(?P<dual>{dual_alt})" if gen_alt and dual_alt else None
    return whole, listed, tuple(sorted({e.casefold() for e in generic}))


def pattern_macros(b: Build, numbers: NumberRules, dates: DateRules, forms: dict[str, UnitForms]) -> Macros:
    sources = {**_figure_macros(), **_word_macros(b, numbers, dates)}
    cl = b.clitic
    for kind, f in forms.items():
        sources[f"unit_dual:{kind}"] = f"(?<!\\w){cl}(?P<unit>{alternation(f.dual)})"
    sources["unit_dual"] = f"(?<!\\w){cl}(?P<unit>{alternation([w for f in forms.values() for w in f.dual])})"
    whole, listed, endings = _dual_macro(b)
    sources["dual"] = whole
    for name, words in (b.data.get("lists") or {}).items():
        # a shared pattern names the list; each language supplies its words (or none: it never matches)
        sources[LIST + name] = f"(?:{alternation(b.norms(words))})" if words else None
    return Macros(sources, listed, endings)


def _expander(item: Item, macros: Macros) -> Any:
    def expand(m: Any) -> str:
        name = m.group(1)
        if name not in macros.sources:
            if name.startswith(("unit:", "unit_before:", "unit_dual:", LIST)):
                return NEVER  # no unit of that kind, or no such list, in this language
            raise item.doc.error(item.path + ("match",),
                                 f"unknown macro {{{name}}}; known: {', '.join(sorted(macros.sources))}")
        return macros[name]
    return expand


def _pattern(b: Build, item: Item, macros: Macros) -> Pattern:
    pat = item.value
    expand = _expander(item, macros)
    written = b.normalizer(pat["match"]).text  # the pattern's own words folded like the text (سنة -> سنه)
    from coopfacts.rulebook.pattern_size import size_problem  # here: the imports above are shared with others

    source = MACRO.sub(expand, written)
    problem = size_problem(source)
    if problem is not None:
        raise item.doc.error(item.path + ("match",), f"pattern {pat['id']!r}: regular expression refused: {problem}")
    try:
        rx = regex.compile(source, regex.IGNORECASE | regex.V0)
    except regex.error as exc:
        raise item.doc.error(item.path + ("match",),
                             f"pattern {pat['id']!r}: invalid regular expression: {exc}") from None
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise item.doc.error(item.path + ("match",), f"pattern {pat['id']!r}: regular expression too large to "
                                                     f"compile ({type(exc).__name__})") from None
    start_lits: tuple[str, ...] = ()
    start_ws: tuple[str, ...] = ()
    endings: tuple[str, ...] = ()
    if macros.dual_listed and written.startswith("{dual}"):
        # a match starts where {dual} does: at a prefix of its listed forms (read from the
        # pattern with the listed branch alone) or at a word with a generic dual ending
        listed = macros.dual_listed + MACRO.sub(expand, written[len("{dual}"):])
        found = prefixes_of(regex.compile(listed, regex.IGNORECASE | regex.V0))
        start_lits, start_ws = found.literals, found.word_start
        if start_lits:
            endings = macros.dual_endings
    requires = None
    if pat.get("requires"):
        requires = compile_checked(item.doc, item.path + ("requires",), MACRO.sub(expand, pat["requires"]),
                                   regex.IGNORECASE)
    return Pattern(
        prefix_lits=start_lits, prefix_ws=start_ws, word_endings=endings,
        id=pat["id"], kind=pat["kind"], regex=rx, priority=int(pat.get("priority", 50)),
        value=pat.get("value"), unit=pat.get("unit"), qualifier=pat.get("qualifier"),
        calendar=pat.get("calendar"), entity=bool(pat.get("entity", pat["kind"] == "count")),
        range=bool(pat.get("range", False)), list=bool(pat.get("list", False)), sum=bool(pat.get("sum", False)),
        requires=requires,
        fraction=bool(pat.get("fraction", False)), inverse=bool(pat.get("inverse", False)),
        scaled=bool(pat.get("scaled", False)),
        short_year=int(pat["short_year"]) if pat.get("short_year") is not None else None,
        max_value=float(pat["max_value"]) if pat.get("max_value") is not None else None,
        min_value=float(pat["min_value"]) if pat.get("min_value") is not None else None,
        min_words=int(pat.get("min_words", 1)), fractional=bool(pat.get("fractional", False)),
        source=item.doc.path, line=item.doc.where(item.path)[0],
    )


def compile_patterns(b: Build, macros: Macros) -> list[Pattern]:
    """The language's patterns and the shared ones, less those that cannot match in it."""
    return [p for p in (_pattern(b, item, macros) for item in b.of("pattern")) if not cannot_match(p.regex.pattern)]


def _example(item: Item, path: tuple[Any, ...], ex: dict[str, Any]) -> Example:
    return Example(ex["text"], ex["claims"], item.doc.path, item.doc.where(path)[0], bool(ex.get("partial")),
                   ex.get("note"))


def worked_examples(b: Build) -> list[Example]:
    """Every worked example, in the order written: a file's examples and those of its patterns
    and units."""
    out: list[Example] = []
    for item in b.items:
        if item.what == "example":
            out.append(_example(item, item.path, item.value))
        else:
            for j, ex in enumerate(item.value.get("examples", []) or []):
                out.append(_example(item, item.path + ("examples", j), ex))
    return out
