"""Where rule files live: the packaged ``rules/`` and any extra directories."""
from __future__ import annotations

from pathlib import Path

from coopfacts.resources import MissingData
from coopfacts.resources import packaged_rules_dir as _packaged
from coopfacts.rulebook.shapes import RuleError


def packaged_rules_dir() -> Path:
    """The rules shipped with the package (wheel) or, in a source checkout, ``rules/``."""
    try:
        return _packaged()
    except MissingData as exc:
        raise RuleError(Path("rules"), None, None, str(exc)) from None


SHARED_DATA = ("units", "currencies")  # the unit registry's files (coopfacts.units), no language


def rule_sources(extra_dirs: list[str | Path] | None = None) -> dict[str, list[Path]]:
    """Map a file stem (`ar`, `common`, …) to the YAML files that make it; later dirs override."""
    found: dict[str, list[Path]] = {}
    for d in [packaged_rules_dir(), *[Path(x) for x in (extra_dirs or [])]]:
        if not d.is_dir():
            raise RuleError(d, None, None, "--rules: not a directory")
        for entry in sorted(d.iterdir()):
            if entry.stem in SHARED_DATA:
                continue
            if entry.is_file() and entry.suffix in (".yaml", ".yml"):
                found[entry.stem] = [entry]
            elif entry.is_dir() and not entry.name.startswith((".", "_")):
                files = sorted(p for p in entry.iterdir() if p.suffix in (".yaml", ".yml"))
                if files:
                    found[entry.name] = files
    return found

