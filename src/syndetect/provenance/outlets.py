"""Outlet names: when two names denote one outlet, and what an outlet-like name is.

Names are folded (NFKC, case, combining marks) and compared by compact keys and
initials ("NYT" is "The New York Times", "Time of India" is "The Times of India"),
through ``ProvenanceConfig.outlet_aliases`` for spellings in other scripts, and
against a page's address ("nytimes.com"). An outlet's credit of its own staff
("(Sports Desk)") is recognised only through ``staff_words`` and ``outlet_aliases``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..config import ProvenanceConfig

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
