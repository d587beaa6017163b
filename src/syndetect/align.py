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

from rapidfuzz import fuzz

from .config import AlignConfig
from .types import Match, MatchKind, Segment, Span


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


def select_matches(
    pairs: Sequence[SentencePair], rows: Sequence[Segment], config: AlignConfig
) -> list[SentencePair]:
    """Keep the matches of one document pair that the pair's own evidence supports.

    *Anchors* (similarity >= ``anchor_similarity`` and at least ``anchor_min_shared``
    shared content words) are kept. A weaker match is kept
    only when an anchor lies within ``support_window`` sentences of it on both
    sides: rewritten text moves in blocks, so a true weak match has strong
    neighbours, while a chance overlap of topic words stands alone. Each sentence
    then keeps at most its ``max_links`` best partners.
    """
    anchors = [p for p in pairs if p.is_anchor(config)]
    w = config.support_window
    kept = list(anchors)
    if anchors:
        for p in pairs:
            if p.is_anchor(config):
                continue
            ii, jj = rows[p.i].index, rows[p.j].index
            if any(
                abs(rows[a.i].index - ii) <= w and abs(rows[a.j].index - jj) <= w for a in anchors
            ):
                kept.append(p)
    kept.sort(key=lambda p: (-p.similarity, p.i, p.j))
    n_i: dict[int, int] = {}
    n_j: dict[int, int] = {}
    out = []
    for p in kept:
        if n_i.get(p.i, 0) >= config.max_links or n_j.get(p.j, 0) >= config.max_links:
            continue
        n_i[p.i] = n_i.get(p.i, 0) + 1
        n_j[p.j] = n_j.get(p.j, 0) + 1
        out.append(p)
    out.sort(key=lambda p: (p.i, p.j))
    return out


def _lis_length(values: Sequence[int]) -> int:
    """Length of the longest non-decreasing subsequence (patience sorting).

    Non-decreasing, so that two sentences merged into one by a rewrite count as
    in order.
    """
    import bisect

    tails: list[int] = []
    for v in values:
        k = bisect.bisect_right(tails, v)
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
    rows: Sequence[Segment],
    texts: Mapping[str, str],
    config: AlignConfig,
) -> list[Match]:
    """Merge sentence matches of one document pair into maximal aligned passages.

    ``rows`` maps global row numbers to segments; ``pairs`` have ``rows[i].doc_id``
    < ``rows[j].doc_id``. Consecutive matches whose sentences are adjacent (within
    ``merge_gap_sentences``) on both sides and in the same order become one
    passage; each passage's spans run from its first sentence to its last.
    """
    if not pairs:
        return []
    ordered = sorted(pairs, key=lambda p: (rows[p.i].index, rows[p.j].index))
    groups: list[list[SentencePair]] = [[ordered[0]]]
    gap = config.merge_gap_sentences + 1
    for p in ordered[1:]:
        last = groups[-1][-1]
        di = rows[p.i].index - rows[last.i].index
        dj = rows[p.j].index - rows[last.j].index
        if 0 <= di <= gap and 0 <= dj <= gap and (di + dj) > 0 and _same_paragraph_run(
            rows[last.i], rows[p.i], di
        ):
            groups[-1].append(p)
        else:
            groups.append([p])
    out = []
    for g in groups:
        ia = [rows[p.i] for p in g]
        jb = [rows[p.j] for p in g]
        a_doc, b_doc = ia[0].doc_id, jb[0].doc_id
        a_start, a_end = min(s.start for s in ia), max(s.end for s in ia)
        b_start, b_end = min(s.start for s in jb), max(s.end for s in jb)
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


def _same_paragraph_run(prev: Segment, cur: Segment, gap: int) -> bool:
    """Sentences merge across at most one paragraph break."""
    return cur.paragraph - prev.paragraph <= 1 or gap <= 1
