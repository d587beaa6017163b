"""The Spark engine gives ``scan``'s answer, on a real local Spark session.

One ``local[2]`` session serves the whole module (starting a JVM costs seconds).
Skipped, with the reason, when PySpark or Java is missing; CI installs both.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndetect.load import load_documents
from syndetect.pipeline import scan
from syndetect.report import to_dict

pytest.importorskip("pyspark", reason="PySpark not installed: pip install 'syndetect[spark]'")
if shutil.which("java") is None:
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
    result = scan_spark(spark, [SEEDS], as_of=AS_OF, num_partitions=2)
    got = to_dict(result.report)
    assert _diff(local, got) == []
    assert got == local
    # The seeds hold one story told three times: the engines must agree on something.
    assert got["clusters"] and got["pairs"]


def test_dataframe_input_with_duplicates_and_problems(spark):
    """Rows of a DataFrame, with a duplicate id, a blank text and an English story
    copied with a wire copyright line into two pages of site chrome."""
    from syndetect.load.jsonl import record_document

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
    got = to_dict(scan_spark(spark, df, as_of=AS_OF, num_partitions=2).report)
    assert _diff(local, got) == []
    statuses = sorted((d["id"], d["status"], d["reason"]) for d in got["documents"])
    assert ("daily-1", "skipped", "duplicate_id") in statuses
    assert ("blank", "skipped", "empty") in statuses
    assert [sorted(m["document"] for m in c["members"]) for c in got["clusters"]] == [
        ["daily-1", "herald-7"]
    ]


def test_files_with_taken_ids_and_bad_inputs(spark, tmp_path):
    """Ids taken across files (a record claiming another record's id, and a file's
    name), a broken JSONL line, an empty file and a missing path: every input gets
    the row and id ``load_documents`` gives it."""
    wire = ("The central bank raised its main interest rate by a quarter point on Thursday, "
            "its third increase this year, citing stubborn inflation in services.\n\n"
            "Economists polled before the meeting had expected the move, and markets barely "
            "reacted. The bank said further increases could not be ruled out.\n")
    rows_a = [{"id": "r1", "text": wire, "outlet": "Wire"},
              {"id": "notes.txt", "text": "A record that claims a file's name as its id."}]
    rows_b = [{"id": "r1", "text": "Business Daily\n" + wire, "outlet": "Business Daily"},
              "not an object"]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows_a) + "\n")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r) for r in rows_b) + "\n{broken\n")
    (tmp_path / "notes.txt").write_text("Market notes\n" + wire.replace("Thursday", "Friday"))
    (tmp_path / "empty.txt").write_text("")
    paths = [tmp_path, tmp_path / "gone.jsonl"]
    local = to_dict(scan(load_documents(paths, as_of=AS_OF)))
    got = to_dict(scan_spark(spark, paths, as_of=AS_OF, num_partitions=2).report)
    assert _diff(local, got) == []
    reasons = {d["reason"] for d in got["documents"]}
    assert {"duplicate_id", "invalid_record", "empty", "missing"} <= reasons
