"""Batch semantics under hostile conditions: one bad input never stops the others, the
summary says how many failed and why, exit statuses are the documented ones, ``-o`` is
atomic under Ctrl-C and SIGTERM, a closed pipe is quiet, and nothing prints a traceback.

Exit status (README, cli.py): 0 every input read; 1 some input failed (or an internal
error); 2 usage error or malformed rule file; 130 Ctrl-C; 141 output pipe closed;
143 SIGTERM while writing ``-o``.
"""
from __future__ import annotations

import codecs
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import jsonl

FR = "Selon le rapport, plus de 1 500 emplois ont été créés, soit 54% du total.\n"
AR = "ارتفعت نسبة التعاونيات 54% خلال العام.\n"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def no_traceback(*streams: str | bytes) -> None:
    for s in streams:
        s = s.decode("utf-8", "replace") if isinstance(s, bytes) else s
        assert "Traceback" not in s, s


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    """Good and bad inputs side by side."""
    d = tmp_path / "in"
    d.mkdir()
    files = {
        "good1": ("a-good.txt", FR.encode()),
        "binary": ("b-binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)),
        "legacy": ("c-legacy.txt", AR.encode("cp1256")),
        "empty": ("d-empty.txt", b""),
        "good2": ("e-good.txt", codecs.BOM_UTF16_LE + AR.encode("utf-16-le")),
        "pdf": ("f-report.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"stream\n" + bytes(range(128, 256)) * 4),
    }
    out = {}
    for key, (name, data) in files.items():
        (d / name).write_bytes(data)
        out[key] = d / name
    link = d / "g-broken.txt"
    link.symlink_to(d / "nowhere.txt")
    out["broken"] = link
    out["dir"] = d
    return out


def test_bad_inputs_never_stop_the_good_ones(cli, corpus, tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    res = cli("extract", str(missing), str(corpus["dir"]), "-q")
    no_traceback(res.stdout, res.stderr)
    assert res.exit_code == 1
    recs = jsonl(res.stdout)
    assert {r["doc"] for r in recs} == {str(corpus["good1"]), str(corpus["good2"])}
    err = res.stderr.splitlines()
    # one line per failure, in input order, each naming its input
    assert err[:-1] == [
        f"coopfacts: {missing}: no such file or directory",
        f"coopfacts: {corpus['binary']}: binary file (a PNG image)",
        next(x for x in err if x.startswith(f"coopfacts: {corpus['legacy']}: not valid UTF-8")),
        f"coopfacts: {corpus['pdf']}: binary file (a PDF document; extract its text first (e.g. pdftotext))",
        f"coopfacts: {corpus['broken']}: broken symbolic link (points to {corpus['dir'] / 'nowhere.txt'})",
    ]
    # and a summary: how many, out of how many, and why
    assert err[-1] == ("coopfacts: 5 of 8 inputs failed: 1 no such file or directory, 2 binary file, "
                       "1 not valid UTF-8, 1 broken symbolic link")


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_every_format_keeps_the_good_documents(cli, corpus, fmt: str) -> None:
    res = cli("extract", str(corpus["dir"]), "-q", "--format", fmt)
    no_traceback(res.stdout, res.stderr)
    assert res.exit_code == 1
    assert "54" in res.stdout and "1 500" in res.stdout
    if fmt == "json":
        assert len(json.loads(res.stdout)) >= 3  # a complete JSON array despite the failures


def test_output_file_holds_the_good_documents_and_exit_1(cli, corpus, tmp_path) -> None:
    out = tmp_path / "claims.jsonl"
    res = cli("extract", str(corpus["dir"]), "-q", "-o", str(out))
    assert res.exit_code == 1
    assert {r["doc"] for r in jsonl(out.read_text(encoding="utf-8"))} == {str(corpus["good1"]), str(corpus["good2"])}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_engine_failure_on_one_document(cli, corpus, monkeypatch) -> None:
    from coopfacts.engine import Engine

    real = Engine.extract

    def flaky(self, text, *a, **kw):
        if "ارتفعت" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, text, *a, **kw)

    monkeypatch.setattr(Engine, "extract", flaky)
    res = cli("extract", str(corpus["good1"]), str(corpus["good2"]))
    no_traceback(res.stdout, res.stderr)
    assert res.exit_code == 1
    assert f"{corpus['good2']}: internal error: RecursionError" in res.stderr
    assert res.stderr.splitlines()[-1] == "coopfacts: 1 of 2 inputs failed: 1 internal error"
    assert {r["doc"] for r in jsonl(res.stdout)} == {str(corpus["good1"])}


@pytest.mark.parametrize("args, code", [
    ([], 0),  # all good
    (["--lang", "xx"], 2),
    (["--kinds", "weight"], 2),
    (["--encoding", "no-such"], 2),
    (["--format", "yaml"], 2),
    (["--bom"], 2),  # --bom with jsonl
    (["--reference-date", "2024-13-45"], 2),
    (["--no-such-option"], 2),
])
def test_exit_status_of_usage(cli, corpus, args, code) -> None:
    res = cli("extract", str(corpus["good1"]), *args)
    no_traceback(res.stdout, res.stderr)
    assert res.exit_code == code, res.stderr
    if code == 2:
        assert res.stdout == ""


def test_no_path_at_all_is_a_usage_error(cli) -> None:
    res = cli("extract")
    assert res.exit_code == 2


def test_rules_directory_that_is_a_file(cli, corpus) -> None:
    res = cli("extract", str(corpus["good1"]), "--rules", str(corpus["good1"]), rules=False)
    no_traceback(res.stdout, res.stderr)
    assert res.exit_code == 2 and "not a directory" in res.stderr


def test_unexpected_error_outside_documents_is_one_line(cli, corpus, monkeypatch) -> None:
    from coopfacts.rulebook import Rulebook

    def broken(*a, **kw):
        raise RecursionError("maximum recursion depth exceeded while calling a Python object")

    monkeypatch.setattr(Rulebook, "check_all", broken)  # the first thing a run asks of the rules
    res = cli("extract", str(corpus["good1"]))
    no_traceback(res.stdout, res.stderr)
    assert res.exit_code == 1
    assert res.stderr.strip() == ("coopfacts: internal error: RecursionError: maximum recursion depth exceeded "
                                  "while calling a Python object (COOPFACTS_DEBUG=1 shows a traceback)")


def test_output_to_a_full_disk(cli, corpus, monkeypatch, tmp_path) -> None:
    """Write errors on -o are the output's: one line, exit 1, the old file kept."""
    import errno

    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    import coopfacts.outputs.writers as output

    real = output.JsonlWriter.write

    def full(self, record):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.JsonlWriter, "write", full)
    res = cli("extract", str(corpus["good1"]), "-o", str(out))
    no_traceback(res.stdout, res.stderr)
    assert res.exit_code == 1 and "no space left on device" in res.stderr
    assert out.read_text(encoding="utf-8") == "old\n"
    assert real is not None


# --- real processes and signals ------------------------------------------------------------

def _start(args: list[str], rules_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "coopfacts", "extract", *args, "--rules", str(rules_dir)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_line(proc: subprocess.Popen, needle: bytes, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if needle in line:
            return
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"never saw {needle!r}")


@POSIX
@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, b"interrupted"),
                                             (signal.SIGTERM, -signal.SIGTERM, b"terminated")])
def test_interrupted_run_leaves_the_old_output_file(corpus, rules_dir, tmp_path, sig, code, word) -> None:
    """Stopped mid-run (here: waiting on standard input, after a first document), ``-o FILE``
    is the old file, untouched, and no temporary file is left behind."""
    out = tmp_path / "claims.jsonl"
    out.write_text("old complete output\n", encoding="utf-8")
    proc = _start([str(corpus["good1"]), "-", "-o", str(out)], rules_dir)
    try:
        _wait_for_line(proc, b"language fr")
        time.sleep(0.2)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code
    no_traceback(err)
    assert word in err
    assert out.read_text(encoding="utf-8") == "old complete output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.jsonl", "in"]


@POSIX
def test_interrupted_run_without_an_old_file_leaves_nothing(corpus, rules_dir, tmp_path) -> None:
    out = tmp_path / "new.csv"
    proc = _start([str(corpus["good1"]), "-", "-o", str(out)], rules_dir)
    try:
        _wait_for_line(proc, b"language fr")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@POSIX
def test_completed_run_replaces_the_output_file_whole(corpus, rules_dir, tmp_path) -> None:
    out = tmp_path / "claims.jsonl"
    out.write_text("old\n", encoding="utf-8")
    proc = _start([str(corpus["good1"]), "-", "-o", str(out)], rules_dir)
    _, err = proc.communicate(input=AR.encode(), timeout=60)
    assert proc.returncode == 0, err
    recs = jsonl(out.read_text(encoding="utf-8"))
    assert {r["doc"] for r in recs} == {str(corpus["good1"]), "<stdin>"}


@POSIX
def test_ctrl_c_while_writing_to_stdout(corpus, rules_dir) -> None:
    proc = _start([str(corpus["good1"]), "-"], rules_dir)
    try:
        _wait_for_line(proc, b"language fr")
        first = proc.stdout.readline()  # the first document's claims are out (flushed per document)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    no_traceback(err)
    assert jsonl((first + out).decode())  # what was written before stays


@POSIX
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table", "json"])
def test_broken_pipe_is_quiet_in_every_format(tmp_path, rules_dir, fmt) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(40):
        (corpus / f"{i:03d}.txt").write_text(" ".join(f"{n}%" for n in range(40)), encoding="utf-8")
    cmd = (f'"{sys.executable}" -m coopfacts extract "{corpus}" --rules "{rules_dir}" -q --format {fmt}'
           f' | head -c 100 > /dev/null')
    p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, timeout=120)
    assert p.stderr.decode() == ""
    assert p.returncode in (0, 141)  # 0: the reader took everything before it left


@POSIX
def test_closed_stdout_is_reported_not_a_traceback(tmp_path, rules_dir) -> None:
    f = tmp_path / "a.txt"
    f.write_text(FR, encoding="utf-8")
    p = subprocess.run(["bash", "-c", f'"{sys.executable}" -m coopfacts extract "{f}" --rules "{rules_dir}" -q >&-'],
                       capture_output=True, timeout=60)
    no_traceback(p.stderr)
    assert p.returncode != 0


def test_stdin_given_twice(cli) -> None:
    """`-` twice reads standard input once; the second is an empty document."""
    res = cli("extract", "-", "-", "-q", input=FR.encode())
    assert res.exit_code == 0
    assert {r["doc"] for r in jsonl(res.stdout)} == {"<stdin>"}


def test_many_inputs_one_summary(cli, tmp_path) -> None:
    paths = []
    for i in range(30):
        p = tmp_path / f"{i:02d}.txt"
        p.write_bytes(FR.encode() if i % 3 else b"\x00binary")
        paths.append(str(p))
    res = cli("extract", *paths, "-q")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == "coopfacts: 10 of 30 inputs failed: 10 binary file"
    assert len({r["doc"] for r in jsonl(res.stdout)}) == 20
