#!/usr/bin/env python3
"""Where the time of an end-to-end run goes: the profile the speed work is steered by.

    python benchmarks/hotspots.py [--corpus mixed|sparse|dense] [--lang ar,fa,fr] [--chars N]
                                 [--top 10] [--native] [-o result.json]

Runs ``coopfacts extract --format jsonl --jobs 1 -q -o FILE DIR`` in this process, under
cProfile, on a directory of articles one file each, as a user runs it: the corpora of
bench.py's end-to-end table (``mixed``: the shared seeds and dev-real articles, news never
tuned on; ``sparse``: the seeds alone; ``dense``: our own samples/ and tests/dev/), each
language's texts repeated up to ``--chars`` characters, the languages in one directory (as
news of several countries comes), so that language detection is in the run.

Prints, and writes with ``-o``:
  - the top functions by own time (share of the run, calls);
  - the run by step: the share of each stage of the pipeline, from the cumulative time of
    the function that does it (reading, detection, normalising and the numeral scan, pattern
    searches, choosing, the claims' context, the records and their JSON). The steps overlap
    where one calls another (the numeral scan is part of normalising…).

cProfile adds its own cost to every Python call, so shares count, not seconds: a function
called millions of times looks dearer than it is. Time spent inside a C iterator (a `regex`
finditer being read) is counted to the function reading it.

With ``--native`` (py-spy, from the dev extra), the same command runs again in a child process
sampled by ``py-spy record --native``, which sees C frames and adds no cost per call. Each
sample goes to the code it was running: a compiled extension (`regex`'s matcher, the
automaton, orjson) or a Python module of ours (the interpreter, and C it calls for Python such
as ``str.translate``, counted to the Python that called it). It prints those shares, the
Python functions that call `regex` by the time its matcher takes under them, and the ceiling
the matcher sets: the characters a second of a run that did nothing but its `regex` calls.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the corpora are bench.py's

CORPORA = {"mixed": "mixed real news", "sparse": "sparse news", "dense": "dense articles"}
# the pipeline's stages, each by the function that does it (module path, function name)
STEPS = (
    ("reading the files", "io/documents.py", "iter_documents"),
    ("language detection", "engine/api.py", "language_of"),
    ("normalising, numeral scan, masking, automaton", "engine/window.py", "read_window"),
    ("  of which the numeral scan", "engine/numbers.py", "scan"),
    ("pattern searches", "engine/pipeline.py", "_candidates"),
    ("choosing and resolving candidates", "engine/pipeline.py", "choose"),
    ("the claims' context (qualifier, counted noun, change)", "engine/context.py", "make_claim"),
    ("currencies carried by the sentence", "engine/context.py", "carry_currency"),
    ("records made (Claim.to_dict)", "model.py", "to_dict"),
    ("records written as JSON lines", "outputs/writers.py", "write"),
)


def corpus_dir(name: str, langs: list[str], chars: int, tmp: Path) -> tuple[Path, int]:
    """The corpus written one file per article, each language's texts repeated up to ``chars``."""
    corpora = bench.e2e_corpora()
    wanted = next((v for k, v in corpora.items() if k.startswith(CORPORA[name])), None)
    if wanted is None:
        raise SystemExit(f"hotspots: no {name!r} corpus here (../shared is not beside the project)")
    d = tmp / name
    d.mkdir()
    total = 0
    for lang in langs:
        docs = wanted.get(lang) or []
        n = i = 0
        while docs and n < chars:
            text = docs[i % len(docs)]
            (d / f"{lang}-{i:05d}.txt").write_text(text, encoding="utf-8")
            n += len(text)
            i += 1
        total += n
    return d, total


def _name(key: tuple[str, int, str]) -> str:
    path, line, func = key
    if "/src/coopfacts/" in path:
        path = path.split("/src/coopfacts/", 1)[1]
    elif "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    return f"{func} ({path}:{line})" if line else func


def _step_time(stats: dict, path: str, func: str) -> float:
    return sum(v[3] for k, v in stats.items() if k[2] == func and k[0].endswith("/coopfacts/" + path))


def warm_rule_cache(directory: Path) -> None:
    """One run in a child process first: the rule cache filled, as for a user's second run
    (compiling the rule files would otherwise be most of the profile)."""
    subprocess.run([sys.executable, "-m", "coopfacts", "extract", "--format", "jsonl", "--jobs", "1", "-q",
                    "-o", os.devnull, str(directory)], check=True)


def profile(directory: Path, top: int) -> dict:
    from coopfacts.cli.app import main

    out = directory.parent / "claims.jsonl"
    argv = sys.argv
    sys.argv = ["coopfacts", "extract", "--format", "jsonl", "--jobs", "1", "-q", "-o", str(out), str(directory)]
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    try:
        prof.runcall(main)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        sys.argv = argv
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]  # (not in typeshed)
    total = sum(v[2] for v in stats.values())
    own = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    with open(out, encoding="utf-8") as fh:
        claims = sum(1 for _ in fh)
    return {
        "seconds_profiled": round(wall, 3), "claims": claims,
        "top_own_time": [{"share": round(v[2] / total, 4), "calls": v[1], "function": _name(k)} for k, v in own],
        "steps": [{"step": label, "share": round(_step_time(stats, path, func) / total, 4)}
                  for label, path, func in STEPS],
    }


# native extensions by what their frames' files are named (py-spy --native): everything else
# that is not Python (libc, the interpreter's own library) is counted to the frame above it
NATIVE = (("regex", ("_regex.c", "_regex_unicode.c", "/regex/_regex")), ("automaton", ("ahocorasick",)),
          ("orjson", ("orjson",)))


def _frame_owner(frame: str) -> str | None:
    """What runs in one py-spy frame (``name (file:line)``): a native extension from NATIVE,
    ``python:<module path>`` for a Python file, or None for a frame counted to its caller."""
    where = frame[frame.rfind("(") + 1:].rstrip(")") if "(" in frame else ""
    for name, marks in NATIVE:
        if any(mark in where for mark in marks):
            return name
    path = where.rsplit(":", 1)[0]
    if path.endswith(".py"):
        return "python:" + path.split("coopfacts/", 1)[-1] if "coopfacts/" in path else "python:(other)"
    return None


def sample_owners(raw: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """From py-spy's raw output (one ``frame;frame;… count`` line per stack, the innermost
    frame last): the samples in all, by what ran them, and `regex`'s samples by the Python
    function that called it."""
    total, owners, callers = 0, {}, {}
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        owner, caller = "(unknown)", None
        for i in range(len(frames) - 1, -1, -1):
            found = _frame_owner(frames[i])
            if found is None:
                continue
            owner = found
            if found == "regex":  # the first Python frame above the matcher is its caller
                caller = next((f for f in reversed(frames[:i]) if (_frame_owner(f) or "").startswith("python:")),
                              "(none)")
            break
        owners[owner] = owners.get(owner, 0) + n
        if caller is not None:
            name = caller.split(" (", 1)[0] + " (" + caller[caller.rfind("/") + 1:].rstrip(")") + ")"
            callers[name] = callers.get(name, 0) + n
    return total, owners, callers


def native_profile(directory: Path, chars: int, top: int) -> dict:
    """The run sampled by py-spy with native frames (see the module's doc), and its wall time
    unsampled (best of 2) for the ceiling."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("hotspots: --native needs py-spy (pip install -e '.[dev]', or pip install py-spy)")
    out = directory.parent / "claims-native.jsonl"
    cmd = [sys.executable, "-m", "coopfacts", "extract", "--format", "jsonl", "--jobs", "1", "-q",
           "-o", str(out), str(directory)]
    walls = []
    for _ in range(2):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        walls.append(time.perf_counter() - t0)
    raw = directory.parent / "py-spy.txt"
    done = subprocess.run([spy, "record", "--native", "--rate", "250", "--format", "raw", "--output", str(raw),
                           "--", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0 or not raw.is_file():
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"hotspots: py-spy failed (exit {done.returncode}): {last} "
                         "(sampling another process needs ptrace: in a container, --cap-add SYS_PTRACE)")
    total, owners, callers = sample_owners(raw.read_text(encoding="utf-8"))
    wall = min(walls)
    regex_share = owners.get("regex", 0) / total if total else 0.0
    return {
        "samples": total, "seconds_unsampled": round(wall, 3), "chars_per_second": round(chars / wall),
        "by_code": [{"share": round(n / total, 4), "code": k} for k, n in
                    sorted(owners.items(), key=lambda kv: -kv[1])][:top + 3],
        "regex_by_caller": [{"share": round(n / total, 4), "caller": k} for k, n in
                            sorted(callers.items(), key=lambda kv: -kv[1])][:top],
        "regex_share": round(regex_share, 4),
        # a run that spent only the matcher's time would go this fast
        "regex_ceiling_chars_per_second": round(chars / (wall * regex_share)) if regex_share else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="mixed")
    ap.add_argument("--lang", default=",".join(bench.LANGS), help="languages, comma-separated")
    ap.add_argument("--chars", type=int, default=500_000, help="characters per language")
    ap.add_argument("--top", type=int, default=10, help="functions listed by own time")
    ap.add_argument("--native", action="store_true",
                    help="also sample the run with py-spy --native: time by compiled code and Python")
    ap.add_argument("-o", "--output", default=None, help="write the JSON result here")
    args = ap.parse_args()
    langs = [x for x in args.lang.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        directory, chars = corpus_dir(args.corpus, langs, args.chars, Path(tmp))
        warm_rule_cache(directory)
        result = {"corpus": CORPORA[args.corpus], "languages": langs, "chars": chars,
                  "python": sys.version.split()[0], **profile(directory, args.top)}
        if args.native:
            result["native"] = native_profile(directory, chars, args.top)
    print(f"{result['corpus']}, {'/'.join(langs)}: {chars:,} characters, {result['claims']:,} claims, "
          f"{result['seconds_profiled']} s under cProfile")
    print("\ntop functions by own time")
    for row in result["top_own_time"]:
        print(f"  {100 * row['share']:5.1f} %  {row['calls']:>9,}  {row['function']}")
    print("\nby step (cumulative)")
    for row in result["steps"]:
        print(f"  {100 * row['share']:5.1f} %  {row['step']}")
    if "native" in result:
        nat = result["native"]
        print(f"\nby the code that ran (py-spy --native, {nat['samples']:,} samples; "
              f"{nat['chars_per_second']:,} characters/s unsampled)")
        for row in nat["by_code"]:
            print(f"  {100 * row['share']:5.1f} %  {row['code']}")
        print("\n`regex`'s matcher by the Python that called it")
        for row in nat["regex_by_caller"]:
            print(f"  {100 * row['share']:5.1f} %  {row['caller']}")
        if nat["regex_ceiling_chars_per_second"]:
            print(f"\nthe matcher alone: {100 * nat['regex_share']:.1f} % of the run; a run of nothing but its calls "
                  f"would read {nat['regex_ceiling_chars_per_second']:,} characters/s")
    if args.output:
        Path(args.output).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
