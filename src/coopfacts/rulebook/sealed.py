"""Cache entries that are checked before they are unpickled.

A cache is an optimisation, and what is in the user's cache directory is not to be trusted:
a disk error, a copy from another machine, another version, an entry renamed over another.
Unpickling damaged bytes can crash the interpreter or loop for ever, so no byte of an entry
is unpickled before its envelope says it is the one wanted and whole:

``coopfacts-cache`` NUL, a header line (JSON: format, the Python version that pickled it, the
entry's key, the payload's size and BLAKE2b digest), then the pickled payload.  :func:`unseal` gives the payload's
object, or None for anything that does not check out (the caller then builds it anew).
"""
from __future__ import annotations

import contextlib
import json
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from coopfacts.digest import hex_digest

MAGIC = b"coopfacts-cache\0"
FORMAT = 2  # 2: the payload's digest is BLAKE2b (1: SHA-256)
_MAX_HEADER = 4096


def _version() -> str:
    """What the payload's bytes depend on beyond its key: the Python that pickled it (the key
    itself covers the rule files, the engine's source and the regex module's version)."""
    return f"python {sys.version_info[0]}.{sys.version_info[1]}"


def seal(key: str, obj: Any) -> bytes:
    """The bytes of a cache entry holding ``obj`` under ``key``."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    header = {"format": FORMAT, "version": _version(), "key": key, "blake2b": hex_digest(payload),
              "size": len(payload)}
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload


def unseal(data: bytes, key: str) -> Any:
    """The object in a cache entry made by :func:`seal` with ``key``; None when the entry is not
    one, is for another key or version, or is damaged (its bytes are then never unpickled)."""
    if not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    if end < 0:
        return None
    try:
        header = json.loads(data[len(MAGIC):end])
    except (ValueError, UnicodeDecodeError):
        return None
    payload = data[end + 1:]
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key or \
            header.get("version") != _version() or header.get("size") != len(payload) or \
            header.get("blake2b") != hex_digest(payload):
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - checked bytes that still do not load (another Python): rebuild
        return None


def read_entry(path: Path, key: str) -> Any:
    """The object kept at ``path`` under ``key``, or None (no entry, or one that does not check out)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return unseal(data, key)


def write_entry(path: Path, key: str, obj: Any) -> bool:
    """Keep ``obj`` at ``path`` (whole or not at all); False when it cannot be written."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        data = seal(key, obj)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except (OSError, RecursionError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True
