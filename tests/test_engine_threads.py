"""One engine, many threads: the engine keeps nothing about a document, so threads that share it
get what each would get alone."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import coopfacts

ROOT = Path(__file__).resolve().parents[1]


def _articles() -> list[tuple[str, str]]:
    out = []
    for p in sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "dev").glob("*.txt")):
        lang = p.name.split("-")[0] if p.name[:2] in ("ar", "en", "fa", "fr") else p.name.split("-")[1]
        out.append((p.read_text(encoding="utf-8"), lang))
    return out


def test_threads_sharing_one_engine_get_the_claims_of_one_thread() -> None:
    engine = coopfacts.load()
    docs = _articles() * 3
    # long texts too: they take the automaton and window paths, where per-document state would live
    docs += [("\n\n".join(t for t, lang in docs if lang == code) * 12, code) for code in ("ar", "en", "fa", "fr")]
    alone = [[c.to_dict() for c in engine.extract(text, lang)] for text, lang in docs]
    with ThreadPoolExecutor(max_workers=6) as pool:
        shared = list(pool.map(lambda d: [c.to_dict() for c in engine.extract(d[0], d[1])], docs))
    assert shared == alone
    assert sum(map(len, alone)) > 500


def test_a_fresh_engine_is_cheap_and_shares_the_compiled_rules() -> None:
    from coopfacts.engine import Engine

    a, b = Engine(coopfacts.load().rulebook), Engine(coopfacts.load().rulebook)
    assert a.runtime("fr") is b.runtime("fr")  # one runtime per compiled language, whatever the engine
