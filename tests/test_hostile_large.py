"""Very large inputs, at their real sizes: a 300 MB file and a 10 MB line without a newline.

Opt-in (they take minutes): ``COOPFACTS_HUGE=1 python -m pytest tests/test_hostile_large.py -s``.
``COOPFACTS_HUGE_MB`` changes the size of the large file (default 300).  The files are
built in a temporary directory and removed afterwards.

The large file is read window by window (``io.StreamedDocument``): the test checks that every
claim's offsets point into the whole decoded file, that no claim is lost or doubled at a
window's edge, and that the peak memory of the process (``ru_maxrss``) stays far below the
file's size.  CI runs the same code paths on small files with small windows
(``test_hostile_inputs.py``).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

HUGE = os.environ.get("COOPFACTS_HUGE") == "1"
MB = int(os.environ.get("COOPFACTS_HUGE_MB", "300"))
pytestmark = pytest.mark.skipif(not HUGE, reason="opt-in: COOPFACTS_HUGE=1 (builds a 300 MB file, takes minutes)")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FILLER_AR = ("وتواصل التعاونيات الفلاحية في الجهة تنظيم دورات تكوينية لفائدة أعضائها حول تقنيات الري "
             "والتسويق والتدبير المالي، في إطار برنامج يهدف إلى تحسين دخل الأسر القروية وتعزيز "
             "حضور المنتجات المحلية في الأسواق الوطنية. ")


def _peak_rss_of(cmd: list[str], **kw) -> tuple[subprocess.CompletedProcess, int, float]:
    """Run ``cmd`` from a fresh Python whose only child it is: (result, peak RSS in KiB, seconds)."""
    wrapper = ("import json, resource, subprocess, sys, time\n"
               "t0 = time.perf_counter()\n"
               "p = subprocess.run(json.loads(sys.argv[1]), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
               "dt = time.perf_counter() - t0\n"
               "sys.stderr.buffer.write(p.stderr)\n"
               "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, dt)\n")
    p = subprocess.run([sys.executable, "-c", wrapper, json.dumps(cmd)], capture_output=True, **kw)
    code, rss, dt = p.stdout.decode().split()
    p.returncode = int(code)
    return p, int(rss), float(dt)


def test_300_mb_file_in_windows(tmp_path: Path) -> None:
    article = (SAMPLES / "ar-1.txt").read_text(encoding="utf-8").strip()
    unit = article + "\n\n" + "\n\n".join([FILLER_AR * 6] * 4) + "\n\n"
    n_units = MB * 1_000_000 // len(unit.encode())
    big = tmp_path / "dump.txt"
    with open(big, "w", encoding="utf-8") as fh:
        for _ in range(n_units):
            fh.write(unit)
    size = big.stat().st_size
    out = tmp_path / "claims.jsonl"
    p, rss_kib, seconds = _peak_rss_of([sys.executable, "-m", "coopfacts", "extract", str(big), "--lang", "ar",
                                        "-q", "-o", str(out)])
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    assert b"Traceback" not in p.stderr
    print(f"\n300 MB test: {size / 1e6:.0f} MB, {n_units} units, {seconds:.0f} s, peak RSS {rss_kib / 1024:.0f} MiB")

    # every claim points into the whole decoded file
    text = big.read_text(encoding="utf-8")
    from coopfacts import extract

    per_unit = [c.to_dict() for c in extract(unit, "ar", doc=str(big))]
    n = 0
    prev_end = 0
    with open(out, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            assert text[r["start"]:r["end"]] == r["text"], r
            assert r["start"] >= prev_end  # in order, never overlapping, never twice
            prev_end = r["end"]
            # the claim is the one the unit gives at the same place in the unit
            k, off = divmod(r["start"], len(unit))
            want = per_unit[[c["start"] for c in per_unit].index(off)] if off in [c["start"] for c in per_unit] \
                else None
            assert want is not None, r
            assert (r["text"], r["kind"], r["value"], r["end"] - r["start"]) == \
                (want["text"], want["kind"], want["value"], want["end"] - want["start"]), (r, want)
            n += 1
    assert n == n_units * len(per_unit)
    # memory: one window's worth, not the file's (the interpreter, the rules and a window: < 256 MiB)
    assert rss_kib < 256 * 1024, f"peak RSS {rss_kib} KiB for a {size} byte file"


def test_10_mb_line_through_the_engine(tmp_path: Path) -> None:
    """One line of 10 MB: the windows end at sentence ends and spaces; the claims are those of
    the line read whole."""
    from coopfacts import extract

    article = (SAMPLES / "fr-1.txt").read_text(encoding="utf-8").replace("\n", " ") + " "
    line = (article * (10_000_000 // len(article.encode()) + 1))
    line = line[:len(line) - (len(line.encode()) - 10_000_000)] if len(line.encode()) > 10_000_000 else line
    f = tmp_path / "line.txt"
    f.write_text(line, encoding="utf-8")
    assert "\n" not in line and f.stat().st_size >= 9_900_000
    out = tmp_path / "line.jsonl"
    p, rss_kib, seconds = _peak_rss_of([sys.executable, "-m", "coopfacts", "extract", str(f), "--lang", "fr",
                                        "-q", "-o", str(out)])
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    print(f"\n10 MB line: {seconds:.0f} s, peak RSS {rss_kib / 1024:.0f} MiB")
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    t0 = time.perf_counter()
    whole = [json.loads(json.dumps(c.to_dict(), ensure_ascii=False)) for c in extract(line, "fr", doc=str(f))]
    print(f"whole line in process: {time.perf_counter() - t0:.0f} s")
    for r in got:
        assert line[r["start"]:r["end"]] == r["text"]
    assert len(got) == len(whole)
    assert got == whole
