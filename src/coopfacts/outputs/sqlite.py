"""``-o claims.sqlite``: the claims in an SQLite database, typed, indexed and ready for Datasette.

Two tables: ``claims`` (one row per claim record, every field of :data:`coopfacts.model.FIELDS`
as a typed column: offsets INTEGER, ``number`` NUMERIC so that ``typeof(number)`` is integer or
real and sums sort as numbers, lists and objects as JSON text, ``relative``/``dateline`` 0 or 1),
indexed on ``kind``, ``unit``, ``doc`` and ``id``; and ``documents`` (one row per document of
each run: id, language, length, claims, when, and with ``--with-text`` its text).

A new database is written to a temporary file moved into place when the run completes; an
existing one gets the run's rows in one transaction, committed when the run completes: an
interrupted run leaves it as it was, and a later run adds rows (never replaces them).
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import functools
import json
import os
import sqlite3
import tempfile
from typing import Any

from coopfacts.model import FIELDS
from coopfacts.outputs.base import Writer, clean_value

# the declared type of each column (SQLite's type affinity); TEXT for the others
COLUMN_TYPES = {
    "start": "INTEGER", "end": "INTEGER", "sentence_start": "INTEGER", "sentence_end": "INTEGER", "range": "INTEGER",
    "number": "NUMERIC", "relative": "INTEGER", "dateline": "INTEGER",
}
JSON_COLUMNS = ("gregorian_years", "gregorian_range", "compared_to")  # lists and objects: JSON text
INDEXED = ("kind", "unit", "doc", "id")
DOCUMENT_COLUMNS = (("doc", "TEXT"), ("lang", "TEXT"), ("chars", "INTEGER"), ("claims", "INTEGER"),
                    ("extracted_at", "TEXT"), ("text", "TEXT"))
BATCH = 1000  # rows sent to SQLite at once


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_value(column: str, v: Any) -> Any:
    v = clean_value(v)
    if v is None:
        return None
    if column in JSON_COLUMNS:
        return json.dumps(v, ensure_ascii=False)
    if column == "value":  # a number or a date: as JSON Lines writes it
        return v if isinstance(v, str) else json.dumps(v)
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


class DatabaseError(ValueError):
    """The file given is no SQLite database, or one whose tables cannot take claims."""


def _as_output_error(method: Any) -> Any:
    """An SQLite error while writing (disk full, a table of another tool refusing a row) is the
    output's, as an OSError: the run stops with one line and its rows are rolled back, rather
    than the document being counted as failed and the run going on."""
    @functools.wraps(method)
    def wrapper(self: SqliteWriter, *args: Any) -> Any:
        try:
            return method(self, *args)
        except sqlite3.Error as exc:
            raise OSError(errno.EIO, str(exc), self.path) from None
    return wrapper


class SqliteWriter(Writer):
    """Claim records into the database at ``path`` (created if need be); see the module docstring."""

    def __init__(self, path: str, with_text: bool = False):
        super().__init__(None)  # type: ignore[arg-type]  # writes through its own connection
        self.path = path
        self.with_text = with_text  # documents.text: each document's text (else null)
        self._done = False
        self._tmp: str | None = None
        self.rows: list[tuple] = []
        self.doc: list[Any] | None = None
        self.when = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        if os.path.exists(path):
            self.db = self._connect(path)
        else:  # a new database appears whole or not at all
            fd, self._tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                                             prefix=f".{os.path.basename(path)}.", suffix=".tmp")
            os.close(fd)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)  # as open() would make it (mkstemp's file is 0o600)
            self.db = self._connect(self._tmp)
        try:
            self.db.execute("BEGIN IMMEDIATE")  # one transaction for the run (and no other writer meanwhile)
            self._tables()
        except sqlite3.DatabaseError as exc:
            self.abort()
            raise DatabaseError(f"{path}: {exc}") from None

    @staticmethod
    def _connect(path: str) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None)  # transactions as this class says
        return db

    def _tables(self) -> None:
        cols = ", ".join(f"{_q(c)} {COLUMN_TYPES.get(c, 'TEXT')}" for c in FIELDS)
        self.db.execute(f"CREATE TABLE IF NOT EXISTS claims ({cols})")
        have = {row[1] for row in self.db.execute("PRAGMA table_info(claims)")}
        for c in FIELDS:  # a database of an older record: its rows keep nulls in the new columns
            if c not in have:
                self.db.execute(f"ALTER TABLE claims ADD COLUMN {_q(c)} {COLUMN_TYPES.get(c, 'TEXT')}")
        for c in INDEXED:
            self.db.execute(f"CREATE INDEX IF NOT EXISTS {_q('claims_' + c)} ON claims ({_q(c)})")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS documents "
                        f"({', '.join(f'{_q(c)} {t}' for c, t in DOCUMENT_COLUMNS)})")
        have = {row[1] for row in self.db.execute("PRAGMA table_info(documents)")}
        for c, t in DOCUMENT_COLUMNS:
            if c not in have:
                self.db.execute(f"ALTER TABLE documents ADD COLUMN {_q(c)} {t}")
        self.db.execute("CREATE INDEX IF NOT EXISTS documents_doc ON documents (doc)")
        self._insert = (f"INSERT INTO claims ({', '.join(map(_q, FIELDS))}) "
                        f"VALUES ({', '.join('?' * len(FIELDS))})")

    @_as_output_error
    def begin_document(self, doc_id: str, text: str, lang: str) -> None:
        self._end_doc()
        self.doc = [doc_id, lang, len(text) if text else None, 0, text if self.with_text and text else None]

    @_as_output_error
    def write(self, record: dict) -> None:
        self.rows.append(tuple(_sql_value(c, record.get(c)) for c in FIELDS))
        if self.doc is not None:
            self.doc[3] += 1
        if len(self.rows) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.db.executemany(self._insert, self.rows)
            self.rows = []

    def _end_doc(self) -> None:
        if self.doc is not None:
            doc_id, lang, chars, n, text = self.doc
            self.db.execute("INSERT INTO documents (doc, lang, chars, claims, extracted_at, text) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (doc_id, lang, chars, n, self.when, text))
            self.doc = None

    @_as_output_error
    def end_document(self) -> None:
        self._flush()
        self._end_doc()

    @_as_output_error
    def close(self) -> None:
        self.end_document()
        self.db.execute("COMMIT")
        self.db.close()
        if self._tmp is not None:
            os.replace(self._tmp, self.path)
            self._tmp = None
        self._done = True

    def abort(self) -> None:
        """The run failed: nothing of it stays (the transaction rolled back, a new file removed)."""
        if getattr(self, "_done", False):
            return
        self._done = True
        with contextlib.suppress(sqlite3.Error):
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None

    def __del__(self) -> None:  # a run that ended in an error without abort()
        with contextlib.suppress(Exception):
            self.abort()
