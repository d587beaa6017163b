"""The shared backend: one Redis database (or key prefix) for several workers.

``redis://host:port/db?prefix=NAME``, ``rediss://...`` or
``unix:///path/redis.sock?db=N&prefix=NAME``; the prefix defaults to
``syndetect``, so several indexes can share a database. A prefix is 1-100
letters, digits and ``_ . : / -``; the database number must be an integer.
Keys (layout 2, every key inside the hash tag ``{p}`` of its index)::

    {p}:meta          HASH  header, one JSON value per field
    {p}:counters      HASH  n_docs, generation, seq (sequence numbers, HINCRBY)
    {p}:ids           HASH  id -> seq (listing, in add order by seq)
    {p}:id:<id>       STRING seq; WATCHed by add/remove: the per-id lock
    {p}:d:{seq}       HASH  id, status, document (JSON), words (JSON), keys (KEY_DTYPE)
    {p}:df            HASH  content word -> document frequency
    {p}:b:<11 bytes>  SET   seqs of documents holding one band key: the packed
                            (grain u8, band u16, key u64), little-endian

Keys cannot collide. The prefix is closed by ``}``, which it may not contain, so
no key of index ``news`` is a key of ``news:archive`` (``{news}:...`` against
``{news:archive}:...``) and a document id (UTF-8 bytes, lone surrogates kept by
``surrogatepass``) placed after ``:id:`` cannot name another index's header.
``drop`` and ``rebuild`` delete only what ``SCAN MATCH {p}:*`` finds. The hash
tag also puts an index in one Redis Cluster slot. Layout 1 (keys ``p:...``
without braces, where ``rebuild`` of ``news`` deleted ``news:archive``) is
moved to layout 2 by the named migration ``0002_hash_tagged_keys`` when it is
first opened: the exact keys of each stored document are read, written again
under the new names, then deleted; nothing is matched by pattern.

Buckets are one set per band key, as in datasketch's ``MinHashLSH`` Redis storage
(a set per bucket key), with integer members so Redis keeps them as compact
intsets; syndetect computes the band keys itself (``base.document_keys``) so
that they match ``scan``'s, hence its own key names.

Crash safety: every ``add``, ``add_many`` batch and ``remove`` is one MULTI/EXEC
transaction (sent as one pipeline), watched on the documents' id keys; a batch's
bucket and frequency updates are queued as server-side scripts (one per document
with its band keys packed in one argument), which run inside the transaction. Redis runs a transaction whole
or not at all; a client killed before EXEC reaches the server leaves nothing
(the server drops the queued commands with the connection). How much survives a
*server* crash depends on its persistence settings (``appendonly yes`` with
``appendfsync everysec`` loses at most a second), which are the operator's.

Concurrency: any number of workers may add, query and report at once. Two
workers adding the same id at once: one wins, the other gets ``DuplicateIdError``.
Two related documents added at the same instant by two workers may not see each
other (each checks only what was stored before it); ``report()`` sees both.
Reads are not snapshots: ``report()`` during heavy adds reflects some moment of
them. Zero document frequencies left by ``remove`` stay as fields (harmless).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ..errors import BackendError, InputError
from ..types import Document
from .base import (
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
from .redis_server import (
    DEFAULT_PREFIX,
    HINCR_ALL,
    MEMBERS_BLOB,
    SADD_BLOB,
    SREM_BLOB,
    decode_id,
    describe,
    encode_id,
    import_redis,
    public_url,
    redis_errors,
    split_url,
)

LAYOUT = 2
"""Key layout version, recorded in the header as ``redis_layout``."""
MIGRATIONS = ("0001_initial", "0002_hash_tagged_keys")
"""Named, ordered Redis layout migrations; recorded in the header as ``redis_migrations``."""
_CHUNK = 1000
_SCRIPT_KEYS = 4000  # bucket keys (or word/delta pairs) per server-side script call
_REBUILD_BATCH = 500

@translate(redis_errors(), describe)
class RedisStorage(Storage):
    """The Redis backend (see the module docstring for layout and guarantees)."""

    def __init__(self, url: str, *, create: bool = True, timeout: float = 30.0) -> None:
        redis = import_redis()
        self._redis = redis
        conn_url, self.prefix = split_url(url)
        self.target = public_url(url)
        try:
            self.r = redis.Redis.from_url(
                conn_url, socket_connect_timeout=timeout, socket_timeout=max(timeout, 60.0)
            )
            self.r.ping()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise BackendError(
                f"{self.target}: cannot connect to Redis ({exc}); start redis-server or fix the URL"
            ) from exc
        except redis.RedisError as exc:
            raise BackendError(describe(self, exc)) from exc
        except ValueError as exc:
            raise InputError(f"{self.target}: not a Redis URL ({exc})") from exc
        self.namespace = "{" + self.prefix + "}"
        p = self.namespace
        self.k_meta = f"{p}:meta"
        self.k_counters = f"{p}:counters"
        self.k_ids = f"{p}:ids"
        self.k_df = f"{p}:df"
        self._bucket_prefix = f"{p}:b:".encode()
        self._sadd_script = self.r.register_script(SADD_BLOB)
        self._srem_script = self.r.register_script(SREM_BLOB)
        self._hincr_script = self.r.register_script(HINCR_ALL)
        self._members_script = self.r.register_script(MEMBERS_BLOB)
        try:
            self._migrate()
        except redis.RedisError as exc:
            raise BackendError(describe(self, exc)) from exc

    # ----------------------------------------------------------------- names

    def _id_key(self, doc_id: str) -> bytes:
        return f"{self.namespace}:id:".encode() + encode_id(doc_id)

    def _doc_key(self, seq: int) -> str:
        return f"{self.namespace}:d:{seq}"

    def _bucket_keys(self, keys: np.ndarray) -> list[bytes]:
        raw = np.ascontiguousarray(keys, dtype=KEY_DTYPE).tobytes()
        size, pre = KEY_DTYPE.itemsize, self._bucket_prefix
        return [pre + raw[i : i + size] for i in range(0, len(raw), size)]

    # ----------------------------------------------------------------- header

    def header(self) -> dict[str, Any] | None:
        raw = self.r.hgetall(self.k_meta)
        return {k.decode(): json.loads(v) for k, v in raw.items()} or None

    def _header_fields(self, header: Mapping[str, Any]) -> dict[str, str]:
        fields = {k: json.dumps(v, sort_keys=True) for k, v in header.items()}
        fields["created_at"] = json.dumps(datetime.now(UTC).isoformat(timespec="seconds"))
        fields["redis_layout"] = json.dumps(LAYOUT)
        fields["redis_migrations"] = json.dumps(list(MIGRATIONS))
        return fields

    def create(self, header: Mapping[str, Any]) -> dict[str, Any]:
        fields = self._header_fields(header)
        with self.r.pipeline() as pipe:
            try:
                pipe.watch(self.k_meta)
                if not pipe.exists(self.k_meta):
                    pipe.multi()
                    pipe.hset(self.k_meta, mapping=fields)
                    pipe.hset(self.k_counters, mapping={"n_docs": 0, "generation": 0, "seq": 0})
                    pipe.execute()
            except self._redis.WatchError:
                pass  # another worker created it first: use theirs
        stored = self.header()
        if stored is None:
            raise BackendError(f"{self.target}: the index header vanished while it was created")
        return stored

    @contextmanager
    def session(self, *, write: bool) -> Iterator[None]:
        # Each write is its own MULTI/EXEC; Redis has no read snapshots to open.
        yield

    # ----------------------------------------------------------------- reads

    def counter(self, name: str) -> int:
        value = self.r.hget(self.k_counters, name)
        return int(value or 0)

    def df(self, words: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in chunks(list(words), _CHUNK):
            for w, n in zip(chunk, self.r.hmget(self.k_df, chunk)):
                if n is not None and int(n) > 0:
                    out[w] = int(n)
        return out

    def members(
        self, keys: np.ndarray, *, limit: int, tail: int = 0
    ) -> list[tuple[bool, list[int]]]:
        raw = np.ascontiguousarray(keys, dtype=KEY_DTYPE).tobytes()
        step = _SCRIPT_KEYS * KEY_DTYPE.itemsize
        out: list[tuple[bool, list[int]]] = []
        with self.r.pipeline(transaction=False) as pipe:
            for i in range(0, len(raw), step):
                self._members_script(args=[self._bucket_prefix, raw[i : i + step], limit, tail],
                                     client=pipe)
            for chunk in pipe.execute():
                out.extend((bool(over), sorted(int(m) for m in members))
                           for over, members in chunk)
        return out

    def get_many(self, seqs: Sequence[int]) -> list[Document]:
        out: list[Document] = []
        for i in range(0, len(seqs), _CHUNK):
            with self.r.pipeline(transaction=False) as pipe:
                for s in seqs[i : i + _CHUNK]:
                    pipe.hget(self._doc_key(s), "document")
                out.extend(document_from_json(t) for t in pipe.execute() if t is not None)
        return out

    def get_prepared(self, seqs: Sequence[int]) -> dict[int, tuple[Document, bytes | None]]:
        out: dict[int, tuple[Document, bytes | None]] = {}
        for i in range(0, len(seqs), _CHUNK):
            chunk = list(seqs[i : i + _CHUNK])
            with self.r.pipeline(transaction=False) as pipe:
                for s in chunk:
                    pipe.hmget(self._doc_key(s), "document", "page")
                for s, (text, page) in zip(chunk, pipe.execute()):
                    if text is not None:
                        out[s] = (document_from_json(text), page)
        return out

    def _record(self, seq: int) -> Record | None:
        raw = self.r.hgetall(self._doc_key(seq))
        if not raw:
            return None
        return Record(
            document=document_from_json(raw[b"document"]),
            status=raw[b"status"].decode(),
            words=tuple(json.loads(raw[b"words"])),
            keys=Record.keys_from_blob(raw[b"keys"]),
        )

    def get(self, doc_id: str) -> tuple[int, Record] | None:
        seq = self.r.get(self._id_key(doc_id))
        if seq is None:
            return None
        record = self._record(int(seq))
        return (int(seq), record) if record is not None else None

    def _seqs(self) -> list[tuple[int, str]]:
        pairs = [(int(s), decode_id(i)) for i, s in self.r.hgetall(self.k_ids).items()]
        return sorted(pairs)

    def ids(self) -> list[str]:
        return [i for _, i in self._seqs()]

    def iter_documents(self) -> Iterator[Document]:
        seqs = [s for s, _ in self._seqs()]
        for i in range(0, len(seqs), _CHUNK):
            yield from self.get_many(seqs[i : i + _CHUNK])

    # ----------------------------------------------------------------- writes

    def _queue_delete(self, pipe: Any, seq: int, record: Record) -> None:
        self._queue_buckets(pipe, self._srem_script, record.keys_blob(), seq)
        if record.counted:
            self._queue_df(pipe, {w: -1 for w in record.words})
            pipe.hincrby(self.k_counters, "n_docs", -1)
        pipe.delete(self._doc_key(seq), self._id_key(record.id))
        pipe.hdel(self.k_ids, encode_id(record.id))

    def _queue_buckets(self, pipe: Any, script: Any, blob: bytes, seq: int) -> None:
        step = _SCRIPT_KEYS * KEY_DTYPE.itemsize
        for i in range(0, len(blob), step):
            script(args=[self._bucket_prefix, blob[i : i + step], seq], client=pipe)

    def _queue_df(self, pipe: Any, deltas: Mapping[str, int]) -> None:
        items = sorted(deltas.items())
        for i in range(0, len(items), _SCRIPT_KEYS):
            args: list[Any] = []
            for w, d in items[i : i + _SCRIPT_KEYS]:
                args += [w, d]
            self._hincr_script(keys=[self.k_df], args=args, client=pipe)

    def put_many(self, records: Sequence[Record], *, replace: bool = False) -> list[int]:
        """One MULTI/EXEC transaction, watched on the batch's id keys.

        Bucket and document-frequency updates go as a few server-side scripts
        (one ``SADD``/``HINCRBY`` per key inside Redis) rather than one command
        each: the client builds and sends a fraction of the requests.
        """
        if not records:
            return []
        check_batch_ids(records)
        last = int(self.r.hincrby(self.k_counters, "seq", len(records)))
        seqs = list(range(last - len(records) + 1, last + 1))
        id_keys = [self._id_key(r.id) for r in records]
        df, counted = batch_counts(records)
        while True:
            with self.r.pipeline() as pipe:
                try:
                    pipe.watch(*id_keys)
                    olds = pipe.mget(id_keys)
                    replaced: list[tuple[int, Record]] = []
                    for record, old in zip(records, olds):
                        if old is None:
                            continue
                        if not replace:
                            raise DuplicateIdError(
                                f"{record.id}: the index already holds a document with this "
                                "id; remove it first or add with replace=True"
                            )
                        old_record = self._record(int(old))
                        if old_record is not None:
                            replaced.append((int(old), old_record))
                    pipe.multi()
                    for old_seq, old_record in replaced:
                        self._queue_delete(pipe, old_seq, old_record)
                    for seq, record, id_key in zip(seqs, records, id_keys):
                        pipe.hset(self._doc_key(seq), mapping={
                            "id": encode_id(record.id),
                            "status": record.status,
                            "document": encode_id(document_to_json(record.document)),
                            "words": encode_id(json.dumps(list(record.words),
                                                           ensure_ascii=False)),
                            "keys": record.keys_blob(),
                            **({"page": record.page} if record.page is not None else {}),
                        })
                        pipe.set(id_key, seq)
                        self._queue_buckets(pipe, self._sadd_script, record.keys_blob(), seq)
                    pipe.hset(self.k_ids,
                              mapping={encode_id(r.id): s for r, s in zip(records, seqs)})
                    if df:
                        self._queue_df(pipe, df)
                    if counted:
                        pipe.hincrby(self.k_counters, "n_docs", counted)
                    pipe.hincrby(self.k_counters, "generation", len(records))
                    pipe.execute()
                    return seqs
                except self._redis.WatchError:
                    continue  # an id changed under us: check again

    def find(self, doc_ids: Sequence[str]) -> dict[str, tuple[int, Record]]:
        out: dict[str, tuple[int, Record]] = {}
        for i in range(0, len(doc_ids), _CHUNK):
            chunk = list(doc_ids[i : i + _CHUNK])
            found = [(d, int(s)) for d, s in zip(chunk, self.r.mget(
                [self._id_key(d) for d in chunk])) if s is not None]
            for doc_id, seq in found:
                record = self._record(seq)
                if record is not None:
                    out[doc_id] = (seq, record)
        return out

    def delete(self, doc_id: str) -> bool:
        id_key = self._id_key(doc_id)
        while True:
            with self.r.pipeline() as pipe:
                try:
                    pipe.watch(id_key)
                    seq = pipe.get(id_key)
                    if seq is None:
                        return False
                    record = self._record(int(seq))
                    pipe.multi()
                    if record is not None:
                        self._queue_delete(pipe, int(seq), record)
                    else:
                        pipe.delete(id_key)
                        pipe.hdel(self.k_ids, encode_id(doc_id))
                    pipe.hincrby(self.k_counters, "generation", 1)
                    pipe.execute()
                    return True
                except self._redis.WatchError:
                    continue

    # ----------------------------------------------------------------- rebuild

    def rebuild(
        self,
        header: Mapping[str, Any],
        make_records: Callable[[list[Document]], Iterable[Record]],
    ) -> int:
        """Resumable: the documents are copied to ``{p}:rebuild`` before anything is deleted.

        Steps: (1) copy every document to the list ``{p}:rebuild``, then set the
        header field ``rebuilding`` (an index with it set refuses to open); (2)
        delete every other key of the index; (3) write the new header and records;
        (4) clear ``rebuilding`` and drop the copy in one transaction. A rebuild
        that finds ``rebuilding`` set resumes from the copy.
        """
        backup = f"{self.namespace}:rebuild"
        if self.r.hget(self.k_meta, "rebuilding") is None:
            self.r.delete(backup)
            seqs = [s for s, _ in self._seqs()]
            for i in range(0, len(seqs), _CHUNK):
                with self.r.pipeline(transaction=False) as pipe:
                    for s in seqs[i : i + _CHUNK]:
                        pipe.hget(self._doc_key(s), "document")
                    texts = [t for t in pipe.execute() if t is not None]
                if texts:
                    self.r.rpush(backup, *texts)
            self.r.hset(self.k_meta, "rebuilding", "true")
        documents = [document_from_json(t) for t in self.r.lrange(backup, 0, -1)]
        keep = {self.k_meta.encode(), backup.encode()}
        batch = [k for k in self.keys() if k not in keep]
        for i in range(0, len(batch), _CHUNK):
            self.r.unlink(*batch[i : i + _CHUNK])
        fields = self._header_fields(header)
        old_fields = [k for k in self.r.hkeys(self.k_meta) if k != b"rebuilding"]
        with self.r.pipeline() as pipe:
            if old_fields:
                pipe.hdel(self.k_meta, *old_fields)
            pipe.hset(self.k_meta, mapping=fields)
            pipe.hset(self.k_counters, mapping={"n_docs": 0, "generation": 0, "seq": 0})
            pipe.execute()
        n = 0
        records: list[Record] = []
        for record in make_records(documents):
            records.append(record)
            if len(records) >= _REBUILD_BATCH:
                n += len(self.put_many(records))
                records = []
        n += len(self.put_many(records))
        with self.r.pipeline() as pipe:
            pipe.hdel(self.k_meta, "rebuilding")
            pipe.delete(backup)
            pipe.execute()
        return n

    # ----------------------------------------------------------------- housekeeping

    def keys(self) -> Iterator[bytes]:
        """Every key of this index: SCAN MATCH ``{p}:*``, which no other index's key matches."""
        pattern = f"{self.namespace}:*".encode()  # the prefix holds no glob character
        yield from self.r.scan_iter(match=pattern, count=5000)

    # ----------------------------------------------------------------- migrations

    def _migrate(self) -> None:
        """Move a layout-1 index (keys ``p:...``) to layout 2 (``{p}:...``), once.

        Resumable: the new keys are cleared and written again if a migration was
        interrupted (the new header is written last); old keys are deleted by
        exact name only after the new header exists.
        """
        old_meta = f"{self.prefix}:meta"
        if self.r.exists(self.k_meta) and not self.r.hexists(self.k_meta, "migrating"):
            if self.r.type(old_meta) == b"hash" and self.r.hexists(old_meta, "format_version"):
                self._drop_layout1()  # a migration that stopped while deleting
            return
        if self.r.type(old_meta) != b"hash" or not self.r.hexists(old_meta, "format_version"):
            return
        lock = f"{self.namespace}:migration-lock"
        if not self.r.set(lock, "1", nx=True, ex=3600):
            raise BackendError(
                f"{self.target}: another process is moving this index to the new key layout; "
                "try again when it is done"
            )
        try:
            old = {k.decode(): v for k, v in self.r.hgetall(old_meta).items()}
            for key in list(self.keys()):
                if key != lock.encode():
                    self.r.unlink(key)
            self.r.hset(self.k_meta, "migrating", "true")
            ids = self.r.hgetall(f"{self.prefix}:ids")
            batch: list[Record] = []
            for raw_id, seq in sorted(ids.items(), key=lambda item: int(item[1])):
                raw = self.r.hgetall(f"{self.prefix}:d:{int(seq)}")
                if raw:
                    batch.append(Record(
                        document=document_from_json(raw[b"document"]),
                        status=raw[b"status"].decode(),
                        words=tuple(json.loads(raw[b"words"])),
                        keys=Record.keys_from_blob(raw[b"keys"]),
                    ))
                if len(batch) >= _REBUILD_BATCH:
                    self.put_many(batch)
                    batch = []
            self.put_many(batch)
            fields = {k: v for k, v in old.items() if k != "rebuilding"}
            fields["redis_layout"] = json.dumps(LAYOUT).encode()
            fields["redis_migrations"] = json.dumps(list(MIGRATIONS)).encode()
            with self.r.pipeline() as pipe:
                pipe.hdel(self.k_meta, "migrating")
                pipe.hset(self.k_meta, mapping=fields)
                pipe.execute()
            self._drop_layout1()
        finally:
            self.r.delete(lock)

    def _drop_layout1(self) -> None:
        """Delete the layout-1 keys of this index by exact name (never by pattern)."""
        p = self.prefix
        ids = self.r.hgetall(f"{p}:ids")
        for raw_id, seq in ids.items():
            doc_key = f"{p}:d:{int(seq)}"
            blob = self.r.hget(doc_key, "keys")
            keys = Record.keys_from_blob(blob)
            raw = np.ascontiguousarray(keys, dtype=KEY_DTYPE).tobytes()
            size = KEY_DTYPE.itemsize
            with self.r.pipeline(transaction=False) as pipe:
                for i in range(0, len(raw), size):
                    pipe.srem(f"{p}:b:".encode() + raw[i : i + size], int(seq))
                pipe.delete(doc_key, f"{p}:id:".encode() + raw_id)
                pipe.hdel(f"{p}:ids", raw_id)
                pipe.execute()
        self.r.delete(f"{p}:ids", f"{p}:df", f"{p}:counters", f"{p}:rebuild", f"{p}:meta")

    def size_bytes(self) -> int:
        """Sum of ``MEMORY USAGE`` over the index's keys (one pass over them: slow when huge)."""
        total = 0
        batch: list[bytes] = []

        def flush() -> int:
            with self.r.pipeline(transaction=False) as pipe:
                for k in batch:
                    pipe.memory_usage(k, samples=0)
                return sum(int(v or 0) for v in pipe.execute())

        for key in self.keys():
            batch.append(key)
            if len(batch) >= _CHUNK:
                total += flush()
                batch = []
        if batch:
            total += flush()
        return total

    def drop(self) -> int:
        """Delete every key of this index; returns how many. Irreversible."""
        n = 0
        batch: list[bytes] = []
        for key in self.keys():
            batch.append(key)
            if len(batch) >= _CHUNK:
                n += int(self.r.unlink(*batch))
                batch = []
        if batch:
            n += int(self.r.unlink(*batch))
        return n

    def close(self) -> None:
        r = getattr(self, "r", None)
        if r is not None:
            r.close()


__all__ = ["DEFAULT_PREFIX", "RedisStorage", "split_url"]
