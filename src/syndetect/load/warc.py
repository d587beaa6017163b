"""WARC archives -> one Document per archived HTML page (warcio + trafilatura).

Every HTTP ``response`` record whose payload is HTML goes through the same
extraction as an ``.html`` file, with ``url`` = ``WARC-Target-URI``. Relative
dates on a page resolve against its capture time (``WARC-Date``), which is also
the page's fallback date (``date_strength "page"``, ``metadata["date_source"]
= "warc-date"``): a capture date bounds publication from above, so it is weak.
Other record types (request, metadata, warcinfo) and non-HTML responses
(images, scripts) are not articles and are passed over. A response that is not
a 2xx success is skipped as ``http_status``.

Hostile and damaged archives. The file is read as a stream (gzip members
decompressed as they come, never more than :data:`~.limits.MAX_DOCUMENT_BYTES`
of one record in memory) and cut into records here, by each header's
``Content-Length``; warcio then parses each record on its own (HTTP headers,
chunking, content encodings). A record's length is believed only when the
record ends where it says (with ``\\r\\n\\r\\n``) and no record header hides
inside it; otherwise the record is marked ``corrupt`` and reading
resumes at the next ``WARC/1.x`` header, so a wrong length costs one record,
not the rest of the file. A record over the size limit is ``too_large``, a
payload whose content encoding expands past it is ``decompression_limit``, and
so is a file that expands more than :data:`~.limits.MAX_EXPANSION` times (the
records before are kept). A file cut short ends with one ``truncated`` row.
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

import contextlib
import io
import logging
import re
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from ..types import Document
from .dates import ParsedDate
from .flat import flat_document
from .html import html_document
from .limits import MAX_DOCUMENT_BYTES, MAX_HEADER_BYTES, expansion_budget
from .problems import problem

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_END = b"\r\n\r\n"
_MARKER = re.compile(rb"WARC/1\.\d\r?\n")  # a record's first line: where to resynchronise
_MARKER_LEN = 10
_HEADER = re.compile(rb"WARC/1\.\d\r?\n[A-Za-z][\w-]*:")  # a record's first line and field
_LOOK_AHEAD = 256  # bytes read past a record's end to see whether a record starts there
_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*(\d{1,18})[ \t]*\r?$")
_START = re.compile(rb"WARC/\d")


class _Stream:
    """The decompressed bytes of a plain or gzipped (multi-member) file, in chunks."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle = handle
        self.gzipped = handle.read(2) == _GZIP_MAGIC
        handle.seek(0)
        self.budget = expansion_budget(size)
        self.produced = 0
        self.cut = False  # the file ended inside a gzip member
        self.expanded = False  # stopped at the decompression budget (reads as the end)
        self._inflate: Any = zlib.decompressobj(31) if self.gzipped else None
        self._in_member = False
        self._pending = b""

    def read(self) -> bytes:
        """The next chunk (b"" at the end or past the budget); raises zlib.error."""
        if not self.gzipped:
            return self.handle.read(_CHUNK)
        while self._inflate is not None and not self.expanded:
            if not self._pending:
                self._pending = self.handle.read(_CHUNK)
                if not self._pending:
                    self.cut = self._in_member
                    self._inflate = None
                    break
            out = self._inflate.decompress(self._pending, _CHUNK)
            self._pending = self._inflate.unconsumed_tail
            self._in_member = True
            if self._inflate.eof:  # the next gzip member starts after this one
                self._pending = self._inflate.unused_data  # (unconsumed_tail repeats it)
                self._inflate = zlib.decompressobj(31)
                self._in_member = False
            self.produced += len(out)
            if self.produced > self.budget:
                self.expanded = True
                break
            if out:
                return out
        return b""


class _Reader:
    """A window over the decompressed stream: look ahead, search, take, drop."""

    def __init__(self, stream: _Stream) -> None:
        self.stream = stream
        self.buf = bytearray()
        self.offset = 0  # stream offset of buf[0]
        self.eof = False

    def fill(self, n: int) -> bool:
        """Have at least ``n`` bytes buffered; False when the stream ends first."""
        while len(self.buf) < n and not self.eof:
            chunk = self.stream.read()
            if chunk:
                self.buf += chunk
            else:
                self.eof = True
        return len(self.buf) >= n

    def find(self, pattern: bytes, start: int, limit: int) -> int:
        """Index of ``pattern`` at or after ``start``, ending before ``limit``, else -1."""
        at = start
        while True:
            hit = self.buf.find(pattern, at, limit)
            if hit >= 0:
                return hit
            if len(self.buf) >= limit or self.eof:
                return -1
            at = max(start, len(self.buf) - len(pattern) + 1)
            self.fill(len(self.buf) + _CHUNK)

    def find_marker(self, start: int, limit: int) -> int:
        """Index of the next record's first line at or after ``start``, else -1."""
        at = start
        while True:
            hit = _MARKER.search(self.buf, at, limit)
            if hit is not None:
                return hit.start()
            if len(self.buf) >= limit or self.eof:
                return -1
            at = max(start, len(self.buf) - _MARKER_LEN + 1)
            self.fill(len(self.buf) + _CHUNK)

    def take(self, n: int) -> bytes:
        out = bytes(self.buf[:n])
        self.drop(n)
        return out

    def drop(self, n: int) -> None:
        del self.buf[:n]
        self.offset += n

    def skip_blank(self) -> bool:
        """Drop blank lines between records; False at the end of the stream."""
        while True:
            self.fill(1)
            if not self.buf:
                return False
            stripped = self.buf.lstrip(b"\r\n")
            self.drop(len(self.buf) - len(stripped))
            if self.buf:
                return True

    def drop_until_marker(self, start: int = 0) -> int | None:
        """Drop bytes up to the next ``WARC/1.x`` line; how many, or None at the end.

        Streams: at most about one chunk is held while searching.
        """
        dropped = 0
        while True:
            found = _MARKER.search(self.buf, start)
            if found is not None:
                self.drop(found.start())
                return dropped + found.start()
            keep = _MARKER_LEN - 1
            if self.eof and len(self.buf) <= keep:
                dropped += len(self.buf)
                self.drop(len(self.buf))
                return None
            cut = max(0, len(self.buf) - keep)
            self.drop(cut)
            dropped += cut
            start = 0
            if not self.fill(len(self.buf) + _CHUNK) and len(self.buf) <= keep:
                dropped += len(self.buf)
                self.drop(len(self.buf))
                return None


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


def _bounded_read(stream: Any) -> bytes | None:
    """All of ``stream``, or None when it yields more than MAX_DOCUMENT_BYTES."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > MAX_DOCUMENT_BYTES:
            return None
        parts.append(chunk)


def _record_document(
    raw: bytes,
    number: int,
    *,
    file_id: str,
    source: str,
    as_of: datetime | None,
    file_time: datetime,
) -> Document | None:
    """The Document of one whole record, or None for records that are not HTML pages."""
    doc_id, where = f"{file_id}#{number}", f"{source} record {number}"
    # warcio writes some complaints (with payload bytes in them) straight to stderr
    with contextlib.redirect_stderr(io.StringIO()):
        record = next(iter(ArchiveIterator(io.BytesIO(raw), check_digests=False)))
        uri = record.rec_headers.get_header("WARC-Target-URI")
        page = (
            record.rec_type == "response" and record.http_headers is not None and _is_html(record)
        )
        if not page:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return problem(
                doc_id, source, "http_status", f"HTTP {status or '?'} response for {uri}",
                where=where,
            )
        payload = _bounded_read(record.content_stream())
    if payload is None:
        return problem(
            doc_id,
            source,
            "decompression_limit",
            f"the HTTP payload of {uri} decodes to over {MAX_DOCUMENT_BYTES} bytes",
            where=where,
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
    metadata = {"format": "warc", **{k: v for k, v in meta.items() if v is not None}}
    doc = html_document(
        payload,
        doc_id=doc_id,
        source=source,
        where=where,
        url=uri,
        as_of=as_of or captured or file_time,
        fallback_date=fallback,
        metadata=metadata,
    )
    if doc.reason == "no_article":  # markup past libxml2's limits: read it flat
        flat = flat_document(payload, doc_id=doc_id, source=source, url=uri,
                             as_of=as_of or captured or file_time, metadata=metadata)
        doc = flat or doc
    return doc


def _records(
    reader: _Reader, *, file_id: str, source: str
) -> Iterator[tuple[int, bytes | None, Document | None]]:
    """``(number, raw record, problem)`` for each record of the stream, in order.

    Exactly one of raw and problem is set. Raises zlib.error.
    """
    number = 0
    while reader.skip_blank():
        number += 1
        doc_id, where = f"{file_id}#{number}", f"{source} record {number}"
        offset = reader.offset
        reader.fill(6)
        if not _START.match(reader.buf):
            skipped = reader.drop_until_marker()
            yield number, None, problem(
                doc_id, source, "corrupt",
                f"{skipped if skipped is not None else 'the last'} bytes at offset {offset} "
                "are not a WARC record; skipped to the next WARC header",
                where=where,
            )
            continue
        end = reader.find(_END, 0, MAX_HEADER_BYTES)
        if end < 0:
            if reader.eof and len(reader.buf) < MAX_HEADER_BYTES:
                yield number, None, problem(
                    doc_id, source, "truncated",
                    f"archive ends inside the header of record {number}; "
                    "earlier records were kept", where=where,
                )
                return
            reader.drop_until_marker(1)
            yield number, None, problem(
                doc_id, source, "corrupt",
                f"record header at offset {offset} has no end within {MAX_HEADER_BYTES} bytes",
                where=where,
            )
            continue
        head_len = end + len(_END)
        found = _LENGTH.search(bytes(reader.buf[:end]))
        if found is None:
            reader.drop_until_marker(1)
            yield number, None, problem(
                doc_id, source, "corrupt",
                f"record at offset {offset} has no valid Content-Length; skipped to the next "
                "WARC header", where=where,
            )
            continue
        length = int(found.group(1))
        whole = head_len + length + len(_END)
        if length > MAX_DOCUMENT_BYTES:
            yield number, None, _skip_large(reader, number, head_len, length, doc_id, source,
                                            where)
            continue
        complete = reader.fill(whole)
        if complete and reader.buf[whole - len(_END) : whole] == _END and not _swallows(
            reader, head_len, whole
        ):
            yield number, reader.take(whole), None
            continue
        # The length is wrong, or the file ends inside the record.
        found = _MARKER.search(reader.buf, head_len, whole + _MARKER_LEN)
        hit = found.start() if found is not None else -1
        if hit < 0 and complete:
            hit = reader.find_marker(whole, len(reader.buf) + MAX_DOCUMENT_BYTES)
        if hit < 0 and reader.eof:
            yield number, None, problem(
                doc_id, source, "truncated",
                f"archive ends inside record {number} (Content-Length {length}, "
                f"{max(0, len(reader.buf) - head_len)} bytes left); earlier records were kept",
                where=where,
            )
            return
        real = max(0, (hit - len(_END) if hit >= 0 else len(reader.buf)) - head_len)
        if hit >= 0:
            reader.drop(hit)
        else:
            reader.drop_until_marker()
        side = "longer" if real > length else "shorter"
        yield number, None, problem(
            doc_id, source, "corrupt",
            f"Content-Length {length} does not match the record: the next WARC header comes "
            f"after {real} bytes (the record is {side} than it says); record skipped, "
            "reading resumed at the next header",
            where=where,
        )


def _swallows(reader: _Reader, head_len: int, whole: int) -> bool:
    """Whether a record whose declared length ends on a blank line (``whole`` bytes
    in all) has swallowed the start of a later record, its length being too long.

    Either a whole later record ends inside it (a length too long by exactly some
    later records: a record boundary, a blank line then ``WARC/``, lies inside), or
    the header of a later record lies inside it (behind junk, so with no blank line
    before it) and what follows the declared end is not the start of a record nor the
    end of the file: the declared end fell inside that record, at its own header's
    blank line. A payload that quotes a WARC header, followed by the next record,
    is kept.
    """
    buf = reader.buf
    if buf.find(b"\r\n\r\nWARC/", head_len, whole - len(_END)) >= 0:
        return True
    if _HEADER.search(buf, head_len, whole) is None:
        return False
    reader.fill(whole + _LOOK_AHEAD)
    rest = bytes(reader.buf[whole : whole + _LOOK_AHEAD]).lstrip(b"\r\n")
    return not (rest.startswith(b"WARC/") or (not rest and reader.eof))


def _skip_large(
    reader: _Reader, number: int, head_len: int, length: int, doc_id: str, source: str,
    where: str,
) -> Document:
    """Stream past a record over the size limit; a record header inside it wins."""
    reader.drop(head_len)
    left = length
    while left > 0:
        if not reader.fill(min(left, _CHUNK) + _MARKER_LEN) and not reader.buf:
            return problem(
                doc_id, source, "truncated",
                f"archive ends inside record {number}, which declares {length} bytes "
                f"(over the {MAX_DOCUMENT_BYTES}-byte limit); earlier records were kept",
                where=where,
            )
        hit = reader.buf.find(b"\r\n\r\nWARC/", 0, min(left, len(reader.buf)) + 4)
        if hit >= 0:
            reader.drop(hit + 4)
            return problem(
                doc_id, source, "corrupt",
                f"Content-Length {length} runs past the next WARC header "
                f"(after {length - left + hit} bytes); record skipped, reading resumed there",
                where=where,
            )
        step = min(left, max(0, len(reader.buf) - _MARKER_LEN), len(reader.buf))
        if step == 0:
            step = min(left, len(reader.buf))
        reader.drop(step)
        left -= step
        if reader.eof and not reader.buf and left > 0:
            return problem(
                doc_id, source, "truncated",
                f"archive ends inside record {number}, which declares {length} bytes; "
                "earlier records were kept", where=where,
            )
    return problem(
        doc_id, source, "too_large",
        f"record of {length} bytes is over the {MAX_DOCUMENT_BYTES}-byte limit for one "
        "document; skipped", where=where,
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
    number, pages, problems, truncated = 0, 0, 0, False
    with path.open("rb") as handle:
        stream = _Stream(handle, stat.st_size)
        reader = _Reader(stream)
        records = _records(reader, file_id=file_id, source=source)
        while True:
            try:
                number, raw, bad = next(records)
            except StopIteration:
                break
            except zlib.error as err:
                yield problem(
                    f"{file_id}#{number + 1}", source, "corrupt",
                    f"gzip data damaged after record {number} ({err}); "
                    f"{number} earlier records were kept",
                )
                return
            if bad is not None and stream.expanded:
                break  # an artefact of the cut at the budget, reported below
            if bad is not None:
                problems += 1
                truncated = bad.reason == "truncated"
                yield bad
                continue
            assert raw is not None
            try:
                doc = _record_document(
                    raw, number, file_id=file_id, source=source, as_of=as_of, file_time=file_time
                )
            except Exception as err:  # a record warcio cannot parse (headers, chunking, gzip)
                doc = problem(
                    f"{file_id}#{number}", source, "corrupt",
                    f"cannot read the record ({type(err).__name__}: {err})",
                    where=f"{source} record {number}",
                )
            if doc is None:
                continue
            if doc.status == "ok":
                pages += 1
            else:
                problems += 1
            yield doc
        if stream.expanded:
            times = stream.budget // max(1, stat.st_size)
            yield problem(
                f"{file_id}#{number}", source, "decompression_limit",
                f"the file expands past {stream.budget} bytes ({times} times its size); "
                f"stopped in record {number}; the records before it were kept",
            )
            return
        if stream.cut and not truncated:
            yield problem(
                f"{file_id}#{number + 1}", source, "truncated",
                f"the gzip stream is cut short after record {number}; "
                f"{number} earlier records were kept",
            )
            return
    if pages == 0 and problems == 0:
        yield problem(
            file_id, source, "no_article", f"no HTML response records among {number} records"
        )
