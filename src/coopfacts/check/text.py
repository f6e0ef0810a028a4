"""Matching a label or a counted noun in an article: folding text (the language's normalisers,
marks, case), the clitics and articles a word may carry, words and tokens."""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

import regex

WORD = regex.compile(r"\w+")


def language_rules(lang: str | None, rulebook: Any = None) -> Any:
    """The compiled rules of ``lang``; ``None`` when no rule file has it."""
    if not lang:
        return None
    rb = rulebook_or_default(rulebook)
    return rb.language(lang) if lang in rb.languages else None


@functools.lru_cache(maxsize=32)
def _folding(lang: str | None, rb: Any) -> tuple[tuple, tuple[str, ...]]:
    """``(normalisers, clitics)`` of :func:`fold` for ``lang``: its own normaliser, then those
    of the other languages written in the same script; its clitics, folded likewise."""
    own = language_rules(lang, rb)
    if own is None:
        return (), ()
    others = [c for c in rb.languages if c != lang and own.script != "any" and rb.info(c).script == own.script]
    normalizers = (own.normalizer, *(rb.language(c).normalizer for c in others))
    clitics = [_apply(normalizers, c) for c in own.clitics]
    articles = [_apply(normalizers, a) for a in own.articles]
    # a label word may stand in the text behind a clitic, the article, or both (وال…)
    prefixes = clitics + articles + [c + a for c in clitics for a in articles]
    return normalizers, tuple(x for x in dict.fromkeys(prefixes) if x)


def _apply(normalizers: tuple, text: str) -> str:
    for n in normalizers:
        text = n(text).text
    text = unicodedata.normalize("NFKD", text)
    # marks (accents, harakat, hamza seats) and format characters (ZWNJ, bidi controls) go
    return "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf").casefold()


def rulebook_or_default(rulebook: Any) -> Any:
    """``rulebook``, or the packaged rules where none is given."""
    if rulebook is not None:
        return rulebook
    from coopfacts.rulebook import get_rulebook

    return get_rulebook()


def fold(text: str, lang: str | None = None, rulebook: Any = None) -> str:
    """``text`` as compared: the language's normaliser (digits, letter variants, marks), then
    the normalisers of the other languages written in the same script (a label typed with
    Persian letters matches Arabic text and the other way round), then accents, other
    combining marks and format characters (ZWNJ) removed and case folded."""
    return _apply(_folding(lang, rulebook_or_default(rulebook))[0] if lang else (), text)


def clitics_of(lang: str | None, rulebook: Any) -> tuple[str, ...]:
    """The language's proclitics (rule file, ``clitics:``), folded."""
    return _folding(lang, rulebook_or_default(rulebook))[1] if lang else ()


@dataclass
class Token:
    """A folded word of the text and where it stands (a word folding splits gives several)."""

    start: int
    end: int
    word: str


def tokenize(text: str, offset: int, lang: str | None, rulebook: Any) -> list[Token]:
    """The folded words of ``text``, which starts at ``offset`` in its document."""
    out = []
    for m in WORD.finditer(text):
        w = fold(m.group(), lang, rulebook)
        for part in WORD.findall(w):  # folding may split (a mark became a space)
            out.append(Token(offset + m.start(), offset + m.end(), part))
    return out


def word_matches(w: str, t: str, clitics: Sequence[str] = ()) -> bool:
    """A label word matches a text word that is it, starts with it (plural, suffix) or
    carries one of the language's clitics before it (والتعاونيات)."""
    if t == w:
        return True
    if len(w) < 3:
        return False
    return t.startswith(w) or any(t.startswith(c + w) for c in clitics)


def phrase_words(phrase: str, lang: str | None, rulebook: Any) -> list[str]:
    """The folded words of a label or a marker phrase."""
    return WORD.findall(fold(phrase, lang, rulebook))
