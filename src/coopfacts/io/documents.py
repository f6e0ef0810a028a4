"""Paths to documents: files, directories and standard input.

A path is a file, a directory (its ``.txt`` and ``.md`` files, recursively, in sorted order)
or ``-`` for standard input.  An HTML page (``.html``, ``.htm``, or any input when asked) becomes
the text of its article (:mod:`coopfacts.io.html`).  An input that cannot be read becomes a :class:`Failure` with a
one-line reason; the other inputs go on.  Bytes are decoded by :mod:`coopfacts.io.decode`; an
input over ``stream_over`` bytes, when the caller asks for it, becomes a
:class:`~coopfacts.io.stream.StreamedDocument` instead of being read whole.
"""
from __future__ import annotations

import os
import sys
from typing import BinaryIO, Iterable, Iterator

from coopfacts.io.decode import DecodeProblem, decode
from coopfacts.io.failures import Failure, InputProblem, missing_reason, os_reason
from coopfacts.io.html import HTML_SUFFIXES, is_html_path, main_text
from coopfacts.io.opening import WHOLE_LIMIT, open_input, read_limited, walk_files
from coopfacts.io.stream import StreamedDocument
from coopfacts.model import Document

# decode and DecodeProblem are given here too: callers that read bytes of their own import them from here
__all__ = ["STDIN_ID", "TEXT_SUFFIXES", "DecodeProblem", "Failure", "decode", "document_id", "expand_path",
           "iter_documents", "load_documents", "read_document"]

STDIN_ID = "<stdin>"
TEXT_SUFFIXES = (".txt", ".md")


# --- paths ---------------------------------------------------------------------------

def expand_path(path: str, suffixes: tuple[str, ...] = TEXT_SUFFIXES) -> tuple[list[str], list[Failure]]:
    """The file paths that ``path`` stands for (a directory: its files ending in ``suffixes``),
    and why some or all could not be listed."""
    if path == "-":
        return [path], []
    try:
        os.stat(path)
    except OSError as exc:
        return [], [Failure(path, missing_reason(path, exc))]
    except ValueError:  # a NUL in the name
        return [], [Failure(path, "invalid file name")]
    if not os.path.isdir(path):
        return [path], []
    if not os.access(path, os.R_OK | os.X_OK):
        return [], [Failure(path, "permission denied")]
    found, failures = walk_files(path, lambda name: name.lower().endswith(suffixes))
    if not found and not failures:
        failures.append(Failure(path, f"no {'/'.join(suffixes)} files in directory"))
    return found, failures


# --- reading --------------------------------------------------------------------------

def read_document(path: str, encoding: str | None = None, stdin: BinaryIO | None = None,
                  stream_over: int | None = None, html: bool | None = None) -> "Document | StreamedDocument | Failure":
    """One document from a file path or ``-`` (standard input).

    With ``stream_over``, an input larger than that many bytes becomes a
    :class:`StreamedDocument` (to be closed by the caller) instead of being read whole.
    ``html``: the input is an HTML page, read whole and replaced by its article's text (None:
    when its name ends in ``.html``/``.htm``).
    """
    doc_id = STDIN_ID if path == "-" else document_id(path)
    if html is None:
        html = path != "-" and is_html_path(path)
    if html:
        stream_over = None  # a page is read whole: its main text is found in the whole page
    fh: BinaryIO | None = None
    size = None
    try:
        if path == "-":
            src = stdin or sys.stdin.buffer
        else:
            try:
                fh, size = open_input(path)
                src = fh
            except OSError as exc:
                return Failure(path, missing_reason(path, exc))
            except InputProblem as exc:
                return Failure(path, str(exc))
        if stream_over is None:
            data = read_limited(src, WHOLE_LIMIT)
        else:
            # a file's size is known: one of a few kilobytes gets no buffer of the streaming size
            # (a read of 4 MiB allocates it whole, for each file of a directory)
            want = size + 1 if size is not None and size < stream_over else stream_over + 1
            data = src.read(want)
            if len(data) == want < stream_over + 1:  # it grew since it was opened: read on to the limit
                data += src.read(stream_over + 1 - want)
            if len(data) > stream_over:
                try:
                    doc = StreamedDocument(doc_id, None if path == "-" else path, src, data, encoding,
                                           own=fh is not None, size=size)
                except DecodeProblem as exc:
                    return Failure(doc_id if path == "-" else path, str(exc))
                fh = None  # the document owns the file now
                return doc
            data += src.read()  # a pipe may deliver less than asked without being at its end
    except OSError as exc:
        return Failure(path, os_reason(exc))
    except InputProblem as exc:
        return Failure(doc_id if path == "-" else path, str(exc))
    finally:
        if fh is not None:
            fh.close()
    if size is not None and len(data) < size:
        return Failure(path, f"file shrank while it was read ({len(data)} of {size} bytes: truncated?)")
    try:
        text = decode(data, encoding)
    except DecodeProblem as exc:
        return Failure(doc_id if path == "-" else path, str(exc))
    if html:
        text = main_text(text)
    return Document(id=doc_id, text=text, path=None if path == "-" else path)


def document_id(path: str) -> str:
    """The ``doc`` of a file: its path as given, with bytes that are not UTF-8 (a name from another
    system, decoded by Python as lone surrogates, which no output could encode) written ``\\xff``."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_documents(paths: Iterable[str], encoding: str | None = None, stdin: BinaryIO | None = None,
                   stream_over: int | None = None,
                   html: bool | None = None) -> Iterator["Document | StreamedDocument | Failure"]:
    """Documents (and failures) in the order the paths were given; files are read one at a time.

    With ``stream_over`` (bytes), larger inputs come as :class:`StreamedDocument`;
    each is closed when the next item is asked for.  ``html``: every input is an HTML page (a
    directory: its ``.html``/``.htm`` files); False: none is; None: those named ``.html``/``.htm``.
    """
    for path in paths:
        files, failures = expand_path(path, HTML_SUFFIXES if html else TEXT_SUFFIXES)
        yield from failures
        for f in files:
            item = read_document(f, encoding, stdin, stream_over, html)
            try:
                yield item
            finally:
                if isinstance(item, StreamedDocument):
                    item.close()


def load_documents(paths: Iterable[str], encoding: str | None = None,
                   stdin: BinaryIO | None = None) -> tuple[list[Document], list[Failure]]:
    """All documents and all failures at once (for small inputs and tests)."""
    docs: list[Document] = []
    failures: list[Failure] = []
    for item in iter_documents(paths, encoding, stdin):
        (failures if isinstance(item, Failure) else docs).append(item)
    return docs, failures
