"""English (and one German) derived-vs-not figure on the hand-written test corpora.

The stories in ``tests/data_en`` and ``tests/data_de`` plus hard-wrapped and identical
copies of some of them: every document pair is labelled derived (a copy, a wrapped
copy, a lifted paragraph) or not (two bombings in one wire style, two reports quoting
one minister, unrelated stories). Prints pair precision, recall and macro-F1 of
syndetect (pairs in one story cluster, and pair decisions alone) beside a plain datasketch MinHashLSH over word 5-grams.

    python benchmarks/english_eval.py

Small by construction (a few dozen pairs): a regression check on the cases issue 9
names, not an estimate of accuracy on real crawls.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from pathlib import Path

from syndetect import Config, Document, scan

ROOT = Path(__file__).resolve().parents[1]


def _wrap(text: str, width: int) -> str:
    return "\n\n".join(textwrap.fill(p, width) for p in text.split("\n\n") if p.strip())


def corpus() -> tuple[list[Document], set[frozenset[str]]]:
    texts = {p.stem: p.read_text(encoding="utf-8")
             for d in ("data_en", "data_de") for p in sorted((ROOT / "tests" / d).glob("*.txt"))}
    texts["wire_rates@70"] = _wrap(texts["wire_rates"], 70)
    texts["wire_rates@100"] = _wrap(texts["wire_rates"], 100)
    texts["wire_pakistan@copy"] = texts["wire_pakistan"]
    texts["local_housing@100"] = _wrap(texts["local_housing"], 100)
    docs = [Document(id=k, text=v, outlet=k.split("@")[0]) for k, v in sorted(texts.items())]
    family = {"wire_rates": "rates", "local_housing": "rates", "wire_pakistan": "pak",
              "wire_de": "de", "local_de": "de"}
    derived = set()
    for a, b in itertools.combinations(sorted(texts), 2):
        fa, fb = family.get(a.split("@")[0]), family.get(b.split("@")[0])
        if fa and fa == fb:
            derived.add(frozenset((a, b)))
    # Two wrappings of the same local story are copies too.
    derived.add(frozenset(("local_housing", "local_housing@100")))
    return docs, derived


def _scores(pred: set[frozenset[str]], gold: set[frozenset[str]], n_pairs: int) -> dict:
    tp = len(pred & gold)
    fp = len(pred - gold)
    fn = len(gold - pred)
    tn = n_pairs - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f_pos = 2 * p * r / (p + r) if p + r else 0.0
    np_, nr = (tn / (tn + fn) if tn + fn else 0.0), (tn / (tn + fp) if tn + fp else 0.0)
    f_neg = 2 * np_ * nr / (np_ + nr) if np_ + nr else 0.0
    return {"precision": p, "recall": r, "macro_f1": (f_pos + f_neg) / 2, "fp": sorted(
        tuple(sorted(x)) for x in pred - gold), "fn": sorted(tuple(sorted(x)) for x in gold - pred)}


def baseline(docs: list[Document], threshold: float) -> set[frozenset[str]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    sk = {}
    for d in docs:
        w = re.findall(r"\w+", d.text.lower())
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(w[i:i + 5]).encode() for i in range(max(1, len(w) - 4))])
        sk[d.id] = m
        lsh.insert(d.id, m)
    return {frozenset((d.id, o)) for d in docs for o in lsh.query(sk[d.id]) if o != d.id}


def main() -> int:
    docs, gold = corpus()
    n_pairs = len(docs) * (len(docs) - 1) // 2
    report = scan(docs, Config())
    ours = {frozenset((p.a, p.b)) for p in report.pairs if p.derived}
    # Near-identical copies are collapsed onto one head and decided against it only:
    # members of one story cluster count as linked, as in counter_eval.py.
    linked = {frozenset((a.document, b.document)) for c in report.clusters
              for a, b in itertools.combinations(c.members, 2)}
    rows = [("syndetect, same story cluster", _scores(linked, gold, n_pairs)),
            ("syndetect, pair decisions", _scores(ours, gold, n_pairs))]
    for t in (0.3, 0.1):
        rows.append((f"datasketch MinHashLSH 5-grams @{t}", _scores(baseline(docs, t), gold,
                                                                    n_pairs)))
    print(f"{len(docs)} documents, {n_pairs} pairs, {len(gold)} derived")
    print(f"{'':36}{'precision':>10}{'recall':>8}{'macro-F1':>10}")
    for name, s in rows:
        print(f"{name:36}{s['precision']:10.3f}{s['recall']:8.3f}{s['macro_f1']:10.3f}")
    for name, s in rows[:1]:
        for k in ("fp", "fn"):
            for pair in s[k]:
                print(f"  {k}: {pair[0]} / {pair[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
