"""The run of ``coopfacts extract`` over its inputs: :class:`RunOptions` and :class:`Corpus`.

A :class:`Corpus` yields ``(item, done)`` pairs in input order:

* ``item`` is what :func:`coopfacts.io.iter_sources` reads: a :class:`~coopfacts.model.Document`
  (one a line for a JSON Lines corpus, its ``id`` and ``lang`` from the record's fields), a
  :class:`~coopfacts.io.StreamedDocument` or a :class:`~coopfacts.io.Failure` (a bad corpus line
  is one named ``file:line``; the other lines go on).
* ``done`` is None when the caller extracts the document itself (one process, and always for a
  StreamedDocument: it is read window by window, in the main process), else a
  :class:`~coopfacts.run.workers.Done` holding what a worker found.

With several jobs, documents go to an executor in batches of about :data:`BATCH_CHARS`
characters: worker processes on this machine (:class:`~coopfacts.run.workers.LocalPool`), or
with a Dask client (``coopfacts extract --scheduler ADDRESS``) the cluster's workers
(:mod:`coopfacts.run.dask`).  At most :data:`WINDOW_PER_JOB` batches per job are in flight and
results come back in input order: memory is that of a few batches whatever the size of the
corpus.

The progress bar is drawn on standard error only when it is a terminal, and only for long work:
once the run has taken :data:`~coopfacts.run.progress.PROGRESS_AFTER` seconds, or from the start
when its inputs hold over :data:`~coopfacts.run.progress.PROGRESS_OVER` bytes.  It is transient,
and cleared while a table is printed; :meth:`Corpus.summary` prints the one-line summary of a
corpus run (:mod:`coopfacts.run.progress`).
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as _dt
import os
import sys
import time
from typing import Any, BinaryIO, Iterator

import coopfacts.io.stream as _stream
from coopfacts.io import Failure, Item, Source, StreamedDocument, iter_sources, known_total, plan_sources
from coopfacts.model import Document
from coopfacts.run.progress import PROGRESS_AFTER, PROGRESS_OVER, ProgressBar, is_terminal, summary_line
from coopfacts.run.workers import BatchFuture, Done, Executor, LocalPool

BIG_DOCS = 200  # more documents than this: all cores by default
BIG_BYTES = 20 << 20  # or more bytes than this
BATCH_CHARS = 1 << 18  # characters of text sent to a worker at once
BATCH_DOCS = 256  # documents sent to a worker at once, at most
WINDOW_PER_JOB = 2  # batches in flight per job


@dataclasses.dataclass
class RunOptions:
    """What one run is asked: how to read its inputs, how many processes, what to extract and
    what to say."""

    input_format: str = "auto"  # auto, text or jsonl (coopfacts.io.INPUT_FORMATS)
    encoding: str | None = None  # None: UTF-8, or as a BOM says
    id_field: str = "id"  # JSON Lines: the fields of a record
    text_field: str = "text"
    lang_field: str | None = None
    date_field: str | None = None  # JSON Lines: each document's publication date, its reference date
    jobs: int | None = None  # None: from the size of the inputs; 0: all cores
    rules: list[str] | None = None  # extra rule directories
    lang: str = "auto"  # of documents that do not give their own
    languages: list[str] | None = None  # the rule files' (a record's language is checked against them)
    kinds: set[str] | None = None  # None: every kind
    reference_date: _dt.date | None = None
    quiet: bool = False
    progress: bool | None = None  # None: on a terminal, unless quiet


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def decide_jobs(asked: int | None, sources: list[Source],
                items: Iterator[tuple[Any, int]]) -> tuple[int, Iterator[tuple[Any, int]]]:
    """The number of processes (``asked``, or all cores for a big run, else 1), and the items:
    those read ahead to decide, then the rest."""
    if asked is not None:
        return max(1, asked or default_jobs()), items
    cores = default_jobs()
    if cores == 1:
        return 1, items
    known = sum(s.size or 0 for s in sources)
    if known > BIG_BYTES or sum(s.kind in ("text", "html") for s in sources) > BIG_DOCS:
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


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    first.clear()
    yield from rest


class Corpus:
    """The documents of one ``extract`` run, in input order, extracted by an executor when
    there are several jobs (see the module's docstring).  Use as a context manager (it stops
    the workers and the progress bar however the run ends) and iterate once.

    ``client``: a ``distributed.Client`` (``--scheduler``): batches go to its workers, and it is
    closed at the end.  ``stdin``: what ``-`` reads (default: the process's standard input).
    """

    def __init__(self, paths: list[str], options: RunOptions | None = None, *, stdin: BinaryIO | None = None,
                 client: Any = None):
        self.paths = list(paths)
        self.options = options = options or RunOptions()
        self.stdin = stdin
        self.dask = client is not None
        self.show_progress = options.progress if options.progress is not None else \
            not options.quiet and is_terminal(sys.stderr)
        self.jobs = 1
        self.corpus = False  # the inputs hold a JSON Lines corpus (known once iterated)
        self.docs = 0
        self.claims = 0
        self.bytes = 0
        self.total: int | None = None
        self._executor: Executor | None = None
        if client is not None:
            from coopfacts.run.dask import DaskExecutor

            self._executor = DaskExecutor(client, options.rules, options.kinds, options.reference_date)
        self._bar: ProgressBar | None = None
        self._bar_shown = False  # the run was long enough to show it
        self._paused = False  # a table is being printed
        self._started = time.perf_counter()

    # -- context -------------------------------------------------------------------------
    def __enter__(self) -> Corpus:
        self._started = time.perf_counter()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._stop_progress()
        if self._executor is not None:
            self._executor.close(ok=exc_type is None)
            self._executor = None

    def watch(self, writer: Any) -> Any:
        """``writer``, its records counted for the summary; the progress bar is cleared while
        it prints (a table), so that the two never mix."""
        write, end_document, close = writer.write, writer.end_document, writer.close

        def counted(record: dict) -> None:
            self.claims += 1
            write(record)

        def quiet_while(call: Any) -> Any:
            def run(*args: Any) -> Any:
                self._stop_progress()
                self._paused = True
                try:
                    return call(*args)
                finally:
                    self._paused = False
            return run

        writer.write = counted
        if is_terminal(getattr(writer, "out", None)):  # it prints where the bar is drawn
            writer.end_document = quiet_while(end_document)
            writer.close = quiet_while(close)
        return writer

    # -- iteration -----------------------------------------------------------------------
    def __iter__(self) -> Iterator[tuple[Item, Done | None]]:
        opts = self.options
        sources = plan_sources(self.paths, opts.input_format)
        self.total = known_total(sources)
        items = self._items(sources)
        if self._executor is not None:  # --scheduler: every batch goes to the Dask workers
            self.jobs = self._executor.jobs
        else:
            self.jobs, items = decide_jobs(opts.jobs, sources, items)
        self._start_progress()
        if self.jobs > 1 and self._executor is None:
            self._executor = LocalPool(self.jobs, opts.rules, opts.kinds, opts.reference_date)
        if self._executor is None:
            for item, n in items:
                yield item, None
                self._advance(n, 0 if isinstance(item, Failure) else 1)
            return
        yield from self._in_batches(items, self._executor)

    def _items(self, sources: list[Source]) -> Iterator[tuple[Item, int]]:
        """``(item, bytes)`` in input order; a StreamedDocument is closed when the next is asked for."""
        opts = self.options
        self.corpus = any(s.kind == "jsonl" for s in sources)
        for item, n in iter_sources(sources, encoding=opts.encoding, stdin=self.stdin, id_field=opts.id_field,
                                    text_field=opts.text_field, lang_field=opts.lang_field,
                                    languages=opts.languages, date_field=opts.date_field, warn=self._warn):
            if item is None:
                self._advance(n, 0)  # a blank line: read, but no document
            else:
                yield item, n

    def _in_batches(self, items: Iterator[tuple[Item, int]], executor: Executor) -> Iterator[tuple[Item, Done | None]]:
        """The items with what the executor found for each document, in input order."""
        window = WINDOW_PER_JOB * self.jobs
        pending: collections.deque[tuple[list[tuple[Item, int]], BatchFuture | None]] = collections.deque()
        batch: list[tuple[Item, int]] = []
        chars = 0

        def submit() -> None:
            nonlocal batch, chars
            work = [(it.id, it.text, it.lang or self.options.lang, it.date) for it, _ in batch
                    if isinstance(it, Document)]
            pending.append((batch, executor.submit(work) if work else None))
            batch, chars = [], 0

        def oldest() -> Iterator[tuple[Item, Done | None]]:
            entries, future = pending.popleft()
            results = iter(future.result() if future is not None else ())
            for item, n in entries:
                done = Done(*next(results)) if isinstance(item, Document) else None
                yield item, done
                self._advance(n, 0 if isinstance(item, Failure) else 1)

        for item, n in items:
            # a StreamedDocument, or a corpus record as large as one, is read window by window here,
            # after what came before (a worker would hold it whole)
            large = isinstance(item, Document) and len(item.text) > _stream.STREAM_OVER
            if isinstance(item, StreamedDocument) or large:
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

    def _warn(self, message: str) -> None:
        """A remark on the input that is no failure (a duplicate id): one line on stderr."""
        print(f"coopfacts: warning: {message}", file=sys.stderr, flush=True)

    # -- progress and summary -----------------------------------------------------------------
    def _start_progress(self) -> None:
        """The bar from the start for a big run; else it waits until the run has been long."""
        if self.show_progress and self.total is not None and self.total > PROGRESS_OVER:
            self._show_bar()

    def _show_bar(self) -> None:
        self._bar = ProgressBar(self.total)
        self._bar_shown = True
        if self.bytes:
            self._bar.update(self.bytes, self.docs, self.bytes, self._started)

    def _advance(self, n_bytes: int, n_docs: int) -> None:
        self.bytes += n_bytes
        self.docs += n_docs
        if self._bar is None and self.show_progress and not self._paused and \
                time.perf_counter() - self._started > PROGRESS_AFTER:
            self._show_bar()
        elif self._bar is not None:
            self._bar.update(n_bytes, self.docs, self.bytes, self._started)

    def _stop_progress(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def summary_line(self, n_docs: int, n_failed: int) -> str:
        return summary_line(docs=n_docs, claims=self.claims, n_bytes=self.bytes,
                            secs=time.perf_counter() - self._started, jobs=self.jobs, dask=self.dask, failed=n_failed)

    def summary(self, n_docs: int, n_failed: int) -> None:
        """The one-line summary on stderr, unless quiet: for a corpus run (JSON Lines input or
        several processes) or one long enough to have shown the progress bar."""
        self._stop_progress()
        if self.options.quiet or not (self._bar_shown or self.corpus or self.jobs > 1 or self.dask):
            return
        print(f"coopfacts: {self.summary_line(n_docs, n_failed)}", file=sys.stderr, flush=True)
