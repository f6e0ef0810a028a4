"""Streaming writers for claim records (dicts from ``Claim.to_dict()``).

Every writer has the same three calls: ``write(record)`` for each claim,
``end_document()`` after each document, ``close()`` once at the end.  Only the
table waits (for one document's rows, to size its columns); the others write
each record as it comes.  :func:`atomic_output` writes ``-o FILE`` through a
temporary file so an interrupted run leaves the old file as it was.
"""
from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import re
import signal
import tempfile
from typing import IO, Any, Iterator

from coopfacts.model import FIELDS, OPTIONAL_FIELDS

FORMATS = ("table", "json", "jsonl", "csv", "html")
# Optional columns of the CSV (dates only).  dates.py also writes gregorian_range.
DATE_COLUMNS = tuple(dict.fromkeys((*OPTIONAL_FIELDS, "gregorian_range")))
WIDE = 160  # columns of a table written to a file or a pipe
TABLE_COLUMNS = ("doc", "start-end", "text", "kind", "value", "unit", "qualifier", "entity")
TABLE_MAX_ROWS = 5000  # rows held before a table is printed (a document with more gets several tables)


def clean_value(v: Any) -> Any:
    """Integral floats as ints (1500, not 1500.0); other floats keep their shortest repr."""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, (list, tuple)):
        return [clean_value(x) for x in v]
    if isinstance(v, dict):
        return {k: clean_value(x) for k, x in v.items()}
    return v


# Characters json.dumps leaves raw (inside strings) that readers splitting on Unicode line
# breaks (str.splitlines, JavaScript) take for the end of a line: escaped, so that a JSON
# Lines record is one line for every reader.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
_LINE_BREAK_RE = re.compile("[\u2028\u2029\x85]")


def _json(record: dict) -> str:
    out = json.dumps(clean_value(record), ensure_ascii=False)
    return _LINE_BREAK_RE.sub(lambda m: _LINE_BREAKS[m.group()], out) if _LINE_BREAK_RE.search(out) else out


def _cell(v: Any) -> str:
    """A CSV/table cell: None empty, lists and mappings as JSON, numbers as JSON writes them."""
    v = clean_value(v)
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


class Writer:
    def __init__(self, out: IO[str]):
        self.out = out

    def begin_document(self, doc_id: str, text: str, lang: str) -> None:
        """Called before a document's records; only the HTML report uses the text."""

    def write(self, record: dict) -> None:
        raise NotImplementedError

    def end_document(self) -> None:
        self.out.flush()

    def close(self) -> None:
        self.out.flush()


class JsonlWriter(Writer):
    def write(self, record: dict) -> None:
        self.out.write(_json(record) + "\n")


class JsonWriter(Writer):
    """One JSON array, one record a line, written as the records come."""

    def __init__(self, out: IO[str]):
        super().__init__(out)
        self.n = 0

    def write(self, record: dict) -> None:
        self.out.write(("[\n" if self.n == 0 else ",\n") + _json(record))
        self.n += 1

    def close(self) -> None:
        self.out.write("[]\n" if self.n == 0 else "\n]\n")
        super().close()


class CsvWriter(Writer):
    """Header = model.FIELDS, plus the date columns when dates may occur (so the header is known up front)."""

    def __init__(self, out: IO[str], with_dates: bool = True, bom: bool = False):
        super().__init__(out)
        self.columns = list(FIELDS) + (list(DATE_COLUMNS) if with_dates else [])
        if bom:
            out.write("\ufeff")
        self.csv = csv.writer(out)
        self.csv.writerow(self.columns)

    def write(self, record: dict) -> None:
        self.csv.writerow([_cell(record.get(c)) for c in self.columns])


class TableWriter(Writer):
    """A rich table per document (right-to-left text printed as is)."""

    def __init__(self, out: IO[str]):
        super().__init__(out)
        from rich.console import Console

        class _Console(Console):
            def on_broken_pipe(self) -> None:  # rich would exit with status 1: let the CLI say 141
                self.quiet = True
                raise BrokenPipeError()

        self.console = _Console(file=out, highlight=False, soft_wrap=False)
        if not self.console.is_terminal:
            self.console.width = WIDE  # a file or pipe has no width to fit
        self.rows: list[list[str]] = []

    def write(self, r: dict) -> None:
        self.rows.append([
            _cell(r.get("doc")), f"{r.get('start')}-{r.get('end')}", _cell(r.get("text")), _cell(r.get("kind")),
            _cell(r.get("value")), _cell(r.get("unit")), _cell(r.get("qualifier")), _cell(r.get("entity")),
        ])
        if len(self.rows) >= TABLE_MAX_ROWS:  # a huge document: several tables, not all its rows in memory
            self.end_document()

    def end_document(self) -> None:
        if self.rows:
            from rich.table import Table
            from rich.text import Text

            table = Table()
            for name in TABLE_COLUMNS:
                table.add_column(name, overflow="fold")  # wrap long cells rather than cut them
            for row in self.rows:
                table.add_row(*(Text(cell) for cell in row))  # Text: no markup or emoji codes
            self.console.print(table)
            self.rows = []
        super().end_document()

    def close(self) -> None:
        self.end_document()


def make_writer(fmt: str, out: IO[str], *, with_dates: bool = True, bom: bool = False) -> Writer:
    if fmt == "table":
        return TableWriter(out)
    if fmt == "json":
        return JsonWriter(out)
    if fmt == "jsonl":
        return JsonlWriter(out)
    if fmt == "csv":
        return CsvWriter(out, with_dates=with_dates, bom=bom)
    if fmt == "html":
        from coopfacts.outputs.html import HtmlWriter  # the whole report is written at close()

        return HtmlWriter(out)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class Terminated(BaseException):
    """SIGTERM arrived while ``-o FILE`` was being written (a BaseException, like KeyboardInterrupt,
    so that no ``except Exception`` on the way swallows it)."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[dict]:
    """While the block runs, SIGTERM raises :class:`Terminated` (main thread only; elsewhere
    signals cannot be handled and the default applies).  The dict it yields has ``armed``:
    set it to False once the output is in place, and a SIGTERM is only noted (``pending``)."""
    state = {"armed": True, "pending": False}

    def handler(signum: int, frame: Any) -> None:
        if state["armed"]:
            state["armed"] = False
            raise Terminated()
        state["pending"] = True

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM
        yield state
        return
    try:
        yield state
    finally:
        signal.signal(signal.SIGTERM, old)
    if state["pending"]:
        _die_by_sigterm()


def _die_by_sigterm() -> None:
    """End the process as SIGTERM would have (exit status 143 in a shell)."""
    import sys

    sys.stderr.flush()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    raise SystemExit(128 + signal.SIGTERM)  # pragma: no cover - only where kill() returns


@contextlib.contextmanager
def atomic_output(path: str, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file at ``path`` that appears only when the block ends without error.

    The data goes to a temporary file in the same directory, moved over ``path``
    with ``os.replace``; on any error or interrupt (Ctrl-C, SIGTERM) the temporary
    file is removed and an existing ``path`` stays as it was.  SIGTERM then ends the
    process as it would have (exit status 143) once the temporary file is gone.
    """
    directory = os.path.dirname(os.path.abspath(path))
    with _sigterm_raises() as state:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with open(fd, "w", encoding=encoding, newline="") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            try:
                mode = os.stat(path).st_mode & 0o7777  # keep the mode of the file replaced
            except FileNotFoundError:
                mode = _new_file_mode()
            os.chmod(tmp, mode)
            os.replace(tmp, path)
            state["armed"] = False  # complete: a SIGTERM from now on waits for the block to end
        except BaseException as exc:
            state["armed"] = False
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, Terminated):
                import sys

                print(f"coopfacts: terminated; {path} not written", file=sys.stderr, flush=True)
                _die_by_sigterm()
            raise
