"""Evaluation: how well coopfacts answers against what a person or a peer expects.

* :mod:`.matching`: the one value comparison, span overlap and greedy matcher;
* :mod:`.gold` and :mod:`.report`: gold files (``GUIDE.md``) scored per kind, and that score
  as text or JSON (``coopfacts eval GOLD.jsonl``);
* :mod:`.suites`, :mod:`.conformance` and :mod:`.suite_report`: the peers' test suites, read,
  run case by case and reported per file (``coopfacts eval --suite DIR``);
* :mod:`.examples`: the rule files' worked examples (``coopfacts rules test``).

The names below are this package's public face.  Importing it is light (the standard library
and :mod:`coopfacts.model`): the engine and the unit registry load when a run needs them.
"""
from coopfacts.evaluation.conformance import Runner, match_case, run_file, run_suite, value_matches
from coopfacts.evaluation.examples import check_example, describe, differences
from coopfacts.evaluation.gold import (
    GUIDE_KINDS,
    DocResult,
    EvalReport,
    GoldDoc,
    GoldError,
    Item,
    evaluate,
    load_gold,
    load_predictions,
    match,
    predict,
    score,
)
from coopfacts.evaluation.matching import REL_TOL, greedy_match, overlap, prf, same_value, span_rank
from coopfacts.evaluation.report import score_json, score_text, summary_line
from coopfacts.evaluation.suite_report import CaseResult, FileReport, SuiteReport, suite_json, suite_text
from coopfacts.evaluation.suites import (
    CATEGORIES,
    Span,
    default_disagreements_path,
    expected_spans,
    load_disagreements,
    parse_name,
    read_cases,
    suite_files,
)

__all__ = [
    # matching
    "REL_TOL", "greedy_match", "overlap", "prf", "same_value", "span_rank",
    # gold files and their score
    "GUIDE_KINDS", "DocResult", "EvalReport", "GoldDoc", "GoldError", "Item", "evaluate", "load_gold",
    "load_predictions", "match", "predict", "score", "score_json", "score_text", "summary_line",
    # the peers' suites
    "CATEGORIES", "CaseResult", "FileReport", "Runner", "Span", "SuiteReport", "default_disagreements_path",
    "expected_spans", "load_disagreements", "match_case", "parse_name", "read_cases", "run_file", "run_suite",
    "suite_files", "suite_json", "suite_text", "value_matches",
    # worked examples
    "check_example", "describe", "differences",
]
