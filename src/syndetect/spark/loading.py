"""Spark engine, loading: the inputs ``scan`` reads, read in parallel, with ids claimed
in load order and duplicate bodies placed as ``prepare`` places them; per-document
segmentation and boilerplate keys. Moved from ``engine.py`` unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ..config import Config
from ..pipeline import _usable
from ..types import Document
from . import pickling  # noqa: F401  (fast reducers of the core's records, in each worker)


def _row_document(record: Mapping[str, Any], line: int, as_of: datetime) -> Document:
    from ..load.jsonl import record_document

    source = record.get("source") if isinstance(record.get("source"), str) else "dataframe"
    data = {k: v for k, v in record.items() if v is not None and k != "source"}
    return record_document(data, line=line, file_id="dataframe", source=source, as_of=as_of)


def _load(
    spark: Any, source: Any, as_of: datetime | None, n_parts: int, follow_symlinks: bool = False
) -> Any:
    """RDD of ``(position, Document)``; positions and ids follow ``load_documents``."""
    from pyspark.sql import DataFrame

    sc = spark.sparkContext
    if isinstance(source, DataFrame):
        moment = as_of or datetime.now(UTC)
        return source.rdd.zipWithIndex().map(
            lambda r: (r[1], _row_document(r[0].asDict(recursive=True), r[1] + 1, moment))
        )
    from ..load.files import load_planned, plan_inputs, reserved_ids

    plan = plan_inputs(source, follow_symlinks=follow_symlinks)
    frames = [spark.read.parquet(str(p[2])) for p in plan
              if p[2] is not None and str(p[2]).endswith(".parquet")]
    plan = [p for p in plan if not (p[2] is not None and str(p[2]).endswith(".parquet"))]
    reserved = reserved_ids(plan)

    def load(k: int) -> list[tuple[tuple[int, int], Document]]:
        doc_id, src, path, early = plan[k]
        docs = load_planned(doc_id, src, path, early, as_of)
        return [((k, n), d) for n, d in enumerate(docs, start=1)]

    slices = max(1, min(len(plan), n_parts * 4))
    loaded = sc.parallelize(range(len(plan)), slices).flatMap(load).persist()
    # One job: per-input counts, ids held twice, and documents claiming a reserved id.
    file_of = {k: p[0] for k, p in enumerate(plan)}
    fb, rb = sc.broadcast(file_of), sc.broadcast(reserved)
    facts = loaded.flatMap(lambda r: [(("n", r[0][0]), 1), (("i", r[1].id), 1)]).reduceByKey(
        lambda a, b: a + b, n_parts
    ).filter(lambda kv: kv[0][0] == "n" or kv[1] > 1)
    taken = loaded.filter(
        lambda r: r[1].id in rb.value and r[1].id != fb.value[r[0][0]]
    ).map(lambda r: (("r", None), r))
    got = facts.union(taken).collect()
    counts = {k[1]: v for k, v in got if k[0] == "n"}
    dup_ids = {k[1] for k, _ in got if k[0] == "i"}
    loaded = _claim_ids(sc, loaded, plan, reserved, dup_ids, [v for k, v in got if k[0] == "r"])
    # Global positions from per-input counts (one number per input on the driver).
    offset, start = {}, 0
    for k in sorted(counts):
        offset[k] = start
        start += counts[k]
    ob = sc.broadcast(offset)
    out = loaded.map(lambda r: (ob.value[r[0][0]] + r[0][1] - 1, r[1]))
    for frame in frames:
        part = _load(spark, frame, as_of, n_parts).map(lambda r, b=start: (r[0] + b, r[1]))
        start += frame.count()
        out = out.union(part)
    return out


def _claim_ids(
    sc: Any, loaded: Any, plan: Sequence[Any], reserved: set[str], dup_ids: set[str],
    taken: list[Any],
) -> Any:
    """``load.files.claim_id`` in load order, replayed on the driver for the few
    documents whose id may be taken, so that ids equal ``load_documents``'s.

    A document can only lose its id if another input has the same id (``dup_ids``)
    or its id is another file's (``taken``: those documents), or if a renamed
    document takes it; renames have the form ``<file id>#<line>[~k]``. Those
    documents (duplicates are few) are replayed in order; every other document
    keeps its id.
    """
    import re

    from ..load.files import claim_id

    file_of = {k: p[0] for k, p in enumerate(plan)}
    replay = list(taken)
    if dup_ids:
        db = sc.broadcast(dup_ids)
        got = {pos for pos, _ in replay}
        replay += [r for r in loaded.filter(lambda r: r[1].id in db.value).collect()
                   if r[0] not in got]
    if not replay:
        return loaded
    suffix = re.compile(r"~\d+$")
    got = {pos for pos, _ in replay}
    while True:
        bases = set()
        for (k, n), doc in replay:
            line = doc.metadata.get("line")
            bases.add(f"{file_of[k]}#{line}" if isinstance(line, int) else f"{file_of[k]}#{n}")
        bb = sc.broadcast(bases)
        more = loaded.filter(lambda r: suffix.sub("", r[1].id) in bb.value).collect()
        more = [r for r in more if r[0] not in got]
        if not more:
            break
        replay += more
        got |= {pos for pos, _ in more}
    seen: set[str] = set()
    renamed = {}
    for (k, n), doc in sorted(replay, key=lambda r: r[0]):
        plan_id, src = plan[k][0], plan[k][1]
        final = claim_id(doc, plan_id, n, src, seen, reserved)
        seen.add(final.id)
        if final is not doc:
            renamed[(k, n)] = final
    nb = sc.broadcast(renamed)
    return loaded.map(lambda r: (r[0], nb.value.get(r[0], r[1])))


def _site_titles(docs: Any, n_parts: int) -> Any:
    """``prepare``'s rule that a title shared by one site's unrelated pages is no title:
    ``site.site_wide_titles`` per (site, title) group."""
    from ..site import name_key, site_wide_titles

    titled = docs.filter(lambda r: r[1].status == "ok" and r[1].site and r[1].title)
    untitled = titled.map(lambda r: ((r[1].site, name_key(r[1].title)), r[1])).groupByKey(
        n_parts
    ).flatMap(lambda kv: sorted(site_wide_titles(list(kv[1])))).map(lambda i: (i, True))
    return docs.leftOuterJoin(untitled, n_parts).map(
        lambda kv: (kv[0], replace(kv[1][0], title=None) if kv[1][1] else kv[1][0])
    )


def _dedupe(positioned: Any) -> Any:
    """``(key, Document)``: ``prepare``'s rule, first by position keeps its id."""

    def resolve(group: tuple[str, Iterable[tuple[int, Document]]]) -> list[tuple[str, Document]]:
        doc_id, members = group
        ordered = sorted(members, key=lambda m: m[0])
        out = [(doc_id, ordered[0][1])]
        for pos, doc in ordered[1:]:
            out.append((f"{doc_id}#dup{pos}", replace(
                doc, text="", status="skipped", reason="duplicate_id",
                message=f"another document already has id {doc_id!r}",
            )))
        return out

    return positioned.map(lambda r: (r[1].id, (r[0], _usable(r[1])))).groupByKey().flatMap(resolve)


# ----------------------------------------------------------------------------- the scan


def _segment(doc: Document, config: Config) -> list[Any]:
    from ..segment import segment

    return segment(doc.id, doc.text, config.segment)


def _keys(doc_id: str, segments: Sequence[Any], config: Config) -> set[str]:
    from ..boilerplate import _prepare

    return {k for k in _prepare(doc_id, segments, config.boilerplate).keys if k}
