"""The long fuzz run: the properties of ``tests/test_hostile_fuzz.py`` at 100 000 examples.

Not part of CI (``python -m pytest`` runs the same properties at a few dozen examples each).
Run it before a release, or after touching the normaliser, the numeral grammar, the
pattern engine or the input layer::

    python benchmarks/fuzz.py                      # 100 000 API examples (+ CLI, bytes, windows)
    python benchmarks/fuzz.py --examples 20000     # a shorter run
    python benchmarks/fuzz.py --jobs 8 --seed 7    # more processes, another seed

``--examples N`` is the number of API-level examples (each one extracted in all four
language modes: auto, ar, fa, fr).  The other properties run a share of N:

================  =======  =====================================================
property           share    through
================  =======  =====================================================
api                N        ``coopfacts.extract`` (every language mode)
cli                N/2      ``coopfacts extract FILE`` in process (bytes: every
                            encoding, BOMs, corruption, binaries), every format
decode             N/2      ``io.decode`` on the same hostile bytes
windows            N/20     a large input cut into small windows
api-surrogates     N/20     strings with lone surrogates (Python callers)
================  =======  =====================================================

The work is split over ``--jobs`` processes (default: every CPU), each with its own seed.
The report gives, per property, the examples run (counted as they run) and the time, then
the totals.  Exit status: 0 when every property held, 1 when one failed (its minimal
failing example is printed, as hypothesis shrank it).
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHARES = {
    "api": ("test_api_never_raises_and_spans_hold", 1.0),
    "cli": ("test_cli_exit_0_or_1_never_a_traceback", 0.5),
    "decode": ("test_decode_refuses_or_decodes_never_crashes", 0.5),
    "windows": ("test_windows_keep_offsets_into_the_whole_text", 0.05),
    "api-surrogates": ("test_api_survives_lone_surrogates", 0.05),
}


class _TmpFactory:
    """Stands in for pytest's tmp_path_factory: one directory, reused (no 50 000 directories)."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="coopfacts-fuzz-")

    def mktemp(self, name: str) -> Path:
        return Path(self._dir.name)

    def cleanup(self) -> None:
        self._dir.cleanup()


def _work(job: tuple[str, int, int]) -> dict:
    """Run one property for ``n`` examples with ``seed`` (in a worker process)."""
    prop, n, seed = job
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]
    os.environ.setdefault("COOPFACTS_PATTERN_TIMEOUT", "5")
    import hypothesis
    from hypothesis import HealthCheck, settings

    import test_hostile_fuzz as fz

    fn = getattr(fz, SHARES[prop][0])
    # the test's own @settings, with this run's number of examples
    fn._hypothesis_internal_use_settings = settings(  # type: ignore[attr-defined]
        max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck),
        print_blob=True)
    fn = hypothesis.seed(seed)(fn)
    fz.CALLS.clear()
    tmp = _TmpFactory()
    t0 = time.perf_counter()
    error = None
    try:
        fn(tmp) if prop == "cli" else fn()
    except BaseException as exc:  # a falsified property: keep hypothesis' report
        if isinstance(exc, KeyboardInterrupt):
            raise
        error = "".join(traceback.format_exception(exc))[-6000:]
    finally:
        tmp.cleanup()
    return {"prop": prop, "seed": seed, "asked": n, "ran": sum(fz.CALLS.values()),
            "seconds": time.perf_counter() - t0, "error": error}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", "-n", type=int, default=100_000, help="API-level examples (default 100000)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--seed", type=int, default=0, help="base seed (each job adds its number)")
    ap.add_argument("--only", choices=list(SHARES), action="append", help="run only these properties")
    args = ap.parse_args(argv)

    jobs: list[tuple[str, int, int]] = []
    for prop, (_, share) in SHARES.items():
        if args.only and prop not in args.only:
            continue
        total = max(1, int(args.examples * share))
        parts = max(1, min(args.jobs, total // 50 or 1))
        for i in range(parts):
            n = total // parts + (1 if i < total % parts else 0)
            jobs.append((prop, n, args.seed * 1000 + len(jobs)))
    # largest first, so that the pool ends together
    jobs.sort(key=lambda j: -j[1] * (1 if j[0] != "windows" else 6))

    print(f"coopfacts fuzz: {len(jobs)} jobs on {args.jobs} processes, seed {args.seed}", flush=True)
    t0 = time.perf_counter()
    results: list[dict] = []
    ctx = mp.get_context("spawn")  # a fresh interpreter per worker: no state shared with this one
    with ctx.Pool(args.jobs, maxtasksperchild=1) as pool:
        for r in pool.imap_unordered(_work, jobs):
            results.append(r)
            status = "FAILED" if r["error"] else "ok"
            print(f"  {r['prop']:<15} seed {r['seed']:>5}: {r['ran']:>7} examples in {r['seconds']:7.1f} s  {status}",
                  flush=True)
            if r["error"]:
                print(r["error"], flush=True)
    wall = time.perf_counter() - t0

    print("\nproperty         examples   cpu-seconds")
    total = 0
    for prop in SHARES:
        rs = [r for r in results if r["prop"] == prop]
        if not rs:
            continue
        ran = sum(r["ran"] for r in rs)
        total += ran
        print(f"{prop:<15} {ran:>9}   {sum(r['seconds'] for r in rs):11.1f}")
    failed = [r for r in results if r["error"]]
    print(f"total           {total:>9}   wall {wall:.1f} s on {args.jobs} processes;"
          f" {'FAILED: ' + ', '.join(sorted({r['prop'] for r in failed})) if failed else 'every property held'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
