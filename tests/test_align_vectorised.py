"""The vectorised verification kernels agree with the per-pair reference code."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from syndetect.align import (
    SentencePair,
    block_overlaps,
    row_overlaps,
    select_matches,
    verify_arrays,
    verify_pair,
    weighted_overlap,
)
from syndetect.columns import RowColumns
from syndetect.config import AlignConfig
from syndetect.detect import align_exhaustive
from syndetect.segment import segment
from syndetect.table import SentenceTable
from syndetect.terms import Vocabulary

WORDS = [f"w{k:02d}" for k in range(30)]

row_sets = st.lists(st.frozensets(st.sampled_from(WORDS), max_size=8), min_size=1, max_size=12)


def _csr(rows: list[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    ptr, wids = [0], []
    for r in rows:
        wids.extend(sorted(WORDS.index(w) for w in r))
        ptr.append(len(wids))
    return np.array(ptr, dtype=np.int64), np.array(wids, dtype=np.int32)


@settings(max_examples=60, deadline=None)
@given(a=row_sets, b=row_sets, seed=st.integers(0, 10_000))
def test_block_and_row_overlaps_match_set_intersection(
    a: list[frozenset[str]], b: list[frozenset[str]], seed: int
) -> None:
    rng = random.Random(seed)
    idf = {w: rng.uniform(1.0, 5.0) for w in WORDS}
    weights = np.array([idf[w] for w in WORDS])
    rows = a + b
    ptr, wids = _csr(rows)
    ra, rb = range(0, len(a)), range(len(a), len(rows))
    i, j, n, w = block_overlaps(ptr, wids, weights, ra, rb)
    got = {(x, y): (k, m) for x, y, k, m in zip(i.tolist(), j.tolist(), n.tolist(), w.tolist())}
    want = {}
    for x in ra:
        for y in rb:
            shared = rows[x] & rows[y]
            if shared:
                want[(x, y)] = (len(shared), sum(idf[t] for t in shared))
    assert got.keys() == want.keys()
    for key, (k, m) in want.items():
        assert got[key][0] == k
        assert abs(got[key][1] - m) < 1e-9
    # i then j ascending, as the reference loop produces them.
    assert list(got) == sorted(got)
    # Arbitrary pairs, including repeats and a row paired with itself.
    pi = np.array([rng.randrange(len(rows)) for _ in range(25)], dtype=np.int64)
    pj = np.array([rng.randrange(len(rows)) for _ in range(25)], dtype=np.int64)
    counts, mass = row_overlaps(ptr, wids, weights, pi, pj, chunk=7)
    for x, y, k, m in zip(pi.tolist(), pj.tolist(), counts.tolist(), mass.tolist()):
        shared = rows[x] & rows[y]
        assert k == len(shared)
        assert abs(m - sum(idf[t] for t in shared)) < 1e-9


def _corpus() -> dict[str, list]:
    base = (
        "Archaeologists at Liangzhu found a dam system built five thousand years ago. "
        "The dams held water for rice fields across the delta. "
        "Researchers dated the reeds with radiocarbon methods in Hangzhou. "
        "Local officials plan a museum near the excavated walls. "
        "Floods may have ended the culture around 2300 BC."
    )
    rewrite = (
        "A dam network at Liangzhu was built about 5000 years ago, archaeologists say. "
        "Radiocarbon dating of reeds in Hangzhou fixed its age. "
        "The water fed rice fields in the delta, researchers said. "
        "Officials want a museum by the walls that were excavated. "
        "The culture may have been ended by floods around 2300 BC."
    )
    other = (
        "The city council approved a new budget for schools on Tuesday. "
        "Teachers will get a raise of three percent next year. "
        "The mayor said the budget keeps taxes flat."
    )
    _TEXTS.update(a=base, b=rewrite, c=other)
    return {d: segment(d, t) for d, t in _TEXTS.items()}


_TEXTS: dict[str, str] = {}


def test_align_exhaustive_matches_the_per_pair_reference() -> None:
    segs = _corpus()
    table = SentenceTable.build(segs)
    vocab = Vocabulary.from_documents(table.doc_words(d) for d in table.doc_ids)
    idf = vocab.idf_table()
    cfg = AlignConfig()
    from syndetect.config import Config

    config = Config()
    for da, db in (("a", "b"), ("a", "c"), ("b", "c")):
        got = align_exhaustive(table, da, db, idf, config)
        want = []
        for x in table.doc_rows[da]:
            for y in table.doc_rows[db]:
                res = verify_pair(table.rows[x].norm, table.rows[y].norm, table.word_sets[x],
                                  table.word_sets[y], idf, cfg)
                if res is not None:
                    want.append(SentencePair(x, y, *res))
        assert [(p.i, p.j, p.n_shared) for p in got] == [(p.i, p.j, p.n_shared) for p in want]
        for p, q in zip(got, want, strict=True):
            assert abs(p.similarity - q.similarity) < 1e-9
            assert abs(p.char_ratio - q.char_ratio) < 1e-9
        selected = align_exhaustive(table, da, db, idf, config, select=True)
        assert selected == select_matches(got, table.columns(), config.align)
    # The rewrite is found sentence for sentence; the unrelated story shares nothing.
    assert len(align_exhaustive(table, "a", "b", idf, config, select=True)) >= 4
    assert align_exhaustive(table, "a", "c", idf, config) == []


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 9), st.floats(0.0, 1.0), st.integers(0, 8)),
        max_size=40, unique_by=lambda t: (t[0], t[1]),
    ),
    window=st.integers(0, 4),
    links=st.integers(1, 4),
)
def test_select_matches_equals_its_definition(data: list, window: int, links: int) -> None:
    """Reference: the near-verbatim chain, whose sentences take no other partner;
    anchors, weak matches with an anchor in the window, greedy link cap."""
    from syndetect.align import monotone_chain
    from syndetect.types import Segment

    rows = [Segment("a", k, 0, k, k + 1, "x", "x") for k in range(10)]
    rows += [Segment("b", k, 0, k, k + 1, "x", "x") for k in range(10)]
    pairs = [SentencePair(i, 10 + j, s, s, s, n) for i, j, s, n in data]
    cfg = AlignConfig(support_window=window, max_links=links)
    close = [p for p in pairs if p.char_ratio >= cfg.near_verbatim_similarity]
    chain = [close[k] for k in monotone_chain(
        np.array([p.i for p in close], dtype=np.int64),
        np.array([p.j for p in close], dtype=np.int64),
        np.array([p.char_ratio for p in close]),
    ).tolist()] if close else []
    taken_i, taken_j = {p.i for p in chain}, {p.j for p in chain}

    def free(p: SentencePair) -> bool:
        return p in chain or (p.i not in taken_i and p.j not in taken_j)

    anchors = [p for p in pairs if p.is_anchor(cfg) and free(p)]
    kept = [p for p in pairs if free(p) and (p in chain or p in anchors or any(
        abs(rows[a.i].index - rows[p.i].index) <= window
        and abs(rows[a.j].index - rows[p.j].index) <= window for a in anchors))]
    kept.sort(key=lambda p: (p not in chain, -p.similarity, p.i, p.j))
    n_i: dict[int, int] = {}
    n_j: dict[int, int] = {}
    want = []
    for p in kept:
        if n_i.get(p.i, 0) < links and n_j.get(p.j, 0) < links:
            n_i[p.i] = n_i.get(p.i, 0) + 1
            n_j[p.j] = n_j.get(p.j, 0) + 1
            want.append(p)
    want.sort(key=lambda p: (p.i, p.j))
    assert select_matches(pairs, RowColumns.of(rows), cfg) == want


def test_verify_arrays_agrees_with_verify_pair_on_weak_and_strong_pairs() -> None:
    texts = [
        "the dam held water for the rice fields",
        "the dam held water for the rice field",
        "water and rice are staples across the region",
        "officials opened a museum near the dam",
    ]
    sets = [frozenset(t.split()) - {"the", "for", "a", "and", "are", "near"} for t in texts]
    idf = {w: 1.0 + len(w) / 3 for s in sets for w in s}
    cfg = AlignConfig()
    from syndetect.types import Segment

    rows = [Segment("d", k, 0, 0, len(t), t, t) for k, t in enumerate(texts)]
    i, j, n, w, mi, mj = [], [], [], [], [], []
    for x in range(len(texts)):
        for y in range(len(texts)):
            if x == y:
                continue
            _, _, k = weighted_overlap(sets[x], sets[y], idf)
            i.append(x)
            j.append(y)
            n.append(k)
            w.append(sum(idf[t] for t in sets[x] & sets[y]))
            mi.append(sum(idf[t] for t in sets[x]))
            mj.append(sum(idf[t] for t in sets[y]))
    got = verify_arrays(*(np.array(v) for v in (i, j, n, w, mi, mj)), RowColumns.of(rows), cfg).pairs()
    want = []
    for x, y in zip(i, j):
        res = verify_pair(texts[x], texts[y], sets[x], sets[y], idf, cfg)
        if res is not None:
            want.append((x, y, round(res[0], 9), round(res[1], 9)))
    assert [(p.i, p.j, round(p.similarity, 9), round(p.char_ratio, 9)) for p in got] == want
    assert want, "the near-identical pair must verify"


def test_doc_overlaps_match_set_computation() -> None:
    from syndetect.detect import doc_overlaps

    table = SentenceTable.build(_corpus())
    vocab = Vocabulary.from_documents(table.doc_words(d) for d in table.doc_ids)
    idf = vocab.idf_table()
    pairs = np.array([(0, 1), (0, 2), (1, 2), (1, 0)], dtype=np.int64)
    got = doc_overlaps(table, vocab, pairs)
    for k, (x, y) in enumerate(pairs.tolist()):
        wa, wb = table.doc_words(table.doc_ids[x]), table.doc_words(table.doc_ids[y])
        shared = set(wa) & set(wb)
        ba, bb = set(zip(wa, wa[1:])), set(zip(wb, wb[1:]))
        f = got.features(k)
        assert abs(f["containment_a"] - sum(idf[w] for w in shared) / sum(idf[w] for w in set(wa))) < 1e-9
        assert abs(f["containment_b"] - sum(idf[w] for w in shared) / sum(idf[w] for w in set(wb))) < 1e-9
        assert f["phrasing_a"] == len(ba & bb) / len(ba)
        assert f["phrasing_b"] == len(ba & bb) / len(bb)
        cut = max(2, 0.01 * vocab.n_docs)
        assert f["rare_shared"] == sum(1 for w in shared if vocab.df[w] <= cut)
    # The rewrite shares phrasing with its source; the unrelated story shares less content.
    assert got.features(0)["phrasing_b"] > 0
    assert got.features(0)["containment_b"] > got.features(1)["containment_b"]


def test_candidates_do_not_depend_on_the_signing_batch(monkeypatch) -> None:
    import syndetect.grains as det
    from syndetect.config import Config
    from syndetect.minhash import MinHasher, TokenHasher
    from syndetect.table import corpus_vocabulary

    segs = _corpus()
    segs["d"] = segs["a"]  # an exact copy, for the paragraph grain
    segs = {k: [dataclasses.replace(s, doc_id=k) for s in v] for k, v in segs.items()}
    table = SentenceTable.build(segs)
    vocab = corpus_vocabulary(table)
    config = Config()

    def run() -> tuple[list, list, list]:
        mh, h = MinHasher(config.minhash.num_perm, config.minhash.seed), TokenHasher()
        return (
            det.rewrite_candidates(table, vocab, config, mh, h).tolist(),
            det.copy_candidates(table, config, mh, h).tolist(),
            det.document_candidates(table, vocab, config, mh, h).tolist(),
        )

    whole = run()
    monkeypatch.setattr(det, "SIGN_BATCH", 2)
    assert run() == whole
    rew, cop, docs = whole
    assert rew and cop and docs


def test_table_arrays_decode_to_the_reference_views() -> None:
    from syndetect.segment import tokenize
    from syndetect.terms import content_words

    segs = _corpus()
    table = SentenceTable.build(segs)
    assert len(table.rows) == sum(len([s for s in v if not s.boilerplate]) for v in segs.values())
    for r, seg in enumerate(table.rows):
        toks = tokenize(seg.norm)
        words = content_words(toks)
        assert table.tokens[r] == toks
        assert table.words[r] == words
        assert table.word_sets[r] == frozenset(words)
        ids = table.row_wids[table.row_ptr[r]:table.row_ptr[r + 1]].tolist()
        assert ids == sorted(ids)
        assert {table.words_by_id[k] for k in ids} == set(words)
    for d in table.doc_ids:
        assert table.doc_words(d) == [w for r in table.doc_rows[d] for w in table.words[r]]


def test_passage_groups_count_the_passages_merge_makes() -> None:
    from syndetect.align import merge_passages, passage_groups
    from syndetect.config import Config

    segs = _corpus()
    table = SentenceTable.build(segs)
    vocab = Vocabulary.from_documents(table.doc_words(d) for d in table.doc_ids)
    config = Config()
    texts = {d: _TEXTS[d] for d in segs}
    pairs = align_exhaustive(table, "a", "b", vocab.idf_table(), config, select=True)
    groups = passage_groups(pairs, table.columns(), config.align)
    passages = merge_passages(pairs, table.columns(), texts, config.align)
    assert len(groups) == len(passages) >= 1
    # Every match lands in exactly one passage, and each passage spans its group's sentences.
    assert sorted((p.i, p.j) for g in groups for p in g) == sorted((p.i, p.j) for p in pairs)
    for g, m in zip(groups, passages, strict=True):
        assert m.a.start == min(table.rows[p.i].start for p in g)
        assert m.b.end == max(table.rows[p.j].end for p in g)


def test_a_corpus_whose_every_word_is_common_still_proposes_the_shared_story() -> None:
    """No word is dropped for being common: each sentence keeps its rarest words, so a
    story's names stand out against topic words that every document carries."""
    import syndetect.detect as det
    from syndetect.config import Config
    from syndetect.minhash import MinHasher, TokenHasher

    rng = random.Random(3)
    vocab_words = ["harbour", "council", "budget", "river", "market", "school", "bridge", "tax"]

    def doc(k: int) -> str:
        return " ".join(
            " ".join(rng.sample(vocab_words, 6)).capitalize() + "." for _ in range(4)
        )

    texts = {f"d{k:02d}": doc(k) for k in range(30)}
    story = "Mayor Quillane opened the Fenwick harbour bridge with engineer Dorota Marrow."
    texts["d03"] += " " + story
    texts["d17"] += " " + story.replace("opened", "unveiled")
    table = SentenceTable.build({d: segment(d, t) for d, t in texts.items()})
    vocab = det.corpus_vocabulary(table)
    config = Config()
    mh = MinHasher(config.minhash.num_perm, config.minhash.seed)
    found = det.rewrite_candidates(table, vocab, config, mh, TokenHasher())
    docs = {tuple(sorted(table.owner[p].tolist())) for p in found}
    idx = table.doc_ids.index
    assert (idx("d03"), idx("d17")) in docs


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.floats(0.0, 1.0)),
                max_size=40))
def test_monotone_chain_is_a_longest_strictly_increasing_chain(points: list) -> None:
    from syndetect.align import monotone_chain

    pi = np.array([p[0] for p in points], dtype=np.int64)
    pj = np.array([p[1] for p in points], dtype=np.int64)
    chain = monotone_chain(pi, pj, np.array([p[2] for p in points])).tolist()
    coords = [(points[k][0], points[k][1]) for k in chain]
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in zip(coords, coords[1:], strict=False))
    # O(n^2) reference for the longest chain's length.
    pts = sorted(set((p[0], p[1]) for p in points))
    best = [1] * len(pts)
    for x in range(len(pts)):
        for y in range(x):
            if pts[y][0] < pts[x][0] and pts[y][1] < pts[x][1]:
                best[x] = max(best[x], best[y] + 1)
    assert len(chain) == max(best, default=0)
