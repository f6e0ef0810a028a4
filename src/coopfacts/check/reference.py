"""Reference tables: their rows (label, value, unit, kind, date, tolerance, source, id, and the
scoping columns doc, lang, scope), read from CSV (comma, semicolon or tab), TSV or JSON Lines (or
a JSON array), long (a ``value`` column) or wide (a column per year, as statistics offices
publish them).  Raises :class:`ReferenceError`."""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import regex

from coopfacts.check.cells import (
    ISO_DATE,
    _ascii_digits,
    figure_from_text,
    parse_date,
    parse_number,
    parse_tolerance,
    read_unit,
)
from coopfacts.check.figures import factor, measure
from coopfacts.check.periods import date_period
from coopfacts.check.text import phrase_words
from coopfacts.io.jsonl import json_object
from coopfacts.units import registry


class ReferenceError(ValueError):
    """A reference table that cannot be read; ``str()`` is ``path:line: message``."""


@dataclass
class ReferenceRow:
    """One reference figure.  ``value`` is in ``unit`` (base units: toman, not billion toman)."""

    id: str
    label: str
    kind: str
    value: Any  # float, or an ISO date string for kind date
    unit: str | None = None
    date: tuple[_dt.date, _dt.date] | None = None
    date_text: str | None = None
    source: str | None = None
    tolerance: tuple[float, bool] | None = None  # (amount, relative)
    line: int = 0
    doc: str | None = None  # judges only the claims of this document (its id, file name or stem)
    lang: str | None = None  # ... only claims in this language
    scope: str | None = None  # total: never a part (dont, منها); part: only a part
    _words: dict = field(default_factory=dict, repr=False)

    def alternatives(self, lang: str | None, rulebook: Any) -> list[tuple[str, list[str]]]:
        """The label's alternatives (``|``-separated), each with its folded words."""
        if lang not in self._words:
            alts = []
            for alt in self.label.split("|"):
                words = phrase_words(alt, lang, rulebook)
                if words:
                    alts.append((alt.strip(), words))
            self._words[lang] = alts
        return self._words[lang]

    def measure(self) -> tuple[str, float] | None:
        return measure(self.kind, self.value, self.unit)

    def period(self) -> tuple[_dt.date, _dt.date] | None:
        return date_period(self.value) if self.kind == "date" else None

    def tolerance_in_base(self, base: float, default: tuple[float, bool] | None = None) -> float:
        tol = self.tolerance or default
        if tol is None:
            return 0.0
        amount, relative = tol
        return amount * abs(base) if relative else amount * factor(self.kind, self.unit)


    def applies_to_doc(self, doc: str | None) -> bool:
        """The row's ``doc`` names the document: its id, file name or file name without extension."""
        if self.doc is None:
            return True
        if doc is None:
            return False
        name = doc.replace("\\", "/").rsplit("/", 1)[-1]
        return self.doc in (doc, name, name.rsplit(".", 1)[0])


_KINDS = ("count", "money", "percent", "ratio", "duration", "quantity", "date")
SCOPES = ("total", "part")
COLUMNS = ("label", "value", "unit", "kind", "date", "period", "tolerance", "source", "id", "doc", "lang", "scope",
           "note")
_YEAR_COLUMN = regex.compile(r"(?:(jalali|hijri|gregorian):)?([0-9]{4})")


def reference_row(fields: dict[str, Any], line: int = 0, rulebook: Any = None, decimal: str = "auto") -> ReferenceRow:
    """One row from its columns: ``label``, ``value`` (required), ``unit``, ``kind``,
    ``date`` (or ``period``), ``tolerance``, ``source``, ``id``, ``doc``, ``lang``, ``scope``
    (``note`` is ignored).  ``decimal``: the table's decimal mark (``auto``, ``.``, ``,``).
    Raises ValueError with a reason."""
    f = {str(k).strip().lower(): _cell(str(k).strip().lower(), v) for k, v in fields.items() if k is not None}
    if str(f.get("period", "")).strip():
        if str(f.get("date", "")).strip():
            raise ValueError("date and period: give one of them")
        f["date"] = f["period"]
    lang = str(f.get("lang", "")).strip().lower() or None
    if lang is not None:
        from coopfacts.check.text import rulebook_or_default

        known = rulebook_or_default(rulebook).languages
        if lang not in known:
            raise ValueError(f"lang: {lang!r} is not a language of the rules ({', '.join(known)})")
    scope = str(f.get("scope", "")).strip().lower() or None
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"scope: {scope!r}: expected total (never a part: dont, منها, از این تعداد) or part")
    label = str(f.get("label", "")).strip()
    if not label:
        raise ValueError("label: empty (the words that name the figure, as the article writes them; "
                         "alternatives separated by |)")
    raw_value = f.get("value", "")
    if raw_value == "" or raw_value is None:
        raise ValueError("value: empty")
    kind = str(f.get("kind", "")).strip().lower() or None
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(_KINDS)}")
    unit = str(f.get("unit", "")).strip() or None
    unit_kind = None
    if unit is not None:
        unit, unit_kind = read_unit(unit, rulebook)
    value, kind, unit = _read_value(raw_value, kind, unit, rulebook, decimal)
    if kind is None:
        kind = _kind_of_unit(unit, unit_kind)
    if kind == "percent":
        unit = "%"
    try:
        tolerance = parse_tolerance(str(f.get("tolerance", "")))
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    date = date_text = None
    if str(f.get("date", "")).strip():
        parsed = parse_date(str(f["date"]), rulebook)
        if parsed is None:
            raise ValueError(f"date: cannot read {f['date']!r} (2023, 2023-08, 2023-08-20, 2019/2023, jalali:1402, "
                             "or a date as an article writes it)")
        date, date_text = parsed
    rid = str(f.get("id", "")).strip() or f"line {line}"
    return ReferenceRow(id=rid, label=label, kind=kind, value=value, unit=unit, date=date, date_text=date_text,
                        source=str(f.get("source", "")).strip() or None, tolerance=tolerance, line=line,
                        doc=str(f.get("doc", "")).strip() or None, lang=lang, scope=scope)


def _cell(column: str, v: Any) -> Any:
    """A cell as the row reads it: text stripped; a number kept as a number in ``value`` (and
    ``tolerance``), else as text (a year typed as a number, ``2023``, not ``2023.0``)."""
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v).strip()
    if column == "value":
        return v
    return str(int(v)) if float(v).is_integer() else str(v)


def _read_value(raw: Any, kind: str | None, unit: str | None,
                rulebook: Any, decimal: str = "auto") -> tuple[Any, str | None, str | None]:
    """``(value, kind, unit)`` from the value column: a number (``12.5%`` sets the unit), an ISO
    date, or one figure written as in an article (which may tell the kind and the unit)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw), kind, unit
    if kind == "date" or (kind is None and unit is None and ISO_DATE.fullmatch(raw) and "-" in raw):
        if not ISO_DATE.fullmatch(raw) or date_period(raw) is None:
            raise ValueError(f"value: expected an ISO date (2024, 2024-01, 2024-01-15) for kind date, got {raw!r}")
        return raw, "date", unit
    pct = raw.rstrip().endswith(("%", "\u066a"))  # the percent sign, Latin or Arabic
    num = parse_number(raw.rstrip()[:-1] if pct else raw, decimal)
    if num is None:
        return _written_figure(raw, kind, unit, rulebook)
    if pct:
        if unit not in (None, "%"):
            raise ValueError(f"value: {raw!r} is a percentage but unit is {unit!r}")
        unit = "%"
    return num, kind, unit


def _written_figure(raw: str, kind: str | None, unit: str | None,
                    rulebook: Any) -> tuple[float, str | None, str | None]:
    """A value written as in an article (``44 همت``), in the row's unit where it names one."""
    claim = figure_from_text(raw, rulebook)
    if claim is None or not isinstance(claim.value, (int, float)):
        raise ValueError(f"value: cannot read one figure in {raw!r} "
                         "(write a number in base units, or one figure with its unit as an article writes it)")
    value = float(claim.value)
    if unit is not None and unit != claim.unit:
        if measure(claim.kind, 1, claim.unit)[0] == measure(claim.kind, 1, unit)[0]:
            value = value * factor(claim.kind, claim.unit) / factor(claim.kind, unit)
        elif not (claim.kind == "money" and regex.fullmatch(r"[A-Z]{3}", unit)):
            raise ValueError(f"value: {raw!r} reads as {claim.unit or claim.kind}, but unit is {unit!r}")
        # else: the unit column names the currency a word such as "dinars" leaves open
    return value, kind or claim.kind, unit or claim.unit


def _kind_of_unit(unit: str | None, unit_kind: str | None) -> str:
    """The kind of a row that names none: a count without a unit, else what its unit tells."""
    if unit is None:
        return "count"
    if unit_kind is not None:
        return unit_kind
    known = registry().kind_of(unit)
    if known is not None:
        return known
    if regex.fullmatch(r"[A-Z]{3}", unit):
        return "money"
    return "quantity"


def load_reference(path: str, rulebook: Any = None, *, encoding: str | None = None,
                   decimal: str = "auto") -> list[ReferenceRow]:
    """Rows of a reference table: CSV (a header line, comma-, semicolon- or tab-separated), TSV,
    JSON Lines (one object per line; also a JSON array), in ``encoding`` (default: UTF-8 with or
    without BOM, UTF-16 with BOM), or the first sheet of an XLSX workbook; ``decimal``: the
    decimal mark of its numbers typed as text.  Raises :class:`ReferenceError`."""
    from coopfacts.io import DecodeProblem, decode

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ReferenceError(f"{path}: {(exc.strerror or str(exc)).lower()}") from None
    if is_xlsx(data):
        return _rows(xlsx_records(data, path), path, rulebook, decimal)
    try:
        text = decode(data, encoding)
    except DecodeProblem as exc:
        raise ReferenceError(f"{path}: {str(exc).replace('--encoding', '--table-encoding')}") from None
    except LookupError:
        raise ReferenceError(f"--table-encoding: unknown encoding {encoding!r}") from None
    return parse_reference(text, path, rulebook, decimal=decimal)


def parse_reference(text: str, name: str = "<reference>", rulebook: Any = None, *,
                    decimal: str = "auto") -> list[ReferenceRow]:
    """Rows from the text of a reference table (format sniffed: JSON if it starts with ``{`` or
    ``[``); a wide table (a column per year) gives one row per non-empty year cell."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        records = _json_array_records(text, name)
    elif stripped.startswith("{"):
        records = _json_lines_records(text, name)
    else:
        records = _csv_records(text, name)
    return _rows(records, name, rulebook, decimal)


def _rows(records: list[tuple[int, dict]], name: str, rulebook: Any, decimal: str) -> list[ReferenceRow]:
    """The reference rows of a table's records (a wide record gives several)."""
    rows: list[ReferenceRow] = []
    for n, rec in records:
        try:
            for long in _long_records(rec, n):
                rows.append(reference_row(long, n, rulebook, decimal))
        except ValueError as exc:
            raise ReferenceError(f"{name}:{n}: {exc}") from None
    if not rows:
        raise ReferenceError(f"{name}: no rows")
    return rows


def year_column(name: str) -> str | None:
    """The date a wide table's column stands for: ``2023``, ``۱۴۰۲`` (a year before 1700 is
    Jalali), ``jalali:1402``, ``hijri:1445``; None for any other column."""
    t = _ascii_digits(str(name).strip().lower())
    m = _YEAR_COLUMN.fullmatch(t)
    if m is None:
        return None
    if m[1]:
        return t
    return f"jalali:{m[2]}" if int(m[2]) < 1700 else m[2]


def _long_records(rec: dict, line: int = 0) -> list[dict]:
    """A record as long rows: itself, or for a wide row one row per year column with a value,
    dated that year (``id`` gets the year: ``credit:2023``)."""
    years = {k: year_column(k) for k in rec}
    years = {k: v for k, v in years.items() if v is not None}
    unknown = [k for k in rec if k not in years and str(k).strip().lower() not in COLUMNS]
    if unknown:
        raise ValueError(f"unknown column {unknown[0]!r} (columns: {', '.join(COLUMNS)}; "
                         "or one column per year, such as 2023 or jalali:1402, in a wide table)")
    if not years:
        return [rec]
    base = {k: v for k, v in rec.items() if k not in years}
    if str(base.get("value", "")).strip():
        raise ValueError("a value column and year columns: a row gives its value once, or one value per year")
    if any(str(base.get(k, "")).strip() for k in ("date", "period")):
        raise ValueError("a wide table's row takes its date from the year columns, not from date or period")
    out = []
    rid = str(base.get("id", "")).strip()
    for col, when in years.items():
        cell = rec[col]
        if cell is None or str(cell).strip() == "":
            continue
        out.append({**base, "value": cell, "date": when, "id": f"{rid or f'line {line}'}:{str(col).strip()}"})
    return out


def _json_array_records(text: str, name: str) -> list[tuple[int, dict]]:
    """``(item number, object)`` of a JSON array."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    records = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise ReferenceError(f"{name}: item {i}: expected an object")
        records.append((i, item))
    return records


def _json_lines_records(text: str, name: str) -> list[tuple[int, dict]]:
    """``(line number, object)`` of JSON Lines; blank lines and ``#`` comments skipped."""
    records = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            records.append((n, json_object(line)))
        except ValueError as exc:
            raise ReferenceError(f"{name}:{n}: {exc}") from None
    return records


def _csv_records(text: str, name: str) -> list[tuple[int, dict]]:
    """``(line number, cells by column)`` of a CSV table: the first line that is not blank nor a
    ``#`` comment is the header; the delimiter is the one it holds most of (``,``, ``;`` or tab)."""
    lines = [ln for ln in text.splitlines(keepends=True)]
    header_at = next((i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")), None)
    if header_at is None:
        raise ReferenceError(f"{name}: empty table")
    head = lines[header_at]
    delim = max(",;\t", key=head.count)
    reader = csv.reader(io.StringIO("".join(lines[header_at:])), delimiter=delim)
    header = _header([h.strip().lower() for h in next(reader)], name, header_at + 1)
    records = []
    for cells in reader:
        n = header_at + reader.line_num
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) > len(header):
            raise ReferenceError(f"{name}:{n}: {len(cells)} cells for {len(header)} columns")
        records.append((n, dict(zip(header, cells))))
    return records


def _header(header: list[str], name: str, line: int) -> list[str]:
    """The column names of a table, checked: ``label`` and ``value`` (or year columns), no unknown one."""
    wide = any(year_column(h) for h in header)
    for needed in ("label",) if wide else ("label", "value"):
        if needed not in header:
            raise ReferenceError(f"{name}:{line}: no {needed!r} column (columns: {', '.join(header)})")
    unknown = [h for h in header if h and h not in COLUMNS and not year_column(h)]
    if unknown:
        raise ReferenceError(f"{name}:{line}: unknown column {unknown[0]!r} (columns: {', '.join(COLUMNS)}; "
                             "or one column per year, such as 2023 or jalali:1402, in a wide table)")
    return header


# --- XLSX: the first sheet of a workbook, read with the standard library ---------------------

_XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def is_xlsx(data: bytes) -> bool:
    """A ZIP archive holding a workbook (``xl/workbook.xml``)."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def xlsx_records(data: bytes, name: str) -> list[tuple[int, dict]]:
    """``(row number, cells by column)`` of the first sheet of an XLSX workbook: the first row that
    is not blank is the header.  Numbers typed as numbers come as numbers; text as text."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            shared = _shared_strings(z)
            sheet = ElementTree.fromstring(z.read(_first_sheet(z)))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ReferenceError(f"{name}: not a readable XLSX workbook ({exc})") from None
    rows: list[tuple[int, list[Any]]] = []
    for row in sheet.iterfind(".//m:sheetData/m:row", _XLSX_NS):
        cells: dict[int, Any] = {}
        for c in row.iterfind("m:c", _XLSX_NS):
            col = _column_index(c.get("r", ""), len(cells))
            cells[col] = _cell_value(c, shared)
        n = int(row.get("r", len(rows) + 1))
        width = max(cells, default=-1) + 1
        rows.append((n, [cells.get(i, "") for i in range(width)]))
    rows = [(n, cells) for n, cells in rows if any(str(x).strip() for x in cells)]
    if not rows:
        raise ReferenceError(f"{name}: empty table")
    head_n, head = rows[0]
    header = _header([_header_name(h) for h in head], name, head_n)
    records = []
    for n, cells in rows[1:]:
        if str(cells[0]).lstrip().startswith("#"):
            continue
        if len(cells) > len(header) and any(str(x).strip() for x in cells[len(header):]):
            raise ReferenceError(f"{name}:{n}: {len(cells)} cells for {len(header)} columns")
        records.append((n, {h: v for h, v in zip(header, cells) if h}))
    return records


def _header_name(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a year typed as a number
    return str(v).strip().lower()


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iterfind(".//m:t", _XLSX_NS)) for si in root.iterfind("m:si", _XLSX_NS)]


def _first_sheet(z: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet."""
    wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
    first = wb.find("m:sheets/m:sheet", _XLSX_NS)
    rid = first.get(f"{{{_XLSX_NS['r']}}}id") if first is not None else None
    if rid and "xl/_rels/workbook.xml.rels" in z.namelist():
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        for rel in rels.iterfind("p:Relationship", _XLSX_NS):
            if rel.get("Id") == rid:
                target = rel.get("Target", "").lstrip("/")
                return target if target.startswith("xl/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _column_index(ref: str, default: int) -> int:
    letters = regex.match(r"[A-Z]+", ref)
    if not letters:
        return default
    n = 0
    for ch in letters.group():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _cell_value(c: Any, shared: list[str]) -> Any:
    t = c.get("t", "n")
    if t == "inlineStr":
        return "".join(x.text or "" for x in c.iterfind(".//m:t", _XLSX_NS))
    v = c.find("m:v", _XLSX_NS)
    if v is None or v.text is None:
        return ""
    if t == "s":
        return shared[int(v.text)] if v.text.isdigit() and int(v.text) < len(shared) else ""
    if t in ("str", "e"):
        return v.text
    if t == "b":
        return v.text
    try:
        return float(v.text)
    except ValueError:
        return v.text
