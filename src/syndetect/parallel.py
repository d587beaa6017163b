"""Worker processes for the stages that pay for them: signing and pair decisions.

Both fork: a child inherits the sentence table, the documents and the vocabulary
without copying or pickling them, and only results travel back. Each unit of work
is computed exactly as one process computes it and results are put back in order,
so the output does not depend on the number of workers (``SYNDETECT_WORKERS``
sets it; tests compare 1 and 3). Where ``fork`` does not exist, one process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

MAX_WORKERS = 4
"""More processes than this add memory (each touches its share of the parent's pages)
sooner than they add speed on the machines syndetect is run on."""


def release_memory() -> None:
    """Hand memory freed by a finished stage back to the operating system.

    glibc keeps freed heap memory for reuse; after a stage that built and dropped
    hundreds of megabytes of temporary arrays (a corpus-wide table, candidate pairs),
    that memory would stay in the process's resident size through every later
    stage and add up to the peak. ``malloc_trim`` returns it; elsewhere a no-op.
    """
    global _trim
    if _trim is None:
        try:
            import ctypes

            _trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if _trim:
        _trim(0)


_trim: Any = None


def usable_workers(n_units: int, min_units: int) -> int:
    """Processes for ``n_units`` units of work: 1 below ``min_units`` (forking costs
    more than it saves), else the usable cores, at most ``MAX_WORKERS``;
    ``SYNDETECT_WORKERS`` overrides both."""
    env = os.environ.get("SYNDETECT_WORKERS")
    if env:
        return max(1, int(env))
    if n_units < min_units or not hasattr(os, "fork"):
        return 1
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else (os.cpu_count() or 1))
    return max(1, min(MAX_WORKERS, cores))


@contextmanager
def frozen_heap() -> Iterator[None]:
    """The parent's objects out of the garbage collector's reach while children are
    forked from it (``gc.freeze``), and back afterwards.

    A forked child shares the parent's pages until it writes to one. A collection in
    the child writes into the header of every container object it traverses, so the
    first full collection there copies most of the parent's heap: two decision
    workers forked from a 300k-article scan (a 16 GB parent) took the machine's
    last 7 GB and the scan was killed. Frozen objects are not traversed; the child
    then copies only the pages it really writes (reference counts of what it reads).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_job: Callable[[int, int], Any] | None = None
"""The job a forked pool runs: set before the fork, read in the children."""


def _run_range(bounds: tuple[int, int]) -> tuple[int, Any]:
    job = _job
    if job is None:  # pragma: no cover - map_ranges sets it before the fork
        raise RuntimeError("map_ranges: no job in this worker")
    return bounds[1] - bounds[0], job(*bounds)


def map_ranges(
    job: Callable[[int, int], T], n: int, workers: int
) -> Iterator[tuple[int, T]]:
    """``(hi - lo, job(lo, hi))`` over consecutive ranges covering ``range(n)``, in order.

    With several workers, ``workers - 1`` forked processes take ranges from the
    front and the parent itself takes them from the back until they meet: the
    parent works instead of waiting, so one process fewer copies the parent's
    memory (a forked child copies every page whose reference counts it touches: a
    job should read arrays, as pair decisions read ``RowColumns``, rather than
    millions of Python objects). Children inherit ``job`` and
    everything it reads; results are yielded in range order (the parent's, from the
    back, once the front is done), so the output is the one-process output. Ranges
    are small (a big story's pairs sit together in id order), so the processes stay
    evenly loaded. A failure in any of them raises here.

    >>> [r for _, r in map_ranges(lambda lo, hi: list(range(lo, hi)), 40, 1)][:2]
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]]
    """
    size = max(16, min(512, n // max(1, workers * 32)))
    ranges = [(lo, min(n, lo + size)) for lo in range(0, n, size)]
    if workers <= 1 or len(ranges) < 2:
        for lo, hi in ranges:
            yield hi - lo, job(lo, hi)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    global _job
    _job = job
    children = workers - 1
    # An executor, not ``multiprocessing.Pool``: when a range fails, ``Pool.terminate``
    # can hang on its task-feeding thread; the executor's shutdown waits instead.
    pool = ProcessPoolExecutor(children, mp_context=multiprocessing.get_context("fork"))
    front, back = 0, len(ranges)  # children take ranges[front], the parent ranges[back - 1]
    in_flight: deque[Future[tuple[int, Any]]] = deque()
    mine: list[tuple[int, T]] = []  # the parent's results, last range first
    try:
        with frozen_heap():
            while True:
                # Keep two ranges queued per child, so none waits for the next.
                while front < back and len(in_flight) < 2 * children:
                    in_flight.append(pool.submit(_run_range, ranges[front]))
                    front += 1
                while in_flight and in_flight[0].done():
                    yield in_flight.popleft().result()
                if front < back:
                    back -= 1
                    lo, hi = ranges[back]
                    mine.append((hi - lo, job(lo, hi)))
                elif in_flight:
                    yield in_flight.popleft().result()
                else:
                    break
        yield from reversed(mine)
    finally:
        # Workers are joined, so their CPU counts in the parent's RUSAGE_CHILDREN.
        pool.shutdown(wait=True, cancel_futures=True)
        _job = None


__all__ = ["MAX_WORKERS", "frozen_heap", "map_ranges", "usable_workers"]
