"""A self-contained HTML report: the original text with each claim highlighted.

Interface (for ``extract``, ``check`` and anyone else)
------------------------------------------------------

``render_html(docs, verdicts=None, *, title=None) -> str``
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
    listed, the highlight is marked with the gravest (:data:`SEVERITY`:
    contradicted, flagged, supported, consistent, unverified; other words are
    shown as written, in grey).  A claim record that carries ``verdict`` (and
    ``reason``) keys itself is marked the same way when the mapping has
    nothing for it.  Claims without a verdict get no mark.

``HtmlWriter(out, verdicts=None, title=None)``
    The writer interface of :mod:`coopfacts.output` (``write(record)``,
    ``end_document()``, ``close()``) plus ``begin_document(doc_id, text,
    lang)``, which must come before a document's records so that the text can
    be shown.  ``write`` takes claim records and also finding records of
    ``coopfacts check`` (``Finding.to_dict()``: ``verdict``, ``why`` and the
    ``spans`` of the claims concerned), in any order: each finding becomes a
    verdict of every claim in its spans.  Everything is written at ``close()``.

What the page holds: a legend of the claim kinds (colour and name), per
document the text in paragraphs with ``lang`` and ``dir`` (``rtl`` for
Arabic-script languages; a paragraph written only in the other direction's
script gets that direction), each claim as ``<mark class="claim k-KIND">``
around exactly ``text[start:end]`` (escaped, never normalised), and a
sortable table of the document's claims whose rows link to the highlights and
back.  Hovering or focusing a highlight shows kind, value (grouped in the
reader's locale and in the document's own digits), unit, qualifier, entity,
rule id and verdict.  The script and style are inline and pinned by hashes in
a Content-Security-Policy that allows nothing else: the file loads nothing
from the network and runs no other script.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any, Iterable, Mapping

from coopfacts import __version__
from coopfacts.model import FIELDS
from coopfacts.outputs.writers import Writer

KINDS = ("count", "money", "percent", "ratio", "duration", "quantity", "date")
VERDICTS = ("supported", "contradicted", "unverified")
# Which verdict marks a highlight that has several: the gravest first.
SEVERITY = ("contradicted", "flagged", "supported", "consistent", "unverified")
LANGUAGE_NAMES = {"ar": "Arabic", "fa": "Persian", "fr": "French"}
RTL_LANGS = {"ar", "fa", "ur", "ps", "ckb", "he", "yi", "dv", "ug", "sd"}
# Digits a language writes its figures in, as Unicode numbering-system ids (Intl's "nu").
NUMBERING = {"ar": "arab", "fa": "arabext", "ur": "arabext", "ps": "arabext"}
QUALIFIER_LABELS = {"exact": "exact", "approx": "about", "more_than": "more than", "at_least": "at least",
                    "less_than": "less than", "at_most": "at most"}

# A blank line (spaces allowed) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\r?\n(?:[^\S\r\n]*\r?\n)+")
# Characters HTML cannot carry as text: shown as control pictures (or U+FFFD for lone surrogates).
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass
class ReportDoc:
    id: str
    lang: str
    text: str | None
    claims: list[dict[str, Any]] = field(default_factory=list)


# --- small helpers ------------------------------------------------------------------

def _showable(match: re.Match) -> str:
    c = ord(match.group())
    if 0xD800 <= c <= 0xDFFF:
        return "\ufffd"
    return "\u2421" if c == 0x7F else chr(0x2400 + c)


def esc(s: Any) -> str:
    """Text for an HTML text node or quoted attribute: escaped, characters otherwise untouched."""
    return _UNSHOWABLE.sub(_showable, html.escape("" if s is None else str(s), quote=True))


def _token(s: Any) -> str:
    """A string reduced to a safe CSS class / id fragment."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(s).lower()).strip("-") or "x"


def _clean(v: Any) -> Any:
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _plain_value(v: Any) -> str:
    """The value as shown without script (the script regroups it for the reader)."""
    v = _clean(v)
    if _is_number(v):
        try:
            return format(v, ",")
        except (ValueError, OverflowError):
            return str(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else str(v)


def _direction(lang: str, text: str) -> str:
    if lang in RTL_LANGS:
        return "rtl"
    if lang in LANGUAGE_NAMES:
        return "ltr"
    rtl, ltr = _strong_counts(text)
    return "rtl" if rtl > ltr else "ltr"


def _strong_counts(text: str) -> tuple[int, int]:
    rtl = ltr = 0
    for ch in text:
        b = unicodedata.bidirectional(ch)
        if b in ("R", "AL"):
            rtl += 1
        elif b == "L":
            ltr += 1
    return rtl, ltr


def _paragraph_direction(doc_dir: str, para: str) -> str:
    """The document's direction unless the paragraph holds only the other direction's letters."""
    rtl, ltr = _strong_counts(para)
    if doc_dir == "rtl" and rtl == 0 and ltr > 0:
        return "ltr"
    if doc_dir == "ltr" and ltr == 0 and rtl > 0:
        return "rtl"
    return doc_dir


def _as_record(claim: Any) -> dict[str, Any]:
    return claim.to_dict() if hasattr(claim, "to_dict") else dict(claim)


def _as_doc(d: Any) -> ReportDoc:
    if isinstance(d, ReportDoc):
        return ReportDoc(d.id, d.lang, d.text, [_as_record(c) for c in d.claims])
    return ReportDoc(str(d["id"]), str(d.get("lang") or ""), d.get("text"),
                     [_as_record(c) for c in d.get("claims") or ()])


# --- one claim ----------------------------------------------------------------------

@dataclass
class _Item:
    """A claim as placed in the report."""

    n: int  # 1-based, in text order
    rec: dict[str, Any]
    key: str  # "<doc index>-<n>": ids c<key> (highlight), r<key> (row), x<key> (description)
    verdicts: list[tuple[str, str | None]] = field(default_factory=list)  # (verdict, reason)
    problem: str | None = None  # why it is not highlighted

    @property
    def verdict(self) -> str | None:
        """The verdict the highlight is marked with: the gravest."""
        if not self.verdicts:
            return None
        rank = {v: i for i, v in enumerate(SEVERITY)}
        return min((v for v, _ in self.verdicts), key=lambda v: rank.get(v, len(SEVERITY) - 1.5))

    @property
    def kind(self) -> str:
        return str(self.rec.get("kind") or "")

    @property
    def kind_class(self) -> str:
        return f"k-{self.kind}" if self.kind in KINDS else "k-other"


def _value_html(rec: dict[str, Any], lang: str, own: bool) -> str:
    """The value: plain text now; the script regroups numbers (reader's locale, or document digits if ``own``)."""
    v = _clean(rec.get("value"))
    attrs = f' data-value="{esc(v)}" data-lang="{esc(lang)}" data-nu="{NUMBERING.get(lang, "latn")}"'
    if _is_number(v):
        attrs += " data-num"
    cls = "val own" if own else "val"
    extra = f' lang="{esc(lang)}"' if own else ""
    return f'<span class="{cls}"{attrs}{extra}>{esc(_plain_value(v))}</span>'


def _unit_text(rec: dict[str, Any]) -> str:
    unit, written = rec.get("unit"), rec.get("unit_text")
    if unit and written and written != unit:
        return f"{esc(unit)} (<bdi>{esc(written)}</bdi>)"
    return esc(unit or written or "")


_DESCRIBED = {*FIELDS, "calendar", "gregorian_years", "gregorian_range", "range", "verdict", "reason"}


def _verdict_list(item: _Item) -> str:
    """Each verdict with its reason, the gravest first."""
    rank = {v: i for i, v in enumerate(SEVERITY)}
    ordered = sorted(item.verdicts, key=lambda vr: rank.get(vr[0], len(SEVERITY) - 1.5))
    return "".join(
        f'<span class="verdict"><span class="vchip v-{_token(v)}">{esc(v)}</span>'
        + (f' <span class="reason">{esc(reason)}</span>' if reason else "") + "</span>"
        for v, reason in ordered)


def _description(item: _Item, lang: str, doc_dir: str) -> str:
    """The details of a claim: tooltip content and the highlight's accessible description."""
    r = item.rec
    rows = [("Kind", f'<span class="chip {item.kind_class}">{esc(item.kind)}</span>'),
            ("Value", _value_html(r, lang, own=False) + ' <span class="sep" aria-hidden="true">·</span> '
                      + f'<bdi dir="{doc_dir}">{_value_html(r, lang, own=True)}</bdi>')]
    unit = _unit_text(r)
    if unit:
        rows.append(("Unit", unit))
    q = str(r.get("qualifier") or "exact")
    rows.append(("Qualifier", esc(QUALIFIER_LABELS.get(q, q))))
    if r.get("entity"):
        rows.append(("Entity", f'<bdi lang="{esc(lang)}">{esc(r["entity"])}</bdi>'))
    for key, label in (("calendar", "Calendar"), ("gregorian_years", "Gregorian years"),
                       ("gregorian_range", "Gregorian range"), ("range", "Range id")):
        extra = r.get(key)
        if extra not in (None, "", []):
            shown = ", ".join(str(_clean(x)) for x in extra) if isinstance(extra, (list, tuple)) else str(_clean(extra))
            rows.append((label, esc(shown)))
    for key, extra in r.items():  # fields added since (change, compared_to...): shown as they come
        if key in _DESCRIBED or extra in (None, "", [], {}, False):
            continue
        shown = ("yes" if extra is True else json.dumps(extra, ensure_ascii=False) if isinstance(extra, dict)
                 else ", ".join(map(str, extra)) if isinstance(extra, list) else str(_clean(extra)))
        rows.append((esc(key.replace("_", " ").capitalize()), esc(shown)))
    rows.append(("Rule", f"<code>{esc(r.get('rule') or '')}</code>"))
    if item.verdicts:
        rows.append(("Verdict" if len(item.verdicts) == 1 else "Verdicts", _verdict_list(item)))
    if item.problem:
        rows.append(("Note", esc(item.problem)))
    body = "".join(f'<dt>{k}:</dt><dd>{v}<span class="sr-only">;</span></dd>' for k, v in rows)
    return (f'<div class="desc" id="x{item.key}"><p class="desc-h">Claim {item.n}: '
            f'<bdi lang="{esc(lang)}">{esc(r.get("text"))}</bdi></p><dl>{body}</dl></div>')


# --- one document -------------------------------------------------------------------

def _place(text: str | None, items: list[_Item]) -> list[_Item]:
    """The claims that can be highlighted, in text order; the others get a ``problem``."""
    placed: list[_Item] = []
    end = 0
    for it in items:
        s, e = it.rec.get("start"), it.rec.get("end")
        if text is None:
            it.problem = "the original text is not part of this report"
        elif not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            it.problem = f"not highlighted: span {s}-{e} lies outside the text"
        elif text[s:e] != it.rec.get("text"):
            it.problem = f"not highlighted: the text at {s}-{e} is not the claim's text"
        elif s < end:
            prev = placed[-1]
            it.problem = f"not highlighted: overlaps claim {prev.n}"
        else:
            placed.append(it)
            end = e
    return placed


def _paragraphs(text: str, placed: list[_Item]) -> list[tuple[int, int]]:
    """Paragraph spans: blank lines split, except where a highlighted claim spans them."""
    spans, start = [], 0
    claims = [(it.rec["start"], it.rec["end"]) for it in placed]
    j = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        while j < len(claims) and claims[j][1] <= m.start():
            j += 1
        if j < len(claims) and claims[j][0] < m.end():
            continue  # a claim reaches into this break: keep the paragraph whole
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _mark(item: _Item, text: str) -> str:
    s, e = item.rec["start"], item.rec["end"]
    v = f" v-{_token(item.verdict)}" if item.verdict else ""
    return (f'<mark class="claim {item.kind_class}{v}" id="c{item.key}" data-n="{item.n}" '
            f'data-start="{s}" data-end="{e}"><a href="#r{item.key}" aria-describedby="x{item.key}">'
            f"{esc(text[s:e])}</a></mark>")


def _article(doc: ReportDoc, di: int, placed: list[_Item], doc_dir: str) -> str:
    text = doc.text or ""
    out = [f'<article class="text" id="t{di}" lang="{esc(doc.lang)}" dir="{doc_dir}" '
           f'aria-label="Text of document {di}">']
    k = 0
    for ps, pe in _paragraphs(text, placed):
        para_dir = _paragraph_direction(doc_dir, text[ps:pe])
        parts, pos = [], ps
        while k < len(placed) and placed[k].rec["start"] < pe:
            it = placed[k]
            parts.append(esc(text[pos:it.rec["start"]]))
            parts.append(_mark(it, text))
            pos = it.rec["end"]
            k += 1
        parts.append(esc(text[pos:pe]))
        out.append(f'<p dir="{para_dir}">{"".join(parts)}</p>')
    out.append("</article>")
    return "".join(out)  # no text between paragraphs: the article's text is the document's


_COLUMNS = (("n", "#"), ("text", "Claim"), ("kind", "Kind"), ("value", "Value"), ("qualifier", "Qualifier"),
            ("entity", "Entity"))  # the rule id is in each claim's details


def _table(doc: ReportDoc, di: int, items: list[_Item], placed_keys: set[str], with_verdicts: bool) -> str:
    cols = list(_COLUMNS)
    if with_verdicts:
        cols.insert(2, ("verdict", "Verdict"))  # next to the claim: what a checker reads first
    sort_attr = ' aria-sort="ascending"'
    head = "".join(
        f'<th scope="col"{sort_attr if i == 0 else ""}>'
        f'<button type="button" data-col="{i}">{label}<span class="arrow" aria-hidden="true"></span></button></th>'
        for i, (_, label) in enumerate(cols))
    rows = []
    for it in items:
        r = it.rec
        v = _clean(r.get("value"))
        claim_text = f'<bdi lang="{esc(doc.lang)}">{esc(r.get("text"))}</bdi>'
        if it.key in placed_keys:
            claim_cell = f'<a href="#c{it.key}" aria-describedby="x{it.key}">{claim_text}</a>'
        else:
            claim_cell = f'{claim_text} <span class="problem">{esc(it.problem)}</span>'
        unit = esc(r.get("unit") or r.get("unit_text") or "")
        q = str(r.get("qualifier") or "exact")
        cells = [
            (str(it.n), str(it.n)),
            (esc(r.get("text")), claim_cell),
            (esc(it.kind), f'<span class="chip {it.kind_class}">{esc(it.kind)}</span>'),
            (esc(v if _is_number(v) else _plain_value(v)),
             _value_html(r, doc.lang, own=False) + (f' <span class="unit">{unit}</span>' if unit else "")),
            (esc(q), esc(QUALIFIER_LABELS.get(q, q))),
            (esc(r.get("entity") or ""), f'<bdi lang="{esc(doc.lang)}">{esc(r.get("entity") or "")}</bdi>'),
        ]
        if with_verdicts:
            rank = SEVERITY.index(it.verdict) if it.verdict in SEVERITY else len(SEVERITY) - 1.5
            cells.insert(2, (f"{rank}" if it.verdict else "", _verdict_list(it)))  # sorted gravest first
        vcell = ' class="vcell"'
        tds = "".join(f'<td data-sort="{sort}"{vcell if with_verdicts and i == 2 else ""}>{shown}</td>'
                      for i, (sort, shown) in enumerate(cells))
        rows.append(f'<tr id="r{it.key}" data-n="{it.n}">{tds}</tr>')
    return (f'<div class="scroll" role="region" tabindex="0" aria-labelledby="h{di}-claims">'
            f'<table class="claims" id="tab{di}"><caption class="sr-only">Claims of document {di}; '
            f"the column buttons sort the table</caption><thead><tr>{head}</tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _language_label(lang: str) -> str:
    name = LANGUAGE_NAMES.get(lang)
    return f"{name} ({esc(lang)})" if name else esc(lang or "unknown language")


def _verdicts_of(found: Any) -> list[tuple[str, str | None]]:
    found = [found] if isinstance(found, Mapping) else list(found or ())
    return [(str(f["verdict"]), str(f["reason"]) if f.get("reason") else None) for f in found if f.get("verdict")]


def _section(doc: ReportDoc, di: int, verdicts: Mapping[tuple, Any] | None,
             with_verdicts: bool) -> tuple[str, list[_Item]]:
    recs = sorted(doc.claims, key=lambda r: (r.get("start") if isinstance(r.get("start"), int) else -1,
                                             r.get("end") if isinstance(r.get("end"), int) else -1))
    items = []
    for n, rec in enumerate(recs, 1):
        it = _Item(n, rec, f"{di}-{n}")
        it.verdicts = _verdicts_of((verdicts or {}).get((doc.id, rec.get("start"), rec.get("end")))) \
            or _verdicts_of(rec)
        items.append(it)
    doc_dir = _direction(doc.lang, doc.text or "")
    placed = _place(doc.text, items)
    placed_keys = {it.key for it in placed}
    n = len(items)
    head = (f'<header class="doc-head"><h2 id="h{di}"><bdi>{esc(doc.id)}</bdi></h2>'
            f'<p class="meta">{_language_label(doc.lang)}, {"right-to-left" if doc_dir == "rtl" else "left-to-right"}; '
            f'{n} claim{"s" if n != 1 else ""}'
            + (f'<span class="skip-table">; <a href="#tab{di}">skip to the claims table</a></span>' if n else "")
            + "</p></header>")
    if doc.text is None:
        article = '<p class="note">The original text is not part of this report.</p>'
    else:
        article = _article(doc, di, placed, doc_dir)
    table = _table(doc, di, items, placed_keys, with_verdicts) if items else '<p class="note">No claims found.</p>'
    descs = "".join(_description(it, doc.lang, doc_dir) for it in items)
    html_ = (f'<section class="doc" id="doc{di}" aria-labelledby="h{di}" data-lang="{esc(doc.lang)}" '
             f'data-dir="{doc_dir}">{head}<div class="doc-body">{article}'
             f'<aside class="side" aria-labelledby="h{di}-claims"><h3 id="h{di}-claims">Claims in document {di}</h3>'
             f'{table}</aside></div><div class="descs" hidden>{descs}</div></section>')
    return html_, items


# --- the page -----------------------------------------------------------------------

CSS = """
:root{color-scheme:light;--fg:#1b1b1b;--muted:#4a4a4a;--line:#bdbdbd;--accent:#0b57d0;--paper:#fff;
font-family:system-ui,"Segoe UI","Noto Sans","DejaVu Sans",sans-serif}
*{box-sizing:border-box}
body{margin:0;background:var(--paper);color:var(--fg);line-height:1.5}
.page{max-width:96rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:0;overflow-wrap:anywhere}h3{font-size:1.05rem;margin:0 0 .5rem}
a{color:var(--accent)}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:.5rem;top:-3rem;background:#fff;padding:.4rem .7rem;border:2px solid var(--accent);z-index:10}
.skip:focus{top:.5rem}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.summary,.meta,.hint{color:var(--muted);margin:.25rem 0}
.legend{display:flex;flex-wrap:wrap;gap:.35rem 1rem;list-style:none;padding:0;margin:.5rem 0}
.legend li{display:flex;align-items:center;gap:.35rem}
.swatch{display:inline-block;width:1.6em;height:1em;border:1px solid #555;border-bottom-width:3px;background:var(--bg);border-bottom-color:var(--edge)}
.toc ol{margin:.3rem 0;padding-inline-start:1.5rem}.toc li{margin:.15rem 0}
.k-count{--bg:#dbe9ff;--edge:#2f6fd6}.k-money{--bg:#d3f3d3;--edge:#2e8b3a}.k-percent{--bg:#ffe1bd;--edge:#c96a00}
.k-ratio{--bg:#efdaf7;--edge:#8e44ad}.k-duration{--bg:#fff0a0;--edge:#9a7f00}.k-quantity{--bg:#c9f0eb;--edge:#0f8a7e}
.k-date{--bg:#fad7df;--edge:#c23a5e}.k-other{--bg:#e6e6e6;--edge:#666}
.doc{border-top:2px solid var(--line);margin-top:1.5rem;padding-top:1rem}
.doc-body{display:grid;grid-template-columns:minmax(0,1fr);gap:1.25rem;margin-top:.75rem}
@media (min-width:64em){
 .doc-body{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
 .side{position:sticky;top:0;max-height:100vh;overflow:auto;align-self:start}
 .side .scroll{overflow:visible}
}
.text{font-size:1.05rem;line-height:1.8;max-width:48rem}
.text[dir=rtl]{font-family:"Noto Naskh Arabic","Vazirmatn",Tahoma,"DejaVu Sans",system-ui,sans-serif;font-size:1.15rem;line-height:2.1}
.text p{white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 1em}
mark.claim{background:var(--bg);color:#111;border-bottom:2px solid var(--edge);border-radius:2px;
-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.claim a{color:inherit;text-decoration:none}
mark.claim a:hover{text-decoration:underline}
mark.claim:target,tr:target{outline:3px solid var(--accent);outline-offset:2px}
tr:target td{background:#eef3fd}
mark.claim[class*=" v-"]{border-bottom-width:3px}
mark.claim[class*=" v-"]::after{display:inline-block;margin-inline-start:.15em;padding:0 .3em;border-radius:.6em;
font-size:.75em;line-height:1.4;font-weight:700;color:#fff;background:#5f6368;vertical-align:.15em;content:"?" / ""}
mark.claim.v-supported::after{content:"\\2713" / "";background:#1b6e2d}
mark.claim.v-contradicted::after{content:"\\2717" / "";background:#b3261e}
mark.claim.v-consistent::after{content:"\\2713" / "";background:#0b6e62}
mark.claim.v-flagged::after{content:"!" / "";background:#8a4b00}
mark.claim.v-unverified::after{background:#fff;color:#4a4a4a;box-shadow:inset 0 0 0 1px #5f6368}
mark.claim.v-contradicted{outline:2px dashed #b3261e;outline-offset:1px}
.chip,.vchip{display:inline-block;padding:0 .45em;border-radius:.3em;background:var(--bg);color:#111;border:1px solid var(--edge);white-space:nowrap}
.vchip{background:#5f6368;color:#fff;border-color:#5f6368}
.vchip.v-supported{background:#1b6e2d;border-color:#1b6e2d}.vchip.v-contradicted{background:#b3261e;border-color:#b3261e}
.vchip.v-consistent{background:#0b6e62;border-color:#0b6e62}.vchip.v-unverified{background:#fff;color:#4a4a4a;border:1px solid #5f6368}
.claims td.vcell{min-width:13em}.vchip.v-flagged{background:#8a4b00;border-color:#8a4b00}
.verdict{display:block}.verdict+.verdict{margin-top:.2rem}
.scroll{overflow-x:auto;max-width:100%}
table.claims{border-collapse:collapse;font-size:.875rem;width:100%}
.claims th,.claims td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:start;vertical-align:top}
.claims td:nth-child(2){min-width:7em}
.claims th{position:sticky;top:0;background:#f3f3f3;z-index:1}
.claims th button{font:inherit;font-weight:700;color:var(--fg);background:none;border:0;padding:.1rem;cursor:pointer;white-space:nowrap}
.claims th[aria-sort=ascending] .arrow::after{content:" \\25B2"}.claims th[aria-sort=descending] .arrow::after{content:" \\25BC"}
.claims code,.desc code{font-size:.85em;overflow-wrap:anywhere}
.problem,.note,.reason{color:#8a1c14;font-size:.9em}.reason{color:var(--muted)}
#tip{position:absolute;z-index:20;max-width:min(26rem,calc(100vw - 1rem));background:#fff;color:var(--fg);
border:1px solid #444;border-radius:.4rem;box-shadow:0 .3rem 1rem rgba(0,0,0,.25);padding:.5rem .7rem;font-size:.9rem;line-height:1.45}
#tip[hidden]{display:none}
.desc-h{margin:0 0 .3rem;font-weight:700}
.desc dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.1rem .6rem;margin:0}
.desc dt{color:var(--muted)}.desc dd{margin:0;overflow-wrap:anywhere}
.desc .own{font-size:1.05em}
@media (max-width:30em){.page{padding:.6rem .6rem 2rem}h1{font-size:1.3rem}.text{font-size:1rem}}
@media print{
 .skip,.skip-table,#tip,.hint,.arrow{display:none!important}
 .doc-body{display:block}.side{position:static;max-height:none;overflow:visible}
 .scroll{overflow:visible}.claims th{position:static}
 .doc{break-before:page}.doc:first-of-type{break-before:auto}
 tr{break-inside:avoid}
 a{color:inherit;text-decoration:none}
 mark.claim,.chip,.vchip,.swatch{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 mark.claim::before{content:attr(data-n);font-size:.6em;vertical-align:super;color:#333;padding-inline-end:.1em}
}
"""

JS = r"""
(function () {
  "use strict";
  var D = document, OPTS = {maximumFractionDigits: 20};
  function numberFormat(locale) {
    try { return new Intl.NumberFormat(locale, OPTS); } catch (e) { return null; }
  }
  function digitsOf(nu) {
    var f = numberFormat("en-u-nu-" + nu), out = [];
    for (var i = 0; i < 10; i++) out.push(f ? f.format(i) : String(i));
    return out;
  }
  // Values: grouped in the reader's locale, and in the document's own digits.
  var reader = numberFormat(undefined), cache = {};
  D.querySelectorAll(".val[data-value]").forEach(function (el) {
    var v = el.getAttribute("data-value"), nu = el.getAttribute("data-nu") || "latn";
    var lang = el.getAttribute("data-lang") || "en", own = el.classList.contains("own");
    if (el.hasAttribute("data-num")) {
      var key = lang + "|" + nu;
      if (!(key in cache)) cache[key] = numberFormat(lang + "-u-nu-" + nu) || numberFormat("en-u-nu-" + nu);
      var f = own ? cache[key] : reader;
      if (f) el.textContent = f.format(v);
    } else if (own) {
      var digits = digitsOf(nu);
      el.textContent = v.replace(/[0-9]/g, function (d) { return digits[+d]; });
    }
  });
  // Tooltip: one element, filled from the claim's description on hover or focus.
  var tip = D.createElement("div");
  tip.id = "tip"; tip.className = "desc"; tip.setAttribute("role", "tooltip"); tip.setAttribute("aria-hidden", "true"); tip.hidden = true;
  D.body.appendChild(tip);
  var current = null, hideTimer = null;
  function show(link) {
    clearTimeout(hideTimer);
    var desc = D.getElementById(link.getAttribute("aria-describedby"));
    if (!desc) return;
    if (current !== link) { tip.innerHTML = desc.innerHTML; current = link; }
    tip.hidden = false;
    var rects = link.getClientRects(), r = rects.length ? rects[0] : link.getBoundingClientRect();
    var vw = D.documentElement.clientWidth, vh = window.innerHeight;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.max(8, Math.min(r.left + r.width / 2 - w / 2, vw - w - 8));
    var top = r.bottom + 6;
    if (top + h > vh && r.top - h - 6 > 0) top = r.top - h - 6;
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }
  function hide() { tip.hidden = true; current = null; }
  function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 200); }
  D.querySelectorAll("mark.claim > a").forEach(function (a) {
    a.addEventListener("mouseenter", function () { show(a); });
    a.addEventListener("mouseleave", hideSoon);
    a.addEventListener("focus", function () { show(a); });
    a.addEventListener("blur", hideSoon);
    // A touch shows the details first (focus comes before the click: remember what was shown before);
    // a second touch follows the link to the table.
    var shownBefore = false;
    a.addEventListener("pointerdown", function () { shownBefore = !tip.hidden && current === a; });
    a.addEventListener("click", function (ev) {
      if (ev.pointerType === "touch" && !shownBefore) { ev.preventDefault(); show(a); }
      shownBefore = true;
    });
  });
  tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  tip.addEventListener("mouseleave", hideSoon);
  D.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !tip.hidden) hide(); });
  window.addEventListener("resize", hide);
  // Following a link to a highlight or a row puts the keyboard focus there too.
  function focusTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), el = id && D.getElementById(id);
    if (!el) return;
    var a = el.querySelector("a[href]");
    if (a && D.activeElement !== a) a.focus({preventScroll: true});
  }
  window.addEventListener("hashchange", focusTarget);
  // Sortable tables: each header button sorts by its column, again for the other direction.
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  function compare(a, b) {
    if (a === "" || b === "") return a === b ? 0 : (a === "" ? 1 : -1);
    var x = Number(a), y = Number(b), xn = isFinite(x), yn = isFinite(y);
    if (xn && yn) return x - y;
    if (xn !== yn) return xn ? -1 : 1;
    return collator.compare(a, b);
  }
  D.querySelectorAll("table.claims").forEach(function (table) {
    var ths = table.tHead.rows[0].cells, body = table.tBodies[0];
    Array.prototype.forEach.call(ths, function (th, col) {
      var button = th.querySelector("button");
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(r1.cells[col].getAttribute("data-sort"), r2.cells[col].getAttribute("data-sort"));
          if (!asc && c) c = -c;
          return c || (+r1.getAttribute("data-n") - +r2.getAttribute("data-n"));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  D.documentElement.setAttribute("data-ready", "1");
})();
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(docs: Iterable[Any], verdicts: Mapping[tuple, Any] | None = None, *,
                title: str | None = None) -> str:
    """The report for ``docs`` as one HTML document; see the module docstring."""
    docs = [_as_doc(d) for d in docs]
    with_verdicts = verdicts is not None or any(r.get("verdict") for d in docs for r in d.claims)
    sections, all_items = [], []
    for di, doc in enumerate(docs, 1):
        html_, items = _section(doc, di, verdicts, with_verdicts)
        sections.append(html_)
        all_items.append(items)
    n_claims = sum(len(items) for items in all_items)
    if title is None:
        title = f"coopfacts: {docs[0].id}" if len(docs) == 1 else f"coopfacts: {len(docs)} documents"

    counts: dict[str, int] = {}
    for items in all_items:
        for it in items:
            counts[it.kind] = counts.get(it.kind, 0) + 1
    shown_kinds = list(KINDS) + sorted(k for k in counts if k not in KINDS)
    legend = "".join(
        f'<li><span class="swatch {("k-" + k) if k in KINDS else "k-other"}" aria-hidden="true"></span>'
        f'{esc(k)} ({counts.get(k, 0)})</li>' for k in shown_kinds)
    vlegend = ""
    if with_verdicts:
        vcounts: dict[str, int] = {}
        for items in all_items:
            for it in items:
                if it.verdict:
                    vcounts[it.verdict] = vcounts.get(it.verdict, 0) + 1
        names = list(VERDICTS) + [v for v in SEVERITY if v in vcounts and v not in VERDICTS] \
            + sorted(v for v in vcounts if v not in SEVERITY)
        vlegend = ('<ul class="legend" aria-label="Verdicts">' + "".join(
            f'<li><span class="vchip v-{_token(v)}">{esc(v)}</span> ({vcounts.get(v, 0)})</li>' for v in names)
            + "</ul>")

    toc = ""
    if len(docs) > 1:
        toc = ('<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Documents</h2><ol>' + "".join(
            f'<li><a href="#doc{di}"><bdi>{esc(d.id)}</bdi></a>: {_language_label(d.lang)}, '
            f'{len(items)} claim{"s" if len(items) != 1 else ""}</li>'
            for di, (d, items) in enumerate(zip(docs, all_items), 1)) + "</ol></nav>")
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
        f'<ul class="legend" aria-label="Claim kinds and their colours">{legend}</ul>',
        vlegend,
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
    """The writer interface of :mod:`coopfacts.output`; the report is written at :meth:`close`."""

    def __init__(self, out: IO[str], verdicts: Mapping[tuple, Any] | None = None, title: str | None = None):
        """``verdicts``: as for :func:`render_html`; ``{}`` makes a report of checks even before any finding."""
        super().__init__(out)
        self.verdicts: dict[tuple, list[dict]] | None = None
        if verdicts is not None:
            self.verdicts = {key: [found] if isinstance(found, Mapping) else list(found)
                             for key, found in verdicts.items()}
        self.title = title
        self.docs: list[ReportDoc] = []
        self._open: ReportDoc | None = None

    def begin_document(self, doc_id: str, text: str | None, lang: str | None = None) -> None:  # type: ignore[override]
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
        self.out.write(render_html(self.docs, self.verdicts, title=self.title))
        self.out.flush()
