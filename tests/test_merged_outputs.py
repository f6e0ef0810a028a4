"""Where two branches meet in the outputs: the formula neutralising of CSV cells (reliability)
applies to every spreadsheet format records added (TSV, CSV with another delimiter, gzipped),
and --csv-raw is refused where no spreadsheet cell is written."""
from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

FR = "Selon le rapport, plus de 1 500 emplois ont été créés, soit 54% du total.\n"
IDS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "@SUM(A1)", "plain", "-12.5"]
SAFE = ["'" + i for i in IDS[:3]] + ["plain", "-12.5"]


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": FR}) + "\n" for i in IDS), encoding="utf-8")
    return corpus


def _docs(text: str, delimiter: str) -> list[str]:
    return list(dict.fromkeys(r["doc"] for r in csv.DictReader(io.StringIO(text), delimiter=delimiter)))


def test_tsv_cells_are_neutralised_and_raw_on_request(cli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "claims.tsv"
    res = cli("extract", str(corpus), "-o", str(out), "-q")
    assert res.exit_code == 0, res.output
    assert _docs(out.read_text(encoding="utf-8"), "\t") == SAFE
    res = cli("extract", str(corpus), "-f", "tsv", "--csv-raw", "-q")
    assert res.exit_code == 0, res.output
    assert _docs(res.stdout, "\t") == IDS


def test_csv_with_a_delimiter_and_gzipped_is_neutralised(cli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    res = cli("extract", str(corpus), "-f", "csv", "--delimiter", ";", "-q")
    assert res.exit_code == 0, res.output
    assert _docs(res.stdout, ";") == SAFE
    out = tmp_path / "claims.csv.gz"
    res = cli("extract", str(corpus), "-o", str(out), "-q")
    assert res.exit_code == 0, res.output
    assert _docs(gzip.decompress(out.read_bytes()).decode("utf-8"), ",") == SAFE


def test_csv_raw_is_refused_where_no_cell_is_written(cli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    for fmt in ("jsonl", "json"):
        res = cli("extract", str(corpus), "-f", fmt, "--csv-raw", "-q")
        assert res.exit_code == 2
        assert "--csv-raw applies to --format csv and tsv only" in res.output
        assert "Traceback" not in res.output
    res = cli("extract", str(corpus), "-o", str(tmp_path / "c.sqlite"), "--csv-raw", "-q")
    assert res.exit_code == 2
    assert not (tmp_path / "c.sqlite").exists()


def test_output_among_the_pages_or_corpora_a_walk_reads_is_refused(cli, tmp_path: Path) -> None:
    """-o in an input directory is refused when the walk would read it: .html/.htm with
    --input-format html (records), .jsonl with --input-format jsonl; a JSON Lines file beside
    the texts of a text run may be replaced (reliability)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text(f"<html><body><p>{FR}</p></body></html>", encoding="utf-8")
    report = site / "report.html"
    report.write_text("<html><body><p>an old report</p></body></html>", encoding="utf-8")
    res = cli("extract", "--input-format", "html", str(site), "-o", str(report), "-q")
    assert res.exit_code == 2, res.output
    assert "is one of the inputs" in res.stderr and "Traceback" not in res.output
    assert "an old report" in report.read_text(encoding="utf-8")
    res = cli("extract", str(site), "-o", str(report), "-q")  # a text run reads no .html in site/
    assert res.exit_code == 1 and "no .txt/.md files in directory" in res.stderr

    corpora = tmp_path / "corpora"
    corpora.mkdir()
    (corpora / "a.jsonl").write_text(json.dumps({"id": "a", "text": FR}) + "\n", encoding="utf-8")
    claims = corpora / "claims.jsonl"
    claims.write_text("", encoding="utf-8")
    res = cli("extract", "--input-format", "jsonl", str(corpora), "-o", str(claims), "-q")
    assert res.exit_code == 2 and "is one of the inputs" in res.stderr
    res = cli("check", "--input-format", "jsonl", str(corpora), "-o", str(claims), "-q")
    assert res.exit_code == 2 and "is one of the inputs" in res.stderr
    assert claims.read_text(encoding="utf-8") == ""
    (corpora / "b.txt").write_text(FR, encoding="utf-8")
    res = cli("extract", str(corpora), "-o", str(claims), "-q")
    assert res.exit_code == 0, res.output
    assert json.loads(claims.read_text(encoding="utf-8").splitlines()[0])["doc"].endswith("b.txt")


def test_a_database_output_respects_what_is_at_the_path(cli, tmp_path: Path) -> None:
    """-o FILE.sqlite under reliability's rules for -o: a FIFO or a device is refused in one line
    (a database is read and written at offsets), a link is written through and stays a link."""
    import os
    import sqlite3

    src = tmp_path / "a.txt"
    src.write_text(FR, encoding="utf-8")
    fifo = tmp_path / "f.sqlite"
    os.mkfifo(fifo)
    for target in (str(fifo), os.devnull):
        res = cli("extract", str(src), "-f", "sqlite", "-o", target, "-q")
        assert res.exit_code == 2, res.output
        assert res.stderr.count("\n") == 1 and "needs a regular file" in res.stderr
    db = tmp_path / "real.sqlite"
    link = tmp_path / "link.sqlite"
    link.symlink_to(db.name)  # dangling: the run creates the file it names
    for n in (1, 2):  # a new database, then rows appended to it
        res = cli("extract", str(src), "-o", str(link), "-q")
        assert res.exit_code == 0, res.output
        assert link.is_symlink() and db.is_file()
        with sqlite3.connect(db) as con:
            assert con.execute("select count(distinct doc), count(*) > 0 from claims").fetchone() == (1, 1)
            assert con.execute("select count(*) from documents").fetchone() == (n,)


def test_check_csv_neutralises_the_ids_of_a_corpus(cli, tmp_path: Path) -> None:
    """check reads JSON Lines corpora now (feat-check), whose ids reach its CSV: neutralised as
    extract's are (feat-reliability), written as they are with --csv-raw."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "=cmd|x", "text": "La coopérative compte 312 membres, dont 418 femmes."},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    res = cli("check", str(corpus), "-f", "csv", "-q")
    assert res.exit_code == 3, res.output  # the part larger than its whole
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and {r["doc"] for r in rows} == {"'=cmd|x"}
    res = cli("check", str(corpus), "-f", "csv", "--csv-raw", "-q")
    assert res.exit_code == 3, res.output
    assert {r["doc"] for r in csv.DictReader(io.StringIO(res.stdout))} == {"=cmd|x"}
    res = cli("check", str(corpus), "-f", "jsonl", "--csv-raw", "-q")
    assert res.exit_code == 2 and "--csv-raw" in res.stderr
