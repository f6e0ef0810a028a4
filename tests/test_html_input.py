"""HTML pages as input: the article's text (trafilatura when installed, else a plain reading of
the tags), claims whose spans index that text, and `coopfacts normalize --original` printing it."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import jsonl
from coopfacts.io import iter_documents
from coopfacts.io.html import main_text, plain_text

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Coopératives : 300 créations</title>
<style>.logo{width:300px;height:250px}</style>
<script>var views = 12345; window.track(2024);</script></head>
<body>
<header><nav><a href="/">Accueil</a> | <a href="/eco">Économie</a> | 24 commentaires</nav></header>
<main><article>
<h1>Les coopératives agricoles en plein essor</h1>
<p>Le ministère a recensé plus de 1&nbsp;500 coopératives en 2023, soit 12&nbsp;% de plus qu&#39;en 2022.</p>
<img src="champ.jpg" width="640" height="480" alt="Un champ de 80 hectares">
<p>Leur chiffre d&#39;affaires atteint 3 millions d&#39;euros.<br>Les adhérents sont 4&#8239;200.</p>
<div hidden>Publicité 99 %</div>
<p>Selon la fédération, les prix ont augmenté de 7 % en un an, une hausse que les producteurs
attribuent au coût de l'énergie et des engrais, qui pèse sur les exploitations familiales.</p>
</article></main>
<aside>Les plus lus : 5 articles</aside>
<footer>© 2024 Journal — 10 rue des Lilas</footer>
</body></html>
"""
NEVER = ("300px", "12345", "640", "480", "24 commentaires", "&#39;", "&nbsp;", "width", "10 rue", "Les plus lus")


@pytest.fixture
def page(tmp_path: Path) -> Path:
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    return p


def test_plain_reading_keeps_the_article_only() -> None:
    text = plain_text(PAGE)
    for bad in (*NEVER, "Publicité", "Accueil", "var views"):
        assert bad not in text, bad
    assert "plus de 1\u00a0500" not in text and "plus de 1 500 coopératives en 2023" in text  # &nbsp; read, spaces one
    assert "qu'en 2022." in text and "3 millions d'euros.\nLes adhérents" in text  # <br> ends a line
    assert "\n\nLe ministère" in text  # paragraphs apart


@pytest.mark.parametrize("extractor", [False, True])
def test_main_text_either_way(extractor: bool) -> None:
    if extractor:
        pytest.importorskip("trafilatura", reason="pip install 'coopfacts[html]'")
    text = main_text(PAGE, extractor=extractor)
    assert "plus de 1 500 coopératives en 2023" in text and "augmenté de 7 %" in text
    for bad in NEVER:
        assert bad not in text, bad


def test_extract_a_page(cli, page: Path) -> None:
    res = cli("extract", str(page), "-q", "-f", "jsonl", rules=False)
    assert res.exit_code == 0, res.stderr
    recs = jsonl(res.stdout)
    norm = cli("normalize", str(page), "-q", "--original", rules=False)
    assert norm.exit_code == 0, norm.stderr
    text = norm.stdout
    found = {r["text"] for r in recs}
    assert {"1 500", "12 %", "3 millions d'euros", "7 %"} <= found
    for r in recs:
        assert text[r["start"]:r["end"]] == r["text"]  # spans index the page's text
        assert not any(bad in r["context"] for bad in NEVER)
    assert not found & {"300", "12345", "640", "480", "24", "10", "99 %"}


def test_input_format_html_for_any_name_and_standard_input(cli, tmp_path: Path, page: Path) -> None:
    other = tmp_path / "page.txt"
    other.write_text(PAGE, encoding="utf-8")
    as_html = cli("extract", str(other), "-q", "--input-format", "html", rules=False)
    plain = cli("extract", str(page), "-q", rules=False)
    assert as_html.exit_code == plain.exit_code == 0
    strip = [{k: v for k, v in r.items() if k not in ("id", "doc")} for r in jsonl(as_html.stdout)]
    assert strip == [{k: v for k, v in r.items() if k not in ("id", "doc")} for r in jsonl(plain.stdout)]
    piped = cli("extract", "-", "-q", "--input-format", "html", input=PAGE.encode("utf-8"), rules=False)
    assert [r["text"] for r in jsonl(piped.stdout)] == [r["text"] for r in jsonl(plain.stdout)]
    raw = cli("extract", str(page), "-q", "--input-format", "text", rules=False)
    assert any(r["text"].startswith("12345") or r["text"] == "640" for r in jsonl(raw.stdout))  # as it was


def test_a_directory_of_pages(cli, tmp_path: Path) -> None:
    d = tmp_path / "site"
    d.mkdir()
    (d / "a.html").write_text(PAGE, encoding="utf-8")
    (d / "b.htm").write_text(PAGE, encoding="utf-8")
    (d / "notes.txt").write_text("Plus de 40 exposants.", encoding="utf-8")
    res = cli("extract", str(d), "-q", "--input-format", "html", rules=False)
    assert res.exit_code == 0, res.stderr
    assert {Path(r["doc"]).name for r in jsonl(res.stdout)} == {"a.html", "b.htm"}
    docs = list(iter_documents([str(d)]))  # by default a directory gives its texts, pages named
    assert [Path(x.id).name for x in docs] == ["notes.txt"]
