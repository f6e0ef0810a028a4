"""``coopfacts extract``: the claims of files, directories, standard input and JSON Lines corpora."""
from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Optional

import typer

from coopfacts.cli.common import (
    BomOpt,
    DelimiterOpt,
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
    parse_delimiter,
    parse_list,
    usage_error,
    utf8_stdout,
)
from coopfacts.model import CLAIM_KINDS

KindsOpt = Annotated[Optional[str], typer.Option(
    "--kinds", metavar="K1,K2", help="Keep only these kinds: count,money,percent,ratio,duration,quantity,date.")]
ReferenceDateOpt = Annotated[Optional[str], typer.Option(
    "--reference-date", metavar="YYYY-MM-DD",
    help="Resolve relative time (l'an dernier, سال گذشته) against this date; "
         "without it, a page's own dateline is used where one is found.")]
InputFormatOpt = Annotated[str, typer.Option(
    "--input-format", metavar="auto|text|jsonl|html",
    help="jsonl: one document per line, a JSON object (.jsonl, .jsonl.gz); html: a web page, read as its "
         "article's main text; auto: jsonl for *.jsonl and *.jsonl.gz, html for *.html and *.htm, else text.")]
IdFieldOpt = Annotated[str, typer.Option(
    "--id-field", metavar="NAME", help="JSON Lines: the field that names a document (its doc).")]
TextFieldOpt = Annotated[str, typer.Option(
    "--text-field", metavar="NAME", help="JSON Lines: the field that holds its text.")]
DateFieldOpt = Annotated[Optional[str], typer.Option(
    "--date-field", metavar="NAME",
    help="JSON Lines: the field that gives each document's publication date (YYYY-MM-DD, or a timestamp "
         "starting so), its reference date for relative time; where it is missing, --reference-date.")]
LangFieldOpt = Annotated[Optional[str], typer.Option(
    "--lang-field", metavar="NAME", help="JSON Lines: the field that gives its language (else --lang).")]
JobsOpt = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", metavar="N", help="Worker processes (0: all cores). Default: all cores for over 200 "
                                      "documents or 20 MB, else 1.", show_default=False)]
WithTextOpt = Annotated[bool, typer.Option(
    "--with-text", help="json, jsonl: each document's text once, as a record {record: document, doc, lang, text} "
                        "before its claims; sqlite: in the documents table. Claim offsets index it.")]
SchedulerOpt = Annotated[Optional[str], typer.Option(
    "--scheduler", metavar="ADDRESS", help="Send the documents to the workers of this Dask scheduler "
                                           "(tcp://host:8786); needs coopfacts[dask] here and on the workers.",
    show_default=False)]


def _reference_date(value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise usage_error(f"--reference-date: expected YYYY-MM-DD, got {value!r}") from None


def _dask_client(address: str, rules: list[str] | None) -> Any:
    """``--scheduler``: a client of the Dask scheduler, before any output (exit 2 if there is none)."""
    try:
        from coopfacts.run.dask import connect
    except ImportError as exc:
        raise usage_error(f"--scheduler: {exc}") from None
    return connect(address, rules)


MAX_JOBS = 1024  # worker processes on one machine, at most


def _check_run_options(input_format: str, jobs: int | None, scheduler: str | None) -> None:
    from coopfacts.io import INPUT_FORMATS

    if input_format not in INPUT_FORMATS:
        raise usage_error(f"--input-format: expected one of {', '.join(INPUT_FORMATS)}, got {input_format!r}")
    if jobs is not None and not 0 <= jobs <= MAX_JOBS:
        raise usage_error(f"--jobs: expected 0 (all cores) to {MAX_JOBS}, got {jobs}")
    if scheduler is not None and jobs is not None:
        raise usage_error("--scheduler and --jobs cannot be combined: with a scheduler, its Dask workers do the work")


@guarded
def extract_cmd(
    paths: PathsArg,
    lang: LangOpt = "auto",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    kinds: KindsOpt = None,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    bom: BomOpt = False,
    csv_raw: RawCellsOpt = False,
    quiet: QuietOpt = False,
    reference_date: ReferenceDateOpt = None,
    input_format: InputFormatOpt = "auto",
    id_field: IdFieldOpt = "id",
    text_field: TextFieldOpt = "text",
    lang_field: LangFieldOpt = None,
    date_field: DateFieldOpt = None,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    delimiter: DelimiterOpt = None,
    with_text: WithTextOpt = False,
) -> None:
    """Extract claims from files, directories or standard input."""
    from coopfacts.io import walked_suffixes
    from coopfacts.outputs import FORMATS
    from coopfacts.run import Corpus, RunOptions

    output = None if output == "-" else output  # -o -: standard output
    check_output_path(output, paths, walked_suffixes(input_format))
    delimiter = parse_delimiter(delimiter)
    fmt = output_format(fmt, output, FORMATS, bom=bom, command="extract", delimiter=delimiter, raw_cells=csv_raw)
    if with_text and fmt.value not in ("json", "jsonl", "sqlite"):
        raise usage_error(f"--with-text applies to --format json, jsonl and sqlite, not {fmt.value}")
    check_encoding(encoding)
    ref = _reference_date(reference_date)
    wanted = parse_list("--kinds", kinds, CLAIM_KINDS)
    input_format = input_format.lower()
    _check_run_options(input_format, jobs, scheduler)
    lang = lang.lower()
    rb = load_rulebook(rules, lang)
    client = _dask_client(scheduler, rules) if scheduler is not None else None
    if output is None and fmt.value != "table":
        utf8_stdout()
    run = Corpus(paths, RunOptions(input_format=input_format, encoding=encoding, jobs=jobs, rules=rules, lang=lang,
                                   kinds=wanted, reference_date=ref, id_field=id_field, quiet=quiet,
                                   text_field=text_field, lang_field=lang_field, languages=rb.languages,
                                   date_field=date_field), client=client)
    failures = Failures()
    seen: dict[str, int] = {}  # document id -> documents of this run with it so far
    with open_output(output, fmt) as out, run:
        from coopfacts.outputs import make_writer

        try:
            writer = run.watch(make_writer(fmt.value, out, bom=bom, rulebook=rb, delimiter=delimiter,
                                           raw_cells=csv_raw, with_text=with_text))
        except ValueError as exc:  # a database that cannot take claims
            raise usage_error(str(exc)) from None
        try:
            for item, done in run:
                _write_document(item, done, writer, failures, rb, lang=lang, kinds=wanted, ref=ref, quiet=quiet,
                                html=fmt.value == "html", seen=seen)
            writer.close()
        except BaseException:
            writer.abort()  # a database keeps no row of a run that did not complete
            raise
    run.summary(failures.done, len(failures.items))
    failures.finish()


def _write_document(item: Any, done: Any, writer: Any, failures: Failures, rb: Any, *, lang: str,
                    kinds: set[str] | None, ref: _dt.date | None, quiet: bool, html: bool,
                    seen: dict[str, int]) -> None:
    """One input's claims written, or its failure reported. ``done``: the claims a worker found
    (several jobs), else None; an input over the streaming size comes as a StreamedDocument,
    extracted here window by window as it is read.  ``seen``: the document ids of the run so far;
    the claims of a document whose id came before get ids of their own (the occurrence counts)."""
    from coopfacts.engine import Engine
    from coopfacts.io import STREAM_OVER, Failure, InputProblem, StreamedDocument, stream
    from coopfacts.io.stream import HEAD_CHARS, READ_BLOCK
    from coopfacts.model import claim_id

    if isinstance(item, Failure):
        failures.input_failed(item)
        return
    occurrence = seen.get(item.id, 0)
    seen[item.id] = occurrence + 1
    engine = Engine(rb)
    streamed = isinstance(item, StreamedDocument)
    # a record of a corpus as large as a file that is streamed: read window by window as well
    # (whole, the engine's work on one 30 MB text takes 20 times the memory)
    large = not streamed and done is None and not html and len(item.text) > stream.STREAM_OVER
    ref = getattr(item, "date", None) or ref  # a corpus document's own date (--date-field) first
    begun = False
    try:
        item_lang = getattr(item, "lang", None) or lang  # a JSON Lines record may give its language
        head = item.head if streamed else item.text[:HEAD_CHARS] if large else item.text
        code = done.language() if done else engine.language_of(head, item_lang)
        language_line(item.id, code, item_lang, quiet)
        if streamed:
            if html:
                raise InputProblem(f"over {STREAM_OVER >> 20} MiB: too large for --format html")
            item.validate()  # a bad byte anywhere in a file: refused before any claim is written
            claims = engine.extract_pieces(item.texts(), code, doc=item.id, kinds=kinds, reference_date=ref)
        elif large:
            text = item.text
            blocks = (text[i:i + READ_BLOCK] for i in range(0, len(text), READ_BLOCK))
            claims = engine.extract_pieces(blocks, code, doc=item.id, kinds=kinds, reference_date=ref)
        else:
            claims = done.claims() if done else engine.extract(item.text, code, doc=item.id, kinds=kinds,
                                                               reference_date=ref,
                                                               mixed=item_lang in (None, "auto"))
        writer.begin_document(item.id, "" if streamed else item.text, code)
        begun = True
        for claim in claims:  # a streamed document is read and extracted here, window by window
            record = claim.to_dict()
            if occurrence:
                record["id"] = claim_id(claim.doc, claim.start, claim.end, occurrence)
            writer.write(record)
    except Exception as exc:
        failures.document_failed(item.id, exc)
        if begun:
            writer.end_document()  # the claims written before a streamed document went bad stay
        return
    failures.done += 1
    writer.end_document()
