"""The ``coopfacts`` command line: the typer app and its commands, one module each.

Only typer (and what it needs) is imported at start-up, so ``coopfacts --help`` is quick: the
rule engine (regex, YAML, rule files) is imported inside the commands that use it. The exit
statuses are listed in common.py.
"""
from __future__ import annotations

import errno
import io
import os
import sys
from typing import Annotated

import typer

from coopfacts import __version__
from coopfacts.cli import check, extract, normalize, numbers, rules, schema
from coopfacts.cli import eval as evaluate

app = typer.Typer(
    name="coopfacts",
    help="Extract quantified claims (counts, money, percentages, dates...) from Arabic, Persian and French text.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain click help: rich's Markdown support would pull in pygments
    pretty_exceptions_show_locals=False,  # locals hold whole documents
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="Inspect and test the rule files.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def _version(value: bool) -> None:
    if value:
        print(f"coopfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Extract quantified claims (counts, money, percentages, dates...) from Arabic, Persian and French text."""


app.command("extract")(extract.extract_cmd)
app.command("normalize")(normalize.normalize_cmd)
rules_app.command("list")(rules.rules_list)
rules_app.command("test")(rules.rules_test)
rules_app.command("schema")(rules.rules_schema)
app.command("check")(check.check_cmd)
app.command("schema")(schema.schema_cmd)
app.command("numbers")(numbers.numbers_cmd)
evaluate.register(app)



class _Closed(io.TextIOBase):
    """Standard output when the process was started with it closed (``coopfacts ... >&-``):
    writing to it is an error the commands report in one line; ``-o FILE`` needs no stdout."""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def main() -> None:
    if sys.stderr is None:  # nowhere to say anything: said nowhere, but no crash
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole process
    if sys.stdout is None:
        sys.stdout = _Closed()
    app()
