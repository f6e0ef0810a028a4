"""``coopfacts numbers``: every numeral in a text, claim or not.

The layer under claims: each number written in digits or words, with its value
and its exact span in the original text — page numbers, ids and the parts of an
IP address included.  A cardinal is ``kind: number``; a number with an ordinal
suffix or an ordinal word (``1er``, ``troisième``, ``الثالث``) is ``kind: ordinal``.
A word that is a number only in form (an article such as ``un``, ``یک``,
``أحد``, or a bare fraction) is a ``number`` with ``weak: true``: it is listed,
and the claims layer decides whether it counts.

Python: :func:`numbers` returns the records; the CLI command is registered on
the main app by :func:`register` (called from ``cli.py``).  Nothing heavy is
imported at module level so that ``coopfacts --help`` stays quick.
"""
# No "from __future__ import annotations": typer reads the command's annotations, which name
# objects imported inside register().
import os
import sys
from typing import IO, Annotated, Any, Iterable, Optional

NUMBER_KINDS = ("number", "ordinal")
FORMATS = ("table", "json", "jsonl", "csv")
RECORD_FIELDS = ("doc", "lang", "start", "end", "text", "kind", "value", "weak")
TABLE_COLUMNS = ("doc", "start-end", "text", "kind", "value", "weak")


def numeral_record(n: Any, nt: Any, doc: str | None, lang: str) -> dict[str, Any]:
    """One record for a :class:`coopfacts.engine.numbers.Numeral` (normalised offsets mapped back)."""
    from coopfacts.model import clean_number

    start, end = nt.span(n.start, n.end)
    return {
        "doc": doc,
        "lang": lang,
        "start": start,
        "end": end,
        "text": nt.original[start:end],
        "kind": "ordinal" if n.cls == "ordinal" else "number",
        "value": clean_number(float(n.value)),
        "weak": n.cls == "weak",
    }


def numbers(text: str, lang: str | None = "auto", *, doc: str | None = None,
            kinds: Iterable[str] | None = None, rulebook: Any = None) -> list[dict[str, Any]]:
    """Every numeral of ``text`` as a record: ``doc, lang, start, end, text, kind, value, weak``.

    ``start``/``end`` index the original text (code points, end exclusive), so
    ``text[r["start"]:r["end"]] == r["text"]`` always holds.
    """
    from coopfacts.engine import Engine, load

    engine = Engine(rulebook) if rulebook is not None else load()
    return [r.to_dict() for r in engine.numbers(text, lang, kinds=kinds, doc=doc)]


# --- output -------------------------------------------------------------------------

def make_number_writer(fmt: str, out: IO[str], *, bom: bool = False) -> Any:
    """A writer (``write``/``end_document``/``close``, as in :mod:`coopfacts.output`) for number records."""
    from coopfacts.outputs import writers as output

    if fmt in ("json", "jsonl"):
        return output.make_writer(fmt, out)  # these write any record as it is

    if fmt == "csv":
        import csv

        class NumberCsvWriter(output.Writer):
            def __init__(self, out: IO[str]):
                super().__init__(out)
                if bom:
                    out.write("\ufeff")
                self.csv = csv.writer(out)
                self.csv.writerow(RECORD_FIELDS)

            def write(self, record: dict) -> None:
                self.csv.writerow([output._cell(record.get(c)) for c in RECORD_FIELDS])

        return NumberCsvWriter(out)

    if fmt == "table":
        class NumberTableWriter(output.Writer):
            def __init__(self, out: IO[str]):
                super().__init__(out)
                from rich.console import Console

                self.console = Console(file=out, highlight=False, soft_wrap=False)
                if not self.console.is_terminal:
                    self.console.width = output.WIDE
                self.rows: list[list[str]] = []

            def write(self, r: dict) -> None:
                self.rows.append([output._cell(r.get("doc")), f"{r.get('start')}-{r.get('end')}",
                                  output._cell(r.get("text")), output._cell(r.get("kind")),
                                  output._cell(r.get("value")), "weak" if r.get("weak") else ""])

            def end_document(self) -> None:
                if self.rows:
                    from rich.table import Table
                    from rich.text import Text

                    table = Table()
                    for name in TABLE_COLUMNS:
                        table.add_column(name, overflow="fold")
                    for row in self.rows:
                        table.add_row(*(Text(cell) for cell in row))
                    self.console.print(table)
                    self.rows = []
                super().end_document()

            def close(self) -> None:
                self.end_document()

        return NumberTableWriter(out)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# --- command ------------------------------------------------------------------------

def register(app: Any) -> None:
    """Add ``coopfacts numbers`` to the typer ``app`` (the options are those of ``extract``)."""
    import typer

    from coopfacts.cli import app as cli

    @app.command("numbers")
    @cli.guarded
    def numbers_command(
        paths: cli.PathsArg,
        lang: cli.LangOpt = "auto",
        fmt: Annotated[Optional[cli.Format], typer.Option(
            "--format", "-f", help="Output format. Default: table on a terminal, else jsonl; with -o, from its suffix.",
            show_default=False)] = None,
        output: Annotated[Optional[str], typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (replaced only when the run completes).")] = None,
        kinds: Annotated[Optional[str], typer.Option(
            "--kinds", metavar="K1,K2", help="Keep only these kinds: number,ordinal.")] = None,
        rules: cli.RulesOpt = None,
        encoding: cli.EncodingOpt = None,
        bom: Annotated[bool, typer.Option("--bom", help="CSV only: start with a UTF-8 BOM (for Excel).")] = False,
        quiet: cli.QuietOpt = False,
    ) -> None:
        """List every numeral (digits or words, cardinal or ordinal) with its value and exact span."""
        from coopfacts.engine import Engine
        from coopfacts.io import Failure, iter_documents

        if output is not None and os.path.isdir(output):
            raise cli.usage_error(f"-o: {output} is a directory")
        if output is not None and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
            raise cli.usage_error(f"-o: no such directory: {os.path.dirname(output)}")
        fmt = fmt or cli._default_format(output)
        if fmt.value not in FORMATS:
            raise cli.usage_error(f"--format {fmt.value}: numbers are written as {', '.join(FORMATS)}")
        if bom and fmt is not cli.Format.csv:
            raise cli.usage_error("--bom applies to --format csv only")
        cli._check_encoding(encoding)
        wanted: set[str] | None = None
        if kinds:
            wanted = {k.strip() for k in kinds.split(",") if k.strip()}
            bad = sorted(wanted - set(NUMBER_KINDS))
            if bad or not wanted:
                raise cli.usage_error(f"--kinds: unknown kind {', '.join(map(repr, bad)) or '(none given)'}; "
                                      f"expected some of: {','.join(NUMBER_KINDS)}")
        lang = lang.lower()
        rb = cli._rulebook(rules, lang)

        n_docs = 0
        failures: list[Failure] = []
        if output is None and fmt is not cli.Format.table:
            cli._utf8_stdout()
        with cli._output(output) as out:
            writer = make_number_writer(fmt.value, out, bom=bom)
            for item in iter_documents(paths, encoding):
                if isinstance(item, Failure):
                    failures.append(item)
                    cli.say(f"{item.path}: {item.message}")
                    continue
                try:
                    code = Engine(rb).language_of(item.text, lang)
                    if not quiet:
                        cli.say(f"{item.id}: language {code} ({'detected' if lang == 'auto' else 'given'})")
                    _, nt, nums = Engine(rb).read(item.text, code)
                    records = [numeral_record(n, nt, item.id, code) for n in nums]
                except Exception as exc:
                    if os.environ.get("COOPFACTS_DEBUG"):
                        raise
                    failures.append(Failure(item.id, f"internal error: {type(exc).__name__}: {exc}"))
                    cli.say(f"{item.id}: internal error: {type(exc).__name__}: {exc} "
                            "(COOPFACTS_DEBUG=1 shows a traceback)")
                    continue
                n_docs += 1
                for rec in records:
                    if wanted is None or rec["kind"] in wanted:
                        writer.write(rec)
                writer.end_document()
            writer.close()
        if failures:
            total = n_docs + len(failures)
            cli.say(f"{len(failures)} of {total} input{'s' if total != 1 else ''} failed")
            raise typer.Exit(1)
        sys.stdout.flush()
