"""Near-duplicate collapse and dedup semantics on pages that look like real news.

A wire story carried by many sites, copies re-posted by one outlet, a copy
published hours after its source: identical and near-identical copies always form
one cluster, each copy hangs from the right origin, and a big story stays cheap.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from syndetect import scan
from syndetect.collapse import collapse
from syndetect.config import ClusterConfig, Config
from syndetect.errors import ConfigError
from syndetect.pipeline import prepare
from syndetect.types import Document

AP_STORY = """\
WASHINGTON (AP) — The Federal Aviation Administration on Tuesday ordered inspections \
of 171 Boeing 737 Max 9 jetliners after a panel blew off an Alaska Airlines flight \
shortly after takeoff from Portland, Oregon.

The agency said the planes would stay grounded until operators completed the checks, \
which it expected to take four to eight hours per aircraft.

Alaska Airlines said 18 of its 65 Max 9 planes had already been cleared to fly, but \
it cancelled 160 flights on Tuesday as the rest waited for inspection.

United Airlines, which operates 79 of the planes, said it had found loose bolts on \
several door plugs during preliminary checks.

The National Transportation Safety Board said a schoolteacher in Portland had found \
the missing door plug in his backyard on Sunday evening and that investigators had \
recovered two cellphones that fell from the plane.

Jennifer Homendy, the board's chair, told reporters that the cockpit voice recorder \
had been overwritten because it was not retrieved within two hours.

Boeing said in a statement that it supported the FAA's decision and would cooperate \
fully with the investigation.

Copyright 2024 The Associated Press. All rights reserved. This material may not be \
published, broadcast, rewritten or redistributed without permission."""

COUNCIL_STORY = """\
The Marrowfield city council voted 5-2 on Tuesday night to approve a 48-megawatt \
solar farm on 1,200 acres of former orchard land east of the city.

The $62 million installation, proposed by Halvane Energy, is expected to supply \
power to about 14,000 homes when it opens in 2026.

Opponents, many of them neighbouring farmers, said the panels would spoil the view \
and lower property values. Council member Ruth Okafor, who voted against the plan, \
said the city had rushed the decision.

Mayor Dan Whitcomb said the project would bring $1.3 million a year in tax revenue \
and help the city meet its clean energy goals by 2030."""


def page(doc_id: str, body: str, outlet: str, when: str | None = None, **kw) -> Document:
    """A page as a loader gives it: the outlet's chrome around the article body."""
    text = f"{outlet} | News | Sports | Weather\n\n{body}\n\nFollow {outlet} for more news."
    strength = "metadata" if when else "none"
    return Document(id=doc_id, text=text, outlet=outlet, published_at=when,
                    date_strength=strength, **kw)


def members(report, cluster_index: int = 0) -> dict[str, tuple[str, str | None, str | None]]:
    c = report.clusters[cluster_index]
    return {m.document: (m.role, m.derived_from, m.relation) for m in c.members}


def test_two_identical_copies_from_one_outlet_cluster_as_verbatim() -> None:
    # A local paper posted the same wire story under two addresses, and a different
    # story of its own: the copies are one story, the council story stays alone.
    docs = [
        page("ledger-1", AP_STORY, "The Daily Ledger", url="https://ledger.example/a/1"),
        page("ledger-2", AP_STORY, "The Daily Ledger", url="https://ledger.example/a/2"),
        page("ledger-3", COUNCIL_STORY, "The Daily Ledger"),
    ]
    report = scan(docs)
    assert len(report.clusters) == 1
    rows = members(report)
    assert set(rows) == {"ledger-1", "ledger-2"}
    (copy,) = [d for d, (role, _, _) in rows.items() if role == "derivative"]
    (origin,) = [d for d, (role, _, _) in rows.items() if role == "origin"]
    assert rows[copy] == ("derivative", origin, "verbatim")
    pair = next(p for p in report.pairs if {p.a, p.b} == {"ledger-1", "ledger-2"})
    assert pair.derived and {m.kind for m in pair.matches} == {"verbatim"}


def test_same_outlet_different_stories_stay_unlinked_even_with_shared_background() -> None:
    # A follow-up reuses two paragraphs of background from the outlet's first story.
    follow = (
        "Halvane Energy said on Friday it would begin building the Marrowfield solar farm "
        "in April, after a judge dismissed a lawsuit brought by neighbouring farmers.\n\n"
        "The company said about 300 construction jobs would be created over 18 months, "
        "and that local contractors would be hired first.\n\n"
        + "\n\n".join(COUNCIL_STORY.split("\n\n")[:2])
    )
    docs = [page("l-1", COUNCIL_STORY, "The Daily Ledger"), page("l-2", follow, "The Daily Ledger")]
    report = scan(docs)
    assert report.clusters == ()


def test_a_copy_published_twelve_hours_later_is_not_the_origin() -> None:
    # Same day, different times: the id order favours the later copy, the clock does not.
    early = page("zz-first", COUNCIL_STORY, "Marrowfield Sun", "2024-01-09T08:00:00+00:00")
    late = page("aa-copy", COUNCIL_STORY, "The Daily Ledger", "2024-01-09T20:00:00+00:00")
    report = scan([late, early])
    (cluster,) = report.clusters
    assert cluster.origin == "zz-first"
    assert members(report)["aa-copy"] == ("derivative", "zz-first", "verbatim")
    assert "2024-01-09T08:00:00+00:00, before aa-copy" in cluster.evidence[0]
    # The other way round the other page is the origin: the time decides, not the outlet.
    swapped = scan([replace(early, published_at="2024-01-09T21:00:00+00:00"), late])
    assert swapped.clusters[0].origin == "aa-copy"


def test_times_in_different_zones_compare_as_instants() -> None:
    # 09:00 in New York is 14:00 UTC: later than 12:00 UTC although it reads earlier.
    ny = page("a-ny", COUNCIL_STORY, "The Daily Ledger", "2024-01-09T09:00:00-05:00")
    utc = page("b-utc", COUNCIL_STORY, "Marrowfield Sun", "2024-01-09T12:00:00+00:00")
    assert scan([ny, utc]).clusters[0].origin == "b-utc"


def test_a_wire_story_with_its_dateline_credit_stays_the_origin_over_earlier_copies() -> None:
    # The copy carries "(AP)": it says where its text came from, whatever its clock.
    wire = page("zz-ap", AP_STORY, "The Associated Press", "2024-01-09T21:00:00+00:00")
    copy = page("aa-copy", AP_STORY, "The Daily Ledger", "2024-01-09T20:00:00+00:00")
    assert scan([copy, wire]).clusters[0].origin == "zz-ap"


def test_a_copy_that_credits_the_wire_is_not_the_origin() -> None:
    credited = AP_STORY.replace("WASHINGTON (AP) —", "WASHINGTON — According to The Associated "
                                "Press,", 1)
    docs = [page("a-ledger", credited, "The Daily Ledger"),
            page("b-site", AP_STORY, "The Associated Press", url="https://apnews.com/article/1")]
    report = scan(docs)
    assert report.clusters[0].origin == "b-site"


def test_near_verbatim_copy_with_retouched_words() -> None:
    # The copy changes the dateline, a verb and a figure: still one text twice.
    edited = (AP_STORY.replace("on Tuesday ordered", "ordered")
              .replace("160 flights", "about 160 flights")
              .replace("blew off", "tore off"))
    docs = [page("x-ap", AP_STORY, "AP News", "2024-01-09T08:00:00+00:00"),
            page("a-edit", edited, "Portland Courier", "2024-01-09T10:30:00+00:00")]
    report = scan(docs)
    assert members(report)["a-edit"] == ("derivative", "x-ap", "near_verbatim")
    assert report.stats["documents_collapsed"] == 1


def test_collapse_off_still_clusters_identical_same_outlet_copies() -> None:
    docs = [page("l-1", AP_STORY, "The Daily Ledger"), page("l-2", AP_STORY, "The Daily Ledger")]
    report = scan(docs, Config(cluster=ClusterConfig(collapse=False)))
    assert [sorted(m.document for m in c.members) for c in report.clusters] == [["l-1", "l-2"]]


def test_short_notices_are_not_collapsed() -> None:
    # Two sites print the same one-line notice: a formula, not a copied story.
    notice = "Comments on this story are closed. Read our community guidelines."
    docs = [page("a", notice, "Site A"), page("b", notice, "Site B")]
    assert collapse(prepare(docs, Config()), Config()).groups == ()


def test_collapse_config_is_validated() -> None:
    with pytest.raises(ConfigError):
        ClusterConfig(near_verbatim_similarity=1.5)
    with pytest.raises(ConfigError):
        ClusterConfig(collapse_min_words=0)


# --------------------------------------------------------------------------- a big story

OUTLETS = [f"{town} {kind}" for town in ("Salem", "Eugene", "Bend", "Medford", "Tacoma",
                                          "Spokane", "Boise", "Yakima", "Olympia", "Reno")
           for kind in ("Herald", "Tribune", "Courier", "Gazette")]

SWAPS = [("ordered", "required"), ("shortly", "soon"), ("cancelled", "canceled"),
         ("several", "a number of"), ("told reporters", "said"), ("fully", "")]


def edit(rng: random.Random, body: str) -> str:
    """A light copy edit: one or two house-style word changes."""
    for old, new in rng.sample(SWAPS, 2):
        body = body.replace(old, new, 1)
    return body


def test_a_story_carried_by_200_sites_clusters_under_its_origin() -> None:
    rng = random.Random(7)
    origin = page("m-ap", AP_STORY, "Associated Press", "2024-01-09T08:00:00+00:00")
    docs = [origin, page("c-council", COUNCIL_STORY, "The Daily Ledger",
                         "2024-01-09T07:00:00+00:00")]
    kinds = {}
    for k in range(200):
        outlet = OUTLETS[k % len(OUTLETS)]
        verbatim = k % 3 != 0
        body = AP_STORY if verbatim else edit(rng, AP_STORY)
        # Copies go out over the day; ids in random order so that no id sorts first.
        when = f"2024-01-09T{9 + k % 12:02d}:{k % 60:02d}:00+00:00"
        doc_id = f"{rng.randrange(16**8):08x}"
        kinds[doc_id] = "verbatim" if verbatim else "near_verbatim"
        docs.append(page(doc_id, body, outlet, when))
    rng.shuffle(docs)
    report = scan(docs)
    (cluster,) = report.clusters
    assert cluster.origin == "m-ap"
    rows = {m.document: m for m in cluster.members}
    assert set(rows) == {"m-ap", *kinds}
    for doc_id, kind in kinds.items():
        assert rows[doc_id].derived_from == "m-ap"
        assert rows[doc_id].relation == kind
    assert report.stats["documents_collapsed"] == 200
