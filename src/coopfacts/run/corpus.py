"""Corpus mode: JSON Lines corpora, worker processes, progress.

``coopfacts extract`` reads its inputs through :class:`Corpus`, which yields
``(item, done)`` pairs in input order:

* ``item`` is what :func:`coopfacts.io.documents.iter_documents` yields for text inputs —
  a :class:`~coopfacts.model.Document`, a :class:`~coopfacts.io.documents.StreamedDocument`
  or a :class:`~coopfacts.io.documents.Failure` — or, for a JSON Lines corpus
  (``.jsonl``, ``.jsonl.gz``, or any file with ``--input-format jsonl``), one
  Document per line, its ``id`` the record's id field and its ``lang`` the
  record's language field when one is named.  A line that is not a JSON object
  with the fields becomes a Failure named ``file:line``; the other lines go on.
* ``done`` is None when the caller extracts the document itself (one process,
  and always for a StreamedDocument: it is read window by window, in the main
  process), else a :class:`Done` holding what a worker process found.

With several jobs, documents go to a :class:`concurrent.futures.ProcessPoolExecutor`
in batches of about :data:`BATCH_CHARS` characters; at most ``2 x jobs`` batches
are in flight, and results come back in input order: memory is that of a few
batches whatever the size of the corpus.  Each worker loads the rulebook once
(a language is compiled on its first document there).
With a Dask client (``coopfacts extract --scheduler ADDRESS``) the same batches go to the
cluster's workers instead (:mod:`coopfacts.dask`), ``2 x worker threads`` in flight.

The progress bar (documents, MB, MB/s, ETA when the total size is known) is drawn
on standard error only when it is a terminal; :meth:`Corpus.summary` prints the
one-line summary of a run.
"""
from __future__ import annotations

import collections
import functools
import os
import sys
import time
from typing import TYPE_CHECKING, Any, BinaryIO, Iterator

from coopfacts.io import INPUT_FORMATS as FORMATS  # noqa: F401 - the CLI's name for them until run/ is split
from coopfacts.io import Failure, Source, StreamedDocument, iter_sources, known_total, plan_sources
from coopfacts.model import Document

if TYPE_CHECKING:  # a process pool is loaded only for --jobs above 1
    from concurrent.futures import Future, ProcessPoolExecutor

BIG_DOCS = 200  # more documents than this: all cores by default
BIG_BYTES = 20 << 20  # or more bytes than this
BATCH_CHARS = 1 << 18  # characters of text sent to a worker at once
BATCH_DOCS = 256  # documents sent to a worker at once, at most
WINDOW_PER_JOB = 2  # batches in flight per worker process
REFRESH = 0.1  # seconds between two redraws of the progress bar


# --- worker processes ----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(rules: list[str] | None, kinds: set[str] | None, reference_date: Any, parent: int) -> None:
    import signal

    # Ctrl-C and SIGTERM are the main process's business: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__  # not a progress bar's proxy
    _die_with_parent(parent, signal.SIGTERM)

    from coopfacts.rulebook.book import get_rulebook

    _WORKER.update(rb=get_rulebook(rules or None), kinds=kinds, ref=reference_date)


def _die_with_parent(parent: int, sig: int) -> None:
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


def _work(batch: list[tuple[str, str, str]]) -> list[tuple]:
    """Claims of each ``(id, text, lang)``: ``(language, claims, None)`` or, when it fails,
    ``(language or None, None, (exception type, arguments, message, traceback))``."""
    return _work_with(batch, _WORKER["rb"], _WORKER["kinds"], _WORKER["ref"])


def _work_with(batch: list[tuple[str, str, str]], rb: Any, kinds: set[str] | None, ref: Any) -> list[tuple]:
    """:func:`_work` with its rulebook and options given (also run by Dask workers: coopfacts.run.dask)."""
    import traceback

    from coopfacts.engine.pipeline import extract, resolve_language
    from coopfacts.rulebook.shapes import RuleError

    out: list[tuple] = []
    for doc_id, text, lang in batch:
        code = None
        try:
            code = resolve_language(text, lang, rb)
            out.append((code, extract(text, code, doc=doc_id, kinds=kinds, rulebook=rb, reference_date=ref), None))
        except Exception as exc:
            args = (exc.path, exc.line, exc.col, exc.message) if isinstance(exc, RuleError) else None
            out.append((code, None, (type(exc).__name__, args, str(exc), traceback.format_exc())))
    return out


class SchedulerError(Exception):
    """``--scheduler``: the Dask scheduler cannot be reached or used (exit status 2), or it went
    away during the run (1); the CLI says the message in one line."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


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
            from coopfacts.rulebook.shapes import RuleError

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


def _pool(jobs: int, rules: list[str] | None, kinds: set[str] | None, ref: Any) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where it is safe (Linux): workers start at once and inherit the parsed rule files
    ctx = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                               initargs=(list(rules or []), set(kinds) if kinds else None, ref, os.getpid()))


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now (interrupted run): queued batches are dropped, running ones killed."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    for p in procs:
        try:
            p.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    try:
        pool.shutdown(wait=True, cancel_futures=True)
    except Exception:  # noqa: BLE001
        pass
    for p in procs:
        p.join(timeout=5)


# --- the run -------------------------------------------------------------------------------

def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


class Corpus:
    """The documents of one ``extract`` run, in input order, extracted by ``jobs`` processes
    when there are several (see the module's docstring).  Use as a context manager (it stops
    the workers and the progress bar however the run ends) and iterate once."""

    def __init__(self, paths: list[str], *, input_format: str = "auto", encoding: str | None = None,
                 jobs: int | None = None, rules: list[str] | None = None, lang: str = "auto",
                 kinds: set[str] | None = None, reference_date: Any = None, id_field: str = "id",
                 text_field: str = "text", lang_field: str | None = None, languages: list[str] | None = None,
                 quiet: bool = False, progress: bool | None = None, stdin: BinaryIO | None = None,
                 client: Any = None):
        self.paths = list(paths)
        self.input_format = input_format
        self.encoding = encoding
        self.jobs_asked = jobs
        self.jobs = 1
        self.rules = rules
        self.lang = lang
        self.kinds = kinds
        self.reference_date = reference_date
        self.id_field = id_field
        self.text_field = text_field
        self.lang_field = lang_field
        self.languages = languages
        self.quiet = quiet
        self.stdin = stdin
        self.client = client  # a distributed.Client (--scheduler): batches go to its workers; closed at the end
        self.dask = client is not None
        if progress is None:
            progress = not quiet and _is_terminal(sys.stderr)
        self.show_progress = progress
        self.corpus = False  # a JSON Lines input was read
        self.docs = 0
        self.claims = 0
        self.bytes = 0
        self.total: int | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._progress: Any = None
        self._task: Any = None
        self._last_draw = 0.0
        self._started = time.perf_counter()

    # -- context -------------------------------------------------------------------------
    def __enter__(self) -> "Corpus":
        self._started = time.perf_counter()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._stop_progress()
        if self._pool is not None:
            if exc_type is None:
                self._pool.shutdown(wait=True)
            else:
                _kill(self._pool)
            self._pool = None
        if self.client is not None:
            import contextlib

            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None

    def watch(self, writer: Any) -> Any:
        """``writer``, its records counted for the summary."""
        write = writer.write

        def counted(record: dict) -> None:
            self.claims += 1
            write(record)

        writer.write = counted
        return writer

    # -- inputs --------------------------------------------------------------------------
    def _items(self, sources: list[Source]) -> Iterator[tuple[Any, int]]:
        """``(item, bytes)`` in input order; a StreamedDocument is closed when the next is asked for."""
        self.corpus = any(s.kind == "jsonl" for s in sources)
        for item, n in iter_sources(sources, encoding=self.encoding, stdin=self.stdin, id_field=self.id_field,
                                    text_field=self.text_field, lang_field=self.lang_field,
                                    languages=self.languages):
            if item is None:
                self._advance(n, 0)  # a blank line: read, but no document
            else:
                yield item, n

    def _decide_jobs(self, sources: list[Source], items: Iterator[tuple[Any, int]]) -> tuple[int, Iterator]:
        """The number of processes, and the items (those read ahead to decide, then the rest)."""
        if self.jobs_asked is not None:
            return max(1, self.jobs_asked or default_jobs()), items
        cores = default_jobs()
        if cores == 1:
            return 1, items
        known = sum(s.size or 0 for s in sources)
        if known > BIG_BYTES or sum(s.kind == "text" for s in sources) > BIG_DOCS:
            return cores, items
        if not any(s.kind == "jsonl" for s in sources):
            return 1, items
        # a JSON Lines corpus: read ahead until it is known to be big (or it ends)
        ahead: list[tuple[Any, int]] = []
        n_docs = n_bytes = 0
        for pair in items:
            ahead.append(pair)
            n_docs += 1
            n_bytes += pair[1]
            if n_docs > BIG_DOCS or n_bytes > BIG_BYTES or isinstance(pair[0], StreamedDocument):
                break  # (a StreamedDocument must not wait: the next read would close it)
        big = n_docs > BIG_DOCS or n_bytes > BIG_BYTES
        return (cores if big else 1), _chain(ahead, items)

    # -- iteration -----------------------------------------------------------------------
    def __iter__(self) -> Iterator[tuple[Any, Done | None]]:
        sources = plan_sources(self.paths, self.input_format)
        self.total = known_total(sources)
        if self.client is not None:  # --scheduler: every batch goes to the Dask workers
            from coopfacts.run.dask import submit_batch, threads

            self.jobs = threads(self.client)
            self._start_progress()
            client, rules = self.client, self.rules
            yield from self._parallel(self._items(sources), lambda work: submit_batch(
                client, work, rules, self.kinds, self.reference_date))
            return
        self.jobs, items = self._decide_jobs(sources, self._items(sources))
        self._start_progress()
        if self.jobs == 1:
            for item, n in items:
                yield item, None
                self._advance(n, 0 if isinstance(item, Failure) else 1)
            return
        yield from self._parallel(items)

    def _parallel(self, items: Iterator[tuple[Any, int]], send: Any = None) -> Iterator[tuple[Any, Done | None]]:
        """``send(work)``: a future of ``_work(work)`` (default: the process pool's)."""
        if send is None:
            self._pool = _pool(self.jobs, self.rules, self.kinds, self.reference_date)
            send = functools.partial(self._pool.submit, _work)
        window = WINDOW_PER_JOB * self.jobs
        pending: collections.deque[tuple[list[tuple[Any, int]], Future | None]] = collections.deque()
        batch: list[tuple[Any, int]] = []
        chars = 0

        def submit() -> None:
            nonlocal batch, chars
            work = [(it.id, it.text, it.lang or self.lang) for it, _ in batch if isinstance(it, Document)]
            pending.append((batch, send(work) if work else None))
            batch, chars = [], 0

        def oldest() -> Iterator[tuple[Any, Done | None]]:
            entries, future = pending.popleft()
            results = iter(future.result() if future is not None else ())
            for item, n in entries:
                done = Done(*next(results)) if isinstance(item, Document) else None
                yield item, done
                self._advance(n, 0 if isinstance(item, Failure) else 1)

        for item, n in items:
            if isinstance(item, StreamedDocument):  # read window by window here, after what came before
                if batch:
                    submit()
                while pending:
                    yield from oldest()
                yield item, None
                self._advance(n, 1)
                continue
            batch.append((item, n))
            if isinstance(item, Document):
                chars += len(item.text)
            if chars >= BATCH_CHARS or len(batch) >= BATCH_DOCS:
                submit()
                while len(pending) >= window:
                    yield from oldest()
        if batch:
            submit()
        while pending:
            yield from oldest()

    # -- progress and summary -----------------------------------------------------------------
    def _start_progress(self) -> None:
        if not self.show_progress:
            return
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

        # MB/s and ETA from the whole run so far (rich's own estimate would see the bursts in
        # which a worker's batch comes back); no refresh thread (it could hold a lock while a
        # worker is forked): the bar is redrawn as documents finish
        self._progress = Progress(TextColumn("{task.fields[docs]} documents"), BarColumn(), DownloadColumn(),
                                  TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[eta]}"),
                                  console=Console(file=sys.stderr), auto_refresh=False, transient=True,
                                  redirect_stdout=False)
        self._task = self._progress.add_task("extract", total=self.total, docs=0, rate="", eta="")
        self._progress.start()
        self._progress.refresh()

    def _advance(self, n_bytes: int, n_docs: int) -> None:
        self.bytes += n_bytes
        self.docs += n_docs
        if self._progress is not None:
            now = time.perf_counter()
            secs = max(now - self._started, 1e-9)
            rate = self.bytes / secs
            if self.total is not None and rate > 0:
                eta = f"ETA {_clock(max(self.total - self.bytes, 0) / rate)}"
            else:
                eta = _clock(secs)
            self._progress.update(self._task, advance=n_bytes, docs=self.docs, rate=f"{rate / 1e6:.2f} MB/s", eta=eta)
            if now - self._last_draw >= REFRESH:
                self._last_draw = now
                self._progress.refresh()

    def _stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def summary_line(self, n_docs: int, n_failed: int) -> str:
        secs = max(time.perf_counter() - self._started, 1e-9)
        mb = self.bytes / 1e6
        line = (f"{n_docs} document{'s' if n_docs != 1 else ''}, {self.claims} claim{'s' if self.claims != 1 else ''}, "
                f"{mb:.1f} MB in {secs:.1f} s ({mb / secs:.2f} MB/s, {n_docs / secs:.0f} documents/s")
        if self.dask:
            line += f", Dask: {self.jobs} worker thread{'s' if self.jobs != 1 else ''}"
        elif self.jobs > 1:
            line += f", {self.jobs} processes"
        return line + f"); {n_failed} failed" if n_failed else line + ")"

    def summary(self, n_docs: int, n_failed: int) -> None:
        """The one-line summary on stderr: unless quiet, on a terminal or for a corpus run
        (JSON Lines input or several processes)."""
        self._stop_progress()
        if self.quiet or not (self.show_progress or self.corpus or self.jobs > 1 or self.dask):
            return
        print(f"coopfacts: {self.summary_line(n_docs, n_failed)}", file=sys.stderr, flush=True)


def _clock(secs: float) -> str:
    secs = int(secs + 0.5)
    return f"{secs // 3600}:{secs // 60 % 60:02d}:{secs % 60:02d}"


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    first.clear()
    yield from rest


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
