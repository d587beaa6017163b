"""HTML -> a Document: article text and metadata extracted by trafilatura.

``trafilatura.bare_extraction(..., with_metadata=True)`` gives the main text and
the page's own metadata: title, author (-> ``byline``), site name (-> ``outlet``),
canonical URL and the original publication date (htmldate, restricted to
markup: meta tags, JSON-LD, ``<time>``). Those dates are ``date_strength
"metadata"``. A page without one falls back to a dateline at the top of the
extracted text (``"page"``), then to a caller's fallback such as a WARC capture
date. HTML from which trafilatura extracts nothing is skipped as ``no_article``.

>>> from datetime import datetime
>>> page = (
...     '<html><head><title>Rain</title><meta property="og:site_name" content="Daily Example">'
...     '<meta property="article:published_time" content="2025-05-09"></head><body><article>'
...     + "<p>Heavy rain fell across the city on Friday, flooding several streets downtown.</p>" * 3
...     + "</article></body></html>"
... )
>>> doc = html_document(page, doc_id="a.html", source="a.html", as_of=datetime(2025, 6, 1))
>>> (doc.outlet, doc.published_at, doc.date_strength)
('Daily Example', '2025-05-09', 'metadata')
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import trafilatura

from ..types import DateStrength, Document
from .dates import ParsedDate, date_fields, date_metadata
from .decode import normalize_newlines
from .header import parse_header
from .language import guess_language
from .problems import problem

logger = logging.getLogger(__name__)

MIN_ARTICLE_CHARS = 50
"""Less extracted text than this is a menu or a stub, not an article."""

_EXTRA_FIELDS = ("hostname", "description", "categories", "tags", "pagetype", "license")


def _metadata_date(value: str | None) -> ParsedDate | None:
    """htmldate's ``YYYY-MM-DD`` as a ParsedDate; anything else is ignored."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return ParsedDate(
        iso=day.isoformat(), text=value, is_relative=False, period="day", language=None
    )


def _extract(data: bytes | str, url: str | None, as_of: datetime) -> Any:
    """trafilatura's extraction, or None; it must never take a load down."""
    try:
        tree = trafilatura.load_html(data)
        if tree is None:
            return None
        date_params = {
            "original_date": True,
            "extensive_search": False,  # markup only; a date found in prose is not metadata
            "max_date": as_of.strftime("%Y-%m-%d"),
        }
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=date_params,
        )
    except Exception as err:  # lxml and trafilatura raise assorted errors on broken markup
        logger.debug("trafilatura failed on %s: %s", url, err)
        return None


def html_document(
    data: bytes | str,
    *,
    doc_id: str,
    source: str,
    as_of: datetime,
    url: str | None = None,
    where: str | None = None,
    fallback_date: tuple[ParsedDate, str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Document:
    """Extract the article in ``data``; a skipped ``no_article`` Document if there is none.

    ``url`` (e.g. a WARC target URI) is preferred to the page's canonical URL,
    which is then kept in ``metadata["canonical_url"]``. ``fallback_date`` is a
    (date, source name) pair used, with ``date_strength="page"``, when neither
    the markup nor the top of the text has a date.
    """
    extracted = _extract(data, url, as_of)
    text = normalize_newlines(getattr(extracted, "text", None) or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        found = f"only {text!r}" if text else "nothing"
        return problem(
            doc_id,
            source,
            "no_article",
            f"no article text in the HTML (extraction found {found})",
            where=where,
        )
    meta: dict[str, Any] = {"format": "html", **(metadata or {})}
    for name in _EXTRA_FIELDS:
        value = getattr(extracted, name, None)
        if value:
            meta[name] = value
    canonical = extracted.url
    if url and canonical and canonical != url:
        meta["canonical_url"] = canonical

    parsed = _metadata_date(extracted.date)
    strength: DateStrength = "metadata"
    date_source = "html-meta"
    if parsed is None:
        parsed, strength, date_source = parse_header(text, as_of=as_of).date, "page", "page-header"
    if parsed is None and fallback_date is not None:
        (parsed, date_source), strength = fallback_date, "page"
    meta.update(date_metadata(parsed, source=date_source, as_of=as_of))
    return Document(
        id=doc_id,
        text=text,
        source=source,
        title=extracted.title or None,
        outlet=extracted.sitename or None,
        byline=extracted.author or None,
        url=url or canonical or None,
        language=guess_language(text),
        metadata=meta,
        **date_fields(parsed, strength=strength),
    )
