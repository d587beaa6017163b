"""``syndetect index add / query / report / rebuild``: the streaming index's commands."""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import BackendError, SyndetectError
from ..terminal import printable
from .app import (
    EXIT_BACKEND,
    EXIT_INPUT_FAILED,
    EXIT_OK,
    OutputFormat,
    QuietOption,
    VerboseOption,
    configure_logging,
    exit_code,
    fail,
    library_errors,
    usage_errors,
)
from .inputs import check_output, check_paths, load_inputs, parse_as_of, read_config
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


def _open_index(target: str, config_file: Path | None, *, create: bool) -> Any:
    from ..index import Index

    with usage_errors():
        config = read_config(config_file) if config_file is not None else None
    with library_errors():
        return Index.open(target, config, create=create)


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
    from ..index import AddResult, DuplicateIdError

    configure_logging(verbose, quiet)
    with usage_errors():
        as_of_time = parse_as_of(as_of) if as_of is not None else None
        check_paths(paths)
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
        with progress_bars(sys.stderr.isatty() and not quiet) as progress:
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
        fail(str(exc), exit_code(exc))
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
        fail(f"{broken} ({len(results)} documents done before the failure)", EXIT_BACKEND)
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
    output_format: ReportFormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
) -> None:
    """The report of every article in INDEX: the same JSON as `syndetect scan` of them."""
    configure_logging(verbose, quiet)
    with usage_errors():
        if output is not None:
            check_output(output)
    fmt = report_format(output_format, output)
    ix = _open_index(index, None, create=False)
    try:
        with progress_bars(sys.stderr.isatty() and not quiet) as progress:
            report = ix.report(progress=progress)
            texts: dict[str, str] = {}
            if fmt is OutputFormat.html:  # the page shows the texts of cluster members
                for cluster in report.clusters:
                    for member in cluster.members:
                        doc = ix.get(member.document)
                        if doc is not None:
                            texts[doc.id] = doc.text
    except SyndetectError as exc:
        fail(str(exc), exit_code(exc))
    finally:
        ix.close()
    emit_report(report, fmt, output, lambda: texts, limit, quiet)


@index_app.command("rebuild")
def index_rebuild_command(
    index: IndexArgument,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = 0,
) -> None:
    """Rewrite INDEX for this syndetect version (and --config) from its stored articles."""
    from ..index import Index

    configure_logging(verbose, quiet)
    with usage_errors():
        config = read_config(config_file) if config_file is not None else None
    with library_errors(), progress_bars(sys.stderr.isatty() and not quiet) as progress:
        n = Index.rebuild(index, config, progress=progress)
    typer.echo(f"rebuilt {printable(index)}: {n} documents")
    raise typer.Exit(EXIT_OK)
