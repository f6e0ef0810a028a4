"""The claim record, schema 2: every key in every record, stable unique ids, the sentence as
context, a numeric ``number`` and the Gregorian days a date covers, in any calendar."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conftest import jsonl
from coopfacts import extract
from coopfacts.model import CONTEXT_MAX, FIELDS, SCHEMA_VERSION, Claim, claim_id, context_of

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "gold" / "seeds.jsonl"


def seed_docs() -> list[dict]:
    docs = [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted((ROOT / "samples").glob("*.txt"))]
    if SEEDS.is_file():
        docs += [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return docs


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [c.to_dict() for d in seed_docs() for c in extract(d["text"], doc=d["id"])]


def test_every_record_has_every_key_in_order(records) -> None:
    assert len(records) > 100
    assert {tuple(r) for r in records} == {FIELDS}
    assert all(r["schema_version"] == SCHEMA_VERSION == "2.0" for r in records)
    assert all(isinstance(r["relative"], bool) and isinstance(r["dateline"], bool) for r in records)


def test_ids_unique_and_stable(records) -> None:
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids)
    again = [c.to_dict()["id"] for d in seed_docs() for c in extract(d["text"], doc=d["id"])]
    assert again == ids
    assert claim_id("a.txt", 3, 9) == claim_id("a.txt", 3, 9) != claim_id("a.txt", 3, 10) != claim_id("b", 3, 10)
    assert claim_id("a.txt", 3, 9, 1) != claim_id("a.txt", 3, 9)


def test_context_is_the_sentence_holding_the_claim(records) -> None:
    for r in records:
        assert r["text"] in r["context"], r
    (c,) = extract("Première phrase. La région compte 300 coopératives. Dernière.", "fr", kinds="count")
    assert c.to_dict()["context"] == "La région compte 300 coopératives."


def test_context_of_a_huge_sentence_is_a_window() -> None:
    text = "mot " * 1000 + "la région compte 300 coopératives " + "mot " * 1000
    start = text.index("300")
    ctx = context_of(text, 0, len(text), start, start + 3)
    assert "300" in ctx and ctx.startswith("…") and ctx.endswith("…")
    assert len(ctx) < CONTEXT_MAX
    (c,) = extract(text, "fr", kinds="count")
    assert c.to_dict()["context"] == ctx


def test_number_is_numeric_for_numeric_kinds_and_null_for_dates(records) -> None:
    for r in records:
        if r["kind"] == "date":
            assert r["number"] is None
        else:
            assert isinstance(r["number"], (int, float)) and not isinstance(r["number"], bool), r
            assert math.isclose(r["number"], r["value"])


def test_dated_claims_have_their_days(records) -> None:
    dates = [r for r in records if r["kind"] == "date"]
    assert len(dates) > 20
    for r in dates:
        assert r["grain"] in ("year", "month", "day"), r
        if r["value"].startswith("XXXX"):
            assert r["date_start"] is None and r["date_end"] is None
        else:
            assert r["date_start"] <= r["date_end"], r
    for r in records:
        if r["kind"] != "date":
            assert r["date_start"] is r["date_end"] is r["grain"] is None


def one(text: str, lang: str, **kw) -> dict:
    (c,) = [c for c in extract(text, lang, **kw) if c.kind == "date"]
    return c.to_dict()


@pytest.mark.parametrize("text,lang,value,start,end,grain,calendar", [
    ("en 2023", "fr", "2023", "2023-01-01", "2023-12-31", "year", "gregorian"),
    ("en février 2024", "fr", "2024-02", "2024-02-01", "2024-02-29", "month", "gregorian"),
    ("le 5 mars 2021", "fr", "2021-03-05", "2021-03-05", "2021-03-05", "day", "gregorian"),
    ("در سال ۱۴۰۲", "fa", "1402", "2023-03-21", "2024-03-19", "year", "jalali"),
    ("در مهر ۱۴۰۱", "fa", "1401-07", "2022-09-23", "2022-10-22", "month", "jalali"),
    ("در ۲۹ مرداد ۱۴۰۲", "fa", "2023-08-20", "2023-08-20", "2023-08-20", "day", "jalali"),
    ("في شهر شعبان 1444 هـ", "ar", "1444-08", "2023-02-21", "2023-03-22", "month", "hijri"),
    ("في عام 1445 هـ", "ar", "1445", "2023-07-19", "2024-07-06", "year", "hijri"),
])
def test_date_ranges_in_every_calendar(text, lang, value, start, end, grain, calendar) -> None:
    r = one(text, lang)
    assert (r["value"], r["date_start"], r["date_end"], r["grain"], r["calendar"]) == \
        (value, start, end, grain, calendar)


def test_a_day_without_a_year_guesses_nothing_and_names_its_calendar() -> None:
    r = one("در ۱۵ خرداد", "fa")  # 15 Khordad: early June, not 15 March
    assert r["value"] == "XXXX-03-15[u-ca=persian]" and r["calendar"] == "jalali"
    assert (r["date_start"], r["date_end"], r["grain"]) == (None, None, "day")
    g = one("le 16 janvier", "fr")
    assert g["value"] == "XXXX-01-16" and g["calendar"] == "gregorian"  # as the guide writes it
    assert (g["date_start"], g["date_end"], g["grain"]) == (None, None, "day")


def test_relative_dates_have_days() -> None:
    r = one("L'an dernier, la production a baissé.", "fr", reference_date="2024-05-01")
    assert (r["value"], r["date_start"], r["date_end"], r["relative"]) == ("2023", "2023-01-01", "2023-12-31", True)


def test_from_dict_round_trip(records) -> None:
    for r in records[:200]:
        assert Claim.from_dict(r).to_dict() == r
    old = {"doc": "a", "lang": "fr", "start": 0, "end": 4, "text": "2023", "kind": "date", "value": "2023",
           "unit": None, "unit_text": None, "qualifier": "exact", "entity": None, "sentence_start": 0,
           "sentence_end": 4, "rule": "fr.year", "calendar": "gregorian"}  # a record of schema 1.0
    assert Claim.from_dict(old).to_dict()["date_end"] == "2023-12-31"


def test_cli_repeated_document_ids_get_unique_claim_ids(cli, tmp_path: Path) -> None:
    line = json.dumps({"id": "a", "text": "Plus de 500 exposants et 20 % de plus."})
    (tmp_path / "c.jsonl").write_text(line + "\n" + line + "\n", encoding="utf-8")
    res = cli("extract", str(tmp_path / "c.jsonl"), "-q")
    assert res.exit_code == 0, res.stderr
    recs = jsonl(res.stdout)
    assert len(recs) == 4 and len({r["id"] for r in recs}) == 4
    assert recs[0]["id"] == claim_id("a", recs[0]["start"], recs[0]["end"])  # the first keeps the plain id
