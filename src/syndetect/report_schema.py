"""The JSON report's one typed definition, from which ``schema/report.schema.json`` is generated.

``report.to_dict`` writes this shape; the shipped schema is ``generate_schema()``'s
output, and a test checks the two are equal, so the schema cannot drift from the
definition. Regenerate after changing a model::

    python -m syndetect.report_schema > src/syndetect/schema/report.schema.json

The models use pydantic (already installed with typer, so it adds no
dependency) and are imported only to generate or check the schema, never by
``scan``.

>>> generate_schema()["properties"]["schema_version"]
{'const': 1, 'type': 'integer'}
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema

from .report import SCHEMA_VERSION, TOOL_NAME

Unit = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]
Id = Annotated[str, Field(min_length=1)]
Relation = Literal["verbatim", "near_verbatim", "rewrite"]
Evidence = list[Annotated[str, Field(min_length=1)]]


class _Closed(BaseModel):
    """A JSON object with exactly these fields (unknown ones are refused)."""

    model_config = ConfigDict(extra="forbid")


class Tool(_Closed):
    name: Literal["syndetect"]
    version: Annotated[str, Field(min_length=1)]


class Document(_Closed):
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"status": {"enum": ["skipped", "error"]}}},
        "then": {"properties": {"reason": {"type": "string", "minLength": 1}}},
    })

    id: Id
    source: str | None
    title: str | None
    outlet: str | None
    site: str | None = Field(
        None, description="The site the page belongs to: registered domain of its URL "
        "(public-suffix aware) or a declared site; null when unknown.")
    byline: str | None
    url: str | None
    published_at: Annotated[str, Field(pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}")] | None = Field(
        description="ISO 8601 date or date-time, or null when the page shows none.")
    date_is_relative: bool
    status: Literal["ok", "skipped", "error"]
    reason: str | None
    message: str | None
    n_paragraphs: Count
    n_boilerplate: Count


class Span(_Closed):
    document: Id
    start: Count
    end: Count
    text: str


class Match(_Closed):
    a: Span
    b: Span
    similarity: Unit
    kind: Relation


class Member(_Closed):
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"role": {"const": "origin"}}},
        "then": {"properties": {"derived_from": {"type": "null"}}},
    })

    document: Id
    role: Literal["origin", "derivative"]
    derived_from: str | None
    derivation: Literal["whole", "partial"] | None
    relation: Relation | None
    coverage: Unit
    evidence: Evidence


class Cluster(_Closed):
    id: Id
    origin: str | None = Field(
        description="Document id of the origin, or null when it lies outside the corpus.")
    external_origin: str | None = Field(
        description="The outlet credited as the source when the origin is outside the corpus.")
    confidence: Unit
    evidence: Evidence
    members: list[Member] = Field(min_length=2)
    matches: list[Match]


class Boilerplate(_Closed):
    text: Annotated[str, Field(min_length=1)]
    documents: list[Id] = Field(min_length=1, json_schema_extra={"uniqueItems": True})
    count: Annotated[int, Field(ge=1)]


class Pair(_Closed):
    a: Id
    b: Id
    score: Unit
    derived: bool
    coverage_a: Unit
    coverage_b: Unit
    n_passages: Count
    ordered: Unit
    rare_shared: Count
    decided_by: str = Field(
        "", description="The rule that decided the pair: verbatim_passage (a near-verbatim "
        "passage of decision.passage_min_chars or more), score (the pair score reached "
        "decision.threshold), rewrite_sequence (decision.min_anchors strong sentence matches "
        "in order), near_duplicate (a near-identical copy collapsed before pair decisions), "
        "or 'not_derived: <why>'. See docs/evidence.md.")


class Report(_Closed):
    """The whole report: what ``report.to_dict`` returns."""

    model_config = ConfigDict(title="syndetect report", json_schema_extra={
        "description": "Output of `syndetect scan --format json` (schema_version 1). Spans "
        "index the original document text in code points: text == document_text[start:end].",
    })

    schema_version: Literal[1]
    tool: Tool
    config: dict[str, Any] = Field(
        description="Every parameter used, by stage, plus the config fingerprint.")
    stats: dict[str, Any] = Field(
        description="Counters of the run (documents, segments, pairs, clusters ...).")
    documents: list[Document]
    clusters: list[Cluster]
    boilerplate: list[Boilerplate]
    pairs: list[Pair] = Field(
        description="Document pairs decided as derived, with the aggregated evidence.")


class _Generator(GenerateJsonSchema):
    """Draft 2020-12, without the per-field titles pydantic adds by default."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def generate_schema() -> dict[str, Any]:
    """The JSON Schema of ``report.to_dict`` output, from the models above."""
    if SCHEMA_VERSION != 1 or TOOL_NAME != "syndetect":
        raise RuntimeError("the report models describe schema_version 1 of syndetect's report")
    body = Report.model_json_schema(schema_generator=_Generator)
    for definition in body.get("$defs", {}).values():
        definition.pop("title", None)
        # Conditions last: a validator reports a missing field before what it implies.
        for keyword in ("if", "then"):
            if keyword in definition:
                definition[keyword] = definition.pop(keyword)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:syndetect:report:{SCHEMA_VERSION}",
        **body,
    }


def schema_text() -> str:
    """``generate_schema()`` as the text of the shipped file."""
    return json.dumps(generate_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
