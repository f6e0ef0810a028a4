"""Writers for finding records (``Finding.to_dict()``): JSON and JSON Lines as for claims, CSV
with :data:`~coopfacts.check.findings.FINDING_FIELDS`, a table per document."""
from __future__ import annotations

import csv
from typing import IO

from coopfacts.check.figures import fmt_number
from coopfacts.check.findings import FINDING_FIELDS
from coopfacts.outputs import TableWriter, Writer, make_writer
from coopfacts.outputs import cell as _cell
from coopfacts.outputs.writers import safe_cell


def _span_line(s: dict, with_doc: bool) -> str:
    role = f"{s['role']}: " if s.get("role") else ""
    doc = f"{s['doc']} " if with_doc else ""
    return f"{role}{doc}{s['start']}-{s['end']} {s['text']}"


def make_finding_writer(fmt: str, out: IO[str], *, bom: bool = False, raw_cells: bool = False) -> Writer:
    """A writer with the calls of :func:`coopfacts.outputs.writers.make_writer` (``write``,
    ``end_document``, ``close``) for finding records (``Finding.to_dict()``): JSON and
    JSON Lines as for claims, CSV with :data:`FINDING_FIELDS` (formula cells neutralised as for
    claims unless ``raw_cells``), a table per document."""
    if fmt in ("json", "jsonl"):
        return make_writer(fmt, out)
    if fmt == "csv":
        return FindingCsvWriter(out, bom=bom, raw_cells=raw_cells)
    if fmt == "table":
        return FindingTableWriter(out)
    raise ValueError(f"unknown format {fmt!r} for findings; expected one of table, json, jsonl, csv")


class FindingCsvWriter(Writer):
    """Columns :data:`FINDING_FIELDS`; ``spans`` and ``also`` as JSON.  A cell a spreadsheet would
    run as a formula (a document id ``=x`` of a corpus, a quoted text) gets a leading ``'``
    (:func:`coopfacts.outputs.writers.safe_cell`) unless ``raw_cells``."""

    def __init__(self, out: IO[str], bom: bool = False, raw_cells: bool = False):
        super().__init__(out)
        self.raw_cells = raw_cells
        if bom:
            out.write("\ufeff")
        self.csv = csv.writer(out)
        self.csv.writerow(FINDING_FIELDS)

    def write(self, record: dict) -> None:
        cells = [_cell(record.get(k)) for k in FINDING_FIELDS]
        self.csv.writerow(cells if self.raw_cells else [safe_cell(c) for c in cells])


class FindingTableWriter(TableWriter):
    """One table per document (and one for the groups across documents)."""

    COLUMNS = ("verdict", "finding", "doc", "spans", "expected", "diff", "why")

    def __init__(self, out: IO[str]):
        super().__init__(out, self.COLUMNS, _finding_row)

    def end_document(self) -> None:
        if self.rows:
            from rich.table import Table
            from rich.text import Text

            table = Table(show_lines=True)
            for name in self.columns:
                table.add_column(name, overflow="fold", ratio=3 if name == "why" else None)
            for row in self.rows:
                table.add_row(*(Text(cell) for cell in row))
            self.console.print(table)
            self.rows = []
        self.out.flush()


def _finding_row(r: dict) -> list[str]:
    spans = r.get("spans") or []
    docs = {s.get("doc") for s in spans}
    diff = r.get("difference")
    return [
        _cell(r.get("verdict")), _cell(r.get("finding")),
        _cell(r.get("doc")) if len(docs) < 2 else f"{len(docs)} documents",
        "\n".join(_span_line(s, len(docs) > 1) for s in spans),
        fmt_number(r["expected"]) if r.get("expected") is not None else "",
        "" if diff is None else f"{diff * 100:+.1f}%", _cell(r.get("why")),
    ]
