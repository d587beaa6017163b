"""The ``syndetect`` command line: a thin shell over the library.

This module holds the typer ``app``, the exit codes and the error helpers;
``scan`` and ``index`` hold the commands, ``inputs`` and ``output`` what they share.

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

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from .._version import __version__
from ..errors import BackendError, SyndetectError
from ..terminal import PrintableFormatter, printable

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_BACKEND = 3


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


def exit_code(exc: SyndetectError) -> int:
    return EXIT_BACKEND if isinstance(exc, BackendError) else EXIT_USAGE


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    typer.echo(f"syndetect: {printable(message)}", err=True)
    raise typer.Exit(code)


@contextmanager
def usage_errors() -> Iterator[None]:
    """A ``UsageError`` inside the block: its message on stderr, exit 2."""
    try:
        yield
    except UsageError as exc:
        fail(str(exc))


@contextmanager
def library_errors() -> Iterator[None]:
    """A ``SyndetectError`` inside the block: its message, exit 3 (storage) or 2."""
    try:
        yield
    except SyndetectError as exc:
        fail(str(exc), exit_code(exc))


QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars, no warnings.")]
VerboseOption = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="More logging: -v info, -vv debug.",
                      show_default=False)
]


_handler: logging.Handler | None = None


def configure_logging(verbose: int, quiet: bool) -> None:
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
