"""Gold files and their scoring (``coopfacts eval GOLD.jsonl``).

A gold file is JSON Lines, one document a line, written as the team's gold
guide (``GUIDE.md``) says::

    {"id": "seed-004", "lang": "fa", "text": "…", "claims": [{"start": 735, "end": 741,
     "text": "44 همت", "kind": "money", "value": 44000000000000, "unit": "IRT",
     "qualifier": "exact"}], "ignore": [{"start": 235, "end": 240, "why": "article id"}]}

:func:`evaluate` runs the engine on each document's text (in the document's ``lang``;
``auto`` when it has none), or reads a file of claim records (``pred_path``), and scores
the claims:

* predictions overlapping an ``ignore`` span are dropped first;
* a prediction matches a gold claim when the spans overlap, the kinds are equal
  and the values are equal, one-to-one, exact spans first (:mod:`.matching`);
* the strict figure matches again, also demanding the same unit (missing = null)
  and qualifier (missing = ``exact``);
* precision, recall and F1 per kind (a gold claim counts for its kind, a
  prediction for its own) and over all kinds.

These are the rules of the team's reference scorer (``score.py``); the test suite
checks that both give the same figures.  :mod:`.report` writes a score as text or JSON.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from coopfacts.evaluation.matching import greedy_match, overlap, overlaps, prf, same_value
from coopfacts.io.jsonl import json_object

GUIDE_KINDS = ("count", "money", "percent", "quantity", "ratio", "date", "duration")


class GoldError(ValueError):
    """A gold or predictions file that cannot be used; ``str()`` says where and why."""


# --- records ------------------------------------------------------------------------

@dataclass
class Item:
    """A gold claim or a prediction, with its fields normalised for matching."""

    start: int
    end: int
    kind: str | None
    value: Any
    unit: str | None = None
    qualifier: str = "exact"
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
                "value": self.value, "unit": self.unit, "qualifier": self.qualifier}


@dataclass
class GoldDoc:
    id: str
    text: str
    lang: str | None = None
    source: str | None = None
    claims: list[Item] = field(default_factory=list)
    ignore: list[tuple[int, int]] = field(default_factory=list)  # (start, end)
    where: str = ""  # "gold FILE, line N": where the document was read (for errors found later)


def _kind(k: Any) -> str | None:
    if k is None:
        return None
    k = str(k).strip().lower()
    return k or None


def _unit(u: Any) -> str | None:
    if u is None:
        return None
    u = str(u).strip()
    return u or None


def _qualifier(q: Any) -> str:
    if q is None:
        return "exact"
    q = str(q).strip().lower()
    return q or "exact"


def _item(c: Any, start: int, end: int, text: str | None) -> Item:
    """A claim (a record's dict, or an object with the same attributes) as an :class:`Item`."""
    get = c.get if isinstance(c, dict) else lambda k: getattr(c, k)
    return Item(start, end, _kind(get("kind")), get("value"), _unit(get("unit")), _qualifier(get("qualifier")), text)


# --- reading --------------------------------------------------------------------------

def _read_text(path: str, what: str) -> str:
    """The file read whole (a FIFO or a device refused, at most WHOLE_LIMIT bytes: coopfacts.io)."""
    from coopfacts.io.failures import InputProblem
    from coopfacts.io.opening import WHOLE_LIMIT, open_input, read_limited

    try:
        if path == "-":
            data = read_limited(sys.stdin.buffer, WHOLE_LIMIT)
        else:
            fh, _ = open_input(path)
            with fh:
                data = read_limited(fh, WHOLE_LIMIT)
        return data.decode("utf-8-sig")
    except OSError as exc:
        raise GoldError(f"cannot read {what} {path}: {(exc.strerror or str(exc)).lower()}") from None
    except InputProblem as exc:
        raise GoldError(f"cannot read {what} {path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise GoldError(f"{what} {path} is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _jsonl(data: str, where: str) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for n, line in enumerate(data.split("\n"), 1):  # not splitlines(): U+2028 may sit in a string
        s = line.strip()
        if not s:
            continue
        try:
            rows.append((n, json_object(s)))
        except ValueError as exc:
            raise GoldError(f"{where}, line {n}: {exc}") from None
    return rows


def _offset(v: Any, name: str, where: str) -> int:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise GoldError(f"{where}: {name!r} must be an integer offset, got {v!r}")
    return v


def _span(obj: dict[str, Any], text: str, where: str) -> tuple[int, int]:
    s, e = _offset(obj.get("start"), "start", where), _offset(obj.get("end"), "end", where)
    if not 0 <= s < e <= len(text):
        raise GoldError(f"{where}: span [{s}, {e}) is empty or outside the text (length {len(text)})")
    if "text" in obj and obj["text"] != text[s:e]:
        raise GoldError(f"{where}: text {obj['text']!r} differs from the document's text[{s}:{e}] {text[s:e]!r}")
    return s, e


def load_gold(path: str) -> list[GoldDoc]:
    """The documents of a gold file; raises :class:`GoldError` naming the line at fault."""
    rows = _jsonl(_read_text(path, "gold file"), f"gold {path}")
    if not rows:
        raise GoldError(f"gold {path} holds no document")
    docs = []
    seen: set[str] = set()
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
            claims.append(_item(c, s, e, text[s:e]))
        ignore = []
        for i, g in enumerate(obj.get("ignore") or []):
            gw = f"{where}, ignore {i}"
            if not isinstance(g, dict):
                raise GoldError(f"{gw}: expected an object")
            ignore.append(_span(g, text, gw))
        lang = obj.get("lang")
        src = obj.get("source")
        docs.append(GoldDoc(did, text, lang if isinstance(lang, str) and lang else None,
                            src if isinstance(src, str) and src else None, claims, ignore, where))
    return docs


def _names(d: GoldDoc) -> set[str]:
    """What a prediction's ``doc`` may say to name this document."""
    out = {d.id}
    if d.source:
        base = os.path.basename(d.source.replace("\\", "/"))
        out |= {d.source, base, os.path.splitext(base)[0]}
    return out


def load_predictions(path: str, docs: list[GoldDoc]) -> dict[str, list[Item]]:
    """{document id: [Item]} from a JSON Lines file of claim records (``doc`` names the document:
    its id, its ``source``, or a path whose file name, with or without extension, is one of them).
    A line holding a whole document (``id`` and ``claims``) gives all its claims."""
    rows = _jsonl(_read_text(path, "predictions file"), f"predictions {path}")
    by_name: dict[str, set[str]] = {}
    for d in docs:
        for name in _names(d):
            by_name.setdefault(name, set()).add(d.id)
    texts = {d.id: d.text for d in docs}
    out: dict[str, list[Item]] = {d.id: [] for d in docs}
    unknown: dict[str, int] = {}

    def lookup(doc: Any) -> str | None:
        if doc is None:
            return docs[0].id if len(docs) == 1 else None
        name = str(doc).strip()
        base = os.path.basename(name.replace("\\", "/"))
        for key in (name, base, os.path.splitext(base)[0]):
            ids = by_name.get(key)
            if ids and len(ids) == 1:
                return next(iter(ids))
        return None

    def add(c: dict[str, Any], doc: Any, where: str) -> None:
        if "start" not in c or "end" not in c:
            raise GoldError(f"{where}: a predicted claim needs 'start' and 'end'")
        s, e = _offset(c.get("start"), "start", where), _offset(c.get("end"), "end", where)
        did = lookup(doc)
        if did is None:
            unknown[str(doc)] = unknown.get(str(doc), 0) + 1
            return
        if not 0 <= s < e <= len(texts[did]):
            s, e = 0, 0  # overlaps nothing: a spurious prediction
        out[did].append(_item(c, s, e, c.get("text")))

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


def predict(docs: list[GoldDoc], rulebook: Any = None, reference_date: Any = None) -> dict[str, list[Item]]:
    """{document id: [Item]}: the engine run on each document, in its own language."""
    from coopfacts.engine import Engine, load

    engine = Engine(rulebook) if rulebook is not None else load()
    out = {}
    for d in docs:
        if d.lang and d.lang != "auto" and d.lang not in engine.languages:
            raise GoldError(f"{d.where or 'document ' + d.id}: unknown language {d.lang!r}; rule files exist for: "
                            f"{', '.join(engine.languages)}")
        claims = engine.extract(d.text, d.lang or "auto", doc=d.id, reference_date=reference_date)
        out[d.id] = [_item(c, c.start, c.end, c.text) for c in claims]
    return out


# --- scoring --------------------------------------------------------------------------

def _compatible(g: Item, p: Item, strict: bool) -> bool:
    if not overlaps(g, p):
        return False
    if g.kind is None or g.kind != p.kind or not same_value(g.value, p.value):
        return False
    return not strict or (g.unit == p.unit and g.qualifier == p.qualifier)


def match(golds: list[Item], preds: list[Item], strict: bool) -> dict[int, int]:
    """{gold index: prediction index}: :func:`.matching.greedy_match` on spans, kinds and values
    (and, ``strict``, units and qualifiers)."""
    return greedy_match(golds, preds, lambda g, p: _compatible(g, p, strict))


@dataclass
class DocResult:
    id: str
    source: str | None
    gold: list[Item]
    predicted: list[Item]  # after the ignore spans and the kind filter
    dropped: int
    missed: list[Item]
    spurious: list[Item]
    loose: list[tuple[Item, Item]]  # (gold, prediction) matched but not strictly
    matched: int
    strict_matched: int


@dataclass
class EvalReport:
    """The score of a run: counts per kind, each document's errors, the kinds scored (None: all)."""

    tally: dict[str | None, list[int]]  # kind -> [gold, predicted, matched, strict matched]
    docs: list[DocResult]
    kinds: list[str] | None

    def figures(self) -> dict[str, Any]:
        n_gold = sum(v[0] for v in self.tally.values())
        n_pred = sum(v[1] for v in self.tally.values())
        tp = sum(v[2] for v in self.tally.values())
        stp = sum(v[3] for v in self.tally.values())
        p, r, f = prf(tp, n_gold, n_pred)
        sp, sr, sf = prf(stp, n_gold, n_pred)
        return {"gold": n_gold, "predicted": n_pred, "matched": tp, "strict_matched": stp,
                "precision": p, "recall": r, "f1": f,
                "strict_precision": sp, "strict_recall": sr, "strict_f1": sf}

    def per_kind(self) -> dict[str, dict[str, Any]]:
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

    def to_dict(self, verbose: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"documents": len(self.docs), **self.figures(),
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


def _kind_order(k: str | None) -> tuple[int, str]:
    if k is None:
        return (len(GUIDE_KINDS) + 1, "")
    return (GUIDE_KINDS.index(k), "") if k in GUIDE_KINDS else (len(GUIDE_KINDS), k)


def score(docs: list[GoldDoc], predictions: dict[str, list[Item]], kinds: Iterable[str] | None = None) -> EvalReport:
    """Score ``predictions`` ({document id: [Item]}) against the gold documents, on ``kinds`` or all."""
    wanted = {_kind(k) for k in kinds} if kinds is not None else None
    tally: dict[str | None, list[int]] = {}
    results = []
    for d in docs:
        kept: list[Item] = []
        dropped = 0
        for p in predictions.get(d.id, []):
            if any(overlap(p.start, p.end, s, e) for s, e in d.ignore):
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


def evaluate(gold_path: str, *, kinds: Iterable[str] | None = None, pred_path: str | None = None,
             rulebook: Any = None) -> EvalReport:
    """Score the extractor (or the claims of ``pred_path``) against a gold file."""
    docs = load_gold(gold_path)
    preds = load_predictions(pred_path, docs) if pred_path else predict(docs, rulebook)
    return score(docs, preds, kinds)
