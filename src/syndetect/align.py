"""Verification of candidate sentence pairs and their merging into passages.

Each candidate pair is scored twice: by rapidfuzz's character-level ``ratio`` on
the normalised text (copies and light edits) and by the IDF-weighted overlap of
content words (rewrites keep names, numbers and nouns, not word order). A pair is
verified when it shares at least ``min_shared`` content words and either score
reaches its cut-off. Verified sentence matches between two documents are then
merged into maximal passages: runs of sentences adjacent on both sides.

>>> s = SentencePair(0, 1, similarity=0.99, char_ratio=0.99, overlap=0.9, n_shared=5)
>>> match_kind(s.char_ratio, AlignConfig())
'verbatim'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .columns import RowColumns
from .config import AlignConfig
from .types import Match, MatchKind, Span


@dataclass(frozen=True, slots=True)
class SentencePair:
    """A verified match between two sentences, by their global row numbers."""

    i: int
    j: int
    similarity: float
    char_ratio: float
    overlap: float
    n_shared: int = 0

    def is_anchor(self, config: AlignConfig) -> bool:
        """Strong enough to stand on its own: similar and sharing several content words."""
        return (
            self.similarity >= config.anchor_similarity
            and self.n_shared >= config.anchor_min_shared
        )


def match_kind(char_ratio: float, config: AlignConfig) -> MatchKind:
    """``verbatim``, ``near_verbatim`` or ``rewrite`` from the character similarity."""
    if char_ratio >= config.verbatim_similarity:
        return "verbatim"
    if char_ratio >= config.near_verbatim_similarity:
        return "near_verbatim"
    return "rewrite"


def weighted_overlap(
    a: frozenset[str],
    b: frozenset[str],
    idf: Mapping[str, float],
    mass_a: float | None = None,
    mass_b: float | None = None,
) -> tuple[float, float, int]:
    """(weighted Jaccard, weighted containment of the smaller set, shared count).

    Words missing from ``idf`` weigh 1; ``mass_a``/``mass_b`` are the sets' total
    weights when the caller has them already.
    """
    shared = a & b
    if not shared:
        return 0.0, 0.0, 0
    get = idf.get
    w_shared = sum(get(w, 1.0) for w in shared)
    w_a = mass_a if mass_a is not None else sum(get(w, 1.0) for w in a)
    w_b = mass_b if mass_b is not None else sum(get(w, 1.0) for w in b)
    jacc = w_shared / (w_a + w_b - w_shared)
    contain = w_shared / min(w_a, w_b)
    return jacc, contain, len(shared)


def verify_pair(
    norm_a: str,
    norm_b: str,
    words_a: frozenset[str],
    words_b: frozenset[str],
    idf: Mapping[str, float],
    config: AlignConfig,
    mass_a: float | None = None,
    mass_b: float | None = None,
) -> tuple[float, float, float, int] | None:
    """(similarity, char_ratio, overlap, shared words) of a verified pair, or None.

    ``overlap`` averages weighted Jaccard and weighted containment, so that a
    sentence split in two by a rewrite still matches each half.
    """
    if len(words_a & words_b) < config.min_shared_words:
        return None
    jacc, contain, n_shared = weighted_overlap(words_a, words_b, idf, mass_a, mass_b)
    if n_shared < config.min_shared_words:
        return None
    overlap = (jacc + contain) / 2
    char = fuzz.ratio(norm_a, norm_b) / 100.0
    if char >= config.near_verbatim_similarity or overlap >= config.min_similarity:
        return min(1.0, max(char, overlap)), char, min(1.0, overlap), n_shared
    return None


@dataclass(frozen=True)
class Verified:
    """Verified sentence pairs as parallel arrays (``SentencePair`` fields)."""

    i: np.ndarray
    j: np.ndarray
    similarity: np.ndarray
    char_ratio: np.ndarray
    overlap: np.ndarray
    n_shared: np.ndarray

    def __len__(self) -> int:
        return len(self.i)

    def take(self, idx: np.ndarray) -> Verified:
        """The pairs at ``idx`` (indices or a boolean mask), in that order."""
        return Verified(self.i[idx], self.j[idx], self.similarity[idx], self.char_ratio[idx],
                        self.overlap[idx], self.n_shared[idx])

    def pairs(self) -> list[SentencePair]:
        """The pairs as ``SentencePair`` objects."""
        return [
            SentencePair(a, b, s, c, o, k)
            for a, b, s, c, o, k in zip(
                self.i.tolist(), self.j.tolist(), self.similarity.tolist(),
                self.char_ratio.tolist(), self.overlap.tolist(), self.n_shared.tolist(),
                strict=True,
            )
        ]


def verify_arrays(
    i: np.ndarray,
    j: np.ndarray,
    n_shared: np.ndarray,
    w_shared: np.ndarray,
    mass_i: np.ndarray,
    mass_j: np.ndarray,
    rows: RowColumns,
    config: AlignConfig,
) -> Verified:
    """``verify_pair`` over arrays of sentence pairs whose word overlap is already counted.

    ``n_shared``/``w_shared`` are each pair's shared content words and their total
    IDF, ``mass_i``/``mass_j`` each side's total IDF. The overlap test runs in numpy;
    rapidfuzz's ``ratio`` (``process.cpdist``, element-wise in C++) runs only on
    pairs sharing ``min_shared_words``, with a score cut-off where only the
    near-verbatim test needs it. Pairs keep their order.
    """
    keep = n_shared >= config.min_shared_words
    i, j, n, w = i[keep], j[keep], n_shared[keep], w_shared[keep]
    ma, mb = mass_i[keep], mass_j[keep]
    jacc = w / np.maximum(ma + mb - w, 1e-12)
    contain = w / np.maximum(np.minimum(ma, mb), 1e-12)
    overlap = (jacc + contain) / 2
    strong = overlap >= config.min_similarity
    char = np.zeros(len(i), dtype=np.float64)

    # Weak-overlap pairs only need to know whether they reach the near-verbatim cut-off.
    for mask, cutoff in ((strong, None), (~strong, config.near_verbatim_similarity * 100.0)):
        if mask.any():
            char[mask] = process.cpdist(
                rows.norms(i[mask]), rows.norms(j[mask]), scorer=fuzz.ratio,
                score_cutoff=cutoff, dtype=np.float64,
            ) / 100.0
    ok = strong | (char >= config.near_verbatim_similarity)
    return Verified(
        i[ok], j[ok], np.minimum(1.0, np.maximum(char[ok], overlap[ok])), char[ok],
        np.minimum(1.0, overlap[ok]), n[ok],
    )


def row_overlaps(
    ptr: np.ndarray,
    wids: np.ndarray,
    weights: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    chunk: int = 200_000,
) -> tuple[np.ndarray, np.ndarray]:
    """(shared word count, shared IDF mass) of row pairs ``(i[k], j[k])``.

    Rows are sorted distinct word ids in CSR form (``ptr``, ``wids``). Each pair's
    words are keyed ``pair * V + word``, so one sorted search finds every shared
    word of every pair at once.
    """
    n_pairs = len(i)
    counts = np.zeros(n_pairs, dtype=np.int64)
    mass = np.zeros(n_pairs, dtype=np.float64)
    vsize = np.int64(max(1, len(weights)))
    # Chunks of at most ``chunk`` pairs and ``8 * chunk`` words bound memory.
    cum = np.cumsum((ptr[i + 1] - ptr[i]) + (ptr[j + 1] - ptr[j]))
    spans = []
    lo = 0
    while lo < n_pairs:
        base = int(cum[lo - 1]) if lo else 0
        hi = int(np.searchsorted(cum, base + 8 * chunk, "right"))
        hi = max(lo + 1, min(n_pairs, lo + chunk, hi))
        spans.append((lo, hi))
        lo = hi
    for lo, hi in spans:
        ii, jj = i[lo:hi], j[lo:hi]
        m = len(ii)
        key_a, pos_a = _row_keys(ptr, wids, ii, vsize)
        key_b, _ = _row_keys(ptr, wids, jj, vsize)
        if not len(key_a) or not len(key_b):
            continue
        at = np.searchsorted(key_b, key_a)
        hit = key_b[np.minimum(at, len(key_b) - 1)] == key_a
        shared = key_a[hit]
        pair = shared // vsize
        counts[lo:hi] = np.bincount(pair, minlength=m)
        mass[lo:hi] = np.bincount(pair, weights=weights[wids[pos_a[hit]]], minlength=m)
    return counts, mass


def _row_keys(
    ptr: np.ndarray, wids: np.ndarray, rows: np.ndarray, vsize: np.int64
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys ``pair * V + word`` of the given rows' words, and their CSR positions."""
    lens = ptr[rows + 1] - ptr[rows]
    total = int(lens.sum())
    pair = np.repeat(np.arange(len(rows), dtype=np.int64), lens)
    starts = np.repeat(ptr[rows] - (np.cumsum(lens) - lens), lens)
    pos = starts + np.arange(total, dtype=np.int64)
    return pair * vsize + wids[pos], pos


def block_overlaps(
    ptr: np.ndarray,
    wids: np.ndarray,
    weights: np.ndarray,
    rows_a: range,
    rows_b: range,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of a row in ``rows_a`` with a row in ``rows_b`` sharing a word.

    Returns (i, j, shared count, shared IDF mass), ``i`` then ``j`` ascending.
    Both ranges are contiguous rows, so their words are slices of ``wids``.
    """
    na, nb = len(rows_a), len(rows_b)
    empty = np.empty(0, dtype=np.int64)
    if not na or not nb:
        return empty, empty, empty, np.empty(0)
    sa, ea = int(ptr[rows_a.start]), int(ptr[rows_a.stop])
    sb, eb = int(ptr[rows_b.start]), int(ptr[rows_b.stop])
    wa, wb = wids[sa:ea], wids[sb:eb]
    ra = np.repeat(np.arange(na, dtype=np.int64), np.diff(ptr[rows_a.start:rows_a.stop + 1]))
    rb = np.repeat(np.arange(nb, dtype=np.int64), np.diff(ptr[rows_b.start:rows_b.stop + 1]))
    order = np.argsort(wb, kind="stable")
    wb_sorted = wb[order]
    lo = np.searchsorted(wb_sorted, wa, "left")
    cnt = np.searchsorted(wb_sorted, wa, "right") - lo
    total = int(cnt.sum())
    if not total:
        return empty, empty, empty, np.empty(0)
    ia = np.repeat(np.arange(len(wa), dtype=np.int64), cnt)
    offs = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    jb = order[np.repeat(lo, cnt) + offs]
    cell = ra[ia] * nb + rb[jb]
    n = np.bincount(cell, minlength=na * nb)
    w = np.bincount(cell, weights=weights[wa[ia]], minlength=na * nb)
    nz = np.flatnonzero(n)
    return nz // nb + rows_a.start, nz % nb + rows_b.start, n[nz], w[nz]


def select_matches(
    pairs: Sequence[SentencePair], rows: RowColumns, config: AlignConfig
) -> list[SentencePair]:
    """Keep the matches of one document pair that the pair's own evidence supports.

    *Anchors* (similarity >= ``anchor_similarity`` and at least ``anchor_min_shared``
    shared content words) are kept. A weaker match is kept
    only when an anchor lies within ``support_window`` sentences of it on both
    sides: rewritten text moves in blocks, so a true weak match has strong
    neighbours, while a chance overlap of topic words stands alone. Each sentence
    then keeps at most its ``max_links`` best partners. Returned sorted by ``(i, j)``.
    """
    if not pairs:
        return []
    v = Verified(
        np.array([p.i for p in pairs], dtype=np.int64),
        np.array([p.j for p in pairs], dtype=np.int64),
        np.array([p.similarity for p in pairs], dtype=np.float64),
        np.array([p.char_ratio for p in pairs], dtype=np.float64), np.zeros(len(pairs)),
        np.array([p.n_shared for p in pairs], dtype=np.int64),
    )
    pos_i = rows.position[v.i]
    pos_j = rows.position[v.j]
    return [pairs[k] for k in select_mask(v, pos_i, pos_j, config).tolist()]


def select_mask(
    v: Verified, pos_i: np.ndarray, pos_j: np.ndarray, config: AlignConfig
) -> np.ndarray:
    """Indices into ``v`` of the pairs ``select_matches`` keeps, sorted by ``(i, j)``.

    ``pos_i``/``pos_j`` are the sentences' positions in their documents.
    """
    if not len(v):
        return np.empty(0, dtype=np.int64)
    anchor = (v.similarity >= config.anchor_similarity) & (v.n_shared >= config.anchor_min_shared)
    kept = anchor.copy()
    # Copied text pairs each sentence with its own copy: the longest chain of
    # near-verbatim matches in order on both sides is taken first, and its
    # sentences get no other partner (an identical copy aligns i with i).
    close = np.flatnonzero(v.char_ratio >= config.near_verbatim_similarity)
    chained = np.zeros(len(v), dtype=bool)
    if len(close):
        chain = close[monotone_chain(pos_i[close], pos_j[close], v.char_ratio[close])]
        chained[chain] = True
        taken_i = np.isin(v.i, v.i[chain])
        taken_j = np.isin(v.j, v.j[chain])
        anchor &= ~((taken_i | taken_j) & ~chained)
        kept = anchor | chained
    if anchor.any():
        w = config.support_window
        weak = np.flatnonzero(~anchor)
        ai, aj = pos_i[anchor], pos_j[anchor]
        for lo in range(0, len(weak), 2048):
            idx = weak[lo:lo + 2048]
            near = (np.abs(pos_i[idx, None] - ai[None, :]) <= w) & (
                np.abs(pos_j[idx, None] - aj[None, :]) <= w
            )
            kept[idx] = near.any(axis=1)
    if chained.any():
        kept &= ~(np.isin(v.i, v.i[chained]) | np.isin(v.j, v.j[chained]))
        kept |= chained
    cand = np.flatnonzero(kept)
    # Best first: the near-verbatim chain, then similarity descending, then character
    # similarity; between equals, the pairing nearest the diagonal (a copy keeps its
    # order), then the earlier one. Every key is symmetric in the two documents, so
    # which of them sorts first by id (``i`` is the smaller id's sentence) decides only
    # a complete tie.
    pi, pj = pos_i[cand], pos_j[cand]
    cand = cand[np.lexsort((v.j[cand], v.i[cand], pi + pj, np.abs(pi - pj),
                            -v.char_ratio[cand], -v.similarity[cand], ~chained[cand]))]
    n_i: dict[int, int] = {}
    n_j: dict[int, int] = {}
    out = []
    links = config.max_links
    for k, a, b in zip(cand.tolist(), v.i[cand].tolist(), v.j[cand].tolist(), strict=True):
        if n_i.get(a, 0) >= links or n_j.get(b, 0) >= links:
            continue
        n_i[a] = n_i.get(a, 0) + 1
        n_j[b] = n_j.get(b, 0) + 1
        out.append(k)
    sel = np.array(out, dtype=np.int64)
    return sel[np.lexsort((v.j[sel], v.i[sel]))]


def monotone_chain(pos_i: np.ndarray, pos_j: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices of a longest chain of points strictly increasing in both positions.

    Among points at the same ``(i, j)`` the best ``score`` is used; the result is
    sorted by position.

    >>> monotone_chain(np.array([0, 1, 1, 2]), np.array([0, 0, 1, 2]), np.ones(4)).tolist()
    [0, 2, 3]
    """
    import bisect

    # Sort by i ascending, j descending (so one i never chains with itself), best score first.
    order = np.lexsort((-score, -pos_j, pos_i)).tolist()
    pj = pos_j.tolist()
    tails: list[int] = []  # j value at the end of the best chain of each length
    tail_at: list[int] = []  # index of that chain's last point
    back: dict[int, int] = {}
    for k in order:
        j = pj[k]
        at = bisect.bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tail_at.append(k)
        elif j < tails[at]:
            tails[at] = j
            tail_at[at] = k
        else:
            continue
        back[k] = tail_at[at - 1] if at else -1
    out = []
    k = tail_at[-1] if tail_at else -1
    while k != -1:
        out.append(k)
        k = back[k]
    return np.array(out[::-1], dtype=np.int64)


def _lis_length(values: Sequence[int], *, strict: bool = False) -> int:
    """Length of the longest non-decreasing subsequence (patience sorting);
    increasing with ``strict``.

    Non-decreasing by default, so that two sentences merged into one by a rewrite
    count as in order.
    """
    import bisect

    place = bisect.bisect_left if strict else bisect.bisect_right
    tails: list[int] = []
    for v in values:
        k = place(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails)


def order_share(pairs: Sequence[tuple[int, int]]) -> float:
    """Share of matches in the longest chain that keeps order on both sides (1.0 = same order).

    The chain is the longest sequence of ``(i, j)`` pairs non-decreasing in both
    coordinates, so the measure is symmetric in the two documents and counts
    sentences merged or split by a rewrite as in order.
    """
    if not pairs:
        return 0.0
    seq = [j for _, j in sorted(set(pairs))]
    return _lis_length(seq) / len(set(pairs))


def merge_passages(
    pairs: Sequence[SentencePair],
    rows: RowColumns,
    texts: Mapping[str, str],
    config: AlignConfig,
) -> list[Match]:
    """Merge sentence matches of one document pair into maximal aligned passages.

    ``rows`` holds the global rows; ``pairs`` have ``rows.doc_id(i)``
    < ``rows.doc_id(j)``. Consecutive matches whose sentences are adjacent (within
    ``merge_gap_sentences``) on both sides and in the same order become one
    passage; each passage's spans run from its first sentence to its last.
    """
    out = []
    for g in passage_groups(pairs, rows, config):
        ia = np.array([p.i for p in g], dtype=np.int64)
        jb = np.array([p.j for p in g], dtype=np.int64)
        a_doc, b_doc = rows.doc_id(g[0].i), rows.doc_id(g[0].j)
        a_start, a_end = int(rows.start[ia].min()), int(rows.end[ia].max())
        b_start, b_end = int(rows.start[jb].min()), int(rows.end[jb].max())
        sim = sum(p.similarity for p in g) / len(g)
        char = sum(p.char_ratio for p in g) / len(g)
        out.append(
            Match(
                a=Span(a_doc, a_start, a_end, texts[a_doc][a_start:a_end]),
                b=Span(b_doc, b_start, b_end, texts[b_doc][b_start:b_end]),
                similarity=round(sim, 4),
                kind=match_kind(char, config),
            )
        )
    return out


def passage_groups(
    pairs: Sequence[SentencePair], rows: RowColumns, config: AlignConfig
) -> list[list[SentencePair]]:
    """The sentence matches of each passage ``merge_passages`` makes, in passage order.

    The chaining walks one document's sentence order; which document is walked is
    chosen by content (the matched sentences and their positions), not by which id
    sorts first, so renaming the documents never changes the passages.
    """
    if not pairs:
        return []
    ri, rj = [p.i for p in pairs], [p.j for p in pairs]
    pos_i, pos_j = rows.positions(ri), rows.positions(rj)
    side_i = sorted(zip(rows.norm_keys(ri), pos_i, strict=True))
    side_j = sorted(zip(rows.norm_keys(rj), pos_j, strict=True))
    if not side_j < side_i:
        return [[pairs[k] for k in g] for g in _chain(pos_i, pos_j, rows.paragraph[ri], config)]
    # Walk the other document; each passage, and the passages, then in the order of ``pairs``.
    groups = _chain(pos_j, pos_i, rows.paragraph[rj], config)
    for g in groups:
        g.sort(key=lambda k: (pos_i[k], pos_j[k]))
    groups.sort(key=lambda g: (pos_i[g[0]], pos_j[g[0]]))
    return [[pairs[k] for k in g] for g in groups]


def _chain(
    pos_i: Sequence[int], pos_j: Sequence[int], paragraph_i: np.ndarray, config: AlignConfig
) -> list[list[int]]:
    """Runs of matches (as indices) adjacent and in order on both sides, from each
    match's sentence positions and the paragraph of its first side's sentence.
    Sentences merge across at most one paragraph break, unless they follow each other."""
    order = sorted(range(len(pos_i)), key=lambda k: (pos_i[k], pos_j[k]))
    para = paragraph_i.tolist()
    groups: list[list[int]] = [[order[0]]]
    gap = config.merge_gap_sentences + 1
    for last, k in zip(order, order[1:]):
        di = pos_i[k] - pos_i[last]
        dj = pos_j[k] - pos_j[last]
        if 0 <= di <= gap and 0 <= dj <= gap and di + dj > 0 and (
                para[k] - para[last] <= 1 or di <= 1):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups
