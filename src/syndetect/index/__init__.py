"""The streaming index: add articles as they arrive, ask what each one copies.

``Index`` (``index.core``) is a shell over the same stage functions as ``scan``;
it adds storage and nothing else that decides anything. The modules:

- ``core``: ``Index`` (open, add, add_many, query, remove, report, rebuild) and
  ``open_storage``, which picks the backend a target names;
- ``decide``: one document against its candidates, with the core's stages;
- ``result``: ``AddResult``, what ``add`` and ``query`` return;
- ``base``: records, band keys, the versioned header, the ``Storage`` interface;
- ``batch``: the documents of a batch not yet written, seen as if stored;
- ``sqlite``, ``redis``: the two backends (``redis_server``: the Redis URL,
  server-side scripts and error messages); ``failures``: storage errors.
"""

from __future__ import annotations

from .base import FORMAT_VERSION, DuplicateIdError
from .core import Index, open_storage
from .decide import group_prepare
from .result import AddResult

__all__ = ["FORMAT_VERSION", "AddResult", "DuplicateIdError", "Index", "group_prepare",
           "open_storage"]
