"""Byte-identical reports: a refactor must not change one byte of the JSON report.

Two goldens in ``tests/golden/``:

- ``seeds.report.json``: the whole JSON report (``report.to_json``, so without
  wall-clock timings) of ``scan`` over ``seeds/`` loaded as ``seeds`` from the
  repository root, so the ``source`` fields are relative and the same in every clone.
- ``counter.report.json``: for COUNTER (read in place from
  ``../shared/eval-data/counter``, as the quality gate does; its licence forbids
  copying the corpus, and the report quotes its passages) only the sha256 of the
  report, a sha256 per top-level section, and the report's counters, so a mismatch
  says where the reports part. Without the corpus this half is skipped.

A change that is *meant* to change reports refreshes both goldens deliberately::

    PYTHONPATH=src python tests/test_report_golden.py --update

and the commit shows the seeds report's diff (the COUNTER golden shows which
sections and counters moved). Review that diff: it is the behaviour change.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SEEDS_GOLDEN = GOLDEN / "seeds.report.json"
COUNTER_GOLDEN = GOLDEN / "counter.report.json"


def _counter_eval():
    """``benchmarks/counter_eval.py``: where COUNTER lies, and its blind loader."""
    spec = importlib.util.spec_from_file_location("counter_eval", ROOT / "benchmarks" / "counter_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COUNTER: Path = _counter_eval().DEFAULT_DATA


def seeds_report() -> str:
    """The seeds report as JSON, with sources relative to the repository root."""
    from syndetect import Config, load_documents, scan
    from syndetect.report import to_json

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        docs = load_documents(["seeds"])
    finally:
        os.chdir(here)
    return to_json(scan(docs, Config()))


def counter_report() -> str:
    """COUNTER's report as JSON, over the blind documents the quality gate scans."""
    from syndetect import Config, scan
    from syndetect.report import to_json

    docs, _ = _counter_eval().load_blind(COUNTER)
    return to_json(scan(docs, Config()))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(report_json: str) -> dict[str, object]:
    """sha256 of the report and of each section, and its counters: nothing of the corpus."""
    data = json.loads(report_json)
    return {
        "sha256": _sha(report_json),
        "sections": {
            key: _sha(json.dumps(value, sort_keys=True, ensure_ascii=False))
            for key, value in sorted(data.items())
        },
        "stats": data["stats"],
    }


def _dump(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def test_seeds_report_is_byte_identical_to_the_golden() -> None:
    got = seeds_report()
    want = SEEDS_GOLDEN.read_text(encoding="utf-8")
    if got != want:
        changed = fingerprint(got)["sections"]
        before = fingerprint(want)["sections"]
        moved = sorted(k for k in changed.keys() | before.keys()
                       if changed.get(k) != before.get(k))
        pytest.fail(f"seeds report differs from {SEEDS_GOLDEN.name} in {moved}; if the change "
                    "is meant, run: PYTHONPATH=src python tests/test_report_golden.py --update")


def test_counter_report_is_byte_identical_to_the_golden() -> None:
    if not (COUNTER / "docs.jsonl").exists():
        pytest.skip(f"COUNTER evaluation data not found at {COUNTER}")
    got = fingerprint(counter_report())
    want = json.loads(COUNTER_GOLDEN.read_text(encoding="utf-8"))
    if got != want:
        moved = sorted(k for k in got["sections"] if got["sections"][k] != want["sections"].get(k))
        stats = {k: (want["stats"].get(k), v) for k, v in got["stats"].items()
                 if want["stats"].get(k) != v}
        pytest.fail(f"COUNTER report differs in {moved}; counters (golden, now): {stats}; if the "
                    "change is meant, run: PYTHONPATH=src python tests/test_report_golden.py "
                    "--update")


def update() -> None:
    """Rewrite the goldens from the code as it stands (COUNTER's only where present)."""
    GOLDEN.mkdir(exist_ok=True)
    SEEDS_GOLDEN.write_text(seeds_report(), encoding="utf-8")
    print(f"wrote {SEEDS_GOLDEN.relative_to(ROOT)}")
    if (COUNTER / "docs.jsonl").exists():
        COUNTER_GOLDEN.write_text(_dump(fingerprint(counter_report())), encoding="utf-8")
        print(f"wrote {COUNTER_GOLDEN.relative_to(ROOT)}")
    else:
        print(f"COUNTER not found at {COUNTER}: {COUNTER_GOLDEN.relative_to(ROOT)} left as it is")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(f"usage: PYTHONPATH=src python {Path(__file__).relative_to(ROOT)} --update")
    update()
