"""The Python API as a user meets it: the signature help() shows, kinds as a string or a list,
typos refused, the record, and the type hints shipped (py.typed)."""
from __future__ import annotations

import doctest
import inspect
from importlib import resources

import pytest

import coopfacts

TEXT = "Plus de 500 exposants et 3 millions d'euros, soit 12 % de plus qu'en 2023."


def test_signature_is_real() -> None:
    params = inspect.signature(coopfacts.extract).parameters
    assert list(params) == ["text", "lang", "kinds", "doc", "reference_date", "rules"]
    assert params["lang"].default == "auto"
    assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in ("kinds", "doc", "reference_date", "rules"))
    assert "Every quantified claim" in (coopfacts.extract.__doc__ or "")


def test_docstring_example_runs() -> None:
    failed, tried = doctest.testmod(coopfacts, verbose=False)[:2]
    assert tried >= 2 and failed == 0


@pytest.mark.parametrize("kinds", ["money", ["money"], ("money",), "money,", " money "])
def test_kinds_as_a_string_or_a_list(kinds) -> None:
    assert [c.kind for c in coopfacts.extract(TEXT, lang="fr", kinds=kinds)] == ["money"]


def test_several_kinds() -> None:
    got = {c.kind for c in coopfacts.extract(TEXT, lang="fr", kinds="money,percent")}
    assert got == {"money", "percent"}
    assert {c.kind for c in coopfacts.extract(TEXT, lang="fr", kinds=["count", "date"])} == {"count", "date"}


@pytest.mark.parametrize("kinds", ["monney", ["money", "percents"]])
def test_unknown_kinds_are_refused(kinds) -> None:
    with pytest.raises(ValueError, match="unknown kind.*known: count, money, percent"):
        coopfacts.extract(TEXT, lang="fr", kinds=kinds)


def test_records_from_the_api_are_the_cli_records() -> None:
    (c,) = coopfacts.extract(TEXT, lang="fr", kinds="money", doc="a.txt")
    r = c.to_dict()
    assert r["id"] == c.id and r["doc"] == "a.txt" and r["number"] == 3000000
    assert r["context"] == TEXT


def test_type_hints_are_shipped() -> None:
    assert resources.files("coopfacts").joinpath("py.typed").is_file()
