"""Runs over many inputs: :class:`Corpus` reads them in order and has their documents extracted
by worker processes (:mod:`~coopfacts.run.workers`) or a Dask cluster (:mod:`coopfacts.run.dask`,
imported only when used: it needs the ``dask`` extra), with a progress bar and a summary line
(:mod:`~coopfacts.run.progress`).

The names below are this layer's public face; the modules behind them may move.
"""
from coopfacts.run.corpus import Corpus, RunOptions, decide_jobs, default_jobs
from coopfacts.run.workers import Done, LocalPool, SchedulerError, extract_batch

__all__ = ["Corpus", "Done", "LocalPool", "RunOptions", "SchedulerError", "decide_jobs", "default_jobs",
           "extract_batch"]
