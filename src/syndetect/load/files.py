"""Paths -> Documents: walking directories and dispatching on file type.

Directories are walked recursively in sorted order of their relative paths;
hidden files and directories (a name starting with ".") are left out. Symbolic
links inside a walked directory are not followed (they could lead anywhere on
the machine) unless ``follow_symlinks=True``; each one is a ``symlink`` row. A
path named explicitly is read even when it is a link. Every other path ends up
as at least one Document, ok or not, and no input raises. Ids are unique: a
record (JSONL ``id``) that claims an id another input already has, such as a
file's, becomes a ``duplicate_id`` error under its own position id
(``"{file id}#{n}"``) and displaces nothing. Every string of a Document is
valid Unicode: a file name that is not UTF-8 gives an id and source with its
bad bytes spelled ``\\xe9``, and a lone surrogate in a record (JSON allows
``"\\ud800"``) becomes U+FFFD, so no later stage fails to encode it.

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..types import Document
from .capture import captured_at
from .decode import decode_text, looks_binary
from .flat import flat_document
from .html import html_document
from .jsonl import iter_jsonl
from .limits import MAX_DOCUMENT_BYTES
from .problems import problem, with_decode_note
from .text import text_document
from .warc import iter_warc

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = MAX_DOCUMENT_BYTES
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


class _Link(OSError):
    """A symbolic link left alone; ``target`` is where it points."""

    def __init__(self, target: str) -> None:
        super().__init__(f"symbolic link to {target}")
        self.target = target


def _walk(
    root: Path, *, follow_symlinks: bool = False
) -> list[tuple[str, Path, OSError | None]]:
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
            if not follow_symlinks and entry.is_symlink():
                try:
                    target = os.readlink(entry.path)
                except OSError:
                    target = "?"
                found.append((rel, Path(entry.path), _Link(target)))
                continue
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
    return sorted(found, key=lambda item: item[0])


def _read_error(doc_id: str, source: str, err: OSError) -> Document:
    if isinstance(err, _Link):
        return problem(
            doc_id, source, "symlink",
            f"symbolic link to {err.target}, not followed (pass --follow-symlinks, or "
            "follow_symlinks=True, to read what links point to)",
        )
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
    # The capture time the directory states (.captured.json), else the file's clock.
    file_as_of = as_of or captured_at(path) or datetime.fromtimestamp(info.st_mtime,
                                                                     tz=timezone.utc)
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
        doc = html_document(data, doc_id=doc_id, source=source, as_of=file_as_of)
        if doc.reason == "no_article":  # markup past libxml2's limits: read it flat
            doc = flat_document(data, doc_id=doc_id, source=source, as_of=file_as_of) or doc
        yield doc
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
    paths: Iterable[str | os.PathLike[str]],
    *,
    as_of: datetime | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Document]:
    """Documents from files and directories, lazily; every input is accounted for.

    A file argument's id is its name; a file found in a directory argument has
    its path relative to that directory (forward slashes); a missing path gives
    an ``error`` Document whose id is the path as given. Relative dates resolve
    against ``as_of`` (naive means UTC), by default each file's modification time
    (a WARC record's capture time). Links inside directories are followed only
    with ``follow_symlinks=True``.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> _ = path.write_text("")
    >>> [(d.id, d.reason) for d in iter_documents([path])]
    [('note.txt', 'empty')]
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise InputError(
            f"paths must be a list of paths, got the single path {os.fsdecode(paths)!r}; "
            f"pass [{os.fsdecode(paths)!r}]"
        )
    if as_of is not None and not isinstance(as_of, datetime):
        raise InputError(f"as_of must be a datetime or None, got {as_of!r}")
    plan = plan_inputs(paths, follow_symlinks=follow_symlinks)
    # Every file's own id is reserved before any record can claim it.
    reserved = reserved_ids(plan)
    seen: set[str] = set()
    for doc_id, source, file_path, early in plan:
        for n, doc in enumerate(load_planned(doc_id, source, file_path, early, as_of), start=1):
            doc = claim_id(doc, doc_id, n, source, seen, reserved)
            seen.add(doc.id)
            yield doc


Planned = tuple[str, str, "Path | None", "OSError | Document | None"]
"""One input of a scan: ``(doc_id, source, file path or None, early problem or None)``."""


def plan_inputs(
    paths: Iterable[str | os.PathLike[str]], *, follow_symlinks: bool = False
) -> list[Planned]:
    """The inputs ``paths`` name, in load order, before any file is read.

    ``iter_documents`` loads them one by one; the Spark engine loads the same plan
    in parallel and resolves ids with ``claim_id`` in the same order.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise InputError(
            f"paths must be a list of paths, got the single path {os.fsdecode(paths)!r}; "
            f"pass [{os.fsdecode(paths)!r}]"
        )
    plan: list[Planned] = []
    for arg in paths:
        given = os.fsdecode(arg)
        path = Path(given)
        try:
            is_dir = path.is_dir() if path.exists() else None
        except OSError as err:  # e.g. a parent directory that may not be searched
            plan.append((given, given, None, err))
            continue
        if is_dir is None:
            detail = "broken symbolic link" if path.is_symlink() else "no such file or directory"
            plan.append((given, given, None, problem(given, given, "missing", detail)))
            continue
        if not is_dir:
            plan.append((_name(path.name), _name(given), path, None))
            continue
        walked = _walk(path, follow_symlinks=follow_symlinks)
        for rel, file_path, walk_error in walked:
            plan.append((_name(rel), _name(os.path.join(given, *rel.split("/"))), file_path,
                         walk_error))
        if not walked:
            plan.append((given, given, None, problem(
                given, given, "empty", "directory has no files (hidden ones are ignored)")))
    return plan


def reserved_ids(plan: Sequence[Planned]) -> set[str]:
    """Ids of the planned files themselves: no record may claim one."""
    return {doc_id for doc_id, _, file_path, _ in plan if file_path is not None}


def load_planned(
    doc_id: str, source: str, file_path: Path | None, early: OSError | Document | None,
    as_of: datetime | None,
) -> Iterable[Document]:
    """The documents of one planned input."""
    if isinstance(early, Document):
        return [sound_document(early)]
    if early is not None:
        return [sound_document(_read_error(doc_id, source, early))]
    assert file_path is not None
    return (sound_document(d)
            for d in load_file(file_path, doc_id=doc_id, source=source, as_of=as_of))


def claim_id(
    doc: Document, file_id: str, n: int, source: str, seen: set[str], reserved: set[str]
) -> Document:
    """``doc``, or its ``duplicate_id`` row when its id is taken (by an earlier input or
    by another planned file); ``n`` is its place in its file, from 1."""
    if doc.id in seen or (doc.id in reserved and doc.id != file_id):
        return _duplicate(doc, file_id, n, source, seen | reserved)
    return doc


def _name(text: str) -> str:
    """A path as valid Unicode: undecodable bytes (surrogate escapes) spelled ``\\xNN``."""
    if text.isascii():
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _sound(value: Any) -> Any:
    """``value`` with lone surrogates replaced by U+FFFD (same length: offsets hold)."""
    if isinstance(value, str):
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
        return value
    if isinstance(value, dict):
        return {_sound(k): _sound(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_sound(v) for v in value)
    return value


def sound_document(doc: Document) -> Document:
    """``doc`` with lone surrogates replaced by U+FFFD in every text field (one code
    point for one, so offsets hold): what a loader gives, and what the index stores
    of a ``Document`` made in Python (JSON, SQLite and Redis take only valid UTF-8)."""
    changes = {}
    for f in fields(doc):
        value = getattr(doc, f.name)
        clean = _sound(value)
        if clean is not value and clean != value:
            changes[f.name] = clean
    return replace(doc, **changes) if changes else doc


def _duplicate(doc: Document, file_id: str, n: int, source: str, taken: set[str]) -> Document:
    """The ``duplicate_id`` row of a record that claims an id already taken."""
    line = doc.metadata.get("line")
    base = f"{file_id}#{line}" if isinstance(line, int) else f"{file_id}#{n}"
    own, k = base, 1
    while own in taken:
        k += 1
        own = f"{base}~{k}"
    where = f"{source} line {line}" if isinstance(line, int) else source
    return problem(
        own, source, "duplicate_id",
        f"record id {doc.id!r} is already the id of another input; "
        "give the record its own id (ids are unique across all inputs)",
        where=where, metadata={"claimed_id": doc.id},
    )


def load_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    as_of: datetime | None = None,
    follow_symlinks: bool = False,
) -> list[Document]:
    """Every Document from ``paths`` as a list; see :func:`iter_documents`.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "story.txt").write_text("Mint2 days ago\\n" + "Some words of prose here. " * 12)
    >>> doc = load_documents([root], as_of=datetime(2025, 8, 1))[0]
    >>> (doc.id, doc.outlet, doc.published_at, doc.date_is_relative)
    ('story.txt', 'Mint', '2025-07-30', True)
    """
    return list(iter_documents(paths, as_of=as_of, follow_symlinks=follow_symlinks))
