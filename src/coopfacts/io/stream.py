"""Large inputs: :class:`StreamedDocument`, a file decoded block by block.

An input over :data:`STREAM_OVER` bytes (when the caller asks for it: ``read_document``'s
``stream_over``) is not read whole.  Its text comes block by block, and the engine reads it
window by window (engine/windows.py): memory stays that of one window whatever the size of
the file.  This module gives texts, not claims.
"""
from __future__ import annotations

import codecs
import os
from typing import BinaryIO, Iterator

from coopfacts.io.decode import SNIFF, DecodeProblem, bom_char_left, decode_reason, sniff_encoding, utf8_reason
from coopfacts.io.failures import InputProblem, os_reason

STREAM_OVER = 4 << 20  # inputs larger than this (bytes) are read window by window
READ_BLOCK = 1 << 16  # bytes read at a time from a large input
HEAD_CHARS = 1 << 16  # characters of a large input decoded up front (language detection)


class StreamedDocument:
    """A large input, decoded block by block and extracted window by window.

    ``head`` is the first :data:`HEAD_CHARS` characters (for language detection); :meth:`texts`
    gives the text block by block (the engine reads it window by window: engine/windows.py).
    Raises :class:`DecodeProblem` when its first bytes are not text.
    """

    def __init__(self, doc_id: str, path: str | None, stream: BinaryIO, prefix: bytes,
                 encoding: str | None, own: bool = False, size: int | None = None):
        self.id = doc_id
        self._size = size  # bytes on disk when opened (a file read through must give them all)
        self.path = path
        self._stream = stream
        self._prefix = prefix
        self._own = own
        self._forced = encoding
        self.encoding, self._skip = sniff_encoding(prefix[:SNIFF], encoding)
        # the first characters, decoded now: a file that is not text is refused before any output
        dec = codecs.getincrementaldecoder(self.encoding)("strict")
        head_bytes = prefix[self._skip:self._skip + 4 * HEAD_CHARS]
        try:
            head = dec.decode(head_bytes)
        except UnicodeDecodeError as exc:
            at = self._skip + exc.start
            seen = not prefix[self._skip:at].isascii()
            raise DecodeProblem(decode_reason(prefix, at, self.encoding, encoding, exc.reason, seen)) from None
        self._drop_bom = bom_char_left(prefix[:4], encoding)
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
                raise InputProblem(f"read error: {os_reason(exc)}") from None
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
                if self._seekable and self._size is not None and pos < self._size:
                    raise InputProblem(f"file shrank while it was read ({pos} of {self._size} bytes: truncated?)")
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
        return utf8_reason(obj, at, exc.reason, seen, base=at - exc.start)

    def validate(self) -> None:
        """Decode the whole file once, keeping nothing, so that a bad byte anywhere is reported
        before any claim is written (files only: a pipe is read once)."""
        if self._seekable:
            for _ in self.texts():
                pass
