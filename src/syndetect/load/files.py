"""Paths -> Documents: walking directories and dispatching on file type.

Directories are walked recursively in sorted order of their relative paths;
hidden files and directories (a name starting with ".") are left out. Every
other path ends up as at least one Document, ok or not, and no input raises.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "b.txt").write_text("Second story\\n" + "Words of prose. " * 20)
>>> _ = (root / "a.png").write_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
>>> [(d.id, d.status, d.reason) for d in load_documents([root, "gone.txt"])]
[('a.png', 'skipped', 'unsupported_type'), ('b.txt', 'ok', None), ('gone.txt', 'error', 'missing')]
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from ..errors import InputError
from ..types import Document
from .decode import decode_text, looks_binary
from .html import html_document
from .jsonl import iter_jsonl
from .problems import problem, with_decode_note
from .text import text_document
from .warc import iter_warc

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Whole-file formats (text, HTML) larger than this are skipped as ``too_large``."""

SUPPORTED_TYPES: dict[str, str] = {
    ".txt": "text",
    "": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
}
"""File name ending -> loader; ``""`` is a file without an extension (read as text)."""

_HTML_START = (b"<!doctype html", b"<html")


def file_type(name: str) -> str | None:
    """The loader for a file name, or None when syndetect does not load it.

    >>> file_type("crawl.WARC.gz"), file_type("notes"), file_type("photo.jpg")
    ('warc', 'text', None)
    """
    low = name.lower()
    if low.endswith(".warc.gz"):
        return "warc"
    return SUPPORTED_TYPES.get(os.path.splitext(low)[1])


def _walk(root: Path) -> Iterator[tuple[str, Path, OSError | None]]:
    """(relative id, path, error) for every non-hidden file under ``root``, in sorted order."""
    found: list[tuple[str, Path, OSError | None]] = []
    seen: set[str] = set()

    def visit(folder: Path, prefix: str) -> None:
        real = os.path.realpath(folder)
        if real in seen:  # a symlink loop
            return
        seen.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError as err:
            found.append((prefix.rstrip("/") or folder.name, folder, err))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError as err:
                found.append((rel, Path(entry.path), err))
                continue
            if is_dir:
                visit(Path(entry.path), rel + "/")
            else:
                found.append((rel, Path(entry.path), None))

    visit(root, "")
    yield from sorted(found, key=lambda item: item[0])


def _read_error(doc_id: str, source: str, err: OSError) -> Document:
    if isinstance(err, FileNotFoundError):
        return problem(doc_id, source, "missing", "no such file (or a broken link)")
    return problem(doc_id, source, "unreadable", f"cannot read: {err.strerror or err}")


def load_file(
    path: str | os.PathLike[str], *, doc_id: str, source: str, as_of: datetime | None = None
) -> Iterator[Document]:
    """Documents from one file (several for JSONL and WARC); problems become Documents.

    ``as_of`` is the base of relative dates; by default the file's modification time.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "looks.txt"
    >>> folder.mkdir()
    >>> [(d.status, d.reason) for d in load_file(folder, doc_id="looks.txt", source=str(folder))]
    [('error', 'unreadable')]
    """
    try:
        yield from _load_file(Path(path), doc_id=doc_id, source=source, as_of=as_of)
    except OSError as err:
        yield _read_error(doc_id, source, err)
    except Exception as err:  # one bad file must not end the load; the log keeps the traceback
        logger.exception("unexpected failure loading %s", source)
        yield problem(doc_id, source, "failed", f"loader failed: {type(err).__name__}: {err}")


def _load_file(
    path: Path, *, doc_id: str, source: str, as_of: datetime | None
) -> Iterator[Document]:
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        yield problem(doc_id, source, "unreadable", "cannot read: is a directory, not a file")
        return
    if not stat.S_ISREG(info.st_mode):
        yield problem(
            doc_id, source, "unsupported_type", "not a regular file (a pipe, socket or device)"
        )
        return
    kind = file_type(path.name)
    if kind is None:
        known = ", ".join(k for k in SUPPORTED_TYPES if k)
        yield problem(
            doc_id,
            source,
            "unsupported_type",
            f"unsupported file type {path.suffix!r}; syndetect loads {known} and plain text",
        )
        return
    if info.st_size == 0:
        yield problem(doc_id, source, "empty", "file is empty")
        return
    file_as_of = as_of or datetime.fromtimestamp(info.st_mtime, tz=timezone.utc)
    if kind == "warc":
        yield from iter_warc(path, file_id=doc_id, as_of=as_of, source=source)
        return
    if kind == "jsonl":
        with path.open("rb") as handle:
            binary = looks_binary(handle.read(8192))
        if binary:
            yield problem(doc_id, source, "binary", "not text (NUL or control bytes)")
        else:
            yield from iter_jsonl(path, file_id=doc_id, as_of=file_as_of, source=source)
        return
    if info.st_size > MAX_FILE_BYTES:
        yield problem(
            doc_id,
            source,
            "too_large",
            f"{info.st_size} bytes is over the {MAX_FILE_BYTES}-byte limit for one document",
        )
        return
    data = path.read_bytes()
    if looks_binary(data):
        yield problem(doc_id, source, "binary", "not text (NUL or control bytes)")
        return
    if kind == "html" or data[:512].lstrip().lower().startswith(_HTML_START):
        yield html_document(data, doc_id=doc_id, source=source, as_of=file_as_of)
        return
    decoded = decode_text(data)
    if not decoded.text.strip():
        yield problem(doc_id, source, "empty", "file has only whitespace")
        return
    doc = text_document(
        decoded.text,
        doc_id=doc_id,
        source=source,
        as_of=file_as_of,
        metadata={"decode": decoded.encoding} if decoded.encoding != "utf-8" else None,
    )
    yield with_decode_note(doc, decoded.encoding, where=source) if decoded.fallback else doc


def iter_documents(
    paths: Iterable[str | os.PathLike[str]], *, as_of: datetime | None = None
) -> Iterator[Document]:
    """Documents from files and directories, lazily; every input is accounted for.

    A file argument's id is its name; a file found in a directory argument has
    its path relative to that directory (forward slashes); a missing path gives
    an ``error`` Document whose id is the path as given. Relative dates resolve
    against ``as_of`` (naive means UTC), by default each file's modification time
    (a WARC record's capture time).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> _ = path.write_text("")
    >>> [(d.id, d.reason) for d in iter_documents([path])]
    [('note.txt', 'empty')]
    """
    if as_of is not None and not isinstance(as_of, datetime):
        raise InputError(f"as_of must be a datetime or None, got {as_of!r}")
    for item in iter_inputs(paths):
        if isinstance(item, Document):
            yield item
        else:
            file_path, doc_id, source = item
            yield from load_file(file_path, doc_id=doc_id, source=source, as_of=as_of)


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]],
) -> Iterator[Document | tuple[Path, str, str]]:
    """The files ``paths`` name, in load order, as ``(path, doc_id, source)``, and the
    problems found while listing them (missing paths, empty directories) as Documents.

    ``iter_documents`` loads each file where it is listed; the Spark engine loads
    the same list in parallel.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise InputError(
            f"paths must be a list of paths, got the single path {os.fsdecode(paths)!r}; "
            f"pass [{os.fsdecode(paths)!r}]"
        )
    for arg in paths:
        given = os.fsdecode(arg)
        path = Path(given)
        try:
            is_dir = path.is_dir() if path.exists() else None
        except OSError as err:  # e.g. a parent directory that may not be searched
            yield _read_error(given, given, err)
            continue
        if is_dir is None:
            detail = "broken symbolic link" if path.is_symlink() else "no such file or directory"
            yield problem(given, given, "missing", detail)
            continue
        if not is_dir:
            yield (path, path.name, given)
            continue
        count = 0
        for rel, file_path, walk_error in _walk(path):
            count += 1
            source = os.path.join(given, *rel.split("/"))
            if walk_error is not None:
                yield _read_error(rel, source, walk_error)
            else:
                yield (file_path, rel, source)
        if count == 0:
            yield problem(given, given, "empty", "directory has no files (hidden ones are ignored)")


def load_documents(
    paths: Iterable[str | os.PathLike[str]], *, as_of: datetime | None = None
) -> list[Document]:
    """Every Document from ``paths`` as a list; see :func:`iter_documents`.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "story.txt").write_text("Mint2 days ago\\n" + "Some words of prose here. " * 12)
    >>> doc = load_documents([root], as_of=datetime(2025, 8, 1))[0]
    >>> (doc.id, doc.outlet, doc.published_at, doc.date_is_relative)
    ('story.txt', 'Mint', '2025-07-30', True)
    """
    return list(iter_documents(paths, as_of=as_of))
