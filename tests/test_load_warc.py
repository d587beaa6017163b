"""WARC archives written with warcio in the test: pages, other records, damage."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from syndetect.load import load_documents

PARAGRAPH = (
    "Heavy rain fell across the city on Friday, flooding streets in several districts "
    "and forcing officials to close schools and offices until the water receded."
)


def html(title: str, *, date_meta: str | None = None, dateline: str = "") -> bytes:
    meta = f'<meta property="article:published_time" content="{date_meta}">' if date_meta else ""
    body = (f"<p>{dateline}</p>" if dateline else "") + f"<p>{PARAGRAPH}</p>" * 3
    return (
        f"<html><head><title>{title}</title>{meta}</head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def write_warc(path: Path, records: list[tuple], *, gzip: bool) -> Path:
    """records: (kind, uri, payload, content_type, status, warc_date)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for kind, uri, payload, content_type, status, warc_date in records:
            http = None
            if kind in ("response", "request"):
                line = "GET / HTTP/1.1" if kind == "request" else status
                http = StatusAndHeaders(
                    line,
                    [("Content-Type", content_type)],
                    protocol="HTTP/1.1",
                    is_http_request=kind == "request",
                )
            headers = {"WARC-Date": warc_date} if warc_date else None
            record = writer.create_warc_record(
                uri,
                kind,
                payload=io.BytesIO(payload),
                http_headers=http,
                warc_headers_dict=headers or {},
            )
            writer.write_record(record)
    return path


CRAWL = [
    ("request", "https://news.example/a", b"", "text/html", "", "2025-05-10T09:00:00Z"),
    (
        "response",
        "https://news.example/a",
        html("City floods", date_meta="2025-05-09"),
        "text/html; charset=utf-8",
        "200 OK",
        "2025-05-10T09:00:00Z",
    ),
    (
        "response",
        "https://news.example/logo.png",
        b"\x89PNG\r\n\x1a\n",
        "image/png",
        "200 OK",
        "2025-05-10T09:00:01Z",
    ),
    (
        "response",
        "https://news.example/b",
        html("Schools close", dateline="Updated: 2 hours ago"),
        "text/html",
        "200 OK",
        "2025-05-10T09:00:02Z",
    ),
    (
        "response",
        "https://news.example/gone",
        b"<html><body>Not found</body></html>",
        "text/html",
        "404 Not Found",
        "2025-05-10T09:00:03Z",
    ),
    (
        "response",
        "https://news.example/c",
        html("Rain stops"),
        "text/html",
        "200 OK",
        "2025-05-10T09:00:04Z",
    ),
]


@pytest.mark.parametrize(("name", "gzip"), [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_responses_become_documents(tmp_path: Path, name: str, gzip: bool) -> None:
    path = write_warc(tmp_path / name, CRAWL, gzip=gzip)

    docs = load_documents([path])

    assert [(d.id, d.status, d.reason) for d in docs] == [
        (f"{name}#2", "ok", None),
        (f"{name}#4", "ok", None),
        (f"{name}#5", "skipped", "http_status"),
        (f"{name}#6", "ok", None),
    ]
    a, b, gone, c = docs
    assert a.url == "https://news.example/a" and PARAGRAPH in a.text
    assert (a.published_at, a.date_strength, a.metadata["date_source"]) == (
        "2025-05-09",
        "metadata",
        "html-meta",
    )
    # a relative dateline resolves against the capture time, not the file's mtime
    assert (b.published_at, b.date_is_relative) == ("2025-05-10T07:00:00+00:00", True)
    assert "404" in gone.message and "https://news.example/gone" in gone.message
    # no date on the page: the capture date is a weak fallback
    assert (c.published_at, c.date_strength, c.metadata["date_source"]) == (
        "2025-05-10T09:00:04+00:00",
        "page",
        "warc-date",
    )
    assert all(d.source == str(path) for d in docs)


def test_explicit_as_of_overrides_the_capture_time(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", CRAWL, gzip=True)

    docs = load_documents([path], as_of=datetime(2025, 6, 1, tzinfo=timezone.utc))

    assert docs[1].published_at == "2025-05-31T22:00:00+00:00"


@pytest.mark.parametrize(("name", "gzip"), [("cut.warc.gz", True), ("cut.warc", False)])
def test_truncated_archive_keeps_earlier_records_and_reports_once(
    tmp_path: Path, name: str, gzip: bool
) -> None:
    full = write_warc(tmp_path / "full", CRAWL, gzip=gzip).read_bytes()
    path = tmp_path / name
    path.write_bytes(full[: len(full) - 200])  # cut inside the last record

    docs = load_documents([path])

    ok = [d.id for d in docs if d.status == "ok"]
    errors = [d for d in docs if d.status == "error"]
    assert ok == [f"{name}#2", f"{name}#4"]
    assert len(errors) == 1
    assert (errors[0].id, errors[0].reason) == (f"{name}#6", "truncated")
    assert "earlier records were kept" in errors[0].message


def test_archive_cut_inside_the_first_record(tmp_path: Path) -> None:
    full = write_warc(tmp_path / "full", CRAWL[1:2], gzip=True).read_bytes()
    path = tmp_path / "stub.warc.gz"
    path.write_bytes(full[:60])

    [doc] = load_documents([path])

    assert (doc.id, doc.status, doc.reason) == ("stub.warc.gz#1", "error", "truncated")


def test_not_a_warc_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("GARBAGE that is not an archive\nmore lines\n")

    [doc] = load_documents([path])

    assert (doc.status, doc.reason) == ("error", "corrupt")
    assert "fake.warc" in doc.message


def test_archive_without_html_pages(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "images.warc.gz", [CRAWL[0], CRAWL[2]], gzip=True)

    [doc] = load_documents([path])

    assert (doc.id, doc.status, doc.reason) == ("images.warc.gz", "skipped", "no_article")
    assert "2 records" in doc.message


def test_html_response_without_an_article(tmp_path: Path) -> None:
    stub = (
        "response",
        "https://news.example/menu",
        b"<html><body><nav>Menu</nav></body></html>",
        "text/html",
        "200 OK",
        "2025-05-10T09:00:00Z",
    )
    path = write_warc(tmp_path / "stub.warc.gz", [stub, CRAWL[1]], gzip=True)

    docs = load_documents([path])

    assert [(d.id, d.status, d.reason) for d in docs] == [
        ("stub.warc.gz#1", "skipped", "no_article"),
        ("stub.warc.gz#2", "ok", None),
    ]
    assert "record 1" in docs[0].message
