"""Guess a document's language from its script and tell-tale characters.

Each rule file declares its script (a Unicode script name: ``arabic``, ``latin``…) and
``markers``: characters that point to it rather than to another language of the same script
(Persian پ چ ژ گ ک ی and ۰–۹ against Arabic ة ى ي ك and ٠–٩). The script with most letters
in the text's beginning wins; among its languages, the one whose markers occur most often.
A text with no letter of any declared script goes to the language whose file says
``detect: {fallback: true}`` (else the first language). Nothing here names a script.
"""
from __future__ import annotations

import functools
from typing import Any

import regex

SAMPLE = 20000


@functools.lru_cache(maxsize=64)
def script_letters(script: str) -> Any:
    """The letters of a Unicode script (``arabic`` → ``\\p{Script=Arabic}``)."""
    return regex.compile(rf"\p{{Script={script}}}")


def detect_language(text: str, rulebook: Any) -> str:
    sample = text[:SAMPLE]
    hints = {code: rulebook.detect_hints(code) for code in rulebook.languages}
    scripts = sorted({h.script for h in hints.values() if h.script != "any"})
    counts = {s: len(script_letters(s).findall(sample)) for s in scripts}
    if not any(counts.values()):
        fallback = [code for code, h in hints.items() if h.fallback]
        return fallback[0] if fallback else rulebook.languages[0]
    script = max(scripts, key=lambda s: counts[s])  # the first in name order where counts tie
    best, best_score = None, -1
    for code, h in hints.items():
        if h.script not in (script, "any"):
            continue
        score = sum(sample.count(ch) for ch in set(h.markers))
        if score > best_score:
            best, best_score = code, score
    return best if best is not None else rulebook.languages[0]
