"""The tree: the best arborescence under each candidate root, the ranking, the confidence.

Every ordered pair (u, v) of a derived pair gets a weight
``w(u -> v) = direction(u -> v) + link(u, v)``: *direction* sums the
antisymmetric signals (attribution, date, containment, details, hedges) and
*link* is the symmetric lineage strength, which chooses the shape of the tree
but never its direction. Each member ``r`` is tried as the root: its score is
its prior (minus ``attribution_weight`` when it credits another outlet) plus
the weight of the maximum spanning arborescence rooted at it
(``maximum_arborescence``, Chu-Liu/Edmonds, over derived pairs only). The best
root is the origin.

Tie-breaking (deterministic, independent of input order): between equally scored
roots, and between equally weighted parents, prefer the member with the earlier
strong (metadata) date, then the one whose matches cover more of the other
members' text, then the smaller document id.

Confidence is ``1 - exp(-margin / confidence_scale)``, where ``margin`` is the
score lead of the origin over the best alternative root; it is capped at
``weak_confidence_cap`` when only weak signals (page dates, priors) produce the
lead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import InputError
from .facts import _Edge, _Problem
from .signals import Signal

_QUANT = 10**6  # weights are compared as integers (micro-units), so ties are exact
STRONG_FAMILIES = ("attribution", "date", "content")
"""Signal families that may decide alone (a ``date`` signal only when it is strong)."""


def maximum_arborescence(
    nodes: Sequence[str], weights: Mapping[tuple[str, str], int], root: str
) -> dict[str, str]:
    """The maximum-weight spanning arborescence rooted at ``root`` (Chu-Liu/Edmonds).

    ``weights[(u, v)]`` is the integer weight of the edge u -> v ("v's parent is
    u"). Returns each non-root node's parent. Among equal in-edges the one listed
    first in sorted order wins, so the result is deterministic; raises
    ``InputError`` when a node cannot be reached from the root.

    >>> w = {("a", "b"): 5, ("b", "c"): 5, ("a", "c"): 1, ("c", "b"): 9, ("b", "a"): 9}
    >>> sorted(maximum_arborescence(["a", "b", "c"], w, "a").items())
    [('b', 'a'), ('c', 'b')]
    """
    # Not networkx's: its Edmonds gave the same reports but ran 13 times slower on
    # 140-node clusters, and its maximum_spanning_arborescence (3.6.1) raises on some
    # graphs that have one (tests/test_arborescence.py has the figures and a graph).
    index = {n: i for i, n in enumerate(sorted(nodes))}
    names = sorted(nodes)
    if root not in index:
        raise InputError(f"root {root!r} is not one of the nodes")
    edges = [
        (index[u], index[v], w, eid)
        for eid, ((u, v), w) in enumerate(sorted(weights.items()))
        if u in index and v in index and u != v
    ]
    original = {eid: (u, v) for u, v, _, eid in edges}
    chosen = _edmonds(list(range(len(names))), edges, index[root], len(names))
    out = {}
    for eid in chosen:
        u, v = original[eid]
        out[names[v]] = names[u]
    return out


def _edmonds(
    nodes: list[int], edges: list[tuple[int, int, int, int]], root: int, next_id: int
) -> set[int]:
    """Edge ids of a maximum arborescence; ``edges`` are (u, v, weight, edge id)."""
    best: dict[int, tuple[int, int, int, int]] = {}
    for edge in edges:
        u, v, w, eid = edge
        if v == root or u == v:
            continue
        cur = best.get(v)
        if cur is None or w > cur[2] or (w == cur[2] and eid < cur[3]):
            best[v] = edge
    missing = [v for v in nodes if v != root and v not in best]
    if missing:
        raise InputError(f"{len(missing)} member(s) cannot be reached through derived pairs")
    # Find a cycle among the chosen in-edges.
    cycle: list[int] = []
    state: dict[int, int] = {}
    for start in nodes:
        path: list[int] = []
        v = start
        while v != root and v not in state:
            state[v] = start
            path.append(v)
            v = best[v][0]
        if v != root and state.get(v) == start:
            cycle = path[path.index(v):]
            break
    if not cycle:
        return {best[v][3] for v in nodes if v != root}
    in_cycle = set(cycle)
    c = next_id
    new_edges: list[tuple[int, int, int, int]] = []
    enters: dict[int, int] = {}
    for u, v, w, eid in edges:
        if u in in_cycle and v in in_cycle:
            continue
        if v in in_cycle:
            new_edges.append((u, c, w - best[v][2], eid))
            enters[eid] = v
        elif u in in_cycle:
            new_edges.append((c, v, w, eid))
        else:
            new_edges.append((u, v, w, eid))
    new_nodes = [n for n in nodes if n not in in_cycle] + [c]
    chosen = _edmonds(new_nodes, new_edges, root, next_id + 1)
    entry = next(eid for eid in chosen if eid in enters)
    return chosen | {best[v][3] for v in cycle if v != enters[entry]}


def _q(value: float) -> int:
    return round(value * _QUANT)


def _tree_order(root: str, parent: Mapping[str, str]) -> list[str]:
    children: dict[str, list[str]] = {}
    for c, p in parent.items():
        children.setdefault(p, []).append(c)
    order: list[str] = []
    stack = [root]
    while stack:
        n = stack.pop()
        order.append(n)
        stack.extend(sorted(children.get(n, []), reverse=True))
    return order


@dataclass(frozen=True)
class _Rooted:
    """The best tree under one candidate root and its score (in quantised units)."""

    root: str
    tree: dict[str, str]
    score: int


def _rank_roots(
    prob: _Problem, edges: Mapping[tuple[str, str], _Edge], nodes: Mapping[str, list[Signal]]
) -> list[_Rooted]:
    """Candidate roots, best first, each with its maximum arborescence.

    Ties between equal scores: earlier strong date, then more coverage explained,
    then smaller id; inside a tree the edge ranks apply the same order to parents.
    """
    ids, config = prob.ids, prob.config

    def parent_pref(e: tuple[str, str]) -> tuple[object, ...]:
        u, v = e
        return (prob.strong_date(u), -prob.coverage(v, u), u, v)

    # Integer weights with a tie-break rank below one unit of the main weight:
    # the ranks of a tree's n-1 edges sum to less than ``scale``.
    order = sorted(edges, key=parent_pref, reverse=True)  # the least preferred parent first
    scale = len(edges) * len(ids) + 1
    weights = {e: _q(edges[e].total) * scale + rank for rank, e in enumerate(order)}

    candidates = ids
    if len(ids) > config.max_root_candidates:

        def quick(r: str) -> float:
            d = sum(edges[(r, n)].direction - edges[(n, r)].direction for n in prob.neighbours[r])
            return sum(s.value for s in nodes[r]) + d / 2

        candidates = sorted(ids, key=lambda r: (-quick(r), prob.strong_date(r), r))
        candidates = candidates[: config.max_root_candidates]
    keyed = []
    for r in candidates:
        tree = maximum_arborescence(ids, weights, r)
        score = sum(_q(s.value) for s in nodes[r]) + sum(
            _q(edges[(p, c)].total) for c, p in tree.items()
        )
        keyed.append(((-score, prob.strong_date(r), -prob.explained(r), r), _Rooted(r, tree, score)))
    return [rooted for _, rooted in sorted(keyed, key=lambda kv: kv[0])]


def _families(
    rooted: _Rooted, edges: Mapping[tuple[str, str], _Edge], nodes: Mapping[str, list[Signal]]
) -> dict[str, float]:
    """A root's score by signal family; weak signals pooled as "weak"."""
    out: dict[str, float] = {}
    signals = [*nodes[rooted.root]]
    signals += [s for c, p in rooted.tree.items() for s in edges[(p, c)].signals]
    for s in signals:
        family = s.family if s.strong else "weak"
        out[family] = out.get(family, 0.0) + s.value
    return out


def _confidence(
    prob: _Problem,
    edges: Mapping[tuple[str, str], _Edge],
    nodes: Mapping[str, list[Signal]],
    ranked: Sequence[_Rooted],
) -> float:
    """``1 - exp(-margin / scale)`` over the runner-up root, capped when only weak
    signals (page dates, priors) make the lead."""
    if len(ranked) < 2:
        return 0.0
    best, runner = ranked[0], ranked[1]
    margin = (best.score - runner.score) / _QUANT
    confidence = 1.0 - math.exp(-max(0.0, margin) / prob.config.confidence_scale)
    fam_best, fam_run = _families(best, edges, nodes), _families(runner, edges, nodes)
    strong_lead = sum(
        fam_best.get(f, 0.0) - fam_run.get(f, 0.0) for f in STRONG_FAMILIES
    )
    if strong_lead <= 1e-9:
        confidence = min(confidence, prob.config.weak_confidence_cap)
    return confidence
