"""Writers, atomic output and the claim JSON Schema."""
from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from coopfacts.model import FIELDS, SCHEMA_VERSION, Claim
from coopfacts.outputs import atomic_output, clean_value, make_writer

RECORDS = [
    Claim(doc="a.txt", lang="fr", start=8, end=13, text="1 500", kind="count", value=1500.0,
          qualifier="more_than", entity="emplois", sentence_start=0, sentence_end=30, rule="fr.count").to_dict(),
    Claim(doc="b.txt", lang="ar", start=0, end=3, text="54%", kind="percent", value=54.5, unit="%",
          unit_text="%", rule="ar.amount-with-unit").to_dict(),
    Claim(doc="c.txt", lang="fa", start=0, end=4, text="۱۴۰۲", kind="date", value="1402", calendar="jalali",
          extra={"gregorian_years": [2023, 2024]}).to_dict(),
]


def render(fmt: str, records=RECORDS, **kw) -> str:
    out = io.StringIO()
    w = make_writer(fmt, out, **kw)
    for r in records:
        w.write(r)
    w.end_document()
    w.close()
    return out.getvalue()


def test_clean_value() -> None:
    assert clean_value(1500.0) == 1500 and isinstance(clean_value(1500.0), int)
    assert clean_value(9.45) == 9.45
    assert clean_value(4.4e13) == 44000000000000
    assert clean_value([2023.0, "x", None]) == [2023, "x", None]


def test_jsonl() -> None:
    lines = render("jsonl").splitlines()
    assert [json.loads(x) for x in lines] == [clean_value(r) for r in RECORDS]
    assert lines[0].split('"value":')[1].lstrip().startswith("1500,")  # an int, not 1500.0
    assert "۱۴۰۲" in lines[2]  # ensure_ascii=False


@pytest.mark.parametrize("records", [RECORDS, []])
def test_json_array(records) -> None:
    assert json.loads(render("json", records)) == [clean_value(r) for r in records]


def test_csv_header_and_cells() -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv"), newline="")))
    assert list(rows[0]) == list(FIELDS)  # every key of the record, dates or not
    assert rows[0]["value"] == "1500" and rows[0]["unit"] == "" and rows[0]["qualifier"] == "more_than"
    assert rows[1]["value"] == "54.5"
    assert rows[2]["calendar"] == "jalali" and json.loads(rows[2]["gregorian_years"]) == [2023, 2024]


def test_csv_with_bom() -> None:
    text = render("csv", RECORDS[:2], with_dates=False, bom=True)
    assert text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header == list(FIELDS)


def test_table_shows_rtl_text_as_is() -> None:
    text = render("table")
    for word in ("1 500", "more_than", "54%", "۱۴۰۲", "start-end", "8-13"):
        assert word in text


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        make_writer("xml", io.StringIO())


def test_make_writer_finds_formats_in_the_registry(monkeypatch) -> None:
    from coopfacts.outputs import writers

    assert writers.FORMATS == tuple(writers.REGISTRY) == ("table", "json", "jsonl", "csv", "tsv", "html", "sqlite", "parquet")
    monkeypatch.setattr(writers, "REGISTRY", dict(writers.REGISTRY))  # the format added below goes with the test

    class Texts(writers.Writer):
        def write(self, record: dict) -> None:
            self.out.write(record["text"] + "\n")

    writers.register_format("texts", lambda out, options: Texts(out))
    assert render("texts") == "1 500\n54%\n۱۴۰۲\n"
    with pytest.raises(ValueError, match="expected one of table, json, jsonl, csv, tsv, html, sqlite, parquet, texts"):
        make_writer("xml", io.StringIO())


def test_imports_stay_light_and_without_a_cycle() -> None:
    """The package loads its names on use; the table and JSON writers never load the HTML report."""
    import subprocess
    import sys

    code = ("import sys, coopfacts.outputs as o; assert not [m for m in sys.modules if m.startswith('coopfacts.outputs.')]; "
            "o.make_writer('jsonl', sys.stdout); o.make_writer('table', sys.stdout); "
            "assert 'coopfacts.outputs.html' not in sys.modules and 'coopfacts.rulebook' not in sys.modules; "
            "import coopfacts.outputs.html")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- atomic output ---------------------------------------------------------------

def leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    with atomic_output(str(target)) as fh:
        fh.write("new\n")
        assert target.read_text(encoding="utf-8") == "old\n"  # not replaced before the end
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_atomic_write_new_file_mode_follows_umask(tmp_path: Path) -> None:
    target = tmp_path / "fresh.json"
    with atomic_output(str(target)) as fh:
        fh.write("[]")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_atomic_write_failure_keeps_old_file(tmp_path: Path, exc: type[BaseException]) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(exc):
        with atomic_output(str(target)) as fh:
            fh.write("partial")
            raise exc()
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []


# --- JSON Schema ----------------------------------------------------------------------

def load_schema() -> dict:
    from coopfacts.cli.schema import schema_text

    return json.loads(schema_text())


def test_schema_matches_model() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["x-schema-version"] == SCHEMA_VERSION
    assert schema["$id"].endswith(SCHEMA_VERSION)
    assert schema["required"] == list(FIELDS)
    assert set(FIELDS) <= set(schema["properties"])
    assert schema["properties"]["kind"]["enum"] == ["count", "money", "percent", "ratio", "duration", "quantity", "date"]
    assert "more_than" in schema["properties"]["qualifier"]["enum"]


def test_schema_shipped_in_package() -> None:
    from importlib.resources import files

    assert files("coopfacts").joinpath("claim.schema.json").is_file()


def test_records_validate_against_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for r in RECORDS:
        validator.validate(clean_value(r))
    bad = dict(RECORDS[0], kind="weight")
    assert not validator.is_valid(bad)
    assert not validator.is_valid(dict(RECORDS[0], value="1500"))  # only dates have string values


# --- signals and closed pipes --------------------------------------------------------------

def test_atomic_output_restores_the_sigterm_handler(tmp_path: Path) -> None:
    import signal

    before = signal.getsignal(signal.SIGTERM)
    with atomic_output(str(tmp_path / "x.jsonl")) as fh:
        assert signal.getsignal(signal.SIGTERM) is not before  # armed while writing
        fh.write("x\n")
    assert signal.getsignal(signal.SIGTERM) is before


def test_atomic_output_outside_the_main_thread(tmp_path: Path) -> None:
    import threading

    errors: list[BaseException] = []

    def work() -> None:
        try:
            with atomic_output(str(tmp_path / "t.jsonl")) as fh:
                fh.write("from a thread\n")
        except BaseException as exc:  # pragma: no cover - the failure being tested
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert errors == [] and (tmp_path / "t.jsonl").read_text(encoding="utf-8") == "from a thread\n"


def test_table_writer_turns_a_closed_pipe_into_broken_pipe() -> None:
    class Closed(io.StringIO):
        def write(self, s: str) -> int:
            raise BrokenPipeError()

        def flush(self) -> None:
            raise BrokenPipeError()

    w = make_writer("table", Closed())
    w.write(RECORDS[0])
    with pytest.raises(BrokenPipeError):
        w.end_document()


def test_table_of_a_huge_document_is_printed_in_parts(monkeypatch) -> None:
    import coopfacts.outputs.writers as output

    monkeypatch.setattr(output, "TABLE_MAX_ROWS", 2)
    out = io.StringIO()
    w = make_writer("table", out)
    for r in RECORDS:
        w.write(r)
        assert len(w.rows) < 2
    w.close()
    text = out.getvalue()
    assert text.count("start-end") == 2 and "۱۴۰۲" in text


def test_jsonl_records_stay_one_line_for_every_reader() -> None:
    """U+2028, U+2029 and U+0085 are legal raw in JSON strings, but str.splitlines() and
    JavaScript end a line there: they are written escaped."""
    rec = dict(RECORDS[0], text="1\u2028500", entity="a\u2029b\x85c")
    out = render("jsonl", [rec])
    assert len(out.splitlines()) == 1
    assert json.loads(out) == clean_value(rec)
    assert "\\u2028" in out and "\\u2029" in out and "\\u0085" in out
    assert json.loads(render("json", [rec])) == [clean_value(rec)]


# --- orjson (the `fast` extra) and the json module write the same JSON values ---------------

ODD_RECORDS = [
    *RECORDS,
    {"value": [0.1, 1e20, 1e-07, 2.5e-310, -0.0, 1500.0, 2**53 + 0.0], "text": "é\u2028ل\x00\x1f\"\\/", "n": 2**63 - 1},
    {"value": 2**64 + 1, "text": "past 64 bits: orjson refuses, json writes it"},
    {"value": float("nan"), "other": float("inf"), "text": "not finite: json's NaN and Infinity kept"},
    {"text": "lone \ud800 surrogate", "value": None},
    {"nested": {"a": [1.0, {"b": 2.0}], "c": (3.0, "x")}, "flag": True},
]


@pytest.mark.parametrize("rec", ODD_RECORDS)
def test_json_with_and_without_orjson_reads_back_the_same(monkeypatch, rec) -> None:
    from coopfacts.outputs import base

    orjson = pytest.importorskip("orjson")
    monkeypatch.setattr(base, "_orjson", orjson)
    fast = render("jsonl", [rec])
    monkeypatch.setattr(base, "_orjson", False)
    slow = render("jsonl", [rec])
    assert slow == json.dumps(clean_value(rec), ensure_ascii=False).replace("\u2028", "\\u2028") + "\n"
    assert len(fast.splitlines()) == len(slow.splitlines()) == 1
    a, b = json.loads(fast), json.loads(slow)
    # NaN != NaN: compare their JSON text instead
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert list(a) == list(b)  # the same field order


def test_orjson_is_used_when_installed_and_its_output_is_compact(monkeypatch) -> None:
    from coopfacts.outputs import base

    orjson = pytest.importorskip("orjson")
    monkeypatch.setattr(base, "_orjson", None)  # looked up again
    line = render("jsonl", RECORDS[:1])
    assert base._orjson is orjson
    assert line == orjson.dumps(clean_value(RECORDS[0])).decode() + "\n" and '", "' not in line


def test_json_module_when_orjson_is_missing(monkeypatch) -> None:
    import builtins

    from coopfacts.outputs import base

    real_import = builtins.__import__

    def no_orjson(name, *a, **kw):
        if name == "orjson":
            raise ImportError(name)
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_orjson)
    monkeypatch.setattr(base, "_orjson", None)
    assert render("jsonl", RECORDS) == "".join(json.dumps(clean_value(r), ensure_ascii=False) + "\n" for r in RECORDS)
    assert base._orjson is False


def test_clean_value_of_what_needs_no_cleaning_is_the_same_value() -> None:
    class Named(str):
        pass

    rec = {"a": "x", "b": 3, "c": None, "d": True, "e": Named("y"), "f": [1, "z"], "g": 2.0, "h": (1.5, 3.0)}
    out = clean_value(rec)
    assert out == {"a": "x", "b": 3, "c": None, "d": True, "e": "y", "f": [1, "z"], "g": 2, "h": [1.5, 3]}
    assert type(out["g"]) is int and type(out["h"]) is list and out["e"] is rec["e"]
