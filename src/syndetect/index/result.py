"""``AddResult``: what ``Index.add`` or ``Index.query`` found for one document, JSON-ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..types import Cluster, Match, Member, PairDecision, Status


@dataclass(frozen=True)
class AddResult:
    """Everything ``add`` or ``query`` found for one document.

    ``matches`` are the verified passages shared with earlier documents that the
    pair decision calls derived, each with the new document on side ``a``;
    ``pairs`` are the core's ``PairDecision`` for every earlier document that was
    checked and decided (derived or not, ids in ``a`` < ``b`` order as in a
    report); ``cluster`` is the new document's local story cluster (itself and the
    earlier documents it is linked with), with provenance from the core, and
    ``member`` its row in it. ``verified`` is False for documents stored by
    ``add_many(verify=False)``: nothing was checked, so the empty matches say
    nothing.
    """

    document: str
    status: Status
    stored: bool
    matches: tuple[Match, ...] = ()
    pairs: tuple[PairDecision, ...] = ()
    cluster: Cluster | None = None
    candidates: int = 0
    reason: str | None = None
    message: str | None = None
    verified: bool = True
    seconds: float = field(default=0.0, compare=False)

    @property
    def member(self) -> Member | None:
        """The new document's place in ``cluster`` (None when nothing is derived)."""
        if self.cluster is None:
            return None
        return next((m for m in self.cluster.members if m.document == self.document), None)

    @property
    def derived_from(self) -> str | None:
        """The earlier document this one derives from, if the verdict says so."""
        member = self.member
        return member.derived_from if member is not None else None

    @property
    def related(self) -> tuple[str, ...]:
        """Earlier documents in a derived pair with this one, sorted."""
        return tuple(sorted(
            p.b if p.a == self.document else p.a for p in self.pairs if p.derived
        ))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``syndetect index add --format json`` prints per document).

        Floats are rounded to 4 decimals; ``pairs`` lists every decided pair (the
        report lists derived ones only), ``verdict`` is null when nothing is derived.
        """
        member, cluster = self.member, self.cluster
        verdict = None
        if member is not None and cluster is not None:
            verdict = {
                "role": member.role,
                "derived_from": member.derived_from,
                "derivation": member.derivation,
                "relation": member.relation,
                "coverage": _r(member.coverage),
                "evidence": list(member.evidence),
                "origin": cluster.origin,
                "external_origin": cluster.external_origin,
                "confidence": _r(cluster.confidence),
                "cluster": [m.document for m in cluster.members],
            }
        return {
            "document": self.document,
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "stored": self.stored,
            "verified": self.verified,
            "candidates": self.candidates,
            "related": list(self.related),
            "verdict": verdict,
            "matches": [_match_dict(m) for m in self.matches],
            "pairs": [
                {
                    "a": p.a, "b": p.b, "score": _r(p.score), "derived": p.derived,
                    "coverage_a": _r(p.coverage_a), "coverage_b": _r(p.coverage_b),
                    "n_passages": p.n_passages, "ordered": _r(p.ordered),
                    "rare_shared": p.rare_shared, "decided_by": p.decided_by,
                }
                for p in sorted(self.pairs, key=lambda p: (p.a, p.b))
            ],
        }


def _r(value: float) -> float:
    return round(float(value), 4)


def _match_dict(m: Match) -> dict[str, Any]:
    def span(s: Any) -> dict[str, Any]:
        return {"document": s.document, "start": s.start, "end": s.end, "text": s.text}

    return {"a": span(m.a), "b": span(m.b), "similarity": _r(m.similarity), "kind": m.kind}
