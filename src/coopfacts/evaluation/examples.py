"""Checking a rule file's worked examples against what the engine extracts.

Used by ``coopfacts rules test`` and by the test suite.  An example's expected claims give
their text, not their span, so they are paired with the claims found by
:func:`.matching.greedy_match` without a span rank: each expected claim, in order, takes the
first free claim that agrees with it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coopfacts.evaluation.matching import greedy_match, same_value
from coopfacts.model import Claim

if TYPE_CHECKING:  # the rule engine loads when an example is checked, not when this is imported
    from coopfacts.rulebook import Example, Rulebook

# Fields compared only when the expected claim gives them.
OPTIONAL_KEYS = ("unit", "qualifier", "entity", "calendar", "unit_text")


def differences(expected: dict[str, Any], claim: Claim) -> list[str]:
    """Names of the fields where ``claim`` differs from ``expected`` (empty: a match)."""
    diff = [k for k in ("text", "kind") if expected[k] != getattr(claim, k)]
    if not same_value(expected["value"], claim.value):
        diff.append("value")
    diff += [k for k in OPTIONAL_KEYS if k in expected and expected[k] != getattr(claim, k)]
    return diff


def describe(c: dict[str, Any] | Claim) -> str:
    """One line: «text» kind value, then unit/qualifier/entity/calendar where set."""
    get = c.get if isinstance(c, dict) else lambda k, d=None: getattr(c, k, d)
    out = f"«{get('text')}» {get('kind')} {get('value')!r}"
    for k in OPTIONAL_KEYS:
        v = get(k)
        if v is not None and not (k == "qualifier" and v == "exact" and isinstance(c, Claim)):
            out += f" {k}={v!r}"
    return out


def check_example(lang_code: str, example: Example, rulebook: Rulebook | None = None) -> list[str]:
    """Problems with one worked example (empty list: it passes).

    Each expected claim must be found with the same text, kind and value, and
    the same unit/qualifier/entity/calendar where it gives them; unless the
    example is ``partial``, no other claim may be produced.  A missing claim is
    shown with its nearest miss among the claims left over.
    """
    from coopfacts.engine import Engine, load

    engine = Engine(rulebook) if rulebook is not None else load()
    got = engine.extract(example.text, lang_code)
    found = greedy_match(example.claims, got, lambda exp, c: not differences(exp, c), rank=None)
    taken = set(found.values())
    left = [c for i, c in enumerate(got) if i not in taken]
    problems: list[str] = []
    for ei, exp in enumerate(example.claims):
        if ei in found:
            continue
        # Nearest miss: a claim with the same text, else one whose span overlaps the expected text.
        near = [c for c in left if c.text == exp["text"]] or [
            c for c in left if exp["text"] in c.text or c.text in exp["text"]]
        msg = f"missing  {describe(exp)}"
        if near:
            msg += f"\n    got  {describe(near[0])}  (differs in {', '.join(differences(exp, near[0]))})"
            left.remove(near[0])
        problems.append(msg)
    if not example.partial:
        problems += [f"extra    {describe(c)}" for c in left]
    return problems
