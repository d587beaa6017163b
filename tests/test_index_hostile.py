"""Index backends under attack and failure (issue 12): key collisions, damage, full disks.

Real SQLite files and real redis-servers (private ones where the test stops,
restarts or reconfigures the server); the CLI is run as a user runs it.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import make_hostile as mh
import pytest
from typer.testing import CliRunner

from syndetect import Document
from syndetect.cli import EXIT_BACKEND, EXIT_OK, app
from syndetect.errors import BackendError, InputError
from syndetect.index import Index


def docs(n: int, *, ids: list[str] | None = None) -> list[Document]:
    names = ids or [f"story-{i}.txt" for i in range(n)]
    return [Document(id=name, text=mh.article(i)) for i, name in enumerate(names)]


def corpus_dir(root: Path, n: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"a{i:02d}.txt").write_text(f"Story {i}\n\n{mh.article(i)}\n")
    return root


def with_prefix(url: str, prefix: str) -> str:
    return f"{url.split('?')[0]}?prefix={prefix}"


@pytest.fixture
def prefix() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def _keys(url: str, pattern: bytes) -> list[bytes]:
    import redis

    r = redis.Redis.from_url(url.split("?")[0])
    try:
        return sorted(r.scan_iter(match=pattern, count=1000))
    finally:
        r.close()


def _drop(*targets: str) -> None:
    from syndetect.index.redis import RedisStorage

    for target in targets:
        storage = RedisStorage(target)
        storage.drop()
        storage.close()


# --------------------------------------------------------------------------- Redis keys


def test_rebuild_deletes_only_its_own_keys(redis_url: str, prefix: str) -> None:
    news, archive = with_prefix(redis_url, prefix), with_prefix(redis_url, f"{prefix}:archive")
    try:
        with Index.open(archive) as ix:
            ix.add_many(docs(3))
        before = _keys(redis_url, b"*" + prefix.encode() + b":archive*")
        with Index.open(news) as ix:
            ix.add_many(docs(2))
        assert Index.rebuild(news) == 2
        assert _keys(redis_url, b"*" + prefix.encode() + b":archive*") == before
        with Index.open(archive) as ix:
            assert len(ix) == 3 and len(ix.report().documents) == 3
    finally:
        _drop(news, archive)


def test_document_id_meta_cannot_overwrite_another_index(redis_url: str, prefix: str) -> None:
    other, mine = with_prefix(redis_url, f"{prefix}:id"), with_prefix(redis_url, prefix)
    try:
        with Index.open(other) as ix:
            ix.add_many(docs(2))
            header = ix.header
        with Index.open(mine) as ix:
            ix.add_many(docs(3, ids=["meta", "counters", "x}:meta"]))
            assert sorted(ix.ids()) == ["counters", "meta", "x}:meta"]
        with Index.open(other) as ix:
            assert ix.header == header
            assert len(ix.report().documents) == 2
    finally:
        _drop(other, mine)


@pytest.mark.parametrize("bad", ["a b", "{x}", "x*", "", "-x", "a" * 101, "x\x1b"])
def test_prefix_is_validated(redis_url: str, bad: str) -> None:
    with pytest.raises(InputError, match="prefix"):
        Index.open(with_prefix(redis_url, bad))


def test_database_must_be_a_number(redis_url: str) -> None:
    base = redis_url.split("?")[0].rsplit("/", 1)[0]
    with pytest.raises(InputError, match="database must be a number"):
        Index.open(f"{base}/notanint")


def test_database_out_of_range_is_a_backend_error_exit_3(redis_url: str) -> None:
    base = redis_url.split("?")[0].rsplit("/", 1)[0]
    with pytest.raises(BackendError, match="databases"):
        Index.open(f"{base}/99")
    result = CliRunner().invoke(app, ["index", "report", f"{base}/99", "-f", "json"])
    assert result.exit_code == EXIT_BACKEND
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_unix_socket_url(tmp_path: Path, start_redis: Any) -> None:
    sock = tmp_path / "redis.sock"
    proc, _ = start_redis("--unixsocket", str(sock), "--appendonly", "no")
    with Index.open(f"unix://{sock}?db=1&prefix=sock") as ix:
        ix.add_many(docs(2))
    with Index.open(f"unix://{sock}?db=1&prefix=sock", create=False) as ix:
        assert len(ix) == 2
    del proc


def test_layout_1_index_is_migrated_by_exact_keys(redis_url: str, prefix: str) -> None:
    import redis

    target = with_prefix(redis_url, prefix)
    neighbour = with_prefix(redis_url, f"{prefix}:d")  # layout-1 keys p:d:* would match it
    try:
        with Index.open(target) as ix:
            ix.add_many(docs(4))
            expected = ix.report()
        with Index.open(neighbour) as ix:
            ix.add_many(docs(1))
        # Turn the index back into layout 1: the same keys without the hash-tag braces.
        r = redis.Redis.from_url(redis_url.split("?")[0])
        tag = ("{" + prefix + "}").encode()
        for key in list(r.scan_iter(match=tag + b":*")):
            r.rename(key, prefix.encode() + key[len(tag):])
        r.hdel(f"{prefix}:meta", "redis_layout", "redis_migrations")
        with Index.open(target) as ix:
            assert ix.ids() == [d.id for d in docs(4)]
            assert ix.header["redis_migrations"][-1] == "0002_hash_tagged_keys"
            assert ix.report().clusters == expected.clusters
        left = [k for k in r.scan_iter(match=prefix.encode() + b":*")
                if not k.startswith(f"{prefix}:d".encode() + b"}")]
        assert left == []  # every layout-1 key is gone
        with Index.open(neighbour) as ix:
            assert ix.ids() == ["story-0.txt"]
        r.close()
    finally:
        _drop(target, neighbour)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_hostile_ids_round_trip(backend: str, tmp_path: Path, request: pytest.FixtureRequest,
                                prefix: str) -> None:
    ids = ["meta", "a\x1b[2J\nb", "x:id:y", "{tag}", "\u202eevil", "caf\ufffd.txt"]
    if backend == "sqlite":
        target = str(tmp_path / "ix.db")
    else:
        target = with_prefix(request.getfixturevalue("redis_url"), prefix)
    try:
        with Index.open(target) as ix:
            ix.add_many(docs(len(ids), ids=ids))
            assert ix.ids() == ids
            assert all(ix.get(i) is not None and ix.get(i).id == i for i in ids)  # type: ignore
            assert ix.remove("a\x1b[2J\nb") and "a\x1b[2J\nb" not in ix
    finally:
        if backend == "redis":
            _drop(target)


# --------------------------------------------------------------------------- SQLite failures


def test_damaged_sqlite_pages_are_one_line_and_exit_3(tmp_path: Path) -> None:
    target = tmp_path / "ix.db"
    with Index.open(target) as ix:
        ix.add_many(docs(12))
    data = bytearray(target.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):  # keep page 1 (the header)
        data[start + 100 : start + page] = os.urandom(page - 100)
    target.write_bytes(bytes(data))
    result = CliRunner().invoke(app, ["index", "report", str(target), "-f", "json"])
    assert result.exit_code == EXIT_BACKEND, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and str(target) in lines[0]


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (160_000, 160_000))


def test_full_disk_during_add_prints_committed_results_and_exits_3(tmp_path: Path) -> None:
    target = tmp_path / "ix.db"
    corpus = corpus_dir(tmp_path / "c", 30)
    syndetect = shutil.which("syndetect") or "syndetect"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "syndetect", "index", "add", str(target), str(corpus),
         "-f", "json", "-q"],
        preexec_fn=_limit_file_size, capture_output=True, text=True, env=env, timeout=300,
    )
    assert syndetect
    assert proc.returncode == EXIT_BACKEND, proc.stderr
    assert proc.stderr.count("\n") == 1 and "SQLite failed" in proc.stderr
    printed = [r["document"] for r in json.loads(proc.stdout)["results"] if r["stored"]]
    assert 0 < len(printed) < 30
    conn = sqlite3.connect(target)
    stored = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY seq")]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert stored == printed


@pytest.fixture
def readonly_mount(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs that the test can remount read-only (needs root and mount rights)."""
    point = tmp_path / "mnt"
    point.mkdir()
    if os.geteuid() != 0 or subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(point)], capture_output=True
    ).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root with mount rights)")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)


def test_read_only_file_system_lets_report_and_query_work(
    readonly_mount: Path, tmp_path: Path
) -> None:
    target = readonly_mount / "ix.db"
    with Index.open(target) as ix:
        ix.add_many(docs(3))
    subprocess.run(["mount", "-o", "remount,ro", str(readonly_mount)], check=True)
    runner = CliRunner()
    report = runner.invoke(app, ["index", "report", str(target), "-f", "json"])
    assert report.exit_code == EXIT_OK, report.output
    assert len(json.loads(report.stdout)["documents"]) == 3
    corpus = corpus_dir(tmp_path / "q", 1)
    query = runner.invoke(app, ["index", "query", str(target), str(corpus), "-f", "json"])
    assert query.exit_code == EXIT_OK, query.output
    add = runner.invoke(app, ["index", "add", str(target), str(corpus), "-f", "json"])
    assert add.exit_code == EXIT_BACKEND and "read-only" in add.stderr


# --------------------------------------------------------------------------- Redis failures


def test_redis_stopped_mid_add_prints_committed_results_and_exits_3(
    tmp_path: Path, start_redis: Any
) -> None:
    import redis

    proc, url = start_redis("--appendonly", "yes", "--appendfsync", "always",
                            "--dir", str(tmp_path))
    target = with_prefix(url, "mid")
    corpus = corpus_dir(tmp_path / "c", 12)
    watcher = redis.Redis.from_url(url)

    def stop_after_three() -> None:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if watcher.hlen("{mid}:ids") >= 3:
                    watcher.shutdown(nosave=True)
                    return
            except redis.ConnectionError:
                return
            time.sleep(0.002)

    thread = threading.Thread(target=stop_after_three)
    thread.start()
    try:
        result = CliRunner().invoke(app, ["index", "add", target, str(corpus), "-f", "json",
                                          "-q"])
    finally:
        thread.join()
        proc.wait(timeout=30)
    assert result.exit_code == EXIT_BACKEND, result.output
    assert result.stderr.count("\n") == 1 and "Redis failed" in result.stderr
    printed = [r["document"] for r in json.loads(result.stdout)["results"] if r["stored"]]
    assert len(printed) >= 3
    # Restart on the same append-only file: everything printed was stored, nothing half.
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    again = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                              "--appendonly", "yes", "--dir", str(tmp_path), "--save", ""],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if redis.Redis.from_url(url).ping():
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        with Index.open(target, create=False) as ix:
            stored = ix.ids()
            assert len(ix.report().documents) == len(stored)
        assert stored[: len(printed)] == printed and len(stored) - len(printed) <= 1
    finally:
        again.terminate()
        again.wait(timeout=10)


def test_redis_refusing_writes_is_exit_3(tmp_path: Path, start_redis: Any) -> None:
    import redis

    _, url = start_redis("--appendonly", "no")
    redis.Redis.from_url(url).config_set("maxmemory", "1")  # every write: OOM
    result = CliRunner().invoke(app, ["index", "add", with_prefix(url, "oom"),
                                      str(corpus_dir(tmp_path / "c", 2)), "-f", "json"])
    assert result.exit_code == EXIT_BACKEND
    assert "Redis failed" in result.stderr and result.stderr.count("\n") == 1
