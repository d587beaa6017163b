"""LSH banding: candidate pairs of segments from their MinHash signatures.

Band keys are computed with numpy for a whole batch (one uint64 key per band and
segment); candidates are rows that share a key in at least one band, found by
sorting each band's keys. This gives the same pairs as datasketch's
``MinHashLSH`` with the same ``(b, r)`` (a test checks it) and is what ``scan``
uses; the streaming index keeps the same keys in its storage backend.

Buckets larger than ``max_bucket`` are skipped: a key shared by that many
segments is template text or a formula, not evidence of reuse.

>>> import numpy as np
>>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
>>> candidate_pairs(band_keys(sig, b=2, r=2), owners=np.array([0, 1, 2])).tolist()
[[0, 1]]
"""

from __future__ import annotations

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
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """Sorted unique ``[m x 2]`` row pairs (i < j) that share a band key.

    Rows with the same owner (document) are never paired; rows where ``valid`` is
    False (empty or boilerplate segments) are never paired.
    """
    n, b = keys.shape
    rows = np.arange(n) if valid is None else np.flatnonzero(valid)
    found: list[np.ndarray] = []
    for band in range(b):
        col = keys[rows, band]
        order = np.argsort(col, kind="stable")
        sk = col[order]
        srows = rows[order]
        if len(sk) < 2:
            continue
        change = np.ones(len(sk), dtype=bool)
        change[1:] = sk[1:] != sk[:-1]
        run_id = np.cumsum(change) - 1
        run_size = np.bincount(run_id)
        ok = run_size[run_id] <= max_bucket
        for k in range(1, max_bucket):
            if k >= len(sk):
                break
            same = (run_id[:-k] == run_id[k:]) & ok[:-k]
            if not same.any():
                break
            left, right = srows[:-k][same], srows[k:][same]
            found.append(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs = pairs[owners[pairs[:, 0]] != owners[pairs[:, 1]]]
    if len(pairs) == 0:
        return np.empty((0, 2), dtype=np.int64)
    code = np.sort(pairs[:, 0] * np.int64(n) + pairs[:, 1])
    code = code[np.concatenate(([True], code[1:] != code[:-1]))]
    return np.stack([code // n, code % n], axis=1)


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
