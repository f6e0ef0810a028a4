"""Past one machine: claims from Dask bags and data frames, and the ``--scheduler`` route.

Needs the ``dask`` extra (``pip install 'coopfacts[dask]'``): dask with its data frames,
distributed and pyarrow.  Only ``coopfacts extract --scheduler`` imports this module, when it
runs, so ``import coopfacts`` and ``coopfacts --help`` never load dask or pandas.  (``import dask``
here is the real dask: imports are absolute.)

* :func:`extract_bag` — a Bag of documents (dicts, or plain strings) to a Bag of claim records,
  the dicts ``coopfacts extract --format jsonl`` writes, in the bag's order.
* :func:`extract_frame` — a Dask DataFrame with a text column to a Dask DataFrame of claims,
  one row a claim, the columns of a claim record (:data:`COLUMNS`) with fixed dtypes
  (:func:`claims_meta`), ready for ``to_parquet``.  :func:`frame_records` turns rows back into
  records.
* :func:`connect` and :class:`DaskExecutor` — what ``coopfacts extract --scheduler ADDRESS`` uses:
  the batches of :class:`coopfacts.run.Corpus` go to the cluster's workers, which run
  :func:`coopfacts.run.workers.extract_batch` on them.

Work is done partition by partition (or batch by batch) on the workers.  Each worker process
loads the engine once (:func:`coopfacts.engine.load` and the compiled languages are cached per
process). The engine holds nothing about any document, so a worker's threads may share it;
but extraction is pure Python, so extra threads do not run it faster: run workers with
``--nthreads 1`` and as many processes as cores. coopfacts (and any ``rules`` directory, at the
same path) must be installed on every worker.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Iterable, Iterator

try:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow  # noqa: F401 - string columns, Parquet
except ImportError as _exc:  # without the extra (tests/test_dask.py checks the message)
    raise ImportError(
        f"coopfacts.dask needs the dask extra ({_exc.name or _exc} is missing): "
        "pip install 'coopfacts[dask]'") from _exc

from coopfacts.model import FIELDS
from coopfacts.outputs.writers import clean_value
from coopfacts.run.workers import Result, SchedulerError, Work, extract_batch

__all__ = ["COLUMNS", "DaskExecutor", "RemoteBatch", "claims_meta", "connect", "extract_bag", "extract_frame",
           "frame_records", "submit_batch", "threads"]

# --- the claims frame --------------------------------------------------------------------------

COLUMNS: tuple[str, ...] = FIELDS
"""Columns of :func:`extract_frame`: the fields of a claim record, optional ones last."""

STRING = "string[pyarrow]"
_INT = {"start": "int64", "end": "int64", "sentence_start": "Int64", "sentence_end": "Int64", "range": "Int64"}
_BOOL = ("relative", "dateline")
_FLOAT = ("number",)
_JSON = ("gregorian_years", "gregorian_range", "compared_to")  # lists and objects: JSON text


def _dtype(column: str) -> str:
    if column in _INT:
        return _INT[column]
    if column in _FLOAT:
        return "Float64"
    return "boolean" if column in _BOOL else STRING


def claims_meta() -> pd.DataFrame:
    """An empty frame with the columns and dtypes of :func:`extract_frame`.

    ``start`` and ``end`` are ``int64``; ``sentence_start``, ``sentence_end`` and ``range`` are
    nullable ``Int64``; ``relative`` and ``dateline`` nullable ``boolean``; ``number`` nullable
    ``Float64``; every other column is ``string[pyarrow]``.  ``value`` holds the value as the CSV
    output writes it (a number in JSON notation, or a date's ISO string; ``number`` has the
    numbers); ``gregorian_years``, ``gregorian_range`` and ``compared_to`` hold JSON text.  A field
    a claim does not have is missing (``<NA>``).
    """
    return pd.DataFrame({c: pd.Series([], dtype=_dtype(c)) for c in COLUMNS})


def _cell(column: str, v: Any) -> Any:
    if v is None:
        return None
    if column in _JSON or (column == "value" and not isinstance(v, str)):
        return json.dumps(v, ensure_ascii=False)
    return v


def _frame(records: list[dict]) -> pd.DataFrame:
    """Claim records (dicts) as a pandas frame with :func:`claims_meta`'s columns and dtypes."""
    for rec in records:
        unknown = set(rec) - set(COLUMNS)
        if unknown:
            raise ValueError(f"claim field(s) {', '.join(sorted(unknown))} have no column in "
                             "coopfacts.run.dask.COLUMNS")
    return pd.DataFrame({c: pd.array([_cell(c, r.get(c)) for r in records], dtype=_dtype(c)) for c in COLUMNS})


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """The claim records of (a computed part of) a claims frame, as ``--format jsonl`` writes
    them: the inverse of :func:`extract_frame`'s encoding (also after a Parquet round trip)."""
    out: list[dict] = []
    columns = [c for c in COLUMNS if c in frame.columns]
    for row in frame[columns].itertuples(index=False, name=None):
        rec: dict[str, Any] = {}
        for column, v in zip(columns, row):
            missing = v is None or v is pd.NA or (isinstance(v, float) and v != v)
            if missing:
                if column in FIELDS:
                    rec[column] = None
                continue
            if column in _INT:
                v = int(v)
            elif column in _BOOL:
                v = bool(v)
            elif column in _FLOAT:
                v = clean_value(float(v))
            elif column in _JSON:
                v = json.loads(v)
            elif column == "value" and rec.get("kind") != "date":
                v = json.loads(v)
            else:
                v = str(v)
            rec[column] = v
        out.append(rec)
    return out


# --- extraction on a worker --------------------------------------------------------------------



def _options(lang: str, kinds: Iterable[str] | None, reference_date: Any, rules: Iterable[str] | None) -> dict:
    """The options sent with each partition, checked here (before anything runs)."""
    from coopfacts.engine import CLAIM_KINDS

    wanted = None
    if kinds is not None:
        given = kinds.split(",") if isinstance(kinds, str) else list(kinds)
        wanted = sorted({k.strip() for k in given if k.strip()})
        bad = [k for k in wanted if k not in CLAIM_KINDS]
        if bad or not wanted:
            raise ValueError(f"kinds: unknown kind {', '.join(map(repr, bad)) or '(none given)'}")
    if isinstance(reference_date, str):
        reference_date = _dt.date.fromisoformat(reference_date)
    return {"lang": (lang or "auto").lower(), "kinds": wanted, "ref": reference_date,
            "rules": [os.path.abspath(r) for r in rules or ()]}


def _doc_lang(value: Any, default: str) -> str:
    """A record's own language, as a JSON Lines corpus reads ``--lang-field``: missing, null,
    empty or ``auto`` fall back to ``default``."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return default
    if not isinstance(value, str):
        raise TypeError(f"language field: expected a string, got {type(value).__name__}")
    value = value.strip().lower()
    return value if value and value != "auto" else default


def _claims(docs: Iterable[tuple[str, Any, str]], opts: dict) -> list[dict]:
    """The claim records of each ``(id, text, lang)``, in order."""
    from coopfacts.engine import load

    out: list[dict] = []
    engine = load(opts["rules"] or None)  # cached per process: loaded once per worker
    kinds = set(opts["kinds"]) if opts["kinds"] else None
    for doc_id, text, lang in docs:
        if text is None or text is pd.NA or (isinstance(text, float) and text != text):
            continue  # a missing text: no claims
        if not isinstance(text, str):
            raise TypeError(f"document {doc_id!r}: text is {type(text).__name__}, not a string")
        for claim in engine.extract(text, lang, doc=doc_id, kinds=kinds, reference_date=opts["ref"]):
            out.append(clean_value(claim.to_dict()))
    return out


def _bag_docs(part: Iterable[Any], index: int, opts: dict, id_key: str | None, text_key: str,
              lang_key: str | None) -> Iterator[tuple[str, Any, str]]:
    for pos, item in enumerate(part):
        if isinstance(item, str):
            yield f"{index}:{pos}", item, opts["lang"]
            continue
        if not isinstance(item, dict):
            raise TypeError(f"bag element {index}:{pos}: expected a dict or a string, got {type(item).__name__}")
        if id_key is None:
            doc_id = f"{index}:{pos}"
        elif id_key in item:
            doc_id = str(item[id_key])
        else:
            raise KeyError(f"bag element {index}:{pos}: no {id_key!r} field")
        if text_key not in item:
            raise KeyError(f"bag element {index}:{pos}: no {text_key!r} field")
        lang = _doc_lang(item.get(lang_key), opts["lang"]) if lang_key is not None else opts["lang"]
        yield doc_id, item[text_key], lang


def _bag_partition(part: Iterable[Any], index: Iterable[int], opts: dict, id_key: str | None, text_key: str,
                   lang_key: str | None) -> list[dict]:
    (i,) = list(index)
    return _claims(_bag_docs(part, i, opts, id_key, text_key, lang_key), opts)


def _frame_partition(df: pd.DataFrame, text_column: str, id_column: str | None, lang_column: str | None,
                     opts: dict) -> pd.DataFrame:
    texts = df[text_column].tolist()
    ids = df.index.tolist() if id_column is None else df[id_column].tolist()
    langs = df[lang_column].tolist() if lang_column is not None else [None] * len(texts)
    docs = ((str(i), t, _doc_lang(lg, opts["lang"])) for i, t, lg in zip(ids, texts, langs))
    return _frame(_claims(docs, opts))


# --- the public API ------------------------------------------------------------------------------

def extract_bag(bag: db.Bag, *, lang: str = "auto", kinds: Iterable[str] | None = None,
                reference_date: _dt.date | str | None = None, rules: Iterable[str] | None = None,
                id_key: str | None = "id", text_key: str = "text", lang_key: str | None = None) -> db.Bag:
    """A Bag of the claim records found in a Bag of documents, in the bag's order.

    An element is a dict (its ``id_key`` field is the document id — as a string — and its
    ``text_key`` field the text; with ``lang_key``, that field gives its language, else
    ``lang``) or a plain string, whose id is then ``"P:N"``: partition ``P`` of the bag,
    ``N``-th element in it, both from 0 (``id_key=None`` gives dicts such ids too).  A record is
    the dict ``coopfacts extract --format jsonl`` writes for the claim, ``doc`` being the id.
    ``kinds``, ``reference_date`` and ``rules`` (extra rule directories, which must exist at the
    same path on the workers) are those of :func:`coopfacts.extract` and the CLI.
    """
    opts = _options(lang, kinds, reference_date, rules)
    index = db.range(bag.npartitions, npartitions=bag.npartitions)  # one partition number each
    return bag.map_partitions(_bag_partition, index, opts, id_key, text_key, lang_key)


def extract_frame(ddf: dd.DataFrame, text_column: str = "text", *, id_column: str | None = "id",
                  lang_column: str | None = None, lang: str = "auto", kinds: Iterable[str] | None = None,
                  reference_date: _dt.date | str | None = None, rules: Iterable[str] | None = None) -> dd.DataFrame:
    """A Dask DataFrame of the claims found in the ``text_column`` of ``ddf``: one row a claim,
    in the frame's order, the columns of a claim record (:data:`COLUMNS`, dtypes of
    :func:`claims_meta`); its ``doc`` column is the document's ``id_column`` value as a string
    (``id_column=None``: the frame's index).  ``lang_column`` gives each document's language
    (missing or ``auto``: ``lang``).  The index counts each partition's claims from 0.
    """
    missing = [c for c in (text_column, id_column, lang_column) if c is not None and c not in ddf.columns]
    if missing:
        raise KeyError(f"no column {', '.join(map(repr, missing))} in the frame "
                       f"(columns: {', '.join(map(str, ddf.columns))})")
    opts = _options(lang, kinds, reference_date, rules)
    # the claims' index is not the documents': divisions unknown (cleared before, for dask < 2024.3)
    return ddf.clear_divisions().map_partitions(_frame_partition, text_column, id_column, lang_column, opts,
                                                meta=claims_meta(), enforce_metadata=False)


# --- coopfacts extract --scheduler ADDRESS -----------------------------------------------------------

def _probe(rules: list[str]) -> tuple[str, list[str]]:
    """Run on each worker: coopfacts' version there, and the rule directories it lacks."""
    from coopfacts import __version__

    return __version__, [r for r in rules if not os.path.isdir(r)]


def connect(address: str, rules: Iterable[str] | None = None) -> Any:
    """A :class:`distributed.Client` of the scheduler at ``address``, once it has a worker that
    can run coopfacts (with ``rules`` at the same path); else :class:`coopfacts.run.workers.SchedulerError`
    (exit status 2).  The time it waits is dask's ``distributed.comm.timeouts.connect`` (30 s;
    ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s`` changes it)."""
    import logging

    from dask.utils import parse_timedelta

    from coopfacts import __version__

    try:
        import distributed
    except ImportError:
        raise SchedulerError("--scheduler: distributed is not installed: pip install 'coopfacts[dask]'") from None

    from distributed.comm.addressing import get_address_host_port

    try:
        get_address_host_port(address)  # before a Client exists: a half-made one hangs the exit
    except ValueError as exc:
        raise SchedulerError(f"--scheduler: not a scheduler address {address!r} ({exc}); "
                             "expected tcp://HOST:PORT") from None
    timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="s")
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its own retries and errors: ours is the one line below
    try:
        try:
            client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - OSError (timed out, refused), ValueError (bad address)...
            raise SchedulerError(f"--scheduler: cannot reach the Dask scheduler at {address}: {exc}") from None
        try:
            client.wait_for_workers(1, timeout=timeout)
        except Exception:  # noqa: BLE001
            client.close()
            raise SchedulerError(f"--scheduler: the Dask scheduler at {address} has no workers "
                                 f"(waited {timeout:g} s)") from None
        try:
            found = client.run(_probe, [os.path.abspath(r) for r in rules or ()])
        except Exception as exc:  # noqa: BLE001 - coopfacts not importable on a worker
            client.close()
            raise SchedulerError(f"--scheduler: the workers of {address} cannot run coopfacts "
                                 f"({type(exc).__name__}: {exc}); install coopfacts[dask] on each") from None
    finally:
        quiet.setLevel(level)
    for worker, (version, lacking) in sorted(found.items()):
        problem = (f"has coopfacts {version}, not {__version__}" if version != __version__ else
                   f"has no rule directory {lacking[0]}" if lacking else None)
        if problem:
            client.close()
            raise SchedulerError(f"--scheduler: Dask worker {worker} {problem}")
    return client


def threads(client: Any) -> int:
    """The worker threads of the cluster (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def _remote_batch(batch: list[Work], rules: list[str], kinds: set[str] | None, ref: Any) -> list[Result]:
    """On a worker: :func:`coopfacts.run.workers.extract_batch`, the engine loaded once per process."""
    from coopfacts.engine import load

    return extract_batch(batch, load(rules or None), kinds, ref)


class RemoteBatch:
    """A batch submitted to the cluster: ``result()`` as a local future's, a lost worker or
    scheduler being a :class:`coopfacts.run.workers.SchedulerError` (exit status 1)."""

    __slots__ = ("future", "address")

    def __init__(self, future: Any, address: str):
        self.future = future
        self.address = address

    def result(self) -> list[Result]:
        try:
            return self.future.result()
        except Exception as exc:  # noqa: BLE001
            raise SchedulerError(f"Dask scheduler {self.address}: a batch failed: {type(exc).__name__}: {exc}",
                                 status=1) from None


def submit_batch(client: Any, batch: list[Work], rules: list[str] | None, kinds: set[str] | None,
                 ref: Any) -> RemoteBatch:
    """Send one batch of ``(id, text, lang)`` to the cluster."""
    rules = [os.path.abspath(r) for r in rules or ()]
    future = client.submit(_remote_batch, batch, rules, set(kinds) if kinds else None, ref, pure=False)
    return RemoteBatch(future, str(client.scheduler.address))


class DaskExecutor:
    """The executor of ``coopfacts extract --scheduler``: batches go to the cluster's workers, as
    many at once as it has worker threads; :meth:`close` closes the client."""

    def __init__(self, client: Any, rules: list[str] | None, kinds: set[str] | None, ref: Any):
        self.client = client
        self.rules = rules
        self.kinds = kinds
        self.ref = ref

    @property
    def jobs(self) -> int:
        return threads(self.client)

    def submit(self, batch: list[Work]) -> RemoteBatch:
        return submit_batch(self.client, batch, self.rules, self.kinds, self.ref)

    def close(self, ok: bool) -> None:
        import contextlib

        with contextlib.suppress(Exception):
            self.client.close()
