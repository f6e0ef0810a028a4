"""The shared gold seeds (beside the repository, not part of it): spans and scores.

Skips with a reason in a clone that has no ../shared.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coopfacts import extract

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "gold" / "seeds.jsonl"
SCORE = SHARED / "gold" / "score.py"
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason=f"no shared gold set at {SEEDS} (only in the team's checkout)")


def docs():
    return [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_span_invariant_on_every_seed():
    for d in docs():
        for c in extract(d["text"], "auto", doc=d["id"]):
            assert d["text"][c.start:c.end] == c.text, (d["id"], c)


def test_language_detected_as_annotated():
    from coopfacts import load
    for d in docs():
        assert load().language_of(d["text"], "auto") == d["lang"], d["id"]


def test_seed_scores(tmp_path):
    # the shared scorer, run on our own command: F1 and strict-F1 floors (raise as they improve)
    cmd = f"{sys.executable} -m coopfacts extract --format jsonl --quiet"
    out = subprocess.run([sys.executable, str(SCORE), str(SEEDS), "--cmd", cmd, "--json"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    f1 = summary.get("f1") or summary.get("overall", {}).get("f1")
    strict = summary.get("strict_f1") or summary.get("overall", {}).get("strict_f1")
    assert f1 is not None and strict is not None, summary
    assert f1 >= 0.95 and strict >= 0.92, summary
