"""Opening inputs and walking directories, the one way every command does it.

:func:`open_input` opens a file for reading without ever blocking or reading without end: a
FIFO (which would wait for a writer for ever), a character or block device (``/dev/zero``
never ends) and a socket are refused with one line, and so is a directory.  Only regular files
are read (standard input, ``-``, is the caller's choice and is read as it comes).

:func:`walk_files` lists a directory tree without recursion (a tree thousands of levels deep
is one more input, not a crash): files whose name the caller accepts, in sorted order, links
to directories not followed, and every directory that cannot be listed a :class:`Failure` of
its own while the rest goes on.
"""
from __future__ import annotations

import contextlib
import os
import stat
from typing import BinaryIO, Callable

from coopfacts.io.failures import Failure, InputProblem, os_reason

WHOLE_LIMIT = 256 << 20  # bytes: an input read whole (not window by window) is refused past this


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular one is, in a few words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def refusal(kind: str) -> str:
    return f"{kind}, not a regular file: only files are read (pipe into - instead)" \
        if kind != "a directory" else "is a directory"


def open_input(path: str) -> tuple[BinaryIO, int]:
    """A regular file opened for reading in binary, and its size when opened.

    Raises OSError as ``open`` does, and :class:`InputProblem` for what is not a regular file.
    The file is looked at before it is opened (opening a FIFO waits for a writer; opening a
    device may do something) and again once open (it may have been swapped in between).
    """
    kind = special_kind(os.stat(path).st_mode)
    if kind is not None:
        raise InputProblem(refusal(kind))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        kind = special_kind(st.st_mode)
        if kind is not None:
            raise InputProblem(refusal(kind))
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st.st_size
    except BaseException:
        # a SIGTERM (Terminated) may land inside fdopen after its file object took the descriptor
        # and closed it again: closing it a second time must not put EBADF in the signal's place,
        # or the run would carry on with "bad file descriptor" for that input
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


def walk_files(top: str, accept: Callable[[str], bool]) -> tuple[list[str], list[Failure]]:
    """The files under directory ``top`` whose name ``accept`` takes, sorted, and the failures
    met (a directory that cannot be listed, a path too long): iterative, so depth is no limit;
    links to directories are not followed, so a link loop cannot trap it."""
    found: list[str] = []
    failures: list[Failure] = []
    stack = [top]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            failures.append(Failure(here, os_reason(exc)))
            continue
        subdirs = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
                if is_dir and entry.is_symlink():
                    continue  # a link to a directory: not followed, not a file either
            except OSError as exc:
                failures.append(Failure(entry.path, os_reason(exc)))
                continue
            if is_dir:
                subdirs.append(entry.path)
            elif accept(entry.name):
                found.append(entry.path)
        stack.extend(reversed(subdirs))
    return sorted(found), failures


def read_limited(src: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes of ``src`` (to its end); raises :class:`InputProblem` past that."""
    chunks = []
    n = 0
    while True:
        block = src.read(min(1 << 20, limit + 1 - n))
        if not block:
            break
        chunks.append(block)
        n += len(block)
        if n > limit:
            raise InputProblem(f"over {limit >> 20} MiB: too large to read whole here")
    return b"".join(chunks)
