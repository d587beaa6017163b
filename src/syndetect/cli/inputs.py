"""What the commands read: the config file, ``--as-of``, the PATH arguments, stdin."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError
from .app import UsageError


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, (int, float)):
        return "a number" if isinstance(default, float) else "an integer"
    if isinstance(default, tuple):
        return "a list of strings"
    return "a string"


def _fits(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, tuple):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def _check_types(data: dict[str, Any], where: str) -> None:
    """Name a value of the wrong type before the config object trips over it."""
    defaults = Config().to_dict()
    for section, values in data.items():
        if section not in defaults or not isinstance(values, dict):
            continue  # Config.from_dict names unknown sections and non-mappings.
        for key, value in values.items():
            known = getattr(getattr(Config(), section), key, None)
            if known is not None and not _fits(known, value):
                raise UsageError(
                    f"{where}: {section}.{key} must be {_type_name(known)}, got {value!r}"
                )


def read_config(path: Path | None, *, threshold: float | None = None) -> Config:
    """The scan config: defaults, then the JSON file, then ``--threshold``."""
    config = Config()
    if path is not None:
        where = f"--config {path}"
        if not path.is_file():
            raise UsageError(f"{where}: no such file; pass the path of an existing JSON file")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"{where}: cannot read it ({exc.strerror})") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{where}: not valid JSON ({exc}); fix the file") from exc
        if not isinstance(data, dict):
            raise UsageError(
                f'{where}: must hold a JSON object such as {{"decision": {{"threshold": 0.6}}}}'
            )
        _check_types(data, where)
        try:
            config = Config.from_dict(data)
        except ConfigError as exc:
            raise UsageError(f"{where}: {exc}") from exc
        except (TypeError, ValueError) as exc:
            raise UsageError(f"{where}: bad value ({exc})") from exc
    if threshold is not None:
        try:
            config = config.replace(
                decision=dataclasses.replace(config.decision, threshold=threshold)
            )
        except ConfigError as exc:
            raise UsageError(f"--threshold: {exc}") from exc
    return config


def parse_as_of(text: str) -> datetime:
    """An ISO 8601 date/time or any date dateparser reads; naive times are taken as UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        import dateparser

        parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed is None:
            raise UsageError(
                f"--as-of: cannot read {text!r} as a date; use ISO 8601 such as "
                "2025-05-12 or 2025-05-12T09:30:00+00:00"
            ) from None
        moment = parsed
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


STDIN = "-"


def check_paths(paths: list[str]) -> None:
    """A PATH argument that does not exist is the caller's mistake, not an input to report."""
    for path in paths:
        if path != STDIN and not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or directory; pass existing files or "
                             f"directories, or {STDIN} for JSON Lines on standard input")
    if paths.count(STDIN) > 1:
        raise UsageError(f"{STDIN} (standard input) may be given once")


def load_inputs(paths: list[str], *, as_of: datetime | None, **options: Any) -> list[Any]:
    """``load_documents`` of the paths, plus JSON Lines records read from stdin for ``-``."""
    from ..load import load_documents  # lazily: the loaders import trafilatura and warcio
    from ..load.jsonl import iter_jsonl

    files = [p for p in paths if p != STDIN]
    documents = list(load_documents(files, as_of=as_of, **options)) if files else []
    if STDIN in paths:
        with tempfile.TemporaryDirectory(prefix="syndetect-stdin-") as tmp:
            spool = Path(tmp) / "stdin.jsonl"
            with spool.open("wb") as handle:
                shutil.copyfileobj(sys.stdin.buffer, handle)
            documents.extend(iter_jsonl(spool, file_id="stdin", source=STDIN,
                                        as_of=as_of or datetime.now(UTC)))
    return documents


def check_output(path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"-o {path}: is a directory; name a file such as {path / 'report.json'}")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"-o {path}: directory {parent} does not exist; create it first")
