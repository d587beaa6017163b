"""Provenance: which member of a story cluster is the origin, who derived from whom, and why.

``assign_provenance`` turns one story cluster (documents linked by verified
derived pairs) into a derivation *tree*: an origin, and for every derivative the
member it was derived from, with a confidence and evidence sentences a person
can check. The story, one module a chapter:

- ``outlets``: when two names denote one outlet ("NYT" and "The New York Times").
- ``attribution``: credits of an outlet in a text ("according to ...", "(Reuters)").
- ``signals``: dates, containment, details and hedges of one ordered pair.
- ``lineage``: which candidate parent explains most of a child's shared text.
- ``facts``: what one cluster's members say about each other: credits near the
  shared text, every derived pair's signals in both directions, and priors.
- ``tree``: the best tree under each candidate root (Chu-Liu/Edmonds), the
  tie-breaks, the ranking of roots and the confidence.
- ``origin``: ``assign_provenance``: the origin, in or outside the corpus, and
  the members with their evidence.

>>> from syndetect.config import ProvenanceConfig
>>> from syndetect.types import Document, Match, PairDecision, Span
>>> src = "Rain hit Lahore on Monday. Officials said 42 roads were closed."
>>> cpy = "Officials said roads were closed, Dawn News reported."
>>> docs = {"a": Document(id="a", text=src, outlet="Dawn News"), "b": Document(id="b", text=cpy)}
>>> m = Match(Span("a", 27, 63, src[27:63]), Span("b", 0, 33, cpy[0:33]), 0.8, "rewrite")
>>> pair = PairDecision("a", "b", 0.9, True, 0.55, 0.62, 1, 1.0, 1, (m,))
>>> c = assign_provenance(["b", "a"], docs, [pair], ProvenanceConfig())
>>> c.origin, [(x.document, x.role, x.derived_from, x.derivation) for x in c.members]
('a', [('a', 'origin', None, None), ('b', 'derivative', 'a', 'whole')])
>>> c.evidence[0]
'b credits "Dawn News" 1 time ("Dawn News reported")'
"""

from .attribution import Attribution, find_attributions
from .lineage import _length as _length
from .lineage import _merge as _merge
from .lineage import _subtract as _subtract
from .lineage import lineage_link
from .lineage import lineage_links as lineage_links
from .origin import _cluster_id as _cluster_id
from .origin import _match_key as _match_key
from .origin import assign_provenance
from .outlets import outlets_match
from .signals import Signal, containment_signal, date_signal, detail_signal, hedge_signal
from .tree import maximum_arborescence

__all__ = [
    "Attribution",
    "Signal",
    "assign_provenance",
    "containment_signal",
    "date_signal",
    "detail_signal",
    "find_attributions",
    "hedge_signal",
    "lineage_link",
    "maximum_arborescence",
    "outlets_match",
]
# Also re-exported, for collapse.py (``_cluster_id``, ``_match_key``) and the tests
# of the interval helpers (``_length``, ``_merge``, ``_subtract``, ``lineage_links``).
