"""``scan_spark``: the stages of ``scan`` as Spark jobs; nothing collects the corpus.

Flow (each arrow a shuffle or a broadcast; the work between them is a call to
the core, see ``stages.py``):

1. load: files listed on the driver (names only), read in parallel; or rows of a
   DataFrame -> ``Document``; duplicate ids resolved by input position;
2. segment and boilerplate rules 1-4: key document frequencies aggregated and
   joined back, template keys decided per key (``support_of_nodes``) and
   broadcast, template n-grams aggregated and broadcast;
3. vocabulary (document frequencies) aggregated and broadcast;
4. band keys of the three grains per partition -> shuffled by key -> buckets ->
   candidate pairs -> shuffled by document pair, deduplicated;
5. both documents of each pair joined in -> ``verify_candidates`` + ``decide_pairs``;
6. connected components of the derived pairs by min-label propagation on
   DataFrames -> ``build_clusters`` per component.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .._version import __version__
from ..boilerplate import _entry, gram_marks, long_threshold, support_of_nodes
from ..config import Config
from ..pipeline import summarize
from ..terms import Vocabulary
from ..types import Document, PairDecision, Report
from . import components, stages
from .components import _collapse, _local_labels, _propagate, _untag
from .loading import _dedupe, _keys, _load, _segment, _site_titles

log = logging.getLogger(__name__)


STAGES = ("load_segment", "boilerplate", "collapse", "vocabulary", "candidates_decisions",
          "clusters_report")
"""The engine's stages, as timed in ``SparkReport.seconds`` and named in Spark's job
descriptions (``syndetect <stage>``)."""

TABLES = ("documents", "pairs", "clusters", "members", "matches", "boilerplate")
"""Parquet tables a ``SparkReport`` writes."""


def session(master: str = "local[*]", *, app_name: str = "syndetect", **conf: str) -> Any:
    """A ``SparkSession`` for ``master`` (``local[2]``, ``spark://host:7077``, ``yarn``).

    Fails with a message naming the JVM requirement when Java cannot be started.
    When a session is already running in this process, it is returned with only
    ``conf`` applied (this function's defaults do not override its settings).

    On a ``local`` master the Python workers run this interpreter (``sys.executable``)
    unless ``PYSPARK_PYTHON`` says otherwise. PySpark's own default is the first
    ``python3`` on ``PATH``, which for ``/path/to/venv/bin/syndetect`` run without
    activating the venv is a Python without syndetect. On a cluster, the executors'
    Python is the cluster's to set (``PYSPARK_PYTHON``, see docs/spark.md).
    """
    from pyspark.sql import SparkSession

    from ..errors import SyndetectError

    if master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.master(master).appName(app_name)
    defaults = {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "8",
                "spark.python.worker.reuse": "true"}
    if SparkSession.getActiveSession() is not None:
        defaults = {}
    for key, value in (defaults | conf).items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # pyspark raises PySparkRuntimeError when the JVM is missing
        raise SyndetectError(
            f"cannot start Spark ({type(exc).__name__}: {exc}); the Spark engine needs a Java 17+ "
            "runtime on PATH or JAVA_HOME (Debian: apt-get install openjdk-17-jre-headless)"
        ) from exc


@dataclass
class SparkReport:
    """The outcome of ``scan_spark``: the ``Report`` and the Parquet-ready tables.

    ``report`` equals ``scan``'s apart from timings, except that ``report.pairs``
    holds the derived pairs only (the JSON lists no others); the ``pairs`` table
    holds every decided pair.
    """

    report: Report
    tables: dict[str, Any] = field(repr=False)
    seconds: dict[str, float] = field(default_factory=dict)
    documents: Any = field(default=None, repr=False)
    metrics: dict[str, Any] = field(default_factory=dict)
    """Sizes seen on the driver (vocabulary words, how components were found)."""

    def texts(self) -> dict[str, str]:
        """Texts of the documents in clusters (what the HTML report shows side by side)."""
        if self.documents is None:
            return {}
        wanted = {m.document for c in self.report.clusters for m in c.members}
        return dict(self.documents.filter(lambda kv: kv[0] in wanted).map(
            lambda kv: (kv[0], kv[1].text)).collect())

    def write(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``report.json`` and one Parquet directory per table, atomically.

        Everything goes to a temporary sibling directory first, renamed into place
        when complete (an existing directory is replaced); on a shared file system
        (HDFS, S3) write to a local or POSIX path instead, since rename is the
        atomic step.
        """
        from ..report import to_json

        target = Path(directory).absolute()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{time.time_ns()}"
        try:
            tmp.mkdir()
            for name in TABLES:
                self.tables[name].write.mode("overwrite").parquet(str(tmp / name))
            (tmp / "report.json").write_text(to_json(self.report), encoding="utf-8")
            if target.exists():
                old = target.parent / f".{target.name}.old-{os.getpid()}-{time.time_ns()}"
                target.rename(old)
                tmp.rename(target)
                _rmtree(old)
            else:
                tmp.rename(target)
        finally:
            if tmp.exists():
                _rmtree(tmp)
        return target


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


# ----------------------------------------------------------------------------- loading


def scan_spark(
    spark: Any,
    source: Any,
    config: Config | None = None,
    *,
    as_of: datetime | None = None,
    follow_symlinks: bool = False,
    num_partitions: int | None = None,
    storage_level: str | None = None,
) -> SparkReport:
    """Scan a DataFrame (``id``, ``text``, ``outlet``, ``published_at``, ``url``, ...) or
    the paths ``scan`` reads (plus ``.parquet``) on ``spark``.

    ``as_of`` resolves relative dates as in ``load_documents`` (a DataFrame's rows
    default to now). ``num_partitions`` sets the partitions of every shuffle
    (default: ``spark.sql.shuffle.partitions``). ``storage_level`` names the
    ``StorageLevel`` of the RDDs the scan persists. By default ``"DISK_ONLY"`` on a
    ``local`` master, where one JVM heap is driver and executor at once (with
    ``MEMORY_AND_DISK`` and a 3 GB driver, caching a partition of boilerplate working
    states ran out of heap at 100k articles; the OS page cache keeps the files warm
    anyway), and ``"MEMORY_AND_DISK"`` on a cluster.
    """
    from pyspark import StorageLevel
    from pyspark.serializers import AutoBatchedSerializer, PickleSerializer

    from . import tables as tables_mod

    config = config or Config()
    sc = spark.sparkContext
    n_parts = num_partitions or int(spark.conf.get("spark.sql.shuffle.partitions", "8"))
    if storage_level is None:
        storage_level = "DISK_ONLY" if sc.master.startswith("local") else "MEMORY_AND_DISK"
    keep = getattr(StorageLevel, storage_level, None)
    if not isinstance(keep, StorageLevel):
        raise ValueError(f"unknown storage level {storage_level!r}: use a name of "
                         "pyspark.StorageLevel, such as DISK_ONLY or MEMORY_AND_DISK")
    seconds: dict[str, float] = {}
    metrics: dict[str, Any] = {}
    t0 = t = time.perf_counter()

    described = sc.getLocalProperty("spark.job.description")

    def mark(stage: str) -> None:
        """Time of ``stage`` (just ended); Spark jobs from now on are described as the next
        stage's (the UI and the status API then attribute each Spark stage to one of ours)."""
        nonlocal t
        now = time.perf_counter()
        seconds[stage] = round(now - t, 3)
        t = now
        later = STAGES[STAGES.index(stage) + 1:]
        sc.setLocalProperty("spark.job.description",
                            f"syndetect {later[0]}" if later else described)

    # Records move between stages with the standard pickle (C) instead of cloudpickle's
    # pure-Python pickler (PySpark 4's default for data; task functions still go
    # through cloudpickle): every record here is of a module-level class, and the
    # core's dataclasses have fast reducers (``pickling``). Restored on return.
    serializers = sc._unbatched_serializer, sc.serializer
    sc._unbatched_serializer = PickleSerializer()
    sc.serializer = AutoBatchedSerializer(sc._unbatched_serializer)
    try:
        sc.setLocalProperty("spark.job.description", f"syndetect {STAGES[0]}")

        cfg = sc.broadcast(config)
        docs = _site_titles(_dedupe(_load(spark, source, as_of, n_parts, follow_symlinks)),
                            n_parts).persist(keep)
        ok = docs.filter(lambda r: r[1].status == "ok").map(
            lambda r: (r[0], r[1], _segment(r[1], cfg.value))
        ).persist(keep)
        n_ok = ok.count()
        mark("load_segment")

        # ---- boilerplate: key frequencies, template keys, template n-grams
        bc = config.boilerplate
        min_df = min(2, bc.min_documents)
        # Persisted where two jobs read an RDD: the boilerplate rules re-run per read.
        key_docs = ok.flatMap(
            lambda r: [(k, r[0]) for k in _keys(r[0], r[2], cfg.value)]
        ).persist(keep)
        key_df = key_docs.map(lambda kd: (kd[0], 1)).reduceByKey(lambda a, b: a + b).filter(
            lambda kv: kv[1] >= min_df
        )
        doc_df = key_docs.join(key_df, n_parts).map(
            lambda r: (r[1][0], (r[0], r[1][1]))
        ).groupByKey(n_parts).mapValues(dict)
        with_df = ok.map(lambda r: (r[0], r)).leftOuterJoin(doc_df, n_parts).map(
            lambda r: (r[1][0], r[1][1] or {})
        ).persist(keep)
        long_min = long_threshold(n_ok, bc)

        def decide(needed_long: bool, template: frozenset[str]) -> set[str]:
            tb = sc.broadcast(template)
            occ = with_df.zipWithUniqueId().flatMap(
                lambda r: [
                    (key, (lg, r[1], nodes))
                    for key, lg, nodes in stages.occurrence_nodes(
                        r[0][0][0], r[0][0][2], r[0][1], n_ok, tb.value, cfg.value
                    )
                ]
            )

            def template_key(group: tuple[str, Iterable[Any]]) -> bool:
                key, occs = group
                occs = list(occs)
                is_long = any(lg for lg, _, _ in occs)
                if is_long != needed_long:
                    return False
                needed = long_min if is_long else bc.min_documents
                n_docs = len({d for _, d, _ in occs})
                return n_docs >= needed and support_of_nodes([(d, n) for _, d, n in occs]) >= needed

            return set(occ.groupByKey(n_parts).filter(template_key).keys().collect())

        long_template = frozenset(decide(True, frozenset()))
        template = frozenset(long_template | decide(False, long_template))
        tb = sc.broadcast(template)
        first = with_df.map(lambda r: (r[0], stages.label_document(r[0][0], r[0][2], tb.value,
                                                                   cfg.value))).persist(keep)
        sited = first.filter(lambda r: r[0][1].site).map(lambda r: (r[0][1].site, r)).groupByKey(
            n_parts
        ).flatMap(lambda kv: stages.label_site_group(list(kv[1]), kv[0], cfg.value))
        labelled = first.filter(lambda r: not r[0][1].site).union(sited).map(
            lambda r: (r[0], stages.label_in_document(r[1], cfg.value))
        ).persist(keep)
        grams = labelled.map(lambda r: stages.corpus_run_grams(r[1], cfg.value) + (r[1].id,)).map(
            lambda g: (g[0], (g[2], g[1]))
        ).reduceByKey(lambda a, b: a if a[0] <= b[0] else b).flatMap(lambda kv: kv[1][1]).distinct()
        gram_set = frozenset(grams.collect())
        gb, gm = sc.broadcast(gram_set), sc.broadcast(gram_marks(gram_set))
        finished = labelled.map(
            lambda r: (r[0], stages.finish_labels(r[1], gb.value, cfg.value, gm.value))
        ).persist(keep)
        boiler_items = finished.flatMap(lambda r: r[1][1])
        entries = boiler_items.map(lambda it: (it[0], (Counter({it[1]: 1}), {it[2]}))).reduceByKey(
            lambda a, b: (a[0] + b[0], a[1] | b[1]), n_parts
        ).map(lambda kv: _entry(kv[1][0], kv[1][1])).persist(keep)
        # (number, id, Document, labelled segments) of each ok document; the number is the
        # document's rank in id order. One job sorts and counts each sorted partition (and
        # its segments, for the stats); ranks are then offsets plus positions.
        ordered = finished.map(lambda r: (r[0][0], r[0][1], r[1][0])).sortBy(
            lambda r: r[0], numPartitions=n_parts
        ).persist(keep)
        tallies = sorted(ordered.mapPartitionsWithIndex(lambda i, it: [_tally(i, it)]).collect())
        starts, n_seg, n_segments, n_boiler = {}, 0, 0, 0
        for i, n, segs, boiler in tallies:
            starts[i] = n_seg
            n_seg, n_segments, n_boiler = n_seg + n, n_segments + segs, n_boiler + boiler
        sb = sc.broadcast(starts)
        segmented = ordered.mapPartitionsWithIndex(
            lambda i, it: ((sb.value[i] + k, *r) for k, r in enumerate(it))
        )
        for rdd in (with_df, ok, key_docs, first, labelled):
            rdd.unpersist()
        mark("boilerplate")

        # ---- near-duplicate collapse: detection runs on one head per group
        collapsed = _collapse(spark, segmented, config, cfg, n_parts, keep)
        n_groups = n_collapsed = 0
        if collapsed is None:
            groups = member_pairs = sc.parallelize([], 1)
            heads = segmented
        else:
            groups, member_pairs = collapsed
            n_groups, n_collapsed = groups.map(lambda g: (1, len(g.members) - 1)).fold(
                (0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1])
            )
            head_of = groups.flatMap(lambda g: [(m, g.head) for m in g.members if m != g.head])
            heads = segmented.map(lambda r: (r[1], r)).leftOuterJoin(head_of, n_parts).filter(
                lambda kv: kv[1][1] is None
            ).map(lambda kv: kv[1][0])
        heads = heads.persist(keep)
        n_heads = n_seg - n_collapsed
        mark("collapse")

        # ---- vocabulary
        counts = heads.mapPartitions(
            lambda it: stages.vocabulary_counts([(n, d, s) for n, d, _, s in it])
        ).reduceByKey(lambda a, b: a + b, n_parts).collect()
        n_sentences = sum(c for w, c in counts if w is None)
        vocab = Vocabulary(n_docs=n_heads, df=Counter({w: c for w, c in counts if w is not None}))
        metrics["vocabulary_words"] = len(vocab.df)
        vb = sc.broadcast(vocab)
        del counts
        mark("vocabulary")

        # ---- candidates: band keys -> buckets -> pairs -> grouped by document pair
        keys = heads.mapPartitions(
            lambda it: stages.key_blocks([(n, d, s) for n, d, _, s in it], vb.value, cfg.value,
                                         n_parts)
        )
        found = keys.partitionBy(n_parts, lambda r: r).mapPartitions(
            lambda it: [stages.bucket_pairs((b for _, b in it), cfg.value)]
        )

        def by_doc_pair(block: dict[int, Any]) -> list[tuple[int, dict[int, Any]]]:
            import numpy as np

            out: dict[int, dict[int, Any]] = {}
            for grain, arr in block.items():
                dest = stages.pair_dest(arr, n_parts, rows=grain != stages.DOCUMENT)
                for r in np.unique(dest).tolist():
                    out.setdefault(r, {})[grain] = arr[dest == r]
            return list(out.items())

        grouped = found.flatMap(by_doc_pair).partitionBy(n_parts, lambda r: r).mapPartitions(
            lambda it: stages.group_doc_pairs(b for _, b in it)
        ).persist(keep)

        # ---- verification and decisions: pairs placed on a triangular grid of cells by
        # their documents' numbers; each document joined once to each cell that needs it
        by_num = heads.map(lambda r: (r[0], (r[0], r[2], r[3])))
        cand = grouped.filter(lambda r: r[0] != (-1, -1))
        side = stages.grid_side(n_parts, n_heads)
        n_cells = side * (side + 1) // 2
        metrics["decision_cells"] = n_cells
        placed_pairs = cand.map(lambda r, k=side: (stages.cell(*r[0], k), (0, r)))
        wanted = cand.flatMap(
            lambda r, k=side: [(r[0][0], stages.cell(*r[0], k)), (r[0][1], stages.cell(*r[0], k))]
        ).distinct(n_parts)
        placed_docs = wanted.join(by_num, n_parts).map(lambda r: (r[1][0], (1, r[1][1])))

        def by_cell(c: int) -> int:
            return c

        cells = placed_pairs.union(placed_docs).partitionBy(n_cells, by_cell).persist(keep)
        # Each document keeps its strongest verified partners (detect.strongest_partners).
        # Every pair is verified and decided in one pass over its cell; the kept pairs,
        # marked in their cell (same partitioner: no shuffle of the decisions), keep
        # their decision.
        k_partners = config.candidates.max_partners
        verdicts = cells.mapPartitions(
            lambda it: stages.cell_verdicts((v for _, v in it), vb.value, cfg.value),
            preservesPartitioning=True,
        ).persist(keep)
        strengths = verdicts.filter(lambda x: x[0] == "s").map(lambda x: x[1])
        kept = strengths.flatMap(
            lambda r: [(r[0], (r[2], r[3], r[1], r[4])), (r[1], (r[2], r[3], r[0], r[4]))]
        ).partitionBy(n_parts).mapPartitions(
            lambda it: stages.strongest(it, k_partners)
        ).distinct(n_parts)
        marks = kept.map(lambda p, k=side: (stages.cell(*p, k), (2, p))).partitionBy(
            n_cells, by_cell)
        n_pairs_verified = strengths.count()
        cells.unpersist()
        decided = verdicts.union(marks).mapPartitions(stages.kept_verdicts).persist(keep)
        decisions = decided.filter(lambda x: isinstance(x, PairDecision))

        # ---- pairs of collapsed members: with their head, and inherited from it
        by_head = groups.map(lambda g: (g.head, g))
        pairs = decisions.union(member_pairs)
        if collapsed is not None:
            inherited = decisions.filter(lambda p: p.derived).flatMap(
                lambda p: [(p.a, p), (p.b, p)]
            ).join(by_head, n_parts).flatMap(lambda kv: stages.inherited(kv[1][0], kv[1][1]))
            pairs = pairs.union(inherited)
        pairs = pairs.persist(keep)
        # One job: the derived pairs (the report lists them) and the counters.
        got = pairs.filter(lambda p: p.derived).map(lambda p: ("p", p)).union(
            decided.mapPartitions(_decided_tally)
        ).union(grouped.filter(lambda r: r[0] == (-1, -1)).map(lambda r: ("c", r[1])))
        got = _gather(got)
        derived_rows = sorted((v for k, v in got if k == "p"), key=lambda p: (p.a, p.b))
        n_matches = n_decisions = n_with_passages = n_kept = 0
        cand_counts = [0, 0, 0]
        for k, v in got:
            if k == "t":
                n_matches, n_decisions = n_matches + v[0], n_decisions + v[1]
                n_with_passages += v[2]
                n_kept += v[3]
            elif k == "c":
                cand_counts = [x + y for x, y in zip(cand_counts, v)]
        del got
        grouped.unpersist()
        verdicts.unpersist()
        n_derived = len(derived_rows)
        mark("candidates_decisions")

        # ---- clusters: components of the derived-pair graph, build_clusters on each
        if not derived_rows:
            clusters = sc.parallelize([], 1)
        else:
            if n_derived <= components.LOCAL_COMPONENTS_LIMIT:  # collected for the report already
                component = sc.parallelize(_local_labels([(p.a, p.b) for p in derived_rows]),
                                           n_parts)
            else:
                component = _propagate(spark, pairs.filter(lambda p: p.derived).map(
                    lambda p: (p.a, p.b)))
            component = component.persist(keep)
            comp_pairs = pairs.map(lambda p: (p.a, p)).join(component, n_parts).map(
                lambda r: (r[1][0].b, (r[1][1], r[1][0]))
            ).join(component, n_parts).filter(lambda r: r[1][0][0] == r[1][1]).map(
                lambda r: (r[1][1], r[1][0][1])
            )
            comp_docs = segmented.map(lambda r: (r[1], r[2])).join(component, n_parts).map(
                lambda r: (r[1][1], r[1][0])
            )
            tagged = comp_docs.mapValues(lambda d: (0, d)).union(
                comp_pairs.mapValues(lambda p: (1, p))
            )
            if collapsed is not None:
                comp_groups = by_head.join(component, n_parts).map(lambda r: (r[1][1], r[1][0]))
                tagged = tagged.union(comp_groups.mapValues(lambda g: (2, g)))
            clusters = tagged.groupByKey(n_parts).flatMap(
                lambda r: stages.cluster_component(*_untag(r[1], 3), cfg.value)
            )
        clusters = clusters.persist(keep)

        # ---- report: clusters, document rows and boilerplate entries in one job
        summaries = docs.leftOuterJoin(finished.map(lambda r: (r[0][0], r[1][0])), n_parts).map(
            lambda r: (r[0], summarize(r[1][0], r[1][1] or []))
        ).persist(keep)
        got = clusters.map(lambda c: (0, c)).union(summaries.map(lambda s: (1, s))).union(
            entries.map(lambda e: (2, e))
        )
        got = _gather(got)
        cluster_rows_, summary_rows, entry_rows = _untag(got, 3)
        del got
        cluster_rows = sorted(cluster_rows_, key=lambda c: c.id)
        n_clusters = len(cluster_rows)
        rows = tuple(s for _, s in sorted(summary_rows, key=lambda kv: kv[0]))
        status = Counter(r.status for r in rows)
        stats = {
            "documents": len(rows),
            "documents_ok": status["ok"],
            "documents_skipped": status["skipped"],
            "documents_error": status["error"],
            "segments": n_segments,
            "boilerplate_segments": n_boiler,
            "pairs_derived": n_derived,
            "clusters": n_clusters,
            "sentences": n_sentences,
            "candidates_rewrite": cand_counts[0],
            "candidates_copy": cand_counts[1],
            "candidates_document": cand_counts[2],
            "sentence_matches": int(n_matches),
            "pairs_bounded": n_pairs_verified - n_kept,
            "pairs_checked": n_decisions,
            "pairs_with_passages": n_with_passages,
            "duplicate_groups": n_groups,
            "documents_collapsed": int(n_collapsed),
        }
        report = Report(
            documents=rows,
            clusters=tuple(cluster_rows),
            boilerplate=tuple(sorted(entry_rows, key=lambda b: (-b.count, b.text, b.documents))),
            pairs=tuple(derived_rows),
            config=config.to_dict() | {"fingerprint": config.fingerprint(), "version": __version__},
            stats=stats | {"seconds_total": round(time.perf_counter() - t0, 3)},
        )
        tables = tables_mod.build(spark, summaries.map(lambda r: r[1]), pairs, clusters, entries)
        mark("clusters_report")
        return SparkReport(report=report, tables=tables, seconds=seconds, documents=docs,
                           metrics=metrics)
    finally:
        sc.setLocalProperty("spark.job.description", described)
        sc._unbatched_serializer, sc.serializer = serializers


def _gather(rdd: Any) -> list[Any]:
    """``rdd``'s records on the driver, one partition at a time (``toLocalIterator``): the
    driver's JVM then holds one partition's results, not all of them (the derived pairs
    with their passages run to gigabytes at 100k articles; ``collect`` would need
    ``spark.driver.maxResultSize`` and a driver heap that large)."""
    return list(rdd.toLocalIterator())


def _tally(index: int, rows: Iterable[tuple[str, Document, list[Any]]]) -> tuple[int, ...]:
    """``(partition, documents, segments, boilerplate segments)`` of one sorted partition."""
    n = segs = boiler = 0
    for _, _, segments in rows:
        n += 1
        segs += len(segments)
        boiler += sum(1 for s in segments if s.boilerplate)
    return index, n, segs, boiler


def _decided_tally(items: Iterable[Any]) -> Iterator[tuple[str, tuple[int, int, int, int]]]:
    """``("t", (sentence matches, pairs decided, pairs with passages, pairs kept))`` of
    one partition."""
    matches = decided = with_passages = kept = 0
    for x in items:
        if isinstance(x, tuple):
            matches += x[1]
            kept += x[2]
        else:
            decided += 1
            with_passages += int(bool(x.n_passages))
    yield "t", (matches, decided, with_passages, kept)


