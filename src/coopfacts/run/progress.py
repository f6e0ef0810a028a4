"""What a run says about itself on standard error: the progress bar (documents, MB, MB/s, ETA
when the total size is known), drawn only on a terminal and only for long work, and the one-line
summary."""
from __future__ import annotations

import sys
import time
from typing import Any

REFRESH = 0.1  # seconds between two redraws of the progress bar
PROGRESS_AFTER = 1.0  # seconds of work before the bar is shown (a short run shows none)
PROGRESS_OVER = 5 << 20  # bytes of input from which it is shown from the start


class ProgressBar:
    """The bar of a run over ``total`` bytes (None: unknown), drawn on standard error."""

    def __init__(self, total: int | None):
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

        self.total = total
        # MB/s and ETA from the whole run so far (rich's own estimate would see the bursts in
        # which a worker's batch comes back); no refresh thread (it could hold a lock while a
        # worker is forked): the bar is redrawn as documents finish
        self._progress = Progress(TextColumn("{task.fields[docs]} documents"), BarColumn(), DownloadColumn(),
                                  TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[eta]}"),
                                  console=Console(file=sys.stderr), auto_refresh=False, transient=True,
                                  redirect_stdout=False)
        self._task = self._progress.add_task("extract", total=total, docs=0, rate="", eta="")
        self._last_draw = 0.0
        self._progress.start()
        self._progress.refresh()

    def update(self, advance: int, docs: int, done: int, started: float) -> None:
        """``advance`` more bytes read, ``done`` in all, ``docs`` documents, since ``started``
        (:func:`time.perf_counter`); redrawn at most every :data:`REFRESH` seconds."""
        now = time.perf_counter()
        secs = max(now - started, 1e-9)
        rate = done / secs
        if self.total is not None and rate > 0:
            eta = f"ETA {clock(max(self.total - done, 0) / rate)}"
        else:
            eta = clock(secs)
        self._progress.update(self._task, advance=advance, docs=docs, rate=f"{rate / 1e6:.2f} MB/s", eta=eta)
        if now - self._last_draw >= REFRESH:
            self._last_draw = now
            self._progress.refresh()

    def stop(self) -> None:
        self._progress.stop()


def summary_line(*, docs: int, claims: int, n_bytes: int, secs: float, jobs: int, dask: bool, failed: int) -> str:
    """``12 documents, 340 claims, 1.2 MB in 0.8 s (1.50 MB/s, 15 documents/s, 2 processes); 1 failed``."""
    secs = max(secs, 1e-9)
    mb = n_bytes / 1e6
    line = (f"{docs} document{'s' if docs != 1 else ''}, {claims} claim{'s' if claims != 1 else ''}, "
            f"{mb:.1f} MB in {secs:.1f} s ({mb / secs:.2f} MB/s, {docs / secs:.0f} documents/s")
    if dask:
        line += f", Dask: {jobs} worker thread{'s' if jobs != 1 else ''}"
    elif jobs > 1:
        line += f", {jobs} processes"
    return line + f"); {failed} failed" if failed else line + ")"


def clock(secs: float) -> str:
    """``H:MM:SS``."""
    secs = int(secs + 0.5)
    return f"{secs // 3600}:{secs // 60 % 60:02d}:{secs % 60:02d}"


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
