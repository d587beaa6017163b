"""What one cluster's members say about each other, weighed as signals.

``_Problem`` gathers, once per cluster: the derived pairs and who neighbours
whom, each member's credits near its shared text, and for every ordered derived
pair (u, v) the signals of "v derived from u" (``edge``): attribution, date,
containment, details, hedges and the lineage link.

**Priors** (``node_signals``): wire services (``ProvenanceConfig.wire_outlets``)
and bylined articles lean towards being origins; weak and configurable. A member
that credits another outlet leans away from being the origin.

A credit of an outlet that no member is known to be may point at the one member
whose outlet is unknown and that credits no one (the seed NYT page carries no
outlet line): half a parent credit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..config import ProvenanceConfig
from ..errors import InputError
from ..types import Document, PairDecision, Span
from .attribution import Attribution, _clean_name, find_attributions
from .lineage import _merge, lineage_links
from .outlets import _NAME_WORD, _Outlets
from .signals import (
    Signal,
    _date_kind,
    containment_signal,
    date_signal,
    detail_signal,
    hedge_signal,
)


@dataclass
class _Credit:
    """The credits of one outlet in one member."""

    outlet: str
    cues: list[Attribution] = field(default_factory=list)
    byline: bool = False

    @property
    def count(self) -> int:
        return len(self.cues) + (1 if self.byline else 0)

    def sentence(self, doc_id: str) -> str:
        if self.byline and not self.cues:
            return f'{doc_id}\'s byline credits "{self.outlet}"'
        times = "time" if self.count == 1 else "times"
        return f'{doc_id} credits "{self.outlet}" {self.count} {times} ("{self.cues[0].cue}")' \
            if self.cues else f'{doc_id} credits "{self.outlet}"'


@dataclass
class _Edge:
    signals: list[Signal] = field(default_factory=list)

    @property
    def direction(self) -> float:
        return sum(s.value for s in self.signals if s.family != "lineage")

    @property
    def total(self) -> float:
        return sum(s.value for s in self.signals)


def _near(start: int, end: int, spans: Sequence[tuple[int, int]], window: int) -> bool:
    return start < window or any(s - window <= end and start <= e + window for s, e in spans)


class _Problem:
    """Everything ``assign_provenance`` computes about one cluster."""

    def __init__(
        self,
        ids: list[str],
        documents: Mapping[str, Document],
        pairs: Sequence[PairDecision],
        config: ProvenanceConfig,
    ) -> None:
        self.ids = ids
        self.docs = {i: documents[i] for i in ids}
        self.config = config
        self.outlets = _Outlets(config, [d.outlet for d in self.docs.values() if d.outlet])
        members = set(ids)
        by_pair: dict[tuple[str, str], PairDecision] = {}
        for p in sorted(pairs, key=lambda p: (min(p.a, p.b), max(p.a, p.b), -p.score)):
            key = (min(p.a, p.b), max(p.a, p.b))
            if p.a in members and p.b in members and p.a != p.b and key not in by_pair:
                by_pair[key] = p
        self.pairs = by_pair
        self.derived = {k: p for k, p in by_pair.items() if p.derived}
        self.neighbours: dict[str, list[str]] = {i: [] for i in ids}
        for a, b in self.derived:
            self.neighbours[a].append(b)
            self.neighbours[b].append(a)
        for i in ids:
            self.neighbours[i].sort()
        self._check_connected()
        self.spans = {i: self._matched_spans(i) for i in ids}
        self._lineage_of: dict[str, dict[str, tuple[float, float, float]]] = {}
        self.credits = {i: self._credits(i) for i in ids}
        # A credit of an outlet that no member is known to be may point at the one
        # member whose outlet is unknown (no outlet name, no address) and that credits
        # no one (the seed NYT page carries no outlet line); with two such members it
        # could be either, and the credit points at neither. Half a parent credit.
        unnamed = [i for i in ids if not self.docs[i].outlet and not self.docs[i].url
                   and not self.credits[i]]
        self.unnamed_source = unnamed[0] if len(unnamed) == 1 else None

    # ---- facts

    def _check_connected(self) -> None:
        seen = {self.ids[0]}
        todo = [self.ids[0]]
        while todo:
            for n in self.neighbours[todo.pop()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        if len(seen) != len(self.ids):
            lost = sorted(set(self.ids) - seen)
            raise InputError(
                f"cluster members {lost} are not linked to {self.ids[0]!r} by derived pairs; "
                "pass the members of one connected story cluster"
            )

    def pair(self, u: str, v: str) -> PairDecision | None:
        return self.pairs.get((min(u, v), max(u, v)))

    def coverage(self, doc: str, by: str) -> float:
        """Share of ``doc``'s text covered by matches to ``by``."""
        p = self.pair(doc, by)
        if p is None:
            return 0.0
        return p.coverage_a if p.a == doc else p.coverage_b

    def substance(self, doc: str, by: str) -> float:
        """Share of ``doc``'s substance found in ``by``: IDF-weighted content-word
        containment where detection measured it, else passage coverage."""
        p = self.pair(doc, by)
        if p is None:
            return 0.0
        key = "containment_a" if p.a == doc else "containment_b"
        return p.features.get(key, self.coverage(doc, by)) if p.features else self.coverage(doc, by)

    def sides(self, doc: str, by: str) -> list[Span]:
        """``doc``'s spans in its matches with ``by``."""
        p = self.pair(doc, by)
        if p is None:
            return []
        return [m.a if m.a.document == doc else m.b for m in p.matches]

    def _matched_spans(self, doc: str) -> list[tuple[int, int]]:
        return _merge((s.start, s.end) for n in self.neighbours[doc] for s in self.sides(doc, n))

    def _credits(self, doc_id: str) -> list[_Credit]:
        """Credits of other outlets near the shared text (or at the top: a dateline)."""
        doc = self.docs[doc_id]
        found = find_attributions(
            doc.text, own_outlet=doc.outlet, known_outlets=self.outlets.members, config=self.config
        )
        window = self.config.attribution_window_chars
        groups: list[_Credit] = []

        def group_for(name: str) -> _Credit:
            shown = self.outlets.display(name)
            for g in groups:
                if self.outlets.same(g.outlet, name):
                    if (len(shown), g.outlet) > (len(g.outlet), shown):  # the longest form
                        g.outlet = shown
                    return g
            groups.append(_Credit(outlet=shown))
            return groups[-1]

        for attr in found:
            if self.outlets.matches_domain(attr.outlet, doc.url):
                continue  # the page's own site
            if _near(attr.start, attr.end, self.spans[doc_id], window):
                group_for(attr.outlet).cues.append(attr)
        if doc.byline:
            name = _clean_name(re.sub(r"^\s*by\s+", "", doc.byline, flags=re.IGNORECASE))
            if (
                name
                and self.outlets.outlet_like(name)
                and not self.outlets.same(name, doc.outlet)
                and not self.outlets.matches_domain(name, doc.url)
            ):
                group_for(name).byline = True
        return sorted(groups, key=lambda g: (-g.count, g.outlet))

    def identifies(self, member: str, outlet: str) -> str | None:
        """How ``member`` is known to be ``outlet``: its outlet name or its url, or None."""
        doc = self.docs[member]
        if doc.outlet and self.outlets.same(doc.outlet, outlet):
            return f'{member} is "{doc.outlet}"'
        label = self.outlets.matches_domain(outlet, doc.url)
        if label:
            return f"{member}'s address ({urlsplit(doc.url or '').hostname}) names \"{outlet}\""
        return None

    def strong_date(self, doc: str) -> tuple[int, str]:
        """Sort key: members with an earlier metadata date first."""
        d = self.docs[doc]
        if _date_kind(d) == "metadata":
            return (0, str(d.published_at))
        return (1, "")

    # ---- signals

    def node_signals(self, r: str) -> list[Signal]:
        """Why ``r`` would (not) be the origin: its credits and priors."""
        cfg = self.config
        doc = self.docs[r]
        out: list[Signal] = []
        if self.credits[r]:
            head = self.credits[r][0]
            out.append(Signal("attribution", True, -cfg.attribution_weight, head.sentence(r)))
        else:
            out.append(Signal("attribution", True, 0.0, f"{r} credits no other outlet"))
        if self.outlets.is_wire(doc.outlet):
            out.append(Signal("prior", False, cfg.wire_prior_weight,
                              f'{r} is from the wire service "{doc.outlet}"'))
        if doc.byline and not any(c.byline for c in self.credits[r]):
            out.append(Signal("prior", False, cfg.byline_prior_weight,
                              f'{r} carries a byline ("{doc.byline}")'))
        return out

    def edge(self, u: str, v: str) -> _Edge:
        """Signals for "v derived from u"."""
        cfg = self.config
        e = _Edge()
        # Attribution: v credits u's outlet (u is its parent); u credits v's (the reverse).
        for credit in self.credits[v]:
            how = self.identifies(u, credit.outlet)
            if how:
                e.signals.append(Signal("attribution", True, cfg.attribution_parent_weight,
                                        f"{credit.sentence(v)}; {how}"))
                break
        for credit in self.credits[u]:
            how = self.identifies(v, credit.outlet)
            if how:
                e.signals.append(Signal("attribution", True, -cfg.attribution_weight,
                                        f"{credit.sentence(u)}; {how}"))
                break
        if u == self.unnamed_source and not any(s.family == "attribution" for s in e.signals):
            for credit in self.credits[v]:
                if not any(self.identifies(m, credit.outlet) for m in self.ids):
                    e.signals.append(Signal(
                        "attribution", True, cfg.attribution_parent_weight / 2,
                        f"{credit.sentence(v)}; no member is known to be it, and {u}, which "
                        "names no outlet and credits no one, is the one member that can be",
                    ))
                    break
        e.signals.append(date_signal(self.docs[u], self.docs[v], cfg))
        e.signals.append(
            containment_signal(u, v, self.coverage(v, u), self.coverage(u, v), cfg)
        )
        names = {  # credited names are no detail of the story ("told NYT")
            t.casefold()
            for i in (u, v)
            for c in self.credits[i]
            for name in (c.outlet, *(a.outlet for a in c.cues))
            for t in _NAME_WORD.findall(name)
        }
        e.signals.append(detail_signal(
            u, v, [s.text for s in self.sides(u, v)], [s.text for s in self.sides(v, u)], cfg,
            exclude=names,
        ))
        e.signals.append(hedge_signal(u, v, self._nearby(u, v), self._nearby(v, u), cfg))
        e.signals.append(self.link(u, v))
        return e

    def _nearby(self, doc: str, partner: str) -> str:
        """``doc``'s text around its matches with ``partner`` (hedges sit next to them)."""
        text = self.docs[doc].text
        window = self.config.attribution_window_chars // 2
        spans = _merge(
            (max(0, s.start - window), min(len(text), s.end + window))
            for s in self.sides(doc, partner)
        )
        return "\n".join(text[s:e] for s, e in spans)

    def _lineage(self, child: str, parent: str) -> tuple[float, float, float]:
        table = self._lineage_of.get(child)
        if table is None:  # once per child: the sweep gives every parent's link
            cover = {n: [(s.start, s.end) for s in self.sides(child, n)]
                     for n in self.neighbours[child]}
            cov = {n: self.coverage(child, n) for n in self.neighbours[child]}
            table = self._lineage_of[child] = lineage_links(cover, cov, self.config)
        return table.get(parent, (0.0, 0.0, 0.0))

    def link(self, u: str, v: str) -> Signal:
        """Symmetric lineage strength of the pair: how well each explains the other."""
        fwd, _, excl_v = self._lineage(v, u)
        back, _, excl_u = self._lineage(u, v)
        text = ""
        if len(self.neighbours[v]) > 1 and excl_v > 0.05:
            text = f"{excl_v:.0%} of {v}'s shared text matches {u} and no other member"
        elif len(self.neighbours[u]) > 1 and excl_u > 0.05:
            text = f"{excl_u:.0%} of {u}'s shared text matches {v} and no other member"
        return Signal("lineage", True, fwd + back, text)

    def explained(self, r: str) -> float:
        return sum(self.coverage(n, r) for n in self.neighbours[r])
