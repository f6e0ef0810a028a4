"""Where the package's data files are: the rule files, and the JSON Schemas it ships."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


class MissingData(RuntimeError):
    """The package is incomplete: a data file it ships is not there."""


def packaged_rules_dir() -> Path:
    """The rules shipped with the package (a wheel has ``coopfacts/rules``) or, in a source
    checkout, the repository's ``rules/``."""
    for candidate in (PACKAGE / "rules", PACKAGE.parents[1] / "rules"):
        if candidate.is_dir():
            return candidate
    raise MissingData(f"{PACKAGE / 'rules'}: no rule files found (the package is incomplete)")


def package_text(name: str) -> str:
    """A text file shipped inside the package (``claim.schema.json``)."""
    return (PACKAGE / name).read_text(encoding="utf-8")
