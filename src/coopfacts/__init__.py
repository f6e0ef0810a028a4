"""coopfacts: quantified claims with exact spans from Arabic, Persian and French news text.

    >>> import coopfacts
    >>> [c.value for c in coopfacts.extract("بیش از ۲۹ هزار صندوق", lang="fa")]
    [29000]

The public API is this module's functions and types: :func:`extract`, :func:`numbers`,
:func:`load` (an :class:`Engine` for rule directories of your own), :class:`Claim` and
:class:`Document`. ``import coopfacts`` stays light: the rule engine (regex, YAML, the rule
files) is imported on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Claim", "Document", "Engine", "__version__", "extract", "load", "numbers"]

if TYPE_CHECKING:  # pragma: no cover
    import datetime
    from collections.abc import Iterable

    from coopfacts.engine.api import Engine
    from coopfacts.model import Claim, Document, NumberRecord


def extract(text: str, lang: str = "auto", *, kinds: str | Iterable[str] | None = None, doc: str | None = None,
            reference_date: datetime.date | str | None = None, rules: Iterable[str] | None = None) -> list[Claim]:
    """Every quantified claim in ``text``, in reading order, as :class:`Claim` objects.

    ``lang``: ``auto`` (detected; a paragraph in another script, an Arabic quotation in a French
    story, is read in its own language) or a language code of the rule files (``ar``, ``fa``, ``fr``);
    ``kinds``: keep only these kinds (``"money"``, ``"money,percent"`` or a list of kinds:
    count, money, percent, ratio, duration, quantity, date); ``doc``: the document id the
    claims carry (and their ``id`` is made from); ``reference_date``: a ``datetime.date`` or
    ``"YYYY-MM-DD"`` against which relative time (``l'an dernier``) is resolved; ``rules``:
    extra rule directories.  Raises ``ValueError`` for an unknown language or kind, ``TypeError``
    for a text that is not a ``str``.

    ``claim.to_dict()`` is the record the command line writes (every field, schema 2.0:
    ``id``, ``context``, ``number``, ``date_start``/``date_end``...; see the README).

        >>> [(c.kind, c.number, c.unit) for c in extract("Plus de 500 exposants et 3 millions d'euros",
        ...                                            lang="fr", kinds="money")]
        [('money', 3000000, 'EUR')]
    """
    return load(rules).extract(text, lang, kinds=kinds, doc=doc, reference_date=reference_date)


def numbers(text: str, lang: str = "auto", *, kinds: str | Iterable[str] | None = None, doc: str | None = None,
            rules: Iterable[str] | None = None) -> list[NumberRecord]:
    """Every numeral in ``text`` (claim or not): value, kind (``number``/``ordinal``) and span."""
    return load(rules).numbers(text, lang, kinds=kinds, doc=doc)


def load(rules: Iterable[str] | None = None) -> Engine:
    """The engine for the packaged rules plus ``rules`` (extra directories), loaded once per
    set of directories; safe to share between threads."""
    from coopfacts.engine.api import load as _load

    return _load(rules)


def __getattr__(name: str) -> Any:
    """Lazy public types: nothing heavy is imported until one is used."""
    if name in ("Claim", "Document", "NumberRecord"):
        from coopfacts import model

        return getattr(model, name)
    if name == "Engine":
        from coopfacts.engine.api import Engine

        return Engine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
