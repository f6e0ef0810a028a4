"""One unit registry for the whole program: ``rules/units.yaml`` and ``rules/currencies.yaml``.

Each unit has a dimension (``money``, ``duration``, ``mass``…) and, when it is a multiple of
another, the base unit and the factor to it: ``IRT`` is 10 ``IRR``, ``q`` is 100 ``kg``, a
``month`` 43 830 minutes. Extraction, ``check``, ``eval`` and rule validation all read it here,
so a fact about units is written once, as data.

    >>> reg = registry()
    >>> reg.measure("money", 10, "IRT")
    ('money:IRR', 100.0)
    >>> reg.measure("duration", 2, "year") == reg.measure("duration", 24, "month")
    True
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopfacts.resources import packaged_rules_dir

UNITS_FILE = "units.yaml"
CURRENCIES_FILE = "currencies.yaml"


@dataclass(frozen=True)
class Unit:
    code: str
    dimension: str  # money, percent, ratio, duration, mass, length, area, volume, power, energy…
    kind: str  # the claim kind of its figures: money, percent, ratio, duration, quantity
    base: str  # the unit values are converted to for comparison (a currency: itself)
    factor: float = 1.0  # one of this unit in ``base`` units
    name: str = ""
    current: bool = True  # currencies: some territory uses it as legal tender today
    minor_digits: int = 2  # currencies: digits of its minor unit (cents 2, fils of a dinar 3, yen 0)


class UnitRegistry:
    """Units by code; lookups are exact first, then case-insensitive (``kw`` is ``kW``)."""

    def __init__(self, units: dict[str, Unit], lookalikes: frozenset[str] = frozenset()):
        self.units = units
        self.lookalikes = lookalikes  # currency codes that are also names or words (COP28, TOP 10)
        self._folded: dict[str, Unit] = {}
        for code, unit in units.items():
            self._folded.setdefault(code.casefold(), unit)

    @classmethod
    def from_data(cls, units_doc: dict[str, Any], currencies_doc: dict[str, Any]) -> UnitRegistry:
        kinds = {name: spec["kind"] for name, spec in (units_doc.get("dimensions") or {}).items()}
        units: dict[str, Unit] = {}
        for code, spec in (currencies_doc.get("currencies") or {}).items():
            units[code] = Unit(code, "money", "money", code, 1.0, str(spec.get("name", "")),
                               bool(spec.get("current", True)), int(spec.get("digits", 2)))
        for code, spec in (units_doc.get("units") or {}).items():
            dim = spec["dimension"]
            if dim not in kinds:
                raise ValueError(f"{UNITS_FILE}: unit {code!r}: unknown dimension {dim!r}")
            base = str(spec.get("base", code))
            units[str(code)] = Unit(str(code), dim, kinds[dim], base, float(spec.get("factor", 1)),
                                    str(spec.get("name", "")))
        return cls(units, frozenset(str(c) for c in units_doc.get("code_lookalikes") or []))

    def get(self, code: str | None) -> Unit | None:
        if not code:
            return None
        return self.units.get(code) or self._folded.get(code.casefold())

    def is_currency(self, code: str | None) -> bool:
        unit = self.get(code)
        return unit is not None and unit.dimension == "money" and unit.code == unit.base

    def kind_of(self, code: str | None) -> str | None:
        """The claim kind of a figure in this unit (``t`` → quantity), or None if unknown."""
        unit = self.get(code)
        return unit.kind if unit else None

    def measure(self, kind: str, value: Any, unit: str | None) -> tuple[str, float] | None:
        """``(what it measures, value in base units)`` of a figure; ``None`` for dates and
        non-numbers. Two figures are comparable when the first items are equal."""
        if kind == "date" or isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        v = float(value)
        if not math.isfinite(v):
            return None
        if kind in ("percent", "ratio", "count"):
            return kind, v
        known = self.get(unit)
        if known is None or known.kind != kind:  # comparable only with the same unit as written
            return (f"money:{(unit or '?').upper()}" if kind == "money" else f"{kind}:{unit}"), v
        if kind == "money":
            return f"money:{known.base}", v * known.factor
        if kind == "duration":
            return "duration", v * known.factor
        # by base, not by dimension: a unit of unsettled size (jarib) is its own base
        return f"quantity:{known.base}", v * known.factor

    def factor(self, kind: str, unit: str | None) -> float:
        """One ``unit`` in base units (1 where the unit is unknown)."""
        m = self.measure(kind, 1.0, unit)
        return m[1] if m else 1.0


_REGISTRY: dict[Path, UnitRegistry] = {}
_LOCK = threading.Lock()


def registry(rules_dir: Path | None = None) -> UnitRegistry:
    """The registry of the packaged rules (or of ``rules_dir``), read once per process."""
    import yaml

    load = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    where = rules_dir or packaged_rules_dir()
    found = _REGISTRY.get(where)
    if found is None:
        with _LOCK:
            found = _REGISTRY.get(where)
            if found is None:
                units_doc = yaml.load((where / UNITS_FILE).read_text(encoding="utf-8"), Loader=load) or {}
                cur_doc = yaml.load((where / CURRENCIES_FILE).read_text(encoding="utf-8"), Loader=load) or {}
                found = _REGISTRY[where] = UnitRegistry.from_data(units_doc, cur_doc)
    return found
