"""The shared backend: one Redis database (or key prefix) for several workers.

``redis://host:port/db?prefix=NAME`` (``rediss://`` and ``unix://`` too); the
prefix defaults to ``syndetect``, so several indexes can share a database. Keys
(format 1)::

    {p}:meta          HASH  header, one JSON value per field
    {p}:counters      HASH  n_docs, generation, seq (sequence numbers, HINCRBY)
    {p}:ids           HASH  id -> seq (listing, in add order by seq)
    {p}:id:{id}       STRING seq; WATCHed by add/remove: the per-id lock
    {p}:d:{seq}       HASH  id, status, document (JSON), words (JSON), keys (KEY_DTYPE)
    {p}:df            HASH  content word -> document frequency
    {p}:b:<11 bytes>  SET   seqs of documents holding one band key: the packed
                            (grain u8, band u16, key u64), little-endian

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
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from ..errors import InputError, MissingExtraError
from ..types import Document
from .base import (
    KEY_DTYPE,
    DuplicateIdError,
    Record,
    Storage,
    batch_counts,
    check_batch_ids,
    document_from_json,
    document_to_json,
)

DEFAULT_PREFIX = "syndetect"
_CHUNK = 1000
_SCRIPT_KEYS = 4000  # bucket keys (or word/delta pairs) per server-side script call
_REBUILD_BATCH = 500

# Server-side loops over a batch's bucket keys: one request per document instead of
# one per key, and a single packed argument (the 11-byte keys, back to back) instead
# of one per key. The scripts build key names themselves, which a Redis Cluster
# would refuse; the index's MULTI/EXEC over many keys needs one server anyway.
_SADD_BLOB = (
    "local p, blob, seq = ARGV[1], ARGV[2], ARGV[3] "
    "for i = 1, #blob, 11 do redis.call('SADD', p .. string.sub(blob, i, i + 10), seq) end "
    "return #blob / 11"
)
_SREM_BLOB = (
    "local p, blob, seq = ARGV[1], ARGV[2], ARGV[3] "
    "for i = 1, #blob, 11 do redis.call('SREM', p .. string.sub(blob, i, i + 10), seq) end "
    "return #blob / 11"
)
_HINCR_ALL = (
    "for i = 1, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end "
    "return #ARGV / 2"
)
_MEMBERS_BLOB = (
    "local p, blob, limit = ARGV[1], ARGV[2], ARGV[3] local out = {} "
    "for i = 1, #blob, 11 do "
    "out[#out + 1] = redis.call('SRANDMEMBER', p .. string.sub(blob, i, i + 10), limit) end "
    "return out"
)

def _import_redis() -> Any:
    try:
        import redis
    except ImportError:
        raise MissingExtraError("redis", "redis") from None
    return redis


def split_url(url: str) -> tuple[str, str]:
    """``(connection URL, prefix)``: the ``prefix`` query parameter is syndetect's."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((v for k, v in query if k == "prefix"), DEFAULT_PREFIX)
    if not prefix or any(c in prefix for c in " *?[]"):
        raise InputError(f"{url}: prefix must be a non-empty name without spaces or glob "
                         f"characters, got {prefix!r}")
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


def _public(url: str) -> str:
    """``url`` without a password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class RedisStorage(Storage):
    """The Redis backend (see the module docstring for layout and guarantees)."""

    def __init__(self, url: str, *, create: bool = True, timeout: float = 30.0) -> None:
        redis = _import_redis()
        self._redis = redis
        conn_url, self.prefix = split_url(url)
        self.target = _public(url)
        try:
            self.r = redis.Redis.from_url(
                conn_url, socket_connect_timeout=timeout, socket_timeout=max(timeout, 60.0)
            )
            self.r.ping()
        except (redis.ConnectionError, redis.TimeoutError, ValueError) as exc:
            raise InputError(
                f"{self.target}: cannot connect to Redis ({exc}); start redis-server or fix the URL"
            ) from exc
        p = self.prefix
        self.k_meta = f"{p}:meta"
        self.k_counters = f"{p}:counters"
        self.k_ids = f"{p}:ids"
        self.k_df = f"{p}:df"
        self._bucket_prefix = f"{p}:b:".encode()
        self._sadd_script = self.r.register_script(_SADD_BLOB)
        self._srem_script = self.r.register_script(_SREM_BLOB)
        self._hincr_script = self.r.register_script(_HINCR_ALL)
        self._members_script = self.r.register_script(_MEMBERS_BLOB)

    # ----------------------------------------------------------------- names

    def _id_key(self, doc_id: str) -> bytes:
        return f"{self.prefix}:id:".encode() + doc_id.encode("utf-8")

    def _doc_key(self, seq: int) -> str:
        return f"{self.prefix}:d:{seq}"

    def _bucket_keys(self, keys: np.ndarray) -> list[bytes]:
        raw = np.ascontiguousarray(keys, dtype=KEY_DTYPE).tobytes()
        size, pre = KEY_DTYPE.itemsize, self._bucket_prefix
        return [pre + raw[i : i + size] for i in range(0, len(raw), size)]

    # ----------------------------------------------------------------- header

    def header(self) -> dict[str, Any] | None:
        raw = self.r.hgetall(self.k_meta)
        return {k.decode(): json.loads(v) for k, v in raw.items()} or None

    def create(self, header: Mapping[str, Any]) -> dict[str, Any]:
        fields = {k: json.dumps(v, sort_keys=True) for k, v in header.items()}
        fields["created_at"] = json.dumps(datetime.now(UTC).isoformat(timespec="seconds"))
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
        assert stored is not None
        return stored

    @contextmanager
    def session(self, *, write: bool) -> Iterator[None]:
        # Each write is its own MULTI/EXEC; Redis has no read snapshots to open.
        yield

    # ----------------------------------------------------------------- reads

    def _counter(self, name: str) -> int:
        value = self.r.hget(self.k_counters, name)
        return int(value or 0)

    def n_docs(self) -> int:
        return self._counter("n_docs")

    def generation(self) -> int:
        return self._counter("generation")

    def df(self, words: Iterable[str]) -> dict[str, int]:
        ws = list(words)
        out: dict[str, int] = {}
        for i in range(0, len(ws), _CHUNK):
            chunk = ws[i : i + _CHUNK]
            for w, n in zip(chunk, self.r.hmget(self.k_df, chunk)):
                if n is not None and int(n) > 0:
                    out[w] = int(n)
        return out

    def members(self, keys: np.ndarray, *, limit: int) -> list[list[int]]:
        raw = np.ascontiguousarray(keys, dtype=KEY_DTYPE).tobytes()
        step = _SCRIPT_KEYS * KEY_DTYPE.itemsize
        out: list[list[int]] = []
        with self.r.pipeline(transaction=False) as pipe:
            for i in range(0, len(raw), step):
                self._members_script(args=[self._bucket_prefix, raw[i : i + step], limit],
                                     client=pipe)
            for chunk in pipe.execute():
                out.extend([int(m) for m in members] for members in chunk)
        return out

    def get_many(self, seqs: Sequence[int]) -> list[Document]:
        out: list[Document] = []
        for i in range(0, len(seqs), _CHUNK):
            with self.r.pipeline(transaction=False) as pipe:
                for s in seqs[i : i + _CHUNK]:
                    pipe.hget(self._doc_key(s), "document")
                out.extend(document_from_json(t) for t in pipe.execute() if t is not None)
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
        pairs = [(int(s), i.decode("utf-8")) for i, s in self.r.hgetall(self.k_ids).items()]
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
        pipe.hdel(self.k_ids, record.id)

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
                            "id": record.id,
                            "status": record.status,
                            "document": document_to_json(record.document),
                            "words": json.dumps(list(record.words), ensure_ascii=False),
                            "keys": record.keys_blob(),
                        })
                        pipe.set(id_key, seq)
                        self._queue_buckets(pipe, self._sadd_script, record.keys_blob(), seq)
                    pipe.hset(self.k_ids, mapping={r.id: s for r, s in zip(records, seqs)})
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
                        pipe.hdel(self.k_ids, doc_id)
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
        backup = f"{self.prefix}:rebuild"
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
        fields = {k: json.dumps(v, sort_keys=True) for k, v in header.items()}
        fields["created_at"] = json.dumps(datetime.now(UTC).isoformat(timespec="seconds"))
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
        """Every key of this index (SCAN over the prefix)."""
        pattern = f"{self.prefix}:*".encode()
        yield from self.r.scan_iter(match=pattern, count=5000)

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
