"""Local ``scan`` against the Spark engine on ``local[2]``, on the synthetic news generator.

    python benchmarks/bench_spark.py --sizes 10000            # both engines, one size
    nice -n 10 python benchmarks/bench_spark.py --sizes 100000 --engines spark

For each size the corpus comes from ``synth.Plan`` (cached as JSONL shards under
``--cache-dir``). Each engine runs in its own process, watched from outside: wall
time, CPU seconds and peak resident memory summed over the whole process tree (the
Python driver, the Spark JVM and its Python workers), sampled every 0.2 s. The
Spark run also reports its per-stage wall time (``SparkReport.seconds``) and, from
Spark's status API, each stage's shuffle bytes and task time, which is what the
100M projection in ``docs/spark.md`` is computed from. Recall is the share of
planted (source, derived) pairs that come out as derived pairs, per kind; the
two engines' derived pair sets are also compared directly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2025-01-01T00:00:00+00:00"
SHARDS = 16


def ensure_corpus(n: int, seed: int, cache: Path) -> tuple[Path, Path]:
    """JSONL shards of the corpus (one directory) and its truth."""
    sys.path.insert(0, str(HERE))
    from synth import Plan

    folder, truth = cache / f"synth-{n}-{seed}", cache / f"synth-{n}-{seed}.truth.json"
    if not (folder / "_done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        plan = Plan(n, seed)
        handles = [open(folder / f"part-{k:03d}.jsonl", "w", encoding="utf-8")
                   for k in range(SHARDS)]
        for i, article in enumerate(plan):
            handles[i * SHARDS // n].write(json.dumps(article, ensure_ascii=False) + "\n")
        for h in handles:
            h.close()
        truth.write_text(json.dumps(plan.truth()), encoding="utf-8")
        (folder / "_done").write_text("")
    return folder, truth


# ----------------------------------------------------------------------------- measuring


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


class Watch:
    """Peak summed RSS and total CPU of a process tree, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb, self.cpu = pid, 0.0, {}
        self.tick = os.sysconf("SC_CLK_TCK")
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.is_set():
            rss = 0.0
            for pid in _tree(self.pid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1]) / 1024
                self.cpu[pid] = (int(stat[11]) + int(stat[12])) / self.tick
            self.peak_mb = max(self.peak_mb, rss)
            time.sleep(0.2)

    def stop(self) -> tuple[float, float]:
        self.done.set()
        self.thread.join()
        return self.peak_mb, sum(self.cpu.values())


def run_worker(engine: str, folder: Path, out: Path, timeout: float) -> dict | None:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine,
           "--corpus", str(folder), "--out", str(out)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = Watch(proc.pid)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
    peak, cpu = watch.stop()
    wall = time.perf_counter() - t0
    if proc.returncode:
        print(f"{engine} stopped (exit {proc.returncode}):\n{stderr[-3000:]}", file=sys.stderr)
        return None
    result = json.loads(stdout.strip().splitlines()[-1])
    return result | {"wall": wall, "cpu": cpu, "peak_mb": peak}


# ----------------------------------------------------------------------------- workers


def _documents(folder: Path) -> list:
    from datetime import datetime

    from syndetect.load.jsonl import record_document

    moment = datetime.fromisoformat(AS_OF)
    docs = []
    for part in sorted(folder.glob("part-*.jsonl")):
        for line in part.open(encoding="utf-8"):
            docs.append(record_document(json.loads(line), line=len(docs) + 1, file_id="dataframe",
                                        source="dataframe", as_of=moment))
    return docs


def worker_local(folder: Path, out: Path) -> dict:
    from syndetect.pipeline import scan

    report = scan(_documents(folder))
    pairs = sorted((p.a, p.b) for p in report.pairs if p.derived)
    out.write_text(json.dumps(pairs))
    return {"stats": {k: v for k, v in report.stats.items() if not k.startswith("seconds")}}


def _stage_metrics(spark) -> list[dict]:
    """Per Spark stage: name, tasks, executor run time, shuffle read/write bytes."""
    import urllib.request

    url = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages?status=complete") as r:
        stages = json.load(r)
    keep = ("stageId", "name", "numTasks", "executorRunTime", "executorCpuTime",
            "shuffleReadBytes", "shuffleWriteBytes", "inputBytes", "outputBytes")
    return [{k: s.get(k) for k in keep} for s in stages]


def worker_spark(folder: Path, out: Path) -> dict:
    from datetime import datetime

    from syndetect.spark import scan_spark, session

    memory = os.environ.get("BENCH_SPARK_DRIVER_MEMORY", "3g")
    spark = session("local[2]", **{"spark.ui.enabled": "true", "spark.ui.port": "4097",
                                   "spark.ui.showConsoleProgress": "false",
                                   "spark.driver.memory": memory,
                                   "spark.sql.shuffle.partitions": "16",
                                   "spark.python.worker.memory": "512m"})
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.json(str(folder / "part-*.jsonl"))
    result = scan_spark(spark, df, as_of=datetime.fromisoformat(AS_OF), num_partitions=16)
    pairs = sorted((p.a, p.b) for p in result.report.pairs if p.derived)
    out.write_text(json.dumps(pairs))
    stages = _stage_metrics(spark)
    spark.stop()
    return {"seconds": result.seconds, "spark_stages": stages,
            "stats": {k: v for k, v in result.report.stats.items()
                      if not k.startswith("seconds")}}


# ----------------------------------------------------------------------------- report


def recall(pairs: set[tuple[str, str]], truth: dict) -> dict[str, float]:
    by_kind: dict[str, list[bool]] = {}
    for p in truth["planted"]:
        key = tuple(sorted((p["source"], p["derived"])))
        by_kind.setdefault(p["kind"], []).append(key in pairs)
    return {k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--engines", default="local,spark")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=4 * 3600)
    ap.add_argument("--cache-dir", type=Path, default=Path("/tmp/syndetect-bench"))
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--worker", choices=["local", "spark"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        run = worker_local if args.worker == "local" else worker_spark
        print(json.dumps(run(args.corpus, args.out)))
        return 0
    figures = []
    for n in [int(s) for s in args.sizes.split(",")]:
        folder, truth_path = ensure_corpus(n, args.seed, args.cache_dir)
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        found = {}
        for engine in args.engines.split(","):
            out = args.cache_dir / f"pairs-{engine}-{n}-{args.seed}.json"
            r = run_worker(engine, folder, out, args.timeout)
            if r is None:
                continue
            found[engine] = {tuple(p) for p in json.loads(out.read_text())}
            r |= {"n": n, "engine": engine, "recall": recall(found[engine], truth)}
            figures.append(r)
            print(f"n={n:>7} {engine:>5}: {r['wall']:8.1f} s wall {r['cpu']:8.1f} s CPU "
                  f"peak {r['peak_mb'] / 1024:5.2f} GB (process tree) recall {r['recall']} "
                  f"derived pairs {len(found[engine])}", flush=True)
            if engine == "spark":
                print("        stages (s): " + ", ".join(f"{k} {v}" for k, v in
                                                      r["seconds"].items()))
                big = sorted(r["spark_stages"], key=lambda s: -(s["executorRunTime"] or 0))[:8]
                for s in big:
                    print(f"        spark stage {s['stageId']:>4} run {s['executorRunTime'] / 1000:7.1f}"
                          f" s, shuffle write {s['shuffleWriteBytes'] / 2**20:8.1f} MB, read "
                          f"{s['shuffleReadBytes'] / 2**20:8.1f} MB  {s['name'][:60]}")
                tot_w = sum(s["shuffleWriteBytes"] or 0 for s in r["spark_stages"])
                print(f"        shuffle written in total: {tot_w / 2**20:.1f} MB")
        if len(found) == 2:
            same = found["local"] == found["spark"]
            print(f"n={n:>7} derived pairs equal between engines: {same}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
