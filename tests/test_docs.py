"""The README documents what the code does: commands, Quickstart, report fields, exit codes."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from syndetect.cli import EXIT_BACKEND, EXIT_INPUT_FAILED, EXIT_OK, EXIT_USAGE, app
from syndetect.report import load_schema


def readme(repo_root: Path) -> str:
    return (repo_root / "README.md").read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """The body of ``## title`` up to the next level-2 heading."""
    pattern = rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)"
    match = re.search(pattern, text, re.MULTILINE | re.DOTALL)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def quickstart_commands(text: str) -> list[str]:
    """Commands of the first ```bash block in Quickstart (blank and comment lines ignored)."""
    quickstart = section(text, "Quickstart")
    block = re.search(r"^```bash[ \t]*\n(.*?)^```", quickstart, re.MULTILINE | re.DOTALL)
    assert block, "Quickstart has no ```bash block"
    return [
        line for line in block.group(1).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every leaf command of the CLI as a tuple of names, sub-apps included."""
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if getattr(sub, "hidden", False):
            continue
        if getattr(sub, "commands", None):
            yield from command_paths(sub, (*prefix, name))
        else:
            yield (*prefix, name)


def test_every_command_is_documented_under_usage(repo_root: Path) -> None:
    usage = section(readme(repo_root), "Usage")
    paths = list(command_paths(typer.main.get_command(app)))
    assert ("scan",) in paths and ("schema",) in paths and ("version",) in paths
    missing = [" ".join(p) for p in paths if f"syndetect {' '.join(p)}" not in usage]
    assert not missing, f"commands not documented in README Usage: {missing}"


def test_every_scan_option_is_documented(repo_root: Path) -> None:
    usage = section(readme(repo_root), "Usage")
    scan = typer.main.get_command(app).commands["scan"]  # type: ignore[attr-defined]
    for param in scan.params:
        for opt in param.opts:
            if opt.startswith("-") and opt not in ("-h", "--help"):
                assert f"`{opt}" in usage, f"scan option {opt} not documented"


def test_quickstart_has_exactly_two_commands(repo_root: Path) -> None:
    install_and_scan, install_and_test = quickstart_commands(readme(repo_root))
    for command in (install_and_scan, install_and_test):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install ")
    assert install_and_scan.endswith("syndetect scan seeds/")
    assert "pip install ." in install_and_scan
    assert "pip install '.[test]'" in install_and_test
    # The whole suite: plain pytest, no selection of a subset.
    assert install_and_test.endswith("&& pytest")


def test_ci_runs_the_readme_test_command(repo_root: Path) -> None:
    script = repo_root / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert "SYNDETECT_TEST_REDIS_URL" in text and "--port" in text
    printed = subprocess.run(
        ["bash", str(script), "--print-command"], capture_output=True, text=True,
        check=True, timeout=60, stdin=subprocess.DEVNULL,
    ).stdout.strip()
    assert printed == quickstart_commands(readme(repo_root))[1]


def test_exit_codes_are_documented(repo_root: Path) -> None:
    codes = section(readme(repo_root), "Exit codes")
    rows = dict(re.findall(r"^\| `(\d)` \| (.+) \|$", codes, re.MULTILINE))
    assert sorted(rows) == sorted(
        str(c) for c in (EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE, EXIT_BACKEND))
    assert "could not be read" in rows[str(EXIT_INPUT_FAILED)]
    assert "skipped" in rows[str(EXIT_OK)] and "404" in rows[str(EXIT_OK)]
    assert "usage error" in rows[str(EXIT_USAGE)] and "does not exist" in rows[str(EXIT_USAGE)]
    assert "backend error" in rows[str(EXIT_BACKEND)]


def schema_fields(schema: dict[str, Any]) -> set[str]:
    names = set(schema["required"])
    for definition in schema["$defs"].values():
        names |= set(definition.get("required", ()))
    return names


def test_report_format_names_every_field(repo_root: Path) -> None:
    text = section(readme(repo_root), "Report format")
    missing = sorted(
        f for f in schema_fields(load_schema()) if not re.search(rf"`{f}(\[\])?`", text)
    )
    assert not missing, f"report fields not described in README: {missing}"
    for values in (("ok", "skipped", "error"), ("origin", "derivative"), ("whole", "partial"),
                   ("verbatim", "near_verbatim", "rewrite")):
        assert " | ".join(f"`{v}`" for v in values) in text


@pytest.mark.parametrize("title", ["How it works", "Benchmarks", "Limits"])
def test_other_sections_exist(repo_root: Path, title: str) -> None:
    section(readme(repo_root), title)


def test_library_example_runs(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python example runs as written, from the repository root."""
    usage = section(readme(repo_root), "Usage")
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```", usage, re.MULTILINE | re.DOTALL)
    assert blocks, "Usage has no Python example"
    monkeypatch.chdir(repo_root)
    for code in blocks:
        namespace: dict[str, Any] = {}
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
        assert namespace["json_text"].startswith("{")
        assert len(namespace["report"].documents) == 5


def test_every_config_key_is_in_the_configuration_table(repo_root: Path) -> None:
    import dataclasses

    from syndetect.config import Config

    table = section(readme(repo_root), "Configuration")
    config = Config()
    for part in dataclasses.fields(config):
        row = next((line for line in table.splitlines() if line.startswith(f"| `{part.name}` |")),
                   None)
        assert row is not None, f"config section {part.name} missing"
        for key in dataclasses.fields(getattr(config, part.name)):
            assert f"`{key.name}`" in row, f"{part.name}.{key.name} missing"


def test_readme_shows_the_report_screenshot_and_links_existing_docs(repo_root: Path) -> None:
    text = readme(repo_root)
    shot = repo_root / "docs" / "report.png"
    assert "](docs/report.png)" in text
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for link in re.findall(r"\]\((docs/[\w./-]+\.md)\)", text):
        if link in {"docs/pages.md", "docs/scale.md", "docs/robustness.md", "docs/spark.md"}:
            continue  # written by the engineers of those parts
        assert (repo_root / link).is_file(), link


def test_version_and_licence_have_one_source(repo_root: Path) -> None:
    import tomllib

    import syndetect

    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    module, name = attr.rsplit(".", 1)
    assert getattr(__import__(module, fromlist=[name]), name) == syndetect.__version__
    licence = (repo_root / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and project["project"]["license"]["text"] == "MIT"
