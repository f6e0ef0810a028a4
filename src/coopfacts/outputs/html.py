"""A self-contained HTML report: the original text with each claim highlighted.

Interface (for ``extract``, ``check`` and anyone else)
------------------------------------------------------

``render_html(docs, verdicts=None, *, title=None, rulebook=None) -> str``
    One complete HTML document for a whole run (several documents get a table
    of contents).

    ``docs``: an iterable of :class:`ReportDoc` or of mappings with the same
    keys -- ``id`` (the document id, as in the claim records' ``doc``),
    ``lang`` (the language the text was read as), ``text`` (the ORIGINAL
    decoded text the claim offsets index; ``None`` when unknown: the claims are
    then listed without the article) and ``claims`` (``Claim`` objects or their
    ``to_dict()`` records).

    ``verdicts``: ``None`` or a mapping ``(doc_id, start, end) -> {"verdict":
    "supported" | "contradicted" | "unverified", "reason": str}``, or to a
    list of such dicts when several findings concern one claim: all are
    listed, the highlight is marked with the gravest (``model.SEVERITY``:
    contradicted, flagged, supported, consistent, unverified; other words are
    shown as written, in grey).  A claim record that carries ``verdict`` (and
    ``reason``) keys itself is marked the same way when the mapping has
    nothing for it.  Claims without a verdict get no mark.

    ``rulebook``: where a language's name, direction and digits are read
    (``Rulebook.info``); the packaged rules when ``None``.

``HtmlWriter(out, verdicts=None, title=None, rulebook=None)``
    The writer interface of :mod:`coopfacts.outputs.base` (``write(record)``,
    ``end_document()``, ``close()``) plus ``begin_document(doc_id, text,
    lang)``, which must come before a document's records so that the text can
    be shown.  ``write`` takes claim records and also finding records of
    ``coopfacts check`` (``Finding.to_dict()``: ``verdict``, ``why`` and the
    ``spans`` of the claims concerned), in any order: each finding becomes a
    verdict of every claim in its spans.  Everything is written at ``close()``.

What the page holds: a legend of the claim kinds (colour and name), per
document the text in paragraphs with ``lang`` and ``dir`` (the direction its
rule file gives the language; for a language without one, that of most of the
text's letters; a paragraph written only in the other direction's script gets
that direction), each claim as ``<mark class="claim k-KIND">`` around exactly
``text[start:end]`` (escaped, never normalised), and a sortable table of the
document's claims whose rows link to the highlights and back.  Hovering or
focusing a highlight shows kind, value (grouped in the reader's locale and in
the document's own digits), unit, qualifier, entity, rule id and verdict.  The
script and style (``report.js`` and ``report.css`` beside this module) are
inline and pinned by hashes in a Content-Security-Policy that allows nothing
else: the file loads nothing from the network and runs no other script.
"""
from __future__ import annotations

import base64
import hashlib
from importlib.resources import files
from typing import IO, Any, Iterable, Mapping

from coopfacts import __version__
from coopfacts.model import CLAIM_KINDS, SEVERITY
from coopfacts.outputs.base import Writer
from coopfacts.outputs.html_parts import DocLanguage, Item, ReportDoc, as_doc, doc_language, esc, section, token
from coopfacts.rulebook import Rulebook, get_rulebook

__all__ = ["CSS", "JS", "HtmlWriter", "ReportDoc", "render_html"]

# The verdicts of a reference table: the legend lists them even when none occurs; the others
# (consistent, flagged: checks within an article) only when they occur.
LEGEND_VERDICTS = ("supported", "contradicted", "unverified")


def _asset(name: str) -> str:
    # The element's text starts on a line of its own: the files hold it without that first newline.
    return "\n" + files("coopfacts.outputs").joinpath(name).read_text(encoding="utf-8")


CSS = _asset("report.css")  # the exact text of <style>, as hashed in the page's CSP
JS = _asset("report.js")  # the exact text of <script>, as hashed in the page's CSP


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


# --- the page's header --------------------------------------------------------------

def _kind_legend(all_items: list[list[Item]]) -> str:
    counts: dict[str, int] = {}
    for items in all_items:
        for it in items:
            counts[it.kind] = counts.get(it.kind, 0) + 1
    shown_kinds = list(CLAIM_KINDS) + sorted(k for k in counts if k not in CLAIM_KINDS)
    return "".join(
        f'<li><span class="swatch {("k-" + k) if k in CLAIM_KINDS else "k-other"}" aria-hidden="true"></span>'
        f'{esc(k)} ({counts.get(k, 0)})</li>' for k in shown_kinds)


def _verdict_legend(all_items: list[list[Item]]) -> str:
    vcounts: dict[str, int] = {}
    for items in all_items:
        for it in items:
            if it.verdict:
                vcounts[it.verdict] = vcounts.get(it.verdict, 0) + 1
    names = list(LEGEND_VERDICTS) + [v for v in SEVERITY if v in vcounts and v not in LEGEND_VERDICTS] \
        + sorted(v for v in vcounts if v not in SEVERITY)
    return ('<ul class="legend" aria-label="Verdicts">' + "".join(
        f'<li><span class="vchip v-{token(v)}">{esc(v)}</span> ({vcounts.get(v, 0)})</li>' for v in names)
        + "</ul>")


def _toc(docs: list[ReportDoc], languages: Mapping[str, DocLanguage], all_items: list[list[Item]]) -> str:
    return ('<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Documents</h2><ol>' + "".join(
        f'<li><a href="#doc{di}"><bdi>{esc(d.id)}</bdi></a>: {languages[d.lang].label}, '
        f'{len(items)} claim{"s" if len(items) != 1 else ""}</li>'
        for di, (d, items) in enumerate(zip(docs, all_items), 1)) + "</ol></nav>")


# --- the page -----------------------------------------------------------------------

def render_html(docs: Iterable[Any], verdicts: Mapping[tuple, Any] | None = None, *,
                title: str | None = None, rulebook: Rulebook | None = None) -> str:
    """The report for ``docs`` as one HTML document; see the module docstring."""
    docs = [as_doc(d) for d in docs]
    if rulebook is None:
        rulebook = get_rulebook()
    languages = {code: doc_language(code, rulebook) for code in dict.fromkeys(d.lang for d in docs)}
    with_verdicts = verdicts is not None or any(r.get("verdict") for d in docs for r in d.claims)
    sections, all_items = [], []
    for di, doc in enumerate(docs, 1):
        html_, items = section(doc, di, languages[doc.lang], verdicts, with_verdicts)
        sections.append(html_)
        all_items.append(items)
    n_claims = sum(len(items) for items in all_items)
    if title is None:
        title = f"coopfacts: {docs[0].id}" if len(docs) == 1 else f"coopfacts: {len(docs)} documents"
    toc = _toc(docs, languages, all_items) if len(docs) > 1 else ""
    first = "#toc-h" if toc else "#doc1"
    csp = (f"default-src 'none'; style-src {_csp_hash(CSS)}; script-src {_csp_hash(JS)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="coopfacts {esc(__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<a class="skip" href="{first}">Skip to the {"documents" if toc else "text"}</a>',
        '<div class="page">',
        '<header class="report-head">',
        f"<h1>{esc(title)}</h1>",
        f'<p class="summary">{len(docs)} document{"s" if len(docs) != 1 else ""}, '
        f'{n_claims} claim{"s" if n_claims != 1 else ""}; made by coopfacts {esc(__version__)}.</p>',
        f'<ul class="legend" aria-label="Claim kinds and their colours">{_kind_legend(all_items)}</ul>',
        _verdict_legend(all_items) if with_verdicts else "",
        '<p class="hint">Hover over a highlighted figure, or reach it with the Tab key, to see its details; '
        "follow it to its row in the claims table. Column headings sort the table.</p>",
        "</header>",
        toc,
        '<main id="main">' + ('<p class="note">No documents.</p>' if not docs else ""),
        *sections,
        "</main>",
        "</div>",
        f"<script>{JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


class HtmlWriter(Writer):
    """The writer interface of :mod:`coopfacts.outputs.base`; the report is written at :meth:`close`."""

    def __init__(self, out: IO[str], verdicts: Mapping[tuple, Any] | None = None, title: str | None = None,
                 rulebook: Rulebook | None = None):
        """``verdicts``: as for :func:`render_html`; ``{}`` makes a report of checks even before any finding."""
        super().__init__(out)
        self.verdicts: dict[tuple, list[Mapping[str, Any]]] | None = None
        if verdicts is not None:
            self.verdicts = {key: [found] if isinstance(found, Mapping) else list(found)
                             for key, found in verdicts.items()}
        self.title = title
        self.rulebook = rulebook
        self.docs: list[ReportDoc] = []
        self._open: ReportDoc | None = None

    def begin_document(self, doc_id: str, text: str | None, lang: str | None = None) -> None:
        self._open = ReportDoc(str(doc_id), lang or "", text)
        self.docs.append(self._open)

    def add_finding(self, finding: Mapping[str, Any]) -> None:
        """A finding of ``coopfacts check``: a verdict for every claim in its ``spans``."""
        reason = finding.get("why") or finding.get("reason")
        name = str(finding.get("finding") or "")
        if reason and name and name != "reference":
            reason = f"{name.replace('_', ' ')}: {reason}"
        verdict = {"verdict": finding.get("verdict"), "reason": reason}
        if self.verdicts is None:
            self.verdicts = {}
        for span in finding.get("spans") or [finding]:
            found = self.verdicts.setdefault((span.get("doc"), span.get("start"), span.get("end")), [])
            if verdict not in found:
                found.append(verdict)

    def write(self, record: dict) -> None:
        if "check" in record and "verdict" in record:  # a finding record, not a claim
            self.add_finding(record)
            return
        doc = self._open
        if doc is None or (record.get("doc") is not None and record.get("doc") != doc.id):
            # Records without begin_document: listed without their text.
            doc = ReportDoc(str(record.get("doc")), str(record.get("lang") or ""), None)
            self.docs.append(doc)
            self._open = doc
        if not doc.lang and record.get("lang"):
            doc.lang = str(record["lang"])
        doc.claims.append(dict(record))

    def end_document(self) -> None:
        self._open = None

    def close(self) -> None:
        self.out.write(render_html(self.docs, self.verdicts, title=self.title, rulebook=self.rulebook))
        self.out.flush()
