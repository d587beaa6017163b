"""Soak test of the index backends: writers and readers under random SIGKILLs.

    python benchmarks/soak.py [--seconds 600] [--backend sqlite|redis|both]
                              [--writers 4] [--readers 4] [--kill-every 2.0]
                              [--redis-url redis://127.0.0.1:6379/0]

For each backend, ``--writers`` processes add fresh articles one at a time (a
share of them reuse a paragraph of an earlier article, so verification finds
matches) and ``--readers`` processes query random articles and read stored ones
back, all on one index, for ``--seconds``. Every ``--kill-every`` seconds on
average one process, writer or reader, is killed with SIGKILL, wherever it is
(inside a transaction too), and a new one takes its place. A writer logs an id
only after ``add`` has returned, so every logged id was acknowledged.

At the end the index is opened afresh and checked: documents lost (acknowledged
ids missing from the index: must be 0), the index's own consistency (SQLite
``integrity_check``; the document counter against the stored ids), throughput
and the p50/p99 latency of ``add``. Without ``--redis-url`` a private
redis-server is started on a free port of 127.0.0.1 and stopped after.
Exit status 1 when a document was lost or the index is inconsistent.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from syndetect import Document  # noqa: E402
from syndetect.index import Index  # noqa: E402

_SYLLABLES = ["ka", "lo", "mi", "ter", "san", "dor", "vel", "ix", "ru", "pen", "gal", "to",
              "mar", "es", "qu", "bri", "on", "zel", "fa", "nu"]
WORDS = sorted({"".join(random.Random(i).choices(_SYLLABLES, k=2 + i % 3)) for i in range(6000)})
"""A news-sized vocabulary of made-up words: articles share common words, not stories."""
_WEIGHTS = [1.0 / (rank + 1) for rank in range(len(WORDS))]  # Zipf, as word use in news


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, weights=_WEIGHTS, k=rng.randint(12, 24))
    return " ".join(words).capitalize() + "."


def _article(rng: random.Random, borrowed: str | None) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(rng.randint(3, 6))]
    if borrowed:
        paragraphs.insert(1, borrowed)
    return "\n\n".join(paragraphs)


def _writer(target: str, slot: int, life: int, log_dir: str, stop_at: float) -> None:
    rng = random.Random(slot * 1_000_003 + life)
    log = open(Path(log_dir) / f"w{slot}-{life}.log", "a", buffering=1)  # noqa: SIM115
    own: list[str] = []
    with Index.open(target, timeout=120) as ix:
        n = 0
        while time.time() < stop_at:
            n += 1
            borrowed = own[-1].split("\n\n")[0] if own and rng.random() < 0.3 else None
            text = _article(rng, borrowed)
            doc = Document(id=f"w{slot}-{life}-{n}", text=text, outlet=f"Outlet {slot}")
            started = time.perf_counter()
            ix.add(doc)
            took = time.perf_counter() - started
            log.write(f"{doc.id} {took:.6f}\n")  # only after add returned: acknowledged
            own.append(text)


def _reader(target: str, slot: int, life: int, log_dir: str, stop_at: float) -> None:
    rng = random.Random(-slot * 7919 - life)
    reads = errors = 0
    log = open(Path(log_dir) / f"r{slot}-{life}.log", "a", buffering=1)  # noqa: SIM115
    with Index.open(target, create=False, timeout=120) as ix:
        while time.time() < stop_at:
            try:
                ids = ix.ids()
                if ids:
                    doc = ix.get(rng.choice(ids))
                    if doc is not None:
                        ix.query(Document(id=f"q-{slot}", text=doc.text))
                reads += 1
            except Exception as exc:  # a reader must keep going; count what failed
                errors += 1
                log.write(f"error {type(exc).__name__}: {str(exc)[:200]}\n")
            log.write(f"reads {reads} errors {errors}\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def soak(target: str, args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Run the writers, readers and killer on ``target``; returns the figures."""
    ctx = mp.get_context("fork")
    log_dir = tempfile.mkdtemp(prefix=f"soak-{label}-")
    with Index.open(target):
        pass  # create it once, before the workers race to
    started = time.time()
    stop_at = started + args.seconds
    rng = random.Random(args.seed)
    lives: dict[tuple[str, int], int] = {}
    procs: dict[tuple[str, int], Any] = {}

    def spawn(role: str, slot: int) -> None:
        life = lives.get((role, slot), 0) + 1
        lives[(role, slot)] = life
        fn = _writer if role == "w" else _reader
        proc = ctx.Process(target=fn, args=(target, slot, life, log_dir, stop_at), daemon=True)
        proc.start()
        procs[(role, slot)] = proc

    for slot in range(args.writers):
        spawn("w", slot)
    for slot in range(args.readers):
        spawn("r", slot)
    kills = {"w": 0, "r": 0}
    next_kill = time.time() + rng.expovariate(1 / args.kill_every)
    while time.time() < stop_at:
        time.sleep(0.05)
        for key, proc in list(procs.items()):
            if not proc.is_alive() and time.time() < stop_at - 1:
                spawn(*key)  # died by itself (or was killed): a new one takes the slot
        if time.time() >= next_kill:
            key = rng.choice(sorted(procs))
            proc = procs[key]
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.join()
                kills[key[0]] += 1
            next_kill = time.time() + rng.expovariate(1 / args.kill_every)
    for proc in procs.values():
        proc.join(timeout=args.seconds + 120)
        if proc.is_alive() and proc.pid is not None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.join()
    elapsed = time.time() - started

    acked: list[str] = []
    latencies: list[float] = []
    reads = read_errors = 0
    for path in sorted(Path(log_dir).glob("w*.log")):
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2:  # a line cut by a kill is not an acknowledged add
                acked.append(parts[0])
                latencies.append(float(parts[1]))
    for path in sorted(Path(log_dir).glob("r*.log")):
        last = [ln for ln in path.read_text().splitlines() if ln.startswith("reads ")]
        if last:
            parts = last[-1].split()
            reads += int(parts[1])
            read_errors += int(parts[3])
    with Index.open(target, create=False) as ix:
        stored = set(ix.ids())
        n_stored = len(ix)
        n_docs = ix.storage.n_docs()
    consistent = n_docs == n_stored == len(stored)
    if label == "sqlite":
        conn = sqlite3.connect(target)
        consistent &= conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
    lost = sorted(set(acked) - stored)
    shutil.rmtree(log_dir, ignore_errors=True)
    return {
        "backend": label, "seconds": round(elapsed, 1), "writers": args.writers,
        "readers": args.readers, "kills_writers": kills["w"], "kills_readers": kills["r"],
        "adds_acknowledged": len(acked), "stored": len(stored),
        "stored_unacknowledged": len(stored - set(acked)), "documents_lost": len(lost),
        "lost_ids": lost[:10], "consistent": consistent,
        "adds_per_second": round(len(acked) / elapsed, 2),
        "add_p50_ms": round(_percentile(latencies, 50) * 1000, 1),
        "add_p99_ms": round(_percentile(latencies, 99) * 1000, 1),
        "reads": reads, "read_errors": read_errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--backend", choices=["sqlite", "redis", "both"], default="both")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=2.0,
                        help="mean seconds between SIGKILLs (exponential)")
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rows = []
    if args.backend in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="soak-sqlite-")
        try:
            rows.append(soak(str(Path(folder) / "index.db"), args, "sqlite"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.backend in ("redis", "both"):
        server = None
        url = args.redis_url
        if url is None:
            port = _free_port()
            server = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            url = f"redis://127.0.0.1:{port}/0"
            time.sleep(0.5)
        target = f"{url.split('?')[0]}?prefix=soak-{uuid.uuid4().hex[:8]}"
        try:
            rows.append(soak(target, args, "redis"))
        finally:
            from syndetect.index.redis import RedisStorage

            storage = RedisStorage(target)
            storage.drop()
            storage.close()
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
    for row in rows:
        print(json.dumps(row))
    cols = ["backend", "seconds", "kills_writers", "kills_readers", "adds_acknowledged",
            "documents_lost", "consistent", "adds_per_second", "add_p50_ms", "add_p99_ms",
            "reads", "read_errors"]
    print("  ".join(f"{c:>17}" for c in cols))
    for row in rows:
        print("  ".join(f"{row[c]!s:>17}" for c in cols))
    bad = any(r["documents_lost"] or not r["consistent"] for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
