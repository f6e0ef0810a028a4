"""``coopfacts numbers``: every numeral in a text, claim or not.

The layer under claims: each number written in digits or words, with its value and its exact
span in the original text — page numbers, ids and the parts of an IP address included. A
cardinal is ``kind: number``; a number with an ordinal suffix or an ordinal word (``1er``,
``troisième``, ``الثالث``) is ``kind: ordinal``. A word that is a number only in form (an
article such as ``un``, ``یک``, ``أحد``, or a bare fraction) is a ``number`` with ``weak:
true``: it is listed, and the claims layer decides whether it counts. From Python:
``coopfacts.numbers(text, lang)``.
"""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from coopfacts.cli.common import (
    BomOpt,
    EncodingOpt,
    Failures,
    FormatOpt,
    LangOpt,
    OutputOpt,
    PathsArg,
    QuietOpt,
    RawCellsOpt,
    RulesOpt,
    check_encoding,
    check_output_path,
    guarded,
    language_line,
    load_rulebook,
    open_output,
    output_format,
    parse_list,
    utf8_stdout,
)

NUMBER_KINDS = ("number", "ordinal")
NUMBER_FORMATS = ("table", "json", "jsonl", "csv", "tsv")

NumberKindsOpt = Annotated[Optional[str], typer.Option(
    "--kinds", metavar="K1,K2", help="Keep only these kinds: number,ordinal.")]


@guarded
def numbers_cmd(
    paths: PathsArg,
    lang: LangOpt = "auto",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    kinds: NumberKindsOpt = None,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    bom: BomOpt = False,
    csv_raw: RawCellsOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """List every numeral (digits or words, cardinal or ordinal) with its value and exact span."""
    from coopfacts.engine import Engine
    from coopfacts.io import Failure, iter_documents
    from coopfacts.outputs import make_writer

    output = None if output == "-" else output  # -o -: standard output
    check_output_path(output, paths)
    fmt = output_format(fmt, output, NUMBER_FORMATS, bom=bom, command="numbers", raw_cells=csv_raw)
    check_encoding(encoding)
    wanted = parse_list("--kinds", kinds, NUMBER_KINDS)
    lang = lang.lower()
    engine = Engine(load_rulebook(rules, lang))
    failures = Failures()
    if output is None and fmt.value != "table":
        utf8_stdout()
    with open_output(output) as out:
        writer = make_writer(fmt.value, out, bom=bom, records="numbers", raw_cells=csv_raw)
        for item in iter_documents(paths, encoding):
            if isinstance(item, Failure):
                failures.input_failed(item)
                continue
            try:
                code = engine.language_of(item.text, lang)
                language_line(item.id, code, lang, quiet)
                records = engine.numbers(item.text, code, kinds=wanted, doc=item.id)
            except Exception as exc:
                failures.document_failed(item.id, exc)
                continue
            failures.done += 1
            for rec in records:
                writer.write(rec.to_dict())
            writer.end_document()
        writer.close()
    failures.finish()
