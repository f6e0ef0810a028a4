"""Long texts, window by window: one windowing for a text in memory and for a stream.

A window holds up to ``chunk`` characters, cut where no claim straddles (a blank line, else a
line break, a sentence end, a space: :func:`coopfacts.text.segments.find_cut`), plus
:data:`LOOKAHEAD` characters after the cut so that a claim across it is seen whole, and up to
:data:`CONTEXT` characters of what came before (a qualifier stands before its figure). Each
window keeps the claims that start after the last claim kept and before its cut, so every
claim is found once, whole. Time grows linearly with the text and memory stays that of a
window. Offsets, sentence bounds and ``compared_to`` spans are those of the whole text; range
ids count from its start; the page's dateline, found in the first window, is the reference
date of relative time in all the others.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from coopfacts.model import Claim
from coopfacts.text.segments import find_cut, line_start_before

CHUNK_CHARS = 1 << 18  # characters a window decides on (it may end earlier, at a paragraph break)
LOOKAHEAD = 2048  # characters read past a window's cut
CONTEXT = 512  # characters kept before a window's first claim

ExtractWindow = Callable[[str, "_dt.date | None"], list[Claim]]


def _shifted(value: Any, offset: int) -> Any:
    """A claim's extra field with the offsets it holds (``compared_to: {start, end, text}``) moved."""
    if isinstance(value, dict) and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
        return dict(value, start=value["start"] + offset, end=value["end"] + offset)
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return [_shifted(v, offset) for v in value]
    return value


class _Renumber:
    """Range ids in reading order over the whole text (each window counts its own from 1)."""

    def __init__(self) -> None:
        self.seen = 0

    def window(self) -> dict[Any, int]:
        return {}

    def new_id(self, ids: dict[Any, int], rng: Any) -> int:
        if rng not in ids:
            self.seen += 1
            ids[rng] = self.seen
        return ids[rng]


def windowed_claims(pieces: Iterable[str], extract_window: ExtractWindow, reference: _dt.date | None = None,
                    chunk: int | None = None) -> Iterator[Claim]:
    """Claims of the text made of ``pieces`` (read as needed), in reading order, from
    ``extract_window(window_text, reference_date)``."""
    chunk = chunk or CHUNK_CHARS
    texts = iter(pieces)
    buf, buf_off = "", 0  # text from document offset buf_off on
    done = 0  # claims that start before this document offset have been decided
    eof = False
    ranges = _Renumber()
    first = True
    while True:
        buf, eof = _fill(buf, texts, (done - buf_off) + chunk + LOOKAHEAD, eof)
        start = done - buf_off
        last = eof and len(buf) - start <= chunk + LOOKAHEAD
        cut = len(buf) if last else find_cut(buf, start + chunk // 2, start + chunk)
        found = extract_window(buf if last else buf[:cut + LOOKAHEAD], reference)
        ids = ranges.window()
        end = done
        for c in found:
            s = c.start + buf_off
            rng = c.extra.get("range")
            if s < done or (s >= cut + buf_off and rng not in ids):
                continue
            moved = _moved(c, buf_off, first)
            if rng is not None:
                moved.extra["range"] = ranges.new_id(ids, rng)
            if first and reference is None and moved.extra.get("dateline") and isinstance(c.value, str):
                reference = _dt.date.fromisoformat(c.value)  # the page's date, for the windows after
            end = max(end, moved.end)
            yield moved
        if last:
            return
        first = False
        done = max(cut + buf_off, end)
        keep = line_start_before(buf, done - buf_off, CONTEXT)
        buf = buf[keep:]
        buf_off += keep


def _fill(buf: str, texts: Iterator[str], need: int, eof: bool) -> tuple[str, bool]:
    """``buf`` with pieces appended until it holds ``need`` characters or the text ends."""
    parts, have = [buf], len(buf)
    while not eof and have < need:
        piece = next(texts, None)
        if piece is None:
            eof = True
            break
        parts.append(piece)
        have += len(piece)
    return "".join(parts), eof


def _moved(c: Claim, offset: int, first: bool) -> Claim:
    """``c`` with its offsets moved by ``offset`` (in place: a window's claims are its own); only
    the first window has the page's dateline."""
    if not first:
        c.extra.pop("dateline", None)
    if offset:
        c.start += offset
        c.end += offset
        if c.sentence_start is not None and c.sentence_end is not None:
            c.sentence_start += offset
            c.sentence_end += offset
        for k, v in c.extra.items():
            c.extra[k] = _shifted(v, offset)
    return c
