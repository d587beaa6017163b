"""``assign_provenance``: the origin of one story cluster and its members' tree.

If the best root itself credits an outlet that no member is, the origin lies
outside the corpus: ``origin`` is None, ``external_origin`` names the outlet, and
the tree hangs from that outside source; the confidence is then the share of
members crediting that outlet times ``1 - exp(-n / 1.5)`` for ``n`` crediting
members.

An outlet credited by derivatives but carried by no member does not by itself
move the origin outside: a member that credits no one and whose outlet is
unknown (the seed NYT page carries no outlet line) is taken as that source; its
url's domain confirms it when it matches ("nytimes.com" is "The New York Times").
When the root's outlet is known and differs from the credited one, it stays the
origin, the evidence says the story may have begun at the credited outlet, and
the confidence is halved.

Limits: two members that both credit an outside outlet are both derived from it
unless strong direction evidence (beyond ``attribution_weight``) says one used
the other. A cluster has one origin: if it holds several stories (two agency
stories chained by a shared newspaper), the other stories' sources hang somewhere
under it. ``derivation`` is only as good as the pair coverage it reads.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterable, Mapping, Sequence

from ..config import ProvenanceConfig
from ..errors import InputError
from ..types import Cluster, Document, Match, MatchKind, Member, PairDecision
from .facts import _Edge, _Problem
from .signals import Signal
from .tree import _confidence, _q, _rank_roots, _Rooted, _tree_order, maximum_arborescence

logger = logging.getLogger(__name__)

_EXTERNAL = "\x00external"  # the virtual root standing for an origin outside the corpus
_KIND_ORDER: dict[MatchKind, int] = {"verbatim": 0, "near_verbatim": 1, "rewrite": 2}


def _dominant_kind(matches: Sequence[Match], child: str) -> MatchKind | None:
    chars: dict[MatchKind, int] = {}
    for m in matches:
        side = m.a if m.a.document == child else m.b
        chars[m.kind] = chars.get(m.kind, 0) + (side.end - side.start)
    if not chars:
        return None
    return min(chars, key=lambda k: (-chars[k], _KIND_ORDER[k]))


def _cluster_id(ids: Sequence[str]) -> str:
    return "c-" + hashlib.sha1("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:10]


def _dedupe(lines: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for line in lines:
        if line and line not in out:
            out.append(line)
    return tuple(out)


def _match_key(m: Match) -> tuple[str, str, int, int, int, int, str, float]:
    return (m.a.document, m.b.document, m.a.start, m.a.end, m.b.start, m.b.end, m.kind,
            -m.similarity)


def assign_provenance(
    members: Sequence[str],
    documents: Mapping[str, Document],
    pairs: Sequence[PairDecision],
    config: ProvenanceConfig,
) -> Cluster:
    """Origin, derivation tree, confidence and evidence of one story cluster.

    ``members`` are the document ids of one cluster (at least two) connected by
    derived pairs; ``pairs`` the verified pair decisions among them (pairs
    naming other documents are ignored; only derived ones become tree edges).
    See the module docstring for the signals, how they combine and the
    tie-breaking rule. The result does not depend on the order of ``members`` or
    ``pairs``.

    >>> from syndetect.types import Document, Match, PairDecision, Span
    >>> t = "Same words in both of these texts."
    >>> docs = {i: Document(id=i, text=t) for i in ("y", "x")}
    >>> m = Match(Span("x", 0, len(t), t), Span("y", 0, len(t), t), 1.0, "verbatim")
    >>> c = assign_provenance(["y", "x"], docs, [PairDecision("x", "y", 1.0, True, 1.0, 1.0,
    ...                       1, 1.0, 0, (m,))], ProvenanceConfig())
    >>> c.origin, c.confidence, c.members[1].relation  # a tie: the smaller id wins
    ('x', 0.0, 'verbatim')
    """
    ids = sorted(set(members))
    if len(ids) < 2:
        raise InputError(f"a story cluster needs at least two members, got {list(members)!r}")
    unknown = [i for i in ids if i not in documents]
    if unknown:
        raise InputError(f"cluster members {unknown} are not among the documents")
    prob = _Problem(ids, documents, pairs, config)
    edges = {(u, v): prob.edge(u, v) for a, b in prob.derived for u, v in ((a, b), (b, a))}
    nodes = {r: prob.node_signals(r) for r in ids}
    ranked = _rank_roots(prob, edges, nodes)
    best = ranked[0]
    if prob.credits[best.root] and not any(
        prob.identifies(m, c.outlet) for c in prob.credits[best.root] for m in ids
    ):  # the best root itself credits an outlet that no member is
        return _external_cluster(prob, edges)

    confidence = _confidence(prob, edges, nodes, ranked)
    evidence, conflict = _origin_evidence(prob, edges, nodes, best)
    if conflict:
        confidence *= 0.5
    logger.debug("cluster of %d: origin %s, confidence %.3f", len(ids), best.root, confidence)
    return Cluster(
        id=_cluster_id(ids),
        origin=best.root,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        evidence=evidence,
        members=_members(prob, edges, best.root, best.tree),
        matches=_all_matches(prob),
        external_origin=None,
    )


def _origin_evidence(
    prob: _Problem,
    edges: Mapping[tuple[str, str], _Edge],
    nodes: Mapping[str, list[Signal]],
    best: _Rooted,
) -> tuple[tuple[str, ...], bool]:
    """Evidence of the origin decision, and whether an outside credit conflicts with it."""
    root, ids = best.root, prob.ids
    evidence: list[str] = []
    outside: dict[str, list[str]] = {}  # credited outlets no member is -> crediting members
    for m in ids:
        if m == root:
            continue
        for credit in prob.credits[m]:
            evidence.append(credit.sentence(m))
            if not any(prob.identifies(x, credit.outlet) for x in ids):
                outside.setdefault(credit.outlet, []).append(m)
    evidence.extend(s.text for s in nodes[root] if s.text)
    conflict = False
    if outside:
        outlet, crediting = min(outside.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        who = ", ".join(crediting) + (" credits" if len(crediting) == 1 else " credit")
        root_outlet = prob.docs[root].outlet
        if not root_outlet:
            evidence.append(
                f'{root} names no outlet; {who} "{outlet}" and {root} credits no one, '
                f"so {root} is taken as that source (its outlet is unconfirmed)"
            )
        else:
            evidence.append(
                f'{who} "{outlet}", which is not in the corpus and is not {root} '
                f'("{root_outlet}"): the story may have begun there'
            )
            conflict = True
    for child, parent in sorted(best.tree.items()):
        if parent == root:
            evidence.extend(
                s.text
                for s in sorted(edges[(parent, child)].signals, key=lambda s: (-s.value, s.text))
                if s.text and s.value > 0 and s.family != "lineage"
            )
    return _dedupe(evidence), conflict


def _all_matches(prob: _Problem) -> tuple[Match, ...]:
    return tuple(sorted((m for p in prob.pairs.values() for m in p.matches), key=_match_key))


def _edge_evidence(prob: _Problem, edge: _Edge, parent: str, child: str) -> list[str]:
    """Sentences for "child derived from parent": the child's credits, the supporting
    signals, then the overruled ones."""
    lines = [c.sentence(child) for c in prob.credits[child]]
    lines += [
        s.text for s in sorted(edge.signals, key=lambda s: (-s.value, s.text))
        if s.text and s.value > 0
    ]
    for s in edge.signals:
        if s.text and s.value < 0:
            lines.append(f"{s.text} (outweighed)")
    # A credit that names the parent says more than the bare credit line.
    return [x for x in lines if not any(y != x and y.startswith(x + ";") for y in lines)]


def _members(
    prob: _Problem, edges: Mapping[tuple[str, str], _Edge], root: str, tree: Mapping[str, str]
) -> tuple[Member, ...]:
    out: list[Member] = []
    cfg = prob.config
    for doc in _tree_order(root, tree):
        if doc == root:
            out.append(Member(
                document=doc, role="origin", derived_from=None, derivation=None, relation=None,
                coverage=0.0,
                evidence=_dedupe(s.text for s in prob.node_signals(doc) if s.text),
            ))
            continue
        parent = tree[doc]
        cov = prob.coverage(doc, parent)
        pair = prob.pair(doc, parent)
        out.append(Member(
            document=doc,
            role="derivative",
            derived_from=parent,
            derivation="whole" if prob.substance(doc, parent) >= cfg.whole_substance else "partial",
            relation=_dominant_kind(pair.matches if pair else (), doc),
            coverage=round(cov, 4),
            evidence=_dedupe(_edge_evidence(prob, edges[(parent, doc)], parent, doc)),
        ))
    return tuple(out)


def _external_cluster(prob: _Problem, edges: Mapping[tuple[str, str], _Edge]) -> Cluster:
    """The origin lies outside the corpus: a tree hanging from a virtual root."""
    cfg, ids = prob.config, prob.ids
    # Which outside outlet: credited by the most members, then the most cues, then by name.
    tally: list[tuple[str, set[str], int]] = []
    outside: set[str] = set()
    for m in ids:
        for c in prob.credits[m]:
            if any(prob.identifies(x, c.outlet) for x in ids):
                continue
            outside.add(m)
            for i, (name, by, cues) in enumerate(tally):
                if prob.outlets.same(name, c.outlet):
                    longer = c.outlet if (len(c.outlet), name) > (len(name), c.outlet) else name
                    tally[i] = (longer, by | {m}, cues + c.count)
                    break
            else:
                tally.append((c.outlet, {m}, c.count))
    outlet, credited_by, _ = min(tally, key=lambda t: (-len(t[1]), -t[2], t[0]))
    crediting = sorted(credited_by)

    # A member crediting an outside outlet hangs from that outside source unless
    # another member's direction evidence beats the credit (a member link never
    # exceeds max_link); other members hang from whichever member explains them.
    max_link = 2 * (cfg.lineage_weight + cfg.exclusive_weight)
    scale = (len(edges) + 2) * (len(ids) + 1) + 1
    ranked = sorted(
        edges,
        key=lambda e: (prob.strong_date(e[0]), -prob.coverage(e[1], e[0]), e[0], e[1]),
        reverse=True,
    )
    weights = {e: _q(edges[e].total) * scale + rank for rank, e in enumerate(ranked)}
    for m in ids:
        value = cfg.attribution_weight + max_link if m in outside else 0.0
        weights[(_EXTERNAL, m)] = _q(value) * scale + len(edges) + 1
    tree = maximum_arborescence([_EXTERNAL, *ids], weights, _EXTERNAL)

    members: list[Member] = []
    for doc in _tree_order(_EXTERNAL, tree):
        if doc == _EXTERNAL:
            continue
        parent = tree[doc]
        if parent == _EXTERNAL:
            lines = [c.sentence(doc) for c in prob.credits[doc]]
            lines.append(f'{doc} is derived from "{outlet}", which is not in the corpus'
                         if doc in crediting else f"{doc} is derived from no other member")
            members.append(Member(
                document=doc, role="derivative", derived_from=None, derivation=None,
                relation=None, coverage=0.0, evidence=_dedupe(lines),
            ))
            continue
        cov = prob.coverage(doc, parent)
        pair = prob.pair(doc, parent)
        members.append(Member(
            document=doc, role="derivative", derived_from=parent,
            derivation="whole" if prob.substance(doc, parent) >= cfg.whole_substance else "partial",
            relation=_dominant_kind(pair.matches if pair else (), doc),
            coverage=round(cov, 4),
            evidence=_dedupe(_edge_evidence(prob, edges[(parent, doc)], parent, doc)),
        ))
    n = len(crediting)
    confidence = n / len(ids) * (1.0 - math.exp(-n / 1.5))
    verb = "credits" if len(crediting) == 1 else "credit"
    who = ", ".join(crediting)
    evidence = [f'no member is the origin: {who} {verb} "{outlet}", which is not in the corpus']
    for m in ids:
        evidence.extend(c.sentence(m) for c in prob.credits[m])
    return Cluster(
        id=_cluster_id(ids),
        origin=None,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        evidence=_dedupe(evidence),
        members=tuple(members),
        matches=_all_matches(prob),
        external_origin=outlet,
    )
