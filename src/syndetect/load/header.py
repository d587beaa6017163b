"""Title, outlet, byline and date from the header of scraped plain text.

Scraped article text keeps the page's header as short lines above the first
paragraph of prose: a masthead, the headline (often printed twice), a dateline
such as "Time of India3 days ago" (outlet glued to a relative date), a byline.
Only those lines are read (at most :data:`HEADER_LINES` non-empty lines, and
never past the first line of prose), so a sentence of the article cannot become
a title or an outlet. Each field is left ``None`` rather than guessed.

>>> from datetime import datetime
>>> page = "logo\\nA headline about things\\n\\nA headline about things\\nMint2 days ago\\n"
>>> page += "Body. " * 40
>>> h = parse_header(page, as_of=datetime(2025, 8, 1))
>>> (h.title, h.outlet, h.date.iso, h.date.is_relative)
('A headline about things', 'Mint', '2025-07-30', True)
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .dates import DATE_LANGUAGES, DateMatch, ParsedDate, find_date, is_pure_offset

logger = logging.getLogger(__name__)

HEADER_LINES = 12
"""Non-empty lines read at most."""
PROSE_CHARS = 200
"""A line this long is article text, not header."""

_UI_WORDS = frozenset(
    {
        "logo",
        "menu",
        "home",
        "search",
        "close",
        "share",
        "login",
        "register",
        "subscribe",
        "newsletter",
        "advertisement",
        "sponsored",
        "navigation",
        "toggle",
    }
)
_UI_LINES = frozenset({"skip to content", "sign in", "log in", "main menu", "toggle navigation"})
# First words that make a prefix a label ("Updated:", "Publicado"), not an outlet.
_LABELS = frozenset(
    {
        "published",
        "updated",
        "posted",
        "modified",
        "date",
        "dated",
        "last",
        "first",
        "on",
        "at",
        "publicado",
        "actualizado",
        "atualizado",
        "publié",
        "publie",
        "mis",
        "modifié",
        "veröffentlicht",
        "aktualisiert",
        "pubblicato",
        "aggiornato",
        "gepubliceerd",
        "bijgewerkt",
    }
)
_BY = re.compile(r"^(?:by|por|par|von|di|door|av)\b[\s:]*(.*)$", re.IGNORECASE)
_NAME_PARTICLES = frozenset(
    {
        "de",
        "da",
        "das",
        "do",
        "dos",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
    }
)
_ARTICLES = frozenset({"the", "a", "an"})
_SEPARATORS = "|\u00b7\u2022-\u2013\u2014,:/"
_BREADCRUMB = re.compile(r"[\u203a\u00bb>|/]")
_BYLINE_END = re.compile(r"\s[|\u00b7\u2022\u2013\u2014-]\s|[|\u00b7\u2022]")
_SENTENCE_PUNCT = re.compile(r"[!?;]|[.,]\s|[.,:]$")


@dataclass(frozen=True, slots=True)
class PageHeader:
    """What the header of a scraped page says about it; ``None`` where it says nothing."""

    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    date: ParsedDate | None = None


def _words(line: str) -> list[str]:
    return line.split()


def _caseless(line: str) -> bool:
    """True for lines whose letters have no case (Arabic, Han, Devanagari ...)."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and not any(c.isupper() or c.islower() for c in letters)


def _length(line: str) -> int:
    """Word count; a run of Han/Kana characters counts one word per two characters."""
    wide = sum(1 for c in line if unicodedata.east_asian_width(c) == "W" and c.isalpha())
    return len(_words(line)) + wide // 2


def _is_prose(line: str) -> bool:
    if len(line) > PROSE_CHARS:
        return True
    return _length(line) >= 12 and line.rstrip("\"'\u201d\u2019)").endswith(
        (".", "\u06d4", "\u3002")
    )


def _is_junk(line: str) -> bool:
    """Navigation and icon text: all-lowercase lines, UI words."""
    low = line.lower().strip(" :|")
    if low in _UI_LINES or low in _UI_WORDS:
        return True
    has_cased = any(c.isupper() or c.islower() for c in line)
    return has_cased and not any(c.isupper() for c in line)


def _capitalised(word: str) -> bool:
    first = next((c for c in word if c.isalpha()), "")
    return bool(first) and (first.isupper() or not first.islower())


def _outlet_like(text: str) -> bool:
    """A short proper name: "Time of India", "Mint", "Dawn.com", "London Daily"."""
    words = _words(text)
    if not 1 <= len(words) <= 5 or len(text) > 40 or _is_junk(text):
        return False
    if _SENTENCE_PUNCT.search(text) or _BY.match(text) or words[0].lower().strip(":") in _LABELS:
        return False
    if _caseless(text):
        return True
    if not (_capitalised(words[0]) and _capitalised(words[-1])):
        return False
    return all(_capitalised(w) or len(w) <= 3 for w in words)


def _masthead_like(text: str) -> bool:
    """An outlet name alone on the first line; one bare word is more often a section ("World")."""
    return _outlet_like(text) and (len(_words(text)) >= 2 or "." in text)


def _name_like(text: str) -> bool:
    """A person's name on its own line: two to four capitalised words, no digits."""
    words = _words(text)
    if not 2 <= len(words) <= 4 or len(text) > 40 or _caseless(text):
        return False
    if any(c.isdigit() for c in text) or words[0].lower() in _ARTICLES or _is_junk(text):
        return False
    if not all(c.isalpha() or c in " .'-\u2019" for c in text):
        return False
    return _capitalised(words[0]) and all(
        _capitalised(w) or w.lower() in _NAME_PARTICLES for w in words[1:]
    )


def _byline_of(line: str) -> str | None:
    """ "By Jane Doe" -> "Jane Doe"; a bare "by" (name not scraped) -> None."""
    match = _BY.match(line)
    if not match:
        return None
    name = _BYLINE_END.split(match.group(1))[0].strip(" ,;:")
    words = _words(name)
    if not name or len(words) > 8 or len(name) > 80 or any(c.isdigit() for c in name):
        return None
    if _SENTENCE_PUNCT.search(name.replace(", ", " ")) or not _capitalised(words[0]):
        return None
    return name


def _title_like(line: str) -> bool:
    n = _length(line)
    if not 2 <= n <= 30 or len(line) > 300 or _is_junk(line):
        return False
    if line.endswith(".") and not line.endswith("..."):
        return False  # headlines do not end with a full stop; sentences do
    if len(_BREADCRUMB.findall(line)) >= 2:
        return False
    return _caseless(line) or _capitalised(line)


def header_lines(text: str) -> list[str]:
    """The header lines of ``text``: stripped, non-empty, not a long run of icon names.

    At most :data:`HEADER_LINES`, and none from the first line of prose on.

    >>> header_lines("logo\\nTitle here\\n\\nOutlet\\n" + "A sentence of prose. " * 12 + "\\nMore")
    ['logo', 'Title here', 'Outlet']
    """
    out: list[str] = []
    for seen, raw in enumerate(text.split("\n", 4 * HEADER_LINES)):
        line = " ".join(raw.split())
        if not line or (_is_junk(line) and len(line) > PROSE_CHARS):
            continue  # a long run of icon names is not the start of the article
        if _is_prose(line) or len(out) >= HEADER_LINES or seen >= 4 * HEADER_LINES:
            break
        out.append(line)
    return out


def _dateline(line: str, as_of: datetime, languages: Sequence[str]) -> tuple[DateMatch, str] | None:
    """A date cue that (nearly) fills the line, and the prefix before it.

    The prefix may be empty, a label ("Updated:"), a byline ("By X,"), or an
    outlet that is glued to the cue, set off by a separator, or followed by a
    numeric relative cue ("The Hindu 12 hours ago"). Anything else (a headline
    that mentions "yesterday") is not a dateline.
    """
    if (
        len(line) > 80
        or _length(line) > 10
        or (_length(line) > 5 and not any(c.isdigit() for c in line))
    ):
        return None
    match = find_date(line, as_of=as_of, languages=languages)
    if match is None or len(_words(line[match.end :].strip(_SEPARATORS + " "))) > 2:
        return None
    raw_prefix = line[: match.start]
    prefix = raw_prefix.strip(_SEPARATORS + " ")
    if not prefix or prefix.endswith(":") or _words(prefix)[0].lower() in _LABELS:
        return match, ""
    if _BY.match(prefix):
        return match, prefix
    glued = not raw_prefix[-1:].isspace()
    separated = raw_prefix.rstrip()[-1:] in _SEPARATORS
    numeric_offset = any(c.isdigit() for c in match.date.text) and is_pure_offset(
        match.date.text, as_of=as_of, languages=languages
    )
    if _outlet_like(prefix) and (glued or separated or numeric_offset):
        return match, prefix
    return None


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _pick_title(lines: list[str], taken: set[int]) -> int | None:
    for i, line in enumerate(lines):  # a headline printed twice
        if (
            i not in taken
            and _title_like(line)
            and any(_same(line, other) for other in lines[i + 1 :])
        ):
            return i
    for i, line in enumerate(lines):  # else the first headline-shaped line of 4+ words
        if i not in taken and _title_like(line) and _length(line) >= 4:
            return i
    if taken:  # else the line right above the dateline or byline
        above = min(taken) - 1
        if above >= 0 and above not in taken and _title_like(lines[above]):
            return above
    return None


def parse_header(
    text: str,
    *,
    as_of: datetime,
    languages: Sequence[str] = DATE_LANGUAGES,
) -> PageHeader:
    """Read title, outlet, byline and date from the header lines of ``text``.

    Relative dates resolve against ``as_of``. The outlet comes from a dateline's
    prefix ("Mint2 days ago") or a masthead line above the headline ("London
    Daily"); the byline from "By ..." or a bare name under the headline.

    >>> from datetime import datetime
    >>> page = "London Daily\\nFriday, May 09, 2025\\nBig Story Of The Day Here\\nJane Doe\\n"
    >>> h = parse_header(page, as_of=datetime(2025, 6, 1))
    >>> (h.outlet, h.date.iso, h.date.is_relative, h.title, h.byline)
    ('London Daily', '2025-05-09', False, 'Big Story Of The Day Here', 'Jane Doe')
    """
    lines = header_lines(text)
    date: ParsedDate | None = None
    outlet = byline = None
    taken: set[int] = set()
    repeated = {i for i, line in enumerate(lines) if any(_same(line, o) for o in lines[i + 1 :])}
    for i, line in enumerate(lines):
        if i in repeated:
            continue  # a headline printed twice is not a dateline, even if it names a day
        found = _dateline(line, as_of, languages)
        if found is None:
            continue
        match, prefix = found
        date, taken = match.date, {i}
        if prefix:
            by = _byline_of(prefix)
            byline, outlet = (by, None) if _BY.match(prefix) else (None, prefix)
        break
    for i, line in enumerate(lines):
        if i not in taken and _BY.match(line):
            taken.add(i)  # "by" alone: the name was not scraped; still not a title
            byline = byline or _byline_of(line)
    title_at = _pick_title(lines, taken)
    if title_at is not None:
        taken |= {j for j, line in enumerate(lines) if _same(line, lines[title_at])}
        if byline is None:
            byline = next(
                (
                    line
                    for j, line in enumerate(lines)
                    if j > title_at
                    and j not in taken
                    and _name_like(line)
                    and not _same(line, outlet or "")
                ),
                None,
            )
        first = next((j for j, line in enumerate(lines) if not _is_junk(line)), title_at)
        if (
            outlet is None
            and first < title_at
            and first not in taken
            and _masthead_like(lines[first])
        ):
            outlet = lines[first]  # a masthead: the first real line, above the headline
    title = lines[title_at] if title_at is not None else None
    logger.debug("header: title=%r outlet=%r byline=%r date=%r", title, outlet, byline, date)
    return PageHeader(title=title, outlet=outlet, byline=byline, date=date)
