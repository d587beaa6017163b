"""Streaming index throughput and size: SQLite and Redis, beside datasketch's MinHashLSH.

    python benchmarks/bench_index.py [--sizes 10000[,100000]] [--seed 0] [--queries 200]
                                     [--backends sqlite,redis,datasketch]
                                     [--redis-url URL] [--workdir DIR] [--json OUT]

For each size N, ``synth.py`` generates N + Q articles (planted copies, edits and
rewrites); the first N are added, the last Q (held out, many of them derived from
earlier ones) are queried. Per backend:

* **add**: ``Index.add`` of each article in turn: segmentation, band keys, bucket
  lookup, the core's verification and pair decisions against up to
  ``max_candidates`` earlier articles, and the write transaction;
* **query**: ``Index.query`` of the Q held-out articles (the same work, no write);
* **written**: bytes the process wrote per ``add`` (SQLite; WAL and checkpoints,
  from ``/proc/self/io``): each add inserts its band keys at random places of the
  bucket B-tree, so a commit writes about one page per key;
* **size**: the SQLite file after ``close()`` (WAL checkpointed), or the Redis
  server's ``used_memory`` growth (a server started for the run unless
  ``--redis-url`` is given; then ``MEMORY USAGE`` summed over the index's keys);
* **keys: insert / lookup**: the storage layer alone on the *same* band keys that
  datasketch gets as signatures: ``Storage.put`` of precomputed records (one
  transaction each) and ``Storage.lookup`` of the Q articles' keys.

``datasketch``: one ``MinHashLSH`` per grain (sentence, paragraph, document) with the
index's ``(bands, rows)``, in memory, fed ``LeanMinHash`` objects made from exactly
the signatures whose band keys the index stores (``document_signatures`` with the
document frequencies of all N articles; building them is not timed). Insert goes
through ``insertion_session``; a query asks every set of an article. Its size is
the pickled LSH objects. MinHashLSH returns candidate keys only (no verification,
no persistence), so compare it with the **keys** rows; the **add/query** rows
include the whole detection.

Times are wall seconds (Redis work happens in the server process); docs/s =
documents / wall seconds.
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

        return int(redis.Redis.from_url(self.url).info("memory")["used_memory"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


# --------------------------------------------------------------------------- syndetect


def bench_syndetect(
    backend: str, added: list[Any], queried: list[Any], records: list[Any], query_keys: list[Any],
    workdir: Path, redis_url: str | None,
) -> dict[str, Any]:
    from syndetect.index import Index

    server = None
    if backend == "sqlite":
        target = str(workdir / f"bench-{len(added)}.db")
        keys_target = str(workdir / f"bench-keys-{len(added)}.db")
        for t in (target, keys_target):
            for suffix in ("", "-wal", "-shm"):
                Path(t + suffix).unlink(missing_ok=True)
    else:
        if redis_url is None:
            server = RedisServer()
            base = server.url
        else:
            base = redis_url
        sep = "&" if "?" in base else "?"
        target = f"{base}{sep}prefix=bench-{uuid.uuid4().hex[:8]}"
        keys_target = f"{base}{sep}prefix=bench-keys-{uuid.uuid4().hex[:8]}"
    out: dict[str, Any] = {"backend": backend, "documents": len(added)}
    try:
        mem0 = server.used_memory() if server else 0
        index = Index.open(target)
        w0 = _written_bytes()
        t0, c0 = time.perf_counter(), time.process_time()
        n_matched = 0
        for i, doc in enumerate(added):
            n_matched += bool(index.add(doc))
            if (i + 1) % 1000 == 0:
                _log(f"{backend}: {i + 1} added, {_rate(i + 1, time.perf_counter() - t0)} docs/s")
        add_s, add_cpu = time.perf_counter() - t0, time.process_time() - c0
        w1 = _written_bytes()
        if backend == "sqlite" and w0 is not None and w1 is not None:
            out["add_written_bytes_per_doc"] = round((w1 - w0) / max(1, len(added)))
        t0 = time.perf_counter()
        n_query_matched = sum(bool(index.query(doc)) for doc in queried)
        query_s = time.perf_counter() - t0
        if backend == "sqlite":
            index.close()
            size = sum(Path(target + s).stat().st_size for s in ("", "-wal")
                       if Path(target + s).exists())
        else:
            size = server.used_memory() - mem0 if server else index.size_bytes()
            index.close()
        out.update(
            add_seconds=round(add_s, 1), add_cpu_seconds=round(add_cpu, 1),
            add_docs_per_s=_rate(len(added), add_s), added_with_matches=n_matched,
            query_seconds=round(query_s, 2), query_docs_per_s=_rate(len(queried), query_s),
            queried=len(queried), queried_with_matches=n_query_matched, size_bytes=size,
        )
        _log(f"{backend}: full add/query done: {out}")

        # The storage layer alone, on precomputed keys (what datasketch is given).
        index = Index.open(keys_target)
        storage = index.storage
        mem1 = server.used_memory() if server else 0
        t0 = time.perf_counter()
        for record in records:
            with storage.session(write=True):
                storage.put(record)
        insert_s = time.perf_counter() - t0
        max_bucket = index.config.candidates.max_bucket
        t0 = time.perf_counter()
        n_hits = 0
        for keys in query_keys:
            with storage.session(write=False):
                n_hits += len(storage.lookup(keys, max_bucket=max_bucket))
        lookup_s = time.perf_counter() - t0
        if backend == "sqlite":
            index.close()
            keys_size = sum(Path(keys_target + s).stat().st_size for s in ("", "-wal")
                            if Path(keys_target + s).exists())
        else:
            keys_size = server.used_memory() - mem1 if server else storage.size_bytes()
            for t in (target, keys_target):
                from syndetect.index.redis import RedisStorage

                RedisStorage(t).drop()
            index.close()
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


# --------------------------------------------------------------------------- datasketch


def bench_datasketch(signatures: list[dict[str, Any]], query_sigs: list[dict[str, Any]],
                     seed: int) -> dict[str, Any]:
    from datasketch import MinHashLSH

    from syndetect import Config
    from syndetect.index.base import GRAINS, lsh_layout
    from syndetect.minhash import to_lean_minhash

    config = Config()
    layout = lsh_layout(config)
    num_perm = config.minhash.num_perm

    def lean(sigs: list[dict[str, Any]]) -> list[list[tuple[str, int, Any]]]:
        return [
            [(g, r, to_lean_minhash(sig[r], seed)) for g, sig in doc.items()
             for r in range(len(sig))]
            for doc in sigs
        ]

    docs, queries = lean(signatures), lean(query_sigs)
    lshs = {g: MinHashLSH(num_perm=num_perm, params=tuple(layout[g])) for g in GRAINS}
    t0 = time.perf_counter()
    sessions = {g: lsh.insertion_session() for g, lsh in lshs.items()}
    for d, sets in enumerate(docs):
        for g, r, mh in sets:
            sessions[g].insert((d, r), mh, check_duplication=False)
    for s in sessions.values():
        s.close()
    insert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_hits = 0
    for sets in queries:
        found: set[int] = set()
        for g, _, mh in sets:
            found.update(d for d, _ in lshs[g].query(mh))
        n_hits += len(found)
    query_s = time.perf_counter() - t0
    size = sum(len(pickle.dumps(lsh, protocol=pickle.HIGHEST_PROTOCOL)) for lsh in lshs.values())
    return {
        "backend": "datasketch MinHashLSH (memory)",
        "documents": len(docs),
        "keys_insert_docs_per_s": _rate(len(docs), insert_s),
        "keys_lookup_docs_per_s": _rate(len(queries), query_s),
        "keys_lookup_candidates_per_doc": round(n_hits / max(1, len(queries)), 1),
        "keys_size_bytes": size,
        "sets_per_doc": round(sum(len(s) for s in docs) / max(1, len(docs)), 1),
    }


# --------------------------------------------------------------------------- main


def _signatures_and_records(added: list[Any], queried: list[Any]) -> tuple[Any, Any, Any, Any]:
    """Records (keys with the document frequencies of all added docs) and their signatures."""
    import numpy as np

    from syndetect import Config
    from syndetect.index.base import (
        KEY_DTYPE,
        Record,
        document_keys,
        document_signatures,
        key_vocabulary,
        solo_words,
    )
    from syndetect.minhash import MinHasher, TokenHasher
    from syndetect.terms import Vocabulary

    config = Config()
    solo = [solo_words(d, config) for d in added + queried]
    vocab = Vocabulary()
    for seen, _, words in solo[: len(added)]:
        if seen.status == "ok":
            vocab.add(words)
    kv = key_vocabulary(vocab)
    mh, hasher = MinHasher(config.minhash.num_perm, config.minhash.seed), TokenHasher()
    sigs, records, query_keys = [], [], []
    for i, (seen, table, words) in enumerate(solo):
        if table is None:
            sig, keys = {}, np.empty(0, dtype=KEY_DTYPE)
        else:
            sig = document_signatures(table, seen.id, kv, config, mh, hasher)
            keys = document_keys(table, seen.id, kv, config, mh, hasher)
        sigs.append(sig)
        if i < len(added):
            records.append(Record(document=added[i], status=seen.status, words=tuple(words),
                                  keys=keys))
        else:
            query_keys.append(keys)
    return sigs[: len(added)], sigs[len(added):], records, query_keys


def _human(n: float) -> str:
    """Decimal units (MB = 10**6 bytes), as the README states sizes."""
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,redis,datasketch")
    parser.add_argument("--redis-url", default=None,
                        help="use this Redis (sizes then from MEMORY USAGE) instead of a "
                        "server started for the run")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="syndetect-bench-index-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        _log(f"generating {n} + {args.queries} articles (seed {args.seed})")
        docs = _documents(n + args.queries, args.seed)
        added, queried = docs[:n], docs[n:]
        _log("precomputing signatures and keys for the storage-only rows")
        sigs, qsigs, records, query_keys = _signatures_and_records(added, queried)
        for backend in backends:
            _log(f"{backend}: N={n}")
            if backend == "datasketch":
                res = bench_datasketch(sigs, qsigs, seed=1)
            else:
                res = bench_syndetect(backend, added, queried, records, query_keys, workdir,
                                      args.redis_url)
            res["size"] = n
            results.append(res)
            print(json.dumps(res), flush=True)
    print()
    header = (f"{'N':>7}  {'backend':<32} {'add/s':>8} {'query/s':>8} {'size':>10}   "
              f"{'keys ins/s':>10} {'keys look/s':>11} {'keys size':>10}")
    print(header)
    for r in results:
        print(
            f"{r['size']:>7}  {r['backend']:<32} {r.get('add_docs_per_s', '-'):>8} "
            f"{r.get('query_docs_per_s', '-'):>8} "
            f"{_human(r['size_bytes']) if 'size_bytes' in r else '-':>10}   "
            f"{r['keys_insert_docs_per_s']:>10} {r['keys_lookup_docs_per_s']:>11} "
            f"{_human(r['keys_size_bytes']):>10}"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
