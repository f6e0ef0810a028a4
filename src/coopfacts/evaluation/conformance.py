"""Conformance with the peers' own test suites (``coopfacts eval --suite DIR``).

The case files are read by :mod:`.suites`; each case runs through the layer that answers it:

=============  ===================  ==========================================
category       our layer            a peer claim matches our
=============  ===================  ==========================================
number         ``numbers``          ``number`` (the peer calls it ``count``)
ordinal        ``numbers``          ``ordinal``
money          ``extract``          ``money``
percent        ``extract``          ``percent``
duration       ``extract``          ``duration``
date           ``extract``          ``date`` (``reference`` passed as reference date)
dimension      ``extract``          ``quantity``
=============  ===================  ==========================================

Matching follows the README (and the gold guide), with :mod:`.matching`'s value comparison,
overlap and greedy matcher: predictions overlapping an ``ignore`` span are dropped; a
prediction matches an expected claim when the spans overlap, the kinds correspond and the
values are equal; each expected claim matches once.  A case passes when every expected claim
is matched and no prediction is left over.  The README's conversions are applied on top:

* a range (``entre 10 et 20 euros``, ``value: null`` with ``range: {min, max}``)
  is matched by a prediction equal to either end; the other end, when we give it
  as a claim of its own inside the same span, is absorbed rather than spurious;
* a sum counted in a hundredth sub-unit (``10 cents``: the peers give 10 with no
  currency; we give 0.1 in the currency, as the guide asks) is compared in cents;
* ``value_in_base_unit`` (Duckling converts metric mass to grams): our ``kg``,
  ``t``… are converted to the peer's unit with the unit registry before comparing;
* a ``relative`` date is compared with its value, its ``resolved`` values and its
  timex when the case gives a reference date; ``XXXX-MM-DD`` (the guide never
  guesses a year) matches a resolved date of the same month and day.  Without a
  reference a relative date is skipped, like an ignore span.

Cases listed in ``docs/peer-disagreements.md`` (a peer's expected answer is wrong
or conflicts with our guide) are left out by default and reported on their own.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coopfacts.evaluation.matching import greedy_match, is_number, overlap, overlaps, same_value
from coopfacts.evaluation.suite_report import CaseResult, FileReport, SuiteReport
from coopfacts.evaluation.suites import (
    CATEGORIES,
    Span,
    default_disagreements_path,
    expected_spans,
    iso_day,
    load_disagreements,
    parse_name,
    read_cases,
    reference_date,
    suite_files,
)

# --- the suites' conversions, on top of the one value comparison ---------------------------

def _undated_match(gold: Any, pred: Any) -> bool:
    """Our ``XXXX-MM-DD`` (no year written) against a resolved ``YYYY-MM-DD``."""
    if not (isinstance(pred, str) and pred.startswith("XXXX-") and isinstance(gold, str)):
        return False
    return bool(iso_day(gold)) and pred[5:] == gold[5:10] and len(pred) == 10


def _in_unit_of(e: Span, p: Span) -> float | None:
    """Our value in the peer's unit (``0.5 kg`` is 500 when the peer counts grams), when the
    unit registry knows both units as measures of the same thing; else None."""
    if not is_number(p.value) or not e.unit:
        return None
    from coopfacts.units import registry

    reg = registry()
    ours, one_of_theirs = reg.measure(str(e.kind), p.value, p.unit), reg.measure(str(e.kind), 1.0, e.unit)
    if ours is None or one_of_theirs is None or ours[0] != one_of_theirs[0] or reg.get(p.unit) is None:
        return None
    return ours[1] / one_of_theirs[1]


_ISO_CODE = re.compile(r"[A-Z]{3}")


def value_matches(e: Span, p: Span) -> bool:
    """The value rule of the peer suites: :func:`.matching.same_value` and the conversions above."""
    if e.range is not None and e.value is None:
        return any(same_value(e.range.get(k), p.value) for k in ("min", "max"))
    if e.base_unit:
        converted = _in_unit_of(e, p)
        if converted is not None:
            return same_value(e.value, converted)
    if same_value(e.value, p.value):
        return True
    if e.subunit and p.unit is not None and is_number(p.value):
        return same_value(e.value, float(p.value) * 100)
    if e.relative:
        return any(same_value(a, p.value) or _undated_match(a, p.value) for a in (e.value, *e.alternatives))
    return False


def same_currency(e: Span, p: Span) -> bool:
    """A sum passes only in the currency the peer names (an ISO 4217 code); where the peer names
    none (``unit_raw: "Dollar"``: some dollar) or counts in a sub-unit, any currency does."""
    if e.kind != "money" or e.subunit or not e.unit or not _ISO_CODE.fullmatch(e.unit):
        return True
    return p.unit == e.unit


def _compatible(e: Span, p: Span) -> bool:
    return e.kind == p.kind and overlaps(e, p) and value_matches(e, p) and same_currency(e, p)


def match_case(expected: list[Span], predicted: list[Span]) -> tuple[dict[int, int], set[int]]:
    """:func:`.matching.greedy_match` with the suites' value rule; returns {expected index:
    prediction index} and the predictions used, including the other end of a matched range
    absorbed by that range."""
    out = greedy_match(expected, predicted, _compatible)
    used = set(out.values())
    for ei in list(out):
        e = expected[ei]
        if e.range is None:
            continue
        for qi, q in enumerate(predicted):
            if qi not in used and _compatible(e, q):
                used.add(qi)
    return out, used


# --- running cases ---------------------------------------------------------------------------

def _unscored(e: Span, has_reference: bool) -> bool:
    """A relative date in a case without a reference date: skipped, like an ignore span."""
    return e.relative and not has_reference and e.kind == "date"


class Runner:
    """Runs cases through the engine (one rulebook, compiled once).  Tests replace
    :meth:`predict` (and :meth:`supports`) to try the case logic without the engine."""

    def __init__(self, rulebook: Any = None):
        from coopfacts.engine import Engine, load

        self.engine = Engine(rulebook) if rulebook is not None else load()

    def supports(self, lang: str) -> bool:
        return lang in self.engine.languages

    def predict(self, case: dict[str, Any], category: str) -> list[Span]:
        layer, ours, theirs = CATEGORIES[category]
        lang = case["lang"]
        if not self.supports(lang):
            return []
        text = case["text"]
        if layer == "numbers":  # exactly what `coopfacts numbers` lists, weak numerals included
            numerals = self.engine.numbers(text, lang, kinds=[ours])
            return [Span(r.start, r.end, theirs, r.value, r.text) for r in numerals]
        claims = self.engine.extract(text, lang, kinds={ours}, reference_date=reference_date(case))
        return [Span(c.start, c.end, theirs, c.value, c.text, c.unit, group=c.extra.get("range")) for c in claims]

    def run_case(self, case: dict[str, Any], file: str, category: str, excluded: bool = False) -> CaseResult:
        expected = expected_spans(case)
        error = None
        try:
            predicted = self.predict(case, category)
        except Exception as exc:  # one bad case must not stop the run
            if os.environ.get("COOPFACTS_DEBUG"):
                raise
            predicted, error = [], f"{type(exc).__name__}: {exc}"
        has_ref = reference_date(case) is not None
        drop = [(g["start"], g["end"]) for g in case.get("ignore") or []]
        drop += [(e.start, e.end) for e in expected if _unscored(e, has_ref)]
        scored_exp = [e for e in expected if not _unscored(e, has_ref)]
        scored_pred = [p for p in predicted if not any(overlap(p.start, p.end, s, t) for s, t in drop)]
        m, used = match_case(scored_exp, scored_pred)
        passed = error is None and len(m) == len(scored_exp) and len(used) == len(scored_pred)
        return CaseResult(file, case.get("source", "?"), case["text"], bool((case.get("peer") or {}).get("passes")),
                          passed, excluded, expected, predicted, len(m), len(scored_exp), len(scored_pred), error)


# --- files and suites -------------------------------------------------------------------------

def run_file(path: str | os.PathLike[str], runner: Runner | None = None,
             exclude: set[tuple[str, str]] | None = None) -> FileReport:
    """Every case of one case file; ``exclude`` holds the (file, source) pairs left out of the rates."""
    path = Path(path)
    parsed = parse_name(path.stem)
    if parsed is None:
        raise ValueError(f"{path.name}: not a case file name (<peer>-<category>-<lang>.jsonl)")
    _, category, lang = parsed
    runner = runner or Runner()
    rep = FileReport(path.stem, lang, category, CATEGORIES[category][0])
    if not runner.supports(lang):
        rep.note = f"no rule file for language {lang!r}: nothing is predicted"
    exclude = exclude or set()
    for case in read_cases(path):
        rep.results.append(runner.run_case(case, path.stem, category, (path.stem, case.get("source")) in exclude))
    return rep


def run_suite(directory: str | os.PathLike[str], files: Iterable[str] | None = None, *,
              exclude_disagreements: bool = True, disagreements: str | os.PathLike[str] | None = None,
              rulebook: Any = None) -> SuiteReport:
    """Run every case file of ``directory`` (or those matching the ``files`` globs)."""
    dis_path = Path(disagreements) if disagreements else default_disagreements_path()
    exclude: set[tuple[str, str]] = set()
    if exclude_disagreements and dis_path is not None:
        exclude = load_disagreements(dis_path)
    runner = Runner(rulebook)
    reports = [run_file(p, runner, exclude) for p in suite_files(directory, files)]
    return SuiteReport(str(directory), reports, str(dis_path) if dis_path and exclude_disagreements else None,
                       exclude_disagreements)
