"""What every index backend stores, and the small interface a backend implements.

An index holds, per document: the ``Document`` itself (every field, as JSON, so
``report()`` can rerun ``scan`` on exactly what was added), the distinct content
words it contributed to the document frequencies, and its LSH band keys at the
three candidate grains of ``syndetect.detect``:

=========  ====================================  =================================
grain      set that is MinHashed                 core function it mirrors
=========  ====================================  =================================
sentence   a sentence's rarest content words      ``rewrite_candidates``
passage    a sentence's bottom-k word n-grams     ``copy_candidates``
document   the document's rarest content words    ``document_candidates``
=========  ====================================  =================================

The keys are computed here with the core's own pieces (``MinHasher``,
``Shingles``, ``band_keys``, ``lsh_params``) from the same sets the core builds;
a test checks that every document pair the core's candidate functions propose
shares a stored key. Buckets map a ``(band, key)`` to the documents holding it;
the index uses them only to pick which earlier documents to verify, and the
verification and the pair decisions are the core's.

Backends (``sqlite.py``, ``redis.py``) implement ``Storage``; everything else
(header checks, keys, verification) is shared.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .._version import __version__
from ..boilerplate import PreparedPage, detect_boilerplate_prepared, prepare_page
from ..candidates import band_keys, lsh_params
from ..config import Config
from ..errors import IndexFormatError, InputError
from ..minhash import SCHEME, MinHasher, Shingles, TokenHasher
from ..segment import segment
from ..site import template_groups
from ..table import SentenceTable, TokenIds
from ..terms import Vocabulary
from ..types import Document

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
"""Integer version of the persisted layout; a backend refuses a newer one."""

GRAINS = ("sentence", "passage", "document")
"""Candidate grains, in the order of their integer codes in stored key arrays."""

KEY_DTYPE = np.dtype([("grain", "<u1"), ("band", "<u2"), ("key", "<u8")])
"""One stored band key: 11 bytes, little-endian, packed."""

REBUILD_HINT = "syndetect index rebuild {target}"


class DuplicateIdError(InputError):
    """``add`` of an id the index already holds (pass ``replace=True`` to re-add it)."""


# --------------------------------------------------------------------------- header


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size`` (a backend's statement or pipeline size)."""
    return (items[i : i + size] for i in range(0, len(items), size))


def datasketch_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("datasketch")
    except PackageNotFoundError:  # pragma: no cover - datasketch is a dependency
        return "unknown"


def lsh_layout(config: Config) -> dict[str, list[int]]:
    """``(bands, rows)`` of each grain for ``config``, as the header records them."""
    cc, num_perm = config.candidates, config.minhash.num_perm
    return {
        "sentence": list(lsh_params(cc.rewrite_threshold, num_perm)),
        # Bottom-k n-gram hashes, unbanded: (keys per sentence, n).
        "passage": [cc.passage_keys, config.minhash.verbatim_ngram],
        "document": list(lsh_params(cc.document_threshold, num_perm)),
    }


KEY_SECTIONS = ("segment", "boilerplate", "minhash", "candidates")
"""Config sections that shape what an index stores (segments, band keys, document
frequencies). The others (``align``, ``decision``, ``cluster``, ``provenance``) act
only when an answer is computed, so changing them needs no rebuild."""


def keys_fingerprint(config: Config) -> str:
    """A stable hash of the config sections the stored data depends on.

    >>> from syndetect.config import Config
    >>> stricter = Config.from_dict({"decision": {"threshold": 0.9}})
    >>> keys_fingerprint(stricter) == keys_fingerprint(Config())
    True
    """
    import hashlib

    data = {k: v for k, v in config.to_dict().items() if k in KEY_SECTIONS}
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def make_header(config: Config) -> dict[str, Any]:
    """The header a new index records: what its stored keys depend on."""
    return {
        "keys_fingerprint": keys_fingerprint(config),
        "format_version": FORMAT_VERSION,
        "syndetect_version": __version__,
        "datasketch_version": datasketch_version(),
        "minhash_scheme": SCHEME,
        "num_perm": config.minhash.num_perm,
        "seed": config.minhash.seed,
        "lsh": lsh_layout(config),
        "config_fingerprint": config.fingerprint(),
        "config": config.to_dict(),
    }


def check_header(
    stored: Mapping[str, Any], config: Config | None, target: str
) -> Config:
    """The config to use with an index whose header is ``stored``, or IndexFormatError.

    ``config=None`` means "the index's own config". Everything the stored keys
    depend on must match this process: the format, syndetect and datasketch
    versions, the MinHash scheme, ``num_perm``, seed and LSH layout, and the
    fingerprint of the config sections that shape stored data (``KEY_SECTIONS``);
    a config that differs only in the others (say ``decision.threshold``) is used
    as given. An index written before ``keys_fingerprint`` existed compares the
    whole config's fingerprint.
    """
    rebuild = REBUILD_HINT.format(target=target)
    fmt = stored.get("format_version")
    if stored.get("rebuilding"):
        raise IndexFormatError(
            f"{target}: a rebuild of this index was interrupted; finish it: {rebuild}"
        )
    if not isinstance(fmt, int):
        raise IndexFormatError(f"{target}: not a syndetect index (no format_version in its header)")
    if fmt > FORMAT_VERSION:
        raise IndexFormatError(
            f"{target}: index format {fmt} was written by a newer syndetect "
            f"({stored.get('syndetect_version')}); this is {__version__}, which reads format "
            f"{FORMAT_VERSION} and older. Upgrade syndetect to use it."
        )
    try:
        own = Config.from_dict(stored.get("config") or {})
    except Exception as exc:
        raise IndexFormatError(
            f"{target}: its stored config cannot be read by syndetect {__version__} ({exc}); "
            f"rebuild it with a config: {rebuild} --config FILE.json"
        ) from exc
    use = own if config is None else config
    expected = make_header(use)
    for name, label in (
        ("syndetect_version", "syndetect version"),
        ("datasketch_version", "datasketch version"),
        ("minhash_scheme", "MinHash scheme"),
        ("num_perm", "num_perm"),
        ("seed", "MinHash seed"),
        ("lsh", "LSH layout (bands, rows)"),
        ("keys_fingerprint", "config fingerprint (of the sections that shape stored keys)")
        if "keys_fingerprint" in stored else ("config_fingerprint", "config fingerprint"),
    ):
        if stored.get(name) != expected[name]:
            advice = f"Rebuild it: {rebuild}"
            if name in ("keys_fingerprint", "config_fingerprint") and config is not None:
                advice = (
                    f"Open it without a config to use its own, or rebuild it with this one: "
                    f"{rebuild} --config FILE.json"
                )
            raise IndexFormatError(
                f"{target}: built with {label} {stored.get(name)!r}, but this process uses "
                f"{expected[name]!r}; its stored signatures would not match. {advice}"
            )
    return use


# --------------------------------------------------------------------------- records


def document_to_json(doc: Document) -> str:
    """Every field of ``doc`` as JSON (metadata values JSON cannot hold become strings)."""
    data = {f.name: getattr(doc, f.name) for f in fields(Document)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def document_from_json(text: str | bytes) -> Document:
    data = json.loads(text)
    known = {f.name for f in fields(Document)}
    return Document(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Record:
    """What the index stores for one document."""

    document: Document  # exactly as it was added
    status: str  # as ``scan`` sees it: an ``ok`` document without text is ``skipped``
    words: tuple[str, ...]  # distinct content words counted in the document frequencies
    keys: np.ndarray  # KEY_DTYPE, unique
    # The document segmented, tokenized and shape-labelled (``decide.encode_page``),
    # so that it joins later neighbourhoods without being prepared again; None for a
    # document that is not ``ok`` (or one stored before pages were).
    page: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def counted(self) -> bool:
        """True when the document counts in the vocabulary (``scan`` would match it)."""
        return self.status == "ok"

    def keys_blob(self) -> bytes:
        return np.ascontiguousarray(self.keys, dtype=KEY_DTYPE).tobytes()

    @staticmethod
    def keys_from_blob(blob: bytes | None) -> np.ndarray:
        return np.frombuffer(blob or b"", dtype=KEY_DTYPE)


# --------------------------------------------------------------------------- band keys


KEY_MIN_DF = 1
"""Document frequency from which the index lets a word into a stored key set.

``scan`` sees the whole corpus and leaves out words in one document only (they
pair nothing). An index grows from zero: when a story is added first, its own
names are in that one document, and they must still be in its stored keys for the
copy added later to find it. So stored keys take each set's rarest words among all
its words (``min_df=1``)."""


def key_vocabulary(vocab: Vocabulary) -> Vocabulary:
    """``vocab`` as key computation sees it (kept for callers; the vocabulary itself)."""
    return vocab


def _pack(grain: int, keys: np.ndarray) -> np.ndarray:
    """``[n x b]`` band keys -> flat KEY_DTYPE rows (band = column)."""
    n, b = keys.shape
    out = np.empty(n * b, dtype=KEY_DTYPE)
    out["grain"] = grain
    out["band"] = np.tile(np.arange(b, dtype=np.uint16), n)
    out["key"] = keys.reshape(-1)
    return out


def document_signatures(
    table: SentenceTable,
    doc_id: str,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
    *,
    min_df: int = KEY_MIN_DF,
) -> dict[str, np.ndarray]:
    """Signatures (sentence, document grains: ``[n x num_perm]``) and bottom-k n-gram
    hashes (passage grain: ``[n x 1]``) of ``doc_id``'s sets.

    The sets are built as ``grains.rewrite_candidates`` (a sentence's
    ``sentence_words`` rarest content words, at least 3), ``grains.copy_candidates``
    (a sentence's ``passage_keys`` smallest word n-gram hashes) and
    ``grains.document_candidates`` (the document's ``document_words`` rarest, at least
    5) build them, rarity by ``vocab`` among words in at least ``min_df`` documents
    (``scan`` uses 2; a test passes the core's vocabulary and 2 to check the mirror).
    A grain with no valid set is left out.
    """
    from ..grains import DOCUMENT_MIN_WORDS, SENTENCE_MIN_WORDS, passage_sketches

    rows = table.doc_rows[doc_id]
    out: dict[str, np.ndarray] = {}
    cc = config.candidates

    def sign(sets: list[Any]) -> np.ndarray:
        return minhasher.signatures(Shingles.from_token_lists(sets, n=1, hasher=hasher))

    sets = [vocab.rarest(table.word_sets[r], cc.sentence_words, min_df) for r in rows]
    sets = [s for s in sets if len(s) >= SENTENCE_MIN_WORDS]
    if sets:
        out["sentence"] = sign(sets)
    if len(rows):
        a, z = table.tok_ptr[rows.start], table.tok_ptr[rows.stop]
        tok_hash = hasher.hash_tokens(table.tokens_by_id)[table.tok_ids[a:z]]
        _, keys, _ = passage_sketches(tok_hash, table.tok_ptr[rows.start:rows.stop + 1] - a,
                                      config)
        if len(keys):
            out["passage"] = keys.reshape(-1, 1)
    doc_set = vocab.rarest(table.doc_words(doc_id), cc.document_words, min_df)
    if len(doc_set) >= DOCUMENT_MIN_WORDS:
        out["document"] = sign([doc_set])
    return out


def banded_keys(
    table: SentenceTable,
    doc_id: str,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
    *,
    min_df: int = KEY_MIN_DF,
) -> list[np.ndarray]:
    """``document_signatures`` banded as ``scan`` bands them (``band_signatures``)."""
    return band_signatures(
        document_signatures(table, doc_id, vocab, config, minhasher, hasher, min_df=min_df),
        config,
    )


def band_signatures(signatures: Mapping[str, np.ndarray], config: Config) -> list[np.ndarray]:
    """Per grain of ``document_signatures`` an ``[n x b]`` KEY_DTYPE array, one row per
    set: MinHash signatures banded, the passage grain's ``[n x 1]`` n-gram hashes as
    they are (its keys)."""
    layout = lsh_layout(config)
    out = []
    for grain, sig in signatures.items():
        keys = sig.astype(np.uint64) if grain == "passage" else band_keys(sig, *layout[grain])
        out.append(_pack(GRAINS.index(grain), keys).reshape(keys.shape))
    return out


def document_keys(
    table: SentenceTable,
    doc_id: str,
    vocab: Vocabulary,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
    *,
    min_df: int = KEY_MIN_DF,
) -> np.ndarray:
    """Unique band keys (KEY_DTYPE) of ``document_signatures``, banded as ``scan`` bands them."""
    return flat_keys(banded_keys(table, doc_id, vocab, config, minhasher, hasher, min_df=min_df))


def flat_keys(parts: list[np.ndarray]) -> np.ndarray:
    """The unique keys of ``banded_keys``' arrays."""
    if not parts:
        return np.empty(0, dtype=KEY_DTYPE)
    return unique_keys(np.concatenate([p.reshape(-1) for p in parts]))


def second_keys(parts: list[np.ndarray], wanted: Collection[int]) -> dict[int, set[int]]:
    """For each key of ``wanted`` (``key_ints``) in a banded grain of ``parts``
    (``banded_keys``), the keys of the next band of the same sets: the second key by
    which ``candidates.bucket_pairs`` splits a bucket over ``max_bucket``. Rows that
    share both keys are near-identical sets; rows that share one are usually sets
    that met on common words. Only ``wanted`` keys are looked at (the few oversized
    ones of an add, among a thousand)."""
    out: dict[int, set[int]] = {}
    if not wanted:
        return out
    values = np.array([k & _KEY_MASK for k in wanted], dtype=np.uint64)
    for part in parts:
        n, b = part.shape
        if b < 2:
            continue  # the passage grain: its second key is not stored
        hit = np.isin(part["key"], values)
        if not hit.any():
            continue
        rows, cols = np.nonzero(hit)
        first = key_ints(part[rows, cols])
        second = key_ints(part[rows, (cols + 1) % b])
        for k1, k2 in zip(first, second):
            if k1 in wanted:
                out.setdefault(k1, set()).add(k2)
    return out


_KEY_MASK = (1 << 64) - 1


def unique_keys(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)`` for KEY_DTYPE rows (sorted by grain, band, key), ~10x faster.

    NumPy sorts structured arrays field by field through a generic comparison;
    a ``lexsort`` on two integer columns gives the same order.
    """
    if len(keys) == 0:
        return keys.copy()
    gb = (keys["grain"].astype(np.uint32) << 16) | keys["band"]
    k = keys["key"]
    order = np.lexsort((k, gb))
    gb, k = gb[order], k[order]
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = (gb[1:] != gb[:-1]) | (k[1:] != k[:-1])
    return keys[order[keep]]


def key_ints(keys: np.ndarray) -> list[int]:
    """Each KEY_DTYPE row as one Python int (grain, band and key bits side by side)."""
    return [
        (g << 80) | (b << 64) | k
        for g, b, k in zip(keys["grain"].tolist(), keys["band"].tolist(), keys["key"].tolist())
    ]


def solo_words(
    document: Document, config: Config
) -> tuple[Document, SentenceTable | None, list[str]]:
    """The document as ``scan`` sees it, its sentence table and its distinct content words.

    The core's ``prepare`` on the document alone: segmentation and the boilerplate
    a single document shows (its own repeats and blocks). A document ``scan``
    would skip (no text) comes back with that status and reason, and no table.
    """
    doc, table, words, _ = solo_view(document, config)
    return doc, table, words


def solo_view(
    document: Document, config: Config, tokens: TokenIds | None = None
) -> tuple[Document, SentenceTable | None, list[str], PreparedPage | None]:
    """``solo_words`` and the document's ``prepare_page`` (None when it is not ``ok``).

    ``prepare([document])`` built from its parts, so that the segments, tokens and
    shape labels it computes serve the document's neighbourhood too (a test checks
    it against ``prepare``): ``pipeline.prepare`` marks an ``ok`` document without
    text ``skipped``, segments it and labels its boilerplate on its own (one
    document shares no site-wide title). ``tokens``: the caller's token numbering,
    to build the table from ids (the same table).
    """
    from ..pipeline import _usable as usable

    doc = usable(document)
    if doc.status != "ok":
        return doc, None, [], None
    page = prepare_page(doc.id, segment(doc.id, doc.text, config.segment), config.boilerplate)
    labelled, _ = detect_boilerplate_prepared({doc.id: page}, config.boilerplate,
                                              {doc.id: template_groups(doc)})
    if tokens is None:
        table = SentenceTable.build(labelled, {doc.id: page.tokens})
    else:
        table = SentenceTable.build_from_ids(labelled, {doc.id: tokens.encode(page.tokens)},
                                             tokens)
    return doc, table, sorted(set(table.doc_words(doc.id))), page


def build_records(
    documents: Sequence[Document], config: Config, progress: Any = None
) -> Iterator[Record]:
    """Records of ``documents`` keyed with the document frequencies of all of them.

    Two passes (words, then keys) so that memory holds one document's table at a
    time; what ``rebuild`` writes.
    """
    vocab = Vocabulary()
    total = len(documents)
    for i, doc in enumerate(documents):
        seen, _, words = solo_words(doc, config)
        if seen.status == "ok":
            vocab.add(words)
        if progress:
            progress("words", i + 1, total)
    minhasher = MinHasher(config.minhash.num_perm, config.minhash.seed)
    hasher = TokenHasher()
    from .decide import encode_page

    for i, doc in enumerate(documents):
        seen, table, words, page = solo_view(doc, config)
        keys = (
            document_keys(table, doc.id, key_vocabulary(vocab), config, minhasher, hasher)
            if table is not None else np.empty(0, dtype=KEY_DTYPE)
        )
        yield Record(document=doc, status=seen.status, words=tuple(words), keys=keys,
                     page=None if page is None else encode_page(page, seen.text))
        if progress:
            progress("keys", i + 1, total)


# --------------------------------------------------------------------------- storage


def batch_counts(records: Sequence[Record]) -> tuple[Counter[str], int]:
    """Document-frequency increments of a batch of records, and how many documents count."""
    df: Counter[str] = Counter()
    counted = 0
    for record in records:
        if record.counted:
            df.update(record.words)
            counted += 1
    return df, counted


def check_batch_ids(records: Sequence[Record]) -> None:
    """DuplicateIdError when one batch names an id twice (its result would depend on order)."""
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise DuplicateIdError(
                f"{record.id}: named twice in one batch; write the second in a later batch"
            )
        seen.add(record.id)


class Storage(ABC):
    """A backend: header, documents, document frequencies and LSH buckets.

    ``session(write=True)`` brackets one ``add``, ``add_many`` batch or
    ``remove``: every write made inside it becomes visible together or not at
    all. ``put_many`` writes a batch of records as one transaction; ``put``,
    ``lookup`` and ``find`` are built on the abstract methods.
    """

    target: str

    @abstractmethod
    def header(self) -> dict[str, Any] | None:
        """The stored header, or None for an index that has none yet."""

    @abstractmethod
    def create(self, header: Mapping[str, Any]) -> dict[str, Any]:
        """Record ``header`` unless one exists (another process may win); return the stored one."""

    @abstractmethod
    def session(self, *, write: bool) -> AbstractContextManager[None]:
        """A consistent view (and, with ``write``, the write lock where the backend has one)."""

    @abstractmethod
    def counter(self, name: str) -> int:
        """The stored counter ``name`` ("n_docs", "generation"), 0 when never set."""

    def n_docs(self) -> int:
        """Documents counted in the vocabulary."""
        return self.counter("n_docs")

    def generation(self) -> int:
        """A counter bumped by every add and remove (for caching derived results)."""
        return self.counter("generation")

    @abstractmethod
    def df(self, words: Iterable[str]) -> dict[str, int]:
        """Stored document frequency of each word (absent words are left out)."""

    @abstractmethod
    def members(
        self, keys: np.ndarray, *, limit: int, tail: int = 0
    ) -> list[tuple[bool, list[int]]]:
        """For each row of ``keys``: ``(over, seqs)``, the documents in its bucket.

        A bucket of at most ``limit`` documents gives ``(False, all of them)``; a
        larger one gives ``(True, the tail)``: its ``tail`` highest sequence numbers,
        the documents added last. Sequence numbers ascend. One round of requests for
        the whole array (a batch's keys at once).
        """

    def lookup(
        self, keys: np.ndarray, *, max_bucket: int, window: int = 0
    ) -> dict[int, int]:
        """Documents (by sequence number) sharing keys with ``keys``, and how many keys each.

        A bucket of more than ``max_bucket`` documents gives only its ``window``
        latest, as ``candidates.bucket_pairs`` pairs a row of an oversized bucket with
        its ``window`` neighbours in document order: a story reprinted by hundreds of
        outlets stays connected (each new copy meets the copies added just before it),
        and a key shared by thousands of unrelated articles costs ``window`` candidates.
        ``add`` keeps only those of the window that also share the key's second key
        (``Pending.hits``, which has the article's banded keys); this lookup does not.
        """
        hits: dict[int, int] = {}
        for _, seqs in self.members(keys, limit=max_bucket, tail=window):
            for seq in seqs:
                hits[seq] = hits.get(seq, 0) + 1
        return hits

    @abstractmethod
    def get_many(self, seqs: Sequence[int]) -> list[Document]:
        """The stored documents with these sequence numbers, in the same order."""

    @abstractmethod
    def get_prepared(self, seqs: Sequence[int]) -> dict[int, tuple[Document, bytes | None]]:
        """The stored documents with these sequence numbers and their pages
        (``Record.page``, None when not stored); a missing number is left out."""

    @abstractmethod
    def get(self, doc_id: str) -> tuple[int, Record] | None:
        """Sequence number and record of ``doc_id``, or None."""

    def find(self, doc_ids: Sequence[str]) -> dict[str, tuple[int, Record]]:
        """``get`` of several ids at once; ids not stored are left out."""
        out = {}
        for doc_id in doc_ids:
            found = self.get(doc_id)
            if found is not None:
                out[doc_id] = found
        return out

    @abstractmethod
    def put_many(self, records: Sequence[Record], *, replace: bool = False) -> list[int]:
        """Store documents in one transaction; their sequence numbers, in order.

        All or nothing: an id already stored (unless ``replace``, which swaps the
        old record out in the same transaction) raises ``DuplicateIdError`` and
        nothing of the batch is written. The stored state equals ``put`` of each
        record in turn (same rows, buckets, document frequencies and counters).
        """

    def put(self, record: Record, *, replace: bool = False) -> int:
        """Store a new document (DuplicateIdError if its id exists and not ``replace``)."""
        return self.put_many([record], replace=replace)[0]

    @abstractmethod
    def delete(self, doc_id: str) -> bool:
        """Forget ``doc_id``; False if it was not there."""

    @abstractmethod
    def ids(self) -> list[str]:
        """Stored ids in the order they were added."""

    @abstractmethod
    def iter_documents(self) -> Iterator[Document]:
        """Stored documents in the order they were added."""

    @abstractmethod
    def rebuild(
        self,
        header: Mapping[str, Any],
        make_records: Callable[[list[Document]], Iterable[Record]],
    ) -> int:
        """Replace the header and every record with ``make_records(stored documents)``.

        Atomic (SQLite) or resumable (Redis: an interrupted rebuild is finished by
        the next one); returns the number of documents.
        """

    @abstractmethod
    def size_bytes(self) -> int:
        """Bytes the index takes (files on disk; server memory for Redis)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and files."""


__all__ = [
    "FORMAT_VERSION",
    "GRAINS",
    "KEY_DTYPE",
    "KEY_MIN_DF",
    "DuplicateIdError",
    "Record",
    "Storage",
    "build_records",
    "check_batch_ids",
    "check_header",
    "document_from_json",
    "document_keys",
    "document_signatures",
    "document_to_json",
    "band_signatures",
    "banded_keys",
    "flat_keys",
    "key_ints",
    "second_keys",
    "key_vocabulary",
    "make_header",
    "solo_view",
    "solo_words",
    "unique_keys",
]
