"""Reference tables as newsrooms keep them: numbers as typed, legacy encodings, TSV, wide tables
(a column per year), and the scoping columns (doc, lang, period, scope) that restrict which claims a
row may judge; unknown columns are an error.  Each row judges only the claims its label fits best."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopfacts import extract
from coopfacts.check import ReferenceError, check_reference, load_reference, parse_reference
from coopfacts.check.cells import parse_number


@pytest.mark.parametrize("typed, auto, comma, point", [
    ("1500", 1500, 1500, 1500),
    ("1 500", 1500, 1500, 1500),
    ("1\u202f500", 1500, 1500, 1500),
    ("1,500", 1500, 1.5, 1500),
    ("1,500,000", 1500000, None, 1500000),
    ("1.500.000", 1500000, 1500000, None),
    ("59,5", 59.5, 59.5, None),
    ("12.5", 12.5, None, 12.5),
    ("1.234,5", 1234.5, 1234.5, None),
    ("1,234.5", 1234.5, None, 1234.5),
    ("۱۲٫۵", 12.5, 12.5, 12.5),
    ("١٬٥٠٠", 1500, 1500, 1500),
    ("۴۴۰۰۰", 44000, 44000, 44000),
    ("-3", -3, -3, -3),
    ("12 34", None, None, None),
    ("1,50,0", None, None, None),
])
def test_numbers_as_people_type_them(typed, auto, comma, point):
    assert (parse_number(typed), parse_number(typed, ","), parse_number(typed, ".")) == (auto, comma, point)


def test_table_cells_typed_with_separators_and_the_decimal_option():
    rows = parse_reference('label,value,unit\ncrédits,"1,500",EUR\nfemmes,"59,5",%\nmembres,"1 500",\n', "t.csv")
    assert [(r.value, r.unit) for r in rows] == [(1500.0, "EUR"), (59.5, "%"), (1500.0, None)]
    rows = parse_reference('label,value\ncrédits,"1,500"\nmembres,1.500\n', "t.csv", decimal=",")
    assert [r.value for r in rows] == [1.5, 1500.0]


def test_a_legacy_encoded_table_and_the_advice_it_gets(tmp_path: Path, cli):
    table = tmp_path / "t.csv"
    table.write_bytes("label,value\nتعاونية,1500\n".encode("cp1256"))
    art = tmp_path / "a.txt"
    art.write_text("تضم الجهة 1500 تعاونية.\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="try --table-encoding cp1256"):
        load_reference(str(table))
    r = cli("check", str(art), "--against", str(table), "-q")
    assert r.exit_code == 2 and "--table-encoding" in r.stderr and "Traceback" not in r.stderr
    r = cli("check", str(art), "--against", str(table), "--table-encoding", "cp1256", "-q", "-f", "jsonl")
    assert r.exit_code == 0, r.stderr
    found = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(f["text"], f["verdict"]) for f in found if f["check"] == "reference"] == [("1500", "supported")]
    r = cli("check", str(art), "--against", str(table), "--table-encoding", "klingon")
    assert r.exit_code == 2 and "unknown encoding 'klingon'" in r.stderr
    r = cli("check", str(art), "--table-encoding", "cp1256")
    assert r.exit_code == 2 and "give --against TABLE" in r.stderr
    r = cli("check", str(art), "--against", str(table), "--table-decimal", ";")
    assert r.exit_code == 2 and "--table-decimal" in r.stderr


def test_tab_separated_table():
    rows = parse_reference("label\tvalue\tunit\tdate\nrecettes\t100 000 000\tEUR\t2023\n", "t.tsv")
    assert [(r.label, r.value, r.unit, r.date_text) for r in rows] == [("recettes", 1e8, "EUR", "2023")]


def test_wide_table_read_as_long_rows():
    text = "id;label;unit;2021;2022;2023\nca;chiffre d'affaires|recettes;EUR;80 000 000;;100 000 000\n"
    rows = parse_reference(text, "wide.csv")
    assert [(r.id, r.value, r.date_text) for r in rows] == [("ca:2021", 8e7, "2021"), ("ca:2023", 1e8, "2023")]
    fa = parse_reference("label,۱۴۰۱,۱۴۰۲\nتسهیلات,31 همت,44 همت\n", "fa.csv")
    assert [(r.value, r.date_text) for r in fa] == [(31e12, "jalali:1401"), (44e12, "jalali:1402")]
    text = "Les recettes ont atteint 100 millions d'euros en 2023. En 2021, les recettes étaient de 80 millions d'euros."
    fs = check_reference(extract(text, "fr", doc="a"), text, rows)
    assert [(f.spans[0]["text"], f.verdict, f.row) for f in fs if f.verdict != "unverified"] == [
        ("100 millions d'euros", "supported", "ca:2023"), ("80 millions d'euros", "supported", "ca:2021")]


@pytest.mark.parametrize("text, message", [
    ("label,value,colour\nx,1,red\n", "unknown column 'colour'"),
    ('{"label": "x", "value": 1, "colour": "red"}\n', "unknown column 'colour'"),
    ("label,value,2023\nx,1,2\n", "a value column and year columns"),
    ("label,date,2023\nx,2022,2\n", "takes its date from the year columns"),
    ("label,value,lang\nx,1,de\n", "lang: 'de' is not a language"),
    ("label,value,scope\nx,1,some\n", "scope: 'some'"),
    ("label,value,date,period\nx,1,2022,2023\n", "give one of them"),
])
def test_table_errors(text, message):
    with pytest.raises(ReferenceError, match=message):
        parse_reference(text, "t.csv")


FR = "La région compte 1 200 coopératives. Parmi elles, 77 coopératives sont agricoles."


def test_a_total_row_does_not_judge_a_part():
    claims = extract(FR, "fr", doc="a")
    total = parse_reference("id,label,value\nall,coopératives,1200\n", "t.csv")
    fs = {f.spans[0]["text"]: f for f in check_reference(claims, FR, total)}
    assert fs["1 200"].verdict == "supported"
    text = "La fédération regroupe 312 coopératives, dont 118 coopératives agricoles."
    fs = {f.spans[0]["text"]: f for f in check_reference(extract(text, "fr", doc="a"), text,
                                                           parse_reference("id,label,value\nall,coopératives,312\n",
                                                                           "t.csv"))}
    assert fs["312"].verdict == "supported"
    assert fs["118"].verdict == "unverified" and "is a part of «312»" in fs["118"].why
    part = parse_reference("id,label,value,scope\np,coopératives,118,part\nt,coopératives,312,total\n", "t.csv")
    fs = {f.spans[0]["text"]: f for f in check_reference(extract(text, "fr", doc="a"), text, part)}
    assert (fs["118"].row, fs["118"].verdict) == ("p", "supported")
    assert (fs["312"].row, fs["312"].verdict) == ("t", "supported")


def test_doc_and_lang_columns_restrict_the_rows():
    ar = "تضم الجهة 1200 تعاونية."
    rows = parse_reference("id,label,value,lang,doc\nfa,تعاونی,900,fa,\nar,تعاونية,1200,ar,news-ar\n", "t.csv")
    fs = check_reference(extract(ar, "ar", doc="corpus/news-ar.txt"), ar, rows)
    assert [(f.row, f.verdict) for f in fs] == [("ar", "supported")]
    fs = check_reference(extract(ar, "ar", doc="other.txt"), ar, rows)
    assert [(f.row, f.verdict) for f in fs] == [(None, "unverified")]


def test_a_row_judges_the_claim_its_label_fits_best():
    text = "La région compte 1 200 coopératives. Les coopératives ont reçu 300 tracteurs en 2023."
    rows = parse_reference("id,label,value\ncoops,coopératives,1200\n", "t.csv")
    fs = {f.spans[0]["text"]: f for f in check_reference(extract(text, "fr", doc="a"), text, rows)}
    assert fs["1 200"].verdict == "supported"
    assert fs["300"].verdict == "unverified" and "matches another figure better" in fs["300"].why


def test_a_part_named_by_its_own_noun_is_judged():
    text = "La coopérative compte 312 membres, dont 118 femmes."
    rows = parse_reference("id,label,value\nw,femmes,120\nm,membres,312\n", "t.csv")
    fs = {f.spans[0]["text"]: f for f in check_reference(extract(text, "fr", doc="a"), text, rows)}
    assert (fs["312"].row, fs["312"].verdict) == ("m", "supported")
    assert (fs["118"].row, fs["118"].verdict) == ("w", "contradicted")


def test_period_column_and_last_year_figure():
    text = "L'an dernier la coopérative comptait 900 membres. En 2023, elle compte 1 200 membres."
    rows = parse_reference("id,label,value,period\nm,membres,1200,2023\n", "t.csv")
    claims = extract(text, "fr", doc="a", reference_date="2023-06-01")
    fs = {f.spans[0]["text"]: f for f in check_reference(claims, text, rows)}
    assert fs["1 200"].verdict == "supported"
    assert fs["900"].verdict == "unverified"


def test_each_figure_has_its_own_date_in_a_sentence_of_several():
    text = ("در هفته تعاون سال قبل چهار همت مشارکت را رقم زدیم اما در هفته تعاون امسال 44 همت مشارکت "
            "مردمی فراهم شده است.")
    rows = parse_reference("id,label,value,date\nt,مشارکت,44 همت,jalali:1402\n", "t.csv")
    claims = extract(text, "fa", doc="a", reference_date="2023-08-20")
    fs = {f.spans[0]["text"]: f for f in check_reference(claims, text, rows)}
    assert fs["44 همت"].verdict == "supported"
    assert fs["چهار همت"].verdict == "unverified" and "the figure about سال قبل" in fs["چهار همت"].why


def test_a_label_in_one_language_letters_does_not_judge_the_other():
    ar = "تضم الجهة 1200 تعاونية."
    fa_row = parse_reference("id,label,value\nfa,تعاونی,900\n", "t.csv")
    assert [f.verdict for f in check_reference(extract(ar, "ar", doc="a"), ar, fa_row)] == ["unverified"]
    fa = "در استان ۹۰۰ تعاونی فعال است."
    assert [f.verdict for f in check_reference(extract(fa, "fa", doc="a"), fa, fa_row)] == ["supported"]


def test_among_figures_a_row_fits_equally_it_judges_the_nearest():
    text = "عرضت أكثر من 3.600 منظمة منتوجاتها في المعارض. وشاركت حوالي 1.300 منظمة في الأسواق المتنقلة."
    rows = parse_reference("id,label,value\no,منظمة,3700\n", "t.csv")
    fs = {f.spans[0]["text"]: f for f in check_reference(extract(text, "ar", doc="a"), text, rows)}
    assert fs["3.600"].verdict == "supported"
    assert fs["1.300"].verdict == "unverified" and "nearer its value" in fs["1.300"].why


def _xlsx(path: Path, rows: list[list]) -> None:
    """A minimal workbook as OOXML: shared strings for text, numbers as numbers, one sheet."""
    import zipfile
    from xml.sax.saxutils import escape

    strings: list[str] = []
    body = []
    for r, row in enumerate(rows, 1):
        cells = []
        for i, v in enumerate(row):
            ref = f"{chr(65 + i)}{r}"
            if v is None:
                continue
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                strings.append(v)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="T" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", f'<sst {ns}>' + "".join(f"<si><t>{escape(x)}</t></si>" for x in strings) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet {ns}><sheetData>{"".join(body)}</sheetData></worksheet>')


def test_an_xlsx_table(tmp_path: Path, cli):
    book = tmp_path / "t.xlsx"
    _xlsx(book, [["id", "label", "unit", 2022, 2023], ["ca", "recettes", "EUR", 80000000, 100000000],
                 ["f", "femmes", "%", None, 59.5]])
    rows = load_reference(str(book), decimal=",")  # numbers typed as numbers are numbers, whatever the mark
    assert [(r.id, r.value, r.date_text) for r in rows] == [("ca:2022", 8e7, "2022"), ("ca:2023", 1e8, "2023"),
                                                            ("f:2023", 59.5, "2023")]
    art = tmp_path / "a.txt"
    art.write_text("Les recettes ont atteint 100 millions d'euros en 2023.\n", encoding="utf-8")
    r = cli("check", str(art), "--against", str(book), "-q", "-f", "jsonl")
    assert r.exit_code == 0, r.stderr
    found = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(f["verdict"], f["row"]) for f in found if f["check"] == "reference" and f["row"]] == [("supported",
                                                                                                  "ca:2023")]
    _xlsx(book, [["label", "value", "colour"], ["x", 1, "red"]])
    with pytest.raises(ReferenceError, match="unknown column 'colour'"):
        load_reference(str(book))


def test_an_xlsx_table_written_by_a_spreadsheet_library(tmp_path: Path):
    pytest.importorskip("openpyxl", reason="openpyxl not installed: pip install -e '.[oracles]'")
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["label", "value", "unit", "period", "source"])
    ws.append(["تسهیلات", "44 همت", None, "jalali:1402", "سازمان"])
    ws.append(["coopératives", 1200, None, 2023, None])
    ws.append(["نسبة", "59,5", "%", None, None])
    book = tmp_path / "lib.xlsx"
    wb.save(book)
    rows = load_reference(str(book))
    assert [(r.label, r.value, r.unit, r.date_text) for r in rows] == [
        ("تسهیلات", 44e12, "IRT", "jalali:1402"), ("coopératives", 1200.0, None, "2023"), ("نسبة", 59.5, "%", None)]
