"""Story clusters from verified pair decisions, with chaining guards.

Each document that is derived from others keeps one link: to its best parent,
the derived partner that explains it best (``features["score_a"]`` /
``["score_b"]``, ties to the smaller id). Clusters are the connected components
of those links, so one weak resemblance cannot merge two stories that each
have a better explanation. A second guard handles a hub
document (a roundup page, an aggregator's "related articles" blob) that carries
two stories in different parts of its text must not glue them together. For each
document with two or more derived neighbours, the neighbours are grouped by where
their shared passages fall in it: neighbours whose passages overlap (or that are
derived pairs themselves) tell the same story. Edges to every group but the one
covering most of the hub's matched text are cut before components are formed.

>>> from syndetect.types import PairDecision
>>> p = lambda a, b: PairDecision(a, b, 1.0, True, 1, 1, 1, 1.0, 0, ())
>>> [sorted(c) for c in story_clusters([p("a", "b"), p("c", "d")])]
[['a', 'b'], ['c', 'd']]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .types import PairDecision


def component_labels(n: int, rows: Sequence[int], cols: Sequence[int]) -> list[int]:
    """The connected component of each of the nodes ``0 .. n-1``, linked by
    ``rows[i]`` -- ``cols[i]``.

    >>> component_labels(4, [0, 3], [2, 2])
    [0, 1, 0, 0]
    """
    # Imported here: a scan loads scipy.sparse anyway (datasketch does), other
    # commands need not pay for it.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ones = np.ones(len(rows), dtype=bool)
    graph = coo_matrix((ones, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
                       shape=(n, n))
    return connected_components(graph, directed=False)[1].tolist()


def connected_groups(nodes: Iterable[str], links: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The connected components of ``nodes`` joined by ``links``, each sorted.

    Ends of a link that are not among ``nodes`` join them. Components come in no
    particular order.

    >>> sorted(connected_groups(["e"], [("b", "a"), ("c", "d"), ("a", "c")]))
    [['a', 'b', 'c', 'd'], ['e']]
    """
    index: dict[str, int] = {}
    for n in nodes:
        index.setdefault(n, len(index))
    rows: list[int] = []
    cols: list[int] = []
    for a, b in links:
        rows.append(index.setdefault(a, len(index)))
        cols.append(index.setdefault(b, len(index)))
    groups: dict[int, list[str]] = defaultdict(list)
    for name, label in zip(index, component_labels(len(index), rows, cols), strict=True):
        groups[label].append(name)
    return [sorted(g) for g in groups.values()]


def _spans_on(doc: str, pair: PairDecision) -> list[tuple[int, int]]:
    side = "a" if pair.a == doc else "b"
    return sorted((getattr(m, side).start, getattr(m, side).end) for m in pair.matches)


def _overlap(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> int:
    total = 0
    for s1, e1 in x:
        for s2, e2 in y:
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def _extent(spans: list[tuple[int, int]]) -> tuple[int, int]:
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else (0, 0)


def cut_hub_edges(
    pairs: Sequence[PairDecision], all_pairs: Sequence[PairDecision] | None = None
) -> set[tuple[str, str]]:
    """Derived edges (a, b) of ``pairs`` that would chain two stories through a hub.

    Two neighbours of a hub tell the same story when their passages overlap on
    the hub or when they are a derived pair themselves, in ``all_pairs`` (default:
    ``pairs``).
    """
    derived = [p for p in pairs if p.derived]
    linked = {(p.a, p.b) for p in (all_pairs if all_pairs is not None else pairs) if p.derived}
    by_doc: dict[str, list[PairDecision]] = defaultdict(list)
    for p in derived:
        by_doc[p.a].append(p)
        by_doc[p.b].append(p)
    # Every hub's neighbours are nodes of one graph, numbered hub after hub (a hub's
    # from ``first`` on), so that one call groups them all; flat lists, not one per hub.
    hubs: list[tuple[str, int, int]] = []  # hub, first node, number of neighbours
    names: list[str] = []  # node -> neighbour
    matched: list[int] = []  # node -> characters of the hub its passages cover
    rows: list[int] = []
    cols: list[int] = []
    for hub, edges in sorted(by_doc.items()):
        if len(edges) < 2:
            continue
        others = [e.b if e.a == hub else e.a for e in edges]
        spans = [_spans_on(hub, e) for e in edges]
        first = len(names)
        hubs.append((hub, first, len(others)))
        names.extend(others)
        matched.extend(sum(e - s for s, e in sp) for sp in spans)
        at: dict[str, int] = {}
        for k, o in enumerate(others):
            if o in at:  # one neighbour twice (two decisions on one pair) is one node
                rows.append(first + k)
                cols.append(first + at[o])
            at.setdefault(o, k)
            for m in range(k):
                o2 = others[m]
                same_story = (min(o, o2), max(o, o2)) in linked
                if not same_story:
                    # Same region of the hub: the extents of their passages overlap.
                    e1, e2 = _extent(spans[k]), _extent(spans[m])
                    inter = max(0, min(e1[1], e2[1]) - max(e1[0], e2[0]))
                    shorter = min(e1[1] - e1[0], e2[1] - e2[0]) or 1
                    same_story = inter / shorter >= 0.3 or _overlap(spans[k], spans[m]) > 0
                if same_story:
                    rows.append(first + k)
                    cols.append(first + m)
    labels = component_labels(len(names), rows, cols)
    cut: set[tuple[str, str]] = set()
    for hub, first, n in hubs:
        story_of: dict[int, set[str]] = defaultdict(set)
        weight_of: dict[int, int] = defaultdict(int)
        for node in range(first, first + n):
            story_of[labels[node]].add(names[node])
            weight_of[labels[node]] += matched[node]
        if len(story_of) < 2:
            continue
        weight = {tuple(sorted(g)): weight_of[label] for label, g in story_of.items()}
        keep = max(weight, key=lambda g: (weight[g], [-ord(c) for c in g[0]]))
        for node in range(first, first + n):
            if names[node] not in keep:
                cut.add((min(hub, names[node]), max(hub, names[node])))
    return cut


def parent_candidates(
    pairs: Iterable[PairDecision], published: Mapping[str, float] | None = None
) -> dict[str, list[tuple[str, float]]]:
    """For each derivative, its possible parents, best first (score, then id).

    A side that strong dates rule out has no score (``detect.derivative_sides``);
    with ``published`` (POSIX instants of metadata dates, with their time of day) a
    parent published after the child is no parent: a copy cannot predate its source.
    """
    out: dict[str, list[tuple[str, float]]] = {}
    for p in pairs:
        if not p.derived:
            continue
        for side in ("a", "b"):
            key = f"score_{side}"
            if p.features and key not in p.features:
                continue  # this side cannot be the derivative (strong dates)
            score = p.features.get(key, p.score) if p.features else p.score
            child, parent = (p.a, p.b) if side == "a" else (p.b, p.a)
            if published and published.get(parent, -math.inf) > published.get(child, math.inf):
                continue
            out.setdefault(child, []).append((parent, score))
    for ranked in out.values():
        ranked.sort(key=lambda t: (-t[1], t[0]))
    return out


def best_parents(
    pairs: Iterable[PairDecision], published: Mapping[str, float] | None = None
) -> dict[str, tuple[str, float]]:
    """For each derivative, its best parent and the score of that link."""
    return {c: ranked[0] for c, ranked in parent_candidates(pairs, published).items()}


NEAR_IDENTICAL_COVERAGE = 0.9
"""Share of each text that copy passages cover for a pair to count as one text twice:
what is left is a retouched headline, a sign-off or a changed figure."""


def near_identical(p: PairDecision) -> bool:
    """Whether a derived pair is one text twice: a collapsed copy, or passages
    covering nearly all of both texts that keep nearly all their word pairs
    (``phrasing``; without it, passages that are verbatim or near-verbatim).

    >>> from syndetect.types import Match, Span
    >>> m = Match(Span("a", 0, 9, "same text"), Span("b", 0, 9, "same text"), 1.0, "verbatim")
    >>> near_identical(PairDecision("a", "b", 1.0, True, 0.95, 0.97, 1, 1.0, 0, (m,)))
    True
    """
    if not p.derived:
        return False
    if p.features and p.features.get("collapsed"):
        return True
    if min(p.coverage_a, p.coverage_b) < NEAR_IDENTICAL_COVERAGE:
        return False
    if p.features and "phrasing_a" in p.features and "phrasing_b" in p.features:
        # Word pairs kept on both sides: a rewrite changes them, a copy does not.
        return min(p.features["phrasing_a"], p.features["phrasing_b"]) >= NEAR_IDENTICAL_COVERAGE
    if not p.matches:
        return False
    copied = sum(m.a.end - m.a.start for m in p.matches if m.kind != "rewrite")
    total = sum(m.a.end - m.a.start for m in p.matches)
    return copied >= NEAR_IDENTICAL_COVERAGE * total


def story_clusters(
    pairs: Iterable[PairDecision],
    *,
    link_same_outlet: bool = False,
    published: Mapping[str, float] | None = None,
) -> list[list[str]]:
    """Sorted member lists of every cluster of two or more documents.

    Unless ``link_same_outlet``, a derived pair of two different stories from the
    same outlet (an update, a follow-up reusing its own background) is reported but
    links no cluster: a story cluster is about reuse across outlets. Identical and
    near-identical copies (``near_identical``) are one story whatever their outlets
    and always link.

    Two versions that are each other's best parent (two rewrites of one original,
    closer to each other than to it) would form a component of their own: the pair
    also keeps its best link to a document that is derived-linked to both of its
    members (their common source). ``published`` as in ``parent_candidates``.
    """
    pairs = [
        p
        for p in pairs
        if link_same_outlet
        or not (p.features and p.features.get("same_outlet"))
        or near_identical(p)
    ]
    ranked = parent_candidates(pairs, published)
    best = {c: r[0][0] for c, r in ranked.items()}
    links = {(min(c, p), max(c, p)) for c, p in best.items()}
    derived = {(p.a, p.b) for p in pairs if p.derived}
    for c, p in best.items():
        if best.get(p) == c and c < p:  # a mutual pair, seen once
            alts = [
                (score, m, q)
                for m, other in ((c, p), (p, c))
                for q, score in ranked[m][1:]
                if (min(q, other), max(q, other)) in derived
            ]
            if alts:
                _, m, q = min(alts, key=lambda t: (-t[0], t[1], t[2]))
                links.add((min(m, q), max(m, q)))
    kept = [p for p in pairs if p.derived and (p.a, p.b) in links]
    cut = cut_hub_edges(kept, pairs)
    groups = connected_groups((), ((p.a, p.b) for p in kept if (p.a, p.b) not in cut))
    return sorted((g for g in groups if len(g) >= 2), key=lambda g: g[0])
