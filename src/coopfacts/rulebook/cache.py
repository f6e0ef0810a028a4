"""Compiled languages kept between runs, in the user's cache directory."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import regex

from coopfacts.rulebook.language import Language
from coopfacts.rulebook.sealed import read_entry, write_entry
from coopfacts.rulebook.shapes import cache_dir

# A compiled language is kept in the user's cache directory: the `regex` module parses
# patterns in Python (tens of milliseconds for a language), while a pickled pattern holds
# its compiled code and loads in microseconds. The key covers everything the result
# depends on: the rule files (paths and bytes), the engine's source, and the versions of
# Python and `regex`; an entry that cannot be read or written is simply not used.
_KEEP_COMPILED = 32  # compiled languages kept in the cache (about 100 KB each)
# what a compiled language is made by: every module of these packages (named by folder, not
# file by file, so that a module added or moved is in the key too)
_ENGINE_PACKAGES = ("rulebook", "text", "engine")


def compiled_path(paths: list[Path]) -> Path | None:
    """Where the compiled language made of the rule files ``paths`` is kept (None: no cache)."""
    base = cache_dir()
    if base is None:
        return None
    h = hashlib.sha256(f"{sys.version}|{regex.__version__}|".encode())
    package = Path(__file__).resolve().parents[1]
    try:
        for sub in _ENGINE_PACKAGES:
            for module in sorted((package / sub).glob("*.py")):
                h.update(module.name.encode() + b"\0" + module.read_bytes())
        for p in paths:
            h.update(str(p).encode("utf-8", "surrogateescape") + b"\0")
            h.update(Path(p).read_bytes())
    except OSError:
        return None  # an unreadable file: compiling will say which
    return base.parent / "compiled" / (h.hexdigest() + ".pickle")


def load_compiled(cache: Path | None, code: str | None = None) -> Language | None:
    """The compiled language kept at ``cache``, when its entry checks out (coopfacts.rulebook.sealed:
    key, version, checksum, all before unpickling) and is the language ``code``; else None."""
    if cache is None:
        return None
    lang = read_entry(cache, cache.stem)
    if not isinstance(lang, Language) or (code is not None and getattr(lang, "code", code) != code):
        return None
    return lang


def save_compiled(cache: Path | None, lang: Language) -> None:
    if cache is None:
        return
    if not write_entry(cache, cache.stem, lang):
        return  # no cache this time
    try:
        # every edit of a rule file or of the engine leaves an entry: keep the latest few
        entries = sorted(cache.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-_KEEP_COMPILED]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
