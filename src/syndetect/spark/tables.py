"""The Parquet tables of a Spark scan, built from the engine's RDDs.

``documents`` (one row per input), ``pairs`` (every decided document pair, with
its features), ``clusters``, ``members`` (cluster, position, role, parent),
``matches`` (cluster, both spans with offsets into the documents' text) and
``boilerplate``. Offsets are Python string positions, as in the JSON report:
``text[start:end]`` is the span's text.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..types import Boilerplate, Cluster, DocumentSummary, PairDecision


def _schemas() -> dict[str, Any]:
    from pyspark.sql.types import (
        ArrayType,
        BooleanType,
        DoubleType,
        IntegerType,
        MapType,
        StringType,
        StructField,
        StructType,
    )

    def s(*fields: tuple[str, Any, bool]) -> StructType:
        return StructType([StructField(n, t, nullable) for n, t, nullable in fields])

    text, num, integer, flag = StringType(), DoubleType(), IntegerType(), BooleanType()
    strings = ArrayType(text, False)
    return {
        "documents": StructType([
            StructField(f.name, {"bool": flag, "int": integer}.get(str(f.type), text),
                        f.name != "id")
            for f in dataclasses.fields(DocumentSummary)
        ]),
        "pairs": s(("a", text, False), ("b", text, False), ("score", num, False),
                   ("derived", flag, False), ("coverage_a", num, False),
                   ("coverage_b", num, False), ("n_passages", integer, False),
                   ("ordered", num, False), ("rare_shared", integer, False),
                   ("features", MapType(text, num, False), False)),
        "clusters": s(("id", text, False), ("origin", text, True),
                      ("external_origin", text, True), ("confidence", num, False),
                      ("evidence", strings, False), ("n_members", integer, False)),
        "members": s(("cluster", text, False), ("position", integer, False),
                     ("document", text, False), ("role", text, False),
                     ("derived_from", text, True), ("derivation", text, True),
                     ("relation", text, True), ("coverage", num, False),
                     ("evidence", strings, False)),
        "matches": s(("cluster", text, False), ("a", text, False), ("a_start", integer, False),
                     ("a_end", integer, False), ("a_text", text, False), ("b", text, False),
                     ("b_start", integer, False), ("b_end", integer, False),
                     ("b_text", text, False), ("similarity", num, False), ("kind", text, False)),
        "boilerplate": s(("text", text, False), ("documents", strings, False),
                         ("count", integer, False)),
    }


def _document(d: DocumentSummary) -> tuple[Any, ...]:
    return tuple(getattr(d, f.name) for f in dataclasses.fields(DocumentSummary))


def _pair(p: PairDecision) -> tuple[Any, ...]:
    return (p.a, p.b, float(p.score), bool(p.derived), float(p.coverage_a), float(p.coverage_b),
            p.n_passages, float(p.ordered), int(p.rare_shared),
            {k: float(v) for k, v in (p.features or {}).items()})


def _cluster(c: Cluster) -> tuple[Any, ...]:
    return (c.id, c.origin, c.external_origin, float(c.confidence), list(c.evidence),
            len(c.members))


def _members(c: Cluster) -> list[tuple[Any, ...]]:
    return [(c.id, k, m.document, m.role, m.derived_from, m.derivation, m.relation,
             float(m.coverage), list(m.evidence)) for k, m in enumerate(c.members)]


def _matches(c: Cluster) -> list[tuple[Any, ...]]:
    return [(c.id, m.a.document, m.a.start, m.a.end, m.a.text, m.b.document, m.b.start,
             m.b.end, m.b.text, float(m.similarity), m.kind) for m in c.matches]


def _boilerplate(b: Boilerplate) -> tuple[Any, ...]:
    return (b.text, sorted(set(b.documents)), b.count)


def build(spark: Any, summaries: Any, pairs: Any, clusters: Any, entries: Any) -> dict[str, Any]:
    """DataFrames of the six tables (lazy: computed when written)."""
    schema = _schemas()
    return {
        "documents": spark.createDataFrame(summaries.map(_document), schema["documents"]),
        "pairs": spark.createDataFrame(pairs.map(_pair), schema["pairs"]),
        "clusters": spark.createDataFrame(clusters.map(_cluster), schema["clusters"]),
        "members": spark.createDataFrame(clusters.flatMap(_members), schema["members"]),
        "matches": spark.createDataFrame(clusters.flatMap(_matches), schema["matches"]),
        "boilerplate": spark.createDataFrame(entries.map(_boilerplate), schema["boilerplate"]),
    }
