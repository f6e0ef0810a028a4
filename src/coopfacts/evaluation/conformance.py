"""Conformance with the peers' own test suites (``coopfacts eval --suite DIR``).

A suite directory holds case files ``<peer>-<category>-<lang>.jsonl`` in the
neutral format of the team's peer-suites README: one case a line, with the input
``text``, the ``expected`` claims of the file's category (spans, kind, value) and
optional ``ignore`` spans.  Each case runs through the layer that answers it:

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

Matching follows the README (and the gold guide): predictions overlapping an
``ignore`` span are dropped; a prediction matches an expected claim when the spans
overlap, the kinds correspond and the values are equal (numbers within 1e-6
relative, anything else as strings); each expected claim matches once.  A case
passes when every expected claim is matched and no prediction is left over.
The README's conversions are applied:

* a range (``entre 10 et 20 euros``, ``value: null`` with ``range: {min, max}``)
  is matched by a prediction equal to either end; the other end, when we give it
  as a claim of its own inside the same span, is absorbed rather than spurious;
* a sum counted in a hundredth sub-unit (``10 cents``: the peers give 10 with no
  currency; we give 0.1 in the currency, as the guide asks) is compared in cents;
* ``value_in_base_unit`` (Duckling converts metric mass to grams): our ``kg``,
  ``t``… are converted before comparing;
* a ``relative`` date is compared with its value, its ``resolved`` values and its
  timex when the case gives a reference date; ``XXXX-MM-DD`` (the guide never
  guesses a year) matches a resolved date of the same month and day.  Without a
  reference a relative date is skipped, like an ignore span.

Cases listed in ``docs/peer-disagreements.md`` (a peer's expected answer is wrong
or conflicts with our guide) are left out by default and reported on their own.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

REL_TOL = 1e-6
CATEGORIES = {
    # category: (layer, our kind, the peer's kind)
    "number": ("numbers", "number", "count"),
    "ordinal": ("numbers", "ordinal", "ordinal"),
    "money": ("extract", "money", "money"),
    "percent": ("extract", "percent", "percent"),
    "duration": ("extract", "duration", "duration"),
    "date": ("extract", "date", "date"),
    "dimension": ("extract", "quantity", "quantity"),
}
# units of mass in grams, for Duckling's value_in_base_unit
_GRAMS = {"mg": 1e-3, "g": 1.0, "kg": 1e3, "q": 1e5, "t": 1e6}
# hundredth sub-units: the peers count them (`10 cents` = 10, unit null); we give the
# currency's own unit (0.1 USD), as the gold guide asks
_SUBUNITS = {"cent", "cents", "centime", "centimes", "pence", "penny", "pesewa", "pesewas", "sen"}
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SOURCE = re.compile(r"^(recognizers-text|duckling):\S+$")
DISAGREEMENTS_NAME = "peer-disagreements.md"


# --- cases and predictions ------------------------------------------------------------

@dataclass
class Span:
    start: int
    end: int
    kind: str | None
    value: Any
    text: str = ""
    unit: str | None = None
    range: dict | None = None  # expected: {min, max}
    group: Any = None  # prediction: range id shared by the two ends of a range
    relative: bool = False
    alternatives: tuple = ()  # expected relative dates: resolved values, timex
    base_unit: bool = False  # expected value in grams (value_in_base_unit)
    subunit: bool = False  # expected money counted in cents, pence... (unit null)


@dataclass
class CaseResult:
    file: str
    source: str
    text: str
    peer_passes: bool
    passed: bool
    excluded: bool
    expected: list[Span]
    predicted: list[Span]
    matched: int  # expected claims matched
    n_expected: int  # expected claims scored (relative dates without a reference are not)
    n_predicted: int  # predictions scored (after ignore spans and skipped relative dates)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "text": self.text, "peer_passes": self.peer_passes,
                "passed": self.passed, "expected": [_span_json(s) for s in self.expected],
                "got": [_span_json(s) for s in self.predicted], **({"error": self.error} if self.error else {})}


def _span_json(s: Span) -> dict[str, Any]:
    d: dict[str, Any] = {"start": s.start, "end": s.end, "text": s.text, "kind": s.kind, "value": s.value}
    if s.unit is not None:
        d["unit"] = s.unit
    if s.range is not None:
        d["range"] = s.range
    return d


def _rate(passed: int, n: int) -> float | None:
    return passed / n if n else None


@dataclass
class FileReport:
    file: str  # name without .jsonl
    lang: str
    category: str
    layer: str
    results: list[CaseResult] = field(default_factory=list)
    note: str | None = None

    @property
    def scored(self) -> list[CaseResult]:
        return [r for r in self.results if not r.excluded]

    @property
    def excluded(self) -> list[CaseResult]:
        return [r for r in self.results if r.excluded]

    def tally(self, peer_passes_only: bool) -> tuple[int, int]:
        rs = [r for r in self.scored if r.peer_passes or not peer_passes_only]
        return len(rs), sum(r.passed for r in rs)

    def rate(self, peer_passes_only: bool) -> float | None:
        return _rate(*reversed(self.tally(peer_passes_only)))

    def failures(self) -> list[CaseResult]:
        """Failed cases, those the peer passes first, each group in file order."""
        bad = [r for r in self.scored if not r.passed]
        return [r for r in bad if r.peer_passes] + [r for r in bad if not r.peer_passes]

    def claims(self) -> dict[str, Any]:
        e = sum(r.n_expected for r in self.scored)
        p = sum(r.n_predicted for r in self.scored)
        m = sum(r.matched for r in self.scored)
        prec = m / p if p else (1.0 if not e else 0.0)
        rec = m / e if e else (1.0 if not p else 0.0)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"expected": e, "predicted": p, "matched": m, "precision": prec, "recall": rec, "f1": f1}

    def to_dict(self, show: int) -> dict[str, Any]:
        n_pp, ok_pp = self.tally(True)
        n_all, ok_all = self.tally(False)
        exc = self.excluded
        return {
            "file": self.file, "lang": self.lang, "category": self.category, "layer": self.layer,
            "cases": n_all, "passed": ok_all, "failed": n_all - ok_all,
            "peer_passes": {"cases": n_pp, "passed": ok_pp, "rate": _rate(ok_pp, n_pp)},
            "all": {"cases": n_all, "passed": ok_all, "rate": _rate(ok_all, n_all)},
            "claims": self.claims(),
            "excluded": {"cases": len(exc), "passed": sum(r.passed for r in exc),
                         "sources": [r.source for r in exc]},
            "note": self.note,
            "failures": [r.to_dict() for r in self.failures()[:show]],
        }


@dataclass
class SuiteReport:
    directory: str
    files: list[FileReport]
    disagreements: str | None  # the list used, or None
    exclude_disagreements: bool

    def to_dict(self, show: int = 5) -> dict[str, Any]:
        files = [f.to_dict(show) for f in self.files]
        tot = {k: sum(f[k] for f in files) for k in ("cases", "passed", "failed")}
        pp_n = sum(f["peer_passes"]["cases"] for f in files)
        pp_ok = sum(f["peer_passes"]["passed"] for f in files)
        tot["peer_passes"] = {"cases": pp_n, "passed": pp_ok, "rate": _rate(pp_ok, pp_n)}
        tot["all"] = {"cases": tot["cases"], "passed": tot["passed"], "rate": _rate(tot["passed"], tot["cases"])}
        tot["excluded"] = sum(f["excluded"]["cases"] for f in files)
        return {"suite": self.directory, "disagreements": self.disagreements,
                "exclude_disagreements": self.exclude_disagreements, "files": files, "total": tot}


# --- the list of disagreements ------------------------------------------------------------

def default_disagreements_path() -> Path | None:
    """``docs/peer-disagreements.md`` of the source checkout this package runs from, if there is one."""
    here = Path(__file__).resolve()
    for up in here.parents[:4]:
        p = up / "docs" / DISAGREEMENTS_NAME
        if p.is_file():
            return p
    return None


def _cells(line: str) -> list[str]:
    body = line.strip()
    if not (body.startswith("|") and body.endswith("|")):
        return []
    cells = re.split(r"(?<!\\)\|", body[1:-1])
    return [c.strip().replace("\\|", "|") for c in cells]


def load_disagreements(path: str | os.PathLike) -> set[tuple[str, str]]:
    """``(file, source)`` pairs from the tables of a disagreements list.

    A row of a Markdown table whose first cell names a case file (``recognizers-number-ar``)
    and whose second cell is a case source (``recognizers-text:…#12``, in backquotes or not)
    lists one case; other lines are prose.
    """
    out: set[tuple[str, str]] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cells = _cells(line)
        if len(cells) < 2:
            continue
        file, source = (c.strip("`").strip() for c in cells[:2])
        file = file.removesuffix(".jsonl")
        if _SOURCE.match(source) and re.fullmatch(r"[a-z]+-[a-z]+-[a-z]{2}", file):
            out.add((file, source))
    return out


# --- one case -----------------------------------------------------------------------------

def _expected_spans(case: dict) -> list[Span]:
    out = []
    for c in case.get("expected") or []:
        alts: list[Any] = []
        if c.get("relative"):
            alts = [v for v in (c.get("resolved") or []) if v is not None]
            if c.get("timex"):
                alts.append(c["timex"])
        out.append(Span(c["start"], c["end"], c.get("kind"), c.get("value"), c.get("text", ""),
                        c.get("unit"), range=c.get("range"), relative=bool(c.get("relative")),
                        alternatives=tuple(alts), base_unit=bool(c.get("value_in_base_unit")),
                        subunit=(c.get("kind") == "money" and c.get("unit") is None
                                 and str(c.get("unit_raw", "")).lower() in _SUBUNITS)))
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same_number(a: Any, b: Any) -> bool:
    return (_is_number(a) and _is_number(b) and math.isfinite(float(a)) and math.isfinite(float(b))
            and math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=1e-9))


def _as_string(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _same(gold: Any, pred: Any) -> bool:
    if _is_number(gold):
        return same_number(gold, pred)
    if gold is None or pred is None or isinstance(pred, (dict, list)):
        return False
    return _as_string(gold) == _as_string(pred)


def _undated_match(gold: Any, pred: Any) -> bool:
    """Our ``XXXX-MM-DD`` (no year written) against a resolved ``YYYY-MM-DD``."""
    if not (isinstance(pred, str) and pred.startswith("XXXX-") and isinstance(gold, str)):
        return False
    m = _ISO_DAY.match(gold)
    return bool(m) and pred[5:] == gold[5:10] and len(pred) == 10


def value_matches(e: Span, p: Span) -> bool:
    if e.range is not None and e.value is None:
        return any(same_number(e.range.get(k), p.value) for k in ("min", "max"))
    if e.base_unit and p.unit in _GRAMS and _is_number(p.value) and e.unit == "g":
        return same_number(e.value, float(p.value) * _GRAMS[p.unit])
    if _same(e.value, p.value):
        return True
    if e.subunit and p.unit is not None and _is_number(p.value):
        return same_number(e.value, float(p.value) * 100)
    if e.relative:
        return any(_same(a, p.value) or _undated_match(a, p.value) for a in (e.value, *e.alternatives))
    return False


def match_case(expected: list[Span], predicted: list[Span]) -> tuple[dict[int, int], set[int]]:
    """Greedy one-to-one matching (exact spans first, then the largest overlap, then the
    nearest); returns {expected index: prediction index} and the predictions used,
    including the other end of a matched range absorbed by that range."""
    pairs = []
    for ei, e in enumerate(expected):
        for pi, p in enumerate(predicted):
            if e.kind == p.kind and _overlap(e.start, e.end, p.start, p.end) and value_matches(e, p):
                exact = e.start == p.start and e.end == p.end
                ov = min(e.end, p.end) - max(e.start, p.start)
                dist = abs(e.start - p.start) + abs(e.end - p.end)
                pairs.append((0 if exact else 1, -ov, dist, ei, pi))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for *_, ei, pi in pairs:
        if ei not in out and pi not in used:
            out[ei] = pi
            used.add(pi)
    for ei, pi in list(out.items()):
        e = expected[ei]
        if e.range is None:
            continue
        for qi, q in enumerate(predicted):
            if (qi not in used and q.kind == e.kind and _overlap(e.start, e.end, q.start, q.end)
                    and value_matches(e, q)):
                used.add(qi)
    return out, used


def _reference(case: dict) -> _dt.date | None:
    ref = case.get("reference")
    if isinstance(ref, str):
        m = _ISO_DAY.match(ref)
        if m:
            try:
                return _dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


class Runner:
    """Runs cases through the engine (one rulebook, compiled once)."""

    def __init__(self, rulebook: Any = None):
        from coopfacts.rulebook import get_rulebook

        self.rb = rulebook or get_rulebook()

    def supports(self, lang: str) -> bool:
        return lang in self.rb.languages

    def predict(self, case: dict, category: str) -> list[Span]:
        layer, ours, theirs = CATEGORIES[category]
        lang = case["lang"]
        if not self.supports(lang):
            return []
        text = case["text"]
        if layer == "numbers":  # exactly what `coopfacts numbers` lists, weak numerals included
            from coopfacts.cli.numbers import numbers

            return [Span(r["start"], r["end"], theirs, r["value"], r["text"])
                    for r in numbers(text, lang, kinds=[ours], rulebook=self.rb)]
        from coopfacts.engine import Engine

        claims = Engine(self.rb).extract(text, lang, kinds={ours}, reference_date=_reference(case))
        return [Span(c.start, c.end, theirs, c.value, c.text, c.unit, group=c.extra.get("range"))
                for c in claims]

    def run_case(self, case: dict, file: str, category: str, excluded: bool = False) -> CaseResult:
        expected = _expected_spans(case)
        error = None
        try:
            predicted = self.predict(case, category)
        except Exception as exc:  # one bad case must not stop the run
            if os.environ.get("COOPFACTS_DEBUG"):
                raise
            predicted, error = [], f"{type(exc).__name__}: {exc}"
        drop = [(g["start"], g["end"]) for g in case.get("ignore") or []]
        has_ref = _reference(case) is not None
        drop += [(e.start, e.end) for e in expected if e.relative and not has_ref and e.kind == "date"]
        scored_exp = [e for e in expected if not (e.relative and not has_ref and e.kind == "date")]
        scored_pred = [p for p in predicted if not any(_overlap(p.start, p.end, s, t) for s, t in drop)]
        m, used = match_case(scored_exp, scored_pred)
        passed = error is None and len(m) == len(scored_exp) and len(used) == len(scored_pred)
        return CaseResult(file, case.get("source", "?"), case["text"], bool((case.get("peer") or {}).get("passes")),
                          passed, excluded, expected, predicted, len(m), len(scored_exp), len(scored_pred), error)


# --- files and suites -------------------------------------------------------------------------

def parse_name(name: str) -> tuple[str, str, str] | None:
    """``recognizers-number-ar`` -> (peer, category, lang)."""
    m = re.fullmatch(r"([a-z]+)-([a-z]+)-([a-z]{2})", name)
    if not m or m[2] not in CATEGORIES:
        return None
    return m[1], m[2], m[3]


def read_cases(path: str | os.PathLike) -> list[dict]:
    cases = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}, line {n}: not valid JSON ({exc.msg})") from None
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise ValueError(f"{path}, line {n}: expected a case object with a 'text'")
                cases.append(obj)
    return cases


def suite_files(directory: str | os.PathLike, globs: Iterable[str] | None = None) -> list[Path]:
    d = Path(directory)
    if not d.is_dir():
        raise FileNotFoundError(f"no such suite directory: {directory}")
    files = sorted(p for p in d.glob("*.jsonl") if parse_name(p.stem))
    pats = [g for g in (globs or []) if g]
    if pats:
        files = [p for p in files if any(fnmatch.fnmatch(p.name, g) or fnmatch.fnmatch(p.stem, g) for g in pats)]
    return files


def run_file(path: str | os.PathLike, runner: Runner | None = None,
             exclude: set[tuple[str, str]] | None = None) -> FileReport:
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


def run_suite(directory: str | os.PathLike, files: Iterable[str] | None = None, *,
              exclude_disagreements: bool = True, disagreements: str | os.PathLike | None = None,
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


# --- reports ----------------------------------------------------------------------------------

def _pct(passed: int, n: int) -> str:
    return f"{100 * passed / n:5.1f}%" if n else "    –"


def _fmt_value(s: dict) -> str:
    v = s.get("value")
    if v is None and s.get("range"):
        v = f"{s['range'].get('min')}..{s['range'].get('max')}"
    elif isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        v = int(v)
    unit = f" {s['unit']}" if s.get("unit") else ""
    return f"«{s.get('text')}» [{s.get('start')}:{s.get('end')}] {s.get('kind')} {v}{unit}"


def format_text(report: SuiteReport, show: int = 5) -> str:
    data = report.to_dict(show)
    lines = []
    head = (f"{'file':<28}{'cases':>6}{'passed':>7}{'failed':>7}  {'peer-passes':>18}  "
            f"{'all cases':>18}{'excl.':>6}  claim-F1")
    lines.append(head)
    lines.append("-" * len(head))
    for f in data["files"]:
        pp, al = f["peer_passes"], f["all"]
        pp_s = f"{pp['passed']}/{pp['cases']} {_pct(pp['passed'], pp['cases'])}"
        al_s = f"{al['passed']}/{al['cases']} {_pct(al['passed'], al['cases'])}"
        note = f"  ({f['note']})" if f["note"] else ""
        lines.append(f"{f['file']:<28}{f['cases']:>6}{f['passed']:>7}{f['failed']:>7}  {pp_s:>18}  {al_s:>18}"
                     f"{f['excluded']['cases']:>6}  {f['claims']['f1']:.3f}{note}")
    t = data["total"]
    pp, al = t["peer_passes"], t["all"]
    lines.append("-" * len(head))
    lines.append(f"{'total':<28}{t['cases']:>6}{t['passed']:>7}{t['failed']:>7}  "
                 f"{str(pp['passed']) + '/' + str(pp['cases']) + ' ' + _pct(pp['passed'], pp['cases']):>18}  "
                 f"{str(al['passed']) + '/' + str(al['cases']) + ' ' + _pct(al['passed'], al['cases']):>18}"
                 f"{t['excluded']:>6}")
    if report.exclude_disagreements:
        where = report.disagreements or "no list found"
        lines.append(f"excl.: cases listed as peer disagreements ({where}), left out of the rates; "
                     "--include-disagreements scores them")
    else:
        lines.append("peer disagreements scored like any other case (--include-disagreements)")
    if show > 0:
        for f in data["files"]:
            if not f["failures"]:
                continue
            lines.append("")
            lines.append(f"== {f['file']}: first {len(f['failures'])} of {f['failed']} failures "
                         "(cases the peer passes first)")
            for r in f["failures"]:
                mark = "" if r["peer_passes"] else "  [peer fails it too]"
                lines.append(f"- {r['source']}{mark}")
                lines.append(f"  text:     {r['text']}")
                lines.append("  expected: " + ("; ".join(_fmt_value(s) for s in r["expected"]) or "(nothing)"))
                lines.append("  got:      " + ("; ".join(_fmt_value(s) for s in r["got"]) or "(nothing)"))
                if r.get("error"):
                    lines.append(f"  error:    {r['error']}")
    return "\n".join(lines) + "\n"


def format_json(report: SuiteReport, show: int = 5) -> str:
    return json.dumps(report.to_dict(show), ensure_ascii=False, indent=1) + "\n"
