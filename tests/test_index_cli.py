"""``syndetect index add/query/report/rebuild``: exit codes, stderr messages, JSON, files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from syndetect.cli import EXIT_INPUT_FAILED, EXIT_OK, EXIT_USAGE, app
from syndetect.report import load_schema


def run(*args: str) -> Result:
    return CliRunner().invoke(app, [*args], catch_exceptions=False)


def results_of(result: Result) -> list[dict[str, Any]]:
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    return data["results"]


@pytest.fixture
def copy_file(tmp_path: Path, seeds_dir: Path) -> Path:
    """A later article that copies seed 003 under a new header."""
    source = sorted(seeds_dir.glob("*.txt"))[3]
    path = tmp_path / "incoming" / "copy.txt"
    path.parent.mkdir()
    path.write_text("Syndicated\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def index_path(tmp_path: Path, seeds_dir: Path) -> Path:
    path = tmp_path / "news.db"
    result = run("index", "add", str(path), str(seeds_dir), "--format", "json", "-q")
    assert result.exit_code == EXIT_OK, result.stderr
    return path


def test_add_prints_one_result_per_document(index_path: Path, seeds_dir: Path) -> None:
    conn = sqlite3.connect(index_path)
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    result = run("index", "add", str(index_path), str(seeds_dir), "--format", "text")
    # Every seed is already indexed: exit 1, one line on stderr each, nothing added.
    assert result.exit_code == EXIT_INPUT_FAILED
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5
    assert all(line.startswith("syndetect: ") and ": duplicate_id: " in line for line in lines)
    assert "--replace" in lines[0]
    assert all(line.endswith(": not added: already in the index")
               for line in result.stdout.strip().splitlines())
    replaced = run("index", "add", str(index_path), str(seeds_dir), "--replace", "-f", "json")
    assert replaced.exit_code == EXIT_OK, replaced.stderr
    assert [r["stored"] for r in results_of(replaced)] == [True] * 5


def test_add_json_names_the_earlier_document(index_path: Path, copy_file: Path,
                                             seeds_dir: Path) -> None:
    result = run("index", "add", str(index_path), str(copy_file), "-f", "json")
    assert result.exit_code == EXIT_OK, result.stderr
    (entry,) = results_of(result)
    source = sorted(seeds_dir.glob("*.txt"))[3].name
    assert entry["document"] == "copy.txt" and entry["stored"] is True
    assert entry["related"] == [source]
    assert entry["matches"] and {m["b"]["document"] for m in entry["matches"]} == {source}
    text = copy_file.read_text(encoding="utf-8")
    for m in entry["matches"]:
        assert text[m["a"]["start"] : m["a"]["end"]] == m["a"]["text"]
    assert entry["verdict"]["cluster"] and "copy.txt" in entry["verdict"]["cluster"]


def test_add_text_lines(tmp_path: Path, seeds_dir: Path, copy_file: Path) -> None:
    path = tmp_path / "i.db"
    result = run("index", "add", str(path), str(seeds_dir), str(copy_file), "-f", "text")
    assert result.exit_code == EXIT_OK, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 6
    assert lines[0].endswith("no match (0 earlier documents checked)")
    assert lines[-1].startswith("copy.txt: ") and "003_" in lines[-1]


def test_add_reports_unreadable_inputs_and_keeps_going(tmp_path: Path, seeds_dir: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "feed.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    path = tmp_path / "i.db"
    result = run("index", "add", str(path), str(empty), str(broken), str(seeds_dir), "-f", "json")
    assert result.exit_code == EXIT_INPUT_FAILED  # an unreadable record; a skip alone is 0
    entries = {e["document"]: e for e in results_of(result)}
    assert len(entries) == 7
    assert entries["empty.txt"]["status"] == "skipped"
    assert "syndetect: feed.jsonl#1: invalid_record: " in result.stderr
    assert "skipped 1 input holding no article (empty 1)" in result.stderr


def test_add_of_a_missing_path_is_a_usage_error(tmp_path: Path, seeds_dir: Path) -> None:
    path = tmp_path / "i.db"
    result = run("index", "add", str(path), str(seeds_dir), str(tmp_path / "missing.txt"))
    assert result.exit_code == EXIT_USAGE
    assert "missing.txt: no such file or directory" in result.stderr
    assert not path.exists()


def test_query_does_not_store(index_path: Path, copy_file: Path) -> None:
    result = run("index", "query", str(index_path), str(copy_file), "-f", "json")
    assert result.exit_code == EXIT_OK, result.stderr
    (entry,) = results_of(result)
    assert entry["stored"] is False and entry["related"]
    conn = sqlite3.connect(index_path)
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    text = run("index", "query", str(index_path), str(copy_file), "-f", "text")
    assert text.stdout.startswith("copy.txt: ")


def test_query_of_a_missing_index_is_a_usage_error(tmp_path: Path, copy_file: Path) -> None:
    result = run("index", "query", str(tmp_path / "none.db"), str(copy_file))
    assert result.exit_code == EXIT_USAGE
    assert "no such index" in result.stderr and "syndetect index add" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_report_equals_scan(index_path: Path, seeds_dir: Path, tmp_path: Path) -> None:
    report = run("index", "report", str(index_path))
    scan = run("scan", str(seeds_dir), "--format", "json")
    assert report.exit_code == scan.exit_code == EXIT_OK
    assert report.stdout == scan.stdout
    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(report.stdout))
    out = tmp_path / "report.json"
    written = run("index", "report", str(index_path), "-o", str(out))
    assert written.exit_code == EXIT_OK and written.stdout == ""
    assert out.read_text(encoding="utf-8") == scan.stdout
    table = run("index", "report", str(index_path), "--format", "table")
    assert table.exit_code == EXIT_OK
    assert table.stdout == run("scan", str(seeds_dir), "--format", "table").stdout


def test_report_output_errors(index_path: Path, tmp_path: Path) -> None:
    result = run("index", "report", str(index_path), "-o", str(tmp_path / "no" / "r.json"))
    assert result.exit_code == EXIT_USAGE and "does not exist" in result.stderr


def test_config_mismatch_names_rebuild(index_path: Path, tmp_path: Path, copy_file: Path) -> None:
    config = tmp_path / "keys.json"  # a section that shapes the stored keys
    config.write_text('{"candidates": {"sentence_words": 5}}', encoding="utf-8")
    result = run("index", "add", str(index_path), str(copy_file), "--config", str(config))
    assert result.exit_code == EXIT_USAGE
    assert f"syndetect index rebuild {index_path} --config FILE.json" in result.stderr
    rebuilt = run("index", "rebuild", str(index_path), "--config", str(config), "-q")
    assert rebuilt.exit_code == EXIT_OK, rebuilt.stderr
    assert rebuilt.stdout.strip() == f"rebuilt {index_path}: 5 documents"
    again = run("index", "add", str(index_path), str(copy_file), "--config", str(config))
    assert again.exit_code == EXIT_OK, again.stderr


def test_a_threshold_config_needs_no_rebuild(index_path: Path, tmp_path: Path,
                                              copy_file: Path) -> None:
    config = tmp_path / "strict.json"
    config.write_text('{"decision": {"threshold": 0.9}}', encoding="utf-8")
    result = run("index", "query", str(index_path), str(copy_file), "--config", str(config),
                 "-f", "json")
    assert result.exit_code == EXIT_OK, result.stderr


def test_not_an_index_is_a_usage_error(tmp_path: Path, copy_file: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database", encoding="utf-8")
    for command in ("add", "query"):
        result = run("index", command, str(bogus), str(copy_file))
        assert result.exit_code == EXIT_USAGE
        assert "not a syndetect index" in result.stderr


def test_index_help_lists_the_commands() -> None:
    result = run("index", "--help")
    assert result.exit_code == EXIT_OK
    for command in ("add", "query", "report", "rebuild"):
        assert command in result.stdout


def test_query_says_duplicate_of_for_a_reprint(index_path: Path, copy_file: Path,
                                               seeds_dir: Path) -> None:
    """A whole article reprinted under another header is a duplicate, in those words."""
    source = sorted(seeds_dir.glob("*.txt"))[3].name
    text = run("index", "query", str(index_path), str(copy_file), "-f", "text")
    assert text.exit_code == EXIT_OK, text.stderr
    assert text.stdout.startswith(f"copy.txt: duplicate of {source} (")
    # A rewrite that shares only part of the story is not called a duplicate.
    partial = copy_file.parent / "partial.txt"
    body = (seeds_dir / source).read_text(encoding="utf-8")
    partial.write_text("Digest\n\n" + body[: len(body) // 3] + "\n\n" + "Other news follows. " * 60,
                       encoding="utf-8")
    other = run("index", "query", str(index_path), str(partial), "-f", "text")
    assert other.exit_code == EXIT_OK and "duplicate of" not in other.stdout
