"""``-o claims.parquet``: the claims as a typed Parquet file (pyarrow, the ``parquet`` extra).

The schema (:func:`claims_schema`) gives each field of the record its type: offsets int64,
``number`` float64, ``date_start``/``date_end`` date32, ``relative``/``dateline`` bool,
``gregorian_years`` a list of int64, ``gregorian_range`` a list of strings, ``compared_to`` a
struct; ``value`` is a string (a number as JSON writes it, or a date's ISO form: ``number`` holds
the numbers).  Rows are written a row group at a time (every :data:`ROW_GROUP` claims), so memory
stays that of one group whatever the size of the run.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import IO, Any

from coopfacts.model import FIELDS
from coopfacts.outputs.base import Writer, clean_value

ROW_GROUP = 10_000

_INT = ("start", "end", "sentence_start", "sentence_end", "range")
_BOOL = ("relative", "dateline")
_DATE = ("date_start", "date_end")


def claims_schema() -> Any:
    """The pyarrow schema of the claims file."""
    import pyarrow as pa

    def typ(c: str) -> Any:
        if c in _INT:
            return pa.int64()
        if c in _BOOL:
            return pa.bool_()
        if c in _DATE:
            return pa.date32()
        if c == "number":
            return pa.float64()
        if c == "gregorian_years":
            return pa.list_(pa.int64())
        if c == "gregorian_range":
            return pa.list_(pa.string())
        if c == "compared_to":
            return pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
        return pa.string()

    return pa.schema([pa.field(c, typ(c), nullable=True) for c in FIELDS],
                     metadata={b"coopfacts": b"claim records; see claim.schema.json"})


def _cell(column: str, v: Any) -> Any:
    if v is None:
        return None
    if column in _DATE:
        return _dt.date.fromisoformat(v)
    if column == "value":
        v = clean_value(v)
        return v if isinstance(v, str) else json.dumps(v)
    if column == "number":
        return float(v)
    return v


class ParquetWriter(Writer):
    """Claim records into a Parquet file written to the binary stream ``out``."""

    def __init__(self, out: IO[bytes]):
        super().__init__(out)  # type: ignore[arg-type]
        import pyarrow.parquet as pq

        self.schema = claims_schema()
        self.rows: list[dict] = []
        self.pq_writer = pq.ParquetWriter(out, self.schema, compression="zstd")

    def write(self, record: dict) -> None:
        self.rows.append({c: _cell(c, record.get(c)) for c in FIELDS})
        if len(self.rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            import pyarrow as pa

            self.pq_writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def end_document(self) -> None:
        """Nothing: rows wait for a whole row group (a group per document would make tiny groups)."""

    def close(self) -> None:
        self._flush()
        self.pq_writer.close()
        self.out.flush()
