"""The words `check` reads from a language's rule files (``check:`` in rules/<code>/check.yaml,
``parts:`` in rules/<code>/context.yaml), as patterns on folded text.

- ``from`` / ``to``: the words before the earlier and the later figure of a from→to pair
  (``de 80 millions en 2021 à 100 millions en 2022``, ``من ... إلى``, ``از ... به``);
- ``whole_before``: a whole named before its part (``از مجموع ۱۲۰۰ تعاونی، ۹۰۰ ...``);
- ``generic_nouns``: counted nouns that name no one set (``personnes``, ``نفر``, ``شخص``);
- ``set_apart``: words near a figure that make it another set or time than another figure of
  its noun (``dont``, ``par mois``, ``امسال``, ``الشهري``);
- ``times``: the noun of a stated multiple (``fois``, ``مرات``, ``برابر``);
- ``link``: what starts a clause about the figures just before it (``soit``, ``أي``, ``یعنی``);
- ``and``: what joins the items of a list (``et``, ``و``);
- ``compare``: comparison words between two figures, besides the extractor's (``بعدما كان``);
- ``remainder``: a word after a share that makes it what remains (``restants``, ``المتبقية``, ``متباقی``);
- ``cross_nouns``: nouns of a category that cuts across others (``jeunes``): parts naming them may overlap;
- ``over_100``: what a percentage above 100 may be a ratio to (``PIB``, ``objectif``, ``الهدف``, ``برنامه``);
- ``part_after``: "of them" right after a part (``۱۸۰ نفر از آنها``, ``30 d'entre elles``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import regex

from coopfacts.check.text import language_rules, phrase_words, rulebook_or_default


def _alternation(words: list[str], lang: str | None, rulebook: Any) -> str | None:
    folded = sorted({" ".join(phrase_words(w, lang, rulebook)) for w in words} - {""}, key=len, reverse=True)
    if not folded:
        return None
    return "|".join(r"\W+".join(regex.escape(p) for p in w.split()) for w in folded)  # l'an: l an


def marker_at_end(words: list[str], lang: str | None, rulebook: Any, between: int = 3) -> Any:
    """A pattern for the marker words at the end of folded text, with at most ``between``
    words after them (a qualifier: ``de près de``); None when there are no words."""
    alt = _alternation(words, lang, rulebook)
    if alt is None:
        return None
    return regex.compile(rf"(?<!\w)(?:{alt})(?:\W+\w+){{0,{between}}}\W*\Z")


def marker_at_start(words: list[str], lang: str | None, rulebook: Any, between: int = 3) -> Any:
    """A pattern for the marker words at the start of folded text, after at most ``between`` words."""
    alt = _alternation(words, lang, rulebook)
    if alt is None:
        return None
    return regex.compile(rf"\A\W*(?:\w+\W+){{0,{between}}}?(?:{alt})(?!\w)")


def marker_anywhere(words: list[str], lang: str | None, rulebook: Any) -> Any:
    """A pattern for any of the words, whole, in folded text."""
    alt = _alternation(words, lang, rulebook)
    if alt is None:
        return None
    return regex.compile(rf"(?<!\w)(?:{alt})(?!\w)")


@dataclass(frozen=True)
class CheckWords:
    """A language's check words, compiled (each None where the language lists none)."""

    from_: Any
    to: Any
    whole_before: Any
    set_apart: Any
    generic: frozenset[str]
    times: frozenset[str]
    link: Any
    and_: Any  # a list joiner at the end of the text before a figure
    and_any: Any  # a list joiner anywhere (it starts another clause)
    compare: Any  # comparison words besides the extractor's (rules context.yaml comparisons), anywhere
    remainder: Any  # a word right after a share that makes it what remains (restants, المتبقية, متباقی)
    cross: frozenset[str]  # nouns of a category that cuts across others (jeunes): such parts may overlap
    over_100: Any  # what a percentage above 100 may be a ratio to (PIB, objectif, الهدف, برنامه)
    part_after: Any  # "of them" right after a part (۱۸۰ نفر از آنها, 30 d'entre elles)
    part_before: Any
    whole_after: Any
    whole_end: Any  # the whole_after marker right before the whole (at most two words between)
    share_after: Any
    named_base: Any = None  # a noun right after a multiple that names its base (سال گذشته, ما سجل)
    share_next: Any = None  # a share word right after a percentage, no word between (120 % des membres)
    whole_next: Any = None  # the whole_after marker right before the whole, no word between (از مجموع ۱۲۰۰)
    span: Any = None  # a verb of spanning before a range (variait de, يتراوح بين): its ends bound one figure
    part_not_after: Any = None  # a word before a part marker that makes it none (كل منها: each of them)
    possessive_endings: tuple[str, ...] = ()  # a noun ending so is definite (إنتاجها): a multiple's named base
    average: Any = None  # a word right before a figure that makes it an average (بمعدل 69 في اليوم): no whole


def check_words(lang: str | None, rulebook: Any = None) -> CheckWords:
    """The check words of ``lang`` (none for a language without rule files)."""
    return _check_words(lang, rulebook_or_default(rulebook))


@functools.lru_cache(maxsize=32)
def _check_words(lang: str | None, rb: Any) -> CheckWords:
    L = language_rules(lang, rb)
    words: dict[str, list[str]] = dict(getattr(L, "check", {}) or {}) if L is not None else {}
    parts: dict[str, list[str]] = dict(getattr(L, "parts", {}) or {}) if L is not None else {}

    def bag(name: str) -> frozenset[str]:
        return frozenset(w for x in words.get(name, []) for w in phrase_words(x, lang, rb))

    return CheckWords(
        from_=marker_at_end(words.get("from", []), lang, rb, between=2),
        to=marker_at_end(words.get("to", []), lang, rb, between=2),
        whole_before=marker_at_end(words.get("whole_before", []), lang, rb, between=2),
        set_apart=marker_anywhere(words.get("set_apart", []), lang, rb),
        generic=bag("generic_nouns"),
        times=bag("times"),
        link=marker_at_start(words.get("link", []), lang, rb, between=0),
        and_=marker_at_end(words.get("and", []), lang, rb, between=0),
        and_any=marker_anywhere(words.get("and", []), lang, rb),
        compare=marker_anywhere(words.get("compare", []), lang, rb),
        remainder=marker_at_start(words.get("remainder", []), lang, rb, between=2),
        cross=bag("cross_nouns"),
        named_base=marker_at_start(words.get("named_bases", []), lang, rb, between=0),
        span=marker_anywhere(words.get("spans", []), lang, rb),
        part_not_after=marker_at_end(words.get("part_not_after", []), lang, rb, between=0),
        possessive_endings=tuple(words.get("possessive_endings", [])),
        average=marker_at_end(words.get("averages", []), lang, rb, between=1),
        over_100=marker_anywhere(words.get("over_100", []), lang, rb),
        # after its noun only: ۳۹۰ هزار معلم در آن‌ها is "in them"
        part_after=marker_at_start(words.get("part_after", []), lang, rb, between=1),
        part_before=marker_at_end(parts.get("part_before", []), lang, rb),
        whole_after=marker_at_start(parts.get("whole_after", []), lang, rb),
        whole_end=marker_at_end(parts.get("whole_after", []), lang, rb, between=2),
        whole_next=marker_at_end(parts.get("whole_after", []), lang, rb, between=0),
        share_after=marker_at_start(parts.get("share_after", []), lang, rb),
        share_next=marker_at_start(parts.get("share_after", []), lang, rb, between=0),
    )
