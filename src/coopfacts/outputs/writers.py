"""The output formats of claim records, and the one registry that names them.

Every writer has the calls of :class:`~coopfacts.outputs.base.Writer`.  Only the table
waits (for one document's rows, to size its columns) and the HTML report (for the whole
run); the others write each record as it comes.  :func:`make_writer` finds a format in
:data:`REGISTRY`; the HTML writer is imported only when asked for.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import IO, Any, Callable

from coopfacts.model import FIELDS, NUMBER_FIELDS
from coopfacts.outputs.base import Writer, cell, clean_value, json_line

__all__ = ["FORMATS", "REGISTRY", "TABLE_COLUMNS", "WIDE", "CsvWriter", "JsonWriter", "JsonlWriter",
           "OutputFormat", "TableWriter", "WriterOptions", "Writer", "cell", "clean_value", "make_writer",
           "register_format"]

WIDE = 160  # columns of a table written to a file or a pipe
TABLE_COLUMNS = ("doc", "start-end", "text", "kind", "value", "unit", "qualifier", "entity")
NUMBER_TABLE_COLUMNS = ("doc", "start-end", "text", "kind", "value", "weak")
TABLE_MAX_ROWS = 5000  # rows held before a table is printed (a document with more gets several tables)
RECORDS = ("claims", "numbers")  # what a writer writes: claim records, or numerals (`coopfacts numbers`)


def claim_row(r: dict) -> list[str]:
    return [cell(r.get("doc")), f"{r.get('start')}-{r.get('end')}", cell(r.get("text")), cell(r.get("kind")),
            cell(r.get("value")), cell(r.get("unit")), cell(r.get("qualifier")), cell(r.get("entity"))]


def number_row(r: dict) -> list[str]:
    return [cell(r.get("doc")), f"{r.get('start')}-{r.get('end')}", cell(r.get("text")), cell(r.get("kind")),
            cell(r.get("value")), "weak" if r.get("weak") else ""]


class JsonlWriter(Writer):
    def write(self, record: dict) -> None:
        self.out.write(json_line(record) + "\n")


class JsonWriter(Writer):
    """One JSON array, one record a line, written as the records come."""

    def __init__(self, out: IO[str]):
        super().__init__(out)
        self.n = 0

    def write(self, record: dict) -> None:
        self.out.write(("[\n" if self.n == 0 else ",\n") + json_line(record))
        self.n += 1

    def close(self) -> None:
        self.out.write("[]\n" if self.n == 0 else "\n]\n")
        super().close()


class CsvWriter(Writer):
    """Header = ``columns`` (claims: every field of the record, :data:`coopfacts.model.FIELDS`)."""

    def __init__(self, out: IO[str], with_dates: bool = True, bom: bool = False, columns: tuple[str, ...] = FIELDS):
        super().__init__(out)
        self.columns = list(columns)
        if bom:
            out.write("\ufeff")
        self.csv = csv.writer(out)
        self.csv.writerow(self.columns)

    def write(self, record: dict) -> None:
        self.csv.writerow([cell(record.get(c)) for c in self.columns])


class TableWriter(Writer):
    """A rich table per document (right-to-left text printed as is)."""

    def __init__(self, out: IO[str], columns: tuple[str, ...] = TABLE_COLUMNS,
                 row: Callable[[dict], list[str]] = claim_row):
        super().__init__(out)
        from rich.console import Console

        self.columns, self.row = columns, row

        class _Console(Console):
            def on_broken_pipe(self) -> None:  # rich would exit with status 1: let the CLI say 141
                self.quiet = True
                raise BrokenPipeError()

        self.console = _Console(file=out, highlight=False, soft_wrap=False)
        if not self.console.is_terminal:
            self.console.width = WIDE  # a file or pipe has no width to fit
        self.rows: list[list[str]] = []

    def write(self, r: dict) -> None:
        self.rows.append(self.row(r))
        if len(self.rows) >= TABLE_MAX_ROWS:  # a huge document: several tables, not all its rows in memory
            self.end_document()

    def end_document(self) -> None:
        if self.rows:
            from rich.table import Table
            from rich.text import Text

            table = Table()
            for name in self.columns:
                table.add_column(name, overflow="fold")  # wrap long cells rather than cut them
            for row in self.rows:
                table.add_row(*(Text(c) for c in row))  # Text: no markup or emoji codes
            self.console.print(table)
            self.rows = []
        super().end_document()

    def close(self) -> None:
        self.end_document()


# --- the registry -------------------------------------------------------------------

@dataclass(frozen=True)
class WriterOptions:
    """What a caller may ask of any format; each format takes what applies to it."""

    with_dates: bool = True  # CSV: the date columns (known before the first record)
    bom: bool = False  # CSV: a UTF-8 byte order mark first (for Excel)
    records: str = "claims"  # or "numbers": numerals (coopfacts numbers), their own columns
    rulebook: Any = None  # HTML: the rules whose languages' names, directions and digits to show


@dataclass(frozen=True)
class OutputFormat:
    name: str
    make: Callable[[IO[str], WriterOptions], Writer]


REGISTRY: dict[str, OutputFormat] = {}


def register_format(name: str, make: Callable[[IO[str], WriterOptions], Writer]) -> None:
    """Add (or replace) the format ``name``, for :func:`make_writer`."""
    REGISTRY[name] = OutputFormat(name, make)


def _html_writer(out: IO[str], options: WriterOptions) -> Writer:
    from coopfacts.outputs.html import HtmlWriter  # only here: the table and JSON paths never load the report

    if options.records != "claims":
        raise ValueError("the HTML report shows claims; numerals are written as table, json, jsonl or csv")
    return HtmlWriter(out, rulebook=options.rulebook)  # the whole report is written at close()


def _table_writer(out: IO[str], options: WriterOptions) -> Writer:
    if options.records == "numbers":
        return TableWriter(out, NUMBER_TABLE_COLUMNS, number_row)
    return TableWriter(out)


def _csv_writer(out: IO[str], options: WriterOptions) -> Writer:
    columns = NUMBER_FIELDS if options.records == "numbers" else FIELDS
    return CsvWriter(out, with_dates=options.with_dates, bom=options.bom, columns=columns)


register_format("table", _table_writer)
register_format("json", lambda out, options: JsonWriter(out))  # any record as it is
register_format("jsonl", lambda out, options: JsonlWriter(out))
register_format("csv", _csv_writer)
register_format("html", _html_writer)

FORMATS = tuple(REGISTRY)  # the formats of this module, in the order the help lists them


def make_writer(fmt: str, out: IO[str], *, with_dates: bool = True, bom: bool = False, records: str = "claims",
                rulebook: Any = None) -> Writer:
    """The writer of format ``fmt`` (a name in :data:`REGISTRY`) writing ``records`` (claims, or
    numerals) to ``out``."""
    found = REGISTRY.get(fmt)
    if found is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(REGISTRY)}")
    if records not in RECORDS:
        raise ValueError(f"unknown records {records!r}; expected one of {', '.join(RECORDS)}")
    return found.make(out, WriterOptions(with_dates=with_dates, bom=bom, records=records, rulebook=rulebook))
