"""Progress callbacks reach the end of every long stage, for library users and the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from syndetect import scan
from syndetect.load import load_documents
from syndetect.progress import Ticker

STAGES = ["segment", "boilerplate", "collapse", "candidates", "verify", "decide", "cluster",
          "provenance"]


def test_scan_reports_every_stage_to_its_end(seeds_dir: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    report = scan(load_documents([str(seeds_dir)]), progress=lambda *a: calls.append(a))
    order: list[str] = []
    for stage, _, _ in calls:
        if stage not in order:
            order.append(stage)
    assert order == STAGES  # in pipeline order, each stage started once
    for stage in STAGES:
        mine = [(done, total) for s, done, total in calls if s == stage]
        assert mine[-1][0] == mine[-1][1], f"{stage} stopped at {mine[-1]}"
        assert [d for d, _ in mine] == sorted(d for d, _ in mine), stage
        assert len({t for _, t in mine}) == 1, f"{stage} changed its total"
    segment_total = next(t for s, _, t in calls if s == "segment")
    assert segment_total == report.stats["documents_ok"]
    assert next(t for s, _, t in calls if s == "provenance") == len(report.clusters)


@pytest.mark.parametrize("total", [0, 1, 7, 250, 10_000])
def test_ticker_calls_about_a_hundred_times_and_ends_at_the_total(total: int) -> None:
    calls: list[tuple[str, int, int]] = []
    tick = Ticker(lambda *a: calls.append(a), "decide", total)
    for _ in range(total):
        tick()
    tick.finish()
    assert calls[0] == ("decide", 0, total) and calls[-1] == ("decide", total, total)
    assert len(calls) <= 102
    assert all(a[1] <= b[1] for a, b in zip(calls, calls[1:]))


def test_cli_bars_show_every_stage_complete(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    import syndetect.cli as cli

    out = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **_: Console(file=out, width=120,
                                                                     force_terminal=True))
    with cli.progress_bars(True) as progress:
        assert progress is not None
        scan(load_documents([str(seeds_dir)]), progress=progress)
    final = out.getvalue().split("\x1b[?25h")[-2] if "\x1b[?25h" in out.getvalue() else out.getvalue()
    for stage in STAGES:
        assert cli.STAGES[stage] in final, stage
