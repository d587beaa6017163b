"""HTML files through trafilatura: article text, page metadata, broken pages."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from syndetect.load import load_documents

AS_OF = datetime(2025, 8, 1, 12, tzinfo=timezone.utc)
PARAGRAPHS = [
    "It was a sunny Saturday afternoon, and dozens of people sat in the grass around a "
    "backyard stage where aspiring founders of tech start-ups talked about their ideas.",
    "It looked like Silicon Valley, but it was Liangzhu, a quiet suburb of the southern "
    "Chinese city of Hangzhou, a hot spot for entrepreneurs lured by low rents.",
    "Virtually all of those possibilities involve artificial intelligence, as China faces "
    "off with the United States over tech primacy and talent.",
]


def page(head: str, body_top: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a> | <a href='/tech'>Tech</a></nav>"
        f"<article>{body_top}{paragraphs}</article>"
        "<footer>Copyright 2025 Example Media. All rights reserved.</footer></body></html>"
    )


META = (
    "<title>Ignored | Example</title>"
    '<meta property="og:title" content="Coder village at the heart of the AI boom">'
    '<meta name="author" content="Meaghan Tobin">'
    '<meta property="og:site_name" content="The Daily Example">'
    '<meta property="article:published_time" content="2025-05-09T08:30:00Z">'
    '<meta name="description" content="A suburb of Hangzhou is full of coders.">'
    '<link rel="canonical" href="https://example.com/news/coder-village">'
)


def load_one(path: Path, content: str | bytes):
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    [doc] = load_documents([path], as_of=AS_OF)
    return doc


def test_html_page_with_meta_tags(tmp_path: Path) -> None:
    doc = load_one(tmp_path / "story.html", page(META))

    assert (doc.id, doc.status) == ("story.html", "ok")
    assert doc.title == "Coder village at the heart of the AI boom"
    assert doc.byline == "Meaghan Tobin"
    assert doc.outlet == "The Daily Example"
    assert doc.url == "https://example.com/news/coder-village"
    assert (doc.published_at, doc.date_strength, doc.date_is_relative) == (
        "2025-05-09T08:30:00+00:00",  # the time of day is kept: copies hours apart differ
        "metadata",
        False,
    )
    assert doc.site == "example.com"
    assert doc.metadata["date_source"] == "html-meta"
    assert doc.metadata["description"] == "A suburb of Hangzhou is full of coders."
    assert doc.metadata["format"] == "html"


def test_html_text_is_the_article_without_navigation_or_footer(tmp_path: Path) -> None:
    doc = load_one(tmp_path / "story.htm", page(META))

    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    assert "Copyright" not in doc.text
    assert "World | Tech" not in doc.text


def test_html_without_date_markup_uses_a_dateline_in_the_text(tmp_path: Path) -> None:
    head = "<title>Rain floods the city streets</title>"
    doc = load_one(tmp_path / "rain.html", page(head, "<p>Updated: 2 hours ago</p>"))

    assert doc.status == "ok"
    assert (doc.published_at, doc.date_strength, doc.date_is_relative) == (
        "2025-08-01T10:00:00+00:00",
        "page",
        True,
    )
    assert doc.metadata["date_source"] == "page-header"


def test_html_without_any_date(tmp_path: Path) -> None:
    doc = load_one(tmp_path / "plain.html", page("<title>No date here at all</title>"))

    assert doc.status == "ok"
    assert (doc.published_at, doc.date_strength) == (None, "none")


@pytest.mark.parametrize(
    "content",
    [
        "<html",
        "<<<>>>",
        "<html><head><title>x</title></head><body></body></html>",
        "<html><body><div><span>Menu</span></div></body></html>",
        "<p>just a short fragment</p>",
    ],
)
def test_broken_or_empty_html_is_skipped_as_no_article(tmp_path: Path, content: str) -> None:
    doc = load_one(tmp_path / "broken.html", content)

    assert (doc.status, doc.reason, doc.text) == ("skipped", "no_article", "")
    assert "broken.html" in doc.message


def test_binary_and_empty_html_files(tmp_path: Path) -> None:
    assert load_one(tmp_path / "bin.html", b"\x00\x01\x02<html>").reason == "binary"
    assert load_one(tmp_path / "empty.html", b"").reason == "empty"


def test_html_saved_as_txt_is_extracted_as_html(tmp_path: Path) -> None:
    doc = load_one(tmp_path / "saved.txt", page(META))

    assert doc.metadata["format"] == "html"
    assert doc.outlet == "The Daily Example"
    assert "<p>" not in doc.text


def test_html_in_legacy_encoding(tmp_path: Path) -> None:
    html = page('<meta charset="windows-1252"><title>Caf\u00e9 culture booms downtown</title>')
    html = html.replace("It was", "Caf\u00e9 owners said it was", 1)
    doc = load_one(tmp_path / "legacy.html", html.encode("cp1252"))

    assert doc.status == "ok"
    assert "Caf\u00e9 owners" in doc.text
