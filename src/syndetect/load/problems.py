"""Reason codes for inputs that did not become (clean) documents.

A problem with one input is data, not an exception: the loader yields a
``Document`` with ``text=""``, a ``status``, a machine ``reason`` from
:data:`REASONS` and a one-line ``message`` that names the input.

>>> doc = problem("a.txt", "corpus/a.txt", "empty", "file is empty")
>>> (doc.status, doc.reason, doc.message)
('skipped', 'empty', 'corpus/a.txt: file is empty')
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..types import Document, Status
from .limits import MAX_MESSAGE_CHARS, clip

REASONS: dict[str, tuple[Status, str]] = {
    # reason: (status it comes with, what it means)
    "missing": ("error", "the path does not exist (or is a broken link)"),
    "unreadable": ("error", "the operating system refused to read the file"),
    "empty": ("skipped", "no text: an empty file, record or directory"),
    "binary": ("skipped", "the file is not text (NUL bytes or mostly control bytes)"),
    "unsupported_type": ("skipped", "a file type syndetect does not load"),
    "too_large": ("skipped", "a file, record or line over the size limit for one document"),
    "decompression_limit": (
        "skipped",
        "compressed data that expands past the loader's limit (a decompression bomb)",
    ),
    "decode_fallback": ("ok", "not valid UTF-8; decoded with a stated fallback codec"),
    "invalid_record": ("error", "a JSONL line that is not a JSON object with a text string"),
    "truncated": ("error", "the file ends inside a record; earlier records were kept"),
    "corrupt": ("error", "an archive that cannot be parsed past this point"),
    "failed": ("error", "the loader failed unexpectedly on this input; the log has details"),
    "no_article": ("skipped", "HTML from which no article text could be extracted"),
    "http_status": ("skipped", "an archived HTTP response that is not a success (2xx)"),
    "symlink": ("skipped", "a symbolic link inside a scanned directory, not followed"),
    "duplicate_id": ("error", "a record whose id another input already has"),
}
"""Every reason code the loaders emit, with its status and meaning."""


def problem(
    doc_id: str,
    source: str,
    reason: str,
    detail: str,
    *,
    where: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Document:
    """A text-less document recording why an input was skipped or failed.

    The message is ``"{where}: {detail}"`` on one line, where ``where`` names the
    input (default: ``source``; records add a line or record number), clipped to
    ``MAX_MESSAGE_CHARS`` so that no payload travels in it. The status comes from
    :data:`REASONS`.

    >>> problem("x", "x.bin", "binary", "not text").status
    'skipped'
    """
    if reason not in REASONS:
        raise ValueError(f"unknown reason code {reason!r}; known: {', '.join(sorted(REASONS))}")
    status = REASONS[reason][0]
    one_line = clip(" ".join(f"{where or source}: {clip(detail, 4 * MAX_MESSAGE_CHARS)}".split()))
    return Document(
        id=doc_id,
        text="",
        source=source,
        status=status,
        reason=reason,
        message=one_line,
        metadata=dict(metadata or {}),
    )


def with_decode_note(doc: Document, encoding: str, *, where: str) -> Document:
    """Mark an ok document whose bytes were not UTF-8: reason, message and ``metadata["decode"]``.

    >>> with_decode_note(Document(id="a", text="x"), "cp1252", where="a.txt").message
    'a.txt: not valid UTF-8; decoded as cp1252'
    """
    return replace(
        doc,
        reason="decode_fallback",
        message=f"{where}: not valid UTF-8; decoded as {encoding}",
        metadata={**doc.metadata, "decode": encoding},
    )
