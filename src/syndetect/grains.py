"""Candidate grains: which sentence and document pairs are worth verifying.

* rewrite grain: each sentence's ``candidates.sentence_words`` rarest content words,
  MinHashed, LSH at a low Jaccard threshold;
* copy grain: each sentence's ``candidates.passage_keys`` smallest word n-gram
  hashes (a bottom-k sketch): a cut-and-paste sentence shares them wherever it sits;
* document grain: each document's ``candidates.document_words`` rarest content
  words, MinHashed, for reuse spread thin over many sentences.

Rarity is document frequency, and a set always keeps its k rarest words among
those that another document also carries: no word is ever dropped for being
common, so a story's own names count however many outlets carry it and however
large the corpus. Oversized buckets are split, never dropped (``candidates.py``).
Invariant: every rule is the same at 2 documents and at millions.
"""

from __future__ import annotations

import logging
import mmap
import os
from collections.abc import Callable, Sequence

import numpy as np

from .candidates import band_keys, bucket_pairs, candidate_pairs, lsh_params, unique_pairs
from .config import Config
from .minhash import MinHasher, Shingles, TokenHasher
from .parallel import frozen_heap, usable_workers
from .table import SentenceTable, _ptr
from .terms import Vocabulary

log = logging.getLogger(__name__)

SIGN_BATCH = 65_536
"""Sets signed at once: signatures are turned into band keys batch by batch."""

PARALLEL_MIN_SETS = 4 * SIGN_BATCH
"""Sets from which signing runs in worker processes: below, forking costs more than it saves."""

SENTENCE_MIN_WORDS = 3
"""A sentence needs three shared-able content words to propose a rewrite."""

DOCUMENT_MIN_WORDS = 5
"""A document needs five to propose a pair on its own."""


def rarity_rank(words: Sequence[str], vocab: Vocabulary, hasher: TokenHasher) -> np.ndarray:
    """Rank of each word from rarest (0) to most common: document frequency, then hash.

    The hash makes ties deterministic and independent of word ids.
    """
    df = np.fromiter((vocab.df.get(w, 0) for w in words), dtype=np.int64, count=len(words))
    h = hasher.hash_tokens(words) if len(words) else np.empty(0, np.uint64)
    order = np.lexsort((h, df))
    rank = np.empty(len(words), dtype=np.int64)
    rank[order] = np.arange(len(words))
    return rank


def shareable(words: Sequence[str], vocab: Vocabulary, min_df: int = 2) -> np.ndarray:
    """True for words in at least ``min_df`` documents: a word in one document pairs nothing."""
    return np.fromiter((vocab.df.get(w, 0) >= min_df for w in words), dtype=bool,
                       count=len(words))


def rarest(
    ptr: np.ndarray, wids: np.ndarray, rank: np.ndarray, eligible: np.ndarray, k: int,
    share: float = 1.0, floor: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """CSR sets of each set's rarest eligible word ids: ``k`` of them, and no more than
    ``share`` of the set's eligible words (but at least ``floor``)."""
    n_sets = len(ptr) - 1
    set_of = np.repeat(np.arange(n_sets, dtype=np.int64), np.diff(ptr))
    keep = eligible[wids]
    set_of, w = set_of[keep], wids[keep].astype(np.int64)
    code = np.sort((set_of << 32) | rank[w])
    set_s = code >> 32
    sptr = _ptr(np.bincount(set_s, minlength=n_sets))
    pos = np.arange(len(code)) - sptr[set_s]
    size = np.diff(sptr)
    k_of = np.minimum(k, np.maximum(floor, np.ceil(share * size).astype(np.int64)))
    sel = pos < k_of[set_s]
    inv = np.empty(len(rank), dtype=np.int64)
    inv[rank] = np.arange(len(rank))
    return _ptr(np.bincount(set_s[sel], minlength=n_sets)), inv[code[sel] & 0xFFFFFFFF]


def workers_for(n_sets: int) -> int:
    """Worker processes for signing ``n_sets`` sets (``parallel.usable_workers`` from
    ``PARALLEL_MIN_SETS``; output never depends on it)."""
    return usable_workers(n_sets, PARALLEL_MIN_SETS)


def map_batches(
    n_sets: int, width: int, fill: Callable[[int, int, np.ndarray], None],
    *, workers: int | None = None,
) -> np.ndarray:
    """``[n_sets x width]`` uint64 array, ``fill(lo, hi, out[lo:hi])`` batch by batch.

    With several workers, forked children fill interleaved batches of one shared
    anonymous mapping; each batch is computed exactly as in one process, so the
    result is byte-identical whatever the number of workers.
    """
    workers = workers_for(n_sets) if workers is None else workers
    batches = [(lo, min(n_sets, lo + SIGN_BATCH)) for lo in range(0, n_sets, SIGN_BATCH)]
    if workers <= 1 or len(batches) < 2:
        out = np.empty((n_sets, width), dtype=np.uint64)
        for lo, hi in batches:
            fill(lo, hi, out[lo:hi])
        return out
    nbytes = max(1, n_sets * width * 8)
    buf = mmap.mmap(-1, nbytes)  # anonymous and shared: children write, the parent reads
    out = np.frombuffer(buf, dtype=np.uint64, count=n_sets * width).reshape(n_sets, width)
    pids = []
    with frozen_heap():
        for w in range(1, workers):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                code = 0
                try:
                    for lo, hi in batches[w::workers]:
                        fill(lo, hi, out[lo:hi])
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            pids.append(pid)
    failed = False
    try:
        for lo, hi in batches[0::workers]:
            fill(lo, hi, out[lo:hi])
    finally:
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            failed = failed or status != 0
    if failed:
        raise RuntimeError("a signing worker process failed")
    return out.copy()


def rewrite_candidates(
    table: SentenceTable,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
) -> np.ndarray:
    """Sentence row pairs whose rarest content words overlap (LSH on word sets)."""
    return _word_set_candidates(
        table, table.row_ptr, table.row_wids, table.owner, SENTENCE_MIN_WORDS,
        config.candidates.sentence_words, config.candidates.rewrite_threshold, vocab, config,
        minhasher, hasher, share=config.candidates.sentence_share,
    )


def _word_set_candidates(
    table: SentenceTable,
    ptr: np.ndarray,
    wids: np.ndarray,
    owners: np.ndarray,
    min_words: int,
    k: int,
    threshold: float,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
    share: float = 1.0,
) -> np.ndarray:
    """Pairs of sets (CSR word ids, each cut to its rarest) that collide in LSH."""
    cc = config.candidates
    keys, valid = word_set_keys(table, ptr, wids, min_words, k, threshold, vocab, minhasher,
                                hasher, share=share)
    if valid.sum() < 2:
        return np.empty((0, 2), dtype=np.int64)
    return candidate_pairs(keys, owners, max_bucket=cc.max_bucket,
                           window=cc.overflow_window, valid=valid)


def word_set_keys(
    table: SentenceTable,
    ptr: np.ndarray,
    wids: np.ndarray,
    min_words: int,
    k: int,
    threshold: float,
    vocab: Vocabulary,
    minhasher: MinHasher,
    hasher: TokenHasher,
    share: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Band keys ``[n_sets x b]`` of word sets (CSR over ``table``'s word ids, each cut to
    its rarest: ``k``, at most ``share`` of them) and which sets are valid
    (``min_words`` words or more).

    A set's keys depend on its own words and the corpus ``vocab`` only, so a corpus
    can be signed part by part (the Spark engine does) and bucketed afterwards.
    """
    words = table.words_by_id
    rank = rarity_rank(words, vocab, hasher)
    rare_ptr, rare_wids = rarest(ptr, wids, rank, shareable(words, vocab), k, share,
                                 min_words)
    n_sets = len(ptr) - 1
    valid = np.diff(rare_ptr) >= min_words
    rare_hash = hasher.hash_tokens(words)[rare_wids] if len(words) else np.empty(0, np.uint64)
    b, r = lsh_params(threshold, minhasher.num_perm)

    # Signatures live per batch only: the band keys are all that is kept.
    def fill(lo: int, hi: int, out: np.ndarray) -> None:
        a, z = rare_ptr[lo], rare_ptr[hi]
        sh = Shingles.from_token_hashes(rare_hash[a:z], rare_ptr[lo:hi + 1] - a, n=1)
        out[:] = band_keys(minhasher.signatures(sh), b, r)

    return map_batches(n_sets, b, fill), valid


NO_KEY = np.uint64(0xFFFFFFFFFFFFFFFF)
"""Empty slot in a fixed-width sketch (n-gram hashes are 32-bit, so never equal to it)."""


def passage_sketches(
    tok_hashes: np.ndarray, tok_ptr: np.ndarray, config: Config
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(set index, key, secondary key) of each set's bottom ``passage_keys`` n-gram hashes.

    Sets shorter than ``verbatim_ngram + 3`` tokens get none: a short line is a
    formula more often than a copied sentence. The secondary key of a hash is the
    next one of the same set (cyclically), which splits oversized buckets.
    """
    n = config.minhash.verbatim_ngram
    m = config.candidates.passage_keys
    n_sets = len(tok_ptr) - 1

    def fill(lo: int, hi: int, out: np.ndarray) -> None:
        a, z = tok_ptr[lo], tok_ptr[hi]
        sh = Shingles.from_token_hashes(tok_hashes[a:z], tok_ptr[lo:hi + 1] - a, n=n)
        off = sh.offsets
        set_of = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(off))
        pos = np.arange(len(sh.hashes)) - off[set_of]
        long_enough = np.diff(tok_ptr[lo:hi + 1]) >= n + 3
        m_of = np.minimum(np.diff(off), m)  # hashes kept per set (sorted ascending)
        sel = (pos < m_of[set_of]) & long_enough[set_of]
        nxt = np.where(pos + 1 < m_of[set_of], np.arange(len(pos)) + 1, off[set_of])
        out[:] = NO_KEY
        out[set_of[sel], pos[sel]] = sh.hashes[sel]
        out[set_of[sel], m + pos[sel]] = sh.hashes[nxt[sel]]

    sketch = map_batches(n_sets, 2 * m, fill)
    has = sketch[:, :m] != NO_KEY
    sets = np.repeat(np.arange(n_sets, dtype=np.int64), m).reshape(n_sets, m)[has]
    return sets, sketch[:, :m][has], sketch[:, m:][has]


def copy_candidates(
    table: SentenceTable, config: Config, minhasher: MinHasher, hasher: TokenHasher
) -> np.ndarray:
    """Sentence row pairs that share a bottom-k word n-gram (cut-and-paste sentences)."""
    cc = config.candidates
    if len(table.rows) < 2:
        return np.empty((0, 2), dtype=np.int64)
    tok_hash = hasher.hash_tokens(table.tokens_by_id)[table.tok_ids]
    rows, keys, secs = passage_sketches(tok_hash, table.tok_ptr, config)
    pairs = bucket_pairs(keys, rows, secs, max_bucket=cc.max_bucket, window=cc.overflow_window,
                         order=table.owner[rows])
    return unique_pairs([pairs], table.owner, len(table.rows))


def document_candidates(
    table: SentenceTable,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
) -> np.ndarray:
    """Document index pairs whose rarest content words overlap (LSH on whole-document sets).

    The document grain catches reuse spread thin over many sentences, where no
    single sentence pair is close enough to be a sentence candidate.
    """
    wptr, wids, _, _ = table.doc_arrays()
    owners = np.arange(len(table.doc_ids), dtype=np.int64)
    cc = config.candidates
    return _word_set_candidates(
        table, wptr, wids, owners, DOCUMENT_MIN_WORDS, cc.document_words,
        cc.document_threshold, vocab, config, minhasher, hasher,
    )
