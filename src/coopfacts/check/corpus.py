"""Scoring ``check`` on a check corpus: articles with the findings they should give.

A check corpus is JSON Lines (a file, or a directory of ``*.jsonl`` files), one article a line:
``{"id": ..., "lang": "fr", "text": ..., "expected": [{"finding": "change", "verdict":
"contradicted", "text": "40 %"}, ...]}``.  ``expected`` lists the findings the article should
give (``text``: a figure the finding quotes, or null for any); an article without ``expected``
(a real article, a gold file's document) should give no ``contradicted`` at all.

The figures (:class:`CheckScore`): **precision**, the contradicted findings that are planted
contradictions over all contradicted findings; **recall**, the planted contradictions caught
(on the stated figure) over all planted; the consistent findings expected and found; the
articles with nothing planted that stay free of any contradiction.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from coopfacts.check.document import check_document
from coopfacts.check.findings import Finding
from coopfacts.io.jsonl import json_object


class CheckCorpusError(ValueError):
    """A check corpus that cannot be read: the message names the file and line."""


@dataclass
class CheckCase:
    id: str
    lang: str
    text: str
    expected: list[dict] | None  # None: a real article, no contradiction expected
    reference_date: str | None = None
    source: str = ""


TEXT_SUFFIXES = (".txt", ".md")


def load_check_cases(path: str, skipped: list[str] | None = None) -> list[CheckCase]:
    """The articles of a check corpus: a JSON Lines file, or a directory of them and of plain
    text articles (``*.txt``, ``*.md``: real articles, where no contradiction is expected).  In a
    directory, a ``*.jsonl`` file whose records have no ``text`` (a gold file's claims, say) is
    not a check corpus: it is left out and named in ``skipped``."""
    if os.path.isdir(path):
        names = sorted(os.listdir(path))
        files = [os.path.join(path, f) for f in names if f.endswith(".jsonl")]
        texts = [os.path.join(path, f) for f in names if f.endswith(TEXT_SUFFIXES)]
        if not files and not texts:
            raise CheckCorpusError(f"{path}: no *.jsonl, *.txt or *.md file")
    elif os.path.isfile(path):
        files, texts = ([], [path]) if path.endswith(TEXT_SUFFIXES) else ([path], [])
    else:
        raise CheckCorpusError(f"{path}: no such file or directory")
    cases: list[CheckCase] = []
    seen: set[str] = set()
    for f in files:
        try:
            with open(f, encoding="utf-8-sig") as fh:
                lines = fh.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CheckCorpusError(f"{f}: cannot read: {exc}") from None
        if os.path.isdir(path) and not _is_check_corpus(lines):
            if skipped is not None:
                skipped.append(f)
            continue
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cases.append(_case(line, f, n, seen))
    for f in texts:
        try:
            with open(f, encoding="utf-8-sig") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CheckCorpusError(f"{f}: cannot read: {exc}") from None
        cases.append(CheckCase(f, "auto", text, None, None, f))
    if not cases:
        raise CheckCorpusError(f"{path}: no article")
    return cases


def _is_check_corpus(lines: list[str]) -> bool:
    """The first record of a JSON Lines file has an id and a text."""
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                return True  # let the reader name the line at fault
            return isinstance(obj, dict) and "text" in obj and "id" in obj
    return False


def _case(line: str, f: str, n: int, seen: set[str]) -> CheckCase:
    where = f"{f}:{n}"
    try:
        obj = json_object(line)
    except ValueError as exc:
        raise CheckCorpusError(f"{where}: {exc}") from None
    cid, text, lang = obj.get("id"), obj.get("text"), obj.get("lang", "auto")
    if not isinstance(cid, str) or not cid or cid in seen:
        raise CheckCorpusError(f"{where}: each article needs its own string 'id'")
    seen.add(cid)
    if not isinstance(text, str):
        raise CheckCorpusError(f"{where}: article {cid} needs a string 'text'")
    expected = obj.get("expected")
    if expected is not None:
        if not isinstance(expected, list) or not all(isinstance(e, dict) and e.get("finding") and e.get("verdict")
                                                      for e in expected):
            raise CheckCorpusError(f"{where}: 'expected' is a list of {{finding, verdict, text}} objects")
    ref = obj.get("reference_date", obj.get("doc_date"))
    return CheckCase(cid, str(lang or "auto"), text, expected, ref if isinstance(ref, str) else None, f)


def _matches(e: dict, f: Finding) -> bool:
    if f.finding != e["finding"] or f.verdict != e["verdict"]:
        return False
    return e.get("text") is None or any(s.get("text") == e["text"] for s in f.spans)


@dataclass
class CheckScore:
    """What ``check`` found on a check corpus, against what it should find."""

    articles: int = 0
    contradicted: int = 0  # contradicted findings, all
    real: int = 0  # ... that are planted contradictions
    planted: int = 0
    caught: int = 0
    consistent_expected: int = 0
    consistent_found: int = 0
    clean_articles: int = 0  # articles with nothing planted
    clean_kept: int = 0  # ... that give no contradiction
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)  # (article, finding, why)
    missed: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.real / self.contradicted if self.contradicted else 1.0

    @property
    def recall(self) -> float:
        return self.caught / self.planted if self.planted else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "contradicted": self.contradicted, "real": self.real,
                "planted": self.planted, "caught": self.caught, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "consistent_expected": self.consistent_expected,
                "consistent_found": self.consistent_found, "clean_articles": self.clean_articles,
                "clean_kept": self.clean_kept,
                "false_alarms": [{"id": i, "finding": k, "why": w} for i, k, w in self.false_alarms],
                "missed": [{"id": i, **e} for i, e in self.missed]}


def score_check_cases(cases: list[CheckCase], engine: Any) -> CheckScore:
    """Run extraction and ``check`` (internal findings) on each article and score the findings."""
    score = CheckScore()
    for case in cases:
        code = engine.language_of(case.text, case.lang)
        claims = engine.extract(case.text, code, doc=case.id, reference_date=case.reference_date)
        findings = check_document(claims, case.text, rulebook=engine.rulebook)
        score_one(score, case, findings)
    return score


def score_one(score: CheckScore, case: CheckCase, findings: list[Finding]) -> None:
    """Add one article's findings to ``score``."""
    score.articles += 1
    expected = case.expected or []
    planted = [e for e in expected if e["verdict"] == "contradicted"]
    if not planted:
        score.clean_articles += 1
    contradicted = [f for f in findings if f.verdict == "contradicted"]
    score.contradicted += len(contradicted)
    for f in contradicted:
        if any(_matches(e, f) for e in planted):
            score.real += 1
        else:
            score.false_alarms.append((case.id, f.finding, f.why))
    if not planted and not contradicted:
        score.clean_kept += 1
    for e in expected:
        found = any(_matches(e, f) for f in findings)
        if e["verdict"] == "contradicted":
            score.planted += 1
            score.caught += found
        elif e["verdict"] == "consistent":
            score.consistent_expected += 1
            score.consistent_found += found
        if not found:
            score.missed.append((case.id, e))


def check_score_text(name: str, s: CheckScore, verbose: bool = False, skipped: list[str] | None = None) -> str:
    """The figures of one corpus as lines of text (``verbose``: each false alarm and miss)."""
    lines = [f"check corpus {name}: {s.articles} articles"
             + (f" (left out, not check corpora: {', '.join(os.path.basename(x) for x in skipped)})"
                if skipped else ""),
             f"  contradicted {s.contradicted}, planted ones {s.real}: precision {s.precision:.3f}",
             f"  planted contradictions {s.planted}, caught {s.caught}: recall {s.recall:.3f}",
             f"  consistent findings expected {s.consistent_expected}, found {s.consistent_found}",
             f"  articles with nothing planted {s.clean_articles}, free of any contradiction {s.clean_kept}"]
    if verbose:
        lines += [f"  false alarm  {i} {k}: {w}" for i, k, w in s.false_alarms]
        lines += [f"  missed       {i} {e['finding']} {e['verdict']} «{e.get('text')}»" for i, e in s.missed]
    return "\n".join(lines) + "\n"
