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


_ATOMS = frozenset({str, int, bool, type(None)})  # left as they are: nothing to clean inside


def clean_value(v: Any) -> Any:
    """Integral floats as ints (1500, not 1500.0); other floats keep their shortest repr."""
    t = type(v)
    if t in _ATOMS:
        return v
    if t is dict:  # a record: most of its values are strings, ints and None, kept as they are
        return {k: x if type(x) in _ATOMS else clean_value(x) for k, x in v.items()}
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, (list, tuple)):
        return [x if type(x) in _ATOMS else clean_value(x) for x in v]
    if isinstance(v, dict):
        return {k: clean_value(x) for k, x in v.items()}
    return v


# Characters json.dumps leaves raw (inside strings) that readers splitting on Unicode line
# breaks (str.splitlines, JavaScript) take for the end of a line: escaped, so that a JSON
# Lines record is one line for every reader.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
_LINE_BREAK_RE = re.compile("[\u2028\u2029\x85]")


# json.dumps(v, ensure_ascii=False) builds an encoder at each call; this one is built once and
# writes the same bytes
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_orjson: Any = None  # the orjson module, when the `fast` extra is installed (looked up on first use)


def _fast_encoder() -> Any:
    global _orjson
    if _orjson is None:
        try:
            import orjson
        except ImportError:
            _orjson = False
        else:
            _orjson = orjson
    return _orjson


def _finite(v: Any) -> bool:
    """No NaN or infinity anywhere in ``v`` (orjson writes them as null, json as NaN)."""
    t = type(v)
    if t is float:
        return math.isfinite(v)
    if t is dict:
        return all(type(x) in _ATOMS or _finite(x) for x in v.values())
    if t is list or t is tuple:
        return all(type(x) in _ATOMS or _finite(x) for x in v)
    return True


def _clean_record(record: dict) -> tuple[dict, bool]:
    """``clean_value(record)``, and whether every value in it is finite, in one pass over a
    record's fields (most are strings, ints and None: kept as they are)."""
    out = {}
    finite = True
    for k, x in record.items():
        t = type(x)
        if t in _ATOMS:
            out[k] = x
            continue
        if t is float:
            if math.isfinite(x):
                out[k] = int(x) if x.is_integer() and abs(x) < 2**53 else x
                continue
            finite = False
        x = clean_value(x)
        out[k] = x
        if finite and not _finite(x):
            finite = False
    return out, finite


def json_dumps(v: Any, finite: bool | None = None) -> str:
    """``v`` (cleaned) as JSON text with non-ASCII kept: orjson's when installed (the `fast`
    extra: the same JSON value, without the spaces after ``,`` and ``:``), else the json
    module's.  What orjson refuses (a lone surrogate, an integer past 64 bits, a NaN) is
    written by the json module, as before.  ``finite``: whether ``v`` holds no NaN or
    infinity, if known."""
    fast = _orjson if _orjson is not None else _fast_encoder()
    if fast and (_finite(v) if finite is None else finite):
        try:
            return fast.dumps(v).decode("utf-8")
        except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError
            pass
    return _ENCODE(v)


def json_line(record: dict) -> str:
    """A record as one line of JSON (no newline at the end): values cleaned, non-ASCII kept."""
    if type(record) is dict:
        rec, finite = _clean_record(record)
        out = json_dumps(rec, finite)
    else:
        out = json_dumps(clean_value(record))
    if "\u2028" in out or "\u2029" in out or "\x85" in out:  # three scans in C beat one regex search
        return _LINE_BREAK_RE.sub(lambda m: _LINE_BREAKS[m.group()], out)
    return out


def cell(v: Any) -> str:
    """A CSV/table cell: None empty, lists and mappings as JSON, numbers as JSON writes them."""
    v = clean_value(v)
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)
