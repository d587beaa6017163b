"""``syndetect scan``, ``schema`` and ``version``."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from .._version import __version__
from ..config import Config
from ..errors import SyndetectError
from ..pipeline import scan
from ..report import load_schema
from ..types import Report
from .app import (
    Engine,
    QuietOption,
    UsageError,
    VerboseOption,
    app,
    configure_logging,
    fail,
    library_errors,
    usage_errors,
)
from .inputs import STDIN, check_output, check_paths, load_inputs, parse_as_of, read_config
from .output import (
    LimitOption,
    OutputOption,
    ReportFormatOption,
    emit_report,
    progress_bars,
    report_format,
)

# The command line logs under one name, ``syndetect.cli`` (what ``-v`` shows).
log = logging.getLogger("syndetect.cli")


@app.command("scan")
def scan_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Files or directories (recursive): .txt, .html/.htm, .jsonl/.ndjson, "
            ".warc/.warc.gz; - reads JSON Lines from standard input.",
            show_default=False,
        ),
    ],
    output_format: ReportFormatOption = None,
    output: OutputOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE",
                     help="Resolve relative page dates ('3 days ago') against DATE "
                     "(default: each file's modification time)."),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option("--config", metavar="FILE.json",
                     help='JSON config, e.g. {"decision": {"threshold": 0.6}}.'),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", metavar="FLOAT",
                     help="Pair score needed by the 'score' rule (decision.threshold, "
                     f"default {Config().decision.threshold}); verbatim passages and ordered "
                     "rewrite sequences decide on their own (see decided_by, docs/evidence.md)."),
    ] = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
    follow_symlinks: Annotated[
        bool, typer.Option("--follow-symlinks",
                           help="Read what symbolic links inside directories point to "
                           "(default: skip them, each reported).")
    ] = False,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local (this process) or spark (a Spark session: "
                             "pip install 'syndetect[spark]' and Java 17+); same report.")
    ] = Engine.local,
    master: Annotated[
        str | None, typer.Option("--master", metavar="URL",
                                 help="Spark master for --engine spark: local[*] (default), "
                                 "spark://host:7077, yarn.")
    ] = None,
    tables: Annotated[
        Path | None, typer.Option("--tables", metavar="DIR",
                                  help="With --engine spark: also write report.json and the "
                                  "Parquet tables to DIR (atomically).")
    ] = None,
) -> None:
    """Scan articles for shared passages, story clusters and provenance."""
    configure_logging(verbose, quiet)
    with usage_errors():
        config = read_config(config_file, threshold=threshold)
        check_paths(paths)
        as_of_time = parse_as_of(as_of) if as_of is not None else None
        if output is not None:
            check_output(output)
        if engine is Engine.local and (master is not None or tables is not None):
            raise UsageError(f"{'--master' if master is not None else '--tables'} needs "
                             "--engine spark")
        if engine is Engine.spark and STDIN in paths:
            raise UsageError(f"{STDIN} (standard input) cannot be read by --engine spark; "
                             "write the records to a .jsonl file and pass its path")
    fmt = report_format(output_format, output)
    if engine is Engine.spark:
        try:
            report, texts = _scan_spark(paths, config, as_of_time, follow_symlinks,
                                        master or "local[*]", tables)
        except SyndetectError as exc:
            fail(str(exc))
        emit_report(report, fmt, output, texts, limit, quiet)

    with library_errors(), progress_bars(sys.stderr.isatty() and not quiet) as progress:
        if progress is not None:
            progress("load", 0, 0)
        documents = load_inputs(paths, as_of=as_of_time, follow_symlinks=follow_symlinks)
        if progress is not None:
            progress("load", len(documents), len(documents))
        report = scan(documents, config, progress=progress)

    emit_report(report, fmt, output, lambda: {d.id: d.text for d in documents}, limit, quiet)


def _scan_spark(
    paths: list[str], config: Config, as_of: datetime | None, follow_symlinks: bool,
    master: str, tables: Path | None,
) -> tuple[Report, Callable[[], dict[str, str]]]:
    """``scan --engine spark``: the report, and the texts the HTML page shows."""
    from ..spark import require_pyspark

    require_pyspark()
    from ..spark import scan_spark, session

    spark = session(master, **{"spark.ui.showConsoleProgress": "false"})
    result = scan_spark(spark, paths, config, as_of=as_of, follow_symlinks=follow_symlinks)
    if tables is not None:
        result.write(tables)
        log.info("report and tables written to %s", tables)
    return result.report, result.texts


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the report (what `scan --format json` writes)."""
    typer.echo(json.dumps(load_schema(), indent=2, ensure_ascii=False))


@app.command("version")
def version_command() -> None:
    """Print the syndetect version."""
    typer.echo(f"syndetect {__version__}")
