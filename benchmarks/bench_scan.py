"""End-to-end ``syndetect.scan`` on synthetic corpora vs a plain datasketch dedup script.

    python benchmarks/bench_scan.py [--sizes 1000,10000] [--seed 0] [--profile]
                                    [--timeout 3600] [--cache-dir /tmp/syndetect-bench]
                                    [--candidates-only]

For each size, ``synth.py`` writes the corpus (JSONL) and its planted truth once into
the cache directory; then each contender runs in a fresh subprocess, so its peak
RSS (``ru_maxrss``) is its own, for that size alone:

* ``syndetect``: JSONL -> ``Document`` (outlet, metadata date) -> ``scan(docs)``;
* ``datasketch``: the plain document-level dedup script: lower-cased ``\\w+`` tokens,
  word 5-gram shingles as UTF-8 bytes, ``MinHash.generator`` (SHA-1, 128 perms),
  ``MinHashLSH(threshold=0.5)`` insert of every document, then a query per document.

Time runs from documents in memory to pairs out (loading JSONL is not timed), as
wall and CPU seconds; docs/s and ratios use CPU seconds, since other processes may
share the machine (both contenders are single-threaded). Quality is read against
the planted truth: recall per kind over planted (source, derived) pairs, precision
over the reported pairs (syndetect: ``derived`` pair decisions; datasketch: LSH
query hits), a pair counting as correct when both articles share a planted family
(two copies of one story are related too); false positives are split into
same-topic (hard negatives) and cross-topic. ``--profile`` runs the syndetect
worker under cProfile (its time is then inflated) and prints the top functions; a
worker that hits ``--timeout`` prints its profile so far, with the stages it reached.
100k articles: ``--sizes 1000,10000,100000``.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("copy", "edit", "rewrite", "partial")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """CPU of this process and of the worker processes it forked and waited for
    (signing workers, pair-decision workers): the whole cost, not one core's."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        total += ru.ru_utime + ru.ru_stime
    return total


def profile_text(prof, marks: list[tuple[str, float]], t0: float) -> str:
    """Top functions by own and by cumulative time, and the stages reached."""
    import io
    import pstats

    buf = io.StringIO()
    buf.write("stages reached (s since scan start): "
              + ", ".join(f"{name} @ {t - t0:.1f}" for name, t in marks) + "\n")
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(25)
    st.sort_stats("cumulative").print_stats(30)
    return buf.getvalue()


def code_state() -> str:
    """Which syndetect is measured: version, git HEAD and whether src/ has uncommitted edits."""
    import syndetect

    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", str(HERE), *a], capture_output=True, text=True).stdout

    head = git("rev-parse", "--short", "HEAD").strip()
    dirty = git("status", "--porcelain", "--", "../src").strip()
    dirty = " + uncommitted src/ edits" if dirty else ""
    return f"syndetect {syndetect.__version__} at git {head}{dirty}"


def load(corpus: Path) -> list[dict[str, str]]:
    with corpus.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def quality(
    pairs: set[tuple[str, str]], truth: dict, cluster_of: dict[str, int] | None = None,
    origins: dict[str, str | None] | None = None, parents: dict[str, str] | None = None,
) -> dict[str, float | int]:
    """Recall per planted kind, precision by family, false positives by topic.

    A planted (source, derived) pair is found when it is a reported pair, or when
    both articles are in one reported cluster (a copy of a copy is reported against
    the story's origin, not against the copy it was made from)."""
    family, topic = truth["family"], truth["topic"]
    cluster_of = cluster_of or {}
    out: dict[str, float | int] = {}

    def found(a: str, b: str) -> bool:
        return (a, b) in pairs or (a in cluster_of and cluster_of.get(a) == cluster_of.get(b))

    for kind in KINDS:
        planted = [tuple(sorted((p["source"], p["derived"]))) for p in truth["planted"]
                   if p["kind"] == kind]
        out[f"recall_{kind}"] = sum(found(*p) for p in planted) / max(1, len(planted))
    correct = sum(family[a] == family[b] for a, b in pairs)
    fps = [(a, b) for a, b in pairs if family[a] != family[b]]
    out["pairs"] = len(pairs)
    out["precision"] = correct / len(pairs) if pairs else 1.0
    out["fp_same_topic"] = sum(topic[a] == topic[b] for a, b in fps)
    out["fp_cross_topic"] = len(fps) - out["fp_same_topic"]
    event = truth.get("event", {})
    out["fp_same_event"] = sum(a in event and event[a] == event.get(b) for a, b in fps)
    out.update(lineage_quality(truth, cluster_of, origins or {}, parents or {}))
    return out


def lineage_quality(
    truth: dict, cluster_of: dict[str, int], origins: dict[str, str | None],
    parents: dict[str, str],
) -> dict[str, float | int]:
    """Origin and parent accuracy against the planted stories.

    A cluster's story is the planted family of most of its members; its origin is
    right when it is that family's original (the one member derived from nothing).
    A planted derivative's parent is right when it is its planted source, and
    right up to the chain (lenient) when it is any planted ancestor of it.
    """
    family = truth["family"]
    source = {p["derived"]: p["source"] for p in truth["planted"]}
    members: dict[int, list[str]] = {}
    for d, k in cluster_of.items():
        members.setdefault(k, []).append(d)
    right = total = 0
    for k, docs in members.items():
        fams = [family[d] for d in docs if family.get(d) is not None]
        if not fams:
            continue
        fam = max(sorted(set(fams)), key=fams.count)
        root = next((d for d in sorted(docs) if family.get(d) == fam and d not in source), None)
        if root is None:
            continue  # the original itself is not in the cluster
        total += 1
        right += origins.get(str(k)) == root
    exact = lenient = n = 0
    for d, parent in parents.items():
        if d not in source:
            continue
        n += 1
        exact += parent == source[d]
        up, seen = source[d], set()
        while up is not None and up not in seen and up != parent:
            seen.add(up)
            up = source.get(up)
        lenient += up == parent
    return {"origin_right": right / max(1, total), "origin_clusters": total,
            "parent_exact": exact / max(1, n), "parent_lenient": lenient / max(1, n),
            "parents": n}


def run_syndetect(articles: list[dict[str, str]], profile: bool) -> dict:
    from syndetect import Document, scan

    docs = [
        Document(id=a["id"], text=a["text"], outlet=a["outlet"],
                 published_at=a["published_at"], date_strength="metadata")
        for a in articles
    ]
    del articles[:]
    rss_loaded = peak_rss_mb()
    marks: list[tuple[str, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        marks.append((f"{stage} {done}/{total}", time.perf_counter()))

    prof = None
    t0, c0 = time.perf_counter(), cpu_seconds()
    if profile:
        import cProfile
        import signal

        prof = cProfile.Profile()

        def on_term(signum: int, frame: object) -> None:  # the parent's timeout: report so far
            prof.disable()
            print(json.dumps({"partial_profile": profile_text(prof, marks, t0)}), flush=True)
            raise SystemExit(3)

        signal.signal(signal.SIGTERM, on_term)
        prof.enable()
    report = scan(docs, progress=progress)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    if prof:
        prof.disable()
    stages, last = {}, t0
    for name, t in marks + [("end", t0 + seconds)]:
        # Time up to a stage's mark belongs to the stage that mark reports.
        stage = name.split()[0]
        stages[stage] = round(stages.get(stage, 0.0) + t - last, 2)
        last = t
    pairs = {tuple(sorted((p.a, p.b))) for p in report.pairs if p.derived}
    keep = ("sentences", "candidates_rewrite", "candidates_copy", "candidates_document",
            "sentence_matches", "pairs_checked", "pairs_derived", "clusters")
    clusters = {m.document: k for k, c in enumerate(report.clusters) for m in c.members}
    origins = {str(k): c.origin for k, c in enumerate(report.clusters)}
    parents = {m.document: m.derived_from for c in report.clusters for m in c.members
               if m.derived_from}
    out = {"seconds": seconds, "cpu": cpu, "rss_loaded_mb": rss_loaded, "stages": stages,
           "stats": {k: report.stats.get(k) for k in keep}, "pairs": sorted(pairs),
           "clusters": clusters, "origins": origins, "parents": parents}
    if prof:
        out["profile"] = profile_text(prof, marks, t0)
    return out


def run_candidates(articles: list[dict[str, str]], truth: dict) -> dict:
    """The candidate stage alone: prepare, sentence table, the three grains.

    Candidate recall (a planted pair is a candidate document pair at some grain) is
    the ceiling of the scan's recall; time and memory of the stages up to it.
    """
    import numpy as np

    from syndetect import Config, Document
    from syndetect.grains import copy_candidates, document_candidates, rewrite_candidates
    from syndetect.minhash import MinHasher, TokenHasher
    from syndetect.pipeline import prepare
    from syndetect.table import SentenceTable, corpus_vocabulary

    docs = [Document(id=a["id"], text=a["text"], outlet=a["outlet"],
                     published_at=a["published_at"], date_strength="metadata")
            for a in articles]
    del articles[:]
    rss_loaded = peak_rss_mb()
    config = Config()
    t0, c0 = time.perf_counter(), cpu_seconds()
    prepared = prepare(docs, config)
    t1, c1 = time.perf_counter(), cpu_seconds()
    table = SentenceTable.build(prepared.segments)
    vocab = corpus_vocabulary(table)
    mh, h = MinHasher(config.minhash.num_perm, config.minhash.seed), TokenHasher()
    rew = rewrite_candidates(table, vocab, config, mh, h)
    cop = copy_candidates(table, config, mh, h)
    docp = document_candidates(table, vocab, config, mh, h)
    seconds, cpu = time.perf_counter() - t1, cpu_seconds() - c1
    ids = table.doc_ids
    found: dict[str, set[tuple[str, str]]] = {}
    for name, arr in (("rewrite", table.owner[rew] if len(rew) else rew),
                      ("copy", table.owner[cop] if len(cop) else cop), ("document", docp)):
        arr = np.sort(np.asarray(arr).reshape(-1, 2), axis=1)
        found[name] = {(ids[a], ids[b]) for a, b in np.unique(arr, axis=0).tolist()}
    union = set().union(*found.values())
    out: dict = {"seconds": seconds, "cpu": cpu, "prepare_seconds": t1 - t0,
                 "prepare_cpu": c1 - c0, "rss_loaded_mb": rss_loaded,
                 "stats": {"sentences": len(table.rows), "candidates_rewrite": len(rew),
                           "candidates_copy": len(cop), "candidates_document": len(docp),
                           "doc_pairs": len(union)}}
    for kind in KINDS:
        planted = [tuple(sorted((p["source"], p["derived"]))) for p in truth["planted"]
                   if p["kind"] == kind]
        out[f"candidate_recall_{kind}"] = sum(p in union for p in planted) / max(1, len(planted))
    return out


def run_datasketch(articles: list[dict[str, str]]) -> dict:
    from datasketch import MinHash, MinHashLSH

    ids = [a["id"] for a in articles]
    texts = [a["text"] for a in articles]
    del articles[:]
    rss_loaded = peak_rss_mb()
    word = re.compile(r"\w+")

    def shingles(text: str) -> list[bytes]:
        toks = word.findall(text.lower())
        grams = {" ".join(toks[i : i + 5]) for i in range(len(toks) - 4)}
        return [g.encode("utf-8") for g in grams]

    t0, c0 = time.perf_counter(), cpu_seconds()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    sketches = []
    for key, m in zip(ids, MinHash.generator((shingles(t) for t in texts), num_perm=128)):
        lsh.insert(key, m)
        sketches.append(m)
    pairs = set()
    for key, m in zip(ids, sketches):
        for other in lsh.query(m):
            if other != key:
                pairs.add(tuple(sorted((key, other))))
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return {"seconds": seconds, "cpu": cpu, "rss_loaded_mb": rss_loaded, "pairs": sorted(pairs)}


def worker(args: argparse.Namespace) -> int:
    articles = load(args.corpus)
    n = len(articles)
    if args.worker == "candidates":
        truth = json.loads(args.truth.read_text(encoding="utf-8"))
        out = run_candidates(articles, truth)
        out["rss_peak_mb"] = peak_rss_mb()
        out["docs"] = n
        print(json.dumps(out))
        return 0
    if args.worker == "syndetect":
        out = run_syndetect(articles, args.profile)
    else:
        out = run_datasketch(articles)
    out["rss_peak_mb"] = peak_rss_mb()
    # Forked workers share the parent's pages; the largest one's peak, said apart.
    out["rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["docs"] = n
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    out["quality"] = quality({tuple(p) for p in out.pop("pairs")}, truth, out.pop("clusters", None),
                             out.pop("origins", None), out.pop("parents", None))
    print(json.dumps(out))
    return 0


def ensure_corpus(n: int, seed: int, cache: Path) -> tuple[Path, Path]:
    cache.mkdir(parents=True, exist_ok=True)
    corpus, truth = cache / f"synth-{n}-{seed}.jsonl", cache / f"synth-{n}-{seed}.truth.json"
    if not (corpus.exists() and truth.exists()):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(n), str(corpus),
                        "--seed", str(seed), "--truth", str(truth)], check=True)
        print(f"generated {n} articles in {time.perf_counter() - t0:.0f} s -> {corpus}",
              file=sys.stderr)
    return corpus, truth


def proc_usage(pid: int) -> str:
    """CPU seconds and peak RSS so far of a running process (Linux /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return "usage unknown"
    import os

    hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return f"{cpu:.0f} s CPU, peak RSS {int(hwm.group(1)) / 1024 if hwm else 0:.0f} MB so far"


def spawn(kind: str, corpus: Path, truth: Path, profile: bool, timeout: float) -> dict | None:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind,
           "--corpus", str(corpus), "--truth", str(truth)] + (["--profile"] if profile else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{kind} on {corpus.name}: did not finish within {timeout:.0f} s wall; "
              f"{proc_usage(proc.pid)}", file=sys.stderr)
        proc.terminate()  # a profiled worker prints its profile so far on SIGTERM
        stdout, stderr = proc.communicate()
    last = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
    if "partial_profile" in last:
        print(f"\n--- partial cProfile, {kind}, {corpus.name} ---\n{last['partial_profile']}")
    if proc.returncode or "seconds" not in last:
        print(f"{kind} on {corpus.name} stopped (exit code {proc.returncode}):\n{stderr[-3000:]}",
              file=sys.stderr)
        return None
    return last


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="cProfile the syndetect worker")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per worker")
    ap.add_argument("--cache-dir", type=Path, default=Path("/tmp/syndetect-bench"))
    ap.add_argument("--candidates-only", action="store_true",
                    help="measure the candidate stage alone (candidate recall, time, memory)")
    ap.add_argument("--worker", choices=["syndetect", "datasketch", "candidates"],
                    help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--truth", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)

    print(code_state())
    if args.candidates_only:
        for n in [int(x) for x in args.sizes.split(",")]:
            corpus, truth = ensure_corpus(n, args.seed, args.cache_dir)
            r = spawn("candidates", corpus, truth, False, args.timeout)
            if r is None:
                continue
            print(f"n={n}: prepare {r['prepare_cpu']:.1f} s CPU; table + grains "
                  f"{r['seconds']:.1f} s wall, {r['cpu']:.1f} s CPU; peak RSS "
                  f"{r['rss_peak_mb']:.0f} MB; candidate recall "
                  + " ".join(f"{k} {r['candidate_recall_' + k]:.3f}" for k in KINDS)
                  + f"; {json.dumps(r['stats'])}")
        return 0
    results: dict[tuple[str, int], dict | None] = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        corpus, truth = ensure_corpus(n, args.seed, args.cache_dir)
        for kind in ("syndetect", "datasketch"):
            profile = args.profile and kind == "syndetect"
            r = results[(kind, n)] = spawn(kind, corpus, truth, profile, args.timeout)
            if r is None:
                continue
            print(f"{kind:>10} n={n}: {r['seconds']:.1f} s wall, {r['cpu']:.1f} s CPU, "
                  f"peak RSS {r['rss_peak_mb']:.0f} MB", file=sys.stderr)
            if r.get("profile"):
                print(f"\n--- cProfile, syndetect scan, n={n} ---\n{r['profile']}")
    sizes = sorted({n for _, n in results})
    print(f"\n{'size':>7} {'tool':<10} {'wall s':>9} {'CPU s':>9} {'docs/s':>8} {'RSS MB':>7} "
          f"{'(loaded)':>8} {'x dsketch':>9} " + " ".join(f"{'R ' + k:>9}" for k in KINDS)
          + f" {'precision':>9} {'pairs':>7} {'FP topic':>8} {'FP other':>8} {'FP event':>8}")
    for n in sizes:
        base = results.get(("datasketch", n))
        for kind in ("syndetect", "datasketch"):
            r = results.get((kind, n))
            if r is None:
                print(f"{n:>7} {kind:<10} {'did not finish / failed':>19}")
                continue
            q = r["quality"]
            ratio = f"{r['cpu'] / base['cpu']:.2f}" if base else "-"
            print(f"{n:>7} {kind:<10} {r['seconds']:9.1f} {r['cpu']:9.1f} {n / r['cpu']:8.1f} "
                  f"{r['rss_peak_mb']:7.0f} {r['rss_loaded_mb']:8.0f} {ratio:>9} "
                  + " ".join(f"{q['recall_' + k]:9.3f}" for k in KINDS)
                  + f" {q['precision']:9.3f} {q['pairs']:7d} {q['fp_same_topic']:8d} "
                  f"{q['fp_cross_topic']:8d} {q.get('fp_same_event', 0):8d}")
    print("\ndocs/s and 'x dsketch' (syndetect / datasketch script on the same input; < 1: "
          "syndetect faster) use CPU seconds:\nthe machine may be shared. R = recall of planted "
          "pairs (reported pair, or both in one cluster); FP = false positive pairs, same topic "
          "/ other; FP event: of those, independent reports of one event.")
    for n in sizes:
        r = results.get(("syndetect", n))
        if r:
            print(f"syndetect n={n} stats {json.dumps(r['stats'])}; largest forked worker's "
                  f"peak RSS {r.get('rss_worker_mb', 0):.0f} MB (shares the parent's pages)")
            q = r["quality"]
            print(f"syndetect n={n} lineage: origin right {q['origin_right']:.3f} of "
                  f"{q['origin_clusters']} story clusters; parent exact {q['parent_exact']:.3f}, "
                  f"lenient (any planted ancestor) {q['parent_lenient']:.3f} of {q['parents']}")
            print(f"syndetect n={n} stage seconds {json.dumps(r['stages'])}")
    for kind in ("syndetect", "datasketch"):
        t10, t100 = results.get((kind, 10000)), results.get((kind, 100000))
        if t10 and t100:
            print(f"{kind}: t(100k) / t(10k) = {t100['cpu'] / t10['cpu']:.1f} (CPU), "
                  f"{t100['seconds'] / t10['seconds']:.1f} (wall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
