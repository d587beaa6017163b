"""Verified sentence matches of a corpus's candidate pairs, grouped by document pair.

``verify_candidates`` runs the vectorised verification (``align.verify_arrays``)
over candidate sentence pairs block by block and keeps what verifies as parallel
arrays sorted by document pair: ``VerifiedMatches``, a read-only mapping from a
document pair ``(a, b)`` (table owner indices, ``a < b``) to its ``SentencePair``
list, made when read. ``strongest_partners`` then keeps each document's strongest
pairs for decisions.

Before that bound, a corpus of 100k articles has millions of verified matches: as
``SentencePair`` objects in lists they take gigabytes; as arrays, some 60 bytes each.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import overload

import numpy as np

from .align import SentencePair, Verified, row_overlaps, verify_arrays
from .candidates import merge_unique
from .config import Config
from .table import SentenceTable
from .terms import Vocabulary

VERIFY_BLOCK = 1 << 20
"""Candidate sentence pairs verified at once: the arrays of one block (overlaps,
texts, similarities) take some hundreds of megabytes, whatever the corpus size."""


class VerifiedMatches(Mapping[tuple[int, int], list[SentencePair]]):
    """Verified sentence matches by document pair, held as arrays (see the module).

    Within a pair, matches keep the order of the candidate pairs they came from.
    Document pairs decided with no verified match (``also`` in
    ``verify_candidates``, ``setdefault``) are keys with an empty list.
    """

    def __init__(self, n_docs: int, codes: np.ndarray, matches: Verified,
                 empty: np.ndarray) -> None:
        self._n = max(1, n_docs)
        order = np.argsort(codes, kind="stable")
        self._codes = codes[order]
        self._matches = matches.take(order)
        self._keys = merge_unique([self._codes, empty])
        self._start = np.searchsorted(self._codes, self._keys, side="left")
        self._stop = np.searchsorted(self._codes, self._keys, side="right")
        self._added: dict[tuple[int, int], list[SentencePair]] = {}

    def _slot(self, key: tuple[int, int]) -> int | None:
        a, b = key
        if not (0 <= a < self._n and 0 <= b < self._n):
            return None
        code = a * self._n + b
        k = int(np.searchsorted(self._keys, code))
        return k if k < len(self._keys) and int(self._keys[k]) == code else None

    def __getitem__(self, key: tuple[int, int]) -> list[SentencePair]:
        k = self._slot(key)
        if k is None:
            return self._added[key]
        return self._matches.take(slice(int(self._start[k]), int(self._stop[k]))).pairs()

    def __iter__(self) -> Iterator[tuple[int, int]]:
        n = self._n
        for code in self._keys.tolist():
            yield divmod(code, n)
        yield from self._added

    def __len__(self) -> int:
        return len(self._keys) + len(self._added)

    def __contains__(self, key: object) -> bool:
        if not (isinstance(key, tuple) and len(key) == 2):
            return False
        return key in self._added or self._slot(key) is not None  # type: ignore[arg-type]

    def setdefault(self, key: tuple[int, int], default: list[SentencePair]) -> list[SentencePair]:
        """A document pair decided even without a verified match: ``dict.setdefault``
        for an empty ``default`` (the pair's matches, if it has any, are unchanged)."""
        if key in self:
            return self[key]
        self._added[key] = default
        return default

    def strengths(self) -> tuple[list[tuple[int, int]], list[float], list[int]]:
        """Every key, and its ``partner_strength`` and number of matches, in key order;
        the same sums as over the pairs' lists, without making them."""
        sims = self._matches.similarity.tolist()
        keys = list(self)
        n_arr = len(self._keys)
        start, stop = self._start.tolist(), self._stop.tolist()
        strength = [round(sum(sims[lo:hi]), 6) for lo, hi in zip(start, stop, strict=True)]
        count = [hi - lo for lo, hi in zip(start, stop, strict=True)]
        for key in keys[n_arr:]:
            strength.append(partner_strength(self._added[key]))
            count.append(len(self._added[key]))
        return keys, strength, count

    def n_matches(self) -> int:
        """The number of matches over all keys (``sum(len(v) for v in self.values())``)."""
        return len(self._codes) + sum(len(v) for v in self._added.values())

    def restricted(self, keys: Sequence[tuple[int, int]]) -> VerifiedMatches:
        """The matches of ``keys`` only (each a key of this mapping), still as arrays.

        ``strongest_partners`` keeps a few pairs of each document out of millions of
        matches; as ``SentencePair`` lists those would take gigabytes at 100k articles
        in the scanning process, and a forked decision worker reading them would copy
        every page they sit on.
        """
        n = self._n
        arr = [k for k in keys if k not in self._added]
        codes = np.array([a * n + b for a, b in arr], dtype=np.int64)
        slot = np.searchsorted(self._keys, codes)
        start, stop = self._start[slot], self._stop[slot]
        lens = stop - start
        idx = np.repeat(start - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        out = VerifiedMatches(n, self._codes[idx], self._matches.take(idx), codes)
        out._added = {k: self._added[k] for k in keys if k in self._added}
        return out


def verify_candidates(
    table: SentenceTable,
    pairs: np.ndarray,
    vocab: Vocabulary,
    config: Config,
    *,
    also: np.ndarray | None = None,
) -> VerifiedMatches:
    """Verified sentence matches grouped by document pair (owner indices, a < b).

    Document pairs with ``candidates.min_pair_candidates`` candidate sentence pairs
    or more, and the pairs of ``also`` (``[m x 2]`` owner indices, a < b: the
    document grain's), are keys even with no verified match: their document-level
    overlap may still show derivation.
    """
    n_docs = max(1, len(table.doc_ids))
    owner = table.owner
    empty = [np.empty(0, dtype=np.int64)]
    if also is not None and len(also):
        empty.append(also[:, 0].astype(np.int64) * n_docs + also[:, 1])
    parts: list[tuple[np.ndarray, Verified]] = []
    if len(pairs):
        a, b = owner[pairs[:, 0]], owner[pairs[:, 1]]
        keys, counts = np.unique(np.minimum(a, b) * n_docs + np.maximum(a, b),
                                 return_counts=True)
        del a, b
        empty.append(keys[counts >= config.candidates.min_pair_candidates])
        del keys, counts
        weights, mass = table.weights(vocab.idf_table())
        for lo in range(0, len(pairs), VERIFY_BLOCK):
            i = np.ascontiguousarray(pairs[lo:lo + VERIFY_BLOCK, 0], dtype=np.int64)
            j = np.ascontiguousarray(pairs[lo:lo + VERIFY_BLOCK, 1], dtype=np.int64)
            n, w = row_overlaps(table.row_ptr, table.row_wids, weights, i, j)
            v = verify_arrays(i, j, n, w, mass[i], mass[j], table.columns(), config.align)
            di, dj = owner[v.i], owner[v.j]
            flip = di > dj  # each match oriented as its document pair: row of a first
            v = Verified(np.where(flip, v.j, v.i), np.where(flip, v.i, v.j), v.similarity,
                         v.char_ratio, v.overlap, v.n_shared)
            parts.append((np.minimum(di, dj) * n_docs + np.maximum(di, dj), v))
    codes = np.concatenate([c for c, _ in parts]) if parts else np.empty(0, dtype=np.int64)
    matches = Verified(*(
        np.concatenate([getattr(v, f) for _, v in parts]) if parts else np.empty(0)
        for f in ("i", "j", "similarity", "char_ratio", "overlap", "n_shared")
    ))
    return VerifiedMatches(n_docs, codes, matches, merge_unique(empty))


def partner_strength(matches: Sequence[SentencePair]) -> float:
    """How strongly a document pair's verified matches tie it (``strongest_partners``)."""
    return round(sum(p.similarity for p in matches), 6)


@overload
def strongest_partners(verified: VerifiedMatches, max_partners: int) -> VerifiedMatches: ...


@overload
def strongest_partners(
    verified: Mapping[tuple[int, int], Sequence[SentencePair]], max_partners: int
) -> Mapping[tuple[int, int], Sequence[SentencePair]]: ...


def strongest_partners(
    verified: Mapping[tuple[int, int], Sequence[SentencePair]], max_partners: int
) -> Mapping[tuple[int, int], Sequence[SentencePair]]:
    """The document pairs worth deciding: each document's ``max_partners`` strongest.

    A story carried by s outlets in s distinct versions makes every version a
    candidate of every other, s^2 / 2 pairs, though each version was built from one
    source (rarely two or three). A pair's strength is the summed similarity of its
    verified sentence matches (then their number, then the other document's rank in
    id order, so the choice is deterministic and independent of input order); a
    pair is kept when it is among the strongest ``max_partners`` of either
    document. A version's source shares the most with it and stays; the cost of a
    story grows with its versions, not with their square. Documents with fewer
    partners keep them all, whatever the corpus size. ``VerifiedMatches`` in,
    ``VerifiedMatches`` out (``restricted``); a dict for any other mapping.

    >>> m = SentencePair(0, 1, 0.9, 0.9, 5.0, 5)
    >>> sorted(strongest_partners({(0, 1): [m, m], (0, 2): [m], (0, 3): []}, 1))
    [(0, 1), (0, 2), (0, 3)]
    >>> sorted(strongest_partners({(0, 1): [m, m], (0, 2): [m], (0, 3): [], (2, 3): [m]}, 1))
    [(0, 1), (0, 2), (2, 3)]
    >>> sorted(strongest_partners({(0, 1): [m, m, m], (0, 2): [m, m], (1, 2): [m]}, 1))
    [(0, 1), (0, 2)]
    """
    if isinstance(verified, VerifiedMatches):
        keys, strengths, counts = verified.strengths()
    else:
        keys = list(verified)
        strengths = [partner_strength(verified[k]) for k in keys]
        counts = [len(verified[k]) for k in keys]
    if not keys:
        return verified.restricted([]) if isinstance(verified, VerifiedMatches) else {}
    pairs = np.array(keys, dtype=np.int64).reshape(-1, 2)
    strength = np.array(strengths, dtype=np.float64)
    count = np.array(counts, dtype=np.int64)
    # Each pair once from each side: a document's partners are all the pairs naming it.
    doc = np.concatenate([pairs[:, 0], pairs[:, 1]])
    other = np.concatenate([pairs[:, 1], pairs[:, 0]])
    pair = np.tile(np.arange(len(keys)), 2)
    order = np.lexsort((other, -np.tile(count, 2), -np.tile(strength, 2), doc))
    d = doc[order]
    start = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
    rank = np.arange(len(d)) - np.repeat(start, np.diff(np.r_[start, len(d)]))
    keep = np.zeros(len(keys), dtype=bool)
    keep[pair[order[rank < max_partners]]] = True
    kept = [keys[k] for k in np.flatnonzero(keep).tolist()]
    if isinstance(verified, VerifiedMatches):
        return verified.restricted(kept)
    return {k: verified[k] for k in kept}
