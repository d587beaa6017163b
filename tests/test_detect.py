"""Detection end to end on a small hand-written corpus.

Seven articles: an origin story; a near-verbatim copy with light edits; a
sentence-by-sentence rewrite that keeps names and numbers; a blog post that
quotes two paragraphs verbatim; a different solar-farm story (same topic, shared
topic words, independent reporting); a football report; a weather report.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping, Sequence

import pytest

from syndetect.boilerplate import detect_boilerplate
from syndetect.cluster import story_clusters
from syndetect.config import ClusterConfig, Config
from syndetect.detect import detect
from syndetect.pipeline import scan
from syndetect.segment import segment
from syndetect.types import Document, PairDecision, Segment

# fmt: off
ORIGIN = """\
Marrowfield council approves $62 million solar farm despite wetland concerns

MARROWFIELD — The Marrowfield city council voted 5-2 on Tuesday night to approve a 48-megawatt solar farm on 1,200 acres of former orchard land east of the city, ending a two-year fight over the project.

The $62 million installation, proposed by Halvane Energy, is expected to supply power to about 14,000 homes once it begins operating in late 2027. Construction is scheduled to start in March 2026 and will create roughly 180 temporary jobs, according to the company.

Mayor Ingrid Tolvanen called the vote "a turning point for how this valley makes its electricity." She said the lease payments, about $1.1 million a year, would help the city repair roads and keep the public library open on weekends.

Councillor Dariusz Kempka, who voted against the plan, warned that runoff from the panels could damage the wetland along Corran Creek. He asked the council to delay the decision until a second environmental review was finished, but the motion failed.

An assessment commissioned by the city from Penrose Ecological found that the site could be built without harming the creek if the company kept a 300-foot buffer of native grasses. Halvane Energy agreed to that condition and to fund water testing twice a year.

Residents who packed the meeting were divided. Farmer Lucia Brennagh said the lease would let her family keep the rest of its land, while retired teacher Owen Makepeace said the panels would "turn the valley into a parking lot for glass."
"""

COPY = """\
Solar farm wins approval in Marrowfield

MARROWFIELD, March 4 — The Marrowfield city council voted 5-2 on Tuesday night to approve a 48-megawatt solar farm on 1,200 acres of former orchard land east of the city, ending a two-year battle over the project.

The $62 million installation, proposed by Halvane Energy, is expected to supply power to about 14,000 homes once it begins operating in late 2027. Construction is scheduled to begin in March 2026 and will create roughly 180 temporary jobs, according to the company.

Mayor Ingrid Tolvanen called the vote "a turning point for how this valley makes its electricity." She said the lease payments, about $1.1 million a year, would help the city repair roads and keep the public library open on weekends.

Councillor Dariusz Kempka, who voted against the plan, warned that runoff from the panels could damage the wetland along Corran Creek. He asked the council to delay the decision until a second environmental review was complete, but the motion failed.

An assessment commissioned by the city from Penrose Ecological found that the site could be built without harming the creek if the company kept a 300-foot buffer of native grasses. Halvane Energy agreed to that condition and to pay for water testing twice a year.

Residents who packed the meeting were divided. Farmer Lucia Brennagh said the lease would let her family keep the rest of its land, while retired teacher Owen Makepeace said the panels would "turn the valley into a parking lot for glass."
"""

REWRITE = """\
Green light for Halvane's 48MW project after heated Marrowfield debate

After two years of wrangling, Marrowfield's city council on Tuesday night gave the go-ahead, by five votes to two, to a 48-megawatt solar farm that will cover 1,200 acres of old orchard land on the city's eastern edge.

Halvane Energy, which is behind the $62 million scheme, says it will generate enough electricity for roughly 14,000 homes when it comes online in late 2027. Building work is due to get under way in March 2026, with the company putting the number of temporary jobs at around 180.

Describing the decision as "a turning point" for the valley's electricity, Mayor Ingrid Tolvanen pointed to annual lease income of some $1.1 million, which she said would pay for road repairs and weekend opening hours at the public library.

Dissenting councillor Dariusz Kempka argued that water running off the panels could harm the Corran Creek wetland, and he unsuccessfully pushed for the vote to be postponed until a second environmental study had been completed.

Penrose Ecological, hired by the city to assess the site, concluded that the creek would be safe provided a 300-foot strip of native grasses was left as a buffer — a condition Halvane Energy accepted, along with paying for twice-yearly water tests.

Opinion in the crowded meeting hall was split: farmer Lucia Brennagh said leasing part of her land would allow her family to hold on to the rest, whereas Owen Makepeace, a retired teacher, complained the valley would become "a parking lot for glass."
"""

EXCERPT = """\
Notes from the valley: the week in local politics

It was a busy week at city hall, and most of the talk in the coffee shops was about panels and power lines rather than the budget. Here is how the Marrowfield Gazette reported the key exchange.

Mayor Ingrid Tolvanen called the vote "a turning point for how this valley makes its electricity." She said the lease payments, about $1.1 million a year, would help the city repair roads and keep the public library open on weekends.

Councillor Dariusz Kempka, who voted against the plan, warned that runoff from the panels could damage the wetland along Corran Creek. He asked the council to delay the decision until a second environmental review was finished, but the motion failed.

We will be watching the creek, and the library hours, closely. Next week: why the bus depot still has no roof.
"""

SAMETOPIC = """\
Bellhaven commissioners reject solar project over farmland fears

BELLHAVEN — County commissioners in Bellhaven on Monday rejected a proposed 30-megawatt solar farm on 700 acres of pasture north of the town, siding with neighbours who said the panels would spoil the view from the old stagecoach road.

The project, put forward by Sunridge Power, would have cost about $35 million and supplied electricity to roughly 8,000 homes. Company spokesman Felix Ardent said Sunridge was disappointed and would look for another site in the region.

Commissioner Harriet Oyelaran, who cast the deciding vote, said the county needed clean energy but could not afford to lose its best grazing land. She asked planners to draw up rules steering future solar developments toward closed quarries and industrial lots.

Supporters of the plan, including the local chamber of commerce, had argued that the lease income would have helped keep the county hospital's emergency room open. A petition backing the farm gathered 1,400 signatures.

The state's environmental agency had not raised objections to the site, and an earlier study found no wetlands within the project boundary. Opponents nonetheless worried about heavy trucks on rural roads during construction.

Sunridge Power said it had spent two years and more than $2 million on surveys and engineering for the Bellhaven site.
"""

FOOTBALL = """\
Harbour City edge past Redmarsh in five-goal thriller

Harbour City moved to the top of the league on Saturday after a 3-2 victory over Redmarsh Rovers, with striker Tomasz Wierzbicki scoring twice in the second half.

Redmarsh had led 2-0 at the break through a header from captain Kofi Ansah and a deflected free kick from Lars Engedal, and their fans were already singing about a first away win since August.

Wierzbicki pulled one back seven minutes after the restart, then equalised with a low shot from the edge of the box. Substitute Aaron Pelham won the match in stoppage time, turning in a cross from the left.

Harbour City manager Greta Sandoval said her players had shown "real character" and praised the crowd of 23,000 for never giving up on the team.

Redmarsh coach Martin Okafor said his side had stopped playing after the break and would need to improve quickly before next week's cup tie.
"""

WEATHER = """\
Storm brings record rainfall to coastal towns

A slow-moving storm dropped more than 180 millimetres of rain on the coastal town of Pellbridge over the weekend, the highest two-day total since records began in 1911, the national weather service said on Sunday.

Dozens of basements flooded and the main ferry to the islands was cancelled for a second day. Emergency crews rescued a couple whose car had stalled in water on the harbour road.

Forecasters expect the rain to ease by Tuesday, but warned that rivers in the hills would keep rising for several more days as water drains from saturated fields.
"""
# fmt: on

# The blog post quotes these two paragraphs of the origin word for word.
QUOTED = EXCERPT.split("\n\n")[2] + "\n\n" + EXCERPT.split("\n\n")[3]

CORPUS = {
    # id: (text, outlet, metadata date)
    "origin": (ORIGIN, "Marrowfield Gazette", "2025-03-04"),
    "copy": (COPY, "Valley Courier", "2025-03-05"),
    "rewrite": (REWRITE, "Eastern Ledger", "2025-03-05"),
    "excerpt": (EXCERPT, "Valley Notes", "2025-03-08"),
    "sametopic": (SAMETOPIC, "Bellhaven Times", "2025-03-03"),
    "football": (FOOTBALL, "Sports Weekly", "2025-03-01"),
    "weather": (WEATHER, "Coast Radio", "2025-03-02"),
}
STORY = {"origin", "copy", "rewrite", "excerpt"}
UNRELATED = {"sametopic", "football", "weather"}


def make_documents(order: Sequence[str] | None = None) -> list[Document]:
    ids = list(CORPUS) if order is None else list(order)
    return [
        Document(id=d, text=CORPUS[d][0], outlet=CORPUS[d][1], published_at=CORPUS[d][2],
                 date_strength="metadata", title=CORPUS[d][0].split("\n", 1)[0])
        for d in ids
    ]


def run_detect(
    documents: Sequence[Document], config: Config | None = None, progress=None
) -> tuple[list[PairDecision], dict[str, int], dict[str, list[Segment]]]:
    """The stages ``scan`` runs before clustering: segment, boilerplate, detect."""
    config = config or Config()
    docs = {d.id: d for d in documents}
    segs = {d.id: segment(d.id, d.text, config.segment) for d in documents}
    segs, _ = detect_boilerplate(segs, config.boilerplate)
    pairs, stats = detect(segs, docs, config, progress=progress)
    return pairs, stats, segs


@pytest.fixture(scope="module")
def result() -> tuple[list[PairDecision], dict[str, int], dict[str, list[Segment]]]:
    return run_detect(make_documents())


@pytest.fixture(scope="module")
def by_pair(result) -> Mapping[frozenset[str], PairDecision]:
    return {frozenset((p.a, p.b)): p for p in result[0]}


def as_data(pairs: Sequence[PairDecision]) -> list[dict]:
    return [dataclasses.asdict(p) for p in pairs]  # includes the compare=False features


def test_corpus_has_no_boilerplate(result) -> None:
    # Two copies of one story share every sentence; that is syndication, not template.
    _, _, segs = result
    assert not any(s.boilerplate for v in segs.values() for s in v)


def test_copy_and_rewrite_are_derived_from_the_origin(by_pair) -> None:
    assert by_pair[frozenset(("copy", "origin"))].derived
    assert by_pair[frozenset(("origin", "rewrite"))].derived
    assert by_pair[frozenset(("excerpt", "origin"))].derived


def test_same_topic_and_unrelated_stories_are_not_derived(result) -> None:
    pairs, _, _ = result
    for p in pairs:
        if {p.a, p.b} & UNRELATED:
            assert not p.derived, (p.a, p.b, p.score)
            assert p.score < Config().decision.threshold


def test_different_topic_stories_share_no_passage(result) -> None:
    pairs, _, _ = result
    for p in pairs:
        if {p.a, p.b} & {"football", "weather"}:
            assert p.matches == (), (p.a, p.b)


def test_derived_pairs_are_exactly_the_story(result) -> None:
    pairs, _, _ = result
    derived_docs = {d for p in pairs if p.derived for d in (p.a, p.b)}
    assert derived_docs == STORY
    assert story_clusters(pairs) == [sorted(STORY)]


def test_every_span_round_trips(result) -> None:
    pairs, _, _ = result
    assert sum(len(p.matches) for p in pairs) >= 4
    for p in pairs:
        assert p.a < p.b
        # detect() keeps the passages of derived pairs only; it counts them for all.
        assert p.n_passages == len(p.matches) if p.derived else not p.matches
        for m in p.matches:
            assert m.a.document == p.a and m.b.document == p.b
            assert CORPUS[p.a][0][m.a.start : m.a.end] == m.a.text
            assert CORPUS[p.b][0][m.b.start : m.b.end] == m.b.text
            assert m.a.text.strip() == m.a.text and m.a.text
            assert 0.0 <= m.similarity <= 1.0


def test_pairs_are_sorted_and_unique(result) -> None:
    pairs, stats, _ = result
    keys = [(p.a, p.b) for p in pairs]
    assert keys == sorted(set(keys))
    assert stats["pairs_checked"] == len(pairs)
    assert stats["pairs_with_passages"] == sum(1 for p in pairs if p.n_passages)
    assert stats["pairs_with_passages"] >= sum(1 for p in pairs if p.matches) > 0


def test_copy_matches_are_verbatim_or_near_verbatim(by_pair) -> None:
    p = by_pair[frozenset(("copy", "origin"))]
    copy_len = len(COPY)
    close = [m for m in p.matches if m.kind in ("verbatim", "near_verbatim")]
    # The light edits leave the copy's whole body one close passage (only the new
    # headline can be a looser match).
    assert sum(len(m.a.text) for m in close) >= 0.9 * copy_len
    assert p.coverage_a >= 0.9 and p.coverage_b >= 0.9


def test_rewrite_matches_are_rewrites_and_cover_the_story(by_pair) -> None:
    p = by_pair[frozenset(("origin", "rewrite"))]
    assert p.matches and all(m.kind == "rewrite" for m in p.matches)
    assert p.coverage_a >= 0.7 and p.coverage_b >= 0.7  # most of both texts
    # A sentence-by-sentence rewrite keeps the order, including where it joins two
    # sentences into one (see test_align's order_share tests for the minimal case).
    assert p.ordered >= 0.9


def test_verbatim_quote_is_found_exactly(by_pair) -> None:
    p = by_pair[frozenset(("excerpt", "origin"))]
    (m,) = p.matches
    assert m.kind == "verbatim"
    assert m.a.document == "excerpt" and m.a.text == QUOTED
    assert m.b.document == "origin" and m.b.text == QUOTED
    assert ORIGIN.index(QUOTED) == m.b.start


def test_detect_is_deterministic_and_order_independent(result) -> None:
    pairs, stats, _ = result
    again, stats2, _ = run_detect(make_documents())
    assert as_data(again) == as_data(pairs)
    assert stats2 == stats
    ids = list(CORPUS)
    for seed in (1, 2):
        random.Random(seed).shuffle(ids)
        shuffled, stats3, _ = run_detect(make_documents(ids))
        assert as_data(shuffled) == as_data(pairs), ids
        assert stats3 == stats


def test_progress_callback_reports_candidates_verification_and_decisions() -> None:
    calls: list[tuple[str, int, int]] = []
    decisions, stats, _ = run_detect(make_documents(["origin", "copy"]),
                                     progress=lambda *a: calls.append(a))
    assert calls[:4] == [("candidates", 0, 3), ("candidates", 1, 3), ("candidates", 2, 3),
                         ("candidates", 3, 3)]
    verify = [c for c in calls if c[0] == "verify"]
    assert verify[0][1] == 0 and verify[-1][1] == verify[-1][2]
    assert 0 < verify[-1][2] <= stats["candidates_rewrite"] + stats["candidates_copy"]
    decide = [c for c in calls if c[0] == "decide"]
    assert decide[-1][1] == decide[-1][2] >= len(decisions)


def test_strong_dates_decide_which_side_may_copy(by_pair) -> None:
    # Only a side that was published later may be the derivative; detect scores
    # only that side (cluster.best_parents reads these scores).
    later_copy = by_pair[frozenset(("copy", "origin"))]  # copy 03-05 after origin 03-04
    assert "score_a" in later_copy.features and "score_b" not in later_copy.features
    same_day = by_pair[frozenset(("copy", "rewrite"))]  # both 03-05: either may copy
    assert {"score_a", "score_b"} <= set(same_day.features)
    # Date the copy before the origin: now only the origin may be the derivative,
    # and near-identical texts are still derived.
    docs = [dataclasses.replace(d, published_at="2025-01-01") if d.id == "copy" else d
            for d in make_documents(["origin", "copy", "football"])]
    pairs, _, _ = run_detect(docs)
    (p,) = [p for p in pairs if {p.a, p.b} == {"copy", "origin"}]
    assert p.derived
    assert "score_b" in p.features and "score_a" not in p.features


# --- the same corpus through scan() --------------------------------------------------


def test_scan_finds_the_story_with_its_origin(result) -> None:
    # scan runs the same stages: without the near-duplicate collapse, the same pair
    # decisions; with it, the copy is decided against the origin alone.
    plain = scan(make_documents(), Config(cluster=ClusterConfig(collapse=False)))
    assert as_data(plain.pairs) == as_data(result[0])
    report = scan(make_documents())
    aligned = [p for p in report.pairs if "copy" in (p.a, p.b) and not p.features.get("inherited")]
    assert [(p.a, p.b) for p in aligned] == [("copy", "origin")]
    assert [d.id for d in report.documents] == sorted(CORPUS)
    assert all(d.status == "ok" for d in report.documents)
    (cluster,) = report.clusters
    assert {m.document for m in cluster.members} == STORY
    assert cluster.origin == "origin"  # earliest strong date, and the others derive from it
    roles = {m.document: m.role for m in cluster.members}
    assert roles == {"origin": "origin", "copy": "derivative", "rewrite": "derivative",
                     "excerpt": "derivative"}
    for m in cluster.matches:
        assert CORPUS[m.a.document][0][m.a.start : m.a.end] == m.a.text
        assert CORPUS[m.b.document][0][m.b.start : m.b.end] == m.b.text
    # Deterministic and independent of input order.
    ids = list(CORPUS)
    random.Random(5).shuffle(ids)
    again = scan(make_documents(ids))
    assert again.clusters == report.clusters
    assert as_data(again.pairs) == as_data(report.pairs)
