"""Reliability, round 2 (issue 19): no lost data, no hangs, bounded reading, one clear line.

Each test builds the case the issue describes and checks what a user would see: the exit
status, one line on stderr naming the input, no traceback, and the files on disk afterwards.
Cases that could hang run in a subprocess with a time limit.
"""
from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import jsonl

FR = "Selon le rapport, plus de 1 500 emplois ont été créés, soit 54% du total.\n"


def ok(res, code: int) -> None:
    assert res.exit_code == code, (res.exit_code, res.stderr, res.stdout[-300:])
    assert "Traceback" not in res.stderr + res.stdout


def article(tmp_path: Path, name: str = "a.txt") -> Path:
    p = tmp_path / name
    p.write_text(FR, encoding="utf-8")
    return p


def coopfacts(*args: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coopfacts", *args], capture_output=True, timeout=timeout, **kw)


# --- 1. -o and what is already at the path ----------------------------------------------------

def test_output_through_a_symbolic_link_keeps_the_link(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    target = tmp_path / "claims.jsonl"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target.name)
    ok(cli("extract", str(src), "-o", str(link), "-q"), 0)
    assert link.is_symlink() and os.readlink(link) == target.name
    assert [r["text"] for r in jsonl(target.read_text(encoding="utf-8"))] == ["1 500", "54%"]


def test_output_through_a_dangling_link_creates_its_target(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    link = tmp_path / "latest.jsonl"
    link.symlink_to("made.jsonl")
    ok(cli("extract", str(src), "-o", str(link), "-q"), 0)
    assert link.is_symlink() and len(jsonl((tmp_path / "made.jsonl").read_text(encoding="utf-8"))) == 2


def test_output_with_hard_links_is_written_in_place(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    out = tmp_path / "claims.jsonl"
    out.write_text("old old old old old old old old old old old old old old old old\n" * 100, encoding="utf-8")
    twin = tmp_path / "twin.jsonl"
    os.link(out, twin)
    inode = out.stat().st_ino
    ok(cli("extract", str(src), "-o", str(out), "-q"), 0)
    assert out.stat().st_ino == inode and out.stat().st_nlink == 2
    assert len(jsonl(twin.read_text(encoding="utf-8"))) == 2  # the other name sees the new claims, whole


def test_output_keeps_mode(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    out = tmp_path / "claims.jsonl"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    ok(cli("extract", str(src), "-o", str(out), "-q"), 0)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and len(jsonl(out.read_text(encoding="utf-8"))) == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_output_keeps_owner(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    out = tmp_path / "claims.jsonl"
    out.write_text("old\n", encoding="utf-8")
    os.chown(out, 12345, 12345)
    ok(cli("extract", str(src), "-o", str(out), "-q"), 0)
    assert (out.stat().st_uid, out.stat().st_gid) == (12345, 12345)
    assert len(jsonl(out.read_text(encoding="utf-8"))) == 2


def test_read_only_output_is_refused(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    out = tmp_path / "keep.jsonl"
    out.write_text("precious\n", encoding="utf-8")
    out.chmod(0o444)
    res = cli("extract", str(src), "-o", str(out), "-q")
    ok(res, 2)
    assert res.stderr.startswith(f"coopfacts: -o: {out} is read-only") and len(res.stderr.splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "precious\n"


def test_output_to_a_fifo_is_written_into_it(tmp_path: Path) -> None:
    src = article(tmp_path)
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    res = coopfacts("extract", str(src), "-o", str(fifo), "-q", timeout=60)
    reader.join(30)
    assert res.returncode == 0, res.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not a regular file in its place
    assert [r["text"] for r in jsonl(got[0].decode())] == ["1 500", "54%"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root")
def test_output_to_a_device_stays_a_device(cli, tmp_path: Path) -> None:
    """``-o /dev/null`` as root once replaced the system's /dev/null: a null device made here."""
    src = article(tmp_path)
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    ok(cli("extract", str(src), "-o", str(null), "-q"), 0)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "null"]


def test_output_dash_is_standard_output(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    res = cli("extract", str(src), "-o", "-", "-q")
    ok(res, 0)
    assert [r["text"] for r in jsonl(res.stdout)] == ["1 500", "54%"]
    assert not (tmp_path / "-").exists() and not Path("-").exists()


def test_output_to_a_process_substitution(tmp_path: Path) -> None:
    """``-o >(cmd)``: the shell gives /dev/fd/N, a pipe."""
    src = article(tmp_path)
    r, w = os.pipe()
    res = subprocess.run([sys.executable, "-m", "coopfacts", "extract", str(src), "-o", f"/dev/fd/{w}", "-q"],
                         capture_output=True, timeout=60, pass_fds=(w,))
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    assert res.returncode == 0, res.stderr
    assert [rec["text"] for rec in jsonl(data.decode())] == ["1 500", "54%"]


# --- 2. an output that is one of the inputs -------------------------------------------------------

@pytest.mark.parametrize("command", ["extract", "numbers"])
def test_output_that_is_an_input_is_refused(cli, tmp_path: Path, command: str) -> None:
    src = article(tmp_path)
    res = cli(command, str(src), "-o", str(src), "-q")
    ok(res, 2)
    assert res.stderr == f"coopfacts: -o: {src} is an input; write the output elsewhere\n"
    assert src.read_text(encoding="utf-8") == FR


def test_output_that_is_an_input_by_another_name_is_refused(cli, tmp_path: Path) -> None:
    src = article(tmp_path)
    alias = tmp_path / "alias.jsonl"
    os.link(src, alias)
    res = cli("extract", str(src), "-o", str(alias), "-q")
    ok(res, 2)
    assert "is one of the inputs" in res.stderr and src.read_text(encoding="utf-8") == FR
    inside = tmp_path / "dir"
    inside.mkdir()
    kept = article(inside, "b.txt")
    res = cli("extract", str(inside), "-o", str(kept), "-q")
    ok(res, 2)
    assert kept.read_text(encoding="utf-8") == FR


# --- 3. a deep directory tree -------------------------------------------------------------------------

def test_a_very_deep_tree_is_walked(cli, tmp_path: Path) -> None:
    good = article(tmp_path)
    top = tmp_path / "deep"
    here = top
    here.mkdir()
    for _ in range(1200):  # deeper than Python's recursion limit (os.makedirs itself recurses)
        here = here / "d"
        here.mkdir()
    (here / "bottom.txt").write_text(FR, encoding="utf-8")
    try:
        walk_deep(cli, good, here, top)
    finally:
        while here != top.parent:  # shutil.rmtree recurses too: taken down here, bottom up
            for f in here.iterdir():
                f.unlink()
            here.rmdir()
            here = here.parent


def walk_deep(cli, good: Path, here: Path, top: Path) -> None:
    for command in ("extract", "check"):
        res = cli(command, str(good), str(top), "-q")
        assert "Traceback" not in res.stderr and "RecursionError" not in res.stderr
        if command == "extract":
            ok(res, 0)
            assert sorted({r["doc"] for r in jsonl(res.stdout)}) == sorted([str(good), str(here / "bottom.txt")])
        else:
            assert res.exit_code in (0, 3), res.stderr


def test_an_unlistable_subdirectory_is_one_failure(tmp_path: Path, monkeypatch) -> None:
    from coopfacts.io import Failure, expand_path

    for sub in ("a", "b", "c"):
        (tmp_path / sub).mkdir()
        article(tmp_path / sub)
    real = os.scandir

    def scandir(path):
        if str(path).endswith("b"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, failures = expand_path(str(tmp_path))
    assert found == [str(tmp_path / "a" / "a.txt"), str(tmp_path / "c" / "a.txt")]
    assert failures == [Failure(str(tmp_path / "b"), "permission denied")]


# --- 6. a damaged compressed corpus -------------------------------------------------------------------

def test_gzip_damaged_in_the_middle_gives_no_garbled_record(cli, tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"d{i}", "text": FR}) + "\n" for i in range(3000))
    data = bytearray(gzip.compress(lines.encode()))
    for i in range(len(data) // 2, len(data) // 2 + 8):
        data[i] ^= 0x5A
    gz = tmp_path / "c.jsonl.gz"
    gz.write_bytes(bytes(data))
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    res = cli("extract", str(gz), "-o", str(out), "-q")
    ok(res, 1)
    err = res.stderr.splitlines()
    assert len(err) == 1 and err[0].startswith(f"coopfacts: {gz}: damaged compressed stream")
    assert err[0].endswith("no line of it was read")
    assert out.read_text(encoding="utf-8") == ""  # nothing from the damaged corpus


def test_gzip_damaged_on_standard_input_says_the_lines_before_may_be_garbled(cli, tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"d{i}", "text": FR}) + "\n" for i in range(3000))
    data = bytearray(gzip.compress(lines.encode()))
    data[-6] ^= 0xFF  # the checksum: every record decompresses, the damage shows at the end
    res = cli("extract", "-", "--input-format", "jsonl", "-q", input=bytes(data))
    ok(res, 1)
    assert "may be garbled too" in res.stderr


# --- 9. FIFOs and devices as inputs ---------------------------------------------------------------------

@pytest.mark.parametrize("command", [["extract"], ["check"], ["numbers"], ["normalize", "--lang", "fr"]])
def test_fifo_and_device_inputs_are_refused(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "wait.txt"
    os.mkfifo(fifo)
    good = article(tmp_path, "good.txt")
    res = coopfacts(*command, str(fifo), "/dev/zero", str(good), "-q", timeout=60)
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert f"coopfacts: {fifo}: a named pipe (FIFO), not a regular file" in err
    assert "coopfacts: /dev/zero: a character device, not a regular file" in err
    assert "Traceback" not in err


def test_fifo_inside_a_directory_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "b.txt")
    article(tmp_path, "a.txt")
    res = coopfacts("extract", str(tmp_path), "-q", timeout=60)
    assert res.returncode == 1
    assert [r["text"] for r in jsonl(res.stdout.decode())] == ["1 500", "54%"]
    assert "b.txt: a named pipe (FIFO)" in res.stderr.decode()


def test_fifo_as_a_corpus_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "c.jsonl"
    os.mkfifo(fifo)
    res = coopfacts("extract", str(fifo), "-q", timeout=60)
    assert res.returncode == 1 and "a named pipe (FIFO)" in res.stderr.decode()


# --- 14. a file cut short while it is read ------------------------------------------------------------

def test_a_file_that_shrinks_while_read_is_a_failure(tmp_path: Path, monkeypatch) -> None:
    import coopfacts.io.documents as documents

    p = article(tmp_path)
    real = documents.open_input

    def shrinking(path: str):
        fh, size = real(path)
        os.truncate(path, 10)  # cut after it was opened, as a copy in progress would be
        return fh, size

    monkeypatch.setattr(documents, "open_input", shrinking)
    got = documents.read_document(str(p))
    assert got.message.startswith("file shrank while it was read (10 of")


# --- 8. a worker pool stopped early -----------------------------------------------------------------------

def test_extract_with_jobs_into_head_ends(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(4000):
            fh.write(json.dumps({"id": f"d{i}", "text": FR * 5}) + "\n")
    for _ in range(6):
        proc = subprocess.run(f"{sys.executable} -m coopfacts extract {corpus} -j 2 -q | head -1",
                              shell=True, capture_output=True, timeout=60)
        assert proc.stdout.count(b"\n") == 1


# --- 7. the compiled-rule cache is checked before it is used -----------------------------------------------

def _cache_entries(root: Path) -> list[Path]:
    return sorted(root.rglob("*.pickle"))


def _languages(rules_dir: Path):
    import coopfacts.rulebook.book as book

    rb = book.Rulebook([rules_dir])
    return rb.language("fr"), rb.language("ar")


def test_a_cache_entry_of_another_language_is_not_used(tmp_path: Path, rules_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COOPFACTS_NO_CACHE", raising=False)
    fr, ar = _languages(rules_dir)
    compiled = sorted((tmp_path / "cache" / "coopfacts" / "compiled").glob("*.pickle"), key=lambda p: p.stat().st_mtime)
    assert len(compiled) == 2
    fr_entry, ar_entry = compiled
    ar_entry.write_bytes(fr_entry.read_bytes())  # French rules under the Arabic key
    fr2, ar2 = _languages(rules_dir)
    assert ar2.code == "ar" and fr2.code == "fr"


@pytest.mark.parametrize("flips", [1, 2, 3])
def test_a_damaged_cache_entry_is_rebuilt_not_unpickled(tmp_path: Path, rules_dir: Path, flips: int) -> None:
    """Damaged entries once crashed every later run (exit 139) or made it loop: in a subprocess."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("COOPFACTS_NO_CACHE", None)
    src = article(tmp_path)
    args = ("extract", str(src), "--rules", str(rules_dir), "-q")
    first = coopfacts(*args, env=env)
    assert first.returncode == 0, first.stderr
    entries = _cache_entries(tmp_path / "cache")
    assert entries
    for entry in entries:
        data = bytearray(entry.read_bytes())
        for k in range(flips):
            at = len(data) // 2 + 97 * k
            data[at] ^= 0xFF
        entry.write_bytes(bytes(data))
    for _ in range(2):  # rebuilt once, then read back
        again = coopfacts(*args, env=env)
        assert again.returncode == 0, again.stderr
        assert again.stdout == first.stdout


def test_sealed_entries_refuse_other_keys_and_versions() -> None:
    from coopfacts.rulebook import sealed

    data = sealed.seal("k1", {"a": 1})
    assert sealed.unseal(data, "k1") == {"a": 1}
    assert sealed.unseal(data, "k2") is None
    other_format = data.replace(f'"format": {sealed.FORMAT}'.encode(), b'"format": 9')
    assert other_format != data and sealed.unseal(other_format, "k1") is None
    assert sealed.unseal(data[:-1], "k1") is None
    assert sealed.unseal(b"\x80\x05junk", "k1") is None  # an old unsealed pickle: rebuilt


# --- 14. a key given twice in a rule file ---------------------------------------------------------------

def test_duplicate_yaml_key_is_an_error_with_file_and_line(cli, tmp_path: Path, rules_dir: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (rules_dir / "fr.yaml").read_text(encoding="utf-8")
    (rules / "fr.yaml").write_text(text + "units: []\n", encoding="utf-8")  # would drop every unit
    line = len((text + "units: []\n").splitlines())
    first = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("units:"))
    src = article(tmp_path)
    res = cli("extract", str(src), "--rules", str(rules), "--lang", "fr", rules=False)
    ok(res, 2)
    assert res.stderr.strip() == (f"{rules / 'fr.yaml'}:{line}:1: duplicate key 'units' (first at line {first}); "
                                  "the second would replace the first: merge them")


def test_duplicate_key_in_a_nested_mapping_on_one_line(tmp_path: Path) -> None:
    from coopfacts.rulebook.shapes import RuleError, load_yaml

    p = tmp_path / "x.yaml"
    p.write_text("language: fr\nnumbers: {words: {3: [trois], 3: [trio]}}\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_yaml(p)
    assert (info.value.line, "duplicate key 3") == (2, info.value.message[:15])


# --- 15. CSV cells that a spreadsheet would run ---------------------------------------------------------------

def test_csv_neutralises_formulas_in_ids_and_names(cli, tmp_path: Path) -> None:
    import csv
    import io

    corpus = tmp_path / "c.jsonl"
    ids = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "plain", "-12.5"]
    corpus.write_text("".join(json.dumps({"id": i, "text": FR}) + "\n" for i in ids), encoding="utf-8")
    res = cli("extract", str(corpus), "-f", "csv", "-q")
    ok(res, 0)
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    docs = list(dict.fromkeys(r["doc"] for r in rows))
    assert docs == ["'" + i for i in ids[:5]] + ["plain", "-12.5"]
    assert {r["value"] for r in rows} == {"1500", "54"}  # numbers untouched
    raw = cli("extract", str(corpus), "-f", "csv", "--csv-raw", "-q")
    ok(raw, 0)
    assert list(dict.fromkeys(r["doc"] for r in csv.DictReader(io.StringIO(raw.stdout)))) == ids
    ok(cli("extract", str(corpus), "--csv-raw", "-q"), 2)  # not CSV: a usage error


def test_csv_neutralises_a_file_name(cli, tmp_path: Path, monkeypatch) -> None:
    import csv
    import io

    (tmp_path / "=cmd.txt").write_text(FR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = cli("numbers", "=cmd.txt", "-f", "csv", "-q")
    ok(res, 0)
    assert {r["doc"] for r in csv.DictReader(io.StringIO(res.stdout))} == {"'=cmd.txt"}


# --- 13. one clear line, the documented exit status -------------------------------------------------------

def test_schema_to_a_full_disk_is_one_line(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        res = subprocess.run([sys.executable, "-m", "coopfacts", "schema"], stdout=full, stderr=subprocess.PIPE,
                             timeout=60)
    assert res.returncode == 1
    assert res.stderr.decode() == "coopfacts: cannot write the output: no space left on device\n"


def test_closed_standard_output_is_one_line(tmp_path: Path) -> None:
    src = article(tmp_path)
    res = subprocess.run(f"{sys.executable} -m coopfacts extract {src} -q >&-", shell=True, capture_output=True,
                         timeout=60)
    assert res.returncode == 1
    assert res.stderr.decode() == "coopfacts: cannot write the output: standard output is closed\n"
    out = tmp_path / "o.jsonl"
    res = subprocess.run(f"{sys.executable} -m coopfacts extract {src} -q -o {out} >&-", shell=True,
                         capture_output=True, timeout=60)
    assert res.returncode == 0 and len(jsonl(out.read_text(encoding="utf-8"))) == 2


def test_huge_jobs_is_a_usage_error(cli, tmp_path: Path) -> None:
    res = cli("extract", str(article(tmp_path)), "--jobs", "99999999999")
    ok(res, 2)
    assert res.stderr == "coopfacts: --jobs: expected 0 (all cores) to 1024, got 99999999999\n"


def test_reference_date_at_the_calendar_start_keeps_the_document() -> None:
    from coopfacts.engine import load

    engine = load(None)
    claims = engine.extract("Hier, 54% du total, selon le rapport.", "fr", reference_date="0001-01-01")
    assert [c.text for c in claims] == ["54%"]  # "hier" cannot be dated before year 1: no date, no failure


def test_lone_surrogate_in_an_id_is_escaped(cli, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "x\\ud800", "text": "' + FR.strip() + '"}\n', encoding="utf-8")
    res = cli("extract", str(corpus), "-q")
    ok(res, 0)
    assert {r["doc"] for r in jsonl(res.stdout)} == {"x\\ud800"}


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["سهم زنان ۵۴% بود و بیش از ۲۹۰۰ صندوق.\n",
                                  "ارتفعت نسبة التعاونيات 54% خلال العام، وبلغ عددها 1,200.\n", FR])
def test_utf16_without_bom_gets_the_encoding_hint(cli, tmp_path: Path, enc: str, text: str) -> None:
    p = tmp_path / "wide.txt"
    p.write_bytes(text.encode(enc))
    res = cli("extract", str(p))
    ok(res, 1)
    assert res.stderr.strip().endswith(f"try --encoding {enc}")
    again = cli("extract", str(p), "--encoding", enc, "-q")
    ok(again, 0)
    assert "54" in again.stdout


def test_random_bytes_get_no_utf16_hint() -> None:
    import random

    from coopfacts.io import binary_reason

    rnd = random.Random(19)
    for _ in range(50):
        data = bytes(rnd.randrange(256) for _ in range(4096))
        assert "utf-16" not in (binary_reason(data) or "")


def test_rule_error_met_mid_run_stops_the_run_and_keeps_the_output(cli, tmp_path: Path, rules_dir: Path) -> None:
    """In auto-language mode a language is compiled when a document first needs it."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for f in rules_dir.iterdir():
        (rules / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with (rules / "ar.yaml").open("a", encoding="utf-8") as fh:
        fh.write("patterns:\n  - id: broken\n    kind: count\n    match: '(unclosed'\n")
    fr1, fr2 = article(tmp_path, "1.txt"), article(tmp_path, "3.txt")
    ar = tmp_path / "2.txt"
    ar.write_text("ارتفعت نسبة التعاونيات 54% خلال العام، وبلغ عددها 1,200.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    for jobs in ("1", "2"):
        res = cli("extract", str(fr1), str(ar), str(fr2), str(ar), "--rules", str(rules), "-o", str(out), "-q",
                  "-j", jobs, rules=False)
        ok(res, 2)
        lines = res.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{rules / 'ar.yaml'}:"), lines
        assert "broken" in lines[0]
        assert out.read_text(encoding="utf-8") == "previous\n"


@pytest.mark.parametrize("match, why", [
    ("(?:(?:(?:a{1000}){1000}){1000})", "counted repeats nested in one another come to"),
    ("(" * 2000 + "a" + ")" * 2000, "groups nested more than"),
])
def test_oversized_patterns_are_refused_with_their_file(cli, tmp_path: Path, rules_dir: Path, match: str,
                                                         why: str) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (rules_dir / "fr.yaml").read_text(encoding="utf-8")
    (rules / "fr.yaml").write_text(text + f"patterns:\n  - id: huge\n    kind: count\n    match: '{match}'\n",
                                   encoding="utf-8")
    res = cli("extract", str(article(tmp_path)), "--rules", str(rules), "--lang", "fr", rules=False)
    ok(res, 2)
    assert res.stderr.startswith(f"{rules / 'fr.yaml'}:") and why in res.stderr and len(res.stderr.splitlines()) == 1


# --- 5. figures no float can hold make no claim, never another number ------------------------------------

@pytest.mark.parametrize("lang, text", [
    ("fr", "Le budget atteint 1e309 euros selon le rapport."),
    ("fr", "Le total atteint 12345678901234567 euros."),
    ("fa", "بودجه " + "۹" * 400 + " هزار میلیارد تومان است."),
    ("ar", "بلغت الميزانية " + "9" * 400 + " مليار دولار."),
])
def test_unrepresentable_figures_are_refused(lang: str, text: str) -> None:
    import coopfacts

    claims = [c.to_dict() for c in coopfacts.extract(text, lang)]
    assert claims == [], claims  # no 309 euros, no 1e12 toman, no 12345678901234568
    nums = [n.to_dict() for n in coopfacts.numbers(text, lang)]
    assert nums == [], nums


def test_large_exact_figures_still_read() -> None:
    import coopfacts

    got = [(c.text, c.value) for c in coopfacts.extract("Le total atteint 9007199254740992 euros et 1e300 euros.", "fr")]
    assert ("9007199254740992 euros", 9007199254740992) in got


# --- 9 and 13. eval's files: no device, no FIFO, an unknown language named with its line -------------------

def test_eval_refuses_devices_and_fifos(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "lang": "fr", "text": FR, "claims": []}) + "\n", encoding="utf-8")
    res = coopfacts("eval", str(gold), "--pred", "/dev/zero", timeout=60)
    assert res.returncode == 2
    assert res.stderr.decode() == ("coopfacts: cannot read predictions file /dev/zero: a character device, "
                                   "not a regular file: only files are read (pipe into - instead)\n")
    fifo = tmp_path / "g.jsonl"
    os.mkfifo(fifo)
    res = coopfacts("eval", str(fifo), timeout=60)
    assert res.returncode == 2 and "a named pipe (FIFO)" in res.stderr.decode()


def test_eval_gold_with_an_unknown_language_is_named(cli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "g1", "lang": "fr", "text": FR, "claims": []}, {"id": "g2", "lang": "xx", "text": FR, "claims": []}]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = cli("eval", str(gold))
    ok(res, 2)
    from coopfacts.rulebook import get_rulebook

    known = ", ".join(get_rulebook().languages)
    assert res.stderr == f"coopfacts: gold {gold}, line 2: unknown language 'xx'; rule files exist for: {known}\n"


# --- 14. duplicate ids in a corpus are said ------------------------------------------------------------------

def test_duplicate_ids_in_a_corpus_are_said(cli, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    ids = ["a", "b", "a", "c"] + ["d"] * 13
    corpus.write_text("".join(json.dumps({"id": i, "text": FR}) + "\n" for i in ids), encoding="utf-8")
    res = cli("extract", str(corpus), "-q")
    ok(res, 0)
    warnings = [line for line in res.stderr.splitlines() if "warning" in line]
    assert warnings[0] == (f"coopfacts: warning: {corpus}:3: duplicate id 'a' (first at line 1); "
                           "its claims carry the same doc as the first's")
    assert len(warnings) == 11 and warnings[-1] == f"coopfacts: warning: {corpus}: more duplicate ids; the others are not listed"
    assert len(jsonl(res.stdout)) == 2 * len(ids)  # every document still read


def _running_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if marker.encode() in fh.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to find left-over workers")


def _start_long_run(tmp_path: Path, name: str) -> tuple[Path, Path, subprocess.Popen]:
    """A corpus long enough to interrupt, and `extract -j 2 -o out.jsonl` started on it (out.jsonl
    holding "old" beforehand, to see that it is left as it was)."""
    corpus = tmp_path / name
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(30000):
            fh.write(json.dumps({"id": f"d{i}", "text": FR * 5}) + "\n")
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "coopfacts", "extract", str(corpus), "-j", "2", "-q", "-o", str(out)],
                            stderr=subprocess.PIPE)
    return corpus, out, proc


@pytest.mark.parametrize("sig, status", [("SIGINT", 130), ("SIGTERM", -15)])
def test_interrupting_a_run_with_jobs_ends_it_at_once(tmp_path: Path, sig: str, status: int) -> None:
    import signal
    import time

    corpus, out, proc = _start_long_run(tmp_path, f"stop-{sig}.jsonl")
    time.sleep(3)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(getattr(signal, sig))
    t0 = time.perf_counter()
    assert proc.wait(timeout=30) == status
    assert time.perf_counter() - t0 < 10
    proc.stderr.close()
    assert out.read_text(encoding="utf-8") == "old\n"
    time.sleep(0.5)
    assert _running_with(str(corpus)) == []  # no worker left behind
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


# --- 12. a large corpus record is read window by window ----------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_large_corpus_record_is_windowed_with_the_same_claims(cli, tmp_path: Path, monkeypatch, jobs: str) -> None:
    import coopfacts.io.stream as stream

    text = "".join(f"Selon le rapport {i}, plus de 1 500 emplois, soit 54% du total.\n\n" for i in range(400))
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "small", "text": FR}) + "\n" + json.dumps({"id": "big", "text": text}) + "\n",
                      encoding="utf-8")
    whole = jsonl(cli("extract", str(corpus), "-q", "-j", jobs).stdout)
    monkeypatch.setattr(stream, "STREAM_OVER", 2000)  # the record is "large" now
    from coopfacts.engine import Engine

    real = Engine.extract_pieces
    windowed_ids: list[str] = []

    def spy(self, pieces, lang, **kw):
        windowed_ids.append(kw.get("doc"))
        return real(self, pieces, lang, **kw)

    monkeypatch.setattr(Engine, "extract_pieces", spy)
    windowed_res = cli("extract", str(corpus), "-q", "-j", jobs)
    ok(windowed_res, 0)
    windowed = jsonl(windowed_res.stdout)
    assert windowed_ids == ["big"]  # read window by window, in this process
    assert len(whole) == 2 + 1200 and windowed == whole


# --- 10. the matching budget is one search's, not each attempt's ----------------------------------------------

@pytest.mark.parametrize("search", ["matches_at", "prefixed_finditer"])
def test_the_matching_budget_covers_every_attempt_of_a_search(search: str) -> None:
    """Once the prefix search is calibrated a pattern is tried at each of its starts: each try
    once had the whole budget (28 tries of 0.13 s each under 0.3 s: 3.8 s, unreported)."""
    import time

    import regex

    from coopfacts.rulebook import prefixes

    rx = regex.compile("(?:a|aa)+b")
    text = "".join("x" + "a" * 28 + " " for _ in range(28))
    t0 = time.perf_counter()
    with pytest.raises(TimeoutError):
        if search == "matches_at":
            starts = [m.start() + 1 for m in regex.finditer("x", text)]
            list(prefixes.matches_at(rx, starts, text, timeout=0.3))
        else:
            list(prefixes.prefixed_finditer(rx, "a", "a", text.replace("x", " "), None, timeout=0.3))
    assert time.perf_counter() - t0 < 1.5


def test_claims_file_inside_the_input_directory_may_be_replaced(cli, tmp_path: Path) -> None:
    article(tmp_path, "a.txt")
    out = tmp_path / "claims.jsonl"
    for _ in range(2):  # the second run finds the first's output there: not an input of a text run
        ok(cli("extract", str(tmp_path), "-o", str(out), "-q"), 0)
    assert len(jsonl(out.read_text(encoding="utf-8"))) == 2


def test_eval_output_that_is_its_gold_file_is_refused(cli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "lang": "fr", "text": FR, "claims": []}) + "\n", encoding="utf-8")
    before = gold.read_text(encoding="utf-8")
    res = cli("eval", str(gold), "-o", str(gold))
    ok(res, 2)
    assert gold.read_text(encoding="utf-8") == before


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the workers in /proc")
def test_a_worker_that_dies_ends_the_run_in_one_line(tmp_path: Path) -> None:
    import signal
    import time

    corpus, out, proc = _start_long_run(tmp_path, "crash.jsonl")
    workers: list[int] = []
    for _ in range(100):  # the workers are the run's children
        time.sleep(0.1)
        try:
            with open(f"/proc/{proc.pid}/task/{proc.pid}/children", encoding="ascii") as fh:
                workers = [int(w) for w in fh.read().split()]
        except OSError:
            break
        if workers:
            break
    if not workers:
        proc.kill()
        pytest.skip("no worker process seen")
    time.sleep(1)
    os.kill(workers[0], signal.SIGKILL)
    assert proc.wait(timeout=30) == 1
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert err == "coopfacts: a worker process died (killed, or out of memory?); the run stopped (-o FILE is left as it was)\n"
    assert out.read_text(encoding="utf-8") == "old\n"


def test_the_engines_own_regexes_are_compiled_once_per_machine(tmp_path: Path) -> None:
    """The regexes the engine's modules write are compiled by the first run and read back by the
    next from the cache (nothing compiled anew); a damaged entry is compiled again, not unpickled."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("COOPFACTS_NO_CACHE", None)
    probe = ("import coopfacts, coopfacts.rulebook.cache as c\n"
             "coopfacts.extract('Le prix a augmenté de 5 % en 2024.')\n"
             "print(c._FIXED_CHANGED[0], len(c._FIXED))")

    def run() -> list[str]:
        out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    changed, count = run()
    assert changed == "True" and int(count) > 20
    entries = list((tmp_path / "cache" / "coopfacts" / "compiled").glob("engine-regexes-*.pickle"))
    assert len(entries) == 1
    assert run() == ["False", count]  # read back: nothing compiled, nothing written
    data = bytearray(entries[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    entries[0].write_bytes(bytes(data))
    assert run() == ["True", count]  # refused, compiled again
    assert run() == ["False", count]
