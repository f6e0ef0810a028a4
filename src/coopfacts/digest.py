"""The one hash the package uses (BLAKE2b), without `hashlib`'s start-up.

`hashlib` loads OpenSSL when it is imported: about 3 ms of every run's start-up, for claim ids
and cache keys that need nothing OpenSSL has. CPython builds BLAKE2 in (its `_blake2`
module, which `hashlib` itself serves `blake2b` from); another Python gets `hashlib`'s.
"""
from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without CPython's built-in module
    from hashlib import blake2b

__all__ = ["blake2b", "hex_digest"]


def hex_digest(data: bytes, size: int = 32) -> str:
    """``data``'s BLAKE2b digest of ``size`` bytes, in hex."""
    return blake2b(data, digest_size=size).hexdigest()
