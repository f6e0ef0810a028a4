#!/usr/bin/env python3
"""coopfacts benchmark: throughput, cold start, memory and growth.

    python benchmarks/bench.py [--dirs DIR ...] [--jsonl FILE ...] [--sizes 1,10,100] [--runs 15]
                               [--e2e-only] [--e2e-chars N] [--against OLD/src] [-o result.json]

The corpus is built from the project's own articles (samples/ and tests/dev/, plus any
directory given, and the records of any JSONL file given: `lang` and `text` fields),
repeated per language up to the sizes asked for (in MB of UTF-8 text). Our own articles are
written to be dense in figures (about one claim every 50 characters); news runs nearer one
every 150-200, and throughput depends on it: the table gives characters per claim.
Reported, per language and overall:
  - characters/s and MB/s of `extract` in one process, after start-up (rules compiled);
  - cold start of `coopfacts --help`, of `coopfacts extract tiny.txt` and of `coopfacts extract`
    of one of our articles per language (median of --runs), and their ratio to `python -c
    "import typer"` measured in the same run;
  - how time grows with size, and the peak memory (RSS), of `coopfacts extract FILE --format
    jsonl` on one file of each size (end to end: start-up, reading, writing the claims);
  - end to end through the command line, per language, `coopfacts extract --format jsonl --jobs 1
    -o FILE DIR` on a directory of articles one file each (--e2e-chars per language and corpus):
    sparse news (the shared seeds), mixed real news (the seeds and the shared dev-real articles)
    and dense articles (ours), with µs per claim and peak RSS; the shared texts are read from
    ../shared when it is there, never copied; --against SRC runs another revision's src/ in turn
    with this one (the before of a before/after table); --e2e-only skips the rest but cold start.
Not part of the test suite: machines are noisy, so the figures are measured, not asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("ar", "fa", "fr")


def corpus_texts(dirs: list[Path], jsonl: list[Path] | None = None) -> dict[str, str]:
    """All .txt articles per language (by the file name's prefix), and the records of JSONL
    files (their `lang` field), joined by blank lines."""
    by_lang: dict[str, list[str]] = {k: [] for k in LANGS}
    for f in jsonl or []:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if rec.get("lang") in by_lang and isinstance(rec.get("text"), str):
                        by_lang[rec["lang"]].append(rec["text"])
    for d in dirs:
        for p in sorted(d.rglob("*.txt")):
            stem = p.name.split("-")
            lang = next((part for part in stem if part in LANGS), None)
            if lang:
                by_lang[lang].append(p.read_text(encoding="utf-8"))
    return {k: "\n\n".join(v) for k, v in by_lang.items() if v}


def grow(text: str, n_chars: int) -> str:
    reps = max(1, n_chars // max(1, len(text)) + 1)
    return ("\n\n".join([text] * reps))[:n_chars]


def throughput(texts: dict[str, str], target_chars: int) -> dict:
    from coopfacts import extract

    out = {}
    total_chars = total_time = 0.0
    for lang, text in texts.items():
        t = grow(text, target_chars)
        extract(t[:2000], lang)  # compile the rules first: start-up is measured apart
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            n = len(extract(t, lang))
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        mb = len(t.encode("utf-8")) / 1e6
        out[lang] = {"chars": len(t), "seconds": round(best, 4), "chars_per_s": round(len(t) / best),
                     "mb_per_s": round(mb / best, 3), "claims": n, "chars_per_claim": round(len(t) / max(1, n))}
        total_chars += len(t)
        total_time += best
    out["overall"] = {"chars": int(total_chars), "seconds": round(total_time, 4),
                      "chars_per_s": round(total_chars / total_time)}
    return out


def timed(cmd: list[str], runs: int, env: dict | None = None) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cold_start(runs: int, tmp: Path, against: Path | None = None) -> dict:
    """Start-up as a user meets it: the package's bytecode compiled (pip does that when it
    installs a wheel; an editable install under PYTHONDONTWRITEBYTECODE=1 never has it) and
    the rule cache warm after one run. A run without the cache (COOPFACTS_NO_CACHE=1:
    rule files parsed and patterns compiled each time) is reported too."""
    import compileall

    import coopfacts

    compileall.compile_dir(str(Path(coopfacts.__file__).parent), quiet=1)
    tiny = tmp / "tiny.txt"
    tiny.write_text("Le chômage est en hausse de 3,1 % en 2023.\n", encoding="utf-8")
    py = sys.executable
    extract_cmd = [py, "-m", "coopfacts", "extract", str(tiny), "-q", "--format", "jsonl"]
    subprocess.run(extract_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    # in pairs (each command right after `import typer`), so that a busy spell of the machine
    # weighs on both sides of a ratio
    b, h, e, n, bh, be = [], [], [], [], [], []
    old_env = None
    if against is not None:
        compileall.compile_dir(str(against / "coopfacts"), quiet=1)
        old_env = {**os.environ, "PYTHONPATH": str(against)}
        subprocess.run(extract_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=old_env)
    # and one article of ours per language, as a user reads one story: a text of a few thousand
    # characters takes the paths a tiny one does not (the automaton, built at the first long text)
    articles = {lang: [py, "-m", "coopfacts", "extract", str(path), "-q", "--format", "jsonl"]
                for lang, path in _one_article_each().items()}
    # where a cold `extract` goes: typer, then the modules the command imports, then a language
    # loaded from the rule cache (each a process of its own, as a ratio to typer alone); and,
    # apart, typer with `regex` alone and with the rule layer alone loading a language (its own
    # modules and the cached rules, no engine nor command): what any run that reads compiled
    # rules pays before it does anything
    stages = {
        "import_regex": [py, "-c", "import typer, regex"],
        "rules_alone": [py, "-c", "import typer\nfrom coopfacts.rulebook import get_rulebook\n"
                                  "get_rulebook().language('fr')"],
        "import_modules": [py, "-c", "import typer, coopfacts.cli.extract, coopfacts.engine, coopfacts.run, "
                                     "coopfacts.io, coopfacts.outputs.writers"],
        "load_language": [py, "-c", "import typer, coopfacts.cli.extract, coopfacts.engine, coopfacts.run, "
                                    "coopfacts.io, coopfacts.outputs.writers\n"
                                    "from coopfacts.rulebook import get_rulebook\nget_rulebook().language('fr')"],
    }
    st: dict[str, list[float]] = {k: [] for k in stages}
    a: dict[str, list[float]] = {lang: [] for lang in articles}
    ba: dict[str, list[float]] = {lang: [] for lang in articles}
    for _ in range(runs):
        b.append(timed([py, "-c", "import typer"], 1))
        h.append(timed([py, "-m", "coopfacts", "--help"], 1))
        e.append(timed(extract_cmd, 1))
        n.append(timed(extract_cmd, 1, env={**os.environ, "COOPFACTS_NO_CACHE": "1"}))
        for lang, cmd in articles.items():
            a[lang].append(timed(cmd, 1))
        for k, cmd in stages.items():
            st[k].append(timed(cmd, 1))
        if old_env is not None:
            bh.append(timed([py, "-m", "coopfacts", "--help"], 1, env=old_env))
            be.append(timed(extract_cmd, 1, env=old_env))
            for lang, cmd in articles.items():
                ba[lang].append(timed(cmd, 1, env=old_env))
    base, helps, ext, nocache = (statistics.median(x) for x in (b, h, e, n))
    before = {}
    if old_env is not None:
        before = {"before_help_ratio": round(statistics.median(bh) / base, 2),
                  "before_extract_ratio": round(statistics.median(be) / base, 2),
                  **{f"before_extract_article_{lang}_ratio": round(statistics.median(v) / base, 2)
                     for lang, v in ba.items()}}
    per_article = {f"{k}_ratio": round(statistics.median(v) / base, 2) for k, v in st.items()}
    for lang, v in a.items():
        per_article[f"extract_article_{lang}_s"] = round(statistics.median(v), 4)
        per_article[f"extract_article_{lang}_ratio"] = round(statistics.median(v) / base, 2)
    return {"import_typer_s": round(base, 4), "help_s": round(helps, 4), "extract_tiny_s": round(ext, 4),
            "extract_tiny_no_cache_s": round(nocache, 4),
            "help_ratio": round(helps / base, 2), "extract_ratio": round(ext / base, 2),
            "extract_no_cache_ratio": round(nocache / base, 2), **per_article, **before}


def _one_article_each() -> dict[str, Path]:
    """The first of our sample articles in each language (samples/, a few thousand characters)."""
    out = {}
    for lang in LANGS:
        found = sorted((ROOT / "samples").glob(f"*{lang}-*.txt"))
        if found:
            out[lang] = found[0]
    return out


# one size, end to end as a user runs it: `coopfacts extract FILE --format jsonl` (a file over
# 4 MiB is read and written window by window), its claims counted from the output
_CHILD = r"""
import resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
n = 0
while True:
    chunk = proc.stdout.read(1 << 20)
    if not chunk:
        break
    n += chunk.count(b"\n")
proc.wait()
dt = time.perf_counter() - t0
print(dt, n, proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def growth(texts: dict[str, str], sizes_mb: list[float], tmp: Path) -> list[dict]:
    """Time and peak RSS of `coopfacts extract FILE --format jsonl` per size (in the language
    with the most text), to see that time grows linearly and memory does not grow."""
    lang = max(texts, key=lambda k: len(texts[k]))
    rows = []
    for mb in sizes_mb:
        n_bytes = int(mb * 1e6)
        text = grow(texts[lang], n_bytes)
        while len(text.encode("utf-8")) > n_bytes:  # Arabic script takes two bytes a character
            text = text[: int(len(text) * 0.9)]
        p = tmp / f"grow-{mb}.txt"
        p.write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "coopfacts", "extract", str(p), "--lang", lang, "--format", "jsonl", "-q"]
        res = subprocess.run([sys.executable, "-c", _CHILD, *cmd], capture_output=True, text=True, check=True)
        dt, n, rc, rss = res.stdout.split()
        rows.append({"mb": mb, "lang": lang, "chars": len(text), "seconds": round(float(dt), 3),
                     "claims": int(n), "exit": int(rc), "peak_rss_mb": round(int(rss) / 1024, 1),
                     "chars_per_s": round(len(text) / float(dt))})
        p.unlink()
    return rows


SHARED = ROOT.parent / "shared"


def e2e_corpora() -> dict[str, dict[str, list[str]]]:
    """The texts of the end-to-end table, per corpus and language: (a) sparse news, the shared
    seeds (about one claim per 170 characters); (b) dense articles, our own samples/ and tests/dev/
    (about one per 50); (c) mixed real news, the seeds and the shared dev-real articles (news
    never tuned on).  The shared texts are read from ../shared when it is there, never copied
    into the project; without it, only (b) is measured."""
    def jsonl(f: Path) -> dict[str, list[str]]:
        by: dict[str, list[str]] = {k: [] for k in LANGS}
        if f.is_file():
            for line in f.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line) if line.strip() else {}
                if rec.get("lang") in by and isinstance(rec.get("text"), str):
                    by[rec["lang"]].append(rec["text"])
        return by

    dense: dict[str, list[str]] = {k: [] for k in LANGS}
    for d in (ROOT / "samples", ROOT / "tests" / "dev"):
        for p in sorted(d.glob("*.txt")):
            lang = next((part for part in p.name.split("-") if part in LANGS), None)
            if lang:
                dense[lang].append(p.read_text(encoding="utf-8"))
    seeds, real = jsonl(SHARED / "gold" / "seeds.jsonl"), jsonl(SHARED / "gold" / "dev-real.jsonl")
    out = {"dense articles (samples/, tests/dev/)": dense}
    if any(seeds.values()):
        out["sparse news (../shared seeds)"] = seeds
        out["mixed real news (../shared seeds + dev-real)"] = {k: seeds[k] + real[k] for k in LANGS}
    return {name: {k: v for k, v in by.items() if v} for name, by in out.items()}


def _e2e_child(cmd: list[str], src: Path | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one command, measured in a child so that the peak is its own
    (``src``: the coopfacts source tree to run instead of the installed one)."""
    env = None if src is None else {**os.environ, "PYTHONPATH": str(src)}
    res = subprocess.run([sys.executable, "-c", _CHILD, *cmd], capture_output=True, text=True, check=True, env=env)
    dt, _n, rc, rss = res.stdout.split()
    if int(rc) != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed (exit {rc})")
    return float(dt), int(rss)


def end_to_end(corpora: dict[str, dict[str, list[str]]], target_chars: int, runs: int, tmp: Path,
               against: Path | None = None) -> list[dict]:
    """Characters per second through the command line, as a user runs it on a directory:
    `coopfacts extract --format jsonl --jobs 1 -o FILE DIR` (start-up, language detection,
    reading, writing included; best of ``runs``).  Each language's documents are written one
    file each, repeated until the directory holds ``target_chars`` characters.  ``against``:
    another revision's source tree (its src/), run in turn with this one on the same files, so
    that a busy spell of the machine weighs on both (its figures under ``before_``)."""
    rows = []
    for name, by_lang in corpora.items():
        for lang, docs in by_lang.items():
            d = tmp / f"e2e-{len(rows)}"
            d.mkdir()
            n_chars = i = 0
            while n_chars < target_chars:
                text = docs[i % len(docs)]
                (d / f"{lang}-{i:05d}.txt").write_text(text, encoding="utf-8")
                n_chars += len(text)
                i += 1
            out = tmp / f"e2e-{len(rows)}.jsonl"
            cmd = [sys.executable, "-m", "coopfacts", "extract", "--format", "jsonl", "--jobs", "1", "-q",
                   "-o", str(out), str(d)]
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(_e2e_child(cmd))
                if against is not None:
                    theirs.append(_e2e_child(cmd, against))
            best, rss = min(ours)
            with open(out, encoding="utf-8") as fh:
                claims = sum(1 for _ in fh)
            row = {"corpus": name, "lang": lang, "files": i, "chars": n_chars, "seconds": round(best, 3),
                   "chars_per_s": round(n_chars / best), "claims": claims,
                   "chars_per_claim": round(n_chars / max(1, claims)),
                   "us_per_claim": round(best / max(1, claims) * 1e6, 1), "peak_rss_mb": round(rss / 1024, 1)}
            if theirs:
                b, b_rss = min(theirs)
                row.update({"before_seconds": round(b, 3), "before_chars_per_s": round(n_chars / b),
                            "before_peak_rss_mb": round(b_rss / 1024, 1)})
            rows.append(row)
            out.unlink()
            for f in d.iterdir():
                f.unlink()
            d.rmdir()
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dirs", nargs="*", default=[], help="more directories of .txt articles (ar-/fa-/fr- in the name)")
    ap.add_argument("--jsonl", nargs="*", default=[], help="JSONL files of records with `lang` and `text`")
    ap.add_argument("--only-given", action="store_true", help="leave out samples/ and tests/dev/")
    ap.add_argument("--chars", type=int, default=2_000_000, help="characters per language for throughput")
    ap.add_argument("--sizes", default="1,10,100", help="MB sizes for the growth test (comma-separated)")
    ap.add_argument("--runs", type=int, default=15, help="runs for each cold-start median")
    ap.add_argument("--e2e-chars", type=int, default=1_000_000,
                    help="characters per language and corpus for the end-to-end table (0: skip it)")
    ap.add_argument("--e2e-runs", type=int, default=3, help="runs of each end-to-end command (the best counts)")
    ap.add_argument("--e2e-only", action="store_true", help="only the end-to-end table and the cold start")
    ap.add_argument("--against", default=None, metavar="SRC",
                    help="another revision's src/ directory (git worktree add /tmp/old REV): its end-to-end "
                         "figures and cold start measured in turn with this one's")
    ap.add_argument("-o", "--output", default=None, help="write the JSON result here")
    args = ap.parse_args()

    dirs = [] if args.only_given else [ROOT / "samples", ROOT / "tests" / "dev"]
    dirs += [Path(d) for d in args.dirs]
    texts = corpus_texts(dirs, [Path(f) for f in args.jsonl])
    if not texts:
        ap.error("no text: give --dirs or --jsonl")
    result: dict = {"python": sys.version.split()[0], "cpu_count": os.cpu_count(),
                    "corpus": [str(d) for d in dirs] + list(args.jsonl)}
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        result["throughput"] = {} if args.e2e_only else throughput(texts, args.chars)
        result["cold_start"] = cold_start(args.runs, tmpd, Path(args.against).resolve() if args.against else None)
        if args.e2e_chars:
            against = Path(args.against).resolve() if args.against else None
            result["end_to_end"] = end_to_end(e2e_corpora(), args.e2e_chars, args.e2e_runs, tmpd, against)
            result["end_to_end_shared"] = SHARED.is_dir()
        sizes = [float(x) for x in args.sizes.split(",") if x.strip()]
        result["growth"] = growth(texts, sizes, tmpd) if sizes and not args.e2e_only else []
    result["peak_rss_mb_this_process"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print(f"{'language':10} {'chars':>10} {'chars/s':>12} {'MB/s':>8} {'claims':>8} {'chars/claim':>12}")
    for lang, row in result["throughput"].items():
        print(f"{lang:10} {row['chars']:>10} {row['chars_per_s']:>12,} {row.get('mb_per_s', ''):>8} "
              f"{row.get('claims', ''):>8} {row.get('chars_per_claim', ''):>12}")
    cs = result["cold_start"]
    print(f"\ncold start: import typer {cs['import_typer_s']}s · --help {cs['help_s']}s ({cs['help_ratio']}x) · "
          f"extract tiny {cs['extract_tiny_s']}s ({cs['extract_ratio']}x; "
          f"without the rule cache {cs['extract_tiny_no_cache_s']}s, {cs['extract_no_cache_ratio']}x)"
          + (f"; --against: --help {cs['before_help_ratio']}x, extract tiny {cs['before_extract_ratio']}x"
             if "before_extract_ratio" in cs else ""))
    if "load_language_ratio" in cs:
        print(f"  stages: typer and the command's modules {cs['import_modules_ratio']}x, "
              f"and a language loaded {cs['load_language_ratio']}x")
    if "rules_alone_ratio" in cs:
        print(f"  apart: typer and regex {cs['import_regex_ratio']}x; typer and the rule layer alone "
              f"loading a language {cs['rules_alone_ratio']}x")
    for lang in LANGS:
        if f"extract_article_{lang}_s" in cs:
            print(f"  extract one {lang} article {cs[f'extract_article_{lang}_s']}s "
                  f"({cs[f'extract_article_{lang}_ratio']}x"
                  + (f"; --against {cs[f'before_extract_article_{lang}_ratio']}x)"
                     if f"before_extract_article_{lang}_ratio" in cs else ")"))
    if result.get("end_to_end"):
        print("\nend to end: coopfacts extract --format jsonl --jobs 1 -o FILE DIR (best of "
              f"{args.e2e_runs}; start-up included" + ("; ../shared read, not copied)" if result["end_to_end_shared"]
                                                      else "; no ../shared: our articles only)"))
        print(f"{'corpus':46} {'lang':4} {'chars':>9} {'chars/s':>10} {'claims':>7} {'chars/claim':>11} "
              f"{'µs/claim':>9} {'peak RSS MB':>11}" + (f" {'before chars/s':>14}" if args.against else ""))
        for row in result["end_to_end"]:
            print(f"{row['corpus']:46} {row['lang']:4} {row['chars']:>9} {row['chars_per_s']:>10,} {row['claims']:>7} "
                  f"{row['chars_per_claim']:>11} {row['us_per_claim']:>9} {row['peak_rss_mb']:>11}"
                  + (f" {row['before_chars_per_s']:>14,}" if "before_chars_per_s" in row else ""))
    if result["growth"]:
        print(f"\n{'MB':>6} {'seconds':>9} {'chars/s':>12} {'claims':>9} {'peak RSS MB':>12}   (coopfacts extract FILE, end to end)")
        for row in result["growth"]:
            print(f"{row['mb']:>6} {row['seconds']:>9} {row['chars_per_s']:>12,} {row['claims']:>9} {row['peak_rss_mb']:>12}")
    if args.output:
        Path(args.output).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
