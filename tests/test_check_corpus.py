"""The check corpus (samples/check/): consistent articles and planted contradictions of each
kind, in Arabic, Persian and French, with the findings each should give; scored through
`coopfacts eval --check` as a user runs it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopfacts import load
from coopfacts.check import CheckCorpusError, check_document, load_check_cases, score_check_cases

CORPUS = Path(__file__).resolve().parents[1] / "samples" / "check"
CASES = load_check_cases(str(CORPUS))


def test_corpus_covers_each_language_and_kind():
    langs = {c.lang for c in CASES}
    kinds = {e["finding"] for c in CASES for e in c.expected or []}
    assert langs == {"ar", "fa", "fr"}
    assert {"change", "multiple", "part_whole", "parts_sum", "shares_sum", "different_figures"} <= kinds
    planted = [c for c in CASES if any(e["verdict"] == "contradicted" for e in c.expected or [])]
    assert len(planted) >= 24 and len(CASES) >= 2 * len(planted)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_article_gives_what_it_should(case):
    engine = load()
    claims = engine.extract(case.text, case.lang, doc=case.id)
    findings = check_document(claims, case.text, rulebook=engine.rulebook)
    got = [(f.finding, f.verdict, [s["text"] for s in f.spans]) for f in findings]
    for e in case.expected:
        assert any(g[0] == e["finding"] and g[1] == e["verdict"] and (e["text"] is None or e["text"] in g[2])
                   for g in got), (e, got)
    planted = {e["finding"] for e in case.expected if e["verdict"] == "contradicted"}
    wrong = [g for g in got if g[1] == "contradicted" and g[0] not in planted]
    assert wrong == []


def test_eval_check_reports_precision_and_recall(cli):
    r = cli("eval", "--check", str(CORPUS), "--format", "json")
    assert r.exit_code == 0, r.stderr
    fig = json.loads(r.stdout)["check"][str(CORPUS)]
    assert fig["precision"] == 1.0 and fig["recall"] == 1.0
    assert fig["planted"] == fig["caught"] == fig["contradicted"] >= 24
    assert fig["clean_kept"] == fig["clean_articles"] >= 24
    assert fig["consistent_found"] == fig["consistent_expected"]


def test_eval_check_text_report(cli):
    r = cli("eval", "--check", str(CORPUS / "check-fr.jsonl"))
    assert r.exit_code == 0, r.stderr
    assert "precision 1.000" in r.stdout and "recall 1.000" in r.stdout


def test_real_article_without_expected_counts_every_contradiction(tmp_path):
    # an article without "expected" should give no contradiction: one is a false alarm
    f = tmp_path / "c.jsonl"
    f.write_text(json.dumps({"id": "x", "lang": "fr", "text": "La fédération regroupe 312 coopératives, "
                             "dont 418 dans le secteur agricole."}, ensure_ascii=False) + "\n", encoding="utf-8")
    s = score_check_cases(load_check_cases(str(f)), load())
    assert (s.contradicted, s.real, s.precision, s.clean_kept) == (1, 0, 0.0, 0)
    assert s.false_alarms[0][:2] == ("x", "part_whole")


@pytest.mark.parametrize("content, message", [
    ("{not json\n", "not valid JSON"),
    ('{"id": "a"}\n', "needs a string 'text'"),
    ('{"id": "a", "text": "x", "expected": [1]}\n', "'expected' is a list"),
    ('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "its own string 'id'"),
])
def test_bad_corpus_is_one_line(tmp_path, cli, content, message):
    f = tmp_path / "bad.jsonl"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(CheckCorpusError, match=message):
        load_check_cases(str(f))
    r = cli("eval", "--check", str(f))
    assert r.exit_code == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_check_option_alone(cli):
    r = cli("eval", "--check", str(CORPUS), "--kinds", "money")
    assert r.exit_code == 2 and "--kinds does not apply to --check" in r.stderr


def test_a_directory_of_articles_and_other_files(tmp_path, cli):
    (tmp_path / "a.txt").write_text("La coopérative compte 312 membres, dont 418 femmes.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("La coopérative compte 312 membres, dont 118 femmes.\n", encoding="utf-8")
    (tmp_path / "a.expected.jsonl").write_text('{"kind": "count", "value": 312}\n', encoding="utf-8")
    skipped: list[str] = []
    cases = load_check_cases(str(tmp_path), skipped)
    assert sorted(Path(c.id).name for c in cases) == ["a.txt", "b.md"] and all(c.expected is None for c in cases)
    assert [Path(x).name for x in skipped] == ["a.expected.jsonl"]
    r = cli("eval", "--check", str(tmp_path), "--format", "json")
    fig = json.loads(r.stdout)["check"][str(tmp_path)]
    assert (fig["contradicted"], fig["real"], fig["clean_kept"], fig["clean_articles"]) == (1, 0, 1, 2)
    assert [Path(x).name for x in fig["skipped"]] == ["a.expected.jsonl"]
    r = cli("eval", "--check", str(tmp_path))
    assert "left out, not check corpora: a.expected.jsonl" in r.stdout


def test_the_repository_real_articles_as_a_check_corpus(cli):
    dev = Path(__file__).resolve().parent / "dev"
    r = cli("eval", "--check", str(dev), "--format", "json")
    fig = json.loads(r.stdout)["check"][str(dev)]
    assert fig["articles"] >= 54 and fig["contradicted"] == 0 and fig["clean_kept"] == fig["articles"]
