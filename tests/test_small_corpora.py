"""Candidate selection holds at every corpus size: the seeds inside 15, 25 and 35
unrelated English news pages find what the seeds alone find.

A frequency cut-off ("a word in more than 5% of documents is common") removes the
story's own words in a corpus of 20-39 documents (2 documents are more than 5%);
rarest-k selection keeps them whatever the corpus size.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from syndetect import Config, load_documents, scan

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"
_spec = importlib.util.spec_from_file_location("english_news", HERE / "english_news.py")
assert _spec and _spec.loader
english_news = importlib.util.module_from_spec(_spec)
sys.modules["english_news"] = english_news
_spec.loader.exec_module(english_news)


def _prefix(ids, p: str) -> str:
    (match,) = [i for i in ids if i.startswith(p)]
    return match


def _story(report, ids) -> tuple[list, dict]:
    seeds = {i for i in ids if i[:3] in {"000", "001", "002", "003", "004"}}
    touching = [c for c in report.clusters if seeds & {m.document for m in c.members}]
    return touching, {c.origin: {m.document: m.derived_from for m in c.members} for c in touching}


@pytest.fixture(scope="module")
def seeds():
    return load_documents([SEEDS])


@pytest.fixture(scope="module")
def alone(seeds):
    return scan(seeds, Config())


@pytest.mark.parametrize("n_unrelated", [15, 25, 35])
def test_seeds_among_unrelated_pages_find_what_the_seeds_alone_find(seeds, alone, n_unrelated):
    others = english_news.unrelated_articles(n_unrelated, seed=n_unrelated)
    docs = seeds + others
    report = scan(docs, Config())
    ids = [d.id for d in docs]
    nyt, toi, blog = _prefix(ids, "001"), _prefix(ids, "000"), _prefix(ids, "002")
    touching, trees = _story(report, ids)
    assert len(touching) == 1, [sorted(m.document for m in c.members) for c in touching]
    assert trees == {nyt: {nyt: None, toi: nyt, blog: toi}}
    _, trees_alone = _story(alone, [d.id for d in seeds])
    assert trees == trees_alone
    # The unrelated pages share plenty of common English with the seeds, but no story:
    # none joins the seeds' cluster, and no seed pair but the story's is derived.
    seed_ids = {d.id for d in seeds}
    assert not any(p.derived and {p.a, p.b} & seed_ids and not {p.a, p.b} <= {nyt, toi, blog}
                   for p in report.pairs)
    assert report.stats["candidates_rewrite"] > 0


def test_two_documents_are_enough():
    """A story and its rewrite alone: every shared word is in both documents."""
    docs = load_documents([SEEDS])
    ids = [d.id for d in docs]
    pair = [d for d in docs if d.id in {_prefix(ids, "001"), _prefix(ids, "000")}]
    report = scan(pair, Config())
    assert len(report.clusters) == 1
    assert report.clusters[0].origin == _prefix(ids, "001")
