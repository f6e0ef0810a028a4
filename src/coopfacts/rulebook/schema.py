"""The shape of a rule file: every section and key, with the type of its value.

A rule file is untrusted input: its shape is checked before anything is compiled, and every
problem is reported as ``file:line:col: what was expected`` (shapes.py).
"""
from __future__ import annotations

from typing import Any

from coopfacts.model import CALENDARS, CLAIM_KINDS, QUALIFIERS
from coopfacts.rulebook.shapes import Bool, Either, ListOf, Located, MapOf, Num, Obj, OneOf, Shape, Str

KINDS = (*CLAIM_KINDS, "ignore")  # a pattern of kind `ignore` consumes numbers that are no claims

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
        "before_only": Bool(),  # its `before` words are read only before a figure (بنسبة 12%, never 12 بنسبة)
        # its words are read only as written, capitals and small letters apart (MD millions, mD thousands)
        "case_sensitive": Bool(),
        # its words are money (or this kind) wherever they stand: the country named anywhere in the
        # text chooses among its readings, not only in its paragraph (فلس: a fils of whichever dinar)
        "unambiguous": Bool(),
        "dual": _words,
        "glued": _words,  # its words of one letter that may be typed against the figure (5c, 20p)
        "factor": Num(minimum=0),
        "context": _words,  # words that, at a word's start in the document, point to this reading
        "countries": _words,  # the countries that use it, whole names: the one the story is about wins
        "not_before": _words,  # words after it that make it another word (تن از: persons, not tonnes)
        "not_before_except": _words,  # ... unless these words follow (تن از طریق واردات: tonnes still)
        "not_in_clause": _words,  # words later in its clause that do (۲۳ تن ... جان باختند: persons)
        "not_after_in_clause": _words,  # words earlier in its clause that do (شمار ... ۳۰۰ تن: persons)
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
        "list": Bool(),  # a list of figures that share the unit after its last (each its own claim, no range)
        "sum": Bool(),
        "fraction": Bool(),
        "inverse": Bool(),  # the claim's value is one over the figure (divisé par deux: a factor of 0.5)
        "scaled": Bool(),  # a range: only where its first end takes the scale written after its last
        "short_year": Num(minimum=0),  # a year written with two digits is this plus them (1300: سال ۹۸ = 1398)
        "max_value": Num(),  # the figure may be at most this (a footnote marker: a small number)
        "min_value": Num(),  # ... at least this (an ordinal's form that is also a ten's: العشرين)
        "min_words": Num(integer=True, minimum=1),  # the figure is written in at least so many words (دو سوم)
        "fractional": Bool(),  # the figure has a fractional part (0,3 point: percentage points)
        "requires": Str(),
        "note": Str(),
        "examples": _examples,
    },
    required=("id", "kind", "match"),
    name="a pattern",
)
_scale = Obj({"singular": _words, "plural": _words, "dual": _words, "restated": _words}, name="a scale")
_calendar = Obj(
    {"months": MapOf(Num(integer=True, minimum=1), _words), "markers": _words, "years": ListOf(Num(integer=True)),
     "alone": Bool()},  # alone: false: a year written alone, with no marker or month, is never in this calendar
    name="a calendar",
)
RULE_FILE = Obj(
    {
        "language": Str(),
        "name": Str(),
        "direction": OneOf("rtl", "ltr"),
        "numbering": Str(),
        "note": Str(),
        "detect": Obj({"script": Str(), "markers": Str(), "words": _words, "fallback": Bool()},
                      name="detection hints"),
        "normalize": Obj({"fold": MapOf(Str(), Str()), "expand": MapOf(Str(), Str(nonempty=False))}),
        "clitics": _words,
        "verb_clitics": _words,  # the clitics a verb takes (و, ف): لقارب is "for a boat", no verb
        "articles": _words,
        # the endings a currency's context word may carry inside its word, by how the word ends
        # ("" for any word): عراقي → عراقية, عراقيين; any other letters make it another word
        "context_endings": MapOf(Str(nonempty=False), _words),
        "numbers": Obj(
            {
                "group_marks": ListOf(Str(nonempty=False)),
                "decimal_marks": ListOf(Str()),
                "units_before_tens": Bool(),
                "ordinal_denominators": Bool(),
                "digits_join_scales": Bool(),
                "decimal_words_spell_digits": Bool(),
                "approximate_after_any": Bool(),
                "plural_ordinals": _words,
                "glued_after": _words,
                "glued_sign_goes_forward": Bool(),
                "lakh_groups": Bool(),
                "restated_in_brackets": Bool(),
                "times_ten_powers": Bool(),
                "digits_times_multiplier": Bool(),
                "fraction_of_scale": Bool(),
                "share_words": _words,
                "teens_after": ListOf(Num(integer=True)),
                "words": MapOf(Num(), _words),
                "weak": _words,
                "multipliers": MapOf(Num(), _words),
                "plural_multipliers": MapOf(Num(), _words),
                "scales": MapOf(Num(), _scale),
                "fractions": MapOf(Num(), _words),
                "approximate": MapOf(Num(), _words),
                "definite": MapOf(Num(integer=True), _words),
                "connectors": _words,
                "connector_joins": _words,
                "construct_duals": _words,
                "construct_not_before": _words,
                "not_numbers": _words,
                "not_number_patterns": ListOf(Str()),
                "fuse_with": _words,
                "suffix_scales": MapOf(Str(), Num()),
                "exponents": Bool(),
                "decimal_words": _words,
                "over_words": _words,
                "negative_words": _words,
                "negative_not_after": _words,
                "construct_fractions": MapOf(Num(), _words),
                "part_words": _words,
                "scale_joiners": _words,
                "reversed_marks": _words,
                "one_in_words": _words,
                "denominator_before": _words,
                "ordinal_suffixes": _words,
                "ordinals": MapOf(Num(integer=True), _words),
                "examples": _examples,
            }
        ),
        "units": ListOf(_unit),
        "unit_joiners": _words,
        "countries_not_after": _words,  # a country or context word after these (من: from) is no evidence of a currency
        "ranges": Obj({"between": _words, "to": _words}, name="range words"),
        "qualifiers": MapOf(OneOf(*QUALIFIERS), _words),
        "qualifiers_after": MapOf(OneOf(*QUALIFIERS), _words),
        "negations": _words,
        "margins": _words,  # words right before a figure that make it a distant verb's margin, no bound
        "not_negations": _words,
        "changes": Obj({"increase": _words, "decrease": _words, "not_across": _words, "not_after": _words},
                       name="change words"),
        "comparisons": _words,
        "parts": Obj({"part_before": _words, "whole_after": _words, "share_after": _words},
                     name="part and whole words"),
        "qualifiers_distant": MapOf(OneOf(*QUALIFIERS), _words),
        "check": Obj({"from": _words, "to": _words, "whole_before": _words, "generic_nouns": _words,
                      "set_apart": _words, "times": _words, "link": _words, "and": _words,
                      "compare": _words, "remainder": _words, "cross_nouns": _words,
                      "over_100": _words, "part_after": _words, "named_bases": _words,
                      "spans": _words, "part_not_after": _words, "possessive_endings": _words,
                      "averages": _words},
                     name="the words `coopfacts check` reads to relate figures"),
        "sums": Obj({"money_words": _words, "count_words": _words, "phrase_starts": _words, "amount_nouns": _words,
                     "more_words": _words, "conversion_words": _words, "examples": _examples},
                    name="words that make a bare figure a sum or a count"),
        "entity": Obj({"skip": _words, "stop": _words, "stop_prefixes": _words, "closing_forms": _words,
                       "max_words": Num(integer=True, minimum=0), "examples": _examples}),
        "duals": Obj(
            {
                "nouns": _words,
                "suffixes": _words,
                "feminine": MapOf(Str(), _words),
                "generic_endings": _words,
                "generic_exclude": _words,
                "conjunctions": _words,
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
        "lists": MapOf(Str(), _words),  # named word lists, for the {list:NAME} macro of shared patterns
        "patterns": ListOf(_pattern),
        "examples": _examples,
    },
    name="a rule file",
)


class _NullShape(Shape):
    name = "null"

    def check(self, doc: Located, value: Any, p: tuple) -> None:
        if value is not None:
            raise doc.error(p, f"expected null, got {value!r}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "null"}


# `unit` in an expected claim may be a string or null
_claim.fields["unit"] = Either(Str(), _NullShape())

SCHEMA_ID = "https://coopfacts.invalid/rule-file.schema.json"  # a name, not a place to fetch


def rule_file_json_schema() -> dict[str, Any]:
    """The JSON Schema of one rule file, made from the shapes above (the checker's own), for
    editors: rules/rule-file.schema.json is this, written by ``coopfacts rules schema``."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "coopfacts rule file",
            **RULE_FILE.json_schema(),
            "description": "One file of a language under rules/<code>/ (any of its sections), or of rules/common/."}
