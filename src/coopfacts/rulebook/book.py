"""The rulebook: every language of the rule files, each compiled on first use.

A language is one YAML file ``rules/<code>.yaml`` or a folder ``rules/<code>/`` of YAML
files merged in name order; ``rules/common.yaml`` holds patterns every language shares and
is merged into each. The engine knows no language: every word it matches comes from a file.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from coopfacts.rulebook.cache import compiled_path, load_compiled, load_heads, save_compiled, save_heads
from coopfacts.rulebook.language import DetectHints, Language, LanguageInfo
from coopfacts.rulebook.schema import KINDS, RULE_FILE
from coopfacts.rulebook.shapes import Located, load_yaml
from coopfacts.rulebook.sources import rule_sources

__all__ = ["KINDS", "Rulebook", "get_rulebook"]


class Rulebook:
    """All languages, compiled on first use (only the languages a run needs)."""

    def __init__(self, extra_dirs: list[str | Path] | None = None):
        self.sources = rule_sources(extra_dirs)
        self._cache: dict[str, Language] = {}
        self._loaded: dict[str, list[Located]] = {}
        self._common: list[Located] | None = None
        self._hints: dict[str, DetectHints] = {}  # from the cache: files checked by an earlier run
        self._lock = threading.RLock()  # one compilation of a language, whatever the threads

    @property
    def languages(self) -> list[str]:
        return sorted(k for k in self.sources if k != "common")

    def _docs(self, stem: str) -> list[Located]:
        if stem not in self._loaded:
            with self._lock:
                if stem not in self._loaded:
                    self._loaded[stem] = [load_yaml(p) for p in self.sources.get(stem, [])]
        return self._loaded[stem]

    def check_all(self) -> None:
        """Read and shape-check every rule file (cheap: nothing is compiled), so that a
        malformed file stops a run before any output; patterns compile on first use.

        Files already checked by an earlier run (the same paths and bytes, the same engine:
        the compiled cache's key) are not read again: that run kept their languages' detection
        hints, which is all that start-up needs of them."""
        heads = compiled_path(self._all_paths())
        hints = load_heads(heads)
        if hints is not None and set(hints) == set(self.languages):
            self._hints = hints
            return
        for stem in self.sources:
            for doc in self._docs(stem):
                RULE_FILE.check(doc, doc.data, ())
        save_heads(heads, {code: self.detect_hints(code) for code in self.languages})

    def _all_paths(self) -> list[Path]:
        return [Path(p) for stem in sorted(self.sources) for p in self.sources[stem]]

    def detect_hints(self, code: str) -> DetectHints:
        """How a language is recognised (script, marker characters, fallback), without compiling
        its rules: read from its files' ``detect`` section."""
        if code in self._hints:
            return self._hints[code]
        detect: dict[str, Any] = {}
        fold: dict[str, str] = {}
        for d in self._docs(code):
            if not isinstance(d.data, dict):
                continue
            if isinstance(d.data.get("detect"), dict):
                detect.update(d.data["detect"])
            normalize = d.data.get("normalize")
            if isinstance(normalize, dict) and isinstance(normalize.get("fold"), dict):
                for chars, to in normalize["fold"].items():
                    if isinstance(chars, str) and isinstance(to, str) and len(to) == 1:
                        fold.update(dict.fromkeys(chars, to))
        words = tuple(str(w) for w in detect.get("words", ()) if isinstance(w, str))
        return DetectHints(str(detect.get("script", "any")).lower(), str(detect.get("markers", "")),
                           bool(detect.get("fallback", False)), words, fold)

    def info(self, code: str) -> LanguageInfo:
        """A language's name, direction, numbering system and script, from its files' heads,
        without compiling its rules (the HTML report, language lists)."""
        meta: dict[str, Any] = {}
        for d in self._docs(code):
            if isinstance(d.data, dict):
                meta.update({k: d.data[k] for k in ("name", "direction", "numbering") if k in d.data})
        return LanguageInfo(code, str(meta.get("name", code)), str(meta.get("direction", "ltr")),
                            str(meta.get("numbering", "latn")), self.detect_hints(code).script)

    def language(self, code: str) -> Language:
        """The compiled language ``code`` (KeyError for a code with no rule file)."""
        lang = self._cache.get(code)
        if lang is None:
            with self._lock:
                lang = self._cache.get(code)
                if lang is None:
                    lang = self._cache[code] = self._compile(code)
        return lang

    def _compile(self, code: str) -> Language:
        if code not in self.sources or code == "common":
            raise KeyError(code)
        cache = compiled_path([*self.sources[code], *self.sources.get("common", [])])
        lang = load_compiled(cache, code)
        if lang is not None:
            return lang
        if self._common is None:
            self._common = self._docs("common")
        docs = self._docs(code)
        for doc in docs:  # a file may say which language it belongs to: the one its name says
            declared = doc.data.get("language") if isinstance(doc.data, dict) else None
            if declared is not None and declared != code:
                where = "folder" if Path(doc.path).parent.name == code else "file"
                raise doc.error(("language",), f"file declares language {declared!r} but its {where} is named {code!r}")
        from coopfacts.rulebook.compiler import compile_language  # only on a cache miss: start-up stays light

        lang = compile_language(code, docs + self._common)
        save_compiled(cache, lang)
        return lang


_DEFAULT: dict[tuple[str, ...], Rulebook] = {}
_DEFAULT_LOCK = threading.Lock()


def get_rulebook(extra_dirs: list[str | Path] | None = None) -> Rulebook:
    key = tuple(str(x) for x in (extra_dirs or []))
    with _DEFAULT_LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = Rulebook(extra_dirs)
        return _DEFAULT[key]
