"""A compiled language: what the engine reads off the rule files, grouped by what uses it.

- :class:`NumberRules`: the numeral lexicon and its regexes (engine/numbers.py);
- the unit table (``Language.units``) and :class:`UnitRules`, the regexes that find a unit
  next to a figure;
- :class:`ContextRules`: qualifiers, changes, comparisons and the counted noun around a claim;
- :class:`DateRules`: months of every calendar, calendar markers, plausible years, relative time;
- the patterns and the worked examples.

Every regex here is compiled from the rule files by the small compilers of this package
(compile_*.py); nothing in this module knows a language.

The classes that hold compiled regexes are compared by identity (``eq=False``): two of them are
never compared by value, and the generated ``__eq__`` of a class of forty fields is the costliest
part of making it, which every start of the command line pays.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import regex

from coopfacts.rulebook.lazy_fields import LazyFields
from coopfacts.rulebook.masks import LEADS, MASK_CONT, NEIGHBOUR_ANY, cased_beyond_ascii
from coopfacts.rulebook.prefixes import (
    K,
    after_one,
    first_line_needs,
    follow_chars,
    held_literals,
    line_or_after,
    literal_prefixes,
    precede_chars,
    prefix_regex,
    starts_at_line,
    starts_at_word,
    word_start_prefixes,
)
from coopfacts.rulebook.regexes import exact_key, key
from coopfacts.text.normalize import Normalizer

Regex = Any  # a compiled `regex` pattern (the module ships no type information)


@dataclass(frozen=True)
class LanguageInfo:
    """What a reader of a language's text needs besides its rules."""

    code: str
    name: str
    direction: str  # rtl | ltr
    numbering: str  # the language's own digits, as CLDR names the numbering system: latn, arab, arabext
    script: str  # a Unicode script name (arabic, latin…), or any


class DetectHints(NamedTuple):
    """How a language is recognised in a text (engine/langdetect.py)."""

    script: str  # a Unicode script name (arabic, latin…), or any
    markers: str  # characters that point to this language over others of its script
    fallback: bool = False  # the language of a text with no letter of any script
    words: tuple[str, ...] = ()  # its commonest short words (function words), looked for whole
    fold: dict[str, str] = {}  # its one-for-one letter folds (normalize.fold), applied before the words


@dataclass
class WordEntry:
    value: float
    role: str  # word | multiplier | plural_multiplier | scale | plural_scale | dual_scale | fraction | approx
    #            | weak | ordinal


@dataclass
class UnitEntry:
    kind: str
    code: str | None  # None: a currency word with no reading but by evidence, none found (unknown currency)
    factor: float = 1.0
    dual: bool = False
    context: tuple[str, ...] = ()  # words that, at a word's start in the document, point to this reading
    countries: tuple[str, ...] = ()  # names of the countries that use it (whole names)
    not_before: Any = None  # a regex of the words after it that make it no unit (تن از: persons)
    not_after: Any = None  # a regex of the words earlier in its clause that do (شمار … تن: persons)
    minor_digits: int = 2  # money: digits of the currency's minor unit ("15 dollars 50" is 15.50)
    # a word that is money only by evidence ("livres" in a story about Lebanon; books elsewhere)
    evidence_only: bool = False
    # its evidence may stand anywhere in the text, not only in its paragraph (`unambiguous`: a word
    # that is money whatever its country, 8 فلوس, where only which currency needs evidence)
    evidence_in_text: bool = False
    alternatives: list[UnitEntry] = field(default_factory=list)  # readings of the same word, by evidence
    # its context words and country names together: which mention names it is asked once for each
    # mention of every reading of every currency word in a text (a set, not the tuples' scan)
    names: frozenset[str] = field(init=False, repr=False, compare=False, default=frozenset())

    def __post_init__(self) -> None:
        self.names = frozenset(self.context) | frozenset(self.countries)


@dataclass
class Example:
    text: str
    claims: list[dict[str, Any]]
    source: str
    line: int | None
    partial: bool = False
    note: str | None = None


class Prefixes(NamedTuple):
    """What a regex can start with, when that is words (prefixes.py), for searching it only
    where it can match: ``source`` and ``folded`` are `re` sources of the prefixes as written and
    case-folded; ``literals`` the prefixes themselves, case-folded, for the automaton; and
    ``word_start`` those of them that start a match only at a word start."""

    source: str = ""
    folded: str = ""
    literals: tuple[str, ...] = ()
    word_start: tuple[str, ...] = ()


NO_PREFIXES = Prefixes()
AUTOMATON_PREFIXES = 1000  # a pattern's prefixes for the automaton: shortened until they are no more
# the groups of a pattern whose extent is its claim's; `extent`: words of the claim with no value
# of their own (ثلاث مرات: "times" after a multiple)
SPAN_GROUPS = ("num", "unit", "dual", "year", "month", "monthnum", "day", "calmark", "extent", "frac")


def prefixes_of(rx: Regex | None) -> Prefixes:
    """The prefixes of a compiled regex, or none when it starts with masked figures or with
    anything at all."""
    if rx is None:
        return NO_PREFIXES
    found = literal_prefixes(rx.pattern)
    if not found or any("\ue000" <= p[0] <= "\ue01f" for p in found):
        return NO_PREFIXES
    # the automaton is not slowed by long strings, and a longer prefix is a rarer one: it
    # gets them up to 16 characters where there are not too many. But it is built at every
    # start, in time that grows with its strings: a pattern whose long prefixes are many (a
    # dual of every noun, with its clitics and article) gets them as long as keeps them few
    longer = literal_prefixes(rx.pattern, 16) or ()
    k, cut = K, {p.casefold() for p in found}
    for length in (16, 12, 10, 8):
        cut_here = {p[:length].casefold() for p in longer}
        if cut_here and len(cut_here) <= AUTOMATON_PREFIXES:
            k, cut = length, cut_here
            break
    lits = tuple(sorted(cut))
    return Prefixes(prefix_regex(found), prefix_regex(tuple(sorted({p.casefold() for p in found}))),
                    lits, tuple(sorted(word_start_prefixes(rx.pattern, k) & set(lits))))


@dataclass(eq=False)
class Pattern(LazyFields):
    LAZY = ("regex",)  # unpickled when the pattern is first searched (lazy_fields.py)

    id: str
    kind: str
    regex: Regex
    priority: int
    value: Any = None
    unit: str | None = None
    qualifier: str | None = None
    calendar: str | None = None
    entity: bool = False
    range: bool = False
    list: bool = False  # "15, 25 et 50 francs": figures that share the unit written after the last; no range
    sum: bool = False  # "20 dollars et 43 cents": the figures add up (each times its unit)
    fraction: bool = False  # its figure must be a fraction in words (deux tiers, ثلثي, یک‌سوم)
    inverse: bool = False  # the value is one over the figure (divisé par deux: 0.5)
    scaled: bool = False  # a range kept only where its first end takes the scale of its last (2 à 3 millions)
    short_year: int | None = None  # a date of two digits is a year of this century (سال ۹۸: 1300 + 98)
    max_value: float | None = None  # the figure (group num) may be at most this, else no match
    min_value: float | None = None  # ... and at least this (the tens among the ordinals: العشرين)
    min_words: int = 1  # the figure (group num) is written in at least this many words (دو سوم, not نیم)
    fractional: bool = False  # the figure (group num) has a fractional part (0,3 point, not 3 points)
    requires: Regex | None = None  # a quick regex that must occur in the text for the pattern to run
    relative: bool = False  # relative time: resolved only against a reference date
    source: str = ""
    line: int | None = None
    span_groups: tuple[str, ...] = ()  # the groups of `regex` whose extent is the claim's (num, unit, year…)
    prefix_src: str = ""  # a pattern that starts with words: `re` source of what it starts with
    prefix_folded: str = ""  # the same, case-folded (prefixes.Caseless)
    prefix_lits: tuple[str, ...] = ()  # the prefixes themselves, case-folded (literals.LiteralScan)
    # or the match starts a word that ends with one of these (case-folded): {dual}'s generic
    # branch, any word with a dual ending, has no prefixes to find but a few endings
    word_endings: tuple[str, ...] = ()
    prefix_ws: tuple[str, ...] = ()  # those of prefix_lits that start a match only at a word start
    line_start: bool = False  # a match starts only where a line does ((?m)^…)
    line_needs: str = ""  # …and holds one of these before its first line feed (prefixes.first_line_needs)
    after_re: Regex | None = None  # …or right after what this finds (prefixes.line_or_after: `[|•·]\s*`);
    # without line_start: a match starts only right after what this finds (prefixes.after_one: `\(`)
    word_start: bool = False  # a match starts only where a word does ((?<!\w)…)
    lead_chars: str = ""  # a pattern that starts with a masked figure or unit: its lead characters
    # what a match of `requires` starts with, case-folded (none: unknown): where the automaton finds
    # none of them in a text, the pattern is skipped without its `requires` search
    requires_lits: tuple[str, ...] = ()
    # (a pattern that may start with either has both: prefix_lits and lead_chars)
    # sets of strings, case-folded, of which every match holds one of each (prefixes.held_literals):
    # where the automaton finds none of a set in a text, the pattern is not searched there
    held: tuple[tuple[str, ...], ...] = ()
    # a pattern tried at masked figures: the characters one of its matches can have first after
    # its figure (past the figure's continuation characters and white space), both cases of an
    # ASCII letter; "": any (prefixes.follow_chars). The engine skips the figures followed by
    # anything else
    follow: str = ""
    # …and the characters that can come last before one of its matches, past white space, as a
    # look-behind every match passes first reads it (prefixes.precede_chars); "": any
    precede: str = ""

    @property
    def follow_set(self) -> frozenset[str]:
        """``follow`` as a set, with the mark of a neighbour that may be anything (search.py)."""
        return self._as_set("follow")

    @property
    def precede_set(self) -> frozenset[str]:
        return self._as_set("precede")

    def _as_set(self, name: str) -> frozenset[str]:
        found = self.__dict__.get("_set_" + name)
        if found is None:
            found = self.__dict__["_set_" + name] = frozenset(getattr(self, name)) | {NEIGHBOUR_ANY}
        return found

    def __post_init__(self) -> None:
        if self.regex is None:
            return
        if not self.held:
            self.held = held_literals(self.regex.pattern)
        if self.requires is not None and not self.requires_lits:
            needed = literal_prefixes(self.requires.pattern)
            self.requires_lits = tuple(sorted({p.casefold() for p in needed})) if needed else ()
        if not self.span_groups:
            self.span_groups = tuple(g for g in SPAN_GROUPS if g in self.regex.groupindex)
        # a pattern that starts a line is tried at line starts (those holding what its first
        # line needs); its prefixes, if it has any, are spaces and the like
        multiline = bool(self.regex.flags & regex.MULTILINE)
        self.line_start = self.line_start or starts_at_line(self.regex.pattern, multiline)
        if not self.line_start and self.after_re is None:
            after = line_or_after(self.regex.pattern, multiline)
            if after is not None:  # a line start, or right after one of these characters and spaces
                self.line_start = True
                self.after_re = regex.compile(after + r"\s*", self.regex.flags & ~regex.MULTILINE)
        if self.line_start:
            self.line_needs = first_line_needs(self.regex.pattern) or ""
            self.word_start = starts_at_word(self.regex.pattern)
            return
        if self.after_re is None and not self.prefix_src and not self.prefix_lits and not self.word_endings:
            after = after_one(self.regex.pattern)
            if after is not None:  # (?<=\(): tried right after each such sign
                self.after_re = regex.compile(after, self.regex.flags & ~regex.MULTILINE)
                self.word_start = starts_at_word(self.regex.pattern)
                return
        if not self.prefix_src and not self.prefix_lits and not self.word_endings:
            # patterns that start with a masked numeral or unit are found fast by `regex`
            # itself; those that start with words may be tried only where their prefixes are
            self.prefix_src, self.prefix_folded, self.prefix_lits, self.prefix_ws = prefixes_of(self.regex)
        if not self.prefix_src and not self.lead_chars and not self.prefix_lits:
            found = literal_prefixes(self.regex.pattern)
            firsts = {p[0] for p in found or ()}
            if firsts and all(c in LEADS for c in firsts):
                self.lead_chars = "".join(sorted(firsts))
            elif firsts & set(LEADS):  # "+33 …" or a figure: both kinds of start
                self.lead_chars = "".join(sorted(firsts & set(LEADS)))
                self.prefix_lits = tuple(sorted({p.casefold() for p in found or () if p[0] not in LEADS}))
        if self.lead_chars and not self.prefix_lits and not self.follow and not self.precede:
            self.follow = _both_cases(follow_chars(self.regex.pattern, LEADS, MASK_CONT))
            self.precede = _both_cases(precede_chars(self.regex.pattern, LEADS))
        self.word_start = starts_at_word(self.regex.pattern)


def _both_cases(chars: str | None) -> str:
    """``chars`` with both cases of each ASCII letter; "" (no filter) for None or for a letter
    with case outside ASCII (whose case partners Unicode does not make plain: ſ is an s, K a k)."""
    if chars is None or any(cased_beyond_ascii(c) for c in chars):
        return ""
    return "".join(sorted({v for c in chars for v in (c, c.lower(), c.upper())}))


@dataclass(eq=False)
class NumberRules:
    """The numeral lexicon: words with their values and roles, marks, and the regexes built from them."""

    words: dict[str, WordEntry]
    group_marks: str
    decimal_marks: str
    reversed_marks: str  # a mark between a figure's parts typed in reverse order (3ر10 is 10.3)
    units_before_tens: bool  # Arabic order: خمسة وعشرون (5 + 20)
    ordinal_denominators: bool  # Persian: a number word before an ordinal is a fraction (دو سوم = 2/3)
    teens_after: set[float]  # French: soixante-dix, quatre-vingt-dix
    connectors: set[str]
    suffix_scales: dict[str, float]  # 100K, 1,2M
    decimal_words: set[str]  # virgule
    over_words: set[str]  # sur, على: a fraction
    negative_words: set[str]  # سالب
    negative_not_after: set[str]  # au (moins): the word before it makes the minus word no minus
    construct_fractions: dict[str, float]  # خمس before a definite noun is a fifth, not five
    part_words: list[str]  # "جزء من مئة": one part of a hundred
    one_in_words: set[str]  # "واحد من ثلاثة": one in three, a proportion
    # what may follow an ordinal read as a denominator (un cinquième des élus): these words, a mark
    # or the end; another word makes it an ordinal (un troisième mandat). None: anything may
    denominator_after_re: Regex | None
    numeral_re: Regex
    approx_scale_re: Regex | None  # after an approximate number: "de milliers" (a joiner, a plural scale)
    ordinal_suffix_re: Regex | None
    not_number_re: Regex | None
    not_number_prefixes: Prefixes
    anchor: str  # where a numeral may be: digits or a word of a number phrase (numbers.scan)
    anchor_back: int  # how far before an anchor a numeral may start (a clitic, a sign)
    word_start: str  # digits, or a clitic and a word of a number phrase at a word start
    tokens: tuple[str, ...]  # the first words of the number phrases (where a numeral in words starts)
    digit_lead: str  # what a figure in digits may start with before its digits (-5, .77)
    # "3 آلاف و500" is 3500; false: digits after a scale and a connector start a new figure
    digits_join_scales: bool = True
    # the only words a connector joins to a hundred or a scale before it (French "et": cent et
    # un, un million et demi); before any other, the connector starts a new number ("entre cent
    # et deux cents", "entre mille et deux mille"); none listed: it joins every word
    connector_joins: frozenset[str] = frozenset()
    # a scale's form that is also its dual before a noun (Arabic ألفا: عشرون ألفا is 20 000, ألفا
    # شخص 2 000): alone and right before a word, not one of ``construct_not_before``, it is two
    construct_duals: frozenset[str] = frozenset()
    construct_not_before: frozenset[str] = frozenset()
    # "two point zero three" is 2.03: after a decimal word, digit words are read one digit each,
    # and a scale word after them scales the whole ("two point two million"); false: as one number
    decimal_words_spell_digits: bool = False
    # "200 dozen", "two hundred dozen": an approximate word multiplies a number of any size before
    # it (never a year: "in 2020 dozens of"); false: only a smaller one ("trois centaines")
    approximate_after_any: bool = False
    # ordinals in the plural (fifths, thirds): each is the denominator of the whole number before
    # it ("one hundred and thirty fifths" = 130/5, "a hundred thousand trillionths"), unless
    # hyphened to a ten as one word ("thirty-fifths"); none listed: today's reading
    plural_ordinals: frozenset[str] = frozenset()
    # "3 USD50 cards", "1 $10 bill": a sign or code glued to the figure after it is that
    # figure's, not the one before it across a space
    glued_sign_goes_forward: bool = False
    # 12,34,567.89: South Asian grouping, two digits a group before the last three (lakh, crore)
    lakh_groups: bool = False
    # "forty-five (45) days": a figure in words restated in digits in brackets is one number
    restated_in_brackets: bool = False
    # "1.3x10^6": a figure times a power of ten, as science writes it
    times_ten_powers: bool = False
    # "322 hundred", "2.12 hundred": digits of any size before a multiplier (never a year)
    digits_times_multiplier: bool = False
    # "two thirds of a million": a fraction, a scale joiner, then a scale is that share of it
    fraction_of_scale: bool = False
    scale_joiner_words: frozenset[str] = frozenset()  # numbers.scale_joiners, keyed
    # "three out of ten": a share, one number only when it is no more than its whole ("12 out of 10"
    # is two numbers)
    share_words: frozenset[str] = frozenset()


@dataclass(eq=False)
class UnitRules:
    """Finding the unit written right after a figure, or right before it ($, MAD), and the
    evidence that chooses among the readings of a shared word (dinar, dollar)."""

    after_re: Regex  # anchored at the figure's end
    before_re: Regex  # searched up to the figure's start
    before_last: str | None  # what a unit before a figure can end with
    not_before_re: Regex  # what may not follow a time unit (a month name, a year)
    # any `context` word, whole or with one of `context_endings` (clitics and article allowed)
    context_re: Regex | None = None
    countries_re: Regex | None = None  # any country name, whole


@dataclass(eq=False)
class ContextRules:
    """What stands around a claim: its qualifier, whether it is a change or compared with another
    figure, and the noun it counts."""

    qualifiers: dict[str, str]
    qualifiers_after: dict[str, str]
    qualifiers_distant: dict[str, str]
    qual_before_re: Regex | None
    qual_before_last: str | None  # what a qualifier before a figure can end with
    qual_after_re: Regex | None
    qual_distant_re: Regex | None
    qual_distant_prefixes: Prefixes
    negation_re: Regex | None  # "لا يتجاوز": a negated bound turns over
    changes: dict[str, str]
    change_before_re: Regex | None
    change_before_prefixes: Prefixes
    change_after_re: Regex | None
    to_after_re: Regex | None  # "… 480 إلى 1245": the figure is where a change started
    margin_re: Regex | None  # "بأربعة أضعاف" after يفوق: the margin it exceeds by, no bound
    from_before_re: Regex | None  # "de", "من", "از" right before the first figure of a from… to pair
    to_before_re: Regex | None  # "à", "إلى" right before a figure (a level reached)
    comparison_re: Regex | None
    comparison_words: set[str]
    entity_re: Regex
    entity_skip: set[str]
    entity_stop: set[str]
    entity_stop_prefixes: tuple[str, ...]
    entity_max: int
    # number words in a form that closes their phrase (Arabic مليونا, with the accusative ending):
    # the word after them is no counted noun, unless a skip word (من) leads to one
    entity_closing: frozenset[str] = frozenset()
    sum_words_re: Regex | None = None  # a noun naming a sum of money (budget, مبلغ), at a word's start
    part_gap_re: Regex | None = None  # a part marker alone between a sum and a figure (`, dont`, `، منها`)
    count_words_re: Regex | None = None  # a noun naming a count (nombre, عدد)
    conversion_re: Regex | None = None  # words that make the sum after them another's conversion (ما يعادل)
    phrase_starts_re: Regex | None = None  # a word after a figure that begins a phrase, no counted noun (للتعليم)
    amount_nouns_re: Regex | None = None  # a noun naming an amount right before a figure (مبلغ 100 ألف)
    more_words_re: Regex | None = None  # a word of addition right after a figure (۳۵۰ میلیارد دیگر)
    whole_gap_re: Regex | None = None  # the words alone between a part and its whole (من أصل, sur un total de)
    # a word after a figure that bounds it only with a word before the figure (از … گذشت): word -> that word's regex
    qual_after_needs: dict[str, Regex] = field(default_factory=dict)


@dataclass(eq=False)
class DateRules:
    months: dict[str, tuple[str, int]]  # month name -> (calendar, number)
    calendar_markers: dict[str, str]  # هـ, ه.ش -> calendar
    year_ranges: dict[str, tuple[int, int]]  # calendar -> plausible years
    relative: dict[str, tuple[int, int, int, str]]  # words -> (years, months, days, grain)
    relative_calendar: str
    alone: tuple[str, ...] = ()  # the calendars a year written alone may be in (its plausible years decide)


@dataclass(eq=False)
class Language(LazyFields):
    LAZY = ("examples",)  # read only by `coopfacts rules test` and the tests

    code: str
    name: str
    files: list[str]
    script: str
    markers: str
    normalizer: Normalizer
    numbers: NumberRules
    units: dict[str, UnitEntry]
    unit_rules: UnitRules
    context: ContextRules
    dates: DateRules
    patterns: list[Pattern]
    examples: list[Example]
    clitics: tuple[str, ...] = ()  # normalised one-letter proclitics and their pairs (و, ف, ب…)
    articles: tuple[str, ...] = ()  # the definite article as a prefix (ال), for `check`'s label matching
    parts: dict[str, list[str]] = field(default_factory=dict)  # part/whole words, for `check`
    check: dict[str, list[str]] = field(default_factory=dict)  # from/to, wholes, generic nouns... for `check`
    counts: dict[str, int] = field(default_factory=dict)

    def key(self, s: str) -> str:
        """Lookup key of a matched (already normalised) stretch of text."""
        return key(s)

    def unit_key(self, s: str) -> str:
        """Lookup key in ``units`` of a matched unit word: as written where a unit is read only so
        (``case_sensitive``: mD is not MD), else case-folded."""
        exact = exact_key(s)
        return exact if exact in self.units else key(s)
