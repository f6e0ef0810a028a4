"""JSON Lines corpora: one document a line, a JSON object with its id, text and language fields.

A corpus is a ``.jsonl`` or ``.jsonl.gz`` file (or any file read as JSON Lines), plain or
gzip-compressed: compressed is known by its first bytes, whatever its name.  A line that is not
a JSON object with the fields becomes a :class:`Failure` named ``file:line``; the other lines
go on.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import io
import json
import sys
import zlib
from typing import Any, BinaryIO, Callable, Iterator

from coopfacts.io.decode import SNIFF, binary_reason
from coopfacts.io.documents import STDIN_ID
from coopfacts.io.failures import Failure, InputProblem, missing_reason
from coopfacts.io.opening import open_input, walk_files
from coopfacts.model import Document

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
MAX_DUPLICATES_SAID = 10  # duplicate ids said one by one, per corpus
RECORD_LIMIT = 64 << 20  # bytes: a longer line is refused (a record is read whole)
GZIP_MAGIC = b"\x1f\x8b"


def json_object(line: str) -> dict[str, Any]:
    """One JSON Lines record, which must be an object; otherwise a ``ValueError`` saying why
    (the caller adds where: every reader of JSON Lines objects words it alike)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError:  # Python refuses integers of over 4 300 digits (sys.set_int_max_str_digits)
        raise ValueError("not valid JSON here (a number of thousands of digits)") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def is_jsonl_path(path: str) -> bool:
    return path.lower().endswith(JSONL_SUFFIXES)


def expand_jsonl_dir(path: str) -> tuple[list[str], list[Failure]]:
    """The ``.jsonl``/``.jsonl.gz`` files of a directory, recursively, in sorted order, and why
    some or all could not be listed."""
    found, failures = walk_files(path, is_jsonl_path)
    if not found and not failures:
        failures.append(Failure(path, "no .jsonl/.jsonl.gz files in directory"))
    return found, failures


def is_gzipped(path: str) -> bool:
    """Whether the file starts as gzip does (standard input: assumed, as it cannot be looked at twice)."""
    if path == "-":
        return True
    try:
        fh, _ = open_input(path)
    except (OSError, InputProblem):
        return False
    with fh:
        return fh.read(2) == GZIP_MAGIC


class _Raw(io.RawIOBase):
    """A stream that can only ``read()`` (a test's standard input), made raw so that a
    BufferedReader over it can peek at its first bytes."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._stream.read(len(b))
        b[:len(data)] = data
        return len(data)


def _open(path: str, stdin: BinaryIO | None) -> tuple[BinaryIO, BinaryIO | None, bool]:
    """(stream to read lines from, file to close, gzip-compressed): compressed by its first
    bytes, whatever its name."""
    fh = None
    if path == "-":
        raw: Any = stdin or sys.stdin.buffer
    else:
        fh, _ = open_input(path)
        raw = fh
    if not hasattr(raw, "peek"):
        raw = io.BufferedReader(_Raw(raw))
    if raw.peek(2)[:2] == GZIP_MAGIC:
        import gzip  # only for a gzipped file: start-up stays light

        return gzip.GzipFile(fileobj=raw, mode="rb"), fh, True  # type: ignore[return-value]
    return raw, fh, False


def gzip_damage(path: str) -> str | None:
    """Why a gzip-compressed file is damaged (its whole stream decompressed once, checksums
    included, nothing kept), or None.  A damaged deflate stream gives garbled bytes before the
    checksum that tells: so a file is checked through before any line of it is read.  A file cut
    short is not damaged before the cut: it is left to be read (the lines before the cut stay)."""
    try:
        fh, _ = open_input(path)
    except (OSError, InputProblem) as exc:
        return str(exc)
    try:
        import gzip

        with fh, gzip.GzipFile(fileobj=fh, mode="rb") as z:
            while z.read(1 << 20):
                pass
    except EOFError:
        return None  # truncated: the lines before the cut are sound (said when the end is met)
    except (OSError, zlib.error) as exc:
        return f"damaged compressed stream ({exc})"
    return None


def _skip_line(stream: BinaryIO) -> int:
    """Read to the end of the current line; the bytes skipped."""
    n = 0
    while True:
        chunk = stream.readline(1 << 20)
        n += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return n


def _field_type(v: Any) -> str:
    return "null" if v is None else {dict: "an object", list: "an array", bool: "a boolean", str: "a string",
                                      int: "a number", float: "a number"}.get(type(v), type(v).__name__)


def iter_jsonl(path: str, *, id_field: str = "id", text_field: str = "text", lang_field: str | None = None,
               languages: list[str] | None = None, encoding: str | None = None,
               stdin: BinaryIO | None = None,
               date_field: str | None = None,
               warn: Callable[[str], None] | None = None) -> Iterator[tuple[Document | Failure | None, int]]:
    """``(Document or Failure, bytes read)`` for each line of a JSON Lines corpus; a blank
    line gives ``(None, bytes)``.  ``date_field``: the field holding a document's publication date
    (``2024-03-05``, or a timestamp starting so), its ``Document.date``.  ``warn`` is told of an id
    met before in the same corpus (``file:line: duplicate id 'x' (first at line N)``; the document
    is read all the same).

    A Failure for a line is named ``path:line``; a file that cannot be opened, is binary or
    whose compressed stream is damaged is one Failure named by its path (the lines before the
    damage stay).
    """
    shown = STDIN_ID if path == "-" else path
    enc = encoding or "utf-8"
    try:
        wide = codecs.lookup(enc).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        wide = False  # said on each line
    if wide:
        yield Failure(shown, f"JSON Lines are read as UTF-8 or an 8-bit encoding, not {enc}"), 0
        return
    try:
        stream, fh, compressed = _open(path, stdin)
    except OSError as exc:
        yield Failure(path, missing_reason(path, exc)), 0
        return
    except InputProblem as exc:
        yield Failure(path, str(exc)), 0
        return
    if compressed and fh is not None:
        damage = gzip_damage(path)  # a file: checked through before any line is given
        if damage is not None:
            fh.close()
            yield Failure(shown, f"{damage}; no line of it was read"), 0
            return
    try:
        try:
            head = stream.peek(SNIFF)[:SNIFF]  # type: ignore[attr-defined]
        except (OSError, EOFError, zlib.error):
            head = b""  # a damaged stream: said when its lines are read
        reason = binary_reason(head)
        if reason and not head.lstrip().startswith((b"{", b"[")):
            yield Failure(shown, reason), 0
            return
        fields = (id_field, text_field, lang_field, languages, date_field)
        yield from _lines(stream, shown, enc, compressed, fields, warn)
    finally:
        if fh is not None:
            fh.close()


def _lines(stream: BinaryIO, shown: str, enc: str, compressed: bool,
           fields: tuple[str, str, str | None, list[str] | None, str | None],
           warn: Callable[[str], None] | None = None) -> Iterator[tuple[Document | Failure | None, int]]:
    """What :func:`iter_jsonl` gives for each line of an opened corpus."""
    lineno = 0
    seen: dict[str, int] = {}  # id -> line first met (only when duplicates are to be said)
    duplicates = 0
    lines = iter(lambda: stream.readline(RECORD_LIMIT + 1), b"")
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            break
        except (OSError, EOFError, zlib.error) as exc:
            why = "compressed stream ends early (truncated?)" if isinstance(exc, EOFError) else \
                f"damaged compressed stream ({exc})" if compressed else f"read error: {exc}"
            # standard input cannot be checked before it is read: the lines before may be damaged too
            damaged = compressed and lineno and not isinstance(exc, EOFError)
            after = f"; the {lineno} line{'s' if lineno != 1 else ''} before it may be garbled too" if damaged else ""
            yield Failure(shown, f"{why} after line {lineno}{after}"), 0
            return
        if len(raw) > RECORD_LIMIT and not raw.endswith(b"\n"):
            lineno += 1
            size = len(raw) + _skip_line(stream)
            yield Failure(f"{shown}:{lineno}", f"record over {RECORD_LIMIT >> 20} MiB ({size} bytes); skipped"), size
            continue
        lineno += 1
        if lineno == 1:
            if enc.replace("_", "-").lower() in ("utf-8", "utf8") and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
        item = _record(raw, f"{shown}:{lineno}", enc, *fields)
        if warn is not None and isinstance(item, Document):
            first = seen.setdefault(item.id, lineno)
            if first != lineno:
                duplicates += 1
                if duplicates <= MAX_DUPLICATES_SAID:
                    warn(f"{shown}:{lineno}: duplicate id {item.id!r} (first at line {first}); "
                         "its claims carry the same doc as the first's")
                elif duplicates == MAX_DUPLICATES_SAID + 1:
                    warn(f"{shown}: more duplicate ids; the others are not listed")
        yield item, len(raw)


def _record(raw: bytes, where: str, enc: str, id_field: str, text_field: str, lang_field: str | None,
            languages: list[str] | None, date_field: str | None = None) -> Document | Failure | None:
    if not raw.strip():
        return None  # a blank line (often the last one)
    try:
        line = raw.decode(enc).rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return Failure(where, f"not valid {'UTF-8' if enc.lower() in ('utf-8', 'utf8') else enc} "
                              f"(column {exc.start + 1}: 0x{raw[exc.start]:02X})")
    except LookupError:
        return Failure(where, f"unknown encoding {enc!r}")
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(where, f"invalid JSON ({exc.msg}, column {exc.colno})")
    except ValueError:  # Python refuses integers of over 4 300 digits (sys.set_int_max_str_digits)
        return Failure(where, "invalid JSON here (a number of thousands of digits)")
    except RecursionError:
        return Failure(where, "invalid JSON (nested too deeply)")
    if not isinstance(rec, dict):
        return Failure(where, f"not a JSON object (got {_field_type(rec)})")
    if id_field not in rec:
        return Failure(where, f"no {id_field!r} field")
    doc_id = rec[id_field]
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int, float)):
        return Failure(where, f"field {id_field!r} is not a string or number (got {_field_type(doc_id)})")
    if text_field not in rec:
        return Failure(where, f"no {text_field!r} field")
    text = rec[text_field]
    if not isinstance(text, str):
        return Failure(where, f"field {text_field!r} is not a string (got {_field_type(text)})")
    lang = None
    if lang_field is not None:
        value = rec.get(lang_field)
        if value is not None and not isinstance(value, str):
            return Failure(where, f"field {lang_field!r} is not a string (got {_field_type(value)})")
        value = (value or "").strip().lower()
        if value and value != "auto":
            if languages is not None and value not in languages:
                return Failure(where, f"unknown language {value!r} in field {lang_field!r}; "
                                      f"rule files exist for: {', '.join(languages)}")
            lang = value
    doc_id = str(doc_id)
    if not doc_id.isascii():
        # a lone surrogate ("\\ud800" in the JSON) cannot be written in UTF-8: kept as its escape
        doc_id = doc_id.encode("utf-8", "backslashreplace").decode("utf-8")
    day = None
    if date_field is not None:
        value = rec.get(date_field)
        if value not in (None, ""):
            try:
                day = _dt.date.fromisoformat(value[:10]) if isinstance(value, str) else None
            except ValueError:
                day = None
            if day is None:
                return Failure(where, f"field {date_field!r} is not a date YYYY-MM-DD (got {value!r:.40})")
    return Document(id=doc_id, text=text, lang=lang, date=day)
