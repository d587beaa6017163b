"""LSH banding: candidate pairs of segments from their MinHash signatures.

Band keys are computed with numpy for a whole batch (one uint64 key per band and
segment); candidates are rows that share a key in at least one band, found by
sorting each band's keys. This gives the same pairs as datasketch's
``MinHashLSH`` with the same ``(b, r)`` (a test checks it) and is what ``scan``
uses; the streaming index keeps the same keys in its storage backend.

No bucket is dropped: a key shared by more than ``max_bucket`` segments is split
by a second key, and what is still oversized is windowed (``bucket_pairs``), so
the cost stays linear in the number of segments and a story carried by hundreds of
outlets stays connected.

>>> import numpy as np
>>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
>>> candidate_pairs(band_keys(sig, b=2, r=2), owners=np.array([0, 1, 2])).tolist()
[[0, 1]]
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

_P = np.uint64(0x100000001B3)


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives plus false negatives at ``threshold``.

    The same optimisation datasketch's ``MinHashLSH`` runs.
    """
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


def band_keys(signatures: np.ndarray, b: int, r: int) -> np.ndarray:
    """``[n x b]`` uint64 keys, one per band of ``r`` signature rows."""
    n, num_perm = signatures.shape
    if b * r > num_perm:
        raise ValueError(f"b*r = {b * r} exceeds num_perm = {num_perm}")
    sig = signatures[:, : b * r].astype(np.uint64).reshape(n, b, r)
    keys = np.full((n, b), np.uint64(0xCBF29CE484222325), dtype=np.uint64)
    for k in range(r):
        keys = (keys ^ sig[:, :, k]) * _P
    # Keep the band index in the key so equal values in different bands never collide.
    keys ^= np.arange(b, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return keys


def candidate_pairs(
    keys: np.ndarray,
    owners: np.ndarray,
    *,
    max_bucket: int = 50,
    window: int = 5,
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """Sorted unique ``[m x 2]`` row pairs (i < j) that share a band key.

    Rows with the same owner (document) are never paired; rows where ``valid`` is
    False (empty or boilerplate segments) are never paired. A bucket larger than
    ``max_bucket`` is split by the next band's key, then windowed (``bucket_pairs``).
    """
    n, b = keys.shape
    rows = np.arange(n) if valid is None else np.flatnonzero(valid)
    # Band by band, each band's pairs reduced to distinct codes at once: with every
    # band's raw pairs held together, a 100k-article corpus holds gigabytes of repeats.
    codes = (
        pair_codes(bucket_pairs(keys[rows, band], rows, keys[rows, (band + 1) % b],
                                max_bucket=max_bucket, window=window, order=owners[rows]),
                   owners, n)
        for band in range(b)
    )
    return decode_pairs(merge_unique(codes), n)


def bucket_pairs(
    key: np.ndarray,
    row: np.ndarray,
    secondary: np.ndarray,
    *,
    max_bucket: int,
    window: int,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """Row pairs that share ``key``, with cost linear in the number of rows.

    A bucket of at most ``max_bucket`` rows gives all its pairs. A larger one is
    split by ``secondary`` (a second, independent key of the same row): rows that
    agree on both keys are near-identical, and a key shared by many unrelated rows
    (a formula, a topic word) rarely agrees on a second one. A sub-bucket still
    over ``max_bucket`` (a story reprinted by hundreds of outlets) pairs each row
    with the ``window`` rows after it in (``order``, row) order, ``order`` being the
    row's document: every member stays connected to the story, and since the same
    documents are neighbours in every band and sentence, a document meets a bounded
    number of the story's other documents, not all of them.
    Pairs are unordered and may repeat; ``unique_pairs`` makes them canonical.
    """
    out: list[np.ndarray] = []
    if len(key) < 2:
        return np.empty((0, 2), dtype=np.int64)
    by_key = np.lexsort((row, key))
    k1, r1, s1 = key[by_key], row[by_key], secondary[by_key]
    size = _run_sizes(k1)
    small = size <= max_bucket
    out.append(_run_pairs(k1[small], r1[small], None))
    if not small.all():
        big = ~small
        k2 = (k1[big] * _P) ^ s1[big]
        r2 = r1[big]
        o2 = r2 if order is None else _order_of(row, order, r2)
        idx = np.lexsort((r2, o2, k2))
        k2, r2 = k2[idx], r2[idx]
        size = _run_sizes(k2)
        small = size <= max_bucket
        out.append(_run_pairs(k2[small], r2[small], None))
        out.append(_run_pairs(k2[~small], r2[~small], window))
    return np.concatenate(out)


def _order_of(row: np.ndarray, order: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``order`` of each row in ``wanted`` (``row`` and ``order`` are parallel)."""
    srt = np.argsort(row, kind="stable")
    return order[srt[np.searchsorted(row[srt], wanted)]]


def _run_sizes(sorted_keys: np.ndarray) -> np.ndarray:
    """For each element of a sorted array, the size of its run of equal values."""
    n = len(sorted_keys)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    change = np.ones(n, dtype=bool)
    change[1:] = sorted_keys[1:] != sorted_keys[:-1]
    run_id = np.cumsum(change) - 1
    return np.bincount(run_id)[run_id]


def _run_pairs(sorted_keys: np.ndarray, rows: np.ndarray, limit: int | None) -> np.ndarray:
    """Pairs of rows in one run of equal keys, at most ``limit`` apart (all when None)."""
    n = len(sorted_keys)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    change = np.ones(n, dtype=bool)
    change[1:] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n)
    run_id = np.cumsum(change) - 1
    after = ends[run_id] - np.arange(n) - 1  # members after this one in its run
    if limit is not None:
        after = np.minimum(after, limit)
    idx = np.flatnonzero(after > 0)
    out = []
    k = 1
    while len(idx):
        out.append(np.stack([rows[idx], rows[idx + k]], axis=1))
        idx = idx[after[idx] > k]
        k += 1
    return np.concatenate(out) if out else np.empty((0, 2), dtype=np.int64)


def unique_pairs(found: list[np.ndarray], owners: np.ndarray, n: int) -> np.ndarray:
    """Sorted unique ``(i < j)`` pairs of ``found`` whose rows have different owners."""
    return decode_pairs(merge_unique(pair_codes(f, owners, n) for f in found), n)


def pair_codes(pairs: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """``i * n + j`` (``i < j``) of each pair of rows with different owners (int64)."""
    if not len(pairs):
        return np.empty(0, dtype=np.int64)
    a = pairs[:, 0].astype(np.int64)
    b = pairs[:, 1].astype(np.int64)
    keep = owners[a] != owners[b]
    a, b = a[keep], b[keep]
    return np.minimum(a, b) * np.int64(n) + np.maximum(a, b)


def merge_unique(chunks: Iterable[np.ndarray], pending_limit: int = 1 << 22) -> np.ndarray:
    """The sorted distinct values of all ``chunks`` (int64), holding at most about
    ``pending_limit`` (or the result's size) values not yet merged."""
    acc = np.empty(0, dtype=np.int64)
    pending: list[np.ndarray] = []
    size = 0
    for chunk in chunks:
        if len(chunk):
            pending.append(_sorted_unique(chunk))
            size += len(pending[-1])
        if size > max(len(acc), pending_limit):
            acc, pending, size = _sorted_unique(np.concatenate([acc, *pending])), [], 0
    if pending:
        acc = _sorted_unique(np.concatenate([acc, *pending]))
    return acc


def decode_pairs(codes: np.ndarray, n: int) -> np.ndarray:
    """``[m x 2]`` pairs of ``pair_codes``."""
    if not len(codes):
        return np.empty((0, 2), dtype=np.int64)
    return np.stack([codes // n, codes % n], axis=1)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def datasketch_candidate_pairs(
    signatures: np.ndarray, owners: np.ndarray, b: int, r: int, seed: int
) -> np.ndarray:
    """Reference path through datasketch's ``MinHashLSH`` (same ``b``, ``r``)."""
    from datasketch import MinHashLSH

    from .minhash import to_lean_minhash

    n, num_perm = signatures.shape
    lsh = MinHashLSH(num_perm=num_perm, params=(b, r))
    lean = [to_lean_minhash(signatures[i], seed) for i in range(n)]
    for i, m in enumerate(lean):
        lsh.insert(i, m)
    out = set()
    for i, m in enumerate(lean):
        for j in lsh.query(m):
            if j != i and owners[i] != owners[j]:
                out.add((min(i, j), max(i, j)))
    return np.array(sorted(out), dtype=np.int64).reshape(-1, 2)
