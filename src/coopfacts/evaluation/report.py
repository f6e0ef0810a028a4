"""A gold score (:class:`.gold.EvalReport`) as the text table or the JSON object that
``coopfacts eval GOLD.jsonl`` prints."""
from __future__ import annotations

import json
from typing import Any

from coopfacts.evaluation.gold import DocResult, EvalReport, Item
from coopfacts.evaluation.matching import overlaps, same_value


def score_json(report: EvalReport, verbose: bool = False) -> str:
    """One JSON object on one line (with each document's errors when ``verbose``)."""
    return json.dumps(report.to_dict(verbose), ensure_ascii=False) + "\n"


def summary_line(fig: dict[str, Any]) -> str:
    return (f"F1 {fig['f1']:.3f} (P {fig['precision']:.3f} R {fig['recall']:.3f}) "
            f"strict-F1 {fig['strict_f1']:.3f}")


def score_text(report: EvalReport, texts: dict[str, str] | None = None, verbose: bool = False) -> str:
    """The table per kind and the summary line; ``verbose`` lists each document's errors first
    (``texts``, {document id: text}, shows the words of predictions that carry no ``text``)."""
    lines = []
    if verbose:
        for r in report.docs:
            lines += _document_errors(r, (texts or {}).get(r.id, ""))
        lines.append("")
    fig = report.figures()
    dropped = sum(r.dropped for r in report.docs)
    scope = f"  kinds: {','.join(report.kinds)}" if report.kinds is not None else ""
    lines.append(f"documents {len(report.docs)}  gold {fig['gold']}  predictions {fig['predicted']} "
                 f"({dropped} dropped on ignore spans){scope}")
    lines.append(f"{'kind':<10}{'gold':>6}{'pred':>6}{'match':>7}{'P':>8}{'R':>7}{'F1':>7}{'strict-F1':>11}")
    for k, v in report.per_kind().items():
        lines.append(f"{k:<10}{v['gold']:>6}{v['predicted']:>6}{v['matched']:>7}{v['precision']:>8.3f}"
                     f"{v['recall']:>7.3f}{v['f1']:>7.3f}{v['strict_f1']:>11.3f}")
    lines.append(summary_line(fig))
    return "\n".join(lines) + "\n"


def _show(c: Item) -> str:
    bits = [str(c.kind), json.dumps(c.value, ensure_ascii=False)]
    if c.unit:
        bits.append(c.unit)
    bits.append(c.qualifier)
    return " ".join(bits)


def _document_errors(r: DocResult, text: str) -> list[str]:
    """The header of one document, then its missed, spurious and strict-only claims."""
    name = f" ({r.source})" if r.source else ""
    lines = [f"== {r.id}{name}: gold {len(r.gold)}, predicted {len(r.predicted)}, matched {r.matched}, "
             f"strict {r.strict_matched}, dropped on ignore spans {r.dropped}"]
    for g in r.missed:
        lines.append(f"  missed   [{g.start}:{g.end}] «{g.text}» {_show(g)}")
    for p in r.spurious:
        shown = p.text if p.text is not None else text[p.start:p.end]
        lines.append(f"  spurious [{p.start}:{p.end}] «{shown}» {_show(p)}{_why_spurious(r, p)}")
    for g, p in r.loose:
        diff = []
        if g.unit != p.unit:
            diff.append(f"unit {g.unit} vs {p.unit}")
        if g.qualifier != p.qualifier:
            diff.append(f"qualifier {g.qualifier} vs {p.qualifier}")
        lines.append(f"  strict   [{g.start}:{g.end}] «{g.text}» {_show(g)}: {'; '.join(diff)}")
    return lines


def _why_spurious(r: DocResult, p: Item) -> str:
    """Why a prediction on a gold claim's span did not match it ("" when it overlaps none)."""
    near = [g for g in r.gold if overlaps(g, p)]
    if not near:
        return ""
    g = near[0]
    why = ("kind differs" if g.kind != p.kind else
           "value differs" if not same_value(g.value, p.value) else "gold claim already matched")
    return f"   (overlaps gold [{g.start}:{g.end}] {_show(g)}: {why})"
