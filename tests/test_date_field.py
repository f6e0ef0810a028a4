"""--date-field: each corpus document's own publication date is its reference date for
relative time, in one process or several; where it is missing, --reference-date."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import jsonl
from coopfacts.io import iter_jsonl

TEXT = "L'an dernier, la production a baissé de 5 %."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    recs = [{"id": "a", "text": TEXT, "published": "2024-03-05"},
            {"id": "b", "text": TEXT, "published": "2019-01-02T10:00:00Z"},
            {"id": "c", "text": TEXT},
            {"id": "d", "text": TEXT, "published": None}]
    p = tmp_path / "c.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return p


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_document_its_own_date(cli, corpus: Path, jobs: str) -> None:
    res = cli("extract", str(corpus), "-q", "--date-field", "published", "--reference-date", "2010-06-01",
              "--kinds", "date", "-j", jobs, rules=False)
    assert res.exit_code == 0, res.stderr
    got = {r["doc"]: (r["value"], r["relative"]) for r in jsonl(res.stdout)}
    assert got == {"a": ("2023", True), "b": ("2018", True), "c": ("2009", True), "d": ("2009", True)}


def test_without_a_reference_a_dateless_document_resolves_nothing(cli, corpus: Path) -> None:
    res = cli("extract", str(corpus), "-q", "--date-field", "published", "--kinds", "date", rules=False)
    assert res.exit_code == 0, res.stderr
    assert sorted(r["doc"] for r in jsonl(res.stdout)) == ["a", "b"]


def test_a_bad_date_is_that_line_s_failure(cli, tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps({"id": "x", "text": TEXT, "published": "mardi"}) + "\n"
                 + json.dumps({"id": "y", "text": TEXT, "published": "2024-01-01"}) + "\n", encoding="utf-8")
    res = cli("extract", str(p), "-q", "--date-field", "published", "--kinds", "date", rules=False)
    assert res.exit_code == 1
    assert f"coopfacts: {p}:1: field 'published' is not a date YYYY-MM-DD (got 'mardi')" in res.stderr
    assert [r["doc"] for r in jsonl(res.stdout)] == ["y"]
    docs = [d for d, _ in iter_jsonl(str(p), date_field="published")]
    assert docs[1].date.isoformat() == "2024-01-01"
