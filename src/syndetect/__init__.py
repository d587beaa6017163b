"""syndetect: find syndicated and rewritten news, and say who copied whom.

The one-shot call is ``scan(load_documents(paths), Config())``; ``to_json`` (or
``Report.to_json()``) gives the versioned JSON report (``SCHEMA_VERSION``). The
streaming index is ``Index.open(path)`` (add, query, report)::

    >>> from syndetect import Document, scan, to_dict
    >>> report = scan([Document(id="a", text="A single short article.")])
    >>> to_dict(report)["schema_version"], [d.status for d in report.documents]
    (1, ['ok'])

Exceptions are for the caller's mistakes (see ``syndetect.errors``); problems with
one input are data: a document row with ``status`` "skipped" or "error".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .config import (
    AlignConfig,
    BoilerplateConfig,
    CandidateConfig,
    ClusterConfig,
    Config,
    DecisionConfig,
    MinHashConfig,
    ProvenanceConfig,
    SegmentConfig,
)
from .errors import (
    BackendError,
    ConfigError,
    IndexFormatError,
    InputError,
    MissingExtraError,
    SyndetectError,
)
from .index import Index
from .pipeline import scan
from .report import SCHEMA_VERSION, from_dict, to_dict, to_json
from .types import (
    Boilerplate,
    Cluster,
    Document,
    DocumentSummary,
    Match,
    Member,
    PairDecision,
    Report,
    Segment,
    Span,
)

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from .load import load_documents


def __getattr__(name: str) -> Any:
    # The loaders pull in trafilatura and warcio; import them only when asked for.
    if name == "load_documents":
        from .load import load_documents

        return load_documents
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "AlignConfig",
    "Boilerplate",
    "BoilerplateConfig",
    "BackendError",
    "CandidateConfig",
    "Cluster",
    "ClusterConfig",
    "Config",
    "ConfigError",
    "DecisionConfig",
    "Document",
    "DocumentSummary",
    "Index",
    "IndexFormatError",
    "InputError",
    "Match",
    "Member",
    "MinHashConfig",
    "MissingExtraError",
    "PairDecision",
    "ProvenanceConfig",
    "Report",
    "Segment",
    "SegmentConfig",
    "Span",
    "SyndetectError",
    "__version__",
    "from_dict",
    "load_documents",
    "scan",
    "to_dict",
    "to_json",
]
