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

from ..site import clean_outlet, clean_title, site_of
from ..types import DateStrength, Document
from .dates import ParsedDate, date_fields, date_metadata, parse_stamp
from .decode import normalize_newlines
from .header import parse_header
from .language import guess_language
from .pagemeta import PageMeta, read_page_meta
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


MAX_STAMP_DRIFT_DAYS = 1
"""A timestamp may sit one calendar day from htmldate's date (time zones), no more."""


def _published(meta: PageMeta, day: ParsedDate | None, as_of: datetime) -> ParsedDate | None:
    """The page's publication time of day, when its markup states one that agrees with ``day``.

    htmldate's date keeps only the day, so a copy published twelve hours after
    its source would tie with it. The first stated timestamp with a time is
    taken, unless it disagrees with htmldate's pick by more than a day (then
    htmldate, which weighs all the page's dates, is trusted).
    """
    for stamp in meta.published:
        parsed = parse_stamp(stamp.value, as_of=as_of)
        if parsed is None or parsed.period != "time":
            continue
        if day is not None:
            drift = abs(
                (date.fromisoformat(parsed.iso[:10]) - date.fromisoformat(day.iso[:10])).days
            )
            if drift > MAX_STAMP_DRIFT_DAYS:
                continue
        return parsed
    if day is None:
        return next(
            (p for p in (parse_stamp(s.value, as_of=as_of) for s in meta.published) if p), None
        )
    return day


def _outlet(meta: PageMeta, extracted: Any, site: str | None) -> str | None:
    """The outlet's name from metadata written for it, never from a copyright notice.

    ``og:site_name`` first, then the JSON-LD publisher, the application name and
    trafilatura's pick (unless it is the copyright meta), then the site itself.
    """
    sitename = getattr(extracted, "sitename", None)
    if sitename and meta.copyright and sitename.strip() == meta.copyright.strip():
        sitename = None
    for name in (meta.site_name, meta.publisher, meta.app_name, sitename):
        cleaned = clean_outlet(name)
        if cleaned:
            return cleaned
    return site


def _title(meta: PageMeta, extracted: Any, names: list[str | None]) -> str | None:
    """The story's title: the first candidate that is neither the site's name nor a notice."""
    single_h1 = meta.h1[0] if len(meta.h1) == 1 else None
    candidates = (
        getattr(extracted, "title", None),
        meta.og_title,
        meta.headline,
        single_h1,
        meta.title_element,
        *meta.h1[1:],
    )
    for candidate in candidates:
        cleaned = clean_title(candidate, site_names=names)
        if cleaned:
            return cleaned
    return None


_BLOCKS = frozenset(
    {
        "p",
        "div",
        "table",
        "ul",
        "ol",
        "dl",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "form",
        "blockquote",
        "pre",
        "center",
    }
)
LAYOUT_CELL_WORDS = 60
"""A table cell holding more words than this is a page column, not a datum."""
_TABLE_PARTS = ("tr", "td", "th", "tbody", "thead", "tfoot")


def _own_table(element: Any) -> Any:
    return next(element.iterancestors("table"), None)


def unwrap_layout_tables(tree: Any) -> Any:
    """Tables used for page layout become plain blocks; data tables stay tables.

    Pages of the 2000s laid out masthead, menu column, story and footer as the
    cells of one table. trafilatura reads a table as a unit, so the whole page
    came through as one row of cells with the story glued between menus.
    A table is layout when one of its own cells holds block content (paragraphs,
    lists, another table) or prose (more than :data:`LAYOUT_CELL_WORDS` words);
    then its rows and cells become ``div``s, and trafilatura's per-block
    link-density and boilerplate tests can drop the menus. A line break also
    ends a line in the text (``<br>`` between inline runs glued words together).
    """
    for table in list(tree.iter("table")):
        parts = [el for el in table.iter(*_TABLE_PARTS) if _own_table(el) is table]
        cells = [el for el in parts if el.tag in ("td", "th")]
        layout = any(
            any(child.tag in _BLOCKS for child in cell.iterdescendants())
            or len(cell.text_content().split()) > LAYOUT_CELL_WORDS
            for cell in cells
        )
        if layout:
            for el in (table, *parts):
                el.tag = "div"
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return tree


def _extract(tree: Any, url: str | None, as_of: datetime) -> Any:
    """trafilatura's extraction, or None; it must never take a load down."""
    try:
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
            # Precision first: every menu word that gets through can become false
            # evidence of reuse (benchmarks/extraction_eval.py: F1 up, recall -0.008).
            favor_precision=True,
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
    site: str | None = None,
) -> Document:
    """Extract the article in ``data``; a skipped ``no_article`` Document if there is none.

    ``url`` (e.g. a WARC target URI) is preferred to the page's canonical URL,
    which is then kept in ``metadata["canonical_url"]``. ``fallback_date`` is a
    (date, source name) pair used, with ``date_strength="page"``, when neither
    the markup nor the top of the text has a date. ``site`` declares the page's
    site; by default it is that of ``url``, else of the canonical link, else the
    page's ``og:site_name``.
    """
    try:
        tree = trafilatura.load_html(data)
    except Exception as err:  # lxml raises assorted errors on broken markup
        logger.debug("unparsable HTML %s: %s", source, err)
        tree = None
    page = read_page_meta(tree) if tree is not None else PageMeta()
    if tree is not None:
        try:
            tree = unwrap_layout_tables(tree)
        except Exception as err:  # odd trees (comments, processing instructions as cells)
            logger.debug("layout tables left as they are in %s: %s", source, err)
    extracted = _extract(tree, url, as_of) if tree is not None else None
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

    # Without any URL, the name the site gives itself identifies it.
    site = site_of(url, canonical, page.canonical_url, page.og_url, declared=site) or (
        clean_outlet(page.site_name)
    )
    if site:
        meta["site"] = site
    if page.copyright:
        meta["copyright"] = page.copyright
    outlet = _outlet(page, extracted, site)
    title = _title(page, extracted, [outlet, site, page.site_name])

    parsed = _published(page, _metadata_date(extracted.date), as_of)
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
        title=title,
        outlet=outlet,
        byline=extracted.author or None,
        url=url or canonical or None,
        language=guess_language(text),
        metadata=meta,
        site=site,
        **date_fields(parsed, strength=strength),
    )
