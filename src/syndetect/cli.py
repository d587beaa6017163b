"""The ``syndetect`` command line: a thin shell over the library.

Each command parses its arguments, calls the library function of the same name
(``load_documents`` -> ``scan`` -> ``to_json`` / ``render_table``) and writes the
result. Logging handlers and progress bars live here and nowhere else.

Exit codes (``scan``, ``index add``, ``index query``, ``index report``):

- 0 (``EXIT_OK``): the report was produced. Inputs that hold no article (an empty
  file, a binary file, an unsupported type, an archived HTTP 404 or redirect, a
  page with no article text) are *skipped*: each has a row in the report and one
  summary line on stderr counts them by reason (``-v`` names each), but a crawl
  is not failed because some of its records are not articles;
- 1 (``EXIT_INPUT_FAILED``): the report was produced, but some inputs could not
  be read (status ``error``: unreadable file, invalid JSONL record, truncated or
  corrupt archive); each one is named on stderr as
  ``syndetect: <id>: <reason>: <message>`` and has a row in the report;
- 2 (``EXIT_USAGE``): a usage error (bad option, a PATH that does not exist,
  missing or bad config file, bad value); a one-line message says which value
  and how to fix it, and no report is written;
- 3 (``EXIT_BACKEND``): the index's storage failed (a damaged SQLite file, a full
  disk, Redis gone or refusing); one line says what, and ``index add`` still
  prints the results committed before the failure.

Everything printed to the terminal that an input may have shaped (ids, file
names, outlets, titles, messages) goes through ``terminal.printable``: control
characters are shown escaped, never sent to the terminal. JSON output keeps them.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ._version import __version__
from .config import Config
from .errors import BackendError, ConfigError, SyndetectError
from .pipeline import scan
from .report import load_schema, render_table, to_json, write_atomic
from .terminal import PrintableFormatter, printable
from .types import Report

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_BACKEND = 3

log = logging.getLogger(__name__)

app = typer.Typer(
    name="syndetect",
    help="Find syndicated and rewritten news: shared passages, story clusters, "
    "origin and derivatives, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"syndetect {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_print_version, is_eager=True,
                     help="Print the syndetect version and exit."),
    ] = False,
) -> None:
    """Find syndicated and rewritten news: shared passages, story clusters, origin and
    derivatives, with evidence."""


DEFAULT_TERMINAL_LIMIT = 20
"""Story clusters the text summary shows on a terminal unless ``--limit`` says otherwise."""


class OutputFormat(StrEnum):
    """Report formats of ``syndetect scan`` and ``index report``.

    ``text`` is the human summary (``table`` is its older name, still accepted);
    ``html`` is one self-contained page with the texts side by side.
    """

    json = "json"
    text = "text"
    html = "html"
    table = "table"


class Engine(StrEnum):
    """Where ``syndetect scan`` runs."""

    local = "local"
    spark = "spark"


class UsageError(Exception):
    """A bad argument value; the message names the value and the fix."""


def _code(exc: SyndetectError) -> int:
    return EXIT_BACKEND if isinstance(exc, BackendError) else EXIT_USAGE


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    typer.echo(f"syndetect: {printable(message)}", err=True)
    raise typer.Exit(code)


# --------------------------------------------------------------------------- argument parsing

_handler: logging.Handler | None = None


def _configure_logging(verbose: int, quiet: bool) -> None:
    """Send syndetect's log records to stderr: warnings by default, -v info, -vv debug."""
    global _handler
    logger = logging.getLogger("syndetect")
    if _handler is not None:
        logger.removeHandler(_handler)
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(PrintableFormatter("syndetect: %(levelname)s: %(name)s: %(message)s"))
    logger.addHandler(_handler)
    if quiet:
        logger.setLevel(logging.ERROR)
    else:
        logger.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG))


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


def _check_paths(paths: list[str]) -> None:
    """A PATH argument that does not exist is the caller's mistake, not an input to report."""
    for path in paths:
        if path != STDIN and not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or directory; pass existing files or "
                             f"directories, or {STDIN} for JSON Lines on standard input")
    if paths.count(STDIN) > 1:
        raise UsageError(f"{STDIN} (standard input) may be given once")


def load_inputs(paths: list[str], *, as_of: datetime | None, **options: Any) -> list[Any]:
    """``load_documents`` of the paths, plus JSON Lines records read from stdin for ``-``."""
    from .load import load_documents  # lazily: the loaders import trafilatura and warcio
    from .load.jsonl import iter_jsonl

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


def _check_output(path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"-o {path}: is a directory; name a file such as {path / 'report.json'}")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"-o {path}: directory {parent} does not exist; create it first")


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
def _progress_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
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


def _report_format(chosen: OutputFormat | None, output: Path | None) -> OutputFormat:
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


# --------------------------------------------------------------------------- commands


def _emit_report(
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
        from .report_html import render_html

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
            _fail(f"-o {output}: cannot write the report ({exc.strerror or exc})")
        log.info("report written to %s", output)
    log.info("stats: %s", json.dumps(report.stats, sort_keys=True))
    failures = _failures(report)
    for line in failures:
        typer.echo(f"syndetect: {printable(line)}", err=True)
    skips = _skips(report)
    if skips and not quiet:
        typer.echo(f"syndetect: {printable(skips)}", err=True)
    raise typer.Exit(EXIT_INPUT_FAILED if failures else EXIT_OK)


LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", metavar="N", min=0, show_default=False,
                 help=f"Story clusters in the text summary, largest first (default: "
                 f"{DEFAULT_TERMINAL_LIMIT} on a terminal, all otherwise; 0: all)."),
]


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
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format", "-f",
            help="json, text or html (default: html for -o *.html, json for other files "
            "or a pipe, text on a terminal; `table` is an alias of text).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to FILE (atomically).",
                     metavar="FILE"),
    ] = None,
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
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bars, no warnings.")
    ] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More logging: -v info, -vv debug.",
                     show_default=False)
    ] = 0,
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
    _configure_logging(verbose, quiet)
    try:
        config = read_config(config_file, threshold=threshold)
        _check_paths(paths)
        as_of_time = parse_as_of(as_of) if as_of is not None else None
        if output is not None:
            _check_output(output)
        if engine is Engine.local and (master is not None or tables is not None):
            raise UsageError(f"{'--master' if master is not None else '--tables'} needs "
                             "--engine spark")
        if engine is Engine.spark and STDIN in paths:
            raise UsageError(f"{STDIN} (standard input) cannot be read by --engine spark; "
                             "write the records to a .jsonl file and pass its path")
    except UsageError as exc:
        _fail(str(exc))
    fmt = _report_format(output_format, output)
    if engine is Engine.spark:
        try:
            report, texts = _scan_spark(paths, config, as_of_time, follow_symlinks,
                                        master or "local[*]", tables)
        except SyndetectError as exc:
            _fail(str(exc))
        _emit_report(report, fmt, output, texts, limit, quiet)

    try:
        with _progress_bars(sys.stderr.isatty() and not quiet) as progress:
            if progress is not None:
                progress("load", 0, 0)
            documents = load_inputs(paths, as_of=as_of_time, follow_symlinks=follow_symlinks)
            if progress is not None:
                progress("load", len(documents), len(documents))
            report = scan(documents, config, progress=progress)
    except SyndetectError as exc:
        _fail(str(exc), _code(exc))

    _emit_report(report, fmt, output, lambda: {d.id: d.text for d in documents}, limit, quiet)


def _scan_spark(
    paths: list[str], config: Config, as_of: datetime | None, follow_symlinks: bool,
    master: str, tables: Path | None,
) -> tuple[Report, Callable[[], dict[str, str]]]:
    """``scan --engine spark``: the report, and the texts the HTML page shows."""
    from .spark import require_pyspark

    require_pyspark()
    from .spark import scan_spark, session

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


# --------------------------------------------------------------------------- index sub-app
# The streaming index (issue 5): one thin command per library call of
# ``syndetect.index.Index`` (open / add / query / report / rebuild). Exit codes as for
# ``scan``: 0 all inputs done, 1 some inputs skipped, failed or already indexed, 2 usage
# error (including an index that cannot be opened or was built by another version), 3 the
# storage failed (BackendError).

index_app = typer.Typer(
    help="A persistent index: add articles as they arrive and learn at once what each "
    "one copies or rewrites, and from which earlier article.",
    no_args_is_help=True,
)
app.add_typer(index_app, name="index")

INDEX_RESULTS_VERSION = 1
"""``schema_version`` of the JSON that ``index add`` and ``index query`` print."""


class ResultFormat(StrEnum):
    """Output formats of ``syndetect index add`` and ``index query``."""

    text = "text"
    json = "json"


IndexArgument = Annotated[
    str,
    typer.Argument(
        metavar="INDEX",
        help="An index file (SQLite, created by `index add` when missing) or "
        "redis://host:port/db[?prefix=NAME].",
        show_default=False,
    ),
]
PathsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help="Files or directories (recursive): .txt, .html/.htm, .jsonl/.ndjson, .warc/.warc.gz.",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE.json",
                 help="JSON config (default: the index's own). Its segment, boilerplate, minhash "
                 "and candidates sections must match the index's; the others (decision, align, "
                 "cluster, provenance) apply to this run, no rebuild needed."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars, no warnings.")]
VerboseOption = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="More logging: -v info, -vv debug.",
                      show_default=False)
]


def _open_index(target: str, config_file: Path | None, *, create: bool) -> Any:
    from .index import Index

    try:
        config = read_config(config_file) if config_file is not None else None
    except UsageError as exc:
        _fail(str(exc))
    try:
        return Index.open(target, config, create=create)
    except SyndetectError as exc:
        _fail(str(exc), _code(exc))


DUPLICATE_COVERAGE = 0.9
"""A derived pair whose passages cover this share of *both* texts is the same article
reprinted (a wire story under another masthead, a page fetched twice): `duplicate of`."""


def _verdict_text(result: Any) -> str:
    """One line for an ``AddResult``: the verdict, else the related documents, else none."""
    member = result.member
    by_pair = {(p.a if p.b == result.document else p.b): p for p in result.pairs}
    copies = sorted(
        (other for other, p in by_pair.items()
         if p.derived and min(p.coverage_a, p.coverage_b) >= DUPLICATE_COVERAGE),
        key=lambda other: (-min(by_pair[other].coverage_a, by_pair[other].coverage_b), other),
    )
    if copies:
        pair = by_pair[copies[0]]
        both = min(pair.coverage_a, pair.coverage_b)
        more = f"; also of {', '.join(copies[1:])}" if len(copies) > 1 else ""
        return f"duplicate of {copies[0]} ({both:.0%} of both texts shared{more})"
    if member is not None and member.role == "derivative" and member.derived_from:
        pair = by_pair.get(member.derived_from)
        score = f", score {pair.score:.2f}" if pair is not None else ""
        return (f"derived from {member.derived_from} ({member.relation or 'reuse'}, "
                f"{member.derivation or 'partial'}{score})")
    if member is not None and member.role == "origin" and result.related:
        return f"origin of {', '.join(result.related)}"
    if result.related:
        return f"shares passages with {', '.join(result.related)}"
    return f"no match ({result.candidates} earlier documents checked)"


def _run_index(
    command: str, target: str, paths: list[str], fmt: ResultFormat | None, as_of: str | None,
    config_file: Path | None, replace: bool, quiet: bool, verbose: int,
    batch_size: int = 1, verify: bool = True,
) -> None:
    from .index import AddResult, DuplicateIdError

    _configure_logging(verbose, quiet)
    try:
        as_of_time = parse_as_of(as_of) if as_of is not None else None
    except UsageError as exc:
        _fail(str(exc))
    try:
        _check_paths(paths)
    except UsageError as exc:
        _fail(str(exc))
    fmt = fmt or (ResultFormat.text if sys.stdout.isatty() else ResultFormat.json)
    storing = command == "add"
    index = _open_index(target, config_file, create=storing)

    results: list[dict[str, Any]] = []
    failures: list[str] = []
    skipped: dict[str, int] = {}

    def duplicate(doc: Any) -> tuple[AddResult, str]:
        failures.append(f"{doc.id}: duplicate_id: already in {target}; "
                        "pass --replace to re-add it")
        return (AddResult(document=doc.id, status="skipped", stored=False,
                          reason="duplicate_id", message="already in the index"),
                f"{doc.id}: not added: already in the index")

    def one(doc: Any) -> tuple[AddResult, str]:
        try:
            if storing:
                result: AddResult = index.add(doc, replace=replace, detail=True)
            else:
                result = index.query(doc, detail=True)
        except DuplicateIdError:
            return duplicate(doc)
        return result, _result_line(result)

    def batch(docs: list[Any]) -> list[tuple[AddResult, str]]:
        """``add_many`` of the documents not already indexed (one transaction)."""
        out: dict[int, tuple[AddResult, str]] = {}
        if not replace:
            for i, doc in enumerate(docs):
                if doc.id in seen or doc.id in index:
                    out[i] = duplicate(doc)
                seen.add(doc.id)
        todo = [i for i in range(len(docs)) if i not in out]
        try:
            done = index.add_many([docs[i] for i in todo], replace=replace, verify=verify,
                                  batch_size=max(1, len(todo)))
            out.update((i, (r, _result_line(r))) for i, r in zip(todo, done))
        except DuplicateIdError:  # another writer added one meanwhile: go one by one
            out.update((i, one(docs[i])) for i in todo)
        return [out[i] for i in range(len(docs))]

    seen: set[str] = set()
    broken: BackendError | None = None
    try:
        with _progress_bars(sys.stderr.isatty() and not quiet) as progress:
            documents = load_inputs(paths, as_of=as_of_time)
            step = batch_size if storing and (batch_size > 1 or not verify) else 1
            for start in range(0, len(documents), step):
                chunk = list(documents[start : start + step])
                for result, line in (batch(chunk) if step > 1 or not verify
                                     else [one(chunk[0])]):
                    if result.status == "skipped" and result.reason != "duplicate_id":
                        skipped[result.reason or "skipped"] = (
                            skipped.get(result.reason or "skipped", 0) + 1)
                        log.info("skipped %s: %s: %s", result.document, result.reason,
                                 result.message)
                    elif result.status != "ok" and result.reason != "duplicate_id":
                        failures.append(f"{result.document}: {result.reason or result.status}: "
                                        f"{result.message or result.status}")
                    if fmt is ResultFormat.text:
                        typer.echo(printable(line))
                    results.append(result.to_dict())
                if progress is not None:
                    progress(command, min(start + step, len(documents)), len(documents))
    except BackendError as exc:  # print what was committed before the failure, then exit 3
        broken = exc
    except SyndetectError as exc:
        _fail(str(exc), _code(exc))
    finally:
        index.close()
    if fmt is ResultFormat.json:
        typer.echo(json.dumps(
            {"schema_version": INDEX_RESULTS_VERSION, "command": command, "index": target,
             "results": results},
            indent=2, sort_keys=True, ensure_ascii=False,
        ))
    for failure in failures:
        typer.echo(f"syndetect: {printable(failure)}", err=True)
    if skipped and not quiet:
        n = sum(skipped.values())
        by_reason = ", ".join(f"{reason} {k}" for reason, k in sorted(skipped.items()))
        typer.echo(f"syndetect: skipped {n} {'input' if n == 1 else 'inputs'} holding no "
                   f"article ({printable(by_reason)}); -v names them", err=True)
    if broken is not None:
        _fail(f"{broken} ({len(results)} documents done before the failure)", EXIT_BACKEND)
    raise typer.Exit(EXIT_INPUT_FAILED if failures else EXIT_OK)


def _result_line(result: Any) -> str:
    if result.status != "ok":
        return f"{result.document}: {result.status} ({result.reason}): {result.message}"
    if not result.verified:
        return f"{result.document}: stored, not checked (--no-verify)"
    return f"{result.document}: {_verdict_text(result)}"


FormatOption = Annotated[
    ResultFormat | None,
    typer.Option("--format", "-f", show_default=False,
                 help="text (one line per document) or json (default: text on a terminal, "
                 "json otherwise)."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE",
                 help="Resolve relative page dates against DATE (default: file times)."),
]


@index_app.command("add")
def index_add_command(
    index: IndexArgument,
    paths: PathsArgument,
    output_format: FormatOption = None,
    as_of: AsOfOption = None,
    config_file: ConfigOption = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Re-add documents whose id is already indexed.")
    ] = False,
    batch_size: Annotated[
        int | None,
        typer.Option("--batch-size", metavar="N", min=1, show_default=False,
                     help="Write N articles per transaction (default: 1, or 500 with "
                     "--no-verify); a batch is stored whole or not at all."),
    ] = None,
    no_verify: Annotated[
        bool,
        typer.Option("--no-verify",
                     help="Only store (backfill of an archive): no article is checked "
                     "against earlier ones; `index report` still sees them all."),
    ] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
) -> None:
    """Add articles to INDEX; print what each one derives from among earlier ones."""
    size = batch_size if batch_size is not None else (500 if no_verify else 1)
    _run_index("add", index, paths, output_format, as_of, config_file, replace, quiet, verbose,
               batch_size=size, verify=not no_verify)


@index_app.command("query")
def index_query_command(
    index: IndexArgument,
    paths: PathsArgument,
    output_format: FormatOption = None,
    as_of: AsOfOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
) -> None:
    """Check articles against INDEX without adding them."""
    _run_index("query", index, paths, output_format, as_of, config_file, False, quiet, verbose)


@index_app.command("report")
def index_report_command(
    index: IndexArgument,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", show_default=False,
                     help="json, text or html (default: html for -o *.html, json for other "
                     "files or a pipe, text on a terminal; `table` is an alias of text)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE",
                     help="Write the report to FILE (atomically)."),
    ] = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
) -> None:
    """The report of every article in INDEX: the same JSON as `syndetect scan` of them."""
    _configure_logging(verbose, quiet)
    try:
        if output is not None:
            _check_output(output)
    except UsageError as exc:
        _fail(str(exc))
    fmt = _report_format(output_format, output)
    ix = _open_index(index, None, create=False)
    try:
        with _progress_bars(sys.stderr.isatty() and not quiet) as progress:
            report = ix.report(progress=progress)
            texts: dict[str, str] = {}
            if fmt is OutputFormat.html:  # the page shows the texts of cluster members
                for cluster in report.clusters:
                    for member in cluster.members:
                        doc = ix.get(member.document)
                        if doc is not None:
                            texts[doc.id] = doc.text
    except SyndetectError as exc:
        _fail(str(exc), _code(exc))
    finally:
        ix.close()
    _emit_report(report, fmt, output, lambda: texts, limit, quiet)


@index_app.command("rebuild")
def index_rebuild_command(
    index: IndexArgument,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
) -> None:
    """Rewrite INDEX for this syndetect version (and --config) from its stored articles."""
    from .index import Index

    _configure_logging(verbose, quiet)
    try:
        config = read_config(config_file) if config_file is not None else None
    except UsageError as exc:
        _fail(str(exc))
    try:
        with _progress_bars(sys.stderr.isatty() and not quiet) as progress:
            n = Index.rebuild(index, config, progress=progress)
    except SyndetectError as exc:
        _fail(str(exc), _code(exc))
    typer.echo(f"rebuilt {printable(index)}: {n} documents")
    raise typer.Exit(EXIT_OK)


# --------------------------------------------------------------------------- end of index


def main() -> None:
    """Console-script entry point (``syndetect``)."""
    app(prog_name="syndetect")


__all__ = ["EXIT_BACKEND", "EXIT_INPUT_FAILED", "EXIT_OK", "EXIT_USAGE", "app", "main"]
