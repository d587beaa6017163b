"""Corpus boilerplate (placeholder until the boilerplate stage lands)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .config import BoilerplateConfig
from .types import Boilerplate, Segment


def detect_boilerplate(
    segments: Mapping[str, Sequence[Segment]], config: BoilerplateConfig
) -> tuple[dict[str, list[Segment]], list[Boilerplate]]:
    """Label template text; returns the segments (``boilerplate`` set) and the entries."""
    return {k: list(v) for k, v in segments.items()}, []
