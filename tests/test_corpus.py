"""Corpus mode: JSON Lines corpora (plain and gzip), worker processes, order, progress, summary."""
from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from conftest import jsonl, run_module
from coopfacts.io import iter_jsonl, iter_sources, plan_sources
from coopfacts.run import Corpus, Done, RunOptions, corpus, decide_jobs

FR = "Selon le rapport, plus de 1 500 emplois ont été créés, soit 54% du total."
AR = "ارتفعت نسبة التعاونيات 54% خلال العام، وبلغ عدد الأعضاء 1200 عضو."
FA = "بیش از 29 درصد صندوق‌ها در سال گذشته 3500 عضو داشتند؛ چهار پنجم."
TEXTS = {"fr": FR, "ar": AR, "fa": FA}
BAD_LINE = '{"id": "broken", "text": "no closing brace"'


def records(n: int = 6) -> list[dict]:
    langs = ["fr", "ar", "fa"]
    return [{"id": f"doc-{i:04d}", "text": TEXTS[langs[i % 3]], "lang": langs[i % 3]} for i in range(n)]


def write_corpus(path: Path, recs: list[dict], bad_at: int | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    if bad_at is not None:
        lines.insert(bad_at, BAD_LINE)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus.jsonl", records(6), bad_at=2)  # the bad record is line 3


# --- JSON Lines in, claims out ------------------------------------------------------------------

def test_jsonl_corpus_ids_languages_and_a_bad_line(cli, corpus_file: Path) -> None:
    res = cli("extract", str(corpus_file))
    assert res.exit_code == 1, res.stderr
    recs = jsonl(res.stdout)
    assert [r["doc"] for r in recs] == sorted(r["doc"] for r in recs)  # input order
    assert {r["doc"] for r in recs} == {f"doc-{i:04d}" for i in range(6)}
    assert {r["doc"]: r["lang"] for r in recs} == {f"doc-{i:04d}": ["fr", "ar", "fa"][i % 3] for i in range(6)}
    for r in recs:  # spans index the record's text
        assert TEXTS[r["lang"]][r["start"]:r["end"]] == r["text"]
    err = res.stderr.splitlines()
    assert f"coopfacts: {corpus_file}:3: invalid JSON (Expecting ',' delimiter, column 44)" in err
    assert "coopfacts: doc-0000: language fr (detected)" in err
    # the run's summary, then the failures' (always the last line)
    assert err[-2].startswith("coopfacts: 6 documents, ") and "; 1 failed" in err[-2]
    assert err[-1] == "coopfacts: 1 of 7 inputs failed: 1 invalid JSON"
    # the bad line is reported in its place, between the documents around it
    assert err.index(f"coopfacts: {corpus_file}:3: invalid JSON (Expecting ',' delimiter, column 44)") == \
        err.index("coopfacts: doc-0001: language ar (detected)") + 1


def test_jsonl_gz_by_suffix_and_by_magic(cli, corpus_file: Path, tmp_path: Path) -> None:
    plain = cli("extract", str(corpus_file), "-q")
    gz = write_corpus(tmp_path / "corpus.jsonl.gz", records(6), bad_at=2)
    by_suffix = cli("extract", str(gz), "-q")
    assert by_suffix.exit_code == 1 and by_suffix.stdout == plain.stdout
    assert f"coopfacts: {gz}:3: invalid JSON" in by_suffix.stderr
    odd = tmp_path / "corpus.data"
    odd.write_bytes(gz.read_bytes())
    by_magic = cli("extract", str(odd), "--input-format", "jsonl", "-q")
    assert by_magic.exit_code == 1 and by_magic.stdout == plain.stdout


def test_jsonl_on_standard_input(cli, corpus_file: Path) -> None:
    plain = cli("extract", str(corpus_file), "-q")
    for data in (corpus_file.read_bytes(), gzip.compress(corpus_file.read_bytes())):
        res = cli("extract", "-", "--input-format", "jsonl", "-q", input=data)
        assert res.exit_code == 1 and res.stdout == plain.stdout
        assert "coopfacts: <stdin>:3: invalid JSON" in res.stderr


def test_quiet_leaves_only_the_errors(cli, corpus_file: Path) -> None:
    res = cli("extract", str(corpus_file), "--quiet", "--jobs", "2")
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        f"coopfacts: {corpus_file}:3: invalid JSON (Expecting ',' delimiter, column 44)",
        "coopfacts: 1 of 7 inputs failed: 1 invalid JSON",
    ]
    assert {r["doc"] for r in jsonl(res.stdout)} == {f"doc-{i:04d}" for i in range(6)}


def test_all_good_lines_exit_0(cli, tmp_path: Path) -> None:
    p = write_corpus(tmp_path / "good.jsonl", records(4))
    p.write_text(p.read_text(encoding="utf-8") + "\n   \n", encoding="utf-8")  # blank lines are no documents
    res = cli("extract", str(p))
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[-1].startswith("coopfacts: 4 documents, ")


def test_id_text_and_lang_fields(cli, tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"url": 17, "body": AR, "l": "AR"},
        {"url": "x", "body": FR},  # no language field: --lang (auto)
        {"url": "y", "body": FR, "l": "auto"},
    ]) + "\n", encoding="utf-8")
    res = cli("extract", str(p), "--id-field", "url", "--text-field", "body", "--lang-field", "l")
    assert res.exit_code == 0, res.stderr
    assert [r["doc"] for r in jsonl(res.stdout)][:1] == ["17"]
    assert "coopfacts: 17: language ar (given)" in res.stderr
    assert "coopfacts: x: language fr (detected)" in res.stderr
    assert "coopfacts: y: language fr (detected)" in res.stderr


@pytest.mark.parametrize("line, why", [
    ("[1, 2]", "not a JSON object (got an array)"),
    ('"text"', "not a JSON object (got a string)"),
    ('{"text": "54%"}', "no 'id' field"),
    ('{"id": "a"}', "no 'text' field"),
    ('{"id": null, "text": "54%"}', "field 'id' is not a string or number (got null)"),
    ('{"id": "a", "text": 54}', "field 'text' is not a string (got a number)"),
    ('{"id": "a", "text": "54%", "lang": "xx"}', "unknown language 'xx' in field 'lang'; rule files exist for: ar, en, fa, fr"),
    ('{"id": "a", "text": "54%", "lang": 3}', "field 'lang' is not a string (got a number)"),
    ("{oops", "invalid JSON (Expecting property name enclosed in double quotes, column 2)"),
])
def test_bad_lines_are_named_and_skipped(cli, tmp_path: Path, line: str, why: str) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text(f'{{"id": "first", "text": "{FR}"}}\n{line}\n{{"id": "last", "text": "{FR}"}}\n', encoding="utf-8")
    res = cli("extract", str(p), "--lang-field", "lang", "-q")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[0] == f"coopfacts: {p}:2: {why}"
    assert [r["doc"] for r in jsonl(res.stdout)] == ["first", "first", "last", "last"]


def test_bad_bytes_and_damaged_gzip(cli, tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_bytes(b'{"id": "a", "text": "54%"}\n{"id": "b", "text": "\xe9"}\n')
    res = cli("extract", str(p), "-q")
    assert res.exit_code == 1 and f"coopfacts: {p}:2: not valid UTF-8 (column 22: 0xE9)" in res.stderr
    gz = tmp_path / "c.jsonl.gz"
    data = gzip.compress(write_corpus(tmp_path / "x.jsonl", records(30)).read_bytes())
    gz.write_bytes(data[: len(data) // 2])
    res = cli("extract", str(gz), "-q")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-2].startswith(f"coopfacts: {gz}: compressed stream ends early (truncated?) after line ")
    assert jsonl(res.stdout)  # the lines before the damage are kept
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    res = cli("extract", str(binary), "-q")
    assert res.exit_code == 1 and res.stderr.splitlines()[0] == f"coopfacts: {binary}: binary file (a PNG image)"


def test_input_format_text_reads_a_jsonl_file_as_text(cli, corpus_file: Path) -> None:
    res = cli("extract", str(corpus_file), "--input-format", "text", "-q")
    assert res.exit_code == 0
    assert {r["doc"] for r in jsonl(res.stdout)} == {str(corpus_file)}
    assert cli("extract", str(corpus_file), "--input-format", "xml").exit_code == 2
    assert cli("extract", str(corpus_file), "--jobs", "-1").exit_code == 2


def test_directory_of_jsonl_files(cli, tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    write_corpus(d / "b.jsonl.gz", records(3)[2:])
    write_corpus(d / "a.jsonl", records(2))
    (d / "notes.txt").write_text("ignored in jsonl mode", encoding="utf-8")
    res = cli("extract", str(d), "--input-format", "jsonl", "-q")
    assert res.exit_code == 0, res.stderr
    assert list(dict.fromkeys(r["doc"] for r in jsonl(res.stdout))) == ["doc-0000", "doc-0001", "doc-0002"]


# --- processes: order and sameness ---------------------------------------------------------------

@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small batches, so that several are in flight and come back out of order."""
    monkeypatch.setattr(corpus, "BATCH_DOCS", 3)
    monkeypatch.setattr(corpus, "BATCH_CHARS", 200)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_jobs_2_gives_the_output_of_jobs_1(cli, tmp_path: Path, small_batches, fmt: str) -> None:
    p = write_corpus(tmp_path / "c.jsonl", records(60), bad_at=31)
    one = cli("extract", str(p), "--jobs", "1", "-f", fmt)
    two = cli("extract", str(p), "--jobs", "2", "-f", fmt)
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout
    assert two.stderr.splitlines()[:-2] == one.stderr.splitlines()[:-2]  # language lines, bad line: same order
    assert "2 processes" in two.stderr.splitlines()[-2]
    if fmt == "jsonl":
        docs = list(dict.fromkeys(r["doc"] for r in jsonl(two.stdout)))
        assert docs == [f"doc-{i:04d}" for i in range(60)]


def test_text_files_and_a_large_file_keep_their_order(cli, tmp_path: Path, small_batches,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import coopfacts.io.stream as stream

    monkeypatch.setattr(stream, "STREAM_OVER", 2000)  # read window by window, in the main process
    d = tmp_path / "d"
    d.mkdir()
    for i in range(12):
        (d / f"{i:02d}.txt").write_text(TEXTS[["fr", "ar", "fa"][i % 3]], encoding="utf-8")
    (d / "05b.txt").write_text((FR + "\n\n") * 60, encoding="utf-8")
    c = write_corpus(tmp_path / "c.jsonl", records(9))
    one = cli("extract", str(d), str(c), "-j", "1", "-q")
    two = cli("extract", str(d), str(c), "-j", "2", "-q")
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout
    docs = list(dict.fromkeys(r["doc"] for r in jsonl(two.stdout)))
    assert docs == sorted(str(p) for p in d.iterdir()) + [f"doc-{i:04d}" for i in range(9)]


def test_jobs_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(corpus, "default_jobs", lambda: 4)
    monkeypatch.setattr(corpus, "BIG_DOCS", 5)
    small = write_corpus(tmp_path / "small.jsonl", records(5))
    big = write_corpus(tmp_path / "big.jsonl", records(6))

    def jobs(paths: list[str], asked: int | None = None) -> int:
        sources = plan_sources(paths)
        n, items = decide_jobs(asked, sources, iter_sources(sources))
        assert len(list(items)) >= 5  # what was read ahead to decide is not lost
        return n

    assert jobs([str(small)]) == 1
    assert jobs([str(big)]) == 4
    assert jobs([str(big)], 1) == 1
    assert jobs([str(small)], 0) == 4  # 0: all cores
    monkeypatch.setattr(corpus, "BIG_BYTES", 100)
    assert jobs([str(small)]) == 4


def test_worker_errors_read_as_in_one_process() -> None:
    done = Done(None, None, ("ValueError", None, "bad value", "Traceback..."))
    with pytest.raises(Exception) as info:
        done.language()
    assert type(info.value).__name__ == "ValueError" and str(info.value) == "bad value"
    from coopfacts.rulebook.shapes import RuleError

    done = Done("fr", None, ("RuleError", ("fr.yaml", 3, 5, "invalid regular expression"), "x", "tb"))
    assert done.language() == "fr"
    with pytest.raises(RuleError, match=r"^fr.yaml:3:5: invalid regular expression$"):
        done.claims()


# --- progress and summary ----------------------------------------------------------------------

def test_progress_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch, corpus_file: Path) -> None:
    err = io.StringIO()
    err.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "100")
    run = Corpus([str(corpus_file)])
    assert run.show_progress
    with run:
        items = [item for item, _ in run]
    run.summary(6, 1)
    assert len(items) == 7 and run.total == corpus_file.stat().st_size and run.bytes > 0
    assert "coopfacts: 6 documents, 0 claims, 0.0 MB in " in err.getvalue().splitlines()[-1]
    assert "documents" in err.getvalue() and "MB/s" in err.getvalue()
    assert Corpus([str(corpus_file)], RunOptions(quiet=True)).show_progress is False


def test_iter_jsonl_counts_bytes(corpus_file: Path) -> None:
    pairs = list(iter_jsonl(str(corpus_file)))
    assert sum(n for _, n in pairs) == corpus_file.stat().st_size
    assert [type(x).__name__ for x, _ in pairs] == ["Document"] * 2 + ["Failure"] + ["Document"] * 4


# --- a real process -----------------------------------------------------------------------------

def test_subprocess_gz_corpus_with_two_jobs(tmp_path: Path, rules_dir: Path) -> None:
    gz = write_corpus(tmp_path / "corpus.jsonl.gz", records(30), bad_at=10)
    p = run_module("extract", str(gz), "--jobs", "2", "--rules", str(rules_dir), "-o", str(tmp_path / "out.csv"))
    err = p.stderr.decode("utf-8")
    assert p.returncode == 1, err
    assert "Traceback" not in err
    assert f"coopfacts: {gz}:11: invalid JSON" in err
    assert err.splitlines()[-1] == "coopfacts: 1 of 31 inputs failed: 1 invalid JSON"
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert text.startswith("id,doc,lang,start,end,text,context,kind")
    docs = [r["doc"] for r in csv.DictReader(io.StringIO(text, newline=""))]
    assert docs == sorted(docs)
    assert set(docs) == {f"doc-{i:04d}" for i in range(30)}


def test_a_number_of_thousands_of_digits_is_one_failed_line(tmp_path: Path) -> None:
    """Python refuses to read an integer of over 4 300 digits: that line fails on its own, with
    one clear reason, and the records around it are read."""
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": "a", "text": "5 %"}\n{"id": "b", "n": ' + "3" * 5000 + '}\n{"id": "c", "text": "7 %"}\n',
                    encoding="utf-8")
    items = [item for item, _ in iter_jsonl(str(path), lang_field="lang", languages=["ar", "fa", "fr"],
                                             warn=lambda message: None)]
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    assert items[1].path.endswith(":2") and "thousands of digits" in items[1].message
