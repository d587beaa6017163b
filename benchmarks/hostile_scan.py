"""Done-when check of issue 12: the seeds mixed with every hostile file.

    python benchmarks/hostile_scan.py [--small]

Writes the hostile corpus (``tests/data/hostile/make_hostile.py --full``: a
200 MB zero-page record, a gzip member of 1.06 GiB of zeros, lying WARC
lengths, control characters, deep markup, a link out of the tree, colliding
ids ...) next to a copy of ``seeds/`` in a temporary directory, then runs
``syndetect scan`` on it twice, as a user would: once to a JSON report (timed,
peak memory of the process measured) and once as a table on stdout. It prints
the figures beside the targets and checks: under 3 minutes, under 1.5 GB, the
seeds' story cluster the same as when the seeds are scanned alone, every valid
record read (the ok count the generator expects per file), and no control
character in anything printed. Exit status 1 when a check fails. ``--small``
uses the test suite's smaller bombs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS, TARGET_MB = 180.0, 1536.0


def _generator() -> object:
    spec = importlib.util.spec_from_file_location(
        "make_hostile", ROOT / "tests" / "data" / "hostile" / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = module
    spec.loader.exec_module(module)
    return module


def _run(args: list[str]) -> tuple[subprocess.CompletedProcess[bytes], float, float]:
    """(result, seconds, peak MB) of ``syndetect`` run in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "syndetect", *args], capture_output=True,
                          env=env, timeout=1800)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc, seconds, max(peak, before) / 1024


def _controls(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    return sorted({repr(c) for c in text if c not in "\n" and unicodedata.category(c) == "Cc"})


def _seed_clusters(report: dict, seeds: set[str]) -> set[tuple[str | None, frozenset[str]]]:
    """(origin, seed members) of every cluster holding a seed."""
    out = set()
    for cluster in report["clusters"]:
        members = frozenset(m["document"] for m in cluster["members"]) & seeds
        if members:
            out.add((cluster["origin"], members))
    return out


def main() -> int:
    small = "--small" in sys.argv[1:]
    mh = _generator()
    work = Path(tempfile.mkdtemp(prefix="hostile-scan-"))
    try:
        corpus = work / "corpus"
        expect = mh.write_corpus(corpus / "hostile", full=not small,  # type: ignore[attr-defined]
                                 outside=work / "outside")
        shutil.copytree(ROOT / "seeds", corpus / "seeds")
        seeds = {p.name for p in (corpus / "seeds").iterdir()}
        alone, _, _ = _run(["scan", str(ROOT / "seeds"), "-f", "json", "-q"])
        seeds_alone = _seed_clusters(json.loads(alone.stdout), seeds)

        # Two directory arguments: ids relative to each, so the seeds keep their own ids
        # and a hostile record can claim a hostile file's id.
        args = [str(corpus / "hostile"), str(corpus / "seeds")]
        out = work / "report.json"
        proc, seconds, peak_mb = _run(["scan", *args, "-o", str(out)])
        report = json.loads(out.read_text(encoding="utf-8"))
        table, table_seconds, table_mb = _run(["scan", *args, "-f", "table"])
        quiet, _, _ = _run(["scan", *args, "-f", "table", "-q"])

        by_file: dict[str, list[dict]] = defaultdict(list)
        for doc in report["documents"]:
            rel = os.path.relpath(doc["source"], corpus / "hostile") if doc["source"] else ""
            by_file[rel].append(doc)
        missing = []
        for name, exp in expect.items():
            ok = sum(d["status"] == "ok" for d in by_file.get(name, []))
            reasons = Counter(d["reason"] for d in by_file.get(name, []) if d["status"] != "ok")
            if ok != exp.ok or any(reasons[r] < n for r, n in exp.reasons.items()):
                missing.append(f"{name!r}: ok {ok} (want {exp.ok}), {dict(reasons)}")
        seeds_mixed = _seed_clusters(report, seeds)
        controls = {
            "report stderr": _controls(proc.stderr),
            "table stdout": _controls(table.stdout), "table stderr": _controls(table.stderr),
            "-q stdout": _controls(quiet.stdout), "-q stderr": _controls(quiet.stderr),
        }
        checks = {
            f"time {seconds:.1f} s (table run {table_seconds:.1f} s) < {TARGET_SECONDS:.0f} s":
                max(seconds, table_seconds) < TARGET_SECONDS,
            f"peak memory {max(peak_mb, table_mb):.0f} MB < {TARGET_MB:.0f} MB":
                max(peak_mb, table_mb) < TARGET_MB,
            f"seeds' clusters kept ({len(seeds_alone)} alone)": seeds_mixed == seeds_alone,
            "every valid record read": not missing,
            "no control character printed": not any(controls.values()),
            "exit code 1 (inputs failed), not a crash": proc.returncode == 1,
        }
        lines = proc.stderr.count(b"\n")
        print(f"corpus: {len(report['documents'])} rows, "
              f"{sum(d['status'] == 'ok' for d in report['documents'])} ok; "
              f"stderr {len(proc.stderr)} bytes ({lines} lines), "
              f"report {out.stat().st_size} bytes, -q stderr {len(quiet.stderr)} bytes")
        for name, passed in checks.items():
            print(f"{'PASS' if passed else 'FAIL'}  {name}")
        for line in missing:
            print(f"      {line}")
        for where, found in controls.items():
            if found:
                print(f"      {where}: {found}")
        if seeds_mixed != seeds_alone:
            print(f"      seeds alone {sorted(map(str, seeds_alone))}")
            print(f"      seeds mixed {sorted(map(str, seeds_mixed))}")
        return 0 if all(checks.values()) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
