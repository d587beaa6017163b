"""One story carried by many outlets inside a background corpus: cost and placement.

    python benchmarks/bench_story.py [--background 10000] [--outlets 500] [--seed 0]
                                     [--no-collapse] [--timeout 3600]

The background is ``synth.generate(background, seed)``. The story is one more
synthetic original (``synth.generate`` with another seed; its body, between the
generator's header and footer lines) published by an agency, and ``outlets - 1``
derived pages, each under its own outlet's chrome lines and dated 30 minutes to 48
hours after the original:

* 60% verbatim copies (the body unchanged);
* 30% light copy edits (one to three words changed in a few sentences, a dropped
  sign-off line): near-verbatim;
* 10% heavier edits (a paragraph dropped, more words changed): distinct versions
  that detection must verify.

Two scans run, each in a fresh subprocess so that its peak RSS (``ru_maxrss``) is
its own: the background alone, and the background plus the story (shuffled in).
Printed: CPU seconds, wall seconds, peak RSS, the ratio of the two CPU times, and
for the story: whether one cluster holds every page, whether its origin is the
agency's page, and how many pages hang directly from it. ``--no-collapse`` runs the
second scan with ``cluster.collapse`` off (the cost without near-duplicate
collapse; use a small ``--outlets``, it grows with outlets squared and worse).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

STORY_ID = "story-origin"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _edit(rng: random.Random, paragraphs: list[str], n_words: int, drop: bool) -> list[str]:
    """Change ``n_words`` words at random places; maybe drop one inner paragraph."""
    paras = [p.split(" ") for p in paragraphs]
    if drop and len(paras) > 3:
        del paras[rng.randrange(1, len(paras) - 1)]
    for _ in range(n_words):
        p = rng.randrange(len(paras))
        w = rng.randrange(len(paras[p]))
        word = paras[p][w]
        paras[p][w] = word[::-1] if len(word) > 3 else word + "s"
    return [" ".join(p) for p in paras]


def story(outlets: int, seed: int) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The story's pages and each page's kind (origin, copy, edit, version)."""
    (src,) = [a for a in synth.generate(2, seed=seed + 1000) if a["id"] == "syn0000000"]
    body = synth.body_of(src["text"]).split("\n")
    rng = random.Random(seed)
    t0 = datetime(2031, 5, 6, 9, 0, tzinfo=timezone.utc)
    pages = [{
        "id": STORY_ID, "outlet": "Allied Wire Service",
        "published_at": t0.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text": "Allied Wire Service | World\n" + "\n".join(body) + "\n(c) Allied Wire Service",
    }]
    kinds = {STORY_ID: "origin"}
    for k in range(1, outlets):
        outlet = f"Story Outlet {k:04d}"
        r = rng.random()
        if r < 0.6:
            kind, text = "copy", body
        elif r < 0.9:
            kind, text = "edit", _edit(rng, body, rng.randint(1, 3), drop=False)
        else:
            kind, text = "version", _edit(rng, body, rng.randint(8, 20), drop=True)
        when = t0 + timedelta(minutes=rng.randint(30, 48 * 60))
        doc_id = f"story-{rng.randrange(16**10):010x}"
        pages.append({
            "id": doc_id, "outlet": outlet, "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "text": f"{outlet} | Home | World\n" + "\n".join(text) + f"\nFollow {outlet}",
        })
        kinds[doc_id] = kind
    return pages, kinds


def worker(args: argparse.Namespace) -> None:
    """One scan in this process; prints a JSON line of figures."""
    from syndetect import Config, Document, scan
    from syndetect.config import ClusterConfig

    articles = synth.generate(args.background, seed=args.seed)
    kinds: dict[str, str] = {}
    if args.with_story:
        pages, kinds = story(args.outlets, args.seed)
        articles = articles + pages
        random.Random(args.seed).shuffle(articles)
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
    if kinds:
        holding = [c for c in report.clusters if any(m.document == STORY_ID for m in c.members)]
        cluster = holding[0] if holding else None
        rows = {m.document: m for m in cluster.members} if cluster else {}
        by_kind: dict[str, list[int]] = {}
        for doc_id, kind in kinds.items():
            if kind == "origin":
                continue
            counts = by_kind.setdefault(kind, [0, 0, 0])
            counts[0] += 1
            counts[1] += doc_id in rows
            counts[2] += doc_id in rows and rows[doc_id].derived_from == STORY_ID
        out |= {
            "story_pages": len(kinds),
            "story_in_cluster": sum(d in rows for d in kinds),
            "cluster_size": len(rows),
            "origin_right": bool(cluster and cluster.origin == STORY_ID),
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
        for kind, (n, inside, direct) in sorted(full["by_kind"].items()):
            print(f"  {kind:8} {n:5} pages, {inside:5} in the cluster, {direct:5} derived "
                  f"directly from the origin")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
