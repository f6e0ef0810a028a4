"""``-o FILE``: an output file that appears whole or not at all, and never harms what is there.

:func:`atomic_output` writes through a temporary file in the same directory and moves
it over the target only when the block ends without error, so an interrupted run
(an error, Ctrl-C, SIGTERM) leaves the old file as it was.

That holds for regular files.  What else may be at the path is respected:

* ``-`` is standard output;
* a FIFO, a character or block device, a socket (``/dev/null``, ``/dev/stdout``, ``>(cmd)``)
  is written directly, as a shell's ``>`` would; it is never replaced by a regular file;
* a symbolic link is written through: its target is what is replaced, the link stays;
* a file with other hard links, or owned by another user than the one writing (when the
  ownership cannot be given back), is written in place once the run is complete: its inode,
  links, owner and mode stay;
* a file without any write permission bit is refused (:class:`OutputRefused`): someone made it
  read-only, and being root is no reason to overwrite it.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
from typing import IO, Any, Iterator


class Terminated(BaseException):
    """SIGTERM arrived while ``-o FILE`` was being written (a BaseException, like KeyboardInterrupt,
    so that no ``except Exception`` on the way swallows it)."""


class OutputRefused(ValueError):
    """``-o`` names something that must not be written (``str()`` says why, in a few words)."""


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


def output_kind(path: str) -> tuple[str, os.stat_result | None]:
    """How ``path`` is to be written: ``("stdout", None)`` for ``-``; ``("direct", st)`` for what
    is not a regular file (a FIFO, a device, a socket, also behind a link); ``("new", None)``
    when nothing is there; ``("file", st)`` for a regular file (also behind a link).  Raises
    :class:`OutputRefused` for a directory or a read-only file."""
    if path == "-":
        return "stdout", None
    try:
        st = os.stat(path)  # through links: the target is what is written
    except FileNotFoundError:  # nothing there (or a dangling link: the file it names is created)
        return "new", None
    if stat.S_ISDIR(st.st_mode):
        raise OutputRefused("is a directory")
    if not stat.S_ISREG(st.st_mode):
        return "direct", st
    if not st.st_mode & 0o222:
        raise OutputRefused("is read-only (no write permission bit); remove it or make it writable first")
    return "file", st


def real_target(path: str) -> str:
    """The file a link at ``path`` leads to (the path itself when it is no link)."""
    return os.path.realpath(path) if os.path.islink(path) else path


@contextlib.contextmanager
def atomic_output(path: str, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file at ``path`` that appears only when the block ends without error.

    The data goes to a temporary file in the same directory, moved over ``path``
    with ``os.replace``; on any error or interrupt (Ctrl-C, SIGTERM) the temporary
    file is removed and an existing ``path`` stays as it was.  SIGTERM then ends the
    process as it would have (exit status 143) once the temporary file is gone.
    ``-`` and special files are written directly; see the module's docstring.
    """
    kind, st = output_kind(path)
    if kind == "stdout":
        yield sys.stdout
        sys.stdout.flush()
        return
    if kind == "direct":
        with open(path, "w", encoding=encoding, newline="") as fh:
            yield fh
        return
    target = real_target(path)
    directory = os.path.dirname(os.path.abspath(target))
    with _sigterm_raises() as state:
        try:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
        except OSError:
            if st is None:
                raise
            # a directory we may not write in, holding a file we may: write that file in place
            fd, tmp = tempfile.mkstemp(prefix="coopfacts-", suffix=".tmp")
            st = _unrenamable(st)
        try:
            with open(fd, "w", encoding=encoding, newline="") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            if st is not None and _keep_in_place(tmp, st):
                _copy_into(tmp, target)
                os.unlink(tmp)
            else:
                os.chmod(tmp, (st.st_mode & 0o7777) if st is not None else _new_file_mode())
                os.replace(tmp, target)
            state["armed"] = False  # complete: a SIGTERM from now on waits for the block to end
        except BaseException as exc:
            state["armed"] = False
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, Terminated):
                print(f"coopfacts: terminated; {path} not written", file=sys.stderr, flush=True)
                _die_by_sigterm()
            raise


_IN_PLACE = -1  # st_nlink of a stat result that must be written in place


def _unrenamable(st: os.stat_result) -> os.stat_result:
    values = list(st)
    values[stat.ST_NLINK] = _IN_PLACE
    return os.stat_result(values)


def _keep_in_place(tmp: str, st: os.stat_result) -> bool:
    """Whether the file replaced must keep its inode: it has other hard links, or its owner
    cannot be given to the new file."""
    if st.st_nlink != 1:
        return True
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return False
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except OSError:
        return True
    return False


def _copy_into(tmp: str, target: str) -> None:
    """The complete output copied over the file's own bytes, then cut to its length."""
    with open(tmp, "rb") as src, open(target, "r+b") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())
