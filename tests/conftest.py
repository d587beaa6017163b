"""Shared fixtures: the repository's files and a small synthetic report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from syndetect.report import load_schema
from syndetect.types import (
    Boilerplate,
    Cluster,
    DocumentSummary,
    Match,
    Member,
    PairDecision,
    Report,
    Span,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"

# The benchmark scripts (counter_eval, eval_data, synth ...) and the hostile corpus
# writer are imported by the tests as plain modules, from one place.
for _folder in (REPO_ROOT / "benchmarks", REPO_ROOT / "tests" / "data" / "hostile"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def report_schema() -> dict[str, Any]:
    return load_schema()


# Three texts: b rewrites a, c copies part of b. Spans are cut from these texts so
# the report invariant text == document_text[start:end] holds.
SAMPLE_TEXTS = {
    "a.txt": "Liangzhu is a quiet suburb. Founders talk about AI on Saturdays.",
    "b.txt": "A quiet suburb, Liangzhu, rivals Silicon Valley. Founders talk about AI.",
    "c.txt": "Blog: Founders talk about AI. Sponsored Links",
}


def span(doc: str, fragment: str) -> Span:
    text = SAMPLE_TEXTS[doc]
    start = text.index(fragment)
    return Span(document=doc, start=start, end=start + len(fragment), text=fragment)


def make_sample_report() -> Report:
    """A report with one cluster (a -> b -> c), a skipped input and boilerplate."""
    m_ab = Match(span("a.txt", "Liangzhu is a quiet suburb."),
                 span("b.txt", "A quiet suburb, Liangzhu, rivals Silicon Valley."),
                 0.61234567, "rewrite")
    m_ab2 = Match(span("a.txt", "Founders talk about AI"), span("b.txt", "Founders talk about AI"),
                  1.0, "verbatim")
    m_bc = Match(span("b.txt", "Founders talk about AI."), span("c.txt", "Founders talk about AI."),
                 0.98, "verbatim")
    docs = tuple(
        DocumentSummary(
            id=doc_id, source=f"corpus/{doc_id}", title=f"Title {doc_id}", outlet=outlet,
            byline=None, url=None, published_at=date, date_is_relative=relative,
            status="ok", reason=None, message=None, n_paragraphs=2, n_boilerplate=n_boiler,
        )
        for doc_id, outlet, date, relative, n_boiler in (
            ("a.txt", "The New York Times", "2025-05-09", False, 0),
            ("b.txt", "Times of India", "2025-05-10T00:00:00+00:00", True, 0),
            ("c.txt", None, None, False, 1),
        )
    ) + (
        DocumentSummary(
            id="empty.txt", source="corpus/empty.txt", title=None, outlet=None, byline=None,
            url=None, published_at=None, date_is_relative=False, status="skipped",
            reason="empty", message="file is empty", n_paragraphs=0, n_boilerplate=0,
        ),
    )
    cluster = Cluster(
        id="c-a.txt",
        origin="a.txt",
        confidence=0.87654321,
        evidence=('b.txt credits "The New York Times" 1 time',),
        members=(
            Member("a.txt", "origin", None, None, None, 1.0),
            Member("b.txt", "derivative", "a.txt", "whole", "rewrite", 0.71, ("covers 71%",)),
            Member("c.txt", "derivative", "b.txt", "partial", "verbatim", 0.5),
        ),
        matches=(m_bc, m_ab, m_ab2),
    )
    pairs = (
        PairDecision("a.txt", "b.txt", 0.9, True, 0.8, 0.71, 2, 1.0, 3, (m_ab, m_ab2)),
        PairDecision("b.txt", "c.txt", 0.7, True, 0.3, 0.5, 1, 1.0, 0, (m_bc,)),
        PairDecision("a.txt", "c.txt", 0.1, False, 0.1, 0.2, 1, 1.0, 0, ()),
    )
    return Report(
        documents=docs,
        clusters=(cluster,),
        boilerplate=(Boilerplate("Sponsored Links", ("c.txt",), 1),),
        pairs=pairs,
        config={"decision": {"threshold": 0.5}, "fingerprint": "0123456789abcdef"},
        stats={"documents": 4, "documents_ok": 3, "seconds_total": 0.123},
    )


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return dict(SAMPLE_TEXTS)


@pytest.fixture
def sample_report() -> Report:
    return make_sample_report()


# --------------------------------------------------------------------------- Redis


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_redis(*args: str) -> tuple[Any, str]:
    """A private redis-server on 127.0.0.1 (skip when none is installed): (process, URL)."""
    import shutil
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server (apt-get install redis-server) to run the Redis tests")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        if redis_answers(url):
            return proc, url
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"redis-server did not start on port {port}")


@pytest.fixture(scope="session")
def redis_url() -> Any:
    """A Redis URL: SYNDETECT_TEST_REDIS_URL, or a server started for this session."""
    import os

    url = os.environ.get("SYNDETECT_TEST_REDIS_URL")
    if url:
        if not redis_answers(url):
            pytest.fail(f"SYNDETECT_TEST_REDIS_URL={url} is set but no Redis answers there")
        yield url
        return
    proc, url = _start_redis("--appendonly", "no")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def start_redis() -> Any:
    """Start private redis-servers (``start_redis(*args) -> (process, URL)``); stopped after."""
    procs: list[Any] = []

    def start(*args: str) -> tuple[Any, str]:
        proc, url = _start_redis(*args)
        procs.append(proc)
        return proc, url

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
