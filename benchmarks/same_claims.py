#!/usr/bin/env python3
"""Do two revisions find the same claims? For speed work, where the answer must be yes.

    python benchmarks/same_claims.py REV [--show 5]

Checks REV (any git revision) out into a temporary worktree and extracts, with it and with
this checkout, the claims of the project's texts (samples/, tests/dev/ articles and JSONL
sets, the shared seeds and peer-suite texts when ../shared is there) and of one long text
per language made of them all (long texts take other paths: anchors, calibration, windows).
Every field of every claim is compared, but fields REV's records do not have (a record that
grows new fields finds the same claims). Exit status 0 when all agree, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# run by each revision's own Python package (its src/ first on the path)
_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import coopfacts  # coopfacts.extract(text, lang): the function, in every revision
docs = json.load(open(sys.argv[2], encoding="utf-8"))
out = [[c.to_dict() for c in coopfacts.extract(d["text"], d["lang"])] for d in docs]
json.dump(out, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False, default=str)
"""


def _lang_of(name: str) -> str:
    for code in ("ar", "fa", "fr"):
        if f"{code}-" in name or f"-{code}" in name or f"/{code}/" in name:
            return code
    return "auto"


def documents() -> list[dict]:
    docs: list[dict] = []
    for d in (ROOT / "samples", ROOT / "tests" / "dev"):
        for p in sorted(d.glob("*.txt")):
            docs.append({"id": str(p.relative_to(ROOT)), "text": p.read_text(encoding="utf-8"), "lang": _lang_of(p.name)})
    jsonl = sorted((ROOT / "tests" / "dev").glob("*.jsonl"))
    if SHARED.is_dir():
        jsonl += [*sorted((SHARED / "gold").glob("*.jsonl")), *sorted((SHARED / "peer-suites").rglob("*.jsonl"))]
    for f in jsonl:
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines()):
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            text = rec.get("text") if isinstance(rec, dict) else None
            lang = rec.get("lang") or _lang_of(str(f)) if isinstance(rec, dict) else None
            if isinstance(text, str) and lang in ("ar", "fa", "fr"):
                docs.append({"id": f"{f.name}:{i + 1}", "text": text, "lang": lang})
    for code in ("ar", "fa", "fr"):
        docs.append({"id": f"all-{code}", "lang": code,
                     "text": "\n\n".join(d["text"] for d in docs if d["lang"] == code)})
    return docs


def claims_of(src: Path, docs_file: Path, out: Path) -> list:
    subprocess.run([sys.executable, "-c", _CHILD, str(src), str(docs_file), str(out)], check=True,
                   env={"COOPFACTS_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    return json.loads(out.read_text(encoding="utf-8"))


def _short(c: dict) -> str:
    return f"«{c['text']}» {c['kind']} {c['value']} {c.get('unit') or ''} {c.get('qualifier') or ''}".rstrip()


def _print_one_sided(rev: str, old: list[dict], new: list[dict]) -> None:
    """The claims one side finds and the other does not, in text order."""
    a, b = {_short(c): c for c in old}, {_short(c): c for c in new}
    for key in sorted(a.keys() - b.keys(), key=lambda k: a[k]["start"]):
        print(f"    - {rev}: {key}")
    for key in sorted(b.keys() - a.keys(), key=lambda k: b[k]["start"]):
        print(f"    + here: {key}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rev", help="the git revision to compare with (e.g. HEAD~3, main)")
    ap.add_argument("--show", type=int, default=5, help="differing documents to show")
    ap.add_argument("--claims", action="store_true",
                    help="for each differing document, every claim found by one side only (text, kind, value, "
                         "unit, qualifier), instead of the first differing record")
    args = ap.parse_args()
    docs = documents()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(t / "old"), args.rev], check=True)
        try:
            old = claims_of(t / "old" / "src", t / "docs.json", t / "old.json")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(t / "old")], check=False)
        new = claims_of(ROOT / "src", t / "docs.json", t / "new.json")
    new = [[{k: y.get(k) for k in x} for x, y in zip(a, b)] + b[len(a):] for a, b in zip(old, new)]
    differ = [(d, a, b) for d, a, b in zip(docs, old, new) if a != b]
    print(f"{len(docs)} documents, {sum(map(len, old))} claims with {args.rev}, {sum(map(len, new))} here: "
          f"{len(differ)} documents differ")
    for d, a, b in differ[: args.show]:
        print(f"  {d['id']}: {len(a)} -> {len(b)} claims")
        if args.claims:
            _print_one_sided(args.rev, a, b)
            continue
        for x, y in zip(a, b):
            if x != y:
                print(f"    {args.rev}: {json.dumps(x, ensure_ascii=False)[:300]}")
                print(f"    here: {json.dumps(y, ensure_ascii=False)[:300]}")
                break
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
