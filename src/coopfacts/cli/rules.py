"""``coopfacts rules``: the rule files — what they hold, their worked examples, and their format."""
from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from coopfacts.cli.common import RulesOpt, guarded, usage_error, utf8_stdout

LangsArg = Annotated[Optional[list[str]], typer.Argument(
    metavar="LANG", help="Languages to test (default: all).", show_default=False)]


def shown_path(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@guarded
def rules_list(rules: RulesOpt = None) -> None:
    """List the languages with their rule files and what they define."""
    from rich.console import Console
    from rich.table import Table

    from coopfacts.outputs import WIDE
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook(rules or None)
    langs = [rb.language(code) for code in rb.languages]
    count_keys = list(dict.fromkeys(k for L in langs for k in L.counts))
    table = Table("code", "name", "files", *count_keys)
    for L in langs:
        table.add_row(L.code, L.name, "\n".join(shown_path(f) for f in L.files),
                      *(str(L.counts.get(k, "")) for k in count_keys))
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = WIDE
    console.print(table)


def _problems(code: str, ex: object, rb: object) -> list[str]:
    """What is wrong with one worked example (an engine error is one problem, a rule error stops)."""
    from coopfacts.evaluation import check_example
    from coopfacts.rulebook import RuleError

    try:
        return check_example(code, ex, rb)
    except RuleError:
        raise
    except Exception as exc:
        return [f"engine error: {type(exc).__name__}: {exc}"]


@guarded
def rules_test(langs: LangsArg = None, rules: RulesOpt = None) -> None:
    """Run every worked example of the rule files; exit 1 if any fails."""
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook(rules or None)
    unknown = [c for c in langs or [] if c not in rb.languages]
    if unknown:
        raise usage_error(f"unknown language {', '.join(map(repr, unknown))}; "
                          f"rule files exist for: {', '.join(rb.languages)}")
    utf8_stdout()
    any_failed = False
    for code in langs or rb.languages:
        passed = failed = 0
        for ex in rb.language(code).examples:
            problems = _problems(code, ex, rb)
            if not problems:
                passed += 1
                continue
            failed += 1
            print(f"FAIL {shown_path(ex.source)}:{ex.line} [{code}]")
            print(f"  text: «{ex.text}»")
            for p in problems:
                print(f"  {p}")
        any_failed = any_failed or failed > 0
        print(f"{code}: {passed} passed, {failed} failed", flush=True)
    if any_failed:
        raise typer.Exit(1)


@guarded
def rules_schema() -> None:
    """Print the JSON Schema of a rule file (for editors; rules/rule-file.schema.json holds it)."""
    import json

    from coopfacts.rulebook.schema import rule_file_json_schema

    utf8_stdout()
    print(json.dumps(rule_file_json_schema(), ensure_ascii=False, indent=1))
