"""Turning command-line paths into documents.

A path is a file, a directory (its ``.txt`` and ``.md`` files, recursively, in
sorted order) or ``-`` for standard input.  Bytes are decoded as UTF-8 (with or
without a BOM), as UTF-16/32 when a BOM says so, or with a forced ``encoding``.
An input that cannot be read becomes a :class:`Failure` with a one-line reason;
the other inputs go on.  Nothing is ever decoded by guesswork: a file that is
not valid in the encoding used is refused, with a suggestion of what to try.

Large inputs (over :data:`STREAM_OVER` bytes, when the caller asks for it) are
not read whole: they become a :class:`StreamedDocument`, decoded block by block, which
the engine reads window by window (engine/windows.py): memory stays that of one window
whatever the size of the file. This package knows texts, not claims.
"""
from __future__ import annotations

import codecs
import errno
import os
import sys
from typing import BinaryIO, Iterable, Iterator, NamedTuple

from coopfacts.model import Document

STDIN_ID = "<stdin>"
TEXT_SUFFIXES = (".txt", ".md")
SNIFF = 8192  # bytes looked at for NULs and control characters

STREAM_OVER = 4 << 20  # inputs larger than this (bytes) are read window by window
READ_BLOCK = 1 << 16  # bytes read at a time from a large input
HEAD_CHARS = 1 << 16  # characters of a large input decoded up front (language detection)

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of what people rename to .txt; a text file never starts like this.
_MAGIC = (
    (b"%PDF-", "a PDF document; extract its text first (e.g. pdftotext)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .xlsx and .odt files are ZIP archives); save it as plain text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls); save it as plain text"),
    (b"{\\rtf", "an RTF document; save it as plain text"),
    (b"\x1f\x8b", "a gzip-compressed file; decompress it first"),
    (b"BZh", "a bzip2-compressed file; decompress it first"),
    (b"\xfd7zXZ\x00", "an xz-compressed file; decompress it first"),
    (b"(\xb5/\xfd", "a zstd-compressed file; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"RIFF", "a RIFF file (WAV, AVI, WebP)"),
)
_MAGIC_TEXTUAL = (b"MZ", b"ID3", b"BZh", b"RIFF", b"OggS")  # short or letter-only signatures: confirmed below
# C0 control characters that do not occur in text (tab, newlines, form feed, escape do)
_CONTROL = frozenset(range(0x01, 0x09)) | frozenset(range(0x0E, 0x1B)) | frozenset(range(0x1C, 0x20)) | {0x7F}


class Failure(NamedTuple):
    """An input that produced no document: ``(path, message)``."""

    path: str
    message: str


class DecodeProblem(ValueError):
    """The bytes are not text in the expected encoding; ``str()`` says why."""


class InputProblem(Exception):
    """A large input went bad while it was being read (a decoding error past its start, a read
    error); ``str()`` is a one-line reason, as for a :class:`Failure`."""


def failure_kind(message: str) -> str:
    """The reason of a failure without its details, for the summary line
    (``not valid UTF-8 (byte offset 3: 0xE9); try ...`` -> ``not valid UTF-8``)."""
    cut = len(message)
    for sep in (" (", ";", ":", ","):
        i = message.find(sep)
        if 0 < i < cut:
            cut = i
    return message[:cut].strip()


def failure_summary(n_docs: int, failures: list[Failure]) -> str:
    """The last line of a run with failures: ``2 of 5 inputs failed: 1 binary file, 1 not valid UTF-8``."""
    total = n_docs + len(failures)
    kinds: dict[str, int] = {}
    for f in failures:
        k = failure_kind(f.message)
        kinds[k] = kinds.get(k, 0) + 1
    why = ", ".join(f"{n} {k}" for k, n in kinds.items())
    return f"{len(failures)} of {total} input{'s' if total != 1 else ''} failed: {why}"


# --- decoding -----------------------------------------------------------------------

def _sniff_encoding(head: bytes, encoding: str | None) -> tuple[str, int]:
    """The encoding to use and the number of BOM bytes to skip; raises DecodeProblem
    for an unknown encoding or what is clearly not text."""
    bom, bom_enc = next(((b, e) for b, e in _BOMS if head.startswith(b)), (b"", None))
    enc = encoding or bom_enc or "utf-8"
    try:
        wide = codecs.lookup(enc).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        raise DecodeProblem(f"unknown encoding {enc!r}") from None
    if bom_enc is None and not wide:
        reason = binary_reason(head[:SNIFF])
        if reason:
            raise DecodeProblem(reason)
    return enc, (len(bom) if encoding is None else 0)  # a forced encoding decodes the BOM too (dropped later)


def _bom_char_left(head: bytes, encoding: str | None) -> bool:
    """Whether the decoded text starts with a BOM to drop: with a forced encoding that does not
    consume it itself (utf-8 on a file with a BOM).  Only that one: a second U+FEFF is text."""
    if encoding is None or not any(head.startswith(b) for b, _ in _BOMS):
        return False
    return codecs.lookup(encoding).name not in ("utf-8-sig", "utf-16", "utf-32")


def decode(data: bytes, encoding: str | None = None) -> str:
    """Text of ``data``; raises :class:`DecodeProblem` with a reason fit for users."""
    enc, skip = _sniff_encoding(data[:SNIFF], encoding)
    try:
        text = data[skip:].decode(enc)
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        seen = not data[skip:at].isascii()
        raise DecodeProblem(_decode_reason(data, at, enc, encoding, exc.reason, seen)) from None
    return text[1:] if _bom_char_left(data[:4], encoding) and text.startswith("\ufeff") else text


def _decode_reason(data: bytes, at: int, enc: str, forced: str | None, why: str = "",
                   seen_before: bool | None = None) -> str:
    """Why ``data`` (the input from its first byte) does not decode at byte offset ``at``;
    ``seen_before``: whether non-ASCII text decoded fine before that byte."""
    if forced is not None or codecs.lookup(enc).name not in ("utf-8",):
        return f"not valid {enc} (byte offset {at})"
    return _utf8_reason(data, at, why, seen_before)


def _utf8_reason(data: bytes, at: int, why: str, seen_before: bool | None, base: int = 0) -> str:
    rel = at - base
    head = f"not valid UTF-8 (byte offset {at}: 0x{data[rel]:02X})" if rel < len(data) else \
        f"not valid UTF-8 (byte offset {at})"
    if seen_before is None:
        seen_before = not data[:rel].isascii()
    if why == "unexpected end of data" and seen_before:
        return f"{head}: the file ends inside a character (truncated?)"
    if seen_before:
        # The text before the bad byte is UTF-8 with non-ASCII letters: a damaged file,
        # or two encodings in one; a legacy encoding would garble the good part.
        return f"{head}; the text before it is valid UTF-8, so the file is damaged or mixes encodings"
    guess = guess_legacy_encoding(data[rel:] if rel < len(data) else data)
    if guess is None:
        return f"{head}; give its encoding with --encoding NAME (e.g. cp1256, cp1252, iso-8859-6)"
    return f"{head}; try --encoding {guess}"


def guess_legacy_encoding(data: bytes) -> str | None:
    """cp1256 (Arabic script) when high bytes outnumber ASCII letters, else cp1252; the guess
    must decode the sample (else the other is tried; None when neither does).

    In Arabic or Persian text in cp1256 nearly every letter is a high byte; in
    French text in cp1252 only accented letters are.
    """
    sample = data[: 1 << 16]
    high = sum(b >= 0x80 for b in sample)
    ascii_letters = sum(97 <= (b | 0x20) <= 122 for b in sample)
    order = ("cp1256", "cp1252") if high > ascii_letters else ("cp1252", "cp1256")
    for enc in order:
        try:
            sample.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    return None


def binary_reason(sample: bytes) -> str | None:
    """Why the first bytes of an input are not text, or None if they may be."""
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            if magic in _MAGIC_TEXTUAL and not _mostly_control(sample, 0.05):
                continue  # "MZ", "ID3", "BZh"... may start a line of text
            return f"binary file ({what})"
    if b"\x00" in sample:
        # Text in UTF-16 without a BOM has a NUL in every other byte.
        for parity, enc in ((1, "utf-16-le"), (0, "utf-16-be")):
            half = sample[parity::2]
            if len(half) >= 2 and half.count(0) >= 0.9 * len(half):
                return f"binary file (NUL bytes); if it is UTF-16 text without a BOM, try --encoding {enc}"
        return "binary file (NUL bytes in the first 8 KiB)"
    if _mostly_control(sample, 0.1):
        return "binary file (control characters in the first 8 KiB)"
    return None


def _mostly_control(sample: bytes, share: float) -> bool:
    return bool(sample) and sum(b in _CONTROL for b in sample) > share * len(sample)


# --- paths ---------------------------------------------------------------------------

def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return (exc.strerror or str(exc)).lower()


def _missing_reason(path: str, exc: OSError) -> str:
    if os.path.islink(path) and exc.errno == errno.ENOENT:
        return f"broken symbolic link (points to {os.readlink(path)})"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return _os_reason(exc)


def expand_path(path: str) -> tuple[list[str], list[Failure]]:
    """The file paths that ``path`` stands for, and why some or all could not be listed."""
    if path == "-":
        return [path], []
    try:
        os.stat(path)
    except OSError as exc:
        return [], [Failure(path, _missing_reason(path, exc))]
    except ValueError:  # a NUL in the name
        return [], [Failure(path, "invalid file name")]
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


# --- reading --------------------------------------------------------------------------

def read_document(path: str, encoding: str | None = None, stdin: BinaryIO | None = None,
                  stream_over: int | None = None) -> "Document | StreamedDocument | Failure":
    """One document from a file path or ``-`` (standard input).

    With ``stream_over``, an input larger than that many bytes becomes a
    :class:`StreamedDocument` (to be closed by the caller) instead of being read whole.
    """
    doc_id = STDIN_ID if path == "-" else document_id(path)
    fh: BinaryIO | None = None
    try:
        if path == "-":
            src = stdin or sys.stdin.buffer
        else:
            try:
                fh = src = open(path, "rb")
            except OSError as exc:
                return Failure(path, _missing_reason(path, exc))
        if stream_over is None:
            data = src.read()
        else:
            data = src.read(stream_over + 1)
            if len(data) > stream_over:
                try:
                    doc = StreamedDocument(doc_id, None if path == "-" else path, src, data, encoding,
                                           own=fh is not None)
                except DecodeProblem as exc:
                    return Failure(doc_id if path == "-" else path, str(exc))
                fh = None  # the document owns the file now
                return doc
            data += src.read()  # a pipe may deliver less than asked without being at its end
    except OSError as exc:
        return Failure(path, _os_reason(exc))
    finally:
        if fh is not None:
            fh.close()
    try:
        text = decode(data, encoding)
    except DecodeProblem as exc:
        return Failure(doc_id if path == "-" else path, str(exc))
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
                   stream_over: int | None = None) -> Iterator["Document | StreamedDocument | Failure"]:
    """Documents (and failures) in the order the paths were given; files are read one at a time.

    With ``stream_over`` (bytes), larger inputs come as :class:`StreamedDocument`;
    each is closed when the next item is asked for.
    """
    for path in paths:
        files, failures = expand_path(path)
        yield from failures
        for f in files:
            item = read_document(f, encoding, stdin, stream_over)
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


# --- large inputs ----------------------------------------------------------------------

class StreamedDocument:
    """A large input, decoded block by block and extracted window by window.

    ``head`` is the first :data:`HEAD_CHARS` characters (for language detection); :meth:`texts`
    gives the text block by block (the engine reads it window by window: engine/windows.py).
    """

    def __init__(self, doc_id: str, path: str | None, stream: BinaryIO, prefix: bytes,
                 encoding: str | None, own: bool = False):
        self.id = doc_id
        self.path = path
        self._stream = stream
        self._prefix = prefix
        self._own = own
        self._forced = encoding
        self.encoding, self._skip = _sniff_encoding(prefix[:SNIFF], encoding)
        # the first characters, decoded now: a file that is not text is refused before any output
        dec = codecs.getincrementaldecoder(self.encoding)("strict")
        head_bytes = prefix[self._skip:self._skip + 4 * HEAD_CHARS]
        try:
            head = dec.decode(head_bytes)
        except UnicodeDecodeError as exc:
            at = self._skip + exc.start
            seen = not prefix[self._skip:at].isascii()
            raise DecodeProblem(_decode_reason(prefix, at, self.encoding, encoding, exc.reason, seen)) from None
        self._drop_bom = _bom_char_left(prefix[:4], encoding)
        if self._drop_bom and head.startswith("\ufeff"):
            head = head[1:]
        self.head = head[:HEAD_CHARS]
        self._seekable = False
        if own:
            try:
                self._seekable = stream.seekable() and os.path.isfile(path or "")
            except (OSError, ValueError):
                self._seekable = False
        if self._seekable:
            self._prefix = b""  # read again from the file

    def close(self) -> None:
        if self._own:
            self._stream.close()

    # -- bytes and text --------------------------------------------------------------
    def _blocks(self) -> Iterator[bytes]:
        if self._seekable:
            self._stream.seek(0)
        else:  # a pipe: what was read to decide is read again from memory, once
            prefix, self._prefix = self._prefix, b""
            if not prefix and self._used:
                raise InputProblem("standard input cannot be read twice")
            self._used = True
            for i in range(0, len(prefix), READ_BLOCK):
                yield prefix[i:i + READ_BLOCK]
        read = getattr(self._stream, "read1", self._stream.read)
        while True:
            block = read(READ_BLOCK)
            if not block:
                return
            yield block

    _used = False

    def texts(self) -> Iterator[str]:
        """The document's text, block by block (raises InputProblem on a decoding or read error)."""
        dec = codecs.getincrementaldecoder(self.encoding)("strict")
        pos = 0  # bytes handed to the decoder so far
        seen_high = False
        first = True
        blocks = self._blocks()
        while True:
            try:
                block = next(blocks)
            except StopIteration:
                block = None
            except OSError as exc:
                raise InputProblem(f"read error: {_os_reason(exc)}") from None
            if first and block is not None:
                block = block[self._skip:]
                pos = self._skip
            pending = len(dec.getstate()[0])
            try:
                text = dec.decode(block or b"", final=block is None)
            except UnicodeDecodeError as exc:
                at = pos - pending + exc.start
                raise InputProblem(self._reason(exc, at, seen_high)) from None
            if first:
                if self._drop_bom and text.startswith("\ufeff"):
                    text = text[1:]
                first = False
            if block is None:
                if text:
                    yield text
                return
            if not seen_high and not block.isascii():
                seen_high = True
            pos += len(block)
            if text:
                yield text

    def _reason(self, exc: UnicodeDecodeError, at: int, seen_high: bool) -> str:
        if self._forced is not None or codecs.lookup(self.encoding).name != "utf-8":
            return f"not valid {self.encoding} (byte offset {at})"
        obj = exc.object
        seen = seen_high or not obj[:exc.start].isascii()
        return _utf8_reason(obj, at, exc.reason, seen, base=at - exc.start)

    def validate(self) -> None:
        """Decode the whole file once, keeping nothing, so that a bad byte anywhere is reported
        before any claim is written (files only: a pipe is read once)."""
        if self._seekable:
            for _ in self.texts():
                pass
