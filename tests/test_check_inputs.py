"""`coopfacts check` reads what `extract` reads: JSON Lines corpora (id, text, lang fields),
directories, standard input, with --reference-date and --kinds."""
from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "samples" / "check" / "check-fr.jsonl"


def _records(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def test_a_json_lines_corpus_is_one_document_a_line(cli):
    r = cli("check", str(CORPUS), "-q", "-f", "jsonl")
    assert r.exit_code == 3, r.stderr  # the planted contradictions
    found = _records(r.stdout)
    records = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    ids = {r["id"] for r in records}
    assert {f["doc"] for f in found} <= ids
    contradicted = {f["doc"] for f in found if f["verdict"] == "contradicted"}
    assert contradicted == {r["id"] for r in records if any(e["verdict"] == "contradicted" for e in r["expected"])}
    assert not any("«_»" in f["why"] for f in found)


def test_fields_and_language_of_a_corpus(cli, tmp_path: Path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"key": "n1", "body": "La coopérative compte 312 membres, dont 418 femmes.",
                                  "language": "fr"}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = cli("check", str(corpus), "--id-field", "key", "--text-field", "body", "--lang-field", "language",
            "-q", "-f", "jsonl")
    assert r.exit_code == 3, r.stderr
    (f,) = [f for f in _records(r.stdout) if f["verdict"] == "contradicted"]
    assert (f["doc"], f["finding"], f["text"]) == ("n1", "part_whole", "418")
    r = cli("check", str(corpus), "-q")
    assert r.exit_code == 1 and "no 'id' field" in r.stderr and "Traceback" not in r.stderr


def test_standard_input_and_directories(cli, tmp_path: Path):
    text = "La coopérative compte 312 membres, dont 418 femmes.\n"
    r = cli("check", "-", "-q", "-f", "jsonl", input=text.encode("utf-8"))
    assert r.exit_code == 3 and _records(r.stdout)[0]["doc"] == "<stdin>"
    line = json.dumps({"id": "s1", "text": text}, ensure_ascii=False) + "\n"
    r = cli("check", "-", "--input-format", "jsonl", "-q", "-f", "jsonl", input=line.encode("utf-8"))
    assert r.exit_code == 3 and _records(r.stdout)[0]["doc"] == "s1"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("La coopérative compte 312 membres, dont 118 femmes.\n", encoding="utf-8")
    r = cli("check", str(tmp_path), "-q", "-f", "jsonl")
    assert r.exit_code == 3
    assert sorted({Path(f["doc"]).name for f in _records(r.stdout)}) == ["a.txt", "b.txt"]


def test_kinds_keep_the_findings_about_those_kinds(cli, tmp_path: Path):
    art = tmp_path / "a.txt"
    art.write_text("La coopérative compte 312 membres, dont 418 femmes. Son budget atteint 300 millions d'euros, "
                   "dont 120 millions d'euros pour les silos.\n", encoding="utf-8")
    r = cli("check", str(art), "-q", "-f", "jsonl", "--kinds", "money")
    assert r.exit_code == 0, r.stderr  # the contradicted count is left out
    assert {f["spans"][0]["kind"] for f in _records(r.stdout)} == {"money"}
    r = cli("check", str(art), "--kinds", "euros")
    assert r.exit_code == 2 and "--kinds" in r.stderr


def test_reference_date_resolves_relative_time(cli, tmp_path: Path):
    art = tmp_path / "a.txt"
    art.write_text("L'an dernier, la coopérative comptait 900 membres.\n", encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text("label,value,date\nmembres,900,2022\n", encoding="utf-8")
    r = cli("check", str(art), "--against", str(table), "--reference-date", "2023-05-01", "-q", "-f", "jsonl")
    assert r.exit_code == 0, r.stderr
    (f,) = [f for f in _records(r.stdout) if f["check"] == "reference" and f["text"] == "900"]
    assert f["verdict"] == "supported" and "2022" in f["why"]
    r = cli("check", str(art), "--against", str(table), "--reference-date", "2024-05-01", "-q", "-f", "jsonl")
    (f,) = [f for f in _records(r.stdout) if f["check"] == "reference" and f["text"] == "900"]
    assert f["verdict"] == "unverified"
    r = cli("check", str(art), "--reference-date", "yesterday")
    assert r.exit_code == 2 and "--reference-date" in r.stderr
