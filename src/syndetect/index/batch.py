"""The view a batch of ``add_many`` reads through: storage plus its own unwritten documents.

``Index.add_many`` writes a batch in one transaction at its end, so while it works
through the batch the storage does not hold the batch's earlier documents yet.
Each document must still see them exactly as one ``add`` after another would:
their document frequencies, their band keys in the buckets, their texts as
candidates, and the stored records that ``replace`` swaps out. ``Pending`` holds
those changes; ``hits`` merges them with the stored buckets the way
``Storage.lookup`` counts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .base import Record, Storage, document_from_json, document_to_json, key_ints
from .decide import Neighbour

PENDING_SEQ = 1 << 62
"""First provisional sequence number: after every stored one, in batch order, as the
real ones will be (candidates are ranked by shared keys, then sequence number)."""


@dataclass
class StoredCounts:
    """Stored document frequencies, read once per word for a whole batch.

    The batch holds the write lock (SQLite), so what it reads cannot change under
    it; Redis has no lock, and a batch then sees the counts of when it read them.
    """

    storage: Storage
    counts: dict[str, int] = field(default_factory=dict)

    def get(self, words: Iterable[str]) -> dict[str, int]:
        words = list(words)
        missing = sorted({w for w in words if w not in self.counts})
        if missing:
            found = self.storage.df(missing)
            self.counts.update({w: found.get(w, 0) for w in missing})
        return {w: self.counts[w] for w in words}


@dataclass
class Pending:
    """What the documents of a batch processed so far change, not yet written."""

    df: Counter[str] = field(default_factory=Counter)  # document frequency deltas
    n_docs: int = 0  # delta of documents counted in the vocabulary
    buckets: dict[int, list[int]] = field(default_factory=dict)  # key_ints -> provisional seqs
    removed: set[int] = field(default_factory=set)  # stored seqs replaced in this batch
    documents: dict[int, Neighbour] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)

    def counts(self, stored: Mapping[str, int]) -> dict[str, int]:
        """``stored`` frequencies with the batch's changes so far."""
        return {w: n + self.df.get(w, 0) for w, n in stored.items()}

    def hits(
        self, keys: list[int], stored: Mapping[int, tuple[bool, list[int]]],
        second: Callable[[set[int]], Mapping[int, set[int]]], *, max_bucket: int, window: int,
    ) -> tuple[dict[int, int], dict[int, int]]:
        """``Storage.lookup`` as it would answer had the batch so far been written,
        split in two: keys shared through buckets of at most ``max_bucket`` documents
        (``hits``), and through the ``window`` latest members of the larger ones
        (``overflow``).

        An oversized bucket's latest member counts only when it also shares one of
        the key's second keys (``second(oversized keys)``, ``base.second_keys``: the
        next band of the same set), as ``candidates.bucket_pairs`` splits an oversized bucket by that key
        before it windows: the copies of a story reprinted by hundreds of outlets
        agree on both, articles that met on a topic's common words on one.
        ``stored`` maps each key to ``Storage.members`` of it, read with ``limit``
        and ``tail`` raised by the number of replaced documents (so that a bucket
        whose replaced members leave it still shows whether it is over the limit,
        and its latest members).
        """

        def bucket(k: int) -> tuple[bool, list[int]]:
            over, seqs = stored.get(k, (False, []))
            if self.removed:
                seqs = [s for s in seqs if s not in self.removed]
            more = self.buckets.get(k)
            if more:
                seqs = seqs + more  # provisional numbers follow every stored one
            if over or len(seqs) > max_bucket:
                return True, seqs[max(0, len(seqs) - window):]  # not seqs[-0:] for window 0
            return False, seqs

        hits: dict[int, int] = {}
        oversized: dict[int, list[int]] = {}
        for k in keys:
            over, seqs = bucket(k)
            if over:
                oversized[k] = seqs
                continue
            for s in seqs:
                hits[s] = hits.get(s, 0) + 1
        overflow: dict[int, int] = {}
        seconds = second(set(oversized)) if oversized else {}
        for k, seqs in oversized.items():
            if k in seconds:
                both = {s for k2 in seconds[k] for s in bucket(k2)[1]}
                seqs = [s for s in seqs if s in both]
            for s in seqs:
                overflow[s] = overflow.get(s, 0) + 1
        return hits, overflow

    def push(
        self,
        record: Record,
        *,
        replaced: tuple[int, Record] | None,
        prepared: Neighbour | None,
        buckets: bool = True,
    ) -> int:
        """Account for ``record`` as written; its provisional sequence number.

        ``prepared`` (its document, segmented and prepared for labelling) makes it
        a candidate for the batch's later documents, as a stored one would be;
        ``buckets=False`` tracks counts only (enough to compute later keys).
        """
        seq = PENDING_SEQ + len(self.records)
        if replaced is not None:
            old_seq, old = replaced
            self.removed.add(old_seq)
            if old.counted:
                self.df.subtract(old.words)
                self.n_docs -= 1
        if record.counted:
            self.df.update(record.words)
            self.n_docs += 1
        for k in key_ints(record.keys) if buckets else ():
            self.buckets.setdefault(k, []).append(seq)
        if prepared is not None:
            # What a later ``get_many`` would give back: the document through its JSON.
            stored = document_from_json(document_to_json(record.document))
            self.documents[seq] = Neighbour(stored, prepared.page)
        self.records.append(record)
        return seq


__all__ = ["PENDING_SEQ", "Pending", "StoredCounts"]
