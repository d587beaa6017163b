"""What the commands write: progress bars, the report in its format, the stderr summary."""

from __future__ import annotations

import json
import logging
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ..report import render_table, to_json, write_atomic
from ..terminal import printable
from ..types import Report
from .app import EXIT_INPUT_FAILED, EXIT_OK, OutputFormat, fail

# The command line logs under one name, ``syndetect.cli`` (what ``-v`` shows).
log = logging.getLogger("syndetect.cli")

DEFAULT_TERMINAL_LIMIT = 20
"""Story clusters the text summary shows on a terminal unless ``--limit`` says otherwise."""


STAGES = {
    "load": "load files",
    "segment": "segment docs",
    "boilerplate": "boilerplate",
    "collapse": "duplicates",
    "candidates": "candidates",
    "verify": "verify pairs",
    "decide": "decide pairs",
    "cluster": "cluster",
    "provenance": "provenance",
    "add": "add",
    "query": "query",
}
"""Progress bar labels of the core's stages (unknown stages show their own name)."""


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """Rich progress bars on stderr, fed by the core's ``progress(stage, done, total)``.

    One bar per stage, with counts, elapsed time and time left; a stage is shown
    complete when the next one starts, and the bars stay on screen at the end so
    every stage's count and time can be read.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bars = Progress(
        TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
        console=Console(stderr=True), transient=False,
    )
    tasks: dict[str, Any] = {}

    def finish_all() -> None:
        for task in bars.tasks:
            if not task.finished:
                end = task.total if task.total else max(task.completed, 1)
                bars.update(task.id, total=end, completed=end)

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            finish_all()
            tasks[stage] = bars.add_task(STAGES.get(stage, stage), total=total or None)
        bars.update(tasks[stage], completed=done, total=total or None)

    with bars:
        yield update
        finish_all()


def report_format(chosen: OutputFormat | None, output: Path | None) -> OutputFormat:
    """--format, else html for ``-o *.html``, json for other files or a pipe, else text."""
    if chosen is not None:
        return OutputFormat.text if chosen is OutputFormat.table else chosen
    if output is not None:
        return OutputFormat.html if output.suffix.lower() in (".html", ".htm") else OutputFormat.json
    return OutputFormat.text if sys.stdout.isatty() else OutputFormat.json


def _failures(report: Report) -> list[str]:
    """One line per input that could not be read (status ``error``)."""
    return [
        f"{d.id}: {d.reason or d.status}: {d.message or d.status}"
        for d in report.documents
        if d.status == "error"
    ]


def _skips(report: Report) -> str | None:
    """One line counting skipped inputs by reason; each is named at -v."""
    skipped = [d for d in report.documents if d.status == "skipped"]
    for d in skipped:
        log.info("skipped %s: %s: %s", d.id, d.reason, d.message)
    if not skipped:
        return None
    counts: dict[str, int] = {}
    for d in skipped:
        counts[d.reason or "skipped"] = counts.get(d.reason or "skipped", 0) + 1
    by_reason = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items()))
    noun = "input" if len(skipped) == 1 else "inputs"
    return (f"skipped {len(skipped)} {noun} holding no article ({by_reason}); "
            "the report lists each, -v names them here")


def emit_report(
    report: Report, fmt: OutputFormat, output: Path | None,
    texts: Callable[[], dict[str, str]] | None = None, limit: int | None = None,
    quiet: bool = False,
) -> NoReturn:
    """Print or write the report, name failed inputs on stderr, and exit.

    ``texts`` gives the document texts the HTML page shows side by side.
    """
    if fmt is OutputFormat.json:
        text = to_json(report)
    elif fmt is OutputFormat.html:
        from ..report_html import render_html

        text = render_html(report, texts() if texts is not None else None)
    else:
        width = shutil.get_terminal_size((100, 24)).columns if output is None else 100
        if limit is None and output is None and sys.stdout.isatty():
            limit = DEFAULT_TERMINAL_LIMIT
        text = render_table(report, console_width=width, limit=limit)
    if output is None:
        typer.echo(text if fmt in (OutputFormat.json, OutputFormat.html)
                   else printable(text, keep_newlines=True),
                   nl=False)
    else:
        try:
            write_atomic(output, text)
        except OSError as exc:
            fail(f"-o {output}: cannot write the report ({exc.strerror or exc})")
        log.info("report written to %s", output)
    log.info("stats: %s", json.dumps(report.stats, sort_keys=True))
    failures = _failures(report)
    for line in failures:
        typer.echo(f"syndetect: {printable(line)}", err=True)
    skips = _skips(report)
    if skips and not quiet:
        typer.echo(f"syndetect: {printable(skips)}", err=True)
    raise typer.Exit(EXIT_INPUT_FAILED if failures else EXIT_OK)


ReportFormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", show_default=False,
                 help="json, text or html (default: html for -o *.html, json for other "
                 "files or a pipe, text on a terminal; `table` is an alias of text)."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE (atomically)."),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", metavar="N", min=0, show_default=False,
                 help=f"Story clusters in the text summary, largest first (default: "
                 f"{DEFAULT_TERMINAL_LIMIT} on a terminal, all otherwise; 0: all)."),
]
