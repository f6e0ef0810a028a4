"""A language is files alone: a made-up language, written here as a rule folder, is read by the
engine, the command line and the checks with no Python of its own.

The language ("xl", Xenolang) is invented for this test, so that nothing of a real language's
rules can leak in: its number words, scale, unit words, qualifier and reference words exist
nowhere else. The shared patterns of rules/common/ do the matching.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import jsonl

LANGUAGE = """\
language: xl
name: Xenolang
direction: ltr
numbering: latn
detect:
  script: latin
  markers: "ŵŷ"
"""

NUMBERS = """\
numbers:
  group_marks: [" "]
  decimal_marks: [","]
  words:
    1: [ona]
    2: [dwa]
    3: [tria]
    4: [kwar]
    5: [pema]
    10: [deka]
    20: [dwadek]
  weak: [ona]
  scales:
    1000: {singular: [mila], plural: [milaŵ]}
    1000000: {singular: [miljo], plural: [miljoŵ]}
  connectors: [ay]
examples:
  - text: "dwadek ay tria mila dendroŵ"
    claims: [{text: "dwadek ay tria mila", kind: count, value: 23000, entity: dendroŵ}]
"""

UNITS = """\
units:
  - kind: percent
    code: "%"
    words: ["%", pursent]
  - kind: money
    code: EUR
    words: [ewroŵ, ewro]
  - kind: duration
    code: year
    words: [jaroŵ, jaro]
unit_joiners: [de]
examples:
  - text: "pema miljoŵ ewroŵ"
    claims: [{text: "pema miljoŵ ewroŵ", kind: money, value: 5000000, unit: EUR}]
"""

CONTEXT = """\
qualifiers:
  more_than: [ovar]
  approx: [cirkŷ]
entity:
  stop: [ay]
"""

LISTS = """\
lists:
  reference_words: [lo, artiklo]
examples:
  - text: "lo 12 ay artiklo 4"
    claims: []
"""

ARTICLE = "Ovar 1 500 dendroŵ ay cirkŷ 12 % ewroŵ. Artiklo 7 ne. Dwa jaroŵ pasŷ.\n"


@pytest.fixture
def xl_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules" / "xl"
    folder.mkdir(parents=True)
    for name, text in (("language", LANGUAGE), ("numbers", NUMBERS), ("units", UNITS), ("context", CONTEXT),
                       ("lists", LISTS)):
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "rules"


def test_the_api_reads_a_language_made_of_files(xl_rules: Path) -> None:
    import coopfacts

    engine = coopfacts.load([str(xl_rules)])
    assert "xl" in engine.languages
    claims = engine.extract(ARTICLE, "xl")
    got = [(c.text, c.kind, c.value, c.unit, c.qualifier) for c in claims]
    assert ("1 500", "count", 1500, None, "more_than") in got
    assert ("12 %", "percent", 12, "%", "approx") in got
    assert ("Dwa jaroŵ", "duration", 2, "year", "exact") in got
    assert not any(c.text == "7" for c in claims)  # a reference number (lists.yaml), no count
    assert all(ARTICLE[c.start:c.end] == c.text for c in claims)
    assert [c.entity for c in claims if c.text == "1 500"] == ["dendroŵ"]
    info = engine.rulebook.info("xl")
    assert (info.name, info.direction, info.numbering) == ("Xenolang", "ltr", "latn")


def test_the_language_is_detected_by_its_markers(xl_rules: Path) -> None:
    import coopfacts

    assert coopfacts.load([str(xl_rules)]).language_of(ARTICLE) == "xl"  # ŵ ŷ point to it among Latin scripts


def test_the_command_line_runs_it_and_its_worked_examples(cli, xl_rules: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    res = cli("extract", str(article), "--lang", "xl", "--rules", str(xl_rules), "--format", "jsonl", rules=False)
    assert res.exit_code == 0, res.stderr
    assert {r["text"] for r in jsonl(res.stdout)} >= {"1 500", "12 %", "Dwa jaroŵ"}
    res = cli("rules", "test", "xl", "--rules", str(xl_rules), rules=False)
    assert res.exit_code == 0, res.stdout
    # its own three worked examples and the shared one of rules/common (telephone numbers)
    assert "xl: 4 passed, 0 failed" in res.stdout


def test_a_broken_file_of_the_new_language_is_located(cli, xl_rules: Path, tmp_path: Path) -> None:
    (xl_rules / "xl" / "units.yaml").write_text(UNITS.replace("code: EUR", "code: EURO"), encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    res = cli("extract", str(article), "--lang", "xl", "--rules", str(xl_rules), rules=False)
    assert res.exit_code == 2
    assert f"{xl_rules / 'xl' / 'units.yaml'}:" in res.stderr and "'EURO' is not an ISO 4217 currency code" in res.stderr
