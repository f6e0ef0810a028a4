"""coopfacts check: reference tables, internal consistency, across documents, the command.

Texts and tables are written here for the purpose; a few tests build claims by hand
(``_claim``) so that a check is tested on exactly the claims it is given, whatever the
rules find.  End-to-end tests go through the packaged rules.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from coopfacts import extract
from coopfacts.check import (
    EXIT_CONTRADICTED,
    Finding,
    Interval,
    ReferenceError,
    check_across,
    check_document,
    check_internal,
    check_reference,
    claim_interval,
    exit_status,
    fold,
    parse_reference,
    parse_tolerance,
)
from coopfacts.engine import Engine
from coopfacts.model import Claim
from coopfacts.units import registry

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

measure = registry().measure  # figures are compared in base units of the one unit registry

HEADER = "id,label,value,unit,date,tolerance,source\n"


def table(*rows: str) -> list:
    return parse_reference(HEADER + "\n".join(rows) + "\n", "t.csv")


def ref(text: str, lang: str, *rows: str) -> list[Finding]:
    claims = extract(text, lang, doc="a.txt")
    return check_reference(claims, text, table(*rows))


def verdict_of(findings: list[Finding], piece: str) -> Finding:
    hits = [f for f in findings if any(s["text"] == piece for s in f.spans)]
    assert hits, f"no finding quotes {piece!r}: {[f.spans for f in findings]}"
    return hits[0]


def internal(text: str, lang: str, finding: str | None = None) -> list[Finding]:
    out = check_internal(extract(text, lang, doc="a.txt"), text)
    return [f for f in out if finding is None or f.finding == finding]


def _claim(text: str, piece: str, kind: str, value, unit=None, qualifier="exact", entity=None, lang="fr",
           nth: int = 0, **extra) -> Claim:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Claim(doc="h.txt", lang=lang, start=start, end=start + len(piece), text=piece, kind=kind, value=value,
                 unit=unit, qualifier=qualifier, entity=entity, sentence_start=0, sentence_end=len(text), extra=extra)


def assert_spans_quote(findings: list[Finding], texts: dict[str, str]) -> None:
    for f in findings:
        assert f.spans
        for s in f.spans:
            assert texts[s["doc"]][s["start"]:s["end"]] == s["text"], s


# --- units and qualifiers --------------------------------------------------------------

def test_toman_and_rial_compare_after_conversion():
    assert measure("money", 44e12, "IRT") == measure("money", 440e12, "IRR")
    assert measure("money", 1, "IRT")[0] == "money:IRR"
    assert measure("money", 1, "MAD")[0] != measure("money", 1, "EUR")[0]  # no exchange rates


@pytest.mark.parametrize("a, b", [
    (("duration", 2, "year"), ("duration", 24, "month")),
    (("duration", 3, "week"), ("duration", 21, "day")),
    (("duration", 1, "day"), ("duration", 24, "hour")),
    (("quantity", 650, "t"), ("quantity", 650000, "kg")),
    (("quantity", 12000, "ha"), ("quantity", 120, "km2")),
    (("quantity", 64, "km"), ("quantity", 64000, "m")),
    (("quantity", 2, "m3"), ("quantity", 2000, "l")),
])
def test_units_convert_within_a_dimension(a, b):
    ma, mb = measure(*a), measure(*b)
    assert ma[0] == mb[0]
    assert ma[1] == pytest.approx(mb[1])


def test_units_of_different_dimensions_do_not_compare():
    assert measure("quantity", 1, "t")[0] != measure("quantity", 1, "ha")[0]
    assert measure("duration", 1, "year")[0] != measure("count", 1, None)[0]
    assert measure("date", "2023", None) is None


@pytest.mark.parametrize("qualifier, value, truth, ok", [
    ("more_than", 30, 34, True), ("more_than", 30, 30, False), ("at_least", 30, 30, True),
    ("at_least", 30, 29, False), ("less_than", 10, 10, False), ("less_than", 10, 9, True),
    ("at_most", 10, 10, True), ("at_most", 10, 11, False), ("approx", 200, 195, True),
    ("approx", 200, 189, False), ("exact", 200, 200, True), ("exact", 200, 201, False),
])
def test_qualifier_semantics(qualifier, value, truth, ok):
    assert claim_interval(value, qualifier).overlaps(Interval(truth, truth)) is ok


def test_tolerance_parsing():
    assert parse_tolerance("2%") == (0.02, True)
    assert parse_tolerance("1000") == (1000.0, False)
    assert parse_tolerance("") is None
    with pytest.raises(ValueError):
        parse_tolerance("about two")


def test_fold_ignores_case_accents_harakat_and_letter_variants():
    assert fold("COOPÉRATIVES", "fr") == fold("coopératives", "fr")
    assert fold("تَعاوُنِيّة", "ar") == fold("تعاونية", "ar")
    assert fold("تعاوني", "fa") == fold("تعاونی", "fa")  # Arabic yeh written for Persian yeh
    assert fold("تعاونی\u200cها", "fa") == fold("تعاونیها", "fa")  # ZWNJ: a format character
    # a fold only the Persian rules make (heh doachashmee) applies to Arabic text too:
    # the languages of one script fold with each other's normalisers
    assert fold("مھندس", "ar") == fold("مهندس", "ar")
    assert fold("ھ", "fr") != fold("ه", "fr")  # not across scripts


@pytest.mark.parametrize("cell, unit, kind", [
    ("%", "%", "percent"), ("٪", "%", "percent"), ("درصد", "%", "percent"), ("pourcent", "%", "percent"),
    ("تومان", "IRT", "money"), ("ریال", "IRR", "money"), ("ريال", "SAR", "money"),  # Persian yeh: fa; Arabic: ar
    ("mad", "MAD", "money"), ("EUR", "EUR", "money"), ("Year", "year", "duration"), ("ratio", "ratio", "ratio"),
    ("kWh", "kWh", "quantity"), ("km2", "km2", "quantity"), ("hectares", "ha", "quantity"),
    ("tracteurs", "tracteurs", None),  # no rule file knows it: kept as written
])
def test_unit_cells_are_read_with_the_rule_files(cell, unit, kind):
    from coopfacts.check import read_unit

    assert read_unit(cell) == (unit, kind)


def test_unit_words_in_a_reference_table():
    rows = table("a,تسهیلات,12,تومان,,,", "b,نرخ,18,درصد,,,", "c,taux,18,pourcent,,,")
    assert [(r.kind, r.unit, r.value) for r in rows] == [("money", "IRT", 12.0), ("percent", "%", 18.0),
                                                         ("percent", "%", 18.0)]
    with pytest.raises(ReferenceError, match="t.csv:2: unit: 'همت' is 1 000 000 000 000 IRT"):
        table("a,تسهیلات,44,همت,,,")  # a multiple of its unit: the value would not be in IRT


def test_power_and_energy_compare_through_the_unit_registry():
    from coopfacts.check import read_unit

    assert read_unit("mw") == ("MW", "quantity")  # as the registry spells it
    text = "La centrale solaire de 50 MW produira 120 GWh par an."
    fs = ref(text, "fr", "p,centrale,0.05,GW,,,", "e,produira,120000,MWh,,,")
    assert (verdict_of(fs, "50 MW").row, verdict_of(fs, "50 MW").verdict) == ("p", "supported")
    assert (verdict_of(fs, "120 GWh").row, verdict_of(fs, "120 GWh").verdict) == ("e", "supported")


# --- the reference table ----------------------------------------------------------------

def test_reference_table_columns_and_figures_as_written():
    rows = table(
        "r1,تسهیلات|crédits,44 همت,IRR,jalali:1402,2%,bank",
        "r2,chiffre d'affaires,205 millions de dinars,TND,,,registre",
        "r3,taux,12.5%,,2019/2023,0.5,",
        "r4,signature,2024-01-15,,,,",
        ",emplois,4000,,,,",
    )
    r1, r2, r3, r4, r5 = rows
    assert (r1.kind, r1.unit, r1.value) == ("money", "IRR", 440e12)  # 44 همت = 44·10¹² toman = 440·10¹² rial
    assert r1.tolerance == (0.02, True) and r1.source == "bank" and r1.date is not None
    assert r1.date[0].isoformat() == "2023-03-21"  # 1 Farvardin 1402
    assert (r2.kind, r2.unit, r2.value) == ("money", "TND", 205e6)  # the unit column names the dinar
    assert (r3.kind, r3.unit, r3.value, r3.tolerance) == ("percent", "%", 12.5, (0.5, False))
    assert (r3.date[0].year, r3.date[1].year) == (2019, 2023)
    assert (r4.kind, r4.value) == ("date", "2024-01-15")
    assert (r5.kind, r5.id) == ("count", "line 6")


def test_reference_table_in_json_lines():
    rows = parse_reference('{"label": "emplois", "value": 4000}\n# a comment\n{"label": "budget", "value": 3e7, "unit": "TND"}\n')
    assert [(r.label, r.kind, r.value) for r in rows] == [("emplois", "count", 4000.0), ("budget", "money", 3e7)]


def test_reference_table_with_semicolons_and_a_bom(tmp_path: Path):
    from coopfacts.check import load_reference

    p = tmp_path / "t.csv"
    p.write_bytes("\ufefflabel;value;unit\nemplois;4000;\n".encode("utf-8"))
    assert [(r.label, r.value) for r in load_reference(str(p))] == [("emplois", 4000.0)]


@pytest.mark.parametrize("text, message", [
    ("label,unit\nx,%\n", "t.csv:1: no 'value' column"),
    ("label,value,tolerance\nx,3,a lot\n", "t.csv:2: tolerance"),
    ("label,value\nx,beaucoup\n", "t.csv:2: value: cannot read one figure"),
    ("label,value\n,3\n", "t.csv:2: label: empty"),
    ("label,value,date\nx,3,someday\n", "t.csv:2: date: cannot read"),
    ("label,value,kind\nx,3,weight\n", "t.csv:2: kind"),
    ('{"label": "x", "value": 3}\n{"label": \n', "t.csv:2: not valid JSON"),
    ("label,value\n", "t.csv: no rows"),
])
def test_reference_table_errors_name_file_and_line(text, message):
    with pytest.raises(ReferenceError) as exc:
        parse_reference(text, "t.csv")
    assert str(exc.value).startswith(message), str(exc.value)


# --- verdicts against the reference, in every language ----------------------------------

FR = "En 2023, la région comptait plus de 30 coopératives agricoles et environ 200 tracteurs."


def test_more_than_is_supported_by_more_not_by_equal():
    assert verdict_of(ref(FR, "fr", "a,coopératives,34,,,,"), "30").verdict == "supported"
    f = verdict_of(ref(FR, "fr", "a,coopératives,30,,,,"), "30")
    assert f.verdict == "contradicted" and "more_than" in f.why and f.row == "a"


def test_about_is_supported_within_five_percent():
    assert verdict_of(ref(FR, "fr", "t,tracteurs,195,,,,"), "200").verdict == "supported"
    f = verdict_of(ref(FR, "fr", "t,tracteurs,185,,,,"), "200")
    assert f.verdict == "contradicted" and f.difference == pytest.approx(15 / 185)


def test_row_tolerance_relative_and_absolute():
    text = "Le fonds atteint 17 milliards de francs CFA."
    assert verdict_of(ref(text, "fr", "f,fonds,\"17,3 milliards de francs CFA\",,,,"), "17 milliards de francs CFA").verdict == "contradicted"
    assert verdict_of(ref(text, "fr", "f,fonds,\"17,3 milliards de francs CFA\",,,2%,"), "17 milliards de francs CFA").verdict == "supported"
    assert verdict_of(ref(text, "fr", "f,fonds,17300000000,XOF,,400000000,"), "17 milliards de francs CFA").verdict == "supported"


def test_unverified_when_no_row_speaks_of_it():
    f = verdict_of(ref(FR, "fr", "b,budget,30,,,,"), "30")
    assert f.verdict == "unverified" and f.row is None


def test_label_words_any_case_and_accents():
    assert verdict_of(ref(FR, "fr", "a,COOPERATIVES AGRICOLES,34,,,,"), "30").verdict == "supported"


def test_persian_toman_against_rial_row():
    text = "از ابتدای سال ۱۴۰۲ بیش از ۱۲ همت تسهیلات به تعاونی‌ها پرداخت شد."
    f = verdict_of(ref(text, "fa", "c,تسهيلات,128000 میلیارد ریال,,,,"), "۱۲ همت")  # Arabic yeh in the label
    assert f.verdict == "supported" and f.expected == 12_800_000_000_000
    f = verdict_of(ref(text, "fa", "c,تسهیلات,110000 میلیارد ریال,,,,"), "۱۲ همت")
    assert f.verdict == "contradicted"
    assert verdict_of(ref(text, "fa", "c,وام,12 همت,,,,"), "۱۲ همت").verdict == "unverified"


def test_arabic_verdicts_and_counted_noun():
    text = "تضم الجهة 1.245 تعاونية نشيطة تشغل أكثر من 22 ألف امرأة قروية."
    fs = ref(text, "ar", "a,تعاونيات نشيطة|تعاونية نشيطة,1245,,,,", "b,امرأة,21500,,,,")
    assert verdict_of(fs, "1.245").verdict == "supported"
    women = verdict_of(fs, "22 ألف")
    assert women.verdict == "contradicted" and women.row == "b" and "counted noun" in women.why
    assert verdict_of(ref(text, "ar", "b,مزارع,21500,,,,"), "22 ألف").verdict == "unverified"


@pytest.mark.parametrize("text, label", [
    ("وبلغ عدد المستفيدين 1200 فلاح، وللتعاونيات 300 منحة.", "تعاونيات"),  # clitic ولل (rule file)
    ("استفادت والتعاونيات الفلاحية من 300 منحة.", "التعاونيات"),  # clitic و
    ("شارك في الدورة 300 مھندس زراعي.", "مهندس"),  # ھ folded by the Persian rules
    ("تم تمويل 300 تعاونية فلاحية.", "فلاحیة"),  # a label typed with Persian yeh
])
def test_arabic_labels_with_clitics_and_letter_variants(text, label):
    f = verdict_of(ref(text, "ar", f"a,{label},300,,,,"), "300")
    assert f.verdict == "supported" and f.row == "a"


def test_clitics_come_from_the_rule_file(tmp_path: Path):
    import yaml

    from coopfacts.rulebook import Rulebook

    text = "استفادت والتعاونيات الفلاحية من 300 منحة."
    rows = table("a,التعاونيات,300,,,,")
    assert verdict_of(check_reference(extract(text, "ar", doc="a"), text, rows), "300").verdict == "supported"
    shutil.copytree(ROOT / "rules" / "ar", tmp_path / "ar")  # the language's files, one section changed
    data = yaml.safe_load((tmp_path / "ar" / "language.yaml").read_text(encoding="utf-8"))
    data["clitics"] = []
    (tmp_path / "ar" / "language.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rb = Rulebook([tmp_path])
    fs = check_reference(Engine(rb).extract(text, "ar", doc="a"), text, rows, rulebook=rb)
    assert verdict_of(fs, "300").verdict == "unverified"


def test_arabic_label_without_the_article_matches_text_with_it():
    # the article comes from rules/ar.yaml (`articles:`), alone or behind a clitic (وال)
    text = "استفادت التعاونيات الفلاحية من 300 منحة."
    assert verdict_of(ref(text, "ar", "a,تعاونيات,300,,,,"), "300").verdict == "supported"


def test_label_in_the_counted_noun_of_another_figure_is_not_this_ones():
    text = "Le réseau compte 412 coopératives et 210 000 membres."
    fs = ref(text, "fr", "m,membres,205000,,,,")
    assert verdict_of(fs, "412").verdict == "unverified"
    assert verdict_of(fs, "210 000").row == "m"


def test_kind_and_unit_must_be_comparable():
    text = "La coopérative exploite 40 hectares."
    assert verdict_of(ref(text, "fr", "s,coopérative,40,t,,,"), "40 hectares").verdict == "unverified"
    assert verdict_of(ref(text, "fr", "s,coopérative,0.4,km2,,,"), "40 hectares").verdict == "supported"
    assert verdict_of(ref(text, "fr", "s,coopérative,40,,,,"), "40 hectares").verdict == "unverified"  # a count


def test_duration_in_months_against_years():
    text = "Les crédits sont remboursables sur sept ans."
    assert verdict_of(ref(text, "fr", "d,remboursables,84,month,,,"), "sept ans").verdict == "supported"
    assert verdict_of(ref(text, "fr", "d,remboursables,5,year,,,"), "sept ans").verdict == "contradicted"


def test_dates_must_agree_when_both_have_one():
    text = "En 2023, la région comptait 312 entreprises."
    f = verdict_of(ref(text, "fr", "e,entreprises,300,,2022,,"), "312")
    assert f.verdict == "unverified" and "2022" in f.why
    f = verdict_of(ref(text, "fr", "e,entreprises,312,,2023,,"), "312")
    assert f.verdict == "supported" and "2023" in f.why
    assert verdict_of(ref(text, "fr", "e,entreprises,312,,2020/2024,,"), "312").verdict == "supported"
    undated = "La région comptait 312 entreprises."
    assert verdict_of(ref(undated, "fr", "e,entreprises,312,,2022,,"), "312").verdict == "supported"


def test_jalali_dates_against_gregorian_rows():
    text = "در سال ۱۴۰۲ تعداد ۴۱۲ تعاونی فعال بودند."
    assert verdict_of(ref(text, "fa", "t,تعاونی,412,,2023,,"), "۴۱۲").verdict == "supported"
    assert verdict_of(ref(text, "fa", "t,تعاونی,412,,2021,,"), "۴۱۲").verdict == "unverified"


def test_best_of_several_rows_and_the_others_listed():
    text = "Au 31 décembre 2023, le registre comptait 312 entreprises labellisées."
    fs = ref(text, "fr", "all,entreprises,350,,,,", "lab,entreprises labellisées,312,,,,")
    f = verdict_of(fs, "312")
    assert (f.row, f.verdict, f.also) == ("lab", "supported", ["all"])


def test_a_range_is_checked_as_one_interval():
    text = "Le prêt va de 10 à 20 millions d'euros."
    claims = extract(text, "fr", doc="a.txt")
    assert len({c.extra.get("range") for c in claims}) == 1
    fs = check_reference(claims, text, table("p,prêt,15000000,EUR,,,"))
    assert len(fs) == 1 and len(fs[0].spans) == 2 and fs[0].verdict == "supported"
    assert check_reference(claims, text, table("p,prêt,25000000,EUR,,,"))[0].verdict == "contradicted"


def test_date_claims_against_date_rows():
    text = "L'accord a été signé le 15 janvier 2024 à Yamoussoukro."
    assert verdict_of(ref(text, "fr", "s,accord signé,2024-01-15,,,,"), "15 janvier 2024").verdict == "supported"
    assert verdict_of(ref(text, "fr", "s,accord signé,2024-01-16,,,,"), "15 janvier 2024").verdict == "contradicted"


@pytest.mark.parametrize("sample", ["ar-1", "ar-2", "fa-1", "fa-2", "fr-1", "fr-2"])
def test_samples_against_their_reference_tables(sample):
    from coopfacts.check import load_reference

    text = (SAMPLES / f"{sample}.txt").read_text(encoding="utf-8")
    rows = load_reference(str(SAMPLES / "reference" / f"{sample}.csv"))
    claims = extract(text, "auto", doc=sample)
    fs = check_reference(claims, text, rows)
    verdicts = {f.verdict for f in fs}
    assert {"supported", "unverified"} <= verdicts
    assert_spans_quote(fs, {sample: text})
    by_row = {f.row: f for f in fs if f.row}
    expected = {  # what each table was written to show
        "ar-1": {"ar1-budget": "supported", "ar1-women": "contradicted", "ar1-coops-2012": "supported",
                 "ar1-platform": "contradicted", "ar1-fruit": "supported", "ar1-planting": "supported"},
        "ar-2": {"ar2-progress": "contradicted", "ar2-cost": "supported", "ar2-pipes": "supported"},
        "fa-1": {"fa1-water": "contradicted", "fa1-purchase": "supported", "fa1-irrigation": "supported",
                 "fa1-irrigation-time": "supported", "fa1-wheat": "supported", "fa1-members": "supported"},
        "fa-2": {"fa2-progress": "contradicted", "fa2-bank": "supported", "fa2-loan": "supported",
                 "fa2-delivery": "supported"},
        "fr-1": {"fr1-planters": "contradicted", "fr1-national": "contradicted", "fr1-beans": "supported",
                 "fr1-coops": "supported"},
        "fr-2": {"fr2-turnover": "contradicted", "fr2-young": "contradicted", "fr2-jobs": "supported",
                 "fr2-credit": "supported"},
    }[sample]
    assert {k: by_row[k].verdict for k in expected if k in by_row} == expected
    assert "contradicted" in verdicts


def test_headline_without_more_than_is_contradicted_where_the_body_is_supported():
    text = (SAMPLES / "fa-1.txt").read_text(encoding="utf-8")
    rows = table("c,تسهیلات,128000 میلیارد ریال,,jalali:1402,,")
    fs = [f for f in check_reference(extract(text, "fa", doc="fa-1"), text, rows) if f.row == "c"]
    assert [(f.spans[0]["qualifier"], f.verdict) for f in fs] == [("exact", "contradicted"), ("more_than", "supported")]


# --- internal consistency ----------------------------------------------------------------

def test_same_quantity_in_different_forms_is_grouped():
    text = "اعتبار این طرح ۴۴ هزار میلیارد تومان است. این ۴۴ همت معادل ۴۴۰ هزار میلیارد ریال است."
    (f,) = internal(text, "fa", "same_figure")
    assert [s["text"] for s in f.spans] == ["۴۴ هزار میلیارد تومان", "۴۴ همت", "۴۴۰ هزار میلیارد ریال"]
    assert f.verdict == "consistent" and "different forms" in f.why
    assert_spans_quote([f], {"a.txt": text})


def test_same_figure_with_clashing_qualifiers_is_flagged():
    text = "پرداخت ۱۲ همت تسهیلات.\nتاکنون بیش از ۱۲ همت تسهیلات پرداخت شده است."
    (f,) = internal(text, "fa", "same_figure")
    assert f.verdict == "flagged" and "exact vs more_than" in f.why


def test_different_figures_for_the_same_thing():
    text = "La région compte 300 coopératives. Elle compte aussi 250 coopératives."
    (f,) = internal(text, "fr", "different_figures")
    assert f.verdict == "contradicted" and [s["text"] for s in f.spans] == ["300", "250"]
    dated = "La région compte 300 coopératives. En 2019, elle comptait 250 coopératives."
    (f,) = internal(dated, "fr", "different_figures")
    assert f.verdict == "flagged" and "2019" in f.why
    compatible = "Plus de 300 coopératives sont actives. Au total, 320 coopératives sont actives."
    assert internal(compatible, "fr", "different_figures") == []


def test_multiple_recomputed_from_a_range():
    ok = "Les crédits sont passés de 5 à 44 milliards de francs CFA, soit plus de huit fois plus."
    (f,) = internal(ok, "fr", "multiple")
    assert f.verdict == "consistent" and f.expected == pytest.approx(8.8)
    assert [s["role"] for s in f.spans] == ["stated", "from", "to"]
    bad = "Les ventes ont doublé, passant de 10 à 30 millions d'euros."
    (f,) = internal(bad, "fr", "multiple")
    assert f.verdict == "contradicted" and f.expected == pytest.approx(3)


def test_range_ends_keep_their_own_values():
    text = "Le prêt est passé de 10 à 30 000 dinars, soit trois mille fois plus."
    (f,) = internal(text, "fr", "multiple")
    assert f.verdict == "consistent" and f.expected == pytest.approx(3000)


def test_multiple_recomputed_in_persian_and_arabic():
    fa = "تسهیلات از ۵ همت به ۴۴ همت رسید و رشد بیش از هشت برابری داشت."
    (f,) = internal(fa, "fa", "multiple")
    assert f.verdict == "consistent" and f.expected == pytest.approx(8.8)
    fa_bad = "تسهیلات از ۵ همت به ۴۴ همت رسید و رشد ده برابری داشت."
    assert internal(fa_bad, "fa", "multiple")[0].verdict == "contradicted"
    ar = "ارتفع عدد التعاونيات من 480 إلى 1245 تعاونية، أي بنحو ثلاثة أضعاف."
    assert internal(ar, "ar", "multiple")[0].verdict == "consistent"
    ar_bad = "ارتفع عدد التعاونيات من 480 إلى 1245 تعاونية، أي خمسة أضعاف."
    assert internal(ar_bad, "ar", "multiple")[0].verdict == "contradicted"


def test_a_multiple_with_nothing_to_relate_is_not_judged():
    text = "Le chiffre d'affaires a doublé en cinq ans."
    assert internal(text, "fr", "multiple") == []
    two_kinds = "Les 140 coopératives ont doublé leur chiffre d'affaires, à 1,8 million de francs CFA."
    assert internal(two_kinds, "fr", "multiple") == []


def test_multiple_does_not_relate_figures_of_another_paragraph():
    text = "Les ventes sont passées de 10 à 30 millions d'euros.\n\nLa production a doublé."
    assert internal(text, "fr", "multiple") == []


def test_percentage_change_recomputed_from_hand_built_claims():
    text = "Les exportations ont augmenté de 25 %, passant de 8 millions à 10 millions d'euros."
    claims = [
        _claim(text, "25 %", "percent", 25, "%", change="increase"),
        _claim(text, "8 millions", "money", 8e6, "EUR", range=1),
        _claim(text, "10 millions d'euros", "money", 10e6, "EUR", range=1),
    ]
    (f,) = [f for f in check_internal(claims, text) if f.finding == "change"]
    assert f.verdict == "consistent" and f.expected == pytest.approx(25)
    claims[0] = _claim(text, "25 %", "percent", 40, "%", change="increase")
    (f,) = [f for f in check_internal(claims, text) if f.finding == "change"]
    assert f.verdict == "contradicted"
    claims[0] = _claim(text, "25 %", "percent", 25, "%", change="decrease")
    (f,) = [f for f in check_internal(claims, text) if f.finding == "change"]
    assert f.verdict == "contradicted" and "says decrease" in f.why


def test_change_between_compared_figures():
    text = "Le taux a baissé de 25 % : 6 % contre 8 % en 2019."
    six = _claim(text, "6 %", "percent", 6, "%")
    eight = _claim(text, "8 %", "percent", 8, "%")
    six.extra["compared_to"] = {"start": eight.start, "end": eight.end}
    eight.extra["compared_to"] = {"start": six.start, "end": six.end}
    stated = _claim(text, "25 %", "percent", 25, "%", change="decrease")
    (f,) = [f for f in check_internal([stated, six, eight], text) if f.finding == "change"]
    assert f.verdict == "consistent" and f.expected == pytest.approx(25)
    points = _claim(text, "25 %", "percent", 2, "%", change="decrease")  # 8 % -> 6 %: two points
    (f,) = [f for f in check_internal([points, six, eight], text) if f.finding == "change"]
    assert f.verdict == "consistent" and "points" in f.why


def test_percent_change_without_engine_marks_is_not_recomputed():
    text = "Les exportations, 25 %, de 8 millions à 10 millions d'euros."
    claims = [_claim(text, "25 %", "percent", 40, "%"),
              _claim(text, "8 millions", "money", 8e6, "EUR", range=1),
              _claim(text, "10 millions d'euros", "money", 10e6, "EUR", range=1)]
    assert [f for f in check_internal(claims, text) if f.finding == "change"] == []


@pytest.mark.parametrize("lang, text, part, whole", [
    ("fr", "Le registre comptait 312 entreprises, dont 418 sociétés mutuelles.", "418", "312"),
    ("ar", "تضم الجهة 300 تعاونية، منها 350 تعاونية نسائية.", "350", "300"),
    ("fa", "۳۰۰ تعاونی در استان فعال است که از این تعداد ۳۵۰ تعاونی زنان هستند.", "۳۵۰", "۳۰۰"),
    ("fr", "12 coopératives sur 10 ont reçu une aide.", "12", "10"),
])
def test_part_larger_than_its_whole(lang, text, part, whole):
    (f,) = internal(text, lang, "part_whole")
    assert f.verdict == "contradicted"
    assert [(s["role"], s["text"]) for s in f.spans] == [("part", part), ("whole", whole)]


def test_part_and_whole_words_come_from_the_rule_file(tmp_path: Path):
    """check knows no word: a rules directory that adds one to `parts:` is enough."""
    import yaml

    from coopfacts.rulebook import Rulebook

    text = "Le registre comptait 312 entreprises, notamment 418 sociétés mutuelles."
    assert internal(text, "fr", "part_whole") == []
    shutil.copytree(ROOT / "rules" / "fr", tmp_path / "fr")
    data = yaml.safe_load((tmp_path / "fr" / "context.yaml").read_text(encoding="utf-8"))
    data["parts"]["part_before"].append("notamment")
    (tmp_path / "fr" / "context.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rb = Rulebook([tmp_path])
    assert "notamment" in rb.language("fr").parts["part_before"]
    (f,) = [f for f in check_internal(Engine(rb).extract(text, "fr", doc="a.txt"), text, rulebook=rb)
            if f.finding == "part_whole"]
    assert f.verdict == "contradicted" and [s["text"] for s in f.spans] == ["418", "312"]


def test_part_within_its_whole_is_consistent():
    text = "Le registre comptait 312 entreprises, dont 118 sociétés mutuelles."
    (f,) = internal(text, "fr", "part_whole")
    assert f.verdict == "consistent"


def test_share_above_100_percent():
    (f,) = internal("Le budget est de 30 millions de dinars, dont 112 % réservés à l'intérieur.", "fr", "part_whole")
    assert f.verdict == "contradicted" and "100" in f.why
    (f,) = internal("Les femmes représentent 120 % des membres.", "fr", "percent_over_100")
    assert f.verdict == "contradicted"
    (f,) = internal("Le taux atteint 120 %.", "fr", "percent_over_100")
    assert f.verdict == "flagged"


def test_percent_above_100_stated_as_a_change_is_fine():
    text = "Les ventes ont progressé de 150 % des deux côtés."
    claims = [_claim(text, "150 %", "percent", 150, "%", change="increase")]
    assert check_internal(claims, text) == []


def test_internal_findings_on_the_samples_quote_their_spans():
    for p in sorted(SAMPLES.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        fs = check_internal(extract(text, "auto", doc=p.name), text)
        assert_spans_quote(fs, {p.name: text})
        assert all(f.verdict != "contradicted" for f in fs), [f.why for f in fs if f.verdict == "contradicted"]


# --- across documents ---------------------------------------------------------------------

def test_same_figure_across_documents_and_languages():
    docs = {
        "fa.txt": ("fa", "بانک‌ها ۴۴ همت تسهیلات پرداخت کردند."),
        "fa2.txt": ("fa", "مبلغ ۴۴۰ هزار میلیارد ریال پرداخت شد."),
        "fr.txt": ("fr", "Plus de 4 000 emplois ont été créés."),
        "ar.txt": ("ar", "تم إحداث 4000 منصب شغل."),
        "fr2.txt": ("fr", "Le fonds de 17 milliards de francs CFA."),
    }
    claims = [extract(t, lang, doc=d) for d, (lang, t) in docs.items()]
    fs = check_across(claims)
    groups = {tuple(s["doc"] for s in f.spans): f for f in fs}
    money = groups[("fa.txt", "fa2.txt")]
    assert money.verdict == "consistent" and "different units" in money.why
    jobs = groups[("fr.txt", "ar.txt")]
    assert jobs.verdict == "flagged" and "qualifier changes" in jobs.why
    assert not any("fr2.txt" in k for k in groups)
    assert_spans_quote(fs, {d: t for d, (_, t) in docs.items()})


def test_across_keeps_opposite_bounds_apart_and_small_counts_need_the_same_noun():
    a = extract("Plus de 500 exposants sont attendus.", "fr", doc="a")
    b = extract("Moins de 500 exposants sont attendus.", "fr", doc="b")
    assert check_across([a, b]) == []
    c = extract("Trois régions et 7 coopératives.", "fr", doc="c")
    d = extract("Sept techniciens.", "fr", doc="d")
    e = extract("Les 7 coopératives du nord.", "fr", doc="e")
    fs = check_across([c, d, e])
    assert [[s["doc"] for s in f.spans] for f in fs] == [["c", "e"]]


# --- the command ----------------------------------------------------------------------------

@pytest.fixture
def app_runner():
    from typer.testing import CliRunner

    from coopfacts.cli.app import app

    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def _jsonl(s: str) -> list[dict]:
    return [json.loads(line) for line in s.splitlines() if line.strip()]


def test_cli_against_a_table_exit_status_and_spans(app_runner, tmp_path: Path):
    art = tmp_path / "a.txt"
    art.write_text(FR, encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "a,coopératives,34,,2023,,registre\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "a,coopératives,30,,2023,,registre\n", encoding="utf-8")
    res = app_runner("check", str(art), "--against", str(good), "-q")
    assert res.exit_code == 0, res.stderr
    recs = _jsonl(res.stdout)
    thirty = [r for r in recs if r["text"] == "30"]
    assert thirty[0]["verdict"] == "supported" and thirty[0]["source"] == "registre"
    for r in recs:
        assert r["check"] in ("reference", "internal")
        for s in r["spans"]:
            assert FR[s["start"]:s["end"]] == s["text"]
    res = app_runner("check", str(art), "--against", str(bad), "-q")
    assert res.exit_code == EXIT_CONTRADICTED
    assert [r["verdict"] for r in _jsonl(res.stdout) if r["text"] == "30"] == ["contradicted"]


def test_cli_only_filters_output_not_the_exit_status(app_runner, tmp_path: Path):
    art = tmp_path / "a.txt"
    art.write_text(FR, encoding="utf-8")
    t = tmp_path / "t.csv"
    t.write_text(HEADER + "a,coopératives,30,,,,\n", encoding="utf-8")
    res = app_runner("check", str(art), "-a", str(t), "--only", "supported,unverified", "-q")
    assert res.exit_code == EXIT_CONTRADICTED
    assert {r["verdict"] for r in _jsonl(res.stdout)} <= {"supported", "unverified"}


def test_cli_formats(app_runner, tmp_path: Path):
    art = tmp_path / "a.txt"
    art.write_text("La région compte 300 coopératives. Elle compte aussi 250 coopératives.", encoding="utf-8")
    res = app_runner("check", str(art), "-f", "json", "-q")
    assert res.exit_code == EXIT_CONTRADICTED
    data = json.loads(res.stdout)
    assert [d["finding"] for d in data] == ["different_figures"]
    res = app_runner("check", str(art), "-f", "csv", "-q")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows[0]["verdict"] == "contradicted" and json.loads(rows[0]["spans"])[1]["text"] == "250"
    res = app_runner("check", str(art), "-f", "table", "-q")
    assert "different_figures" in res.stdout and "contradicted" in res.stdout
    out = tmp_path / "out.jsonl"
    res = app_runner("check", str(art), "-o", str(out), "-q")
    assert res.exit_code == EXIT_CONTRADICTED and _jsonl(out.read_text(encoding="utf-8"))[0]["verdict"] == "contradicted"


def test_cli_across_a_directory(app_runner, tmp_path: Path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("بانک‌ها ۴۴ همت تسهیلات پرداخت کردند.", encoding="utf-8")
    (tmp_path / "d" / "b.txt").write_text("مبلغ ۴۴۰ هزار میلیارد ریال پرداخت شد.", encoding="utf-8")
    res = app_runner("check", str(tmp_path / "d"), "--across", "--no-internal", "-q")
    assert res.exit_code == 0, res.stderr
    (rec,) = _jsonl(res.stdout)
    assert rec["check"] == "across" and len({s["doc"] for s in rec["spans"]}) == 2


def test_cli_errors(app_runner, tmp_path: Path):
    art = tmp_path / "a.txt"
    art.write_text(FR, encoding="utf-8")
    broken = tmp_path / "broken.csv"
    broken.write_text("label,unit\nx,%\n", encoding="utf-8")
    res = app_runner("check", str(art), "--against", str(broken))
    assert res.exit_code == 2 and "broken.csv:1: no 'value' column" in res.stderr
    res = app_runner("check", str(art), "--against", str(tmp_path / "missing.csv"))
    assert res.exit_code == 2 and "missing.csv" in res.stderr
    assert app_runner("check", str(art), "--only", "maybe").exit_code == 2
    assert app_runner("check", str(art), "--no-internal").exit_code == 2
    assert app_runner("check", str(art), "--tolerance", "lots").exit_code == 2
    res = app_runner("check", str(tmp_path / "nope.txt"), "-q")
    assert res.exit_code == 1 and "nope.txt" in res.stderr


def test_exit_status_helper():
    f = Finding("internal", "part_whole", "contradicted", [], "")
    g = Finding("internal", "same_figure", "flagged", [], "")
    assert exit_status([g]) == 0 and exit_status([g, f]) == EXIT_CONTRADICTED
    assert exit_status([f.to_dict()]) == EXIT_CONTRADICTED


def test_check_document_accepts_claim_records():
    text = "La région compte 300 coopératives. Elle compte aussi 250 coopératives."
    records = [c.to_dict() for c in extract(text, "fr", doc="a")]
    fs = check_document(records, text)
    assert [f.finding for f in fs] == ["different_figures"]


def test_check_functions_take_the_claims_then_the_text():
    import inspect

    import coopfacts.check as ck
    for fn in (ck.check_document, ck.check_internal, ck.check_reference):
        assert list(inspect.signature(fn).parameters)[:2] == ["claims", "text"], fn.__name__
    with pytest.raises(TypeError, match="claims come first"):
        ck.check_document("Le texte", [])

