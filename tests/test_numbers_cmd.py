"""`coopfacts numbers`: every numeral with its value, kind and exact original span.

These tests use the packaged rules and stay on forms every rule set reads (digits in
each script, an ordinal suffix, an article); the number grammar has its own tests.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

import coopfacts
from coopfacts.model import NUMBER_FIELDS as RECORD_FIELDS


def numbers(text: str, lang: str = "auto", **kw) -> list[dict]:
    """The public API's records, as the command writes them."""
    return [r.to_dict() for r in coopfacts.numbers(text, lang, **kw)]

from conftest import jsonl, run_module


def test_records_have_the_fields_and_exact_spans() -> None:
    text = "En 2023, plus de 1 500 coopératives et un 1er prix."
    recs = numbers(text, "fr", doc="a")
    assert recs, "no numeral found"
    for r in recs:
        assert tuple(r) == RECORD_FIELDS
        assert text[r["start"]:r["end"]] == r["text"]
        assert r["doc"] == "a" and r["lang"] == "fr"
    by_text = {r["text"]: r for r in recs}
    assert by_text["1 500"]["value"] == 1500 and by_text["1 500"]["kind"] == "number"
    assert by_text["2023"]["kind"] == "number" and not by_text["2023"]["weak"]
    assert by_text["1er"]["kind"] == "ordinal" and by_text["1er"]["value"] == 1
    assert by_text["un"]["weak"] is True and by_text["un"]["kind"] == "number"


def test_numbers_that_are_no_claims_are_listed() -> None:
    # the parts of an IP address, a page number: numerals all the same
    recs = numbers("IP 192.168.1.2, page 7", "fr")
    assert [r["value"] for r in recs] == [192, 168, 1, 2, 7]


@pytest.mark.parametrize("text,lang,shown,value", [
    ("بیش از ۲۹ هزار صندوق", "fa", "۲۹ هزار", 29000),
    ("في عام ٢٠٢٣", "ar", "٢٠٢٣", 2023),
])
def test_arabic_script_digits(text: str, lang: str, shown: str, value: int) -> None:
    recs = numbers(text, lang)
    assert [(r["text"], r["value"]) for r in recs] == [(shown, value)]


def test_offsets_are_in_the_original_text() -> None:
    # bidi marks and tatweel are deleted by the normaliser: spans still index the original
    text = "\u200fبلغ العـدد \u200e٣٥٠ ألف"
    recs = numbers(text, "ar")
    assert recs
    for r in recs:
        assert text[r["start"]:r["end"]] == r["text"]


def test_kinds_filter() -> None:
    recs = numbers("le 1er et le 2e, 3 fois", "fr", kinds=["ordinal"])
    assert recs and all(r["kind"] == "ordinal" for r in recs)


# --- command line ------------------------------------------------------------------------

def test_cli_jsonl(cli, tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Le 1er prix : 3 500 euros.", encoding="utf-8")
    res = cli("numbers", str(f), "--format", "jsonl", "-q")
    assert res.exit_code == 0, res.output
    recs = jsonl(res.stdout)
    assert [(r["text"], r["kind"], r["value"]) for r in recs] == [("1er", "ordinal", 1), ("3 500", "number", 3500)]
    assert all(r["doc"] == str(f) for r in recs)


def test_cli_formats_and_stdin(cli) -> None:
    text = "Il y a 12 fermes et un 1er rang."
    res = cli("numbers", "-", "-f", "json", "-q", "--lang", "fr", input=text.encode())
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert [r["text"] for r in data] == ["12", "un", "1er"]
    assert all(r["doc"] == "<stdin>" for r in data)

    res = cli("numbers", "-", "-f", "csv", "-q", "--lang", "fr", input=text.encode())
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert tuple(rows[0]) == RECORD_FIELDS
    assert rows[1][4:8] == ["12", "number", "12", "false"]

    res = cli("numbers", "-", "-f", "table", "-q", "--lang", "fr", input=text.encode())
    assert res.exit_code == 0 and "1er" in res.stdout and "weak" in res.stdout

    res = cli("numbers", "-", "--kinds", "ordinal", "-f", "jsonl", "-q", "--lang", "fr", input=text.encode())
    assert [r["text"] for r in jsonl(res.stdout)] == ["1er"]


def test_cli_output_file(cli, tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("7 et 8", encoding="utf-8")
    out = tmp_path / "n.csv"
    res = cli("numbers", str(f), "-o", str(out), "-q", "--lang", "fr")
    assert res.exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(RECORD_FIELDS)


def test_cli_usage_errors(cli, tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("7", encoding="utf-8")
    for args in (["--kinds", "money"], ["--lang", "xx"], ["--bom", "-f", "jsonl"], ["--encoding", "nope"]):
        res = cli("numbers", str(f), *args)
        assert res.exit_code == 2, (args, res.output)


def test_cli_bad_input_reported_and_others_processed(cli, tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("42", encoding="utf-8")
    res = cli("numbers", str(tmp_path / "missing.txt"), str(good), "-f", "jsonl", "-q", "--lang", "fr")
    assert res.exit_code == 1
    assert "missing.txt" in res.stderr and "no such file" in res.stderr
    assert [r["value"] for r in jsonl(res.stdout)] == [42]


def test_as_a_subprocess() -> None:
    p = run_module("numbers", "-", "-f", "jsonl", "--lang", "fa", input="۱۴۰۲ و ۲۹".encode())
    assert p.returncode == 0, p.stderr
    recs = jsonl(p.stdout.decode("utf-8"))
    assert [r["value"] for r in recs] == [1402, 29]
    assert b"language fa (given)" in p.stderr
