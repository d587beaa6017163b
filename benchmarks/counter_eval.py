"""COUNTER evaluation: syndetect's blind scan vs a document-level datasketch baseline.

COUNTER (Sharjeel, Nawab & Rayson 2017) pairs 600 Urdu news-agency stories with
600 newspaper stories labelled wholly / partially / non-derived. The scanner sees
only id, text, outlet and date — never the role or pair fields — and scans all
1200 documents at once; metrics are read off its report for the gold pairs.

    python benchmarks/counter_eval.py [--data ../shared/eval-data/counter] [--json OUT]

Prints derived-vs-not macro-F1, whole/partial/none macro-F1, origin accuracy,
cluster ARI, and the datasketch MinHashLSH baseline at thresholds 0.5 and 0.1.
The corpus is read in place (licence CC BY-NC-SA: never copied into the project).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from eval_data import eval_data

HERE = Path(__file__).resolve().parent


DEFAULT_DATA = eval_data("counter")

# Floors the quality gate refuses to go below (raise them as the tool improves;
# lowering one is a visible change in review, never silent).
FLOORS = {
    "binary_macro_f1": 0.73,
    "pair_macro_f1": 0.75,
    "ternary_macro_f1": 0.68,
    "origin_accuracy": 0.92,
}


def load_blind(data: Path):
    """Documents with only id, text, outlet and date; and the gold file."""
    from syndetect import Document

    docs = []
    for line in (data / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        docs.append(
            Document(
                id=rec["id"],
                text=rec["text"],
                outlet=rec.get("outlet"),
                published_at=rec.get("date"),
                date_strength="metadata" if rec.get("date") else "none",
            )
        )
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    return docs, gold


def macro_f1(gold: list[str], pred: list[str], labels: list[str]) -> float:
    scores = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred) if g == lab and p != lab)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return sum(scores) / len(scores)


def ari(labels_true: dict[str, object], labels_pred: dict[str, object]) -> float:
    """Adjusted Rand index over the documents of ``labels_true``."""
    ids = sorted(labels_true)
    pairs = Counter((labels_true[i], labels_pred[i]) for i in ids)
    a = Counter(labels_true[i] for i in ids)
    b = Counter(labels_pred[i] for i in ids)
    comb = lambda n: n * (n - 1) / 2  # noqa: E731
    index = sum(comb(v) for v in pairs.values())
    sa, sb = sum(comb(v) for v in a.values()), sum(comb(v) for v in b.values())
    expected = sa * sb / comb(len(ids))
    maximum = (sa + sb) / 2
    return (index - expected) / (maximum - expected) if maximum != expected else 1.0


def evaluate_syndetect(docs, gold) -> dict:
    from syndetect import Config, scan

    t0 = time.perf_counter()
    report = scan(docs, Config())
    seconds = time.perf_counter() - t0
    cluster_of: dict[str, str] = {}
    member: dict[str, object] = {}
    origin_of: dict[str, str | None] = {}
    for c in report.clusters:
        for m in c.members:
            cluster_of[m.document] = c.id
            member[m.document] = m
            origin_of[m.document] = c.origin
    same_text = {}
    for group in gold["identical_text_groups"]:
        for d in group:
            same_text[d] = set(group)
    derived_pairs = {(p.a, p.b) for p in report.pairs if p.derived}
    y_bin, p_bin, y_ter, p_ter, p_direct = [], [], [], [], []
    origin_hits = origin_total = 0
    ter_name = {"wholly_derived": "whole", "partially_derived": "partial", "non_derived": "none"}
    for pair in gold["pairs"]:
        s, n = pair["source_id"], pair["derived_id"]
        linked = n in cluster_of and cluster_of.get(s) == cluster_of[n]
        y_bin.append("derived" if pair["derived"] else "not")
        p_bin.append("derived" if linked else "not")
        p_direct.append("derived" if (min(s, n), max(s, n)) in derived_pairs else "not")
        y_ter.append(ter_name[pair["label"]])
        if not linked:
            p_ter.append("none")
        else:
            m = member[n]
            p_ter.append(m.derivation if m.role == "derivative" and m.derivation else "partial")
        if pair["derived"] and linked:
            origin_total += 1
            origin = origin_of[n]
            if origin == s or origin in same_text.get(s, ()):
                origin_hits += 1
    pred_cluster = {d.id: cluster_of.get(d.id, "single:" + d.id) for d in report.documents}
    return {
        "binary_macro_f1": macro_f1(y_bin, p_bin, ["derived", "not"]),
        "pair_macro_f1": macro_f1(y_bin, p_direct, ["derived", "not"]),
        "ternary_macro_f1": macro_f1(y_ter, p_ter, ["whole", "partial", "none"]),
        "origin_accuracy": origin_hits / origin_total if origin_total else float("nan"),
        "origin_pairs": origin_total,
        "ari_lenient": ari(gold["clusters_lenient_wd_pd"], pred_cluster),
        "recall_derived": sum(
            1 for y, p in zip(y_bin, p_bin) if y == "derived" and p == "derived"
        ) / max(1, y_bin.count("derived")),
        "clusters": len(report.clusters),
        "seconds": seconds,
        "stats": report.stats,
    }


def evaluate_baseline(docs, gold, threshold: float, num_perm: int = 128) -> dict:
    """Plain document-level datasketch MinHashLSH over word 3-grams."""
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    sketches = {}
    for d in docs:
        words = re.findall(r"\w+", d.text.lower())
        grams = {" ".join(words[i : i + 3]).encode() for i in range(max(0, len(words) - 2))}
        m = MinHash(num_perm=num_perm)
        m.update_batch(list(grams))
        sketches[d.id] = m
        lsh.insert(d.id, m)
    y, p = [], []
    for pair in gold["pairs"]:
        s, n = pair["source_id"], pair["derived_id"]
        y.append("derived" if pair["derived"] else "not")
        p.append("derived" if s in lsh.query(sketches[n]) else "not")
    return {
        "binary_macro_f1": macro_f1(y, p, ["derived", "not"]),
        "recall_derived": sum(1 for a, b in zip(y, p) if a == b == "derived")
        / max(1, y.count("derived")),
        "seconds": time.perf_counter() - t0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--gate", action="store_true", help="exit 1 if a figure is below its floor")
    args = ap.parse_args()
    if not (args.data / "docs.jsonl").exists():
        print(f"COUNTER not found at {args.data}; pass --data", file=sys.stderr)
        return 2
    docs, gold = load_blind(args.data)
    ours = evaluate_syndetect(docs, gold)
    base = {t: evaluate_baseline(docs, gold, t) for t in (0.5, 0.1)}
    print(f"COUNTER blind scan: {len(docs)} documents, {len(gold['pairs'])} gold pairs")
    print(f"{'':32}{'syndetect':>12}{'MinHashLSH@0.5':>16}{'MinHashLSH@0.1':>16}")
    print(
        f"{'derived-vs-not macro-F1':32}{ours['binary_macro_f1']:12.3f}"
        f"{base[0.5]['binary_macro_f1']:16.3f}{base[0.1]['binary_macro_f1']:16.3f}"
    )
    print(f"{'  same, from pair decisions':32}{ours['pair_macro_f1']:12.3f}{'-':>16}{'-':>16}")
    print(
        f"{'recall of derived stories':32}{ours['recall_derived']:12.3f}"
        f"{base[0.5]['recall_derived']:16.3f}{base[0.1]['recall_derived']:16.3f}"
    )
    print(f"{'whole/partial/none macro-F1':32}{ours['ternary_macro_f1']:12.3f}{'-':>16}{'-':>16}")
    print(
        f"{'origin = agency story':32}{ours['origin_accuracy']:12.3f}"
        f"   (of {ours['origin_pairs']} clustered derived pairs)"
    )
    print(f"{'cluster ARI (lenient)':32}{ours['ari_lenient']:12.3f}")
    print(
        f"{'seconds':32}{ours['seconds']:12.2f}"
        f"{base[0.5]['seconds']:16.2f}{base[0.1]['seconds']:16.2f}"
    )
    if args.json:
        args.json.write_text(json.dumps({"syndetect": ours, "baseline": base}, indent=2, default=str))
    failed = [k for k, floor in FLOORS.items() if not (ours[k] >= floor)]
    if failed:
        print("below floor: " + ", ".join(f"{k} {ours[k]:.3f} < {FLOORS[k]}" for k in failed))
        if args.gate:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
