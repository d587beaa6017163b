"""Backend failures as one exception: ``BackendError`` instead of a driver's own.

A damaged SQLite file, a full disk, a Redis server that went away or refuses a
command: the caller cannot fix these by changing arguments, and the CLI exits
with its own code for them (3). :func:`translate` wraps a backend class so that
every public method (iterators and the ``session`` context manager included)
raises :class:`~syndetect.errors.BackendError` with a one-line message naming
the index and the fix, the driver's exception chained as its cause. A
transaction that fails is rolled back by the backend itself, so the index
keeps every write committed before the failure and nothing of the failed one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, TypeVar

from ..errors import BackendError

T = TypeVar("T", bound=type)

Describe = Callable[[Any, BaseException], str]


class _GuardedContext:
    def __init__(self, inner: Any, owner: Any, errors: tuple[type[BaseException], ...],
                 describe: Describe) -> None:
        self.inner, self.owner, self.errors, self.describe = inner, owner, errors, describe

    def __enter__(self) -> Any:
        try:
            return self.inner.__enter__()
        except self.errors as exc:
            raise BackendError(self.describe(self.owner, exc)) from exc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool | None:
        try:
            return self.inner.__exit__(exc_type, exc, tb)  # type: ignore[no-any-return]
        except self.errors as err:
            raise BackendError(self.describe(self.owner, err)) from err


def translate(errors: tuple[type[BaseException], ...], describe: Describe) -> Callable[[T], T]:
    """Class decorator: public methods raise BackendError for any of ``errors``."""

    def wrap_method(fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
                try:
                    yield from fn(self, *args, **kwargs)
                except errors as exc:
                    raise BackendError(describe(self, exc)) from exc
            return gen

        @functools.wraps(fn)
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                out = fn(self, *args, **kwargs)
            except errors as exc:
                raise BackendError(describe(self, exc)) from exc
            if hasattr(out, "__enter__") and hasattr(out, "__exit__") and fn.__name__ == "session":
                return _GuardedContext(out, self, errors, describe)
            return out
        return call

    def decorate(cls: T) -> T:
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or not inspect.isfunction(value) or name == "close":
                continue
            setattr(cls, name, wrap_method(value))
        return cls

    return decorate


__all__ = ["translate"]
