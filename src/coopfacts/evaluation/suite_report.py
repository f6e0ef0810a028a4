"""The results of a conformance run (per case, per file, per suite) and the text or JSON
report ``coopfacts eval --suite`` prints."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from coopfacts.evaluation.matching import prf
from coopfacts.evaluation.suites import Span


@dataclass
class CaseResult:
    """One case run: what was expected and found, and whether it passed."""

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
    """The cases of one file (``<peer>-<category>-<lang>``) and their tallies."""

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
        prec, rec, f1 = prf(m, e, p)
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
    """Every file of a suite directory, and which list of disagreements was left out."""

    directory: str
    files: list[FileReport]
    disagreements: str | None  # the list used, or None
    exclude_disagreements: bool

    def to_dict(self, show: int = 5) -> dict[str, Any]:
        files = [f.to_dict(show) for f in self.files]
        tot: dict[str, Any] = {k: sum(f[k] for f in files) for k in ("cases", "passed", "failed")}
        pp_n = sum(f["peer_passes"]["cases"] for f in files)
        pp_ok = sum(f["peer_passes"]["passed"] for f in files)
        tot["peer_passes"] = {"cases": pp_n, "passed": pp_ok, "rate": _rate(pp_ok, pp_n)}
        tot["all"] = {"cases": tot["cases"], "passed": tot["passed"], "rate": _rate(tot["passed"], tot["cases"])}
        tot["excluded"] = sum(f["excluded"]["cases"] for f in files)
        return {"suite": self.directory, "disagreements": self.disagreements,
                "exclude_disagreements": self.exclude_disagreements, "files": files, "total": tot}


# --- text and JSON ------------------------------------------------------------------------------

def _pct(passed: int, n: int) -> str:
    return f"{100 * passed / n:5.1f}%" if n else "    –"


def _fmt_value(s: dict[str, Any]) -> str:
    v = s.get("value")
    if v is None and s.get("range"):
        v = f"{s['range'].get('min')}..{s['range'].get('max')}"
    elif isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        v = int(v)
    unit = f" {s['unit']}" if s.get("unit") else ""
    return f"«{s.get('text')}» [{s.get('start')}:{s.get('end')}] {s.get('kind')} {v}{unit}"


def suite_text(report: SuiteReport, show: int = 5) -> str:
    """A table of the files and the total, then the first ``show`` failures of each file."""
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


def suite_json(report: SuiteReport, show: int = 5) -> str:
    """Everything, with the first ``show`` failures of each file, as indented JSON."""
    return json.dumps(report.to_dict(show), ensure_ascii=False, indent=1) + "\n"
