"""``scan``: the one-shot composition of every stage.

Data flows one way: documents -> segments -> boilerplate -> signatures ->
candidates -> verified pair decisions -> clusters -> provenance -> Report.
The CLI and the streaming index call the same stage functions.

>>> from syndetect.types import Document
>>> report = scan([Document(id="a", text="One sentence here."), Document(id="b", text="")])
>>> [d.status for d in report.documents]
['ok', 'skipped']
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as _replace
from typing import Any

from ._version import __version__
from .boilerplate import detect_boilerplate
from .cluster import story_clusters
from .collapse import (
    Collapsed,
    collapse,
    expand_cluster,
    group_cluster,
    inherited_pairs,
    member_pairs,
    publication_instant,
)
from .config import Config
from .detect import detect
from .parallel import release_memory
from .progress import Progress, Ticker, stage_done
from .segment import paragraphs, segment
from .site import site_wide_titles, template_groups
from .types import Boilerplate, Cluster, Document, DocumentSummary, PairDecision, Report, Segment


@dataclass(frozen=True)
class Prepared:
    """Documents after segmentation and boilerplate labelling."""

    documents: dict[str, Document]
    segments: dict[str, list[Segment]]
    boilerplate: list[Boilerplate]


def _usable(doc: Document) -> Document:
    """An ok document with no text is skipped, with a reason."""
    if doc.status == "ok" and not doc.text.strip():
        from dataclasses import replace

        return replace(doc, status="skipped", reason="empty", message="document has no text")
    return doc


def prepare(
    documents: Iterable[Document], config: Config, *, progress: Progress | None = None
) -> Prepared:
    """Segment every usable document and label corpus boilerplate."""
    docs: dict[str, Document] = {}
    for doc in documents:
        doc = _usable(doc)
        if doc.id in docs:
            from dataclasses import replace

            doc = replace(
                doc, text="", status="skipped", reason="duplicate_id",
                message=f"another document already has id {doc.id!r}",
            )
            docs[f"{doc.id}#dup{len(docs)}"] = doc
            continue
        docs[doc.id] = doc
    for doc_id in site_wide_titles(docs.values()):  # "Blogger News Network" is no headline
        docs[doc_id] = _replace(docs[doc_id], title=None)
    usable = [(doc_id, doc) for doc_id, doc in sorted(docs.items()) if doc.status == "ok"]
    tick = Ticker(progress, "segment", len(usable))
    segments = {}
    for doc_id, doc in usable:
        segments[doc_id] = segment(doc_id, doc.text, config.segment)
        tick()
    sites = {doc_id: template_groups(docs[doc_id]) for doc_id in segments}
    if progress:
        progress("boilerplate", 0, 1)
    segments, boiler = detect_boilerplate(segments, config.boilerplate, sites)
    release_memory()
    stage_done(progress, "boilerplate")
    return Prepared(documents=docs, segments=segments, boilerplate=boiler)


def summarize(doc: Document, segs: Sequence[Segment]) -> DocumentSummary:
    """The report row of one document."""
    return DocumentSummary(
        id=doc.id,
        source=doc.source,
        title=doc.title,
        outlet=doc.outlet,
        byline=doc.byline,
        url=doc.url,
        published_at=doc.published_at,
        date_is_relative=doc.date_is_relative,
        status=doc.status,
        reason=doc.reason,
        message=doc.message,
        n_paragraphs=len(paragraphs(list(segs))),
        n_boilerplate=sum(1 for s in segs if s.boilerplate),
        site=doc.site,
    )


def build_report(
    prepared: Prepared,
    pairs: Sequence[PairDecision],
    clusters: Sequence[Cluster],
    config: Config,
    stats: Mapping[str, Any],
) -> Report:
    """Assemble the report; every input document has a row, sorted by id."""
    rows = tuple(
        summarize(doc, prepared.segments.get(doc_id, []))
        for doc_id, doc in sorted(prepared.documents.items())
    )
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("ok", "skipped", "error")}
    full_stats = {
        "documents": len(rows),
        "documents_ok": counts["ok"],
        "documents_skipped": counts["skipped"],
        "documents_error": counts["error"],
        "segments": sum(len(v) for v in prepared.segments.values()),
        "boilerplate_segments": sum(
            1 for v in prepared.segments.values() for s in v if s.boilerplate
        ),
        "pairs_derived": sum(1 for p in pairs if p.derived),
        "clusters": len(clusters),
        **stats,
    }
    return Report(
        documents=rows,
        clusters=tuple(clusters),
        boilerplate=tuple(prepared.boilerplate),
        pairs=tuple(pairs),
        config=config.to_dict() | {"fingerprint": config.fingerprint(), "version": __version__},
        stats=full_stats,
    )


def scan(
    documents: Iterable[Document],
    config: Config | None = None,
    *,
    progress: Progress | None = None,
) -> Report:
    """Find shared passages, story clusters and provenance in ``documents``."""
    config = config or Config()
    t0 = time.perf_counter()
    prepared = prepare(documents, config, progress=progress)
    collapsed = collapse(prepared, config)
    release_memory()
    stage_done(progress, "collapse")
    pairs, stats = detect(
        collapsed.heads_only(prepared.segments), prepared.documents, config, progress=progress
    )
    release_memory()
    copies = member_pairs(collapsed, prepared.documents, prepared.segments)
    pairs = sorted(
        [*pairs, *copies, *inherited_pairs(collapsed, pairs)], key=lambda p: (p.a, p.b)
    )
    clusters = build_clusters(prepared.documents, pairs, config, collapsed=collapsed,
                              progress=progress)
    full: dict[str, Any] = dict(stats) | {
        "duplicate_groups": len(collapsed.groups),
        "documents_collapsed": collapsed.n_collapsed,
        "seconds_total": round(time.perf_counter() - t0, 3),
    }
    return build_report(prepared, pairs, clusters, config, full)


def build_clusters(
    documents: Mapping[str, Document],
    pairs: Sequence[PairDecision],
    config: Config,
    *,
    collapsed: Collapsed | None = None,
    progress: Progress | None = None,
) -> list[Cluster]:
    """Story clusters with provenance, sorted by cluster id.

    With ``collapsed`` (``collapse.collapse``), provenance runs over the duplicate
    groups' heads and every other member is placed under its head; the pairs of
    members with their heads (``collapse.member_pairs``) are among ``pairs``.
    """
    from .provenance import assign_provenance

    collapsed = collapsed or Collapsed((), {})
    member_of = {m for g in collapsed.groups for m in g.members if m != g.head}
    copies = {(p.a, p.b): p for p in pairs if p.a in member_of or p.b in member_of}
    pairs = [p for p in pairs if p.a not in member_of and p.b not in member_of]
    by_doc: dict[str, list[PairDecision]] = {}
    for p in pairs:
        by_doc.setdefault(p.a, []).append(p)
    out = []
    clustered: set[str] = set()
    published = {
        d: when.timestamp() for d, doc in documents.items()
        if doc.date_strength == "metadata" and (when := publication_instant(doc)) is not None
    }
    if progress:
        progress("cluster", 0, 1)
    groups = story_clusters(
        pairs, link_same_outlet=config.cluster.link_same_outlet, published=published
    )
    stage_done(progress, "cluster")
    tick = Ticker(progress, "provenance", len(groups))
    for members in groups:
        tick()
        member_set = set(members)
        clustered |= member_set
        inner = [p for m in members for p in by_doc.get(m, ()) if p.b in member_set]
        cluster = assign_provenance(members, documents, inner, config.provenance)
        out.append(expand_cluster(cluster, collapsed, copies))
    for g in collapsed.groups:
        if g.head not in clustered:
            out.append(group_cluster(g, copies, config.provenance))
    return sorted(out, key=lambda c: c.id)
