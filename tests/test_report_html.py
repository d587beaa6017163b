"""The HTML report without a browser: self-contained, escaped, spans that index the texts.

The browser-driven checks (highlights, clicks, filters) are in test_report_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from syndetect import Document, scan
from syndetect.cli import EXIT_OK, app
from syndetect.report_html import render_html, report_data

from .conftest import SAMPLE_TEXTS, make_sample_report

HOSTILE = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


def blob(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="syndetect-data">(.*?)</script>',
                      page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def wire_story(outlet: str, lead: str) -> str:
    return (
        f"{lead}\n\n"
        "The national weather service said the storm would reach the northern coast by "
        "Thursday evening, bringing winds of up to 120 kilometres an hour and heavy rain.\n\n"
        "Officials ordered the evacuation of three coastal towns and opened 40 shelters "
        "in schools and sports halls across the province.\n\n"
        "Fishermen were told to stay in port until the weekend, the coast guard said.\n\n"
        f"Copyright {outlet}. All rights reserved."
    )


def test_page_is_self_contained_and_blob_round_trips() -> None:
    report = make_sample_report()
    page = render_html(report, SAMPLE_TEXTS)
    # No resource is fetched: no external script, stylesheet, image or font, and a CSP
    # that forbids any network source.
    assert not re.search(r"<(link|img|iframe)\b|\bsrc\s*=", page.split('id="syndetect-data"')[0])
    assert "default-src 'none'" in page
    data = blob(page)
    assert data == json.loads(json.dumps(report_data(report, SAMPLE_TEXTS)))
    assert [d["id"] for d in data["docs"]] == sorted(d.id for d in report.documents)


def test_every_blob_span_is_the_matched_text() -> None:
    report = make_sample_report()
    data = report_data(report, SAMPLE_TEXTS)
    ids = [d["id"] for d in data["docs"]]
    (cluster,) = report.clusters
    expected = sorted(cluster.matches, key=lambda m: (m.a.document, m.a.start, m.a.end,
                                                      m.b.document, m.b.start, m.b.end))
    rows = data["clusters"][0]["matches"]
    assert len(rows) == len(expected) > 0
    for row, m in zip(rows, expected):
        a, b = data["texts"][str(row[0])], data["texts"][str(row[3])]
        assert (ids[row[0]], a[row[1]:row[2]]) == (m.a.document, m.a.text)
        assert (ids[row[3]], b[row[4]:row[5]]) == (m.b.document, m.b.text)


def test_offsets_are_utf16_for_characters_outside_the_bmp() -> None:
    """JavaScript indexes UTF-16 code units; an emoji before a passage shifts it by one."""
    shared = ("The mayor said the new bridge would open in March after three years of work "
              "and a budget that doubled since the first plans were drawn.")
    docs = [
        Document(id="a", text="🚧 City news 🌉\n\n" + shared + "\n\nMore to follow.",
                 outlet="Daily A", published_at="2025-03-01"),
        Document(id="b", text="Local desk\n\n" + shared + "\n\nReporting by B.",
                 outlet="Daily B", published_at="2025-03-02"),
    ]
    report = scan(docs)
    assert report.clusters, "a verbatim copy must form a cluster"
    data = report_data(report, {d.id: d.text for d in docs})
    ids = [d["id"] for d in data["docs"]]
    texts16 = {k: v.encode("utf-16-le") for k, v in data["texts"].items()}
    spans = {m.a.document: m.a.text for c in report.clusters for m in c.matches}
    spans |= {m.b.document: m.b.text for c in report.clusters for m in c.matches}
    for row in data["clusters"][0]["matches"]:
        for ref, s, e in ((row[0], row[1], row[2]), (row[3], row[4], row[5])):
            unit = texts16[str(ref)][2 * s:2 * e].decode("utf-16-le")
            assert unit == spans[ids[ref]]


def test_hostile_document_strings_never_become_markup() -> None:
    docs = [
        Document(id=f"x{i}.html", title=HOSTILE, outlet=f"{HOSTILE} {i}",
                 text=wire_story(f"Agency {i}", HOSTILE), published_at=f"2025-01-0{i + 1}")
        for i in range(2)
    ]
    report = scan(docs)
    page = render_html(report, {d.id: d.text for d in docs})
    assert "<script>window" not in page and "<img" not in page
    assert page.count("</script>") == 2  # the data blob's and the code's own end tags
    data = blob(page)
    assert data["docs"][0]["title"] == HOSTILE
    assert HOSTILE in data["texts"]["0"]


def test_cli_writes_html_for_an_html_output(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["scan", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://", page.replace('http-equiv="', ""))
    data = blob(page)
    assert len(data["docs"]) == len(list(seeds_dir.glob("*.txt")))
    members = {m["d"] for c in data["clusters"] for m in c["members"]}
    assert {str(m) for m in members} <= set(data["texts"])
