"""Corpus mode throughput: ``coopfacts extract corpus.jsonl`` with one process and with all cores.

    python benchmarks/corpus.py [--mb 20] [--jobs 1,N] [DIR ...]

Builds a JSON Lines corpus of about ``--mb`` MB from ``samples/*.txt`` and ``tests/dev/*.txt``
(and the .txt files of any DIR given), repeated, then times ``python -m coopfacts extract`` on it
for each job count (default: 1 and os.cpu_count()), checks that the outputs are identical, and
prints MB/s and documents/s (start-up included: it is a whole run).
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(path: str, mb: float, dirs: list[str]) -> tuple[int, int]:
    files = sorted(glob.glob(os.path.join(ROOT, "samples", "*.txt")) + glob.glob(os.path.join(ROOT, "tests", "dev", "*.txt")))
    for d in dirs:
        files += sorted(glob.glob(os.path.join(d, "**", "*.txt"), recursive=True))
    texts = [(os.path.basename(f), open(f, encoding="utf-8").read()) for f in files]
    size = n = 0
    with open(path, "w", encoding="utf-8") as out:
        while size < mb * 1e6:
            for name, text in texts:
                line = json.dumps({"id": f"{n}-{name}", "text": text}, ensure_ascii=False) + "\n"
                out.write(line)
                size += len(line.encode("utf-8"))
                n += 1
    return n, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--jobs", default=f"1,{os.cpu_count() or 1}")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.jsonl")
        docs, size = build(corpus, args.mb, args.dirs)
        print(f"corpus: {docs} documents, {size / 1e6:.1f} MB; os.cpu_count() = {os.cpu_count()}")
        digests = set()
        for jobs in dict.fromkeys(int(j) for j in args.jobs.split(",")):
            out = os.path.join(tmp, f"out{jobs}.jsonl")
            t = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "coopfacts", "extract", corpus, "--jobs", str(jobs), "-q",
                                "-o", out], capture_output=True, text=True)
            secs = time.perf_counter() - t
            if p.returncode != 0:
                sys.exit(f"--jobs {jobs}: exit {p.returncode}: {p.stderr.strip()}")
            with open(out, "rb") as fh:
                digests.add(hashlib.sha256(fh.read()).hexdigest())
            print(f"--jobs {jobs}: {secs:.1f} s, {size / 1e6 / secs:.2f} MB/s, {docs / secs:.0f} documents/s")
        print("outputs identical" if len(digests) == 1 else "OUTPUTS DIFFER")


if __name__ == "__main__":
    main()
