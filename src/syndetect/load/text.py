"""Scraped plain text -> a Document, with header metadata and a stated date base.

The whole decoded text is kept as ``Document.text`` (header lines included;
boilerplate labelling, not the loader, decides what is template text), so that
every later offset indexes what is on disk.

>>> from datetime import datetime, timezone
>>> doc = text_document(
...     "London Daily\\nFriday, May 09, 2025\\nA Big Story About Things\\n" + "Some prose. " * 20,
...     doc_id="a.txt", source="corpus/a.txt", as_of=datetime(2025, 6, 1, tzinfo=timezone.utc),
... )
>>> (doc.outlet, doc.published_at, doc.date_strength, doc.date_is_relative, doc.title)
('London Daily', '2025-05-09', 'page', False, 'A Big Story About Things')
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from ..site import clean_outlet, clean_title
from ..types import Document
from .dates import date_fields, date_metadata
from .header import parse_header
from .language import guess_language

logger = logging.getLogger(__name__)


def text_document(
    text: str,
    *,
    doc_id: str,
    source: str,
    as_of: datetime,
    metadata: dict[str, Any] | None = None,
) -> Document:
    """A Document from scraped article text, with title/outlet/byline/date from its header.

    Relative dates ("3 days ago") resolve against ``as_of`` and are flagged.
    """
    header = parse_header(text, as_of=as_of)
    meta = {"format": "text", **(metadata or {})}
    meta.update(date_metadata(header.date, source="page-header", as_of=as_of))
    return Document(
        id=doc_id,
        text=text,
        source=source,
        title=clean_title(header.title, site_names=[header.outlet]),
        outlet=clean_outlet(header.outlet),
        byline=header.byline,
        language=guess_language(text),
        metadata=meta,
        **date_fields(header.date, strength="page"),
    )
