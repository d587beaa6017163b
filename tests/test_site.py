"""Site identity, outlet and title names, and publication times of day from real-looking pages."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from syndetect import load_documents
from syndetect.site import clean_outlet, clean_title, site_of_url

AS_OF = datetime(2008, 12, 1, tzinfo=timezone.utc)

STORY = (
    "<p>WASHINGTON - The Pentagon will send about 3,500 more troops to Iraq next month, "
    "defense officials said Tuesday, the first increase since the spring.</p>"
    "<p>The soldiers, from the 3rd Infantry Division at Fort Stewart, Georgia, will replace "
    "units that are due to come home before the end of the year, officials said.</p>"
    "<p>Critics in Congress said the move showed that the drawdown promised in April had "
    "stalled, and asked the defense secretary to appear before the committee next week.</p>"
)


def old_page(head: str, *, footer: str, story: str = STORY) -> str:
    """A 2008 table-layout page: masthead row, left menu, story cell, footer row."""
    return (
        f"<html><head>{head}</head><body><table width='100%'>"
        "<tr><td colspan='2'><a href='/'>Home</a> | <a href='/news'>News</a> | "
        "<a href='/sports'>Sports</a> | <a href='/weather'>Weather</a></td></tr>"
        "<tr><td width='150'><a href='/local'>Local</a><br><a href='/nation'>Nation</a><br>"
        "<a href='/world'>World</a></td>"
        f"<td><h1>Pentagon sends 3,500 more troops to Iraq</h1>{story}</td></tr>"
        f"<tr><td colspan='2'>{footer}</td></tr></table></body></html>"
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_site_is_the_registered_domain_public_suffix_aware() -> None:
    assert site_of_url("http://www.news.bbc.co.uk/2/hi/7390.stm") == "bbc.co.uk"
    assert site_of_url("http://edition.cnn.com/2008/WORLD/") == "cnn.com"
    # Each blog on a shared host is its own site.
    assert site_of_url("http://a.blogspot.com/x") != site_of_url("http://b.blogspot.com/x")
    assert site_of_url("not a url at all") is None


def test_outlet_comes_from_og_site_name_not_the_copyright_line(tmp_path: Path) -> None:
    head = (
        "<title>MyFox Houston</title>"
        '<meta property="og:site_name" content="MyFox Houston">'
        '<meta name="copyright" content="(c) MMVIII, Fox Television Stations, Inc.">'
        '<link rel="canonical" href="http://www.myfoxhouston.com/dpp/news/troops_1">'
    )
    footer = "(c) MMVIII, Fox Television Stations, Inc. All rights reserved."
    [doc] = load_documents([write(tmp_path / "a.html", old_page(head, footer=footer))], as_of=AS_OF)
    assert doc.outlet == "MyFox Houston"
    assert doc.site == "myfoxhouston.com"
    # <title> holds only the site's name on every page: the headline is the title.
    assert doc.title == "Pentagon sends 3,500 more troops to Iraq"


def test_copyright_meta_is_never_the_outlet_the_site_is(tmp_path: Path) -> None:
    head = (
        "<title>Blogger News Network</title>"
        '<meta name="copyright" content="Copyright (c) 2004 sportsdirectinc.com. '
        'All Rights Reserved.">'
    )
    page = old_page(head, footer="Copyright (c) 2004 sportsdirectinc.com. All Rights Reserved.")
    path = tmp_path / "b.html"
    write(path, page)
    records = [{"id": "b", "text": "x", "url": "http://www.bloggernews.net/11234"}]
    [doc] = load_documents([path], as_of=AS_OF)
    assert doc.outlet is None or "copyright" not in doc.outlet.lower()
    assert doc.outlet != "Copyright (c) 2004 sportsdirectinc.com. All Rights Reserved."
    assert doc.metadata["copyright"].startswith("Copyright")
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    [rec] = load_documents([jsonl], as_of=AS_OF)
    assert rec.site == "bloggernews.net"


def test_site_name_title_gives_way_to_the_headline_and_affixes_are_cut() -> None:
    names = ["Blogger News Network", "bloggernews.net"]
    assert clean_title("Blogger News Network", site_names=names) is None
    assert (
        clean_title("Blogger News Network | Troops to Iraq", site_names=names) == "Troops to Iraq"
    )
    assert clean_title("Troops to Iraq - CBS News", site_names=["CBS News"]) == "Troops to Iraq"
    assert clean_title("Troops to Iraq", site_names=names) == "Troops to Iraq"
    assert clean_outlet("Copyright 2008 The Associated Press. All rights reserved.") is None
    assert clean_outlet("The Associated Press") == "The Associated Press"


def test_published_time_keeps_its_time_of_day_and_zone(tmp_path: Path) -> None:
    early = '<meta property="article:published_time" content="2008-05-09T06:10:00-04:00">'
    late = '<meta property="article:published_time" content="2008-05-09T18:45:00-04:00">'
    footer = "Copyright 2008 Example. All rights reserved."
    write(tmp_path / "early.html", old_page(early, footer=footer))
    write(tmp_path / "late.html", old_page(late, footer=footer))
    docs = {d.id: d for d in load_documents([tmp_path], as_of=AS_OF)}
    assert docs["early.html"].published_at == "2008-05-09T06:10:00-04:00"
    assert docs["late.html"].published_at == "2008-05-09T18:45:00-04:00"
    assert datetime.fromisoformat(docs["early.html"].published_at) < datetime.fromisoformat(
        docs["late.html"].published_at
    )


def test_warc_page_without_a_stamp_keeps_the_capture_time_and_the_target_site(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crawl.warc.gz"
    page = old_page("<title>Troops</title>", footer="Copyright 2008 Example.").encode()
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "http://www.wral.com/news/local/story/3051/",
            "response",
            payload=io.BytesIO(page),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2008-05-09T21:14:05Z"},
        )
        writer.write_record(record)
    [doc] = load_documents([path])
    assert doc.site == "wral.com"
    assert doc.published_at == "2008-05-09T21:14:05+00:00"


def test_a_title_every_page_of_a_site_shares_is_no_title(tmp_path: Path) -> None:
    from syndetect import Config
    from syndetect.pipeline import prepare

    other = (
        "<p>The county fair opens Friday with twelve new rides, a livestock show and a "
        "demolition derby on Saturday night, organizers said on Monday.</p>"
        "<p>Tickets cost $8 for adults and $4 for children, and parking is free at the "
        "fairgrounds on Route 9 for the whole week of the fair.</p>"
    ) * 2
    head = "<title>Blogger News Network</title>"
    records = [
        ("troops", old_page(head, footer="BNN", story=STORY)),
        ("fair", old_page(head, footer="BNN", story=other)),
    ]
    for name, html in records:
        write(
            tmp_path / f"{name}.html",
            html.replace("<h1>Pentagon sends 3,500 more troops to Iraq</h1>", ""),
        )
    docs = load_documents(sorted(tmp_path.glob("*.html")), as_of=AS_OF)
    # No og:site_name and no URL: the loader cannot know the title is the site's ...
    assert [d.title for d in docs] == ["Blogger News Network"] * 2
    docs = [replace(d, site="bloggernews.net") for d in docs]
    # ... two different stories under it, on one site, show it is.
    prepared = prepare(docs, Config())
    assert [d.title for d in prepared.documents.values()] == [None, None]
    same_story = [replace(docs[1], id="troops-print", text=docs[1].text)]
    prepared = prepare([docs[1], *same_story], Config())
    assert [d.title for d in prepared.documents.values()] == ["Blogger News Network"] * 2
