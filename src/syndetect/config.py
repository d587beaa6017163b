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
    """Template text: repeated in documents that are not copies of one another.

    Short text (at most ``max_words`` word tokens and ``max_chars`` characters) is
    template when it recurs in ``min_documents`` independent documents; longer text
    needs ``max(long_min_documents, long_min_share * corpus size)``. Documents that
    share an ordered run of ``link_sentences`` long sentences (``link_sentences_short``
    around short text) near the text, within ``link_span`` segments or
    ``link_paragraphs`` paragraphs, are copies and count once. Also template: short
    lines printed twice in a row and later copies of any repeat
    (``in_document_repeats``); labels in stretches of short paragraphs that are more
    than ``block_share`` template (``block_share=1`` turns this off); sentences with at
    least ``run_min_tokens`` and ``run_min_share`` of their tokens covered by template
    word ``run_ngram``-grams. Pages of one site (``Document.site``) share its template
    from two pages on; ``shapes`` labels publisher notices and page chrome by their
    shape on any page. See ``syndetect.boilerplate``.
    """

    min_documents: int = 3
    max_words: int = 12
    max_chars: int = 300
    long_min_documents: int = 10
    long_min_share: float = 0.005
    link_sentences: int = 3
    link_sentences_short: int = 2
    link_span: int = 6
    link_paragraphs: int = 3
    in_document_repeats: bool = True
    block_share: float = 0.5
    run_ngram: int = 4
    run_min_tokens: int = 8
    run_min_share: float = 0.25
    shapes: bool = True
    """Label notices, credit lines, prompts, tool rows and menus by shape (``syndetect.chrome``)."""

    def __post_init__(self) -> None:
        if self.min_documents < 2:
            raise ConfigError(
                f"boilerplate.min_documents must be at least 2 (text in one document is "
                f"not repeated), got {self.min_documents!r}"
            )
        if self.long_min_documents < self.min_documents:
            raise ConfigError(
                f"boilerplate.long_min_documents ({self.long_min_documents!r}) must be at "
                f"least boilerplate.min_documents ({self.min_documents!r})"
            )
        _check_positive("boilerplate.max_words", self.max_words)
        _check_positive("boilerplate.max_chars", self.max_chars)
        _check_positive("boilerplate.link_sentences", self.link_sentences)
        _check_positive("boilerplate.link_sentences_short", self.link_sentences_short)
        _check_positive("boilerplate.link_span", self.link_span)
        _check_positive("boilerplate.link_paragraphs", self.link_paragraphs)
        _check_positive("boilerplate.run_ngram", self.run_ngram)
        _check_positive("boilerplate.run_min_tokens", self.run_min_tokens)
        _check_unit("boilerplate.long_min_share", self.long_min_share)
        _check_unit("boilerplate.block_share", self.block_share)
        _check_unit("boilerplate.run_min_share", self.run_min_share)


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
    """Which sentence and document pairs are verified (see ``syndetect.grains``).

    Rewrite grain: each sentence's ``sentence_words`` rarest content words (by
    document frequency, among words another document also carries), LSH at
    ``rewrite_threshold``. Copy grain: each sentence's ``passage_keys`` smallest word
    ``minhash.verbatim_ngram``-gram hashes. Document grain: each document's
    ``document_words`` rarest content words, LSH at ``document_threshold``. No word
    is dropped for being common. A bucket over ``max_bucket`` members is split by a
    second key, then each member is paired with the ``overflow_window`` next ones.
    Of the document pairs that verify, each document keeps its ``max_partners``
    strongest (``detect.strongest_partners``): a version of a story has one source,
    seldom more than two or three, and the rest of a big story's versions add cost,
    not evidence.
    """

    rewrite_threshold: float = 0.3
    document_threshold: float = 0.15
    sentence_words: int = 8
    sentence_share: float = 1.0
    document_words: int = 32
    passage_keys: int = 4
    max_bucket: int = 50
    overflow_window: int = 5
    min_pair_candidates: int = 2
    max_partners: int = 16

    def __post_init__(self) -> None:
        _check_unit("candidates.rewrite_threshold", self.rewrite_threshold)
        _check_unit("candidates.document_threshold", self.document_threshold)
        _check_positive("candidates.sentence_words", self.sentence_words)
        _check_unit("candidates.sentence_share", self.sentence_share)
        _check_positive("candidates.document_words", self.document_words)
        _check_positive("candidates.passage_keys", self.passage_keys)
        _check_positive("candidates.max_bucket", self.max_bucket)
        _check_positive("candidates.overflow_window", self.overflow_window)
        _check_positive("candidates.max_partners", self.max_partners)


@dataclass(frozen=True)
class AlignConfig:
    """Verification of candidate sentence pairs with rapidfuzz."""

    min_similarity: float = 0.18
    anchor_similarity: float = 0.4
    anchor_min_shared: int = 4
    support_window: int = 3
    max_links: int = 3
    min_shared_words: int = 2
    max_exhaustive_pairs: int = 40000
    verbatim_similarity: float = 0.97
    near_verbatim_similarity: float = 0.8
    merge_gap_sentences: int = 1

    def __post_init__(self) -> None:
        _check_unit("align.min_similarity", self.min_similarity)
        _check_unit("align.verbatim_similarity", self.verbatim_similarity)
        _check_unit("align.near_verbatim_similarity", self.near_verbatim_similarity)


@dataclass(frozen=True)
class DecisionConfig:
    """Document-pair decision (``syndetect.detect.decide``; docs/evidence.md).

    Three rules, each reported as ``PairDecision.decided_by``: a near-verbatim
    passage of at least ``passage_min_chars`` characters (about 35 words: wire
    formulas and shared quotations are shorter); the pair score reaching
    ``threshold`` (``--threshold``; ``same_outlet_margin`` more within one outlet);
    ``min_anchors`` strong sentence matches in order on both sides. Only
    ``threshold`` is governed by ``--threshold``.
    """

    threshold: float = 0.32
    min_matches: int = 1
    min_anchors: int = 6
    passage_min_chars: int = 200
    same_outlet_margin: float = 0.2
    prefilter: float = 0.6
    max_lag_days: int = 7
    copy_score: float = 0.8

    def __post_init__(self) -> None:
        _check_unit("decision.threshold", self.threshold)
        _check_unit("decision.prefilter", self.prefilter)
        _check_positive("decision.passage_min_chars", self.passage_min_chars)


@dataclass(frozen=True)
class ClusterConfig:
    """Story clusters: chaining guards and the near-duplicate collapse (``collapse.py``).

    ``link_same_outlet``: whether a derived pair of two *different* stories of one
    outlet (an update reusing its own background) links a cluster; identical and
    near-identical copies are always clustered, whatever their outlets.
    ``collapse``: group near-identical documents before detection. Bodies shorter
    than ``collapse_min_words`` words (a headline, a notice, a one-line brief that
    outlets write alike without copying) are never collapsed. Two bodies are
    near-identical when their token sequences keep ``near_verbatim_similarity`` of
    their words in order (Indel similarity: a copy with a retouched headline, a
    changed word per paragraph, a dropped sign-off); MinHash LSH on word 5-grams at
    ``near_verbatim_jaccard`` proposes them (low enough that such edits, which break
    several 5-grams each, are still proposed).
    """

    link_same_outlet: bool = False
    collapse: bool = True
    collapse_min_words: int = 25
    near_verbatim_jaccard: float = 0.5
    near_verbatim_similarity: float = 0.9

    def __post_init__(self) -> None:
        _check_unit("cluster.near_verbatim_jaccard", self.near_verbatim_jaccard)
        _check_unit("cluster.near_verbatim_similarity", self.near_verbatim_similarity)
        _check_positive("cluster.collapse_min_words", self.collapse_min_words)


@dataclass(frozen=True)
class ProvenanceConfig:
    """Weights of the provenance signals and outlet priors (see ``syndetect.provenance``).

    Weights are in one additive unit: a directed edge "v derived from u" and a
    candidate origin are scored by summing them. Defaults keep the order
    attribution > metadata date > content > page date > priors, so that a weak
    (page or relative) date can never overrule content evidence.

    ``outlet_aliases`` groups names of one outlet across spellings and scripts
    (the Urdu agency credit "اے پی پی" is APP), the first name of a group being the
    one evidence shows; ``media_words`` make an unknown
    name outlet-like ("... Times", "... News"); ``staff_words`` mark credits of a
    paper's own staff ("Sports Desk"), never another outlet; ``hedge_words`` are
    the hedges a rewrite adds ("reportedly").

    >>> ProvenanceConfig().whole_substance
    0.5
    >>> ProvenanceConfig(whole_substance=1.5)
    Traceback (most recent call last):
    ...
    syndetect.errors.ConfigError: provenance.whole_substance must be between 0 and 1, got 1.5
    """

    wire_outlets: tuple[str, ...] = (
        "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "APP",
        "Associated Press of Pakistan", "PTI", "Press Trust of India", "IANS", "ANI",
        "UNI", "Xinhua", "dpa", "EFE", "Bloomberg", "INN", "NNI", "ONLINE",
        "SANA", "INP", "Kyodo", "Yonhap", "ANSA", "TASS", "Anadolu",
    )
    strong_date_weight: float = 2.0
    weak_date_weight: float = 0.3
    relative_date_weight: float = 0.1
    attribution_weight: float = 3.0
    attribution_parent_weight: float = 1.5
    containment_weight: float = 0.5
    lineage_weight: float = 1.0
    exclusive_weight: float = 2.0
    exclusive_scale: float = 0.1
    detail_weight: float = 0.5
    hedge_weight: float = 0.5
    wire_prior_weight: float = 0.5
    byline_prior_weight: float = 0.2
    whole_substance: float = 0.5
    attribution_window_chars: int = 200
    confidence_scale: float = 2.0
    weak_confidence_cap: float = 0.4
    max_root_candidates: int = 12
    outlet_aliases: tuple[tuple[str, ...], ...] = (
        ("APP", "Associated Press of Pakistan", "اے پی پی"),
        ("INN", "آئی این این"),
        ("NNI", "این این آئی"),
        ("INP", "آئی این پی", "آئی اےن پی"),
        ("SANA", "ثناء نیوز", "ثنا نیوز"),
        ("ONLINE", "آن لائن"),
        ("Reuters", "رائٹرز", "روئٹرز"),
        ("AFP", "Agence France-Presse", "اے ایف پی"),
        ("AP", "Associated Press", "اے پی"),
        ("PTI", "Press Trust of India"),
        ("IANS", "Indo-Asian News Service"),
        ("ANI", "Asian News International"),
        ("Xinhua", "شنہوا", "新华社"),
        ("The New York Times", "NYT", "New York Times", "nytimes"),
        ("The Wall Street Journal", "WSJ", "Wall Street Journal"),
        ("The Washington Post", "WaPo", "Washington Post"),
        ("BBC", "British Broadcasting Corporation", "بی بی سی"),
        ("CNN",),
        ("The Times of India", "TOI", "Times of India", "Time of India"),
        ("Hindustan Times", "HT"),
    )
    media_words: tuple[str, ...] = (
        "times", "post", "news", "journal", "herald", "tribune", "guardian", "telegraph",
        "daily", "press", "agency", "gazette", "chronicle", "mail", "express", "observer",
        "standard", "magazine", "review", "wire", "radio", "tv", "television",
        "broadcasting", "network", "media", "reuters", "bloomberg", "economist",
        "mirror", "independent", "inquirer", "monitor", "insider", "courier", "dispatch",
        "globe", "bulletin", "newspaper", "نیوز", "اخبار", "ٹائمز", "ٹی وی",
    )
    staff_words: tuple[str, ...] = (
        "desk", "staff", "correspondent", "bureau", "reporter", "agencies", "monitoring",
        "ڈیسک", "رپورٹر", "رپورٹ", "نمائندہ", "نامہ نگار", "خبر نگار", "مانیٹرنگ", "مانئیٹرنگ",
        "ایجنسیاں", "ایجنسیوں", "اسٹاف", "سٹاف",
    )
    hedge_words: tuple[str, ...] = (
        "reportedly", "allegedly", "purportedly", "according to reports", "is said to",
        "are said to", "was said to", "were said to", "reports say", "it is learnt",
        "مبینہ", "اطلاعات کے مطابق", "ذرائع کے مطابق", "رپورٹس کے مطابق",
    )

    def __post_init__(self) -> None:
        # ``Config.from_dict`` turns only the outer JSON list into a tuple.
        object.__setattr__(
            self, "outlet_aliases", tuple(tuple(group) for group in self.outlet_aliases)
        )
        for name in (
            "strong_date_weight", "weak_date_weight", "relative_date_weight",
            "attribution_weight", "attribution_parent_weight", "containment_weight",
            "lineage_weight", "exclusive_weight", "detail_weight", "hedge_weight",
            "wire_prior_weight", "byline_prior_weight",
        ):
            value = getattr(self, name)
            if value < 0:
                raise ConfigError(f"provenance.{name} must be >= 0, got {value!r}")
        for name in ("exclusive_scale", "confidence_scale"):
            value = getattr(self, name)
            if value <= 0:
                raise ConfigError(f"provenance.{name} must be > 0, got {value!r}")
        _check_unit("provenance.whole_substance", self.whole_substance)
        _check_unit("provenance.weak_confidence_cap", self.weak_confidence_cap)
        _check_positive("provenance.attribution_window_chars", self.attribution_window_chars)
        _check_positive("provenance.max_root_candidates", self.max_root_candidates)


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
