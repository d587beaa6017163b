"""``SentenceTable``: every sentence of a corpus as integer ids in CSR arrays.

The one shared representation of segmented text that candidate grains
(``grains.py``), verification and pair decisions (``detect.py``) and the
streaming index read. Python views (``tokens``, ``words``, ``word_sets``) are
built on first use only.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from .columns import RowColumns
from .segment import tokenize
from .terms import (
    LANGUAGE_MIN_SHARE,
    LANGUAGE_SAMPLE_TOKENS,
    Vocabulary,
    content_words,
    extra_stop_words,
    iso_lists,
)
from .types import Segment


@dataclass
class SentenceTable:
    """Non-boilerplate sentences of a corpus as flat rows, grouped by document.

    Text is held as integer ids in CSR arrays, so that a corpus of millions of
    sentences costs a few bytes per token and the stages run in numpy:

    * ``tok_ptr``/``tok_ids``: each row's tokens in order (``tokens_by_id`` maps back);
    * ``seq_ptr``/``seq_wids``: each row's content words in order (``words_by_id``);
    * ``row_ptr``/``row_wids``: each row's distinct content words, sorted.

    ``tokens``, ``words`` and ``word_sets`` are Python views built on first use.
    """

    doc_ids: list[str]
    rows: list[Segment] = field(default_factory=list)
    owner: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    doc_rows: dict[str, range] = field(default_factory=dict)
    tokens_by_id: list[str] = field(default_factory=list)
    tok_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    tok_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    words_by_id: list[str] = field(default_factory=list)
    word_index: dict[str, int] = field(default_factory=dict)
    seq_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    seq_wids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    row_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    row_wids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    position: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    paragraph: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    doc_language: list[str | None] = field(default_factory=list)
    _doc_arrays: tuple[np.ndarray, ...] | None = field(default=None, repr=False)
    _weights: tuple[Mapping[str, float], np.ndarray, np.ndarray] | None = field(
        default=None, repr=False
    )
    _views: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        segments: Mapping[str, Sequence[Segment]],
        tokens: Mapping[str, Sequence[Sequence[str]]] | None = None,
    ) -> SentenceTable:
        """Rows for every non-boilerplate sentence, documents in sorted id order.

        ``tokens`` (optional) gives each document's segments already tokenized
        (``tokenize(seg.norm)``, one list per segment, boilerplate included), as
        ``boilerplate.prepare_page`` keeps them: a caller that builds many tables
        over the same documents tokenizes each once.
        """
        doc_ids = sorted(segments)
        table = cls(doc_ids=doc_ids)
        owners = array("q")
        tok_index: dict[str, int] = {}
        ids = array("i")  # 4 bytes a token: a list would hold 8-byte references
        ptr = array("q", [0])
        for d, doc_id in enumerate(doc_ids):
            first = len(table.rows)
            known = tokens.get(doc_id) if tokens is not None else None
            for s, seg in enumerate(segments[doc_id]):
                if seg.boilerplate:
                    continue
                for t in tokenize(seg.norm) if known is None else known[s]:
                    k = tok_index.get(t)
                    if k is None:
                        k = tok_index[t] = len(tok_index)
                    ids.append(k)
                ptr.append(len(ids))
                table.rows.append(seg)
                owners.append(d)
            table.doc_rows[doc_id] = range(first, len(table.rows))
        table.owner = np.frombuffer(owners, dtype=np.int64).copy()
        table.tokens_by_id = list(tok_index)
        table.tok_ptr = np.frombuffer(ptr, dtype=np.int64).copy()
        table.tok_ids = np.frombuffer(ids, dtype=np.int32).copy()
        del owners, ptr, ids
        # content_words works token by token: decide it once per distinct token.
        word_index: dict[str, int] = {}
        tok_word = np.full(len(tok_index), -1, dtype=np.int32)
        for k, t in enumerate(table.tokens_by_id):
            cw = _content_word(t)
            if cw is not None:
                tok_word[k] = word_index.setdefault(cw, len(word_index))
        table.word_index = word_index
        table.words_by_id = list(word_index)
        return table._finish(tok_word)

    @classmethod
    def build_from_ids(
        cls,
        segments: Mapping[str, Sequence[Segment]],
        ids: Mapping[str, tuple[np.ndarray, np.ndarray]],
        tokens: TokenIds,
    ) -> SentenceTable:
        """``build(segments)`` from each document's tokens as ids of ``tokens``.

        ``ids[doc_id]`` is ``tokens.encode`` of its segments' tokens (boilerplate
        included): a flat id array and a pointer per segment. The table is the one
        ``build`` makes, ids included (dense, in order of first occurrence); the
        tokens are not looked at one by one, so a caller that builds many tables
        over the same documents (the streaming index) pays numpy work only.
        """
        doc_ids = sorted(segments)
        table = cls(doc_ids=doc_ids)
        parts: list[np.ndarray] = []
        owners: list[int] = []
        for d, doc_id in enumerate(doc_ids):
            first = len(table.rows)
            flat, ptr = ids[doc_id]
            for s, seg in enumerate(segments[doc_id]):
                if not seg.boilerplate:
                    table.rows.append(seg)
                    parts.append(flat[ptr[s]:ptr[s + 1]])
                    owners.append(d)
            table.doc_rows[doc_id] = range(first, len(table.rows))
        table.owner = np.asarray(owners, dtype=np.int64)
        table.tok_ptr = _ptr(np.fromiter((len(p) for p in parts), dtype=np.int64,
                                         count=len(parts)))
        glob = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        local, order = _first_occurrence_ids(glob)
        table.tok_ids = local.astype(np.int32)
        by_id = tokens.tokens
        table.tokens_by_id = [by_id[g] for g in order.tolist()]
        gw = tokens.word_of(order)  # each local token's word, as a global word id (-1: none)
        tok_word = np.full(len(order), -1, dtype=np.int32)
        valid = gw >= 0
        wlocal, worder = _first_occurrence_ids(gw[valid])
        tok_word[valid] = wlocal
        words = tokens.words
        table.words_by_id = [words[w] for w in worder.tolist()]
        table.word_index = {w: k for k, w in enumerate(table.words_by_id)}
        return table._finish(tok_word, tokens.language_bits(order))

    def _finish(self, tok_word: np.ndarray, bits: np.ndarray | None = None) -> SentenceTable:
        """Content-word arrays from each token id's word id (``-1``: none)."""
        table = self
        n_rows = len(table.rows)
        seq = tok_word[table.tok_ids]
        _drop_function_words(table, seq, bits)
        keep = seq >= 0
        kept = np.zeros(len(seq) + 1, dtype=np.int64)
        np.cumsum(keep, out=kept[1:])
        table.seq_ptr = kept[table.tok_ptr]
        del kept
        table.seq_wids = seq[keep]
        del seq, keep
        table.row_ptr, table.row_wids = _distinct_per_row(table.seq_ptr, table.seq_wids)
        table.position = np.fromiter((s.index for s in table.rows), dtype=np.int64, count=n_rows)
        table.paragraph = np.fromiter((s.paragraph for s in table.rows), dtype=np.int64,
                                      count=n_rows)
        return table

    def _view(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._views:
            self._views[name] = make()
        return self._views[name]

    def columns(self) -> RowColumns:
        """``rows`` as columns (``syndetect.columns``), built on first use: what pair
        decisions read, without touching a ``Segment`` in a forked worker."""
        return self._view("columns", lambda: RowColumns.of(
            self.rows, (self.doc_ids, self.owner, self.position, self.paragraph)))

    @property
    def tokens(self) -> list[list[str]]:
        """Each row's tokens, in order."""
        return self._view("tokens", lambda: _lists(self.tok_ptr, self.tok_ids, self.tokens_by_id))

    @property
    def words(self) -> list[list[str]]:
        """Each row's content words, in order."""
        return self._view("words", lambda: _lists(self.seq_ptr, self.seq_wids, self.words_by_id))

    @property
    def word_sets(self) -> list[frozenset[str]]:
        """Each row's distinct content words."""
        return self._view("word_sets", lambda: [
            frozenset(ws) for ws in _lists(self.row_ptr, self.row_wids, self.words_by_id)
        ])

    def doc_words(self, doc_id: str) -> list[str]:
        """Content words of a document's non-boilerplate sentences, in order."""
        rows = self.doc_rows[doc_id]
        by_id = self.words_by_id
        return [by_id[k] for k in
                self.seq_wids[self.seq_ptr[rows.start]:self.seq_ptr[rows.stop]].tolist()]

    def weights(self, idf: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(IDF of each word id, total IDF of each row's distinct words); cached per ``idf``."""
        if self._weights is None or self._weights[0] is not idf:
            get = idf.get
            arr = np.fromiter((get(w, 1.0) for w in self.words_by_id), dtype=np.float64,
                              count=len(self.words_by_id))
            n_rows = len(self.rows)
            row_of = np.repeat(np.arange(n_rows), np.diff(self.row_ptr))
            mass = np.bincount(row_of, weights=arr[self.row_wids], minlength=n_rows)
            self._weights = (idf, arr, mass)
        return self._weights[1], self._weights[2]

    def doc_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per document (in ``doc_ids`` order), CSR arrays of its distinct content-word
        ids and of its distinct content-word bigrams (dense ids), both sorted.

        Bigrams run over the document's content words in order, across sentences.
        """
        if self._doc_arrays is None:
            n_docs = len(self.doc_ids)
            # Rows are grouped by document in ``doc_ids`` order: a document's words
            # are a slice of the rows' arrays, from its first row to its last.
            first = np.searchsorted(self.owner, np.arange(n_docs + 1), side="left")
            wptr, wids = _distinct_per_row(self.row_ptr[first], self.row_wids)
            # Distinct bigrams per document, over its word sequence (across sentences),
            # as dense ids: ranks among all the corpus's distinct bigrams.
            dptr = self.seq_ptr[first]
            vsize = max(1, len(self.words_by_id))
            codes, cptr = [], np.zeros(n_docs + 1, dtype=np.int64)
            for lo, hi in _blocks(dptr, _BLOCK):
                a, b = int(dptr[lo]), int(dptr[hi])
                seq = self.seq_wids[a:b].astype(np.int64)
                doc = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(dptr[lo:hi + 1]))
                same = doc[:-1] == doc[1:] if len(seq) > 1 else np.zeros(0, dtype=bool)
                big, big_doc = seq[:-1][same] * vsize + seq[1:][same], doc[:-1][same]
                order = np.lexsort((big, big_doc))
                big, big_doc = big[order], big_doc[order]
                new = np.ones(len(big), dtype=bool)
                new[1:] = (big[1:] != big[:-1]) | (big_doc[1:] != big_doc[:-1])
                codes.append(big[new])
                cptr[lo + 1:hi + 1] = np.bincount(big_doc[new], minlength=hi - lo)
            np.cumsum(cptr, out=cptr)
            flat = np.concatenate(codes) if codes else np.empty(0, dtype=np.int64)
            del codes
            bids = np.searchsorted(_sorted_unique(flat), flat).astype(np.int64)
            self._doc_arrays = (wptr, wids, cptr, bids)
        return self._doc_arrays  # type: ignore[return-value]


class TokenIds:
    """Tokens and their content words as integer ids that outlive one table.

    ``encode`` gives a document's segments' tokens as ids once;
    ``SentenceTable.build_from_ids`` then builds tables over any group of such
    documents without reading a token again.
    """

    _epochs = itertools.count()

    def __init__(self) -> None:
        self.epoch = next(TokenIds._epochs)  # tells encodings of another instance apart
        self.index: dict[str, int] = {}
        self.tokens: list[str] = []
        self.word_index: dict[str, int] = {}
        self.words: list[str] = []
        self._word_of: list[int] = []
        self._word_arr = np.empty(0, dtype=np.int64)
        self._bits: list[int] = []
        self._bits_arr = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, segment_tokens: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(flat ids, pointer per segment) of each segment's tokens."""
        index, flat = self.index, []
        for toks in segment_tokens:
            for t in toks:
                k = index.get(t)
                if k is None:
                    k = index[t] = len(self.tokens)
                    self.tokens.append(t)
                    cw = _content_word(t)
                    w = -1 if cw is None else self.word_index.get(cw, -1)
                    if cw is not None and w < 0:
                        w = self.word_index[cw] = len(self.words)
                        self.words.append(cw)
                    self._word_of.append(w)
                    self._bits.append(language_bits().get(t, 0))
                flat.append(k)
        ptr = _ptr(np.fromiter((len(t) for t in segment_tokens), dtype=np.int64,
                               count=len(segment_tokens)))
        return np.asarray(flat, dtype=np.int64), ptr

    def word_of(self, token_ids: np.ndarray) -> np.ndarray:
        """The global word id of each token id (``-1``: not a content word)."""
        if len(self._word_arr) < len(self._word_of):
            self._word_arr = np.asarray(self._word_of, dtype=np.int64)
        return self._word_arr[token_ids]


    def language_bits(self, token_ids: np.ndarray) -> np.ndarray:
        """Each token id's ``language_bits`` (0: in no function-word list)."""
        if len(self._bits_arr) < len(self._bits):
            self._bits_arr = np.asarray(self._bits, dtype=np.int64)
        return self._bits_arr[token_ids]


@lru_cache(maxsize=1)
def language_bits() -> dict[str, int]:
    """Token -> bit ``i`` set when it is in the function-word list of the ``i``-th
    language of ``sorted(iso_lists())`` (what ``_drop_function_words`` counts)."""
    out: dict[str, int] = {}
    for li, lang in enumerate(sorted(iso_lists())):
        for w in iso_lists()[lang]:
            out[w] = out.get(w, 0) | (1 << li)
    return out


def _first_occurrence_ids(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense ids of ``x``'s values numbered in order of first occurrence, and the
    value of each id: ``ids[i]`` is the id of ``x[i]``, ``values[ids] == x``."""
    if not len(x):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    uniq, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[inverse.reshape(-1)], uniq[order]


@lru_cache(maxsize=1 << 17)
def _content_word(token: str) -> str | None:
    """``content_words((token,))``'s one word or None, cached: the streaming index builds
    a table per add over documents that share most of their tokens."""
    cw = content_words((token,))
    return cw[0] if cw else None


def _drop_function_words(
    table: SentenceTable, seq: np.ndarray, bits: np.ndarray | None = None
) -> None:
    """Unmark (``-1`` in ``seq``) the function words of each document's own language.

    ``bits`` (optional): each token id's ``language_bits``, known already.

    ``STOP_WORDS`` is applied to every token already; a document in another language
    (``terms.document_language``, computed here for all documents at once) also loses
    that language's function words, in its own rows only. Sets ``table.doc_language``.
    """
    tok_ptr, tok_ids = table.tok_ptr, table.tok_ids
    n_docs = len(table.doc_ids)
    table.doc_language = [None] * n_docs
    if not n_docs or not len(tok_ids):
        return
    lists = iso_lists()
    langs = sorted(lists)
    given = bits is not None
    index: dict[str, int] = {}
    if bits is None:
        index = {t: k for k, t in enumerate(table.tokens_by_id)}
        bits = np.zeros(len(index), dtype=np.int64)
        for li, lang in enumerate(langs):
            ks = [index[w] for w in lists[lang] if w in index]
            bits[ks] |= np.int64(1) << li
    first = np.array([tok_ptr[table.doc_rows[d].start] for d in table.doc_ids], dtype=np.int64)
    last = np.array([tok_ptr[table.doc_rows[d].stop] for d in table.doc_ids], dtype=np.int64)
    n_sample = np.minimum(last - first, LANGUAGE_SAMPLE_TOKENS)
    doc = np.repeat(np.arange(n_docs), n_sample)
    pos = np.repeat(first - np.cumsum(n_sample) + n_sample, n_sample) + np.arange(len(doc))
    b = bits[tok_ids[pos]]
    if given:  # a small table (the index's): one pass over a samples x languages matrix
        counts = np.zeros((n_docs, len(langs)), dtype=np.float64)
        has = n_sample > 0
        if has.any():
            starts = (np.cumsum(n_sample) - n_sample)[has]
            matrix = (b[:, None] >> np.arange(len(langs), dtype=np.int64)) & 1
            counts[has] = np.add.reduceat(matrix, starts, axis=0)
    else:
        counts = _language_counts(doc, b, n_docs, len(langs))
    best = counts.argmax(axis=1)
    ok = counts[np.arange(n_docs), best] >= LANGUAGE_MIN_SHARE * np.maximum(n_sample, 1)
    ok &= counts[np.arange(n_docs), best] > 0
    masks: dict[str, np.ndarray] = {}
    for d in range(n_docs):
        if not ok[d]:
            continue
        lang = langs[int(best[d])]
        table.doc_language[d] = lang
        extra = extra_stop_words(lang)
        if not extra:
            continue
        if lang not in masks:
            if not index:
                index = {t: k for k, t in enumerate(table.tokens_by_id)}
            masks[lang] = np.zeros(len(table.tokens_by_id), dtype=bool)
            masks[lang][[index[w] for w in extra if w in index]] = True
        lo, hi = int(first[d]), int(last[d])
        part = seq[lo:hi]
        part[masks[lang][tok_ids[lo:hi]]] = -1


_LANGUAGE_CELLS = 1 << 22
"""Document x pattern cells counted at once by ``_language_counts`` (32 MB)."""


def _language_counts(doc: np.ndarray, bits: np.ndarray, n_docs: int, n_langs: int) -> np.ndarray:
    """``counts[d, l]``: sampled tokens of document ``d`` (``doc``, sorted) whose
    ``bits`` have bit ``l`` set, as float64.

    Most tokens are no function word anywhere and the others fall into a few hundred
    bit patterns (a word's set of languages): tokens are counted per document and
    pattern, then patterns spread over their languages, instead of one pass over all
    tokens per language. Documents go in blocks, so the document x pattern counts stay
    a few million cells at any corpus size.
    """
    counts = np.zeros((n_docs, n_langs), dtype=np.float64)
    nz = np.flatnonzero(bits)
    if not len(nz):
        return counts
    pattern, inverse = np.unique(bits[nz], return_inverse=True)
    spread = ((pattern[:, None] >> np.arange(n_langs, dtype=np.int64)) & 1).astype(np.float64)
    doc_nz = doc[nz]
    step = max(1, _LANGUAGE_CELLS // len(pattern))
    for lo in range(0, n_docs, step):
        hi = min(n_docs, lo + step)
        a, z = np.searchsorted(doc_nz, [lo, hi])
        cell = (doc_nz[a:z] - lo) * len(pattern) + inverse.reshape(-1)[a:z]
        per = np.bincount(cell, minlength=(hi - lo) * len(pattern)).reshape(hi - lo, -1)
        counts[lo:hi] = per.astype(np.float64) @ spread  # exact: integers below 2**53
    return counts


_BLOCK = 1 << 22
"""Values per block of rows when per-row arrays are sorted: 64-bit scratch keys for
a whole corpus of 100k articles would take gigabytes at once."""


def _blocks(ptr: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Consecutive row ranges ``(lo, hi)`` covering a CSR ``ptr`` with about ``size``
    values each (a longer row is a block of its own)."""
    out, lo, n = [], 0, len(ptr) - 1
    while lo < n:
        hi = int(np.searchsorted(ptr, ptr[lo] + size, side="right")) - 1
        hi = min(n, max(hi, lo + 1))
        out.append((lo, hi))
        lo = hi
    return out


def _distinct_per_row(ptr: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each CSR row's distinct values (int32 ids), sorted: ``(ptr, values)``, by blocks."""
    n_rows = len(ptr) - 1
    counts = np.zeros(n_rows, dtype=np.int64)
    parts = []
    for lo, hi in _blocks(ptr, _BLOCK):
        row = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(ptr[lo:hi + 1]))
        key = _sorted_unique((row << 32) | values[ptr[lo]:ptr[hi]].astype(np.int64))
        parts.append((key & 0xFFFFFFFF).astype(np.int32))
        counts[lo:hi] = np.bincount(key >> 32, minlength=hi - lo)
    return _ptr(counts), (np.concatenate(parts) if parts else np.empty(0, dtype=np.int32))


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-d integer array by one sort (numpy 2's hash path is slower here)."""
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def _ptr(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _lists(ptr: np.ndarray, ids: np.ndarray, vocab: Sequence[str]) -> list[list[str]]:
    flat = [vocab[k] for k in ids.tolist()]
    bounds = ptr.tolist()
    return [flat[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def corpus_vocabulary(table: SentenceTable) -> Vocabulary:
    """Document frequencies of content words over the table's documents."""
    _, wids, _, _ = table.doc_arrays()
    counts = np.bincount(wids, minlength=len(table.words_by_id))
    return Vocabulary(
        n_docs=len(table.doc_ids),
        df=Counter({w: c for w, c in zip(table.words_by_id, counts.tolist(), strict=True) if c}),
    )
