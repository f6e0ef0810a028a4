"""`coopfacts eval GOLD.jsonl`: the scorer for hand-annotated articles.

The matching rules are tested on small gold files written here.  The scorer must give
exactly the figures of the team's reference scorer (../shared/gold/score.py) on the
shared seeds and on tests/dev/dev.jsonl; that comparison needs ../shared and skips
without it.  The dev set is scored on its own in every checkout.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coopfacts import evaluation as ev
from coopfacts.engine import load

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "dev" / "dev.jsonl"
SHARED = ROOT.parent / "shared" / "gold"
SEEDS = SHARED / "seeds.jsonl"
SCORE = SHARED / "score.py"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


TEXT = "En 2023, plus de 1 500 emplois et 54% de femmes ; page 12."
GOLD = {"id": "d1", "lang": "fr", "text": TEXT, "claims": [
    {"start": 3, "end": 7, "text": "2023", "kind": "date", "value": "2023"},
    {"start": 17, "end": 22, "text": "1 500", "kind": "count", "value": 1500, "qualifier": "more_than"},
    {"start": 34, "end": 37, "text": "54%", "kind": "percent", "value": 54, "unit": "%"},
], "ignore": [{"start": 55, "end": 57, "text": "12", "why": "page furniture"}]}


def pred(start, end, kind, value, unit=None, qualifier="exact", doc="d1"):
    return {"doc": doc, "start": start, "end": end, "kind": kind, "value": value, "unit": unit, "qualifier": qualifier}


def run(tmp_path, preds, kinds=None, gold=GOLD):
    g = write_jsonl(tmp_path / "gold.jsonl", [gold])
    p = write_jsonl(tmp_path / "pred.jsonl", preds)
    return ev.evaluate(str(g), kinds=kinds, pred_path=str(p))


def test_perfect_and_strict(tmp_path) -> None:
    rep = run(tmp_path, [pred(3, 7, "date", "2023"), pred(17, 22, "count", 1500.0000001, qualifier="more_than"),
                         pred(34, 37, "percent", 54, "%")])
    fig = rep.figures()
    assert (fig["precision"], fig["recall"], fig["f1"], fig["strict_f1"]) == (1.0, 1.0, 1.0, 1.0)
    rep = run(tmp_path, [pred(3, 7, "date", 2023), pred(17, 22, "count", 1500), pred(34, 37, "percent", 54)])
    fig = rep.figures()
    assert fig["f1"] == 1.0 and fig["strict_matched"] == 1  # date as a string matches; qualifier and unit do not
    assert [(g.text, p.qualifier) for g, p in rep.docs[0].loose] == [("1 500", "exact"), ("54%", "exact")]


def test_overlap_kind_value_and_ignore(tmp_path) -> None:
    rep = run(tmp_path, [
        pred(12, 22, "count", 1500, qualifier="more_than"),  # overlap is enough
        pred(34, 37, "count", 54),  # wrong kind: spurious, and the percent is missed
        pred(55, 57, "count", 12),  # on an ignore span: dropped
        pred(40, 46, "count", 7),  # spurious
    ])
    d = rep.docs[0]
    assert d.dropped == 1 and d.matched == 1
    assert [g.text for g in d.missed] == ["2023", "54%"]
    assert len(d.spurious) == 2
    pk = rep.per_kind()
    assert pk["count"]["gold"] == 1 and pk["count"]["predicted"] == 3 and pk["count"]["matched"] == 1
    assert pk["date"]["recall"] == 0.0 and pk["percent"]["predicted"] == 0


def test_one_gold_claim_matches_once_exact_span_first(tmp_path) -> None:
    rep = run(tmp_path, [pred(17, 20, "count", 1500), pred(17, 22, "count", 1500)], kinds=["count"])
    d = rep.docs[0]
    assert d.matched == 1 and [(p.start, p.end) for p in d.spurious] == [(17, 20)]
    assert rep.kinds == ["count"] and set(rep.tally) == {"count"}


def test_empty_scores() -> None:
    assert ev.prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert ev.prf(0, 3, 0) == (0.0, 0.0, 0.0)


def test_gold_file_errors(tmp_path) -> None:
    bad = dict(GOLD, claims=[{"start": 3, "end": 7, "text": "2024", "kind": "date", "value": "2023"}])
    with pytest.raises(ev.GoldError, match="line 1, claim 0: text '2024' differs"):
        ev.load_gold(str(write_jsonl(tmp_path / "g.jsonl", [bad])))
    with pytest.raises(ev.GoldError, match="duplicate id"):
        ev.load_gold(str(write_jsonl(tmp_path / "g.jsonl", [GOLD, GOLD])))
    (tmp_path / "e.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ev.GoldError, match="line 1: not valid JSON"):
        ev.load_gold(str(tmp_path / "e.jsonl"))


def test_predictions_name_documents_by_id_source_or_path(tmp_path) -> None:
    gold = dict(GOLD, source="article-1.txt")
    for doc in ("d1", "article-1.txt", "/some/dir/article-1.txt", "article-1"):
        rep = run(tmp_path, [pred(34, 37, "percent", 54, "%", doc=doc)], gold=gold)
        assert rep.docs[0].matched == 1, doc


def test_the_dev_set_against_itself() -> None:
    rep = ev.evaluate(str(DEV), pred_path=str(DEV))
    fig = rep.figures()
    assert fig["f1"] == 1.0 and fig["strict_f1"] == 1.0 and fig["gold"] > 100


def test_the_dev_set() -> None:
    rep = ev.evaluate(str(DEV))
    fig = rep.figures()
    assert fig["gold"] > 100 and fig["f1"] >= 0.95, ev.score_text(rep)


# --- the reference scorer ----------------------------------------------------------------

def our_predictions(gold: Path, out: Path) -> Path:
    rows = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            rows += [c.to_dict() for c in load().extract(d["text"], d.get("lang") or "auto", doc=d["id"])]
    return write_jsonl(out, rows)


def reference(gold: Path, preds: Path, kinds: str | None = None) -> dict:
    args = [sys.executable, str(SCORE), str(gold), str(preds), "--json"] + (["--kinds", kinds] if kinds else [])
    p = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


FIGURES = ("gold", "predicted", "matched", "strict_matched", "precision", "recall", "f1", "strict_f1")


@pytest.mark.skipif(not SCORE.exists(), reason=f"no reference scorer at {SCORE} (only in the team's checkout)")
@pytest.mark.parametrize("gold", [
    pytest.param(SEEDS, id="seeds"),
    pytest.param(DEV, id="dev"),
])
@pytest.mark.parametrize("kinds", [None, "count,money,date"])
def test_agrees_with_the_reference_scorer(tmp_path, gold: Path, kinds: str | None) -> None:
    if not gold.exists():
        pytest.skip(f"no gold file at {gold}")
    preds = our_predictions(gold, tmp_path / "pred.jsonl")
    ref = reference(gold, preds, kinds)
    wanted = kinds.split(",") if kinds else None
    for mine in (ev.evaluate(str(gold), kinds=wanted), ev.evaluate(str(gold), kinds=wanted, pred_path=str(preds))):
        ours = mine.to_dict()
        assert {k: ours[k] for k in FIGURES} == {k: ref[k] for k in FIGURES}
        assert set(ours["per_kind"]) == set(ref["per_kind"])
        for kind, fig in ref["per_kind"].items():
            assert {k: ours["per_kind"][kind][k] for k in FIGURES if k in fig} == \
                   {k: fig[k] for k in FIGURES if k in fig}, kind
        assert {d: v["dropped_ignored"] for d, v in ours["per_doc"].items()} == \
               {d: v["dropped_ignored"] for d, v in ref["per_doc"].items()}


# --- command line ----------------------------------------------------------------------------

def test_cli_table_json_verbose(cli, tmp_path) -> None:
    g = write_jsonl(tmp_path / "gold.jsonl", [GOLD])
    res = cli("eval", str(g))
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[-1].startswith("F1 ") and "strict-F1" in lines[-1]
    assert any(line.startswith("percent") for line in lines)
    res = cli("eval", str(g), "--format", "json", "--kinds", "percent,count", "--verbose")
    data = json.loads(res.stdout)
    assert data["kinds"] == ["count", "percent"] and "errors" in data and "d1" in data["per_doc"]
    p = write_jsonl(tmp_path / "pred.jsonl", [pred(40, 46, "count", 7)])
    res = cli("eval", str(g), "--pred", str(p), "-v")
    assert "missed   [3:7] «2023»" in res.stdout and "spurious [40:46]" in res.stdout
    out = tmp_path / "report.json"
    assert cli("eval", str(g), "-f", "json", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["documents"] == 1


def test_cli_errors(cli, tmp_path) -> None:
    g = write_jsonl(tmp_path / "gold.jsonl", [GOLD])
    bad = write_jsonl(tmp_path / "bad.jsonl", [dict(GOLD, claims=[{"start": 0, "end": 99, "kind": "count", "value": 1}])])
    res = cli("eval", str(bad))
    assert res.exit_code == 2 and "outside the text" in res.stderr and "Traceback" not in res.output
    assert cli("eval", str(tmp_path / "missing.jsonl")).exit_code == 2
    assert cli("eval", str(g), "--kinds", "money,bogus").exit_code == 2
    assert cli("eval", str(g), "--suite", str(tmp_path)).exit_code == 2
    assert cli("eval", str(g), "--files", "x*").exit_code == 2
