"""Golden case: the five seed pages (real scraped news).

A New York Times story (001), a Times of India rewrite of it (000), a blog rewrite
of that (002), and two unrelated pages on the same topic (003, 004). Passages that
must be found, passages that must not (template text), and the provenance tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from syndetect import Config, load_documents, scan
from syndetect.pipeline import prepare

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _id(prefix: str, ids) -> str:
    (match,) = [i for i in ids if i.startswith(prefix)]
    return match


@pytest.fixture(scope="module")
def result():
    docs = load_documents([SEEDS])
    return docs, scan(docs, Config())


def test_one_story_cluster_with_the_right_tree(result):
    docs, report = result
    ids = [d.id for d in docs]
    nyt, toi, blog = _id("001", ids), _id("000", ids), _id("002", ids)
    assert len(report.clusters) == 1
    cluster = report.clusters[0]
    assert cluster.origin == nyt
    parents = {m.document: m.derived_from for m in cluster.members}
    assert parents == {nyt: None, toi: nyt, blog: toi}
    assert cluster.confidence >= 0.5
    assert any('"The New York Times"' in line for line in cluster.evidence)


def test_unrelated_pages_are_left_alone(result):
    docs, report = result
    ids = [d.id for d in docs]
    others = {_id("003", ids), _id("004", ids)}
    assert not others & {m.document for c in report.clusters for m in c.members}
    assert not any(p.derived and {p.a, p.b} & others for p in report.pairs)


def test_rewritten_passages_are_found_with_offsets(result):
    docs, report = result
    text = {d.id: d.text for d in docs}
    matches = report.clusters[0].matches
    for m in matches:
        assert text[m.a.document][m.a.start : m.a.end] == m.a.text
        assert text[m.b.document][m.b.start : m.b.end] == m.b.text
    ids = list(text)
    toi, nyt, blog = _id("000", ids), _id("001", ids), _id("002", ids)
    pairs_found = {(m.a.document, m.b.document) for m in matches}
    assert (toi, nyt) in pairs_found and (toi, blog) in pairs_found
    must = [
        (toi, "Describing a scene on a Saturday afternoon", nyt, "It was a sunny Saturday afternoon"),
        (toi, "Still, many engineers say they are biding their time", nyt, "killing time"),
        (toi, "Many of Liangzhu's coders are alumni", blog, "alumni of Zhejiang University"),
        (toi, "Adding to the uncertainty is the question", blog, "Adding to the uncertainty faced"),
    ]
    for da, a_text, db, b_text in must:
        assert any(
            m.a.document == da and m.b.document == db and a_text in m.a.text and b_text in m.b.text
            for m in matches
        ), (a_text, b_text)
    derived = [p for p in report.pairs if p.derived]
    assert sum(p.features["n_matched"] for p in derived) > 30


def test_template_text_is_boilerplate_not_syndication(result):
    docs, report = result
    prepared = prepare(docs, Config())
    boiler = {
        (s.doc_id, s.start, s.end)
        for segs in prepared.segments.values()
        for s in segs
        if s.boilerplate
    }
    for m in (m for c in report.clusters for m in c.matches):
        for span in (m.a, m.b):
            assert not any(
                d == span.document and s < span.end and span.start < e for d, s, e in boiler
            ), span.text
    texts = {b.text for b in report.boilerplate}
    for line in ("Try Our AI Features", "DOWNLOAD THE APP", "Sponsored Links", "No comments yet..."):
        assert line in texts
    article = "Hangzhou has long been a magnet for talent and innovation"
    assert not any(article in t for t in texts)
