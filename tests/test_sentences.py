"""Sentence bounds (claims' sentence_start / sentence_end) stay those of their definition:
a sentence ends after . ! ? ؟ … (then closing quotes or brackets and space) or at a line break."""
from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from coopfacts.text.segments import sentence_starts as _sentence_starts

_DEFINITION = regex.compile(r"(?<=[.!?؟…])[\"')\]»]*\s+|\n\s*")


def _by_definition(text: str) -> list[int]:
    return [0] + [m.end() for m in _DEFINITION.finditer(text) if m.end() < len(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list(".!?؟…\"')]»( \n\t\u00a0ab؛،"), max_size=60))
def test_sentence_starts_follow_the_definition(text):
    assert _sentence_starts(text) == _by_definition(text)


def test_sentence_starts_examples():
    text = 'Il a dit "oui." Puis non!\nFin'  # the closing quote stays with its sentence
    starts = _sentence_starts(text)
    assert [text[s:s + 4] for s in starts] == ["Il a", "Puis", "Fin"]
