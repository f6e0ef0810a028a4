"""The peers' suites as data: case files, their cases and expected claims, and the list of
cases where a peer's answer is wrong (``docs/peer-disagreements.md``).

A suite directory holds case files ``<peer>-<category>-<lang>.jsonl`` in the neutral format
of the team's peer-suites README: one case a line, with the input ``text``, the ``expected``
claims of the file's category (spans, kind, value) and optional ``ignore`` spans.  Running
them is :mod:`.conformance`'s work.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopfacts.io.jsonl import json_object

CATEGORIES = {
    # category: (layer, our kind, the peer's kind)
    "number": ("numbers", "number", "count"),
    "ordinal": ("numbers", "ordinal", "ordinal"),
    "money": ("extract", "money", "money"),
    "percent": ("extract", "percent", "percent"),
    "duration": ("extract", "duration", "duration"),
    "date": ("extract", "date", "date"),
    "dimension": ("extract", "quantity", "quantity"),
}
# Words of the peers' format, not facts about units: a sum counted in a hundredth sub-unit
# (`10 cents`) has these names in `unit_raw`, the count (10) as its value and no unit; we give
# the currency's own unit (0.1 USD), as the gold guide asks.
SUBUNIT_WORDS = {"cent", "cents", "centime", "centimes", "pence", "penny", "pesewa", "pesewas", "sen"}
DISAGREEMENTS_NAME = "peer-disagreements.md"
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SOURCE = re.compile(r"^(recognizers-text|duckling):\S+$")
_FILE_NAME = re.compile(r"([a-z]+)-([a-z]+)-([a-z]{2})")


@dataclass
class Span:
    """An expected claim of a case, or one we predict for it."""

    start: int
    end: int
    kind: str | None
    value: Any
    text: str = ""
    unit: str | None = None
    range: dict[str, Any] | None = None  # expected: {min, max}
    group: Any = None  # prediction: range id shared by the two ends of a range
    relative: bool = False
    alternatives: tuple[Any, ...] = ()  # expected relative dates: resolved values, timex
    base_unit: bool = False  # expected value in grams (value_in_base_unit)
    subunit: bool = False  # expected money counted in cents, pence... (unit null)


def expected_spans(case: dict[str, Any]) -> list[Span]:
    """The ``expected`` claims of a case, with what the conversions need to know."""
    out = []
    for c in case.get("expected") or []:
        alts: list[Any] = []
        if c.get("relative"):
            alts = [v for v in (c.get("resolved") or []) if v is not None]
            if c.get("timex"):
                alts.append(c["timex"])
        out.append(Span(c["start"], c["end"], c.get("kind"), c.get("value"), c.get("text", ""),
                        c.get("unit"), range=c.get("range"), relative=bool(c.get("relative")),
                        alternatives=tuple(alts), base_unit=bool(c.get("value_in_base_unit")),
                        subunit=(c.get("kind") == "money" and c.get("unit") is None
                                 and str(c.get("unit_raw", "")).lower() in SUBUNIT_WORDS)))
    return out


def iso_day(value: Any) -> re.Match[str] | None:
    """The year, month and day groups of a value that starts ``YYYY-MM-DD``."""
    return _ISO_DAY.match(value) if isinstance(value, str) else None


def reference_date(case: dict[str, Any]) -> _dt.date | None:
    """The day a case's relative dates are resolved against, if it gives a valid one."""
    m = iso_day(case.get("reference"))
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


# --- case files ---------------------------------------------------------------------------

def parse_name(name: str) -> tuple[str, str, str] | None:
    """``recognizers-number-ar`` -> (peer, category, lang)."""
    m = _FILE_NAME.fullmatch(name)
    if not m or m[2] not in CATEGORIES:
        return None
    return m[1], m[2], m[3]


def read_cases(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The cases of one file; a ``ValueError`` names the line that is not a case."""
    cases = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    obj = json_object(line)
                except ValueError as exc:
                    raise ValueError(f"{path}, line {n}: {exc}") from None
                if not isinstance(obj.get("text"), str):
                    raise ValueError(f"{path}, line {n}: expected a case object with a 'text'")
                cases.append(obj)
    return cases


def suite_files(directory: str | os.PathLike[str], globs: Iterable[str] | None = None) -> list[Path]:
    """The case files of ``directory`` in name order (those matching one of ``globs``, if given)."""
    d = Path(directory)
    if not d.is_dir():
        raise FileNotFoundError(f"no such suite directory: {directory}")
    files = sorted(p for p in d.glob("*.jsonl") if parse_name(p.stem))
    pats = [g for g in (globs or []) if g]
    if pats:
        files = [p for p in files if any(fnmatch.fnmatch(p.name, g) or fnmatch.fnmatch(p.stem, g) for g in pats)]
    return files


# --- the list of disagreements ------------------------------------------------------------

def default_disagreements_path() -> Path | None:
    """``docs/peer-disagreements.md`` of the source checkout this package runs from, if there is one."""
    here = Path(__file__).resolve()
    for up in here.parents[:4]:
        p = up / "docs" / DISAGREEMENTS_NAME
        if p.is_file():
            return p
    return None


def _cells(line: str) -> list[str]:
    body = line.strip()
    if not (body.startswith("|") and body.endswith("|")):
        return []
    cells = re.split(r"(?<!\\)\|", body[1:-1])
    return [c.strip().replace("\\|", "|") for c in cells]


def load_disagreements(path: str | os.PathLike[str]) -> set[tuple[str, str]]:
    """``(file, source)`` pairs from the tables of a disagreements list.

    A row of a Markdown table whose first cell names a case file (``recognizers-number-ar``)
    and whose second cell is a case source (``recognizers-text:…#12``, in backquotes or not)
    lists one case; other lines are prose.
    """
    out: set[tuple[str, str]] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cells = _cells(line)
        if len(cells) < 2:
            continue
        file, source = (c.strip("`").strip() for c in cells[:2])
        file = file.removesuffix(".jsonl")
        if _SOURCE.match(source) and _FILE_NAME.fullmatch(file):
            out.add((file, source))
    return out
