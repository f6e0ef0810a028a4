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
