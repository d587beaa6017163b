"""One options object shared by the library, the CLI and the index.

``Config`` is made of small per-stage configs. Its defaults are the CLI defaults;
``Config.fingerprint()`` is a stable hash of every parameter, recorded in reports
and persisted indexes.

>>> Config().fingerprint() == Config().fingerprint()
True
>>> Config.from_dict({"align": {"min_similarity": 0.5}}).align.min_similarity
0.5
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError


def _check_unit(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name} must be between 0 and 1, got {value!r}")


def _check_positive(name: str, value: int) -> None:
    if value < 1:
        raise ConfigError(f"{name} must be a positive integer, got {value!r}")


@dataclass(frozen=True)
class SegmentConfig:
    """How text is split: long one-line blobs become windows of sentences."""

    max_paragraph_chars: int = 1500
    window_sentences: int = 4
    min_sentence_chars: int = 12

    def __post_init__(self) -> None:
        _check_positive("segment.max_paragraph_chars", self.max_paragraph_chars)
        _check_positive("segment.window_sentences", self.window_sentences)


@dataclass(frozen=True)
class BoilerplateConfig:
    """Lines repeated across ``min_documents`` documents (or twice in one) are template text."""

    min_documents: int = 2
    max_chars: int = 300
    max_words: int = 12
    in_document_repeats: bool = True

    def __post_init__(self) -> None:
        _check_positive("boilerplate.min_documents", self.min_documents)
        _check_positive("boilerplate.max_chars", self.max_chars)


@dataclass(frozen=True)
class MinHashConfig:
    """Signature parameters; recorded in every persisted index."""

    num_perm: int = 128
    seed: int = 1
    verbatim_ngram: int = 5

    def __post_init__(self) -> None:
        _check_positive("minhash.num_perm", self.num_perm)
        _check_positive("minhash.verbatim_ngram", self.verbatim_ngram)


@dataclass(frozen=True)
class CandidateConfig:
    """Candidate generation at sentence grain (rewrites) and window grain (copies)."""

    rewrite_threshold: float = 0.2
    verbatim_threshold: float = 0.5
    max_df: float = 0.05
    max_df_min_docs: int = 20
    max_candidates_per_segment: int = 50

    def __post_init__(self) -> None:
        _check_unit("candidates.rewrite_threshold", self.rewrite_threshold)
        _check_unit("candidates.verbatim_threshold", self.verbatim_threshold)
        _check_unit("candidates.max_df", self.max_df)


@dataclass(frozen=True)
class AlignConfig:
    """Verification of candidate sentence pairs with rapidfuzz."""

    min_similarity: float = 0.35
    verbatim_similarity: float = 0.97
    near_verbatim_similarity: float = 0.8
    merge_gap_sentences: int = 1

    def __post_init__(self) -> None:
        _check_unit("align.min_similarity", self.min_similarity)
        _check_unit("align.verbatim_similarity", self.verbatim_similarity)
        _check_unit("align.near_verbatim_similarity", self.near_verbatim_similarity)


@dataclass(frozen=True)
class DecisionConfig:
    """Document-pair decision: derived when the pair score reaches ``threshold``."""

    threshold: float = 0.5
    whole_coverage: float = 0.6

    def __post_init__(self) -> None:
        _check_unit("decision.threshold", self.threshold)
        _check_unit("decision.whole_coverage", self.whole_coverage)


@dataclass(frozen=True)
class ClusterConfig:
    """Chaining guard: an edge joins two clusters only if it is strong for both."""

    min_link_share: float = 0.0

    def __post_init__(self) -> None:
        _check_unit("cluster.min_link_share", self.min_link_share)


@dataclass(frozen=True)
class ProvenanceConfig:
    """Weights of the provenance signals and outlet priors."""

    wire_outlets: tuple[str, ...] = (
        "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "APP",
        "Associated Press of Pakistan", "PTI", "Press Trust of India", "IANS", "ANI",
        "UNI", "Xinhua", "dpa", "EFE", "Bloomberg", "INN", "NNI", "ONLINE",
    )
    strong_date_weight: float = 2.0
    weak_date_weight: float = 0.3


@dataclass(frozen=True)
class Config:
    """Every parameter of a scan; defaults are the CLI defaults."""

    segment: SegmentConfig = field(default_factory=SegmentConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    minhash: MinHashConfig = field(default_factory=MinHashConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    decision: DecisionConfig = field(default_factory=DecisionConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    provenance: ProvenanceConfig = field(default_factory=ProvenanceConfig)

    def to_dict(self) -> dict[str, Any]:
        """Every parameter as plain JSON-ready values."""
        return json.loads(json.dumps(dataclasses.asdict(self)))

    def fingerprint(self) -> str:
        """A stable 16-hex-digit hash of every parameter."""
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        """Build a config from a (partial) nested dict; unknown keys are an error."""
        parts: dict[str, Any] = {}
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for section, values in data.items():
            if section not in fields:
                raise ConfigError(
                    f"unknown config section {section!r}; known: {', '.join(sorted(fields))}"
                )
            sub_cls = type(getattr(cls(), section))
            sub_fields = {f.name for f in dataclasses.fields(sub_cls)}
            if not isinstance(values, dict):
                raise ConfigError(f"config section {section!r} must be a mapping")
            unknown = set(values) - sub_fields
            if unknown:
                raise ConfigError(
                    f"unknown key(s) {sorted(unknown)} in config section {section!r}; "
                    f"known: {', '.join(sorted(sub_fields))}"
                )
            clean = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
            parts[section] = sub_cls(**clean)
        return cls(**parts)

    def replace(self, **sections: Any) -> Config:
        """A copy with whole sections replaced."""
        return dataclasses.replace(self, **sections)
