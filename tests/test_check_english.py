"""English (main) read by the check of feat-check, whose ties and sets come from rules/<code>/check.yaml:
rules/en/check.yaml gives English its from/to pairs, wholes, links, remainders and levels."""
from __future__ import annotations

import json
from pathlib import Path

TEXT = ("Sales rose by 25%, from $400,000 to $500,000.\n\n"
        "Of the 300 members, 180 are women and 150 are men.\n\n"
        "The fund reached 130% of its target.\n\n"
        "Exports tripled, from 5,000 tonnes to 15,000 tonnes.\n\n"
        "Imports doubled from $10 million to $30 million.\n")


def test_english_check_words(cli, tmp_path: Path) -> None:
    p = tmp_path / "en.txt"
    p.write_text(TEXT, encoding="utf-8")
    res = cli("check", str(p), "-f", "jsonl", "-q")
    assert res.exit_code == 3, res.output
    found = {(r["finding"], r["text"], r["verdict"]) for r in map(json.loads, res.stdout.splitlines())}
    assert ("change", "25%", "consistent") in found  # from … to, tied by the clause
    assert ("parts_sum", "300", "contradicted") in found  # of the 300 …: 180 + 150 > 300
    assert ("percent_over_100", "130%", "consistent") in found  # of its target: may exceed 100 %
    assert ("multiple", "tripled", "consistent") in found
    assert ("multiple", "doubled", "contradicted") in found
    assert {f for f in found if f[2] == "contradicted"} == {("parts_sum", "300", "contradicted"),
                                                          ("multiple", "doubled", "contradicted")}
