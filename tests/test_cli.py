"""The command line: formats, inputs, failures, exit codes, rules and schema commands."""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import jsonl, run_module, write_rules
from coopfacts.model import FIELDS, SCHEMA_VERSION

FR = "Selon le rapport, plus de 1 500 emplois ont été créés, soit 54% du total.\n"
AR = "ارتفعت نسبة التعاونيات 54% خلال العام.\n"


@pytest.fixture
def fr_file(tmp_path: Path) -> Path:
    p = tmp_path / "fr.txt"
    p.write_text(FR, encoding="utf-8")
    return p


def assert_spans(records: list[dict], texts: dict[str, str]) -> None:
    """The span invariant: every claim's text is the original document text at [start, end)."""
    for r in records:
        assert r["text"] == texts[r["doc"]][r["start"]:r["end"]], r


# --- formats ----------------------------------------------------------------------

def test_jsonl_default_when_not_a_terminal(cli, fr_file: Path) -> None:
    res = cli("extract", str(fr_file), "--lang", "fr")
    assert res.exit_code == 0, res.stderr
    recs = jsonl(res.stdout)
    assert {(r["kind"], r["value"]) for r in recs} >= {("count", 1500), ("percent", 54)}
    assert all(r["doc"] == str(fr_file) and r["lang"] == "fr" for r in recs)
    assert all(list(r) == list(FIELDS) for r in recs)  # every key, in order, in every record
    assert f"coopfacts: {fr_file}: language fr (given)" in res.stderr
    assert_spans(recs, {str(fr_file): FR})


def test_json_format(cli, fr_file: Path) -> None:
    res = cli("extract", str(fr_file), "--format", "json", "-q")
    assert res.exit_code == 0
    assert [r["text"] for r in json.loads(res.stdout)] == ["1 500", "54%"]
    assert res.stderr == ""  # --quiet


def test_json_format_no_claims_is_an_empty_array(cli, tmp_path: Path) -> None:
    (tmp_path / "none.txt").write_text("rien", encoding="utf-8")
    res = cli("extract", str(tmp_path / "none.txt"), "-f", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == []


def test_csv_format(cli, fr_file: Path) -> None:
    res = cli("extract", str(fr_file), "--format", "csv", "--kinds", "count,percent")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout, newline="")))
    assert list(rows[0]) == list(FIELDS)  # the same columns whatever the kinds
    assert [(r["kind"], r["value"], r["qualifier"]) for r in rows] == [("count", "1500", "more_than"),
                                                                      ("percent", "54", "exact")]


def test_table_format(cli, fr_file: Path) -> None:
    res = cli("extract", str(fr_file), "--format", "table")
    assert res.exit_code == 0
    assert "more_than" in res.stdout and "54%" in res.stdout


def test_kinds_filter(cli, fr_file: Path) -> None:
    res = cli("extract", str(fr_file), "--kinds", "percent")
    assert [r["kind"] for r in jsonl(res.stdout)] == ["percent"]


# --- -o FILE ------------------------------------------------------------------------

def test_output_file_atomic(cli, fr_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "claims.csv"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    res = cli("extract", str(fr_file), "-o", str(out), "--bom")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    data = out.read_text(encoding="utf-8")
    assert data.startswith("\ufeff")  # format csv from the suffix, BOM asked for
    assert len(list(csv.DictReader(io.StringIO(data[1:], newline="")))) == 2
    assert os.listdir(out.parent) == ["claims.csv"]  # no temporary file left


def test_output_file_untouched_on_usage_error(cli, fr_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    out.write_text("old", encoding="utf-8")
    res = cli("extract", str(fr_file), "-o", str(out), "--lang", "xx")
    assert res.exit_code == 2
    assert out.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["claims.jsonl", "fr.txt"]


# --- inputs and failures ------------------------------------------------------------

def test_missing_file_and_good_file(cli, fr_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    out = tmp_path / "claims.jsonl"
    res = cli("extract", str(missing), str(fr_file), "-o", str(out))
    assert res.exit_code == 1
    assert f"coopfacts: {missing}: no such file or directory" in res.stderr
    assert "1 of 2 inputs failed" in res.stderr.splitlines()[-1]
    recs = jsonl(out.read_text(encoding="utf-8"))
    assert recs and {r["doc"] for r in recs} == {str(fr_file)}


def test_binary_file(cli, tmp_path: Path) -> None:
    p = tmp_path / "photo.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    res = cli("extract", str(p))
    assert res.exit_code == 1
    assert f"coopfacts: {p}: binary file" in res.stderr


def test_non_utf8_file(cli, tmp_path: Path) -> None:
    p = tmp_path / "legacy.txt"
    p.write_bytes(AR.encode("cp1256"))
    res = cli("extract", str(p))
    assert res.exit_code == 1
    line = next(x for x in res.stderr.splitlines() if str(p) in x)
    assert "not valid UTF-8" in line and "byte offset 0" in line and "--encoding cp1256" in line
    res = cli("extract", str(p), "--encoding", "cp1256", "--lang", "ar")
    assert res.exit_code == 0
    assert [r["text"] for r in jsonl(res.stdout)] == ["54%"]


@pytest.mark.parametrize("bom, enc", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                      (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_bom_files(cli, tmp_path: Path, bom: bytes, enc: str) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(bom + FR.encode(enc))
    res = cli("extract", str(p))
    assert res.exit_code == 0
    recs = jsonl(res.stdout)
    assert [r["text"] for r in recs] == ["1 500", "54%"]
    assert_spans(recs, {str(p): FR})  # offsets count from the first character after the BOM


def test_directory_recursion(cli, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "ar").mkdir(parents=True)
    (root / "fr.md").write_text(FR, encoding="utf-8")
    (root / "ar" / "a.txt").write_text(AR, encoding="utf-8")
    (root / "ar" / "skip.json").write_text("{}", encoding="utf-8")
    res = cli("extract", str(root))
    assert res.exit_code == 0, res.stderr
    recs = jsonl(res.stdout)
    a, f = str(root / "ar" / "a.txt"), str(root / "fr.md")
    assert [r["doc"] for r in recs] == [a, f, f]  # sorted paths, document by document
    assert {r["doc"]: r["lang"] for r in recs} == {a: "ar", f: "fr"}
    assert f"coopfacts: {a}: language ar (detected)" in res.stderr
    assert_spans(recs, {a: AR, f: FR})


def test_empty_directory(cli, tmp_path: Path) -> None:
    res = cli("extract", str(tmp_path))
    assert res.exit_code == 1
    assert f"coopfacts: {tmp_path}: no .txt/.md files in directory" in res.stderr


def test_stdin(cli) -> None:
    res = cli("extract", "-", input=AR.encode("utf-8"))
    assert res.exit_code == 0
    recs = jsonl(res.stdout)
    assert [(r["doc"], r["text"], r["lang"]) for r in recs] == [("<stdin>", "54%", "ar")]
    assert_spans(recs, {"<stdin>": AR})


@pytest.mark.parametrize("content", [b"", b"  \n\n\t "])
def test_empty_file(cli, tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    res = cli("extract", str(p))
    assert res.exit_code == 0 and res.stdout == ""


def test_engine_error_on_one_document_does_not_stop_the_others(cli, fr_file: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from coopfacts.engine import Engine

    real = Engine.extract
    boom = tmp_path / "boom.txt"
    boom.write_text("boom 1", encoding="utf-8")

    def flaky(self, text, *a, **kw):
        if text.startswith("boom"):
            raise IndexError("out of range")
        return real(self, text, *a, **kw)

    monkeypatch.setattr(Engine, "extract", flaky)
    res = cli("extract", str(boom), str(fr_file))
    assert res.exit_code == 1
    assert f"coopfacts: {boom}: internal error: IndexError: out of range" in res.stderr
    assert "1 of 2 inputs failed" in res.stderr
    assert {r["doc"] for r in jsonl(res.stdout)} == {str(fr_file)}


# --- usage errors ---------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--lang", "xx"], "unknown language 'xx'"),
    (["--kinds", "count,weight"], "unknown kind 'weight'"),
    (["--encoding", "klingon"], "unknown encoding"),
    (["--format", "json", "--bom"], "--bom applies to --format csv and tsv only"),
    (["--format", "xml"], ""),
])
def test_usage_errors(cli, fr_file: Path, args: list[str], message: str) -> None:
    res = cli("extract", str(fr_file), *args)
    assert res.exit_code == 2
    assert message in res.stderr
    assert res.stdout == ""


def test_output_path_errors(cli, fr_file: Path, tmp_path: Path) -> None:
    res = cli("extract", str(fr_file), "-o", str(tmp_path))
    assert res.exit_code == 2 and "is a directory" in res.stderr
    res = cli("extract", str(fr_file), "-o", str(tmp_path / "nope" / "x.jsonl"))
    assert res.exit_code == 2 and "no such directory" in res.stderr
    assert sorted(os.listdir(tmp_path)) == ["fr.txt"]


def test_malformed_rule_file(cli, fr_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "badrules"
    bad.mkdir()
    (bad / "fr.yaml").write_text("language: fr\nnumbers: [\n", encoding="utf-8")
    res = cli("extract", str(fr_file), "--lang", "fr", "--rules", str(bad), rules=False)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"{bad / 'fr.yaml'}:3:")  # file:line:col: message
    assert "Traceback" not in res.stderr + res.stdout


def test_malformed_rule_file_subprocess(fr_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "badrules"
    bad.mkdir()
    (bad / "fr.yaml").write_text("language: fr\nnumbers:\n  words: 3\n", encoding="utf-8")
    p = run_module("rules", "list", "--rules", str(bad))
    assert p.returncode == 2
    err = p.stderr.decode()
    assert str(bad / "fr.yaml") + ":3:" in err and "Traceback" not in err


# --- real subprocesses ------------------------------------------------------------------

def test_subprocess_jsonl(fr_file: Path, rules_dir: Path) -> None:
    p = run_module("extract", str(fr_file), "--rules", str(rules_dir), "--format", "jsonl")
    assert p.returncode == 0, p.stderr.decode()
    recs = jsonl(p.stdout.decode("utf-8"))
    assert [(r["kind"], r["value"], r["qualifier"]) for r in recs] == [("count", 1500, "more_than"),
                                                                       ("percent", 54, "exact")]
    assert_spans(recs, {str(fr_file): FR})


def test_broken_pipe_is_quiet(tmp_path: Path, rules_dir: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(60):  # ~200 KB of JSON Lines: more than a pipe holds
        (corpus / f"{i:03d}.txt").write_text(" ".join(f"{n}%" for n in range(20)), encoding="utf-8")
    cmd = f'"{sys.executable}" -m coopfacts extract "{corpus}" --rules "{rules_dir}" -q | head -n 1'
    p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, timeout=120)
    assert len(p.stdout.decode().splitlines()) == 1
    assert p.stderr.decode() == ""
    assert p.returncode == 141


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130(fr_file: Path, rules_dir: Path) -> None:
    # After the file, `-` waits on stdin (kept open): interrupt it there.
    proc = subprocess.Popen([sys.executable, "-m", "coopfacts", "extract", str(fr_file), "-", "--rules", str(rules_dir)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert b"language fr" in proc.stderr.readline()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert b"Traceback" not in err and b"interrupted" in err


HEAVY = "('regex', 'yaml') or m.startswith(('coopfacts.engine', 'coopfacts.rulebook', 'coopfacts.text'))"


def test_help_does_not_import_the_engine() -> None:
    code = ("import sys, runpy; sys.argv = ['coopfacts', '--help']\n"
            "try:\n    runpy.run_module('coopfacts', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            f"heavy = [m for m in sys.modules if m in {HEAVY}]\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert "Usage:" in p.stdout.decode()
    assert "HEAVY []" in p.stderr.decode()
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "coopfacts", "--help"], capture_output=True, timeout=60)
    imported = [line.rsplit("|", 1)[-1].strip() for line in p.stderr.decode().splitlines()]
    assert not [m for m in imported if m in ("regex", "yaml") or m.startswith(("coopfacts.engine", "coopfacts.rulebook"))]


def test_import_coopfacts_is_light_and_lazy() -> None:
    code = ("import sys, inspect, coopfacts\n"
            f"assert not [m for m in sys.modules if m in {HEAVY}], 'heavy at import'\n"
            "assert inspect.isfunction(coopfacts.extract) and inspect.isfunction(coopfacts.numbers)\n"
            "assert list(inspect.signature(coopfacts.extract).parameters)[:3] == ['text', 'lang', 'kinds']\n"
            "assert coopfacts.Claim.__name__ == 'Claim' and coopfacts.__version__ == '0.1.0'\n"
            "assert [c.value for c in coopfacts.extract('54 %', 'fr')] == [54]\n"
            "assert 'coopfacts.engine.api' in sys.modules  # loaded on first use\n"
            "print('ok')")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert p.stdout.decode().strip() == "ok", p.stderr.decode()


def test_version(runner) -> None:
    from coopfacts.cli.app import app

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == "coopfacts 0.1.0"


# --- normalize, schema, rules -------------------------------------------------------------

def test_normalize_with_numerals(cli, tmp_path: Path) -> None:
    text = "Plus\u00a0de 1\u202f500 emplois\n"  # no-break spaces fold to plain spaces
    p = tmp_path / "n.txt"
    p.write_text(text, encoding="utf-8")
    res = cli("normalize", str(p), "--lang", "fr", "--numerals")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "Plus de 1 500 emplois"
    rows = [line.split("\t") for line in lines[1:] if not line.startswith("#")]
    assert rows == [["8-13", "1\u202f500", "1500", "digits"]]
    start, end = map(int, rows[0][0].split("-"))
    assert text[start:end] == rows[0][1]


def test_normalize_several_documents(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("un", encoding="utf-8")
    (tmp_path / "b.txt").write_text("deux\n", encoding="utf-8")
    res = cli("normalize", str(tmp_path), "--lang", "fr", "-q")
    assert res.exit_code == 0
    assert res.stdout == f"==> {tmp_path / 'a.txt'} <==\nun\n==> {tmp_path / 'b.txt'} <==\ndeux\n"


def test_schema_command(runner) -> None:
    from coopfacts.cli.app import app

    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0
    schema = json.loads(res.stdout)
    assert schema["required"] == list(FIELDS)
    assert schema["x-schema-version"] == SCHEMA_VERSION


def test_extract_output_validates_against_schema(cli, fr_file: Path, runner) -> None:
    import jsonschema  # the test extra declares it: a missing one is a broken install, not a skip

    from coopfacts.cli.app import app

    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    recs = jsonl(cli("extract", str(fr_file)).stdout)
    assert recs
    for r in recs:
        jsonschema.validate(r, schema)


def test_rules_list(runner, rules_dir: Path) -> None:
    from coopfacts.cli.app import app

    res = runner.invoke(app, ["rules", "list", "--rules", str(rules_dir)])
    assert res.exit_code == 0, res.stderr
    assert "French (test rules)" in res.stdout and "examples" in res.stdout


def test_rules_test_pass_and_fail(runner, tmp_path: Path) -> None:
    from coopfacts.cli.app import app

    good = write_rules(tmp_path / "good")
    res = runner.invoke(app, ["rules", "test", "fr", "--rules", str(good)])
    assert res.exit_code == 0, res.stdout
    assert "fr: 2 passed, 0 failed" in res.stdout

    bad = write_rules(tmp_path / "bad")
    fr = (bad / "fr.yaml").read_text(encoding="utf-8")
    (bad / "fr.yaml").write_text(fr.replace("value: 1500, qualifier: more_than", "value: 1501, qualifier: more_than"),
                                 encoding="utf-8")
    res = runner.invoke(app, ["rules", "test", "fr", "--rules", str(bad)])
    assert res.exit_code == 1
    assert "fr: 1 passed, 1 failed" in res.stdout
    assert f"FAIL {bad / 'fr.yaml'}:" in res.stdout
    assert "missing  «1 500» count 1501" in res.stdout and "differs in value" in res.stdout

    res = runner.invoke(app, ["rules", "test", "xx", "--rules", str(good)])
    assert res.exit_code == 2


def test_check_example_reports_extra_claims(rules_dir: Path) -> None:
    from coopfacts.evaluation import check_example
    from coopfacts.rulebook import Example, get_rulebook

    rb = get_rulebook([str(rules_dir)])
    ex = Example(text="54% et 12 projets", claims=[{"text": "54%", "kind": "percent", "value": 54}],
                 source="x.yaml", line=1)
    problems = check_example("fr", ex, rb)
    assert len(problems) == 1 and problems[0].startswith("extra") and "«12» count 12" in problems[0]
    ex.partial = True
    assert check_example("fr", ex, rb) == []


# --- the packaged rules: only the simplest cases --------------------------------------------

def packaged_claims(text: str, lang: str) -> list[dict]:
    from coopfacts.rulebook import get_rulebook

    if lang not in get_rulebook().languages:
        pytest.skip(f"no packaged rules for {lang!r} yet")
    p = run_module("extract", "-", "--lang", lang, "-q", input=text.encode())
    assert p.returncode == 0, p.stderr.decode()
    recs = jsonl(p.stdout.decode())
    assert_spans(recs, {"<stdin>": text})
    return recs


@pytest.mark.parametrize("text, lang", [("Une hausse de 54% en un an.", "fr"), ("بنسبة 54% في سنة واحدة", "ar")])
def test_packaged_rules_percent(text: str, lang: str) -> None:
    recs = packaged_claims(text, lang)
    if not any(r["kind"] == "percent" and r["value"] == 54 for r in recs):
        pytest.skip(f"the packaged {lang} rules do not find '54%' yet: {recs}")


def test_packaged_rules_more_than() -> None:
    recs = packaged_claims("Le secteur compte plus de 1 500 emplois.", "fr")
    if not any(r["kind"] == "count" and r["value"] == 1500 and r["qualifier"] == "more_than" for r in recs):
        pytest.skip(f"the packaged fr rules do not find 'plus de 1 500' yet: {recs}")


def test_errors_are_one_line_without_the_click_package(tmp_path: Path) -> None:
    """typer 0.28 carries its own click and installs none: the command must not need one.

    The process is run with ``click`` made unimportable; a missing file is then one line and
    exit 1, a usage error exit 2, both without a traceback."""
    import importlib.util

    if importlib.util.find_spec("typer._click") is None:
        pytest.skip("this typer is built on the click package (typer < 0.28): it cannot run without it")
    prog = ("import sys; sys.modules['click'] = None; sys.argv = ['coopfacts'] + sys.argv[1:]; "
            "from coopfacts.cli.app import main; main()")
    missing = subprocess.run([sys.executable, "-c", prog, "extract", str(tmp_path / "missing.txt")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1, missing.stderr
    assert missing.stderr.splitlines() == [f"coopfacts: {tmp_path / 'missing.txt'}: no such file or directory"]
    usage = subprocess.run([sys.executable, "-c", prog, "extract", "--lang", "xx", str(tmp_path)],
                           capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2, usage.stderr
    assert "Traceback" not in usage.stderr and "ModuleNotFoundError" not in usage.stderr
