"""Story clusters: best-parent components of derived pairs, the hub guard, determinism."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from syndetect.cluster import best_parents, connected_groups, cut_hub_edges, story_clusters
from syndetect.types import Match, PairDecision, Span

LENGTH = 1000


def text_of(doc: str) -> str:
    """A stand-in document text, so spans satisfy text[start:end] == span.text."""
    return (doc + " ") * (LENGTH // (len(doc) + 1) + 1)


def span(doc: str, start: int, end: int) -> Span:
    return Span(doc, start, end, text_of(doc)[start:end])


def decision(
    x: str,
    y: str,
    spans_x: list[tuple[int, int]] | None = None,
    spans_y: list[tuple[int, int]] | None = None,
    *,
    derived: bool = True,
    score: float | None = None,
) -> PairDecision:
    """A pair decision with passages at the given spans (on x and on y)."""
    spans_x = spans_x or [(0, 400)]
    spans_y = spans_y or [(0, 400)] * len(spans_x)
    if y < x:
        x, y, spans_x, spans_y = y, x, spans_y, spans_x
    matches = tuple(
        Match(span(x, *sx), span(y, *sy), 0.9, "rewrite") for sx, sy in zip(spans_x, spans_y)
    )
    if score is None:
        score = 0.9 if derived else 0.05
    return PairDecision(x, y, score, derived, 0.5, 0.5, len(matches), 1.0, 3, matches)


def test_components_of_derived_pairs() -> None:
    pairs = [decision("a", "b"), decision("b", "c"), decision("d", "e"),
             decision("f", "g", derived=False)]
    assert story_clusters(pairs) == [["a", "b", "c"], ["d", "e"]]


def test_no_pairs_no_clusters() -> None:
    assert story_clusters([]) == []
    assert story_clusters([decision("a", "b", derived=False)]) == []


def test_hub_does_not_merge_two_stories() -> None:
    # H is a roundup: story A's passages in its first half, story B's in its second.
    # A and B share nothing and are not a derived pair.
    pairs = [
        decision("H", "A", [(0, 200), (210, 450)], [(0, 200), (300, 540)]),
        decision("H", "B", [(520, 700), (720, 900)], [(10, 190), (200, 380)]),
        decision("A", "A2", [(0, 500)], [(0, 500)]),  # A's story has a copy elsewhere
        decision("B", "B2", [(0, 400)], [(0, 400)]),
    ]
    clusters = story_clusters(pairs)
    assert not any({"A", "B"} <= set(c) for c in clusters), clusters
    # The story covering more of H (A: 440 chars against 360) keeps the hub.
    assert ["A", "A2", "H"] in clusters
    assert ["B", "B2"] in clusters
    assert cut_hub_edges(pairs) == {("B", "H")}


def test_hub_guard_is_decided_by_weight_not_by_name() -> None:
    # As above, but now B's passages cover more of H: B keeps it.
    pairs = [
        decision("H", "A", [(0, 150)], [(0, 150)]),
        decision("H", "B", [(400, 900)], [(0, 500)]),
    ]
    assert story_clusters(pairs) == [["B", "H"]]


def test_chain_through_overlapping_passages_stays_one_story() -> None:
    # A -> B -> C: C copies from B the stretch B took from A (overlapping spans on B).
    pairs = [
        decision("A", "B", [(0, 300)], [(100, 400)]),
        decision("B", "C", [(200, 500)], [(0, 300)]),
    ]
    assert cut_hub_edges(pairs) == set()
    assert story_clusters(pairs) == [["A", "B", "C"]]


def test_neighbours_that_are_derived_pairs_are_one_story_anywhere_in_the_hub() -> None:
    # A and C each match a different half of B, but A and C are derived from each other.
    pairs = [
        decision("A", "B", [(0, 300)], [(0, 300)]),
        decision("B", "C", [(600, 900)], [(0, 300)]),
        decision("A", "C", [(0, 300)], [(0, 300)]),
    ]
    assert cut_hub_edges(pairs) == set()
    assert story_clusters(pairs) == [["A", "B", "C"]]


def test_triangle_of_derived_documents_is_one_cluster() -> None:
    # d5 and d6 are derived from each other and both from d1; on d1 their passages
    # lie in different places, but a derived pair is one story wherever it falls.
    pairs = [
        decision("d1", "d5", [(0, 10)], [(0, 10)]),
        decision("d1", "d6", [(10, 20)], [(0, 10)]),
        decision("d5", "d6", [(0, 10)], [(0, 10)]),
    ]
    assert cut_hub_edges(pairs) == set()
    assert story_clusters(pairs) == [["d1", "d5", "d6"]]


def test_weak_link_does_not_merge_two_stories_with_better_explanations() -> None:
    # A-B and C-D are strong pairs; B-C is a weak (but derived) resemblance.
    pairs = [
        decision("A", "B", score=0.9),
        decision("C", "D", score=0.9),
        decision("B", "C", score=0.25),
    ]
    assert story_clusters(pairs) == [["A", "B"], ["C", "D"]]
    # Without better explanations the weak link is the best there is, and it holds.
    assert story_clusters([decision("B", "C", score=0.25)]) == [["B", "C"]]


def test_strong_dates_limit_which_side_has_a_parent() -> None:
    # O is earlier than both: only the b side of each pair may be the derivative
    # (detect records only that side's score).
    def dated(x: str, y: str, score: float) -> PairDecision:
        p = decision(x, y, score=score)
        return PairDecision(p.a, p.b, p.score, True, 0.5, 0.5, p.n_passages, 1.0, 3, p.matches,
                            features={"score_b": score})

    pairs = [dated("O", "P", 0.9), dated("O", "Q", 0.8), dated("P", "Q", 0.3)]
    from syndetect.cluster import best_parents

    assert best_parents(pairs) == {"P": ("O", 0.9), "Q": ("O", 0.8)}
    assert story_clusters(pairs) == [["O", "P", "Q"]]


def test_non_derived_pairs_never_link() -> None:
    pairs = [decision("a", "b"), decision("b", "c", derived=False), decision("c", "d")]
    assert story_clusters(pairs) == [["a", "b"], ["c", "d"]]


# --- determinism and structure --------------------------------------------------------

DOCS = [f"d{k}" for k in range(7)]


@st.composite
def pair_sets(draw: st.DrawFn, *, span_starts: int = LENGTH - 50) -> list[PairDecision]:
    """Random decisions over seven documents; passages start below ``span_starts``."""
    edges = draw(st.sets(st.tuples(st.sampled_from(DOCS), st.sampled_from(DOCS))
                         .filter(lambda e: e[0] < e[1]), max_size=12))
    out = []
    for x, y in sorted(edges):
        n = draw(st.integers(1, 3))
        sx, sy = [], []
        for _ in range(n):
            s1 = draw(st.integers(0, span_starts))
            s2 = draw(st.integers(0, span_starts))
            length = draw(st.integers(10, 50))
            sx.append((s1, s1 + length))
            sy.append((s2, s2 + length))
        out.append(decision(x, y, sx, sy, derived=draw(st.booleans()),
                            score=draw(st.sampled_from([0.3, 0.6, 0.9]))))
    return out


@settings(max_examples=150, deadline=None)
@given(pair_sets(), st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_input_order(pairs: list[PairDecision], rnd: random.Random) -> None:
    expected = story_clusters(pairs)
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    assert story_clusters(shuffled) == expected
    assert cut_hub_edges(shuffled) == cut_hub_edges(pairs)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(DOCS), max_size=4),
       st.lists(st.tuples(st.sampled_from(DOCS), st.sampled_from(DOCS)), max_size=10))
def test_connected_groups_are_the_components_a_naive_merge_finds(
    nodes: list[str], links: list[tuple[str, str]]
) -> None:
    groups = [{n} for n in nodes] + [{a, b} for a, b in links]
    merged: list[set[str]] = []
    for g in groups:  # merge every group that meets g into it
        meeting = [m for m in merged if m & g]
        merged = [m for m in merged if not m & g] + [g.union(*meeting)]
    assert sorted(connected_groups(nodes, links)) == sorted(sorted(m) for m in merged)


@settings(max_examples=100, deadline=None)
@given(pair_sets())
def test_pairs_decided_twice_cluster_as_if_decided_once(pairs: list[PairDecision]) -> None:
    assert cut_hub_edges(pairs + pairs) == cut_hub_edges(pairs)
    assert story_clusters(pairs + pairs) == story_clusters(pairs)


@settings(max_examples=150, deadline=None)
@given(pair_sets())
def test_clusters_are_disjoint_sorted_and_connected_by_derived_pairs(
    pairs: list[PairDecision],
) -> None:
    clusters = story_clusters(pairs)
    seen: set[str] = set()
    for c in clusters:
        assert c == sorted(c) and len(c) >= 2
        assert not seen & set(c)
        seen |= set(c)
        # Connected through derived pairs inside the cluster.
        members = set(c)
        edges = [(p.a, p.b) for p in pairs if p.derived and p.a in members and p.b in members]
        reached = {c[0]}
        changed = True
        while changed:
            changed = False
            for a, b in edges:
                if (a in reached) != (b in reached):
                    reached |= {a, b}
                    changed = True
        assert reached == members
    assert [c[0] for c in clusters] == sorted(c[0] for c in clusters)


@settings(max_examples=100, deadline=None)
@given(pair_sets(span_starts=10))
def test_without_any_possible_hub_every_derived_document_is_clustered(
    pairs: list[PairDecision],
) -> None:
    # Every passage starts in [0, 10] and is at least 10 long, so on every document all
    # passages overlap: no document carries two stories and no edge may be cut.
    assert cut_hub_edges(pairs) == set()
    derived_docs = {d for p in pairs if p.derived for d in (p.a, p.b)}
    assert {d for c in story_clusters(pairs) for d in c} == derived_docs


@settings(max_examples=100, deadline=None)
@given(st.integers(3, 6), st.data())
def test_mutually_derived_documents_form_one_cluster(k: int, data: st.DataObject) -> None:
    # Every pair among k documents is derived, equally strongly, with passages anywhere:
    # all neighbours of every document are derived pairs themselves, so one story.
    docs = DOCS[:k]
    pairs = []
    for i, x in enumerate(docs):
        for y in docs[i + 1 :]:
            sx = data.draw(st.integers(0, LENGTH - 50))
            sy = data.draw(st.integers(0, LENGTH - 50))
            pairs.append(decision(x, y, [(sx, sx + 40)], [(sy, sy + 40)]))
    assert cut_hub_edges(pairs) == set()
    assert story_clusters(pairs) == [docs]


def test_two_rewrites_closer_to_each_other_than_to_their_source_stay_in_its_story() -> None:
    # Two outlets rewrote one wire story alike: each is the other's best match, and
    # both are derived from the wire. The pair hangs from their common source.
    # The wire's earlier strong date rules it out as a derivative (only score_a).
    pairs = [
        decision("r1", "r2", score=0.9),
        replace(decision("r1", "wire", score=0.6), features={"score_a": 0.6}),
        replace(decision("r2", "wire", score=0.55), features={"score_a": 0.55}),
        decision("other", "x", score=0.9),
    ]
    assert story_clusters(pairs) == [["other", "x"], ["r1", "r2", "wire"]]


def test_a_page_published_later_is_no_parent() -> None:
    # "copy" resembles "late" most, but "late" was published 12 hours after it.
    pairs = [decision("copy", "late", score=0.9), decision("copy", "wire", score=0.5)]
    published = {"wire": 1_700_000_000.0, "copy": 1_700_003_600.0, "late": 1_700_046_800.0}
    assert best_parents(pairs)["copy"] == ("late", 0.9)
    assert best_parents(pairs, published)["copy"] == ("wire", 0.5)
    assert best_parents(pairs, published)["late"] == ("copy", 0.9)
