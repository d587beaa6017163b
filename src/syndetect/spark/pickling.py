"""Faster pickling of the core's records between Spark stages.

Frozen slotted dataclasses (``Segment``, ``Document``, ``PairDecision``, ...) pickle
through ``dataclasses._dataclass_getstate``/``_setstate``, which call
``dataclasses.fields`` for every object: most of the Python workers' pickling time
at 10k articles, since every shuffle moves segments. ``register()`` adds a
``copyreg`` reducer per class: the field values in one ``attrgetter`` call, rebuilt
by the class itself (``cls(*values)``; every field is an ``__init__`` argument). The
objects that come back are equal to the ones that left, of the same class. Importing
``syndetect.spark.stages`` registers them in each worker, and an unpickled record
imports this module (and so registers them) through its rebuild function.
"""

from __future__ import annotations

import copyreg
import dataclasses
from operator import attrgetter
from typing import Any

_DONE: set[type] = set()


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    return cls(*values)


def _reducer(cls: type) -> Any:
    names = [f.name for f in dataclasses.fields(cls)]
    get = attrgetter(*names)
    one = len(names) == 1

    def reduce(obj: Any) -> tuple[Any, tuple[type, tuple[Any, ...]]]:
        values = get(obj)
        return _rebuild, (cls, (values,) if one else values)

    return reduce


def register() -> None:
    """Register the reducers (once per process)."""
    from .. import types
    from ..align import SentencePair

    classes = [SentencePair] + [
        obj for obj in vars(types).values()
        if isinstance(obj, type) and dataclasses.is_dataclass(obj)
        and obj.__module__ == types.__name__
    ]
    for cls in classes:
        if cls in _DONE or not all(f.init for f in dataclasses.fields(cls)):
            continue
        copyreg.pickle(cls, _reducer(cls))
        _DONE.add(cls)


register()
