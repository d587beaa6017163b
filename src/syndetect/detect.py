"""Detection: verification of candidate pairs (``grains.py``) and pair decisions.

Candidate sentence and document pairs come from ``grains.py`` (each sentence's
rarest content words, each sentence's bottom-k word n-grams, each document's
rarest content words). Every candidate is verified (align.py); a document pair's
verified matches and its document-level overlap are aggregated into one
``PairDecision``.

The pair score answers "is one of these texts built from the other?" and uses
evidence that independent reports of the same event lack:

* ``containment``: IDF-weighted share of the derivative's content words found in
  the other text (the signal that best separates derived from same-event stories);
* ``phrasing``: share of the derivative's content-word bigrams found in the other,
  since a rewrite keeps word pairs that independent writing does not;
* ``anchors``: strong verified sentence matches, the absolute evidence that lets a
  story shared inside pages full of other text (related-article blobs, ads) count.

Which side may be the derivative follows from strong dates (a text cannot copy a
later one); without them both sides are tried.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .align import (
    SentencePair,
    block_overlaps,
    merge_passages,
    order_share,
    passage_groups,
    row_overlaps,
    select_mask,
    verify_arrays,
)
from .candidates import unique_pairs
from .config import AlignConfig, Config, DecisionConfig
from .evidence import MatchEvidence, lifted_passages, passage_evidence
from .grains import copy_candidates, document_candidates, rewrite_candidates
from .minhash import MinHasher, TokenHasher
from .parallel import map_ranges, release_memory, usable_workers
from .progress import Progress, Ticker, stage_done
from .table import SentenceTable, corpus_vocabulary
from .terms import Vocabulary
from .types import Document, PairDecision, Segment
from .verified import partner_strength, strongest_partners, verify_candidates

__all__ = [  # the last three live in ``verified``; the Spark engine and the index import them here
    "decide_pairs", "detect", "partner_strength", "strongest_partners", "verify_candidates",
]

log = logging.getLogger(__name__)



def align_exhaustive(
    table: SentenceTable,
    da: str,
    db: str,
    idf: Mapping[str, float],
    config: Config,
    *,
    select: bool = False,
) -> list[SentencePair]:
    """Verify every sentence pair of two documents (used once a pair looks derived).

    Only sentence pairs sharing content words can verify; a join on word ids
    finds them and counts their overlap for all pairs at once. ``select=True``
    returns ``select_matches`` of the result, chosen on arrays before any
    ``SentencePair`` is made.
    """
    weights, mass = table.weights(idf)
    i, j, n, w = block_overlaps(
        table.row_ptr, table.row_wids, weights, table.doc_rows[da], table.doc_rows[db]
    )
    v = verify_arrays(i, j, n, w, mass[i], mass[j], table.columns(), config.align)
    if select:
        keep = select_mask(v, table.position[v.i], table.position[v.j], config.align)
        v = v.take(keep)
    return v.pairs()


@dataclass(frozen=True)
class DocOverlap:
    """Document-level overlap of document pairs ``(a, b)``, as parallel arrays.

    ``shared_mass``: total IDF of the content words both carry; ``mass_a``/``mass_b``:
    each side's total; ``shared_bigrams`` and ``bigrams_a``/``bigrams_b``: the same
    for distinct content-word bigrams; ``rare_shared``: shared words that few
    documents carry (names, numbers).
    """

    shared_mass: np.ndarray
    mass_a: np.ndarray
    mass_b: np.ndarray
    shared_bigrams: np.ndarray
    bigrams_a: np.ndarray
    bigrams_b: np.ndarray
    rare_shared: np.ndarray

    def features(self, k: int) -> dict[str, float]:
        """Containment and phrasing of each side of pair ``k``, and its rare shared words."""
        sm, sb = float(self.shared_mass[k]), float(self.shared_bigrams[k])
        return {
            "containment_a": sm / (float(self.mass_a[k]) or 1.0),
            "containment_b": sm / (float(self.mass_b[k]) or 1.0),
            "phrasing_a": sb / max(1.0, float(self.bigrams_a[k])),
            "phrasing_b": sb / max(1.0, float(self.bigrams_b[k])),
            "rare_shared": float(self.rare_shared[k]),
        }

    def optimistic(self, k: int, sides: Sequence[str]) -> float:
        """An upper estimate of pair ``k``'s score from document-level overlap alone.

        Passage coverage is not known before alignment; it is taken equal to the
        containment, its typical value for derived pairs.
        """
        f = self.features(k)
        return max(
            (0.8 * f[f"containment_{s}"] + 0.2 * f[f"phrasing_{s}"] for s in sides), default=0.0
        )


def doc_overlaps(table: SentenceTable, vocab: Vocabulary, pairs: np.ndarray) -> DocOverlap:
    """``DocOverlap`` of document index pairs ``pairs`` (``[m x 2]``), all at once."""
    wptr, wids, bptr, bids = table.doc_arrays()
    weights, _ = table.weights(vocab.idf_table())
    a = np.ascontiguousarray(pairs[:, 0], dtype=np.int64).reshape(-1)
    b = np.ascontiguousarray(pairs[:, 1], dtype=np.int64).reshape(-1)
    doc_of = np.repeat(np.arange(len(table.doc_ids)), np.diff(wptr))
    doc_mass = np.bincount(doc_of, weights=weights[wids], minlength=len(table.doc_ids))
    n_big = np.diff(bptr)
    _, shared_mass = row_overlaps(wptr, wids, weights, a, b)
    rare_cut = max(2, 0.01 * vocab.n_docs)
    df = vocab.df
    rare = np.fromiter((df.get(w, 0) <= rare_cut for w in table.words_by_id), dtype=np.float64,
                       count=len(table.words_by_id))
    _, rare_shared = row_overlaps(wptr, wids, rare, a, b)
    nb = int(bids.max()) + 1 if len(bids) else 1
    _, shared_big = row_overlaps(bptr, bids, np.ones(nb), a, b)
    return DocOverlap(shared_mass, doc_mass[a], doc_mass[b], shared_big, n_big[a].astype(float),
                      n_big[b].astype(float), rare_shared)


def align_local(
    table: SentenceTable,
    da: str,
    db: str,
    seeds: Sequence[SentencePair],
    idf: Mapping[str, float],
    config: Config,
) -> list[SentencePair]:
    """Selected matches of a pair too large to align in full: every sentence pair near a seed.

    A passage lifted into a long text is found by candidate keys one sentence here
    and there; verifying all sentence pairs within ``2 * support_window`` sentences
    of each seed match, on both sides, recovers the whole passage at a cost that
    grows with the seeds, not with the documents' size.
    """
    if not seeds:
        return []
    ra, rb = table.doc_rows[da], table.doc_rows[db]
    w = 2 * config.align.support_window
    weights, mass = table.weights(idf)
    parts = []
    windows = sorted({(max(ra.start, p.i - w), max(rb.start, p.j - w)) for p in seeds})
    for lo_a, lo_b in windows:
        wa = range(lo_a, min(ra.stop, lo_a + 2 * w + 1))
        wb = range(lo_b, min(rb.stop, lo_b + 2 * w + 1))
        parts.append(block_overlaps(table.row_ptr, table.row_wids, weights, wa, wb))
    i = np.concatenate([q[0] for q in parts])
    j = np.concatenate([q[1] for q in parts])
    n = np.concatenate([q[2] for q in parts])
    wt = np.concatenate([q[3] for q in parts])
    if not len(i):
        return []
    _, first = np.unique(i * len(table.rows) + j, return_index=True)
    i, j, n, wt = i[first], j[first], n[first], wt[first]
    v = verify_arrays(i, j, n, wt, mass[i], mass[j], table.columns(), config.align)
    keep = select_mask(v, table.position[v.i], table.position[v.j], config.align)
    return v.take(keep).pairs()


def decide(
    feats: Mapping[str, float], by_side: Mapping[str, float], threshold: float,
    dc: DecisionConfig,
) -> tuple[bool, str]:
    """(derived, decided_by) from a pair's features; the rules in order of strength.

    * ``verbatim_passage``: a near-verbatim passage of at least
      ``dc.passage_min_chars`` characters, whatever surrounds it;
    * ``score``: the pair score reaches ``threshold`` (``decision.threshold``, plus
      the same-outlet margin) with at least ``dc.min_matches`` supporting matches;
    * ``rewrite_sequence``: at least ``dc.min_anchors`` strong sentence matches in
      the same order on both sides (a rewritten story inside a page of other text),
      and more than the 2 * sqrt(m) that m matches scattered at random line up.

    Only supporting matches count (not quotations, not conflicting specifics); the
    last two rules give way to ``max_lag_days`` (old background reused).

    >>> f = {"verbatim_chars": 0, "n_sequence": 2, "n_matched": 3, "lag_days": 0,
    ...      "n_quote_only": 0, "n_conflicting": 0}
    >>> decide(f, {"a": 0.5}, 0.32, DecisionConfig())
    (True, 'score')
    >>> decide(f, {"a": 0.2}, 0.32, DecisionConfig())
    (False, 'not_derived: score 0.2 below threshold 0.32')
    """
    score = max(by_side.values(), default=0.0)
    if feats["verbatim_chars"] >= dc.passage_min_chars:
        return True, "verbatim_passage"
    lag = feats.get("lag_days")
    old = lag is not None and bool(dc.max_lag_days) and lag > dc.max_lag_days
    recent = not old or score >= dc.copy_score
    if score >= threshold and feats["n_matched"] >= dc.min_matches and recent:
        return True, "score"
    # m strong matches scattered at random already form an ordered chain of about
    # 2 * sqrt(m) (Ulam-Hammersley): a paraphrased sequence must be longer than that.
    chance = 2.0 * math.sqrt(feats.get("n_anchor_pairs", feats["n_sequence"]))
    if feats["n_sequence"] >= max(dc.min_anchors, chance) and recent:
        return True, "rewrite_sequence"
    if old:
        return False, f"not_derived: published {int(lag or 0)} days apart"
    if not feats["n_matched"]:
        why = [w for w, n in (("quotations", feats["n_quote_only"]),
                              ("sentences with conflicting specifics", feats["n_conflicting"]))
               if n]
        if why:
            return False, f"not_derived: only {' and '.join(why)} shared"
        return False, "not_derived: no supporting passage"
    return False, f"not_derived: score {round(score, 4)} below threshold {round(threshold, 4)}"


def pair_features(
    table: SentenceTable,
    da: str,
    db: str,
    matches: Sequence[SentencePair],
    vocab: Vocabulary,
    align: AlignConfig,
    overlap: tuple[DocOverlap, int] | None = None,
) -> dict[str, float]:
    """Document-pair evidence; '_a' values describe document ``da``.

    ``overlap`` gives the pair's precomputed ``DocOverlap`` row; without it, it is
    computed for this pair alone.
    """
    if overlap is None:
        idx = np.array([[table.doc_ids.index(da), table.doc_ids.index(db)]], dtype=np.int64)
        overlap = (doc_overlaps(table, vocab, idx), 0)
    doc, k = overlap
    _, row_mass = table.weights(vocab.idf_table())
    ma = {p.i for p in matches}
    mb = {p.j for p in matches}

    def _cov(d: str, matched: set[int]) -> float:
        rows = table.doc_rows[d]
        tot = float(row_mass[rows.start:rows.stop].sum()) or 1.0
        return float(row_mass[sorted(matched)].sum()) / tot if matched else 0.0

    anchors = [p for p in matches if p.is_anchor(align)]
    cols = table.columns()
    f = doc.features(k)
    return {
        "containment_a": f["containment_a"],
        "containment_b": f["containment_b"],
        "phrasing_a": f["phrasing_a"],
        "phrasing_b": f["phrasing_b"],
        "coverage_a": _cov(da, ma),
        "coverage_b": _cov(db, mb),
        "ordered": order_share(list(zip(cols.positions([p.i for p in matches]),
                                        cols.positions([p.j for p in matches]), strict=True))),
        "n_matched": float(min(len(ma), len(mb))),
        "n_anchors": float(min(len({p.i for p in anchors}), len({p.j for p in anchors}))),
        # Rare shared words: names and numbers that few documents carry.
        "rare_shared": f["rare_shared"],
    }


def strong_lag_days(doc_a: Document, doc_b: Document) -> int | None:
    """Days between two metadata dates, or None when either is not strong."""
    from datetime import date

    if doc_a.date_strength != "metadata" or doc_b.date_strength != "metadata":
        return None
    try:
        da = date.fromisoformat((doc_a.published_at or "")[:10])
        db = date.fromisoformat((doc_b.published_at or "")[:10])
    except ValueError:
        return None
    return abs((da - db).days)


def derivative_sides(doc_a: Document, doc_b: Document) -> tuple[str, ...]:
    """Which side may be the derivative: a text cannot copy one published after it.

    Only strong (metadata) dates that differ decide; otherwise both sides may be.
    """
    if (
        doc_a.date_strength == "metadata"
        and doc_b.date_strength == "metadata"
        and doc_a.published_at
        and doc_b.published_at
        and doc_a.published_at[:10] != doc_b.published_at[:10]
    ):
        return ("b",) if doc_a.published_at < doc_b.published_at else ("a",)
    return ("a", "b")


def side_scores(f: Mapping[str, float], sides: Sequence[str] = ("a", "b")) -> dict[str, float]:
    """Score in [0, 1] of each side that may be the derivative (see module docstring).

    A blend of how much of its content (IDF-weighted content words) the other text
    contains (0.5), how much of its phrasing (content-word bigrams, 0.2) and how much
    of it verified passages cover (0.3).
    """
    return {
        s: float(
            min(
                1.0,
                0.5 * f[f"containment_{s}"] + 0.2 * f[f"phrasing_{s}"] + 0.3 * f[f"coverage_{s}"],
            )
        )
        for s in sides
    }


def pair_score(f: Mapping[str, float], sides: Sequence[str] = ("a", "b")) -> float:
    """The pair's score: its best side's."""
    return max(side_scores(f, sides).values())


PARALLEL_MIN_PAIRS = 4_000
"""Below this many document pairs, forking decision workers costs more than it saves."""


def decide_pairs(
    table: SentenceTable,
    verified: Mapping[tuple[int, int], Sequence[SentencePair]],
    vocab: Vocabulary,
    documents: Mapping[str, Document],
    config: Config,
    *,
    passages_of: Literal["all", "derived"] = "all",
    progress: Progress | None = None,
    workers: int | None = 1,
) -> list[PairDecision]:
    """One ``PairDecision`` per candidate document pair, sorted by ids.

    ``workers``: processes deciding ranges of pairs (``None``: ``parallel.usable_workers``);
    each pair's decision reads only its two documents, so the result is the same
    list whatever the number.

    ``passages_of="derived"`` keeps the aligned passages (``matches``) of derived
    pairs only: a scan of a large corpus decides hundreds of thousands of pairs
    that are not derived, and their passages are evidence of nothing.
    ``n_passages`` is counted either way.

    A pair is derived when its score reaches ``decision.threshold`` with at least
    ``decision.min_matches`` verified passages (relative evidence: much of one text
    is explained by the other), or when it shares at least ``decision.min_anchors``
    strong sentence matches (absolute evidence: a whole shared story inside pages
    that carry much else). Two stories of the *same* outlet need
    ``decision.same_outlet_margin`` more: an outlet's house style and recurring
    formulas make its own stories alike without one being built from the other.
    ``features["score_a"]`` / ``["score_b"]`` give the score of each side that may
    be the derivative (a side ruled out by strong dates has none).
    """
    out = []
    dc = config.decision
    texts = {d: documents[d].text for d in table.doc_ids}
    idf = vocab.idf_table()
    keys = sorted(verified)  # matches are read pair by pair: as arrays until then
    doc = doc_overlaps(table, vocab, np.array(keys, dtype=np.int64).reshape(-1, 2))
    cols = table.columns()  # before workers fork: they read columns, not Segments
    evidence = MatchEvidence(table, texts)
    tick = Ticker(progress, "decide", len(keys))

    def decide_range(lo: int, hi: int) -> list[PairDecision]:
        out: list[PairDecision] = []
        for k in range(lo, hi):
            got = decide_one(k)
            if got is not None:
                out.append(got)
        return out

    def decide_one(k: int) -> PairDecision | None:
        di, dj = keys[k]
        lsh_matches = verified[keys[k]]
        da, db = table.doc_ids[di], table.doc_ids[dj]
        sides = derivative_sides(documents[da], documents[db])
        threshold = dc.threshold
        outlet_a, outlet_b = documents[da].outlet, documents[db].outlet
        same_outlet = bool(outlet_a and outlet_b and outlet_a.casefold() == outlet_b.casefold())
        same_site = bool(documents[da].site and documents[da].site == documents[db].site)
        same_outlet = same_outlet or same_site  # one site is one outlet, whatever its pages say
        if same_outlet:
            threshold += dc.same_outlet_margin
        has_anchor = any(p.is_anchor(config.align) for p in lsh_matches)
        if not has_anchor and doc.optimistic(k, sides) < dc.prefilter * threshold:
            return None  # far from derived: not worth aligning
        n_cells = len(table.doc_rows[da]) * len(table.doc_rows[db])
        matches = (
            align_exhaustive(table, da, db, idf, config, select=True)
            if n_cells <= config.align.max_exhaustive_pairs
            else align_local(table, da, db, lsh_matches, idf, config)
        )
        support, n_quote, n_conflict = evidence.split(matches, da, db, config.align)
        feats = pair_features(table, da, db, support, vocab, config.align, (doc, k))
        feats["n_quote_only"] = float(n_quote)
        feats["n_conflicting"] = float(n_conflict)
        feats["verbatim_chars"], feats["n_sequence"], feats["n_anchor_pairs"] = map(
            float, passage_evidence(support, cols, config.align)
        )
        by_side = side_scores(feats, sides)
        score = max(by_side.values())
        lag = strong_lag_days(documents[da], documents[db])
        if lag is not None:
            feats["lag_days"] = float(lag)
        derived, decided_by = decide(feats, by_side, threshold, dc)
        for side, value in by_side.items():
            feats[f"score_{side}"] = value
        feats["same_outlet"] = float(same_outlet)
        feats["same_site"] = float(same_site)
        if decided_by == "verbatim_passage":
            matches = lifted_passages(matches, cols, config.align)
        if derived or passages_of == "all":
            passages = merge_passages(matches, cols, texts, config.align)
            n_passages = len(passages)
        else:
            passages, n_passages = [], len(passage_groups(matches, cols, config.align))
        return PairDecision(
            a=da,
            b=db,
            score=round(score, 4),
            derived=derived,
            coverage_a=round(feats["coverage_a"], 4),
            coverage_b=round(feats["coverage_b"], 4),
            n_passages=n_passages,
            ordered=round(feats["ordered"], 4),
            rare_shared=int(feats["rare_shared"]),
            matches=tuple(passages),
            features={name: round(v, 4) for name, v in feats.items()},
            decided_by=decided_by,
        )

    if workers is None:
        workers = usable_workers(len(keys), PARALLEL_MIN_PAIRS)
    for n_done, got in map_ranges(decide_range, len(keys), workers):
        out.extend(got)
        tick(n_done)
    tick.finish()
    return out


def detect(
    segments: Mapping[str, Sequence[Segment]],
    documents: Mapping[str, Document],
    config: Config,
    *,
    progress: Progress | None = None,
) -> tuple[list[PairDecision], dict[str, int]]:
    """All document-pair decisions of a corpus (passages kept for derived pairs), and
    per-stage counters."""
    table = SentenceTable.build(segments)
    vocab = corpus_vocabulary(table)
    hasher = TokenHasher()
    minhasher = MinHasher(config.minhash.num_perm, config.minhash.seed)
    grains = Ticker(progress, "candidates", 3)  # sentence, paragraph and document grains
    rew = rewrite_candidates(table, vocab, config, minhasher, hasher)
    grains()
    cop = copy_candidates(table, config, minhasher, hasher)
    grains()
    pairs = unique_pairs([rew, cop], table.owner, len(table.rows))
    n_rew, n_cop = len(rew), len(cop)
    docs = document_candidates(table, vocab, config, minhasher, hasher)
    del rew, cop
    release_memory()
    grains()
    if progress:  # one vectorised pass over the candidate sentence pairs
        progress("verify", 0, len(pairs))
    verified = verify_candidates(table, pairs, vocab, config, also=docs)
    stage_done(progress, "verify", len(pairs))
    del pairs
    release_memory()
    n_pairs = len(verified)
    verified = strongest_partners(verified, config.candidates.max_partners)
    decisions = decide_pairs(table, verified, vocab, documents, config, passages_of="derived",
                             progress=progress, workers=None)
    stats = {
        "sentences": len(table.rows),
        "candidates_rewrite": n_rew,
        "candidates_copy": n_cop,
        "candidates_document": int(len(docs)),
        "sentence_matches": verified.n_matches(),
        "pairs_bounded": n_pairs - len(verified),
        "pairs_checked": len(decisions),
        "pairs_with_passages": sum(1 for d in decisions if d.n_passages),
    }
    return decisions, stats
