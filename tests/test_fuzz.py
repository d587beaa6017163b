"""Fuzzing the loaders and the scan (issue 12) with hypothesis.

Properties: no exception escapes a loader or ``scan``; every input has at least
one row; a WARC file's intact records are all read whatever damage surrounds
them; every span of a report indexes its document's text. Examples are few and
small so that the suite stays within CI's budget (about a minute in all);
``SYNDETECT_FUZZ_EXAMPLES=500`` hunts longer.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import make_hostile as mh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndetect import Document, scan
from syndetect.load import load_file

EXAMPLES = int(os.environ.get("SYNDETECT_FUZZ_EXAMPLES", "25"))  # more for a longer hunt
FAST = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TAGS = ["<html>", "<body>", "<div>", "</div>", "<p>", "</p>", "<article>", "</article>",
        "<script>", "</script>", "<title>", "</title>", "<br>", "<!--", "-->", "<![CDATA[",
        "<meta charset='utf-8'>", "<a href='x'>", "</a>", "&amp;", "&#0;", "&#x1b;", "\x00",
        "<div data-x='" + "y" * 300 + "'>", "</html>", "<table><tr><td>"]
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)


def _load(name: str, data: bytes) -> list[Document]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        docs = list(load_file(path, doc_id=name, source=name))
    assert docs, f"{name}: no row"
    for doc in docs:
        assert doc.status in ("ok", "skipped", "error")
        assert (doc.status == "ok") == (doc.reason in (None, "decode_fallback"))
        assert doc.status == "ok" or doc.text == ""
        assert doc.message is None or "\n" not in doc.message
    return docs


@FAST
@given(st.lists(st.one_of(st.sampled_from(TAGS), TEXT, st.sampled_from(mh.PARAGRAPHS)),
                max_size=40))
def test_html_loader_never_raises(parts: list[str]) -> None:
    _load("page.html", "".join(parts).encode("utf-8", "surrogatepass"))


@FAST
@given(st.binary(max_size=2000) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_text_loader_never_raises(data: bytes) -> None:
    _load("note.txt", data)


JSON_LINES = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}), TEXT, TEXT),
    st.builds(lambda t, o: json.dumps({"text": t, "outlet": o, "published_at": o}), TEXT,
              st.one_of(TEXT, st.integers(), st.floats(allow_nan=True), st.none())),
    st.sampled_from(["", "   ", "not json", "[1, 2]", '{"text": 5}', '{"text": "x"', "null",
                     '{"id": {"a": 1}, "text": "hello there"}', '{"text": "\\ud800 lone"}']),
)


@FAST
@given(st.lists(JSON_LINES, max_size=12), st.booleans())
def test_jsonl_loader_gives_one_row_per_line(lines: list[str], final_newline: bool) -> None:
    data = "\n".join(lines) + ("\n" if final_newline else "")
    docs = _load("feed.jsonl", data.encode("utf-8", "surrogatepass"))
    non_blank = sum(1 for line in data.split("\n") if line.strip())
    assert len(docs) == max(1, non_blank)


# A WARC file as a list of parts: intact records, records whose length lies, junk.
RECORD = st.tuples(st.sampled_from(["good", "long", "short", "junk"]),
                   st.integers(min_value=1, max_value=3000))


@FAST
@given(st.lists(RECORD, min_size=1, max_size=8), st.booleans(), st.booleans())
def test_warc_intact_records_survive_any_damage_around_them(
    plan: list[tuple[str, int]], gzipped: bool, cut: bool
) -> None:
    parts, intact = [], []
    for n, (kind, size) in enumerate(plan):
        record = mh.warc_record(f"https://news.example/{n}", mh.html_page(n))
        if kind == "long":
            record = mh.set_length(record, size)
        elif kind == "short":
            record = mh.set_length(record, -min(size, 900))
        elif kind == "junk":
            record = bytes((b * 7 + size) % 251 for b in range(size % 400 + 1)).replace(b"W", b"w")
            record = record.replace(b"\n", b" ")
        else:
            intact.append(f"https://news.example/{n}")
        parts.append(record)
    if cut and intact and plan[-1][0] == "good":
        intact.pop()
        parts[-1] = parts[-1][: len(parts[-1]) // 2]
    data = b"".join(mh.gzip_member(p) if gzipped else p for p in parts)
    docs = _load("crawl.warc.gz" if gzipped else "crawl.warc", data)
    ok = [d.url for d in docs if d.status == "ok"]
    assert sorted(ok) == sorted(intact)


def test_a_length_too_long_into_the_next_header_behind_junk_costs_one_record() -> None:
    """A length too long by exactly the junk and the next record's header lands on
    that header's blank line: the record looks whole, but the next record starts
    inside it. Only the liar is lost (found by the fuzz test above)."""
    second = mh.warc_record("https://news.example/2", mh.html_page(2))
    junk = b"\x01\x08"
    head = second.partition(b"\r\n\r\n")[0] + b"\r\n\r\n"
    first = mh.set_length(mh.warc_record("https://news.example/0", mh.html_page(0)),
                          len(junk) + len(head))
    docs = _load("crawl.warc", first + junk + second)
    assert [d.url for d in docs if d.status == "ok"] == ["https://news.example/2"]
    assert any("Content-Length" in (d.message or "") for d in docs if d.status != "ok")


def test_a_page_that_quotes_a_warc_header_is_kept() -> None:
    """A payload may show a WARC header (an article about web archives): with the
    next record right after its declared end, the record is whole."""
    quoted = mh.html_page(0).replace(b"</body>", b"<pre>WARC/1.0\r\nWARC-Type: response\r\n"
                                     b"</pre></body>")
    assert quoted != mh.html_page(0)
    data = (mh.warc_record("https://news.example/0", quoted)
            + mh.warc_record("https://news.example/1", mh.html_page(1)))
    ok = [d.url for d in _load("crawl.warc", data) if d.status == "ok"]
    assert ok == ["https://news.example/0", "https://news.example/1"]


SENTENCES = [p for p in mh.PARAGRAPHS] + [
    "A spokesman for the operator declined to comment on the cost of the new boats.",
    "Critics said the levy would fall hardest on families who never use the ferry.",
    "The first new route is due to open in March, weather permitting, the council said.",
]
IDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
              max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(IDS, st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6),
                          TEXT), min_size=1, max_size=5, unique_by=lambda t: t[0]))
def test_scan_accounts_for_every_input_and_spans_index_text(
    corpus: list[tuple[str, list[str], str]],
) -> None:
    docs = [Document(id=i, text=" ".join(s) + " " + extra, outlet=extra or None)
            for i, s, extra in corpus]
    report = scan(docs)
    assert sorted(d.id for d in report.documents) == sorted(d.id for d in docs)
    text = {d.id: d.text for d in docs}
    for cluster in report.clusters:
        for match in cluster.matches:
            for span in (match.a, match.b):
                assert text[span.document][span.start : span.end] == span.text
    for pair in report.pairs:
        for match in pair.matches:
            for span in (match.a, match.b):
                assert text[span.document][span.start : span.end] == span.text
