"""A flat text extraction for HTML that defeats libxml2 (and so trafilatura).

libxml2, under lxml and trafilatura, stops building the tree at 256 nested
elements and refuses attribute values or text nodes over 10,000,000 bytes
(without its ``huge`` option, which is off for a reason); the page then seems
to hold nothing. A page built that way is hostile or broken, not empty, so when
the normal extraction finds nothing and the markup shows one of those traits,
the loaders fall back to this one: every text node outside scripts, styles and
the head, with block elements as paragraph breaks, read by the standard
library's tolerant ``html.parser`` (no tree, no depth limit). The document says
so: ``metadata["extraction"] == "flat"``.

>>> page = "<html><body>" + "<div>" * 300 + "<p>" + "Rain fell on Friday. " * 4 + "</p></body></html>"
>>> from datetime import datetime
>>> doc = flat_document(page, doc_id="deep.html", source="deep.html", as_of=datetime(2025, 6, 1))
>>> (doc.status, doc.metadata["extraction"], doc.text[:20])
('ok', 'flat', 'Rain fell on Friday.')
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from ..types import Document
from .decode import decode_text
from .text import text_document

LIBXML_MAX_DEPTH = 255
"""Deepest nesting libxml2's HTML parser builds (it stops at 256 levels)."""

LIBXML_MAX_TEXT = 10_000_000
"""Longest attribute value or text node libxml2 accepts without its ``huge`` option."""

MIN_TEXT_CHARS = 50
"""As for trafilatura's output: less than this is a stub, not an article."""

_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article",
          "section", "header", "footer", "tr", "table", "blockquote", "pre", "main", "aside",
          "nav", "figure", "figcaption", "dd", "dt", "hr", "title", "body"}


class _Flat(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.max_depth = self.max_value = 0
        self.skipping = 0
        self.in_title = False
        self.title: list[str] = []
        self.blocks: list[list[str]] = [[]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for _, value in attrs:
            self.max_value = max(self.max_value, len(value or ""))
        if tag in _VOID:
            if tag in _BLOCK:
                self.blocks.append([])
            return
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP:
            self.skipping += 1
        if tag in _BLOCK:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        if tag in _BLOCK:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        self.max_value = max(self.max_value, len(data))
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.blocks[-1].append(data)


def defeats_libxml(parsed: _Flat) -> bool:
    """True when the markup goes past one of libxml2's limits."""
    return parsed.max_depth >= LIBXML_MAX_DEPTH or parsed.max_value >= LIBXML_MAX_TEXT


def flat_document(
    data: bytes | str,
    *,
    doc_id: str,
    source: str,
    as_of: datetime,
    url: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Document | None:
    """The flat-text Document of a page that defeats libxml2, else None.

    None also when the flat text is too short to be an article.
    """
    text = decode_text(data).text if isinstance(data, bytes) else data
    parsed = _Flat()
    try:
        parsed.feed(text)
        parsed.close()
    except Exception:  # html.parser is tolerant; anything else is not a page
        return None
    if not defeats_libxml(parsed):
        return None
    paragraphs = [" ".join("".join(block).split()) for block in parsed.blocks]
    body = "\n\n".join(p for p in paragraphs if p)
    if len(body) < MIN_TEXT_CHARS:
        return None
    doc = text_document(body, doc_id=doc_id, source=source, as_of=as_of,
                        metadata={**(metadata or {}), "format": "html", "extraction": "flat",
                                  "markup_depth": parsed.max_depth})
    title = " ".join("".join(parsed.title).split())
    return replace(doc, title=title or doc.title, url=url or doc.url)
