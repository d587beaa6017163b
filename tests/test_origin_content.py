"""Origin from content when dates are absent or equal: completeness, containment
asymmetry and attribution, on pages that look like real news."""

from __future__ import annotations

from dataclasses import replace

from syndetect import scan
from syndetect.config import ClusterConfig, Config
from syndetect.types import Document

PARAS = [
    "NEW YORK (AP) — Stocks fell sharply on Wall Street on Thursday after a report showed "
    "inflation running hotter than economists had expected, dashing hopes that the Federal "
    "Reserve would cut interest rates as soon as next month.",
    "The S&P 500 dropped 1.8%, its worst day since March, while the Dow Jones Industrial "
    "Average lost 612 points, or 1.6%. The Nasdaq composite slid 2.3%.",
    "Consumer prices rose 3.4% in April from a year earlier, the Labor Department said, up "
    "from 3.2% in March. Economists surveyed by FactSet had forecast 3.1%.",
    "Treasury yields jumped after the report. The yield on the 10-year Treasury rose to "
    "4.71% from 4.58% late Wednesday, pushing mortgage rates higher.",
    "Technology shares, which have led the market's rally this year, took the worst of the "
    "selling. Nvidia fell 4.2% and Apple lost 2.9%.",
    "Smaller company stocks fell even more than the rest of the market. The Russell 2000 "
    "index of small caps sank 3.1%, as higher rates make borrowing costlier for them.",
    "Crude oil prices edged up 0.4% to $79.12 a barrel, while gold slipped 0.8%.",
    "Copyright 2024 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed without permission.",
]


def site(doc_id: str, paras: list[str], outlet: str, url: str | None = None) -> Document:
    text = f"{outlet} | Markets | Business\n\n" + "\n\n".join(paras)
    return Document(id=doc_id, text=text, outlet=outlet, url=url)


def three_sites(paras: list[str] = PARAS) -> list[Document]:
    # The complete wire story with its copyright line on the agency's own site, and two
    # sites that each kept a different part of it (one cut the end, one dropped the
    # middle and the copyright line). No dates. Ids favour the copies.
    complete = site("zz-wire", paras, "The Associated Press", "https://apnews.com/article/x1")
    cut_end = site("aa-herald", paras[:5], "Salem Herald")
    cut_middle = site("bb-courier", paras[:2] + paras[4:7], "Bend Courier")
    return [cut_end, cut_middle, complete]


def uncredited() -> list[str]:
    """The story as a staff report: no dateline credit, no copyright line."""
    return [PARAS[0].replace("NEW YORK (AP) —", "NEW YORK —"), *PARAS[1:7]]


def test_the_agency_page_is_the_origin_of_sites_crediting_it() -> None:
    report = scan(three_sites())
    (cluster,) = report.clusters
    assert cluster.origin == "zz-wire" and cluster.external_origin is None
    parents = {m.document: m.derived_from for m in cluster.members}
    assert parents == {"zz-wire": None, "aa-herald": "zz-wire", "bb-courier": "zz-wire"}


def test_three_sites_crediting_an_absent_agency_have_an_outside_origin() -> None:
    docs = [d for d in three_sites() if d.id != "zz-wire"]
    docs.append(site("zz-wire", PARAS, "Daily Markets Digest"))
    (cluster,) = scan(docs).clusters
    assert cluster.origin is None and cluster.external_origin == "AP"


def test_without_dates_or_credits_the_complete_text_is_the_origin() -> None:
    # Each copy kept a different part; only the complete text contains what each took.
    for config in (Config(), Config(cluster=ClusterConfig(collapse=False))):
        (cluster,) = scan(three_sites(uncredited()), config).clusters
        assert cluster.origin == "zz-wire"
        parents = {m.document: m.derived_from for m in cluster.members}
        assert parents == {"zz-wire": None, "aa-herald": "zz-wire", "bb-courier": "zz-wire"}


def test_with_equal_dates_the_complete_text_is_the_origin() -> None:
    docs = [replace(d, published_at="2024-05-16T14:00:00+00:00", date_strength="metadata")
            for d in three_sites(uncredited())]
    assert scan(docs).clusters[0].origin == "zz-wire"
