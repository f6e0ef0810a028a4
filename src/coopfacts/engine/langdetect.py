"""Guess a document's language from its script and tell-tale characters.

Each rule file declares its script (``arabic`` or ``latin``) and ``markers``:
characters that point to it rather than to another language of the same script
(Persian پ چ ژ گ ک ی and ۰–۹ against Arabic ة ى ي ك and ٠–٩).  The script with
most letters wins; among its languages, the one whose markers occur most often.
"""
from __future__ import annotations

import regex

_ARABIC = regex.compile(r"[\p{Script=Arabic}]")
_LATIN = regex.compile(r"[\p{Script=Latin}]")
SAMPLE = 20000


def detect_language(text: str, rulebook) -> str:
    sample = text[:SAMPLE]
    n_ar = len(_ARABIC.findall(sample))
    n_lat = len(_LATIN.findall(sample))
    script = "arabic" if n_ar >= n_lat and n_ar > 0 else "latin"
    best, best_score = None, -1
    for code in rulebook.languages:
        lang_script, markers = rulebook.detect_hints(code)
        if lang_script not in (script, "any"):
            continue
        score = sum(sample.count(ch) for ch in set(markers))
        if score > best_score:
            best, best_score = code, score
    if best is None:
        best = rulebook.languages[0]
    return best
