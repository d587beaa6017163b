"""Site templates, wire notices and print versions, on pages laid out the way 2008 sites were.

``tests/data/pages/`` holds table-layout pages of three made-up sites (written by its
``make_pages.py``): one Associated Press story with its copyright notice on all three,
two unrelated local stories of one site and the print version of one of them. The
scraped-text cases below keep the whole page chrome in the text, as a crawler that
saves page text does: menus, tool rows, "Most read" lists, copyright lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syndetect import Config, load_documents, scan
from syndetect.boilerplate import detect_boilerplate
from syndetect.config import BoilerplateConfig
from syndetect.pipeline import prepare
from syndetect.segment import segment

PAGES = Path(__file__).resolve().parent / "data" / "pages"
AP_NOTICE = "Copyright 2008 The Associated Press."


@pytest.fixture(scope="module")
def html_scan():
    docs = load_documents(sorted(PAGES.glob("*.html")))
    return {d.id: d for d in docs}, scan(docs, Config())


def derived_pairs(report) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in report.pairs if p.derived}


def test_one_wire_story_on_three_sites_is_one_cluster_and_its_notice_is_no_evidence(html_scan):
    docs, report = html_scan
    wire = {"courier-wildfire.html", "kxrv-wildfire.html", "tribune-wildfire.html"}
    assert [
        sorted(m.document for m in c.members)
        for c in report.clusters
        if wire & {m.document for m in c.members}
    ] == [sorted(wire)]
    for doc_id in wire:  # the notice is in every copy ...
        assert AP_NOTICE in docs[doc_id].text
    for cluster in report.clusters:  # ... and inside no matched passage
        if not wire & {m.document for m in cluster.members}:
            continue
        for m in cluster.matches:
            for span in (m.a, m.b):
                text = docs[span.document].text
                notice = text.index(AP_NOTICE)
                notice_end = text.index("redistributed.", notice) + len("redistributed.")
                assert span.end <= notice or span.start >= notice_end, span.text
    labelled = {b.text for b in report.boilerplate}
    assert {AP_NOTICE, "All rights reserved."} <= labelled


def test_outlet_is_og_site_name_not_the_company_in_the_copyright_line(html_scan):
    docs, report = html_scan
    kxrv = docs["kxrv-wildfire.html"]
    assert kxrv.metadata["copyright"] == "(c) MMVIII, Pinecrest Broadcasting Corporation"
    assert kxrv.outlet == "KXRV News 9"
    row = next(r for r in report.documents if r.id == "kxrv-wildfire.html")
    assert (row.outlet, row.site) == ("KXRV News 9", "KXRV News 9")
    # <title> is only the site's name on this site: it is no title.
    assert kxrv.title is None


def test_article_and_its_print_version_are_a_same_site_duplicate(html_scan):
    docs, report = html_scan
    pair = next(
        p
        for p in report.pairs
        if {p.a, p.b} == {"tribune-budget.html", "tribune-budget-print.html"}
    )
    assert docs["tribune-budget.html"].site == docs["tribune-budget-print.html"].site
    assert pair.derived
    # Decided as one story of one site (same_site), or collapsed as a near-identical copy.
    assert pair.features.get("same_site") == 1.0 or pair.features.get("collapsed") == 1.0
    assert min(pair.coverage_a, pair.coverage_b) > 0.8  # the whole story, both ways
    assert not any(
        {"tribune-budget.html", "tribune-budget-print.html"} <= {m.document for m in c.members}
        and any(m.relation == "rewrite" for m in c.members)
        for c in report.clusters
    )


def test_unrelated_stories_of_one_site_are_not_linked(html_scan):
    _, report = html_scan
    assert not any("tribune-bridge.html" in pair for pair in derived_pairs(report))


# --- scraped page text, chrome included -----------------------------------------------

HEADER = [
    "Lake City Tribune",
    "Serving Lake City since 1871",
    "Home | News | Sports | Business | Opinion | Obituaries | Classifieds",
    "Local News",
    "State",
    "Nation and World",
    "Weather",
    "Traffic",
]
TOOLS = "E-mail article | Print-friendly | Subscribe to RSS"
FOOTER = [
    "Click here for more Lake City headlines!",
    "Most read",
    "Police identify man found dead near rail yard after two-day search by county deputies",
    "Lakers of Lake City High win regional title in overtime thriller at home",
    "New grocery store opens on west side, bringing 120 jobs to the neighborhood",
    "Copyright (c) 2008 Tribune Media Holdings LLC. All Rights Reserved. | Privacy Policy | "
    "Terms of Use",
    "The Lake City Tribune is published daily by Tribune Media Holdings and has served "
    "readers in Lake County and the surrounding towns for more than a century.",
]
COPYRIGHT, BLURB = FOOTER[-2:]
BUDGET = [
    "School board approves $212 million budget, cuts bus routes",
    "By Karen Holt",
    TOOLS,
    "The Lake City school board voted 5-2 on Monday night to approve a $212 million budget "
    "that eliminates 14 bus routes and leaves 38 teaching positions unfilled.",
    "Superintendent Carla Diaz said the cuts were needed to close a $9 million gap left by "
    "lower state aid and falling property tax receipts.",
    "About 1,100 students who now ride a bus will have to walk or be driven to school "
    "starting in August, according to district figures.",
    "Parents packed the meeting at Jefferson Middle School, and more than 40 people spoke "
    "during the public comment period, most of them against the bus cuts.",
    "Board member Tom Whitaker, who voted no, said the district should have drawn on its "
    "reserve fund instead of asking families to absorb the cost.",
]
BRIDGE = [
    "Fourth Street bridge to close for six months of repairs",
    "By Sam Ortiz",
    TOOLS,
    "The Fourth Street bridge over the Rock River will close to traffic on June 2 for about "
    "six months while crews replace its deck and repair corroded steel beams.",
    "City engineer Paul Brandt said inspectors found cracks in two of the bridge's support "
    "beams during a routine check in March.",
    "About 18,000 vehicles cross the bridge each day, and detours will send drivers to the "
    "Main Street and Harrison Avenue bridges.",
    "The $4.3 million project is paid for mostly with federal highway money, with the city "
    "covering about 20 percent.",
]


def scraped(tmp_path: Path, records: list[dict]) -> tuple[dict, object]:
    path = tmp_path / "crawl.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    docs = load_documents([path])
    return {d.id: d for d in docs}, docs


def page(story: list[str]) -> str:
    return "\n".join([*HEADER, *story, *FOOTER]) + "\n"


def test_two_pages_of_one_site_share_only_chrome_no_pair_no_cluster(tmp_path: Path) -> None:
    by_id, docs = scraped(
        tmp_path,
        [
            {
                "id": "budget",
                "url": "http://www.lakecitytribune.com/news/budget.html",
                "text": page(BUDGET),
            },
            {
                "id": "bridge",
                "url": "http://lakecitytribune.com/news/bridge.html",
                "text": page(BRIDGE),
            },
        ],
    )
    assert by_id["budget"].site == by_id["bridge"].site == "lakecitytribune.com"
    report = scan(docs, Config())
    assert not report.clusters
    assert not derived_pairs(report)
    labelled = {
        s.text for segs in prepare(docs, Config()).segments.values() for s in segs if s.boilerplate
    }
    # The chrome is labelled, menus, lists of headlines and the site's blurb included ...
    for line in ("Most read", TOOLS, "Nation and World", FOOTER[2], BLURB):
        assert line in labelled, line
    # ... and no sentence of either story is.
    assert not labelled & set(BUDGET[3:] + BRIDGE[3:])


def test_site_template_needs_the_site_the_same_chrome_on_two_sites_is_not_one(
    tmp_path: Path,
) -> None:
    _, docs = scraped(
        tmp_path,
        [
            {"id": "budget", "url": "http://www.lakecitytribune.com/a.html", "text": page(BUDGET)},
            {
                "id": "bridge",
                "url": "http://www.rivervalleycourier.com/b.html",
                "text": page(BRIDGE),
            },
        ],
    )
    labelled = {
        s.text for segs in prepare(docs, Config()).segments.values() for s in segs if s.boilerplate
    }
    assert TOOLS in labelled  # a tool row by its shape, on any site
    assert BLURB not in labelled  # a long sentence in two pages of two sites: not template


def test_print_version_of_a_scraped_page_stays_linked_by_its_story(tmp_path: Path) -> None:
    print_page = (
        "\n".join(["Lake City Tribune - Print version", *BUDGET[:2], *BUDGET[3:], COPYRIGHT]) + "\n"
    )
    _, docs = scraped(
        tmp_path,
        [
            {
                "id": "budget",
                "url": "http://www.lakecitytribune.com/news/budget.html",
                "text": page(BUDGET),
            },
            {
                "id": "budget-print",
                "url": "http://www.lakecitytribune.com/print/budget.html",
                "text": print_page,
            },
            {
                "id": "bridge",
                "url": "http://www.lakecitytribune.com/news/bridge.html",
                "text": page(BRIDGE),
            },
        ],
    )
    report = scan(docs, Config())
    assert derived_pairs(report) == {frozenset(("budget", "budget-print"))}
    pair = next(p for p in report.pairs if p.derived)
    assert pair.features.get("same_site") == 1.0 or pair.features.get("collapsed") == 1.0
    story = set(BUDGET[3:])
    matched = {m.a.text for m in pair.matches} | {m.b.text for m in pair.matches}
    assert any(sentence in text for text in matched for sentence in story)


def test_table_layout_chrome_stays_out_of_the_extracted_text() -> None:
    """Menus, link columns, weather and contest boxes of 2008 layouts are not article text."""
    import re
    from collections import Counter

    def words(text: str) -> Counter[str]:
        return Counter(w.lower() for w in re.findall(r"\w+", text))

    for page in sorted(PAGES.glob("*.html")):
        url = page.with_suffix(".url").read_text().strip()
        gold = words(page.with_suffix(".gold.txt").read_text(encoding="utf-8"))
        [doc] = [d for d in load_documents([page]) if d.status == "ok"]
        got = words(doc.text)
        hit = sum((got & gold).values())
        assert hit / sum(gold.values()) >= 0.95, page.name  # the story is all there
        assert hit / sum(got.values()) >= 0.65, page.name  # and little else
        # What reaches matching: notices, tool rows, prompts and stamps are labelled.
        segs, _ = detect_boilerplate({doc.id: segment(doc.id, doc.text)}, BoilerplateConfig())
        matched = words(" ".join(s.text for s in segs[doc.id] if not s.boilerplate))
        assert sum((matched & gold).values()) / sum(matched.values()) >= 0.9, page.name
        for chrome in ("Obituaries", "Classifieds", "Archives", "Contests", "Radar", "Weddings"):
            assert chrome.lower() not in got, (page.name, chrome)
        assert url  # every page has its URL beside it (benchmarks/extraction_eval.py)


STATION_PROMO = (
    "Get breaking news alerts, live radar and video from our newsroom on your phone with "
    "the free MyFox app, available for iPhone and BlackBerry."
)


def station_page(story: list[str], canonical: str) -> str:
    """A Fox station page of 2008: every station of the group ends its stories with one promo."""
    body = "".join(f"<p>{p}</p>" for p in [*story, STATION_PROMO])
    return (
        "<html><head><title>Story</title>"
        '<meta name="copyright" content="(c) MMVIII, Fox Television Stations, Inc.">'
        f'<link rel="canonical" href="{canonical}"></head>'
        f"<body><div id='main'><div class='article-body'>{body}</div></div></body></html>"
    )


def test_stations_of_one_owner_share_its_template_across_their_domains(tmp_path: Path) -> None:
    houston = tmp_path / "houston.html"
    dc = tmp_path / "dc.html"
    houston.write_text(station_page(BUDGET[3:], "http://www.myfoxhouston.com/dpp/news/1"))
    dc.write_text(station_page(BRIDGE[3:], "http://www.myfoxdc.com/dpp/news/2"))
    docs = load_documents([houston, dc])
    assert {d.site for d in docs} == {"myfoxhouston.com", "myfoxdc.com"}
    assert all(STATION_PROMO in d.text for d in docs)
    labelled = {
        s.text for segs in prepare(docs, Config()).segments.values() for s in segs if s.boilerplate
    }
    assert STATION_PROMO in labelled  # two domains, one owner, one template
    assert not labelled & set(BUDGET[3:] + BRIDGE[3:])
