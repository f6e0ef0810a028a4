"""The output formats of claim records, and the one registry that names them.

Every writer has the calls of :class:`~coopfacts.outputs.base.Writer`.  Only the table
waits (for one document's rows, to size its columns) and the HTML report (for the whole
run); the others write each record as it comes (Parquet a row group every few thousand).
:func:`make_writer` finds a format in :data:`REGISTRY`, :func:`format_of_path` the format
an ``-o`` suffix names; the HTML, SQLite and Parquet writers are imported only when asked for.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any, Callable

from coopfacts.model import FIELDS, NUMBER_FIELDS
from coopfacts.outputs.base import Writer, cell, clean_value, json_line

__all__ = ["FORMATS", "REGISTRY", "TABLE_COLUMNS", "TARGETS", "WIDE", "CsvWriter", "JsonWriter", "JsonlWriter",
           "OutputFormat", "TableWriter", "WriterOptions", "Writer", "cell", "clean_value", "document_record",
           "format_of_path", "make_writer", "register_format"]

WIDE = 160  # columns of a table written to a file or a pipe
TABLE_COLUMNS = ("doc", "start-end", "text", "kind", "value", "unit", "qualifier", "entity")
NUMBER_TABLE_COLUMNS = ("doc", "start-end", "text", "kind", "value", "weak")
UNBROKEN = ("start-end", "kind", "value", "unit", "qualifier", "weak")  # table columns kept on one line
TABLE_MAX_ROWS = 5000  # rows held before a table is printed (a document with more gets several tables)
RECORDS = ("claims", "numbers")  # what a writer writes: claim records, or numerals (`coopfacts numbers`)


def claim_row(r: dict) -> list[str]:
    return [cell(r.get("doc")), f"{r.get('start')}-{r.get('end')}", cell(r.get("text")), cell(r.get("kind")),
            cell(r.get("value")), cell(r.get("unit")), cell(r.get("qualifier")), cell(r.get("entity"))]


def number_row(r: dict) -> list[str]:
    return [cell(r.get("doc")), f"{r.get('start')}-{r.get('end')}", cell(r.get("text")), cell(r.get("kind")),
            cell(r.get("value")), "weak" if r.get("weak") else ""]


def document_record(doc_id: str, text: str | None, lang: str) -> dict:
    """``--with-text``: a document's text, once, before its claims (``text`` null for a document
    read window by window, whose whole text is never held)."""
    return {"record": "document", "doc": doc_id, "lang": lang, "text": text or None}


class JsonlWriter(Writer):
    def __init__(self, out: IO[str], with_text: bool = False):
        super().__init__(out)
        self.with_text = with_text

    def begin_document(self, doc_id: str, text: str, lang: str) -> None:
        if self.with_text:
            self.out.write(json_line(document_record(doc_id, text, lang)) + "\n")

    def write(self, record: dict) -> None:
        self.out.write(json_line(record) + "\n")


class JsonWriter(Writer):
    """One JSON array, one record a line, written as the records come."""

    def __init__(self, out: IO[str], with_text: bool = False):
        super().__init__(out)
        self.n = 0
        self.with_text = with_text

    def begin_document(self, doc_id: str, text: str, lang: str) -> None:
        if self.with_text:
            self._item(document_record(doc_id, text, lang))

    def write(self, record: dict) -> None:
        self._item(record)

    def _item(self, record: dict) -> None:
        self.out.write(("[\n" if self.n == 0 else ",\n") + json_line(record))
        self.n += 1

    def close(self) -> None:
        self.out.write("[]\n" if self.n == 0 else "\n]\n")
        super().close()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run: text starting with ``= + - @``, a tab or a carriage
    return gets a leading ``'`` (the usual defence against formula injection); a plain number
    (``-12.5``) is left as it is."""
    if text.startswith(FORMULA_STARTS):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


class CsvWriter(Writer):
    """Header = ``columns`` (claims: every field of the record, :data:`coopfacts.model.FIELDS`).
    ``delimiter``: ``,`` (CSV), ``;`` (what French and Arabic Excel open), a tab (TSV)...  Cells that a
    spreadsheet would run as formulas are neutralised (:func:`safe_cell`) unless ``raw_cells``."""

    def __init__(self, out: IO[str], with_dates: bool = True, bom: bool = False, columns: tuple[str, ...] = FIELDS,
                 delimiter: str = ",", raw_cells: bool = False):
        super().__init__(out)
        self.raw_cells = raw_cells
        self.columns = list(columns)
        if bom:
            out.write("\ufeff")
        import csv  # only when a table is written as CSV: start-up stays light

        self.csv = csv.writer(out, delimiter=delimiter)
        self.csv.writerow(self.columns)

    def write(self, record: dict) -> None:
        cells = [cell(record.get(c)) for c in self.columns]
        self.csv.writerow(cells if self.raw_cells else [safe_cell(c) for c in cells])


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

            columns, rows, title = list(self.columns), self.rows, None
            if columns[0] == "doc" and len({row[0] for row in rows}) == 1:  # one document: its id as the title
                title = Text(rows[0][0] or "")
                columns, rows = columns[1:], [row[1:] for row in rows]
            table = Table(title=title, title_justify="left")
            for i, name in enumerate(columns):
                if name in UNBROKEN:  # a number or a code is never broken across lines: the text folds instead
                    width = max(len(name), *(len(row[i]) for row in rows))
                    table.add_column(name, no_wrap=True, min_width=width)
                else:
                    table.add_column(name, overflow="fold", ratio=2 if name == "text" else 1)
            for row in rows:
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

    with_dates: bool = True  # (kept for callers: every record now has every column)
    bom: bool = False  # CSV, TSV: a UTF-8 byte order mark first (for Excel)
    raw_cells: bool = False  # CSV, TSV: cells that look like formulas written as they are (else with a leading ')
    records: str = "claims"  # or "numbers": numerals (coopfacts numbers), their own columns
    rulebook: Any = None  # HTML: the rules whose languages' names, directions and digits to show
    delimiter: str | None = None  # CSV: the field separator (default ",")
    with_text: bool = False  # JSON, JSON Lines, SQLite: each document's text, once


# What a format writes to: a text stream (standard output or -o FILE, which may be gzipped), a
# binary stream (-o FILE only), or a file name it opens itself (a database: -o FILE only).
TARGETS = ("text", "binary", "path")


@dataclass(frozen=True)
class OutputFormat:
    name: str
    make: Callable[[Any, WriterOptions], Writer]
    suffixes: tuple[str, ...] = ()  # the -o suffixes that choose it (without the dot)
    target: str = "text"  # one of TARGETS
    gzip: bool = False  # -o FILE.gz is this format, gzipped
    requires: tuple[str, str] | None = None  # (module, extra): an optional dependency it imports

    def missing(self) -> str | None:
        """One line saying how to install what this format needs, or None when it is there."""
        if self.requires is None:
            return None
        import importlib.util

        module, extra = self.requires
        if importlib.util.find_spec(module) is not None:
            return None
        return f"--format {self.name} needs {module}: pip install 'coopfacts[{extra}]'"


REGISTRY: dict[str, OutputFormat] = {}


def register_format(name: str, make: Callable[[Any, WriterOptions], Writer], *, suffixes: tuple[str, ...] = (),
                    target: str = "text", gzip: bool = False, requires: tuple[str, str] | None = None) -> None:
    """Add (or replace) the format ``name``, for :func:`make_writer`; ``suffixes`` choose it for
    ``-o FILE``, ``target`` says what it writes to (:data:`TARGETS`), ``gzip`` that ``FILE.gz``
    may be written compressed, ``requires`` the (module, extra) of an optional dependency."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    REGISTRY[name] = OutputFormat(name, make, suffixes, target, gzip, requires)


def format_of_path(path: str) -> tuple[str | None, bool]:
    """``(format, gzipped)`` chosen by a file name's suffix (``claims.csv.gz``: csv, True);
    ``(None, False)`` for a name without a suffix; ``ValueError`` for a suffix no format has."""
    name = path.lower().rsplit("/", 1)[-1]
    gz = name.endswith(".gz") and name.count(".") >= 2
    if gz:
        name = name[:-3]
    if "." not in name.lstrip("."):
        return None, False
    suffix = name.rsplit(".", 1)[1]
    for fmt in REGISTRY.values():
        if suffix in fmt.suffixes and (fmt.gzip or not gz):
            return fmt.name, gz
    known = "; ".join(f"{f.name} ({', '.join('.' + x for x in f.suffixes)})" for f in REGISTRY.values() if f.suffixes)
    gzipped = ", ".join(f.name for f in REGISTRY.values() if f.gzip and f.suffixes)
    raise ValueError(f"-o {path}: no format writes .{suffix}{'.gz' if gz else ''}; formats: {known}; "
                     f"FILE.gz for {gzipped}")


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
    return CsvWriter(out, bom=options.bom, columns=columns, delimiter=options.delimiter or ",",
                     raw_cells=options.raw_cells)


def _tsv_writer(out: IO[str], options: WriterOptions) -> Writer:
    columns = NUMBER_FIELDS if options.records == "numbers" else FIELDS
    return CsvWriter(out, bom=options.bom, columns=columns, delimiter="\t", raw_cells=options.raw_cells)


def _claims_only(name: str, options: WriterOptions) -> None:
    if options.records != "claims":
        raise ValueError(f"--format {name} writes claims; numerals are written as table, json, jsonl, csv or tsv")


def _sqlite_writer(path: str, options: WriterOptions) -> Writer:
    from coopfacts.outputs.sqlite import SqliteWriter

    _claims_only("sqlite", options)
    return SqliteWriter(path, with_text=options.with_text)


def _parquet_writer(out: IO[bytes], options: WriterOptions) -> Writer:
    from coopfacts.outputs.parquet import ParquetWriter

    _claims_only("parquet", options)
    return ParquetWriter(out)


register_format("table", _table_writer)
register_format("json", lambda out, options: JsonWriter(out, options.with_text), suffixes=("json",),
                gzip=True)  # any record as it is
register_format("jsonl", lambda out, options: JsonlWriter(out, options.with_text), suffixes=("jsonl", "ndjson"),
                gzip=True)
register_format("csv", _csv_writer, suffixes=("csv",), gzip=True)
register_format("tsv", _tsv_writer, suffixes=("tsv", "tab"), gzip=True)
register_format("html", _html_writer, suffixes=("html", "htm"))
register_format("sqlite", _sqlite_writer, suffixes=("sqlite", "sqlite3", "db"), target="path")
register_format("parquet", _parquet_writer, suffixes=("parquet",), target="binary", requires=("pyarrow", "parquet"))

FORMATS = tuple(REGISTRY)  # the formats of this module, in the order the help lists them


def make_writer(fmt: str, out: Any, *, with_dates: bool = True, bom: bool = False, records: str = "claims",
                rulebook: Any = None, delimiter: str | None = None, raw_cells: bool = False,
                with_text: bool = False) -> Writer:
    """The writer of format ``fmt`` (a name in :data:`REGISTRY`) writing ``records`` (claims, or
    numerals) to ``out``: a text stream, a binary stream or a file name, as the format's
    ``target`` says."""
    found = REGISTRY.get(fmt)
    if found is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(REGISTRY)}")
    if records not in RECORDS:
        raise ValueError(f"unknown records {records!r}; expected one of {', '.join(RECORDS)}")
    return found.make(out, WriterOptions(with_dates=with_dates, bom=bom, records=records, rulebook=rulebook,
                                         delimiter=delimiter, raw_cells=raw_cells, with_text=with_text))
