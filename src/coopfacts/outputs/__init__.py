"""What coopfacts writes: claim records as a table, JSON, JSON Lines, CSV or an HTML report.

``make_writer(fmt, out)`` gives a :class:`Writer` of one of :data:`FORMATS`;
``atomic_output(path)`` is ``-o FILE`` (the file appears only once complete);
``render_html`` / ``HtmlWriter`` make the self-contained HTML report.

The names are loaded on first use, so that importing this package costs nothing
(the command line imports inside its commands).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coopfacts.outputs.base import Writer, cell, clean_value
    from coopfacts.outputs.html import HtmlWriter, render_html
    from coopfacts.outputs.target import atomic_output
    from coopfacts.outputs.writers import FORMATS, WIDE, TableWriter, make_writer

_WHERE = {
    "Writer": "base", "clean_value": "base", "cell": "base",
    "make_writer": "writers", "FORMATS": "writers", "TableWriter": "writers", "WIDE": "writers",
    "atomic_output": "target",
    "render_html": "html", "HtmlWriter": "html",
}

__all__ = ["FORMATS", "WIDE", "HtmlWriter", "TableWriter", "Writer", "atomic_output", "cell", "clean_value",
           "make_writer", "render_html"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value  # found once: later look-ups do not come here
    return value
