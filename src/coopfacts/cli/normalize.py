"""``coopfacts normalize``: the text the rules see, and every numeral found in it (for rule writers)."""
from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from coopfacts.cli.common import (
    EncodingOpt,
    Failures,
    LangOpt,
    PathsArg,
    QuietOpt,
    RulesOpt,
    check_encoding,
    guarded,
    language_line,
    load_rulebook,
    utf8_stdout,
)

NumeralsOpt = Annotated[bool, typer.Option(
    "--numerals", help="Also list each numeral: start-end (original offsets), text, value, class.")]
OriginalOpt = Annotated[bool, typer.Option(
    "--original", help="Print the text as read, which claim offsets index (an HTML page: its article's "
                       "text), not its normalised form.")]


@guarded
def normalize_cmd(
    paths: PathsArg,
    lang: LangOpt = "auto",
    numerals: NumeralsOpt = False,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    quiet: QuietOpt = False,
    original: OriginalOpt = False,
) -> None:
    """Print the normalised text the rules see (for rule writers); an HTML page is its article's text."""
    from coopfacts.engine import Engine
    from coopfacts.io import Failure, iter_documents
    from coopfacts.outputs import clean_value

    check_encoding(encoding)
    lang = lang.lower()
    engine = Engine(load_rulebook(rules, lang))
    utf8_stdout()
    headers = len(paths) > 1 or any(os.path.isdir(p) for p in paths)
    failures = Failures()
    for item in iter_documents(paths, encoding):
        if isinstance(item, Failure):
            failures.input_failed(item)
            continue
        code, nt, nums = engine.read(item.text, lang)
        language_line(item.id, code, lang, quiet)
        failures.done += 1
        if headers:
            print(f"==> {item.id} <==")
        shown = nt.original if original else nt.text
        print(shown, end="" if shown.endswith("\n") else "\n")
        if numerals:
            print("# numerals: start-end (original offsets)\ttext\tvalue\tclass")
            for n in nums:
                s, e = nt.span(n.start, n.end)
                print(f"{s}-{e}\t{nt.original[s:e]}\t{clean_value(n.value)}\t{n.cls}")
        sys.stdout.flush()
    failures.finish()
