"""The streaming index: add articles as they arrive, ask what each one copies.

``Index`` is a shell over the same stage functions as ``scan``; it adds storage
and nothing else that decides anything::

    >>> import tempfile, pathlib
    >>> from syndetect import Document
    >>> from syndetect.index import Index
    >>> story = ("The river council approved the Kessler dam plan on Tuesday after 14 hours "
    ...          "of debate. Engineers from Marlow Holdings said the 2.3 billion project would "
    ...          "flood 40 farms in the Tarn valley. Farmers in Ostby vowed to fight the "
    ...          "decision in court, and their lawyer called the vote a betrayal of the valley.")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "news.db"
    >>> def article(id, text, day):
    ...     return Document(id=id, text=text, published_at=f"2025-05-0{day}",
    ...                     date_strength="metadata")
    >>> with Index.open(path) as index:
    ...     index.add(article("wire", story, 1))
    ...     matches = index.add(article("paper", "Late news. " + story, 2))
    ...     sorted({(m.a.document, m.b.document, m.kind) for m in matches})
    ...     verdict = index.query(article("blog", story, 3), detail=True)
    ...     verdict.related, verdict.stored, verdict.member.role
    ...     index.query(article("other", "A cat sat on the mat all afternoon long.", 3))
    ...     len(index), [(c.origin, len(c.members)) for c in index.clusters()]
    []
    [('paper', 'wire', 'verbatim')]
    (('paper', 'wire'), False, 'derivative')
    []
    (2, [('wire', 2)])

What ``add`` does, stage by stage (``query`` is the same without the last step):

1. ``prepare([document])``: the core's segmentation and boilerplate labelling of
   the new document on its own (so only its in-document repeats and blocks are
   labelled: corpus template needs the corpus, see below);
2. band keys of its sentences, paragraphs and whole text (``base.document_keys``)
   with the stored document frequencies deciding which words are common;
3. the stored documents that share keys are loaded (``rank_candidates``): the
   ``max_candidates`` sharing the most (by default the config's
   ``candidates.max_partners``, the partners ``scan`` decides per document), then
   up to ``candidates.overflow_window`` more met only through buckets over
   ``max_bucket``, which give their latest members (``Storage.lookup``);
4. ``prepare([document, *candidates])`` labels boilerplate over that
   neighbourhood (``decide._group_prepare``: the same labels, with each article
   segmented, tokenized and shape-labelled once, ``decide.Neighbour``, and kept
   between adds), then the core's candidate functions, ``verify_candidates`` and
   ``decide_pairs`` run over the new document against each candidate, with a
   ``Vocabulary`` built from the stored counts (as if the new one were added);
5. the core's ``build_clusters`` places the new document in a local story
   cluster with the candidates it is derived with (and the derived pairs among
   those, decided the same way): the verdict (origin, parent, whole or partial,
   relation);
6. the document, its content words (document frequencies) and its band keys are
   written in one transaction.

``add_many`` does the same for a batch of documents in one transaction (each sees
the earlier ones of its batch through ``batch.Pending``), and with
``verify=False`` stops after step 2: a backfill that stores what ``add`` would.

``report()`` runs ``scan`` over the stored documents, so adding documents one by
one and reporting gives exactly the report of one ``scan`` of them. ``add``'s
answers are the incremental view and can differ from the full scan in three
ways: corpus boilerplate is only seen within the candidate neighbourhood; a
stored document's keys used the document frequencies of the moment it was added
(``syndetect index rebuild`` recomputes them); and pairs are only checked against
documents already in the index.

Storage backends: a file path (or ``sqlite:///path``) is one SQLite file
(``syndetect.index.sqlite``), ``redis://host:port/db`` is a Redis database shared
by several workers (``syndetect.index.redis``; ``?prefix=NAME`` keeps several
indexes in one database).
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import replace as replace_field
from types import TracebackType
from typing import Any, Literal, Self, overload

import numpy as np

from ..config import Config
from ..errors import IndexFormatError, InputError
from ..load.files import sound_document
from ..minhash import MinHasher, TokenHasher
from ..pipeline import Progress, scan
from ..table import TokenIds
from ..types import Cluster, Document, Match, Report
from .base import (
    FORMAT_VERSION,
    KEY_DTYPE,
    DuplicateIdError,
    Record,
    Storage,
    banded_keys,
    build_records,
    check_header,
    flat_keys,
    key_ints,
    key_vocabulary,
    make_header,
    second_keys,
    solo_view,
    unique_keys,
)
from .batch import PENDING_SEQ, Pending, StoredCounts
from .decide import Neighbour, _vocabulary_of, decide_document, encode_page, restore
from .result import AddResult

log = logging.getLogger(__name__)

_CACHE_DOCS = 4096
_CACHE_WORDS = 1 << 21
_CACHE_TOKENS = 1 << 21


def rank_candidates(
    hits: dict[int, int], overflow: dict[int, int], limit: int, window: int
) -> list[int]:
    """The stored documents an add verifies, by keys shared with it.

    ``hits`` counts keys shared through buckets of at most ``max_bucket`` members,
    ``overflow`` keys shared through the latest members of larger buckets
    (``Pending.hits``). The ``limit`` documents with the most ``hits`` come first, as
    they always did: a key in a small bucket is specific evidence. Up to ``window``
    documents met through oversized buckets come after them, into the slots left
    free, and beyond ``limit`` only when they share more keys than the strongest of
    the others: then they are the best evidence the add has, which the limit must not
    turn away (a copy of a story carried by hundreds of outlets shares every key with
    the copies before it, and every one of those buckets is oversized). Ranked in one
    list, the window's few extra keys would reorder the near-identical versions of a
    story (1,306 shared keys against 1,291) and push its origin out of the
    ``limit``; ranked after, they cannot. Ties go to the earlier document (the lower
    sequence number): the origin is added before its copies.

    >>> rank_candidates({7: 40, 3: 40, 9: 2}, {9: 100, 12: 80, 13: 5}, limit=2, window=2)
    [3, 7, 9, 12]
    >>> rank_candidates({7: 40, 3: 40}, {12: 30, 13: 5}, limit=2, window=2)
    [3, 7]
    >>> rank_candidates({7: 40}, {12: 30, 13: 5, 14: 1}, limit=2, window=2)
    [7, 12]
    >>> rank_candidates({}, {12: 30, 13: 5, 14: 1}, limit=2, window=2)
    [12, 13]
    """
    ranked = sorted(hits, key=lambda s: (-hits[s], s))[:limit]
    chosen = set(ranked)
    strongest = hits[ranked[0]] if ranked else 0
    extra = sorted((s for s in overflow if s not in chosen), key=lambda s: (-overflow[s], s))
    free = limit - len(ranked)
    taken = [s for i, s in enumerate(extra[:window])
             if i < free or overflow[s] + hits.get(s, 0) > strongest]
    return ranked + taken


def open_storage(
    target: str | os.PathLike[str], *, create: bool, durability: str, timeout: float
) -> Storage:
    """The backend ``target`` names: ``redis://``/``rediss://``/``unix://`` or a file."""
    text = os.fspath(target)
    if text.startswith(("redis://", "rediss://", "unix://")):
        from .redis import RedisStorage

        return RedisStorage(text, create=create, timeout=timeout)
    from .sqlite import SQLiteStorage

    return SQLiteStorage(text, create=create, durability=durability, timeout=timeout)


class Index:
    """A persistent, incrementally updated syndetect index (see the module docstring).

    Open one with ``Index.open``; use it as a context manager or call ``close()``.
    One ``Index`` object belongs to one thread; open one per worker.
    """

    def __init__(
        self, storage: Storage, config: Config, *, max_candidates: int | None = None
    ) -> None:
        if max_candidates is None:
            max_candidates = config.candidates.max_partners
        if isinstance(max_candidates, bool) or not isinstance(max_candidates, int) or (
                max_candidates < 1):
            raise InputError(f"max_candidates must be a positive integer, got {max_candidates!r}")
        self.storage = storage
        self.config = config
        self.max_candidates = max_candidates
        self._minhasher = MinHasher(config.minhash.num_perm, config.minhash.seed)
        self._hasher = TokenHasher()
        self._docs: OrderedDict[int, Neighbour] = OrderedDict()
        self._report: tuple[int, Report] | None = None
        self._df_cache: tuple[int, dict[str, int]] | None = None  # (generation, stored df)
        self._tokens = TokenIds()  # every token met, numbered (tables built from ids)

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
        config: Config | None = None,
        *,
        create: bool = True,
        max_candidates: int | None = None,
        durability: Literal["normal", "full"] = "normal",
        timeout: float = 30.0,
    ) -> Index:
        """Open (or create) the index at ``target``.

        ``target`` is a file path or ``sqlite:///path`` (SQLite) or
        ``redis://host:port/db[?prefix=NAME]`` (Redis, needs ``syndetect[redis]``).
        ``config=None`` uses the index's own config (``Config()`` for a new one);
        a config whose fingerprint differs from the stored one is refused, as is an
        index written by another syndetect or datasketch version or MinHash
        setting: ``IndexFormatError`` names the rebuild command. ``create=False``
        refuses to create a missing index (``InputError``). ``durability="full"``
        makes SQLite fsync every commit (power-loss durability). ``timeout`` is how
        long a writer waits for another one (SQLite) or a connection (Redis).
        ``max_candidates``: earlier articles verified per add (those sharing the most
        band keys); by default ``config.candidates.max_partners``, the partners
        ``scan`` decides per document. Up to ``candidates.overflow_window`` articles
        met only through oversized buckets come on top (``rank_candidates``).
        """
        storage = open_storage(target, create=create, durability=durability, timeout=timeout)
        try:
            stored = storage.header()
            if stored is None:
                if not create:
                    raise InputError(
                        f"{storage.target}: no such index; create one with: "
                        f"syndetect index add {target} PATH..."
                    )
                stored = storage.create(make_header(config or Config()))
            use = check_header(stored, config, os.fspath(target))
        except BaseException:
            storage.close()
            raise
        return cls(storage, use, max_candidates=max_candidates)

    @classmethod
    def rebuild(
        cls,
        target: str | os.PathLike[str],
        config: Config | None = None,
        *,
        progress: Progress | None = None,
        timeout: float = 30.0,
    ) -> int:
        """Rewrite the index at ``target`` for this syndetect version (and ``config``).

        Reads the stored documents (whatever version wrote them, if its format is
        not newer), recomputes their words and band keys with the document
        frequencies of all of them, and replaces header and contents: atomically
        for SQLite, resumably for Redis. ``config=None`` keeps the stored config.
        No other process may use the index meanwhile. Returns the number of documents.
        """
        storage = open_storage(target, create=False, durability="normal", timeout=timeout)
        try:
            stored = storage.header()
            if stored is None:
                raise InputError(f"{storage.target}: no such index (it has no header)")
            fmt = stored.get("format_version")
            if not isinstance(fmt, int) or fmt > FORMAT_VERSION:
                raise IndexFormatError(
                    f"{storage.target}: index format {fmt!r} is not one this syndetect "
                    f"reads (up to {FORMAT_VERSION}); upgrade syndetect"
                )
            use = config
            if use is None:
                try:
                    use = Config.from_dict(stored.get("config") or {})
                except Exception as exc:
                    raise IndexFormatError(
                        f"{storage.target}: its stored config cannot be read ({exc}); "
                        "pass a config to rebuild it with"
                    ) from exc
            final = use
            return storage.rebuild(
                make_header(final), lambda docs: build_records(docs, final, progress)
            )
        finally:
            storage.close()

    # ----------------------------------------------------------------- context manager

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the storage; the index object cannot be used afterwards."""
        self.storage.close()

    # ----------------------------------------------------------------- contents

    @property
    def header(self) -> dict[str, Any]:
        """The stored header: format and tool versions, MinHash settings, config."""
        return dict(self.storage.header() or {})

    def __len__(self) -> int:
        return len(self.storage.ids())

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.storage.get(doc_id) is not None

    def ids(self) -> list[str]:
        """Stored document ids, in the order they were added."""
        return self.storage.ids()

    def get(self, doc_id: str) -> Document | None:
        """The stored document ``doc_id`` exactly as it was added, or None."""
        found = self.storage.get(doc_id)
        return found[1].document if found is not None else None

    def documents(self) -> Iterator[Document]:
        """Every stored document, in the order they were added."""
        return self.storage.iter_documents()

    def size_bytes(self) -> int:
        """Bytes the index takes: its files (SQLite) or its keys' memory (Redis)."""
        return self.storage.size_bytes()

    # ----------------------------------------------------------------- add / query

    @overload
    def add(self, document: Document, *, replace: bool = ...,
            detail: Literal[False] = ...) -> list[Match]: ...

    @overload
    def add(self, document: Document, *, replace: bool = ...,
            detail: Literal[True]) -> AddResult: ...

    def add(
        self, document: Document, *, replace: bool = False, detail: bool = False
    ) -> list[Match] | AddResult:
        """Add ``document``; return its verified matches to earlier documents.

        Each match has the new document on side ``a`` and an earlier one on side
        ``b``, with offsets into both texts, a similarity and a kind; only pairs the
        core decides are derived contribute. ``detail=True`` returns an
        ``AddResult`` with every pair decision and the local provenance verdict.
        An id already in the index raises ``DuplicateIdError`` (an ``InputError``)
        unless ``replace=True``, which swaps the stored document in the same
        transaction. A document that is not ``ok`` (or has no text) is stored and
        reported like ``scan`` reports it, and matches nothing.
        """
        (result,) = self._run_batch([document], store=True, replace=replace, verify=True)
        return result if detail else list(result.matches)

    def add_many(
        self,
        documents: Iterable[Document],
        *,
        replace: bool = False,
        verify: bool = True,
        batch_size: int = 500,
        progress: Progress | None = None,
    ) -> list[AddResult]:
        """Add documents in batches, each written in one transaction; an ``AddResult`` each.

        The index ends up exactly as after ``add`` of each document in turn (the
        same records, buckets, document frequencies and counters; each document's
        keys use the frequencies of the ones before it, batch or not), and with
        ``verify=True`` each result is the one ``add`` would return: a document is
        checked against the earlier documents of its own batch as well. What
        batching saves is storage work: the batch's stored frequencies and
        buckets are read in one round and its writes go in one transaction (one
        ``BEGIN``/``COMMIT`` in SQLite, with the bucket rows in key order; one
        ``MULTI``/``EXEC`` in Redis).

        ``verify=False`` only stores: keys and counts are computed, no candidate is
        verified and the results carry no matches or verdict (``candidates`` is 0).
        It is the fast way to load an archive whose matches are not needed now;
        ``report()`` afterwards is still ``scan`` of everything stored.

        Atomicity is per batch of ``batch_size`` documents: a batch is written
        whole or not at all (a crash, an error or a duplicate id in it leaves
        nothing of it), and the batches before it stay written; ``ids()`` shows how
        far it got. An id already stored raises ``DuplicateIdError`` unless
        ``replace=True``; an id repeated within ``documents`` ends the batch before
        it, so it meets the first copy stored, as with ``add``. SQLite holds its
        write lock for a whole batch (with ``verify``, while every document in it
        is verified): other writers wait, up to the index's ``timeout``. Keep
        batches small when several processes add to one file.

        ``progress(stage, done, total)`` is called after each batch (``total`` is
        0 when ``documents`` has no length).

        >>> import tempfile, pathlib
        >>> from syndetect import Document
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "archive.db"
        >>> docs = [Document(id=f"d{i}", text=f"Story number {i} about the harbour.")
        ...         for i in range(5)]
        >>> with Index.open(path) as index:
        ...     results = index.add_many(docs, verify=False, batch_size=2)
        ...     [r.stored for r in results], index.ids()
        ([True, True, True, True, True], ['d0', 'd1', 'd2', 'd3', 'd4'])
        """
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise InputError(f"batch_size must be a positive integer, got {batch_size!r}")
        total = len(documents) if isinstance(documents, Sized) else 0
        results: list[AddResult] = []
        batch: list[Document] = []
        ids: set[str] = set()

        def flush() -> None:
            results.extend(self._run_batch(batch, store=True, replace=replace, verify=verify))
            batch.clear()
            ids.clear()
            if progress:
                progress("add", len(results), total)

        for document in documents:
            if len(batch) >= batch_size or document.id in ids:
                flush()
            batch.append(document)
            ids.add(document.id)
        if batch:
            flush()
        return results

    @overload
    def query(self, document: Document, *, detail: Literal[False] = ...) -> list[Match]: ...

    @overload
    def query(self, document: Document, *, detail: Literal[True]) -> AddResult: ...

    def query(self, document: Document, *, detail: bool = False) -> list[Match] | AddResult:
        """What ``add`` would return for ``document``, without storing it.

        A stored document with the same id is left out of the candidates and of
        the document frequencies, so querying a stored document gives its matches
        to the others.
        """
        (result,) = self._run_batch([document], store=False, replace=False, verify=True)
        return result if detail else list(result.matches)

    def _cached_documents(self, seqs: Sequence[int]) -> dict[int, Neighbour]:
        """Stored documents, segmented and prepared for labelling, cached by sequence number.

        A sequence number is never reused, so a cached entry cannot go stale. A
        document no longer stored (removed meanwhile) is left out.
        """
        missing = [s for s in seqs if s not in self._docs]
        if missing:
            for s, (doc, page) in self.storage.get_prepared(missing).items():
                self._docs[s] = restore(doc, page, self.config)
            while len(self._docs) > _CACHE_DOCS:
                self._docs.popitem(last=False)
        out = {}
        for s in seqs:
            entry = self._docs.get(s)
            if entry is not None:
                self._docs.move_to_end(s)
                out[s] = entry
        return out

    def _run_batch(
        self, documents: Sequence[Document], *, store: bool, replace: bool, verify: bool
    ) -> list[AddResult]:
        """``add`` (or ``query``) of each document in turn, written in one transaction.

        Each document sees the earlier ones of the batch through ``Pending``
        exactly as it would see them stored. Ids must be distinct (``add_many``
        splits batches where one repeats).
        """
        config, storage = self.config, self.storage
        t0 = time.perf_counter()
        documents = [sound_document(d) for d in documents]  # as a loader would give them
        if len(self._tokens) > _CACHE_TOKENS:
            self._tokens = TokenIds()
        solo = [solo_view(d, config, self._tokens) for d in documents]
        max_bucket, window = config.candidates.max_bucket, config.candidates.overflow_window
        with storage.session(write=store):
            existing = storage.find([d.id for d in documents])
            if store and not replace:
                dup = next((d.id for d in documents if d.id in existing), None)
                if dup is not None:
                    raise DuplicateIdError(
                        f"{dup}: the index already holds a document with this id; remove it "
                        "first or add with replace=True (CLI: --replace)"
                    )
            n_stored = storage.n_docs()
            # Stored frequencies read by earlier batches stay valid while nobody else
            # writes: the generation counter is where this process left it.
            generation = storage.generation()
            if self._df_cache is None or self._df_cache[0] != generation:
                self._df_cache = (generation, {})
            stored_df = StoredCounts(storage, self._df_cache[1])
            stored_df.get(w for _, _, words, _ in solo for w in words)

            # Band keys, each document's with the frequencies of the ones before it.
            plan = []
            running = Pending()
            for document, (doc, table1, words, page) in zip(documents, solo):
                own = existing.get(doc.id)
                own_words = frozenset(own[1].words) if own is not None else frozenset[str]()
                own_counted = own is not None and own[1].counted
                keys = np.empty(0, dtype=KEY_DTYPE)
                parts: list[np.ndarray] = []
                vocabulary = None
                counts: dict[str, int] = {}
                if table1 is not None:
                    vocabulary = _vocabulary_of(
                        n_stored + running.n_docs - int(own_counted) + 1, own_words,
                        frozenset(words),
                    )
                    counts = running.counts(stored_df.get(words))
                    parts = banded_keys(table1, doc.id, key_vocabulary(vocabulary(counts)),
                                        config, self._minhasher, self._hasher)
                    keys = flat_keys(parts)
                record = Record(document=document, status=doc.status, words=tuple(words),
                                keys=keys, page=None if page is None else encode_page(page, doc.text))
                running.push(record, replaced=own if store else None, prepared=None,
                             buckets=False)
                plan.append((doc, record, own, counts, vocabulary, parts,
                             None if page is None else Neighbour(doc, page)))

            results = []
            pending = Pending()
            stored_members: dict[int, tuple[bool, list[int]]] = {}
            if verify and any(len(p[1].keys) for p in plan):
                batch_keys = unique_keys(np.concatenate([p[1].keys for p in plan]))
                # A replaced document leaves its buckets: read that many more, so that
                # the buckets still show whether they are over the limit and what their
                # latest members are once it has gone.
                replaced = sum(p[2] is not None for p in plan)
                stored_members = dict(zip(key_ints(batch_keys), storage.members(
                    batch_keys, limit=max_bucket + replaced, tail=window + replaced)))
            for doc, record, own, counts, vocabulary, parts, mine in plan:
                t1 = time.perf_counter()
                result = AddResult(document=doc.id, status=doc.status, stored=store)
                if verify and mine is not None and vocabulary is not None:
                    hits, overflow = pending.hits(
                        key_ints(record.keys), stored_members,
                        lambda over, parts=parts: second_keys(parts, over),
                        max_bucket=max_bucket, window=window)
                    if own is not None:
                        hits.pop(own[0], None)
                        overflow.pop(own[0], None)
                    ranked = rank_candidates(hits, overflow, self.max_candidates, window)
                    candidates = self._candidates(ranked, pending)
                    if candidates:
                        def df_of(words: Iterable[str], pending: Pending = pending) -> dict[
                                str, int]:
                            return pending.counts(stored_df.get(words))

                        result = decide_document(mine, candidates, counts, vocabulary, df_of, store,
                                                 self.config, self._minhasher, self._hasher,
                                                 self._tokens)
                pending.push(record, replaced=own if store else None,
                             prepared=mine if verify and store else None, buckets=verify)
                results.append(AddResult(
                    document=result.document, status=result.status, stored=store,
                    matches=result.matches, pairs=result.pairs, cluster=result.cluster,
                    candidates=result.candidates, reason=doc.reason, message=doc.message,
                    verified=verify, seconds=time.perf_counter() - t1,
                ))
            if store:
                seqs = storage.put_many(pending.records, replace=replace)
                for i, seq in enumerate(seqs):
                    entry = pending.documents.get(PENDING_SEQ + i)
                    if entry is not None:
                        self._docs[seq] = entry
                while len(self._docs) > _CACHE_DOCS:
                    self._docs.popitem(last=False)
        self._df_cache = self._counted(store, pending) if store else self._df_cache
        if len(results) == 1:  # one document: its time includes the keys and the write
            results[0] = replace_field(results[0], seconds=time.perf_counter() - t0)
        return results

    def _counted(self, store: bool, pending: Pending) -> tuple[int, dict[str, int]] | None:
        """The frequency cache after a committed batch: its own counts added, or None
        (read again) after a replace, or when it has grown past ``_CACHE_WORDS``."""
        if self._df_cache is None or pending.removed or len(self._df_cache[1]) > _CACHE_WORDS:
            return None
        generation, counts = self._df_cache
        for w, n in pending.df.items():
            if w in counts:
                counts[w] += n
        return generation + len(pending.records), counts

    def _candidates(self, ranked: Sequence[int], pending: Pending) -> list[Neighbour]:
        """Candidate documents in ``ranked`` order, from the batch or from storage."""
        stored = self._cached_documents([s for s in ranked if s < PENDING_SEQ])
        out = []
        for s in ranked:
            entry = pending.documents.get(s) if s >= PENDING_SEQ else stored.get(s)
            if entry is not None:
                out.append(entry)
        return out

    # ----------------------------------------------------------------- remove

    def remove(self, doc_id: str) -> bool:
        """Forget ``doc_id`` (its text, keys and word counts); False if it was not stored."""
        with self.storage.session(write=True):
            return self.storage.delete(doc_id)

    # ----------------------------------------------------------------- whole-corpus results

    def report(self, *, progress: Progress | None = None) -> Report:
        """``scan`` over the stored documents: the same Report as one scan of them.

        The result is cached until the next ``add`` or ``remove`` (by any process).
        """
        with self.storage.session(write=False):
            generation = self.storage.generation()
            if self._report is not None and self._report[0] == generation:
                return self._report[1]
            documents = list(self.storage.iter_documents())
        report = scan(documents, self.config, progress=progress)
        self._report = (generation, report)
        return report

    def clusters(self) -> tuple[Cluster, ...]:
        """Story clusters of the stored documents (``report().clusters``)."""
        return self.report().clusters
