"""Progress callbacks: ``progress(stage, done, total)``, called by every long stage.

The core never draws anything: stages take an optional callback and report how
far they are; the CLI turns the calls into rich progress bars, a library user
into whatever they like. ``Ticker`` throttles the calls to about a hundred per
stage, so a callback costs nothing next to the work.

>>> calls = []
>>> tick = Ticker(lambda *a: calls.append(a), "decide", 1000)
>>> for _ in range(1000):
...     tick()
>>> calls[0], calls[-1], len(calls)
(('decide', 0, 1000), ('decide', 1000, 1000), 101)
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): ``done`` of ``total`` units of ``stage`` are finished."""


class Ticker:
    """Counts the units of one stage and calls ``progress`` every ~1% and at the end."""

    __slots__ = ("_last", "_step", "done", "progress", "stage", "total")

    def __init__(self, progress: Progress | None, stage: str, total: int, *,
                 updates: int = 100) -> None:
        self.progress = progress
        self.stage = stage
        self.total = max(int(total), 0)
        self.done = 0
        self._last = 0
        self._step = max(1, -(-self.total // max(updates, 1)))  # ceil: at most `updates` calls
        if progress is not None:
            progress(stage, 0, self.total)

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (
            self.done - self._last >= self._step or self.done >= self.total
        ):
            self._last = self.done
            self.progress(self.stage, min(self.done, self.total), self.total)

    def finish(self) -> None:
        """Report the stage complete (whatever was counted)."""
        if self.progress is not None and self._last < self.total:
            self._last = self.done = self.total
            self.progress(self.stage, self.total, self.total)


def stage_done(progress: Progress | None, stage: str, total: int = 1) -> None:
    """Report a stage that runs in one go (vectorised) as complete."""
    if progress is not None:
        progress(stage, total, total)


__all__ = ["Progress", "Ticker", "stage_done"]
