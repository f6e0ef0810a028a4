"""Fixtures for the CLI, input and output tests.

These tests exercise the plumbing, not the quality of the packaged rules, so
``rules_dir`` holds tiny rule files of its own that replace ``common``, ``ar``,
``fa`` and ``fr`` (passed with ``--rules``).  They find digits, a percent sign
and the qualifier ``plus de``; nothing more.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

COMMON = r"""
language: common
patterns:
  - id: amount-with-unit
    kind: unit
    priority: 60
    match: '{num}\s*{unit}'
  - id: count
    kind: count
    priority: 10
    match: '{num}'
"""

FR = """
language: fr
name: French (test rules)
detect: {script: latin, markers: "éèàç", words: [de, du, le, la, les, et, des]}
numbers:
  group_marks: [" "]
  decimal_marks: [","]
qualifiers:
  more_than: [plus de]
units:
  - kind: percent
    code: "%"
    words: ["%"]
examples:
  - text: "plus de 1 500 emplois"
    claims:
      - {text: "1 500", kind: count, value: 1500, qualifier: more_than}
  - text: "54% des coopératives"
    claims:
      - {text: "54%", kind: percent, value: 54, unit: "%"}
"""

ARABIC_SCRIPT = """
language: {code}
name: {name} (test rules)
direction: rtl
detect: {{script: arabic, markers: "{markers}"}}
numbers:
  group_marks: [","]
  decimal_marks: ["."]
units:
  - kind: percent
    code: "%"
    words: ["%"]
"""


def write_rules(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "common.yaml").write_text(COMMON, encoding="utf-8")
    (directory / "fr.yaml").write_text(FR, encoding="utf-8")
    (directory / "ar.yaml").write_text(ARABIC_SCRIPT.format(code="ar", name="Arabic", markers="ةى"), encoding="utf-8")
    (directory / "fa.yaml").write_text(ARABIC_SCRIPT.format(code="fa", name="Persian", markers="پچژگکی"), encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_rules(tmp_path_factory.mktemp("rules"))


@pytest.fixture
def runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


@pytest.fixture
def cli(runner: CliRunner, rules_dir: Path):
    """Run the app in-process with the test rules: ``cli("extract", "a.txt", input=...)``."""
    from coopfacts.cli.app import app

    def run(*args: str, input: str | bytes | None = None, rules: bool = True):
        argv = list(args)
        if rules and argv and argv[0] in ("extract", "normalize"):
            argv += ["--rules", str(rules_dir)]
        return runner.invoke(app, argv, input=input)

    return run


def run_module(*args: str, input: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m coopfacts ARGS`` in a real subprocess (bytes in and out)."""
    return subprocess.run([sys.executable, "-m", "coopfacts", *args], input=input,
                          capture_output=True, timeout=timeout)


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
