"""Walking, dispatch and per-file problems of syndetect.load: every input is accounted for."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from syndetect.errors import InputError
from syndetect.load import REASONS, iter_documents, load_documents, load_file
from syndetect.load import files as files_module

AS_OF = datetime(2025, 8, 1, 12, tzinfo=timezone.utc)
PROSE = "The council met on Tuesday to discuss the new budget for the coming year. " * 4


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def by_id(docs):
    return {d.id: d for d in docs}


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second\n" + PROSE)
    write(tmp_path / "a" / "z.txt", "Nested\n" + PROSE)
    write(tmp_path / "a" / "b" / "c.txt", "Deeper\n" + PROSE)
    write(tmp_path / "A.txt", "Upper\n" + PROSE)
    write(tmp_path / ".hidden.txt", "Hidden\n" + PROSE)
    write(tmp_path / ".git" / "x.txt", "Hidden dir\n" + PROSE)
    write(tmp_path / "a" / ".cache" / "y.txt", "Hidden nested dir\n" + PROSE)

    ids = [d.id for d in load_documents([tmp_path], as_of=AS_OF)]

    assert ids == ["A.txt", "a/b/c.txt", "a/z.txt", "b.txt"]


def test_order_is_deterministic_across_runs_and_follows_argument_order(tmp_path: Path) -> None:
    for name in ["m.txt", "c.txt", "x/k.txt", "x-y.txt", "a.txt"]:
        write(tmp_path / "one" / name, name + "\n" + PROSE)
    write(tmp_path / "single.txt", "Single\n" + PROSE)

    first = [d.id for d in load_documents([tmp_path / "single.txt", tmp_path / "one"], as_of=AS_OF)]
    second = [
        d.id for d in load_documents([tmp_path / "single.txt", tmp_path / "one"], as_of=AS_OF)
    ]

    assert first == second
    assert first[0] == "single.txt"
    assert first[1:] == sorted(first[1:])


def test_ids_and_sources(tmp_path: Path) -> None:
    path = write(tmp_path / "corpus" / "sub" / "story.txt", "Story\n" + PROSE)

    from_dir = load_documents([tmp_path / "corpus"], as_of=AS_OF)
    from_file = load_documents([str(path)], as_of=AS_OF)

    assert from_dir[0].id == "sub/story.txt"
    assert from_dir[0].source == os.path.join(str(tmp_path / "corpus"), "sub", "story.txt")
    assert from_file[0].id == "story.txt"
    assert from_file[0].source == str(path)


def test_missing_path_gives_an_error_document_with_the_path_as_given(tmp_path: Path) -> None:
    given = str(tmp_path / "nope" / "gone.txt")
    write(tmp_path / "ok.txt", "Fine\n" + PROSE)

    docs = load_documents([given, tmp_path / "ok.txt"], as_of=AS_OF)

    assert [d.id for d in docs] == [given, "ok.txt"]
    missing = docs[0]
    assert (missing.status, missing.reason, missing.text) == ("error", "missing", "")
    assert given in missing.message and "\n" not in missing.message
    assert docs[1].status == "ok"


def test_broken_symlink_is_missing(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "target-that-does-not-exist.txt")

    [doc] = load_documents([link])

    assert (doc.status, doc.reason) == ("error", "missing")
    assert "broken symbolic link" in doc.message


def test_empty_file_and_whitespace_file_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.txt", "  \n\n\t \n")

    docs = by_id(load_documents([tmp_path]))

    for name in ("empty.txt", "blank.txt"):
        assert (docs[name].status, docs[name].reason, docs[name].text) == ("skipped", "empty", "")
        assert name in docs[name].message


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(tmp_path / "noext", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00")

    docs = by_id(load_documents([tmp_path]))

    assert {(d.status, d.reason) for d in docs.values()} == {("skipped", "binary")}
    assert "image.txt" in docs["image.txt"].message


def test_extensionless_text_file_is_loaded_as_text(tmp_path: Path) -> None:
    write(tmp_path / "ARTICLE", "Mint2 days ago\n" + PROSE)

    [doc] = load_documents([tmp_path], as_of=AS_OF)

    assert (doc.id, doc.status, doc.outlet, doc.published_at) == (
        "ARTICLE",
        "ok",
        "Mint",
        "2025-07-30",
    )


def test_invalid_utf8_is_decoded_with_a_stated_fallback(tmp_path: Path) -> None:
    text = "Caf\u00e9 owners \u201cwelcome\u201d the plan\n" + PROSE
    write(tmp_path / "legacy.txt", text.encode("cp1252"))

    [doc] = load_documents([tmp_path / "legacy.txt"], as_of=AS_OF)

    assert doc.status == "ok"
    assert doc.reason == "decode_fallback"
    assert doc.metadata["decode"] == "cp1252"
    assert "legacy.txt" in doc.message and "cp1252" in doc.message
    assert doc.text.startswith("Caf\u00e9 owners \u201cwelcome\u201d")


def test_bytes_cp1252_cannot_decode_fall_back_to_latin1(tmp_path: Path) -> None:
    write(tmp_path / "odd.txt", b"Caf\xe9 \x81 news\n" + PROSE.encode())

    [doc] = load_documents([tmp_path / "odd.txt"], as_of=AS_OF)

    assert (doc.status, doc.reason, doc.metadata["decode"]) == ("ok", "decode_fallback", "latin-1")
    assert doc.text.startswith("Caf\u00e9 \x81 news")


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    write(tmp_path / "wide.txt", ("Wide story\n" + PROSE).encode("utf-16"))

    [doc] = load_documents([tmp_path / "wide.txt"], as_of=AS_OF)

    assert (doc.status, doc.reason) == ("ok", None)
    assert doc.text.startswith("Wide story")


def test_crlf_line_ends_are_unified(tmp_path: Path) -> None:
    write(tmp_path / "dos.txt", b"Headline Of The Story Here\r\n\r\n" + PROSE.encode())

    [doc] = load_documents([tmp_path / "dos.txt"], as_of=AS_OF)

    assert "\r" not in doc.text
    assert doc.title == "Headline Of The Story Here"


@pytest.mark.skipif(os.geteuid() == 0, reason="runs as root: chmod 000 does not stop root reading")
def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", PROSE)
    path.chmod(0)
    try:
        [doc] = load_documents([path])
    finally:
        path.chmod(0o644)
    assert (doc.status, doc.reason) == ("error", "unreadable")


def test_unreadable_when_a_directory_is_read_as_a_file(tmp_path: Path) -> None:
    # Root can read chmod-000 files, so simulate an OS read failure with a directory named *.txt.
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()

    [doc] = list(load_file(folder, doc_id="looks-like.txt", source=str(folder)))

    assert (doc.status, doc.reason, doc.text) == ("error", "unreadable", "")
    assert str(folder) in doc.message and "directory" in doc.message


def test_unsupported_type_is_skipped_with_the_suffix_named(tmp_path: Path) -> None:
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0")
    write(tmp_path / "notes.md", "# Notes")

    docs = by_id(load_documents([tmp_path]))

    assert {d.reason for d in docs.values()} == {"unsupported_type"}
    assert all(d.status == "skipped" for d in docs.values())
    assert "'.jpg'" in docs["photo.jpg"].message


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    [doc] = load_documents([tmp_path])  # opening a fifo would block forever

    assert (doc.id, doc.status, doc.reason) == ("pipe.txt", "skipped", "unsupported_type")


def test_empty_directory_is_accounted_for(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    write(tmp_path / "nothing" / ".hidden", "x")

    [doc] = load_documents([tmp_path / "nothing"])

    assert (doc.id, doc.status, doc.reason) == (str(tmp_path / "nothing"), "skipped", "empty")


def test_too_large_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files_module, "MAX_FILE_BYTES", 100)
    write(tmp_path / "big.txt", PROSE)

    [doc] = load_documents([tmp_path / "big.txt"])

    assert (doc.status, doc.reason) == ("skipped", "too_large")


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "A story\n" + PROSE)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")

    ids = [d.id for d in load_documents([tmp_path / "d"], as_of=AS_OF)]

    assert ids.count("a.txt") == 1
    assert len(ids) <= 2


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", "One\n" + PROSE)
    write(tmp_path / "2.txt", b"\x00\x01\x02")
    write(tmp_path / "3.jsonl", '{"text": ')
    write(tmp_path / "4.html", "<html")
    write(tmp_path / "5.warc.gz", b"\x1f\x8b\x08\x00garbage")
    write(tmp_path / "6.txt", "Six\n" + PROSE)

    docs = load_documents([tmp_path], as_of=AS_OF)

    assert [d.id for d in docs if d.status == "ok"] == ["1.txt", "6.txt"]
    assert {d.id.split("#")[0] for d in docs} == {
        "1.txt",
        "2.txt",
        "3.jsonl",
        "4.html",
        "5.warc.gz",
        "6.txt",
    }
    for doc in docs:
        if doc.status != "ok":
            assert doc.text == "" and doc.reason in REASONS and doc.message
            assert REASONS[doc.reason][0] == doc.status


def test_iter_documents_is_lazy_and_matches_load_documents(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path / f"{i}.txt", f"Story {i}\n" + PROSE)

    stream = iter_documents([tmp_path], as_of=AS_OF)
    first = next(stream)

    assert first.id == "0.txt"
    assert [first, *stream] == load_documents([tmp_path], as_of=AS_OF)


def test_a_single_path_string_is_a_caller_mistake(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"pass \["):
        load_documents(str(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="as_of"):
        load_documents([tmp_path], as_of="2025-01-01")  # type: ignore[arg-type]


def test_default_as_of_is_the_file_modification_time(tmp_path: Path) -> None:
    path = write(tmp_path / "old.txt", "Mint2 days ago\n" + PROSE)
    mtime = datetime(2024, 3, 10, 8, 0, tzinfo=timezone.utc).timestamp()
    os.utime(path, (mtime, mtime))

    [doc] = load_documents([path])

    assert doc.published_at == "2024-03-08"
    assert doc.date_is_relative is True
    assert doc.metadata["as_of"].startswith("2024-03-10T08:00:00")


def test_an_unexpected_loader_failure_is_contained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a.txt", "A story\n" + PROSE)
    write(tmp_path / "b.jsonl", '{"text": "Fine record with enough words."}\n')

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug in a stage")

    monkeypatch.setattr(files_module, "text_document", broken)
    docs = load_documents([tmp_path], as_of=AS_OF)

    assert [(d.id, d.status, d.reason) for d in docs] == [
        ("a.txt", "error", "failed"),
        ("b.jsonl#1", "ok", None),
    ]
    assert "RuntimeError: bug in a stage" in docs[0].message


def test_a_hidden_file_named_explicitly_is_loaded(tmp_path: Path) -> None:
    path = write(tmp_path / ".draft.txt", "Draft\n" + PROSE)

    [doc] = load_documents([path], as_of=AS_OF)

    assert (doc.id, doc.status) == (".draft.txt", "ok")
