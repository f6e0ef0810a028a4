"""End to end: the samples (written for this project, annotated by hand) and the development set.

Each sample's expected claims must all be found, with the same kind, value, unit and qualifier;
nothing may be found outside them except on its ignore spans. The development sets (12 and 15
articles, annotated by hand by someone who did not run the tool) are scored as wholes, with
floors that only go up.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from coopfacts import extract

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def read_jsonl(p: Path) -> list[dict]:
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()] if p.exists() else []


def same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-6)
    return str(a) == str(b)


def match(gold: list[dict], pred: list, ignore: list[dict], strict: bool):
    pred = [p for p in pred if not any(p.start < i["end"] and i["start"] < p.end for i in ignore)]
    used: set[int] = set()
    missed = []
    for g in gold:
        for j, p in enumerate(pred):
            if j in used or not (p.start < g["end"] and g["start"] < p.end):
                continue
            if p.kind != g["kind"] or not same(p.value, g["value"]):
                continue
            if strict and (p.unit != g.get("unit") or p.qualifier != g.get("qualifier", "exact")):
                continue
            used.add(j)
            break
        else:
            missed.append(g)
    spurious = [p for j, p in enumerate(pred) if j not in used]
    return missed, spurious


def test_there_are_samples_in_every_language():
    langs = {p.name[:2] for p in SAMPLES}
    assert {"ar", "fa", "fr"} <= langs
    for lang in langs:
        assert sum(p.name.startswith(lang) for p in SAMPLES) >= 2


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample(path: Path):
    text = path.read_text(encoding="utf-8")
    gold = read_jsonl(path.with_suffix(".expected.jsonl"))
    ignore = read_jsonl(path.with_suffix(".ignore.jsonl"))
    assert gold, f"{path.name}: no expected claims"
    pred = extract(text, "auto", doc=path.name)
    assert {c.lang for c in pred} == {path.name[:2]}
    for c in pred:
        assert text[c.start:c.end] == c.text
    missed, spurious = match(gold, pred, ignore, strict=False)
    assert not missed and not spurious, f"missed {missed}\nspurious {spurious}"
    # strict (unit and qualifier too): allow one slip per sample at most
    missed, _ = match(gold, pred, ignore, strict=True)
    assert len(missed) <= 1, missed


DEV_SETS = ["dev.jsonl", "dev2.jsonl"]


@pytest.mark.parametrize("name", DEV_SETS)
def test_development_set_scores(name):
    docs = read_jsonl(ROOT / "tests" / "dev" / name)
    assert len(docs) >= 12
    n_gold = n_pred = hit = hit_strict = 0
    for d in docs:
        pred = [p for p in extract(d["text"], d["lang"], doc=d["id"])
                if not any(p.start < i["end"] and i["start"] < p.end for i in d.get("ignore", []))]
        for c in pred:
            assert d["text"][c.start:c.end] == c.text
        missed, spurious = match(d["claims"], pred, [], strict=False)
        missed_s, _ = match(d["claims"], pred, [], strict=True)
        n_gold += len(d["claims"])
        n_pred += len(pred)
        hit += len(d["claims"]) - len(missed)
        hit_strict += len(d["claims"]) - len(missed_s)
    f1 = 2 * hit / (n_gold + n_pred)
    strict_f1 = 2 * hit_strict / (n_gold + n_pred)
    assert f1 >= 0.97 and strict_f1 >= 0.95, (f1, strict_f1)
