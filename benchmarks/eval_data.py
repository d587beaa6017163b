"""Where the evaluation data sets lie: ``shared/eval-data/<name>``, read in place.

Their licences forbid copying them into the project, so they sit beside the
clone; a worktree (``wt/<name>``) finds them one folder further up. The
benchmark scripts (run as ``python benchmarks/x.py``) and the tests (whose
``conftest.py`` puts ``benchmarks/`` on ``sys.path``) import ``eval_data`` from here.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def eval_data(name: str) -> Path:
    """``shared/eval-data/<name>`` next to the clone or any folder above it.

    When none exists, the path beside the clone (so that a message can name it).
    """
    for base in HERE.parents:
        path = base / "shared" / "eval-data" / name
        if path.exists():
            return path
    return HERE.parent.parent / "shared" / "eval-data" / name
