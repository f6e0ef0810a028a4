"""The HTML report without a browser: structure, escaping, robustness, the CLI format.

The page is parsed with the standard library's HTML parser; tests/test_html_browser.py
checks the same reports in Chromium (scripts run, focus, hover, layout).
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import jsonl
from coopfacts.model import Claim
from coopfacts.outputs import HtmlWriter, make_writer, render_html
from coopfacts.outputs.html import CSS, JS

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


class Page(HTMLParser):
    """Elements with their attributes, text and parent; checks that tags balance."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.feed(source)
        self.close()
        assert not self.stack, f"unclosed: {[e['tag'] for e in self.stack]}"

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": "", "parent": self.stack[-1] if self.stack else None}
        self.elements.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1]["tag"] == tag, f"</{tag}> closes {self.stack[-1]['tag'] if self.stack else None}"
        self.stack.pop()

    def handle_data(self, data):
        for el in self.stack:
            el["text"] += data

    def find(self, tag: str, cls: str | None = None, **attrs: str) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag
                and (cls is None or cls in e["attrs"].get("class", "").split())
                and all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def within(self, el: dict, tag: str) -> dict | None:
        p = el["parent"]
        while p is not None and p["tag"] != tag:
            p = p["parent"]
        return p


def claim(text: str, doc: str, start: int, end: int, kind: str = "count", value=1, lang: str = "fr", **kw) -> dict:
    assert end > start
    return Claim(doc=doc, lang=lang, start=start, end=end, text=kw.pop("claim_text", None) or text[start:end],
                 kind=kind, value=value, rule=f"{lang}.test", **kw).to_dict()


def one_doc(text: str, claims: list[dict], lang: str = "fr", doc: str = "a.txt", **kw) -> Page:
    return Page(render_html([{"id": doc, "lang": lang, "text": text, "claims": claims}], **kw))


FA = "بیش از ۲۹ هزار صندوق و ۱۲٬۰۰۰ هکتار\n\nسهم زنان ٪۱۸ است."
FR = "Plus de 1\u202f500 emplois.\n\nSoit 54 % du total."


# --- structure -----------------------------------------------------------------------

def test_each_claim_is_one_mark_around_its_exact_text() -> None:
    starts = [FA.index("۲۹ هزار"), FA.index("۱۲٬۰۰۰ هکتار"), FA.index("٪۱۸")]
    lens = [len("۲۹ هزار"), len("۱۲٬۰۰۰ هکتار"), len("٪۱۸")]
    claims = [claim(FA, "fa.txt", s, s + n, lang="fa") for s, n in zip(starts, lens)]
    page = one_doc(FA, claims, lang="fa", doc="fa.txt")
    marks = page.find("mark", "claim")
    assert [m["text"] for m in marks] == ["۲۹ هزار", "۱۲٬۰۰۰ هکتار", "٪۱۸"]  # Persian digits and marks as written
    assert [(int(m["attrs"]["data-start"]), int(m["attrs"]["data-end"])) for m in marks] == \
        [(s, s + n) for s, n in zip(starts, lens)]
    article = page.find("article", "text")[0]
    assert article["attrs"]["dir"] == "rtl" and article["attrs"]["lang"] == "fa"
    assert [p["attrs"]["dir"] for p in page.find("p") if page.within(p, "article")] == ["rtl", "rtl"]
    # The article holds the text itself: nothing added, nothing changed but the paragraph break.
    assert article["text"] == FA.replace("\n\n", "")
    rows = page.find("tr")[1:]
    assert len(rows) == 3
    # Rows link to the highlights and the highlights back to the rows.
    for m, r in zip(marks, rows):
        link = next(e for e in page.elements if e["tag"] == "a" and e["parent"] is m)
        assert link["attrs"]["href"] == "#" + r["attrs"]["id"]
        assert any(e["attrs"].get("href") == "#" + m["attrs"]["id"] for e in page.elements if page.within(e, "tr") is r)
        assert page.find("div", id=link["attrs"]["aria-describedby"])  # its details, for the tooltip and screen readers


def test_french_is_left_to_right_with_narrow_no_break_space_kept() -> None:
    s = FR.index("1\u202f500")
    page = one_doc(FR, [claim(FR, "a.txt", s, s + 5, qualifier="more_than", value=1500)])
    assert page.find("mark", "claim")[0]["text"] == "1\u202f500"
    assert page.find("article")[0]["attrs"]["dir"] == "ltr"
    assert {p["attrs"]["dir"] for p in page.find("p") if page.within(p, "article")} == {"ltr"}


def test_paragraph_in_the_other_script_gets_its_own_direction() -> None:
    text = "گزارش سالانه\n\nAnnual report 2023\n\n۱۴۰۲ 2023"
    page = one_doc(text, [], lang="fa")
    assert [p["attrs"]["dir"] for p in page.find("p") if page.within(p, "article")] == ["rtl", "ltr", "rtl"]
    text = "Le rapport\n\nالتقرير السنوي"
    page = one_doc(text, [], lang="fr")
    assert [p["attrs"]["dir"] for p in page.find("p") if page.within(p, "article")] == ["ltr", "rtl"]


def test_unknown_language_direction_from_its_letters() -> None:
    assert one_doc("שלום עולם 5", [], lang="xx").find("article")[0]["attrs"]["dir"] == "rtl"
    assert one_doc("hello 5", [], lang="xx").find("article")[0]["attrs"]["dir"] == "ltr"


def test_language_facts_come_from_its_rule_file(tmp_path: Path) -> None:
    """Name, direction and digits of a language are read from its rule file (Rulebook.info);
    a code without one is shown as it is, with Latin digits."""
    from coopfacts.rulebook import Rulebook

    (tmp_path / "he.yaml").write_text("language: he\nname: Hebrew\ndirection: rtl\nnumbering: hebr\n", encoding="utf-8")
    rulebook = Rulebook([tmp_path])
    text = "Shalom 5"  # Latin letters only: the rule file, not the text, decides the direction
    page = one_doc(text, [claim(text, "a.txt", 7, 8, lang="he")], lang="he", rulebook=rulebook)
    assert page.find("article")[0]["attrs"]["dir"] == "rtl"
    assert page.find("p", "meta")[0]["text"].startswith("Hebrew (he), right-to-left")
    assert {v["attrs"]["data-nu"] for v in page.find("span", "val")} == {"hebr"}
    page = one_doc(text, [claim(text, "a.txt", 7, 8, lang="he")], lang="he")  # the packaged rules: no Hebrew
    assert page.find("article")[0]["attrs"]["dir"] == "ltr"
    assert page.find("p", "meta")[0]["text"].startswith("he, left-to-right")
    assert {v["attrs"]["data-nu"] for v in page.find("span", "val")} == {"latn"}


def test_style_and_script_are_package_files() -> None:
    from importlib.resources import files

    folder = files("coopfacts.outputs")
    assert CSS == "\n" + folder.joinpath("report.css").read_text(encoding="utf-8")
    assert JS == "\n" + folder.joinpath("report.js").read_text(encoding="utf-8")


def test_batch_has_a_table_of_contents_and_single_document_none() -> None:
    docs = [{"id": f"d{i}.txt", "lang": lang, "text": t, "claims": []} for i, (lang, t) in enumerate([("fr", FR), ("fa", FA)])]
    page = Page(render_html(docs))
    toc = page.find("nav", "toc")
    assert toc and [a["attrs"]["href"] for a in page.find("a") if page.within(a, "nav")] == ["#doc1", "#doc2"]
    assert [s["attrs"]["data-dir"] for s in page.find("section", "doc")] == ["ltr", "rtl"]
    assert not Page(render_html(docs[:1])).find("nav", "toc")


def test_legend_names_every_kind_with_its_colour_class() -> None:
    page = one_doc(FR, [claim(FR, "a.txt", 0, 4, kind="money"), claim(FR, "a.txt", 5, 7, kind="new-kind")])
    legend = [li["text"] for li in page.find("li") if "Claim kinds" in (page.within(li, "ul") or {}).get("attrs", {}).get("aria-label", "")]
    assert legend[:7] == ["count (0)", "money (1)", "percent (0)", "ratio (0)", "duration (0)", "quantity (0)", "date (0)"]
    assert legend[7] == "new-kind (1)"
    assert [m["attrs"]["class"] for m in page.find("mark")] == ["claim k-money", "claim k-other"]


def test_empty_report_and_document_without_claims() -> None:
    assert "No documents." in render_html([])
    page = one_doc("rien", [])
    assert "No claims found." in page.find("aside")[0]["text"]
    assert not page.find("table")


# --- safety and robustness ------------------------------------------------------------

def test_everything_is_escaped() -> None:
    text = '<script>alert(1)</script> 54% & "quotes" </textarea>'
    s = text.index("54%")
    rec = claim(text, '<img src=x onerror=alert(2)>.txt', s, s + 3, entity="</script><b>x</b>", unit_text="<i>%</i>",
                unit="%")
    out = render_html([{"id": rec["doc"], "lang": "fr", "text": text, "claims": [rec]}],
                      {(rec["doc"], s, s + 3): {"verdict": "<u>x</u>", "reason": "<script>bad()</script>"}})
    assert "<script>alert" not in out and "<img" not in out and "<b>x" not in out and "<u>" not in out
    assert "bad()</script>" not in out
    assert out.count("<script>") == 1  # the report's own
    page = Page(out)
    assert page.find("mark")[0]["text"] == "54%"
    assert text in page.find("article")[0]["text"]


def test_self_contained_and_pinned_by_csp() -> None:
    out = render_html([{"id": "a", "lang": "fr", "text": FR, "claims": [claim(FR, "a", 0, 4)]}])
    assert not re.search(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:|//)", out)
    assert "@import" not in out and "url(" not in out and "<link" not in out
    csp = Page(out).find("meta", http_equiv="Content-Security-Policy")[0]["attrs"]["content"]
    for source in (CSS, JS):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
        assert source in out  # the hashed text is exactly what the page holds
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_overlapping_and_wrong_claims_are_listed_not_highlighted() -> None:
    text = "un deux trois quatre cinq"
    claims = [
        claim(text, "a", 3, 13),              # "deux trois"
        claim(text, "a", 8, 20),              # overlaps the first
        claim(text, "a", 0, 2, claim_text="XX"),  # text differs from the document's
        claim(text, "a", 21, 99, claim_text="cinq"),  # outside the text
        claim(text, "a", 21, 25),             # "cinq"
    ]
    page = one_doc(text, claims)  # Page() checks that every tag is closed in order
    assert [m["text"] for m in page.find("mark")] == ["deux trois", "cinq"]
    notes = [e["text"] for e in page.find("span", "problem")]
    assert len(notes) == 3 and any("overlaps claim" in n for n in notes)
    assert len(page.find("tr")) == 1 + 5  # every claim has its row
    assert page.find("article")[0]["text"] == text


def test_control_characters_and_lone_surrogates_do_not_shift_claims() -> None:
    text = "a\x00b\x0bc \ud800 5 %"
    s = text.index("5 %")
    page = one_doc(text, [claim(text, "a", s, s + 3, kind="percent")])
    assert page.find("mark")[0]["text"] == "5 %"
    assert page.find("article")[0]["text"] == "a\u2400b\u240bc \ufffd 5 %"


def test_a_claim_across_a_blank_line_keeps_its_paragraph_whole() -> None:
    text = "avant 12\n\nmille après\n\nfin"
    page = one_doc(text, [claim(text, "a", 6, 15)])
    assert page.find("mark")[0]["text"] == "12\n\nmille"
    assert len([p for p in page.find("p") if page.within(p, "article")]) == 2


def test_values_carry_what_the_script_formats() -> None:
    page = one_doc(FA, [claim(FA, "fa.txt", 6, 13, lang="fa", value=29000.0),
                        claim(FA, "fa.txt", 36, 39, lang="fa", kind="date", value="1402-01-01")], lang="fa", doc="fa.txt")
    vals = page.find("span", "val")
    num = next(v for v in vals if "own" in v["attrs"]["class"])
    assert num["attrs"]["data-value"] == "29000" and num["attrs"]["data-nu"] == "arabext" and "data-num" in num["attrs"]
    assert num["text"] == "29,000"  # shown like this without a script
    date = [v for v in vals if v["attrs"]["data-value"] == "1402-01-01"]
    assert date and all("data-num" not in v["attrs"] for v in date)
    assert Page(render_html([{"id": "a", "lang": "ar", "text": "٥", "claims": [claim("٥", "a", 0, 1, lang="ar")]}])
                ).find("span", "own")[0]["attrs"]["data-nu"] == "arab"


def test_details_name_kind_value_unit_qualifier_entity_rule() -> None:
    text = "environ 200 millions de dirhams pour 14 000 coopératives"
    recs = [claim(text, "a", 8, 31, kind="money", value=2e8, unit="MAD", unit_text="dirhams", qualifier="approx"),
            claim(text, "a", 37, 43, value=14000, entity="coopératives")]
    page = one_doc(text, recs)
    d1, d2 = (e["text"] for e in page.find("div", "desc"))
    for word in ("Kind:", "money", "Value:", "200,000,000", "Unit:", "MAD (dirhams)", "Qualifier:", "about",
                 "Rule:", "fr.test"):
        assert word in d1
    assert "Entity:" in d2 and "coopératives" in d2
    later = one_doc("x 12", [claim("x 12", "a", 2, 4, extra={"change": "increase", "dateline": True})])
    assert "Change:increase;Dateline:yes;" in later.find("div", "desc")[0]["text"]  # fields added later show too


# --- verdicts -------------------------------------------------------------------------

def test_verdicts_mark_highlights_and_rows() -> None:
    text = "a 10 b 20 c 30 d 40"
    recs = [claim(text, "a", i, i + 2) for i in (2, 7, 12, 17)]
    recs[3]["verdict"], recs[3]["reason"] = "disputed", "carried by the record"
    verdicts = {("a", 2, 4): {"verdict": "supported", "reason": "matches the budget law"},
                ("a", 7, 9): {"verdict": "contradicted", "reason": "the source says 25"},
                ("a", 12, 14): {"verdict": "unverified"},
                ("other", 17, 19): {"verdict": "supported"}}  # another document: ignored
    page = one_doc(text, recs, doc="a", verdicts=verdicts)
    assert [m["attrs"]["class"] for m in page.find("mark")] == [
        "claim k-count v-supported", "claim k-count v-contradicted", "claim k-count v-unverified",
        "claim k-count v-disputed"]
    header = [th["text"] for th in page.find("th")]
    assert header[2] == "Verdict"
    rows = [r["text"] for r in page.find("tr")[1:]]
    assert "contradicted" in rows[1] and "the source says 25" in rows[1] and "carried by the record" in rows[3]
    assert "the source says 25" in page.find("div", "desc")[1]["text"]
    legend = [li["text"] for li in page.find("li") if (page.within(li, "ul") or {})["attrs"].get("aria-label") == "Verdicts"]
    assert legend == ["supported (1)", "contradicted (1)", "unverified (1)", "disputed (1)"]


def test_no_verdict_column_without_verdicts() -> None:
    page = one_doc(FR, [claim(FR, "a.txt", 0, 4)])
    assert "Verdict" not in [th["text"] for th in page.find("th")]
    assert not page.find("ul", aria_label="Verdicts")


# --- the writer and the command line --------------------------------------------------

def test_writer_interface() -> None:
    out = io.StringIO()
    w = make_writer("html", out)
    assert isinstance(w, HtmlWriter)
    w.begin_document("a.txt", FR, "fr")
    w.write(claim(FR, "a.txt", 0, 4))
    w.end_document()
    w.write(claim("xyz", "b.txt", 0, 3, lang="fa"))  # no begin_document: listed without the text
    w.end_document()
    assert out.getvalue() == ""  # written at close()
    w.close()
    page = Page(out.getvalue())
    assert [h["text"] for h in page.find("h2") if page.within(h, "section")] == ["a.txt", "b.txt"]
    assert len(page.find("mark")) == 1 and "not part of this report" in out.getvalue()


@pytest.mark.parametrize("how", [["--format", "html"], ["-o", "report.html"], ["-o", "report.htm"]])
def test_cli_html(cli, tmp_path: Path, how: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fr.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "ar.txt").write_text("ارتفعت نسبة التعاونيات 54% خلال العام 2023.\n", encoding="utf-8")
    res = cli("extract", "fr.txt", "ar.txt", *how, "-q")
    assert res.exit_code == 0, res.stderr
    html_text = res.stdout if how[0] == "--format" else Path(how[1]).read_text(encoding="utf-8")
    records = jsonl(cli("extract", "fr.txt", "ar.txt", "--format", "jsonl", "-q").stdout)
    page = Page(html_text)
    assert html_text.startswith("<!DOCTYPE html>")
    assert [s["attrs"]["data-dir"] for s in page.find("section", "doc")] == ["ltr", "rtl"]
    assert [a["attrs"]["lang"] for a in page.find("article")] == ["fr", "ar"]
    assert [(m["text"], int(m["attrs"]["data-start"])) for m in page.find("mark")] == \
        [(r["text"], r["start"]) for r in records]
    assert page.find("nav", "toc")
    if how[0] == "-o":
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["fr.txt", "ar.txt", how[1]])  # no temp file left


# --- check: findings as verdicts --------------------------------------------------------

def finding(verdict: str, why: str, *spans: dict, name: str = "reference") -> dict:
    return {"check": "internal" if name != "reference" else "reference", "finding": name, "verdict": verdict,
            "doc": spans[0]["doc"], "start": spans[0]["start"], "end": spans[0]["end"], "why": why,
            "spans": [{k: s[k] for k in ("doc", "start", "end", "text")} for s in spans]}


def test_writer_turns_findings_into_verdicts() -> None:
    text = "Il y a 10 fermes, puis 10 fermes et 30 vaches."
    a, b, c = (claim(text, "a.txt", s, s + 2) for s in (7, 23, 36))
    out = io.StringIO()
    w = HtmlWriter(out, verdicts={})
    w.begin_document("a.txt", text, "fr")
    for r in (a, b, c):
        w.write(r)
    w.write(finding("supported", "row r1: 10 vs reference 10", a))
    w.write(finding("unverified", "no reference row speaks of it", b))
    w.write(finding("flagged", "the same figure twice", a, b, name="same_figure"))
    w.write(finding("contradicted", "30 vs reference 25", c))
    w.end_document()
    w.write(finding("consistent", "found in two documents", a, {"doc": "other.txt", "start": 0, "end": 2, "text": "10"},
                    name="across"))  # after the document, as check --across does; the other span is not here
    w.close()
    page = Page(out.getvalue())
    assert [m["attrs"]["class"] for m in page.find("mark")] == [
        "claim k-count v-flagged", "claim k-count v-flagged", "claim k-count v-contradicted"]  # the gravest marks
    first = page.find("div", "desc")[0]["text"]
    assert "Verdicts:" in first
    assert first.index("flagged") < first.index("supported") < first.index("consistent")  # gravest first
    assert "same figure: the same figure twice" in first and "across: found in two documents" in first
    assert len(page.find("section", "doc")) == 1  # findings open no document of their own


def test_empty_check_still_has_a_verdict_column() -> None:
    out = io.StringIO()
    w = HtmlWriter(out, verdicts={})
    w.begin_document("a.txt", FR, "fr")
    w.write(claim(FR, "a.txt", 0, 4))
    w.close()
    assert "Verdict" in [th["text"] for th in Page(out.getvalue()).find("th")]


def test_cli_check_html(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("La coopérative compte 120 membres. Elle a reçu 5 000 euros.\n", encoding="utf-8")
    Path("ref.csv").write_text("id,label,value,unit,date,tolerance,source\n"
                               "m,membres,150,,,,registre\n", encoding="utf-8")
    res = cli("check", "a.txt", "--against", "ref.csv", "-o", "report.html", "-q")
    assert res.exit_code == 3, res.stderr  # something contradicted
    findings = jsonl(cli("check", "a.txt", "--against", "ref.csv", "--format", "jsonl", "-q").stdout)
    page = Page(Path("report.html").read_text(encoding="utf-8"))
    marks = page.find("mark")
    assert len(marks) == len(jsonl(cli("extract", "a.txt", "--format", "jsonl", "-q", rules=False).stdout))
    contradicted = [(f["start"], f["end"]) for f in findings if f["verdict"] == "contradicted"]
    assert contradicted and all(
        "v-contradicted" in m["attrs"]["class"] for m in marks
        if (int(m["attrs"]["data-start"]), int(m["attrs"]["data-end"])) in contradicted)
    assert sorted(os.listdir(".")) == ["a.txt", "ref.csv", "report.html"]
