"""Hostile inputs (issue 12): bombs, lying WARC lengths, control characters, links, collisions.

The corpus is written at test time by ``tests/data/hostile/make_hostile.py``
(nothing large is committed); each test checks one defect of the issue.
"""

from __future__ import annotations

import collections
import io
import json
import os
from pathlib import Path
from typing import Any

import make_hostile as mh
import pytest
from typer.testing import CliRunner

from syndetect.cli import EXIT_INPUT_FAILED, app
from syndetect.load import load_documents, load_file
from syndetect.load.limits import MAX_MESSAGE_CHARS
from syndetect.types import Document


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    return root, mh.write_corpus(root)


@pytest.fixture(scope="module")
def loaded(hostile: tuple[Path, dict[str, Any]]) -> dict[str, list[Document]]:
    root, _ = hostile
    by_file: dict[str, list[Document]] = collections.defaultdict(list)
    for doc in load_documents([root]):
        by_file[os.path.relpath(doc.source, root)].append(doc)
    return by_file


def _summary(docs: list[Document]) -> tuple[int, collections.Counter[str]]:
    return (sum(d.status == "ok" for d in docs),
            collections.Counter(d.reason or "" for d in docs if d.status != "ok"))


def test_every_hostile_file_gives_its_expected_rows(
    hostile: tuple[Path, dict[str, Any]], loaded: dict[str, list[Document]]
) -> None:
    _, expect = hostile
    for name, exp in expect.items():
        ok, reasons = _summary(loaded[name])
        assert ok == exp.ok, (name, ok, reasons)
        for reason, n in exp.reasons.items():
            assert reasons[reason] >= n, (name, reasons)


def test_messages_are_clipped_and_carry_no_payload(loaded: dict[str, list[Document]]) -> None:
    for docs in loaded.values():
        for doc in docs:
            assert doc.message is None or len(doc.message) <= MAX_MESSAGE_CHARS
            assert "\x00" not in (doc.message or "") and "aaaaaaaaaa" not in (doc.message or "")


def test_bomb_record_is_too_large_and_later_records_are_read(
    loaded: dict[str, list[Document]],
) -> None:
    docs = loaded["bomb.warc.gz"]
    assert [(d.id, d.status, d.reason) for d in docs] == [
        ("bomb.warc.gz#1", "ok", None),
        ("bomb.warc.gz#2", "skipped", "too_large"),
        ("bomb.warc.gz#3", "ok", None),
    ]


def test_file_expanding_past_its_budget_stops_with_decompression_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndetect.load import limits, warc

    monkeypatch.setattr(limits, "MIN_EXPANSION_BUDGET", 8 << 20)
    monkeypatch.setattr(warc, "expansion_budget", limits.expansion_budget)
    good = mh.warc_record("https://news.example/1", mh.html_page(1))
    path = tmp_path / "zeros.warc.gz"
    path.write_bytes(mh.gzip_member(good) + mh.zeros_member_stream(16 << 20))
    docs = list(load_file(path, doc_id="z", source=str(path)))
    assert [(d.status, d.reason) for d in docs] == [("ok", None), ("skipped", "decompression_limit")]


def test_warc_length_lies_cost_one_record_each(loaded: dict[str, list[Document]]) -> None:
    for name in ("lengths.warc", "lengths.warc.gz"):
        docs = loaded[name]
        bad = {d.id: d for d in docs if d.status != "ok"}
        assert set(bad) == {f"{name}#7", f"{name}#31"}
        assert "shorter than it says" in (bad[f"{name}#7"].message or "")
        assert "longer than it says" in (bad[f"{name}#31"].message or "")
        ok_urls = [d.url for d in docs if d.status == "ok"]
        assert len(ok_urls) == 48 and len(set(ok_urls)) == 48  # no record read twice
        assert "https://news.example/149" in ok_urls  # the last one survives


def test_short_length_is_not_accepted_as_a_cut_text(tmp_path: Path) -> None:
    records = [mh.warc_record(f"https://news.example/{i}", mh.html_page(i)) for i in range(3)]
    records[1] = mh.set_length(records[1], -40)  # cuts the closing tags of the page
    path = tmp_path / "short.warc"
    path.write_bytes(b"".join(records))
    docs = list(load_file(path, doc_id="s", source=str(path)))
    assert [(d.id, d.reason) for d in docs] == [("s#1", None), ("s#2", "corrupt"), ("s#3", None)]


def test_warcio_never_writes_record_text_to_stderr(
    loaded: dict[str, list[Document]], hostile: tuple[Path, dict[str, Any]],
    capfd: pytest.CaptureFixture[str],
) -> None:
    root, _ = hostile
    for name in ("lengths.warc", "lengths.warc.gz", "encoded-bomb.warc", "cut.warc.gz"):
        list(load_file(root / name, doc_id=name, source=name))
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_jsonl_line_over_the_limit_is_skipped_and_later_lines_read(
    loaded: dict[str, list[Document]],
) -> None:
    docs = loaded["long-line.jsonl"]
    assert [(d.id, d.reason) for d in docs] == [
        ("jl-1", None), ("long-line.jsonl#2", "too_large"), ("jl-3", None)]


def test_html_past_libxml_limits_falls_back_to_flat_text(
    loaded: dict[str, list[Document]],
) -> None:
    for name in ("deep.html", "attribute.html"):
        (doc,) = loaded[name]
        assert doc.status == "ok" and doc.metadata["extraction"] == "flat"
        assert mh.PARAGRAPHS[1] in doc.text and "xxxx" not in doc.text


def test_ordinary_menu_page_is_still_no_article(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text("<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body>"
                    "</html>")
    (doc,) = load_documents([path])
    assert doc.reason == "no_article"


def test_symlinks_out_of_the_tree_are_reported_not_followed(
    hostile: tuple[Path, dict[str, Any]], loaded: dict[str, list[Document]],
) -> None:
    root, _ = hostile
    (doc,) = loaded["escape.txt"]
    assert (doc.status, doc.reason, doc.text) == ("skipped", "symlink", "")
    followed = {d.id: d for d in load_documents([root / "escape.txt"])}  # named explicitly
    assert followed["escape.txt"].status == "ok"
    walked = [d for d in load_documents([root], follow_symlinks=True) if d.id == "escape.txt"]
    assert walked[0].status == "ok" and "Secret" in walked[0].text


def test_jsonl_id_cannot_displace_a_file(loaded: dict[str, list[Document]]) -> None:
    (real,) = loaded["real.txt"]
    assert real.id == "real.txt" and real.status == "ok" and "Real story" in real.text
    (claim,) = loaded["collide.jsonl"]
    assert (claim.id, claim.reason) == ("collide.jsonl#1", "duplicate_id")
    assert claim.metadata["claimed_id"] == "real.txt"


def test_duplicate_jsonl_ids_are_errors_with_their_own_ids(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"id": "x", "text": mh.article(i)}) + "\n"
                            for i in range(2)))
    assert [(d.id, d.status) for d in load_documents([path])] == [
        ("x", "ok"), ("feed.jsonl#2", "error")]


# --------------------------------------------------------------------------- terminal


CONTROL = ("\x1b", "\x07", "\x9b")


def test_scan_table_and_stderr_carry_no_control_characters(
    hostile: tuple[Path, dict[str, Any]],
) -> None:
    root, _ = hostile
    picked = [root / mh.NEWLINE_NAME, root / "controls.jsonl", root / "junk.warc.gz"]
    result = CliRunner().invoke(app, ["scan", "-f", "table", *map(str, picked)],
                                catch_exceptions=False)
    assert result.exit_code == EXIT_INPUT_FAILED
    for stream in (result.stdout, result.stderr):
        assert not any(c in stream for c in CONTROL), stream
    assert "\\x1b[2J" in result.stdout  # shown escaped, not dropped
    assert all(line.startswith("syndetect: ") for line in result.stderr.splitlines())


def test_json_output_keeps_untrusted_text_exactly(hostile: tuple[Path, dict[str, Any]]) -> None:
    root, _ = hostile
    result = CliRunner().invoke(app, ["scan", "-f", "json", str(root / "controls.jsonl")],
                                catch_exceptions=False)
    data = json.loads(result.stdout)
    (doc,) = data["documents"]
    assert doc["outlet"] == mh.CONTROL_OUTLET and doc["id"] == "ctl\x1b[2J-1"


def test_forged_file_name_cannot_forge_a_status_line(tmp_path: Path) -> None:
    name = "x\nsyndetect: forged.txt: ok\x1b]0;owned\x07.png"
    (tmp_path / name).write_bytes(b"\x89PNG")
    # A skipped input is named on stderr at -v (one log line per skip).
    result = CliRunner().invoke(app, ["scan", "-f", "json", "-v", str(tmp_path)],
                                catch_exceptions=False)
    lines = [line for line in result.stderr.splitlines() if "forged.txt" in line]
    assert len(lines) == 1 and "forged.txt: ok" in lines[0] and "\\n" in lines[0]
    assert not any(c in result.stderr for c in CONTROL)


def test_log_lines_are_printable() -> None:
    import logging

    from syndetect.terminal import PrintableFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(PrintableFormatter("%(message)s"))
    log = logging.getLogger("syndetect.test_hostile")
    log.addHandler(handler)
    try:
        log.warning("loading %s", "a\nsyndetect: fake\x1b[2J")
    finally:
        log.removeHandler(handler)
    assert stream.getvalue() == "loading a\\nsyndetect: fake\\x1b[2J\n"


def test_file_name_that_is_not_utf8_gets_a_valid_id(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("Cafe story\n\n" + mh.article(1))
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "lone\\ud800", "text": "' + mh.article(2).replace("\n", " ") + ' \\udc00"}\n')
    ids = sorted(d.id for d in load_documents([tmp_path]))
    assert ids == ["caf\\xe9.txt", "lone\ufffd"]
    result = CliRunner().invoke(app, ["scan", "-f", "json", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert sorted(d["id"] for d in data["documents"]) == ids
