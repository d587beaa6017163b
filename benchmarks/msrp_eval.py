"""MSRP: syndetect's sentence verification against people's paraphrase judgements.

The Microsoft Research Paraphrase Corpus (training part, 4,076 English news sentence
pairs on the same events, 2,753 paraphrases) is read in place from
``../shared/eval-data/msrp`` (research licence: never copied into the project).
Its negatives are mostly sentences about the *same event* that say different
things: the sentence-level form of telling a rewrite from independent reporting.

    python benchmarks/msrp_eval.py [--data DIR] [--json OUT]

Pairs are split once, by a hash of their ids, into a tuning part (70%) and a held-out
part (30%) that nothing is fitted on. For each part it prints precision, recall and F1
of predicting "paraphrase" by:

* ``verify``: ``align.verify_pair`` accepts the pair (a verified sentence match);
* ``anchor``: the match is also an anchor (``SentencePair.is_anchor``), strong enough to
  stand without neighbours;
* ``verify, no conflict``: a verified match whose sentences do not each carry a number or
  name the other lacks (``syndetect.evidence.specifics``);
* baselines: rapidfuzz ``fuzz.ratio`` and ``fuzz.token_set_ratio`` on the normalised
  sentences, each at the cut-off that maximises F1 on the tuning part.

IDF weights come from the corpus's own sentences (each sentence a document), as a
scan computes them from its documents. Figures also show, for the tuning part, F1 of
``verify`` at other values of ``align.min_similarity`` and of ``anchor`` at other values of
``align.anchor_similarity``, which is what the defaults are checked against.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

from eval_data import eval_data
from rapidfuzz import fuzz

from syndetect.align import SentencePair, verify_pair
from syndetect.config import AlignConfig
from syndetect.evidence import specifics
from syndetect.segment import normalize, tokenize
from syndetect.terms import Vocabulary, content_words

HERE = Path(__file__).resolve().parent


def load(data: Path) -> list[tuple[int, str, str, str]]:
    """(label, pair id, sentence 1, sentence 2) of every pair."""
    out = []
    path = data / "msr_paraphrase_train.tsv"
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not parts[0].isdigit():
            continue
        out.append((int(parts[0]), f"{parts[1]}-{parts[2]}", parts[3], parts[4]))
    return out


def held_out(pair_id: str) -> bool:
    """The fixed 30% of pairs nothing is tuned on."""
    return int(hashlib.sha256(pair_id.encode()).hexdigest()[:8], 16) % 10 < 3


def prf(gold: list[int], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def best_cutoff(scores: list[float], gold: list[int]) -> float:
    """The cut-off on ``scores`` that maximises F1 (ties: the lower)."""
    best, best_f = 0.0, -1.0
    for c in sorted(set(round(s, 3) for s in scores)):
        f = prf(gold, [s >= c for s in scores])[2]
        if f > best_f:
            best, best_f = c, f
    return best


def evaluate(data: Path) -> dict:
    rows = load(data)
    norms = [(normalize(a), normalize(b)) for _, _, a, b in rows]
    words = [(frozenset(content_words(tokenize(x))), frozenset(content_words(tokenize(y))))
             for x, y in norms]
    vocab = Vocabulary.from_documents([w for pair in words for w in pair])
    idf = vocab.idf_table()
    gold = [lab for lab, _, _, _ in rows]
    test = [held_out(pid) for _, pid, _, _ in rows]

    def verified(cfg: AlignConfig) -> list[SentencePair | None]:
        out = []
        for (x, y), (wx, wy) in zip(norms, words, strict=True):
            r = verify_pair(x, y, wx, wy, idf, cfg)
            out.append(SentencePair(0, 1, *r) if r else None)
        return out

    base = AlignConfig()
    ver = verified(base)
    conflict = [bool(specifics(a) - set(tokenize(normalize(b))))
                and bool(specifics(b) - set(tokenize(normalize(a))))
                for _, _, a, b in rows]
    ratio = [fuzz.ratio(x, y) / 100 for x, y in norms]
    tset = [fuzz.token_set_ratio(x, y) / 100 for x, y in norms]

    def part(keep: bool) -> tuple[list[int], list[int]]:
        idx = [k for k, t in enumerate(test) if t == keep]
        return idx, [gold[k] for k in idx]

    tune_idx, tune_gold = part(False)
    cut_ratio = best_cutoff([ratio[k] for k in tune_idx], tune_gold)
    cut_tset = best_cutoff([tset[k] for k in tune_idx], tune_gold)
    methods = {
        "verify": [v is not None for v in ver],
        "anchor": [v is not None and v.is_anchor(base) for v in ver],
        "verify, no conflict": [v is not None and not c for v, c in zip(ver, conflict,
                                                                         strict=True)],
        "anchor, no conflict": [v is not None and v.is_anchor(base) and not c
                                for v, c in zip(ver, conflict, strict=True)],
        f"rapidfuzz ratio >= {cut_ratio:.2f}": [s >= cut_ratio for s in ratio],
        f"rapidfuzz token_set_ratio >= {cut_tset:.2f}": [s >= cut_tset for s in tset],
        "all pairs (predict paraphrase)": [True] * len(rows),
    }
    result: dict = {"n_pairs": len(rows), "n_held_out": sum(test),
                    "paraphrase_share": sum(gold) / len(gold), "methods": {}}
    for name, pred in methods.items():
        res = {}
        for label, keep in (("tune", False), ("held_out", True)):
            idx, g = part(keep)
            res[label] = prf(g, [pred[k] for k in idx])
        result["methods"][name] = res
    # Sensitivity of the defaults, on the tuning part only.
    sweep = {}
    for ms in (0.12, 0.18, 0.25, 0.3, 0.4, 0.5):
        v = verified(replace(base, min_similarity=ms))
        sweep[f"verify min_similarity={ms}"] = prf(tune_gold, [v[k] is not None for k in tune_idx])
    for a in (0.3, 0.4, 0.5, 0.6, 0.7):
        cfg = replace(base, anchor_similarity=a)
        sweep[f"anchor anchor_similarity={a}"] = prf(
            tune_gold, [ver[k] is not None and ver[k].is_anchor(cfg) for k in tune_idx])
    result["sweep_tune"] = sweep
    # Why near-verbatim needs 0.8: how many same-event non-paraphrases reach each ratio.
    neg = [ratio[k] for k in range(len(rows)) if not gold[k]]
    pos = [ratio[k] for k in range(len(rows)) if gold[k]]
    result["char_ratio_reach"] = {
        str(c): {"non_paraphrase": sum(r >= c for r in neg) / len(neg),
                 "paraphrase": sum(r >= c for r in pos) / len(pos)}
        for c in (0.6, 0.7, 0.8, 0.9, 0.97)
    }
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=eval_data("msrp"))
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not (args.data / "msr_paraphrase_train.tsv").exists():
        print(f"MSRP not found at {args.data}; pass --data", file=sys.stderr)
        return 2
    r = evaluate(args.data)
    print(f"MSRP train: {r['n_pairs']} pairs ({r['paraphrase_share']:.0%} paraphrases), "
          f"{r['n_held_out']} held out")
    print(f"{'method':<44} {'tune P/R/F1':>20} {'held-out P/R/F1':>20}")
    for name, res in r["methods"].items():
        cells = ["{:.3f}/{:.3f}/{:.3f}".format(*res[k]) for k in ("tune", "held_out")]
        print(f"{name:<44} {cells[0]:>20} {cells[1]:>20}")
    print("\nsensitivity on the tuning part (P/R/F1):")
    for name, v in r["sweep_tune"].items():
        print(f"  {name:<40} {v[0]:.3f}/{v[1]:.3f}/{v[2]:.3f}")
    print("\nshare of pairs whose character ratio reaches c:")
    for c, v in r["char_ratio_reach"].items():
        print(f"  c={c:<5} non-paraphrase {v['non_paraphrase']:.3f}  paraphrase {v['paraphrase']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(r, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
