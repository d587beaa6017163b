"""Publisher notices and page chrome recognised by their shape, on a single page.

Some text is template by what it looks like, whatever the corpus size: a
copyright notice ("Copyright 2008 The Associated Press. All rights reserved.
This material may not be published, broadcast, rewritten or redistributed.",
"(c) MMVIII, CBS Corporation"), a wire credit line ("Reporting by Jane Doe;
Editing by John Roe"), a prompt ("Click here for more sports headlines!"), a time stamp line
("Posted: June 5, 2008 12:41 PM CDT"), a row
of page tools ("E-mail article | Print-friendly | Subscribe to RSS") or a menu of
short links separated by pipes. Every copy of a wire story carries the same
notice, so counted as shared text it would link every page that carries *any*
story of that agency. :func:`shape_of` names the shape of one sentence or line;
``boilerplate`` labels such text, never deletes it.

A notice that names an agency is still evidence of where a story came from:
:func:`wire_credits` returns those names with their offsets, for provenance.

>>> shape_of("Copyright 2008 The Associated Press. All rights reserved.")
'notice'
>>> shape_of("(Reporting by Jane Doe; Editing by John Roe)"), shape_of("Home | News | Sports")
('credit', 'menu')
>>> shape_of("Police said the fire started in the kitchen shortly after midnight.") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .types import Segment

Shape = Literal["notice", "credit", "prompt", "stamp", "menu", "tools"]

MAX_LINE_WORDS = 40
"""Notices, credits and prompts are short; a longer sentence is prose that mentions them."""
MAX_ITEM_WORDS = 4
"""A menu item or a page tool is a few words ("Print-friendly version")."""

_NOTICE_START = re.compile(
    r"^\W{0,3}(?:copyright\b|\u00a9|\(c\)\s*(?:\d{4}|[MDCLXVI]{2,}\b|[A-Z]))", re.IGNORECASE
)
_NOTICE_ANY = re.compile(
    r"\ball\s+rights\s+reserved\b|(?:\(c\)|\u00a9)\s*(?:(?:19|20)\d\d|M[MDCLXVI]{2,})\b"
    r"|\bmay\s+not\s+be\s+(?:re)?published,?\s+(?:or\s+)?broadcast"
    r"|\brewritten,?\s+or\s+redistributed\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\W{0,2}(?:additional\s+)?(?:reporting|writing|editing|edited|written|compiled|"
    r"contributing|translated)(?:\s+\w+){0,2}\s+by\b",
    re.IGNORECASE,
)
# "Posted: June 5, 2008 12:41 PM CDT", "Last updated 3:02 p.m.": a time stamp line.
_STAMP = re.compile(
    r"^\W{0,2}(?:posted|updated|last\s+updated|published|modified|created)\b[^.!?]{0,60}\d",
    re.IGNORECASE,
)
_PROMPT = re.compile(r"^\W{0,2}(?:click|tap)\s+(?:here|below)\b", re.IGNORECASE)
_SEPARATOR_MARKS = "|\u2022\u00b7\u00a6"
_SEPARATOR = re.compile(rf"\s*[{_SEPARATOR_MARKS}]\s*")
# Words of page tools, as they appear in rows such as "E-mail article | Print | Subscribe to RSS".
_TOOL_WORDS = frozenset(
    {
        "email",
        "e-mail",
        "mail",
        "print",
        "printer",
        "print-friendly",
        "printer-friendly",
        "printable",
        "subscribe",
        "rss",
        "share",
        "bookmark",
        "digg",
        "del.icio.us",
        "delicious",
        "reddit",
        "facebook",
        "twitter",
        "stumbleupon",
        "comment",
        "comments",
        "reprints",
        "reprint",
        "save",
        "text",
        "font",
        "size",
        "permalink",
        "trackback",
        "recommend",
        "feed",
        "feeds",
        "podcast",
        "newsletter",
    }
)
# Words that go with tool words in a single tool line ("Email this story to a friend").
_TOOL_FILLER = frozenset(
    {
        "article",
        "story",
        "this",
        "page",
        "version",
        "to",
        "a",
        "the",
        "link",
        "send",
        "post",
        "view",
        "friend",
        "us",
        "on",
        "add",
        "your",
        "now",
        "via",
        "and",
        "options",
        "tools",
    }
)
_NAME_GLUE = frozenset({"by", "and", "in", "with", "from", "of", "at", "for", "de", "van", "von"})
_WORD = re.compile(r"[\w.'-]+")
_SENTENCE_END = re.compile(r"[.!?]['\"\u2019\u201d)]*$")


def _items(text: str) -> list[str]:
    text = text.strip()
    if not any(mark in text for mark in _SEPARATOR_MARKS):  # prose: one item, no regex
        return [text] if text else []
    return [item for item in _SEPARATOR.split(text) if item.strip()]


def _is_tools(items: Sequence[str]) -> bool:
    """Every item a few words, most of them naming a page tool; a lone item nothing else."""
    tool = 0
    alone = len(items) == 1
    limit = MAX_ITEM_WORDS + alone * 2
    for item in items:
        words = []
        for match in _WORD.finditer(item):  # stop at the first word over the limit: a
            w = match.group()               # sentence of prose is most items seen here
            if not w.isdigit():
                w = w.lower().strip(".'")
                if alone and w not in _TOOL_WORDS and w not in _TOOL_FILLER:
                    return False  # "Share prices fall" is a headline, not a tool
                words.append(w)
                if len(words) > limit:
                    return False
        if not words:
            return False
        tool += any(w in _TOOL_WORDS for w in words)
    return tool > len(items) / 2


def _menu_item(item: str) -> bool:
    """A link label: a few words that start with a letter, not a figure or a sentence."""
    words = item.split()
    return (
        len(words) <= MAX_ITEM_WORDS
        and item.lstrip("\\ ")[:1].isalpha()
        and not _SENTENCE_END.search(item)
    )


def _is_credit(line: str) -> bool:
    """ "Reporting by Jane Doe in Cairo; Editing by John Roe": names, not a sentence of prose."""
    if not _CREDIT.search(line):
        return False
    words = [w for w in _WORD.findall(line) if w[0].isalpha()]
    lower = [w for w in words[1:] if w[0].islower() and w.lower() not in _NAME_GLUE]
    return len(lower) <= len(words) // 5


@lru_cache(maxsize=1 << 16)
def shape_of(text: str) -> Shape | None:
    """The template shape of one sentence or line, or None for anything else.

    >>> shape_of("E-mail article | Print-friendly | Subscribe to RSS"), shape_of("E-mail article")
    ('tools', 'tools')
    >>> shape_of("Click here for more Houston headlines!"), shape_of("(c) MMVIII, CBS Corporation")
    ('prompt', 'notice')
    >>> shape_of("Posted: June 5, 2008 12:41 PM CDT"), shape_of("All content (c) MMVIII, KXRV.")
    ('stamp', 'notice')
    >>> shape_of("The (c) section of the law was repealed in 2004.") is None
    True

    A shape depends on the text alone, and the index labels a stored article's
    sentences again each time it meets the article among candidates: shapes are
    cached (the last 65,536 texts).
    """
    line = " ".join(text.split())
    if not line:
        return None
    n_words = len(line.split())
    if n_words <= MAX_LINE_WORDS:
        if _NOTICE_START.search(line) or _NOTICE_ANY.search(line):
            return "notice"
        if _is_credit(line):
            return "credit"
        if _PROMPT.search(line):
            return "prompt"
        if n_words <= MAX_ITEM_WORDS * 3 and _STAMP.search(line):
            return "stamp"
    items = _items(line)
    if _is_tools(items):
        return "tools"
    table_row = line.startswith("|") and line.endswith("|")  # a data table, as extracted
    if len(items) >= 3 and not table_row and all(_menu_item(i) for i in items):
        return "menu"
    return None


@dataclass(frozen=True, slots=True)
class WireCredit:
    """An agency named in a notice or credit line: ``text[start:end] == name``."""

    agency: str
    start: int
    end: int
    notice: str


def wire_credits(
    text: str, segments: Iterable[Segment], agencies: Iterable[str]
) -> list[WireCredit]:
    """Agencies named in the notices and credit lines of one document, with offsets.

    A wire story's copyright notice is page furniture for matching but says who
    wrote the story; provenance can weigh it as a credit. ``agencies`` are the
    names to look for (``ProvenanceConfig.wire_outlets``).

    >>> from syndetect.segment import segment
    >>> t = "Rain fell.\\nCopyright 2008 The Associated Press. All rights reserved."
    >>> [(c.agency, t[c.start:c.end]) for c in wire_credits(t, segment("a", t), ["Associated Press"])]
    [('Associated Press', 'Associated Press')]
    """
    names = sorted({a for a in agencies if a}, key=lambda a: (-len(a), a))
    if not names:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in names) + r")(?!\w)")
    out: list[WireCredit] = []
    seen: set[tuple[int, int]] = set()
    for seg in segments:
        if shape_of(seg.text) not in ("notice", "credit"):
            continue
        for m in pattern.finditer(text, seg.start, seg.end):
            if (m.start(), m.end()) not in seen:
                seen.add((m.start(), m.end()))
                out.append(WireCredit(m.group(0), m.start(), m.end(), seg.text))
    return sorted(out, key=lambda c: (c.start, c.end))
