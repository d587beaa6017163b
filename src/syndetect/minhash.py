"""Vectorised shingling and MinHash signatures for a whole batch of segments.

No Python loop runs per shingle or per permutation: tokens are hashed once per
distinct token, n-gram hashes are combined with numpy over the flat token array,
the permutation family is applied over ``[num_perm x n_shingles]`` blocks and
per-segment minima come from ``np.minimum.reduceat`` along the contiguous axis.

The permutation scheme is datasketch's ``"affine32"`` (since datasketch 2.0):
a 32-bit input hash pre-mixed by the MurmurHash3 finalizer, then
``a * h + b mod 2**32`` with odd ``a``, parameters drawn exactly as datasketch
draws them from ``seed``. A syndetect signature is therefore bit-for-bit the
``hashvalues`` of a datasketch ``MinHash(num_perm, seed, scheme="affine32")``
updated with the same 32-bit shingle hashes, and ``to_lean_minhash`` hands it
to ``MinHashLSH`` or any datasketch index.

>>> mh = MinHasher(num_perm=64, seed=1)
>>> sets = Shingles.from_token_lists([["a", "b", "c", "d"], ["a", "b", "c", "e"]], n=1)
>>> sig = mh.signatures(sets)
>>> sig.shape, sig.dtype
((2, 64), dtype('uint32'))
>>> 0.4 < float((sig[0] == sig[1]).mean()) < 0.9
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SCHEME = "affine32"
EMPTY = np.uint32(0xFFFFFFFF)
_BLOCK = 1 << 14  # shingles per block: num_perm * _BLOCK * 4 bytes of scratch

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)


def token_hash(token: str) -> int:
    """A stable 64-bit hash of one token (blake2b; independent of PYTHONHASHSEED)."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class TokenHasher:
    """Caches token hashes so each distinct token is hashed once per process.

    >>> h = TokenHasher()
    >>> bool((h.hash_tokens(["x", "y", "x"])[[0, 2]] == h.hash_tokens(["x"])[0]).all())
    True
    """

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def hash_tokens(self, tokens: Sequence[str]) -> np.ndarray:
        """uint64 hashes of ``tokens`` in order."""
        cache = self._cache
        for tok in set(tokens).difference(cache):
            cache[tok] = token_hash(tok)
        return np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer over a uint64 array (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True)
class Shingles:
    """Shingle hash sets of many segments in CSR form.

    ``hashes[offsets[i]:offsets[i+1]]`` are the distinct 32-bit shingle hashes of set i.
    """

    hashes: np.ndarray  # uint32, concatenated, unique within each set
    offsets: np.ndarray  # int64, len n_sets + 1

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def sizes(self) -> np.ndarray:
        """Number of distinct shingles in each set."""
        return np.diff(self.offsets)

    def get(self, i: int) -> np.ndarray:
        """The shingle hashes of set ``i``."""
        return self.hashes[self.offsets[i] : self.offsets[i + 1]]

    @classmethod
    def from_token_hashes(
        cls, token_hashes: np.ndarray, token_offsets: np.ndarray, n: int
    ) -> Shingles:
        """Word n-gram shingles of every set, from the flat uint64 token hashes.

        Sets with fewer than ``n`` tokens contribute their whole token run as one
        shingle, so that short segments are not empty.
        """
        token_hashes = np.asarray(token_hashes, dtype=np.uint64)
        token_offsets = np.asarray(token_offsets, dtype=np.int64)
        n_sets = len(token_offsets) - 1
        total = len(token_hashes)
        lengths = np.diff(token_offsets)
        # Combined hash of the n-gram starting at each position (positions past a
        # set's end are masked out below).
        combo = np.zeros(total, dtype=np.uint64)
        for k in range(n):
            shifted = np.zeros(total, dtype=np.uint64)
            if k < total:
                shifted[: total - k] = token_hashes[k:]
            salt = np.uint64(((k + 1) * int(_M2)) & 0xFFFFFFFFFFFFFFFF)
            combo = combo * _M1 + (shifted ^ salt)
        owner = np.repeat(np.arange(n_sets), lengths)
        pos_in_set = np.arange(total) - np.repeat(token_offsets[:-1], lengths)
        valid = pos_in_set + n <= np.repeat(lengths, lengths)
        # Short sets: one shingle of all their tokens at their first position.
        short = (lengths > 0) & (lengths < n)
        if short.any():
            short_sets = np.flatnonzero(short)
            for s in short_sets:  # rare: only segments shorter than n tokens
                a, b = token_offsets[s], token_offsets[s + 1]
                h = np.uint64(0)
                for t in token_hashes[a:b]:
                    h = np.uint64((int(h) * int(_M1) + int(t)) & 0xFFFFFFFFFFFFFFFF)
                combo[a] = h
                valid[a] = True
        sh = _mix64(combo[valid]) >> np.uint64(32)
        own = owner[valid].astype(np.uint64)
        # Distinct shingles per set: one sort of (owner << 32 | hash) drops repeats.
        key = np.sort((own << np.uint64(32)) | sh)
        if len(key):
            key = key[np.concatenate(([True], key[1:] != key[:-1]))]
        own = (key >> np.uint64(32)).astype(np.int64)
        sh = (key & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        counts = np.bincount(own, minlength=n_sets)
        offsets = np.zeros(n_sets + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(hashes=sh, offsets=offsets)

    @classmethod
    def from_token_lists(
        cls, token_lists: Iterable[Sequence[str]], n: int, hasher: TokenHasher | None = None
    ) -> Shingles:
        """Word n-gram shingles of each token list."""
        hasher = hasher or TokenHasher()
        lists = list(token_lists)
        flat = [t for toks in lists for t in toks]
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in lists], out=offsets[1:])
        return cls.from_token_hashes(hasher.hash_tokens(flat), offsets, n)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finalizer (datasketch's pre-mix for "affine32")."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


class MinHasher:
    """A permutation family of ``num_perm`` functions drawn from ``seed``.

    Parameters are drawn exactly as datasketch 2.x draws them for the
    ``"affine32"`` scheme, so signatures interoperate with datasketch.
    """

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be a positive integer, got {num_perm!r}")
        self.num_perm = num_perm
        self.seed = seed
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        self.a = a.reshape(-1, 1)
        self.b = b.reshape(-1, 1)

    def signatures(self, shingles: Shingles) -> np.ndarray:
        """``[n_sets x num_perm]`` uint32 signatures; an empty set's row is all ``EMPTY``."""
        n_sets = len(shingles)
        sig = np.full((self.num_perm, n_sets), EMPTY, dtype=np.uint32)
        sizes = shingles.sizes()
        nonempty = np.flatnonzero(sizes > 0)
        if len(nonempty) == 0:
            return sig.T.copy()
        mixed = _fmix32(shingles.hashes)
        offsets = shingles.offsets
        scratch = np.empty((self.num_perm, _BLOCK), dtype=np.uint32)
        # Process whole sets in blocks of about _BLOCK shingles.
        i = 0
        while i < len(nonempty):
            start_set = nonempty[i]
            j = int(np.searchsorted(offsets[nonempty], offsets[start_set] + _BLOCK, side="left"))
            j = max(j, i + 1)
            block_sets = nonempty[i:j]
            lo, hi = offsets[block_sets[0]], offsets[block_sets[-1] + 1]
            width = int(hi - lo)
            if scratch.shape[1] < width:
                scratch = np.empty((self.num_perm, width), dtype=np.uint32)
            block = scratch[:, :width]
            # [num_perm x n], wrapping mod 2^32, into a reused buffer.
            np.multiply(self.a, mixed[lo:hi].reshape(1, -1), out=block)
            np.add(block, self.b, out=block)
            starts = offsets[block_sets] - lo
            sig[:, block_sets] = np.minimum.reduceat(block, starts, axis=1)
            i = j
        return np.ascontiguousarray(sig.T)

    def datasketch_minhash(self, hashes: Iterable[int]) -> object:
        """A datasketch ``MinHash`` updated one value at a time (the reference path)."""
        from datasketch import MinHash

        mh = MinHash(num_perm=self.num_perm, seed=self.seed, scheme=SCHEME, hashfunc=int)
        for h in hashes:
            mh.update(int(h))
        return mh


def to_lean_minhash(signature: np.ndarray, seed: int) -> object:
    """Wrap one signature row as a datasketch ``LeanMinHash`` (for ``MinHashLSH``)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=np.asarray(signature, dtype=np.uint32), scheme=SCHEME)


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Share of equal slots: the MinHash estimate of Jaccard similarity."""
    return float(np.mean(sig_a == sig_b))
