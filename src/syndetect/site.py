"""Site identity, and outlet and title names that are not page furniture.

A *site* is the registered domain of a page's URL (public-suffix aware, from
tldextract's bundled snapshot of the Public Suffix List, never fetched at run
time): ``www.bbc.co.uk`` and ``news.bbc.co.uk`` are one site, ``bbc.co.uk``;
``a.blogspot.com`` and ``b.blogspot.com`` are two. A page without a URL takes
its canonical link, then ``og:url``; a record can declare its site outright.
Pages of one site share a template, which is what ``boilerplate`` uses this for.

Outlet names and titles are read from metadata written for readers, but pages
fill those fields with whatever the CMS has: a copyright notice in
``<meta name="copyright">`` ("Copyright (c) 2004 sportsdirectinc.com. All Rights
Reserved."), the site's name in ``<title>`` on every page. A copyright line is
never an outlet (:func:`clean_outlet`), and a title equal to the site's name is
no title (:func:`clean_title`).

>>> site_of_url("http://www.news.bbc.co.uk/2/hi/world/7390.stm")
'bbc.co.uk'
>>> clean_outlet("(c) MMVIII, CBS Corporation") is None
True
>>> clean_title("MyFox Houston", site_names=["myfoxhouston.com"]) is None
True
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "clean_outlet",
    "clean_title",
    "is_copyright_notice",
    "name_key",
    "same_site",
    "site_of",
    "site_of_url",
]

MAX_OUTLET_CHARS = 60
"""An outlet is a name; a longer string is a sentence (a notice, a slogan, a description)."""
MAX_OUTLET_WORDS = 8

# A copyright notice: the word, the sign, "(c)", "all rights reserved"; a year
# (Arabic or Roman numerals, as in "(c) MMVIII") makes a name into a notice too.
_NOTICE = re.compile(
    r"copyright|\u00a9|\(c\)|all\s+rights\s+reserved|rights\s+reserved"
    r"|may\s+not\s+be\s+(?:re)?published",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\bM{1,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b"
)
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*")  # letters (IDN too), digits, hyphens, dots
_URLISH = re.compile(r"^(?:https?:|www\.)|/", re.IGNORECASE)
# What separates a headline from the site name in a <title>: "Headline - Site", "Site | Headline".
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014:\u00bb\u00b7-]\s+|\s*\|\s*|:\s+")


@cache
def _extractor() -> Any:
    import tldextract

    # No network: the Public Suffix List snapshot that ships inside tldextract.
    # Private suffixes (blogspot.com, github.io) make each blog its own site.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def site_of_url(url: str | None) -> str | None:
    """The registered domain of ``url`` in lower case, or None for a URL without a host.

    An IP address or a single-label host (``localhost``) is its own site.

    >>> site_of_url("https://edition.cnn.com/2008/WORLD/x.html"), site_of_url("news.blogspot.com/p")
    ('cnn.com', 'news.blogspot.com')
    >>> site_of_url("file:///tmp/a.html") is None, site_of_url("http://10.0.0.7:8080/a")
    (True, '10.0.0.7')
    """
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if "://" not in url[:12]:
        url = "http://" + url.lstrip("/")
    try:
        host = (urlsplit(url).hostname or "").strip(".").lower()
    except ValueError:
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not host or not _HOST.fullmatch(host):
        return None
    parts = _extractor()(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return host if "." not in host or not parts.suffix else None


def site_of(*urls: str | None, declared: str | None = None) -> str | None:
    """The site of a page: ``declared`` (a record's own ``site`` field), else the first URL's.

    A declared value that is a URL or a host name is reduced to its registered
    domain; any other declared value (a feed's own site key) is kept as written.

    >>> site_of(None, "http://m.example.co.uk/x"), site_of("http://a.com", declared="www.b.org")
    ('example.co.uk', 'b.org')
    """
    if declared and declared.strip():
        declared = declared.strip()
        if "." in declared and " " not in declared:
            return site_of_url(declared) or declared.lower()
        return declared
    for url in urls:
        found = site_of_url(url)
        if found:
            return found
    return None


def same_site(a: str | None, b: str | None) -> bool:
    """Whether two site identities are known and equal.

    >>> same_site("cnn.com", "cnn.com"), same_site(None, None)
    (True, False)
    """
    return bool(a and b and a == b)


def is_copyright_notice(text: str) -> bool:
    """Whether ``text`` is a copyright notice rather than a name.

    >>> is_copyright_notice("Copyright (c) 2004 sportsdirectinc.com. All Rights Reserved.")
    True
    >>> is_copyright_notice("(c) MMVIII, CBS Corporation"), is_copyright_notice("CBS News")
    (True, False)
    """
    return bool(_NOTICE.search(text))


def name_key(name: str) -> str:
    """A name compacted for comparison: letters and digits only, case-folded, no ``www``/suffix.

    >>> name_key("MyFox Houston"), name_key("www.myfoxhouston.com")
    ('myfoxhouston', 'myfoxhouston')
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    if " " not in text and "." in text:
        host = site_of_url(text)
        if host:
            text = host.rsplit(".", 1)[0] if host.count(".") else host
            text = text.split(".")[0]
    if text.startswith("www."):
        text = text[4:]
    return "".join(c for c in text if c.isalnum())


def clean_outlet(name: str | None) -> str | None:
    """``name`` as an outlet name, or None when it is a notice, a URL or a sentence.

    >>> clean_outlet("@nytimes"), clean_outlet("https://www.facebook.com/cbsnews")
    ('nytimes', None)
    >>> clean_outlet("Copyright 2008 The Associated Press. All rights reserved.") is None
    True
    """
    if not name:
        return None
    name = " ".join(name.split()).strip(" |-\u2013\u2014:").lstrip("@")
    if not name or is_copyright_notice(name) or _URLISH.search(name):
        return None
    if len(name) > MAX_OUTLET_CHARS or len(name.split()) > MAX_OUTLET_WORDS:
        return None
    if _YEAR.search(name) and not any(c.isalpha() and c.islower() for c in name):
        return None  # "MMVIII" or "2008" alone: a notice cut short
    return name


def _site_words(site_names: Iterable[str | None]) -> set[str]:
    return {k for k in (name_key(n) for n in site_names if n) if k}


def clean_title(title: str | None, *, site_names: Iterable[str | None] = ()) -> str | None:
    """``title`` without a site name around it; None when it is only the site's name.

    ``site_names`` are the names the site goes by (its outlet name, its domain).
    "Headline - CBS News" becomes "Headline"; "CBS News" alone, or a copyright
    notice, is no title.

    >>> clean_title("Troops head to Iraq - CBS News", site_names=["CBS News", "cbsnews.com"])
    'Troops head to Iraq'
    >>> clean_title("Blogger News Network", site_names=["Blogger News Network"]) is None
    True
    """
    if not title:
        return None
    title = " ".join(title.split())
    if not title or is_copyright_notice(title):
        return None
    names = _site_words(site_names)
    if not names:
        return title
    if name_key(title) in names:
        return None
    cuts = list(_TITLE_SEPARATORS.finditer(title))
    if cuts:
        last, first = cuts[-1], cuts[0]
        rest = None
        if name_key(title[last.end() :]) in names:  # "Headline - Site"
            rest = title[: last.start()]
        elif name_key(title[: first.start()]) in names:  # "Site | Headline"
            rest = title[first.end() :]
        if rest is not None:
            # One word left beside the site's name is a section ("Site - News"), not a story.
            return clean_title(rest, site_names=site_names) if len(rest.split()) > 1 else None
    return title


SAME_STORY_WORDS = 0.5
"""Two pages whose word sets overlap less than this (Jaccard) tell different stories."""


def site_wide_titles(documents: Iterable[Any]) -> set[str]:
    """Ids of documents whose title is their site's, not their story's.

    A title that two pages of one site share while telling different stories
    (their words overlap less than :data:`SAME_STORY_WORDS`) is the site's title
    ("Blogger News Network" on every page). An article and its print version
    share their title and their words: that title stays.

    >>> from syndetect.types import Document
    >>> docs = [Document(id=i, text=t, title="Daily News", site="dn.com") for i, t in
    ...         (("a", "Rain fell on the city today."), ("b", "The council passed a budget."))]
    >>> sorted(site_wide_titles(docs))
    ['a', 'b']
    """
    groups: dict[tuple[str, str], list[Any]] = {}
    for doc in documents:
        if doc.status == "ok" and doc.site and doc.title:
            groups.setdefault((doc.site, name_key(doc.title)), []).append(doc)
    out: set[str] = set()
    for (_, key), members in sorted(groups.items(), key=lambda kv: kv[0]):
        if not key or len(members) < 2:
            continue
        words = [set(re.findall(r"\w+", d.text.casefold())) for d in members]
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                union = words[i] | words[j]
                if union and len(words[i] & words[j]) / len(union) < SAME_STORY_WORDS:
                    out.update(d.id for d in members)
    return out


_OWNER_NOISE = re.compile(
    r"copyright|\u00a9|\(c\)|all\s+rights\s+reserved|rights\s+reserved|\b(?:19|20)\d\d\b"
    r"|\bM[MDCLXVI]{2,}\b|\b(?:inc|llc|ltd|co|corp|plc|gmbh)\b\.?",
    re.IGNORECASE,
)
MIN_OWNER_CHARS = 4
"""An owner key shorter than this ("AP", "NBC" aside) names nothing reliably."""


def owner_key(notice: str | None) -> str | None:
    """The owner a site's copyright meta names, as a key: the notice less its words and years.

    Stations of one owner share a template across their domains, and say so in
    their copyright meta. Only the page's own meta is read, never a notice in the
    story: a wire notice names the story's owner, not the site's.

    >>> owner_key("(c) MMVIII, Fox Television Stations, Inc.")
    'foxtelevisionstations'
    >>> owner_key("Copyright 2008"), owner_key(None)
    (None, None)
    """
    if not notice:
        return None
    key = "".join(c for c in _OWNER_NOISE.sub(" ", notice).casefold() if c.isalnum())
    return key if len(key) >= MIN_OWNER_CHARS else None


def template_groups(doc: Any) -> tuple[str, ...]:
    """The groups whose template a page shares: its site, and its copyright owner's sites.

    >>> from syndetect.types import Document
    >>> d = Document(id="a", text="", site="myfoxdc.com",
    ...              metadata={"copyright": "(c) MMVIII, Fox Television Stations, Inc."})
    >>> template_groups(d)
    ('site:myfoxdc.com', 'owner:foxtelevisionstations')
    """
    groups = []
    if doc.site:
        groups.append(f"site:{doc.site}")
    owner = owner_key((doc.metadata or {}).get("copyright"))
    if owner:
        groups.append(f"owner:{owner}")
    return tuple(groups)
