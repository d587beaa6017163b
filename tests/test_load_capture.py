"""Capture times stated in a directory's .captured.json, not read off file clocks."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from syndetect.load import load_documents
from syndetect.load.capture import MANIFEST

PAGE = ("Mint2 days ago\n\n"
        "The central bank held its policy rate at 6.5% on Friday, citing food prices that "
        "rose faster than expected in the last two months, its governor told reporters.\n")


def dates(root: Path, **kw: object) -> dict[str, str | None]:
    return {d.id: d.published_at for d in load_documents([root], **kw)}


def make(tmp_path: Path, manifest: str | None) -> Path:
    root = tmp_path / "pages"
    root.mkdir()
    for name in ("a.txt", "b.txt"):
        (root / name).write_text(PAGE, encoding="utf-8")
        stamp = datetime(2031, 3, 20, tzinfo=timezone.utc).timestamp()
        os.utime(root / name, (stamp, stamp))
    if manifest is not None:
        (root / MANIFEST).write_text(manifest, encoding="utf-8")
    return root


def test_manifest_time_beats_the_file_clock_and_as_of_beats_both(tmp_path: Path) -> None:
    root = make(tmp_path, '{"*": "2025-07-10T12:00:00Z", "b.txt": "2025-08-01T09:00:00+02:00"}')
    assert dates(root) == {"a.txt": "2025-07-08", "b.txt": "2025-07-30"}
    assert dates(root, as_of=datetime(2024, 1, 10)) == {"a.txt": "2024-01-08",
                                                        "b.txt": "2024-01-08"}
    # The manifest is hidden: never an input of its own.
    assert MANIFEST not in dates(root)


def test_without_a_manifest_the_file_clock_is_used(tmp_path: Path) -> None:
    assert dates(make(tmp_path, None)) == {"a.txt": "2031-03-18", "b.txt": "2031-03-18"}


@pytest.mark.parametrize("bad", ["{oops", "[1, 2]", '{"*": "next tuesday"}'])
def test_a_bad_manifest_is_ignored_with_a_warning(
    tmp_path: Path, bad: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="syndetect"):
        assert dates(make(tmp_path, bad)) == {"a.txt": "2031-03-18", "b.txt": "2031-03-18"}
    assert MANIFEST in caplog.text


def test_seed_dates_do_not_depend_on_the_clone_time(seeds_dir: Path, tmp_path: Path) -> None:
    assert (seeds_dir / MANIFEST).is_file(), "the seeds state their capture time"
    copy = tmp_path / "seeds"
    shutil.copytree(seeds_dir, copy)
    seen = []
    for year in (2020, 2040):
        stamp = datetime(year, 1, 1, tzinfo=timezone.utc).timestamp()
        for page in copy.glob("*.txt"):
            os.utime(page, (stamp, stamp))
        seen.append(dates(copy))
    assert seen[0] == seen[1] == dates(seeds_dir)
    assert any(v for v in seen[0].values())
