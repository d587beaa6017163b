"""The Spark engine gives ``scan``'s answer, on a real local Spark session.

One ``local[2]`` session serves the whole module (starting a JVM costs seconds).
The DataFrame corpus (a duplicate group and a derived pair) runs with connected
components found by propagation on DataFrames (the path of graphs too large for
the driver); the others with the driver's union-find.
Skipped, with the reason, when PySpark or Java is missing; CI installs both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import syndetect
from syndetect.load import load_documents
from syndetect.pipeline import scan
from syndetect.report import to_dict

_REQUIRED = os.environ.get("SYNDETECT_REQUIRE_SPARK") == "1"  # .ci/run sets it: no skipping
try:
    import pyspark  # noqa: F401
except ImportError:
    if _REQUIRED:
        raise
    pytest.skip("PySpark not installed: pip install 'syndetect[spark]'", allow_module_level=True)
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    if _REQUIRED:
        raise RuntimeError("SYNDETECT_REQUIRE_SPARK=1 but no Java runtime on PATH")
    pytest.skip("no Java runtime on PATH (Spark needs Java 17+)", allow_module_level=True)

from syndetect.spark import scan_spark, session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
AS_OF = datetime(2025, 8, 1, tzinfo=UTC)
ANSWER_FIELDS = ("role", "pair", "source_file")


def _counter_docs() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared" / "eval-data" / "counter" / "docs.jsonl"
        if path.exists():
            return path
    return None


@pytest.fixture(scope="module")
def spark():
    s = session("local[2]", **{"spark.sql.shuffle.partitions": "2",
                               "spark.default.parallelism": "2",
                               "spark.ui.showConsoleProgress": "false",
                               "spark.driver.memory": "1g"})
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def _diff(local: dict, other: dict) -> list[str]:
    """Names of the report sections (and stats) that differ, for a readable failure."""
    out = [k for k in local if k != "stats" and local[k] != other.get(k)]
    stats = local["stats"]
    out += [f"stats.{k}: {v} != {other['stats'].get(k)}" for k, v in stats.items()
            if other["stats"].get(k) != v]
    return out


def test_seeds_equal_local_scan(spark, tmp_path):
    local = to_dict(scan(load_documents([SEEDS], as_of=AS_OF)))
    serializers = spark.sparkContext.serializer, spark.sparkContext._unbatched_serializer
    result = scan_spark(spark, [SEEDS], as_of=AS_OF, num_partitions=2)
    # The scan's own serializer (standard pickle) is the session's again afterwards.
    assert (spark.sparkContext.serializer, spark.sparkContext._unbatched_serializer) == serializers
    got = to_dict(result.report)
    assert _diff(local, got) == []
    assert got == local
    # The seeds hold one story told three times: the engines must agree on something.
    assert got["clusters"] and got["pairs"]
    # The tables round-trip through Parquet, offsets included.
    import pyarrow.parquet as pq

    out = result.write(tmp_path / "out")
    assert json.loads((out / "report.json").read_text()) == local
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no temp left
    texts = {d.id: d.text for d in load_documents([SEEDS], as_of=AS_OF)}
    matches = pq.read_table(out / "matches").to_pylist()
    assert len(matches) == sum(len(c["matches"]) for c in local["clusters"])
    for m in matches:
        assert texts[m["a"]][m["a_start"]:m["a_end"]] == m["a_text"]
        assert texts[m["b"]][m["b_start"]:m["b_end"]] == m["b_text"]
    docs = pq.read_table(out / "documents").to_pylist()
    assert sorted(d["id"] for d in docs) == [d["id"] for d in local["documents"]]
    members = pq.read_table(out / "members").to_pylist()
    assert [(m["cluster"], m["document"]) for m in sorted(members, key=lambda m: (
        m["cluster"], m["position"]))] == [
        (c["id"], m["document"]) for c in local["clusters"] for m in c["members"]
    ]
    pairs = pq.read_table(out / "pairs").to_pylist()
    assert {(p["a"], p["b"]) for p in pairs if p["derived"]} == {
        (p["a"], p["b"]) for p in local["pairs"]
    }
    assert len(pairs) >= len(local["pairs"])
    entries = pq.read_table(out / "boilerplate").to_pylist()
    assert sorted((e["text"], e["count"]) for e in entries) == sorted(
        (b["text"], b["count"]) for b in local["boilerplate"])


def test_core_records_pickle_back_equal_and_of_their_class():
    """The fast reducers (``spark.pickling``) rebuild each record whole: every field,
    defaults and the metadata dict included, as the class itself (not a copy type)."""
    import copyreg
    import pickle

    from syndetect.align import SentencePair
    from syndetect.spark import pickling
    from syndetect.types import Document, Match, PairDecision, Segment, Span

    pickling.register()
    doc = Document(id="wire-1", text="Flood waters rose.", outlet="Courier", site="courier.com",
                   published_at="2025-03-02T08:00:00", date_strength="metadata",
                   metadata={"line": 3, "tags": ["weather"]})
    seg = Segment("wire-1", 2, 1, 0, 18, "Flood waters rose.", "flood waters rose.",
                  boilerplate=True)
    match = Match(Span("a", 0, 5, "Flood"), Span("b", 3, 8, "Flood"), 0.93, "verbatim")
    pair = PairDecision(a="a", b="b", score=0.91, derived=True, coverage_a=0.5,
                        coverage_b=0.7, n_passages=1, ordered=1.0, rare_shared=2,
                        matches=(match,), features={"score_a": 0.91}, decided_by="score")
    for record in (doc, seg, match, pair, SentencePair(1, 4, 0.8, 0.9, 3.5, 4)):
        assert type(record) in copyreg.dispatch_table
        back = pickle.loads(pickle.dumps(record, protocol=5))
        assert type(back) is type(record)
        assert back == record
        # every field, the ones equality skips (metadata, features) included
        assert [getattr(back, n) for n in record.__slots__] == [
            getattr(record, n) for n in record.__slots__]


def test_dataframe_input_with_duplicates_and_problems(spark, monkeypatch):
    """Rows of a DataFrame, with a duplicate id, a blank text and an English story
    copied with a wire copyright line into two pages of site chrome; components by
    propagation on DataFrames, however small the graph."""
    from syndetect.load.jsonl import record_document
    from syndetect.spark import components

    monkeypatch.setattr(components, "LOCAL_COMPONENTS_LIMIT", 0)

    story = (
        "Rescue teams searched through the night for survivors after a bomb tore through a "
        "crowded market in the northern city on Saturday, officials said.\n\n"
        "The blast, which struck shortly before noon, killed at least 14 people and wounded "
        "dozens more, according to the provincial health ministry.\n\n"
        "No group has claimed responsibility for the attack, the second in the region in a "
        "month.\n\n(c) 2025 Wire Press. All rights reserved."
    )
    other = (
        "A car bomb exploded near a police station in the southern port on Tuesday, wounding "
        "six officers, the interior ministry said.\n\nInvestigators have cordoned off the "
        "area and are questioning witnesses about a vehicle seen parked outside overnight.\n\n"
        "(c) 2025 Wire Press. All rights reserved."
    )
    chrome = "Home | World | Sport\nSubscribe to our newsletter\n"
    rows = [
        {"id": "daily-1", "text": chrome + story, "outlet": "Daily Courier",
         "published_at": "2025-06-01T08:00:00Z", "url": "https://courier.example/1"},
        {"id": "herald-7", "text": "Herald Online\n" + story.replace("Rescue teams", "Rescuers"),
         "outlet": "The Herald", "published_at": "2025-06-01T14:00:00Z"},
        {"id": "daily-2", "text": chrome + other, "outlet": "Daily Courier",
         "published_at": "2025-06-03T08:00:00Z"},
        {"id": "daily-1", "text": "a second record with the same id", "outlet": "Daily Courier"},
        {"id": "blank", "text": "   "},
    ]
    df = spark.createDataFrame(
        [{k: r.get(k) for k in ("id", "text", "outlet", "published_at", "url")} for r in rows],
        "id string, text string, outlet string, published_at string, url string",
    )
    docs = [
        record_document({k: v for k, v in r.items() if v is not None}, line=i + 1,
                        file_id="dataframe", source="dataframe", as_of=AS_OF)
        for i, r in enumerate(rows)
    ]
    local = to_dict(scan(docs))
    # the other tests run the local default, DISK_ONLY; this one caches in memory
    got = to_dict(scan_spark(spark, df, as_of=AS_OF, num_partitions=2,
                             storage_level="MEMORY_AND_DISK").report)
    assert _diff(local, got) == []
    with pytest.raises(ValueError, match="unknown storage level 'MEMORY'"):
        scan_spark(spark, df, storage_level="MEMORY")
    statuses = sorted((d["id"], d["status"], d["reason"]) for d in got["documents"])
    assert ("daily-1", "skipped", "duplicate_id") in statuses
    assert ("blank", "skipped", "empty") in statuses
    assert [sorted(m["document"] for m in c["members"]) for c in got["clusters"]] == [
        ["daily-1", "herald-7"]
    ]
    assert got["stats"]["duplicate_groups"] == 1  # both graphs had an edge


def test_cli_engine_spark_writes_the_json_scan_writes(spark, tmp_path):
    """`scan --engine spark` on files with taken ids (a record claiming another record's
    id, and a file's name), a broken JSONL line and an empty file:
    the same JSON, exit code and stderr as `scan`, and the tables directory."""
    from typer.testing import CliRunner

    from syndetect.cli import app

    wire = ("The central bank raised its main interest rate by a quarter point on Thursday, "
            "its third increase this year, citing stubborn inflation in services.\n\n"
            "Economists polled before the meeting had expected the move, and markets barely "
            "reacted. The bank said further increases could not be ruled out.\n")
    rows_a = [{"id": "r1", "text": wire, "outlet": "Wire"},
              {"id": "notes.txt", "text": "A record that claims a file's name as its id."}]
    rows_b = [{"id": "r1", "text": "Business Daily\n" + wire, "outlet": "Business Daily"},
              "not an object"]
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows_a) + "\n")
    (data / "b.jsonl").write_text("\n".join(json.dumps(r) for r in rows_b) + "\n{broken\n")
    (data / "notes.txt").write_text("Market notes\n" + wire.replace("Thursday", "Friday"))
    (data / "empty.txt").write_text("")
    args = ["scan", str(data), "--as-of", "2025-08-01", "-q"]
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "stale.txt").write_text("from an earlier run")  # replaced whole
    runner = CliRunner()
    local = runner.invoke(app, [*args, "-o", str(tmp_path / "local.json")])
    spark_run = runner.invoke(app, [*args, "-o", str(tmp_path / "spark.json"), "--engine",
                                    "spark", "--master", "local[2]", "--tables",
                                    str(tmp_path / "tables")])
    assert local.exit_code == spark_run.exit_code == 1  # some inputs failed
    assert spark_run.output == local.output
    got = (tmp_path / "spark.json").read_text()
    assert got == (tmp_path / "local.json").read_text()
    reasons = {d["reason"] for d in json.loads(got)["documents"]}
    assert {"duplicate_id", "invalid_record", "empty"} <= reasons
    assert (tmp_path / "tables" / "report.json").read_text() == got
    assert (tmp_path / "tables" / "matches").is_dir()
    assert not (tmp_path / "tables" / "stale.txt").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tables.")] == []


def test_local_workers_run_this_interpreter_without_an_activated_venv(tmp_path):
    """``syndetect`` run by its full path from a venv that is not activated: the first
    ``python3`` on PATH is not this interpreter and lacks syndetect's dependencies, yet
    the Python workers of a local session must import them."""
    code = (
        "import sys\n"
        "from syndetect.spark import session\n"
        "s = session('local[1]')\n"
        "got = s.sparkContext.parallelize([0], 1).map(\n"
        "    lambda _: (__import__('sys').executable, __import__('rapidfuzz').__name__)).collect()\n"
        "print(got[0][0] == sys.executable, got[0][1])\n"
        "s.stop()\n"
    )
    bare = tmp_path / "bin"  # the first python3 on this PATH is not this interpreter
    bare.mkdir()
    (bare / "python3").write_text("#!/bin/sh\necho 'not the scanning interpreter' >&2\nexit 3\n")
    (bare / "python3").chmod(0o755)
    java = shutil.which("java")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(bare), str(Path(java).resolve().parent), "/usr/bin", "/bin"])
    env["PYTHONPATH"] = str(Path(syndetect.__file__).resolve().parents[1])  # syndetect only
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["True", "rapidfuzz"]


def test_decision_cells_cover_the_upper_triangle_and_a_document_meets_k_cells():
    """Every pair of document numbers lands in one cell of the ``k (k+1) / 2`` grid,
    whichever way round; a document's pairs span at most ``k`` cells (its row and
    column), however many partners it has."""
    from syndetect.spark.stages import cell

    k = 7
    assert {cell(i, j, k) for i in range(k) for j in range(i, k)} == set(range(k * (k + 1) // 2))
    assert all(cell(a, b, k) == cell(b, a, k) for a in range(40) for b in range(40))
    assert all(len({cell(a, b, k) for b in range(500) if b != a}) == k for a in range(20))


def test_cli_spark_options_need_the_spark_engine(tmp_path):
    from typer.testing import CliRunner

    from syndetect.cli import app

    result = CliRunner().invoke(app, ["scan", str(SEEDS), "--tables", str(tmp_path / "t")])
    assert result.exit_code == 2
    assert "--engine spark" in result.output

def test_counter_equal_local_scan(spark, tmp_path):
    path = _counter_docs()
    if path is None:
        pytest.skip("COUNTER evaluation data not found at ../shared/eval-data/counter")
    blind = tmp_path / "counter.jsonl"
    with path.open(encoding="utf-8") as src, blind.open("w", encoding="utf-8") as out:
        for line in src:
            record = json.loads(line)
            for key in ANSWER_FIELDS:
                record.pop(key, None)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    local = to_dict(scan(load_documents([blind], as_of=AS_OF)))
    got = to_dict(scan_spark(spark, [blind], as_of=AS_OF, num_partitions=4).report)
    assert _diff(local, got) == []
    assert got == local
    assert len(got["documents"]) >= 1000 and len(got["clusters"]) >= 50


def test_big_story_with_bound_buckets_and_partners_equal_local_scan(spark, tmp_path):
    """One story carried in 40 versions, with buckets and partner lists bounded far
    below it: oversized buckets are windowed and each version keeps 4 partners. Both
    bounds pick by document order and strength, never by the order in which a
    reducer receives its keys, so the engines agree."""
    from dataclasses import replace

    import synth  # benchmarks/, on the path from conftest

    from syndetect.config import Config

    corpus = synth.make_corpus(90, seed=11, big_story=40)
    path = tmp_path / "story.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in corpus.articles), encoding="utf-8")
    base = Config()
    config = replace(base, candidates=replace(base.candidates, max_bucket=6,
                                              overflow_window=2, max_partners=4))
    local = to_dict(scan(load_documents([path], as_of=AS_OF), config))
    got = to_dict(scan_spark(spark, [path], config, as_of=AS_OF, num_partitions=4).report)
    assert _diff(local, got) == []
    assert got == local
    # The bounds bind: fewer candidates than unbounded buckets give, pairs left out.
    free = scan(load_documents([path], as_of=AS_OF)).stats
    assert local["stats"]["candidates_copy"] < free["candidates_copy"]
    assert local["stats"]["candidates_rewrite"] < free["candidates_rewrite"]
    assert local["stats"]["pairs_bounded"] > 0
    assert len(local["clusters"]) >= 1 and len(local["pairs"]) >= 10
