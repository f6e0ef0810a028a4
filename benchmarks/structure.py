#!/usr/bin/env python3
"""The shape of the code: import floors and cycles between modules, the longest functions,
the largest modules. For the layered design (README, "How the code is laid out").

    python benchmarks/structure.py [--top 5]

Reads src/coopfacts with `ast` only (nothing is imported). An import inside a function
counts like one at the top: it is a dependency all the same.
"""
from __future__ import annotations

import argparse
import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join([*up, base] if base else up)
            # `from pkg import mod` depends on pkg.mod; `from mod import name`, on mod
            subs = [f"{base}.{a.name}" for a in node.names]
            targets = [t for t in subs if t in known] + ([base] if any(t not in known for t in subs) else [])
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in SRC.rglob("*.py")}
    known = set(files)
    return {m: imports_of(p, m, known) for m, p in files.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(g):
        if root in index:
            continue
        work = [(root, iter(sorted(g[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            nxt = next(it, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
                continue
            if nxt not in index:
                index[nxt] = low[nxt] = counter
                counter += 1
                stack.append(nxt)
                on.add(nxt)
                work.append((nxt, iter(sorted(g[nxt]))))
            elif nxt in on:
                low[v] = min(low[v], index[nxt])
    return out


def floors(g: dict[str, set[str]]) -> int:
    """The longest chain of imports, modules of one cycle counted as one floor (packages'
    ``__init__`` modules, which only re-export, left out)."""
    comp_of = {m: m for m in g}
    for comp in cycles(g):
        for m in comp:
            comp_of[m] = comp[0]
    dag: dict[str, set[str]] = {}
    for m, deps in g.items():
        dag.setdefault(comp_of[m], set()).update(comp_of[d] for d in deps if comp_of[d] != comp_of[m])
    memo: dict[str, int] = {}

    def depth(c: str) -> int:
        if c not in memo:
            memo[c] = 0
            memo[c] = 1 + max((depth(d) for d in dag.get(c, ())), default=0)
        return memo[c]

    return max(depth(c) for c in dag)


def functions() -> list[tuple[int, str]]:
    rows = []
    for p in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                rows.append((node.end_lineno - node.lineno + 1, f"{module_name(p)}.{node.name}"))
    return sorted(rows, reverse=True)


def modules() -> list[tuple[int, str]]:
    return sorted(((len(p.read_text(encoding="utf-8").splitlines()), module_name(p)) for p in SRC.rglob("*.py")),
                  reverse=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args()
    g = graph()
    cyc = cycles(g)
    print(f"modules: {len(g)}; import floors: {floors(g)}; cycles: {len(cyc)}")
    for c in cyc:
        print("  cycle:", " <-> ".join(c))
    print("longest functions:")
    for n, name in functions()[: args.top]:
        print(f"  {n:5d}  {name}")
    print("largest modules:")
    for n, name in modules()[: args.top]:
        print(f"  {n:5d}  {name}")


if __name__ == "__main__":
    main()
