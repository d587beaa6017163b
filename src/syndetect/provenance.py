"""Provenance: which member of a story cluster is the origin, who derived from whom, and why.

``assign_provenance`` turns one story cluster (documents linked by verified
derived pairs) into a derivation *tree*: an origin, and for every derivative the
member it was derived from, with a confidence and evidence sentences a person
can check. Each signal is a small function of its own:

- **Attribution** (``find_attributions``): a member that credits another outlet
  for the shared text ("according to The New York Times report", "told NYT",
  "(Reuters)", "(اے پی پی)") is a derivative; if the credited outlet is a
  member's outlet (matched loosely: ``outlets_match``) that member is its parent.
- **Publication time** (``date_signal``): metadata dates are strong, page dates
  weak, relative page dates ("3 days ago") weakest; missing dates give nothing.
- **Content direction** (``containment_signal``, ``detail_signal``,
  ``hedge_signal``): the derivative is the more contained side, lacks details
  (numbers, names) its parent has, and hedges ("reportedly").
- **Lineage** (``lineage_link``): the parent of a derivative is the member whose
  passages explain most of its shared text, including passages that other members
  lack (A -> B -> C where C shares passages only B has makes B the parent of C).
- **Priors**: wire services (``ProvenanceConfig.wire_outlets``) and bylined
  articles lean towards being origins; weak and configurable.

How they combine: every ordered pair (u, v) of a derived pair gets a weight
``w(u -> v) = direction(u -> v) + link(u, v)``: *direction* sums the
antisymmetric signals (attribution, date, containment, details, hedges) and
*link* is the symmetric lineage strength, which chooses the shape of the tree
but never its direction. Each member ``r`` is tried as the root: its score is
its prior (minus ``attribution_weight`` when it credits another outlet) plus
the weight of the maximum spanning arborescence rooted at it
(``maximum_arborescence``, Chu-Liu/Edmonds, over derived pairs only). The best
root is the origin; if the best root itself credits an outlet that no member
is, the origin lies outside the corpus: ``origin`` is None, ``external_origin``
names the outlet, and the tree hangs from that outside source.

An outlet credited by derivatives but carried by no member does not by itself
move the origin outside: a member that credits no one and whose outlet is
unknown (the seed NYT page carries no outlet line) is taken as that source; its
url's domain confirms it when it matches ("nytimes.com" is "The New York Times").
When the root's outlet is known and differs from the credited one, it stays the
origin, the evidence says the story may have begun at the credited outlet, and
the confidence is halved.

Tie-breaking (deterministic, independent of input order): between equally scored
roots, and between equally weighted parents, prefer the member with the earlier
strong (metadata) date, then the one whose matches cover more of the other
members' text, then the smaller document id.

Confidence is ``1 - exp(-margin / confidence_scale)``, where ``margin`` is the
score lead of the origin over the best alternative root; it is capped at
``weak_confidence_cap`` when only weak signals (page dates, priors) produce the
lead. With an outside origin it is the share of members crediting that outlet
times ``1 - exp(-n / 1.5)`` for ``n`` crediting members.

Limits: credits are found by English phrases and by parenthesised credits in any
script; other languages' prose credits ("según El País") need a known outlet in
parentheses, and unknown acronyms ("told XYZ") are not taken for outlets. Credits
count only near the shared text (``attribution_window_chars``) or at the top of
the page (a dateline), so a related-articles blob's "told Reuters" is ignored.
Two members that both credit an outside outlet are both derived from it unless
strong direction evidence (beyond ``attribution_weight``) says one used the
other. An outlet's credit of its own staff is recognised only through
``staff_words`` and ``outlet_aliases``. A cluster has one origin: if it holds
several stories (two agency stories chained by a shared newspaper), the other
stories' sources hang somewhere under it. ``derivation`` is only as good as the
pair coverage it reads.

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

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from .config import ProvenanceConfig
from .errors import InputError
from .types import Cluster, Document, Match, MatchKind, Member, PairDecision, Span

logger = logging.getLogger(__name__)

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

_QUANT = 10**6  # weights are compared as integers (micro-units), so ties are exact
_EXTERNAL = "\x00external"  # the virtual root standing for an origin outside the corpus
_KIND_ORDER: dict[MatchKind, int] = {"verbatim": 0, "near_verbatim": 1, "rewrite": 2}
STRONG_FAMILIES = ("attribution", "date", "content")
"""Signal families that may decide alone (a ``date`` signal only when it is strong)."""


# --------------------------------------------------------------------------- outlets


_CONNECTORS = frozenset({"of", "and", "the", "de", "del", "du", "la", "le", "al", "for", "on"})
_NAME_WORD = re.compile(r"[^\W_]+")
_SKIP_LABELS = frozenset({"www", "m", "amp", "com", "org", "net", "co", "news", "edition"})


class _DropMarks(dict[int, int | None]):
    """``str.translate`` table deleting combining marks, filled as characters are met."""

    def __missing__(self, cp: int) -> int | None:
        value = None if unicodedata.category(chr(cp)) == "Mn" else cp
        self[cp] = value
        return value


_DROP_MARKS = _DropMarks()


def _fold(text: str) -> str:
    """NFKC, case-folded, without combining marks (Urdu diacritics, accents).

    >>> _fold("Café Ḥaydar\u2019s")
    "cafe haydar's"
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    if not text.isascii():
        text = text.translate(_DROP_MARKS)
    return text.replace("\u2019", "'")


def _name_tokens(name: str) -> list[str]:
    tokens = _NAME_WORD.findall(re.sub(r"'s\b", "", _fold(name)))
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return tokens


def _name_keys(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(compact keys, initials keys) of an outlet name, with and without plural ``s``."""
    tokens = _name_tokens(name)
    stripped = [t[:-1] if len(t) > 3 and t.endswith("s") and t.isascii() else t for t in tokens]
    compact: set[str] = set()
    initials: set[str] = set()
    for variant in (tokens, stripped):
        if not variant:
            continue
        compact.add("".join(variant))
        if len(variant) >= 2 and all(t.isascii() and t.isalpha() for t in variant):
            initials.add("".join(t[0] for t in variant))
            content = [t for t in variant if t not in _CONNECTORS]
            if len(content) >= 2:
                initials.add("".join(t[0] for t in content))
            initials.add("".join(t[0] for t in variant[:-1]) + variant[-1])
    return frozenset(compact), frozenset(initials)


def _domain_labels(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return []
    return [lab for lab in host.casefold().split(".") if len(lab) >= 2 and lab not in _SKIP_LABELS]


class _Outlets:
    """Outlet knowledge of one call: alias groups, wires, member outlets, media words."""

    def __init__(self, config: ProvenanceConfig, members: Iterable[str] = ()) -> None:
        self.groups = [tuple(g) for g in config.outlet_aliases if g]
        self.wires = tuple(config.wire_outlets)
        self.members = tuple(sorted({m for m in members if m}))
        self.media = tuple(_fold(w) for w in config.media_words)
        self.staff = tuple(_fold(w) for w in config.staff_words)
        self._keys: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._groups: dict[str, int | None] = {}

    def keys(self, name: str) -> tuple[frozenset[str], frozenset[str]]:
        if name not in self._keys:
            self._keys[name] = _name_keys(name)
        return self._keys[name]

    def loose(self, a: str, b: str) -> bool:
        ca, ia = self.keys(a)
        cb, ib = self.keys(b)
        return bool(ca & cb or ca & ib or cb & ia)

    def _group(self, name: str) -> int | None:
        if name not in self._groups:
            self._groups[name] = next(
                (i for i, g in enumerate(self.groups) if any(self.loose(name, x) for x in g)),
                None,
            )
        return self._groups[name]

    def same(self, a: str | None, b: str | None) -> bool:
        """Whether two names denote one outlet (loosely, or through an alias group)."""
        if not a or not b:
            return False
        if self.loose(a, b):
            return True
        ga, gb = self._group(a), self._group(b)
        return ga is not None and ga == gb

    def display(self, name: str) -> str:
        """The name evidence shows: an alias group's first name, else ``name``."""
        group = self._group(name)
        return self.groups[group][0] if group is not None else name

    def matches_domain(self, name: str, url: str | None) -> str | None:
        """The url's domain label naming ``name`` ("nytimes" for NYT), if any."""
        labels = _domain_labels(url)
        names = [name]
        group = self._group(name)
        if group is not None:
            names.extend(self.groups[group])
        for label in labels:
            for candidate in names:
                compact, initials = self.keys(candidate)
                if label in compact or label in initials:
                    return label
        return None

    def is_wire(self, name: str | None) -> bool:
        return bool(name) and any(self.same(name, wire) for wire in self.wires)

    def is_staff(self, name: str) -> bool:
        folded = _fold(name)
        return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded) for w in self.staff)

    def outlet_like(self, name: str) -> bool:
        """Known (alias, wire or member outlet) or carrying a media word, and not staff."""
        if not name or self.is_staff(name) or not _name_tokens(name):
            return False
        if self._group(name) is not None or self.is_wire(name):
            return True
        if any(self.loose(name, m) for m in self.members):
            return True
        folded = _fold(name)
        return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded) for w in self.media)


def outlets_match(
    a: str | None, b: str | None, *, config: ProvenanceConfig | None = None
) -> bool:
    """Whether ``a`` and ``b`` name the same outlet, loosely.

    Case, a leading "The", a possessive, a plural ``s`` and abbreviation by
    initials are ignored; ``config.outlet_aliases`` adds spellings in other
    scripts.

    >>> outlets_match("NYT", "The New York Times"), outlets_match("nytimes", "New York Times")
    (True, True)
    >>> outlets_match("Time of India", "The Times of India"), outlets_match("APP", "اے پی پی")
    (True, True)
    >>> outlets_match("AP", "APP"), outlets_match("Reuters", None)
    (False, False)
    """
    return _Outlets(config or ProvenanceConfig()).same(a, b)


# --------------------------------------------------------------------------- attribution


@dataclass(frozen=True, slots=True)
class Attribution:
    """A credit of an outlet in a text: ``text[start:end] == cue``.

    ``outlet`` is the credited name as written (trimmed of punctuation and "'s").
    """

    outlet: str
    cue: str
    start: int
    end: int


_CAP = r"[A-Z][\w'\u2019&.\-]*"
_CONN = r"(?:of|de|del|du|la|le|al|and|&|for|on)"
_NAME = rf"(?P<name>(?:[Tt]he\s+)?{_CAP}(?:[ \t]+(?:{_CONN}[ \t]+)?{_CAP})*)"
_REPORT_NOUN = r"(?:reports?|story|stories|article|articles|piece|investigation|analysis)"
_PROSE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        (  # according to a report in X
            rf"\b[Aa]ccording\s+to\s+(?:(?:a|an|the)\s+)?(?:(?:new|latest|recent)\s+)?"
            rf"{_REPORT_NOUN}\s+(?:in|by|from|of)\s+{_NAME}"
        ),
        rf"\b[Aa]ccording\s+to\s+{_NAME}(?:\s+{_REPORT_NOUN})?",
        (  # a report in X (said)
            rf"\b(?:[Aa]n?|[Tt]he|[Aa]nother)\s+(?:\w+\s+)?{_REPORT_NOUN}\s+"
            rf"(?:in|by|from|published\s+(?:in|by))\s+{_NAME}"
        ),
        rf"\b[Rr]eports?\s+(?:from|by|in)\s+{_NAME}",
        rf"\b(?:told|telling|tells|tell)\s+{_NAME}",
        (  # in an interview with X
            rf"\b(?:[Ii]n\s+an?\s+interview\s+with|[Ss]peaking\s+(?:to|with)|"
            rf"[Ss]poke\s+(?:to|with))\s+{_NAME}"
        ),
        rf"\b(?:reported|quoted|cited|revealed|broken)\s+by\s+{_NAME}",
        rf"\b(?:[Cc]iting|[Aa]s\s+per|[Cc]ourtesy(?:\s+of)?|[Ss]ource:|[Cc]redit:)\s+{_NAME}",
        (  # X (first) reported
            rf"(?<![\w'])\b{_NAME}\s+(?:(?:first|has|had|also|earlier|previously|exclusively)"
            rf"\s+)?(?:reported|reports|quoted|revealed|said\s+in\s+a\s+report)\b"
        ),
        rf"(?<![\w'])\b{_NAME}\s+contributed\s+(?:reporting|to\s+this\s+(?:report|story|article))",
    )
)
_PAREN = re.compile(r"\(\s*([^()\n]{1,60}?)\s*\)")
_PAREN_SPLIT = re.compile(r"\s*[/+,\u060c&]\s*")
_AND_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


def _clean_name(name: str) -> str:
    name = name.strip().rstrip(".,;:'\u2019")
    return re.sub(r"['\u2019]s$", "", name).strip()


def find_attributions(
    text: str,
    *,
    own_outlet: str | None = None,
    known_outlets: Iterable[str] = (),
    config: ProvenanceConfig | None = None,
) -> list[Attribution]:
    """Every credit of an outlet in ``text``, in text order.

    English phrases ("according to X", "a report in X said", "told X", "X
    reported", "reports from X", "citing X" ...) and parenthesised credits in any
    script ("(Reuters)", "(APP)", "(اے پی پی)"). A name counts as an outlet when it
    is known (``config.outlet_aliases``, ``config.wire_outlets``, ``known_outlets``)
    or carries a media word ("Times", "News"); people ("according to Tao") and
    a paper's own staff ("(Sports Desk)") do not. Credits of ``own_outlet``
    (matched loosely) are left out: an APP story's own "(اے پی پی)" is no credit.

    >>> t = 'Felix Tao told NYT, "Hi." According to The New York Times report, AI won.'
    >>> [(a.outlet, a.cue) for a in find_attributions(t)]
    [('NYT', 'told NYT'), ('The New York Times', 'According to The New York Times report')]
    >>> [a.outlet for a in find_attributions("According to Tao, it works (Reuters).")]
    ['Reuters']
    >>> urdu = "ڈھاکہ ۔ یکم دسمبر (اے پی پی) بنگلہ دیش نے"
    >>> [a.cue for a in find_attributions(urdu)], find_attributions(urdu, own_outlet="APP")
    (['(اے پی پی)'], [])
    """
    config = config or ProvenanceConfig()
    outlets = _Outlets(config, known_outlets)
    found: dict[tuple[int, int, str], Attribution] = {}

    def add(outlet: str, start: int, end: int) -> None:
        outlet = _clean_name(outlet)
        if not outlet or not outlets.outlet_like(outlet):
            return
        if own_outlet and outlets.same(outlet, own_outlet):
            return
        key = (start, end, outlet)
        found[key] = Attribution(outlet=outlet, cue=text[start:end], start=start, end=end)

    for pattern in _PROSE_PATTERNS:
        for m in pattern.finditer(text):
            name = _clean_name(m.group("name"))
            if outlets.outlet_like(name):
                add(name, m.start(), m.end())
            else:  # "according to Reuters and AFP"
                for part in _AND_SPLIT.split(name):
                    add(part, m.start(), m.end())
    for m in _PAREN.finditer(text):
        for part in _PAREN_SPLIT.split(m.group(1)):
            add(part, m.start(), m.end())
    # One credit per outlet and position: keep the longest cue among overlapping ones.
    kept: list[Attribution] = []
    for attr in sorted(found.values(), key=lambda a: (a.start, -(a.end - a.start), a.outlet)):
        if any(
            k.start <= attr.start and attr.end <= k.end and _fold(k.outlet) == _fold(attr.outlet)
            for k in kept
        ):
            continue
        kept.append(attr)
    return sorted(kept, key=lambda a: (a.start, a.end, a.outlet))


# --------------------------------------------------------------------------- signals


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal's contribution to a decision, with the sentence that explains it.

    ``family`` is "attribution", "date", "content", "lineage" or "prior";
    ``strong`` says whether it may decide alone (metadata dates, attribution,
    content); ``value`` is in the additive weight unit of ``ProvenanceConfig``.
    """

    family: str
    strong: bool
    value: float
    text: str = ""


def _parse_date(value: str | None) -> datetime | date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _compare_dates(a: datetime | date, b: datetime | date) -> int:
    """-1, 0 or 1; at day precision unless both carry comparable times."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        if (a.tzinfo is None) == (b.tzinfo is None):
            return (a > b) - (a < b)
        a, b = a.date(), b.date()
    da = a.date() if isinstance(a, datetime) else a
    db = b.date() if isinstance(b, datetime) else b
    return (da > db) - (da < db)


def _date_kind(doc: Document) -> str:
    """'metadata', 'page', 'relative' or 'none'."""
    if _parse_date(doc.published_at) is None or doc.date_strength == "none":
        return "none"
    if doc.date_is_relative:
        return "relative"
    return "metadata" if doc.date_strength == "metadata" else "page"


def _date_label(doc: Document) -> str:
    kind = _date_kind(doc)
    if kind == "relative":
        cue = f'"{doc.date_text}", ' if doc.date_text else ""
        return f"{doc.published_at} ({cue}a relative page date)"
    return f"{doc.published_at} ({kind})"


def date_signal(parent: Document, child: Document, config: ProvenanceConfig) -> Signal:
    """Whether the dates say ``child`` came after ``parent``: value > 0 yes, < 0 no.

    The weight is that of the weaker date: both metadata gives
    ``strong_date_weight``; any relative page date ``relative_date_weight``;
    otherwise ``weak_date_weight``. Missing or equal dates give 0.

    >>> cfg = ProvenanceConfig()
    >>> a = Document(id="a", text="", published_at="2025-05-09", date_strength="metadata")
    >>> b = Document(id="b", text="", published_at="2025-05-12", date_strength="metadata")
    >>> s = date_signal(a, b, cfg)
    >>> s.value, s.strong, s.text
    (2.0, True, 'a is dated 2025-05-09 (metadata), before b (2025-05-12 (metadata))')
    >>> date_signal(b, a, cfg).value
    -2.0
    """
    kinds = {_date_kind(parent), _date_kind(child)}
    pd, cd = _parse_date(parent.published_at), _parse_date(child.published_at)
    if "none" in kinds or pd is None or cd is None:
        return Signal("date", False, 0.0)
    order = _compare_dates(pd, cd)
    if order == 0:
        return Signal("date", False, 0.0)
    if kinds == {"metadata"}:
        weight, strong = config.strong_date_weight, True
    elif "relative" in kinds:
        weight, strong = config.relative_date_weight, False
    else:
        weight, strong = config.weak_date_weight, False
    first, second = (parent, child) if order < 0 else (child, parent)
    text = f"{first.id} is dated {_date_label(first)}, before {second.id} ({_date_label(second)})"
    return Signal("date", strong, weight if order < 0 else -weight, text)


def containment_signal(
    parent_id: str,
    child_id: str,
    child_covered: float,
    parent_covered: float,
    config: ProvenanceConfig,
) -> Signal:
    """Containment asymmetry: the derivative is the side its partner covers more.

    ``child_covered`` is the share of the child's text covered by matches to the
    parent, ``parent_covered`` the reverse. On its own this says little (a
    derivative that adds material is the *less* covered side), hence a small
    weight.

    >>> containment_signal("001", "000", 0.92, 0.41, ProvenanceConfig()).text
    "000's text is 92% covered by 001, 001's only 41% by 000"
    """
    diff = child_covered - parent_covered
    text = ""
    if abs(diff) >= 0.1:
        hi, lo = (child_id, parent_id) if diff > 0 else (parent_id, child_id)
        hv, lv = (child_covered, parent_covered) if diff > 0 else (parent_covered, child_covered)
        text = f"{hi}'s text is {hv:.0%} covered by {lo}, {lo}'s only {lv:.0%} by {hi}"
    return Signal("content", True, config.containment_weight * diff, text)


# Numbers, and letter runs that do not start with an ASCII lower-case letter (the
# others can be no name; skipping them in the regex keeps English text fast).
_DETAIL = re.compile(r"\d+(?:[.,:]\d+)*|(?<![^\W\d_])[^\W\d_a-z][^\W\d_]*")
_OPENERS = frozenset(".!?:;\"'\u201c\u2018(\u06d4\u3002\u2022-\u2014")


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the text, a sentence, a quote or a bullet."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _OPENERS


def _details(text: str, exclude: frozenset[str]) -> tuple[set[str], set[str], set[str]]:
    """(numbers, names mid-sentence, every capitalised word) of ``text``.

    Numbers in any script's digits are normalised to ASCII; names are capitalised
    words that do not open a sentence, quote or bullet (so a position change in a
    rewrite does not count as a new detail).
    """
    numbers: set[str] = set()
    names: set[str] = set()
    capitals: set[str] = set()
    for m in _DETAIL.finditer(text):
        word = m.group()
        if word[0].isdigit():
            numbers.add("".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in word))
        elif word[0].isupper() and len(word) > 1 and word.casefold() not in exclude:
            capitals.add(word)
            if not _opens_sentence(text, m.start()):
                names.add(word)
    return numbers, names, capitals


def _details_of(
    passages: Sequence[str], exclude: frozenset[str]
) -> tuple[set[str], set[str], set[str]]:
    """``_details`` of each passage, united: passage order (which follows the pair's
    orientation, that is the ids) cannot change what opens a sentence."""
    found = _details_cached(tuple(sorted(passages)), exclude)
    return set(found[0]), set(found[1]), set(found[2])


@functools.lru_cache(maxsize=1 << 16)
def _details_one(
    text: str, exclude: frozenset[str]
) -> tuple[set[str], set[str], set[str]]:
    """``_details`` of one passage (a sentence recurs in the passages of many pairs)."""
    return _details(text, exclude)


@functools.lru_cache(maxsize=1 << 14)
def _details_cached(
    passages: tuple[str, ...], exclude: frozenset[str]
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """``_details_of``, cached: each pair's passages are read for both directions."""
    out: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    for text in passages:
        for acc, part in zip(out, _details_one(text, exclude), strict=True):
            acc |= part
    return frozenset(out[0]), frozenset(out[1]), frozenset(out[2])


def detail_signal(
    parent_id: str,
    child_id: str,
    parent_passages: Sequence[str],
    child_passages: Sequence[str],
    config: ProvenanceConfig,
    *,
    exclude: Iterable[str] = (),
) -> Signal:
    """Details only the parent has: numbers and names in the shared passages that the
    child drops count for "child derived from parent", details only the child has
    against it. ``exclude`` holds words to ignore (the credited outlets' names).

    >>> s = detail_signal("001", "000", ["said Felix Tao, 36, a former employee"],
    ...                   ["a former employee, Felix Tao said"], ProvenanceConfig())
    >>> round(s.value, 3), s.text
    (0.161, '001 has details 000 lacks: "36"')
    """
    skip = frozenset(w.casefold() for w in exclude)
    pn, pnames, pcaps = _details_of(parent_passages, skip)
    cn, cnames, ccaps = _details_of(child_passages, skip)
    names = pnames | cnames
    pd = pn | (pcaps & names)
    cd = cn | (ccaps & names)
    dropped, added = sorted(pd - cd), sorted(cd - pd)
    value = config.detail_weight * math.tanh((len(dropped) - len(added)) / 3.0)
    text = ""
    if len(dropped) > len(added):
        text = f"{parent_id} has details {child_id} lacks: " + ", ".join(
            f'"{d}"' for d in dropped[:3]
        )
    elif len(added) > len(dropped):
        text = f"{child_id} has details {parent_id} lacks: " + ", ".join(
            f'"{d}"' for d in added[:3]
        )
    return Signal("content", True, value, text)


@functools.lru_cache(maxsize=16)
def _hedge_pattern(hedge_words: tuple[str, ...]) -> re.Pattern[str]:
    """One regex finding any hedge word (folded) as a whole word."""
    alternatives = sorted({_fold(h) for h in hedge_words}, key=lambda h: (-len(h), h))
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, alternatives))})(?!\w)")


@functools.lru_cache(maxsize=4096)
def _hedges_cached(text: str, hedge_words: tuple[str, ...]) -> frozenset[str]:
    found = set(_hedge_pattern(hedge_words).findall(_fold(text)))
    return frozenset(h for h in hedge_words if _fold(h) in found)


def _hedges(text: str, config: ProvenanceConfig) -> set[str]:
    if not config.hedge_words:
        return set()
    return set(_hedges_cached(text, tuple(config.hedge_words)))


def hedge_signal(
    parent_id: str,
    child_id: str,
    parent_text: str,
    child_text: str,
    config: ProvenanceConfig,
) -> Signal:
    """A rewrite hedges what its source states: hedges only in the child count for it.

    >>> hedge_signal("a", "b", "The surge did not happen by accident.",
    ...              "The surge reportedly did not happen by accident.", ProvenanceConfig()).text
    'b hedges with "reportedly" where a does not'
    """
    hp, hc = _hedges(parent_text, config), _hedges(child_text, config)
    if hc - hp and not hp - hc:
        words = ", ".join(f'"{h}"' for h in sorted(hc - hp))
        return Signal("content", True, config.hedge_weight, f"{child_id} hedges with {words} "
                      f"where {parent_id} does not")
    if hp - hc and not hc - hp:
        words = ", ".join(f'"{h}"' for h in sorted(hp - hc))
        return Signal("content", True, -config.hedge_weight, f"{parent_id} hedges with {words} "
                      f"where {child_id} does not")
    return Signal("content", True, 0.0)


# --------------------------------------------------------------------------- lineage


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _length(intervals: Sequence[tuple[int, int]]) -> int:
    return sum(e - s for s, e in intervals)


def _subtract(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``a`` minus ``b``; both merged and sorted."""
    out: list[tuple[int, int]] = []
    j = 0
    for s, e in a:
        cur = s
        while j < len(b) and b[j][1] <= cur:
            j += 1
        k = j
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def lineage_link(
    child_cover: Mapping[str, Sequence[tuple[int, int]]],
    child_coverage: Mapping[str, float],
    parent: str,
    config: ProvenanceConfig,
) -> tuple[float, float, float]:
    """How well ``parent`` explains one child among its candidate parents.

    ``child_cover`` maps each candidate parent to the child's character intervals
    its matches cover; ``child_coverage`` to the pair coverage of the child.
    Returns ``(value, relative_coverage, exclusive_share)``: relative coverage is
    the parent's coverage over the best candidate's, exclusive share the part of
    the child's shared text that only this parent covers;
    ``value = lineage_weight * relative + exclusive_weight * tanh(exclusive / exclusive_scale)``.

    >>> cover = {"A": [(0, 50)], "B": [(0, 50), (50, 100)]}
    >>> v, rel, excl = lineage_link(cover, {"A": 0.4, "B": 0.8}, "B", ProvenanceConfig())
    >>> rel, excl, round(v, 3)
    (1.0, 0.5, 3.0)
    >>> lineage_link(cover, {"A": 0.4, "B": 0.8}, "A", ProvenanceConfig())[1:]
    (0.5, 0.0)
    """
    return lineage_links(child_cover, child_coverage, config).get(parent, (0.0, 0.0, 0.0))


def lineage_links(
    child_cover: Mapping[str, Sequence[tuple[int, int]]],
    child_coverage: Mapping[str, float],
    config: ProvenanceConfig,
) -> dict[str, tuple[float, float, float]]:
    """``lineage_link`` of every candidate parent at once, in one sweep over the
    child's intervals (time ``O(k log k)`` for ``k`` intervals, not ``k`` per parent).
    """
    best = max(child_coverage.values(), default=0.0)
    merged = {p: _merge(iv) for p, iv in child_cover.items()}
    events = sorted((pos, kind, p) for p, iv in merged.items() for s, e in iv
                    for pos, kind in ((s, 1), (e, 0)))
    active: set[str] = set()
    only = dict.fromkeys(merged, 0)
    total = 0
    last = None
    for pos, kind, p in events:  # ends (kind 0) before starts at one position
        if last is not None and active and pos > last:
            total += pos - last
            if len(active) == 1:
                only[next(iter(active))] += pos - last
        last = pos
        if kind:
            active.add(p)
        else:
            active.discard(p)
    out = {}
    for p in set(merged) | set(child_coverage):
        relative = child_coverage.get(p, 0.0) / best if best > 0 else 0.0
        exclusive = only.get(p, 0) / total if total else 0.0
        value = config.lineage_weight * relative + config.exclusive_weight * math.tanh(
            exclusive / config.exclusive_scale
        )
        out[p] = (value, relative, exclusive)
    return out


# --------------------------------------------------------------------------- arborescence


def maximum_arborescence(
    nodes: Sequence[str], weights: Mapping[tuple[str, str], int], root: str
) -> dict[str, str]:
    """The maximum-weight spanning arborescence rooted at ``root`` (Chu-Liu/Edmonds).

    ``weights[(u, v)]`` is the integer weight of the edge u -> v ("v's parent is
    u"). Returns each non-root node's parent. Among equal in-edges the one listed
    first in sorted order wins, so the result is deterministic; raises
    ``InputError`` when a node cannot be reached from the root.

    >>> w = {("a", "b"): 5, ("b", "c"): 5, ("a", "c"): 1, ("c", "b"): 9, ("b", "a"): 9}
    >>> sorted(maximum_arborescence(["a", "b", "c"], w, "a").items())
    [('b', 'a'), ('c', 'b')]
    """
    index = {n: i for i, n in enumerate(sorted(nodes))}
    names = sorted(nodes)
    if root not in index:
        raise InputError(f"root {root!r} is not one of the nodes")
    edges = [
        (index[u], index[v], w, eid)
        for eid, ((u, v), w) in enumerate(sorted(weights.items()))
        if u in index and v in index and u != v
    ]
    original = {eid: (u, v) for u, v, _, eid in edges}
    chosen = _edmonds(list(range(len(names))), edges, index[root], len(names))
    out = {}
    for eid in chosen:
        u, v = original[eid]
        out[names[v]] = names[u]
    return out


def _edmonds(
    nodes: list[int], edges: list[tuple[int, int, int, int]], root: int, next_id: int
) -> set[int]:
    """Edge ids of a maximum arborescence; ``edges`` are (u, v, weight, edge id)."""
    best: dict[int, tuple[int, int, int, int]] = {}
    for edge in edges:
        u, v, w, eid = edge
        if v == root or u == v:
            continue
        cur = best.get(v)
        if cur is None or w > cur[2] or (w == cur[2] and eid < cur[3]):
            best[v] = edge
    missing = [v for v in nodes if v != root and v not in best]
    if missing:
        raise InputError(f"{len(missing)} member(s) cannot be reached through derived pairs")
    # Find a cycle among the chosen in-edges.
    cycle: list[int] = []
    state: dict[int, int] = {}
    for start in nodes:
        path: list[int] = []
        v = start
        while v != root and v not in state:
            state[v] = start
            path.append(v)
            v = best[v][0]
        if v != root and state.get(v) == start:
            cycle = path[path.index(v):]
            break
    if not cycle:
        return {best[v][3] for v in nodes if v != root}
    in_cycle = set(cycle)
    c = next_id
    new_edges: list[tuple[int, int, int, int]] = []
    enters: dict[int, int] = {}
    for u, v, w, eid in edges:
        if u in in_cycle and v in in_cycle:
            continue
        if v in in_cycle:
            new_edges.append((u, c, w - best[v][2], eid))
            enters[eid] = v
        elif u in in_cycle:
            new_edges.append((c, v, w, eid))
        else:
            new_edges.append((u, v, w, eid))
    new_nodes = [n for n in nodes if n not in in_cycle] + [c]
    chosen = _edmonds(new_nodes, new_edges, root, next_id + 1)
    entry = next(eid for eid in chosen if eid in enters)
    return chosen | {best[v][3] for v in cycle if v != enters[entry]}


# --------------------------------------------------------------------------- the cluster


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


def _q(value: float) -> int:
    return round(value * _QUANT)


def _tree_order(root: str, parent: Mapping[str, str]) -> list[str]:
    children: dict[str, list[str]] = {}
    for c, p in parent.items():
        children.setdefault(p, []).append(c)
    order: list[str] = []
    stack = [root]
    while stack:
        n = stack.pop()
        order.append(n)
        stack.extend(sorted(children.get(n, []), reverse=True))
    return order


def _dominant_kind(matches: Sequence[Match], child: str) -> MatchKind | None:
    chars: dict[MatchKind, int] = {}
    for m in matches:
        side = m.a if m.a.document == child else m.b
        chars[m.kind] = chars.get(m.kind, 0) + (side.end - side.start)
    if not chars:
        return None
    return min(chars, key=lambda k: (-chars[k], _KIND_ORDER[k]))


def _cluster_id(ids: Sequence[str]) -> str:
    return "c-" + hashlib.sha1("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:10]


def _dedupe(lines: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for line in lines:
        if line and line not in out:
            out.append(line)
    return tuple(out)


def _match_key(m: Match) -> tuple[str, str, int, int, int, int, str, float]:
    return (m.a.document, m.b.document, m.a.start, m.a.end, m.b.start, m.b.end, m.kind,
            -m.similarity)


def assign_provenance(
    members: Sequence[str],
    documents: Mapping[str, Document],
    pairs: Sequence[PairDecision],
    config: ProvenanceConfig,
) -> Cluster:
    """Origin, derivation tree, confidence and evidence of one story cluster.

    ``members`` are the document ids of one cluster (at least two) connected by
    derived pairs; ``pairs`` the verified pair decisions among them (pairs
    naming other documents are ignored; only derived ones become tree edges).
    See the module docstring for the signals, how they combine and the
    tie-breaking rule. The result does not depend on the order of ``members`` or
    ``pairs``.

    >>> from syndetect.types import Document, Match, PairDecision, Span
    >>> t = "Same words in both of these texts."
    >>> docs = {i: Document(id=i, text=t) for i in ("y", "x")}
    >>> m = Match(Span("x", 0, len(t), t), Span("y", 0, len(t), t), 1.0, "verbatim")
    >>> c = assign_provenance(["y", "x"], docs, [PairDecision("x", "y", 1.0, True, 1.0, 1.0,
    ...                       1, 1.0, 0, (m,))], ProvenanceConfig())
    >>> c.origin, c.confidence, c.members[1].relation  # a tie: the smaller id wins
    ('x', 0.0, 'verbatim')
    """
    ids = sorted(set(members))
    if len(ids) < 2:
        raise InputError(f"a story cluster needs at least two members, got {list(members)!r}")
    unknown = [i for i in ids if i not in documents]
    if unknown:
        raise InputError(f"cluster members {unknown} are not among the documents")
    prob = _Problem(ids, documents, pairs, config)
    edges = {(u, v): prob.edge(u, v) for a, b in prob.derived for u, v in ((a, b), (b, a))}
    nodes = {r: prob.node_signals(r) for r in ids}
    ranked = _rank_roots(prob, edges, nodes)
    best = ranked[0]
    if prob.credits[best.root] and not any(
        prob.identifies(m, c.outlet) for c in prob.credits[best.root] for m in ids
    ):  # the best root itself credits an outlet that no member is
        return _external_cluster(prob, edges)

    confidence = _confidence(prob, edges, nodes, ranked)
    evidence, conflict = _origin_evidence(prob, edges, nodes, best)
    if conflict:
        confidence *= 0.5
    logger.debug("cluster of %d: origin %s, confidence %.3f", len(ids), best.root, confidence)
    return Cluster(
        id=_cluster_id(ids),
        origin=best.root,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        evidence=evidence,
        members=_members(prob, edges, best.root, best.tree),
        matches=_all_matches(prob),
        external_origin=None,
    )


@dataclass(frozen=True)
class _Rooted:
    """The best tree under one candidate root and its score (in quantised units)."""

    root: str
    tree: dict[str, str]
    score: int


def _rank_roots(
    prob: _Problem, edges: Mapping[tuple[str, str], _Edge], nodes: Mapping[str, list[Signal]]
) -> list[_Rooted]:
    """Candidate roots, best first, each with its maximum arborescence.

    Ties between equal scores: earlier strong date, then more coverage explained,
    then smaller id; inside a tree the edge ranks apply the same order to parents.
    """
    ids, config = prob.ids, prob.config

    def parent_pref(e: tuple[str, str]) -> tuple[object, ...]:
        u, v = e
        return (prob.strong_date(u), -prob.coverage(v, u), u, v)

    # Integer weights with a tie-break rank below one unit of the main weight:
    # the ranks of a tree's n-1 edges sum to less than ``scale``.
    order = sorted(edges, key=parent_pref, reverse=True)  # the least preferred parent first
    scale = len(edges) * len(ids) + 1
    weights = {e: _q(edges[e].total) * scale + rank for rank, e in enumerate(order)}

    candidates = ids
    if len(ids) > config.max_root_candidates:

        def quick(r: str) -> float:
            d = sum(edges[(r, n)].direction - edges[(n, r)].direction for n in prob.neighbours[r])
            return sum(s.value for s in nodes[r]) + d / 2

        candidates = sorted(ids, key=lambda r: (-quick(r), prob.strong_date(r), r))
        candidates = candidates[: config.max_root_candidates]
    keyed = []
    for r in candidates:
        tree = maximum_arborescence(ids, weights, r)
        score = sum(_q(s.value) for s in nodes[r]) + sum(
            _q(edges[(p, c)].total) for c, p in tree.items()
        )
        keyed.append(((-score, prob.strong_date(r), -prob.explained(r), r), _Rooted(r, tree, score)))
    return [rooted for _, rooted in sorted(keyed, key=lambda kv: kv[0])]


def _families(
    rooted: _Rooted, edges: Mapping[tuple[str, str], _Edge], nodes: Mapping[str, list[Signal]]
) -> dict[str, float]:
    """A root's score by signal family; weak signals pooled as "weak"."""
    out: dict[str, float] = {}
    signals = [*nodes[rooted.root]]
    signals += [s for c, p in rooted.tree.items() for s in edges[(p, c)].signals]
    for s in signals:
        family = s.family if s.strong else "weak"
        out[family] = out.get(family, 0.0) + s.value
    return out


def _confidence(
    prob: _Problem,
    edges: Mapping[tuple[str, str], _Edge],
    nodes: Mapping[str, list[Signal]],
    ranked: Sequence[_Rooted],
) -> float:
    """``1 - exp(-margin / scale)`` over the runner-up root, capped when only weak
    signals (page dates, priors) make the lead."""
    if len(ranked) < 2:
        return 0.0
    best, runner = ranked[0], ranked[1]
    margin = (best.score - runner.score) / _QUANT
    confidence = 1.0 - math.exp(-max(0.0, margin) / prob.config.confidence_scale)
    fam_best, fam_run = _families(best, edges, nodes), _families(runner, edges, nodes)
    strong_lead = sum(
        fam_best.get(f, 0.0) - fam_run.get(f, 0.0) for f in STRONG_FAMILIES
    )
    if strong_lead <= 1e-9:
        confidence = min(confidence, prob.config.weak_confidence_cap)
    return confidence


def _origin_evidence(
    prob: _Problem,
    edges: Mapping[tuple[str, str], _Edge],
    nodes: Mapping[str, list[Signal]],
    best: _Rooted,
) -> tuple[tuple[str, ...], bool]:
    """Evidence of the origin decision, and whether an outside credit conflicts with it."""
    root, ids = best.root, prob.ids
    evidence: list[str] = []
    outside: dict[str, list[str]] = {}  # credited outlets no member is -> crediting members
    for m in ids:
        if m == root:
            continue
        for credit in prob.credits[m]:
            evidence.append(credit.sentence(m))
            if not any(prob.identifies(x, credit.outlet) for x in ids):
                outside.setdefault(credit.outlet, []).append(m)
    evidence.extend(s.text for s in nodes[root] if s.text)
    conflict = False
    if outside:
        outlet, crediting = min(outside.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        who = ", ".join(crediting) + (" credits" if len(crediting) == 1 else " credit")
        root_outlet = prob.docs[root].outlet
        if not root_outlet:
            evidence.append(
                f'{root} names no outlet; {who} "{outlet}" and {root} credits no one, '
                f"so {root} is taken as that source (its outlet is unconfirmed)"
            )
        else:
            evidence.append(
                f'{who} "{outlet}", which is not in the corpus and is not {root} '
                f'("{root_outlet}"): the story may have begun there'
            )
            conflict = True
    for child, parent in sorted(best.tree.items()):
        if parent == root:
            evidence.extend(
                s.text
                for s in sorted(edges[(parent, child)].signals, key=lambda s: (-s.value, s.text))
                if s.text and s.value > 0 and s.family != "lineage"
            )
    return _dedupe(evidence), conflict


def _all_matches(prob: _Problem) -> tuple[Match, ...]:
    return tuple(sorted((m for p in prob.pairs.values() for m in p.matches), key=_match_key))


def _edge_evidence(prob: _Problem, edge: _Edge, parent: str, child: str) -> list[str]:
    """Sentences for "child derived from parent": the child's credits, the supporting
    signals, then the overruled ones."""
    lines = [c.sentence(child) for c in prob.credits[child]]
    lines += [
        s.text for s in sorted(edge.signals, key=lambda s: (-s.value, s.text))
        if s.text and s.value > 0
    ]
    for s in edge.signals:
        if s.text and s.value < 0:
            lines.append(f"{s.text} (outweighed)")
    # A credit that names the parent says more than the bare credit line.
    return [x for x in lines if not any(y != x and y.startswith(x + ";") for y in lines)]


def _members(
    prob: _Problem, edges: Mapping[tuple[str, str], _Edge], root: str, tree: Mapping[str, str]
) -> tuple[Member, ...]:
    out: list[Member] = []
    cfg = prob.config
    for doc in _tree_order(root, tree):
        if doc == root:
            out.append(Member(
                document=doc, role="origin", derived_from=None, derivation=None, relation=None,
                coverage=0.0,
                evidence=_dedupe(s.text for s in prob.node_signals(doc) if s.text),
            ))
            continue
        parent = tree[doc]
        cov = prob.coverage(doc, parent)
        pair = prob.pair(doc, parent)
        out.append(Member(
            document=doc,
            role="derivative",
            derived_from=parent,
            derivation="whole" if prob.substance(doc, parent) >= cfg.whole_substance else "partial",
            relation=_dominant_kind(pair.matches if pair else (), doc),
            coverage=round(cov, 4),
            evidence=_dedupe(_edge_evidence(prob, edges[(parent, doc)], parent, doc)),
        ))
    return tuple(out)


def _external_cluster(prob: _Problem, edges: Mapping[tuple[str, str], _Edge]) -> Cluster:
    """The origin lies outside the corpus: a tree hanging from a virtual root."""
    cfg, ids = prob.config, prob.ids
    # Which outside outlet: credited by the most members, then the most cues, then by name.
    tally: list[tuple[str, set[str], int]] = []
    outside: set[str] = set()
    for m in ids:
        for c in prob.credits[m]:
            if any(prob.identifies(x, c.outlet) for x in ids):
                continue
            outside.add(m)
            for i, (name, by, cues) in enumerate(tally):
                if prob.outlets.same(name, c.outlet):
                    longer = c.outlet if (len(c.outlet), name) > (len(name), c.outlet) else name
                    tally[i] = (longer, by | {m}, cues + c.count)
                    break
            else:
                tally.append((c.outlet, {m}, c.count))
    outlet, credited_by, _ = min(tally, key=lambda t: (-len(t[1]), -t[2], t[0]))
    crediting = sorted(credited_by)

    # A member crediting an outside outlet hangs from that outside source unless
    # another member's direction evidence beats the credit (a member link never
    # exceeds max_link); other members hang from whichever member explains them.
    max_link = 2 * (cfg.lineage_weight + cfg.exclusive_weight)
    scale = (len(edges) + 2) * (len(ids) + 1) + 1
    ranked = sorted(
        edges,
        key=lambda e: (prob.strong_date(e[0]), -prob.coverage(e[1], e[0]), e[0], e[1]),
        reverse=True,
    )
    weights = {e: _q(edges[e].total) * scale + rank for rank, e in enumerate(ranked)}
    for m in ids:
        value = cfg.attribution_weight + max_link if m in outside else 0.0
        weights[(_EXTERNAL, m)] = _q(value) * scale + len(edges) + 1
    tree = maximum_arborescence([_EXTERNAL, *ids], weights, _EXTERNAL)

    members: list[Member] = []
    for doc in _tree_order(_EXTERNAL, tree):
        if doc == _EXTERNAL:
            continue
        parent = tree[doc]
        if parent == _EXTERNAL:
            lines = [c.sentence(doc) for c in prob.credits[doc]]
            lines.append(f'{doc} is derived from "{outlet}", which is not in the corpus'
                         if doc in crediting else f"{doc} is derived from no other member")
            members.append(Member(
                document=doc, role="derivative", derived_from=None, derivation=None,
                relation=None, coverage=0.0, evidence=_dedupe(lines),
            ))
            continue
        cov = prob.coverage(doc, parent)
        pair = prob.pair(doc, parent)
        members.append(Member(
            document=doc, role="derivative", derived_from=parent,
            derivation="whole" if prob.substance(doc, parent) >= cfg.whole_substance else "partial",
            relation=_dominant_kind(pair.matches if pair else (), doc),
            coverage=round(cov, 4),
            evidence=_dedupe(_edge_evidence(prob, edges[(parent, doc)], parent, doc)),
        ))
    n = len(crediting)
    confidence = n / len(ids) * (1.0 - math.exp(-n / 1.5))
    verb = "credits" if len(crediting) == 1 else "credit"
    who = ", ".join(crediting)
    evidence = [f'no member is the origin: {who} {verb} "{outlet}", which is not in the corpus']
    for m in ids:
        evidence.extend(c.sentence(m) for c in prob.credits[m])
    return Cluster(
        id=_cluster_id(ids),
        origin=None,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        evidence=_dedupe(evidence),
        members=tuple(members),
        matches=_all_matches(prob),
        external_origin=outlet,
    )
