"""One document against its candidates: the core's stages over that small group.

``Index.add`` and ``Index.query`` find the candidates (storage and band keys);
this module decides, with the same functions ``scan`` composes: ``prepare``'s
segmentation and boilerplate labelling over the group, the grains' candidate
pairs, ``verify_candidates``, ``decide_pairs`` and ``build_clusters``.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..boilerplate import (
    PreparedPage,
    detect_boilerplate_prepared,
    page_shapes,
    prepare_page,
    restore_page,
)
from ..config import Config
from ..detect import decide_pairs, verify_candidates
from ..grains import copy_candidates, rewrite_candidates
from ..minhash import MinHasher, TokenHasher
from ..pipeline import Prepared, build_clusters
from ..segment import segment
from ..site import template_groups
from ..table import SentenceTable, TokenIds
from ..terms import Vocabulary
from ..types import Document, Match, PairDecision, Segment
from .result import AddResult


@dataclass(frozen=True)
class Neighbour:
    """A stored (or new) document with what labelling and tables need from it alone.

    ``page`` is ``boilerplate.prepare_page`` of its unlabelled segments (sentence
    keys, tokens, shape labels). The index keeps it between adds, so an article
    met in many neighbourhoods is segmented and tokenized once; only the labels
    that depend on the group (corpus, site, blocks, runs) are computed per add.
    """

    document: Document
    page: PreparedPage
    # Its tokens as ids of the index's ``TokenIds`` (``token_ids``), kept with it.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def token_ids(self, tokens: TokenIds) -> tuple[np.ndarray, np.ndarray]:
        """``tokens.encode`` of its segments' tokens, computed once per ``tokens``."""
        got = self.cache.get("ids")
        if got is None or got[0] != tokens.epoch:
            got = self.cache["ids"] = (tokens.epoch, *tokens.encode(self.page.tokens))
        return got[1], got[2]

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def segments(self) -> Sequence[Segment]:
        """The unlabelled segments."""
        return self.page.segments


def neighbour(document: Document, config: Config,
              segments: Sequence[Segment] | None = None) -> Neighbour:
    """``document`` segmented (unless ``segments`` are given) and prepared for labelling."""
    if segments is None:
        segments = segment(document.id, document.text, config.segment)
    return Neighbour(document, prepare_page(document.id, segments, config.boilerplate))


def _text_check(text: str) -> list[int]:
    data = text.encode("utf-8", "surrogatepass")
    return [len(data), zlib.crc32(data)]


def encode_page(page: PreparedPage, text: str) -> bytes:
    """What ``restore`` needs to rebuild a prepared page without segmenting or shape
    tests: each segment's paragraph, offsets, normal form and tokens, the segments
    labelled by shape, and the length and CRC-32 of the text it was made from;
    JSON, deflated. Stored beside the document."""
    segs = page.segments
    data = {
        "text": _text_check(text),
        "paragraph": [s.paragraph for s in segs], "start": [s.start for s in segs],
        "end": [s.end for s in segs], "norm": [s.norm for s in segs],
        "tokens": page.tokens, "shape": page_shapes(page),
    }
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
                         1)


def restore(document: Document, blob: bytes | None, config: Config) -> Neighbour:
    """``neighbour(document)`` from its ``encode_page`` blob (computed afresh without one,
    or when the blob does not fit the document's text)."""
    if blob:
        try:
            data = json.loads(zlib.decompress(blob))
            text, doc_id = document.text, document.id
            if data["text"] != _text_check(text):
                raise ValueError("the page was made from another text")
            segments = [
                Segment(doc_id=doc_id, index=i, paragraph=p, start=a, end=b, text=text[a:b],
                        norm=n)
                for i, (p, a, b, n) in enumerate(zip(data["paragraph"], data["start"],
                                                     data["end"], data["norm"], strict=True))
            ]
            if len(data["tokens"]) == len(segments):
                return Neighbour(document, restore_page(
                    doc_id, segments, data["tokens"], data["shape"], config.boilerplate))
        except (zlib.error, ValueError, KeyError, TypeError, IndexError):
            pass
    return neighbour(document, config)


def group_prepare(
    doc: Document, candidates: Sequence[tuple[Document, list[Segment]]], config: Config
) -> Prepared:
    """``prepare([doc, *candidate documents])`` reusing the candidates' cached segments.

    For ``ok`` documents with distinct ids (what the index stores and looks up)
    ``prepare`` is segmentation then ``detect_boilerplate`` over the group; a test
    checks the two agree.
    """
    return _group_prepare(neighbour(doc, config),
                          [neighbour(d, config, segs) for d, segs in candidates], config)


def _group_prepare(own: Neighbour, candidates: Sequence[Neighbour], config: Config) -> Prepared:
    """``group_prepare`` of prepared documents: only the group's labels are computed."""
    documents = {own.id: own.document, **{n.id: n.document for n in candidates}}
    pages = {own.id: own.page, **{n.id: n.page for n in candidates}}
    sites = {d_id: template_groups(d) for d_id, d in documents.items()}
    labelled, boiler = detect_boilerplate_prepared(pages, config.boilerplate, sites)
    return Prepared(documents=documents, segments=labelled, boilerplate=boiler)


def _vocabulary_of(
    n_docs: int, own_words: frozenset[str], new_words: frozenset[str]
) -> Callable[[dict[str, int]], Vocabulary]:
    """Counts as stored -> the vocabulary with the new document in place of its old version."""

    def vocabulary(counts: dict[str, int]) -> Vocabulary:
        df: Counter[str] = Counter()
        for w, n in counts.items():
            n = n - (w in own_words) + (w in new_words)
            if n > 0:
                df[w] = n
        return Vocabulary(n_docs=n_docs, df=df)

    return vocabulary


def _orient(m: Match, doc_id: str) -> Match:
    return m if m.a.document == doc_id else Match(a=m.b, b=m.a, similarity=m.similarity,
                                                  kind=m.kind)


def decide_document(
    own: Neighbour,
    candidates: list[Neighbour],
    counts: dict[str, int],
    vocabulary: Callable[[dict[str, int]], Vocabulary],
    df_of: Callable[[Iterable[str]], dict[str, int]],
    store: bool,
    config: Config,
    minhasher: MinHasher,
    hasher: TokenHasher,
    tokens: TokenIds,
) -> AddResult:
    """The core's verification and decisions for ``own`` against ``candidates``.

    ``df_of`` gives the document frequencies ``doc`` sees (stored, with the
    earlier documents of its batch); ``tokens`` numbers the tokens of every
    document the index has met, so that the group's table is built from ids.
    """
    doc = own.document
    group = _group_prepare(own, candidates, config)
    table = SentenceTable.build_from_ids(
        group.segments, {n.id: n.token_ids(tokens) for n in (own, *candidates)}, tokens)
    all_words = {w for ws in table.word_sets for w in ws}
    more = df_of(all_words - counts.keys())
    vocab = vocabulary({**{w: more.get(w, 0) for w in all_words - counts.keys()}, **counts})
    d = table.doc_ids.index(doc.id)
    rew = rewrite_candidates(table, vocab, config, minhasher, hasher)
    cop = copy_candidates(table, config, minhasher, hasher)

    def decide(keep: Callable[[np.ndarray], Any]) -> list[PairDecision]:
        """``detect``'s composition, restricted to the document pairs ``keep`` selects.

        ``keep`` maps an ``[m x 2]`` array of document indices to a boolean mask.
        """
        rows = [r[keep(table.owner[r])] for r in (rew, cop) if len(r)]
        rows = [r for r in rows if len(r)]
        pairs = np.unique(np.concatenate(rows), axis=0) if rows else rew[:0]
        verified = verify_candidates(table, pairs, vocab, config)
        # The stored buckets proposed every candidate, so every selected document
        # pair is a candidate, as the document grain's pairs are in ``detect``;
        # ``decide_pairs`` prefilters them on document-level evidence.
        for di, dj in all_doc_pairs[keep(all_doc_pairs)].tolist():
            verified.setdefault((di, dj), [])
        return decide_pairs(table, verified, vocab, group.documents, config)

    n = len(table.doc_ids)
    all_doc_pairs = np.array([(a, b) for a in range(n) for b in range(a + 1, n)],
                             dtype=np.int64).reshape(-1, 2)

    decisions = decide(lambda own: (own == d).any(axis=1))
    derived = [p for p in decisions if p.derived]
    matches = sorted(
        (_orient(m, doc.id) for p in derived for m in p.matches),
        key=lambda m: (m.b.document, m.a.start, m.b.start, m.a.end, m.b.end),
    )
    cluster = None
    if derived:
        # Provenance needs the whole local graph: the pairs among the earlier
        # documents linked with this one too (the strongest, as many as the
        # provenance stage considers for a root).
        strongest = sorted(derived, key=lambda p: (-p.score, p.a, p.b))
        partners = [p.a if p.b == doc.id else p.b for p in strongest]
        partners = partners[: config.provenance.max_root_candidates]
        idx = np.array([table.doc_ids.index(x) for x in partners], dtype=np.int64)
        among = (decide(lambda own: np.isin(own, idx).all(axis=1))
                 if len(partners) > 1 else [])
        edges = derived + [p for p in among if p.derived]
        local = {k: v for k, v in group.documents.items()
                 if k == doc.id or any(k in (p.a, p.b) for p in edges)}
        for c in build_clusters(local, edges, config):
            if any(m.document == doc.id for m in c.members):
                cluster = c
    return AddResult(
        document=doc.id, status=doc.status, stored=store, matches=tuple(matches),
        pairs=tuple(decisions), cluster=cluster, candidates=len(candidates),
    )
