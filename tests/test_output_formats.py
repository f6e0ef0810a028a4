"""The output formats chosen by -o's suffix or --format, each read back with the library a user
would read it with: sqlite3, pyarrow, gzip, csv."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sqlite3
from pathlib import Path

import pytest

from conftest import jsonl
from coopfacts.model import FIELDS
from coopfacts.outputs.sqlite import SqliteWriter

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(str(p) for p in (ROOT / "samples").glob("*.txt"))


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    """The samples' records as JSON Lines gives them."""
    from typer.testing import CliRunner

    from coopfacts.cli.app import app

    res = CliRunner().invoke(app, ["extract", *SAMPLES, "-q", "-f", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = jsonl(res.stdout)
    assert len(recs) > 100
    return recs


def extract(cli, *args: str):
    res = cli("extract", *SAMPLES, "-q", *args, rules=False)
    assert res.exit_code == 0, res.stderr
    return res


def as_text(v) -> str:
    return "" if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


# --- text formats, gzipped or not -------------------------------------------------------------

@pytest.mark.parametrize("name", ["c.jsonl.gz", "c.ndjson.gz"])
def test_jsonl_gz_is_gzip(cli, tmp_path: Path, expected, name: str) -> None:
    out = tmp_path / name
    extract(cli, "-o", str(out))
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    with gzip.open(out, "rt", encoding="utf-8") as fh:
        assert [json.loads(line) for line in fh] == expected


def test_json_gz(cli, tmp_path: Path, expected) -> None:
    out = tmp_path / "c.json.gz"
    extract(cli, "-o", str(out))
    assert json.loads(gzip.decompress(out.read_bytes()).decode("utf-8")) == expected


@pytest.mark.parametrize("name,delimiter", [("c.csv", ","), ("c.csv.gz", ","), ("c.tsv", "\t"), ("c.tsv.gz", "\t"),
                                            ("c.tab", "\t")])
def test_csv_and_tsv_read_back(cli, tmp_path: Path, expected, name: str, delimiter: str) -> None:
    out = tmp_path / name
    extract(cli, "-o", str(out))
    data = out.read_bytes()
    if name.endswith(".gz"):
        assert data[:2] == b"\x1f\x8b"
        data = gzip.decompress(data)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))
    assert rows[0] == list(FIELDS)
    assert rows[1:] == [[as_text(r[c]) for c in FIELDS] for r in expected]


def test_csv_delimiter_for_excel(cli, expected) -> None:
    res = extract(cli, "-f", "csv", "--delimiter", ";")
    rows = list(csv.DictReader(io.StringIO(res.stdout, newline=""), delimiter=";"))
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    assert [r["context"] for r in rows] == [r["context"] for r in expected]
    tab = extract(cli, "-f", "csv", "--delimiter", "tab")
    assert tab.stdout.splitlines()[0] == "\t".join(FIELDS)


def test_dash_is_standard_output(cli, tmp_path: Path, expected, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = extract(cli, "-o", "-")
    assert jsonl(res.stdout) == expected
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("args,message", [
    (("-o", "c.xlsx"), "no format writes .xlsx; formats: json (.json); jsonl"),
    (("-o", "c.html.gz"), "no format writes .html.gz"),
    (("-f", "html", "-o", "c.html.gz"), "--format html is not written gzipped"),
    (("-f", "sqlite",), "--format sqlite writes a file: give -o FILE"),
    (("-f", "parquet", "-o", "-"), "--format parquet writes a file: give -o FILE"),
    (("-f", "jsonl", "--delimiter", ";"), "--delimiter applies to --format csv only"),
    (("-f", "csv", "--delimiter", ";;"), "--delimiter: expected one character"),
])
def test_usage_errors(cli, tmp_path: Path, monkeypatch, args, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    res = cli("extract", SAMPLES[0], "-q", *args, rules=False)
    assert res.exit_code == 2
    assert res.stderr.startswith("coopfacts: ") and message in res.stderr and res.stderr.count("\n") == 1
    assert os.listdir(tmp_path) == []


def test_explicit_format_wins_over_suffix(cli, tmp_path: Path, expected) -> None:
    out = tmp_path / "claims.txt"
    extract(cli, "-f", "csv", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith(",".join(FIELDS))


# --- SQLite ----------------------------------------------------------------------------------

def test_sqlite_typed_indexed_and_appended(cli, tmp_path: Path, expected) -> None:
    out = tmp_path / "claims.sqlite"
    extract(cli, "-o", str(out))
    db = sqlite3.connect(out)
    cols = {row[1]: row[2] for row in db.execute("PRAGMA table_info(claims)")}
    assert list(cols) == list(FIELDS)
    assert cols["number"] == "NUMERIC" and cols["start"] == "INTEGER"
    types = dict(db.execute("SELECT kind, group_concat(DISTINCT typeof(number)) FROM claims GROUP BY kind"))
    assert types["date"] == "null"
    for kind in ("count", "money", "percent"):
        assert set(types[kind].split(",")) <= {"integer", "real"}, types
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == len(expected)
    got = db.execute("SELECT id, doc, start, number FROM claims ORDER BY rowid").fetchall()
    assert got == [(r["id"], r["doc"], r["start"], r["number"]) for r in expected]
    # sums sort as numbers (as TEXT, 9.75e12 would come above 2.746e15)
    top = [n for (n,) in db.execute("SELECT number FROM claims WHERE kind = 'money' ORDER BY number DESC")]
    assert top == sorted(top, reverse=True) and top[0] > 1e12
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"claims_kind", "claims_unit", "claims_doc", "claims_id"} <= indexes
    plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN SELECT * FROM claims WHERE kind = 'money'"))
    assert "claims_kind" in plan
    docs = db.execute("SELECT doc, lang, claims FROM documents ORDER BY rowid").fetchall()
    assert [d for d, _, _ in docs] == SAMPLES and sum(n for _, _, n in docs) == len(expected)
    rec = dict(zip(FIELDS, db.execute("SELECT * FROM claims WHERE gregorian_years IS NOT NULL OR "
                                      "compared_to IS NOT NULL LIMIT 1").fetchone()))
    assert any(isinstance(json.loads(rec[c]), (list, dict)) for c in ("gregorian_years", "compared_to") if rec[c])
    db.close()
    # a second run adds its rows
    res = cli("extract", SAMPLES[0], "-q", "-o", str(out), rules=False)
    assert res.exit_code == 0, res.stderr
    db = sqlite3.connect(out)
    n_first = sum(1 for r in expected if r["doc"] == SAMPLES[0])
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == len(expected) + n_first
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == len(SAMPLES) + 1
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_sqlite_refuses_a_file_that_is_not_a_database(cli, tmp_path: Path) -> None:
    out = tmp_path / "notes.db"
    out.write_text("my notes\n", encoding="utf-8")
    res = cli("extract", SAMPLES[0], "-q", "-o", str(out), rules=False)
    assert res.exit_code == 2 and "notes.db" in res.stderr and res.stderr.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "my notes\n"


def test_sqlite_aborted_run_leaves_the_database_as_it_was(tmp_path: Path, expected) -> None:
    out = tmp_path / "c.sqlite"
    w = SqliteWriter(str(out))
    w.begin_document("a", "text", "fr")
    w.write(expected[0])
    w.end_document()
    w.close()
    w = SqliteWriter(str(out))
    w.begin_document("b", "text", "fr")
    for r in expected:
        w.write(r)
    w.end_document()
    w.abort()
    db = sqlite3.connect(out)
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 1
    assert db.execute("SELECT doc FROM documents").fetchall() == [("a",)]
    db.close()
    new = tmp_path / "new.sqlite"
    w = SqliteWriter(str(new))
    w.write(expected[0])
    w.abort()
    assert os.listdir(tmp_path) == ["c.sqlite"]  # a new database that did not complete leaves nothing


# --- Parquet ---------------------------------------------------------------------------------

def test_parquet_typed(cli, tmp_path: Path, expected) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pip install 'coopfacts[parquet]'")
    pa = pytest.importorskip("pyarrow")
    out = tmp_path / "claims.parquet"
    extract(cli, "-o", str(out))
    table = pq.read_table(out)
    assert table.column_names == list(FIELDS)
    assert table.schema.field("number").type == pa.float64()
    assert table.schema.field("start").type == pa.int64()
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("relative").type == pa.bool_()
    rows = table.to_pylist()
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert got["id"] == want["id"] and got["text"] == want["text"] and got["context"] == want["context"]
        if want["number"] is None:
            assert got["number"] is None
        else:
            assert got["number"] == pytest.approx(want["number"])
        assert (got["date_start"].isoformat() if got["date_start"] else None) == want["date_start"]
        assert got["compared_to"] == want["compared_to"] and got["gregorian_years"] == want["gregorian_years"]


def test_parquet_missing_pyarrow_is_one_line(cli, tmp_path: Path, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    res = cli("extract", SAMPLES[0], "-q", "-o", str(tmp_path / "c.parquet"), rules=False)
    assert res.exit_code == 2
    assert res.stderr == "coopfacts: --format parquet needs pyarrow: pip install 'coopfacts[parquet]'\n"
    assert not (tmp_path / "c.parquet").exists()


def test_numbers_as_tsv_gzipped(cli, tmp_path: Path) -> None:
    out = tmp_path / "n.tsv.gz"
    res = cli("numbers", SAMPLES[0], "-q", "-o", str(out), rules=False)
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(out.read_bytes()).decode("utf-8"), newline=""),
                               delimiter="\t"))
    assert len(rows) > 10 and {"doc", "start", "end", "text", "value", "kind"} <= set(rows[0])
    res = cli("numbers", SAMPLES[0], "-q", "-o", str(tmp_path / "n.sqlite"), rules=False)
    assert res.exit_code == 2 and "numbers writes table, json, jsonl, csv, tsv" in res.stderr


@pytest.mark.parametrize("existing", [True, False])
def test_sqlite_sigterm_leaves_the_database_as_it_was(tmp_path: Path, existing: bool) -> None:
    import signal
    import subprocess
    import sys
    import time

    text = "\n\n".join(Path(p).read_text(encoding="utf-8") for p in SAMPLES if "fr-" in p)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(400):  # long enough to be interrupted
        (docs / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "claims.sqlite"
    if existing:
        assert subprocess.run([sys.executable, "-m", "coopfacts", "extract", SAMPLES[0], "-q", "-o", str(out)],
                              capture_output=True).returncode == 0
    before = out.read_bytes() if existing else None
    p = subprocess.Popen([sys.executable, "-m", "coopfacts", "extract", str(docs), "-q", "-j", "1", "-o", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline:  # wait until the run is writing (its temporary file, or its journal)
        if any(n.endswith((".tmp", "-journal")) for n in os.listdir(tmp_path)):
            break
        time.sleep(0.05)
    time.sleep(0.5)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode in (-signal.SIGTERM, 128 + signal.SIGTERM), err
    assert b"Traceback" not in err
    assert sorted(n for n in os.listdir(tmp_path) if n != "docs") == (["claims.sqlite"] if existing else [])
    if existing:
        assert out.read_bytes() == before
        db = sqlite3.connect(out)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()


def test_sqlite_a_table_that_refuses_rows_stops_the_run_and_keeps_the_database(cli, tmp_path: Path) -> None:
    out = tmp_path / "theirs.sqlite"
    db = sqlite3.connect(out)
    db.execute("CREATE TABLE claims (id TEXT, owner TEXT NOT NULL)")  # another tool's table
    db.execute("INSERT INTO claims VALUES ('x', 'me')")
    db.commit()
    db.close()
    before = out.read_bytes()
    res = cli("extract", *SAMPLES, "-q", "-o", str(out), rules=False)
    assert res.exit_code == 1
    assert res.stderr.startswith(f"coopfacts: cannot write {out}: not null constraint failed")
    assert res.stderr.count("\n") == 1
    assert out.read_bytes() == before


def test_with_text_once_per_document(cli, tmp_path: Path, expected) -> None:
    res = extract(cli, "--with-text", "-f", "jsonl")
    lines = jsonl(res.stdout)
    docs = [r for r in lines if r.get("record") == "document"]
    assert [d["doc"] for d in docs] == SAMPLES
    assert [r for r in lines if r.get("record") != "document"] == expected  # the claims as without it
    text = None
    for r in lines:
        if r.get("record") == "document":
            text = r["text"]
            assert text == Path(r["doc"]).read_text(encoding="utf-8")
        else:
            assert text[r["start"]:r["end"]] == r["text"]
    arr = json.loads(extract(cli, "--with-text", "-f", "json").stdout)
    assert arr == lines
    out = tmp_path / "c.sqlite"
    extract(cli, "--with-text", "-o", str(out))
    db = sqlite3.connect(out)
    got = db.execute("SELECT doc, text FROM documents ORDER BY rowid").fetchall()
    assert got == [(d["doc"], d["text"]) for d in docs]
    db.close()
    res = cli("extract", SAMPLES[0], "-q", "--with-text", "-f", "csv", rules=False)
    assert res.exit_code == 2 and "--with-text applies to --format json, jsonl and sqlite" in res.stderr
