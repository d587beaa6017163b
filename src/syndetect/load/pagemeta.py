"""What an HTML page says about itself in markup: site name, titles, links, timestamps.

trafilatura reads most of this too, but it folds sources together: its site name
falls back to ``<meta name="copyright">``, and htmldate's dates keep only the day.
This module reads the fields one by one, so that the loader can prefer the ones
written for that purpose (``og:site_name``, ``article:published_time``) and refuse
page furniture. Nothing here raises on odd markup; absent fields are None.

>>> import lxml.html
>>> tree = lxml.html.fromstring(
...     '<html><head><meta property="og:site_name" content="Daily Example">'
...     '<meta name="copyright" content="(c) 2008 Example Media Group">'
...     '<meta property="article:published_time" content="2008-05-09T14:30:00-04:00">'
...     '<link rel="canonical" href="http://www.example.com/news/1"></head><body></body></html>')
>>> meta = read_page_meta(tree)
>>> (meta.site_name, meta.copyright, meta.canonical_url)
('Daily Example', '(c) 2008 Example Media Group', 'http://www.example.com/news/1')
>>> [(p.source, p.value) for p in meta.published]
[('article:published_time', '2008-05-09T14:30:00-04:00')]
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

# Publication timestamps, most specific first. Modification dates are not here:
# an update time says when a page changed, not when its story first appeared.
_PUBLISHED_PROPERTIES = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
)
_PUBLISHED_NAMES = (
    "article:published_time",
    "publication_date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "article_date_original",
    "originalpublicationdate",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date.created",
    "dc.date",
    "date",
)
_SITE_NAMES = ("og:site_name",)
_APP_NAMES = ("application-name", "apple-mobile-web-app-title")
_ARTICLE_TYPES = ("article", "newsarticle", "reportagenewsarticle", "blogposting", "webpage")
MAX_JSON_LD_CHARS = 200_000
"""Larger JSON-LD blocks are data dumps, not page metadata."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """A publication timestamp as written in the markup, with where it was found."""

    source: str
    value: str


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Fields of one page's markup; None (or empty) when the page does not state them."""

    site_name: str | None = None
    publisher: str | None = None
    app_name: str | None = None
    og_title: str | None = None
    headline: str | None = None
    title_element: str | None = None
    h1: tuple[str, ...] = ()
    canonical_url: str | None = None
    og_url: str | None = None
    copyright: str | None = None
    published: tuple[Stamp, ...] = field(default_factory=tuple)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Objects of the page's JSON-LD blocks, ``@graph`` members flattened."""
    out: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        raw = script.text or ""
        if not raw.strip() or len(raw) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return out


def _ld_type(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.lower() for k in kinds if isinstance(k, str)]


def read_page_meta(tree: Any) -> PageMeta:
    """The self-description of the page whose lxml tree is ``tree``."""
    found: dict[str, str] = {}
    names: dict[str, str] = {}
    stamps: list[Stamp] = []
    try:
        for meta in tree.iterfind(".//meta"):
            content = _text(meta.get("content"))
            if not content:
                continue
            prop = (meta.get("property") or "").strip().lower()
            name = (meta.get("name") or "").strip().lower()
            itemprop = (meta.get("itemprop") or "").strip().lower()
            for key in (prop, name):
                if key:
                    names.setdefault(key, content)
            if prop in _PUBLISHED_PROPERTIES:
                stamps.append(Stamp(prop, content))
            if itemprop == "datepublished":
                stamps.append(Stamp("itemprop:datePublished", content))
        for key in _PUBLISHED_NAMES:
            if key in names and key not in _PUBLISHED_PROPERTIES:
                stamps.append(Stamp(f"meta:{key}", names[key]))
        for elem in tree.iterfind(".//*[@itemprop='datePublished']"):
            value = _text(elem.get("datetime"))
            if value:
                stamps.append(Stamp("itemprop:datePublished", value))
        for item in _json_ld(tree):
            if not set(_ld_type(item)) & set(_ARTICLE_TYPES):
                continue
            value = _text(item.get("datePublished"))
            if value:
                stamps.append(Stamp("json-ld:datePublished", value))
            found.setdefault("headline", _text(item.get("headline")) or "")
            publisher = item.get("publisher")
            if isinstance(publisher, dict):
                found.setdefault("publisher", _text(publisher.get("name")) or "")
        for elem in tree.iterfind(".//time[@datetime]"):
            if elem.get("pubdate") is not None or "publish" in (elem.get("class") or ""):
                value = _text(elem.get("datetime"))
                if value:
                    stamps.append(Stamp("time[pubdate]", value))
        canonical = next(
            (
                _text(link.get("href"))
                for link in tree.iterfind(".//link[@href]")
                if "canonical" in (link.get("rel") or "").lower().split()
            ),
            None,
        )
        title_elem = tree.find(".//title")
        h1 = tuple(t for t in (_text(h.text_content()) for h in tree.iterfind(".//h1")) if t)
    except Exception as err:  # lxml raises assorted errors on broken trees
        logger.debug("page metadata unreadable: %s", err)
        return PageMeta()
    site = next((names[k] for k in _SITE_NAMES if k in names), None)
    app = next((names[k] for k in _APP_NAMES if k in names), None)
    unique: dict[tuple[str, str], Stamp] = {}
    for stamp in stamps:
        unique.setdefault((stamp.source, stamp.value), stamp)
    return PageMeta(
        site_name=site,
        publisher=found.get("publisher") or None,
        app_name=app,
        og_title=names.get("og:title") or names.get("twitter:title"),
        headline=found.get("headline") or None,
        title_element=_text(title_elem.text_content()) if title_elem is not None else None,
        h1=h1,
        canonical_url=canonical,
        og_url=names.get("og:url"),
        copyright=names.get("copyright") or names.get("dc.rights") or names.get("rights"),
        published=tuple(unique.values()),
    )
