"""What every writer shares: the :class:`Writer` calls and the formatting of values and cells.

A writer gets ``begin_document(doc_id, text, lang)`` before each document's records,
``write(record)`` for each record (a dict from ``Claim.to_dict()``, or a finding, or a
numeral), ``end_document()`` after each document and ``close()`` once at the end.
"""
from __future__ import annotations

import json
import math
import re
from typing import IO, Any


class Writer:
    """The base of every output format: ``write`` is the one call a format must define."""

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

    def abort(self) -> None:
        """The run failed before ``close()``: a writer that keeps a file of its own (a database)
        leaves it as it was; one writing to a stream has nothing to do."""


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


def json_line(record: dict) -> str:
    """A record as one line of JSON (no newline at the end): values cleaned, non-ASCII kept."""
    out = json.dumps(clean_value(record), ensure_ascii=False)
    return _LINE_BREAK_RE.sub(lambda m: _LINE_BREAKS[m.group()], out) if _LINE_BREAK_RE.search(out) else out


def cell(v: Any) -> str:
    """A CSV/table cell: None empty, lists and mappings as JSON, numbers as JSON writes them."""
    v = clean_value(v)
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)
