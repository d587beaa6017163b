"""Near-duplicate collapse: one representative per group of near-identical documents.

A wire story reprinted by 500 outlets is one text with 500 addresses. Before
detection, documents whose bodies (non-boilerplate text, normalised) are
identical, or near-identical, are grouped; detection and provenance then run on
one representative per group (its *head*) and every other member is attached to
its head with the relation ``verbatim`` (same body) or ``near_verbatim``.

Invariant: a group's members are each confirmed against the group's first
(canonical) member directly, never through a chain of near-duplicates, so a group
cannot drift from one text to another.

Stages, each cheap: an exact hash of the normalised body; MinHash on word
5-grams with LSH at ``ClusterConfig.near_verbatim_jaccard`` proposes near-identical
bodies; token-level Indel similarity (rapidfuzz) at
``ClusterConfig.near_verbatim_similarity`` confirms them. The head of a group is
the member most likely to be the others' source: one that credits no other outlet,
then the earliest publication instant (full date and time), then the most complete
body; content, not ids, decides, and the id breaks only a full tie.

>>> from syndetect.config import Config
>>> from syndetect.pipeline import prepare
>>> from syndetect.types import Document
>>> body = " ".join(f"Flood waters rose {k} feet in the valley town overnight." for k in range(6))
>>> docs = [Document(id="b", text=body), Document(id="a", text=body),
...         Document(id="c", text="A different story about the city council budget.")]
>>> groups = collapse(prepare(docs, Config()), Config())
>>> [(g.head, g.members, g.relation) for g in groups.groups]
[('a', ('a', 'b'), {'b': 'verbatim'})]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz.distance import Indel

from .candidates import band_keys, lsh_params
from .config import Config, ProvenanceConfig
from .minhash import MinHasher, Shingles, TokenHasher
from .types import Cluster, Document, Match, MatchKind, Member, PairDecision, Segment, Span

if TYPE_CHECKING:
    from .pipeline import Prepared

__all__ = [
    "Collapsed", "DuplicateGroup", "collapse", "expand_cluster", "group_cluster", "head_key",
    "member_pairs", "publication_instant",
]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicateGroup:
    """Near-identical documents: ``head`` stands for all of them in detection.

    ``relation[m]`` and ``similarity[m]`` describe each other member against the head;
    ``reason`` says why the head was chosen.
    """

    head: str
    members: tuple[str, ...]
    relation: dict[str, MatchKind] = field(default_factory=dict)
    similarity: dict[str, float] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class Collapsed:
    """Every duplicate group of a corpus (sorted by head), and each member's head."""

    groups: tuple[DuplicateGroup, ...]
    head_of: dict[str, str]

    def heads_only(self, segments: Mapping[str, Sequence[Segment]]) -> dict[str, list[Segment]]:
        """``segments`` without the documents that a head stands for."""
        return {d: list(s) for d, s in segments.items() if self.head_of.get(d, d) == d}

    @property
    def n_collapsed(self) -> int:
        """Documents left out of detection because their head stands for them."""
        return sum(len(g.members) - 1 for g in self.groups)


def publication_instant(doc: Document) -> datetime | None:
    """The publication instant of a dated, non-relative document (naive taken as UTC)."""
    if not doc.published_at or doc.date_strength == "none" or doc.date_is_relative:
        return None
    value = doc.published_at.strip()
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        try:
            when = datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when


def head_key(doc: Document, n_words: int, digest: str, credits: int) -> tuple[object, ...]:
    """Sort key of a group member as its head, best first.

    A page that credits another outlet for its text is not the source; then the
    earliest instant (a copy cannot predate its source; undated members come after
    dated ones); then the longer body (the complete text that the others trimmed);
    then the body's digest, so equal texts sort by content; the id last.
    """
    when = publication_instant(doc)
    return (
        credits > 0,
        when is None,
        when.timestamp() if when else 0.0,
        -n_words,
        digest,
        doc.id,
    )


def _bodies(
    segments: Mapping[str, Sequence[Segment]],
) -> dict[str, tuple[list[str], tuple[int, int]]]:
    """Each document's body tokens (non-boilerplate sentences) and its body extent."""
    out: dict[str, tuple[list[str], tuple[int, int]]] = {}
    for doc_id, segs in segments.items():
        body = [s for s in segs if not s.boilerplate and s.kind == "sentence"]
        if not body:
            continue
        tokens = [t for s in body for t in _WORD.findall(s.norm)]
        out[doc_id] = (tokens, (min(s.start for s in body), max(s.end for s in body)))
    return out


def collapse(prepared: Prepared, config: Config) -> Collapsed:
    """Group the near-identical documents of ``prepared``; see the module docstring."""
    cc = config.cluster
    index: dict[str, int] = {}
    bodies = _body_arrays(prepared.segments, index, cc.collapse_min_words)
    if not cc.collapse or len(bodies) < 2:
        return Collapsed((), {})
    # 1. Exact: one entry per distinct normalised body.
    by_digest: dict[str, list[str]] = {}
    for d, (_, _, digest) in bodies.items():
        by_digest.setdefault(digest, []).append(d)
    digests = sorted(by_digest, key=lambda h: (-len(bodies[by_digest[h][0]][0]), h))
    ids_of = [bodies[by_digest[h][0]][0] for h in digests]
    # 2. Near-identical: LSH proposes, Indel confirms.
    keys = near_keys_of_ids(ids_of, TokenHasher().hash_tokens(list(index)), config)
    group_of, _ = _near_groups(ids_of, keys, config)
    del ids_of, keys
    # 3. Groups of documents, each with its head.
    members_of: dict[int, list[str]] = {}
    for k, h in enumerate(digests):
        members_of.setdefault(group_of[k], []).extend(by_digest[h])
    digest_of = {d: h for h, ds in by_digest.items() for d in ds}
    groups: list[DuplicateGroup] = []
    head_of: dict[str, str] = {}
    for members in members_of.values():
        if len(members) < 2:
            continue
        group = make_group(members, prepared.documents, prepared.segments, bodies, digest_of,
                           config)
        groups.append(group)
        for m in members:
            head_of[m] = group.head
    groups.sort(key=lambda g: g.head)
    return Collapsed(tuple(groups), head_of)


def _body_arrays(
    segments: Mapping[str, Sequence[Segment]], index: dict[str, int], min_words: int
) -> dict[str, tuple[np.ndarray, tuple[int, int], str]]:
    """``_bodies`` held lean: each body of ``min_words`` tokens or more as token ids
    (int32, ids from ``index``, which grows), its extent and the digest of its text.

    A corpus of 100k articles has tens of millions of body tokens: as Python strings
    in lists they cost gigabytes, as ids four bytes each.
    """
    out: dict[str, tuple[np.ndarray, tuple[int, int], str]] = {}
    for doc_id, segs in segments.items():
        body = [s for s in segs if not s.boilerplate and s.kind == "sentence"]
        tokens = [t for s in body for t in _WORD.findall(s.norm)]
        if not tokens or len(tokens) < min_words:
            continue
        digest = hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()
        for t in set(tokens).difference(index):
            index[t] = len(index)
        ids = np.fromiter(map(index.__getitem__, tokens), dtype=np.int32, count=len(tokens))
        out[doc_id] = (ids, (min(s.start for s in body), max(s.end for s in body)), digest)
    return out


def near_duplicates(tokens_of: Sequence[list[str]], config: Config) -> tuple[list[int], list[float]]:
    """Near-identical bodies among distinct ones in canonical order (longest first):
    the index of each body's group representative, and its similarity to it.

    LSH over word 5-grams proposes, Indel similarity on tokens confirms; a body joins
    the first representative (in canonical order) that confirms it. Only bodies that
    share a band key can meet, so the bodies of each connected set of shared keys can
    be grouped apart (the Spark engine does) with the same result.
    """
    vocab: dict[str, int] = {}
    ids_of = [np.fromiter((vocab.setdefault(t, len(vocab)) for t in toks), dtype=np.int32,
                          count=len(toks)) for toks in tokens_of]
    if len(ids_of) < 2:
        return list(range(len(ids_of))), [1.0] * len(ids_of)
    keys = near_keys_of_ids(ids_of, TokenHasher().hash_tokens(list(vocab)), config)
    return _near_groups(ids_of, keys, config)


def _near_groups(
    ids_of: Sequence[np.ndarray], keys: np.ndarray, config: Config
) -> tuple[list[int], list[float]]:
    """``near_duplicates`` over bodies as token ids, with their band ``keys``."""
    cc = config.cluster
    n = len(ids_of)
    group_of = list(range(n))
    sim_to_rep = [1.0] * n
    buckets: dict[int, list[int]] = {}
    for i in range(n):  # canonical order: longest body first
        for key in keys[i].tolist():
            buckets.setdefault(key, []).append(i)
    assigned = [False] * n
    for i in range(n):
        if assigned[i]:
            continue
        assigned[i] = True
        seen = {i}
        rep: Sequence[int] | None = None
        for key in keys[i].tolist():
            for j in buckets[key]:
                if j in seen or assigned[j]:
                    continue
                seen.add(j)
                if rep is None:
                    rep = _as_list(ids_of[i])
                sim = Indel.normalized_similarity(
                    rep, _as_list(ids_of[j]), score_cutoff=cc.near_verbatim_similarity
                )
                if sim >= cc.near_verbatim_similarity:
                    assigned[j] = True
                    group_of[j] = i
                    sim_to_rep[j] = sim
    return group_of, sim_to_rep


def _as_list(ids: Sequence[int] | np.ndarray) -> Sequence[int]:
    """Token ids as a list: rapidfuzz compares lists of ints several times faster."""
    return ids.tolist() if isinstance(ids, np.ndarray) else ids


_KEY_BLOCK = 1 << 21  # tokens of the bodies signed at once: bounds shingling's scratch arrays


def near_keys(tokens_of: Sequence[list[str]], config: Config) -> np.ndarray:
    """``[n x b]`` LSH band keys of bodies' word 5-grams (``near_verbatim_jaccard``)."""
    vocab: dict[str, int] = {}
    ids_of = [np.fromiter((vocab.setdefault(t, len(vocab)) for t in toks), dtype=np.int32,
                          count=len(toks)) for toks in tokens_of]
    return near_keys_of_ids(ids_of, TokenHasher().hash_tokens(list(vocab)), config)


def near_keys_of_ids(
    ids_of: Sequence[np.ndarray], token_hashes: np.ndarray, config: Config
) -> np.ndarray:
    """``near_keys`` of bodies as token ids; ``token_hashes[k]`` hashes token ``k``.

    Bodies are signed in blocks of about ``_KEY_BLOCK`` tokens, so shingling's scratch
    arrays stay bounded at any corpus size; the keys do not depend on the blocks.
    """
    b, r = lsh_params(config.cluster.near_verbatim_jaccard, config.minhash.num_perm)
    minhasher = MinHasher(config.minhash.num_perm, config.minhash.seed)
    out = np.empty((len(ids_of), b), dtype=np.uint64)
    lo = 0
    while lo < len(ids_of):
        hi, size = lo + 1, len(ids_of[lo])
        while hi < len(ids_of) and size + len(ids_of[hi]) <= _KEY_BLOCK:
            size += len(ids_of[hi])
            hi += 1
        block = ids_of[lo:hi]
        offsets = np.zeros(len(block) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in block], out=offsets[1:])
        shingles = Shingles.from_token_hashes(token_hashes[np.concatenate(block)], offsets,
                                              n=config.minhash.verbatim_ngram)
        out[lo:hi] = band_keys(minhasher.signatures(shingles), b, r)
        lo = hi
    return out


def make_group(
    members: Sequence[str],
    documents: Mapping[str, Document],
    segments: Mapping[str, Sequence[Segment]],
    bodies: Mapping[str, tuple[Any, ...]],  # (tokens or token ids, extent, ...)
    digest_of: Mapping[str, str],
    config: Config,
) -> DuplicateGroup:
    """The ``DuplicateGroup`` of ``members`` (two or more): its head, relations, reason."""
    from .provenance import find_attributions

    docs = documents
    max_chrome = config.boilerplate.max_words
    lines = {
        d: [" ".join(_WORD.findall(s.norm)) for s in segments[d]
            if not s.boilerplate and s.kind == "sentence"]
        for d in members
    }
    credits = {
        m: len(find_attributions(docs[m].text[slice(*bodies[m][1])], own_outlet=docs[m].outlet,
                                 config=config.provenance))
        for m in members
    }
    keyed = sorted(
        members, key=lambda m: head_key(docs[m], len(bodies[m][0]), digest_of[m], credits[m])
    )
    head = keyed[0]
    relation: dict[str, MatchKind] = {}
    similarity: dict[str, float] = {}
    head_ids = _as_list(bodies[head][0])
    for m in keyed[1:]:
        if digest_of[m] == digest_of[head]:
            relation[m], similarity[m] = "verbatim", 1.0
            continue
        similarity[m] = round(Indel.normalized_similarity(head_ids, _as_list(bodies[m][0])), 4)
        same = _core(lines[head], lines[m], max_chrome) == _core(lines[m], lines[head],
                                                                  max_chrome)
        relation[m] = "verbatim" if same else "near_verbatim"
    return DuplicateGroup(
        head=head, members=tuple(sorted(members)), relation=relation, similarity=similarity,
        reason=_head_reason(docs, head, keyed, credits, bodies),
    )


def _core(lines: Sequence[str], other: Sequence[str], max_words: int) -> list[str]:
    """``lines`` without the short lines at either end that ``other`` lacks.

    Site chrome that boilerplate detection cannot label (an outlet seen once: "Salem
    Herald | News | Sports") is short lines at the ends of a body; two copies whose
    texts differ only there are verbatim copies.
    """
    known = set(other)
    start, end = 0, len(lines)
    while start < end and lines[start] not in known and len(lines[start].split()) <= max_words:
        start += 1
    while end > start and lines[end - 1] not in known and len(lines[end - 1].split()) <= max_words:
        end -= 1
    return list(lines[start:end])


def _head_reason(
    docs: Mapping[str, Document],
    head: str,
    keyed: Sequence[str],
    credits: Mapping[str, int],
    bodies: Mapping[str, tuple[Any, ...]],  # (tokens or token ids, extent, ...)
) -> str:
    """Why ``head`` was taken as the group's source, in one sentence."""
    runner = keyed[1]
    if credits[runner] and not credits[head]:
        return f"{head} credits no other outlet; {runner} does"
    t_head, t_run = publication_instant(docs[head]), publication_instant(docs[runner])
    if t_head and (t_run is None or t_head < t_run):
        later = f"{runner} ({docs[runner].published_at})" if t_run else f"undated {runner}"
        return f"{head} is dated {docs[head].published_at}, before {later}"
    if len(bodies[head][0]) > len(bodies[runner][0]):
        return f"{head} is the most complete text ({len(bodies[head][0])} words)"
    return f"{head} and {runner} are indistinguishable; {head} is taken by id"


def head_confidence(reason: str, weights: tuple[float, float], scale: float, cap: float) -> float:
    """Confidence of a head chosen for ``reason``: strong (credit, date) or weak."""
    import math

    credit_w, date_w = weights
    if "credits no other outlet" in reason:
        return 1.0 - math.exp(-credit_w / scale)
    if " is dated " in reason:
        return 1.0 - math.exp(-date_w / scale)
    if "most complete" in reason:
        return min(cap, 1.0 - math.exp(-0.5 / scale))
    return 0.0


def member_pairs(
    collapsed: Collapsed,
    documents: Mapping[str, Document],
    segments: Mapping[str, Sequence[Segment]],
) -> list[PairDecision]:
    """A derived ``PairDecision`` of every collapsed member with its head.

    Its one match spans both bodies (first to last non-boilerplate sentence).
    """
    bodies = _bodies({d: segments[d] for g in collapsed.groups for d in g.members})
    out = []
    for g in collapsed.groups:
        hs, he = bodies[g.head][1]
        for m in g.members:
            if m == g.head:
                continue
            ms, me = bodies[m][1]
            sim = g.similarity[m]
            span_m = Span(m, ms, me, documents[m].text[ms:me])
            span_h = Span(g.head, hs, he, documents[g.head].text[hs:he])
            a, b = sorted((m, g.head))
            sa, sb = (span_m, span_h) if a == m else (span_h, span_m)
            match = Match(sa, sb, sim, g.relation[m])
            same_outlet = bool(
                documents[m].outlet and documents[g.head].outlet
                and documents[m].outlet.casefold() == documents[g.head].outlet.casefold()  # type: ignore[union-attr]
            )
            out.append(PairDecision(
                a=a, b=b, score=sim, derived=True, coverage_a=1.0, coverage_b=1.0,
                n_passages=1, ordered=1.0, rare_shared=0, matches=(match,),
                features={"collapsed": 1.0, "similarity": sim, "same_outlet": float(same_outlet),
                          f"score_{'a' if a == m else 'b'}": sim},
                decided_by="near_duplicate",
            ))
    return sorted(out, key=lambda p: (p.a, p.b))


def _member_rows(g: DuplicateGroup, pairs: Mapping[tuple[str, str], PairDecision]) -> list[Member]:
    rows = []
    for m in sorted(g.members):
        if m == g.head:
            continue
        sim = g.similarity[m]
        if g.relation[m] == "verbatim":
            line = f"{m}'s text is identical to {g.head}'s"
        else:
            line = f"{m}'s text keeps {sim:.0%} of {g.head}'s words in order (a near-verbatim copy)"
        rows.append(Member(
            document=m, role="derivative", derived_from=g.head, derivation="whole",
            relation=g.relation[m], coverage=1.0, evidence=(line, g.reason),
        ))
    return rows


def expand_cluster(
    cluster: Cluster,
    collapsed: Collapsed,
    pairs: Mapping[tuple[str, str], PairDecision],
) -> Cluster:
    """``cluster`` (over heads) with every collapsed member placed under its head;
    ``pairs`` holds the members' pairs with their heads, by ``(a, b)``."""
    from .provenance import _cluster_id, _match_key

    by_head = {g.head: g for g in collapsed.groups}
    rows: list[Member] = []
    extra: list[Match] = []
    for row in cluster.members:
        rows.append(row)
        g = by_head.get(row.document)
        if g is None:
            continue
        rows.extend(_member_rows(g, pairs))
        extra.extend(
            m for x in g.members if x != g.head
            for m in pairs[tuple(sorted((x, g.head)))].matches  # type: ignore[index]
        )
    if not extra:
        return cluster
    ids = [r.document for r in rows]
    return replace(
        cluster, id=_cluster_id(ids), members=tuple(rows),
        matches=tuple(sorted((*cluster.matches, *extra), key=_match_key)),
    )


def group_cluster(
    g: DuplicateGroup,
    pairs: Mapping[tuple[str, str], PairDecision],
    config: ProvenanceConfig,
) -> Cluster:
    """The story cluster of a group that no other version joins: its head is the origin."""
    from .provenance import _cluster_id, _match_key

    confidence = head_confidence(
        g.reason, (config.attribution_weight, config.strong_date_weight),
        config.confidence_scale, config.weak_confidence_cap,
    )
    head = Member(document=g.head, role="origin", derived_from=None, derivation=None,
                  relation=None, coverage=0.0, evidence=(g.reason,))
    rows = [head, *_member_rows(g, pairs)]
    matches = [m for x in g.members if x != g.head
               for m in pairs[tuple(sorted((x, g.head)))].matches]  # type: ignore[index]
    return Cluster(
        id=_cluster_id(g.members), origin=g.head, confidence=round(confidence, 3),
        evidence=(g.reason,), members=tuple(rows),
        matches=tuple(sorted(matches, key=_match_key)),
    )


def inherited_pairs(collapsed: Collapsed, decisions: Sequence[PairDecision]) -> list[PairDecision]:
    """Derived pairs of collapsed members with the partners of their heads.

    A member is its head's text (verbatim or near-verbatim), so what the head was
    derived from, or gave, the member was too. These pairs carry the head pair's
    scores but no passages (they were never aligned): ``features["inherited"]`` is 1
    and ``features["via"]`` is absent (ids stay out of features); the member's pair
    with its head says which head.
    """
    members = {g.head: [m for m in g.members if m != g.head] for g in collapsed.groups}
    out = []
    for p in decisions:
        if not p.derived:
            continue
        for head, partner in ((p.a, p.b), (p.b, p.a)):
            for m in members.get(head, ()):
                if m == partner:
                    continue
                flip = (m < partner) != (head < partner)
                feats = dict(p.features or {})
                if flip:
                    feats = {_swap(k): v for k, v in feats.items()}
                feats["inherited"] = 1.0
                a, b = sorted((m, partner))
                out.append(replace(
                    p, a=a, b=b, matches=(), features=feats,
                    coverage_a=p.coverage_b if flip else p.coverage_a,
                    coverage_b=p.coverage_a if flip else p.coverage_b,
                ))
    return out


def _swap(key: str) -> str:
    if key.endswith("_a"):
        return key[:-2] + "_b"
    if key.endswith("_b"):
        return key[:-2] + "_a"
    return key
