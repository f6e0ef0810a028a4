"""benchmarks/hotspots.py --native: py-spy's samples counted to the code that ran them.

The speed work is steered by these shares (and the README quotes them), so the counting is
tested on stacks written here in py-spy's raw format: one ``frame;frame;… count`` line per
stack, the innermost frame last, native frames named by their C file or shared library."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import hotspots  # noqa: E402 - a script beside the tests, not a package

RUN = "_run_code (<frozen runpy>:88);main (coopfacts/cli/app.py:98)"
SEARCH = RUN + ";_matches_of (coopfacts/engine/pipeline.py:127);matches_at (coopfacts/rulebook/prefixes.py:855)"


def test_the_matcher_is_counted_with_the_python_that_called_it() -> None:
    raw = "\n".join([
        # regex's C code, with libc inside it: the matcher's, called from matches_at
        SEARCH + ";pattern_search_or_match (_regex.c:21768);basic_match (_regex.c:13496);memcpy (libc.so.6) 7",
        # the interpreter's own C (str.translate) under a Python function: that function's module
        RUN + ";normalise (coopfacts/text/normalize.py:192);unicode_translate (libpython3.11.so.1.0) 3",
        # the automaton's extension
        RUN + ";starts (coopfacts/text/literals.py:92);find_matches_as_indexes "
              "(ahocorasick_rs/ahocorasick_rs.cpython-311-x86_64-linux-gnu.so) 2",
        # a library's Python
        "_run_code (<frozen runpy>:88);invoke (typer/_click/core.py:748) 1",
        "",
    ])
    total, owners, callers = hotspots.sample_owners(raw)
    assert total == 13
    assert owners == {"regex": 7, "python:text/normalize.py": 3, "automaton": 2, "python:(other)": 1}
    assert callers == {"matches_at (prefixes.py:855)": 7}


def test_a_stack_with_no_frame_known_is_counted_apart() -> None:
    total, owners, callers = hotspots.sample_owners("clone (libc.so.6);start_thread (libc.so.6) 4\nnot a line\n")
    assert (total, owners, callers) == (4, {"(unknown)": 4}, {})
