"""Write the hostile-input corpus of issue 12 (nothing large is committed; run to rebuild).

    python tests/data/hostile/make_hostile.py OUT_DIR [--full]

Each file attacks one part of the loaders, the scan or the terminal: decompression
bombs, unbounded records, WARC records whose Content-Length lies, control
characters in names and metadata, markup that defeats the HTML parser, links out
of the tree, ids that collide. :func:`write_corpus` returns what a correct scan must
report for each file, so tests and ``benchmarks/hostile_scan.py`` share one truth.
``--full`` writes the full-size bombs of the issue (200 MB and 1 GB of zeros);
the default sizes keep the test suite fast and still exceed every limit.
"""

from __future__ import annotations

import io
import json
import os
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the harbour ferry service, adding two "
    "routes that will link the northern suburbs with the business district by next spring.",
    "Officials said the project would cost about 40 million dollars and be paid for by a "
    "regional transport levy approved by voters in a referendum held last November.",
    "Residents of the northern suburbs have long complained that the only bridge into the "
    "city is jammed every morning, turning a ten-minute drive into an hour-long crawl.",
    "The ferry operator, which runs six boats on the existing southern route, said it "
    "would order three new vessels from a shipyard on the coast before the end of the year.",
]

CONTROL_OUTLET = "Evil\x1b[2J\x1b]0;pwned\x07 Gazette"
CONTROL_TITLE = "Ferry\x1b[31m vote\r\nsyndetect: forged.txt: ok"
NEWLINE_NAME = "forged\nsyndetect: fake.txt: ok\x1b[2J.txt"


def article(n: int, title: str = "Council expands harbour ferry service") -> str:
    """A distinct article: the shared paragraphs with a numbered lede."""
    lede = (f"Story {n}: commuters in district {n} reacted on Wednesday to the plan, "
            f"which planners first floated {n + 2} years ago in a transport review.")
    return "\n\n".join([title, lede, *PARAGRAPHS])


def html_page(n: int, title: str = "Council expands harbour ferry service") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in article(n, title).split("\n\n")[1:])
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()


def warc_record(uri: str, payload: bytes, *, headers: list[tuple[str, str]] | None = None,
                raw_payload: bool = False) -> bytes:
    """One uncompressed WARC response record (ending in CRLF CRLF) as warcio writes it."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    http = StatusAndHeaders("200 OK", headers or [("Content-Type", "text/html; charset=utf-8")],
                            protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                       http_headers=http,
                                       warc_headers_dict={"WARC-Date": "2025-05-10T09:00:00Z"})
    writer.write_record(record)
    return out.getvalue()


def set_length(record: bytes, delta: int) -> bytes:
    """``record`` with its WARC Content-Length changed by ``delta`` (the lie)."""
    head, sep, rest = record.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    for i, line in enumerate(lines):
        if line.lower().startswith(b"content-length:"):
            lines[i] = b"Content-Length: %d" % (int(line.split(b":")[1]) + delta)
    return b"\r\n".join(lines) + sep + rest


def gzip_member(data: bytes) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    return comp.compress(data) + comp.flush()


def zeros_member_stream(n_bytes: int, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """One gzip member holding prefix + n_bytes zeros + suffix, built without the zeros in memory."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [comp.compress(prefix)]
    block = b"\x00" * (1 << 20)
    left = n_bytes
    while left > 0:
        step = min(left, len(block))
        parts.append(comp.compress(block[:step]))
        left -= step
    parts += [comp.compress(suffix), comp.flush()]
    return b"".join(parts)


def zeros_record_member(uri: str, n_bytes: int) -> bytes:
    """A gzipped WARC record whose declared HTML payload is ``n_bytes`` zeros."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    length = len(http) + n_bytes
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2025-05-10T09:00:00Z\r\nWARC-Record-ID: <urn:uuid:bomb>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    return zeros_member_stream(n_bytes, head + http, b"\r\n\r\n")


@dataclass
class Expect:
    """What a correct scan reports for one hostile file."""

    ok: int = 0  # ok documents it must yield
    reasons: dict[str, int] = field(default_factory=dict)  # non-ok rows by reason (at least)
    note: str = ""


def write_corpus(root: Path, *, full: bool = False, outside: Path | None = None
                 ) -> dict[str, Expect]:
    """Write every hostile file under ``root``; returns ``{relative path: Expect}``.

    ``outside`` (default: a sibling of ``root``) holds the file a link points to.
    """
    root.mkdir(parents=True, exist_ok=True)
    bomb = (200 if full else 40) * 1024 * 1024
    expect: dict[str, Expect] = {}

    def good(n: int) -> bytes:
        return warc_record(f"https://news.example/{n}", html_page(n))

    # 1. A decompression bomb record between two good ones (a 200 MB zero page).
    (root / "bomb.warc.gz").write_bytes(
        gzip_member(good(1)) + zeros_record_member("https://bomb.example/", bomb)
        + gzip_member(good(2)))
    expect["bomb.warc.gz"] = Expect(ok=2, reasons={"too_large": 1})
    # 1b. One gzip member of zeros far past the file's expansion budget (not even a record).
    if full:
        (root / "zeros.warc.gz").write_bytes(zeros_member_stream(1 << 30 | 1 << 26))
        expect["zeros.warc.gz"] = Expect(reasons={"decompression_limit": 1})
    # 1c. An HTTP payload with Content-Encoding: gzip that expands past the document limit.
    encoded = zeros_member_stream(20 * 1024 * 1024, b"<html><body><p>", b"</p></body></html>")
    (root / "encoded-bomb.warc").write_bytes(
        good(3) + warc_record("https://bomb.example/enc", encoded, headers=[
            ("Content-Type", "text/html"), ("Content-Encoding", "gzip")]) + good(4))
    expect["encoded-bomb.warc"] = Expect(ok=2, reasons={"decompression_limit": 1})
    # 1d. A JSON Lines file with one line of 20 MB between two good records.
    with (root / "long-line.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "jl-1", "text": article(5)}) + "\n")
        fh.write('{"id": "jl-huge", "text": "' + "a" * (20 * 1024 * 1024) + '"}\n')
        fh.write(json.dumps({"id": "jl-3", "text": article(6)}) + "\n")
    expect["long-line.jsonl"] = Expect(ok=2, reasons={"too_large": 1})
    # 1e. A text file over the limit.
    with (root / "huge.txt").open("w") as fh:
        fh.write("Huge\n\n" + ("word " * 200 + "\n") * 17000)
    expect["huge.txt"] = Expect(reasons={"too_large": 1})

    # 2. WARC Content-Length lies: 50 records, one too long, one too short.
    records = [good(100 + i) for i in range(50)]
    long_at, short_at = 6, 30
    records[long_at] = set_length(records[long_at], 5000)
    records[short_at] = set_length(records[short_at], -300)
    (root / "lengths.warc").write_bytes(b"".join(records))
    (root / "lengths.warc.gz").write_bytes(b"".join(gzip_member(r) for r in records))
    for name in ("lengths.warc", "lengths.warc.gz"):
        expect[name] = Expect(ok=48, reasons={"corrupt": 2})

    # 5. Control characters in a file name, an outlet and a title.
    (root / NEWLINE_NAME).write_text(f"{CONTROL_OUTLET}\nMay 9, 2025\n{article(7)}\n")
    expect[NEWLINE_NAME] = Expect(ok=1)
    with (root / "controls.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "ctl\x1b[2J-1", "outlet": CONTROL_OUTLET, "title":
                             CONTROL_TITLE, "text": article(8)}) + "\n")
    expect["controls.jsonl"] = Expect(ok=1)

    # 7. Markup that defeats the parser: nesting past libxml2's depth, one huge attribute.
    deep = "<div>" * 300
    (root / "deep.html").write_text(
        f"<html><body>{deep}<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
        f"<p>{PARAGRAPHS[2]}</p>{'</div>' * 300}</body></html>")
    expect["deep.html"] = Expect(ok=1)
    (root / "attribute.html").write_text(
        f'<html><body><div data-x="{"x" * (11 * 1024 * 1024)}"></div><article><p>'
        f"{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p></article>"
        "</body></html>")
    expect["attribute.html"] = Expect(ok=1)

    # 7. A link out of the scanned tree, and a JSONL id that is also a file's id.
    outside = outside or root.parent / f"{root.name}-outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text("Secret\n\n" + article(9))
    link = root / "escape.txt"
    if not link.is_symlink():
        os.symlink(outside / "secret.txt", link)
    expect["escape.txt"] = Expect(reasons={"symlink": 1})
    (root / "real.txt").write_text("Real story\n\n" + article(10))
    expect["real.txt"] = Expect(ok=1)
    with (root / "collide.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "real.txt", "text": article(11)}) + "\n")
    expect["collide.jsonl"] = Expect(reasons={"duplicate_id": 1})

    # Plain junk that must become rows, not crashes.
    (root / "junk.warc.gz").write_bytes(b"\x1f\x8b" + os.urandom(4096))
    expect["junk.warc.gz"] = Expect(reasons={"corrupt": 1})
    (root / "cut.warc.gz").write_bytes(gzip_member(good(12)) + gzip_member(good(13))[:-100])
    expect["cut.warc.gz"] = Expect(ok=1, reasons={"truncated": 1})
    return expect


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    written = write_corpus(Path(sys.argv[1]), full="--full" in sys.argv[2:])
    for name, exp in sorted(written.items()):
        print(f"{name!r}: ok={exp.ok} {exp.reasons}")
