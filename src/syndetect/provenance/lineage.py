"""Lineage: which candidate parent explains most of a child's shared text.

The parent of a derivative is the member whose passages explain most of its
shared text, including passages that other members lack (A -> B -> C where C
shares passages only B has makes B the parent of C). The link is symmetric: it
chooses the shape of the tree, never its direction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from ..config import ProvenanceConfig


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _length(intervals: Sequence[tuple[int, int]]) -> int:
    return sum(e - s for s, e in intervals)


def _subtract(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``a`` minus ``b``; both merged and sorted."""
    out: list[tuple[int, int]] = []
    j = 0
    for s, e in a:
        cur = s
        while j < len(b) and b[j][1] <= cur:
            j += 1
        k = j
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def lineage_link(
    child_cover: Mapping[str, Sequence[tuple[int, int]]],
    child_coverage: Mapping[str, float],
    parent: str,
    config: ProvenanceConfig,
) -> tuple[float, float, float]:
    """How well ``parent`` explains one child among its candidate parents.

    ``child_cover`` maps each candidate parent to the child's character intervals
    its matches cover; ``child_coverage`` to the pair coverage of the child.
    Returns ``(value, relative_coverage, exclusive_share)``: relative coverage is
    the parent's coverage over the best candidate's, exclusive share the part of
    the child's shared text that only this parent covers;
    ``value = lineage_weight * relative + exclusive_weight * tanh(exclusive / exclusive_scale)``.

    >>> cover = {"A": [(0, 50)], "B": [(0, 50), (50, 100)]}
    >>> v, rel, excl = lineage_link(cover, {"A": 0.4, "B": 0.8}, "B", ProvenanceConfig())
    >>> rel, excl, round(v, 3)
    (1.0, 0.5, 3.0)
    >>> lineage_link(cover, {"A": 0.4, "B": 0.8}, "A", ProvenanceConfig())[1:]
    (0.5, 0.0)
    """
    return lineage_links(child_cover, child_coverage, config).get(parent, (0.0, 0.0, 0.0))


def lineage_links(
    child_cover: Mapping[str, Sequence[tuple[int, int]]],
    child_coverage: Mapping[str, float],
    config: ProvenanceConfig,
) -> dict[str, tuple[float, float, float]]:
    """``lineage_link`` of every candidate parent at once, in one sweep over the
    child's intervals (time ``O(k log k)`` for ``k`` intervals, not ``k`` per parent).
    """
    best = max(child_coverage.values(), default=0.0)
    merged = {p: _merge(iv) for p, iv in child_cover.items()}
    events = sorted((pos, kind, p) for p, iv in merged.items() for s, e in iv
                    for pos, kind in ((s, 1), (e, 0)))
    active: set[str] = set()
    only = dict.fromkeys(merged, 0)
    total = 0
    last = None
    for pos, kind, p in events:  # ends (kind 0) before starts at one position
        if last is not None and active and pos > last:
            total += pos - last
            if len(active) == 1:
                only[next(iter(active))] += pos - last
        last = pos
        if kind:
            active.add(p)
        else:
            active.discard(p)
    out = {}
    for p in set(merged) | set(child_coverage):
        relative = child_coverage.get(p, 0.0) / best if best > 0 else 0.0
        exclusive = only.get(p, 0) / total if total else 0.0
        value = config.lineage_weight * relative + config.exclusive_weight * math.tanh(
            exclusive / config.exclusive_scale
        )
        out[p] = (value, relative, exclusive)
    return out
