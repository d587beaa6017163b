"""Worker processes (signing, pair decisions) give byte-identical candidates and reports."""

from __future__ import annotations

import json

import numpy as np
import pytest

import syndetect.grains as grains
from syndetect import Config, Document, scan
from syndetect.minhash import MinHasher, TokenHasher
from syndetect.pipeline import prepare
from syndetect.report import to_json
from syndetect.table import SentenceTable, corpus_vocabulary


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    import synth  # benchmarks/, on the path from conftest

    return [Document(id=a["id"], text=a["text"], outlet=a["outlet"],
                     published_at=a["published_at"], date_strength="metadata")
            for a in synth.Plan(120, seed=4)]


def _all_grains(docs: list[Document]) -> list[np.ndarray]:
    config = Config()
    table = SentenceTable.build(prepare(docs, config).segments)
    vocab = corpus_vocabulary(table)
    mh, h = MinHasher(config.minhash.num_perm, config.minhash.seed), TokenHasher()
    return [grains.rewrite_candidates(table, vocab, config, mh, h),
            grains.copy_candidates(table, config, mh, h),
            grains.document_candidates(table, vocab, config, mh, h)]


def test_workers_give_the_same_candidates_and_report(docs, monkeypatch) -> None:
    monkeypatch.setattr(grains, "SIGN_BATCH", 97)  # many batches, so workers share them
    monkeypatch.setenv("SYNDETECT_WORKERS", "1")
    one = _all_grains(docs)
    report_one = to_json(scan(docs, Config()))
    monkeypatch.setenv("SYNDETECT_WORKERS", "3")
    three = _all_grains(docs)
    report_three = to_json(scan(docs, Config()))
    assert all(len(x) for x in one)
    for a, b in zip(one, three, strict=True):
        assert a.tobytes() == b.tobytes()
    assert json.loads(report_one)["clusters"] and report_one == report_three


def test_a_failing_worker_is_an_error_not_a_silent_hole(monkeypatch) -> None:
    monkeypatch.setattr(grains, "SIGN_BATCH", 10)

    def fill(lo: int, hi: int, out: np.ndarray) -> None:
        if lo >= 10:  # every batch but the parent's first fails
            raise ValueError("boom")
        out[:] = lo

    with pytest.raises((RuntimeError, ValueError)):
        grains.map_batches(40, 2, fill, workers=2)
    got = grains.map_batches(40, 2, lambda lo, hi, out: out.__setitem__(slice(None), lo),
                             workers=2)
    assert got[:, 0].tolist() == [lo for lo in range(0, 40, 10) for _ in range(10)]


def test_decision_ranges_come_back_in_order_and_a_failure_raises() -> None:
    from syndetect.parallel import map_ranges

    got = list(map_ranges(lambda lo, hi: [k * k for k in range(lo, hi)], 5000, 3))
    assert len(got) > 3  # several ranges, so several workers took part
    assert [x for _, part in got for x in part] == [k * k for k in range(5000)]
    assert sum(n for n, _ in got) == 5000

    def fails_late(lo: int, hi: int) -> list[int]:
        if lo >= 2500:
            raise ValueError(f"range {lo}-{hi}")
        return list(range(lo, hi))

    with pytest.raises(ValueError, match="range"):
        list(map_ranges(fails_late, 5000, 2))


def test_the_parent_decides_ranges_beside_one_child_fewer() -> None:
    """``workers`` processes in all: ``workers - 1`` forked children and the parent,
    which works instead of waiting (one copy of its memory fewer); the output is the
    one-process output, in order, wherever each range ran."""
    import os

    from syndetect.parallel import map_ranges

    parent = os.getpid()
    got = list(map_ranges(lambda lo, hi: [(k, os.getpid()) for k in range(lo, hi)], 4000, 2))
    assert [k for _, part in got for k, _ in part] == list(range(4000))
    pids = {pid for _, part in got for _, pid in part}
    assert parent in pids and len(pids) == 2  # the parent and exactly one child
    by_parent = [k for _, part in got for k, pid in part if pid == parent]
    assert by_parent[-1] == 3999  # the parent works from the back


def test_forked_workers_find_the_parents_objects_frozen_and_the_parent_gets_them_back():
    """Workers must not run garbage collections over the parent's objects (a full one
    copies every page holding a container: the 300k scan's workers were killed for
    it); the parent's collector must have them back once its workers are done."""
    import gc

    from syndetect.parallel import map_ranges

    before = gc.get_freeze_count()
    got = list(map_ranges(lambda lo, hi: [gc.get_freeze_count()] * (hi - lo), 200, 2))
    in_workers = [x for _, part in got for x in part]
    assert len(in_workers) == 200 and min(in_workers) > before
    assert gc.get_freeze_count() == before

    def fill(lo: int, hi: int, out: np.ndarray) -> None:
        out[:] = gc.get_freeze_count()

    signed = grains.map_batches(4 * grains.SIGN_BATCH, 1, fill, workers=2)
    # the parent fills its own batches after its children are forked: unfrozen again
    assert signed[grains.SIGN_BATCH:2 * grains.SIGN_BATCH].min() > before
    assert signed[:grains.SIGN_BATCH].max() == before
    assert gc.get_freeze_count() == before
