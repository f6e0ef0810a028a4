"""HTML pages to the text of their article.

:func:`main_text` gives the article's main text: through trafilatura when it is installed (the
``html`` extra: it drops menus, footers, share buttons and comments), else through a plain reading
of the tags with the standard library (:class:`PlainText`: the text of the page's body less its
scripts, styles, navigation, headers, footers, forms and asides).  Either way character
references (``&#39;``, ``&nbsp;``) are resolved, attributes (``width:300px``, image sizes) are
never text, and block elements end lines, paragraphs being separated by a blank line.  A claim's
``start``/``end`` index this text (``coopfacts normalize page.html`` prints it).
"""
from __future__ import annotations

import importlib.util
import re
from typing import Any

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

# elements whose content is never article text
_SKIP = {"script", "style", "noscript", "template", "svg", "math", "head", "nav", "header", "footer", "aside",
         "form", "button", "select", "iframe", "object", "canvas", "figure"}
# elements that end a paragraph, and those that end a line
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
          "blockquote", "pre", "address", "hr", "body", "html", "figcaption"}
_LINE = {"br", "li", "tr", "dt", "dd", "caption"}
_CELL = {"td", "th"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def is_html_path(path: str) -> bool:
    return path.lower().endswith(HTML_SUFFIXES)


_PLAIN_TEXT: list[Any] = []


def _plain_text_class() -> Any:
    """The parser class, made at the first page: html.parser is imported only when a page is read."""
    if _PLAIN_TEXT:
        return _PLAIN_TEXT[0]
    from html.parser import HTMLParser

    class PlainText(HTMLParser):
        """The text of a page's body as the tags lay it out, without what is never the article's."""

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip: list[str] = []  # the open elements being skipped

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _VOID:
                if not self.skip:
                    self._void(tag)
                return
            if self.skip or tag in _SKIP or any(k == "hidden" for k, _ in attrs):
                self.skip.append(tag)
                return
            self._break(tag)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if not self.skip:
                self._void(tag)

        def handle_endtag(self, tag: str) -> None:
            if self.skip:
                if tag in self.skip:  # close up to the element named (tolerates unclosed children)
                    del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag):]
                return
            self._break(tag)

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

        def _void(self, tag: str) -> None:
            if tag == "br":
                self.parts.append("\n")
            elif tag == "hr":
                self.parts.append("\n\n")

        def _break(self, tag: str) -> None:
            if tag in _BLOCK:
                self.parts.append("\n\n")
            elif tag in _LINE:
                self.parts.append("\n")
            elif tag in _CELL:
                self.parts.append("\t")

        def text(self) -> str:
            return tidy("".join(self.parts))

    _PLAIN_TEXT.append(PlainText)
    return PlainText


def __getattr__(name: str) -> Any:
    if name == "PlainText":
        return _plain_text_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def tidy(text: str) -> str:
    """Spaces collapsed within lines, lines trimmed, at most one blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + ("\n" if out else "")


def plain_text(markup: str) -> str:
    """The page's text with the standard library's parser (no extractor installed)."""
    parser = _plain_text_class()()
    parser.feed(markup)
    parser.close()
    return parser.text()


def have_extractor() -> bool:
    return importlib.util.find_spec("trafilatura") is not None


def main_text(markup: str, *, extractor: bool | None = None) -> str:
    """The article's text in the page ``markup`` (see the module docstring).  ``extractor``: True
    to require trafilatura, False for the plain reading, None for trafilatura when installed.  A
    page from which the extractor keeps nothing (a page that is all article, or too short for it
    to judge) is read plainly."""
    use = have_extractor() if extractor is None else extractor
    if use:
        import trafilatura

        found = trafilatura.extract(markup, include_comments=False, include_tables=True, include_images=False,
                                    include_links=False, favor_precision=True, deduplicate=False,
                                    output_format="txt")
        if found and found.strip():
            return tidy(found)
    return plain_text(markup)
