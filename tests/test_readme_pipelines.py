"""The README's pipelines (jq, sqlite3, pandas, DuckDB), run as written, in a directory holding the
samples; each skips, saying why, where its tool is not installed."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"<!-- pipeline: (\S+) -->\n```sh\n(.*?)```", re.S)


def pipelines() -> dict[str, str]:
    return dict(BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")))


def test_the_readme_has_one_pipeline_per_tool() -> None:
    assert set(pipelines()) == {"jq", "sqlite3", "pandas", "duckdb"}


def _needs(tool: str) -> None:
    if tool in ("jq", "sqlite3"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install {tool})")
    elif importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install {tool})")
    if tool == "duckdb" and importlib.util.find_spec("pyarrow") is None:
        pytest.skip("the pipeline writes Parquet: pip install 'coopfacts[parquet]'")


def run(script: str, tmp_path: Path) -> str:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    bindir = str(Path(sys.executable).parent)  # coopfacts and python of this environment first
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    res = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                         env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_jq(tmp_path: Path) -> None:
    _needs("jq")
    rows = [line.split("\t") for line in run(pipelines()["jq"], tmp_path).splitlines()]
    assert len(rows) > 20 and all(len(r) == 4 for r in rows)
    assert all(float(r[2]) > 0 for r in rows)  # number: numeric for money
    assert {"MAD", "IRT", "EUR"} <= {r[3] for r in rows}


def test_sqlite3(tmp_path: Path) -> None:
    _needs("sqlite3")
    rows = [line.split("|") for line in run(pipelines()["sqlite3"], tmp_path).splitlines()]
    maxima = [float(r[2]) for r in rows]
    assert len(rows) >= 3 and maxima == sorted(maxima, reverse=True)  # sorted as numbers, not as text
    assert (tmp_path / "claims.sqlite").is_file()


def test_pandas(tmp_path: Path) -> None:
    _needs("pandas")
    out = run(pipelines()["pandas"], tmp_path)
    assert "count" in out and "sum" in out and "MAD" in out and "IRT" in out


def test_duckdb(tmp_path: Path) -> None:
    _needs("duckdb")
    out = run(pipelines()["duckdb"], tmp_path)
    assert "money" in out and "date" in out and "since" in out
