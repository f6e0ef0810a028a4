"""``coopfacts check``: figures against a reference table, within each document and across documents."""
from __future__ import annotations

from typing import Annotated, Any, Optional

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
    usage_error,
    utf8_stdout,
)
from coopfacts.cli.extract import (
    IdFieldOpt,
    InputFormatOpt,
    KindsOpt,
    LangFieldOpt,
    ReferenceDateOpt,
    TextFieldOpt,
    _reference_date,
)
from coopfacts.model import CLAIM_KINDS, VERDICTS

AgainstOpt = Annotated[Optional[str], typer.Option(
    "--against", "-a", metavar="TABLE",
    help="Reference table, CSV/TSV, JSON Lines or XLSX (label, value, unit, kind, date or period, tolerance, "
         "source, id, doc, lang, scope, note; or a column per year): each claim is supported, contradicted "
         "or unverified.")]
AcrossOpt = Annotated[bool, typer.Option(
    "--across", help="Also group the same figure found in several documents (any language).")]
InternalOpt = Annotated[bool, typer.Option("--internal/--no-internal", help="Check each document against itself.")]
OnlyOpt = Annotated[Optional[str], typer.Option(
    "--only", metavar="V1,V2", help="Show only these verdicts: supported,contradicted,unverified,consistent,flagged.")]
TableEncodingOpt = Annotated[Optional[str], typer.Option(
    "--table-encoding", metavar="NAME",
    help="Encoding of the reference table (default: UTF-8, with or without BOM; e.g. cp1256, cp1252).")]
TableDecimalOpt = Annotated[str, typer.Option(
    "--table-decimal", metavar="MARK",
    help="Decimal mark of the table's numbers: '.' (1,500 is 1500), ',' (59,5; 1.500 is 1500) "
         "or auto (1,500 and 1.500.000 are thousands, 59,5 and 12.5 decimals).")]
ToleranceOpt = Annotated[Optional[str], typer.Option(
    "--tolerance", metavar="TOL", help="Tolerance of reference rows that give none: 2% or an amount (default 0).")]


class _Verdicts:
    """Findings written as they come; remembers whether any was contradicted (even one --only hides)."""

    def __init__(self, writer: Any, wanted: set[str] | None):
        self.writer, self.wanted, self.contradicted = writer, wanted, False

    def emit(self, findings: list[Any]) -> None:
        for finding in findings:
            self.contradicted = self.contradicted or finding.verdict == "contradicted"
            if self.wanted is None or finding.verdict in self.wanted:
                self.writer.write(finding.to_dict())
        self.writer.end_document()


def _reference_rows(against: str | None, rb: Any, encoding: str | None, decimal: str) -> Any:
    from coopfacts.check import ReferenceError, load_reference
    from coopfacts.check.cells import DECIMAL_MARKS

    if against is None:
        for opt, given in (("--table-encoding", encoding), ("--table-decimal", decimal != "auto")):
            if given:
                raise usage_error(f"{opt} applies to a reference table: give --against TABLE")
        return None
    if decimal not in DECIMAL_MARKS:
        raise usage_error(f"--table-decimal: expected one of {', '.join(DECIMAL_MARKS)}, got {decimal!r}")
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise usage_error(f"--table-encoding: unknown encoding {encoding!r}") from None
    try:
        return load_reference(against, rb, encoding=encoding, decimal=decimal)
    except ReferenceError as exc:
        raise usage_error(str(exc)) from None


def _writer(fmt: Any, out: Any, bom: bool, rb: Any, raw_cells: bool = False) -> Any:
    if fmt.value == "html":  # the texts with their claims, each marked with its findings' verdicts
        from coopfacts.outputs import HtmlWriter

        return HtmlWriter(out, verdicts={}, rulebook=rb)
    from coopfacts.check import make_finding_writer

    return make_finding_writer(fmt.value, out, bom=bom, raw_cells=raw_cells)


def _of_kinds(findings: list[Any], kinds: set[str] | None) -> list[Any]:
    """The findings about claims of ``kinds`` (the first span: the claim judged)."""
    if kinds is None:
        return findings
    return [f for f in findings if f.spans and f.spans[0].get("kind") in kinds]


def _check_item(item: Any, engine: Any, failures: Failures, *, lang: str, quiet: bool, ref: Any, rows: Any,
                internal: bool, tolerance: Any, kinds: set[str] | None) -> tuple[str, str, list, list] | None:
    """``(text, language, claims, findings)`` of one input, or None when it failed (reported).
    Every claim is extracted and checked (dates and the figures a change relates give context);
    ``kinds`` keeps the claims and findings of those kinds."""
    from coopfacts.check import check_document
    from coopfacts.io import Failure, StreamedDocument

    if isinstance(item, Failure):
        failures.input_failed(item)
        return None
    try:
        if isinstance(item, StreamedDocument):  # a large input: checked whole, as the checks need its text
            item.validate()
            text = "".join(item.texts())
        else:
            text = item.text
        item_lang = getattr(item, "lang", None) or lang  # a JSON Lines record may give its language
        code = engine.language_of(text, item_lang)
        language_line(item.id, code, item_lang, quiet)
        claims = engine.extract(text, code, doc=item.id, reference_date=ref)
        findings = check_document(claims, text, reference=rows, internal=internal, rulebook=engine.rulebook,
                                  default_tolerance=tolerance)
    except Exception as exc:
        failures.document_failed(item.id, exc)
        return None
    failures.done += 1
    if kinds is not None:
        claims = [c for c in claims if c.kind in kinds]
    return text, code, claims, _of_kinds(findings, kinds)


@guarded
def check_cmd(
    paths: PathsArg,
    against: AgainstOpt = None,
    across: AcrossOpt = False,
    internal: InternalOpt = True,
    only: OnlyOpt = None,
    tolerance: ToleranceOpt = None,
    table_encoding: TableEncodingOpt = None,
    table_decimal: TableDecimalOpt = "auto",
    kinds: KindsOpt = None,
    reference_date: ReferenceDateOpt = None,
    input_format: InputFormatOpt = "auto",
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    lang_field: LangFieldOpt = None,
    lang: LangOpt = "auto",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    bom: BomOpt = False,
    csv_raw: RawCellsOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Check figures against a reference table, within each document and across documents.

    Exit status: 0 nothing contradicted; 3 some finding contradicted; 1 some input failed;
    2 usage error (also an unreadable reference table).
    """
    from coopfacts.check import EXIT_CONTRADICTED, check_across, parse_tolerance
    from coopfacts.engine import Engine
    from coopfacts.io import INPUT_FORMATS, iter_sources, plan_sources, walked_suffixes

    check_output_path(output, paths, walked_suffixes(input_format))
    fmt = output_format(fmt, output, bom=bom, command="check", raw_cells=csv_raw)
    if not (against or across or internal):
        raise usage_error("nothing to check: give --against TABLE or --across, or drop --no-internal")
    wanted = parse_list("--only", only, VERDICTS, what="verdict")
    try:
        default_tolerance = parse_tolerance(tolerance)
    except ValueError as exc:
        raise usage_error(f"--{exc}") from None
    check_encoding(encoding)
    ref = _reference_date(reference_date)
    wanted_kinds = parse_list("--kinds", kinds, CLAIM_KINDS)
    input_format = input_format.lower()
    if input_format not in INPUT_FORMATS:
        raise usage_error(f"--input-format: expected one of {', '.join(INPUT_FORMATS)}, got {input_format!r}")
    lang = lang.lower()
    rb = load_rulebook(rules, lang)
    engine = Engine(rb)
    rows = _reference_rows(against, rb, table_encoding, table_decimal)
    failures = Failures()
    every_doc: list[list[Any]] = []
    if output is None and fmt.value != "table":
        utf8_stdout()
    with open_output(output) as out:
        writer = _writer(fmt, out, bom, rb, raw_cells=csv_raw)
        verdicts = _Verdicts(writer, wanted)
        sources = plan_sources(paths, input_format)
        for item, _ in iter_sources(sources, encoding=encoding, id_field=id_field, text_field=text_field,
                                    lang_field=lang_field, languages=rb.languages):
            if item is None:
                continue
            checked = _check_item(item, engine, failures, lang=lang, quiet=quiet, ref=ref, rows=rows,
                                  internal=internal, tolerance=default_tolerance, kinds=wanted_kinds)
            if checked is None:
                continue
            text, code, claims, findings = checked
            writer.begin_document(item.id, text, code)
            if fmt.value == "html":
                for claim in claims:
                    writer.write(claim.to_dict())
            if across:
                every_doc.append(claims)
            verdicts.emit(findings)
        if across:
            verdicts.emit(_of_kinds(check_across(every_doc, rulebook=rb), wanted_kinds))
        writer.close()
    failures.finish()
    if verdicts.contradicted:
        raise typer.Exit(EXIT_CONTRADICTED)
