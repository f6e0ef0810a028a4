"""Compiled languages kept between runs, in the user's cache directory; and the regexes the
engine's own code writes (fixed_regex)."""
from __future__ import annotations

import atexit
import sys
from pathlib import Path
from typing import Any

import regex

from coopfacts.digest import blake2b
from coopfacts.rulebook.language import DetectHints, Language
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


_ENGINE_KEY: list[bytes] = []  # the engine's part of the key, made once per process


def _engine_key() -> bytes:
    """The key's first part: Python's and `regex`'s versions and the engine's sources, each
    module by its name, size and modification time, as Python checks a module against its
    cached bytecode (reading and hashing every module cost more than the rest of a small
    run's cache lookup). OSError when a module cannot be read."""
    if not _ENGINE_KEY:
        parts = [f"{sys.version}|{regex.__version__}|"]
        package = Path(__file__).resolve().parents[1]
        for sub in _ENGINE_PACKAGES:
            for module in sorted((package / sub).glob("*.py")):
                st = module.stat()
                parts.append(f"{sub}/{module.name}\0{st.st_size}\0{st.st_mtime_ns}\n")
        _ENGINE_KEY.append("".join(parts).encode("utf-8", "surrogateescape"))
    return _ENGINE_KEY[0]


def compiled_path(paths: list[Path]) -> Path | None:
    """Where the compiled language made of the rule files ``paths`` is kept (None: no cache)."""
    base = cache_dir()
    if base is None:
        return None
    try:
        h = blake2b(_engine_key(), digest_size=32)
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


# Beside them, for the whole set of rule files: that every file passed the shape check, and
# each language's detection hints (their `detect` sections), so that a run whose files an
# earlier run checked reads no YAML before the first document.
_HEADS = "-heads"


def load_heads(cache: Path | None) -> dict[str, DetectHints] | None:
    """The detection hints kept for the rule files of ``cache`` (compiled_path of all of them)
    by a run that checked them; None when there are none (or they do not check out)."""
    if cache is None:
        return None
    key = cache.stem + _HEADS
    hints = read_entry(cache.with_name(key + cache.suffix), key)
    if not isinstance(hints, dict) or not all(isinstance(v, DetectHints) for v in hints.values()):
        return None
    return hints


def save_heads(cache: Path | None, hints: dict[str, DetectHints]) -> None:
    if cache is not None:
        key = cache.stem + _HEADS
        write_entry(cache.with_name(key + cache.suffix), key, hints)


# The engine's own regexes (written in its code, or made by it from the rule files' words, as
# language detection's) are compiled as its modules are imported: `regex` parses each in Python,
# about a third of a millisecond apiece, some ten milliseconds of every start. Kept pickled
# beside the compiled languages under the same engine key, they load in microseconds.
_FIXED_KEEP = 400  # regexes kept in the entry (the engine writes some forty)
_FIXED: dict[tuple[str, int], Any] = {}
_FIXED_STATE: list[Path | None] = []  # [where the entry is] once read; None: no cache
_FIXED_CHANGED: list[bool] = [False]


def fixed_regex(source: str, flags: int = 0) -> Any:
    """``regex.compile(source, flags)``, from the cache of the engine's regexes when it holds it
    (a regex compiled here is added to the cache when the process ends)."""
    if not _FIXED_STATE:
        _FIXED_STATE.append(_read_fixed())
    rx = _FIXED.get((source, flags))
    if rx is None:
        rx = _FIXED[(source, flags)] = regex.compile(source, flags)
        if _FIXED_STATE[0] is not None and not _FIXED_CHANGED[0] and len(_FIXED) <= _FIXED_KEEP:
            _FIXED_CHANGED[0] = True
            atexit.register(_save_fixed)
    return rx


def _fixed_path() -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    try:
        key = blake2b(_engine_key(), digest_size=32).hexdigest()
    except OSError:
        return None
    return base.parent / "compiled" / f"engine-regexes-{key}.pickle"


def _read_fixed() -> Path | None:
    path = _fixed_path()
    if path is not None:
        kept = read_entry(path, path.stem)
        if isinstance(kept, dict):
            _FIXED.update({k: v for k, v in kept.items() if isinstance(k, tuple) and len(k) == 2})
    return path


def _save_fixed() -> None:
    path = _FIXED_STATE[0] if _FIXED_STATE else None
    if path is not None:
        write_entry(path, path.stem, dict(list(_FIXED.items())[:_FIXED_KEEP]))
