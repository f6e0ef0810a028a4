"""Turning command-line paths into documents.

A path is a file, a directory (its ``.txt`` and ``.md`` files, recursively, in
sorted order) or ``-`` for standard input.  Bytes are decoded as UTF-8 (with or
without a BOM), as UTF-16/32 when a BOM says so, or with a forced ``encoding``.
An input that cannot be read becomes a :class:`Failure` with a one-line reason;
the other inputs go on.
"""
from __future__ import annotations

import codecs
import os
import sys
from typing import BinaryIO, Iterable, Iterator, NamedTuple

from .model import Document

STDIN_ID = "<stdin>"
TEXT_SUFFIXES = (".txt", ".md")
SNIFF = 8192  # bytes looked at for NULs

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class Failure(NamedTuple):
    """An input that produced no document: ``(path, message)``."""

    path: str
    message: str


class DecodeProblem(ValueError):
    """The bytes are not text in the expected encoding; ``str()`` says why."""


def decode(data: bytes, encoding: str | None = None) -> str:
    """Text of ``data``; raises :class:`DecodeProblem` with a reason fit for users."""
    bom, bom_enc = next(((b, e) for b, e in _BOMS if data.startswith(b)), (b"", None))
    enc = encoding or bom_enc or "utf-8"
    try:
        wide = codecs.lookup(enc).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        raise DecodeProblem(f"unknown encoding {enc!r}") from None
    if bom_enc is None and not wide and b"\x00" in data[:SNIFF]:
        raise DecodeProblem(_binary_reason(data[:SNIFF]))
    skip = len(bom) if encoding is None else 0  # a forced encoding decodes the BOM too (dropped below)
    try:
        text = data[skip:].decode(enc)
    except UnicodeDecodeError as exc:
        at = skip + exc.start  # offset in the file
        if encoding is None and bom_enc in (None, "utf-8"):
            raise DecodeProblem(f"not valid UTF-8 (byte offset {at}: 0x{data[at]:02X}); "
                                f"try --encoding {guess_legacy_encoding(data)}") from None
        raise DecodeProblem(f"not valid {enc} (byte offset {at})") from None
    return text.removeprefix("\ufeff")


def guess_legacy_encoding(data: bytes) -> str:
    """cp1256 (Arabic script) when high bytes outnumber ASCII letters, else cp1252.

    In Arabic or Persian text in cp1256 nearly every letter is a high byte; in
    French text in cp1252 only accented letters are.
    """
    sample = data[: 1 << 16]
    high = sum(b >= 0x80 for b in sample)
    ascii_letters = sum(97 <= (b | 0x20) <= 122 for b in sample)
    return "cp1256" if high > ascii_letters else "cp1252"


def _binary_reason(sample: bytes) -> str:
    # Text in UTF-16 without a BOM has a NUL in every other byte.
    for parity, enc in ((1, "utf-16-le"), (0, "utf-16-be")):
        half = sample[parity::2]
        if len(half) >= 2 and half.count(0) >= 0.9 * len(half):
            return f"binary file (NUL bytes); if it is UTF-16 text without a BOM, try --encoding {enc}"
    return "binary file (NUL bytes in the first 8 KiB)"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or str(exc)).lower()


def expand_path(path: str) -> tuple[list[str], list[Failure]]:
    """The file paths that ``path`` stands for, and why some or all could not be listed."""
    if path == "-":
        return [path], []
    if not os.path.exists(path):
        if os.path.islink(path):
            return [], [Failure(path, f"broken symbolic link (points to {os.readlink(path)})")]
        return [], [Failure(path, "no such file or directory")]
    if not os.path.isdir(path):
        return [path], []
    if not os.access(path, os.R_OK | os.X_OK):
        return [], [Failure(path, "permission denied")]
    found: list[str] = []
    failures: list[Failure] = []
    # os.walk does not follow links to directories, so a link loop cannot trap it.
    for root, dirs, files in os.walk(path, onerror=lambda e: failures.append(Failure(e.filename, _os_reason(e)))):
        dirs.sort()
        found.extend(os.path.join(root, f) for f in files if f.lower().endswith(TEXT_SUFFIXES))
    if not found and not failures:
        failures.append(Failure(path, "no .txt/.md files in directory"))
    return sorted(found), failures


def read_document(path: str, encoding: str | None = None, stdin: BinaryIO | None = None) -> Document | Failure:
    """One document from a file path or ``-`` (standard input)."""
    try:
        if path == "-":
            data = (stdin or sys.stdin.buffer).read()
        elif os.path.islink(path) and not os.path.exists(path):
            return Failure(path, f"broken symbolic link (points to {os.readlink(path)})")
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        return Failure(path, _os_reason(exc))
    try:
        text = decode(data, encoding)
    except DecodeProblem as exc:
        return Failure(path, str(exc))
    doc_id = STDIN_ID if path == "-" else path
    return Document(id=doc_id, text=text, path=None if path == "-" else path)


def iter_documents(paths: Iterable[str], encoding: str | None = None,
                   stdin: BinaryIO | None = None) -> Iterator[Document | Failure]:
    """Documents (and failures) in the order the paths were given; files are read one at a time."""
    for path in paths:
        files, failures = expand_path(path)
        yield from failures
        for f in files:
            yield read_document(f, encoding, stdin)


def load_documents(paths: Iterable[str], encoding: str | None = None,
                   stdin: BinaryIO | None = None) -> tuple[list[Document], list[Failure]]:
    """All documents and all failures at once (for small inputs and tests)."""
    docs: list[Document] = []
    failures: list[Failure] = []
    for item in iter_documents(paths, encoding, stdin):
        (failures if isinstance(item, Failure) else docs).append(item)
    return docs, failures
