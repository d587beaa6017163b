"""Streaming index throughput and size: SQLite and Redis, beside datasketch's MinHashLSH.

    python benchmarks/bench_index.py [--sizes 10000[,100000]] [--verified 500|all]
                                     [--queries 200] [--batch-size 2000] [--seed 0]
                                     [--backends sqlite,redis,datasketch]
                                     [--redis-url URL] [--workdir DIR] [--json OUT]
                                     [--datasketch-max-gb GB] [--scan-recall auto|yes|no]
                                     [--no-keys] [--keep-backfill] [--max-candidates K]

For each size N, ``synth.py`` generates N + Q articles (planted copies, edits and
rewrites); the first N are added, the last Q (held out, many of them derived from
earlier ones) are queried. Per backend:

* **backfill**: ``Index.add_many(verify=False, batch_size=B)`` of the first N - F
  articles: segmentation, band keys and one write transaction per batch of B,
  no verification (how an archive is loaded). With ``--verified all`` (F = N)
  there is no backfill and every article is added with verification;
* **add**: ``Index.add`` of each of the last F articles in turn, into an index
  already holding N - F: segmentation, band keys, bucket lookup, the core's
  verification and pair decisions against up to ``max_candidates`` earlier
  articles, and the write transaction;
* **recall**: of the planted (source, derived) pairs whose later article (in adding
  order) is one of the F verified adds and whose earlier one was added before it,
  the share that add found: the pair decided derived, or both in the local cluster
  it returned (``bench_scan`` counts a pair found the same way). With
  ``--scan-recall`` (default: up to 20,000 articles) ``scan`` of the N added
  articles is run too, and ``scan_recall`` is its recall on the same pairs;
  ``scan_only`` / ``index_only`` count the pairs one finds and the other does not;
* **add cpu/s**: verified adds per CPU second of this process (the wall rate
  depends on what else runs on the machine);
* **query**: ``Index.query`` of the Q held-out articles (the same work, no write);
* **written**: bytes the process wrote per backfilled article (SQLite; WAL and
  checkpoints, from ``/proc/self/io``);
* **size**: the SQLite file after ``close()`` (WAL checkpointed), or the Redis
  server's ``used_memory`` growth (a server started for the run unless
  ``--redis-url`` is given; then ``MEMORY USAGE`` summed over the index's keys);
* **keys: insert / lookup**: the storage layer alone on the *same* band keys that
  datasketch gets as signatures: ``Storage.put_many`` of precomputed records in
  batches of B (one transaction each) and ``Storage.lookup`` of the Q articles' keys.

``datasketch``: one ``MinHashLSH`` per MinHash grain (sentence, document; the passage
grain's keys are bottom-k n-gram hashes, not signatures, and have no LSH) with the
index's ``(bands, rows)``, in memory, fed ``LeanMinHash`` objects made from exactly
the signatures whose band keys the index stores (``document_signatures`` with the
document frequencies of all N articles; building them is not timed). Insert goes
through ``insertion_session``; a query asks every set of an article. Its size is
the pickled LSH objects; ``memory_bytes`` is the process's resident memory growth
(1.2 GB at 10,000 articles, 11.7 GB at 100,000). When N would not fit in
``--datasketch-max-gb`` (default: the memory available when it starts, less 4 GB;
re-estimated every 5,000 articles) it inserts as many articles as fit and says how
many (``documents``), with the memory N would need (``projected_memory_bytes``).
MinHashLSH returns candidate keys only (no verification, no persistence), so
compare it with the **keys** rows; the **add/query** rows include the whole detection.

``--no-keys`` skips the keys and datasketch rows (and their precomputation);
``--keep-backfill`` keeps the backfilled SQLite file in ``--workdir`` and copies it
back in later runs of the same N, F, batch size, seed and syndetect version, so
that verified adds can be timed again without loading N - F articles again.

The signatures and keys for the keys and datasketch rows are computed once per
``(N, Q, seed)`` on all cores and cached in ``--workdir``. Times are wall seconds
(Redis work happens in the server process); docs/s = documents / wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _documents(n: int, seed: int) -> list[Any]:
    from synth import generate

    from syndetect import Document

    return [
        Document(id=a["id"], text=a["text"], outlet=a["outlet"], published_at=a["published_at"],
                 date_strength="metadata")
        for a in generate(n, seed)
    ]


def _written_bytes() -> int | None:
    """Bytes this process has written (Linux ``/proc/self/io`` ``wchar``), else None."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else float("inf")


def _log(msg: str) -> None:
    print(f"[bench_index] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- redis server


class RedisServer:
    """A throwaway redis-server on a free loopback port (no persistence)."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server not found: install it or pass --redis-url")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        import redis

        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)

    def used_memory(self) -> int:
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=3600)
        return int(client.info("memory")["used_memory"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


# --------------------------------------------------------------------------- syndetect


def _clear(target: str, server: RedisServer | None) -> None:
    """Free what an index took: the file, or the Redis keys (the whole throwaway server)."""
    if "://" not in target:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        return
    if server is not None:
        import redis

        # Synchronous (memory is back when it returns), and slow on 100M keys.
        redis.Redis.from_url(server.url, socket_timeout=3600).flushall()
        return
    from syndetect.index.redis import RedisStorage

    storage = RedisStorage(target)
    storage.drop()
    storage.close()


def _size(target: str, index: Any, server: RedisServer | None, mem0: int) -> int:
    """Bytes on disk after ``close()`` (SQLite) or Redis memory growth; closes ``index``."""
    if "://" not in target:
        index.close()
        return sum(Path(target + s).stat().st_size for s in ("", "-wal")
                   if Path(target + s).exists())
    size = server.used_memory() - mem0 if server else index.size_bytes()
    index.close()
    return int(size)


def bench_syndetect(
    backend: str, added: list[Any], queried: list[Any], records: list[Any] | None,
    query_keys: list[Any] | None,
    workdir: Path, redis_url: str | None, *, verified: int, batch_size: int,
    keep_backfill: bool = False, seed: int = 0, max_candidates: int | None = None,
) -> dict[str, Any]:
    from syndetect.index import Index

    server = None
    n = len(added)
    if backend == "sqlite":
        target = str(workdir / f"bench-{n}.db")
        keys_target = str(workdir / f"bench-keys-{n}.db")
        for t in (target, keys_target):
            _clear(t, None)
    else:
        if redis_url is None:
            server = RedisServer()
            base = server.url
        else:
            base = redis_url
        sep = "&" if "?" in base else "?"
        target = f"{base}{sep}prefix=bench-{uuid.uuid4().hex[:8]}"
        keys_target = f"{base}{sep}prefix=bench-keys-{uuid.uuid4().hex[:8]}"
    backfill, checked = added[: n - verified], added[n - verified :]
    out: dict[str, Any] = {"backend": backend, "documents": n, "backfilled": len(backfill),
                           "verified_adds": len(checked), "batch_size": batch_size}
    # SQLite: the backfilled file is kept in the workdir (``--keep-backfill``) and copied
    # back by a later run of the same (N, F, batch, seed, syndetect) instead of loading
    # again: the verified adds start from the same file either way.
    from syndetect import __version__

    saved = workdir / f"backfill-{n}-{verified}-{batch_size}-{seed}-{__version__}.db"
    saved_json = saved.with_suffix(".json")
    try:
        mem0 = server.used_memory() if server else 0
        reused = backend == "sqlite" and keep_backfill and saved.exists() and saved_json.exists()
        if reused:
            _log(f"{backend}: backfilled index copied from {saved}")
            shutil.copyfile(saved, target)
            out.update(json.loads(saved_json.read_text()), backfill_reused=True)
        index = Index.open(target, max_candidates=max_candidates)
        out["max_candidates"] = index.max_candidates
        if backfill and not reused:
            w0 = _written_bytes()
            t0, c0 = time.perf_counter(), time.process_time()

            def progress(stage: str, done: int, total: int) -> None:
                if done % (batch_size * max(1, 10000 // batch_size)) == 0 or done == total:
                    _log(f"{backend}: {done} backfilled, "
                         f"{_rate(done, time.perf_counter() - t0)} docs/s")

            index.add_many(backfill, verify=False, batch_size=batch_size, progress=progress)
            backfill_s = time.perf_counter() - t0
            w1 = _written_bytes()
            out.update(backfill_seconds=round(backfill_s, 1),
                       backfill_cpu_seconds=round(time.process_time() - c0, 1),
                       backfill_docs_per_s=_rate(len(backfill), backfill_s))
            if backend == "sqlite" and w0 is not None and w1 is not None:
                out["backfill_written_bytes_per_doc"] = round((w1 - w0) / len(backfill))
            if backend == "sqlite" and keep_backfill:
                index.close()  # checkpointed: the file alone is the index
                shutil.copyfile(target, saved)
                saved_json.write_text(json.dumps(
                    {k: v for k, v in out.items() if k.startswith("backfill")}))
                index = Index.open(target, max_candidates=max_candidates)
        w0 = _written_bytes()
        t0, c0 = time.perf_counter(), time.process_time()
        n_matched = 0
        found: dict[str, set[str]] = {}  # verified add -> earlier articles it is tied to
        for i, doc in enumerate(checked):
            result = index.add(doc, detail=True)
            n_matched += bool(result.matches)
            tied = {p.a if p.b == doc.id else p.b for p in result.pairs if p.derived}
            if result.cluster is not None:
                tied |= {m.document for m in result.cluster.members}
            found[doc.id] = tied - {doc.id}
            if (i + 1) % 1000 == 0:
                _log(f"{backend}: {i + 1} added, {_rate(i + 1, time.perf_counter() - t0)} docs/s")
        add_s, add_cpu = time.perf_counter() - t0, time.process_time() - c0
        w1 = _written_bytes()
        if backend == "sqlite" and w0 is not None and w1 is not None and checked:
            out["add_written_bytes_per_doc"] = round((w1 - w0) / len(checked))
        t0 = time.perf_counter()
        n_query_matched = sum(bool(index.query(doc)) for doc in queried)
        query_s = time.perf_counter() - t0
        size = _size(target, index, server, mem0)
        out.update(
            add_seconds=round(add_s, 1), add_cpu_seconds=round(add_cpu, 1),
            add_docs_per_s=_rate(len(checked), add_s),
            add_docs_per_cpu_s=_rate(len(checked), add_cpu), added_with_matches=n_matched,
            query_seconds=round(query_s, 2), query_docs_per_s=_rate(len(queried), query_s),
            queried=len(queried), queried_with_matches=n_query_matched, size_bytes=size,
        )
        out["_found"] = found
        _log(f"{backend}: add/query done: "
             f"{ {k: v for k, v in out.items() if not k.startswith('_')} }")
        _clear(target, server)  # before the keys-only copy: two would not fit in memory
        if records is None:
            return out

        # The storage layer alone, on precomputed keys (what datasketch is given).
        index = Index.open(keys_target)
        storage = index.storage
        mem1 = server.used_memory() if server else 0
        t0 = time.perf_counter()
        for i in range(0, len(records), batch_size):
            storage.put_many(records[i : i + batch_size])
        insert_s = time.perf_counter() - t0
        max_bucket = index.config.candidates.max_bucket
        window = index.config.candidates.overflow_window
        t0 = time.perf_counter()
        n_hits = 0
        for keys in query_keys:
            with storage.session(write=False):
                n_hits += len(storage.lookup(keys, max_bucket=max_bucket, window=window))
        lookup_s = time.perf_counter() - t0
        keys_size = _size(keys_target, index, server, mem1)
        _clear(keys_target, server)
        out.update(
            keys_insert_docs_per_s=_rate(len(records), insert_s),
            keys_lookup_docs_per_s=_rate(len(query_keys), lookup_s),
            keys_lookup_candidates_per_doc=round(n_hits / max(1, len(query_keys)), 1),
            keys_size_bytes=keys_size,
        )
    finally:
        if server is not None:
            server.stop()
    return out


# --------------------------------------------------------------------------- recall


def _planted_pairs(added: list[Any], verified: int, n_total: int, seed: int) -> list[Any]:
    """Planted (source, derived, kind) pairs an index add can find: the later article of
    the pair (in adding order) is one of the last ``verified`` added, the earlier one
    was added before it."""
    from synth import Plan

    order = {d.id: i for i, d in enumerate(added)}
    first = len(added) - verified
    out = []
    for p in Plan(n_total, seed).truth()["planted"]:
        a, b = order.get(p["source"]), order.get(p["derived"])
        if a is not None and b is not None and max(a, b) >= first:
            later, earlier = (p["source"], p["derived"]) if a > b else (p["derived"], p["source"])
            out.append((later, earlier, p["kind"]))
    return out


def _recall(planted: list[Any], tied: dict[str, set[str]]) -> dict[str, Any]:
    """Share of planted pairs found, overall and per kind; ``tied[a]`` holds what ``a``
    was found derived with (a decided pair or one cluster, as ``bench_scan`` counts)."""
    out: dict[str, Any] = {"planted": len(planted)}
    kinds = sorted({k for _, _, k in planted})
    hit = [b in tied.get(a, set()) for a, b, _ in planted]
    out["recall"] = round(sum(hit) / max(1, len(planted)), 4)
    for k in kinds:
        sel = [h for h, (_, _, kk) in zip(hit, planted) if kk == k]
        out[f"recall_{k}"] = round(sum(sel) / max(1, len(sel)), 4)
    return out


def scan_ties(added: list[Any]) -> tuple[dict[str, set[str]], float]:
    """``scan`` of the added articles: what each is tied to (decided pair or one
    cluster), and its CPU seconds."""
    from syndetect import Config, scan

    c0 = time.process_time()
    report = scan(added, Config())
    cpu = time.process_time() - c0
    tied: dict[str, set[str]] = {}
    for p in report.pairs:
        if p.derived:
            tied.setdefault(p.a, set()).add(p.b)
            tied.setdefault(p.b, set()).add(p.a)
    for c in report.clusters:
        ids = {m.document for m in c.members}
        for d in ids:
            tied.setdefault(d, set()).update(ids - {d})
    return tied, cpu


# --------------------------------------------------------------------------- datasketch


def _rss_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _available_bytes() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 8 * 10**9


def bench_datasketch(signatures: list[dict[str, Any]], query_sigs: list[dict[str, Any]],
                     seed: int, max_bytes: int | None) -> dict[str, Any]:
    import gc

    from datasketch import MinHashLSH

    from syndetect import Config
    from syndetect.index.base import GRAINS, lsh_layout
    from syndetect.minhash import to_lean_minhash

    config = Config()
    layout = lsh_layout(config)
    num_perm = config.minhash.num_perm

    def lean(doc: dict[str, Any]) -> list[tuple[str, int, Any]]:
        return [(g, r, to_lean_minhash(sig[r], seed)) for g, sig in doc.items()
                for r in range(len(sig))]

    lshs = {g: MinHashLSH(num_perm=num_perm, params=tuple(layout[g]))
            for g in GRAINS if g != "passage"}
    sessions = {g: lsh.insertion_session() for g, lsh in lshs.items()}
    gc.collect()
    rss0 = _rss_bytes()
    if max_bytes is None:
        max_bytes = _available_bytes() - 4 * 10**9
    insert_s, inserted, n_sets, per_doc = 0.0, 0, 0, None
    limit = len(signatures)
    for d, doc in enumerate(signatures):
        if d >= limit:
            break
        sets = lean(doc)  # building the LeanMinHash objects is not timed
        n_sets += len(sets)
        t0 = time.perf_counter()
        for g, r, mh in sets:
            sessions[g].insert((d, r), mh, check_duplication=False)
        insert_s += time.perf_counter() - t0
        inserted += 1
        if inserted % 5000 == 0 and limit > inserted:
            # Memory per article grows with the tables (dict resizes), so the cap is
            # re-estimated as it goes rather than once.
            per_doc = max(1.0, (_rss_bytes() - rss0) / inserted)
            limit = max(inserted, min(len(signatures), int(max_bytes / per_doc)))
            if limit < len(signatures):
                _log(f"datasketch: {per_doc / 1e6:.3f} MB per article so far; "
                     f"N={len(signatures)} would need {per_doc * len(signatures) / 1e9:.1f} GB; "
                     f"inserting {limit}")
    t0 = time.perf_counter()
    for s in sessions.values():
        s.close()
    insert_s += time.perf_counter() - t0
    used = _rss_bytes() - rss0
    queries = [lean(doc) for doc in query_sigs]
    t0 = time.perf_counter()
    n_hits = 0
    for sets in queries:
        found: set[int] = set()
        for g, _, mh in sets:
            found.update(d for d, _ in lshs[g].query(mh))
        n_hits += len(found)
    query_s = time.perf_counter() - t0
    size = sum(len(pickle.dumps(lsh, protocol=pickle.HIGHEST_PROTOCOL)) for lsh in lshs.values())
    out = {
        "backend": "datasketch MinHashLSH (memory)",
        "documents": inserted,
        "keys_insert_docs_per_s": _rate(inserted, insert_s),
        "keys_lookup_docs_per_s": _rate(len(queries), query_s),
        "keys_lookup_candidates_per_doc": round(n_hits / max(1, len(queries)), 1),
        "keys_size_bytes": size,
        "memory_bytes": used,
        "sets_per_doc": round(n_sets / max(1, inserted), 1),
    }
    if inserted < len(signatures):
        out["projected_memory_bytes"] = round(used / inserted * len(signatures))
    return out


# --------------------------------------------------------------------------- precomputation

_VOCAB: Any = None


def _words_of(doc: Any) -> tuple[str, tuple[str, ...]]:
    from syndetect import Config
    from syndetect.index.base import solo_words

    seen, _, words = solo_words(doc, Config())
    return seen.status, tuple(words)


def _set_vocab(vocab: Any) -> None:
    global _VOCAB
    _VOCAB = vocab


def _sigs_of(doc: Any) -> tuple[dict[str, Any], Any]:
    """Signatures per grain and the band keys the index would store, with ``_VOCAB``."""
    import numpy as np

    from syndetect import Config
    from syndetect.index.base import (
        KEY_DTYPE,
        band_signatures,
        document_signatures,
        flat_keys,
        key_vocabulary,
        solo_words,
    )
    from syndetect.minhash import MinHasher, TokenHasher

    config = Config()
    seen, table, _ = solo_words(doc, config)
    if table is None:
        return {}, np.empty(0, dtype=KEY_DTYPE)
    mh, hasher = MinHasher(config.minhash.num_perm, config.minhash.seed), TokenHasher()
    sig = document_signatures(table, seen.id, key_vocabulary(_VOCAB), config, mh, hasher)
    keys = flat_keys(band_signatures(sig, config))
    # datasketch gets the MinHash grains: n-gram hashes are not MinHash signatures.
    return {g: s for g, s in sig.items() if g != "passage"}, keys


def _signatures_and_records(
    added: list[Any], queried: list[Any], cache: Path | None = None
) -> tuple[Any, Any, Any, Any]:
    """Records (keys with the document frequencies of all added docs) and their signatures.

    Two passes over every article on all cores (words, then signatures and keys),
    cached in ``cache`` when given.
    """
    from multiprocessing import get_context

    from syndetect.index.base import Record
    from syndetect.terms import Vocabulary

    if cache is not None and cache.exists():
        _log(f"precomputed signatures from {cache}")
        with cache.open("rb") as handle:
            sigs, statuses, keys = pickle.load(handle)
    else:
        docs = added + queried
        workers = os.cpu_count() or 1
        with get_context("fork").Pool(workers) as pool:
            statuses = pool.map(_words_of, docs, chunksize=200)
        vocab = Vocabulary()
        for status, words in statuses[: len(added)]:
            if status == "ok":
                vocab.add(words)
        with get_context("fork").Pool(workers, initializer=_set_vocab,
                                      initargs=(vocab,)) as pool:
            pairs = pool.map(_sigs_of, docs, chunksize=200)
        sigs = [p[0] for p in pairs]
        keys = [p[1] for p in pairs]
        del pairs
        if cache is not None:
            tmp = cache.with_suffix(".tmp")
            with tmp.open("wb") as handle:
                pickle.dump((sigs, statuses, keys), handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
    n = len(added)
    records = [Record(document=added[i], status=statuses[i][0], words=statuses[i][1],
                      keys=keys[i]) for i in range(n)]
    return sigs[:n], sigs[n:], records, keys[n:]


def _human(n: float) -> str:
    """Decimal units (MB = 10**6 bytes), as the README states sizes."""
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def _table(results: list[dict[str, Any]]) -> str:
    cols = [
        ("N", lambda r: f"{r['size']:,}"),
        ("backend", lambda r: r["backend"]),
        ("backfill/s", lambda r: r.get("backfill_docs_per_s", "-")),
        ("add/s", lambda r: r.get("add_docs_per_s", "-")),
        ("query/s", lambda r: r.get("query_docs_per_s", "-")),
        ("size", lambda r: _human(r["size_bytes"]) if "size_bytes" in r else "-"),
        ("add cpu/s", lambda r: r.get("add_docs_per_cpu_s", "-")),
        ("recall", lambda r: r.get("recall", "-")),
        ("scan recall", lambda r: r.get("scan_recall", "-")),
        ("keys ins/s", lambda r: r.get("keys_insert_docs_per_s", "-")),
        ("keys look/s", lambda r: r.get("keys_lookup_docs_per_s", "-")),
        ("keys size", lambda r: _human(r["keys_size_bytes"]) if "keys_size_bytes" in r else "-"),
        ("docs in", lambda r: f"{r['documents']:,}"),
    ]
    rows = [[name for name, _ in cols]] + [[str(f(r)) for _, f in cols] for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(cols))]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 1 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
        for row in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--verified", default="500",
                        help="articles added with verification after the backfill, or 'all' "
                        "(every article verified, no backfill)")
    parser.add_argument("--batch-size", type=int, default=2000,
                        help="articles per transaction for the backfill and keys-only insert")
    parser.add_argument("--backends", default="sqlite,redis,datasketch")
    parser.add_argument("--redis-url", default=None,
                        help="use this Redis (sizes then from MEMORY USAGE) instead of a "
                        "server started for the run")
    parser.add_argument("--datasketch-max-gb", type=float, default=None,
                        help="memory datasketch may use (default: available when it starts, "
                        "less 4 GB)")
    parser.add_argument("--scan-recall", choices=("auto", "yes", "no"), default="auto",
                        help="also scan the added articles and compare recall on the same "
                        "planted pairs (auto: up to 20,000 articles)")
    parser.add_argument("--no-keys", dest="keys", action="store_false",
                        help="skip the storage-only (keys) rows and datasketch, and the "
                        "signatures they need")
    parser.add_argument("--max-candidates", type=int, default=None,
                        help="Index.open(max_candidates=): earlier articles verified per add "
                        "(default: the index's, candidates.max_partners)")
    parser.add_argument("--keep-backfill", action="store_true",
                        help="SQLite: keep the backfilled file in --workdir and reuse it in "
                        "later runs (same N, --verified, --batch-size, syndetect version)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="syndetect-bench-index-"))
    workdir.mkdir(parents=True, exist_ok=True)
    max_bytes = (int(args.datasketch_max_gb * 1e9) if args.datasketch_max_gb is not None
                 else None)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        verified = n if args.verified == "all" else min(n, int(args.verified))
        _log(f"generating {n} + {args.queries} articles (seed {args.seed})")
        docs = _documents(n + args.queries, args.seed)
        added, queried = docs[:n], docs[n:]
        cache = workdir / f"precomputed-{n}-{args.queries}-{args.seed}.pkl"
        if args.keys:
            _log("precomputing signatures and keys for the storage-only rows")
            sigs, qsigs, records, query_keys = _signatures_and_records(added, queried, cache)
        else:
            sigs = qsigs = records = query_keys = None
        planted = _planted_pairs(added, verified, n + args.queries, args.seed)
        scan_tied = None
        if args.scan_recall == "yes" or (args.scan_recall == "auto" and n <= 20000):
            _log(f"scan of the {n} added articles, for its recall on the same pairs")
            scan_tied, scan_cpu = scan_ties(added)
            scan_row = {"backend": "scan (same articles)", "documents": n,
                        "scan_cpu_seconds": round(scan_cpu, 1), **_recall(planted, scan_tied)}
        for backend in backends:
            _log(f"{backend}: N={n}")
            if backend == "datasketch" and sigs is None:
                continue
            if backend == "datasketch":
                res = bench_datasketch(sigs, qsigs, seed=1, max_bytes=max_bytes)
            else:
                res = bench_syndetect(backend, added, queried, records, query_keys, workdir,
                                      args.redis_url, verified=verified,
                                      batch_size=args.batch_size,
                                      keep_backfill=args.keep_backfill, seed=args.seed,
                                      max_candidates=args.max_candidates)
            res["size"] = n
            found = res.pop("_found", None)
            if found is not None:
                res.update(_recall(planted, found))
                if scan_tied is not None:
                    # Pairs one finds and the other does not (index recall equal to scan's:
                    # index_only >= scan_only).
                    hit_i = {(a, b) for a, b, _ in planted if b in found.get(a, set())}
                    hit_s = {(a, b) for a, b, _ in planted if b in scan_tied.get(a, set())}
                    res["scan_recall"] = scan_row["recall"]
                    res["scan_only"] = len(hit_s - hit_i)
                    res["index_only"] = len(hit_i - hit_s)
            results.append(res)
            print(json.dumps(res), flush=True)
        if scan_tied is not None:
            scan_row["size"] = n
            results.append(scan_row)
            print(json.dumps(scan_row), flush=True)
        del sigs, qsigs, records, query_keys
    print()
    print(_table(results))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
