"""Past one machine: coopfacts.dask and ``coopfacts extract --scheduler`` on a real local Dask
cluster (two worker processes), against the single-process run.

Needs the ``dask`` extra (``pip install -e '.[dask]'``, as ``.ci/run`` does); without it the
whole file skips and says so.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

WHY = "the dask extra is not installed (pip install -e '.[dask]')"
distributed = pytest.importorskip("distributed", reason=WHY)
pytest.importorskip("dask.dataframe", reason=WHY)
pytest.importorskip("pyarrow", reason=WHY)

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402

from coopfacts.model import claim_id  # noqa: E402
from coopfacts.run import dask as cfdask  # noqa: E402

# dask's own Parquet code, under pandas >= 3.1
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*.txt"))
COPIES = 3  # each sample this many times in the JSON Lines corpus


def run(*args: str, env: dict | None = None, code: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m coopfacts ARGS`` (or ``python -c CODE ARGS``) from the repository root."""
    head = ["-c", code] if code is not None else ["-m", "coopfacts"]
    return subprocess.run([sys.executable, *head, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    """The single-process run over the samples: ``coopfacts extract samples/*.txt --jobs 1``."""
    res = run("extract", *SAMPLES, "--format", "jsonl", "--jobs", "1", "-q")
    assert res.returncode == 0, res.stderr
    recs = records(res.stdout)
    assert len({r["doc"] for r in recs}) == len(SAMPLES) and len(recs) > 50
    return recs


def sample_docs() -> list[dict]:
    return [{"id": p, "text": (ROOT / p).read_text(encoding="utf-8")} for p in SAMPLES]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A JSON Lines corpus: each sample COPIES times (ids ``fa-1.txt#0``...), a language field on
    some lines, and one bad line."""
    lines = []
    for k in range(COPIES):
        for d in sample_docs():
            rec = {"url": f"{Path(d['id']).name}#{k}", "body": d["text"]}
            if k == 1:
                rec["lang"] = Path(d["id"]).name[:2]
            lines.append(json.dumps(rec, ensure_ascii=False))
    lines.insert(4, '{"url": "broken", "body": "no closing brace"')
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


CORPUS_ARGS = ("--id-field", "url", "--text-field", "body", "--lang-field", "lang")


# --- the Python API ------------------------------------------------------------------------------

def test_extract_bag_equals_single_process(client, expected) -> None:
    bag = db.from_sequence(sample_docs(), npartitions=4)
    assert client.compute(cfdask.extract_bag(bag)).result() == expected


def test_extract_bag_of_strings_ids_are_partition_and_position(client, expected) -> None:
    texts = [d["text"] for d in sample_docs()]
    got = client.compute(cfdask.extract_bag(db.from_sequence(texts, npartitions=len(texts) // 2))).result()
    ids = {p: f"{i // 2}:{i % 2}" for i, p in enumerate(SAMPLES)}  # partitions of 2 texts each
    assert got == [{**r, "doc": ids[r["doc"]], "id": claim_id(ids[r["doc"]], r["start"], r["end"])} for r in expected]


def test_extract_bag_options(client, expected) -> None:
    docs = [{**d, "language": "auto" if i % 2 else d["id"].split("/")[-1][:2]} for i, d in enumerate(sample_docs())]
    bag = db.from_sequence(docs, npartitions=2)
    got = client.compute(cfdask.extract_bag(bag, kinds="money,percent", lang_key="language")).result()
    assert got == [r for r in expected if r["kind"] in ("money", "percent")]
    with pytest.raises(ValueError, match="unknown kind 'monee'"):
        cfdask.extract_bag(bag, kinds=["monee"])


def test_extract_frame_equals_single_process_and_parquet_round_trip(client, expected, tmp_path: Path) -> None:
    ddf = dd.from_pandas(pd.DataFrame(sample_docs()), npartitions=3)
    claims = cfdask.extract_frame(ddf, "text", id_column="id")
    meta = cfdask.claims_meta()
    assert list(claims.columns) == list(cfdask.COLUMNS)
    assert dict(claims.dtypes) == dict(meta.dtypes)
    frame = client.compute(claims).result()
    assert dict(frame.dtypes) == dict(meta.dtypes)  # what the workers made is what meta says
    assert len(frame) == len(expected)
    assert cfdask.frame_records(frame) == expected
    assert frame["compared_to"].dropna().map(json.loads).map(type).eq(dict).all()  # nested: JSON text

    out = tmp_path / "claims.parquet"
    client.compute(claims.to_parquet(str(out), compute=False)).result()
    back = dd.read_parquet(str(out)).compute()
    assert cfdask.frame_records(back) == expected
    assert pd.to_numeric(back["value"][back["kind"] == "money"]).gt(0).all()


def test_extract_frame_language_column_and_errors(client, expected) -> None:
    pdf = pd.DataFrame(sample_docs()).rename(columns={"id": "url", "text": "body"})
    pdf["lang"] = [p.split("/")[-1][:2] for p in pdf["url"]]
    ddf = dd.from_pandas(pdf, npartitions=2)
    frame = client.compute(cfdask.extract_frame(ddf, "body", id_column="url", lang_column="lang")).result()
    assert cfdask.frame_records(frame) == expected
    with pytest.raises(KeyError, match="no column 'text'"):
        cfdask.extract_frame(ddf)


# --- coopfacts extract --scheduler ---------------------------------------------------------------

def test_cli_scheduler_samples_jsonl(cluster, expected) -> None:
    res = run("extract", *SAMPLES, "--format", "jsonl", "-q", "--scheduler", cluster.scheduler_address)
    assert res.returncode == 0, res.stderr
    assert records(res.stdout) == expected


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json", "table"])
def test_cli_scheduler_corpus_same_output_as_local(cluster, corpus: Path, fmt: str) -> None:
    args = ("extract", str(corpus), *CORPUS_ARGS, "--format", fmt)
    local = run(*args, "--jobs", "1")
    remote = run(*args, "--scheduler", cluster.scheduler_address)
    assert local.returncode == remote.returncode == 1  # the bad line, in both
    assert remote.stdout == local.stdout
    assert len(local.stdout) > 1000
    errors = [line for line in local.stderr.splitlines() if "documents, " not in line]
    assert [line for line in remote.stderr.splitlines() if "documents, " not in line] == errors
    assert any(line.startswith(f"coopfacts: {corpus}:5: invalid JSON") for line in errors), errors
    summary = [line for line in remote.stderr.splitlines() if "documents, " in line]
    assert len(summary) == 1 and "Dask: 2 worker threads" in summary[0], remote.stderr


def test_cli_scheduler_many_batches_keep_input_order(cluster, corpus: Path, tmp_path: Path) -> None:
    """Batches of 4 documents: many batches over both workers, the output still in input order."""
    code = ("import sys; import coopfacts.run.corpus as c; c.BATCH_DOCS = 4; from coopfacts.cli.app import main; "
            "sys.argv[0] = 'coopfacts'; main()")
    local = run("extract", str(corpus), *CORPUS_ARGS, "--format", "jsonl", "-q", "--jobs", "1")
    out = tmp_path / "claims.jsonl"
    remote = run("extract", str(corpus), *CORPUS_ARGS, "-q", "-o", str(out), "--scheduler",
                 cluster.scheduler_address, code=code)
    assert remote.returncode == 1, remote.stderr
    got = records(out.read_text(encoding="utf-8"))
    assert got == records(local.stdout)
    assert len({r["doc"] for r in got}) == COPIES * len(SAMPLES)


# --- errors ------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    res = run("extract", SAMPLES[0], "-o", str(out), "--scheduler", f"tcp://127.0.0.1:{_free_port()}",
              env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coopfacts: --scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:"), res.stderr
    assert not out.exists()


def test_cli_scheduler_without_workers_is_a_usage_error() -> None:
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=":0") as empty:
        res = run("extract", SAMPLES[0], "--scheduler", empty.scheduler_address,
                  env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip() == f"coopfacts: --scheduler: the Dask scheduler at {empty.scheduler_address} has no workers (waited 1 s)"


def test_a_lost_batch_is_one_line_exit_1(client) -> None:
    from coopfacts.run import SchedulerError

    batch = cfdask.RemoteBatch(client.submit(int, "not a number", pure=False), "tcp://example:8786")
    with pytest.raises(SchedulerError, match=r"^Dask scheduler tcp://example:8786: a batch failed: ValueError") as info:
        batch.result()
    assert info.value.status == 1


def test_cli_scheduler_with_jobs_is_refused() -> None:
    res = run("extract", SAMPLES[0], "--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786")
    assert res.returncode == 2
    assert res.stderr.strip() == ("coopfacts: --scheduler and --jobs cannot be combined: "
                                  "with a scheduler, its Dask workers do the work")


def test_cli_scheduler_without_dask_says_what_to_install() -> None:
    code = ("import sys; sys.modules['dask'] = None; from coopfacts.cli.app import main; "
            "sys.argv[0] = 'coopfacts'; main()")
    res = run("extract", SAMPLES[0], "--scheduler", "tcp://127.0.0.1:8786", code=code)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'coopfacts[dask]'" in lines[0], res.stderr


def test_cli_start_up_imports_no_dask() -> None:
    code = ("import sys; import coopfacts, coopfacts.cli; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed', 'pandas', 'pyarrow'}))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
