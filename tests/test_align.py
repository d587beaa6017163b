"""Verification, match selection, passage merging and order share."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndetect.align import (
    SentencePair,
    match_kind,
    merge_passages,
    order_share,
    select_matches,
    verify_pair,
)
from syndetect.columns import RowColumns
from syndetect.config import AlignConfig
from syndetect.segment import normalize, segment, tokenize
from syndetect.terms import content_words
from syndetect.types import Segment

CFG = AlignConfig()


def prep(sentence: str) -> tuple[str, frozenset[str]]:
    norm = normalize(sentence)
    return norm, frozenset(content_words(tokenize(norm)))


def verify(a: str, b: str, config: AlignConfig = CFG) -> tuple[float, float, float, int] | None:
    na, wa = prep(a)
    nb, wb = prep(b)
    return verify_pair(na, nb, wa, wb, {}, config)


# --- verify_pair ---------------------------------------------------------------------

ORIGINAL = (
    "Prime Minister Shehbaz Sharif on Tuesday approved a Rs12 billion relief package "
    "for 340,000 flood victims in Sindh, officials said."
)
REWRITE = (
    "A relief package worth Rs12 billion for 340,000 flood-hit people in Sindh was "
    "cleared by Prime Minister Shehbaz Sharif on Tuesday, according to officials."
)


def test_verify_accepts_a_reworded_sentence() -> None:
    res = verify(ORIGINAL, REWRITE)
    assert res is not None
    similarity, char_ratio, overlap, n_shared = res
    assert n_shared >= 8  # names, numbers and nouns survive the rewrite
    assert char_ratio < CFG.near_verbatim_similarity  # ... the wording does not
    assert overlap >= CFG.anchor_similarity
    assert similarity == max(char_ratio, overlap)
    assert match_kind(char_ratio, CFG) == "rewrite"


def test_verify_scores_a_light_edit_as_near_verbatim() -> None:
    edited = ORIGINAL.replace("officials said", "officials told reporters")
    res = verify(ORIGINAL, edited)
    assert res is not None
    assert match_kind(res[1], CFG) == "near_verbatim"
    same = verify(ORIGINAL, ORIGINAL)
    assert same is not None and same[1] == 1.0 and match_kind(same[1], CFG) == "verbatim"


def test_verify_rejects_unrelated_sentences_sharing_one_topic_word() -> None:
    assert verify(
        "Flood waters damaged the old railway bridge near Sukkur overnight.",
        "Cricket fans gathered at the stadium despite the flood warning from forecasters.",
    ) is None


def test_verify_rejects_long_sentences_sharing_two_topic_words() -> None:
    a = ("Heavy flood waters swept away the wooden railway bridge near Sukkur, cutting "
         "supplies to seven villages and stranding hundreds of farmers overnight.")
    b = ("The provincial flood commission published a report criticising bridge "
         "inspections, blaming contractors, auditors, engineers and ministers alike.")
    na, wa = prep(a)
    nb, wb = prep(b)
    assert len(wa & wb) == 2  # "flood", "bridge": enough shared words, too little overlap
    assert verify_pair(na, nb, wa, wb, {}, CFG) is None


def test_verify_needs_min_shared_words_even_for_identical_text() -> None:
    # One content word only: identical text is still too little evidence.
    assert verify("Thanks.", "Thanks.") is None
    assert verify("Thanks everyone.", "Thanks everyone.") is not None


def test_idf_weights_change_the_overlap() -> None:
    na, wa = prep("Senator Okonkwo praised the harbour dredging plan.")
    nb, wb = prep("Okonkwo said the harbour plan needed money.")
    cfg = AlignConfig(min_similarity=0.0)
    flat = verify_pair(na, nb, wa, wb, {}, cfg)
    # Shared words made rare (heavy), the others common (light): overlap rises.
    shared = wa & wb
    idf = {w: (5.0 if w in shared else 0.5) for w in wa | wb}
    heavy = verify_pair(na, nb, wa, wb, idf, cfg)
    assert flat is not None and heavy is not None
    assert heavy[2] > flat[2]


words = st.frozensets(st.sampled_from([f"w{k}" for k in range(12)]), max_size=8)


@settings(max_examples=100, deadline=None)
@given(words, words, st.text(max_size=30), st.text(max_size=30))
def test_verify_pair_is_symmetric(wa: frozenset, wb: frozenset, na: str, nb: str) -> None:
    idf = {f"w{k}": 1.0 + k / 3 for k in range(12)}
    ab = verify_pair(na, nb, wa, wb, idf, CFG)
    ba = verify_pair(nb, na, wb, wa, idf, CFG)
    assert (ab is None) == (ba is None)
    if ab is not None:
        assert ab == pytest.approx(ba)
        # Float sums over differently ordered sets can land a hair above 1.0 (see report).
        assert 0.0 <= ab[0] <= 1.0 + 1e-9 and ab[3] == len(wa & wb)


# --- match_kind ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "kind"),
    [(1.0, "verbatim"), (0.97, "verbatim"), (0.9699, "near_verbatim"), (0.8, "near_verbatim"),
     (0.7999, "rewrite"), (0.0, "rewrite")],
)
def test_match_kind_thresholds_default(ratio: float, kind: str) -> None:
    assert match_kind(ratio, AlignConfig()) == kind


def test_match_kind_follows_config() -> None:
    cfg = AlignConfig(verbatim_similarity=0.9, near_verbatim_similarity=0.5)
    assert [match_kind(x, cfg) for x in (0.95, 0.9, 0.6, 0.5, 0.49)] == [
        "verbatim", "verbatim", "near_verbatim", "near_verbatim", "rewrite",
    ]


# --- documents and rows for selection and merging ------------------------------------

TEXT_A = (
    "The dam burst at dawn. Water reached the market by noon. Shops were closed.\n"
    "Rescuers arrived at two. They saved forty people. The mayor thanked them.\n"
    "Schools will reopen on Monday. Roads remain shut."
)
TEXT_B = (
    "At dawn the dam burst. By noon water was in the market. Traders shut their shops.\n"
    "Rescue teams came at two. Forty people were saved. The mayor praised the teams.\n"
    "On Monday schools reopen. The roads are still closed."
)


@pytest.fixture
def rows() -> list[Segment]:
    return segment("a", TEXT_A) + segment("b", TEXT_B)


def pair(rows: list[Segment], i: int, j: int, sim: float = 0.6, shared: int = 5,
         char: float = 0.5) -> SentencePair:
    """A match between sentence i of "a" and sentence j of "b" (local indices)."""
    n_a = sum(1 for r in rows if r.doc_id == "a")
    return SentencePair(i, n_a + j, similarity=sim, char_ratio=char, overlap=sim, n_shared=shared)


def test_fixture_rows(rows: list[Segment]) -> None:
    assert [r.index for r in rows if r.doc_id == "a"] == list(range(8))
    assert [r.index for r in rows if r.doc_id == "b"] == list(range(8))


def test_select_keeps_a_weak_match_next_to_an_anchor(rows: list[Segment]) -> None:
    anchor = pair(rows, 3, 3)
    weak_near = pair(rows, 4, 4, sim=0.25, shared=2)
    weak_far = pair(rows, 0, 7, sim=0.25, shared=2)  # near on neither side
    weak_half = pair(rows, 4, 7, sim=0.25, shared=2)  # near on one side only
    assert anchor.is_anchor(CFG) and not weak_near.is_anchor(CFG)
    kept = select_matches([weak_far, weak_half, weak_near, anchor], RowColumns.of(rows), CFG)
    assert kept == [anchor, weak_near]


def test_select_drops_everything_without_an_anchor(rows: list[Segment]) -> None:
    weak = [pair(rows, k, k, sim=0.3, shared=3) for k in range(4)]
    assert select_matches(weak, RowColumns.of(rows), CFG) == []


def test_select_support_window_boundary(rows: list[Segment]) -> None:
    anchor = pair(rows, 0, 0)
    at_edge = pair(rows, 3, 3, sim=0.3, shared=2)
    past_edge = pair(rows, 4, 4, sim=0.3, shared=2)
    kept = select_matches([anchor, at_edge, past_edge], RowColumns.of(rows), AlignConfig(support_window=3))
    assert kept == [anchor, at_edge]


def test_select_caps_links_per_sentence(rows: list[Segment]) -> None:
    fan = [pair(rows, 0, j, sim=0.5 + j / 100) for j in range(5)]
    kept = select_matches(fan, RowColumns.of(rows), AlignConfig(max_links=3))
    assert [rows[p.j].index for p in kept] == [2, 3, 4]  # the three most similar


def test_merge_joins_adjacent_matches_and_keeps_others_apart(rows: list[Segment]) -> None:
    texts = {"a": TEXT_A, "b": TEXT_B}
    run = [pair(rows, k, k) for k in range(3)]  # first paragraph, in order
    lone = pair(rows, 7, 7)
    passages = merge_passages([lone, *run], RowColumns.of(rows), texts, CFG)
    assert len(passages) == 2
    first, second = passages
    a_segs = [r for r in rows if r.doc_id == "a"]
    b_segs = [r for r in rows if r.doc_id == "b"]
    assert (first.a.start, first.a.end) == (a_segs[0].start, a_segs[2].end)
    assert (first.b.start, first.b.end) == (b_segs[0].start, b_segs[2].end)
    assert first.a.text == "The dam burst at dawn. Water reached the market by noon. Shops were closed."
    assert (second.a.start, second.a.end) == (a_segs[7].start, a_segs[7].end)
    for m in passages:
        assert TEXT_A[m.a.start : m.a.end] == m.a.text and m.a.document == "a"
        assert TEXT_B[m.b.start : m.b.end] == m.b.text and m.b.document == "b"


def test_merge_bridges_one_missing_sentence_but_not_two(rows: list[Segment]) -> None:
    texts = {"a": TEXT_A, "b": TEXT_B}
    cfg = AlignConfig(merge_gap_sentences=1)
    assert len(merge_passages([pair(rows, 0, 0), pair(rows, 2, 2)], RowColumns.of(rows), texts, cfg)) == 1
    assert len(merge_passages([pair(rows, 0, 0), pair(rows, 3, 3)], RowColumns.of(rows), texts, cfg)) == 2
    # Out of order on one side: never one passage.
    assert len(merge_passages([pair(rows, 0, 1), pair(rows, 1, 0)], RowColumns.of(rows), texts, cfg)) == 2


def test_merged_passage_kind_and_similarity(rows: list[Segment]) -> None:
    texts = {"a": TEXT_A, "b": TEXT_B}
    ps = [pair(rows, 0, 0, sim=0.99, char=0.99), pair(rows, 1, 1, sim=0.97, char=0.97)]
    (m,) = merge_passages(ps, RowColumns.of(rows), texts, CFG)
    assert m.kind == "verbatim" and m.similarity == pytest.approx(0.98)
    (m2,) = merge_passages([pair(rows, 0, 0, sim=0.5, char=0.4)], RowColumns.of(rows), texts, CFG)
    assert m2.kind == "rewrite"


def test_merge_of_nothing_is_nothing(rows: list[Segment]) -> None:
    assert merge_passages([], RowColumns.of(rows), {"a": TEXT_A, "b": TEXT_B}, CFG) == []


@settings(max_examples=100, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=12),
       st.integers(0, 2))
def test_merge_property_spans_round_trip_and_cover_every_match(
    local_pairs: set[tuple[int, int]], gap: int
) -> None:
    rows = segment("a", TEXT_A) + segment("b", TEXT_B)
    texts = {"a": TEXT_A, "b": TEXT_B}
    ps = [pair(rows, i, j) for i, j in sorted(local_pairs)]
    passages = merge_passages(ps, RowColumns.of(rows), texts, AlignConfig(merge_gap_sentences=gap))
    assert len(passages) <= len(ps)
    assert bool(passages) == bool(ps)
    for m in passages:
        assert texts[m.a.document][m.a.start : m.a.end] == m.a.text
        assert texts[m.b.document][m.b.start : m.b.end] == m.b.text
    for p in ps:
        ra, rb = rows[p.i], rows[p.j]
        assert any(
            m.a.start <= ra.start and ra.end <= m.a.end and m.b.start <= rb.start and rb.end <= m.b.end
            for m in passages
        ), f"match {(ra.index, rb.index)} not inside any passage"


# --- order_share ---------------------------------------------------------------------


def test_order_share_ordered_and_reversed() -> None:
    assert order_share([(k, k) for k in range(10)]) == 1.0
    assert order_share([(k, 9 - k) for k in range(10)]) == pytest.approx(0.1)
    assert order_share([]) == 0.0


def test_order_share_of_a_shuffle_is_low() -> None:
    rng = random.Random(3)
    js = list(range(40))
    rng.shuffle(js)
    shuffled = order_share(list(enumerate(js)))
    assert shuffled < 0.5
    # Too long for exhaustion: check against the quadratic LIS recurrence.
    best = [1] * len(js)
    for b in range(len(js)):
        for a in range(b):
            if js[a] < js[b]:
                best[b] = max(best[b], best[a] + 1)
    assert shuffled == max(best) / len(js)


def brute_force_order_share(pairs: list[tuple[int, int]]) -> float:
    """Reference by exhaustion for one-to-one matchings: the largest set of matches
    in the same order on both sides, over the number of matches."""
    if not pairs:
        return 0.0
    items = sorted(pairs)
    for k in range(len(items), 0, -1):
        if any(
            all(x[0] < y[0] and x[1] < y[1] for x, y in zip(combo, combo[1:]))
            for combo in itertools.combinations(items, k)
        ):
            return k / len(items)
    raise AssertionError("unreachable")


@st.composite
def one_to_one(draw: st.DrawFn) -> list[tuple[int, int]]:
    """A matching with distinct sentences on each side, in arbitrary input order."""
    n = draw(st.integers(0, 10))
    left = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n, unique=True))
    right = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n, unique=True))
    return draw(st.permutations(list(zip(left, right))))


@settings(max_examples=200, deadline=None)
@given(one_to_one())
def test_order_share_matches_brute_force(pairs: list[tuple[int, int]]) -> None:
    assert order_share(pairs) == pytest.approx(brute_force_order_share(pairs))
    assert order_share(pairs) == order_share(sorted(pairs))  # input order is irrelevant


# A rewrite joins two sentences into one as often as it splits one in two; either
# way the text keeps its order. The pair's sides are set by document id, so the
# measure must also not depend on which document is "a".


def test_order_share_counts_a_merged_sentence_as_in_order() -> None:
    # Sentences 0 and 1 of a were joined into sentence 0 of b.
    assert order_share([(0, 0), (1, 0), (2, 1), (3, 2)]) == 1.0


def test_order_share_counts_a_split_sentence_as_in_order() -> None:
    # Sentence 0 of a was split into sentences 0 and 1 of b.
    assert order_share([(0, 0), (0, 1), (1, 2), (2, 3)]) == 1.0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=8, unique=True))
def test_order_share_is_symmetric_in_the_two_documents(pairs: list[tuple[int, int]]) -> None:
    swapped = sorted((j, i) for i, j in pairs)
    assert order_share(sorted(pairs)) == pytest.approx(order_share(swapped))
