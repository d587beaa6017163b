"""The signals of one ordered pair: which side came first, which side derived.

- **Publication time** (``date_signal``): metadata dates are strong, page dates
  weak, relative page dates ("3 days ago") weakest; missing dates give nothing.
- **Content direction** (``containment_signal``, ``detail_signal``,
  ``hedge_signal``): the derivative is the more contained side, lacks details
  (numbers, names) its parent has, and hedges ("reportedly").

Each returns a ``Signal``: positive values say "the child derived from the parent".
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..config import ProvenanceConfig
from ..segment import char_before
from ..types import Document
from .outlets import _fold


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
    i = char_before(text, start)
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
            numbers.add(word if word.isascii() else
                        "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in word))
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
