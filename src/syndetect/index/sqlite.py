"""The embedded backend: one SQLite file in WAL mode.

Layout (format 2: the migrations ``0001_initial`` and ``0002_pages``)::

    meta(key TEXT PRIMARY KEY, value TEXT)          header, one JSON value per key
    counters(name TEXT PRIMARY KEY, value INTEGER)  n_docs, generation
    documents(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, status TEXT,
              document TEXT  -- every Document field, JSON
              words TEXT     -- content words counted in df, JSON list
              keys BLOB      -- the document's band keys, KEY_DTYPE
              added_at TEXT)
    df(word TEXT PRIMARY KEY, n INTEGER)            content-word document frequencies
    buckets(grain INTEGER, band INTEGER, key INTEGER, seq INTEGER,
            PRIMARY KEY (grain, band, key, seq)) WITHOUT ROWID
    pages(seq INTEGER PRIMARY KEY, page BLOB)       each document prepared for
                                                    labelling (format 2, ``0002_pages``)
    _syndetect_migrations(name TEXT PRIMARY KEY, applied_at TEXT)

``PRAGMA application_id`` marks the file as a syndetect index and ``PRAGMA
user_version`` counts the migrations applied; migrations are named and ordered,
applied once each, in one transaction, when an older index is opened (the way
sqlite-utils migrates). ``FORMAT_VERSION`` equals the number of migrations.

Crash safety. Every ``add`` and ``remove`` is one transaction (``BEGIN
IMMEDIATE`` ... ``COMMIT``): in WAL mode a transaction whose commit record is not
in the log is ignored when the file is next opened, so a process killed in the
middle of an ``add`` leaves every earlier committed ``add`` and nothing of its
own. ``synchronous=NORMAL`` (the default here) writes the log at each commit
without waiting for the disk: an application crash loses nothing, a power cut or
kernel crash can lose the last few commits but never corrupts the file.
``durability="full"`` (``synchronous=FULL``) fsyncs the log at every commit as
well, for power-loss durability at the cost of one fsync per ``add``. A batch of
``add_many`` (``put_many``) is one transaction too: a crash keeps the batches
committed before it and nothing of its own; its bucket rows are inserted in
primary-key order, so a large batch writes each B-tree page it touches once.

Failures. Any SQLite error under a public method is a ``BackendError`` naming
the file and the fix (a full disk, a file damaged inside its pages, a lock held
too long); the failed transaction is rolled back, the committed ones stay.

Read-only. An index on a read-only file system (or a file the process may not
write) is opened read-only: with ``mode=ro`` when its directory is writable
(SQLite still coordinates with writers through the ``-shm`` file), else with
``immutable=1`` (nobody can write it there). ``query`` and ``report`` work;
``add`` fails with a message that says the index is read-only.

Concurrency. WAL lets readers (``query``, ``report``, other processes) read a
consistent snapshot while one writer commits. Writers take the write lock at the
start of ``add`` (``BEGIN IMMEDIATE``), so each ``add`` sees every earlier one and
concurrent writers queue for up to ``timeout`` seconds instead of failing.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from ..errors import BackendError, IndexFormatError, InputError
from ..types import Document
from .base import (
    FORMAT_VERSION,
    KEY_DTYPE,
    DuplicateIdError,
    Record,
    Storage,
    batch_counts,
    check_batch_ids,
    chunks,
    document_from_json,
    document_to_json,
)
from .failures import translate

APPLICATION_ID = 0x53594E44  # "SYND"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 900  # bound variables per statement, well under SQLite's limit
_REBUILD_BATCH = 500
_CACHE_KIB = 256 * 1024
"""Page cache per connection (SQLite's default is 2 MB): a batch of band keys touches
pages all over the bucket B-tree, and pages that stay cached are not re-read."""
_CHECKPOINT_PAGES = 10_000
"""WAL pages between automatic checkpoints (SQLite's default is 1,000). One ``add``
writes about 1,000 pages (its band keys land all over the bucket B-tree), so the
default checkpointed, and fsynced the database file, after every ``add``: at 10k
stored that wait was half of an ``add``'s wall time. Every 10,000 pages (a WAL of
about 40 MB) a checkpoint writes each page once for about ten adds; crash safety
is the WAL's either way."""


def _m0001_initial(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    conn.execute(
        "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID"
    )
    conn.executemany(
        "INSERT INTO counters(name, value) VALUES (?, 0)", [("n_docs",), ("generation",)]
    )
    conn.execute(
        """CREATE TABLE documents (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            document TEXT NOT NULL,
            words TEXT NOT NULL,
            keys BLOB NOT NULL,
            added_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE TABLE df (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
    conn.execute(
        """CREATE TABLE buckets (
            grain INTEGER NOT NULL,
            band INTEGER NOT NULL,
            key INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (grain, band, key, seq)
        ) WITHOUT ROWID"""
    )


def _m0002_pages(conn: sqlite3.Connection) -> None:
    # Prepared pages (``Record.page``), beside the documents: read only when a
    # document is a candidate, so scans of ``documents`` do not carry them.
    conn.execute("CREATE TABLE pages (seq INTEGER PRIMARY KEY, page BLOB NOT NULL)")


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("0001_initial", _m0001_initial),
    ("0002_pages", _m0002_pages),
]
"""Named, ordered migrations; never edit or reorder one, only append."""

if len(MIGRATIONS) != FORMAT_VERSION:  # pragma: no cover - a development mistake
    raise RuntimeError("FORMAT_VERSION must equal the number of SQLite migrations")


def sqlite_path(target: str | os.PathLike[str]) -> Path:
    """The file of ``target``: a path, or ``sqlite:///relative`` / ``sqlite:////absolute``."""
    text = os.fspath(target)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    elif text.startswith("sqlite:"):
        raise InputError(
            f"{target}: an SQLite index URL is sqlite:///relative/path or sqlite:////absolute/path"
        )
    return Path(text)


def _describe(storage: Any, exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    low = text.lower()
    if "full" in low or getattr(exc, "errno", None) == errno.ENOSPC:
        hint = ("; free disk space and run it again: documents committed before are stored, "
                "the failed batch is not")
    elif "disk i/o" in low:
        hint = ("; a write failed (a full disk, a file-size limit or a failing disk): "
                "documents committed before are stored, the failed batch is not")
    elif "malformed" in low or "not a database" in low or "corrupt" in low:
        hint = ("; the file is damaged: restore a backup, or add the documents again into a "
                "new index (sqlite3's .recover may save what is left)")
    elif "readonly" in low or "read-only" in low:
        hint = ("; the index is read-only here (file system or permissions): `index query` "
                "and `index report` work, `index add` needs write access")
    elif "locked" in low or "busy" in low:
        hint = "; another process held the write lock past the timeout: retry, or raise it"
    else:
        hint = ""
    return f"{getattr(storage, 'target', 'index')}: SQLite failed ({text}){hint}"


def _writable(path: Path) -> bool:
    """True when the index file (and its directory, for the WAL files) may be written."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _batch_rows(seqs: Sequence[int], keys: Sequence[np.ndarray]) -> Iterator[tuple[Any, ...]]:
    """Bucket rows of a batch, sorted as the primary key orders them."""
    if not seqs:
        return iter(())
    flat = np.concatenate([np.ascontiguousarray(k, dtype=KEY_DTYPE) for k in keys])
    owner = np.repeat(np.asarray(seqs, dtype=np.int64), [len(k) for k in keys])
    signed = flat["key"].view(np.int64)
    order = np.lexsort((owner, signed, flat["band"], flat["grain"]))
    return zip(
        flat["grain"][order].tolist(), flat["band"][order].tolist(),
        signed[order].tolist(), owner[order].tolist(),
    )


def _keys_rows(seq: int, keys: np.ndarray) -> Iterator[tuple[int, int, int, int]]:
    signed = keys["key"].view(np.int64)  # SQLite integers are signed 64-bit
    return zip(
        keys["grain"].tolist(), keys["band"].tolist(), signed.tolist(), [seq] * len(keys)
    )


@translate((sqlite3.Error,), _describe)
class SQLiteStorage(Storage):
    """The SQLite backend (see the module docstring for layout and guarantees)."""

    def __init__(
        self,
        target: str | os.PathLike[str],
        *,
        create: bool = True,
        durability: str = "normal",
        timeout: float = 30.0,
    ) -> None:
        path = sqlite_path(target)
        self.path = path
        self.target = str(path)
        if durability not in ("normal", "full"):
            raise InputError(f"durability must be 'normal' or 'full', got {durability!r}")
        exists = path.exists()
        if path.is_dir():
            raise InputError(f"{path}: is a directory; name an index file such as {path / 'index.db'}")
        if not exists:
            if not create:
                raise InputError(
                    f"{path}: no such index; create one with: syndetect index add {path} PATH..."
                )
            if not path.parent.is_dir():
                raise InputError(f"{path}: directory {path.parent} does not exist; create it first")
        elif path.stat().st_size:
            with open(path, "rb") as handle:
                if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                    raise IndexFormatError(f"{path}: not a syndetect index (not an SQLite file)")
        self.readonly = exists and not _writable(path)
        if not exists and not _writable(path):
            raise BackendError(
                f"{path}: cannot create an index there (read-only file system or directory); "
                "name a writable place"
            )
        try:
            if self.readonly:
                # immutable when not even the -shm file can be made: nobody can write there
                mode = "ro" if os.access(path.parent, os.W_OK) else "ro&immutable=1"
                uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
                self.conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
            else:
                self.conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute(f"PRAGMA synchronous={durability.upper()}")
                self.conn.execute(f"PRAGMA wal_autocheckpoint={_CHECKPOINT_PAGES}")
            self.conn.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            if hasattr(self, "conn"):
                self.conn.close()
            if "not a database" in str(exc):
                raise IndexFormatError(
                    f"{path}: cannot be opened as a syndetect index ({exc})") from exc
            raise BackendError(_describe(self, exc)) from exc
        self._in_session = False

    # ----------------------------------------------------------------- migrations

    def _pragma(self, name: str) -> int:
        return int(self.conn.execute(f"PRAGMA {name}").fetchone()[0])

    def _migrate(self) -> None:
        if self._pragma("user_version") == len(MIGRATIONS) and self._pragma(
            "application_id"
        ) == APPLICATION_ID:
            return
        if self.readonly:
            raise IndexFormatError(
                f"{self.path}: this index must be migrated to format {FORMAT_VERSION} (or is not "
                "an index), which needs write access; open it once where it can be written"
            )
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            app_id, version = self._pragma("application_id"), self._pragma("user_version")
            if app_id == 0:
                tables = [r[0] for r in self.conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")]
                if tables:
                    raise IndexFormatError(
                        f"{self.path}: not a syndetect index (an SQLite file with tables "
                        f"{', '.join(sorted(tables)[:5])}); name a new file for the index"
                    )
            elif app_id != APPLICATION_ID:
                raise IndexFormatError(
                    f"{self.path}: not a syndetect index (SQLite application_id {app_id:#x})"
                )
            if version > len(MIGRATIONS):
                raise IndexFormatError(
                    f"{self.path}: index format {version} was written by a newer syndetect; "
                    f"this one reads format {FORMAT_VERSION} and older. Upgrade syndetect."
                )
            if version == 0:
                self.conn.execute(
                    "CREATE TABLE _syndetect_migrations (name TEXT PRIMARY KEY, "
                    "applied_at TEXT NOT NULL) WITHOUT ROWID"
                )
            for name, migrate in MIGRATIONS[version:]:
                migrate(self.conn)
                self.conn.execute(
                    "INSERT INTO _syndetect_migrations(name, applied_at) VALUES (?, ?)",
                    (name, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            self.conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this file, in order."""
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM _syndetect_migrations ORDER BY name")]

    # ----------------------------------------------------------------- header

    def header(self) -> dict[str, Any] | None:
        rows = self.conn.execute("SELECT key, value FROM meta").fetchall()
        return {k: json.loads(v) for k, v in rows} or None

    def create(self, header: Mapping[str, Any]) -> dict[str, Any]:
        with self.session(write=True):
            stored = self.header()
            if stored is None:
                self.conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [(k, json.dumps(v, sort_keys=True)) for k, v in header.items()]
                    + [("created_at", json.dumps(datetime.now(UTC).isoformat(timespec="seconds")))],
                )
                stored = self.header()
        assert stored is not None
        return stored

    # ----------------------------------------------------------------- sessions

    @contextmanager
    def session(self, *, write: bool) -> Iterator[None]:
        if self._in_session:  # nested: the outer session commits
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        self._in_session = True
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_session = False

    # ----------------------------------------------------------------- reads

    def counter(self, name: str) -> int:
        return int(self.conn.execute(
            "SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])

    def df(self, words: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in chunks(list(words), _CHUNK):
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(
                f"SELECT word, n FROM df WHERE word IN ({marks})", chunk).fetchall())
        return out

    def members(
        self, keys: np.ndarray, *, limit: int, tail: int = 0
    ) -> list[tuple[bool, list[int]]]:
        # One indexed range read per key, in key order so that neighbouring keys
        # find their B-tree pages in the cache; _CHUNK // 4 keys per statement (a
        # VALUES list joined to the bucket index), each key's members as one string.
        # A bucket found over ``limit`` is read again from its other end, the
        # ``tail`` highest sequence numbers (the primary key's order, read backwards).
        signed_keys = keys["key"].view(np.int64)
        order = np.lexsort((signed_keys, keys["band"], keys["grain"])).tolist()
        signed = signed_keys.tolist()
        grains, bands = keys["grain"].tolist(), keys["band"].tolist()
        out: list[tuple[bool, list[int]]] = [(False, []) for _ in signed]
        over: list[int] = []
        for part in chunks(order, _CHUNK // 4):
            for i, found in self._bucket_reads(part, grains, bands, signed, "", limit + 1):
                if found:
                    seqs = [int(x) for x in found.split(",")]
                    if len(seqs) > limit:
                        over.append(i)
                    else:
                        out[i] = (False, seqs)
        for part in chunks(over, _CHUNK // 4):
            for i, found in self._bucket_reads(part, grains, bands, signed, "DESC", tail):
                out[i] = (True, sorted(int(x) for x in found.split(",")) if found else [])
        return out

    def _bucket_reads(
        self, part: list[int], grains: list[int], bands: list[int], signed: list[int],
        direction: str, limit: int,
    ) -> Iterator[tuple[int, str | None]]:
        """``(i, members as "seq,seq,...")`` of the buckets of keys ``part``: the first
        ``limit`` by sequence number (``direction`` "DESC": the last ``limit``)."""
        if limit <= 0:
            yield from ((i, None) for i in part)
            return
        params: list[int] = []
        for i in part:
            params += (i, grains[i], bands[i], signed[i])
        query = (
            f"WITH k(i, grain, band, key) AS (VALUES {','.join(['(?,?,?,?)'] * len(part))}) "
            "SELECT k.i, (SELECT group_concat(seq) FROM (SELECT seq FROM buckets AS b "
            "WHERE b.grain = k.grain AND b.band = k.band AND b.key = k.key "
            f"ORDER BY seq {direction} LIMIT {int(limit)})) FROM k"
        )
        yield from self.conn.execute(query, params)

    def get_many(self, seqs: Sequence[int]) -> list[Document]:
        found: dict[int, Document] = {}
        for chunk in chunks(list(seqs), _CHUNK):
            marks = ",".join("?" * len(chunk))
            for seq, text in self.conn.execute(
                f"SELECT seq, document FROM documents WHERE seq IN ({marks})", chunk
            ):
                found[seq] = document_from_json(text)
        return [found[s] for s in seqs if s in found]

    def get_prepared(self, seqs: Sequence[int]) -> dict[int, tuple[Document, bytes | None]]:
        found: dict[int, tuple[Document, bytes | None]] = {}
        for chunk in chunks(list(seqs), _CHUNK):
            marks = ",".join("?" * len(chunk))
            for seq, text, page in self.conn.execute(
                f"SELECT d.seq, d.document, p.page FROM documents AS d "
                f"LEFT JOIN pages AS p ON p.seq = d.seq WHERE d.seq IN ({marks})", chunk
            ):
                found[seq] = (document_from_json(text), page)
        return found

    def get(self, doc_id: str) -> tuple[int, Record] | None:
        row = self.conn.execute(
            "SELECT seq, status, document, words, keys FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        seq, status, doc, words, keys = row
        return seq, Record(document_from_json(doc), status, tuple(json.loads(words)),
                           Record.keys_from_blob(keys))

    def ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY seq")]

    def iter_documents(self) -> Iterator[Document]:
        # Read everything first: a lazy cursor would hold a read transaction open.
        rows = self.conn.execute("SELECT document FROM documents ORDER BY seq").fetchall()
        for (text,) in rows:
            yield document_from_json(text)

    # ----------------------------------------------------------------- writes

    def _bump(self, name: str, delta: int) -> None:
        self.conn.execute("UPDATE counters SET value = value + ? WHERE name = ?", (delta, name))

    def put_many(self, records: Sequence[Record], *, replace: bool = False) -> list[int]:
        """One transaction: document rows, then every bucket row of the batch in key order.

        Sorting the batch's bucket rows turns random B-tree inserts into one ordered
        pass, so a large batch writes each touched page once.
        """
        seqs: list[int] = []
        if not records:
            return seqs
        check_batch_ids(records)
        with self.session(write=True):
            now = datetime.now(UTC).isoformat(timespec="milliseconds")
            for record in records:
                if replace:
                    self.delete(record.id)
                try:
                    cur = self.conn.execute(
                        "INSERT INTO documents(id, status, document, words, keys, added_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            record.id, record.status, document_to_json(record.document),
                            json.dumps(list(record.words), ensure_ascii=False),
                            record.keys_blob(), now,
                        ),
                    )
                except sqlite3.IntegrityError:
                    raise DuplicateIdError(
                        f"{record.id}: the index already holds a document with this id; "
                        "remove it first or add with replace=True"
                    ) from None
                seqs.append(int(cur.lastrowid or 0))
            self.conn.executemany(
                "INSERT INTO pages(seq, page) VALUES (?, ?)",
                [(seq, r.page) for seq, r in zip(seqs, records) if r.page is not None],
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO buckets(grain, band, key, seq) VALUES (?, ?, ?, ?)",
                _batch_rows(seqs, [r.keys for r in records]),
            )
            df, counted = batch_counts(records)
            self.conn.executemany(
                "INSERT INTO df(word, n) VALUES (?, ?) "
                "ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
                sorted(df.items()),
            )
            if counted:
                self._bump("n_docs", counted)
            self._bump("generation", len(records))
        return seqs

    def delete(self, doc_id: str) -> bool:
        with self.session(write=True):
            found = self.get(doc_id)
            if found is None:
                return False
            seq, record = found
            self.conn.executemany(
                "DELETE FROM buckets WHERE grain = ? AND band = ? AND key = ? AND seq = ?",
                _keys_rows(seq, record.keys),
            )
            if record.counted:
                self.conn.executemany(
                    "UPDATE df SET n = n - 1 WHERE word = ?", [(w,) for w in record.words]
                )
                self.conn.executemany(
                    "DELETE FROM df WHERE word = ? AND n <= 0", [(w,) for w in record.words]
                )
                self._bump("n_docs", -1)
            self.conn.execute("DELETE FROM documents WHERE seq = ?", (seq,))
            self.conn.execute("DELETE FROM pages WHERE seq = ?", (seq,))
            self._bump("generation", 1)
        return True

    # ----------------------------------------------------------------- rebuild

    def rebuild(
        self,
        header: Mapping[str, Any],
        make_records: Callable[[list[Document]], Iterable[Record]],
    ) -> int:
        """One transaction: a crash leaves the old index, untouched."""
        with self.session(write=True):
            documents = list(self.iter_documents())
            for table in ("buckets", "df", "documents", "pages", "meta"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("UPDATE counters SET value = 0 WHERE name = 'n_docs'")
            self.create(header)
            n = 0
            batch: list[Record] = []
            for record in make_records(documents):
                batch.append(record)
                if len(batch) >= _REBUILD_BATCH:
                    n += len(self.put_many(batch))
                    batch = []
            n += len(self.put_many(batch))
        self.conn.execute("VACUUM")
        return n

    # ----------------------------------------------------------------- housekeeping

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            p = Path(f"{self.path}{suffix}")
            if p.exists():
                total += p.stat().st_size
        return total

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None  # type: ignore[assignment]


__all__ = ["APPLICATION_ID", "MIGRATIONS", "SQLiteStorage", "sqlite_path"]
