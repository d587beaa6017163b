"""Per-partition stage functions of the Spark engine (plain Python, no Spark imports).

Each function takes and returns picklable Python values and calls the core's
stage functions, so that Spark only moves data between them. Row ids are
composite: ``document number << ROW_BITS | row in document``, where the document
number is the document's rank in id order, so composite ids sort as the rows of
the corpus-wide ``SentenceTable`` do.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ..boilerplate import (
    _label_in_document,
    _label_runs,
    _label_shapes_and_corpus,
    _label_site,
    _Links,
    _prepare,
    _run_ngrams,
    _site_template,
)
from ..candidates import bucket_pairs as core_bucket_pairs
from ..config import Config
from ..detect import decide_pairs, partner_strength, verify_candidates
from ..grains import DOCUMENT_MIN_WORDS, SENTENCE_MIN_WORDS, passage_sketches, word_set_keys
from ..minhash import MinHasher, TokenHasher
from ..table import SentenceTable, corpus_vocabulary
from ..terms import Vocabulary
from ..types import Document, PairDecision, Segment
from . import pickling  # noqa: F401  (fast reducers of the core's records, in each worker)

ROW_BITS = 20
"""Rows (sentences) per document fit in 20 bits: a million sentences is no article."""
ROW_MASK = (1 << ROW_BITS) - 1

REWRITE, COPY, DOCUMENT = 0, 1, 2
"""Candidate grains, as tags in shuffled key blocks."""


# ----------------------------------------------------------------------------- boilerplate


def occurrence_nodes(
    doc_id: str,
    segments: Sequence[Segment],
    df: Mapping[str, int],
    n_docs: int,
    template: frozenset[str],
    config: Config,
    *,
    keys_wanted: frozenset[str] | None = None,
) -> list[tuple[str, bool, list[tuple[str, ...]]]]:
    """Rule 1's occurrences in one document: ``(key, is_long, evidence nodes)``.

    ``df`` holds the corpus document frequency of this document's keys (those in
    two documents or more); nodes are what ``boilerplate._Links`` computes with the
    whole corpus, since they only read this document and ``df``.
    """
    from ..boilerplate import long_threshold

    bc = config.boilerplate
    doc = _prepare(doc_id, segments, bc)
    links = _Links([doc], df)
    links.template = template  # read only: no per-document copy of the broadcast set
    long_min = long_threshold(n_docs, bc)
    out = []
    for i, (key, lg) in enumerate(zip(doc.keys, doc.long)):
        if not key or df.get(key, 0) < (long_min if lg else bc.min_documents):
            continue
        if keys_wanted is not None and key not in keys_wanted:
            continue
        out.append((key, lg, links.nodes(0, i, bc)))
    return out


def label_document(
    doc_id: str, segments: Sequence[Segment], template: frozenset[str], config: Config
) -> Any:
    """Rules 0 and 1 on one document, given the corpus template: its working state."""
    doc = _prepare(doc_id, segments, config.boilerplate)
    _label_shapes_and_corpus(doc, template, config.boilerplate)
    return doc


def label_site_group(records: list[Any], site: str, config: Config) -> list[Any]:
    """Rule 1b over the pages of one site (``boilerplate._site_template`` on them).

    ``records`` are ``(row, working state)``; pages come in id order, as in the core."""
    records = sorted(records, key=lambda r: r[1].id)
    if len(records) >= 2:
        docs = [doc for _, doc in records]
        found = _site_template(docs, {d.id: site for d in docs}, config.boilerplate)
        for d, keys in found.items():
            _label_site(docs[d], keys)
    return records


def label_in_document(doc: Any, config: Config) -> Any:
    """Rules 2 and 3 on one document."""
    _label_in_document(doc, config.boilerplate)
    return doc


def corpus_run_grams(doc: Any, config: Config) -> tuple[tuple[str, ...], frozenset[Any]]:
    """(signature of the document's corpus template, the n-grams of its template runs)."""
    sig = tuple(k for k, r in zip(doc.keys, doc.reasons) if r == "corpus")
    return sig, frozenset(_run_ngrams(doc, frozenset({"corpus"}), config.boilerplate.run_ngram))


def finish_labels(
    doc: Any, corpus_grams: frozenset[Any], config: Config,
    corpus_marks: frozenset[str] | None = None,
) -> tuple[list[Segment], list[tuple[str, str, str]]]:
    """Rule 4, then the labelled segments and the report items ``(group, text, doc_id)``."""
    # Read only: a per-document copy of the corpus n-grams (100k+ at 100k articles)
    # cost more than the rule itself.
    _label_runs(doc, corpus_grams, config.boilerplate, corpus_marks)
    labelled = [
        seg.as_boilerplate() if reason and not seg.boilerplate else seg
        for seg, reason in zip(doc.segments, doc.reasons)
    ]
    items = [
        (key or seg.norm, seg.text, doc.id)
        for seg, key, reason in zip(doc.segments, doc.keys, doc.reasons)
        if reason
    ]
    return labelled, items


# ----------------------------------------------------------------------------- candidates


def partition_table(docs: Sequence[tuple[int, str, Sequence[Segment]]]) -> tuple[
    SentenceTable, np.ndarray, np.ndarray
]:
    """The ``SentenceTable`` of some documents, each row's composite id and each
    table document's number."""
    number = {doc_id: n for n, doc_id, _ in docs}
    table = SentenceTable.build({doc_id: segs for _, doc_id, segs in docs})
    doc_num = np.array([number[d] for d in table.doc_ids], dtype=np.int64)
    first = np.array([table.doc_rows[d].start for d in table.doc_ids], dtype=np.int64)
    local = np.arange(len(table.rows), dtype=np.int64) - first[table.owner] if len(table.rows) \
        else np.empty(0, dtype=np.int64)
    row_ids = (doc_num[table.owner] << ROW_BITS) | local if len(table.rows) else local
    return table, row_ids, doc_num


def vocabulary_counts(docs: Sequence[tuple[int, str, Sequence[Segment]]]) -> Iterator[Any]:
    """``(word, documents)`` counts of one partition, and its sentence count under ``None``."""
    table, _, _ = partition_table(docs)
    yield (None, len(table.rows))
    yield from corpus_vocabulary(table).df.items()


def key_blocks(
    docs: Sequence[tuple[int, str, Sequence[Segment]]],
    vocab: Vocabulary,
    config: Config,
    n_parts: int,
) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Bucket keys of every set of one partition (three grains), split by reducer.

    Each block is ``{grain, band, key, secondary, id}`` arrays, as ``candidate_pairs``
    hands them to ``bucket_pairs``: a word set's key in one band and its key in the
    next band; a sentence's bottom-k n-gram hash and the next one. ``id`` is a
    composite row id (rewrite, copy) or a document number (document); both follow
    the corpus order, since oversized buckets are windowed in that order.
    """
    # Spark runs one task per core already: no forked signing workers inside a task.
    os.environ.setdefault("SYNDETECT_WORKERS", "1")
    table, row_ids, doc_num = partition_table(docs)
    mh = MinHasher(config.minhash.num_perm, config.minhash.seed)
    th = TokenHasher()
    cc = config.candidates
    parts: list[dict[str, np.ndarray]] = []

    def add_bands(grain: int, keys: np.ndarray, valid: np.ndarray, ids: np.ndarray) -> None:
        sel = np.flatnonzero(valid)
        if not len(sel):
            return
        n_b = keys.shape[1]
        k = keys[sel]
        parts.append({
            "grain": np.full(len(sel) * n_b, grain, dtype=np.int8),
            "band": np.tile(np.arange(n_b, dtype=np.int16), len(sel)),
            "key": k.reshape(-1),
            "secondary": np.roll(k, -1, axis=1).reshape(-1),
            "id": np.repeat(ids[sel], n_b),
        })

    if len(table.rows):
        keys, valid = word_set_keys(table, table.row_ptr, table.row_wids, SENTENCE_MIN_WORDS,
                                    cc.sentence_words, cc.rewrite_threshold, vocab, mh, th,
                                    share=cc.sentence_share)
        add_bands(REWRITE, keys, valid, row_ids)
        tok_hash = th.hash_tokens(table.tokens_by_id)[table.tok_ids]
        rows, pkeys, secs = passage_sketches(tok_hash, table.tok_ptr, config)
        if len(rows):
            parts.append({
                "grain": np.full(len(rows), COPY, dtype=np.int8),
                "band": np.zeros(len(rows), dtype=np.int16),
                "key": pkeys.astype(np.uint64),
                "secondary": secs.astype(np.uint64),
                "id": row_ids[rows],
            })
    wptr, wids, _, _ = table.doc_arrays()
    keys, valid = word_set_keys(table, wptr, wids, DOCUMENT_MIN_WORDS, cc.document_words,
                                cc.document_threshold, vocab, mh, th)
    add_bands(DOCUMENT, keys, valid, doc_num)
    if not parts:
        return
    block = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    dest = (block["key"] % np.uint64(n_parts)).astype(np.int64)
    for r in np.unique(dest).tolist():
        sel = dest == r
        yield r, {name: arr[sel] for name, arr in block.items()}


def bucket_pairs(blocks: Iterable[dict[str, np.ndarray]], config: Config) -> dict[int, np.ndarray]:
    """Candidate pairs of the keys one reducer holds, by grain: ``[m x 2]`` row ids (i < j)
    for rewrite and copy, document numbers for the document grain; pairs within one
    document dropped. Buckets are ``candidates.bucket_pairs``'s, band by band."""
    blocks = list(blocks)
    out: dict[int, np.ndarray] = {}
    if not blocks:
        return out
    data = {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}
    cc = config.candidates
    for grain in (REWRITE, COPY, DOCUMENT):
        g = data["grain"] == grain
        found = []
        for band in np.unique(data["band"][g]).tolist():
            sel = np.flatnonzero(g & (data["band"] == band))
            found.append(core_bucket_pairs(data["key"][sel], data["id"][sel],
                                           data["secondary"][sel], max_bucket=cc.max_bucket,
                                           window=cc.overflow_window))
        found = [f for f in found if len(f)]
        if not found:
            continue
        e = np.concatenate(found).astype(np.int64)
        a, b = np.minimum(e[:, 0], e[:, 1]), np.maximum(e[:, 0], e[:, 1])
        if grain == DOCUMENT:
            keep = a != b
        else:
            keep = (a >> ROW_BITS) != (b >> ROW_BITS)
        if keep.any():
            out[grain] = np.unique(np.stack([a[keep], b[keep]], axis=1), axis=0)
    return out


def pair_dest(pairs: np.ndarray, n_parts: int, *, rows: bool) -> np.ndarray:
    """Reducer of each pair: by its document pair, so that one document pair's
    candidates meet in one place."""
    a, b = (pairs[:, 0] >> ROW_BITS, pairs[:, 1] >> ROW_BITS) if rows else (pairs[:, 0], pairs[:, 1])
    return ((a * np.int64(1_000_003) + b) % n_parts).astype(np.int64)


def group_doc_pairs(
    blocks: Iterable[dict[int, np.ndarray]],
) -> Iterator[tuple[tuple[int, int], Any]]:
    """Unique candidates of one reducer grouped by document pair, and its counts.

    Yields ``((a, b), (row pairs [m x 2], document-grain flag))`` per document pair and
    ``((-1, -1), (n_rewrite, n_copy, n_document))`` once.
    """
    got: dict[int, list[np.ndarray]] = defaultdict(list)
    for block in blocks:
        for grain, arr in block.items():
            got[grain].append(arr)
    uniq = {}
    for grain in (REWRITE, COPY, DOCUMENT):
        arrs = got.get(grain)
        uniq[grain] = (np.unique(np.concatenate(arrs), axis=0) if arrs
                       else np.empty((0, 2), dtype=np.int64))
    yield (-1, -1), tuple(len(uniq[g]) for g in (REWRITE, COPY, DOCUMENT))
    rows = np.concatenate([uniq[REWRITE], uniq[COPY]])
    rows = np.unique(rows, axis=0) if len(rows) else rows
    by_pair: dict[tuple[int, int], Any] = {}
    if len(rows):
        da, db = rows[:, 0] >> ROW_BITS, rows[:, 1] >> ROW_BITS
        order = np.lexsort((db, da))
        rows, da, db = rows[order], da[order], db[order]
        change = np.flatnonzero((da[1:] != da[:-1]) | (db[1:] != db[:-1])) + 1
        for lo, hi in zip(np.r_[0, change].tolist(), np.r_[change, len(rows)].tolist()):
            by_pair[(int(da[lo]), int(db[lo]))] = rows[lo:hi]
    docs = {(int(a), int(b)) for a, b in uniq[DOCUMENT].tolist()}
    for key in sorted(set(by_pair) | docs):
        yield key, (by_pair.get(key, np.empty((0, 2), dtype=np.int64)), key in docs)


# ----------------------------------------------------------------------------- decisions


def strongest(
    rows: Iterable[tuple[str, tuple[float, int, str, Any]]], max_partners: int
) -> Iterator[Any]:
    """The kept pairs (their keys) of the documents in ``rows``: ``(doc, (strength,
    matches, other, key))`` for each side of each pair. A document keeps its
    ``max_partners`` strongest, ranked as ``detect.strongest_partners`` ranks them."""
    by_doc: dict[str, list[tuple[float, int, str, Any]]] = {}
    for doc, v in rows:
        by_doc.setdefault(doc, []).append(v)
    for vs in by_doc.values():
        for v in sorted(vs, key=lambda v: (-v[0], -v[1], v[2]))[:max_partners]:
            yield v[3]


def _table_rows(
    table: SentenceTable, id_of: dict[int, str]
) -> Callable[[np.ndarray], np.ndarray]:
    """A function from global row ids (``document number << ROW_BITS | row``, as the
    candidates stage writes them) to the rows of ``table``, for the documents
    ``id_of`` names by number."""
    index = {d: k for k, d in enumerate(table.doc_ids)}
    first = np.array([table.doc_rows[d].start for d in table.doc_ids], dtype=np.int64)
    numbers = np.array(sorted(id_of), dtype=np.int64)
    position = np.array([index[id_of[n]] for n in numbers.tolist()], dtype=np.int64)

    def to_rows(row_ids: np.ndarray) -> np.ndarray:
        d = position[np.searchsorted(numbers, row_ids >> ROW_BITS)]
        return first[d] + (row_ids & ROW_MASK)

    return to_rows


def _table_pairs(
    rows: list[np.ndarray], to_rows: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """The candidate sentence pairs ``rows`` (arrays of global row id pairs) as the
    distinct ``(i, j)``, ``i < j``, rows of a table, sorted, as ``verify_candidates``
    takes them."""
    rows = [r for r in rows if len(r)]
    if not rows:
        return np.empty((0, 2), dtype=np.int64)
    both = np.concatenate(rows)
    i, j = to_rows(both[:, 0]), to_rows(both[:, 1])
    return np.unique(np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1), axis=0)


DECIDE_CHUNK = 2048
"""Document pairs verified and decided together within a cell's ``SentenceTable``:
bounds a task's scratch memory."""

CELL_DOCUMENTS = 4000
"""About half the documents a cell of the decision grid holds at most. A document
travels to at most ``k`` cells, and to no more cells than it has partners whatever
``k``; so a larger cell mostly means fewer tasks (at 100k articles, 325 cells rather
than 5,050, each task costing about 0.1 s of worker overhead) for a few hundred MB of
documents per task."""


def grid_side(n_parts: int, n_docs: int) -> int:
    """Side ``k`` of the triangular decision grid: ``k (k + 1) / 2`` cells, at least
    ``n_parts`` of them, and few enough documents in each (about ``2 n_docs / k``)."""
    k = 1
    while (k + 1) * (k + 2) // 2 <= n_parts:
        k += 1
    return max(k, -(-n_docs // CELL_DOCUMENTS))


def cell(a: int, b: int, k: int) -> int:
    """The grid cell of document pair ``(a, b)`` (document numbers): row ``a % k``,
    column ``b % k``, upper triangle, numbered row by row. A document meets all its
    partners in the ``k`` cells of its row/column, so it travels at most ``k`` times
    (not once per pair)."""
    i, j = a % k, b % k
    if i > j:
        i, j = j, i
    return i * k - i * (i - 1) // 2 + (j - i)


def cell_verdicts(
    items: Iterable[tuple[int, Any]], vocab: Vocabulary, config: Config,
    chunk: int = DECIDE_CHUNK,
) -> Iterator[tuple[Any, ...]]:
    """Every candidate document pair of one grid cell verified and decided in one pass:
    ``("s", (id_a, id_b, strength, matches, (number_a, number_b)))`` per verified pair
    (``detect.partner_strength``), and ``("d", (number_a, number_b), PairDecision)``
    per decision.

    ``items`` are the cell's pairs ``(0, ((a, b), (row pairs, document flag)))`` and
    documents ``(1, (number, Document, segments))``. One ``SentenceTable`` holds the
    cell's documents (each built once per cell, not once per chunk and once more to
    decide); pairs are verified and decided in chunks of ``chunk`` in document-pair
    order. A pair's verification and decision read its two documents and the
    vocabulary only, so the other documents in the table change nothing, nor does
    deciding the pairs that ``strongest`` then drops; ``kept_verdicts`` keeps those.
    """
    pairs, held = [], {}
    for tag, value in items:
        if tag == 0:
            pairs.append(value)
        elif tag == 1:
            held[value[0]] = value
    if not pairs:
        return
    pairs.sort(key=lambda r: r[0])
    documents = {d.id: d for _, d, _ in held.values()}
    table = SentenceTable.build({d.id: segs for _, d, segs in held.values()})
    index = {d: k for k, d in enumerate(table.doc_ids)}
    ids = table.doc_ids
    number = {held[n][1].id: n for n in held}
    to_rows = _table_rows(table, {n: held[n][1].id for n in held})
    for lo in range(0, len(pairs), chunk):
        part = pairs[lo:lo + chunk]
        cand = _table_pairs([r for _, (r, _) in part], to_rows)
        verified = verify_candidates(table, cand, vocab, config)
        for (a, b), (_, is_doc) in part:
            if is_doc:
                da, db = sorted((index[held[a][1].id], index[held[b][1].id]))
                verified.setdefault((da, db), [])
        for (a, b), matches in verified.items():
            ia, ib = ids[a], ids[b]
            yield "s", (ia, ib, partner_strength(matches), len(matches),
                        tuple(sorted((number[ia], number[ib]))))
        for d in decide_pairs(table, verified, vocab, documents, config, passages_of="derived"):
            yield "d", tuple(sorted((number[d.a], number[d.b]))), d


def kept_verdicts(items: Iterable[Any]) -> Iterator[Any]:
    """The decisions of one grid cell's kept pairs, from its ``cell_verdicts`` and the
    marks ``(cell, (2, (number_a, number_b)))`` of the pairs ``strongest`` kept, and once
    ``(None, sentence matches, document pairs)`` of the kept pairs (the counts
    ``detect.detect`` reports)."""
    marked: set[tuple[int, int]] = set()
    strengths: list[tuple[tuple[int, int], int]] = []
    decisions: list[tuple[tuple[int, int], Any]] = []
    for x in items:
        if x[0] == "s":
            strengths.append((x[1][4], x[1][3]))
        elif x[0] == "d":
            decisions.append((x[1], x[2]))
        else:
            marked.add(tuple(x[1][1]))
    kept = [n for key, n in strengths if key in marked]
    yield (None, sum(kept), len(kept))
    for key, d in sorted(decisions, key=lambda kd: (kd[1].a, kd[1].b)):
        if key in marked:
            yield d


def cluster_component(
    members: Sequence[Document], pairs: Sequence[PairDecision], groups: Sequence[Any],
    config: Config,
) -> list[Any]:
    """Story clusters of one connected component of the derived-pair graph
    (``pipeline.build_clusters`` on it, with the duplicate groups whose head is in
    it): a cluster never crosses components."""
    from ..collapse import Collapsed
    from ..pipeline import build_clusters

    documents = {d.id: d for d in members}
    ordered = tuple(sorted(groups, key=lambda g: g.head))
    collapsed = Collapsed(ordered, {m: g.head for g in ordered for m in g.members})
    return build_clusters(documents, sorted(pairs, key=lambda p: (p.a, p.b)), config,
                          collapsed=collapsed)


# ----------------------------------------------------------------------------- collapse


def body(doc_id: str, segments: Sequence[Segment], config: Config) -> Any:
    """``(digest, n_tokens, tokens)`` of a document's body, or None when it is too short
    to collapse (``collapse._bodies``, ``cluster.collapse_min_words``)."""
    import hashlib

    from ..collapse import _bodies

    got = _bodies({doc_id: segments}).get(doc_id)
    if got is None or len(got[0]) < config.cluster.collapse_min_words:
        return None
    tokens = got[0]
    return hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest(), len(tokens), tokens


def near_key_entries(
    digests: Sequence[tuple[str, list[str], int, list[str]]], config: Config
) -> Iterator[tuple[int, str]]:
    """``(band key, digest)`` of distinct bodies (``collapse.near_keys``)."""
    from ..collapse import near_keys

    if not digests:
        return
    keys = near_keys([tokens for _, _, _, tokens in digests], config)
    for (digest, _, _, _), row in zip(digests, keys.tolist(), strict=True):
        for key in row:
            yield key, digest


def near_groups(
    digests: Sequence[tuple[str, list[str], int, list[str]]], config: Config
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """Duplicate groups among the distinct bodies of one connected set of shared keys:
    ``(member ids, digest of each member)`` for groups of two documents or more
    (``collapse.near_duplicates`` in canonical order)."""
    from ..collapse import near_duplicates

    ordered = sorted(digests, key=lambda d: (-d[2], d[0]))
    group_of, _ = near_duplicates([tokens for _, _, _, tokens in ordered], config)
    members: dict[int, list[str]] = {}
    digest_of: dict[int, dict[str, str]] = {}
    for k, (digest, ids, _, _) in enumerate(ordered):
        members.setdefault(group_of[k], []).extend(ids)
        digest_of.setdefault(group_of[k], {}).update({i: digest for i in ids})
    for g, ids in members.items():
        if len(ids) >= 2:
            yield ids, digest_of[g]


def group_and_pairs(
    members: Sequence[tuple[str, Document, list[Segment]]],
    digest_of: Mapping[str, str],
    config: Config,
) -> tuple[Any, list[PairDecision]]:
    """``collapse.make_group`` of one group, and its member pairs (``member_pairs``)."""
    from ..collapse import Collapsed, _bodies, make_group, member_pairs

    docs = {d.id: d for _, d, _ in members}
    segs = {i: s for i, _, s in members}
    ids = [i for i, _, _ in members]
    group = make_group(ids, docs, segs, _bodies(segs), digest_of, config)
    return group, member_pairs(Collapsed((group,), {}), docs, segs)


def inherited(pair: PairDecision, group: Any) -> list[PairDecision]:
    """``collapse.inherited_pairs`` of one derived pair through one group's head."""
    from ..collapse import Collapsed, inherited_pairs

    return inherited_pairs(Collapsed((group,), {}), [pair])
