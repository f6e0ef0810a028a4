"""The peer conformance runner (`coopfacts eval --suite`), and the floors it must keep.

The matching rules are tested on small cases written here.  The peers' suites live
beside the repository (../shared/peer-suites, never copied into it); where they are
absent, the tests that read them skip and say so.

Floors: tests/peer_floors.json holds, per case file, the minimum pass rate in percent
on the cases the peer itself passes (`peer_passes`) and on all cases (`all`), with the
cases of docs/peer-disagreements.md left out.  Raise a floor when a rate improves
(``COOPFACTS_RAISE_FLOORS=1 python -m pytest tests/test_conformance.py`` raises every
floor that a run beats, and never lowers one); lowering a floor is a decision to write
down in the commit message, never a side effect.
"""
from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import pytest

from coopfacts import evaluation as cf
from coopfacts.engine import Engine
from coopfacts.evaluation import Span, match_case, value_matches

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT.parent / "shared" / "peer-suites"
FLOORS = ROOT / "tests" / "peer_floors.json"
DISAGREEMENTS = ROOT / "docs" / "peer-disagreements.md"
needs_suite = pytest.mark.skipif(not SUITE.is_dir(), reason=f"no peer suites at {SUITE} (only in the team's checkout)")


# --- matching ----------------------------------------------------------------------------

def S(start, end, kind="count", value=1, **kw) -> Span:
    return Span(start, end, kind, value, **kw)


def test_overlap_kind_and_value_decide() -> None:
    exp = [S(0, 5, value=12)]
    assert match_case(exp, [S(2, 8, value=12.0000000001)])[0] == {0: 0}
    assert match_case(exp, [S(5, 8, value=12)])[0] == {}  # touching is no overlap
    assert match_case(exp, [S(0, 5, "money", 12)])[0] == {}
    assert match_case(exp, [S(0, 5, value=13)])[0] == {}


def test_one_to_one_exact_span_first() -> None:
    exp = [S(0, 10, value=5)]
    m, used = match_case(exp, [S(0, 3, value=5), S(0, 10, value=5)])
    assert m == {0: 1} and used == {1}


def test_range_either_end_and_the_other_end_absorbed() -> None:
    exp = [S(0, 19, "money", None, range={"min": 10, "max": 20})]
    preds = [S(6, 8, "money", 10, group=1), S(12, 19, "money", 20, group=1)]
    m, used = match_case(exp, preds)
    assert len(m) == 1 and used == {0, 1}
    m, used = match_case(exp, [S(6, 8, "money", 15)])
    assert m == {}


def test_base_unit_and_subunit_conversions() -> None:
    grams = S(0, 9, "quantity", 500, unit="g", base_unit=True)
    assert value_matches(grams, S(0, 9, "quantity", 0.5, unit="kg"))
    assert not value_matches(grams, S(0, 9, "quantity", 0.5, unit="km"))
    assert value_matches(grams, S(0, 9, "quantity", 0.005, unit="q"))  # the unit registry's quintal
    assert not value_matches(grams, S(0, 9, "quantity", 0.5, unit="t"))
    cents = S(0, 8, "money", 10, unit=None, subunit=True)
    assert value_matches(cents, S(0, 8, "money", 0.1, unit="USD"))
    assert not value_matches(S(0, 8, "money", 10), S(0, 8, "money", 0.1, unit="USD"))


def test_relative_dates() -> None:
    e = S(0, 10, "date", "2013-04-05", relative=True, alternatives=("XXXX-04-05",))
    assert value_matches(e, S(0, 10, "date", "2013-04-05"))
    assert value_matches(e, S(0, 10, "date", "XXXX-04-05"))
    duck = S(0, 10, "date", "2013-04-05", relative=True)
    assert value_matches(duck, S(0, 10, "date", "XXXX-04-05"))  # the guide never guesses a year
    assert not value_matches(duck, S(0, 10, "date", "XXXX-04-06"))
    assert not value_matches(S(0, 10, "date", "2013-04-05"), S(0, 10, "date", "XXXX-04-05"))


class FakeRunner(cf.Runner):
    """Predictions given by hand: the matching and the case logic without the engine."""

    def __init__(self, preds):
        self.preds = preds

    def supports(self, lang):
        return lang != "de"

    def predict(self, case, category):
        return list(self.preds.get(case["text"], []))


def case(text, expected=(), **kw):
    return {"source": "duckling:test#" + text.replace(" ", "_"), "lang": "fr", "text": text, "expected": list(expected),
            "peer": {"passes": kw.pop("passes", True)}, **kw}


def claim(start, end, text, kind="count", value=1, **kw):
    return {"start": start, "end": end, "text": text, "kind": kind, "value": value, "unit": None, **kw}


def test_case_pass_fail_ignore_and_negative() -> None:
    r = FakeRunner({"a 12": [S(2, 4, value=12)], "b 7 8": [S(2, 3, value=7), S(4, 5, value=8)],
                    "rien": [S(0, 4, value=1)]})
    assert r.run_case(case("a 12", [claim(2, 4, "12", value=12)]), "f", "number").passed
    # a prediction left over fails the case, unless it lies on an ignore span
    assert not r.run_case(case("b 7 8", [claim(2, 3, "7", value=7)]), "f", "number").passed
    ok = r.run_case(case("b 7 8", [claim(2, 3, "7", value=7)], ignore=[{"start": 4, "end": 5, "why": "x"}]),
                    "f", "number")
    assert ok.passed and ok.n_predicted == 1
    assert not r.run_case(case("rien"), "f", "number").passed  # a negative case: nothing expected
    assert r.run_case(case("vide"), "f", "number").passed


def test_relative_date_without_reference_is_skipped() -> None:
    r = FakeRunner({"demain": [S(0, 6, "date", "2020-01-02")]})
    c = case("demain", [claim(0, 6, "demain", "date", "2013-02-13", relative=True)], reference=None)
    res = r.run_case(c, "f", "date")
    assert res.passed and res.n_expected == 0 and res.n_predicted == 0


def test_reference_date_is_passed(monkeypatch) -> None:
    seen = {}

    def fake_extract(self, text, lang, **kw):
        seen.update(kw)
        return []

    monkeypatch.setattr(Engine, "extract", fake_extract)
    cf.Runner().run_case(case("x", reference="2013-02-12T04:30:00-02:00"), "f", "date")
    assert str(seen["reference_date"]) == "2013-02-12" and seen["kinds"] == {"date"}


def test_disagreements_file_is_parsed(tmp_path) -> None:
    md = tmp_path / "d.md"
    md.write_text(
        "# list\n\n| file | source | text | peer | ours | why |\n|---|---|---|---|---|---|\n"
        "| recognizers-number-fr | recognizers-text:Specs/Number/French/NumberModel.json#21 | a \\| b | 1 | 2 | x |\n"
        "| `duckling-money-ar.jsonl` | `duckling:Duckling/AmountOfMoney/AR/Corpus.hs#L42` | t | 1 | 2 | y |\n"
        "| not a file | recognizers-text:x#1 | | | | |\n", encoding="utf-8")
    assert cf.load_disagreements(md) == {
        ("recognizers-number-fr", "recognizers-text:Specs/Number/French/NumberModel.json#21"),
        ("duckling-money-ar", "duckling:Duckling/AmountOfMoney/AR/Corpus.hs#L42")}


def write_suite(directory: Path) -> Path:
    directory.mkdir()
    cases = [
        case("il y a 12 fermes", [claim(7, 9, "12", value=12)]),
        case("rien ici", []),
        case("il y a 40 fermes", [claim(7, 9, "40", value=41)], passes=False),  # wrong on purpose
    ]
    (directory / "test-number-fr.jsonl").write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    (directory / "test-number-de.jsonl").write_text(  # a language with no rules
        json.dumps({**case("zwölf", [claim(0, 5, "zwölf", value=12)]), "lang": "de"}) + "\n", encoding="utf-8")
    (directory / "README.md").write_text("not a case file", encoding="utf-8")
    (directory / "manifest.json").write_text("{}", encoding="utf-8")
    return directory


def test_run_suite_on_a_small_suite(tmp_path) -> None:
    d = write_suite(tmp_path / "suite")
    dis = tmp_path / "dis.md"
    dis.write_text("| test-number-fr | duckling:test#il_y_a_40_fermes | | | | |\n", encoding="utf-8")
    rep = cf.run_suite(d, disagreements=dis)
    data = rep.to_dict(show=5)
    by = {f["file"]: f for f in data["files"]}
    fr = by["test-number-fr"]
    assert (fr["cases"], fr["passed"], fr["failed"]) == (2, 2, 0)
    assert fr["excluded"] == {"cases": 1, "passed": 0, "sources": ["duckling:test#il_y_a_40_fermes"]}
    assert by["test-number-de"]["note"] and by["test-number-de"]["passed"] == 0
    rep = cf.run_suite(d, ["*-fr"], exclude_disagreements=False, disagreements=dis)
    fr = rep.to_dict(show=5)["files"][0]
    assert (fr["cases"], fr["passed"], fr["peer_passes"]["cases"]) == (3, 2, 2)
    assert fr["failures"][0]["expected"][0]["value"] == 41
    text = cf.suite_text(rep, show=5)
    assert "test-number-fr" in text and "il y a 40 fermes" in text and "peer fails it too" in text


def test_cli_suite(cli, tmp_path) -> None:
    d = write_suite(tmp_path / "suite")
    res = cli("eval", "--suite", str(d), "--format", "json", "--show", "1")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {f["file"] for f in data["files"]} == {"test-number-fr", "test-number-de"}
    assert data["total"]["cases"] == 4
    res = cli("eval", "--suite", str(d), "--files", "*-fr")
    assert res.exit_code == 0 and "test-number-de" not in res.stdout and "total" in res.stdout
    assert cli("eval", "--suite", str(tmp_path / "nope")).exit_code == 2
    assert cli("eval", "--suite", str(d), "--files", "zzz*").exit_code == 2
    assert cli("eval", "--suite", str(d), "--kinds", "money").exit_code == 2
    assert cli("eval").exit_code == 2


# --- the peers' suites ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def suite_report():
    t0 = time.perf_counter()
    rep = cf.run_suite(SUITE, disagreements=DISAGREEMENTS)
    return rep, time.perf_counter() - t0


def floors() -> dict:
    return {k: v for k, v in json.loads(FLOORS.read_text(encoding="utf-8")).items() if not k.startswith("_")}


@needs_suite
def test_suite_runs_fast(suite_report) -> None:
    _, seconds = suite_report
    assert seconds < 20, f"the conformance run took {seconds:.1f} s"


@needs_suite
def test_every_case_file_has_a_floor(suite_report) -> None:
    rep, _ = suite_report
    missing = sorted({f.file for f in rep.files} - set(floors()))
    assert not missing, f"case files without a floor in {FLOORS.name}: {missing}"


def _percent(passed: int, n: int) -> float | None:
    return 100.0 * passed / n if n else None


@needs_suite
def test_pass_rates_keep_their_floors(suite_report) -> None:
    rep, _ = suite_report
    fl = floors()
    raise_them = os.environ.get("COOPFACTS_RAISE_FLOORS") == "1"
    below = []
    raised = False
    for f in rep.files:
        if f.file not in fl:
            continue
        for key, only_pp in (("peer_passes", True), ("all", False)):
            n, ok = f.tally(only_pp)
            rate = _percent(ok, n)
            floor = fl[f.file].get(key)
            if rate is None or floor is None:
                continue
            if rate + 1e-9 < floor:
                below.append(f"{f.file} {key}: {rate:.1f}% < floor {floor}%")
            elif raise_them and math.floor(rate + 1e-9) > floor:
                fl[f.file][key] = math.floor(rate + 1e-9)
                raised = True
    if raised:
        data = json.loads(FLOORS.read_text(encoding="utf-8"))
        data.update(fl)
        FLOORS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert not below, "pass rates fell below their floors:\n" + "\n".join(below)


@needs_suite
def test_listed_disagreements_name_real_cases() -> None:
    listed = cf.load_disagreements(DISAGREEMENTS)
    assert listed, "docs/peer-disagreements.md lists no case"
    sources = {}
    for p in SUITE.glob("*.jsonl"):
        sources[p.stem] = {c.get("source") for c in cf.read_cases(p)}
    unknown = sorted(f"{f} {s}" for f, s in listed if s not in sources.get(f, set()))
    assert not unknown, f"listed in {DISAGREEMENTS.name} but not in the suites: {unknown}"


@needs_suite
def test_disagreements_are_reported_apart(suite_report) -> None:
    rep, _ = suite_report
    n_listed = len(cf.load_disagreements(DISAGREEMENTS))
    assert sum(len(f.excluded) for f in rep.files) == n_listed
    data = rep.to_dict(show=0)
    assert data["total"]["excluded"] == n_listed
