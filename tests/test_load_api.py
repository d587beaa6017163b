"""The public surface of syndetect.load, and properties that hold for any input bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import syndetect.load as load
from syndetect.load import REASONS, load_documents
from syndetect.load.decode import decode_text, looks_binary


def test_exported_names_are_pinned() -> None:
    assert sorted(load.__all__) == [
        "REASONS",
        "SUPPORTED_TYPES",
        "iter_documents",
        "load_documents",
        "load_file",
    ]
    for name in load.__all__:
        assert getattr(load, name) is not None


def test_reason_codes_are_pinned_and_documented() -> None:
    assert sorted(REASONS) == [
        "binary",
        "corrupt",
        "decode_fallback",
        "decompression_limit",
        "duplicate_id",
        "empty",
        "failed",
        "http_status",
        "invalid_record",
        "missing",
        "no_article",
        "symlink",
        "too_large",
        "truncated",
        "unreadable",
        "unsupported_type",
    ]
    for code, (status, meaning) in REASONS.items():
        assert status in ("ok", "skipped", "error") and meaning
        assert f"\n{code} " in load.__doc__, f"reason {code!r} missing from the package docstring"


FRAGMENTS = [
    b"<html>",
    b"<p>",
    b"</p>",
    b'{"text": ',
    b'"x"}',
    b'{"id": 1}',
    b"\n",
    b"WARC/1.0\r\n",
    b"WARC-Type: response\r\n",
    b"Content-Length: 5\r\n",
    b"\r\n",
    b"Mint2 days ago",
    b"\x1f\x8b\x08\x00",
    b"\xff\xfe",
    b"Caf\xe9",
    b"Heavy rain fell on the city today. ",
]
INPUTS = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600).map(lambda t: t.encode("utf-8")),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=INPUTS,
    suffix=st.sampled_from([".txt", ".html", ".jsonl", ".warc", ".warc.gz", ""]),
)
def test_any_bytes_give_documents_never_exceptions(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        docs = load_documents([path])
    assert docs
    for doc in docs:
        assert doc.status in ("ok", "skipped", "error")
        if doc.status == "ok":
            assert doc.text.strip()
        else:
            assert doc.text == "" and doc.reason in REASONS and REASONS[doc.reason][0] == doc.status
            assert doc.message and "\n" not in doc.message and str(path) in doc.message


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r")))
def test_utf8_text_round_trips_through_decoding(text: str) -> None:
    decoded = decode_text(text.encode("utf-8"))
    assert decoded.encoding == "utf-8"
    assert decoded.text == text.removeprefix("\ufeff")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, blacklist_categories=("Cs",))))
def test_printable_text_is_never_binary(text: str) -> None:
    assert not looks_binary(text.encode("utf-8"))
