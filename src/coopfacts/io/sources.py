"""The inputs of a run: paths planned into text files and JSON Lines corpora, then read in
order, each item with the bytes it took (for progress and for sizing the run).

With ``--input-format auto`` a ``.jsonl``/``.jsonl.gz`` path is a corpus, an ``.html``/``.htm``
path a page (its article's text, :mod:`coopfacts.io.html`) and anything else is text; ``jsonl``
reads every path (and a directory's ``.jsonl``/``.jsonl.gz`` files) as corpora; ``html`` every path
(and a directory's ``.html``/``.htm`` files) as pages; ``text`` reads every path as text.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator, Union

import coopfacts.io.stream as _stream  # STREAM_OVER read when used (tests lower it)
from coopfacts.io.documents import TEXT_SUFFIXES, expand_path, iter_documents
from coopfacts.io.failures import Failure
from coopfacts.io.html import HTML_SUFFIXES, is_html_path
from coopfacts.io.jsonl import JSONL_SUFFIXES, expand_jsonl_dir, is_gzipped, is_jsonl_path, iter_jsonl
from coopfacts.io.stream import StreamedDocument
from coopfacts.model import Document

INPUT_FORMATS = ("auto", "text", "jsonl", "html")

Item = Union[Document, StreamedDocument, Failure]


@dataclass(frozen=True)
class Source:
    """One input after expansion: a text file or ``-``, a JSON Lines file, or a failure."""

    kind: str  # "text", "html", "jsonl" or "failure"
    path: str
    size: int | None = None  # bytes on disk (None: standard input)
    failure: Failure | None = None


def _size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return None


def plan_sources(paths: list[str], input_format: str = "auto") -> list[Source]:
    """The inputs the paths stand for, in order: directories expanded (their ``.txt``/``.md``
    files, or with ``--input-format jsonl`` their ``.jsonl``/``.jsonl.gz`` files), sizes known."""
    out: list[Source] = []
    for path in paths:
        jsonl = input_format == "jsonl" or (input_format == "auto" and path != "-" and is_jsonl_path(path))
        if path == "-":
            out.append(Source("jsonl" if jsonl else "html" if input_format == "html" else "text", path))
            continue
        if jsonl and os.path.isdir(path):
            found, failures = expand_jsonl_dir(path)
        elif input_format == "html":
            found, failures = expand_path(path, HTML_SUFFIXES)
        else:
            found, failures = expand_path(path)
        out.extend(Source("failure", f.path, failure=f) for f in failures)
        for f in found:
            html = input_format == "html" or (input_format == "auto" and is_html_path(f))
            out.append(Source("jsonl" if jsonl else "html" if html else "text", f, _size(f)))
    return out


def walked_suffixes(input_format: str = "auto") -> tuple[str, ...]:
    """The file names an input directory's walk reads with ``input_format``."""
    return {"html": HTML_SUFFIXES, "jsonl": JSONL_SUFFIXES}.get(input_format.lower(), TEXT_SUFFIXES)


def known_total(sources: list[Source]) -> int | None:
    """The bytes the sources will take to read, when known before reading them (not for standard
    input, nor for a compressed corpus, whose size on disk is not what is read)."""
    if all(s.size is not None or s.kind == "failure" for s in sources) and \
            not any(s.kind == "jsonl" and is_gzipped(s.path) for s in sources):
        return sum(s.size or 0 for s in sources)
    return None


def iter_sources(sources: list[Source], *, encoding: str | None = None, stdin: BinaryIO | None = None,
                 id_field: str = "id", text_field: str = "text", lang_field: str | None = None,
                 languages: list[str] | None = None,
                 date_field: str | None = None,
                 warn: Callable[[str], None] | None = None) -> Iterator[tuple[Item | None, int]]:
    """``(item, bytes)`` in input order: a Document, a StreamedDocument (an input over
    :data:`coopfacts.io.stream.STREAM_OVER` bytes; closed when the next item is asked for) or a
    Failure; ``None`` for a blank line of a corpus (read, but no document).  A text input counts
    its size on disk; a corpus line, its bytes."""
    for src in sources:
        if src.kind == "failure":
            yield src.failure, 0
        elif src.kind == "jsonl":
            yield from iter_jsonl(src.path, id_field=id_field, text_field=text_field, lang_field=lang_field,
                                  date_field=date_field,
                                  languages=languages, encoding=encoding, stdin=stdin, warn=warn)
        else:
            for item in iter_documents([src.path], encoding, stdin, stream_over=_stream.STREAM_OVER,
                                       html=src.kind == "html"):
                if src.size is not None:
                    n = src.size
                elif isinstance(item, Document):
                    n = len(item.text.encode("utf-8", "surrogatepass"))
                else:
                    n = 0
                yield item, n
