"""Frozen result types shared by every stage.

Every span (``start``, ``end``) indexes the original ``Document.text`` in Python
string positions (code points), so ``document.text[span.start:span.end] == span.text``
holds for every span syndetect reports.

>>> doc = Document(id="a", text="Hello world.")
>>> doc.text[0:5]
'Hello'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["ok", "skipped", "error"]
MatchKind = Literal["verbatim", "near_verbatim", "rewrite"]
Role = Literal["origin", "derivative"]
Derivation = Literal["whole", "partial"]
DateStrength = Literal["metadata", "page", "none"]


@dataclass(frozen=True, slots=True)
class Document:
    """One input article, or a record of an input that could not be read.

    ``status`` is ``"ok"`` for a document that enters detection; ``"skipped"`` or
    ``"error"`` documents carry a machine ``reason`` code and a human ``message``
    and are reported but never matched.

    >>> Document(id="x", text="").status
    'ok'
    """

    id: str
    text: str
    source: str | None = None
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    url: str | None = None
    published_at: str | None = None
    date_is_relative: bool = False
    date_strength: DateStrength = "none"
    date_text: str | None = None
    language: str | None = None
    status: Status = "ok"
    reason: str | None = None
    message: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    site: str | None = None
    """The site the page belongs to (registered domain, see ``syndetect.site``), if known."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A paragraph or sentence of a document, with offsets into ``Document.text``.

    ``norm`` is the matching form (NFKC, folded case, unified quotes and dashes);
    ``boilerplate`` marks template text that is kept out of matching.
    """

    doc_id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    norm: str
    kind: Literal["paragraph", "sentence"] = "sentence"
    boilerplate: bool = False

    def as_boilerplate(self) -> Segment:
        """This segment labelled as template text (``dataclasses.replace`` is several
        times slower, and a corpus labels a third of its segments)."""
        return Segment(self.doc_id, self.index, self.paragraph, self.start, self.end,
                       self.text, self.norm, self.kind, True)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one document: ``text == document.text[start:end]``."""

    document: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Match:
    """A passage shared by two documents, aligned with offsets in both.

    ``similarity`` is in [0, 1]; ``kind`` says how the passage was reused.
    """

    a: Span
    b: Span
    similarity: float
    kind: MatchKind


@dataclass(frozen=True, slots=True)
class PairDecision:
    """Aggregated evidence for one document pair (``a`` < ``b`` by id).

    ``coverage_a`` is the share of ``a``'s non-boilerplate text covered by matches
    to ``b`` (likewise ``coverage_b``); ``score`` in [0, 1] and ``derived`` is the
    decision; ``decided_by`` names the rule that made it (``verbatim_passage``,
    ``score``, ``rewrite_sequence``) or why the pair is not derived
    (``not_derived: <why>``); see ``syndetect.detect.decide``.
    """

    a: str
    b: str
    score: float
    derived: bool
    coverage_a: float
    coverage_b: float
    n_passages: int
    ordered: float
    rare_shared: int
    matches: tuple[Match, ...]
    features: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    decided_by: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    """A document's place in a story cluster."""

    document: str
    role: Role
    derived_from: str | None
    derivation: Derivation | None
    relation: MatchKind | None
    coverage: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """A story: documents linked by verified reuse, with provenance."""

    id: str
    origin: str | None
    confidence: float
    evidence: tuple[str, ...]
    members: tuple[Member, ...]
    matches: tuple[Match, ...]
    external_origin: str | None = None


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Template or ad text found across (or repeated within) documents."""

    text: str
    documents: tuple[str, ...]
    count: int


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of the report's ``documents`` section."""

    id: str
    source: str | None
    title: str | None
    outlet: str | None
    byline: str | None
    url: str | None
    published_at: str | None
    date_is_relative: bool
    status: Status
    reason: str | None
    message: str | None
    n_paragraphs: int
    n_boilerplate: int
    site: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of a scan; ``to_dict()`` and ``to_json()`` give its JSON form.

    >>> r = Report(documents=(), clusters=(), boilerplate=(), pairs=(), config={}, stats={})
    >>> r.to_dict()["schema_version"], r.to_json(indent=None)[:18]
    (1, '{"boilerplate": []')
    """

    documents: tuple[DocumentSummary, ...]
    clusters: tuple[Cluster, ...]
    boilerplate: tuple[Boilerplate, ...]
    pairs: tuple[PairDecision, ...]
    config: dict[str, Any]
    stats: dict[str, Any]

    def to_dict(self, *, timings: bool = False) -> dict[str, Any]:
        """``syndetect.report.to_dict(self)``: the JSON-ready form, ``schema_version`` first."""
        from .report import to_dict  # report.py builds on these types

        return to_dict(self, timings=timings)

    def to_json(self, *, indent: int | None = 2, timings: bool = False) -> str:
        """``syndetect.report.to_json(self)``: the JSON text, byte-stable for the same report."""
        from .report import to_json

        return to_json(self, indent=indent, timings=timings)
