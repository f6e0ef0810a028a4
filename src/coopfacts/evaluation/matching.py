"""How an expected claim and a found one are compared: once, for every kind of evaluation.

Gold scoring (:mod:`.gold`), the peer suites (:mod:`.conformance`) and the rule files'
worked examples (:mod:`.examples`) all decide "same value", "same place" and "which found
claim answers which expected one" here:

* :func:`same_value`: numbers within :data:`REL_TOL` relative; anything else (dates such
  as ``2023-04``, ordinals the peers write as text) compared as strings;
* :func:`overlap`: two half-open spans share at least one character (touching is not enough);
* :func:`greedy_match`: one-to-one and greedy: exact spans first, then the largest overlap,
  then the nearest ends, then reading order; each expected claim is taken once;
* :func:`prf`: the precision, recall and F1 of such a matching.

These are the rules of the team's reference scorer (``gold/score.py``); the test suite
checks that both give the same figures.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

REL_TOL = 1e-6
ABS_TOL = 1e-9  # two zeros (or values that small) are equal


class Spanned(Protocol):
    """Anything with a half-open character span ``[start, end)``."""

    start: int
    end: int


G = TypeVar("G")
P = TypeVar("P")


def as_number(v: Any) -> float | None:
    """``v`` as a finite float: a number, or a string that is one (``"1500"``); else None.

    Booleans are not numbers here, nor ``"1_000"`` (which ``float()`` would read)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        f = float(v)
    elif isinstance(v, str):
        if "_" in v:
            return None
        try:
            f = float(v.strip())
        except ValueError:
            return None
    else:
        return None
    return f if math.isfinite(f) else None


def as_text(v: Any) -> str:
    """``v`` as the string compared for non-numbers: ``2023.0`` is ``"2023"``."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def is_number(v: Any) -> bool:
    """An int or a float, not a bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same_value(expected: Any, found: Any) -> bool:
    """The one value comparison: an expected number wants a number (or numeric string) within
    :data:`REL_TOL` relative; any other expected value is compared as a string."""
    if is_number(expected):
        e, f = as_number(expected), as_number(found)
        return e is not None and f is not None and math.isclose(e, f, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if found is None or isinstance(found, (dict, list)):
        return False
    return as_text(expected) == as_text(found)


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """The half-open spans share a character."""
    return a_start < b_end and b_start < a_end


def overlaps(a: Spanned, b: Spanned) -> bool:
    return overlap(a.start, a.end, b.start, b.end)


def span_rank(e: Spanned, f: Spanned) -> tuple[int, int, int]:
    """How good a pairing is, smallest first: exact span, then largest overlap, then nearest ends."""
    exact = e.start == f.start and e.end == f.end
    shared = min(e.end, f.end) - max(e.start, f.start)
    distance = abs(e.start - f.start) + abs(e.end - f.end)
    return (0 if exact else 1, -shared, distance)


def greedy_match(expected: Sequence[G], found: Sequence[P], compatible: Callable[[G, P], bool],
                 rank: Callable[[Any, Any], tuple[int, ...]] | None = span_rank) -> dict[int, int]:
    """``{expected index: found index}``, one-to-one and greedy.

    Every compatible pair is ranked (:func:`span_rank` by default: exact spans first); pairs
    are taken best first, ties in reading order, each expected and each found item once.
    With ``rank=None`` all pairs rank alike: each expected item, in order, takes the first
    free found item it is compatible with (for expectations that give no span)."""
    pairs = []
    for ei, e in enumerate(expected):
        for fi, f in enumerate(found):
            if compatible(e, f):
                pairs.append(((rank(e, f) if rank else ()), ei, fi))
    pairs.sort()
    out: dict[int, int] = {}
    taken: set[int] = set()
    for _, ei, fi in pairs:
        if ei not in out and fi not in taken:
            out[ei] = fi
            taken.add(fi)
    return out


def prf(matched: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``matched`` pairs; nothing expected and nothing found is a perfect score."""
    if n_gold == 0 and n_pred == 0:
        return 1.0, 1.0, 1.0
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
