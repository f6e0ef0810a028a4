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
from typing import Annotated, Any

import typer

from coopfacts import __version__

_SETTINGS: dict[str, Any] = dict(
    name="coopfacts",
    help="Extract quantified claims (counts, money, percentages, dates...) from Arabic, Persian and French text.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain click help: rich's Markdown support would pull in pygments
    pretty_exceptions_show_locals=False,  # locals hold whole documents
    context_settings={"help_option_names": ["-h", "--help"]},
)
# the commands, each in its module of this package, in the order `--help` lists them
COMMANDS = ("rules", "extract", "normalize", "check", "schema", "numbers", "eval")


def _version(value: bool) -> None:
    if value:
        print(f"coopfacts {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Extract quantified claims (counts, money, percentages, dates...) from Arabic, Persian and French text."""


def build(only: str | None = None) -> typer.Typer:
    """The app with every command, or (``only``: a name of :data:`COMMANDS`) with the one a
    command line runs: typer reads the signature of every command it has at each start, and
    a run needs only its own (the same options, help and errors)."""
    import importlib

    app = typer.Typer(**_SETTINGS)
    app.callback()(_root)
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"coopfacts.cli.{name}")
        if name == "rules":
            rules_app = typer.Typer(help="Inspect and test the rule files.", no_args_is_help=True)
            app.add_typer(rules_app, name="rules")
            for sub in ("list", "test", "schema"):
                rules_app.command(sub)(getattr(module, f"rules_{sub}"))
        elif name == "eval":
            module.register(app)
        else:
            app.command(name)(getattr(module, f"{name}_cmd"))
    return app


_APP: list[typer.Typer] = []


def __getattr__(name: str) -> Any:
    if name == "app":  # every command: the tests' CliRunner and `--help`
        if not _APP:
            _APP.append(build())
        return _APP[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    first = sys.argv[1] if len(sys.argv) > 1 else None
    build(first if first in COMMANDS else None)()
