"""Inputs that gave no document: :class:`Failure`, the problems raised while reading, and
one-line reasons for operating-system errors and for the summary of a run."""
from __future__ import annotations

import errno
import os
from typing import NamedTuple


class Failure(NamedTuple):
    """An input that produced no document: ``(path, message)``."""

    path: str
    message: str


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


def os_reason(exc: OSError) -> str:
    """An operating-system error in a few lower-case words (``permission denied``)."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return (exc.strerror or str(exc)).lower()


def missing_reason(path: str, exc: OSError) -> str:
    """Why ``path`` could not be opened, a broken symbolic link named as such."""
    if os.path.islink(path) and exc.errno == errno.ENOENT:
        return f"broken symbolic link (points to {os.readlink(path)})"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return os_reason(exc)
