"""What a check returns: :class:`Finding` records, their fields and the exit status they give.

Verdicts: ``supported`` / ``contradicted`` / ``unverified`` (reference), ``consistent`` /
``contradicted`` / ``flagged`` (internal and across checks; ``flagged`` means "look at this",
not "wrong").  :data:`VERDICTS` is :data:`coopfacts.model.VERDICTS`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from coopfacts.model import VERDICTS, Claim

__all__ = ["EXIT_CONTRADICTED", "FINDING_FIELDS", "VERDICTS", "Finding", "exit_status", "span_of"]

EXIT_CONTRADICTED = 3  # exit status when some finding is contradicted
FINDING_FIELDS = (
    "check", "finding", "verdict", "doc", "start", "end", "text", "value", "unit", "qualifier",
    "expected", "difference", "row", "label", "source", "also", "why", "spans",
)


def span_of(c: Claim, role: str | None = None) -> dict:
    """How a finding quotes a claim (``role``: stated, from, to, part, whole)."""
    d = {"doc": c.doc, "start": c.start, "end": c.end, "text": c.text, "kind": c.kind,
         "value": c.value, "unit": c.unit, "qualifier": c.qualifier}
    if role:
        d["role"] = role
    return d


@dataclass
class Finding:
    """One result of a check.  ``spans`` quote every claim involved (doc, start, end, text...)."""

    check: str  # reference | internal | across
    # reference | same_figure | different_figures | multiple | change | part_whole | parts_sum | shares_sum
    # | percent_over_100 | across
    finding: str
    verdict: str  # supported | contradicted | unverified | consistent | flagged
    spans: list[dict]
    why: str
    expected: Any = None
    difference: float | None = None
    row: str | None = None
    label: str | None = None
    source: str | None = None
    also: list[str] | None = None

    @property
    def doc(self) -> str | None:
        return self.spans[0]["doc"] if self.spans else None

    def to_dict(self) -> dict:
        main = self.spans[0] if self.spans else {}
        return {
            "check": self.check, "finding": self.finding, "verdict": self.verdict, "doc": main.get("doc"),
            "start": main.get("start"), "end": main.get("end"), "text": main.get("text"),
            "value": main.get("value"), "unit": main.get("unit"), "qualifier": main.get("qualifier"),
            "expected": self.expected,
            "difference": None if self.difference is None else round(self.difference, 4),
            "row": self.row, "label": self.label, "source": self.source, "also": self.also,
            "why": self.why, "spans": self.spans,
        }


def exit_status(findings: Iterable[Finding | dict]) -> int:
    """:data:`EXIT_CONTRADICTED` when some finding is contradicted, else 0."""
    for f in findings:
        verdict = f["verdict"] if isinstance(f, dict) else f.verdict
        if verdict == "contradicted":
            return EXIT_CONTRADICTED
    return 0
