"""JSON Lines: one document per record; bad lines cost only themselves."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from syndetect.load import load_documents

AS_OF = datetime(2025, 8, 1, 12, tzinfo=timezone.utc)
TEXT = "The council met on Tuesday to discuss the new budget for the coming year."


def write_lines(path: Path, lines: list[str | dict], *, final_newline: bool = True) -> Path:
    body = "\n".join(json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in lines)
    path.write_text(body + ("\n" if final_newline else ""), encoding="utf-8")
    return path


def test_good_records_with_fields_and_unknown_metadata(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "feed.jsonl",
        [
            {
                "id": "dawn-1",
                "text": TEXT,
                "url": "https://dawn.com/1",
                "outlet": "Dawn",
                "title": "Budget talks",
                "author": "Ayesha Khan",
                "published_at": "2025-05-09T10:00:00Z",
                "desk": "metro",
                "tags": ["budget", "city"],
            },
            {"text": TEXT + " Second.", "published_at": "3 days ago"},
        ],
    )

    first, second = load_documents([path], as_of=AS_OF)

    assert (first.id, first.status, first.source) == ("dawn-1", "ok", str(path))
    assert (first.url, first.outlet, first.title, first.byline) == (
        "https://dawn.com/1",
        "Dawn",
        "Budget talks",
        "Ayesha Khan",
    )
    assert (first.published_at, first.date_strength, first.date_is_relative) == (
        "2025-05-09T10:00:00+00:00",
        "metadata",
        False,
    )
    assert first.metadata["desk"] == "metro" and first.metadata["tags"] == ["budget", "city"]
    assert first.metadata["line"] == 1 and first.metadata["format"] == "jsonl"
    assert "text" not in first.metadata and "outlet" not in first.metadata

    assert second.id == "feed.jsonl#2"
    assert (second.published_at, second.date_is_relative, second.date_text) == (
        "2025-07-29",
        True,
        "3 days ago",
    )


def test_ids_use_line_numbers_counting_blank_lines(tmp_path: Path) -> None:
    write_lines(tmp_path / "sub.ndjson", [{"text": TEXT}, "", "   ", {"text": TEXT, "id": 7}])

    docs = load_documents([tmp_path])

    assert [d.id for d in docs] == ["sub.ndjson#1", "7"]


def test_bad_lines_become_documents_and_the_rest_still_load(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "mixed.jsonl",
        [
            {"id": "a", "text": TEXT},
            "{not json at all",
            '["a", "list"]',
            {"id": "no-text", "title": "Missing text"},
            {"id": "num-text", "text": 42},
            {"id": "blank", "text": "   "},
            {"id": "z", "text": TEXT},
        ],
    )

    docs = load_documents([path], as_of=AS_OF)
    summary = [(d.id, d.status, d.reason) for d in docs]

    assert summary == [
        ("a", "ok", None),
        ("mixed.jsonl#2", "error", "invalid_record"),
        ("mixed.jsonl#3", "error", "invalid_record"),
        ("no-text", "error", "invalid_record"),
        ("num-text", "error", "invalid_record"),
        ("blank", "skipped", "empty"),
        ("z", "ok", None),
    ]
    assert "line 2" in docs[1].message and "invalid JSON" in docs[1].message
    assert "expected a JSON object, got list" in docs[2].message
    assert "no 'text' field" in docs[3].message
    assert all(d.text == "" for d in docs if d.status != "ok")


def test_truncated_final_line(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "cut.jsonl",
        [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT}, '{"id": "c", "text": "The coun'],
        final_newline=False,
    )

    docs = load_documents([path], as_of=AS_OF)

    assert [(d.id, d.status, d.reason) for d in docs] == [
        ("a", "ok", None),
        ("b", "ok", None),
        ("cut.jsonl#3", "error", "truncated"),
    ]
    assert "cut.jsonl line 3" in docs[2].message


def test_valid_final_line_without_newline_is_fine(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "ok.jsonl", [{"text": TEXT}], final_newline=False)

    [doc] = load_documents([path])

    assert (doc.status, doc.reason) == ("ok", None)


def test_published_at_forms(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "dates.jsonl",
        [
            {"id": "epoch", "text": TEXT, "published_at": 1746784800},
            {"id": "epoch-ms", "text": TEXT, "published_at": 1746784800000},
            {"id": "words", "text": TEXT, "published_at": "9 May 2025"},
            {"id": "junk", "text": TEXT, "published_at": "whenever"},
        ],
    )

    docs = {d.id: d for d in load_documents([path], as_of=AS_OF)}

    assert (
        docs["epoch"].published_at == docs["epoch-ms"].published_at == "2025-05-09T10:00:00+00:00"
    )
    assert docs["words"].published_at == "2025-05-09"
    junk = docs["junk"]
    assert (junk.status, junk.published_at, junk.date_strength) == ("ok", None, "none")
    assert junk.metadata["published_at_raw"] == "whenever"


def test_wrong_typed_fields_are_kept_in_metadata_not_used(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "types.jsonl", [{"text": TEXT, "title": ["a", "b"], "url": 5}])

    [doc] = load_documents([path])

    assert (doc.title, doc.url) == (None, None)
    assert doc.metadata["title"] == ["a", "b"] and doc.metadata["url"] == 5


def test_invalid_utf8_line_uses_the_fallback_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    good = json.dumps({"id": "u", "text": TEXT}).encode()
    legacy = '{"id": "c", "text": "Caf\u00e9 owners welcome the plan"}'.encode("cp1252")
    path.write_bytes(good + b"\n" + legacy + b"\n")

    first, second = load_documents([path])

    assert (first.reason, second.reason) == (None, "decode_fallback")
    assert second.status == "ok" and second.text == "Caf\u00e9 owners welcome the plan"
    assert second.metadata["decode"] == "cp1252"
    assert "legacy.jsonl line 2" in second.message


def test_empty_blank_and_binary_jsonl_files(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "blank.jsonl").write_text("\n\n  \n")
    (tmp_path / "bin.jsonl").write_bytes(b"\x00\x01\x02\x03" * 10)

    docs = {d.id: d for d in load_documents([tmp_path])}

    assert (docs["empty.jsonl"].status, docs["empty.jsonl"].reason) == ("skipped", "empty")
    assert (docs["blank.jsonl"].status, docs["blank.jsonl"].reason) == ("skipped", "empty")
    assert (docs["bin.jsonl"].status, docs["bin.jsonl"].reason) == ("skipped", "binary")
