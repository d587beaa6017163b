"""Candidate grains: which sentence and document pairs are worth verifying.

Each grain turns sets drawn from the ``SentenceTable`` into MinHash band keys
and LSH candidate pairs (``candidates.py``):

* rewrite grain: each sentence's rare content words, at a low Jaccard threshold;
* copy grain: word n-grams of whole paragraphs, at a high threshold;
* document grain: whole-document rare content-word sets, for reuse spread thin.

This module owns which keys a set gets; ``detect.py`` owns what is done with
the candidates.
"""

from __future__ import annotations

import logging

import numpy as np

from .candidates import band_keys, candidate_pairs, lsh_params
from .config import Config
from .minhash import MinHasher, Shingles, TokenHasher
from .table import SentenceTable, _ptr
from .terms import Vocabulary

log = logging.getLogger(__name__)

SIGN_BATCH = 65_536
"""Sets signed at once: signatures are turned into band keys batch by batch."""

SENTENCE_MIN_WORDS = 3
"""Rare content words a sentence needs to be a rewrite candidate."""

DOCUMENT_MIN_WORDS = 5
"""Rare content words a document needs to be a document-grain candidate."""


def rewrite_candidates(
    table: SentenceTable,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
) -> np.ndarray:
    """Sentence row pairs whose rare content words overlap (LSH on word sets)."""
    return _word_set_candidates(
        "sentence", table, table.row_ptr, table.row_wids, table.owner, SENTENCE_MIN_WORDS,
        config.candidates.rewrite_threshold, vocab, config, minhasher, hasher,
    )


def _word_set_candidates(
    grain: str,
    table: SentenceTable,
    ptr: np.ndarray,
    wids: np.ndarray,
    owners: np.ndarray,
    min_words: int,
    threshold: float,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
) -> np.ndarray:
    """Pairs of sets (CSR word ids; common words dropped) that collide in LSH at ``threshold``."""
    keys, valid = word_set_keys(ptr, wids, table, min_words, threshold, vocab, config, minhasher,
                                hasher)
    _warn_if_starved(grain, int(valid.sum()), int((np.diff(ptr) >= min_words).sum()), min_words,
                     vocab, config)
    if valid.sum() < 2:
        return np.empty((0, 2), dtype=np.int64)
    return candidate_pairs(keys, owners, max_bucket=config.candidates.max_bucket, valid=valid)


def word_set_keys(
    ptr: np.ndarray,
    wids: np.ndarray,
    table: SentenceTable,
    min_words: int,
    threshold: float,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
) -> tuple[np.ndarray, np.ndarray]:
    """Band keys ``[n_sets x b]`` of word sets (CSR over ``table``'s word ids) and which
    sets are valid (``min_words`` rare words or more).

    A set's keys depend on its own words and the corpus ``vocab`` only, so the
    keys of a corpus can be computed part by part (the Spark engine does) and
    grouped afterwards with the same bucket rules (``candidate_pairs``).
    """
    cc = config.candidates
    words = table.words_by_id
    common = np.fromiter(
        (vocab.is_common(w, cc.max_df, cc.max_df_min_docs, cc.max_df_docs) for w in words),
        dtype=bool, count=len(words),
    )
    n_sets = len(ptr) - 1
    keep = ~common[wids]
    set_of = np.repeat(np.arange(n_sets, dtype=np.int64), np.diff(ptr))[keep]
    rare_ptr = _ptr(np.bincount(set_of, minlength=n_sets))
    rare_hash = hasher.hash_tokens(words)[wids[keep]] if len(words) else np.empty(0, np.uint64)
    valid = np.diff(rare_ptr) >= min_words
    b, r = lsh_params(threshold, minhasher.num_perm)
    keys = [np.empty((0, b), dtype=np.uint64)]
    # Signatures live per batch only: the band keys are all that is kept.
    for lo in range(0, n_sets, SIGN_BATCH):
        hi = min(n_sets, lo + SIGN_BATCH)
        a, z = rare_ptr[lo], rare_ptr[hi]
        sh = Shingles.from_token_hashes(rare_hash[a:z], rare_ptr[lo:hi + 1] - a, n=1)
        keys.append(band_keys(minhasher.signatures(sh), b, r))
    return np.concatenate(keys), valid


def _warn_if_starved(
    grain: str, kept: int, could: int, min_words: int, vocab: Vocabulary, config: Config
) -> None:
    """Warn when the common-word cap leaves most sets too few words to be candidates.

    In a large corpus with a narrow vocabulary every content word can pass the cap
    (``candidates.max_df`` of the documents, at most ``candidates.max_df_docs``), and
    the grain then proposes nothing: rewrites go unseen, silently but for this.
    """
    if could >= 20 and kept < 0.2 * could:
        cc = config.candidates
        limit = min(cc.max_df * vocab.n_docs, cc.max_df_docs or float("inf"))
        log.warning(
            "%s grain: only %d of %d sets keep %d content words in fewer than %d documents; "
            "rewrites will be missed: raise candidates.max_df_docs (now %s) or "
            "candidates.max_df (now %s) for a corpus of %d documents",
            grain, kept, could, min_words, int(limit) + 1, cc.max_df_docs, cc.max_df,
            vocab.n_docs,
        )


def copy_candidates(
    table: SentenceTable, config: Config, minhasher: MinHasher, hasher: TokenHasher
) -> np.ndarray:
    """Sentence row pairs inside near-identical paragraphs (LSH on word n-grams)."""
    cc = config.candidates
    if len(table.rows) < 2:
        return np.empty((0, 2), dtype=np.int64)
    keys, valid, starts, ends, owners = copy_keys(table, config, minhasher, hasher)
    if len(starts) < 2:
        return np.empty((0, 2), dtype=np.int64)
    ppairs = candidate_pairs(keys, owners, max_bucket=cc.max_bucket, valid=valid)
    return paragraph_row_pairs(ppairs, starts, ends)


def copy_keys(
    table: SentenceTable, config: Config, minhasher: MinHasher, hasher: TokenHasher
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Band keys of each paragraph's word n-grams: ``(keys, valid, starts, ends, owners)``.

    A paragraph is a run of rows ``starts[k]:ends[k]`` of one document (``owners[k]``);
    ``valid`` paragraphs have at least ``minhash.verbatim_ngram`` tokens. Keys depend
    on the paragraph alone, so a corpus can be signed part by part.
    """
    cc = config.candidates
    n = config.minhash.verbatim_ngram
    n_rows = len(table.rows)
    b, r = lsh_params(cc.verbatim_threshold, minhasher.num_perm)
    if n_rows == 0:
        empty = np.empty(0, dtype=np.int64)
        return np.empty((0, b), dtype=np.uint64), np.empty(0, dtype=bool), empty, empty, empty
    # A paragraph's rows are consecutive: groups start where (document, paragraph) changes.
    para = table.paragraph
    change = (table.owner[1:] != table.owner[:-1]) | (para[1:] != para[:-1])
    starts = np.concatenate(([0], np.flatnonzero(change) + 1)).astype(np.int64)
    ends = np.append(starts[1:], n_rows)
    n_groups = len(starts)
    owners = table.owner[starts]
    offsets = table.tok_ptr[np.append(starts, n_rows)]
    tok_hash = hasher.hash_tokens(table.tokens_by_id)
    keys = [np.empty((0, b), dtype=np.uint64)]
    for lo in range(0, n_groups, SIGN_BATCH):
        hi = min(n_groups, lo + SIGN_BATCH)
        a, z = offsets[lo], offsets[hi]
        sh = Shingles.from_token_hashes(tok_hash[table.tok_ids[a:z]], offsets[lo:hi + 1] - a, n=n)
        keys.append(band_keys(minhasher.signatures(sh), b, r))
    valid = np.diff(offsets) >= n
    return np.concatenate(keys), valid, starts, ends, owners


MAX_PARAGRAPH_CELLS = 400
"""Paragraph pairs with more sentence pairs than this are not expanded: a near-identical
paragraph of 20 x 20 sentences is a list or a table, and its sentences are found by the
rewrite grain anyway."""


def paragraph_row_pairs(ppairs: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sorted unique row pairs (i < j) of the sentences of paragraph pairs ``ppairs``."""
    out: list[tuple[int, int]] = []
    for p, q in ppairs.tolist():
        rows_p = range(int(starts[p]), int(ends[p]))
        rows_q = range(int(starts[q]), int(ends[q]))
        if len(rows_p) * len(rows_q) > MAX_PARAGRAPH_CELLS:
            continue
        out.extend((min(i, j), max(i, j)) for i in rows_p for j in rows_q)
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.array(out, dtype=np.int64), axis=0)


def document_candidates(
    table: SentenceTable,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
) -> np.ndarray:
    """Document index pairs whose rare content words overlap (LSH on whole-document sets).

    The document grain catches reuse spread thin over many sentences, where no
    single sentence pair is close enough to be a sentence candidate.
    """
    wptr, wids, _, _ = table.doc_arrays()
    owners = np.arange(len(table.doc_ids), dtype=np.int64)
    return _word_set_candidates(
        "document", table, wptr, wids, owners, DOCUMENT_MIN_WORDS,
        config.candidates.document_threshold, vocab, config, minhasher, hasher,
    )
