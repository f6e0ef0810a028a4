"""What a terminal shows: progress only for long work and never in the middle of a table, the
summary only for a corpus run or a long one, tables that never break a number across lines."""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

import coopfacts
from coopfacts.outputs.writers import TableWriter
from coopfacts.run import Corpus, RunOptions
from coopfacts.run import corpus as corpus_mod

ROOT = Path(__file__).resolve().parents[1]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> Tty:
    """Standard error as a terminal (set in the test itself: pytest's capture replaces it after
    a fixture's set-up)."""
    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "100")
    return err


def run_over(paths: list[str], writer=None) -> Corpus:
    run = Corpus(paths, RunOptions())
    with run:
        if writer is not None:
            run.watch(writer)
        for item, _ in run:
            if writer is not None:
                writer.begin_document(item.id, item.text, "fr")
                for c in coopfacts.extract(item.text, doc=item.id):
                    writer.write(c.to_dict())
                writer.end_document()
        if writer is not None:
            writer.close()
    run.summary(run.docs, 0)
    return run


def test_a_short_run_shows_no_bar_and_no_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    tty_stderr = on_a_terminal(monkeypatch)
    run = run_over([str(ROOT / "samples" / "fr-1.txt")])
    assert run.show_progress  # it could have: stderr is a terminal
    assert tty_stderr.getvalue() == ""  # a 1.5 kB file: no bar, no "0.0 MB in 0.0 s"


def test_long_work_shows_the_bar_then_the_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    tty_stderr = on_a_terminal(monkeypatch)
    monkeypatch.setattr(corpus_mod, "PROGRESS_AFTER", 0.0)
    samples = sorted(str(p) for p in (ROOT / "samples").glob("*.txt"))
    run_over(samples)
    err = tty_stderr.getvalue()
    assert "documents" in err and "MB/s" in err
    # after the codes that erase the bar
    assert f"coopfacts: {len(samples)} documents, 0 claims" in err.splitlines()[-1]


def test_a_big_input_shows_the_bar_from_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch)
    monkeypatch.setattr(corpus_mod, "PROGRESS_OVER", 100)  # bytes: every sample is over it
    run = Corpus([str(ROOT / "samples" / "fr-1.txt")], RunOptions())
    with run:
        it = iter(run)
        next(it)
        assert run._bar is not None  # drawn before the first document is done
        list(it)


def test_the_bar_is_cleared_while_a_table_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch)
    monkeypatch.setattr(corpus_mod, "PROGRESS_AFTER", 0.0)
    out = Tty()
    up: list[bool] = []
    writer = TableWriter(out)
    seen: list[bool] = []
    run = Corpus([str(p) for p in sorted((ROOT / "samples").glob("fr-*.txt"))], RunOptions())
    print_table = writer.end_document

    def end_document() -> None:
        seen.append(run._bar is None)
        print_table()

    writer.end_document = end_document  # type: ignore[method-assign]
    with run:
        run.watch(writer)
        for item, _ in run:
            up.append(run._bar is not None)
            for c in coopfacts.extract(item.text, doc=item.id):
                writer.write(c.to_dict())
            writer.end_document()
        writer.close()
    assert up[1:] and all(up[1:])  # long work: the bar is up again once a document is read
    assert seen and all(seen)  # never drawn while a table is printed


@pytest.mark.parametrize("width", [60, 80, 100])
def test_tables_never_break_a_number(width: int) -> None:
    out = io.StringIO()
    writer = TableWriter(out)
    writer.console.width = width
    claims = [c.to_dict() for name in ("fa-1", "fr-1", "ar-2")
              for c in coopfacts.extract((ROOT / "samples" / f"{name}.txt").read_text(encoding="utf-8"),
                                         doc=f"{name}.txt")]
    for r in claims:
        writer.write(r)
    writer.close()
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    cells = [c.strip() for line in lines for c in re.split("[│┃]", line)]
    for r in claims:
        value = str(r["number"] if r["number"] is not None else r["value"])
        assert value in cells, (value, r["text"])  # the whole value in one cell of one line
        assert f"{r['start']}-{r['end']}" in cells
