"""Rule files as untrusted input: a hand-edited file is checked before any output (file:line:col
and what was expected), and a pattern with catastrophic backtracking is contained: it gets a
time budget per document (``COOPFACTS_PATTERN_TIMEOUT``), past which it is reported once,
with its rule id, and skipped for that document; the other patterns and documents go on.

Deeply nested files and YAML alias bombs are refused by name, quickly.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import COMMON, jsonl, write_rules

FR_TEXT = "Selon le rapport, plus de 1 500 emplois ont été créés, soit 54% du total.\n"

# (?:a|aa)+b never matches a run of "a"s without a "b", but tries every way to split the run:
# about 1.6^n steps, and the regex module does not cut it short.
CATASTROPHIC = "(?:a|aa)+b"
SLOW_TEXT = "a" * 60 + " soit 54% du total\n"

FR_WITH_PATTERN = """
language: fr
name: French (hostile test rules)
detect: {{script: latin, markers: "éèàç"}}
numbers:
  group_marks: [" "]
  decimal_marks: [","]
qualifiers:
  more_than: [plus de]
units:
  - kind: percent
    code: "%"
    words: ["%"]
patterns:
  - id: {pid}
    kind: count
    priority: 90
    match: '{match}'
{examples}
"""


def rules_with(tmp_path: Path, match: str, pid: str = "runaway", examples: str = "") -> Path:
    d = write_rules(tmp_path / "rules")
    (d / "fr.yaml").write_text(FR_WITH_PATTERN.format(pid=pid, match=match, examples=examples), encoding="utf-8")
    return d


def run(runner, *args: str):
    from coopfacts.cli.app import app

    res = runner.invoke(app, list(args))
    assert "Traceback" not in res.stderr + res.stdout
    return res


@pytest.fixture
def short_budget(monkeypatch):
    import coopfacts.engine.search as search

    monkeypatch.setattr(search, "PATTERN_TIMEOUT", 0.2)
    monkeypatch.setattr(search, "_TIMED_OUT", set())


# --- catastrophic patterns ----------------------------------------------------------------

def test_catastrophic_pattern_is_reported_and_skipped(runner, tmp_path, short_budget) -> None:
    rules = rules_with(tmp_path, CATASTROPHIC)
    slow = tmp_path / "slow.txt"
    slow.write_text(SLOW_TEXT, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(FR_TEXT, encoding="utf-8")
    t0 = time.monotonic()
    res = run(runner, "extract", str(slow), str(good), "--lang", "fr", "--rules", str(rules), "-q")
    assert time.monotonic() - t0 < 20
    assert res.exit_code == 0, res.stderr
    line = f"coopfacts: {slow}: rule fr.runaway ({rules / 'fr.yaml'}:"
    assert res.stderr.count(line) == 1, res.stderr
    assert "skipped for this document" in res.stderr
    recs = jsonl(res.stdout)
    # the other patterns still ran on the slow document, and the good one is untouched
    assert [(r["doc"], r["text"]) for r in recs] == [(str(slow), "54%"), (str(good), "1 500"), (str(good), "54%")]


def test_catastrophic_pattern_reported_once_per_document_not_per_window(runner, tmp_path, short_budget,
                                                                      monkeypatch) -> None:
    from test_hostile_inputs import set_window_sizes

    set_window_sizes(monkeypatch, 1 << 12, 1024)
    rules = rules_with(tmp_path, CATASTROPHIC)
    big = tmp_path / "big.txt"
    big.write_text(SLOW_TEXT * 200, encoding="utf-8")  # ~16 KB: about 16 windows
    t0 = time.monotonic()
    res = run(runner, "extract", str(big), "--lang", "fr", "--rules", str(rules), "-q")
    assert time.monotonic() - t0 < 20
    assert res.exit_code == 0
    assert res.stderr.count("rule fr.runaway") == 1
    recs = jsonl(res.stdout)
    assert len(recs) == 200 and {r["text"] for r in recs} == {"54%"}


def test_catastrophic_pattern_in_a_real_process(tmp_path) -> None:
    rules = rules_with(tmp_path, CATASTROPHIC)
    slow = tmp_path / "slow.txt"
    slow.write_text(SLOW_TEXT, encoding="utf-8")
    env = dict(os.environ, COOPFACTS_PATTERN_TIMEOUT="0.3")
    p = subprocess.run([sys.executable, "-m", "coopfacts", "extract", str(slow), "--lang", "fr",
                        "--rules", str(rules)], capture_output=True, timeout=60, env=env)
    err = p.stderr.decode()
    assert p.returncode == 0, err
    assert "rule fr.runaway" in err and "took over 0.3 s" in err and "Traceback" not in err
    assert [r["text"] for r in jsonl(p.stdout.decode())] == ["54%"]


def test_catastrophic_pattern_in_rules_test_fails_the_example(runner, tmp_path, short_budget) -> None:
    examples = """    examples:
      - text: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 54%"
        claims:
          - {text: "54%", kind: percent, value: 54}
          - {text: "aaa", kind: count, value: 3}
"""
    rules = rules_with(tmp_path, CATASTROPHIC, examples=examples)
    res = run(runner, "rules", "test", "fr", "--rules", str(rules))
    assert res.exit_code == 1
    assert "fr.runaway" in res.stderr
    assert "FAIL" in res.stdout and "missing  «aaa» count 3" in res.stdout


def test_api_reports_each_call_without_a_document_id(short_budget, tmp_path, capsys) -> None:
    from coopfacts.engine import Engine
    from coopfacts.rulebook import Rulebook

    rb = Rulebook([str(rules_with(tmp_path, CATASTROPHIC))])
    for _ in range(2):
        assert [c.text for c in Engine(rb).extract(SLOW_TEXT, "fr")] == ["54%"]
    assert capsys.readouterr().err.count("<text>: rule fr.runaway") == 2



# The budget is kept by a timer signal in the main thread (search.Watchdog), by each `regex`
# call elsewhere: both ways must stop the runaway pattern and leave the others' claims.

def _runaway_claims(tmp_path) -> list[str]:
    from coopfacts.engine import Engine
    from coopfacts.rulebook import Rulebook

    rb = Rulebook([str(rules_with(tmp_path, CATASTROPHIC))])
    return [c.text for c in Engine(rb).extract(SLOW_TEXT, "fr")]


def test_budget_in_a_thread_is_kept_by_each_call(short_budget, tmp_path, capsys) -> None:
    import threading

    import coopfacts.engine.search as search

    out: list[object] = []
    t = threading.Thread(target=lambda: out.append((_runaway_claims(tmp_path), search.Watchdog().timeout)))
    t0 = time.monotonic()
    t.start()
    t.join(30)
    assert time.monotonic() - t0 < 20
    assert out == [(["54%"], 0.2)]  # no timer away from the main thread: the calls carry the budget
    assert "<text>: rule fr.runaway" in capsys.readouterr().err


def test_budget_leaves_an_applications_own_alarm_alone(short_budget, tmp_path, capsys) -> None:
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    import coopfacts.engine.search as search

    fired: list[int] = []

    def mine(*args: object) -> None:
        fired.append(1)

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with search.Watchdog() as watch:
            assert watch.timeout == 0.2  # another handler is in place: the calls carry the budget
        assert _runaway_claims(tmp_path) == ["54%"]
        assert signal.getsignal(signal.SIGALRM) is mine and not fired
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert "<text>: rule fr.runaway" in capsys.readouterr().err


def test_budget_by_the_timer_is_put_back_after_each_window(short_budget, tmp_path, capsys) -> None:
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    import coopfacts.engine.search as search

    with search.Watchdog() as watch:
        assert watch.timeout is None  # the timer keeps the budget: the calls carry none
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    assert _runaway_claims(tmp_path) == ["54%"]
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert "<text>: rule fr.runaway" in capsys.readouterr().err

@pytest.mark.parametrize("match", [r"x*", r"(?=\d)", r"\b", r"^", r"$"], ids=["empty-star", "lookahead",
                                                                               "boundary", "caret", "dollar"])
def test_patterns_that_match_the_empty_string_make_no_claims(runner, tmp_path, match) -> None:
    rules = rules_with(tmp_path, match)
    p = tmp_path / "a.txt"
    p.write_text(FR_TEXT, encoding="utf-8")
    res = run(runner, "extract", str(p), "--lang", "fr", "--rules", str(rules), "-q")
    assert res.exit_code == 0
    for r in jsonl(res.stdout):
        assert r["end"] > r["start"]


# --- malformed rule files: one line, file:line:col, exit 2, before any output --------------------

MALFORMED = {
    "invalid-regex": ('language: fr\npatterns:\n  - id: broken\n    kind: count\n    match: "(abc"\n',
                      ":5:5: patterns.0.match: pattern 'broken': invalid regular expression"),
    "unknown-macro": ('language: fr\npatterns:\n  - id: m\n    kind: count\n    match: "{nope}"\n',
                      ":5:5: patterns.0.match: unknown macro {nope}"),
    "unknown-key": ("language: fr\nnumbers:\n  group_marks: [' ']\n  wordz: {}\n",
                    ":4:3: numbers.wordz: unknown key 'wordz'"),
    "wrong-type": ("language: fr\nnumbers:\n  words: 3\n", ":3:3: numbers.words: expected a mapping"),
    "bad-kind": ("language: fr\npatterns:\n  - {id: k, kind: weight, match: x}\n", "patterns.0.kind: expected one of"),
    "priority-string": ("language: fr\npatterns:\n  - {id: k, kind: count, match: x, priority: high}\n",
                        "patterns.0.priority: expected an integer"),
    "missing-id": ("language: fr\npatterns:\n  - {kind: count, match: x}\n", "missing required key 'id'"),
    "yaml-syntax": ("language: fr\nnumbers: [\n", ":3:1: YAML syntax error"),
    "tab-indent": ("language: fr\nnumbers:\n\tgroup_marks: []\n", "YAML syntax error"),
    "not-a-mapping": ("- just\n- a list\n", "expected a rule file"),
    "empty": ("", "rule file is empty"),
    "comments-only": ("# nothing here\n", "rule file is empty"),
    "python-tag": ("language: fr\nnote: !!python/object/apply:os.system [echo pwned]\n",
                   "could not determine a constructor"),
    "duplicate-anchor-alias": ("language: fr\nnote: *undefined\n", "YAML syntax error"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_rule_file_is_one_line_with_its_place(runner, tmp_path, name) -> None:
    text, expected = MALFORMED[name]
    d = tmp_path / "rules"
    d.mkdir()
    (d / "fr.yaml").write_text(text, encoding="utf-8")
    p = tmp_path / "a.txt"
    p.write_text(FR_TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    res = run(runner, "extract", str(p), "--lang", "fr", "--rules", str(d), "-o", str(out))
    assert res.exit_code == 2, res.stderr
    assert res.stderr.startswith(str(d / "fr.yaml") + ":"), res.stderr
    assert expected in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "old\n"  # nothing written


@pytest.mark.parametrize("data, expected", [
    (b"language: fr\nname: Fran\xe7ais\n", "rule file is not UTF-8 (byte 23)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "rule file is not UTF-8 (byte 0)"),
])
def test_rule_file_that_is_not_text(runner, tmp_path, data, expected) -> None:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "fr.yaml").write_bytes(data)
    p = tmp_path / "a.txt"
    p.write_text(FR_TEXT, encoding="utf-8")
    res = run(runner, "extract", str(p), "--lang", "fr", "--rules", str(d))
    assert res.exit_code == 2 and expected in res.stderr


def test_rule_file_with_a_bom_is_fine(runner, tmp_path) -> None:
    d = write_rules(tmp_path / "rules")
    (d / "common.yaml").write_bytes(b"\xef\xbb\xbf" + COMMON.encode())
    p = tmp_path / "a.txt"
    p.write_text(FR_TEXT, encoding="utf-8")
    res = run(runner, "extract", str(p), "--lang", "fr", "--rules", str(d), "-q")
    assert res.exit_code == 0 and [r["text"] for r in jsonl(res.stdout)] == ["1 500", "54%"]


def test_malformed_rule_file_in_a_real_process(tmp_path) -> None:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "fr.yaml").write_text(MALFORMED["invalid-regex"][0], encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "coopfacts", "rules", "test", "--rules", str(d)],
                       capture_output=True, timeout=60)
    assert p.returncode == 2
    err = p.stderr.decode()
    assert f"{d / 'fr.yaml'}:5:5:" in err and "'broken'" in err and "Traceback" not in err


# --- rule-file problems the engine does not contain yet ------------------------------------------

def _nested(depth: int) -> str:
    return "language: fr\nnote: " + "[" * depth + "]" * depth + "\n"


def _alias_bomb(levels: int = 9) -> str:
    """The 'billion laughs': each level a list of nine aliases of the one before."""
    lines = ["language: fr", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_deeply_nested_rule_file_gives_no_traceback(runner, tmp_path) -> None:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "fr.yaml").write_text(_nested(3000), encoding="utf-8")
    p = tmp_path / "a.txt"
    p.write_text(FR_TEXT, encoding="utf-8")
    res = run(runner, "extract", str(p), "--lang", "fr", "--rules", str(d))
    assert res.exit_code in (1, 2)
    assert len(res.stderr.strip().splitlines()) == 1


# a deeply nested file is refused by name (the node walk is iterative)
def test_deeply_nested_rule_file_is_named(runner, tmp_path) -> None:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "fr.yaml").write_text(_nested(3000), encoding="utf-8")
    p = tmp_path / "a.txt"
    p.write_text(FR_TEXT, encoding="utf-8")
    res = run(runner, "extract", str(p), "--lang", "fr", "--rules", str(d))
    assert res.exit_code == 2 and str(d / "fr.yaml") in res.stderr


# YAML aliases are refused outright: a "billion laughs" file costs nothing
def test_alias_bomb_rule_file_is_refused_quickly(tmp_path) -> None:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "fr.yaml").write_text(_alias_bomb(), encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "coopfacts", "rules", "list", "--rules", str(d)],
                       capture_output=True, timeout=2)
    assert p.returncode == 2 and b"fr.yaml" in p.stderr
