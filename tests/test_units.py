"""The unit registry (rules/units.yaml, rules/currencies.yaml): one place for unit facts."""
from __future__ import annotations

import pytest

from coopfacts.units import UnitRegistry, registry


def test_written_multiples_convert_to_their_base() -> None:
    reg = registry()
    assert reg.measure("money", 10, "IRT") == ("money:IRR", 100.0)  # the toman is ten rials
    assert reg.measure("money", 100, "IRR") == ("money:IRR", 100.0)
    assert reg.measure("duration", 2, "year") == reg.measure("duration", 24, "month")
    assert reg.measure("quantity", 3, "q") == ("quantity:kg", 300.0)  # a quintal is 100 kg
    assert reg.measure("quantity", 1, "feddan") == ("quantity:m2", 4200.83)
    assert reg.measure("quantity", 1, "jarib")[0] != reg.measure("quantity", 1, "m2")[0]  # its size varies: never converted
    assert reg.measure("quantity", 2, "GWh") == reg.measure("quantity", 2_000_000, "kWh")
    assert reg.measure("quantity", 1, "kw") == reg.measure("quantity", 1, "kW")  # case as people type it


def test_currencies_never_convert_between_each_other() -> None:
    reg = registry()
    assert reg.measure("money", 1, "USD")[0] != reg.measure("money", 1, "EUR")[0]
    assert reg.is_currency("MAD") and reg.is_currency("NLG") and not reg.is_currency("IRT")
    assert reg.get("NLG").current is False and reg.get("EUR").current is True


def test_what_is_no_measure() -> None:
    reg = registry()
    assert reg.measure("date", 2023, None) is None
    assert reg.measure("count", True, None) is None
    assert reg.measure("money", float("nan"), "USD") is None
    assert reg.measure("quantity", 5, "furlong") == ("quantity:furlong", 5.0)  # unknown: as written
    assert reg.measure("money", 5, "xyz") == ("money:XYZ", 5.0)


def test_every_unit_code_in_the_rule_files_is_registered() -> None:
    from coopfacts.rulebook import get_rulebook

    reg = registry()
    rb = get_rulebook()
    for code in rb.languages:
        for key, entry in rb.language(code).units.items():
            if entry.code:
                unit = reg.get(entry.code)
                assert unit is not None, f"{code}: unit {key!r} has code {entry.code!r}, not in rules/units.yaml"
                assert unit.kind == entry.kind, f"{code}: {key!r} is {entry.kind}, the registry says {unit.kind}"


def test_an_unknown_dimension_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown dimension"):
        UnitRegistry.from_data({"dimensions": {"mass": {"kind": "quantity"}},
                                "units": {"x": {"dimension": "charm"}}}, {})
