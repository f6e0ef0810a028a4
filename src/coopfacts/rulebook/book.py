"""Rule files: where they are, what shape they have, and how they compile.

A language is one YAML file ``rules/<code>.yaml`` (or a folder ``rules/<code>/``
of YAML files merged in name order).  ``rules/common.yaml`` holds patterns every
language shares (times of day, page furniture) and is merged into each.
The engine below knows no language: every word it matches comes from a file.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from coopfacts.model import CALENDARS, CLAIM_KINDS, QUALIFIERS
from coopfacts.resources import MissingData, packaged_rules_dir as _packaged
from coopfacts.text.normalize import Normalizer
from coopfacts.rulebook.prefixes import K, first_line_needs, last_chars, literal_prefixes, prefix_regex, starts_at_line, starts_at_word, word_start_prefixes
from coopfacts.rulebook.shapes import (Bool, Either, ListOf, Located, MapOf, Num, Obj, OneOf,
                           RuleError, Str, _cache_dir, load_yaml)

KINDS = (*CLAIM_KINDS, "ignore")  # a pattern of kind `ignore` consumes numbers that are no claims

# --- the shape of a rule file -------------------------------------------------

_words = ListOf(Str())
_claim = Obj(
    {
        "text": Str(),
        "kind": OneOf(*KINDS[:-1]),
        "value": Either(Num(), Str()),
        "unit": Str(),  # replaced below: a string or null
        "qualifier": OneOf(*QUALIFIERS),
        "entity": Str(),
        "calendar": OneOf(*CALENDARS),
        "unit_text": Str(),
    },
    required=("text", "kind", "value"),
    name="an expected claim",
)
_example = Obj(
    {"text": Str(), "claims": ListOf(_claim), "note": Str(), "partial": Bool()},
    required=("text", "claims"),
    name="a worked example",
)
_examples = ListOf(_example)
_unit = Obj(
    {
        "kind": OneOf("money", "percent", "ratio", "duration", "quantity"),
        "code": Str(),
        "words": _words,
        "before": _words,
        "dual": _words,
        "factor": Num(minimum=0),
        "context": _words,
        "note": Str(),
        "examples": _examples,
    },
    required=("kind",),
    name="a unit",
)
_pattern = Obj(
    {
        "id": Str(),
        "kind": OneOf(*KINDS, "unit"),
        "match": Str(),
        "value": Either(Num(), Str()),
        "unit": Str(),
        "qualifier": OneOf(*QUALIFIERS),
        "calendar": OneOf(*CALENDARS, "auto"),
        "priority": Num(integer=True),
        "entity": Bool(),
        "range": Bool(),
        "sum": Bool(),
        "requires": Str(),
        "note": Str(),
        "examples": _examples,
    },
    required=("id", "kind", "match"),
    name="a pattern",
)
_scale = Obj({"singular": _words, "plural": _words}, name="a scale")
_calendar = Obj(
    {"months": MapOf(Num(integer=True, minimum=1), _words), "markers": _words, "years": ListOf(Num(integer=True))},
    name="a calendar",
)
RULE_FILE = Obj(
    {
        "language": Str(),
        "name": Str(),
        "direction": OneOf("rtl", "ltr"),
        "numbering": Str(),
        "note": Str(),
        "detect": Obj({"script": OneOf("arabic", "latin", "any"), "markers": Str()}, name="detection hints"),
        "normalize": Obj({"fold": MapOf(Str(), Str()), "expand": MapOf(Str(), Str(nonempty=False))}),
        "clitics": _words,
        "articles": _words,
        "numbers": Obj(
            {
                "group_marks": ListOf(Str(nonempty=False)),
                "decimal_marks": ListOf(Str()),
                "units_before_tens": Bool(),
                "teens_after": ListOf(Num(integer=True)),
                "words": MapOf(Num(), _words),
                "weak": _words,
                "multipliers": MapOf(Num(), _words),
                "plural_multipliers": MapOf(Num(), _words),
                "scales": MapOf(Num(), _scale),
                "fractions": MapOf(Num(), _words),
                "approximate": MapOf(Num(), _words),
                "connectors": _words,
                "not_numbers": _words,
                "fuse_with": _words,
                "suffix_scales": MapOf(Str(), Num()),
                "exponents": Bool(),
                "decimal_words": _words,
                "over_words": _words,
                "negative_words": _words,
                "construct_fractions": MapOf(Num(), _words),
                "part_words": _words,
                "one_in_words": _words,
                "ordinal_suffixes": _words,
                "ordinals": MapOf(Num(integer=True), _words),
                "examples": _examples,
            }
        ),
        "units": ListOf(_unit),
        "unit_joiners": _words,
        "ranges": Obj({"between": _words, "to": _words}, name="range words"),
        "qualifiers": MapOf(OneOf(*QUALIFIERS), _words),
        "qualifiers_after": MapOf(OneOf(*QUALIFIERS), _words),
        "negations": _words,
        "changes": Obj({"increase": _words, "decrease": _words, "not_across": _words}, name="change words"),
        "comparisons": _words,
        "parts": Obj({"part_before": _words, "whole_after": _words, "share_after": _words},
                     name="part and whole words"),
        "qualifiers_distant": MapOf(OneOf(*QUALIFIERS), _words),
        "entity": Obj({"skip": _words, "stop": _words, "stop_prefixes": _words, "max_words": Num(integer=True, minimum=0)}),
        "duals": Obj(
            {
                "nouns": _words,
                "suffixes": _words,
                "feminine": MapOf(Str(), _words),
                "generic_endings": _words,
                "generic_exclude": _words,
                "min_stem": Num(integer=True, minimum=1),
                "examples": _examples,
            }
        ),
        "dates": Obj(
            {
                "calendars": MapOf(OneOf(*CALENDARS), _calendar),
                "relative": ListOf(Obj({"words": _words, "years": Num(integer=True), "months": Num(integer=True),
                                        "days": Num(integer=True)}, required=("words",), name="a relative time")),
                "relative_calendar": OneOf(*CALENDARS),
                "examples": _examples,
            }
        ),
        "patterns": ListOf(_pattern),
        "examples": _examples,
    },
    required=("language",),
    name="a rule file",
)
class _NullShape:
    name = "null"

    def check(self, doc, value, p):
        if value is not None:
            raise doc.error(p, f"expected null, got {value!r}")


# `unit` in an expected claim may be a string or null
_claim.fields["unit"] = Either(Str(), _NullShape())  # type: ignore[arg-type]


# --- where rule files live ----------------------------------------------------

def packaged_rules_dir() -> Path:
    """The rules shipped with the package (wheel) or, in a source checkout, ``rules/``."""
    try:
        return _packaged()
    except MissingData as exc:
        raise RuleError(Path("rules"), None, None, str(exc)) from None


SHARED_DATA = ("units", "currencies")


def rule_sources(extra_dirs: list[str | Path] | None = None) -> dict[str, list[Path]]:
    """Map a file stem (`ar`, `common`, …) to the YAML files that make it; later dirs override."""
    found: dict[str, list[Path]] = {}
    for d in [packaged_rules_dir(), *[Path(x) for x in (extra_dirs or [])]]:
        if not d.is_dir():
            raise RuleError(d, None, None, "--rules: not a directory")
        for entry in sorted(d.iterdir()):
            if entry.stem in SHARED_DATA:
                continue  # the unit registry's files (coopfacts.units), not a language
            if entry.is_file() and entry.suffix in (".yaml", ".yml"):
                found[entry.stem] = [entry]
            elif entry.is_dir() and not entry.name.startswith((".", "_")):
                files = sorted(p for p in entry.iterdir() if p.suffix in (".yaml", ".yml"))
                if files:
                    found[entry.name] = files
    return found


# --- compiled language ----------------------------------------------------------

@dataclass(frozen=True)
class LanguageInfo:
    """What a reader of a language's text needs besides its rules."""

    code: str
    name: str
    direction: str  # rtl | ltr
    numbering: str  # the language's own digits, as CLDR names the numbering system: latn, arab, arabext
    script: str  # arabic | latin | any


@dataclass
class WordEntry:
    value: float
    role: str  # word | multiplier | scale | plural_scale | fraction | weak | ordinal


@dataclass
class UnitEntry:
    kind: str
    code: str | None
    factor: float = 1.0
    dual: bool = False
    context: tuple = ()  # words that, found in the document, make this reading the one to take
    alternatives: list = field(default_factory=list)  # other entries written the same way


@dataclass
class Example:
    text: str
    claims: list[dict]
    source: str
    line: int | None
    partial: bool = False
    note: str | None = None


@dataclass
class Pattern:
    id: str
    kind: str
    regex: Any
    priority: int
    value: Any = None
    unit: str | None = None
    qualifier: str | None = None
    calendar: str | None = None
    entity: bool = False
    range: bool = False
    sum: bool = False  # "20 dollars et 43 cents": the figures add up (each times its unit)
    requires: Any = None  # a quick regex that must occur in the text for the pattern to run
    relative: bool = False  # relative time: resolved only against a reference date
    source: str = ""
    line: int | None = None
    span_groups: tuple = ()  # the groups of `regex` whose extent is the claim's (num, unit, year…)
    prefix_src: str = ""  # a pattern that starts with words: `re` source of what it starts with
    prefix_folded: str = ""  # the same, case-folded (prefixes.Caseless)
    prefix_lits: tuple = ()  # the prefixes themselves, case-folded (literals.LiteralScan)
    # or the match starts a word that ends with one of these (case-folded): {dual}'s generic
    # branch, any word with a dual ending, has no prefixes to find but a few endings
    word_endings: tuple = ()
    prefix_ws: tuple = ()  # those of prefix_lits that start a match only at a word start
    line_start: bool = False  # a match starts only where a line does ((?m)^…)
    line_needs: str = ""  # …and holds one of these before its first line feed (prefixes.first_line_needs)
    word_start: bool = False  # a match starts only where a word does ((?<!\w)…)
    lead_chars: str = ""  # a pattern that starts with a masked figure or unit: its lead characters
    # (a pattern that may start with either has both: prefix_lits and lead_chars)

    def __post_init__(self) -> None:
        if self.regex is None:
            return
        if not self.span_groups:
            self.span_groups = tuple(g for g in SPAN_GROUPS if g in self.regex.groupindex)
        # a pattern that starts a line is tried at line starts (those holding what its first
        # line needs); its prefixes, if it has any, are spaces and the like
        self.line_start = self.line_start or starts_at_line(self.regex.pattern, bool(self.regex.flags & regex.MULTILINE))
        if self.line_start:
            self.line_needs = first_line_needs(self.regex.pattern) or ""
            self.word_start = starts_at_word(self.regex.pattern)
            return
        if not self.prefix_src and not self.prefix_lits and not self.word_endings:
            # patterns that start with a masked numeral or unit are found fast by `regex`
            # itself; those that start with words may be tried only where their prefixes are
            self.prefix_src, self.prefix_folded, self.prefix_lits, self.prefix_ws = _prefix_sources(self.regex)
        if not self.prefix_src and not self.lead_chars and not self.prefix_lits:
            found = literal_prefixes(self.regex.pattern)
            firsts = {p[0] for p in found or ()}
            if firsts and all(c in _LEADS for c in firsts):
                self.lead_chars = "".join(sorted(firsts))
            elif firsts & set(_LEADS):  # "+33 …" or a figure: both kinds of start
                self.lead_chars = "".join(sorted(firsts & set(_LEADS)))
                self.prefix_lits = tuple(sorted({p.casefold() for p in found if p[0] not in _LEADS}))
        self.word_start = starts_at_word(self.regex.pattern)


SPAN_GROUPS = ("num", "unit", "dual", "year", "month", "monthnum", "day", "calmark")


def _leads() -> str:
    return "".join([*MASK_LEAD.values(), *UNIT_LEAD.values(), *UNIT_BEFORE_LEAD.values()])


def _prefix_sources(rx) -> tuple[str, str, tuple, tuple]:
    """`re` sources (as written, case-folded) of what a pattern can start with, when that is
    words; those strings case-folded (longer ones, for the automaton); and those of them that
    start a match only at a word start. ("", "", (), ()) when it starts with masked figures
    or anything at all."""
    if rx is None:
        return "", "", (), ()
    prefixes = literal_prefixes(rx.pattern)
    if not prefixes or any("\ue000" <= p[0] <= "\ue01f" for p in prefixes):
        return "", "", (), ()
    # the automaton is not slowed by long strings, and a longer prefix is a rarer one: it
    # gets them up to 16 characters where there are not too many
    longer = literal_prefixes(rx.pattern, 16)
    k, longer = (16, longer) if longer else (K, prefixes)
    lits = tuple(sorted({p.casefold() for p in longer}))
    return (prefix_regex(prefixes), prefix_regex(tuple(sorted({p.casefold() for p in prefixes}))),
            lits, tuple(sorted(word_start_prefixes(rx.pattern, k) & set(lits))))


@dataclass
class Language:
    code: str
    name: str
    files: list[str]
    script: str
    markers: str
    normalizer: Normalizer
    words: dict[str, WordEntry]
    units: dict[str, UnitEntry]
    qualifiers: dict[str, str]
    qualifiers_after: dict[str, str]
    negation_re: Any
    change_before_re: Any
    change_after_re: Any
    changes: dict[str, str]
    comparison_re: Any
    comparison_words: set
    parts: dict  # part_before / whole_after / share_after -> list of phrases (normalised), for `check`
    qualifiers_distant: dict[str, str]
    qual_distant_re: Any
    months: dict[str, tuple[str, int]]
    relative: dict[str, tuple[int, int, int, str]]  # words -> (years, months, days, grain)
    relative_calendar: str
    calendar_markers: dict[str, str]
    year_ranges: dict[str, tuple[int, int]]
    group_marks: str
    decimal_marks: str
    units_before_tens: bool
    connectors: set
    suffix_scales: dict
    decimal_words: set
    over_words: set
    negative_words: set
    construct_fractions: dict  # خمس before a definite noun is a fifth, not five
    part_words: list  # "جزء من مئة": one part of a hundred
    one_in_words: set  # "واحد من ثلاثة": one in three, a proportion
    teens_after: set
    numeral_re: Any
    ordinal_suffix_re: Any
    not_number_re: Any
    qual_before_re: Any
    qual_after_re: Any
    entity_re: Any
    entity_skip: set[str]
    entity_stop: set[str]
    entity_stop_prefixes: tuple
    entity_max: int
    patterns: list[Pattern]
    examples: list[Example]
    counts: dict[str, int] = field(default_factory=dict)
    unit_after_re: Any = None  # a unit right after a figure (anchored)
    clitics: tuple = ()  # normalised one-letter proclitics and their pairs (و, ف, ب…), for `check`
    articles: tuple = ()  # the definite article as a prefix (ال), for `check`'s label matching
    to_after_re: Any = None  # "… 480 إلى 1245": the figure is where a change started
    unit_before_re: Any = None  # a unit right before a figure ($, MAD), searched up to the figure
    unit_not_before_re: Any = None  # what may not follow a unit (a month name, a year)
    numeral_anchor: str = ""  # where a numeral may be: digits or a word of a number phrase (numbers.scan)
    numeral_anchor_back: int = 2  # how far before an anchor a numeral may start (a clitic, a sign)
    numeral_word_start: str = ""  # digits, or a clitic and a word of a number phrase at a word start
    numeral_tokens: tuple = ()  # the first words of the number phrases (where a numeral in words starts)
    numeral_digit_lead: str = "-"  # what a figure in digits may start with before its digits (-5, .77)
    not_number_prefixes: tuple = ("", "", (), ())  # where `not_number_re` can start (prefixes.finditer)
    qual_before_last: str | None = None  # what a qualifier before a figure can end with
    qual_distant_prefixes: tuple = ("", "", (), ())  # what a distant qualifier / a change word starts with
    change_before_prefixes: tuple = ("", "", (), ())
    unit_before_last: str | None = None  # what a unit before a figure can end with

    def key(self, s: str) -> str:
        """Lookup key of a matched (already normalised) stretch of text."""
        return _key(s)


def _key(s: str) -> str:
    # spaces and hyphens inside a phrase are interchangeable ("quatre-vingt", "quatre vingt")
    k = _KEYS.get(s)
    if k is None:
        k = " ".join(s.replace("-", " ").replace("\u200c", " ").split()).casefold()
        if len(s) <= 64:  # words and phrases are kept; the text between two figures is not
            if len(_KEYS) > 50_000:  # the words of a language are few; a hostile text is not
                _KEYS.clear()
            _KEYS[s] = k
    return k


_KEYS: dict[str, str] = {}


def _merge(into: dict, more: dict) -> None:
    for k, v in more.items():
        if k in into and isinstance(into[k], dict) and isinstance(v, dict):
            _merge(into[k], v)
        elif k in into and isinstance(into[k], list) and isinstance(v, list):
            into[k] = into[k] + v
        else:
            into[k] = v


_SEP = object()  # a run of space, hyphen or ZWNJ inside a phrase
_END = r"(?![^\W\u200c])"  # the word ends: no letter follows (a ZWNJ and suffix may: هفته‌ای)
_SEP_RE = r"[\s\-\u200c]+"


def alternation(words: list[str], word_final_boundary: bool = True) -> str:
    """A regex matching any of the literal phrases, the longest where several fit.

    Inside a phrase, spaces and hyphens are interchangeable ("quatre-vingt" / "quatre
    vingt") and ZWNJ may stand for them (دست‌کم). The phrases are folded into a trie
    (ث(?:لاث(?:ة|ين)…)) rather than listed: a list of hundreds of words is tried word
    by word at every position of the text, a trie a character at a time.
    """
    trie: dict = {}
    for w in set(words):
        parts = [p for p in regex.split(r"[\s\-\u200c]+", w) if p]
        if not parts:
            parts = [w]
        node = trie
        for i, part in enumerate(parts):
            if i:
                node = node.setdefault(_SEP, {})
            for ch in part:
                node = node.setdefault(ch, {})
        node[None] = bool(word_final_boundary and regex.match(r".*\w$", w))
    if not trie:
        return r"(?!x)x"
    return _emit(trie)


def _emit(node: dict) -> str:
    branches = []
    # longer continuations first: a node's own end is the last choice
    for key in sorted((k for k in node if k is not None), key=lambda k: (k is not _SEP, str(k))):
        child = node[key]
        head = _SEP_RE if key is _SEP else regex.escape(key)
        branches.append(head + _emit_tail(child))
    if None in node:
        branches.append(_END if node[None] else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _emit_tail(child: dict) -> str:
    if list(child) == [None]:
        return _END if child[None] else ""
    return _emit(child)


MASK_LEAD = {"digits": "\ue000", "year": "\ue001", "words": "\ue002", "weak": "\ue003", "ordinal": "\ue004"}
MASK_CONT = "\ue00f"
UNIT_KINDS = ("money", "percent", "ratio", "duration", "quantity")
UNIT_LEAD = {k: chr(0xE010 + i) for i, k in enumerate(UNIT_KINDS)}  # a unit after its figure
UNIT_BEFORE_LEAD = {k: chr(0xE018 + i) for i, k in enumerate(UNIT_KINDS)}  # a unit before it
_LEADS = _leads()  # the first character of every masked figure and unit


def _lead_class(chars: str) -> str:
    """A class of masked lead characters as the macros write it: one range, any character of
    it not in ``chars`` refused by a look-behind, and case-sensitive. The same characters as
    a plain class, but `regex` finds the first character of a match by a range check, where
    a listed class (and any class under IGNORECASE) is tested character by character: a
    pattern that starts with a figure is searched about five times faster (private-use
    characters have no case, so the case flag changes nothing else)."""
    cps = sorted({ord(c) for c in chars})
    lo, hi = cps[0], cps[-1]
    out = f"(?-i:[{chr(lo)}-{chr(hi)}])" if hi > lo else f"(?-i:{chr(lo)})"
    gaps = "".join(chr(c) for c in range(lo, hi + 1) if c not in cps)
    return out + (f"(?<![{gaps}])" if gaps else "")


def _check_regex(doc: Located, p: tuple, pattern: str, flags: int):
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise doc.error(p, f"invalid regular expression: {exc}") from None


def compile_language(code: str, docs: list[Located]) -> Language:
    data: dict[str, Any] = {}
    located_items: list[tuple[Located, str, Any]] = []  # for patterns/examples keep their source
    for doc in docs:
        RULE_FILE.check(doc, doc.data, ())
        _merge(data, {k: v for k, v in doc.data.items() if k not in ("patterns", "examples", "units")})
        for i, pat in enumerate(doc.data.get("patterns", []) or []):
            located_items.append((doc, "pattern", (i, pat)))
        for i, ex in enumerate(doc.data.get("examples", []) or []):
            located_items.append((doc, "example", (("examples", i), ex)))
        for i, unit in enumerate(doc.data.get("units", []) or []):
            located_items.append((doc, "unit", (i, unit)))
        for section in ("numbers", "duals", "dates"):
            for i, ex in enumerate((doc.data.get(section) or {}).get("examples", []) or []):
                located_items.append((doc, "example", ((section, "examples", i), ex)))

    fold = (data.get("normalize") or {}).get("fold") or {}
    expand = (data.get("normalize") or {}).get("expand") or {}
    for doc in docs:
        for k, v in ((doc.data.get("normalize") or {}).get("fold") or {}).items():
            if len(v) != 1:
                raise doc.error(("normalize", "fold", k), "a fold maps characters to exactly one character (use `expand` for more)")
    normalizer = Normalizer.build(fold, expand)

    def norm(s: str) -> str:
        return _key(normalizer(s).text)

    nums = data.get("numbers") or {}
    words: dict[str, WordEntry] = {}

    def add_words(mapping: dict, role: str) -> None:
        for value, spellings in (mapping or {}).items():
            for s in spellings:
                words[norm(s)] = WordEntry(float(value), role)

    add_words(nums.get("words"), "word")
    add_words(nums.get("fractions"), "fraction")
    add_words(nums.get("approximate"), "approx")
    add_words(nums.get("ordinals"), "ordinal")
    for cp in (0xBC, 0xBD, 0xBE, *range(0x2150, 0x215F)):  # vulgar fractions: ½ ⅙ ¾ (Unicode facts)
        words.setdefault(chr(cp), WordEntry(float(unicodedata.numeric(chr(cp))), "fraction"))
    add_words(nums.get("multipliers"), "multiplier")
    add_words(nums.get("plural_multipliers"), "plural_multiplier")
    for value, sc in (nums.get("scales") or {}).items():
        for s in sc.get("singular", []) or []:
            words[norm(s)] = WordEntry(float(value), "scale")
        for s in sc.get("plural", []) or []:
            words[norm(s)] = WordEntry(float(value), "plural_scale")
    for s in nums.get("weak", []) or []:
        k = norm(s)
        if k in words:
            words[k] = WordEntry(words[k].value, "weak")
        else:
            raise RuleError(docs[0].path, None, None, f"numbers.weak: {s!r} is not a number word of this file")

    clitics = [norm(c) for c in data.get("clitics", []) or []]
    # lazy: "واحد" is the word itself before it is "و" + "احد"
    cl = f"(?:{alternation(clitics, False)})??" if clitics else ""
    connectors = [norm(c) for c in nums.get("connectors", []) or []]
    group_marks = "".join(nums.get("group_marks", []) or [])
    decimal_marks = "".join(nums.get("decimal_marks", []) or [])
    marks = "".join(sorted(set((group_marks + decimal_marks).replace(" ", ""))))
    digit_alts = []
    dec = "".join(sorted(set(decimal_marks)))
    if " " in group_marks:
        tail = rf"(?:[{regex.escape(dec)}][0-9]+)?" if dec else ""
        digit_alts.append(r"[0-9]{1,3}(?:[ ][0-9]{3})+(?![0-9])" + tail)
    if marks:
        digit_alts.append(r"[0-9]+(?:[" + regex.escape(marks) + r"][0-9]+)*")
    digit_alts.append(r"[0-9]+")
    if dec:  # ".77", ",0012": a decimal part alone
        digit_alts.append(rf"(?<![\w.,٫])[{regex.escape(dec)}][0-9]+")
    # a minus sign belongs to the number only when it is glued to it and not to a word before
    # digits glued after a Latin letter belong to a token (m3, CO2), except after a currency code (USD1,23)
    digits = (r"(?:(?<![^\s(\[])-(?=[0-9" + regex.escape(dec) + r"]))?(?:(?<![0-9\p{Latin}])|(?<=(?<!\p{Latin})[A-Z]{3}))(?:"
              + "|".join(digit_alts) + r")")
    suffixes = {str(k): float(v) for k, v in (nums.get("suffix_scales") or {}).items()}
    if nums.get("exponents"):  # 1e10, 12,32e+14, 2,5^-1 (scientific notation and powers)
        digits += r"(?:[eE][+\-]?[0-9]+(?![\w])|\^[+\-]{0,2}[0-9]+)?"
    if suffixes:  # 100K, 1,2M: a scale letter glued to the digits
        digits += rf"(?:(?:{'|'.join(regex.escape(k) for k in sorted(suffixes, key=len, reverse=True))})(?![\w]))?"
    word_alt = alternation(list(words), word_final_boundary=False)
    # the single words of the lexicon's phrases: anchors of the numeral scan (numbers.scan)
    tokens = sorted({t for w in words for t in regex.split(r"[\s\-\u200c]+", w) if t})
    fuse = [norm(w) for w in nums.get("fuse_with", []) or []]
    # ZWNJ (a word character to `regex`) ends a number word too: ۱۰۰ میلیون‌تومان
    word_end = rf"(?:(?!\w)|(?=\u200c)|(?=(?:{alternation(fuse, False)})))" if fuse else r"(?:(?!\w)|(?=\u200c))"
    atom = rf"(?:(?P<d>{digits})|(?<!\w){cl}(?P<w>(?:{word_alt})){word_end})"
    conn = alternation(connectors, False) if connectors else None  # followed by space or a digit below
    sep = r"(?:\s*-\s*|\s+"
    if conn:
        sep = rf"(?:\s*-\s*(?:(?:{conn})\s*-\s*)?|\s+(?:(?:{conn})(?:\s+|(?=\d)))?)"
    else:
        sep += ")"
    numeral_re = regex.compile(rf"{atom}(?:{sep}{atom})*", regex.IGNORECASE | regex.V0)

    ord_suffixes = nums.get("ordinal_suffixes") or []
    ordinal_suffix_re = regex.compile(rf"(?:{'|'.join(ord_suffixes)})(?!\w)", regex.IGNORECASE) if ord_suffixes else None
    not_numbers = [norm(s) for s in nums.get("not_numbers", []) or []]
    not_number_re = regex.compile(rf"(?<!\w)(?:{alternation(not_numbers)})", regex.IGNORECASE) if not_numbers else None

    units: dict[str, UnitEntry] = {}
    unit_forms: dict[str, dict[str, list[str]]] = {}  # kind -> {after: [...], before: [...]}
    for doc, what, item in located_items:
        if what != "unit":
            continue
        i, u = item
        entry = UnitEntry(u["kind"], u.get("code"), float(u.get("factor", 1)),
                          context=tuple(norm(w) for w in u.get("context", []) or []))
        forms = unit_forms.setdefault(u["kind"], {"after": [], "before": [], "dual": []})
        for s in u.get("words", []) or []:
            k = norm(s)
            if k in units and entry.context:
                units[k].alternatives.append(entry)  # "dinars" in a Tunisian story: TND, not the default
            else:
                units[k] = entry
            forms["after"].append(k)
        before = list(u.get("before", []) or [])
        iso = u.get("code") or ""
        if (u["kind"] == "money" and regex.fullmatch(r"[A-Z]{3}", iso) and iso not in before
                and float(u.get("factor", 1)) == 1 and norm(iso) not in units):
            before.append(iso)  # an ISO 4217 code may stand before or after the figure in any language
        for s in before:
            if norm(s) in units and units[norm(s)] is not entry and float(u.get("factor", 1)) != 1:
                continue  # a code or symbol keeps its plain (factor 1) reading
            units[norm(s)] = entry
            forms["before"].append(norm(s))
            forms["after"].append(norm(s))  # "$ 10" and "10 $", "MAD 200" and "200 MAD"
        for s in u.get("dual", []) or []:
            units[norm(s)] = UnitEntry(entry.kind, entry.code, entry.factor, dual=True)
            forms["dual"].append(norm(s))

    qualifiers = {norm(w): q for q, ws in (data.get("qualifiers") or {}).items() for w in ws}
    qualifiers_after = {norm(w): q for q, ws in (data.get("qualifiers_after") or {}).items() for w in ws}
    # a figure stated as a change: "ارتفع بنسبة 5%", "en hausse de 3,1 %", "۱۲٫۵ درصد کاهش"
    ch = data.get("changes") or {}
    changes = {norm(w): d for d in ("increase", "decrease") for w in ch.get(d, []) or []}
    change_before_re = change_after_re = None
    if changes:
        stop = alternation([norm(w) for w in ch.get("not_across", []) or []])
        gap = rf"(?:\s+(?!(?:{stop}))[^\s\d\ue000-\ue00f.,،؛:;!?؟()]+){{0,3}}"
        change_before_re = regex.compile(rf"(?<!\w){cl}(?P<c>{alternation(list(changes))}){gap}\s*\Z", regex.IGNORECASE)
        change_after_re = regex.compile(rf"\s*(?P<c>{alternation(list(changes))})", regex.IGNORECASE)
    comps = [norm(w) for w in data.get("comparisons", []) or []]
    comparison_re = regex.compile(rf"(?<!\w){cl}(?:{alternation(comps)})", regex.IGNORECASE) if comps else None
    # verbs that bound a figure from a distance: "تجاوز عدد المشاركين 500" (verb, subject, figure)
    qualifiers_distant = {norm(w): q for q, ws in (data.get("qualifiers_distant") or {}).items() for w in ws}
    qual_distant_re = regex.compile(
        rf"(?<!\w){cl}(?P<q>{alternation(list(qualifiers_distant))})(?:\s+[^\s\d\ue000-\ue00f.,،؛:;!?؟()]+){{1,4}}\s*\Z",
        regex.IGNORECASE) if qualifiers_distant else None
    qual_before_re = regex.compile(rf"(?<!\w){cl}(?P<q>{alternation(list(qualifiers), False)})\s*\Z", regex.IGNORECASE) if qualifiers else None
    qual_after_re = regex.compile(rf"\s*,?\s*(?P<q>{alternation(list(qualifiers_after))})", regex.IGNORECASE) if qualifiers_after else None

    # months of every calendar the file knows
    months: dict[str, tuple[str, int]] = {}
    calendar_markers: dict[str, str] = {}
    year_ranges: dict[str, tuple[int, int]] = {}
    for cal, spec in ((data.get("dates") or {}).get("calendars") or {}).items():
        for num, ws in (spec.get("months") or {}).items():
            for w in ws:
                months[norm(w)] = (cal, int(num))
        for w in spec.get("markers", []) or []:
            calendar_markers[norm(w)] = cal
        yr = spec.get("years")
        if yr:
            year_ranges[cal] = (int(yr[0]), int(yr[-1]))

    duals = data.get("duals") or {}
    dual_forms: list[str] = []
    for noun in duals.get("nouns", []) or []:
        n = norm(noun)
        for fem_end, fem_sufs in (duals.get("feminine") or {}).items():
            fe = norm(fem_end)
            if n.endswith(fe):
                dual_forms += [n[: -len(fe)] + norm(s) for s in fem_sufs]
                break
        else:
            dual_forms += [n + norm(s) for s in duals.get("suffixes", []) or []]
    generic = [norm(e) for e in duals.get("generic_endings", []) or []]
    excl = [norm(e) for e in duals.get("generic_exclude", []) or []]
    min_stem = int(duals.get("min_stem", 3))

    ent = data.get("entity") or {}
    entity_skip = {norm(w) for w in ent.get("skip", []) or []}
    entity_stop = {norm(w) for w in ent.get("stop", []) or []}
    entity_re = regex.compile(r"\s*(?P<w>[\w'][\w'\-]*)", regex.IGNORECASE)

    # --- pattern macros: everything a pattern may name ---------------------
    lead_all = "".join(MASK_LEAD[k] for k in ("digits", "year", "words"))
    lc = _lead_class
    macros = {
        "num": f"(?P<num>{lc(lead_all)}{MASK_CONT}*)",
        "anynum": f"(?P<num>{lc(lead_all + MASK_LEAD['weak'])}{MASK_CONT}*)",
        "digits": f"(?P<num>{lc(MASK_LEAD['digits'] + MASK_LEAD['year'])}{MASK_CONT}*)",
        "numword": f"(?P<num>{lc(MASK_LEAD['words'] + MASK_LEAD['weak'])}{MASK_CONT}*)",
        "year": f"(?P<year>{lc(MASK_LEAD['year'])}{MASK_CONT}*)",
        "day": f"(?P<day>{lc(MASK_LEAD['digits'] + MASK_LEAD['ordinal'] + MASK_LEAD['words'] + MASK_LEAD['weak'])}{MASK_CONT}*)",
        "ordinal": f"(?P<num>{lc(MASK_LEAD['ordinal'])}{MASK_CONT}*)",
        "monthnum": f"(?P<monthnum>{lc(MASK_LEAD['digits'])}{MASK_CONT}*)",
        "month": f"(?<!\\w){cl}(?P<month>{alternation(list(months))})",
        "qual": f"(?<!\\w){cl}(?P<qual>{alternation(list(qualifiers), False)})",
        "joiner": f"(?:{alternation([norm(j) for j in data.get('unit_joiners', []) or []], False)})",
        "cl": cl,
        "and": f"(?:{alternation(connectors, True)})" if connectors else r"(?!x)x",
        "to": f"(?:{alternation([norm(w) for w in (data.get('ranges') or {}).get('to', []) or []], True)})",
        "between": f"(?<!\\w){cl}(?:{alternation([norm(w) for w in (data.get('ranges') or {}).get('between', []) or []], True)})",
        "dual": None,
        "calmark": f"(?P<calmark>{alternation(list(calendar_markers), False)})",
    }
    dual_alt = alternation(dual_forms) if dual_forms else None
    gen_alt = None
    if generic:
        # any word of min_stem letters or more with a generic dual ending, unless it opens with
        # the article or ends with an excluded word. The whole word is taken first and its
        # ending checked behind it (possessively: a shorter stretch is never a whole word);
        # a look-ahead over the word for the exclusions cost a scan of it at every word start.
        arts = [norm(a) for a in data.get("articles", []) or []]
        no_art = f"(?!(?:{alternation(arts, False)}))" if arts else ""
        no_excl = f"(?<!(?:{alternation(excl, False)}))" if excl else ""
        gen_alt = (rf"{no_art}\w{{{min_stem},}}+"
                   rf"(?<=(?:{'|'.join(regex.escape(g) for g in generic)})){no_excl}")
    dual_listed = None  # {dual} without the generic branch: what its prefixes are read from
    if dual_alt or gen_alt:
        # not an adjective agreeing with a dual noun before it (مجموعتين تعاونيتين): the noun counts
        sufs = [norm(x) for x in duals.get("suffixes", []) or []]
        after_dual = rf"(?<!(?:{'|'.join(regex.escape(x) for x in sufs)})\s)" if sufs else ""
        macros["dual"] = f"(?<!\\w){after_dual}{cl}(?P<dual>{'|'.join(x for x in (dual_alt, gen_alt) if x)})"
        if gen_alt and dual_alt:
            dual_listed = f"(?<!\\w){after_dual}{cl}(?P<dual>{dual_alt})"
    # Units next to a figure are found once per figure (extract.py) and masked like the
    # numerals, a lead character per kind: patterns name them as one token, and the
    # unit lexicon is compiled twice (after, before) instead of into every pattern.
    all_after = [w for f in unit_forms.values() for w in f["after"]]
    all_before = [w for f in unit_forms.values() for w in f["before"]]
    for kind in UNIT_KINDS:
        macros[f"unit:{kind}"] = f"(?P<unit>{lc(UNIT_LEAD[kind])}{MASK_CONT}*)"
        macros[f"unit_before:{kind}"] = f"(?P<unit>{lc(UNIT_BEFORE_LEAD[kind])}{MASK_CONT}*)"
    for kind, forms in unit_forms.items():
        macros[f"unit_dual:{kind}"] = f"(?<!\\w){cl}(?P<unit>{alternation(forms['dual'])})"
    macros["unit"] = f"(?P<unit>{lc(''.join(UNIT_LEAD.values()))}{MASK_CONT}*)"
    macros["unit_before"] = f"(?P<unit>{lc(''.join(UNIT_BEFORE_LEAD.values()))}{MASK_CONT}*)"
    macros["unit_dual"] = f"(?<!\\w){cl}(?P<unit>{alternation([w for f in unit_forms.values() for w in f['dual']])})"
    unit_after_find = regex.compile(rf"[\s\u200c]*(?:{macros['joiner']}\s*)?(?P<unit>{alternation(all_after)})",
                                    regex.IGNORECASE)
    # a code (USD) starts a word; a symbol ($, €) may follow letters (US$, usd$)
    unit_before_find = regex.compile(rf"(?:(?<!\p{{L}})(?=\p{{L}})|(?!\p{{L}}))(?P<unit>{alternation(all_before, False)})\s*\Z",
                                     regex.IGNORECASE)

    # relative time ("l'an dernier", "سال گذشته"): a date only against a reference date
    relative: dict[str, tuple[int, int, int, str]] = {}
    for item in (data.get("dates") or {}).get("relative", []) or []:
        y, mo, d = int(item.get("years", 0)), int(item.get("months", 0)), int(item.get("days", 0))
        grain = "day" if "days" in item else "month" if "months" in item else "year"
        for w in item["words"]:
            relative[norm(w)] = (y, mo, d, grain)
    if relative:
        patterns_extra = [Pattern(id="relative-time", kind="date", priority=20, relative=True, source=docs[0].path,
                                  regex=regex.compile(rf"(?<!\w){cl}(?P<rel>{alternation(list(relative))})", regex.IGNORECASE))]
    else:
        patterns_extra = []

    macro_re = regex.compile(r"\{([a-z_]+(?::[a-z_]+)?)\}")
    patterns: list[Pattern] = []
    for doc, what, item in located_items:
        if what != "pattern":
            continue
        i, pat = item
        p = ("patterns", i)

        def expand_macro(m, _doc=doc, _p=p):
            name = m.group(1)
            if name not in macros:
                if name.startswith(("unit:", "unit_before:", "unit_dual:")):
                    return r"(?!x)x"  # no unit of that kind in this language
                raise _doc.error(_p + ("match",), f"unknown macro {{{name}}}; known: {', '.join(sorted(macros))}")
            if macros[name] is None:
                return r"(?!x)x"
            return macros[name]

        # the pattern's own words are folded like the text (سنة -> سنه, début -> debut)
        src = macro_re.sub(expand_macro, normalizer(pat["match"]).text)
        try:
            rx = regex.compile(src, regex.IGNORECASE | regex.V0)
        except regex.error as exc:
            raise doc.error(p + ("match",), f"pattern {pat['id']!r}: invalid regular expression: {exc}") from None
        line, _ = doc.where(p)
        start_lits: tuple = ()
        start_ws: tuple = ()
        endings: tuple = ()
        if dual_listed and normalizer(pat["match"]).text.startswith("{dual}"):
            # a match starts where {dual} does: at a prefix of its listed forms (read from the
            # pattern with the listed branch alone) or at a word with a generic dual ending
            listed = dual_listed + macro_re.sub(expand_macro, normalizer(pat["match"]).text[len("{dual}"):])
            _, _, start_lits, start_ws = _prefix_sources(regex.compile(listed, regex.IGNORECASE | regex.V0))
            if start_lits:
                endings = tuple(sorted({e.casefold() for e in generic}))
        patterns.append(
            Pattern(
                prefix_lits=start_lits, prefix_ws=start_ws, word_endings=endings,
                id=pat["id"], kind=pat["kind"], regex=rx, priority=int(pat.get("priority", 50)),
                value=pat.get("value"), unit=pat.get("unit"), qualifier=pat.get("qualifier"),
                calendar=pat.get("calendar"), entity=bool(pat.get("entity", pat["kind"] == "count")),
                range=bool(pat.get("range", False)), sum=bool(pat.get("sum", False)),
                requires=(_check_regex(doc, p + ("requires",), macro_re.sub(expand_macro, pat["requires"]), regex.IGNORECASE)
                          if pat.get("requires") else None),
                source=doc.path, line=line,
            )
        )

    examples: list[Example] = []
    for doc, what, item in located_items:
        if what == "example":
            p, ex = item
            examples.append(Example(ex["text"], ex["claims"], doc.path, doc.where(p)[0], bool(ex.get("partial")), ex.get("note")))
        elif what == "pattern":
            i, pat = item
            for j, ex in enumerate(pat.get("examples", []) or []):
                examples.append(Example(ex["text"], ex["claims"], doc.path, doc.where(("patterns", i, "examples", j))[0], bool(ex.get("partial")), ex.get("note")))
        elif what == "unit":
            i, u = item
            for j, ex in enumerate(u.get("examples", []) or []):
                examples.append(Example(ex["text"], ex["claims"], doc.path, doc.where(("units", i, "examples", j))[0], bool(ex.get("partial")), ex.get("note")))

    detect = data.get("detect") or {}
    lang = Language(
        code=code,
        name=data.get("name", code),
        files=[d.path for d in docs],
        script=detect.get("script", "any"),
        markers=detect.get("markers", ""),
        normalizer=normalizer,
        words=words,
        units=units,
        qualifiers=qualifiers,
        qualifiers_after=qualifiers_after,
        qualifiers_distant=qualifiers_distant,
        change_before_re=change_before_re,
        change_after_re=change_after_re,
        changes=changes,
        comparison_re=comparison_re,
        comparison_words={w for c in comps for w in c.split()},
        parts={k: [norm(w) for w in v or []] for k, v in (data.get("parts") or {}).items()},
        qual_distant_re=qual_distant_re,
        negation_re=(regex.compile(rf"(?<!\w)(?:{alternation([norm(w) for w in data.get('negations', []) or []])})(?:\s+\S+){{0,2}}\s*\Z",
                                   regex.IGNORECASE) if data.get("negations") else None),
        months=months,
        relative=relative,
        relative_calendar=(data.get("dates") or {}).get("relative_calendar", "gregorian"),
        calendar_markers=calendar_markers,
        year_ranges=year_ranges,
        group_marks=group_marks,
        decimal_marks=decimal_marks,
        units_before_tens=bool(nums.get("units_before_tens", False)),
        connectors=set(connectors),
        suffix_scales=suffixes,
        decimal_words={norm(w) for w in nums.get("decimal_words", []) or []},
        over_words={norm(w) for w in nums.get("over_words", []) or []},
        negative_words={norm(w) for w in nums.get("negative_words", []) or []},
        construct_fractions={norm(w): float(v) for v, ws in (nums.get("construct_fractions") or {}).items() for w in ws},
        part_words=[norm(w) for w in nums.get("part_words", []) or []],
        one_in_words={norm(w) for w in nums.get("one_in_words", []) or []},
        teens_after={float(x) for x in nums.get("teens_after", []) or []},
        numeral_re=numeral_re,
        numeral_anchor=(rf"[0-9]+|(?:{alternation(tokens, False)})" if tokens else "[0-9]+"),
        numeral_anchor_back=max([2, *(len(c) for c in clitics)]),
        not_number_prefixes=_prefix_sources(not_number_re),
        qual_before_last=last_chars(qual_before_re.pattern) if qual_before_re is not None else None,
        qual_distant_prefixes=_prefix_sources(qual_distant_re),
        change_before_prefixes=_prefix_sources(change_before_re),
        numeral_word_start=(rf"[0-9]+|(?<!\w){cl}(?:{alternation(tokens, False)})" if tokens else "[0-9]+"),
        # a numeral starts with the first word of a lexicon entry: only those anchor it
        numeral_tokens=tuple(sorted({regex.split(r"[\s\-\u200c]+", w)[0] for w in words} - {""})),
        numeral_digit_lead="-" + dec,
        ordinal_suffix_re=ordinal_suffix_re,
        not_number_re=not_number_re,
        qual_before_re=qual_before_re,
        qual_after_re=qual_after_re,
        entity_re=entity_re,
        entity_skip=entity_skip,
        entity_stop=entity_stop,
        entity_stop_prefixes=tuple(norm(w) for w in ent.get("stop_prefixes", []) or []),
        entity_max=int(ent.get("max_words", 2)),
        patterns=sorted(patterns + patterns_extra, key=lambda x: -x.priority),
        examples=examples,
        clitics=tuple(clitics),
        articles=tuple(norm(a) for a in data.get("articles", []) or []),
    )
    lang.to_after_re = regex.compile(rf"\s*(?:{macros['joiner']}\s*)?(?:{macros['unit']}\s*)?(?:{macros['to']})\s*[{''.join(MASK_LEAD.values())}]",
                                     regex.IGNORECASE)
    lang.unit_after_re = unit_after_find
    # "14 شهر شباط", "900 مليون سنة 2022": a time word before a month or a year names it
    lang.unit_not_before_re = regex.compile(rf"\s*(?:{macros['month']}|{MASK_LEAD['year']})", regex.IGNORECASE)
    lang.unit_before_re = unit_before_find
    lang.unit_before_last = last_chars(unit_before_find.pattern)
    lang.counts = {
        "number words": len(words),
        "units": len(units),
        "qualifiers": len(qualifiers) + len(qualifiers_after),
        "months": len(months),
        "patterns": len(patterns),
        "examples": len(examples),
    }
    return lang


class Rulebook:
    """All languages, compiled on first use (only the languages a run needs)."""

    def __init__(self, extra_dirs: list[str | Path] | None = None):
        self.sources = rule_sources(extra_dirs)
        self._cache: dict[str, Language] = {}
        self._loaded: dict[str, list[Located]] = {}
        self._common: list[Located] | None = None

    @property
    def languages(self) -> list[str]:
        return sorted(k for k in self.sources if k != "common")

    def _docs(self, stem: str) -> list[Located]:
        if stem not in self._loaded:
            self._loaded[stem] = [load_yaml(p) for p in self.sources.get(stem, [])]
        return self._loaded[stem]

    def check_all(self) -> None:
        """Read and shape-check every rule file (cheap: nothing is compiled), so that a
        malformed file stops a run before any output; patterns compile on first use."""
        for stem in self.sources:
            for doc in self._docs(stem):
                RULE_FILE.check(doc, doc.data, ())

    def detect_hints(self, code: str) -> tuple[str, str]:
        """(script, marker characters) of a language, without compiling its rules."""
        if code in self._cache:
            return self._cache[code].script, self._cache[code].markers
        docs = self._docs(code)
        detect = {}
        for d in docs:
            if isinstance(d.data, dict) and isinstance(d.data.get("detect"), dict):
                detect = d.data["detect"]
        return str(detect.get("script", "any")), str(detect.get("markers", ""))

    def info(self, code: str) -> LanguageInfo:
        """A language's name, direction, numbering system and script, from its files' heads,
        without compiling its rules (the HTML report, language lists)."""
        meta: dict[str, Any] = {}
        for d in self._docs(code):
            if isinstance(d.data, dict):
                meta.update({k: d.data[k] for k in ("name", "direction", "numbering") if k in d.data})
        script, _ = self.detect_hints(code)
        return LanguageInfo(code, str(meta.get("name", code)), str(meta.get("direction", "ltr")),
                            str(meta.get("numbering", "latn")), script)

    def language(self, code: str) -> Language:
        if code not in self._cache:
            if code not in self.sources or code == "common":
                raise KeyError(code)
            cache = _compiled_path([*self.sources[code], *self.sources.get("common", [])])
            lang = _load_compiled(cache)
            if lang is not None:
                self._cache[code] = lang
                return lang
            if self._common is None:
                self._common = self._docs("common")
            docs = self._docs(code)
            declared = docs[0].data.get("language") if docs and isinstance(docs[0].data, dict) else None
            if declared is not None and declared != code:
                raise docs[0].error(("language",), f"file declares language {declared!r} but is named {code!r}")
            self._cache[code] = compile_language(code, docs + self._common)
            _save_compiled(cache, self._cache[code])
        return self._cache[code]


# A compiled language is kept in the user's cache directory: the `regex` module parses
# patterns in Python (tens of milliseconds for a language), while a pickled pattern holds
# its compiled code and loads in microseconds. The key covers everything the result
# depends on: the rule files (paths and bytes), the engine's source, and the versions of
# Python and `regex`; an entry that cannot be read or written is simply not used.
_KEEP_COMPILED = 32  # compiled languages kept in the cache (about 100 KB each)
# what a compiled language is made by: every module of these packages (named by folder, not
# file by file, so that a module added or moved is in the key too)
_ENGINE_PACKAGES = ("rulebook", "text", "engine")


def _compiled_path(paths: list[Path]) -> Path | None:
    base = _cache_dir()
    if base is None:
        return None
    import hashlib
    import sys

    h = hashlib.sha256(f"{sys.version}|{regex.__version__}|".encode())
    package = Path(__file__).resolve().parents[1]
    try:
        for sub in _ENGINE_PACKAGES:
            for module in sorted((package / sub).glob("*.py")):
                h.update(module.name.encode() + b"\0" + module.read_bytes())
        for p in paths:
            h.update(str(p).encode("utf-8", "surrogateescape") + b"\0")
            h.update(Path(p).read_bytes())
    except OSError:
        return None  # an unreadable file: compiling will say which
    return base.parent / "compiled" / (h.hexdigest() + ".pickle")


def _load_compiled(cache: Path | None) -> Language | None:
    if cache is None:
        return None
    import pickle

    try:
        lang = pickle.loads(cache.read_bytes())
    except Exception:  # no entry yet, or a damaged one: compile
        return None
    return lang if isinstance(lang, Language) else None


def _save_compiled(cache: Path | None, lang: Language) -> None:
    if cache is None:
        return
    import os
    import pickle

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(lang, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache)
        # every edit of a rule file or of the engine leaves an entry: keep the latest few
        entries = sorted(cache.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-_KEEP_COMPILED]:
            old.unlink(missing_ok=True)
    except (OSError, RecursionError, pickle.PicklingError, TypeError, AttributeError):
        pass  # no cache this time


_DEFAULT: dict[tuple, Rulebook] = {}


def get_rulebook(extra_dirs: list[str | Path] | None = None) -> Rulebook:
    key = tuple(str(x) for x in (extra_dirs or []))
    if key not in _DEFAULT:
        _DEFAULT[key] = Rulebook(extra_dirs)
    return _DEFAULT[key]
