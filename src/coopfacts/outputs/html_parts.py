"""The pieces of the HTML report: one claim (highlight, details, table row) and one document.

:mod:`coopfacts.outputs.html` puts them on the page.  Everything here returns HTML text
with every value escaped by :func:`esc`.
"""
from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

from coopfacts.model import CLAIM_KINDS, SEVERITY
from coopfacts.rulebook import Rulebook
from coopfacts.text.segments import PARAGRAPH_BREAK

QUALIFIER_LABELS = {"exact": "exact", "approx": "about", "more_than": "more than", "at_least": "at least",
                    "less_than": "less than", "at_most": "at most"}

# Characters HTML cannot carry as text: shown as control pictures (or U+FFFD for lone surrogates).
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass
class ReportDoc:
    id: str
    lang: str
    text: str | None
    claims: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class DocLanguage:
    """What the report shows of a document's language: from its rule file where it has one."""

    code: str
    name: str | None  # None: no rule file (the code is shown as it is)
    direction: str | None  # rtl | ltr; None: no rule file, the text's letters decide
    numbering: str  # the language's own digits as a CLDR numbering system (latn, arab, arabext)

    @property
    def label(self) -> str:
        return f"{esc(self.name)} ({esc(self.code)})" if self.name else esc(self.code or "unknown language")


def doc_language(code: str, rulebook: Rulebook) -> DocLanguage:
    if code in rulebook.languages:
        info = rulebook.info(code)
        return DocLanguage(code, info.name, info.direction, info.numbering)
    return DocLanguage(code, None, None, "latn")


# --- small helpers ------------------------------------------------------------------

def _showable(match: re.Match) -> str:
    c = ord(match.group())
    if 0xD800 <= c <= 0xDFFF:
        return "\ufffd"
    return "\u2421" if c == 0x7F else chr(0x2400 + c)


def esc(s: Any) -> str:
    """Text for an HTML text node or quoted attribute: escaped, characters otherwise untouched."""
    return _UNSHOWABLE.sub(_showable, html.escape("" if s is None else str(s), quote=True))


def token(s: Any) -> str:
    """A string reduced to a safe CSS class / id fragment."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(s).lower()).strip("-") or "x"


def severity_rank(verdict: str) -> float:
    """Where a verdict stands in :data:`SEVERITY` (0 the gravest); a word it does not know
    goes between consistent and unverified."""
    return SEVERITY.index(verdict) if verdict in SEVERITY else len(SEVERITY) - 1.5


def _clean(v: Any) -> Any:
    """An integral float as an int (a single value: lists and mappings are left as they are)."""
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


def _strong_counts(text: str) -> tuple[int, int]:
    rtl = ltr = 0
    for ch in text:
        b = unicodedata.bidirectional(ch)
        if b in ("R", "AL"):
            rtl += 1
        elif b == "L":
            ltr += 1
    return rtl, ltr


def _direction(language: DocLanguage, text: str) -> str:
    if language.direction:
        return language.direction
    rtl, ltr = _strong_counts(text)
    return "rtl" if rtl > ltr else "ltr"


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


def as_doc(d: Any) -> ReportDoc:
    """A :class:`ReportDoc` or a mapping with its keys, as a new ReportDoc of claim records."""
    if isinstance(d, ReportDoc):
        return ReportDoc(d.id, d.lang, d.text, [_as_record(c) for c in d.claims])
    return ReportDoc(str(d["id"]), str(d.get("lang") or ""), d.get("text"),
                     [_as_record(c) for c in d.get("claims") or ()])


# --- one claim ----------------------------------------------------------------------

@dataclass
class Item:
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
        return min((v for v, _ in self.verdicts), key=severity_rank)

    @property
    def kind(self) -> str:
        return str(self.rec.get("kind") or "")

    @property
    def kind_class(self) -> str:
        return f"k-{self.kind}" if self.kind in CLAIM_KINDS else "k-other"


def _value_html(rec: dict[str, Any], language: DocLanguage, own: bool) -> str:
    """The value: plain text now; the script regroups numbers (reader's locale, or document digits if ``own``)."""
    v = _clean(rec.get("value"))
    lang = language.code
    attrs = f' data-value="{esc(v)}" data-lang="{esc(lang)}" data-nu="{esc(language.numbering)}"'
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


# shown elsewhere (the rows above, the table) or of no use to a reader (offsets, id, schema)
_DESCRIBED = {"id", "doc", "lang", "start", "end", "text", "context", "kind", "value", "number", "unit", "unit_text",
              "qualifier", "entity", "sentence_start", "sentence_end", "rule", "schema_version", "calendar",
              "gregorian_years", "gregorian_range", "range", "verdict", "reason"}
_DATE_DETAILS = (("calendar", "Calendar"), ("gregorian_years", "Gregorian years"),
                 ("gregorian_range", "Gregorian range"), ("range", "Range id"))


def verdict_list(item: Item) -> str:
    """Each verdict with its reason, the gravest first."""
    ordered = sorted(item.verdicts, key=lambda vr: severity_rank(vr[0]))
    return "".join(
        f'<span class="verdict"><span class="vchip v-{token(v)}">{esc(v)}</span>'
        + (f' <span class="reason">{esc(reason)}</span>' if reason else "") + "</span>"
        for v, reason in ordered)


def _detail_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, HTML) of the date details and of the record's other fields, shown as they come."""
    rows = []
    for key, label in _DATE_DETAILS:
        extra = r.get(key)
        if extra not in (None, "", []):
            shown = ", ".join(str(_clean(x)) for x in extra) if isinstance(extra, (list, tuple)) else str(_clean(extra))
            rows.append((label, esc(shown)))
    for key, extra in r.items():  # fields added since (change, compared_to...)
        if key in _DESCRIBED or extra in (None, "", [], {}, False):
            continue
        shown = ("yes" if extra is True else json.dumps(extra, ensure_ascii=False) if isinstance(extra, dict)
                 else ", ".join(map(str, extra)) if isinstance(extra, list) else str(_clean(extra)))
        rows.append((esc(key.replace("_", " ").capitalize()), esc(shown)))
    return rows


def _description(item: Item, language: DocLanguage, doc_dir: str) -> str:
    """The details of a claim: tooltip content and the highlight's accessible description."""
    r, lang = item.rec, language.code
    rows = [("Kind", f'<span class="chip {item.kind_class}">{esc(item.kind)}</span>'),
            ("Value", _value_html(r, language, own=False) + ' <span class="sep" aria-hidden="true">·</span> '
                      + f'<bdi dir="{doc_dir}">{_value_html(r, language, own=True)}</bdi>')]
    unit = _unit_text(r)
    if unit:
        rows.append(("Unit", unit))
    q = str(r.get("qualifier") or "exact")
    rows.append(("Qualifier", esc(QUALIFIER_LABELS.get(q, q))))
    if r.get("entity"):
        rows.append(("Entity", f'<bdi lang="{esc(lang)}">{esc(r["entity"])}</bdi>'))
    rows += _detail_rows(r)
    rows.append(("Rule", f"<code>{esc(r.get('rule') or '')}</code>"))
    if item.verdicts:
        rows.append(("Verdict" if len(item.verdicts) == 1 else "Verdicts", verdict_list(item)))
    if item.problem:
        rows.append(("Note", esc(item.problem)))
    body = "".join(f'<dt>{k}:</dt><dd>{v}<span class="sr-only">;</span></dd>' for k, v in rows)
    return (f'<div class="desc" id="x{item.key}"><p class="desc-h">Claim {item.n}: '
            f'<bdi lang="{esc(lang)}">{esc(r.get("text"))}</bdi></p><dl>{body}</dl></div>')


# --- one document -------------------------------------------------------------------

def _place(text: str | None, items: list[Item]) -> list[Item]:
    """The claims that can be highlighted, in text order; the others get a ``problem``."""
    placed: list[Item] = []
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


def _paragraphs(text: str, placed: list[Item]) -> list[tuple[int, int]]:
    """Paragraph spans: blank lines split, except where a highlighted claim spans them."""
    spans, start = [], 0
    claims = [(it.rec["start"], it.rec["end"]) for it in placed]
    j = 0
    for m in PARAGRAPH_BREAK.finditer(text):
        while j < len(claims) and claims[j][1] <= m.start():
            j += 1
        if j < len(claims) and claims[j][0] < m.end():
            continue  # a claim reaches into this break: keep the paragraph whole
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _mark(item: Item, text: str) -> str:
    s, e = item.rec["start"], item.rec["end"]
    v = f" v-{token(item.verdict)}" if item.verdict else ""
    return (f'<mark class="claim {item.kind_class}{v}" id="c{item.key}" data-n="{item.n}" '
            f'data-start="{s}" data-end="{e}"><a href="#r{item.key}" aria-describedby="x{item.key}">'
            f"{esc(text[s:e])}</a></mark>")


def _article(doc: ReportDoc, di: int, placed: list[Item], doc_dir: str) -> str:
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


def _row(it: Item, language: DocLanguage, placed_keys: set[str], with_verdicts: bool) -> str:
    """A claim's row of the table: each cell with the key it sorts by."""
    r, lang = it.rec, language.code
    v = _clean(r.get("value"))
    claim_text = f'<bdi lang="{esc(lang)}">{esc(r.get("text"))}</bdi>'
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
         _value_html(r, language, own=False) + (f' <span class="unit">{unit}</span>' if unit else "")),
        (esc(q), esc(QUALIFIER_LABELS.get(q, q))),
        (esc(r.get("entity") or ""), f'<bdi lang="{esc(lang)}">{esc(r.get("entity") or "")}</bdi>'),
    ]
    if with_verdicts:
        rank = f"{severity_rank(it.verdict)}" if it.verdict else ""
        cells.insert(2, (rank, verdict_list(it)))  # sorted gravest first
    vcell = ' class="vcell"'
    tds = "".join(f'<td data-sort="{sort}"{vcell if with_verdicts and i == 2 else ""}>{shown}</td>'
                  for i, (sort, shown) in enumerate(cells))
    return f'<tr id="r{it.key}" data-n="{it.n}">{tds}</tr>'


def _table(di: int, items: list[Item], language: DocLanguage, placed_keys: set[str], with_verdicts: bool) -> str:
    cols = list(_COLUMNS)
    if with_verdicts:
        cols.insert(2, ("verdict", "Verdict"))  # next to the claim: what a checker reads first
    sort_attr = ' aria-sort="ascending"'
    head = "".join(
        f'<th scope="col"{sort_attr if i == 0 else ""}>'
        f'<button type="button" data-col="{i}">{label}<span class="arrow" aria-hidden="true"></span></button></th>'
        for i, (_, label) in enumerate(cols))
    rows = "".join(_row(it, language, placed_keys, with_verdicts) for it in items)
    return (f'<div class="scroll" role="region" tabindex="0" aria-labelledby="h{di}-claims">'
            f'<table class="claims" id="tab{di}"><caption class="sr-only">Claims of document {di}; '
            f"the column buttons sort the table</caption><thead><tr>{head}</tr></thead>"
            f'<tbody>{rows}</tbody></table></div>')


def _verdicts_of(found: Any) -> list[tuple[str, str | None]]:
    found = [found] if isinstance(found, Mapping) else list(found or ())
    return [(str(f["verdict"]), str(f["reason"]) if f.get("reason") else None) for f in found if f.get("verdict")]


def _items(doc: ReportDoc, di: int, verdicts: Mapping[tuple, Any] | None) -> list[Item]:
    """The document's claims in text order, each with its verdicts (from ``verdicts``, else its record)."""
    recs = sorted(doc.claims, key=lambda r: (r.get("start") if isinstance(r.get("start"), int) else -1,
                                             r.get("end") if isinstance(r.get("end"), int) else -1))
    items = []
    for n, rec in enumerate(recs, 1):
        it = Item(n, rec, f"{di}-{n}")
        it.verdicts = _verdicts_of((verdicts or {}).get((doc.id, rec.get("start"), rec.get("end")))) \
            or _verdicts_of(rec)
        items.append(it)
    return items


def section(doc: ReportDoc, di: int, language: DocLanguage, verdicts: Mapping[tuple, Any] | None,
            with_verdicts: bool) -> tuple[str, list[Item]]:
    """Document number ``di`` (1-based) as a ``<section>``, and its claims as placed."""
    items = _items(doc, di, verdicts)
    doc_dir = _direction(language, doc.text or "")
    placed = _place(doc.text, items)
    placed_keys = {it.key for it in placed}
    n = len(items)
    head = (f'<header class="doc-head"><h2 id="h{di}"><bdi>{esc(doc.id)}</bdi></h2>'
            f'<p class="meta">{language.label}, {"right-to-left" if doc_dir == "rtl" else "left-to-right"}; '
            f'{n} claim{"s" if n != 1 else ""}'
            + (f'<span class="skip-table">; <a href="#tab{di}">skip to the claims table</a></span>' if n else "")
            + "</p></header>")
    if doc.text is None:
        article = '<p class="note">The original text is not part of this report.</p>'
    else:
        article = _article(doc, di, placed, doc_dir)
    table = (_table(di, items, language, placed_keys, with_verdicts) if items
             else '<p class="note">No claims found.</p>')
    descs = "".join(_description(it, language, doc_dir) for it in items)
    html_ = (f'<section class="doc" id="doc{di}" aria-labelledby="h{di}" data-lang="{esc(doc.lang)}" '
             f'data-dir="{doc_dir}">{head}<div class="doc-body">{article}'
             f'<aside class="side" aria-labelledby="h{di}-claims"><h3 id="h{di}-claims">Claims in document {di}</h3>'
             f'{table}</aside></div><div class="descs" hidden>{descs}</div></section>')
    return html_, items
