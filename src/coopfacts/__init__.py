"""coopfacts: quantified claims with exact spans from Arabic, Persian and French news text.

    >>> import coopfacts
    >>> claims = coopfacts.extract("54% des coopératives", lang="fr")  # doctest: +SKIP

``import coopfacts`` stays light: the rule engine (regex, YAML, rule files) is
imported on first use of :func:`extract`.

The name ``coopfacts.extract`` is both the engine module and the function: the
import system sets the submodule as an attribute of the package, so the module
is made callable (calling it calls ``extract.extract``) rather than hidden.
That keeps ``import coopfacts.extract as m`` and ``mock.patch("coopfacts.extract.x")``
working next to ``coopfacts.extract(text)``.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"
__all__ = ["Claim", "Document", "__version__", "extract"]


class _CallableModule(types.ModuleType):
    """The engine module ``coopfacts.extract``, callable as its ``extract()`` function."""

    def __call__(self, text: str, lang: str | None = "auto", **kw: Any) -> list:
        return self.extract(text, lang, **kw)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Called by the import system once ``coopfacts.extract`` is loaded, whoever imports it.
        if name == "extract" and isinstance(value, types.ModuleType) and not isinstance(value, _CallableModule):
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    """Lazy public names: nothing heavy is imported until one is used."""
    if name == "extract":
        return importlib.import_module(".extract", __name__)
    if name in ("Claim", "Document"):
        return getattr(importlib.import_module(".model", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
