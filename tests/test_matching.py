"""The one value comparison, span overlap and greedy matcher that gold scoring, the peer
suites and the rule examples share (coopfacts.evaluation.matching)."""
from __future__ import annotations

from dataclasses import dataclass

from coopfacts.evaluation import greedy_match, overlap, same_value


def test_numbers_within_the_relative_tolerance() -> None:
    assert same_value(1500, 1500.0000001)
    assert same_value(1500, "1500")  # a numeric string in a predictions file, as score.py reads it
    assert same_value(0, 0.0)
    assert not same_value(1500, 1501)
    assert not same_value(1500, "1_500")  # float() would read it
    assert not same_value(1500, None) and not same_value(1500, True)
    assert not same_value(float("nan"), float("nan"))


def test_anything_else_as_strings() -> None:
    assert same_value("2023", 2023) and same_value("2023", 2023.0)
    assert same_value("2023-04", " 2023-04 ")
    assert not same_value("2023-04", "2023-05")
    assert not same_value("x", None) and not same_value("x", ["x"])


def test_overlap_is_a_shared_character() -> None:
    assert overlap(0, 5, 4, 9)
    assert not overlap(0, 5, 5, 9)  # touching is not overlapping


@dataclass
class C:
    start: int
    end: int
    value: int = 1


def same(e: C, f: C) -> bool:
    return overlap(e.start, e.end, f.start, f.end) and e.value == f.value


def test_exact_span_first_then_largest_overlap_each_once() -> None:
    assert greedy_match([C(0, 10)], [C(0, 3), C(0, 10)], same) == {0: 1}
    assert greedy_match([C(0, 10)], [C(0, 3), C(2, 12)], same) == {0: 1}  # overlap 8 beats 3
    assert greedy_match([C(0, 10), C(0, 10)], [C(0, 10)], same) == {0: 0}  # one found claim, once
    assert greedy_match([C(0, 10, 2)], [C(0, 10, 3)], same) == {}


def test_without_a_rank_each_takes_the_first_free_fit() -> None:
    def any_fit(e: str, f: str) -> bool:
        return e[0] == f[0]

    assert greedy_match(["a1", "a2", "b"], ["b", "ax", "ay"], any_fit, rank=None) == {0: 1, 1: 2, 2: 0}
