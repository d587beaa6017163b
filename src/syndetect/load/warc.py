"""WARC archives -> one Document per archived HTML page (warcio + trafilatura).

Every HTTP ``response`` record whose payload is HTML goes through the same
extraction as an ``.html`` file, with ``url`` = ``WARC-Target-URI``. Relative
dates on a page resolve against its capture time (``WARC-Date``), which is also
the page's fallback date (``date_strength "page"``, ``metadata["date_source"]
= "warc-date"``): a capture date bounds publication from above, so it is weak.
Other record types (request, metadata, warcinfo) and non-HTML responses
(images, scripts) are not articles and are passed over. A response that is not
a 2xx success is skipped as ``http_status``.

A damaged archive keeps the records read before the damage and adds one
``truncated`` (the file ends inside a record) or ``corrupt`` error Document.
Record ids are ``"{file id}#{n}"``, n counting every record from 1.

>>> import io, pathlib, tempfile
>>> from warcio.warcwriter import WARCWriter
>>> from warcio.statusandheaders import StatusAndHeaders
>>> path = pathlib.Path(tempfile.mkdtemp()) / "crawl.warc.gz"
>>> with path.open("wb") as fh:
...     writer = WARCWriter(fh, gzip=True)
...     para = b"<p>Heavy rain fell across the city on Friday, flooding streets.</p>"
...     body = b"<html><body><article>" + para * 3 + b"</article></body></html>"
...     headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
...     writer.write_record(writer.create_warc_record(
...         "https://example.com/rain", "response", payload=io.BytesIO(body), http_headers=headers))
>>> [(d.id, d.url, d.status) for d in iter_warc(path, file_id="crawl.warc.gz", as_of=None)]
[('crawl.warc.gz#1', 'https://example.com/rain', 'ok')]
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from ..types import Document
from .dates import ParsedDate
from .html import html_document
from .problems import problem

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16


def _capture_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _is_html(record: Any) -> bool:
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return any(kind in content_type for kind in _HTML_TYPES)


def _record_document(
    record: Any,
    number: int,
    *,
    file_id: str,
    source: str,
    as_of: datetime | None,
    file_time: datetime,
) -> Document | None:
    """The Document of one record, or None for records that are not HTML pages."""
    doc_id, where = f"{file_id}#{number}", f"{source} record {number}"
    uri = record.rec_headers.get_header("WARC-Target-URI")
    page = record.rec_type == "response" and record.http_headers is not None and _is_html(record)
    payload = record.content_stream().read() if page else b""
    while record.raw_stream.read(_CHUNK):
        pass  # read to the end, so that a record cut short shows as unread length
    if getattr(record.raw_stream, "limit", 0) > 0:
        return problem(
            doc_id,
            source,
            "truncated",
            f"archive ends inside this record ({uri}); earlier records were kept",
            where=where,
        )
    if not page:
        return None
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return problem(
            doc_id, source, "http_status", f"HTTP {status or '?'} response for {uri}", where=where
        )
    warc_date = record.rec_headers.get_header("WARC-Date")
    captured = _capture_time(warc_date)
    fallback = None
    if captured is not None:
        capture = ParsedDate(captured.isoformat(), warc_date, False, "time", None)
        fallback = (capture, "warc-date")
    meta = {
        "warc_record": number,
        "warc_date": warc_date,
        "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
    }
    return html_document(
        payload,
        doc_id=doc_id,
        source=source,
        where=where,
        url=uri,
        as_of=as_of or captured or file_time,
        fallback_date=fallback,
        metadata={"format": "warc", **{k: v for k, v in meta.items() if v is not None}},
    )


def iter_warc(
    path: Path, *, file_id: str, as_of: datetime | None, source: str | None = None
) -> Iterator[Document]:
    """Documents for the HTML pages archived in the (optionally gzipped) WARC at ``path``.

    ``as_of`` overrides each record's capture time as the base of relative dates.
    """
    source = source or str(path)
    stat = path.stat()
    file_time = datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc)
    number, pages, damaged = 0, 0, False
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as err:  # warcio raises assorted errors on damaged input
                at_end = handle.tell() >= stat.st_size
                reason = "truncated" if at_end else "corrupt"
                yield problem(
                    f"{file_id}#{number + 1}",
                    source,
                    reason,
                    f"cannot read record {number + 1} ({type(err).__name__}: {err}); "
                    f"{number} earlier records were kept",
                    where=source,
                )
                return
            number += 1
            if record.format != "warc":  # warcio reads anything as a (bogus) ARC record
                yield problem(
                    f"{file_id}#{number}",
                    source,
                    "corrupt",
                    f"record {number} is not a WARC record (no WARC/1.x header); "
                    f"{number - 1} earlier records were kept",
                    where=source,
                )
                return
            try:
                doc = _record_document(
                    record,
                    number,
                    file_id=file_id,
                    source=source,
                    as_of=as_of,
                    file_time=file_time,
                )
            except Exception as err:  # a payload warcio cannot decode (chunking, gzip)
                doc = problem(
                    f"{file_id}#{number}",
                    source,
                    "corrupt",
                    f"cannot read the payload ({type(err).__name__}: {err})",
                    where=f"{source} record {number}",
                )
            if doc is None:
                continue
            if doc.reason == "truncated":
                damaged = True
            else:
                pages += 1
            yield doc
        if not damaged and records.offset < stat.st_size:
            # warcio ends quietly at a cut gzip member; the unread tail says the file was cut
            yield problem(
                f"{file_id}#{number + 1}",
                source,
                "truncated",
                f"archive ends inside record {number + 1} (read {records.offset} of "
                f"{stat.st_size} bytes); {number} earlier records were kept",
                where=source,
            )
            return
    if pages == 0 and not damaged:
        yield problem(
            file_id, source, "no_article", f"no HTML response records among {number} records"
        )
