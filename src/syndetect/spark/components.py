"""Spark engine, connected components: near-duplicate collapse (groups of bodies that
share keys) and the story components of the derived-pair graph, on the driver up to
``LOCAL_COMPONENTS_LIMIT`` edges and by label propagation beyond. Moved from
``engine.py`` unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..config import Config
from . import stages

LOCAL_COMPONENTS_LIMIT = 2_000_000
"""Graphs of at most this many edges get their connected components on the driver
(union-find over the collected edges, one job); larger ones by min-label
propagation on DataFrames (two jobs per round)."""


def _collapse(
    spark: Any, segmented: Any, config: Config, cfg: Any, n_parts: int, keep: Any
) -> tuple[Any, Any] | None:
    """RDDs of the duplicate groups (``collapse.collapse``) and of their member pairs,
    or None when there are none.

    Distinct bodies (by digest) are bucketed by LSH key; the connected sets of
    shared keys are grouped apart (``collapse.near_duplicates``), then each group is
    made with its members' documents joined in (``collapse.make_group``). A body
    that shares no key and no digest is in no group, so only bodies with an edge
    (a shared key, or a digest held by two documents: a self-edge) go further.
    """
    if not config.cluster.collapse:
        return None
    bodies = segmented.map(lambda r: (r[1], stages.body(r[1], r[3], cfg.value))).filter(
        lambda kv: kv[1] is not None
    )
    by_digest = bodies.map(lambda kv: (kv[1][0], (kv[0], kv[1][1], kv[1][2]))).groupByKey(
        n_parts
    ).map(lambda kv: _digest_row(kv[0], list(kv[1]))).persist(keep)
    near = by_digest.mapPartitions(
        lambda it: stages.near_key_entries(list(it), cfg.value)
    ).groupByKey(n_parts).flatMap(lambda kv: _chain(sorted(set(kv[1]))))
    same = by_digest.filter(lambda r: len(r[1]) >= 2).map(lambda r: (r[0], r[0]))
    component = _components(spark, near.union(same), n_parts)
    if component is None:
        by_digest.unpersist()
        return None
    found = by_digest.map(lambda r: (r[0], r)).join(component, n_parts).map(
        lambda kv: (kv[1][1], kv[1][0])
    ).groupByKey(n_parts).flatMap(lambda kv: stages.near_groups(list(kv[1]), cfg.value))
    member_rows = found.zipWithUniqueId().flatMap(
        lambda r: [(m, (r[1], r[0][1][m])) for m in r[0][0]]
    )
    made = member_rows.join(segmented.map(lambda r: (r[1], (r[2], r[3]))), n_parts).map(
        lambda kv: (kv[1][0][0], (kv[0], kv[1][1][0], kv[1][1][1], kv[1][0][1]))
    ).groupByKey(n_parts).map(
        lambda kv: stages.group_and_pairs(
            [(i, d, s) for i, d, s, _ in kv[1]], {i: g for i, _, _, g in kv[1]}, cfg.value
        )
    ).persist(keep)
    return made.map(lambda gp: gp[0]), made.flatMap(lambda gp: gp[1])


def _untag(items: Iterable[tuple[int, Any]], n: int) -> list[list[Any]]:
    """Values of a union of tagged RDDs, split by tag."""
    out: list[list[Any]] = [[] for _ in range(n)]
    for tag, value in items:
        out[tag].append(value)
    return out


def _digest_row(digest: str, members: list[tuple[str, int, list[str]]]) -> tuple[Any, ...]:
    """``(digest, member ids, n_tokens, tokens)`` of one distinct body."""
    members.sort(key=lambda m: m[0])
    return digest, [m[0] for m in members], members[0][1], members[0][2]


def _chain(items: Sequence[str]) -> list[tuple[str, str]]:
    """Edges that connect ``items`` (a bucket) as one component."""
    return [(items[k], items[k + 1]) for k in range(len(items) - 1)]


def _components(spark: Any, edges: Any, n_parts: int) -> Any:
    """RDD ``(node, component label)`` of the graph ``edges`` ``(a, b)`` (the label is
    the component's smallest node), or None when it has no edge.

    Up to ``LOCAL_COMPONENTS_LIMIT`` edges are collected and joined on the driver
    (one job); beyond, the edges are kept and ``_propagate`` runs on them.
    """
    edges = edges.persist()
    got = _collect_upto(edges, LOCAL_COMPONENTS_LIMIT)
    if got is None:
        return _propagate(spark, edges)
    edges.unpersist()
    if not got:
        return None
    return spark.sparkContext.parallelize(_local_labels(got), n_parts)


def _collect_upto(rdd: Any, limit: int) -> list[Any] | None:
    """The items of ``rdd`` when there are at most about ``limit`` (each partition
    sends at most its share), else None; one job."""
    import itertools

    if limit <= 0:
        return None
    share = max(1, limit // max(1, rdd.getNumPartitions()))

    def head(items: Iterable[Any]) -> list[tuple[bool, list[Any]]]:
        got = list(itertools.islice(items, share + 1))
        return [(len(got) > share, got[:share])]

    parts = rdd.mapPartitions(head).collect()
    if any(over for over, _ in parts):
        return None
    return [x for _, xs in parts for x in xs]


def _local_labels(edges: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(node, smallest node of its component)`` of a graph given by its edges."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:  # the smaller root wins, so every root is its component's minimum
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return [(x, find(x)) for x in parent]


def _propagate(spark: Any, edges_rdd: Any, max_rounds: int = 10_000) -> Any:
    """RDD ``(document id, component label)`` of the graph ``edges_rdd`` ``(a, b)``.

    Min-label propagation on DataFrames: every vertex takes the smallest label
    among itself and its neighbours until nothing changes; rounds = the largest
    component's diameter + 1. Story components are small and shallow (a story and
    its rewrites), so this needs a handful of rounds; GraphFrames would need a
    JAR download, impossible on a machine without network access to Maven.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField("src", StringType(), False),
                         StructField("dst", StringType(), False)])
    edges = spark.createDataFrame(edges_rdd, schema)
    edges = edges.union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
    edges = edges.distinct().localCheckpoint()
    labels = edges.select(F.col("src").alias("id")).distinct().withColumn("label", F.col("id"))
    labels = labels.localCheckpoint()
    prev = None
    for _ in range(max_rounds):
        offered = edges.join(labels, edges.src == labels.id).select(
            F.col("dst").alias("id"), F.col("label"), F.lit(None).cast("string").alias("old")
        )
        mine = labels.select("id", "label", F.col("label").alias("old"))
        # Checkpointed every round: each round reads the last one twice, so without it the
        # query plan doubles per round.
        new = mine.union(offered).groupBy("id").agg(
            F.min("label").alias("label"), F.max("old").alias("old")
        ).localCheckpoint()
        changed = new.where(F.col("label") != F.col("old")).count()
        if prev is not None:
            prev.unpersist()
        prev, labels = new, new.select("id", "label")
        if not changed:
            break
    return labels.rdd.map(lambda r: (r["id"], r["label"]))
