"""The ``coopfacts`` command line.

Only typer (and what it needs) is imported at start-up, so ``coopfacts --help``
is quick: the rule engine (regex, YAML, rule files) is imported inside the
commands that use it.

Exit status: 0 all inputs read; 1 some input failed (or a worked example failed
in ``rules test``, or an internal error: one line, no traceback); 2 usage error or
malformed rule file; 130 interrupted; 141 output pipe closed (``| head``); 143
terminated (SIGTERM) while writing ``-o FILE``.
"""
from __future__ import annotations

import codecs
import contextlib
import functools
import io
import os
import sys
from enum import Enum
from typing import IO, Annotated, Any, Callable, Iterator, Optional, TypeVar

import typer

from coopfacts import __version__

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


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    html = "html"


# --- shared options and helpers -----------------------------------------------

PathsArg = Annotated[list[str], typer.Argument(
    metavar="PATH", help="Files, directories (their .txt and .md files, recursively) or - for standard input.", show_default=False)]
LangOpt = Annotated[str, typer.Option("--lang", "-l", metavar="LANG", help="auto (detect per document) or a language code: ar, fa, fr.")]
OutputOpt = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE", help="Write to FILE (replaced only when the run completes).")]
BomOpt = Annotated[bool, typer.Option("--bom", help="CSV only: start with a UTF-8 BOM (for Excel).")]
RulesOpt = Annotated[Optional[list[str]], typer.Option(
    "--rules", metavar="DIR", help="Extra rule directory (repeatable); its files replace packaged files of the same name.")]
EncodingOpt = Annotated[Optional[str], typer.Option(
    "--encoding", metavar="NAME", help="Decode inputs with this encoding (e.g. cp1256) instead of UTF-8/BOM detection.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Do not report each document's language (nor extract's progress and summary) on stderr.")]

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
    """One line on stderr, prefixed with the program name."""
    print(f"coopfacts: {message}", file=sys.stderr, flush=True)


def usage_error(message: str) -> typer.Exit:
    say(message)
    return typer.Exit(2)


def _silence_stdout() -> None:
    # The reader went away: point stdout at /dev/null so the final flush at exit cannot complain.
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _typer_signals() -> tuple[type[BaseException], ...]:
    """typer's exits and usage errors, named through typer itself.

    typer 0.28 carries its own copy of click and no longer installs the ``click``
    package; older releases re-export click's classes. Either way these names are
    typer's, and the usage-error base is found in ``BadParameter``'s ancestry, so
    nothing here imports a package we do not declare.
    """
    found: list[type[BaseException]] = [typer.Exit, typer.Abort]
    found += [c for c in typer.BadParameter.__mro__ if c.__name__ in ("ClickException", "TyperException")]
    return tuple(found)


_TYPER_SIGNALS = _typer_signals()


def guarded(fn: F) -> F:
    """Exit codes instead of tracebacks for Ctrl-C, a closed pipe and malformed rule files."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(141) from None
        except OSError as exc:  # inputs report their own errors: this is the output (disk full, -o a directory...)
            say(f"cannot write {exc.filename or 'the output'}: {(exc.strerror or str(exc)).lower()}")
            raise typer.Exit(1) from None
        except Exception as exc:
            from coopfacts.rulebook.shapes import RuleError
            from coopfacts.run import SchedulerError

            if isinstance(exc, RuleError):
                print(exc, file=sys.stderr)  # file:line:col: message, as editors expect
                raise typer.Exit(2) from None
            if isinstance(exc, SchedulerError):  # --scheduler: unreachable (2) or lost (1)
                say(str(exc))
                raise typer.Exit(exc.status) from None
            if isinstance(exc, _TYPER_SIGNALS) or os.environ.get("COOPFACTS_DEBUG"):
                raise
            say(f"internal error: {type(exc).__name__}: {exc} (COOPFACTS_DEBUG=1 shows a traceback)")
            raise typer.Exit(1) from None
    return wrapper  # type: ignore[return-value]


def _rulebook(rules: list[str] | None, lang: str) -> Any:
    """The rulebook, with the languages this run may use compiled now (rule errors show before any output)."""
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook(rules or None)
    if lang != "auto" and lang not in rb.languages:
        raise usage_error(f"--lang: unknown language {lang!r}; rule files exist for: auto, {', '.join(rb.languages)}")
    rb.check_all()  # every file's shape now; patterns compile when a document needs them
    if lang != "auto":
        rb.language(lang)
    return rb


def _check_encoding(encoding: str | None) -> None:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise usage_error(f"--encoding: unknown encoding {encoding!r}") from None


def _utf8_stdout() -> None:
    with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
    else:
        from coopfacts.outputs.target import atomic_output

        with atomic_output(path) as fh:
            yield fh


def _default_format(output: str | None) -> Format:
    if output is not None:
        suffix = os.path.splitext(output)[1].lower().lstrip(".")
        suffix = "html" if suffix == "htm" else suffix
        return Format(suffix) if suffix in ("json", "jsonl", "csv", "html") else Format.jsonl
    return Format.table if sys.stdout.isatty() else Format.jsonl


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


# --- extract --------------------------------------------------------------------

@app.command("extract")
@guarded
def extract_cmd(
    paths: PathsArg,
    lang: LangOpt = "auto",
    fmt: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="Output format. Default: table on a terminal, else jsonl; with -o, from its suffix.",
        show_default=False)] = None,
    output: OutputOpt = None,
    kinds: Annotated[Optional[str], typer.Option(
        "--kinds", metavar="K1,K2", help="Keep only these kinds: count,money,percent,ratio,duration,quantity,date.")] = None,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    bom: BomOpt = False,
    quiet: QuietOpt = False,
    reference_date: Annotated[Optional[str], typer.Option(
        "--reference-date", metavar="YYYY-MM-DD",
        help="Resolve relative time (l'an dernier, سال گذشته) against this date; "
             "without it, a page's own dateline is used where one is found.")] = None,
    input_format: Annotated[str, typer.Option(
        "--input-format", metavar="auto|text|jsonl",
        help="jsonl: one document per line, a JSON object (.jsonl, .jsonl.gz); auto: jsonl for *.jsonl and "
             "*.jsonl.gz, else text.")] = "auto",
    id_field: Annotated[str, typer.Option("--id-field", metavar="NAME", help="JSON Lines: the field that names a document (its doc).")] = "id",
    text_field: Annotated[str, typer.Option("--text-field", metavar="NAME", help="JSON Lines: the field that holds its text.")] = "text",
    lang_field: Annotated[Optional[str], typer.Option(
        "--lang-field", metavar="NAME", help="JSON Lines: the field that gives its language (else --lang).")] = None,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", metavar="N", help="Worker processes (0: all cores). Default: all cores for over 200 "
                                          "documents or 20 MB, else 1.", show_default=False)] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", metavar="ADDRESS", help="Send the documents to the workers of this Dask scheduler "
                                               "(tcp://host:8786); needs coopfacts[dask] here and on the workers.",
        show_default=False)] = None,
) -> None:
    """Extract claims from files, directories or standard input."""
    from coopfacts.engine import Engine
    from coopfacts.io import INPUT_FORMATS, STREAM_OVER, Failure, InputProblem, StreamedDocument, failure_summary
    from coopfacts.outputs.writers import make_writer
    from coopfacts.rulebook import KINDS
    from coopfacts.run import Corpus, RunOptions

    if output is not None and os.path.isdir(output):
        raise usage_error(f"-o: {output} is a directory")
    if output is not None and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
        raise usage_error(f"-o: no such directory: {os.path.dirname(output)}")
    fmt = fmt or _default_format(output)
    if bom and fmt is not Format.csv:
        raise usage_error("--bom applies to --format csv only")
    _check_encoding(encoding)
    ref = None
    if reference_date is not None:
        import datetime as _dt
        try:
            ref = _dt.date.fromisoformat(reference_date)
        except ValueError:
            raise usage_error(f"--reference-date: expected YYYY-MM-DD, got {reference_date!r}") from None
    wanted: set[str] | None = None
    if kinds:
        wanted = {k.strip() for k in kinds.split(",") if k.strip()}
        valid = [k for k in KINDS if k != "ignore"]
        bad = sorted(wanted - set(valid))
        if bad or not wanted:
            raise usage_error(f"--kinds: unknown kind {', '.join(map(repr, bad)) or '(none given)'}; "
                              f"expected some of: {','.join(valid)}")
    if input_format.lower() not in INPUT_FORMATS:
        raise usage_error(f"--input-format: expected one of {', '.join(INPUT_FORMATS)}, got {input_format!r}")
    if jobs is not None and jobs < 0:
        raise usage_error(f"--jobs: expected 0 (all cores) or more, got {jobs}")
    if scheduler is not None and jobs is not None:
        raise usage_error("--scheduler and --jobs cannot be combined: with a scheduler, its Dask workers do the work")
    lang = lang.lower()
    rb = _rulebook(rules, lang)
    engine = Engine(rb)
    client = _dask_client(scheduler, rules) if scheduler is not None else None

    n_docs = 0
    failures: list[Failure] = []
    if output is None and fmt is not Format.table:
        _utf8_stdout()
    run = Corpus(paths, RunOptions(input_format=input_format.lower(), encoding=encoding, jobs=jobs, rules=rules,
                                   lang=lang, kinds=wanted, reference_date=ref, id_field=id_field, quiet=quiet,
                                   text_field=text_field, lang_field=lang_field, languages=rb.languages), client=client)
    with _output(output) as out, run:
        writer = run.watch(make_writer(fmt.value, out, with_dates=wanted is None or "date" in wanted, bom=bom))
        # inputs over STREAM_OVER bytes come as StreamedDocument: extracted window by window;
        # done: the claims a worker process found (several jobs), else None
        for item, done in run:
            if isinstance(item, Failure):
                failures.append(item)
                say(f"{item.path}: {item.message}")
                continue
            streamed = isinstance(item, StreamedDocument)
            begun = False
            try:
                item_lang = getattr(item, "lang", None) or lang  # a JSON Lines record may give its language
                code = done.language() if done else engine.language_of(item.head if streamed else item.text, item_lang)
                if not quiet:
                    say(f"{item.id}: language {code} ({'detected' if item_lang == 'auto' else 'given'})")
                if streamed:
                    if fmt.value == "html":
                        raise InputProblem(f"over {STREAM_OVER >> 20} MiB: too large for --format html")
                    item.validate()  # a bad byte anywhere in a file: refused before any claim is written
                    claims = engine.extract_pieces(item.texts(), code, doc=item.id, kinds=wanted,
                                                        reference_date=ref)
                else:
                    claims = done.claims() if done else \
                        engine.extract(item.text, code, doc=item.id, kinds=wanted, reference_date=ref)
                writer.begin_document(item.id, "" if streamed else item.text, code)
                begun = True
                for claim in claims:  # a streamed document is read and extracted here, window by window
                    writer.write(claim.to_dict())
            except Exception as exc:
                if isinstance(exc, OSError) or (os.environ.get("COOPFACTS_DEBUG") and not isinstance(exc, InputProblem)):
                    raise  # an OSError here is the output's (disk full...): guarded() reports it
                why = str(exc) if isinstance(exc, InputProblem) else f"internal error: {type(exc).__name__}: {exc}"
                failures.append(Failure(item.id, why))
                say(f"{item.id}: {why}" + ("" if isinstance(exc, InputProblem) else " (COOPFACTS_DEBUG=1 shows a traceback)"))
                if begun:
                    writer.end_document()  # the claims written before a streamed document went bad stay
                continue
            n_docs += 1
            writer.end_document()
        writer.close()
    run.summary(n_docs, len(failures))
    if failures:
        if n_docs + len(failures) > 1:  # one input: its own line says it all
            say(failure_summary(n_docs, failures))
        raise typer.Exit(1)


def _dask_client(address: str, rules: list[str] | None) -> Any:
    """``--scheduler``: a client of the Dask scheduler, before any output (exit 2 if there is none)."""
    try:
        from coopfacts.run.dask import connect
    except ImportError as exc:
        raise usage_error(f"--scheduler: {exc}") from None
    return connect(address, rules)


# --- normalize ------------------------------------------------------------------

@app.command("normalize")
@guarded
def normalize_cmd(
    paths: PathsArg,
    lang: LangOpt = "auto",
    numerals: Annotated[bool, typer.Option(
        "--numerals", help="Also list each numeral: start-end (original offsets), text, value, class.")] = False,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Print the normalised text the rules see (for rule writers)."""
    from coopfacts.engine import Engine
    from coopfacts.io import Failure, iter_documents
    from coopfacts.outputs.writers import clean_value

    _check_encoding(encoding)
    lang = lang.lower()
    rb = _rulebook(rules, lang)
    _utf8_stdout()
    headers = len(paths) > 1 or any(os.path.isdir(p) for p in paths)
    failed = 0
    for item in iter_documents(paths, encoding):
        if isinstance(item, Failure):
            failed += 1
            say(f"{item.path}: {item.message}")
            continue
        code, nt, nums = Engine(rb).read(item.text, lang)
        if not quiet:
            say(f"{item.id}: language {code} ({'detected' if lang == 'auto' else 'given'})")
        if headers:
            print(f"==> {item.id} <==")
        print(nt.text, end="" if nt.text.endswith("\n") else "\n")
        if numerals:
            print("# numerals: start-end (original offsets)\ttext\tvalue\tclass")
            for n in nums:
                s, e = nt.span(n.start, n.end)
                print(f"{s}-{e}\t{nt.original[s:e]}\t{clean_value(n.value)}\t{n.cls}")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


# --- rules ------------------------------------------------------------------------

def _shown_path(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@rules_app.command("list")
@guarded
def rules_list(rules: RulesOpt = None) -> None:
    """List the languages with their rule files and what they define."""
    from rich.console import Console
    from rich.table import Table

    from coopfacts.outputs.writers import WIDE
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook(rules or None)
    langs = [rb.language(code) for code in rb.languages]
    count_keys = list(dict.fromkeys(k for L in langs for k in L.counts))
    table = Table("code", "name", "files", *count_keys)
    for L in langs:
        table.add_row(L.code, L.name, "\n".join(_shown_path(f) for f in L.files),
                      *(str(L.counts.get(k, "")) for k in count_keys))
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = WIDE
    console.print(table)


@rules_app.command("test")
@guarded
def rules_test(
    langs: Annotated[Optional[list[str]], typer.Argument(
        metavar="LANG", help="Languages to test (default: all).", show_default=False)] = None,
    rules: RulesOpt = None,
) -> None:
    """Run every worked example of the rule files; exit 1 if any fails."""
    from coopfacts.evaluation import check_example
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook(rules or None)
    unknown = [c for c in langs or [] if c not in rb.languages]
    if unknown:
        raise usage_error(f"unknown language {', '.join(map(repr, unknown))}; rule files exist for: {', '.join(rb.languages)}")
    _utf8_stdout()
    any_failed = False
    for code in langs or rb.languages:
        passed = failed = 0
        for ex in rb.language(code).examples:
            try:
                problems = check_example(code, ex, rb)
            except Exception as exc:
                from coopfacts.rulebook.shapes import RuleError

                if isinstance(exc, RuleError):
                    raise
                problems = [f"engine error: {type(exc).__name__}: {exc}"]
            if not problems:
                passed += 1
                continue
            failed += 1
            print(f"FAIL {_shown_path(ex.source)}:{ex.line} [{code}]")
            print(f"  text: «{ex.text}»")
            for p in problems:
                print(f"  {p}")
        any_failed = any_failed or failed > 0
        print(f"{code}: {passed} passed, {failed} failed", flush=True)
    if any_failed:
        raise typer.Exit(1)


# --- check ------------------------------------------------------------------------

@app.command("check")
@guarded
def check_cmd(
    paths: PathsArg,
    against: Annotated[Optional[str], typer.Option(
        "--against", "-a", metavar="TABLE",
        help="Reference table, CSV or JSON Lines (label, value, unit, kind, date, tolerance, source, id): "
             "each claim is supported, contradicted or unverified.")] = None,
    across: Annotated[bool, typer.Option(
        "--across", help="Also group the same figure found in several documents (any language).")] = False,
    internal: Annotated[bool, typer.Option(
        "--internal/--no-internal", help="Check each document against itself.")] = True,
    only: Annotated[Optional[str], typer.Option(
        "--only", metavar="V1,V2",
        help="Show only these verdicts: supported,contradicted,unverified,consistent,flagged.")] = None,
    tolerance: Annotated[Optional[str], typer.Option(
        "--tolerance", metavar="TOL", help="Tolerance of reference rows that give none: 2% or an amount (default 0).")] = None,
    lang: LangOpt = "auto",
    fmt: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="table, json, jsonl, csv or html. Default: table on a terminal, else jsonl; with -o, from its suffix.",
        show_default=False)] = None,
    output: OutputOpt = None,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    bom: BomOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Check figures against a reference table, within each document and across documents.

    Exit status: 0 nothing contradicted; 3 some finding contradicted; 1 some input failed;
    2 usage error (also an unreadable reference table).
    """
    from coopfacts.check import EXIT_CONTRADICTED, VERDICTS, ReferenceError, check_across, check_document, \
        load_reference, make_finding_writer, parse_tolerance
    from coopfacts.engine import Engine
    from coopfacts.io import Failure, iter_documents

    if output is not None and (os.path.isdir(output) or not os.path.isdir(os.path.dirname(os.path.abspath(output)))):
        raise usage_error(f"-o: {output} is a directory" if os.path.isdir(output)
                          else f"-o: no such directory: {os.path.dirname(output)}")
    fmt = fmt or _default_format(output)
    if fmt.value not in ("table", "json", "jsonl", "csv", "html"):
        raise usage_error(f"--format {fmt.value}: check writes table, json, jsonl, csv or html")
    if bom and fmt is not Format.csv:
        raise usage_error("--bom applies to --format csv only")
    if not (against or across or internal):
        raise usage_error("nothing to check: give --against TABLE or --across, or drop --no-internal")
    wanted: set[str] | None = None
    if only:
        wanted = {v.strip() for v in only.split(",") if v.strip()}
        if not wanted or wanted - set(VERDICTS):
            raise usage_error(f"--only: unknown verdict {', '.join(map(repr, sorted(wanted - set(VERDICTS)))) or '(none given)'}; "
                              f"expected some of: {','.join(VERDICTS)}")
    try:
        default_tolerance = parse_tolerance(tolerance)
    except ValueError as exc:
        raise usage_error(f"--{exc}") from None
    _check_encoding(encoding)
    lang = lang.lower()
    rb = _rulebook(rules, lang)
    rows = None
    if against is not None:
        try:
            rows = load_reference(against, rb)
        except ReferenceError as exc:
            raise usage_error(str(exc)) from None

    contradicted = False
    n_docs = 0
    failures: list[Failure] = []
    every_doc: list[list] = []
    if output is None and fmt is not Format.table:
        _utf8_stdout()
    with _output(output) as out:
        if fmt is Format.html:  # the texts with their claims, each marked with its findings' verdicts
            from coopfacts.outputs.html import HtmlWriter

            writer = HtmlWriter(out, verdicts={})
        else:
            writer = make_finding_writer(fmt.value, out, bom=bom)

        def emit(findings: list) -> None:
            nonlocal contradicted
            for finding in findings:
                contradicted = contradicted or finding.verdict == "contradicted"
                if wanted is None or finding.verdict in wanted:
                    writer.write(finding.to_dict())
            writer.end_document()

        for item in iter_documents(paths, encoding):
            if isinstance(item, Failure):
                failures.append(item)
                say(f"{item.path}: {item.message}")
                continue
            try:
                code = Engine(rb).language_of(item.text, lang)
                if not quiet:
                    say(f"{item.id}: language {code} ({'detected' if lang == 'auto' else 'given'})")
                claims = Engine(rb).extract(item.text, code, doc=item.id)
                findings = check_document(item.text, claims, reference=rows, internal=internal, rulebook=rb,
                                          default_tolerance=default_tolerance)
            except Exception as exc:
                if os.environ.get("COOPFACTS_DEBUG"):
                    raise
                failures.append(Failure(item.id, f"internal error: {type(exc).__name__}: {exc}"))
                say(f"{item.id}: internal error: {type(exc).__name__}: {exc} (COOPFACTS_DEBUG=1 shows a traceback)")
                continue
            n_docs += 1
            writer.begin_document(item.id, item.text, code)
            if fmt is Format.html:
                for claim in claims:
                    writer.write(claim.to_dict())
            if across:
                every_doc.append(claims)
            emit(findings)
        if across:
            emit(check_across(every_doc, rulebook=rb))
        writer.close()
    if failures:
        total = n_docs + len(failures)
        say(f"{len(failures)} of {total} input{'s' if total != 1 else ''} failed")
        raise typer.Exit(1)
    if contradicted:
        raise typer.Exit(EXIT_CONTRADICTED)


# --- schema -------------------------------------------------------------------------

def schema_text() -> str:
    """The JSON Schema of one claim record, as shipped in the package."""
    from importlib.resources import files

    return files("coopfacts").joinpath("claim.schema.json").read_text(encoding="utf-8")


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of one claim record."""
    _utf8_stdout()
    print(schema_text(), end="")


# --- numbers, eval (defined in numbers_cmd.py, evaluate.py) ------------------------------

from coopfacts.cli import eval as _eval_cmd  # noqa: E402  (light: nothing heavy)
from coopfacts.cli import numbers as _numbers_cmd  # noqa: E402  (light: nothing heavy)

_numbers_cmd.register(app)
_eval_cmd.register(app)


def main() -> None:
    app()
