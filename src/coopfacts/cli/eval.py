"""``coopfacts eval``: score extraction against a gold file, or run the peers' suites (``--suite``).

The scoring itself is :mod:`coopfacts.evaluation`'s; this module reads the options, checks
that they fit together and writes the report.  Nothing heavy is imported at module level so
that ``coopfacts --help`` stays quick.
"""
# No "from __future__ import annotations": typer reads the command's annotations, which name
# objects imported inside register().
import os
from enum import Enum
from typing import Annotated, Any, Optional


class EvalFormat(str, Enum):
    table = "table"
    json = "json"


def register(app: Any) -> None:
    """Add ``coopfacts eval`` (gold scoring and, with ``--suite``, peer conformance) to ``app``."""
    import typer

    from coopfacts.cli import common as cli

    @app.command("eval")
    @cli.guarded
    def eval_command(
        gold: Annotated[Optional[str], typer.Argument(
            metavar="[GOLD.jsonl]", help="Gold file (GUIDE.md format): one document a line with its claims.",
            show_default=False)] = None,
        suite: Annotated[Optional[str], typer.Option(
            "--suite", metavar="DIR",
            help="Run the peer conformance suites of DIR (*.jsonl case files) instead.")] = None,
        fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Report format.")] = EvalFormat.table,
        output: Annotated[Optional[str], typer.Option(
            "--output", "-o", metavar="FILE", help="Write the report to FILE (replaced only when complete).")] = None,
        kinds: Annotated[Optional[str], typer.Option(
            "--kinds", metavar="K1,K2", help="Gold: score only these kinds (gold and predictions alike).")] = None,
        verbose: Annotated[bool, typer.Option(
            "--verbose", "-v",
            help="Gold: list missed, spurious and strict-only mismatched claims per document.")] = False,
        pred: Annotated[Optional[str], typer.Option(
            "--pred", metavar="PRED.jsonl",
            help="Gold: score these claim records instead of running the extractor.")] = None,
        files: Annotated[Optional[list[str]], typer.Option(
            "--files", metavar="GLOB", help="Suite: only the case files matching GLOB (repeatable).")] = None,
        show: Annotated[int, typer.Option(
            "--show", metavar="N", min=0, help="Suite: show the first N failures of each file.")] = 5,
        exclude_disagreements: Annotated[bool, typer.Option(
            "--exclude-disagreements/--include-disagreements",
            help="Suite: leave out the cases listed in docs/peer-disagreements.md (reported apart).")] = True,
        disagreements: Annotated[Optional[str], typer.Option(
            "--disagreements", metavar="FILE", help="Suite: the list of disagreements to use.")] = None,
        check: Annotated[Optional[list[str]], typer.Option(
            "--check", metavar="CORPUS",
            help="Score `check` on a check corpus (JSON Lines file or directory: articles with their expected "
                 "findings; an article without any, or a .txt/.md article of the directory, should give no "
                 "contradiction): precision and recall of 'contradicted'. Repeatable.")] = None,
        rules: cli.RulesOpt = None,
    ) -> None:
        """Score extraction against a gold file (P/R/F1 per kind), run the peers' suites (--suite),
        or score `check` on check corpora (--check)."""
        if sum(x is not None for x in (gold, suite, check)) != 1:
            raise cli.usage_error("eval: give one of a gold file (coopfacts eval GOLD.jsonl), --suite DIR "
                                  "or --check CORPUS")
        cli.check_output_path(output)
        from coopfacts.rulebook import get_rulebook

        rb = get_rulebook(rules or None)
        if check is not None:
            for opt, given in (("--kinds", kinds), ("--pred", pred), ("--files", files),
                               ("--disagreements", disagreements)):
                if given:
                    raise cli.usage_error(f"{opt} does not apply to --check")
            text = _check_report(check, fmt, verbose, rb)
        elif suite is not None:
            for opt, given in (("--kinds", kinds), ("--pred", pred), ("--verbose", verbose)):
                if given:
                    raise cli.usage_error(f"{opt} applies to a gold file, not to --suite")
            text = _suite_report(suite, files, fmt, show, exclude_disagreements, disagreements, rb)
        else:
            for opt, given in (("--files", files), ("--disagreements", disagreements)):
                if given:
                    raise cli.usage_error(f"{opt} applies to --suite, not to a gold file")
            text = _gold_report(gold, fmt, kinds, verbose, pred, rb)
        if output is None:
            cli.utf8_stdout()
        with cli.open_output(output) as out:
            out.write(text)


def _check_report(corpora: list[str], fmt: EvalFormat, verbose: bool, rulebook: Any) -> str:
    """The figures of ``check`` on each corpus; a usage error (exit status 2) for a bad corpus."""
    import json

    from coopfacts.check import CheckCorpusError, check_score_text, load_check_cases, score_check_cases
    from coopfacts.cli import common as cli
    from coopfacts.engine import Engine

    engine = Engine(rulebook)
    parts, data = [], {}
    for path in corpora:
        skipped: list[str] = []
        try:
            cases = load_check_cases(path, skipped)
        except CheckCorpusError as exc:
            raise cli.usage_error(f"--check: {exc}") from None
        score = score_check_cases(cases, engine)
        parts.append(check_score_text(path, score, verbose, skipped))
        data[path] = {**score.to_dict(), "skipped": skipped}
    if fmt is EvalFormat.json:
        return json.dumps({"check": data}, ensure_ascii=False) + "\n"
    return "".join(parts)


def _suite_report(suite: str, files: Optional[list[str]], fmt: EvalFormat, show: int, exclude_disagreements: bool,
                  disagreements: Optional[str], rulebook: Any) -> str:
    """The report of ``--suite``; a usage error (exit status 2) for a missing directory or list."""
    from coopfacts.cli import common as cli
    from coopfacts.evaluation import run_suite, suite_json, suite_text

    if disagreements is not None and not os.path.isfile(disagreements):
        raise cli.usage_error(f"--disagreements: no such file: {disagreements}")
    try:
        report = run_suite(suite, files, exclude_disagreements=exclude_disagreements,
                           disagreements=disagreements, rulebook=rulebook)
    except (FileNotFoundError, ValueError) as exc:
        raise cli.usage_error(f"--suite: {exc}") from None
    if not report.files:
        raise cli.usage_error(f"--suite: no case file (<peer>-<category>-<lang>.jsonl) in {suite}"
                              + (f" matches {', '.join(files)}" if files else ""))
    return suite_json(report, show) if fmt is EvalFormat.json else suite_text(report, show)


def _gold_report(gold: str, fmt: EvalFormat, kinds: Optional[str], verbose: bool, pred: Optional[str],
                 rulebook: Any) -> str:
    """The report of a gold file; a usage error (exit status 2) for unknown kinds or a bad file."""
    from coopfacts.cli import common as cli
    from coopfacts.evaluation import (
        GUIDE_KINDS,
        GoldError,
        load_gold,
        load_predictions,
        predict,
        score,
        score_json,
        score_text,
    )

    wanted = None
    if kinds is not None:
        wanted = [k.strip().lower() for k in kinds.split(",") if k.strip()]
        bad = [k for k in wanted if k not in GUIDE_KINDS]
        if bad or not wanted:
            raise cli.usage_error(f"--kinds: unknown kind {', '.join(map(repr, bad)) or '(none given)'}; "
                                  f"expected some of: {','.join(GUIDE_KINDS)}")
    try:
        docs = load_gold(gold)
        if gold == "-" and pred == "-":
            raise GoldError("the gold file and --pred cannot both be standard input")
        preds = load_predictions(pred, docs) if pred else predict(docs, rulebook)
    except GoldError as exc:
        raise cli.usage_error(str(exc)) from None
    report = score(docs, preds, wanted)
    if fmt is EvalFormat.json:
        return score_json(report, verbose)
    return score_text(report, {d.id: d.text for d in docs}, verbose)
