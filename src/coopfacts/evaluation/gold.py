"""``coopfacts eval``: score coopfacts against hand-annotated articles.

A gold file is JSON Lines, one document a line, written as the team's gold
guide (``GUIDE.md``) says::

    {"id": "seed-004", "lang": "fa", "text": "…", "claims": [{"start": 735, "end": 741,
     "text": "44 همت", "kind": "money", "value": 44000000000000, "unit": "IRT",
     "qualifier": "exact"}], "ignore": [{"start": 235, "end": 240, "why": "article id"}]}

``coopfacts eval GOLD.jsonl`` runs :func:`coopfacts.extract` on each
document's text (in the document's ``lang``; ``auto`` when it has none) and
scores the claims:

* predictions overlapping an ``ignore`` span are dropped first;
* a prediction matches a gold claim when the spans overlap, the kinds are equal
  and the values are equal (numbers within 1e-6 relative; anything else, such as
  dates, as strings); matching is one-to-one per document and greedy: exact spans
  first, then the largest overlap, then the nearest;
* the strict figure matches again, also demanding the same unit (missing = null)
  and qualifier (missing = ``exact``);
* precision, recall and F1 per kind (a gold claim counts for its kind, a
  prediction for its own) and over all kinds.

These are the rules of the team's reference scorer (``score.py``); the test suite
checks that both give the same figures.  ``--pred FILE`` scores a file of claim
records (JSON Lines with ``doc``) instead of running the extractor.

``coopfacts eval --suite DIR`` runs the peers' conformance suites instead (see
:mod:`coopfacts.conformance`); the command is registered here for both.
"""
# No "from __future__ import annotations": typer reads the command's annotations, which name
# objects imported inside register().
import json
import math
import os
import sys
from dataclasses import dataclass, field
from typing import Annotated, Any, Iterable, Optional

GUIDE_KINDS = ("count", "money", "percent", "quantity", "ratio", "date", "duration")
REL_TOL = 1e-6


class GoldError(ValueError):
    """A gold or predictions file that cannot be used; ``str()`` says where and why."""


# --- records ------------------------------------------------------------------------

@dataclass
class Item:
    """A gold claim or a prediction, with its fields normalised for matching."""

    start: int
    end: int
    kind: Optional[str]
    value: Any
    unit: Optional[str] = None
    qualifier: str = "exact"
    text: Optional[str] = None

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
                "value": self.value, "unit": self.unit, "qualifier": self.qualifier}


@dataclass
class GoldDoc:
    id: str
    text: str
    lang: Optional[str] = None
    source: Optional[str] = None
    claims: list = field(default_factory=list)
    ignore: list = field(default_factory=list)  # (start, end)


def _kind(k: Any) -> Optional[str]:
    if k is None:
        return None
    k = str(k).strip().lower()
    return k or None


def _unit(u: Any) -> Optional[str]:
    if u is None:
        return None
    u = str(u).strip()
    return u or None


def _qualifier(q: Any) -> str:
    if q is None:
        return "exact"
    q = str(q).strip().lower()
    return q or "exact"


def _number(v: Any) -> Optional[float]:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        f = float(v)
    elif isinstance(v, str):
        if "_" in v:  # float() would read "1_000"
            return None
        try:
            f = float(v.strip())
        except ValueError:
            return None
    else:
        return None
    return f if math.isfinite(f) else None


def _text_of(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def same_value(gold: Any, pred: Any) -> bool:
    """Numbers within 1e-6 relative; anything else (dates) compared as strings."""
    if isinstance(gold, (int, float)) and not isinstance(gold, bool):
        g, p = _number(gold), _number(pred)
        return g is not None and p is not None and math.isclose(g, p, rel_tol=REL_TOL, abs_tol=1e-9)
    if pred is None or isinstance(pred, (dict, list)):
        return False
    return _text_of(gold) == _text_of(pred)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _compatible(g: Item, p: Item, strict: bool) -> bool:
    if not _overlap(g.start, g.end, p.start, p.end):
        return False
    if g.kind is None or g.kind != p.kind or not same_value(g.value, p.value):
        return False
    return not strict or (g.unit == p.unit and g.qualifier == p.qualifier)


def match(golds: list, preds: list, strict: bool) -> dict:
    """{gold index: prediction index}: greedy, one-to-one, exact spans first, then the
    largest overlap, then the smallest distance between the ends, then reading order."""
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if _compatible(g, p, strict):
                exact = g.start == p.start and g.end == p.end
                ov = min(g.end, p.end) - max(g.start, p.start)
                dist = abs(g.start - p.start) + abs(g.end - p.end)
                pairs.append((0 if exact else 1, -ov, dist, gi, pi))
    pairs.sort()
    out: dict = {}
    taken: set = set()
    for *_, gi, pi in pairs:
        if gi not in out and pi not in taken:
            out[gi] = pi
            taken.add(pi)
    return out


def prf(tp: int, n_gold: int, n_pred: int) -> tuple:
    if n_gold == 0 and n_pred == 0:
        return 1.0, 1.0, 1.0
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# --- reading --------------------------------------------------------------------------

def _read_text(path: str, what: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except OSError as exc:
        raise GoldError(f"cannot read {what} {path}: {(exc.strerror or str(exc)).lower()}") from None
    except UnicodeDecodeError as exc:
        raise GoldError(f"{what} {path} is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _jsonl(data: str, where: str) -> list:
    rows = []
    for n, line in enumerate(data.split("\n"), 1):  # not splitlines(): U+2028 may sit in a string
        s = line.strip()
        if not s:
            continue
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}, line {n}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise GoldError(f"{where}, line {n}: expected a JSON object, got {type(obj).__name__}")
        rows.append((n, obj))
    return rows


def _offset(v: Any, name: str, where: str) -> int:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise GoldError(f"{where}: {name!r} must be an integer offset, got {v!r}")
    return v


def _span(obj: dict, text: str, where: str) -> tuple:
    s, e = _offset(obj.get("start"), "start", where), _offset(obj.get("end"), "end", where)
    if not 0 <= s < e <= len(text):
        raise GoldError(f"{where}: span [{s}, {e}) is empty or outside the text (length {len(text)})")
    if "text" in obj and obj["text"] != text[s:e]:
        raise GoldError(f"{where}: text {obj['text']!r} differs from the document's text[{s}:{e}] {text[s:e]!r}")
    return s, e


def load_gold(path: str) -> list:
    """The documents of a gold file; raises :class:`GoldError` naming the line at fault."""
    rows = _jsonl(_read_text(path, "gold file"), f"gold {path}")
    if not rows:
        raise GoldError(f"gold {path} holds no document")
    docs = []
    seen = set()
    for n, obj in rows:
        where = f"gold {path}, line {n}"
        did, text = obj.get("id"), obj.get("text")
        if not isinstance(did, str) or not did:
            raise GoldError(f"{where}: a document needs a non-empty string 'id'")
        if did in seen:
            raise GoldError(f"{where}: duplicate id {did!r}")
        seen.add(did)
        if not isinstance(text, str):
            raise GoldError(f"{where}: document {did} needs a string 'text'")
        claims = []
        for i, c in enumerate(obj.get("claims") or []):
            cw = f"{where}, claim {i}"
            if not isinstance(c, dict):
                raise GoldError(f"{cw}: expected an object")
            s, e = _span(c, text, cw)
            if _kind(c.get("kind")) is None or "value" not in c:
                raise GoldError(f"{cw}: a claim needs 'kind' and 'value'")
            claims.append(Item(s, e, _kind(c.get("kind")), c.get("value"), _unit(c.get("unit")),
                               _qualifier(c.get("qualifier")), text[s:e]))
        ignore = []
        for i, g in enumerate(obj.get("ignore") or []):
            gw = f"{where}, ignore {i}"
            if not isinstance(g, dict):
                raise GoldError(f"{gw}: expected an object")
            ignore.append(_span(g, text, gw))
        lang = obj.get("lang")
        src = obj.get("source")
        docs.append(GoldDoc(did, text, lang if isinstance(lang, str) and lang else None,
                            src if isinstance(src, str) and src else None, claims, ignore))
    return docs


def _names(d: GoldDoc) -> set:
    """What a prediction's ``doc`` may say to name this document."""
    out = {d.id}
    if d.source:
        base = os.path.basename(d.source.replace("\\", "/"))
        out |= {d.source, base, os.path.splitext(base)[0]}
    return out


def load_predictions(path: str, docs: list) -> dict:
    """{document id: [Item]} from a JSON Lines file of claim records (``doc`` names the document:
    its id, its ``source``, or a path whose file name, with or without extension, is one of them).
    A line holding a whole document (``id`` and ``claims``) gives all its claims."""
    rows = _jsonl(_read_text(path, "predictions file"), f"predictions {path}")
    by_name: dict = {}
    for d in docs:
        for name in _names(d):
            by_name.setdefault(name, set()).add(d.id)
    texts = {d.id: d.text for d in docs}
    out: dict = {d.id: [] for d in docs}
    unknown: dict = {}

    def lookup(doc: Any) -> Optional[str]:
        if doc is None:
            return docs[0].id if len(docs) == 1 else None
        name = str(doc).strip()
        base = os.path.basename(name.replace("\\", "/"))
        for key in (name, base, os.path.splitext(base)[0]):
            ids = by_name.get(key)
            if ids and len(ids) == 1:
                return next(iter(ids))
        return None

    def add(c: dict, doc: Any, where: str) -> None:
        if "start" not in c or "end" not in c:
            raise GoldError(f"{where}: a predicted claim needs 'start' and 'end'")
        s, e = _offset(c.get("start"), "start", where), _offset(c.get("end"), "end", where)
        did = lookup(doc)
        if did is None:
            unknown[str(doc)] = unknown.get(str(doc), 0) + 1
            return
        if not 0 <= s < e <= len(texts[did]):
            s, e = 0, 0  # overlaps nothing: a spurious prediction
        out[did].append(Item(s, e, _kind(c.get("kind")), c.get("value"), _unit(c.get("unit")),
                             _qualifier(c.get("qualifier")), c.get("text")))

    for n, obj in rows:
        where = f"predictions {path}, line {n}"
        if isinstance(obj.get("claims"), list) and "kind" not in obj:
            for c in obj["claims"]:
                if not isinstance(c, dict):
                    raise GoldError(f"{where}: 'claims' must hold objects")
                add(c, c.get("doc", obj.get("doc", obj.get("id"))), where)
        else:
            add(obj, obj.get("doc"), where)
    if unknown and not any(out.values()):
        raise GoldError(f"predictions {path}: no prediction names a gold document "
                        f"(they name: {', '.join(sorted(unknown)[:5])})")
    if unknown:
        print(f"coopfacts: warning: {sum(unknown.values())} predictions name documents not in the gold "
              f"and are left out: {', '.join(sorted(unknown)[:5])}", file=sys.stderr)
    return out


def predict(docs: list, rulebook: Any = None, reference_date: Any = None) -> dict:
    """{document id: [Item]}: the extractor run on each document, in its own language."""
    from coopfacts.engine import Engine, load

    out = {}
    for d in docs:
        claims = (Engine(rulebook) if rulebook else load()).extract(d.text, d.lang or "auto", doc=d.id, reference_date=reference_date)
        out[d.id] = [Item(c.start, c.end, _kind(c.kind), c.value, _unit(c.unit), _qualifier(c.qualifier), c.text)
                     for c in claims]
    return out


# --- scoring --------------------------------------------------------------------------

@dataclass
class DocResult:
    id: str
    source: Optional[str]
    gold: list
    predicted: list  # after the ignore spans and the kind filter
    dropped: int
    missed: list
    spurious: list
    loose: list  # (gold, prediction) matched but not strictly
    matched: int
    strict_matched: int


@dataclass
class EvalReport:
    tally: dict  # kind -> [gold, predicted, matched, strict matched]
    docs: list
    kinds: Optional[list]

    def figures(self) -> dict:
        n_gold = sum(v[0] for v in self.tally.values())
        n_pred = sum(v[1] for v in self.tally.values())
        tp = sum(v[2] for v in self.tally.values())
        stp = sum(v[3] for v in self.tally.values())
        p, r, f = prf(tp, n_gold, n_pred)
        sp, sr, sf = prf(stp, n_gold, n_pred)
        return {"gold": n_gold, "predicted": n_pred, "matched": tp, "strict_matched": stp,
                "precision": p, "recall": r, "f1": f,
                "strict_precision": sp, "strict_recall": sr, "strict_f1": sf}

    def per_kind(self) -> dict:
        out = {}
        for k in sorted(self.tally, key=_kind_order):
            g, pr, tp, stp = self.tally[k]
            p, r, f = prf(tp, g, pr)
            sp, sr, sf = prf(stp, g, pr)
            out[k if k is not None else "(none)"] = {
                "gold": g, "predicted": pr, "matched": tp, "strict_matched": stp,
                "precision": p, "recall": r, "f1": f,
                "strict_precision": sp, "strict_recall": sr, "strict_f1": sf}
        return out

    def to_dict(self, verbose: bool = False) -> dict:
        d = {"documents": len(self.docs), **self.figures(),
             "dropped_ignored": sum(r.dropped for r in self.docs), "kinds": self.kinds,
             "per_kind": self.per_kind(),
             "per_doc": {r.id: {"gold": len(r.gold), "predicted": len(r.predicted), "matched": r.matched,
                                "strict_matched": r.strict_matched, "dropped_ignored": r.dropped}
                         for r in self.docs}}
        if verbose:
            d["errors"] = {r.id: {"missed": [c.to_dict() for c in r.missed],
                                  "spurious": [c.to_dict() for c in r.spurious],
                                  "strict": [{"gold": g.to_dict(), "predicted": p.to_dict()} for g, p in r.loose]}
                           for r in self.docs}
        return d


def _kind_order(k: Optional[str]) -> tuple:
    if k is None:
        return (len(GUIDE_KINDS) + 1, "")
    return (GUIDE_KINDS.index(k), "") if k in GUIDE_KINDS else (len(GUIDE_KINDS), k)


def score(docs: list, predictions: dict, kinds: Optional[Iterable[str]] = None) -> EvalReport:
    wanted = {_kind(k) for k in kinds} if kinds is not None else None
    tally: dict = {}
    results = []
    for d in docs:
        kept, dropped = [], 0
        for p in predictions.get(d.id, []):
            if any(_overlap(p.start, p.end, s, e) for s, e in d.ignore):
                dropped += 1
            else:
                kept.append(p)
        golds = [g for g in d.claims if wanted is None or g.kind in wanted]
        preds = [p for p in kept if wanted is None or p.kind in wanted]
        m = match(golds, preds, strict=False)
        ms = match(golds, preds, strict=True)
        for g in golds:
            tally.setdefault(g.kind, [0, 0, 0, 0])[0] += 1
        for p in preds:
            tally.setdefault(p.kind, [0, 0, 0, 0])[1] += 1
        for gi in m:
            tally[golds[gi].kind][2] += 1
        for gi in ms:
            tally[golds[gi].kind][3] += 1
        used = set(m.values())
        results.append(DocResult(
            d.id, d.source, golds, preds, dropped,
            missed=[g for gi, g in enumerate(golds) if gi not in m],
            spurious=[p for pi, p in enumerate(preds) if pi not in used],
            loose=[(golds[gi], preds[m[gi]]) for gi in sorted(m) if gi not in ms],
            matched=len(m), strict_matched=len(ms)))
    return EvalReport(tally, results, sorted(wanted, key=_kind_order) if wanted is not None else None)


def evaluate(gold_path: str, *, kinds: Optional[Iterable[str]] = None, pred_path: Optional[str] = None,
             rulebook: Any = None) -> EvalReport:
    """Score the extractor (or the claims of ``pred_path``) against a gold file."""
    docs = load_gold(gold_path)
    preds = load_predictions(pred_path, docs) if pred_path else predict(docs, rulebook)
    return score(docs, preds, kinds)


# --- reports --------------------------------------------------------------------------

def _show(c: Item) -> str:
    bits = [str(c.kind), json.dumps(c.value, ensure_ascii=False)]
    if c.unit:
        bits.append(c.unit)
    bits.append(c.qualifier)
    return " ".join(bits)


def summary_line(fig: dict) -> str:
    return (f"F1 {fig['f1']:.3f} (P {fig['precision']:.3f} R {fig['recall']:.3f}) "
            f"strict-F1 {fig['strict_f1']:.3f}")


def format_text(report: EvalReport, texts: Optional[dict] = None, verbose: bool = False) -> str:
    lines = []
    if verbose:
        for r in report.docs:
            name = f" ({r.source})" if r.source else ""
            lines.append(f"== {r.id}{name}: gold {len(r.gold)}, predicted {len(r.predicted)}, matched {r.matched}, "
                         f"strict {r.strict_matched}, dropped on ignore spans {r.dropped}")
            for g in r.missed:
                lines.append(f"  missed   [{g.start}:{g.end}] «{g.text}» {_show(g)}")
            for p in r.spurious:
                shown = p.text if p.text is not None else ((texts or {}).get(r.id, "")[p.start:p.end])
                near = [g for g in r.gold if _overlap(g.start, g.end, p.start, p.end)]
                hint = ""
                if near:
                    g = near[0]
                    why = ("kind differs" if g.kind != p.kind else
                           "value differs" if not same_value(g.value, p.value) else "gold claim already matched")
                    hint = f"   (overlaps gold [{g.start}:{g.end}] {_show(g)}: {why})"
                lines.append(f"  spurious [{p.start}:{p.end}] «{shown}» {_show(p)}{hint}")
            for g, p in r.loose:
                diff = []
                if g.unit != p.unit:
                    diff.append(f"unit {g.unit} vs {p.unit}")
                if g.qualifier != p.qualifier:
                    diff.append(f"qualifier {g.qualifier} vs {p.qualifier}")
                lines.append(f"  strict   [{g.start}:{g.end}] «{g.text}» {_show(g)}: {'; '.join(diff)}")
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


# --- command ----------------------------------------------------------------------------

def register(app: Any) -> None:
    """Add ``coopfacts eval`` (gold scoring and, with ``--suite``, peer conformance) to ``app``."""
    from enum import Enum

    import typer

    from coopfacts.cli import app as cli

    class EvalFormat(str, Enum):
        table = "table"
        json = "json"

    @app.command("eval")
    @cli.guarded
    def eval_command(
        gold: Annotated[Optional[str], typer.Argument(
            metavar="[GOLD.jsonl]", help="Gold file (GUIDE.md format): one document a line with its claims.",
            show_default=False)] = None,
        suite: Annotated[Optional[str], typer.Option(
            "--suite", metavar="DIR", help="Run the peer conformance suites of DIR (*.jsonl case files) instead.")] = None,
        fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Report format.")] = EvalFormat.table,
        output: Annotated[Optional[str], typer.Option(
            "--output", "-o", metavar="FILE", help="Write the report to FILE (replaced only when complete).")] = None,
        kinds: Annotated[Optional[str], typer.Option(
            "--kinds", metavar="K1,K2", help="Gold: score only these kinds (gold and predictions alike).")] = None,
        verbose: Annotated[bool, typer.Option(
            "--verbose", "-v", help="Gold: list missed, spurious and strict-only mismatched claims per document.")] = False,
        pred: Annotated[Optional[str], typer.Option(
            "--pred", metavar="PRED.jsonl", help="Gold: score these claim records instead of running the extractor.")] = None,
        files: Annotated[Optional[list[str]], typer.Option(
            "--files", metavar="GLOB", help="Suite: only the case files matching GLOB (repeatable).")] = None,
        show: Annotated[int, typer.Option(
            "--show", metavar="N", min=0, help="Suite: show the first N failures of each file.")] = 5,
        exclude_disagreements: Annotated[bool, typer.Option(
            "--exclude-disagreements/--include-disagreements",
            help="Suite: leave out the cases listed in docs/peer-disagreements.md (reported apart).")] = True,
        disagreements: Annotated[Optional[str], typer.Option(
            "--disagreements", metavar="FILE", help="Suite: the list of disagreements to use.")] = None,
        rules: cli.RulesOpt = None,
    ) -> None:
        """Score extraction against a gold file (P/R/F1 per kind), or run the peers' suites (--suite)."""
        if (gold is None) == (suite is None):
            raise cli.usage_error("eval: give a gold file (coopfacts eval GOLD.jsonl) or --suite DIR, not both")
        if output is not None and os.path.isdir(output):
            raise cli.usage_error(f"-o: {output} is a directory")
        if output is not None and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
            raise cli.usage_error(f"-o: no such directory: {os.path.dirname(output)}")
        from coopfacts.rulebook import get_rulebook

        rb = get_rulebook(rules or None)
        if suite is not None:
            from coopfacts.evaluation import conformance

            for opt, given in (("--kinds", kinds), ("--pred", pred), ("--verbose", verbose)):
                if given:
                    raise cli.usage_error(f"{opt} applies to a gold file, not to --suite")
            if disagreements is not None and not os.path.isfile(disagreements):
                raise cli.usage_error(f"--disagreements: no such file: {disagreements}")
            try:
                report = conformance.run_suite(suite, files, exclude_disagreements=exclude_disagreements,
                                               disagreements=disagreements, rulebook=rb)
            except (FileNotFoundError, ValueError) as exc:
                raise cli.usage_error(f"--suite: {exc}") from None
            if not report.files:
                raise cli.usage_error(f"--suite: no case file (<peer>-<category>-<lang>.jsonl) in {suite}"
                                      + (f" matches {', '.join(files)}" if files else ""))
            text = (conformance.format_json(report, show) if fmt is EvalFormat.json
                    else conformance.format_text(report, show))
        else:
            for opt, given in (("--files", files), ("--disagreements", disagreements)):
                if given:
                    raise cli.usage_error(f"{opt} applies to --suite, not to a gold file")
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
                preds = load_predictions(pred, docs) if pred else predict(docs, rb)
            except GoldError as exc:
                raise cli.usage_error(str(exc)) from None
            report = score(docs, preds, wanted)
            if fmt is EvalFormat.json:
                text = json.dumps(report.to_dict(verbose), ensure_ascii=False) + "\n"
            else:
                text = format_text(report, {d.id: d.text for d in docs}, verbose)
        if output is None:
            cli._utf8_stdout()
        with cli._output(output) as out:
            out.write(text)
