"""One story carried by many outlets inside a background corpus: cost and placement.

    python benchmarks/bench_story.py [--background 10000] [--outlets 500] [--seed 0]
                                     [--no-collapse] [--timeout 3600]

Both corpora come from ``synth.Plan``: the background alone is
``Plan(background, seed)``; the corpus with the story is
``Plan(background + outlets, seed, big_story=outlets)``, whose first story is carried
by exactly ``outlets`` outlets (the original and its carriers: copies, edits,
rewrites and partial lifts in the generator's ``BIG_STORY_SHARES``, one carrier in
five derived from an earlier carrier rather than the original).

Each scan runs in a fresh subprocess so that its peak RSS (``ru_maxrss``) is its
own. Printed: CPU seconds, wall seconds, peak RSS, the ratio of the two CPU times,
and for the story: whether one cluster holds its pages, whether that cluster's
origin is the story's original, and per kind how many pages are in the cluster and
how many hang from their planted source (and of the pages outside the cluster, how
many are outside with their planted source: a copy of a partial lift that was not
found goes with it). ``--no-collapse`` runs the second scan
with ``cluster.collapse`` off (the cost without near-duplicate collapse; use a
small ``--outlets``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """CPU of this process and of the worker processes it forked and waited for."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        total += ru.ru_utime + ru.ru_stime
    return total


def worker(args: argparse.Namespace) -> None:
    """One scan in this process; prints a JSON line of figures."""
    from syndetect import Config, Document, scan
    from syndetect.config import ClusterConfig

    if args.with_story:
        plan = synth.Plan(args.background + args.outlets, args.seed, big_story=args.outlets)
        truth = plan.truth()
        big = [i for i in range(plan.n) if plan.family_of[i] == plan.big_family]
        origin = truth["family"][f"syn{big[0]:07d}"]
        source = {p["derived"]: (p["source"], p["kind"]) for p in truth["planted"]}
        story_ids = [f"syn{i:07d}" for i in big]
    else:
        plan = synth.Plan(args.background, args.seed)
        story_ids = []
    articles = list(plan)
    docs = [Document(id=a["id"], text=a["text"], outlet=a["outlet"],
                     published_at=a["published_at"], date_strength="metadata") for a in articles]
    del articles
    config = Config(cluster=ClusterConfig(collapse=not args.no_collapse))
    t0, c0 = time.perf_counter(), cpu_seconds()
    report = scan(docs, config)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    out: dict[str, object] = {
        "cpu": round(cpu, 2), "wall": round(wall, 2), "rss_mb": round(peak_rss_mb(), 1),
        "clusters": len(report.clusters), "documents": len(report.documents),
        "collapsed": report.stats.get("documents_collapsed", 0),
    }
    if story_ids:
        holding = [c for c in report.clusters if any(m.document == origin for m in c.members)]
        cluster = max(holding, key=lambda c: len(c.members)) if holding else None
        rows = {m.document: m for m in cluster.members} if cluster else {}
        by_kind: dict[str, list[int]] = {}
        for doc_id in story_ids:
            if doc_id == origin:
                continue
            src, kind = source[doc_id]
            counts = by_kind.setdefault(kind, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += doc_id in rows
            counts[2] += doc_id in rows and rows[doc_id].derived_from == src
            # Out of the cluster with its planted source (a copy of a missed partial lift).
            counts[3] += doc_id not in rows and src != origin and src not in rows
        out |= {
            "story_pages": len(story_ids),
            "story_in_cluster": sum(d in rows for d in story_ids),
            "cluster_size": len(rows),
            "origin_right": bool(cluster and cluster.origin == origin),
            "by_kind": by_kind,
        }
    print(json.dumps(out), flush=True)


def run(args: argparse.Namespace, with_story: bool) -> dict:
    cmd = [sys.executable, __file__, "--worker", "--background", str(args.background),
           "--outlets", str(args.outlets), "--seed", str(args.seed)]
    if with_story:
        cmd.append("--with-story")
    if args.no_collapse and with_story:
        cmd.append("--no-collapse")
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": args.timeout}
    if res.returncode:
        return {"error": res.stderr[-2000:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--background", type=int, default=10000)
    ap.add_argument("--outlets", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--no-collapse", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--with-story", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    base = run(args, with_story=False)
    full = run(args, with_story=True)
    label = "background + story" + (" (no collapse)" if args.no_collapse else "")
    print(f"{args.background} background articles, one story carried by {args.outlets} outlets")
    print(f"{'':28}{'CPU s':>10}{'wall s':>10}{'peak RSS MB':>14}{'clusters':>10}")
    for name, r in (("background alone", base), (label, full)):
        if "cpu" in r:
            print(f"{name:28}{r['cpu']:>10.2f}{r['wall']:>10.2f}{r['rss_mb']:>14.1f}"
                  f"{r['clusters']:>10}")
        else:
            print(f"{name:28}{json.dumps(r)[:200]}")
    if "cpu" in base and "cpu" in full:
        print(f"CPU ratio (story / background alone): {full['cpu'] / base['cpu']:.2f} "
              f"(target <= 2); documents collapsed: {full['collapsed']}")
        print(f"story pages in the origin's cluster: {full['story_in_cluster']} of "
              f"{full['story_pages']}; cluster size {full['cluster_size']}; origin right: "
              f"{full['origin_right']}")
        for kind, (n, inside, direct, with_source) in sorted(full["by_kind"].items()):
            print(f"  {kind:8} {n:5} pages, {inside:5} in the cluster, {direct:5} under "
                  f"their planted source; of the {n - inside} outside, {with_source} "
                  "outside with their planted source")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
