"""JSON Lines -> one Document per record; a bad line costs only that line.

Each line is a JSON object with a ``text`` string and optionally ``id``, ``url``,
``outlet``, ``title``, ``author`` (or ``byline``), ``language`` and
``published_at`` (any format dateparser reads, or epoch seconds) and ``site``
(else the site of ``url``, see ``syndetect.site``). Other fields
are kept in ``Document.metadata`` and never used for detection.

A record's id is its own ``id`` field when present, else ``"{file id}#{line}"``.
Invalid JSON and records without a text string become ``invalid_record``
errors; a last line cut off mid-record becomes a ``truncated`` error; blank
text is skipped as ``empty``. Lines are read with a bound: one longer than
:data:`~.limits.MAX_DOCUMENT_BYTES` is skipped as ``too_large`` (streamed
past, never held whole) and the lines after it are read.

>>> import tempfile, pathlib
>>> from datetime import datetime
>>> path = pathlib.Path(tempfile.mkdtemp()) / "feed.jsonl"
>>> _ = path.write_text('{"id": "a", "text": "Hi.", "desk": "metro"}\\nnot json\\n{"text": "H')
>>> docs = iter_jsonl(path, file_id="feed.jsonl", as_of=datetime(2025, 1, 1))
>>> [(d.id, d.reason) for d in docs]
[('a', None), ('feed.jsonl#2', 'invalid_record'), ('feed.jsonl#3', 'truncated')]
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..site import site_of
from ..types import Document
from .dates import ParsedDate, date_fields, date_metadata, parse_date
from .decode import decode_text
from .language import guess_language
from .limits import MAX_DOCUMENT_BYTES
from .problems import problem, with_decode_note

logger = logging.getLogger(__name__)

_STRING_FIELDS = {
    "url": "url",
    "outlet": "outlet",
    "title": "title",
    "author": "byline",
    "byline": "byline",
    "language": "language",
}
_KNOWN = {"id", "text", "published_at", "site", *_STRING_FIELDS}
_EPOCH_MS = 10**11  # larger epoch numbers are milliseconds


def _published(value: Any, as_of: datetime) -> ParsedDate | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > _EPOCH_MS else value
        try:
            moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
        return ParsedDate(moment.isoformat(), str(value), False, "time", None)
    if isinstance(value, str):
        return parse_date(value, as_of=as_of)
    return None


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


def record_document(
    record: Any, *, line: int, file_id: str, source: str, as_of: datetime
) -> Document:
    """One parsed JSON value -> a Document (or an ``invalid_record``/``empty`` problem)."""
    where = f"{source} line {line}"
    default_id = f"{file_id}#{line}"
    if not isinstance(record, dict):
        return problem(
            default_id,
            source,
            "invalid_record",
            f"expected a JSON object, got {type(record).__name__}",
            where=where,
        )
    raw_id = record.get("id")
    doc_id = str(raw_id) if isinstance(raw_id, (str, int)) and str(raw_id).strip() else default_id
    text = record.get("text")
    if not isinstance(text, str):
        detail = (
            "no 'text' field"
            if text is None
            else f"'text' is a {type(text).__name__}, not a string"
        )
        return problem(doc_id, source, "invalid_record", detail, where=where)
    if not text.strip():
        return problem(doc_id, source, "empty", "record has blank text", where=where)

    fields: dict[str, Any] = {}
    meta: dict[str, Any] = {k: v for k, v in record.items() if k not in _KNOWN}
    for key, name in _STRING_FIELDS.items():
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            fields.setdefault(name, value.strip())
        elif value is not None:
            meta[key] = value  # wrong type: kept, not used
    raw_date = record.get("published_at")
    parsed = _published(raw_date, as_of) if raw_date not in (None, "") else None
    if raw_date not in (None, "") and parsed is None:
        meta["published_at_raw"] = raw_date
        logger.info("%s: unreadable published_at %r", where, raw_date)
    meta.update({"format": "jsonl", "line": line})
    meta.update(date_metadata(parsed, source="jsonl", as_of=as_of))
    fields.setdefault("language", guess_language(text))
    declared = record.get("site")
    site = site_of(fields.get("url"), declared=declared if isinstance(declared, str) else None)
    if site:
        fields["site"] = site
    elif declared is not None:
        meta["site"] = declared  # wrong type: kept, not used
    return Document(
        id=doc_id,
        text=text,
        source=source,
        metadata=meta,
        **fields,
        **date_fields(parsed, strength="metadata"),
    )


def _lines(handle: Any) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, bytes, size)`` per line; bytes is None for a line over the limit."""
    line_no = 0
    while True:
        raw = handle.readline(MAX_DOCUMENT_BYTES + 1)
        if not raw:
            return
        line_no += 1
        if len(raw) <= MAX_DOCUMENT_BYTES or raw.endswith(b"\n"):
            yield line_no, raw, len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):  # stream past the rest of the line
            raw = handle.readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield line_no, None, size


def iter_jsonl(
    path: Path, *, file_id: str, as_of: datetime, source: str | None = None
) -> Iterator[Document]:
    """Documents from the JSON Lines file at ``path``, one per non-blank line."""
    source = source or str(path)
    records = 0
    with path.open("rb") as handle:
        for line_no, raw, size in _lines(handle):
            if raw is None:
                records += 1
                yield problem(
                    f"{file_id}#{line_no}", source, "too_large",
                    f"line of {size} bytes is over the {MAX_DOCUMENT_BYTES}-byte limit for one "
                    "record; skipped", where=f"{source} line {line_no}",
                )
                continue
            if not raw.strip():
                continue
            records += 1
            decoded = decode_text(raw)
            try:
                record = json.loads(decoded.text)
            except json.JSONDecodeError as err:
                where = f"{source} line {line_no}"
                if not raw.endswith(b"\n"):
                    yield problem(
                        f"{file_id}#{line_no}",
                        source,
                        "truncated",
                        f"file ends inside a record ({err.msg}); earlier lines were kept",
                        where=where,
                    )
                else:
                    yield problem(
                        f"{file_id}#{line_no}",
                        source,
                        "invalid_record",
                        f"invalid JSON ({err.msg} at column {err.colno}): "
                        f"{_short(decoded.text.strip())!r}",
                        where=where,
                    )
                continue
            doc = record_document(record, line=line_no, file_id=file_id, source=source, as_of=as_of)
            if decoded.fallback and doc.status == "ok":
                doc = with_decode_note(doc, decoded.encoding, where=f"{source} line {line_no}")
            yield doc
    if records == 0:
        yield problem(file_id, source, "empty", "no records (only blank lines)")
