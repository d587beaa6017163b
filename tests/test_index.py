"""The streaming index: the same answers as ``scan``, persisted, crash-safe, on SQLite and Redis.

Real SQLite files in ``tmp_path`` and a real ``redis-server``: the one named by
``SYNDETECT_TEST_REDIS_URL`` (``.ci/run`` starts one), else one started here on a
free port when the binary exists, else the Redis cases skip with the reason. Each
Redis test works under its own key prefix and deletes only that prefix.
"""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from english_news import unrelated_articles
from eval_data import eval_data
from hypothesis import given, settings
from hypothesis import strategies as st

from syndetect import (
    Config,
    Document,
    IndexFormatError,
    InputError,
    MissingExtraError,
    load_documents,
    scan,
    to_json,
)
from syndetect.detect import (
    SentenceTable,
    copy_candidates,
    corpus_vocabulary,
    document_candidates,
    rewrite_candidates,
)
from syndetect.index import AddResult, DuplicateIdError, Index
from syndetect.index.base import (
    FORMAT_VERSION,
    GRAINS,
    KEY_DTYPE,
    document_from_json,
    document_keys,
    document_to_json,
    key_ints,
    second_keys,
)
from syndetect.minhash import MinHasher, TokenHasher
from syndetect.pipeline import prepare

REPO_ROOT = Path(__file__).resolve().parents[1]
COUNTER_DOCS = eval_data("counter") / "docs.jsonl"


# --------------------------------------------------------------------------- Redis server
# The `redis_url` fixture lives in conftest.py.


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _with_prefix(url: str, prefix: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}prefix={prefix}"


def _drop(target: str) -> None:
    from syndetect.index.redis import RedisStorage

    storage = RedisStorage(target)
    storage.drop()
    storage.close()


@pytest.fixture(params=["sqlite", "redis"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh index location on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "index.db")
        return
    url = _with_prefix(request.getfixturevalue("redis_url"), f"syndetect-test-{uuid.uuid4().hex}")
    yield url
    _drop(url)


# --------------------------------------------------------------------------- corpora


@pytest.fixture(scope="module")
def seeds() -> list[Document]:
    return load_documents([REPO_ROOT / "seeds"])


def counter_subset() -> list[Document]:
    """~100 COUNTER documents: both sides of pairs 1-40 and the sources of 41-60.

    Only id, text, outlet and date reach the Document (never role or pair).
    """
    if not COUNTER_DOCS.is_file():
        pytest.skip(f"COUNTER corpus not found at {COUNTER_DOCS}")
    records = {}
    for line in COUNTER_DOCS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        records[rec["id"]] = rec
    ids = [f"counter-{i:04d}-{side}" for i in range(1, 41) for side in ("src", "news")]
    ids += [f"counter-{i:04d}-src" for i in range(41, 61)]
    return [
        Document(
            id=r["id"], text=r["text"], outlet=r.get("outlet"), published_at=r.get("date"),
            date_strength="metadata" if r.get("date") else "none",
        )
        for r in (records[i] for i in ids)
    ]


def clusters_of(report: Any) -> list[tuple[str | None, tuple[str, ...]]]:
    return sorted((c.origin, tuple(sorted(m.document for m in c.members)))
                  for c in report.clusters)


def derived_pairs(report: Any) -> set[tuple[str, str]]:
    return {(p.a, p.b) for p in report.pairs if p.derived}


# --------------------------------------------------------------------------- equivalence


def _equivalence(target: str, docs: list[Document]) -> tuple[set[tuple[str, str]], Any]:
    """Add one by one; the report must be the scan's; returns add-time derived pairs."""
    found: set[tuple[str, str]] = set()
    with Index.open(target) as index:
        for doc in docs:
            result = index.add(doc, detail=True)
            assert result.stored and result.document == doc.id
            found |= {(p.a, p.b) for p in result.pairs if p.derived}
        report = index.report()
    expected = scan(docs)
    assert clusters_of(report) == clusters_of(expected)
    assert to_json(report) == to_json(expected)
    return found, expected


def test_add_then_report_equals_scan_on_seeds(target: str, seeds: list[Document]) -> None:
    found, expected = _equivalence(target, seeds)
    assert expected.clusters, "the seeds hold one story cluster"
    # The incremental answers agree with the batch ones on the seeds.
    assert found == derived_pairs(expected)


def test_add_then_report_equals_scan_on_counter_subset(target: str) -> None:
    docs = counter_subset()
    found, expected = _equivalence(target, docs)
    batch = derived_pairs(expected)
    assert len(expected.clusters) >= 20
    # ``add`` sees only earlier documents, their word statistics and neighbourhood:
    # it finds most of what the batch scan derives and adds few pairs of its own
    # (measured: 29 of scan's 30, plus 5). Floors leave room for core tuning.
    assert len(found & batch) >= 0.8 * len(batch)
    assert len(found & batch) >= 0.7 * len(found)


def test_report_of_an_empty_index_is_an_empty_scan(target: str) -> None:
    with Index.open(target) as index:
        assert to_json(index.report()) == to_json(scan([]))
        assert index.clusters() == ()


# --------------------------------------------------------------------------- add / query


def _planted_copy(doc: Document) -> Document:
    return Document(id="copy-of-" + doc.id, text="Syndicated from the wire.\n\n" + doc.text,
                    outlet="Copy Daily")


UNRELATED = Document(
    id="unrelated",
    text=(
        "The village fete raised 4,300 pounds for the lifeboat station on Sunday.\n\n"
        "Organisers said the tombola and a dog show drew record crowds despite the drizzle, "
        "and the brass band played until dusk on the green beside the old mill pond.\n\n"
        "Next year's fete will add a vintage tractor parade, the parish council announced."
    ),
)


def test_add_returns_matches_to_the_earlier_document(target: str, seeds: list[Document]) -> None:
    original = seeds[3]
    copy = _planted_copy(original)
    with Index.open(target) as index:
        assert index.add(original) == []
        matches = index.add(copy)
        assert matches, "a planted copy matches its original"
        assert {m.a.document for m in matches} == {copy.id}
        assert {m.b.document for m in matches} == {original.id}
        copied = sum(len(m.a.text) for m in matches if m.kind != "rewrite")
        assert copied > 0.8 * sum(len(m.a.text) for m in matches)
        texts = {copy.id: copy.text, original.id: original.text}
        for m in matches:
            for span in (m.a, m.b):
                assert texts[span.document][span.start : span.end] == span.text
            assert 0.0 <= m.similarity <= 1.0
        assert sum(len(m.a.text) for m in matches) > 0.5 * len(original.text.strip())
        assert index.add(UNRELATED) == []


def test_add_detail_gives_pairs_and_verdict(target: str, seeds: list[Document]) -> None:
    original = replace(seeds[3], published_at="2025-05-01", date_strength="metadata")
    copy = replace(_planted_copy(original), published_at="2025-05-02", date_strength="metadata")
    with Index.open(target) as index:
        index.add(original)
        result = index.add(copy, detail=True)
    assert isinstance(result, AddResult)
    assert result.related == (original.id,)
    assert result.derived_from == original.id
    assert result.member is not None and result.member.role == "derivative"
    assert result.cluster is not None and result.cluster.origin == original.id
    (pair,) = [p for p in result.pairs if p.derived]
    assert (pair.a, pair.b) == tuple(sorted((original.id, copy.id)))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["verdict"]["derived_from"] == original.id
    assert data["related"] == [original.id]
    assert data["matches"][0]["a"]["document"] == copy.id


def test_verdict_of_the_last_member_matches_the_scan(target: str, seeds: list[Document]) -> None:
    """The local cluster includes the pairs among earlier members, so provenance agrees."""
    expected = scan(seeds)
    (story,) = expected.clusters
    last = max((m.document for m in story.members), key=[d.id for d in seeds].index)
    with Index.open(target) as index:
        results = {d.id: index.add(d, detail=True) for d in seeds}
    local = results[last].cluster
    assert local is not None and local.origin == story.origin
    assert sorted((m.document, m.role, m.derived_from) for m in local.members) == sorted(
        (m.document, m.role, m.derived_from) for m in story.members)


def test_query_gives_the_add_answer_without_storing(target: str, seeds: list[Document]) -> None:
    with Index.open(target) as index:
        for doc in seeds[:3]:
            index.add(doc)
        before = (index.ids(), index.storage.generation(), index.storage.n_docs())
        queried = index.query(seeds[3], detail=True)
        copy_query = index.query(_planted_copy(seeds[0]))
        assert (index.ids(), index.storage.generation(), index.storage.n_docs()) == before
        assert seeds[3].id not in index
        assert seeds[0].id in {m.b.document for m in copy_query}
        added = index.add(seeds[3], detail=True)
        assert (added.matches, added.pairs, added.related) == (
            queried.matches, queried.pairs, queried.related)
        assert not queried.stored and added.stored


def test_query_of_a_stored_document_leaves_itself_out(target: str, seeds: list[Document]) -> None:
    with Index.open(target) as index:
        for doc in seeds:
            index.add(doc)
        result = index.query(seeds[0], detail=True)
    assert seeds[0].id not in result.related
    assert all(m.b.document != seeds[0].id for m in result.matches)


def test_duplicate_id_is_refused_unless_replaced(target: str, seeds: list[Document]) -> None:
    with Index.open(target) as index:
        index.add(seeds[0])
        with pytest.raises(DuplicateIdError, match="replace=True"):
            index.add(seeds[0])
        assert isinstance(DuplicateIdError("x"), InputError)
        edited = replace(seeds[0], title="Edited title")
        index.add(edited, replace=True)
        assert len(index) == 1
        assert index.get(seeds[0].id) == edited
        assert index.storage.n_docs() == 1


def test_documents_round_trip_with_every_field(target: str) -> None:
    doc = Document(
        id="ü/1", text="Ein Satz über Zürich.\n\nZweiter Absatz mit 42 Wörtern.", source="a/b.txt",
        title="Titel", outlet="NZZ", byline="Anna", url="https://example.org/ü",
        published_at="2025-01-02", date_is_relative=True, date_strength="page",
        date_text="vor 3 Tagen", language="de", metadata={"k": [1, "zwei"]},
    )
    with Index.open(target) as index:
        index.add(doc)
        (stored,) = list(index.documents())
    assert stored == doc and stored.metadata == doc.metadata


def test_documents_that_are_not_ok_are_stored_and_reported(target: str, seeds: list[Document]) -> None:
    empty = Document(id="empty", text="   ")
    failed = Document(id="broken", text="", status="error", reason="unreadable",
                      message="broken: permission denied")
    docs = [seeds[0], empty, failed, seeds[1]]
    with Index.open(target) as index:
        results = [index.add(d, detail=True) for d in docs]
        assert [r.status for r in results] == ["ok", "skipped", "error", "ok"]
        assert results[1].reason == "empty" and results[1].matches == ()
        assert index.storage.n_docs() == 2
        assert to_json(index.report()) == to_json(scan(docs))


# --------------------------------------------------------------------------- remove


def _df_snapshot(index: Index) -> tuple[int, dict[str, int]]:
    words = {w for d in index.documents() for w in _words(d, index.config)}
    return index.storage.n_docs(), index.storage.df(words | {"ghost"})


def _words(doc: Document, config: Config) -> list[str]:
    from syndetect.index.base import solo_words

    return solo_words(doc, config)[2]


def test_remove_forgets_text_keys_and_counts(target: str, seeds: list[Document]) -> None:
    copy = _planted_copy(seeds[3])
    other = Path(target).with_name("other.db") if "://" not in target else _with_prefix(
        target.split("?")[0], f"syndetect-test-{uuid.uuid4().hex}")
    try:
        with Index.open(target) as index, Index.open(other) as fresh:
            for doc in (seeds[3], seeds[4], copy):
                index.add(doc)
            for doc in (seeds[4], copy):
                fresh.add(doc)
            assert index.remove(seeds[3].id) is True
            assert index.remove(seeds[3].id) is False
            assert seeds[3].id not in index and index.get(seeds[3].id) is None
            assert index.ids() == [seeds[4].id, copy.id]
            assert _df_snapshot(index) == _df_snapshot(fresh)
            # Its keys are gone: the copy finds nothing, the removed document can come back.
            assert index.query(copy) == []
            assert index.add(seeds[3])
            assert to_json(index.report()) == to_json(scan([seeds[4], copy, seeds[3]]))
    finally:
        if "://" in str(other):
            _drop(str(other))


def test_sqlite_remove_leaves_no_bucket_rows(tmp_path: Path, seeds: list[Document]) -> None:
    path = tmp_path / "i.db"
    with Index.open(path) as index:
        index.add(seeds[0])
        index.add(seeds[1])
        index.remove(seeds[0].id)
        index.remove(seeds[1].id)
    conn = sqlite3.connect(path)
    counts = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("buckets", "df", "documents")]
    assert counts == [0, 0, 0]


# --------------------------------------------------------------------------- persistence


def test_restart_then_query_finds_earlier_documents(target: str, seeds: list[Document]) -> None:
    with Index.open(target) as index:
        for doc in seeds:
            index.add(doc)
        header = index.header
    # A new process: nothing is shared but the storage.
    code = textwrap.dedent(f"""
        import json, sys
        from syndetect import Document
        from syndetect.index import Index
        text = open({str(REPO_ROOT / "seeds" / seeds[3].id)!r}, encoding="utf-8").read()
        with Index.open({target!r}) as index:
            matches = index.query(Document(id="late-copy", text="Copied.\\n\\n" + text))
            print(json.dumps([len(index), sorted({{m.b.document for m in matches}})]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    n, found = json.loads(out)
    assert n == len(seeds)
    assert seeds[3].id in found
    with Index.open(target) as index:
        assert index.header == header
        assert index.ids() == [d.id for d in seeds]


def test_header_records_what_the_keys_depend_on(target: str) -> None:
    import datasketch

    import syndetect

    with Index.open(target) as index:
        header = index.header
    assert header["format_version"] == FORMAT_VERSION == 2
    assert header["syndetect_version"] == syndetect.__version__
    assert header["datasketch_version"] == datasketch.__version__
    assert header["minhash_scheme"] == "affine32"
    assert (header["num_perm"], header["seed"]) == (128, 1)
    assert header["config_fingerprint"] == Config().fingerprint()
    assert set(header["lsh"]) == set(GRAINS)


def _tamper(target: str, field: str, value: Any) -> None:
    if "://" in target:
        from syndetect.index.redis import RedisStorage

        s = RedisStorage(target)
        s.r.hset(s.k_meta, field, json.dumps(value))
        s.close()
    else:
        conn = sqlite3.connect(target)
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(value), field))
        conn.commit()
        conn.close()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("syndetect_version", "0.0.1", "syndetect version"),
        ("datasketch_version", "1.5.0", "datasketch version"),
        ("minhash_scheme", "legacy", "MinHash scheme"),
        ("num_perm", 64, "num_perm"),
        ("seed", 7, "seed"),
        ("keys_fingerprint", "0000000000000000", "config fingerprint"),
    ],
)
def test_header_mismatch_names_the_rebuild_command(
    target: str, seeds: list[Document], field: str, value: Any, says: str
) -> None:
    with Index.open(target) as index:
        index.add(seeds[0])
    _tamper(target, field, value)
    with pytest.raises(IndexFormatError, match=says) as info:
        Index.open(target)
    assert f"syndetect index rebuild {target}" in str(info.value)


def test_config_mismatch_is_refused(target: str) -> None:
    Index.open(target).close()
    other = Config.from_dict({"candidates": {"sentence_words": 5}})  # shapes stored keys
    with pytest.raises(IndexFormatError, match="config fingerprint") as info:
        Index.open(target, other)
    assert "without a config" in str(info.value) and "--config" in str(info.value)
    with Index.open(target) as index:  # no config: the index's own
        assert index.config == Config()
    with Index.open(target, Config()) as index:
        assert index.config.fingerprint() == Config().fingerprint()


def test_a_decision_threshold_change_needs_no_rebuild(
    target: str, seeds: list[Document]
) -> None:
    """Only what the stored keys depend on is fingerprinted; answers use the new config."""
    with Index.open(target) as index:
        for doc in seeds[:-1]:
            index.add(doc)
        before = index.query(seeds[-1], detail=True)
    strict = Config.from_dict({"decision": {"threshold": 0.99, "min_anchors": 10_000}})
    with Index.open(target, strict) as index:
        assert index.config.decision.threshold == 0.99
        after = index.query(seeds[-1], detail=True)
    assert len(after.pairs) == len(before.pairs)  # the same candidates were decided ...
    assert not any(p.derived for p in after.pairs)  # ... at the stricter threshold
    assert after.derived_from is None


def test_old_headers_without_keys_fingerprint_compare_the_whole_config(target: str) -> None:
    Index.open(target).close()
    _tamper(target, "keys_fingerprint", None)
    if "://" not in target:
        conn = sqlite3.connect(target)
        conn.execute("DELETE FROM meta WHERE key = 'keys_fingerprint'")
        conn.commit()
        conn.close()
    else:
        from syndetect.index.redis import RedisStorage

        s = RedisStorage(target)
        s.r.hdel(s.k_meta, "keys_fingerprint")
        s.close()
    with pytest.raises(IndexFormatError, match="config fingerprint"):
        Index.open(target, Config.from_dict({"decision": {"threshold": 0.9}}))
    Index.open(target).close()


def test_newer_format_is_refused(target: str) -> None:
    Index.open(target).close()
    _tamper(target, "format_version", 99)
    with pytest.raises(IndexFormatError, match="newer syndetect"):
        Index.open(target)


def test_rebuild_recovers_a_mismatched_index(target: str, seeds: list[Document]) -> None:
    with Index.open(target) as index:
        for doc in seeds:
            index.add(doc)
    _tamper(target, "syndetect_version", "0.0.1")
    with pytest.raises(IndexFormatError):
        Index.open(target)
    assert Index.rebuild(target) == len(seeds)
    with Index.open(target) as index:
        assert index.ids() == [d.id for d in seeds]
        assert to_json(index.report()) == to_json(scan(seeds))
        assert index.query(_planted_copy(seeds[2]))
    threshold = Config.from_dict({"decision": {"threshold": 0.5}})
    Index.rebuild(target, threshold)
    with Index.open(target) as index:
        assert index.config == threshold


def test_interrupted_redis_rebuild_refuses_to_open_then_resumes(
    redis_url: str, seeds: list[Document]
) -> None:
    from syndetect.index.redis import RedisStorage

    target = _with_prefix(redis_url, f"syndetect-test-{uuid.uuid4().hex}")
    try:
        with Index.open(target) as index:
            for doc in seeds:
                index.add(doc)
        storage = RedisStorage(target)

        def crash(documents: list[Document]) -> Iterator[Any]:
            raise KeyboardInterrupt  # the process dies after the copy, before any record

        with pytest.raises(KeyboardInterrupt):
            storage.rebuild({"format_version": 1}, crash)
        storage.close()
        with pytest.raises(IndexFormatError, match="interrupted"):
            Index.open(target)
        assert Index.rebuild(target) == len(seeds)
        with Index.open(target) as index:
            assert to_json(index.report()) == to_json(scan(seeds))
    finally:
        _drop(target)


def test_sqlite_file_layout_and_migrations(tmp_path: Path) -> None:
    from syndetect.index.sqlite import APPLICATION_ID, MIGRATIONS

    path = tmp_path / "i.db"
    with Index.open(f"sqlite:///{path}") as index:
        assert index.storage.migrations() == [name for name, _ in MIGRATIONS]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    index_sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'buckets'").fetchone()[0]
    assert "PRIMARY KEY (grain, band, key, seq)" in index_sql


def test_sqlite_refuses_files_that_are_not_indexes(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(IndexFormatError, match="not an SQLite file"):
        Index.open(text)
    other = tmp_path / "app.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(IndexFormatError, match="not a syndetect index"):
        Index.open(other)
    with pytest.raises(InputError, match="syndetect index add"):
        Index.open(tmp_path / "missing.db", create=False)
    with pytest.raises(InputError, match="does not exist"):
        Index.open(tmp_path / "no" / "dir" / "i.db")
    assert not (tmp_path / "missing.db").exists()


def test_sqlite_readers_see_commits_while_a_writer_holds_the_index(
    tmp_path: Path, seeds: list[Document]
) -> None:
    path = tmp_path / "i.db"
    with Index.open(path) as writer, Index.open(path) as reader:
        writer.add(seeds[0])
        assert reader.ids() == [seeds[0].id]
        assert reader.query(_planted_copy(seeds[0]))
        with writer.storage.session(write=True):  # a writer mid-add
            writer.storage.put(*_record_of(seeds[1], writer))
            assert reader.ids() == [seeds[0].id]  # readers see the last commit only
        assert reader.ids() == [seeds[0].id, seeds[1].id]


def _record_of(doc: Document, index: Index) -> tuple[Any]:
    from syndetect.index.base import KEY_DTYPE, Record, solo_words

    seen, _, words = solo_words(doc, index.config)
    return (Record(document=doc, status=seen.status, words=tuple(words),
                   keys=np.empty(0, dtype=KEY_DTYPE)),)


def test_missing_redis_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'syndetect\[redis\]'"):
        Index.open("redis://127.0.0.1:1/0")


def test_unreachable_redis_is_a_backend_error() -> None:
    from syndetect.errors import BackendError

    with pytest.raises(BackendError, match="cannot connect to Redis"):
        Index.open(f"redis://127.0.0.1:{_free_port()}/0", timeout=1.0)


# --------------------------------------------------------------------------- crash safety

CHILD = """
import sys
sys.path.insert(0, {bench!r})
from synth import generate
from syndetect import Document
from syndetect.index import Index

with Index.open(sys.argv[1]) as index:
    for a in generate(400, seed=5):
        index.add(Document(id=a["id"], text=a["text"], outlet=a["outlet"],
                           published_at=a["published_at"], date_strength="metadata"))
        print(a["id"], flush=True)
"""


def _consistent(target: str) -> None:
    """Counters, document frequencies and buckets agree with the stored documents."""
    with Index.open(target) as index:
        storage = index.storage
        records = [storage.get(i) for i in index.ids()]
        assert all(r is not None for r in records)
        counted = [r for _, r in records if r.counted]  # type: ignore[misc]
        assert storage.n_docs() == len(counted)
        df = Counter(w for r in counted for w in r.words)
        assert storage.df(list(df)) == dict(df)
        for seq, record in records:  # type: ignore[misc]
            assert len(record.keys) > 0
            hits = storage.lookup(record.keys, max_bucket=10**9, window=1)
            assert hits.get(seq) == len(record.keys), record.id
    if "://" not in target:
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n_rows = conn.execute("SELECT COUNT(*) FROM buckets").fetchone()[0]
        n_keys = sum(len(r.keys) for _, r in records)  # type: ignore[misc]
        assert n_rows == n_keys


@pytest.mark.parametrize("kill_after", [3, 8])
def test_sigkill_mid_add_keeps_every_returned_add(
    target: str, tmp_path: Path, kill_after: int
) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(bench=str(REPO_ROOT / "benchmarks")), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), target], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    returned: list[str] = []
    assert proc.stdout is not None
    try:
        while len(returned) < kill_after:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"the child exited early: {proc.stderr.read() if proc.stderr else ''}")
            returned.append(line.strip())
        time.sleep(0.05 * kill_after)  # land somewhere inside a later add
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    returned += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    assert proc.returncode == -signal.SIGKILL
    with Index.open(target) as index:
        stored = index.ids()
    assert set(returned) <= set(stored)
    # At most the add in flight committed without getting to print.
    assert len(set(stored) - set(returned)) <= 1
    assert stored[: len(returned)] == returned
    _consistent(target)
    with Index.open(target) as index:  # and it takes adds again
        index.add(Document(id="after-crash", text=UNRELATED.text))
        assert "after-crash" in index


# --------------------------------------------------------------------------- keys mirror the core


def _synth_docs(n: int, seed: int) -> list[Document]:
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    try:
        from synth import generate
    finally:
        sys.path.remove(str(REPO_ROOT / "benchmarks"))
    return [Document(id=a["id"], text=a["text"], outlet=a["outlet"],
                     published_at=a["published_at"], date_strength="metadata")
            for a in generate(n, seed=seed)]


@pytest.mark.parametrize(
    "overrides",
    [{}, {"candidates": {"sentence_words": 3, "document_words": 8, "passage_keys": 1}}],
    ids=["defaults", "few-words"],
)
def test_stored_keys_cover_every_candidate_pair_of_the_core(
    seeds: list[Document], overrides: dict[str, Any]
) -> None:
    """Each grain's keys are built from the sets the core's candidate function builds."""
    docs = seeds + _synth_docs(60, seed=11)
    config = Config.from_dict(overrides)
    prepared = prepare(docs, config)
    table = SentenceTable.build(prepared.segments)
    vocab = corpus_vocabulary(table)
    mh, hasher = MinHasher(config.minhash.num_perm, config.minhash.seed), TokenHasher()
    # min_df=2: scan's rule (the index's own keys also take words seen once so far).
    keys = {d: document_keys(table, d, vocab, config, mh, hasher, min_df=2)
            for d in table.doc_ids}

    def shared(a: str, b: str, grain: int) -> bool:
        ka, kb = keys[a], keys[b]
        ka, kb = ka[ka["grain"] == grain], kb[kb["grain"] == grain]
        return len(np.intersect1d(ka, kb)) > 0

    row_pairs = {
        0: rewrite_candidates(table, vocab, config, mh, hasher),
        1: copy_candidates(table, config, mh, hasher),
    }
    checked = 0
    for grain, pairs in row_pairs.items():
        for i, j in pairs.tolist():
            a, b = table.doc_ids[table.owner[i]], table.doc_ids[table.owner[j]]
            assert shared(a, b, grain), (GRAINS[grain], a, b)
            checked += 1
    for di, dj in document_candidates(table, vocab, config, mh, hasher).tolist():
        assert shared(table.doc_ids[di], table.doc_ids[dj], 2)
        checked += 1
    assert checked > 50


def test_group_prepare_is_prepare(seeds: list[Document]) -> None:
    from syndetect.index import group_prepare
    from syndetect.segment import segment

    docs = seeds + _synth_docs(12, seed=2)
    config = Config()
    cached = [(d, segment(d.id, d.text, config.segment)) for d in docs[1:]]
    assert group_prepare(docs[0], cached, config) == prepare(docs, config)


# --------------------------------------------------------------------------- round trips


documents = st.builds(
    Document,
    id=st.text(min_size=1, max_size=20),
    text=st.text(max_size=200),
    title=st.none() | st.text(max_size=20),
    outlet=st.none() | st.text(max_size=20),
    published_at=st.none() | st.just("2025-05-01T10:00:00+00:00"),
    date_is_relative=st.booleans(),
    date_strength=st.sampled_from(["metadata", "page", "none"]),
    metadata=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5),
                             max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_document_json_round_trip(doc: Document) -> None:
    back = document_from_json(document_to_json(doc))
    assert back == doc and back.metadata == doc.metadata


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(range(12)), min_size=1, max_size=8, unique=True))
def test_any_add_order_reports_like_scan(tmp_path_factory: pytest.TempPathFactory,
                                         order: list[int]) -> None:
    pool = _pool()
    docs = [pool[i] for i in order]
    path = tmp_path_factory.mktemp("order") / "i.db"
    with Index.open(path) as index:
        for d in docs:
            index.add(d)
        assert index.ids() == [d.id for d in docs]
        assert to_json(index.report()) == to_json(scan(docs))


_POOL: list[Document] = []


def _pool() -> list[Document]:
    if not _POOL:
        seeds = load_documents([REPO_ROOT / "seeds"])
        _POOL.extend(seeds + [_planted_copy(d) for d in seeds] + [UNRELATED]
                     + [replace(UNRELATED, id="unrelated-2")])
    return _POOL


# --------------------------------------------------------------------------- batches (add_many)


def _sibling(target: str, name: str) -> str:
    """Another fresh index on the same backend as ``target``."""
    if "://" in target:
        return _with_prefix(target.split("?")[0], f"syndetect-test-{uuid.uuid4().hex}")
    return str(Path(target).with_name(f"{name}.db"))


@pytest.fixture
def sibling(target: str) -> Iterator[str]:
    other = _sibling(target, "sibling")
    yield other
    if "://" in other:
        _drop(other)


def _state(target: str) -> dict[str, Any]:
    """Everything an index stores, backend-neutral (plus the raw tables for SQLite)."""
    with Index.open(target) as index:
        storage = index.storage
        ids = index.ids()
        found = storage.find(ids)
        records, words = [], set()
        for doc_id in ids:
            seq, r = found[doc_id]
            buckets = [m for _, m in storage.members(r.keys, limit=10**6)]
            records.append((seq, document_to_json(r.document), r.status, r.words,
                            r.keys.tobytes(), buckets))
            words |= set(r.words)
        state: dict[str, Any] = {
            "records": records, "n_docs": storage.n_docs(),
            "generation": storage.generation(), "df": storage.df(sorted(words)),
        }
    if "://" not in target:
        conn = sqlite3.connect(target)
        for table in ("buckets", "df", "counters"):
            state[table] = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        state["documents"] = conn.execute(
            "SELECT seq, id, status, document, words, keys FROM documents ORDER BY seq").fetchall()
        conn.close()
    return state


def _batch_corpus(seeds: list[Document]) -> list[Document]:
    """Originals with their copies close behind (same batch), an empty and an unrelated one."""
    s = seeds
    return [s[0], _planted_copy(s[0]), s[1], s[2], _planted_copy(s[1]), Document(id="empty", text=" "),
            s[3], _planted_copy(s[3]), UNRELATED, s[4], _planted_copy(s[2])]


def test_add_many_equals_add_one_by_one(target: str, sibling: str, seeds: list[Document]) -> None:
    docs = _batch_corpus(seeds)
    with Index.open(target) as index:
        batched = index.add_many(docs, batch_size=4)
        report = index.report()
    with Index.open(sibling) as index:
        single = [index.add(d, detail=True) for d in docs]
    assert [r.to_dict() for r in batched] == [r.to_dict() for r in single]
    # The batches did check documents against earlier ones of the same batch.
    assert seeds[0].id in batched[1].related and batched[1].matches
    assert seeds[3].id in batched[7].related
    assert all(r.verified and r.stored for r in batched)
    assert _state(target) == _state(sibling)
    assert to_json(report) == to_json(scan(docs))


def test_add_many_without_verify_stores_what_add_stores(
    target: str, sibling: str, seeds: list[Document]
) -> None:
    docs = _batch_corpus(seeds)
    with Index.open(target) as index:
        results = index.add_many(docs, verify=False, batch_size=3)
        assert [r.document for r in results] == [d.id for d in docs]
        assert all(r.stored and not r.verified and r.candidates == 0 and not r.matches
                   for r in results)
        assert [r.status for r in results].count("skipped") == 1
        assert to_json(index.report()) == to_json(scan(docs))
        # What was backfilled is found by later adds.
        late = replace(_planted_copy(seeds[4]), id="late-copy")
        assert seeds[4].id in {m.b.document for m in index.query(late)}
    with Index.open(sibling) as index:
        for d in docs:
            index.add(d)
    assert _state(target) == _state(sibling)


def test_add_many_batch_is_atomic(target: str, sibling: str, seeds: list[Document]) -> None:
    s = seeds
    with Index.open(target) as index:
        index.add(s[0])
        with pytest.raises(DuplicateIdError, match=s[0].id):
            index.add_many([s[1], s[2], s[3], s[0], s[4]], batch_size=2, verify=False)
        # [s1, s2] was written; [s3, s0] left nothing; s4 was never reached.
        assert index.ids() == [s[0].id, s[1].id, s[2].id]
    _consistent(target)
    with Index.open(sibling) as index:
        for d in s[:3]:
            index.add(d)
    assert _state(target) == _state(sibling)


def test_add_many_repeated_id_meets_its_first_copy(
    target: str, sibling: str, seeds: list[Document]
) -> None:
    edited = replace(seeds[0], title="Edited", text=seeds[0].text + "\n\nA correction.")
    docs = [seeds[0], seeds[1], edited, seeds[2]]
    with Index.open(target) as index:
        index.add_many(docs, replace=True, batch_size=10)
        assert index.get(seeds[0].id) == edited and len(index) == 3
    with Index.open(sibling) as index:
        for d in docs:
            index.add(d, replace=True)
    assert _state(target) == _state(sibling)
    with Index.open(target) as index:
        with pytest.raises(DuplicateIdError):
            index.add_many([seeds[3], seeds[3]], batch_size=10)
        assert seeds[3].id in index  # the batch ended before the repeat


def test_put_many_refuses_an_id_twice_in_one_batch(target: str, seeds: list[Document]) -> None:
    with Index.open(target) as index:
        (record,) = _record_of(seeds[0], index)
        with pytest.raises(DuplicateIdError, match="twice in one batch"):
            index.storage.put_many([record, record])
        assert index.ids() == [] and index.storage.generation() == 0
        with pytest.raises(InputError, match="batch_size"):
            index.add_many(seeds, batch_size=0)


CHILD_BATCHES = """
import sys
sys.path.insert(0, {bench!r})
from synth import generate
from syndetect import Document
from syndetect.index import Index

docs = [Document(id=a["id"], text=a["text"], outlet=a["outlet"],
                 published_at=a["published_at"], date_strength="metadata")
        for a in generate(400, seed=5)]
with Index.open(sys.argv[1]) as index:
    index.add_many(docs, verify=False, batch_size=7,
                   progress=lambda stage, done, total: print(done, flush=True))
"""


def test_sigkill_mid_batch_keeps_whole_batches(target: str, tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD_BATCHES.format(bench=str(REPO_ROOT / "benchmarks")), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), target], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        done = [proc.stdout.readline().strip() for _ in range(4)]
        if not all(done):
            pytest.fail(f"the child exited early: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.1)  # land inside a later batch
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Index.open(target) as index:
        n = len(index)
    assert n >= int(done[-1]) == 28
    assert n % 7 == 0, f"{n} documents: part of a batch was written"
    _consistent(target)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 2**64 - 1)
                          | st.sampled_from([0, 1, 2**63, 2**64 - 1])), max_size=40))
def test_unique_keys_is_numpy_unique(rows: list[tuple[int, int, int]]) -> None:
    from syndetect.index.base import KEY_DTYPE, unique_keys

    keys = np.array(rows, dtype=KEY_DTYPE)
    assert unique_keys(keys).tobytes() == np.unique(keys).tobytes()


# --------------------------------------------------------------------------- CLI batches


def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from syndetect.cli import app

    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_cli_add_no_verify_backfills_then_report_is_scan(tmp_path: Path, seeds: list[Document]) -> None:
    db = tmp_path / "news.db"
    seeds_dir = str(REPO_ROOT / "seeds")
    result = _cli("index", "add", str(db), seeds_dir, "--no-verify", "--batch-size", "2", "-f", "json")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)["results"]
    assert [e["document"] for e in entries] == [d.id for d in seeds]
    assert all(e["stored"] and e["verified"] is False and e["verdict"] is None for e in entries)
    text = _cli("index", "add", str(tmp_path / "t.db"), seeds_dir, "--no-verify", "-f", "text")
    assert text.stdout.splitlines() == [f"{d.id}: stored, not checked (--no-verify)" for d in seeds]
    with Index.open(db) as index:
        assert index.ids() == [d.id for d in seeds]
        assert to_json(index.report()) == to_json(scan(seeds))
    assert _state(str(db)) == _state(str(tmp_path / "t.db"))


def test_cli_batched_add_answers_like_single_adds(tmp_path: Path, seeds: list[Document]) -> None:
    seeds_dir = str(REPO_ROOT / "seeds")
    copy = tmp_path / "in" / "copy.txt"
    copy.parent.mkdir()
    copy.write_text("Syndicated\n\n" + seeds[3].text, encoding="utf-8")
    outputs = {}
    for size in ("1", "3"):
        db = tmp_path / f"b{size}.db"
        result = _cli("index", "add", str(db), seeds_dir, str(copy), "--batch-size", size,
                      "-f", "json")
        assert result.exit_code == 0, result.stderr
        outputs[size] = json.loads(result.stdout.replace(str(db), "DB"))
    assert outputs["1"] == outputs["3"]
    assert outputs["3"]["results"][-1]["related"]
    # Already indexed: one stderr line per article, in batches too; new ones still added.
    again = _cli("index", "add", str(tmp_path / "b3.db"), seeds_dir, str(copy), "--batch-size", "4",
                 "-f", "text")
    assert again.exit_code == 1
    assert len([ln for ln in again.stderr.splitlines() if ": duplicate_id: " in ln]) == 6
    bad = _cli("index", "add", str(tmp_path / "b0.db"), seeds_dir, "--batch-size", "0")
    assert bad.exit_code == 2
    assert not (tmp_path / "b0.db").exists()


def test_every_index_option_is_documented() -> None:
    import typer.main

    from syndetect.cli import app

    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    usage = text[text.index("## Usage"):text.index("## Report format")]
    index_group = typer.main.get_command(app).commands["index"]  # type: ignore[attr-defined]
    missing = []
    for name, command in index_group.commands.items():
        for param in command.params:
            opts = [o for o in param.opts if o.startswith("-")]
            if opts and not any(f"`{o}" in usage for o in opts):
                missing.append(f"index {name} {'/'.join(opts)}")
    assert not missing, f"index options not documented in README Usage: {missing}"


WIRE_STORY = (
    "GENEVA (Reuters) - Glaciers in the Swiss Alps lost four percent of their remaining "
    "volume this year, the second-worst melt since records began in 1914, the Swiss "
    "monitoring network GLAMOS said on Tuesday.\n\n"
    "A dry winter with little snow was followed by two summer heatwaves that pushed the "
    "freezing line above 5,000 metres, higher than the summit of Mont Blanc, for several days "
    "in August.\n\n"
    "The Rhone glacier, whose meltwater feeds Lake Geneva, retreated by a further 40 metres, "
    "and researchers measuring the Gries glacier found ice that had been buried since the "
    "nineteenth century exposed at its tongue.\n\n"
    "Matthias Huss, who heads the network, said the smaller glaciers in eastern Switzerland "
    "could vanish within two decades even if warming stopped today, and that hydropower "
    "operators were already planning for lower summer flows.\n\n"
    "(Reporting by Anna Keller; Editing by Mark Potter)"
)


def _wire_reprint(k: int) -> Document:
    """The wire story as outlet ``k`` prints it: word for word (every key is shared)."""
    return Document(
        id=f"v{k:03d}", outlet=f"Outlet {k}", text=WIRE_STORY,
        published_at=f"2026-08-{1 + k // 24:02d}T{k % 24:02d}:00:00+00:00",
        date_strength="metadata",
    )


def test_a_story_reprinted_past_max_bucket_still_meets_its_latest_copies(target: str) -> None:
    """A bucket over ``max_bucket`` gives its ``overflow_window`` latest members, as
    ``scan`` windows an oversized bucket in document order, instead of nothing: every
    reprint after the bucket fills is still found derived, against the copies added
    just before it, and verifies no more than those."""
    config = Config.from_dict({"candidates": {"max_bucket": 6, "overflow_window": 2}})
    versions = [_wire_reprint(k) for k in range(14)]
    with Index.open(target, config=config) as index:
        results = [index.add(v, detail=True) for v in versions]
        report = index.report()
    assert results[0].pairs == ()
    for k, result in enumerate(results[1:], start=1):
        mine = [p for p in result.pairs if result.document in (p.a, p.b)]
        derived = {p.a if p.b == result.document else p.b for p in mine if p.derived}
        assert derived, f"reprint {k} found no earlier copy"
        if k > 6:  # every bucket it shares is over max_bucket: only the window is left
            assert derived == {f"v{k - 1:03d}", f"v{k - 2:03d}"}, k
            assert result.candidates == 2
        else:
            assert derived == {f"v{j:03d}" for j in range(k)}
    # The stored report (a scan of every stored article) keeps the story in one cluster.
    assert [c.members for c in report.clusters if len(c.members) > 1]
    (story,) = [c for c in report.clusters if len(c.members) > 1]
    assert {m.document for m in story.members} == {v.id for v in versions}


def test_an_oversized_bucket_answers_alike_in_batches(target: str, sibling: str) -> None:
    """``add_many`` sees an oversized bucket's latest members across stored and
    not-yet-written documents of its batch as ``add`` of each in turn does."""
    config = Config.from_dict({"candidates": {"max_bucket": 6, "overflow_window": 2}})
    versions = [_wire_reprint(k) for k in range(14)]

    def decided(results: list[AddResult]) -> list[set[tuple[str, str]]]:
        return [{(p.a, p.b) for p in r.pairs if r.document in (p.a, p.b) and p.derived}
                for r in results]

    with Index.open(target, config=config) as index:
        one_by_one = decided([index.add(v, detail=True) for v in versions])
    with Index.open(sibling, config=config) as index:
        batched = decided(index.add_many(versions, batch_size=5))
    assert batched == one_by_one
    assert [len(d) for d in one_by_one] == [0, 1, 2, 3, 4, 5, 6] + [2] * 7


SITE_HEAD = "The Harbor Gazette\nHome | News | Waterfront | Opinion | Subscribe"
SITE_PROMO = (  # prose, not a shape a page alone betrays: only other pages show it is chrome
    "The Harbor Gazette has covered the waterfront, the port authority and the fishing fleet "
    "of Port Alder since 1898, and is owned by its readers through the Alder Press cooperative."
)
SITE_FOOT = "Copyright 2024 The Harbor Gazette. All rights reserved."


def _site_page(k: int, body: str, when: int) -> Document:
    """A page of one site: the site's header, about paragraph and footer around ``body``."""
    return Document(
        id=f"hg-{k:03d}", outlet="The Harbor Gazette", date_strength="metadata",
        text="\n\n".join([SITE_HEAD, body, SITE_PROMO, SITE_FOOT]),
        published_at=f"2024-03-{1 + when // 24:02d}T{when % 24:02d}:00:00+00:00",
    )


def test_site_chrome_on_thirty_pages_neither_hides_nor_fakes_a_source(target: str) -> None:
    """Thirty pages of one site share its header, about paragraph and footer, with
    buckets capped at 6 members. A later page of the site that reprints an early
    story finds it through the story's own buckets; pages that share nothing but the
    chrome are not called sources, and no reported passage is chrome (the about
    paragraph is prose: only the site's other pages show it is a template)."""
    config = Config.from_dict({"candidates": {"max_bucket": 6, "overflow_window": 2}})
    bodies = []
    for doc in unrelated_articles(30, seed=11):
        parts = doc.text.split("\n\n")[1:-1]  # the article without its own site's chrome
        bodies.append("\n\n".join(parts))
    pages = [_site_page(k, body, k) for k, body in enumerate(bodies)]
    early = bodies[2].split("\n\n")
    reprint = _site_page(99, "\n\n".join(["Harbor pilots' council weighs the plan again",
                                          *early[1:-1]]), 40)
    assert len(early) >= 5  # headline, byline and three or more paragraphs: a real reprint
    with Index.open(target, config=config) as index:
        index.add_many(pages, batch_size=10)
        result = index.add(reprint, detail=True)
    mine = [p for p in result.pairs if reprint.id in (p.a, p.b)]
    derived = {p.a if p.b == reprint.id else p.b for p in mine if p.derived}
    assert derived == {"hg-002"}
    assert len(mine) > 1  # other pages of the site were checked and turned down
    chrome = (SITE_PROMO, SITE_FOOT, "Home | News")
    assert result.matches and not any(c[:40] in m.a.text or c[:40] in m.b.text
                                      for m in result.matches for c in chrome)


def test_a_lone_surrogate_is_stored_as_a_loader_gives_it(target: str) -> None:
    """A ``Document`` made in Python may hold a lone surrogate (JSON ``"\\ud800"``
    decodes to one), which neither SQLite nor Redis nor UTF-8 JSON can hold: the
    index stores U+FFFD in its place, as the loaders do (offsets hold), and finds the
    pair instead of failing the add."""
    text = ("The council approved the harbour plan on Monday after a long debate \ud800 "
            "about costs. The mayor said the vote was close and the plan would go ahead "
            "next spring with money from the port authority and two regional banks.")
    at = text.index("\ud800")
    with Index.open(target) as index:
        index.add(Document(id="sur-a", text=text, outlet="Port Alder Times"))
        result = index.add(Document(id="sur-b", text=text, outlet="Harbor Gazette"),
                           detail=True)
        stored = index.get("sur-a")
    assert [p.derived for p in result.pairs] == [True]
    assert stored is not None and stored.text == text[:at] + "\ufffd" + text[at + 1:]


def test_an_oversized_bucket_counts_latest_members_that_share_the_second_key() -> None:
    """``Pending.hits``: a bucket over ``max_bucket`` gives its ``window`` latest
    members, and of those only the ones that also share the next band of the same set
    (``bucket_pairs`` splits an oversized bucket by that key before it windows);
    a small bucket gives every member, as specific evidence; pending members follow
    the stored ones and replaced ones leave."""
    from syndetect.index.batch import PENDING_SEQ, Pending

    stored = {
        1: (True, [40, 41, 42, 43]),       # oversized, its 4 latest (window 3 + 1 replaced)
        2: (True, [41, 42, 43, 44]),       # the second key of key 1: also oversized
        3: (False, [7, 8]),                # small
        4: (True, [50, 51, 52, 53]),       # oversized, second key 5 is shared by nobody
    }
    table = {1: {2}, 4: {5}}
    asked: list[set[int]] = []

    def second(over: set[int]) -> dict[int, set[int]]:
        asked.append(over)
        return {k: v for k, v in table.items() if k in over}

    pending = Pending()
    hits, overflow = pending.hits([1, 3, 4], stored, second, max_bucket=3, window=3)
    assert hits == {7: 1, 8: 1}
    assert asked == [{1, 4}]  # second keys are asked for the oversized keys only
    # Key 1's window is 41-43, key 2's 42-44: both hold 42 and 43. Key 4 gives nothing.
    assert overflow == {42: 1, 43: 1}
    # A key without a recorded second key (the passage grain) keeps its whole window.
    hits, overflow = pending.hits([4], stored, lambda over: {}, max_bucket=3, window=3)
    assert overflow == {51: 1, 52: 1, 53: 1}
    # A replaced member leaves the window; a pending one joins it, after the stored.
    pending.removed.add(43)
    pending.buckets[1] = [PENDING_SEQ]
    pending.buckets[2] = [PENDING_SEQ]
    hits, overflow = pending.hits([1], stored, second, max_bucket=3, window=3)
    assert overflow == {42: 1, PENDING_SEQ: 1}  # windows 41, 42, P and 42, 44, P
    # A small stored bucket that the batch pushes over max_bucket is windowed too.
    pending = Pending(buckets={3: [PENDING_SEQ, PENDING_SEQ + 1]})
    hits, overflow = pending.hits([3], stored, lambda over: {}, max_bucket=3, window=3)
    assert (hits, overflow) == ({}, {8: 1, PENDING_SEQ: 1, PENDING_SEQ + 1: 1})


def test_second_keys_are_the_next_band_of_the_same_set() -> None:
    def banded(grain: int, rows: list[list[int]]) -> np.ndarray:
        arr = np.empty((len(rows), len(rows[0])), dtype=KEY_DTYPE)
        arr["grain"] = grain
        arr["band"] = np.arange(len(rows[0]))
        arr["key"] = np.array(rows, dtype=np.uint64)
        return arr

    sentences = banded(0, [[10, 11, 12], [20, 11, 22]])  # band 1 shared by both sets
    passages = banded(1, [[10], [30]])                   # one column: no second key
    parts = [sentences, passages]

    def k(grain: int, band: int, value: int) -> int:
        return key_ints(np.array([(grain, band, value)], dtype=KEY_DTYPE))[0]

    wanted = {k(0, 1, 11), k(0, 2, 12), k(1, 0, 10)}
    assert second_keys(parts, wanted) == {
        k(0, 1, 11): {k(0, 2, 12), k(0, 2, 22)},  # two sets share the key
        k(0, 2, 12): {k(0, 0, 10)},               # the last band wraps to the first
    }
    assert second_keys(parts, set()) == {}
