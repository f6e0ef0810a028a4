"""Fuzzing the corpus reader and the cache loader (issue 19): hostile bytes in, a Document or
a one-line Failure out, never an exception; a cache entry with any bytes changed is refused,
never unpickled.  CI runs a small profile (COOPFACTS_HOSTILE_EXAMPLES raises it)."""
from __future__ import annotations

import gzip
import io
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopfacts.io import Failure, iter_jsonl
from coopfacts.model import Document

EXAMPLES = int(os.environ.get("COOPFACTS_HOSTILE_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_records = st.dictionaries(st.sampled_from(["id", "text", "lang", "x"]), _values, max_size=4)
_lines = st.one_of(
    _records.map(lambda r: json.dumps(r).encode()),
    st.binary(max_size=60),
    st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b'{"id": "a\\ud800", "text": "54% \\udc00"}'),
    st.just(b"[" * 5000),
)


def _check(items: list) -> None:
    for item, n in items:
        assert n >= 0
        if item is None:
            continue
        assert isinstance(item, (Document, Failure)), item
        if isinstance(item, Failure):
            assert item.message and "\n" not in item.message
        else:
            item.id.encode("utf-8")  # every id can be written
            assert isinstance(item.text, str)


@SETTINGS
@given(lines=st.lists(_lines, max_size=8), compress=st.booleans(), cut=st.integers(min_value=0, max_value=400),
       flips=st.lists(st.integers(min_value=0, max_value=10_000), max_size=3))
def test_corpus_reader_never_raises(lines: list[bytes], compress: bool, cut: int, flips: list[int]) -> None:
    data = b"\n".join(lines) + b"\n"
    if compress:
        data = bytearray(gzip.compress(data))
        for f in flips:
            data[f % len(data)] ^= 0x41
        data = bytes(data[: max(len(data) - cut, 0)]) if cut % 3 == 0 else bytes(data)
    items = list(iter_jsonl("-", stdin=io.BytesIO(data), lang_field="lang", languages=["ar", "fa", "fr"],
                            warn=lambda message: None))
    _check(items)


def _same_entry(a: bytes, b: bytes) -> bool:
    """Two cache entries that say the same: the same header once read as JSON, the same payload."""
    if a == b:
        return True
    ha, _, pa = a.partition(b"\n")
    hb, _, pb = b.partition(b"\n")
    magic = b"coopfacts-cache\0"
    if pa != pb or not ha.startswith(magic) or not hb.startswith(magic):
        return False
    try:
        return bool(json.loads(ha[len(magic):]) == json.loads(hb[len(magic):]))
    except ValueError:
        return False


@SETTINGS
@given(obj=_values, flips=st.lists(st.integers(min_value=0, max_value=1 << 20), min_size=1, max_size=3),
       cut=st.integers(min_value=0, max_value=50))
def test_cache_loader_refuses_any_damage(obj, flips: list[int], cut: int) -> None:
    from coopfacts.rulebook import sealed

    data = bytearray(sealed.seal("key", obj))
    for f in flips:
        data[f % len(data)] ^= 0x01 + f % 255
    damaged = bytes(data[: len(data) - cut])
    got = sealed.unseal(damaged, "key")
    if not _same_entry(damaged, sealed.seal("key", obj)):
        # a change anywhere is refused (a flip in the header that leaves it equal, a space made
        # a tab between its JSON fields, is no change)
        assert got is None
