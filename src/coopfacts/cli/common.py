"""What every command shares: the options, one-line errors and exit statuses, the output target,
list options (``--kinds``, ``--only``), and the loop that reports a document's failure and goes on.

Only typer (and what it needs) is imported here, so ``coopfacts --help`` is quick: the engine
is imported inside the commands that use it.

Exit status: 0 all inputs read; 1 some input failed (or a worked example failed in ``rules
test``, or an internal error: one line, no traceback); 2 usage error or malformed rule file;
3 ``check`` found a contradiction; 130 interrupted; 141 output pipe closed (``| head``); 143
terminated (SIGTERM) while writing ``-o FILE``.
"""
from __future__ import annotations

import codecs
import contextlib
import functools
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import IO, Annotated, Any, Optional, TypeVar

import typer

from coopfacts.outputs.writers import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

# the output formats, as typer shows and checks them (one registry: outputs/writers.py)
Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]

PathsArg = Annotated[list[str], typer.Argument(
    metavar="PATH", help="Files, directories (their .txt and .md files, recursively) or - for standard input.",
    show_default=False)]
LangOpt = Annotated[str, typer.Option(
    "--lang", "-l", metavar="LANG", help="auto (detect per document) or a language code: ar, en, fa, fr.")]
FormatOpt = Annotated[Optional[Format], typer.Option(
    "--format", "-f", help="Output format. Default: table on a terminal, else jsonl; with -o, from its suffix.",
    show_default=False)]
OutputOpt = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE",
    help="Write to FILE (replaced only when the run completes; FILE.gz gzipped; - is standard output).")]
BomOpt = Annotated[bool, typer.Option("--bom", help="CSV and TSV only: start with a UTF-8 BOM (for Excel).")]
RawCellsOpt = Annotated[bool, typer.Option(
    "--csv-raw", help="CSV and TSV only: write cells starting with = + - @ as they are (by default they get a "
                      "leading ' so that a spreadsheet does not run them as formulas).")]
DelimiterOpt = Annotated[Optional[str], typer.Option(
    "--delimiter", metavar="CHAR", help="CSV only: the field separator (default ,; Excel in French or Arabic "
                                        "wants ;). tab is a tab.", show_default=False)]
RulesOpt = Annotated[Optional[list[str]], typer.Option(
    "--rules", metavar="DIR",
    help="Extra rule directory (repeatable); its files replace packaged files of the same name.")]
EncodingOpt = Annotated[Optional[str], typer.Option(
    "--encoding", metavar="NAME",
    help="Decode inputs with this encoding (e.g. cp1256) instead of UTF-8/BOM detection.")]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Do not report each document's language (nor extract's progress and summary) on stderr.")]


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

    typer 0.28 carries its own copy of click and no longer installs the ``click`` package; older
    releases re-export click's classes. Either way these names are typer's, and the usage-error
    base is found in ``BadParameter``'s ancestry, so nothing here imports a package we do not
    declare.
    """
    found: list[type[BaseException]] = [typer.Exit, typer.Abort]
    found += [c for c in typer.BadParameter.__mro__ if c.__name__ in ("ClickException", "TyperException")]
    return tuple(found)


_TYPER_SIGNALS = _typer_signals()


def _unexpected(exc: Exception) -> typer.Exit:
    """An error no command caught: a rule file's located error, a Dask scheduler's, or one line."""
    from coopfacts.rulebook import RuleError
    from coopfacts.run.workers import SchedulerError

    if isinstance(exc, RuleError):
        print(exc, file=sys.stderr)  # file:line:col: message, as editors expect
        return typer.Exit(2)
    if isinstance(exc, SchedulerError):  # --scheduler: unreachable (2) or lost (1)
        say(str(exc))
        return typer.Exit(exc.status)
    if type(exc).__name__ == "BrokenProcessPool":  # named, not imported: the pool is loaded only for -j
        say("a worker process died (killed, or out of memory?); the run stopped (-o FILE is left as it was)")
        return typer.Exit(1)
    say(f"internal error: {type(exc).__name__}: {exc} (COOPFACTS_DEBUG=1 shows a traceback)")
    return typer.Exit(1)


def guarded(fn: F) -> F:
    """Exit codes instead of tracebacks for Ctrl-C, a closed pipe, an unwritable output, malformed
    rule files and anything unexpected."""
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
            if isinstance(exc, _TYPER_SIGNALS) or os.environ.get("COOPFACTS_DEBUG"):
                raise
            raise _unexpected(exc) from None
    return wrapper  # type: ignore[return-value]


# --- options -------------------------------------------------------------------------

def load_rulebook(rules: list[str] | None, lang: str) -> Any:
    """The rulebook, with the languages this run may use compiled now (rule errors show before any output)."""
    from coopfacts.rulebook import get_rulebook

    rb = get_rulebook(rules or None)
    if lang != "auto" and lang not in rb.languages:
        raise usage_error(f"--lang: unknown language {lang!r}; rule files exist for: auto, {', '.join(rb.languages)}")
    rb.check_all()  # every file's shape now; patterns compile when a document needs them
    if lang != "auto":
        rb.language(lang)
    return rb


def check_encoding(encoding: str | None) -> None:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise usage_error(f"--encoding: unknown encoding {encoding!r}") from None


def parse_list(option: str, value: str | None, allowed: Iterable[str], what: str = "kind") -> set[str] | None:
    """A comma-separated option (``--kinds money,percent``): the set given, None if not given; a
    usage error names what is unknown and what is allowed."""
    if not value:
        return None
    allowed = list(allowed)
    wanted = {v.strip() for v in value.split(",") if v.strip()}
    bad = sorted(wanted - set(allowed))
    if bad or not wanted:
        raise usage_error(f"{option}: unknown {what} {', '.join(map(repr, bad)) or '(none given)'}; "
                          f"expected some of: {','.join(allowed)}")
    return wanted


def check_output_path(output: str | None, inputs: Iterable[str] = (),
                      walked: tuple[str, ...] = (".txt", ".md")) -> None:
    """``-o FILE`` must name a file in a directory that exists (or ``-``, standard output, or a
    special file such as a FIFO or ``/dev/null``), not a read-only file, and none of the ``inputs``
    (``walked``: the names an input directory's walk reads, coopfacts.io.walked_suffixes)."""
    if output is None or output == STDOUT:
        return
    from coopfacts.outputs.target import OutputRefused, output_kind, real_target

    try:
        kind, _ = output_kind(output)
    except OutputRefused as exc:
        raise usage_error(f"-o: {output} {exc}") from None
    except (OSError, ValueError) as exc:
        raise usage_error(f"-o: cannot use {output}: {exc}") from None
    if kind == "new" and not os.path.isdir(os.path.dirname(os.path.abspath(real_target(output)))):
        raise usage_error(f"-o: no such directory: {os.path.dirname(output)}")
    if kind == "file":
        clash = output_among_inputs(output, inputs, walked)
        if clash is not None:
            raise usage_error(f"-o: {output} is {'an input' if clash == output else f'one of the inputs ({clash})'}; "
                              "write the output elsewhere")


def output_among_inputs(output: str, inputs: Iterable[str], walked: tuple[str, ...] = (".txt", ".md")) -> str | None:
    """The input that ``output`` is (the same file by device and inode, or a file the walk of an
    input directory would read: a name ending in one of ``walked``), or None.  (A ``.jsonl``
    beside the texts of an input directory is no input of it: ``extract dir -o dir/claims.jsonl``
    may run again; with ``--input-format jsonl`` it is.)"""
    try:
        out = os.stat(output)
    except OSError:
        return None
    real = os.path.realpath(output)
    for path in inputs:
        if path == "-":
            continue
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            continue
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            return path
        if os.path.isdir(path):
            top = os.path.realpath(path)
            if os.path.commonpath([top, real]) == top and real.lower().endswith(walked):
                return path
    return None


STDOUT = "-"  # -o -: standard output
# what output_format allows unless told otherwise (check and numbers write these)
TEXT_FORMATS = ("table", "json", "jsonl", "csv", "html")


def to_stdout(output: str | None) -> bool:
    return output is None or output == STDOUT


def output_format(fmt: Any, output: str | None, allowed: Iterable[str] = TEXT_FORMATS, bom: bool = False,
                  command: str = "this command", delimiter: str | None = None, raw_cells: bool = False) -> Any:
    """The format to write: the one given, else from ``-o``'s suffix, else table on a terminal and
    JSON Lines in a pipe; refused (exit 2, one line) where the command does not write it, where
    ``--bom`` or ``--delimiter`` does not apply, where a file format goes to standard output, where
    ``.gz`` does not apply and where the format's optional dependency is missing."""
    from coopfacts.outputs.writers import REGISTRY

    if fmt is None:
        fmt = default_format(output)
    allowed = tuple(allowed)
    if fmt.value not in allowed:
        raise usage_error(f"--format {fmt.value}: {command} writes {', '.join(allowed)}")
    if bom and fmt.value not in ("csv", "tsv"):
        raise usage_error("--bom applies to --format csv and tsv only")
    if raw_cells and fmt.value not in ("csv", "tsv"):
        raise usage_error("--csv-raw applies to --format csv and tsv only")
    if delimiter is not None and fmt.value != "csv":
        raise usage_error("--delimiter applies to --format csv only")
    found = REGISTRY[fmt.value]
    if found.target != "text" and to_stdout(output):
        raise usage_error(f"--format {fmt.value} writes a file: give -o FILE")
    if not to_stdout(output) and output.lower().endswith(".gz") and not found.gzip:  # type: ignore[union-attr]
        raise usage_error(f"-o {output}: --format {fmt.value} is not written gzipped")
    if found.target == "path" and not to_stdout(output) and _special_file(output):  # type: ignore[arg-type]
        raise usage_error(f"-o {output}: --format {fmt.value} writes a database, which needs a regular file "
                          "(not a FIFO or a device)")
    missing = found.missing()
    if missing:
        raise usage_error(missing)
    return fmt


def _special_file(path: str) -> bool:
    """Is ``path`` (through links) a FIFO, a device or a socket, which a format that opens its own
    file (a database, reading and writing at offsets) cannot use?"""
    from coopfacts.outputs.target import output_kind

    try:
        return output_kind(path)[0] == "direct"
    except (OSError, ValueError):  # a directory, a read-only file...: check_output_path says so
        return False


def default_format(output: str | None) -> Any:
    """From ``-o``'s suffix (``.csv``, ``.jsonl.gz``...; JSON Lines for a name without one; an
    unknown suffix is a usage error naming the known ones), else table on a terminal and JSON
    Lines in a pipe."""
    from coopfacts.outputs.writers import format_of_path

    if not to_stdout(output):
        try:
            name, _ = format_of_path(output)  # type: ignore[arg-type]
        except ValueError as exc:
            raise usage_error(str(exc)) from None
        return Format(name or "jsonl")
    return Format("table") if sys.stdout.isatty() else Format("jsonl")


def parse_delimiter(value: str | None) -> str | None:
    """``--delimiter``: one character (``;``, ``|``...), or ``tab`` / ``\\t``."""
    if value is None:
        return None
    value = "\t" if value.lower() in ("tab", "\\t") else value
    if len(value) != 1 or value in "\"\r\n":
        raise usage_error(f"--delimiter: expected one character (such as ; or tab), got {value!r}")
    return value


def utf8_stdout() -> None:
    with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]


@contextlib.contextmanager
def open_output(path: str | None, fmt: Any = None) -> Iterator[Any]:
    """Standard output (no ``-o``, or ``-o -``), or ``-o FILE`` written to a temporary file renamed
    when complete (gzipped for ``FILE.gz``; a FIFO or a device is written directly:
    coopfacts.outputs.target).  ``fmt``: the format, whose target says what the writer gets: a text
    stream (the default), a binary stream, or the file name itself (a database, which keeps its
    file whole itself)."""
    from coopfacts.outputs.writers import REGISTRY

    target = REGISTRY[fmt.value].target if fmt is not None else "text"
    if to_stdout(path):
        yield sys.stdout
        sys.stdout.flush()
        return
    if target == "path":  # the writer keeps its file whole; SIGTERM unwinds it as Ctrl-C would
        from coopfacts.outputs.target import Terminated, _die_by_sigterm, _sigterm_raises, real_target

        try:
            with _sigterm_raises() as state:
                yield real_target(path)  # a link is written through: its target gets the rows, the link stays
                state["armed"] = False
        except Terminated:
            say(f"terminated; {path} not written")
            _die_by_sigterm()
        return
    from coopfacts.outputs import atomic_output

    with atomic_output(path) as fh:  # type: ignore[arg-type]
        if target == "binary":
            fh.flush()
            yield fh.buffer
        elif path.lower().endswith(".gz"):  # type: ignore[union-attr]
            with gzipped(fh) as text:
                yield text
        else:
            yield fh


@contextlib.contextmanager
def gzipped(fh: IO[str]) -> Iterator[IO[str]]:
    """A text stream gzipping into ``fh``'s bytes (a member with no name and no time, so that the
    same claims give the same bytes)."""
    import gzip

    gz = gzip.GzipFile(filename="", mode="wb", fileobj=fh.buffer, mtime=0)  # type: ignore[attr-defined]
    text = io.TextIOWrapper(gz, encoding="utf-8", newline="", write_through=False)
    try:
        yield text
    except BaseException:
        with contextlib.suppress(Exception):
            text.close()
        raise
    text.close()  # the gzip trailer; fh itself stays open for atomic_output


# --- documents that fail -----------------------------------------------------------------

class Failures:
    """The inputs of a run that failed: each is one line on stderr, and the run goes on; at the end
    the exit status is 1 (with a line that sums up, when there were several inputs)."""

    def __init__(self) -> None:
        self.items: list[Any] = []  # coopfacts.io.Failure
        self.done = 0  # documents read

    def input_failed(self, failure: Any) -> None:
        self.items.append(failure)
        say(f"{failure.path}: {failure.message}")

    def document_failed(self, doc_id: str, exc: Exception) -> None:
        """An error while reading or extracting a document: its message if it is the input's
        (``InputProblem``), else an internal error; with COOPFACTS_DEBUG, the traceback."""
        from coopfacts.io import Failure, InputProblem
        from coopfacts.rulebook import RuleError

        ours = isinstance(exc, InputProblem)
        if isinstance(exc, RuleError):
            # a rule file first compiled for this document (auto language) is malformed: the run
            # stops as it would have at start-up (file:line:col, exit 2, -o FILE left as it was)
            raise exc
        if isinstance(exc, OSError) or (os.environ.get("COOPFACTS_DEBUG") and not ours):
            raise exc  # an OSError here is the output's (disk full...): guarded() reports it
        why = str(exc) if ours else f"internal error: {type(exc).__name__}: {exc}"
        self.items.append(Failure(doc_id, why))
        say(f"{doc_id}: {why}" + ("" if ours else " (COOPFACTS_DEBUG=1 shows a traceback)"))

    def finish(self) -> None:
        if not self.items:
            return
        if self.done + len(self.items) > 1:  # one input: its own line says it all
            from coopfacts.io import failure_summary

            say(failure_summary(self.done, self.items))
        raise typer.Exit(1)


def language_line(doc_id: str, code: str, lang: str, quiet: bool) -> None:
    if not quiet:
        say(f"{doc_id}: language {code} ({'detected' if lang == 'auto' else 'given'})")
