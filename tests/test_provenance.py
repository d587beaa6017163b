"""Provenance: each signal on small documents, and the derivation tree they build.

Every document here is written for the test; spans are located in the text, so
``document.text[span.start:span.end] == span.text`` holds by construction.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Sequence
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_arborescence import brute_force, reaches_root  # the reference trees, brute force

from syndetect.config import Config, ProvenanceConfig
from syndetect.errors import ConfigError, InputError
from syndetect.provenance import (
    Attribution,
    assign_provenance,
    containment_signal,
    date_signal,
    detail_signal,
    find_attributions,
    hedge_signal,
    lineage_link,
    maximum_arborescence,
    outlets_match,
)
from syndetect.types import Cluster, Document, Match, MatchKind, Member, PairDecision, Span

CFG = ProvenanceConfig()


# --------------------------------------------------------------------------- helpers


def span(doc: Document, piece: str) -> Span:
    """The span of ``piece`` in ``doc`` (it must occur exactly once)."""
    assert doc.text.count(piece) == 1, f"{piece!r} must occur once in {doc.id}"
    start = doc.text.index(piece)
    out = Span(doc.id, start, start + len(piece), piece)
    assert doc.text[out.start:out.end] == out.text
    return out


def coverage(doc: Document, spans: Sequence[Span]) -> float:
    covered: set[int] = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    return len(covered) / len(doc.text)


def pair(
    x: Document,
    y: Document,
    pieces: Sequence[tuple[str, str]],
    *,
    kind: MatchKind = "rewrite",
    derived: bool = True,
) -> PairDecision:
    """A pair decision with one match per (piece of x, piece of y), ordered a < b by id."""
    a, b = (x, y) if x.id < y.id else (y, x)
    matches = []
    for px, py in pieces:
        sx, sy = span(x, px), span(y, py)
        sa, sb = (sx, sy) if a is x else (sy, sx)
        matches.append(Match(sa, sb, 0.9 if kind != "rewrite" else 0.6, kind))
    return PairDecision(
        a=a.id,
        b=b.id,
        score=0.9,
        derived=derived,
        coverage_a=coverage(a, [m.a for m in matches]),
        coverage_b=coverage(b, [m.b for m in matches]),
        n_passages=len(matches),
        ordered=1.0,
        rare_shared=1,
        matches=tuple(matches),
    )


def docs_of(*docs: Document) -> dict[str, Document]:
    return {d.id: d for d in docs}


def member(cluster: Cluster, doc_id: str) -> Member:
    return next(m for m in cluster.members if m.document == doc_id)


# --------------------------------------------------------------------------- attribution


SEED_LIKE = (
    "Describing a scene, a report in New York Times said, \"dozens of people sat.\" "
    "Felix Tao told NYT, 'People come here.' "
    "According to The New York Times report, every conversation circles back to AI. "
    "Several founders told The New York Times that support now hurts. "
    "Reports from the New York Times describe scenes of enthusiasm."
)


def test_english_credits_are_found_with_exact_offsets() -> None:
    found = find_attributions(SEED_LIKE)
    assert [a.cue for a in found] == [
        "a report in New York Times",
        "told NYT",
        "According to The New York Times report",
        "told The New York Times",
        "Reports from the New York Times",
    ]
    assert all(SEED_LIKE[a.start:a.end] == a.cue for a in found)
    assert [a.outlet for a in found][:2] == ["New York Times", "NYT"]


EVERY_PHRASE = (
    "The mayor spoke to The Marlow Gazette on Monday. In an interview with Harwick Today, "
    "she said the bridge would reopen. The plan was first reported by The Upton Observer "
    "and quoted by Eastgate News. Citing The Dover Times, officials confirmed it. As per "
    "Riverton Daily, costs rose. Courtesy of The Ashford Herald. Source: Stanton Post. "
    "The Carrow Courier first reported the closure. The Fenwick Star contributed reporting. "
    "According to a new report in The Kingsbridge Times, the county agreed. According to "
    "Oakridge News the vote was close. An investigation by The Yarrow Tribune found gaps. "
    "Reports from The Glenhaven Journal describe anger. Residents told The Pembrook Record "
    "they were relieved. Photos: Copyright The Dunmore Post, REVEALED BY The Elm Wire."
)


def test_skipping_phrase_scans_by_their_trigger_words_finds_the_same_credits(
    monkeypatch,
) -> None:
    """A prose pattern runs only where one of its trigger words is in the text; every
    pattern's credit is found exactly as with every pattern run on every text."""
    import syndetect.provenance.attribution as attribution

    found = find_attributions(EVERY_PHRASE)
    monkeypatch.setattr(attribution, "_TRIGGERS", (("",),) * len(attribution._PROSE_PATTERNS))
    assert find_attributions(EVERY_PHRASE) == found
    assert len({a.outlet for a in found}) >= 10
    unrelated = "The council approved the budget on Tuesday after a long debate."
    assert find_attributions(unrelated) == []


def test_people_and_generic_words_are_not_outlets() -> None:
    text = (
        "According to Tao, it works. He told reporters the plan was sound. "
        "The World Health Organization (WHO) agreed, according to Chinese customs data."
    )
    assert find_attributions(text) == []


def test_wire_credits_in_parentheses_in_any_script() -> None:
    assert [a.outlet for a in find_attributions("LONDON (Reuters) - Prices rose.")] == ["Reuters"]
    assert [a.outlet for a in find_attributions("ISLAMABAD, Dec 1 (APP): Talks ended.")] == ["APP"]
    assert [a.outlet for a in find_attributions("WASHINGTON (AP) — A bill passed.")] == ["AP"]
    urdu = "ڈھاکہ ۔ یکم دسمبر (اے پی پی) بنگلہ دیش نے زمبابوے کو شکست دے دی۔"
    found = find_attributions(urdu)
    assert [(a.outlet, a.cue) for a in found] == [("اے پی پی", "(اے پی پی)")]
    assert urdu[found[0].start:found[0].end] == "(اے پی پی)"


def test_staff_credits_are_not_outlets_but_a_wire_next_to_them_is() -> None:
    assert find_attributions("لاہور (سپورٹس ڈیسک) پاکستان نے میچ جیت لیا۔") == []
    mixed = find_attributions("لاہور (سپورٹس ڈیسک/اے ایف پی) پاکستان نے میچ جیت لیا۔")
    assert [a.outlet for a in mixed] == ["اے ایف پی"]
    assert outlets_match(mixed[0].outlet, "AFP")


def test_credit_of_the_documents_own_outlet_does_not_fire() -> None:
    urdu = "اسلام آباد (اے پی پی) وزیراعظم نے کہا ہے۔"
    assert find_attributions(urdu, own_outlet="APP") == []
    assert find_attributions("LONDON (Reuters) - Prices rose.", own_outlet="Reuters") == []
    assert find_attributions("Dawn News reported the fire.", own_outlet="dawn news") == []
    # ...while another outlet's credit in the same text still does.
    text = "LONDON (Reuters) - Prices rose, the BBC reported."
    assert [a.outlet for a in find_attributions(text, own_outlet="Reuters")] == ["the BBC"]


def test_known_outlets_make_a_bare_name_an_outlet() -> None:
    text = "The minister told Acme that talks had failed."
    assert find_attributions(text) == []
    assert [a.outlet for a in find_attributions(text, known_outlets=["Acme"])] == ["Acme"]


def test_attribution_is_a_plain_value() -> None:
    a = Attribution(outlet="NYT", cue="told NYT", start=3, end=11)
    assert a == Attribution("NYT", "told NYT", 3, 11)
    with pytest.raises(AttributeError):
        a.outlet = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("NYT", "The New York Times", True),
        ("New York Times", "the new york times", True),
        ("nytimes", "The New York Times", True),
        ("Time of India", "The Times of India", True),
        ("TOI", "Times of India", True),
        ("AP", "Associated Press", True),
        ("APP", "Associated Press of Pakistan", True),
        ("APP", "اے پی پی", True),
        ("Reuters", "رائٹرز", True),
        ("AP", "APP", False),
        ("The New York Times", "The Times of India", False),
        ("Daily Waqt", "Deutsche Welle", False),
        ("Reuters", None, False),
    ],
)
def test_outlets_match_loosely(a: str, b: str | None, same: bool) -> None:
    assert outlets_match(a, b) is same
    assert outlets_match(b, a) is same


# --------------------------------------------------------------------------- single signals


def test_date_signal_weights_by_the_weaker_date() -> None:
    meta1 = Document(id="a", text="", published_at="2025-05-09", date_strength="metadata")
    meta2 = Document(id="b", text="", published_at="2025-05-12T08:00:00", date_strength="metadata")
    page2 = replace(meta2, date_strength="page")
    rel2 = replace(meta2, date_strength="page", date_is_relative=True, date_text="3 days ago")
    none2 = replace(meta2, published_at=None, date_strength="none")
    assert date_signal(meta1, meta2, CFG).value == CFG.strong_date_weight
    assert date_signal(meta1, meta2, CFG).strong
    assert date_signal(meta2, meta1, CFG).value == -CFG.strong_date_weight
    assert date_signal(meta1, page2, CFG).value == CFG.weak_date_weight
    assert not date_signal(meta1, page2, CFG).strong
    assert date_signal(meta1, rel2, CFG).value == CFG.relative_date_weight
    assert "3 days ago" in date_signal(meta1, rel2, CFG).text
    assert date_signal(meta1, none2, CFG).value == 0.0
    same_day = replace(meta1, id="c")
    assert date_signal(meta1, same_day, CFG).value == 0.0


def test_containment_signal_points_at_the_contained_side() -> None:
    s = containment_signal("p", "c", 0.9, 0.3, CFG)
    assert s.value == pytest.approx(CFG.containment_weight * 0.6)
    assert s.text == "c's text is 90% covered by p, p's only 30% by c"
    assert containment_signal("p", "c", 0.3, 0.9, CFG).value < 0
    assert containment_signal("p", "c", 0.5, 0.45, CFG).text == ""  # too close to say


def test_detail_signal_counts_numbers_and_names_only_the_parent_has() -> None:
    parent = ["Felix Tao, 36, said rents near Alibaba fell 12% in Liangzhu."]
    child = ["Felix Tao said rents fell in Liangzhu."]
    s = detail_signal("p", "c", parent, child, CFG)
    assert s.value > 0
    assert s.text == 'p has details c lacks: "12", "36", "Alibaba"'
    assert detail_signal("c", "p", child, parent, CFG).value == pytest.approx(-s.value)
    # A name moved to the start of a sentence is no new detail.
    moved = detail_signal("p", "c", ["It was Liangzhu, said Tao."], ["Liangzhu, said Tao."], CFG)
    assert moved.value == 0.0
    # Excluded words (credited outlets) are ignored.
    credited = detail_signal("p", "c", ["rents fell."], ["rents fell, told NYT."], CFG,
                             exclude=["NYT"])
    assert credited.value == 0.0


def test_detail_signal_reads_digits_of_any_script() -> None:
    s = detail_signal("p", "c", ["اسکور ۱۲۸ رنز"], ["اسکور 128 رنز"], CFG)
    assert s.value == 0.0  # Urdu ۱۲۸ and ASCII 128 are one number
    assert detail_signal("p", "c", ["اسکور ۱۲۸ رنز"], ["اسکور رنز"], CFG).value > 0


def test_hedge_signal() -> None:
    s = hedge_signal("p", "c", "Officials closed the road.", "Officials reportedly closed it.", CFG)
    assert s.value == CFG.hedge_weight
    assert s.text == 'c hedges with "reportedly" where p does not'
    assert hedge_signal("p", "c", "It reportedly failed.", "It failed.", CFG).value < 0
    assert hedge_signal("p", "c", "It failed.", "It failed.", CFG).value == 0.0
    urdu = hedge_signal("p", "c", "پولیس نے کہا۔", "ذرائع کے مطابق پولیس نے کہا۔", CFG)
    assert urdu.value > 0


def test_lineage_prefers_the_parent_with_exclusive_passages() -> None:
    cover = {"A": [(0, 40)], "B": [(0, 40), (60, 100)]}
    cov = {"A": 0.3, "B": 0.6}
    vb, rb, eb = lineage_link(cover, cov, "B", CFG)
    va, ra, ea = lineage_link(cover, cov, "A", CFG)
    assert (rb, ra) == (1.0, 0.5)
    assert eb == pytest.approx(0.5) and ea == 0.0
    assert vb > va


# --------------------------------------------------------------------------- arborescence


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 5), st.data())
def test_arborescence_matches_brute_force(n: int, data: st.DataObject) -> None:
    nodes = [str(i) for i in range(n)]
    weights = {
        (u, v): data.draw(st.integers(-20, 20))
        for u in nodes
        for v in nodes
        if u != v
    }
    tree = maximum_arborescence(nodes, weights, "0")
    assert sorted(tree) == nodes[1:]
    assert all(reaches_root(c, tree, "0") for c in tree)
    assert sum(weights[(p, c)] for c, p in tree.items()) == brute_force(nodes, weights, "0")[0]


def test_arborescence_breaks_a_cycle_and_rejects_unreachable_nodes() -> None:
    w = {("r", "a"): 1, ("a", "b"): 10, ("b", "a"): 10, ("r", "b"): 2}
    assert maximum_arborescence(["r", "a", "b"], w, "r") == {"b": "r", "a": "b"}
    with pytest.raises(InputError):
        maximum_arborescence(["r", "a", "z"], {("r", "a"): 1}, "r")


# --------------------------------------------------------------------------- clusters


def test_copy_that_credits_its_source() -> None:
    src = Document(
        id="z-src",
        text="Heavy rain closed 42 roads in Lahore on Monday. The mayor said crews worked "
        "overnight. Schools will reopen on Wednesday.",
        outlet="Daily Planet",
    )
    cpy = Document(
        id="b-copy",
        text="Heavy rain closed 42 roads in Lahore on Monday, Daily Planet reported. The mayor "
        "said crews worked overnight.",
        outlet="Morning Echo",
    )
    p = pair(
        src, cpy,
        [("Heavy rain closed 42 roads in Lahore on Monday",
          "Heavy rain closed 42 roads in Lahore on Monday"),
         ("The mayor said crews worked overnight.", "The mayor said crews worked overnight.")],
        kind="verbatim",
    )
    c = assign_provenance(["b-copy", "z-src"], docs_of(src, cpy), [p], CFG)
    assert c.origin == "z-src" and c.external_origin is None
    assert [m.document for m in c.members] == ["z-src", "b-copy"]
    origin, copy = c.members
    assert (origin.role, origin.derived_from, origin.derivation) == ("origin", None, None)
    assert (copy.role, copy.derived_from, copy.relation) == ("derivative", "z-src", "verbatim")
    assert copy.derivation == "whole"  # ~80% of the copy comes from its source
    assert copy.coverage == pytest.approx(p.coverage_a, abs=1e-4)
    assert 'b-copy credits "Daily Planet" 1 time ("Daily Planet reported")' in c.evidence
    assert any('z-src is "Daily Planet"' in e for e in copy.evidence)
    assert c.confidence >= 0.8
    assert c.matches == tuple(sorted(p.matches, key=lambda m: (m.a.start, m.b.start)))
    assert c.id == "c-" + hashlib.sha1(b"b-copy\nz-src").hexdigest()[:10]


def test_derivation_is_whole_or_partial_by_the_configured_coverage() -> None:
    src = Document(id="a", text="One fact here. Two facts here. Three facts here.", outlet="AP")
    der = Document(id="b", text="One fact here. Plus a lot of other material, written anew.")
    p = pair(src, der, [("One fact here.", "One fact here.")], kind="verbatim")
    c = assign_provenance(["a", "b"], docs_of(src, der), [p], CFG)
    assert member(c, "b").derivation == "partial"
    loose = replace(CFG, whole_substance=0.2)
    assert member(assign_provenance(["a", "b"], docs_of(src, der), [p], loose), "b").derivation \
        == "whole"


def test_two_rewrites_of_an_origin_missing_from_the_corpus() -> None:
    b = Document(
        id="b",
        text="Oil prices rose 3% on Tuesday after the pipeline outage, according to Reuters.",
        outlet="Morning Echo",
    )
    c = Document(
        id="c",
        text="LONDON (Reuters) - Oil prices climbed 3% on Tuesday after a pipeline outage.",
        outlet="Evening Gazette",
    )
    p = pair(b, c, [("Oil prices rose 3% on Tuesday after the pipeline outage",
                     "Oil prices climbed 3% on Tuesday after a pipeline outage.")])
    cl = assign_provenance(["c", "b"], docs_of(b, c), [p], CFG)
    assert cl.origin is None
    assert cl.external_origin == "Reuters"
    assert [(m.document, m.role, m.derived_from) for m in cl.members] == [
        ("b", "derivative", None), ("c", "derivative", None)
    ]
    assert cl.evidence[0] == 'no member is the origin: b, c credit "Reuters", which is not in the corpus'
    assert 0.5 < cl.confidence <= 1.0


def test_external_credit_of_only_some_members_keeps_an_uncredited_origin() -> None:
    shared = "Oil prices rose 3% on Tuesday after an outage"
    b = Document(id="b", text=shared + ", the BBC reported.", outlet="Morning Echo")

    def cluster_with(outlet: str | None) -> Cluster:
        a = Document(id="a", text=shared + ". Brent reached $91 a barrel by noon.", outlet=outlet)
        return assign_provenance(
            ["a", "b"], docs_of(a, b), [pair(a, b, [(shared, shared)], kind="verbatim")], CFG
        )

    known, unknown = cluster_with("Acme Wire"), cluster_with(None)
    assert known.origin == unknown.origin == "a"
    assert known.external_origin is None
    # a is known to be another outlet than the credited one: the story may have begun there.
    assert any(
        e.startswith('b credits "BBC", which is not in the corpus') and "may have begun there" in e
        for e in known.evidence
    )
    assert any("a is taken as that source" in e for e in unknown.evidence)
    # An outlet known to differ halves the confidence; an unknown one is the one member
    # that can be the credited source, which adds to it.
    assert known.confidence <= unknown.confidence / 2 + 0.002
    assert any("is the one member that can be" in e for m in unknown.members for e in m.evidence)


def test_credits_far_from_the_shared_text_are_ignored() -> None:
    shared = "Oil prices rose 3% on Tuesday after an outage at the northern pipeline."
    blob = " ".join(["Unrelated related-article text about markets and weather."] * 6)
    a = Document(id="a", text=shared + " Brent reached $91 a barrel by noon.", outlet="Acme Wire")
    b = Document(id="b", text=f"{shared}\n{blob} Two executives told Reuters they agreed.")
    assert find_attributions(b.text)  # the credit is there ...
    c = assign_provenance(
        ["a", "b"], docs_of(a, b), [pair(a, b, [(shared, shared)], kind="verbatim")], CFG
    )
    assert c.external_origin is None  # ... but says nothing about the shared text
    assert not any("Reuters" in e for e in c.evidence)


def conflicting_dates_docs(
    origin_date: dict[str, object], copy_date: dict[str, object]
) -> tuple[dict[str, Document], PairDecision]:
    a = Document(
        id="a",
        text="Officials said 42 roads were closed and 3,000 homes lost power in Multan on "
        "Monday. Repairs will take a week, engineer Sara Khan said.",
        **origin_date,  # type: ignore[arg-type]
    )
    b = Document(
        id="b",
        text="Roads were reportedly closed and homes lost power. Repairs will take a week.",
        **copy_date,  # type: ignore[arg-type]
    )
    p = pair(a, b, [
        ("Officials said 42 roads were closed and 3,000 homes lost power in Multan on Monday.",
         "Roads were reportedly closed and homes lost power."),
        ("Repairs will take a week, engineer Sara Khan said.", "Repairs will take a week."),
    ])
    return docs_of(a, b), p


RELATIVE_3_DAYS = {"published_at": "2025-05-12", "date_strength": "page",
                   "date_is_relative": True, "date_text": "3 days ago"}
RELATIVE_WEEK = {"published_at": "2025-05-08", "date_strength": "page",
                 "date_is_relative": True, "date_text": "a week ago"}


def test_weak_relative_date_does_not_overrule_content() -> None:
    docs, p = conflicting_dates_docs(RELATIVE_3_DAYS, RELATIVE_WEEK)
    # The relative dates alone say b came first ...
    assert date_signal(docs["b"], docs["a"], CFG).value > 0
    c = assign_provenance(["a", "b"], docs, [p], CFG)
    # ... but b hedges, drops the numbers and names, and is contained in a.
    assert c.origin == "a"
    assert member(c, "b").derived_from == "a"
    ev = member(c, "b").evidence
    assert 'b hedges with "reportedly" where a does not' in ev
    assert any(e.startswith('a has details b lacks: "3,000", "42"') for e in ev)
    assert any("a week ago" in e and e.endswith("(outweighed)") for e in ev)


def test_strong_date_agreeing_with_content_raises_confidence() -> None:
    docs, p = conflicting_dates_docs(RELATIVE_3_DAYS, RELATIVE_WEEK)
    conflicting = assign_provenance(["a", "b"], docs, [p], CFG)
    docs2, p2 = conflicting_dates_docs(
        {"published_at": "2025-05-09", "date_strength": "metadata"},
        {"published_at": "2025-05-12", "date_strength": "metadata"},
    )
    agreeing = assign_provenance(["a", "b"], docs2, [p2], CFG)
    assert agreeing.origin == conflicting.origin == "a"
    assert agreeing.confidence > conflicting.confidence
    assert "a is dated 2025-05-09 (metadata), before b (2025-05-12 (metadata))" in agreeing.evidence


def test_only_weak_signals_give_low_confidence() -> None:
    text = "The same eleven words appear in both of these two short texts."
    a = Document(id="a", text=text, published_at="2025-05-09", date_strength="page")
    b = Document(id="b", text=text, published_at="2025-05-10", date_strength="page")
    p = pair(a, b, [(text, text)], kind="verbatim")
    c = assign_provenance(["a", "b"], docs_of(a, b), [p], CFG)
    assert c.origin == "a"
    assert c.confidence <= CFG.weak_confidence_cap
    swapped = assign_provenance(
        ["a", "b"],
        docs_of(replace(a, published_at="2025-05-11"), b),
        [p],
        CFG,
    )
    assert swapped.origin == "b"  # the page date is what decides here


def chain_docs() -> tuple[dict[str, Document], list[PairDecision]]:
    """A (Daily Planet) -> B (rewrites A, adds a passage) -> C (rewrites B, incl. the addition).

    C credits A's outlet, as rewrites of rewrites do; only B explains all of C.
    """
    a = Document(
        id="a",
        text="Flood waters rose across Sindh on Friday. Officials evacuated 20,000 people from "
        "low areas. The army sent boats to the district.",
        outlet="Daily Planet",
    )
    b = Document(
        id="b",
        text="According to Daily Planet, flood waters rose in Sindh on Friday. About 20,000 "
        "people were moved from low areas. Traders put early losses at 5 billion rupees.",
        outlet="Morning Echo",
    )
    c = Document(
        id="c",
        text="Flood waters rose in Sindh on Friday, Daily Planet reported. Around 20,000 people "
        "were moved from low-lying areas. Traders estimate early losses at 5 billion rupees.",
        outlet="River Blog",
    )
    ab = pair(a, b, [
        ("Flood waters rose across Sindh on Friday.", "flood waters rose in Sindh on Friday."),
        ("Officials evacuated 20,000 people from low areas.",
         "About 20,000 people were moved from low areas."),
    ])
    bc = pair(b, c, [
        ("flood waters rose in Sindh on Friday.",
         "Flood waters rose in Sindh on Friday, Daily Planet reported."),
        ("About 20,000 people were moved from low areas.",
         "Around 20,000 people were moved from low-lying areas."),
        ("Traders put early losses at 5 billion rupees.",
         "Traders estimate early losses at 5 billion rupees."),
    ])
    ac = pair(a, c, [
        ("Flood waters rose across Sindh on Friday.",
         "Flood waters rose in Sindh on Friday, Daily Planet reported."),
    ])
    return docs_of(a, b, c), [ab, bc, ac]


def test_chain_a_b_c_where_c_matches_passages_only_b_has() -> None:
    docs, pairs = chain_docs()
    cl = assign_provenance(["c", "a", "b"], docs, pairs, CFG)
    assert cl.origin == "a"
    assert [(m.document, m.derived_from) for m in cl.members] == [
        ("a", None), ("b", "a"), ("c", "b")
    ]
    assert any("matches b and no other member" in e for e in member(cl, "c").evidence)
    # Without B's passage in C, A and B explain C alike, and C's credit of A decides.
    c_only_a = replace(docs["c"], text=docs["c"].text.replace(
        "Traders estimate early losses at 5 billion rupees.", "Nothing else was said here at all."))
    docs2 = dict(docs, c=c_only_a)
    pairs2 = [
        pairs[0],
        pair(docs["b"], c_only_a, [("flood waters rose in Sindh on Friday.",
                                    "Flood waters rose in Sindh on Friday, Daily Planet reported.")]),
        pair(docs["a"], c_only_a, [("Flood waters rose across Sindh on Friday.",
                                    "Flood waters rose in Sindh on Friday, Daily Planet reported.")]),
    ]
    assert member(assign_provenance(["a", "b", "c"], docs2, pairs2, CFG), "c").derived_from == "a"


def test_result_is_independent_of_input_order() -> None:
    docs, pairs = chain_docs()
    expected = assign_provenance(["a", "b", "c"], docs, pairs, CFG)
    rng = random.Random(7)
    for _ in range(6):
        members = ["a", "b", "c"]
        rng.shuffle(members)
        shuffled = list(pairs)
        rng.shuffle(shuffled)
        assert assign_provenance(members, dict(reversed(list(docs.items()))), shuffled,
                                 CFG) == expected


def test_tie_goes_to_the_smaller_id_whatever_the_order() -> None:
    text = "Exactly the same sentence is carried by all three of these pages."
    docs = {i: Document(id=i, text=text) for i in ("k", "m", "q")}
    pairs = [pair(docs[x], docs[y], [(text, text)], kind="verbatim")
             for x, y in (("k", "m"), ("k", "q"), ("m", "q"))]
    results = {
        assign_provenance(list(perm), docs, list(reversed(pairs)) if i % 2 else pairs, CFG)
        for i, perm in enumerate(itertools.permutations(["k", "m", "q"]))
    }
    assert len(results) == 1
    (c,) = results
    assert c.origin == "k"
    assert [(m.document, m.derived_from) for m in c.members] == [
        ("k", None), ("m", "k"), ("q", "k")
    ]
    assert c.confidence == 0.0


def test_tie_break_order_strong_date_then_coverage_explained() -> None:
    text = "Exactly the same sentence is carried by both of these pages."
    no_date_weight = replace(CFG, strong_date_weight=0.0)
    a = Document(id="a", text=text, published_at="2025-05-10", date_strength="metadata")
    b = Document(id="b", text=text, published_at="2025-05-09", date_strength="metadata")
    p = pair(a, b, [(text, text)], kind="verbatim")
    assert assign_provenance(["a", "b"], docs_of(a, b), [p], no_date_weight).origin == "b"
    # Equal dates: the member whose matches cover more of the other wins.
    p2 = replace(p, coverage_a=0.9, coverage_b=0.5)  # a is 90% covered by b
    no_containment = replace(CFG, containment_weight=0.0)
    plain = docs_of(replace(a, published_at=None, date_strength="none"),
                    replace(b, published_at=None, date_strength="none"))
    assert assign_provenance(["a", "b"], plain, [p2], no_containment).origin == "b"


def test_wire_story_with_its_own_urdu_credit_is_the_origin() -> None:
    app = Document(
        id="n-1",
        text="ڈھاکہ ۔ یکم دسمبر (اے پی پی) بنگلہ دیش نے زمبابوے کو 5 وکٹوں سے شکست دے دی۔ "
        "محمود اللہ نے 51 رنز بنائے۔",
        outlet="APP",
        published_at="2014-12-01",
        date_strength="metadata",
    )
    paper = Document(
        id="a-2",
        text="ڈھاکہ (اے پی پی) بنگلہ دیش نے زمبابوے کو شکست دے دی۔",
        outlet="express",
        published_at="2014-12-01",
        date_strength="metadata",
    )
    p = pair(app, paper, [("بنگلہ دیش نے زمبابوے کو 5 وکٹوں سے شکست دے دی۔",
                           "بنگلہ دیش نے زمبابوے کو شکست دے دی۔")])
    c = assign_provenance(["a-2", "n-1"], docs_of(app, paper), [p], CFG)
    assert c.origin == "n-1" and c.external_origin is None
    assert member(c, "a-2").derived_from == "n-1"
    assert 'a-2 credits "APP" 1 time ("(اے پی پی)")' in c.evidence
    assert 'n-1 is from the wire service "APP"' in c.evidence
    assert not any(e.startswith("n-1 credits \"") for e in c.evidence)


def test_member_without_outlet_is_taken_as_the_credited_source() -> None:
    nyt = Document(
        id="001",
        text="'People come here to explore their own possibilities,' said Felix Tao, 36, a "
        "former Alibaba employee.",
        byline="Meaghan Tobin",
    )
    toi = Document(
        id="000",
        text="A former Alibaba employee, Felix Tao told NYT, 'People come here to explore their "
        "own possibilities.'",
        outlet="Time of India",
    )
    p = pair(nyt, toi, [(nyt.text, toi.text)])
    c = assign_provenance(["000", "001"], docs_of(nyt, toi), [p], CFG)
    assert c.origin == "001"
    assert any("001 is taken as that source" in e for e in c.evidence)
    assert '001 carries a byline ("Meaghan Tobin")' in c.evidence
    # With the page's address the identification is confirmed, not presumed.
    with_url = replace(nyt, url="https://www.nytimes.com/2025/05/09/business/china-ai.html")
    c2 = assign_provenance(["000", "001"], docs_of(with_url, toi), [p], CFG)
    assert c2.origin == "001"
    assert not any("taken as that source" in e for e in c2.evidence)
    assert any('address (www.nytimes.com) names "The New York Times"' in e
               for e in member(c2, "000").evidence)


def test_invalid_input_is_refused_with_a_message() -> None:
    a = Document(id="a", text="Some words here.")
    b = Document(id="b", text="Some words here.")
    z = Document(id="z", text="Other words.")
    p = pair(a, b, [("Some words here.", "Some words here.")])
    with pytest.raises(InputError, match="at least two"):
        assign_provenance(["a"], docs_of(a), [], CFG)
    with pytest.raises(InputError, match="not among the documents"):
        assign_provenance(["a", "q"], docs_of(a), [], CFG)
    with pytest.raises(InputError, match=r"\['z'\] are not linked"):
        assign_provenance(["a", "b", "z"], docs_of(a, b, z), [p], CFG)
    not_derived = replace(p, derived=False)
    with pytest.raises(InputError, match="not linked"):
        assign_provenance(["a", "b"], docs_of(a, b), [not_derived], CFG)


def test_provenance_config_is_validated_and_round_trips() -> None:
    with pytest.raises(ConfigError, match="whole_substance"):
        ProvenanceConfig(whole_substance=1.2)
    with pytest.raises(ConfigError, match="attribution_weight"):
        ProvenanceConfig(attribution_weight=-1.0)
    with pytest.raises(ConfigError, match="confidence_scale"):
        ProvenanceConfig(confidence_scale=0.0)
    cfg = Config()
    assert Config.from_dict(cfg.to_dict()).provenance == cfg.provenance
    custom = Config.from_dict({"provenance": {"outlet_aliases": [["Dawn", "ڈان"]]}})
    assert custom.provenance.outlet_aliases == (("Dawn", "ڈان"),)
    assert outlets_match("Dawn", "ڈان", config=custom.provenance)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(
    st.sampled_from("ABCDE"),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 25)).map(lambda t: (t[0], t[0] + t[1])),
             max_size=5),
    min_size=1,
))
def test_lineage_sweep_equals_the_per_parent_reference(cover) -> None:
    # The sweep computes every parent's exclusive share at once; the reference
    # subtracts the other parents' intervals for each parent separately.
    from syndetect.provenance import _length, _merge, _subtract, lineage_links

    cov = {p: 0.1 * (k + 1) for k, p in enumerate(sorted(cover))}
    links = lineage_links(cover, cov, CFG)
    union = _length(_merge(i for iv in cover.values() for i in iv))
    for parent, iv in cover.items():
        others = _merge(i for p, v in cover.items() if p != parent for i in v)
        exclusive = _length(_subtract(_merge(iv), others)) / union if union else 0.0
        assert links[parent][2] == pytest.approx(exclusive)
        assert links[parent][1] == pytest.approx(cov[parent] / max(cov.values()))
