#!/usr/bin/env python3
"""Check the hand-written gold files against the annotation guide (shared/gold/GUIDE.md).

Checks samples/<name>.expected.jsonl + samples/<name>.ignore.jsonl (against samples/<name>.txt)
and the development sets tests/dev/dev.jsonl and tests/dev/dev2.jsonl (documents in the seeds.jsonl
format; where tests/dev/<source> exists, its text must equal the document's text; in dev2 every
document's source file must exist and its id must be "dev2-<lang>-<n>").

For every claim: integer offsets with 0 <= start < end <= len(text), text[start:end] == "text",
the exact field set, kind / qualifier / unit from the guide's sets, value type and shape
(dates ISO 8601 or XXXX-MM-DD, a Jalali year alone as the Jalali year), no two claims overlapping
and no claim overlapping an ignore span. Every run of digits (ASCII, Arabic-Indic, Persian) in a
text must lie inside a claim or an ignore span, so that nothing was forgotten. A document with a
doc_date must carry its dateline as an ignore span whose value is that doc_date.

Usage: python tests/dev/check_gold.py [-v]      (standard library only; exit 1 on any error)
"""
from __future__ import annotations

import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEV_DIR = os.path.join(ROOT, "tests", "dev")
SAMPLES_DIR = os.path.join(ROOT, "samples")

KINDS = {"count", "money", "percent", "quantity", "ratio", "date", "duration"}
QUALIFIERS = {"exact", "approx", "more_than", "at_least", "less_than", "at_most"}
DURATION_UNITS = {"year", "month", "week", "day", "hour"}
CALENDARS = {"gregorian", "jalali", "hijri"}
# ISO 4217 codes used in these files, plus IRT (Iranian toman, 10 rials) as the guide allows.
CURRENCIES = {"MAD", "DZD", "TND", "XOF", "XAF", "EUR", "USD", "IRR", "IRT", "AFN", "VND", "EGP", "MRU"}
# SI-like codes for quantities ("q" is the quintal, 100 kg, common in Maghreb farm news).
QUANTITY_UNITS = {"t", "kg", "g", "q", "ha", "km", "m", "mm", "m2", "km2", "m3", "l", "MW", "kWh"}
LANGS = {"ar", "fa", "fr"}

CLAIM_KEYS = {"start", "end", "text", "kind", "value", "unit", "qualifier"}
OPTIONAL_KEYS = {"count": {"entity"}, "date": {"calendar"}}
IGNORE_KEYS = {"start", "end", "text", "why"}
IGNORE_OPTIONAL = {"value", "calendar"}

DATE_RE = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$|^XXXX-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
JALALI_YEAR_RE = re.compile(r"^1[2-4]\d\d$")
DIGITS_RE = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+")


class Report:
    def __init__(self):
        self.errors = 0

    def err(self, where, msg):
        self.errors += 1
        print(f"ERROR {where}: {msg}")


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_span(rep, where, obj, text):
    s, e = obj.get("start"), obj.get("end")
    if not (isinstance(s, int) and isinstance(e, int)) or isinstance(s, bool) or isinstance(e, bool):
        rep.err(where, f"start/end must be integers, got {s!r}, {e!r}")
        return False
    if not 0 <= s < e <= len(text):
        rep.err(where, f"span [{s}, {e}) outside text of length {len(text)} or empty")
        return False
    if obj.get("text") != text[s:e]:
        rep.err(where, f"text {obj.get('text')!r} != text[{s}:{e}] {text[s:e]!r}")
        return False
    return True


def check_claim(rep, where, c, text):
    if not isinstance(c, dict):
        rep.err(where, "claim is not an object")
        return
    kind = c.get("kind")
    allowed = CLAIM_KEYS | OPTIONAL_KEYS.get(kind, set())
    missing, extra = CLAIM_KEYS - c.keys(), c.keys() - allowed
    if missing:
        rep.err(where, f"missing fields {sorted(missing)}")
    if extra:
        rep.err(where, f"unexpected fields {sorted(extra)} for kind {kind!r}")
    check_span(rep, where, c, text)
    if kind not in KINDS:
        rep.err(where, f"kind {kind!r} not in {sorted(KINDS)}")
        return
    if c.get("qualifier") not in QUALIFIERS:
        rep.err(where, f"qualifier {c.get('qualifier')!r} not in {sorted(QUALIFIERS)}")
    v, unit = c.get("value"), c.get("unit")
    if kind == "date":
        cal = c.get("calendar", "gregorian")
        if cal not in CALENDARS:
            rep.err(where, f"calendar {cal!r} not in {sorted(CALENDARS)}")
        if unit is not None:
            rep.err(where, "a date has unit null")
        if not isinstance(v, str):
            rep.err(where, f"date value must be a string, got {v!r}")
        elif cal == "jalali" and len(v) == 4:
            if not JALALI_YEAR_RE.match(v):
                rep.err(where, f"Jalali year {v!r} does not look like a Jalali year")
        elif not DATE_RE.match(v):
            rep.err(where, f"date value {v!r} is not YYYY, YYYY-MM, YYYY-MM-DD or XXXX-MM-DD")
        return
    if not is_number(v):
        rep.err(where, f"{kind} value must be a number, got {v!r}")
    elif v <= 0:
        rep.err(where, f"{kind} value must be positive, got {v!r}")
    if kind == "money" and unit not in CURRENCIES:
        rep.err(where, f"money unit {unit!r} not in {sorted(CURRENCIES)}")
    elif kind == "percent" and unit != "%":
        rep.err(where, f"percent unit must be '%', got {unit!r}")
    elif kind == "quantity" and unit not in QUANTITY_UNITS:
        rep.err(where, f"quantity unit {unit!r} not in {sorted(QUANTITY_UNITS)}")
    elif kind == "duration" and unit not in DURATION_UNITS:
        rep.err(where, f"duration unit {unit!r} not in {sorted(DURATION_UNITS)}")
    elif kind in ("count", "ratio") and unit is not None:
        rep.err(where, f"{kind} has unit null, got {unit!r}")
    if kind == "count" and "entity" in c and not (isinstance(c["entity"], str) and c["entity"].strip()):
        rep.err(where, "entity must be a non-empty string when given")


def check_ignore(rep, where, g, text):
    if not isinstance(g, dict):
        rep.err(where, "ignore entry is not an object")
        return
    missing, extra = IGNORE_KEYS - g.keys(), g.keys() - IGNORE_KEYS - IGNORE_OPTIONAL
    if missing:
        rep.err(where, f"missing fields {sorted(missing)}")
    if extra:
        rep.err(where, f"unexpected fields {sorted(extra)}")
    check_span(rep, where, g, text)
    if not (isinstance(g.get("why"), str) and g["why"].strip()):
        rep.err(where, "'why' must be a non-empty string")
    if "value" in g and not (isinstance(g["value"], str) and DATE_RE.match(g["value"])):
        rep.err(where, f"dateline value {g['value']!r} is not an ISO date")
    if "calendar" in g and g["calendar"] not in CALENDARS:
        rep.err(where, f"calendar {g['calendar']!r} not in {sorted(CALENDARS)}")


def check_document(rep, name, text, claims, ignore, verbose=False):
    if text.startswith("\ufeff"):
        rep.err(name, "text starts with a BOM")
    for i, c in enumerate(claims):
        check_claim(rep, f"{name} claim {i} {c.get('text')!r}" if isinstance(c, dict) else f"{name} claim {i}", c, text)
    for i, g in enumerate(ignore):
        check_ignore(rep, f"{name} ignore {i} {g.get('text')!r}" if isinstance(g, dict) else f"{name} ignore {i}", g, text)
    def good(o: object) -> bool:
        return isinstance(o, dict) and isinstance(o.get("start"), int) and isinstance(o.get("end"), int)

    spans = sorted([(c["start"], c["end"], "claim", c.get("text")) for c in claims if good(c)] +
                   [(g["start"], g["end"], "ignore", g.get("text")) for g in ignore if good(g)])
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            rep.err(name, f"{a[2]} {a[3]!r} [{a[0]},{a[1]}) overlaps {b[2]} {b[3]!r} [{b[0]},{b[1]})")
    covered = bytearray(len(text))
    for s, e, _, _ in spans:
        covered[max(s, 0):max(e, 0)] = b"\x01" * (max(e, 0) - max(s, 0))
    for m in DIGITS_RE.finditer(text):
        if not all(covered[m.start():m.end()]):
            ctx = text[max(0, m.start() - 20):m.end() + 20].replace("\n", " ")
            rep.err(name, f"digits {m.group()!r} at {m.start()} are in no claim and no ignore span: …{ctx}…")
    if verbose:
        print(f"  {name}: {len(claims)} claims, {len(ignore)} ignore spans")
    return claims


def read_jsonl(rep, path):
    rows = []
    with open(path, encoding="utf-8") as fh:
        data = fh.read()
    if data.startswith("\ufeff"):
        rep.err(path, "file starts with a BOM")
        data = data.lstrip("\ufeff")
    for n, line in enumerate(data.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            rep.err(f"{path}:{n}", f"invalid JSON: {e.msg}")
    return rows


def check_samples(rep, verbose):
    stats = []
    txts = sorted(glob.glob(os.path.join(SAMPLES_DIR, "*.txt")))
    for txt in txts:
        name = os.path.basename(txt)[:-4]
        exp = os.path.join(SAMPLES_DIR, name + ".expected.jsonl")
        ign = os.path.join(SAMPLES_DIR, name + ".ignore.jsonl")
        if not os.path.exists(exp):
            continue  # a sample without gold is not ours to check
        with open(txt, encoding="utf-8") as fh:
            text = fh.read()
        claims = read_jsonl(rep, exp)
        ignore = read_jsonl(rep, ign) if os.path.exists(ign) else []
        lang = name.split("-")[0]
        check_document(rep, f"samples/{name}", text, claims, ignore, verbose)
        stats.append((lang, claims))
    return stats


def check_dev(rep, verbose, filename="dev.jsonl", id_prefix=None, require_source=False):
    path = os.path.join(DEV_DIR, filename)
    stats = []
    if not os.path.exists(path):
        rep.err(path, "missing")
        return stats
    seen = set()
    for n, d in enumerate(read_jsonl(rep, path), 1):
        where = f"{filename} line {n}"
        if not isinstance(d, dict):
            rep.err(where, "not an object")
            continue
        did = d.get("id")
        if not isinstance(did, str) or not did or did in seen:
            rep.err(where, f"id {did!r} missing or duplicated")
        seen.add(did)
        where = f"{filename[:-6]} {did}"
        if id_prefix and isinstance(did, str) and not re.match(rf"^{re.escape(id_prefix)}-(ar|fa|fr)-\d+$", did):
            rep.err(where, f"id must look like {id_prefix}-<lang>-<n>")
        if id_prefix and isinstance(did, str) and did.split("-")[1:2] != [d.get("lang")]:
            rep.err(where, f"id {did!r} does not name lang {d.get('lang')!r}")
        extra = d.keys() - {"id", "lang", "source", "doc_date", "text", "claims", "ignore"}
        if extra:
            rep.err(where, f"unexpected fields {sorted(extra)}")
        if d.get("lang") not in LANGS:
            rep.err(where, f"lang {d.get('lang')!r} not in {sorted(LANGS)}")
        text = d.get("text")
        if not isinstance(text, str):
            rep.err(where, "text must be a string")
            continue
        if "doc_date" in d and not (isinstance(d["doc_date"], str) and re.match(r"^\d{4}-\d{2}-\d{2}$", d["doc_date"])):
            rep.err(where, f"doc_date {d['doc_date']!r} is not YYYY-MM-DD")
        src = d.get("source")
        if require_source and not (isinstance(src, str) and os.path.exists(os.path.join(DEV_DIR, src))):
            rep.err(where, f"source {src!r} missing from tests/dev")
        if isinstance(src, str) and os.path.exists(os.path.join(DEV_DIR, src)):
            with open(os.path.join(DEV_DIR, src), encoding="utf-8") as fh:
                if fh.read() != text:
                    rep.err(where, f"text differs from tests/dev/{src}")
        claims, ignore = d.get("claims"), d.get("ignore", [])
        if not isinstance(claims, list) or not isinstance(ignore, list):
            rep.err(where, "claims and ignore must be lists")
            continue
        check_document(rep, where, text, claims, ignore, verbose)
        if "doc_date" in d and not any(isinstance(g, dict) and g.get("value") == d["doc_date"] for g in ignore):
            rep.err(where, f"doc_date {d['doc_date']!r} but no dateline ignore span with that value")
        stats.append((d.get("lang"), claims))
    return stats


def summary(title, stats):
    langs = sorted({lang for lang, _ in stats})
    print(f"{title}: {len(stats)} documents, {sum(len(c) for _, c in stats)} claims")
    for lang in langs:
        counts = {}
        for lg, claims in stats:
            if lg == lang:
                for c in claims:
                    if isinstance(c, dict):
                        counts[c.get("kind")] = counts.get(c.get("kind"), 0) + 1
        total = sum(counts.values())
        print(f"  {lang}: {total} claims  " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts, key=str)))


def main(argv):
    verbose = "-v" in argv
    rep = Report()
    s = check_samples(rep, verbose)
    d = check_dev(rep, verbose)
    d2 = check_dev(rep, verbose, "dev2.jsonl", id_prefix="dev2", require_source=True)
    summary("samples", s)
    summary("dev", d)
    summary("dev2", d2)
    if rep.errors:
        print(f"FAILED: {rep.errors} error(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
