"""The command line: exit codes, stderr messages, written files, schema-valid output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from syndetect import __version__
from syndetect.cli import EXIT_INPUT_FAILED, EXIT_OK, EXIT_USAGE, app
from syndetect.report import load_schema

SEED_IDS = 5
FAILURE_LINE = re.compile(r"^syndetect: (?P<id>.+?): (?P<reason>[\w.-]+): (?P<message>.+)$")


def run(*args: str) -> Result:
    return CliRunner().invoke(app, [*args], catch_exceptions=False)


def report_of(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    return data


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two readable articles, an empty file and a binary file."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "good1.txt").write_text(
        "Hangzhou rises\n\nHangzhou has long been a magnet for talent and innovation.\n",
        encoding="utf-8",
    )
    (root / "good2.txt").write_text(
        "Liangzhu\n\nDozens of people sat in the grass around a backyard stage.\n",
        encoding="utf-8",
    )
    (root / "empty.txt").write_bytes(b"")
    (root / "blob.txt").write_bytes(bytes(range(256)) * 8)
    return root


# --------------------------------------------------------------------------- exit 0


def test_scan_seeds_json_lists_every_document(seeds_dir: Path) -> None:
    result = run("scan", str(seeds_dir), "--format", "json")
    assert result.exit_code == EXIT_OK, result.stderr
    data = report_of(result)
    assert len(data["documents"]) == SEED_IDS
    assert {d["status"] for d in data["documents"]} == {"ok"}
    names = sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert [Path(d["id"]).name for d in data["documents"]] == names
    assert result.stderr == ""  # no progress bars and no messages when stderr is not a terminal


def test_default_format_off_a_terminal_is_json(seeds_dir: Path) -> None:
    result = run("scan", str(seeds_dir))
    assert result.exit_code == EXIT_OK
    assert report_of(result)["schema_version"] == 1


def test_table_format_is_a_readable_summary(seeds_dir: Path) -> None:
    result = run("scan", str(seeds_dir), "--format", "text")
    assert result.exit_code == EXIT_OK
    assert result.stdout.startswith(f"syndetect {__version__}: 5 documents (5 ok)")
    assert "Story clusters" in result.stdout and "Boilerplate:" in result.stdout
    assert "5 documents ok" in result.stdout  # ok documents are counted, not listed
    for seed in ("000_", "001_", "002_"):  # the cluster's members, with their titles
        assert seed in result.stdout
    assert "Liangzhu: The Rise of China" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_output_file_is_written_atomically_and_valid(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.json"
    target.write_text("stale", encoding="utf-8")
    result = run("scan", str(seeds_dir), "-o", str(target))
    assert result.exit_code == EXIT_OK, result.stderr
    assert result.stdout == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    assert len(data["documents"]) == SEED_IDS
    assert [p.name for p in out.iterdir()] == ["report.json"]


def test_threshold_and_config_file_reach_the_report(seeds_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"align": {"min_similarity": 0.42}}), encoding="utf-8")
    result = run("scan", str(seeds_dir), "--config", str(config), "--threshold", "0.77")
    assert result.exit_code == EXIT_OK, result.stderr
    used = report_of(result)["config"]
    assert used["align"]["min_similarity"] == 0.42
    assert used["decision"]["threshold"] == 0.77


def test_as_of_resolves_relative_page_dates(seeds_dir: Path, tmp_path: Path) -> None:
    # 000 shows "Time of India3 days ago" in its header.
    seed = next(seeds_dir.glob("000_*.txt"))
    copy = tmp_path / seed.name
    copy.write_bytes(seed.read_bytes())
    result = run("scan", str(copy), "--as-of", "2025-05-12T12:00:00+00:00")
    assert result.exit_code == EXIT_OK, result.stderr
    (row,) = report_of(result)["documents"]
    assert row["date_is_relative"] is True
    assert row["published_at"].startswith("2025-05-09")


def test_verbose_logs_to_stderr_only(seeds_dir: Path) -> None:
    result = run("scan", str(seeds_dir), "-v", "--format", "json")
    assert result.exit_code == EXIT_OK
    assert "syndetect: INFO: syndetect.cli: stats:" in result.stderr
    report_of(result)  # stdout is still pure JSON


# --------------------------------------------------------------------------- exit 1


def test_inputs_holding_no_article_are_skipped_counted_and_exit_0(corpus: Path) -> None:
    """An empty or binary file is not a failure (like a crawl's 404 records): exit 0."""
    result = run("scan", str(corpus), "--format", "json")
    assert result.exit_code == EXIT_OK, result.stderr
    data = report_of(result)
    rows = {Path(d["id"]).name: d for d in data["documents"]}
    assert rows["good1.txt"]["status"] == rows["good2.txt"]["status"] == "ok"
    assert rows["empty.txt"]["status"] == rows["blob.txt"]["status"] == "skipped"
    (line,) = result.stderr.splitlines()  # one summary line, not one per skip
    reasons = sorted((rows["empty.txt"]["reason"], rows["blob.txt"]["reason"]))
    assert line.startswith("syndetect: skipped 2 inputs holding no article (")
    assert all(reason in line for reason in reasons), line
    named = run("scan", str(corpus), "--format", "json", "-v")
    assert "empty.txt" in named.stderr and "blob.txt" in named.stderr
    assert run("scan", str(corpus), "--format", "json", "-q").stderr == ""


def test_unreadable_inputs_exit_1_and_are_named_on_stderr(corpus: Path) -> None:
    (corpus / "feed.jsonl").write_text(
        '{"id": "ok-1", "text": "A whole article about the harbour strike and its end."}\n'
        "{not json\n", encoding="utf-8")
    result = run("scan", str(corpus), "--format", "json", "-q")
    assert result.exit_code == EXIT_INPUT_FAILED
    rows = {d["id"]: d for d in report_of(result)["documents"]}
    assert rows["ok-1"]["status"] == "ok"
    (line,) = result.stderr.splitlines()
    failed = FAILURE_LINE.match(line)
    assert failed is not None, line
    assert rows[failed["id"]]["status"] == "error"
    assert failed["reason"] == rows[failed["id"]]["reason"] == "invalid_record"


def test_a_missing_path_is_a_usage_error_and_writes_no_report(
    seeds_dir: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-dir"
    out = tmp_path / "r.json"
    result = run("scan", str(seeds_dir), str(missing), "-o", str(out))
    assert result.exit_code == EXIT_USAGE
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"syndetect: {missing}: no such file or directory")
    assert result.stdout == "" and not out.exists()


def test_dash_reads_json_lines_from_stdin(tmp_path: Path) -> None:
    story = ("The harbour workers' strike ended on Friday after the port authority agreed to "
             "raise night-shift pay by eight percent, union leaders said.")
    lines = [json.dumps({"id": f"wire-{i}", "text": story, "outlet": f"Paper {i}"})
             for i in range(2)]
    (tmp_path / "local.txt").write_text("Harbour\n\n" + story + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", "-", str(tmp_path / "local.txt"), "-f", "json"],
                                input="\n".join(lines) + "\n")
    assert result.exit_code == EXIT_OK, result.stderr
    data = report_of(result)
    assert {d["id"] for d in data["documents"]} == {"wire-0", "wire-1", "local.txt"}
    assert {d["source"] for d in data["documents"] if d["id"].startswith("wire")} == {"-"}
    assert data["clusters"], "the three copies of one story form a cluster"


def test_version_option_and_command_agree() -> None:
    for args in (["--version"], ["-V"], ["version"]):
        result = run(*args)
        assert result.exit_code == EXIT_OK
        assert result.stdout == f"syndetect {__version__}\n"


def test_text_is_the_human_format_and_table_its_alias(seeds_dir: Path) -> None:
    text = run("scan", str(seeds_dir), "--format", "text")
    table = run("scan", str(seeds_dir), "--format", "table")
    assert text.exit_code == table.exit_code == EXIT_OK
    assert text.stdout == table.stdout and text.stdout.startswith("syndetect ")


# --------------------------------------------------------------------------- exit 2


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make_args, expected",
    [
        (lambda p: ["--config", str(p / "nope.json")], r"--config .*nope\.json: no such file"),
        (lambda p: ["--config", str(write(p, "bad.json", "{oops"))], r"bad\.json: not valid JSON"),
        (lambda p: ["--config", str(write(p, "list.json", "[1]"))], r"must hold a JSON object"),
        (lambda p: ["--config", str(write(p, "k.json", '{"align": {"min_sim": 0.3}}'))],
         r"unknown key\(s\) \['min_sim'\].*known: .*min_similarity"),
        (lambda p: ["--config", str(write(p, "s.json", '{"speed": {}}'))],
         r"unknown config section 'speed'"),
        (lambda p: ["--config", str(write(p, "t.json", '{"align": {"min_similarity": "hi"}}'))],
         r"align\.min_similarity must be a number, got 'hi'"),
        (lambda p: ["--config", str(write(p, "r.json", '{"decision": {"threshold": 7}}'))],
         r"decision\.threshold must be between 0 and 1, got 7"),
        (lambda p: ["--threshold", "1.5"], r"--threshold: decision\.threshold .* got 1\.5"),
        (lambda p: ["--as-of", "not a date at all"], r"--as-of: cannot read 'not a date at all'"),
        (lambda p: ["-o", str(p / "missing" / "r.json")], r"directory .*missing does not exist"),
        (lambda p: ["-o", str(p)], r"is a directory"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    seeds_dir: Path, tmp_path: Path, make_args: Any, expected: str
) -> None:
    result = run("scan", str(seeds_dir), *make_args(tmp_path))
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("syndetect: ")
    assert re.search(expected, line), line


@pytest.mark.parametrize(
    "args",
    [["scan", "seeds", "--bogus"], ["scan", "seeds", "--format", "xml"], ["scan"],
     ["scan", "seeds", "--threshold", "high"], ["frobnicate"]],
)
def test_bad_options_exit_2_without_traceback(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == EXIT_USAGE
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert "Usage: " in result.stderr or "Error" in result.stderr


# --------------------------------------------------------------------------- other commands


def test_schema_command_prints_the_packaged_schema() -> None:
    result = run("schema")
    assert result.exit_code == EXIT_OK
    assert json.loads(result.stdout) == load_schema()


def test_version_command() -> None:
    result = run("version")
    assert result.exit_code == EXIT_OK
    assert result.stdout == f"syndetect {__version__}\n"


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == EXIT_OK
    for name in ("scan", "schema", "version"):
        assert name in result.stdout


# --------------------------------------------------------------------------- a real process


def test_python_m_syndetect_is_deterministic_across_processes(
    seeds_dir: Path, tmp_path: Path
) -> None:
    """Two real processes with different hash seeds print byte-identical JSON."""
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        proc = subprocess.run(
            [sys.executable, "-m", "syndetect", "scan", str(seeds_dir), "--format", "json"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
            stdin=subprocess.DEVNULL, check=False,
        )
        assert proc.returncode == EXIT_OK, proc.stderr
        assert proc.stderr == ""
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    assert len(data["documents"]) == SEED_IDS


def test_python_m_syndetect_usage_error_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "syndetect", "scan", "x", "--config", str(tmp_path / "c.json")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert proc.returncode == EXIT_USAGE
    assert proc.stderr.strip().endswith("no such file; pass the path of an existing JSON file")
    assert "Traceback" not in proc.stderr


def _scan_with_terminal_stderr(corpus_dir: Path, *extra: str) -> tuple[int, str, str]:
    """Run ``python -m syndetect scan`` with stderr on a pseudo-terminal, stdout on a pipe."""
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "syndetect", "scan", str(corpus_dir), *extra],
            stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL,
            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
        )
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        stdout, _ = proc.communicate(timeout=300)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return proc.returncode, stdout.decode(), b"".join(chunks).decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_progress_goes_to_a_terminal_stderr_only_and_quiet_silences_it(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"{i}.txt").write_text(f"Article {i}\n\nA sentence about story {i}.\n")
    code, stdout, terminal = _scan_with_terminal_stderr(corpus)
    assert code == EXIT_OK, terminal
    assert len(json.loads(stdout)["documents"]) == 3  # stdout is a pipe: JSON, no bars
    assert "load" in terminal  # progress bars were drawn on the terminal
    code, stdout, terminal = _scan_with_terminal_stderr(corpus, "--quiet")
    assert code == EXIT_OK
    assert terminal == ""
    assert len(json.loads(stdout)["documents"]) == 3
