"""What runs batches of documents: the batch function, and the executors that call it.

A batch is a list of ``(id, text, lang)`` (:data:`Work`); :func:`extract_batch` gives, for each,
the language and the claims, or what went wrong (:data:`Result`: exceptions do not cross
processes whole), and :class:`Done` reads a result back as the main process would have
raised it.  An executor (:class:`Executor`) sends batches somewhere and returns futures:
:class:`LocalPool` to worker processes on this machine (each loads the engine once),
``coopfacts.run.dask.DaskExecutor`` to the workers of a Dask cluster.
"""
from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # a process pool is loaded only for --jobs above 1
    from concurrent.futures import ProcessPoolExecutor

    from coopfacts.engine import Engine

Work = tuple  # (id, text, lang) or (id, text, lang, date): a document's own reference date, or None
"""One document of a batch: ``(id, text, lang)`` (``lang`` a code or ``auto``)."""

Result = tuple[str | None, list | None, tuple | None]
"""``(language, claims, None)`` or, when it failed, ``(language or None, None, (exception type,
arguments, message, traceback))``."""


class SchedulerError(Exception):
    """``--scheduler``: the Dask scheduler cannot be reached or used (exit status 2), or it went
    away during the run (1); the CLI says the message in one line.  (Defined here, not in
    :mod:`coopfacts.run.dask`: the CLI and the corpus name it without importing dask.)"""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


class BatchFuture(Protocol):
    """A submitted batch: :meth:`result` waits for its results, in the batch's order."""

    def result(self) -> list[Result]: ...


class Executor(Protocol):
    """Where batches go: ``jobs`` of them run at once; :meth:`close` waits for the work sent
    (``ok``) or drops it (an interrupted run)."""

    @property
    def jobs(self) -> int: ...

    def submit(self, batch: list[Work]) -> BatchFuture: ...

    def close(self, ok: bool) -> None: ...


# --- the batch -----------------------------------------------------------------------------

def extract_batch(batch: list[Work], engine: Engine, kinds: set[str] | None, ref: Any) -> list[Result]:
    """The :data:`Result` of each document of ``batch``, in order (run by worker processes and by
    Dask workers alike)."""
    import traceback

    from coopfacts.rulebook import RuleError

    out: list[Result] = []
    for work in batch:
        doc_id, text, lang = work[:3]
        day = work[3] if len(work) > 3 and work[3] is not None else ref  # the document's date first
        code = None
        try:
            code = engine.language_of(text, lang)
            out.append((code, engine.extract(text, code, doc=doc_id, kinds=kinds, reference_date=day,
                                             mixed=lang in (None, "auto")), None))
        except Exception as exc:
            args = (exc.path, exc.line, exc.col, exc.message) if isinstance(exc, RuleError) else None
            out.append((code, None, (type(exc).__name__, args, str(exc), traceback.format_exc())))
    return out


class _RemoteTraceback(Exception):
    def __str__(self) -> str:
        return str(self.args[0])


class Done:
    """What a worker found for one document; :meth:`language` and :meth:`claims` raise what
    the worker raised (an exception of the same name and message)."""

    __slots__ = ("lang", "_claims", "_error")

    def __init__(self, lang: str | None, claims: list | None, error: tuple | None):
        self.lang = lang
        self._claims = claims
        self._error = error

    def _raise(self) -> None:
        name, args, message, tb = self._error  # type: ignore[misc]
        if name == "RuleError" and args is not None:
            from coopfacts.rulebook import RuleError

            exc: Exception = RuleError(*args)
        else:
            exc = type(name, (Exception,), {"__module__": "coopfacts.worker"})(message)
        raise exc from _RemoteTraceback(f'\n"""\n{tb}"""')

    def language(self) -> str:
        if self.lang is None:
            self._raise()
        return self.lang  # type: ignore[return-value]

    def claims(self) -> list:
        if self._error is not None:
            self._raise()
        return self._claims or []


# --- worker processes on this machine ----------------------------------------------------------

_WORKER: dict[str, Any] = {}  # a worker process's engine and options, set once by init_worker


def init_worker(rules: list[str] | None, kinds: set[str] | None, reference_date: Any, parent: int) -> None:
    """Start of a worker process: signals left to the main process, the engine loaded."""
    import signal

    # Ctrl-C and SIGTERM are the main process's business: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__  # not a progress bar's proxy
    die_with_parent(parent, signal.SIGTERM)

    from coopfacts.engine import load

    _WORKER.update(engine=load(rules or None), kinds=kinds, ref=reference_date)


def die_with_parent(parent: int, sig: int) -> None:
    """A worker must not outlive the run (the main process killed by SIGTERM or SIGKILL, whose
    queue the worker would wait on for ever): on Linux the kernel sends ``sig`` when the parent
    dies; elsewhere a thread looks every second."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            if ctypes.CDLL(None, use_errno=True).prctl(1, int(sig), 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
                if os.getppid() != parent:  # died in between
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="coopfacts-parent-watch", daemon=True).start()


def pooled_batch(batch: list[Work]) -> list[Result]:
    """In a worker process: :func:`extract_batch` with what :func:`init_worker` loaded."""
    return extract_batch(batch, _WORKER["engine"], _WORKER["kinds"], _WORKER["ref"])


class LocalPool:
    """``jobs`` worker processes on this machine (an :class:`Executor`)."""

    def __init__(self, jobs: int, rules: list[str] | None, kinds: set[str] | None, ref: Any):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = jobs
        # fork where it is safe (Linux): workers start at once and inherit the parsed rule files
        ctx = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init_worker,
                                         initargs=(list(rules or []), set(kinds) if kinds else None, ref, os.getpid()))

    def submit(self, batch: list[Work]) -> BatchFuture:
        return self._pool.submit(pooled_batch, batch)

    def close(self, ok: bool) -> None:
        if ok:
            self._pool.shutdown(wait=True)
        else:
            kill(self._pool)


def kill(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now (interrupted run, closed output pipe, crashed worker): queued batches
    are dropped, running ones killed, and nothing waits on what the dead workers left behind.

    Two things could wait for ever on workers killed mid-way, and are undone here:

    * the pool's queue of batches is fed by a thread that may be blocked writing into a pipe the
      killed workers no longer read: it is told not to be waited for (``cancel_join_thread``);
    * a worker killed while it was sending its results leaves half a message in the results pipe,
      and the pool's manager thread reads on for the rest, which no one will write; this process
      holds a write end of that pipe too, so no end of file would come: closing it makes the read
      end, and the manager thread sees a broken pool and stops.

    The pool is shut down without waiting; the workers are reaped, killed outright if SIGTERM was
    not enough, and the manager thread is given a few seconds to end (the interpreter joins it at
    exit).
    """
    procs = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them,
    results = getattr(pool, "_result_queue", None)  # and these
    manager = getattr(pool, "_executor_manager_thread", None)
    queue = getattr(pool, "_call_queue", None)
    if queue is not None:
        try:
            queue.cancel_join_thread()
        except Exception:  # noqa: BLE001 - another Python's pool: nothing to cancel
            pass
    for p in procs:
        try:
            p.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    try:
        pool.shutdown(wait=False, cancel_futures=True)
    except Exception:  # noqa: BLE001
        pass
    for p in procs:
        try:
            p.join(timeout=2)
            if p.is_alive():
                p.kill()
                p.join(timeout=2)
        except Exception:  # noqa: BLE001
            pass
    writer = getattr(results, "_writer", None)
    if writer is not None:
        try:
            writer.close()  # the workers are gone: only this end kept a half-read message waiting
        except Exception:  # noqa: BLE001
            pass
    if manager is not None:
        manager.join(timeout=5)
