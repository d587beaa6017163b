"""A file's capture time, stated beside it rather than read off its clock.

Relative page dates ("3 days ago") are resolved against the moment a page was
fetched. A file's modification time is that moment only until the file is copied,
unpacked or cloned (git sets it to the checkout time). A directory can state when
its files were captured in a hidden JSON manifest, ``.captured.json``, mapping file
names to ISO 8601 times, with ``"*"`` for every other file of the directory::

    {"*": "2025-07-10T12:00:00+00:00", "late.html": "2025-07-11T08:30:00+00:00"}

The loader uses, in order: ``--as-of`` (``as_of=``), the WARC-Date of a WARC
record, this manifest, then the file's modification time. Hidden files are never
loaded as documents, so the manifest is not an input.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / MANIFEST).write_text('{"*": "2025-07-10T12:00:00Z"}')
>>> captured_at(root / "a.txt").isoformat()
'2025-07-10T12:00:00+00:00'
>>> captured_at(pathlib.Path(tempfile.mkdtemp()) / "b.txt") is None
True
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

MANIFEST = ".captured.json"
"""The hidden manifest that states the capture times of a directory's files."""


@lru_cache(maxsize=256)
def _manifest(directory: Path, mtime_ns: int) -> dict[str, datetime]:
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        logger.warning("%s: ignored, not a readable JSON object (%s)", path, exc)
        return {}
    if not isinstance(data, dict):
        logger.warning("%s: ignored, must map file names to ISO 8601 times", path)
        return {}
    times: dict[str, datetime] = {}
    for name, value in data.items():
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            logger.warning("%s: %r: %r is not an ISO 8601 time; ignored", path, name, value)
            continue
        times[str(name)] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return times


def captured_at(path: Path) -> datetime | None:
    """When the file at ``path`` was captured, if its directory's manifest says so."""
    manifest = path.parent / MANIFEST
    try:
        mtime_ns = manifest.stat().st_mtime_ns
    except OSError:
        return None
    times = _manifest(path.parent, mtime_ns)
    return times.get(path.name, times.get("*"))


__all__ = ["MANIFEST", "captured_at"]
