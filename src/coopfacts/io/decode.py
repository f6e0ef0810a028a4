"""Bytes to text: BOMs, a forced encoding, binary refusal, and reasons fit for users.

Bytes are decoded as UTF-8 (with or without a BOM), as UTF-16/32 when a BOM says so, or
with a forced ``encoding``.  Nothing is ever decoded by guesswork: bytes that are not valid
in the encoding used are refused (:class:`DecodeProblem`), with a suggestion of what to try.
"""
from __future__ import annotations

import codecs

SNIFF = 8192  # bytes looked at for NULs and control characters

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


class DecodeProblem(ValueError):
    """The bytes are not text in the expected encoding; ``str()`` says why."""


def sniff_encoding(head: bytes, encoding: str | None) -> tuple[str, int]:
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


def bom_char_left(head: bytes, encoding: str | None) -> bool:
    """Whether the decoded text starts with a BOM to drop: with a forced encoding that does not
    consume it itself (utf-8 on a file with a BOM).  Only that one: a second U+FEFF is text."""
    if encoding is None or not any(head.startswith(b) for b, _ in _BOMS):
        return False
    return codecs.lookup(encoding).name not in ("utf-8-sig", "utf-16", "utf-32")


def decode(data: bytes, encoding: str | None = None) -> str:
    """Text of ``data``; raises :class:`DecodeProblem` with a reason fit for users."""
    enc, skip = sniff_encoding(data[:SNIFF], encoding)
    try:
        text = data[skip:].decode(enc)
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        seen = not data[skip:at].isascii()
        raise DecodeProblem(decode_reason(data, at, enc, encoding, exc.reason, seen)) from None
    return text[1:] if bom_char_left(data[:4], encoding) and text.startswith("\ufeff") else text


def decode_reason(data: bytes, at: int, enc: str, forced: str | None, why: str = "",
                  seen_before: bool | None = None) -> str:
    """Why ``data`` (the input from its first byte) does not decode at byte offset ``at``;
    ``seen_before``: whether non-ASCII text decoded fine before that byte."""
    if forced is not None or codecs.lookup(enc).name not in ("utf-8",):
        return f"not valid {enc} (byte offset {at})"
    return utf8_reason(data, at, why, seen_before)


def utf8_reason(data: bytes, at: int, why: str, seen_before: bool | None, base: int = 0) -> str:
    """Why UTF-8 bytes do not decode at file offset ``at``; ``data`` starts at file offset ``base``."""
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
    if b"\x00" in sample or _mostly_control(sample, 0.1):
        wide = utf16_guess(sample)
        if wide is not None:
            return f"binary file (NUL bytes); if it is UTF-16 text without a BOM, try --encoding {wide}"
    if b"\x00" in sample:
        return "binary file (NUL bytes in the first 8 KiB)"
    if _mostly_control(sample, 0.1):
        return "binary file (control characters in the first 8 KiB)"
    return None


def utf16_guess(sample: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``sample`` reads as text in it (letters, digits, spaces
    and punctuation nearly throughout: Latin text has a NUL in every other byte, Arabic-script
    text 0x06 or 0xFB-0xFE), else None."""
    import unicodedata

    even = sample[: len(sample) // 2 * 2]
    if len(even) < 4:
        return None
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        text = even.decode(enc, "replace")
        # a byte-swapped text reads as symbols (Arabic) or CJK ideographs (Latin): those do not count
        good = sum((c.isalnum() or c.isspace() or unicodedata.category(c)[0] in "PS") and c != "\ufffd" and
                   not 0x2400 <= ord(c) < 0x2C00 and not 0x3000 <= ord(c) < 0xF900 for c in text)
        score = good / len(text)
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


_CONTROL_BYTES = bytes(sorted(_CONTROL))


def _mostly_control(sample: bytes, share: float) -> bool:
    # counted in C: the bytes left once the control bytes are deleted
    return bool(sample) and len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > share * len(sample)
