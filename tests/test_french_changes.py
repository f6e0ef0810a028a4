"""French: a figure stated as a change is marked increase or decrease (the rule files' worked
examples cannot say so: their claims carry no `change`), and a level reached is not."""
from __future__ import annotations

import pytest

import coopfacts


@pytest.mark.parametrize("text, span, change", [
    ("Le PIB a progressé de 0,4 % au troisième trimestre.", "0,4 %", "increase"),
    ("Les ventes se sont contractées de 8,3 % au 2e trimestre.", "8,3 %", "decrease"),
    ("Le cours du cacao s'est envolé de 140 %.", "140 %", "increase"),
    ("Le bénéfice s'est effondré de 60 %.", "60 %", "decrease"),
    ("Le franc s'est apprécié de 4 % face à l'euro.", "4 %", "increase"),
    ("Le taux est passé de 10 % à 12 %.", "12 %", None),
    ("Le budget a été divisé par deux.", "deux", "decrease"),
    ("Les ventes ont été multipliées par 2,5.", "2,5", "increase"),
    ("La ville est divisée en 12 quartiers.", "12", None),
])
def test_changes(text, span, change):
    found = [c for c in coopfacts.extract(text, "fr") if c.text == span]
    assert len(found) == 1
    assert found[0].to_dict().get("change") == change
