"""Attribution: the credits of an outlet in a text.

A member that credits another outlet for the shared text ("according to The New
York Times report", "told NYT", "(Reuters)", "(اے پی پی)") is a derivative; if
the credited outlet is a member's outlet (matched loosely: ``outlets_match``)
that member is its parent.

Limits: credits are found by English phrases and by parenthesised credits in any
script; other languages' prose credits ("según El País") need a known outlet in
parentheses, and unknown acronyms ("told XYZ") are not taken for outlets. Credits
count only near the shared text (``attribution_window_chars``) or at the top of
the page (a dateline), so a related-articles blob's "told Reuters" is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import ProvenanceConfig
from .outlets import _fold, _Outlets


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
# Words without which each prose pattern cannot match (lower case: a pattern is
# skipped when none is in the text's lower case), so a page pays for a scan only
# where a credit can be: each scan walks the whole text.
_TRIGGERS: tuple[tuple[str, ...], ...] = (
    ("according",),
    ("according",),
    ("report", "stor", "article", "piece", "investigation", "analys"),
    ("report",),
    ("told", "tell"),
    ("interview", "speaking", "spoke"),
    ("reported", "quoted", "cited", "revealed", "broken"),
    ("citing", "per", "courtesy", "source", "credit"),
    ("report", "quoted", "revealed"),
    ("contributed",),
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

    low = text.lower()
    for pattern, triggers in zip(_PROSE_PATTERNS, _TRIGGERS, strict=True):
        if not any(t in low for t in triggers):
            continue
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
