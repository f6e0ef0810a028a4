"""``-o FILE``: an output file that appears whole or not at all.

:func:`atomic_output` writes through a temporary file in the same directory and moves
it over the target only when the block ends without error, so an interrupted run
(an error, Ctrl-C, SIGTERM) leaves the old file as it was.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
from typing import IO, Any, Iterator


class Terminated(BaseException):
    """SIGTERM arrived while ``-o FILE`` was being written (a BaseException, like KeyboardInterrupt,
    so that no ``except Exception`` on the way swallows it)."""


def _new_file_mode() -> int:
    """The mode a new file gets from ``open``: 0o666 less the umask (mkstemp's file is 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[dict]:
    """While the block runs, SIGTERM raises :class:`Terminated` (main thread only; elsewhere
    signals cannot be handled and the default applies).  The dict it yields has ``armed``:
    set it to False once the output is in place, and a SIGTERM is only noted (``pending``)."""
    state = {"armed": True, "pending": False}

    def handler(signum: int, frame: Any) -> None:
        if state["armed"]:
            state["armed"] = False
            raise Terminated()
        state["pending"] = True

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM
        yield state
        return
    try:
        yield state
    finally:
        signal.signal(signal.SIGTERM, old)
    if state["pending"]:
        _die_by_sigterm()


def _die_by_sigterm() -> None:
    """End the process as SIGTERM would have (exit status 143 in a shell)."""
    sys.stderr.flush()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    raise SystemExit(128 + signal.SIGTERM)  # pragma: no cover - only where kill() returns


@contextlib.contextmanager
def atomic_output(path: str, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file at ``path`` that appears only when the block ends without error.

    The data goes to a temporary file in the same directory, moved over ``path``
    with ``os.replace``; on any error or interrupt (Ctrl-C, SIGTERM) the temporary
    file is removed and an existing ``path`` stays as it was.  SIGTERM then ends the
    process as it would have (exit status 143) once the temporary file is gone.
    """
    directory = os.path.dirname(os.path.abspath(path))
    with _sigterm_raises() as state:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with open(fd, "w", encoding=encoding, newline="") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            try:
                mode = os.stat(path).st_mode & 0o7777  # keep the mode of the file replaced
            except FileNotFoundError:
                mode = _new_file_mode()
            os.chmod(tmp, mode)
            os.replace(tmp, path)
            state["armed"] = False  # complete: a SIGTERM from now on waits for the block to end
        except BaseException as exc:
            state["armed"] = False
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, Terminated):
                print(f"coopfacts: terminated; {path} not written", file=sys.stderr, flush=True)
                _die_by_sigterm()
            raise
