"""Every worked example in every rule file is a test (as Duckling's corpus files are)."""
from __future__ import annotations

import pytest

from coopfacts.evaluation import check_example
from coopfacts.rulebook import get_rulebook

RB = get_rulebook()
CASES = [
    pytest.param(code, ex, id=f"{code}:{ex.source.rsplit('/', 1)[-1]}:{ex.line}")
    for code in RB.languages
    for ex in RB.language(code).examples
]


def test_every_language_has_examples():
    for code in RB.languages:
        assert len(RB.language(code).examples) >= 10, code


@pytest.mark.parametrize("code,example", CASES)
def test_worked_example(code, example):
    problems = check_example(code, example, RB)
    assert not problems, "\n".join(problems)
