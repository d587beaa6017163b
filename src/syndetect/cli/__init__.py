"""The ``syndetect`` command line (``syndetect.cli.app``; see ``app`` for the exit codes).

One module per command group, each thin: ``scan`` (scan, schema, version) and
``index`` (index add / query / report / rebuild) parse their arguments, call the
library and write; ``inputs`` and ``output`` hold what they share.
"""

from __future__ import annotations

from .app import EXIT_BACKEND, EXIT_INPUT_FAILED, EXIT_OK, EXIT_USAGE, app
from .index import index_app
from .output import STAGES, progress_bars
from .scan import scan_command  # noqa: F401  (importing it registers scan, schema, version)

# The index group comes after scan, schema and version in --help.
app.add_typer(index_app, name="index")


def main() -> None:
    """Console-script entry point (``syndetect``)."""
    app(prog_name="syndetect")


__all__ = ["EXIT_BACKEND", "EXIT_INPUT_FAILED", "EXIT_OK", "EXIT_USAGE", "STAGES", "app", "main",
           "progress_bars"]
