"""``Report`` -> one self-contained HTML page: clusters, lineage, texts side by side.

The page makes no network request (a Content-Security-Policy forbids it) and holds
its data as one JSON blob that its script parses once and renders lazily, one
cluster at a time, so a report of thousands of documents opens quickly. Every
document string reaches the page through ``textContent``, never as markup.

Spans in the JSON blob are UTF-16 offsets (what JavaScript strings index), so the
page highlights ``text[start:end]`` exactly even for characters outside the BMP.

>>> from syndetect.types import Report
>>> page = render_html(Report((), (), (), (), {}, {}))
>>> page.startswith("<!DOCTYPE html>") and "http://" not in page and "https://" not in page
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ._version import __version__
from .types import Report

KIND_CODES = {"verbatim": 0, "near_verbatim": 1, "rewrite": 2}
"""Match kinds as small integers in the blob (the page maps them back)."""


def _utf16_offsets(text: str) -> list[int] | None:
    """Code point -> UTF-16 offset table, or ``None`` when the two agree (BMP-only text)."""
    if all(ord(ch) < 0x10000 for ch in text):
        return None
    table = [0] * (len(text) + 1)
    pos = 0
    for i, ch in enumerate(text):
        table[i] = pos
        pos += 2 if ord(ch) >= 0x10000 else 1
    table[len(text)] = pos
    return table


def _boilerplate_spans(text: str, entries: list[str]) -> list[list[int]]:
    """Where the corpus's template entries occur in ``text`` (code points, merged)."""
    spans: list[tuple[int, int]] = []
    for entry in entries:
        if not entry.strip():
            continue
        start = text.find(entry)
        while start >= 0:
            spans.append((start, start + len(entry)))
            start = text.find(entry, start + len(entry))
    spans.sort()
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def report_data(report: Report, texts: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON blob the page renders: documents by position, texts of cluster members only.

    >>> from syndetect.types import Report, DocumentSummary
    >>> row = DocumentSummary("a", "a.txt", "T", "Mint", None, None, None, False,
    ...                       "ok", None, None, 1, 0)
    >>> report_data(Report((row,), (), (), (), {}, {}))["docs"][0]["id"]
    'a'
    """
    texts = texts or {}
    docs = sorted(report.documents, key=lambda d: d.id)
    index = {d.id: i for i, d in enumerate(docs)}
    # Largest stories first, then the surest: the order a reader triages in.
    clusters = sorted(report.clusters, key=lambda c: (-len(c.members), -c.confidence, c.id))
    in_cluster: dict[str, str] = {}
    for c in clusters:
        for m in c.members:
            in_cluster.setdefault(m.document, c.id)

    def ref(doc_id: str | None) -> int | str | None:
        if doc_id is None:
            return None
        return index.get(doc_id, doc_id)

    bp_by_doc: dict[str, list[str]] = {}
    for b in report.boilerplate:
        for d in set(b.documents):
            bp_by_doc.setdefault(d, []).append(b.text)

    offsets: dict[str, list[int] | None] = {}
    out_texts: dict[str, str] = {}
    out_bp: dict[str, list[list[int]]] = {}
    for doc_id in sorted(in_cluster):
        text = texts.get(doc_id)
        if text is None or doc_id not in index:
            continue
        table = _utf16_offsets(text)
        offsets[doc_id] = table
        key = str(index[doc_id])
        out_texts[key] = text
        spans = _boilerplate_spans(text, sorted(bp_by_doc.get(doc_id, [])))
        if table is not None:
            spans = [[table[s], table[e]] for s, e in spans]
        if spans:
            out_bp[key] = spans

    def pos(doc_id: str, at: int) -> int:
        table = offsets.get(doc_id)
        return table[at] if table is not None and at < len(table) else at

    out_clusters = []
    for c in clusters:
        out_clusters.append({
            "id": c.id,
            "origin": ref(c.origin),
            "ext": c.external_origin,
            "conf": round(float(c.confidence), 3),
            "ev": list(c.evidence),
            "members": [
                {"d": ref(m.document), "role": m.role, "from": ref(m.derived_from),
                 "der": m.derivation, "rel": m.relation, "cov": round(float(m.coverage), 3),
                 "ev": list(m.evidence)}
                for m in c.members
            ],
            "matches": [
                [ref(m.a.document), pos(m.a.document, m.a.start), pos(m.a.document, m.a.end),
                 ref(m.b.document), pos(m.b.document, m.b.start), pos(m.b.document, m.b.end),
                 round(float(m.similarity), 3), KIND_CODES.get(m.kind, 2)]
                for m in sorted(c.matches, key=lambda m: (m.a.document, m.a.start, m.a.end,
                                                          m.b.document, m.b.start, m.b.end))
            ],
        })
    stats = report.stats
    return {
        "version": __version__,
        "stats": {k: v for k, v in stats.items()
                  if isinstance(v, (int, float)) and not str(k).startswith("seconds")},
        "docs": [
            {"id": d.id, "title": d.title, "outlet": d.outlet, "date": d.published_at,
             "rel_date": d.date_is_relative, "status": d.status, "reason": d.reason,
             "message": d.message, "url": d.url, "source": d.source, "np": d.n_paragraphs,
             "nb": d.n_boilerplate, "cluster": in_cluster.get(d.id)}
            for d in docs
        ],
        "texts": out_texts,
        "bp": out_bp,
        "clusters": out_clusters,
        "boilerplate": [
            {"text": b.text, "count": b.count, "docs": sorted({ref(d) for d in b.documents},
                                                               key=str)}
            for b in sorted(report.boilerplate, key=lambda b: (-b.count, b.text))
        ],
    }


def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, no ``<!--``, no U+2028."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                      allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(name: str) -> str:
    return resources.files("syndetect").joinpath(f"assets/{name}").read_text("utf-8")


def render_html(
    report: Report,
    texts: Mapping[str, str] | None = None,
    *,
    title: str = "syndetect report",
) -> str:
    """The report as one HTML page; ``texts`` maps document ids to their text.

    Without a document's text the page still shows its cluster, lineage and
    passages, but not the side-by-side view of that document.

    >>> from syndetect.types import Report, DocumentSummary
    >>> row = DocumentSummary("x", None, "</script><script>alert(1)</script>", None, None,
    ...                       None, None, False, "ok", None, None, 1, 0)
    >>> "<script>alert" in render_html(Report((row,), (), (), (), {}, {}))
    False
    """
    from html import escape

    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>\n{_asset('report.css')}</style>\n</head>\n"
        f"<body>\n{_asset('report.html')}"
        f"<script type=\"application/json\" id=\"syndetect-data\">{_script_json(report_data(report, texts))}</script>\n"  # noqa: E501
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n"
    )


__all__ = ["render_html", "report_data"]
