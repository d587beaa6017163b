"""Date cues -> ISO dates with dateparser, resolved against an ``as_of`` moment.

A *relative* cue ("3 days ago", "Hace una semana", "yesterday") depends on when
the page was seen; it resolves against ``as_of`` and is flagged, so that
provenance can weigh it as the guess it is. A cue counts as relative when its
value moves with the reference moment (dateparser is asked twice, with two
bases), so a date without a year ("May 9") is relative too.

Dates with a day (or coarser) precision become ``YYYY-MM-DD``; dates with a time
keep it (``2025-05-09T10:00:00+00:00``; relative times are in UTC).

>>> from datetime import datetime, timezone
>>> as_of = datetime(2025, 8, 1, 12, tzinfo=timezone.utc)
>>> d = parse_date("3 days ago", as_of=as_of)
>>> (d.iso, d.is_relative, d.text)
('2025-07-29', True, '3 days ago')
>>> parse_date("Friday, May 09, 2025", as_of=as_of).iso
'2025-05-09'
>>> m = find_date("Time of India3 days ago", as_of=as_of)
>>> (m.date.text, m.start)
('3 days ago', 13)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from ..types import DateStrength

logger = logging.getLogger(__name__)

DATE_LANGUAGES: tuple[str, ...] = (
    "en",
    "es",
    "fr",
    "de",
    "pt",
    "it",
    "nl",
    "ru",
    "tr",
    "id",
    "ar",
    "ur",
    "fa",
    "hi",
    "bn",
    "zh",
    "ja",
    "ko",
)
"""Languages dateparser tries. A fixed list is ~10x faster than its auto-detection."""

MAX_CUE_CHARS = 100
EARLIEST_YEAR = 1900
FUTURE_SLACK = timedelta(days=2)  # time zones and clock skew; later than this is not a publication
_SHIFT = timedelta(days=400, hours=7, minutes=13)  # a second base that moves every calendar field
_PAGE_PARSERS = ["relative-time", "custom-formats", "absolute-time"]  # no bare epoch numbers
_GLUE = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"\S+")
_NUMERIC = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_CUE_EDGE = " \t|\u00b7\u2022-\u2013\u2014,:;/()[]"


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A resolved date cue.

    ``iso`` is the value for ``Document.published_at``; ``text`` the cue as written;
    ``period`` dateparser's precision ("time", "day", "week", "month", "year").
    """

    iso: str
    text: str
    is_relative: bool
    period: str
    language: str | None


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date cue found inside a line, with its offsets in that line."""

    date: ParsedDate
    start: int
    end: int


def utc_naive(moment: datetime) -> datetime:
    """``moment`` in UTC without tzinfo (dateparser's ``RELATIVE_BASE`` form); naive means UTC.

    >>> utc_naive(datetime(2025, 1, 1, 5, tzinfo=timezone(timedelta(hours=5))))
    datetime.datetime(2025, 1, 1, 0, 0)
    """
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _settings(base: datetime, *, page: bool, order: str | None = None) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
    }
    if page:
        settings["PARSERS"] = _PAGE_PARSERS
    if order:
        settings["DATE_ORDER"] = order
    return settings


def _parse(
    text: str, base: datetime, languages: Sequence[str], *, page: bool, order: str | None = None
) -> tuple[datetime, str, str | None] | None:
    try:
        settings = _settings(base, page=page, order=order)
        parser = DateDataParser(languages=list(languages), settings=settings)
        data = parser.get_date_data(text)
    except Exception as err:  # dateparser raises assorted errors on odd input
        logger.debug("dateparser failed on %r: %s", text, err)
        return None
    if data.date_obj is None:
        return None
    return data.date_obj, data.period or "day", data.locale


def _iso(moment: datetime, period: str, relative: bool) -> str:
    if period != "time":
        return moment.date().isoformat()
    if relative:  # "2 hours ago" is not precise to the second; keep the minute, in UTC
        moment = moment.replace(second=0, microsecond=0)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


def parse_date(
    text: str,
    *,
    as_of: datetime,
    languages: Sequence[str] = DATE_LANGUAGES,
    page: bool = False,
) -> ParsedDate | None:
    """Parse the whole of ``text`` as one date; None if it is not a plausible date.

    ``page=True`` refuses bare numbers (epoch timestamps, "20250509"), which on a
    page are far more often something else. Dates before 1900 or more than two
    days after ``as_of`` are refused.

    >>> from datetime import datetime
    >>> parse_date("2025-05-09T10:00:00Z", as_of=datetime(2025, 6, 1)).iso
    '2025-05-09T10:00:00+00:00'
    >>> parse_date("next week", as_of=datetime(2025, 6, 1)) is None
    True
    """
    text = " ".join(text.split())
    if not text or len(text) > MAX_CUE_CHARS:
        return None
    base = utc_naive(as_of)
    exact = _parse_iso(text) if "-" in text else None  # extended ISO only; "2024" is not a date
    if exact is not None:
        (moment, period), relative, locale = exact, False, None
    else:
        found = _parse(text, base, languages, page=page)
        order = None
        if (
            found is not None
            and utc_naive(found[0]) > base + FUTURE_SLACK
            and _NUMERIC.search(text)
        ):
            # 09/05/2025 read month-first lands in the future: day-first is the reading left
            order = "DMY"
            found = _parse(text, base, languages, page=page, order=order)
        if found is None:
            return None
        moment, period, locale = found
        again = _parse(text, base + _SHIFT, languages, page=page, order=order)
        relative = again is None or utc_naive(again[0]) != utc_naive(moment)
    if moment.year < EARLIEST_YEAR or utc_naive(moment) > base + FUTURE_SLACK:
        return None
    return ParsedDate(
        iso=_iso(moment, period, relative),
        text=text,
        is_relative=relative,
        period=period,
        language=locale,
    )


def _parse_iso(text: str) -> tuple[datetime, str] | None:
    """Strict ISO 8601 first: exact, fast, never language-dependent."""
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time()), "day"
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text), "time"
    except ValueError:
        return None


def parse_stamp(text: str, *, as_of: datetime) -> ParsedDate | None:
    """A publication timestamp from page markup, keeping its time of day and zone.

    ``article:published_time`` and its kin are written for machines: ISO 8601 is
    read exactly (an offset is kept; a time without one stays naive, its zone
    unknown), anything else goes through dateparser. A midnight without a zone
    is a day written as a time, and gives the day.

    >>> from datetime import datetime
    >>> now = datetime(2008, 6, 1)
    >>> parse_stamp("2008-05-09T14:30:00-04:00", as_of=now).iso
    '2008-05-09T14:30:00-04:00'
    >>> parse_stamp("2008-05-09T00:00:00", as_of=now).iso, parse_stamp("soon", as_of=now)
    ('2008-05-09', None)
    """
    text = " ".join(text.split())
    if not text or len(text) > MAX_CUE_CHARS:
        return None
    moment: datetime | None = None
    if "-" in text[:10]:
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
        except ValueError:
            moment = None
    if moment is None:
        return parse_date(text, as_of=as_of)
    if moment.year < EARLIEST_YEAR or utc_naive(moment) > utc_naive(as_of) + FUTURE_SLACK:
        return None
    has_time = ("T" in text or ":" in text) and not (
        moment.tzinfo is None and moment.time() == datetime.min.time()
    )
    iso = moment.isoformat() if has_time else moment.date().isoformat()
    return ParsedDate(
        iso=iso, text=text, is_relative=False, period="time" if has_time else "day", language=None
    )


def is_pure_offset(
    text: str, *, as_of: datetime, languages: Sequence[str] = DATE_LANGUAGES
) -> bool:
    """True when ``text`` names a fixed distance from now ("yesterday", "a week ago").

    A weekday or month name ("Sun", "March") is relative but not a fixed offset.

    >>> from datetime import datetime
    >>> now = datetime(2025, 6, 1)
    >>> is_pure_offset("yesterday", as_of=now), is_pure_offset("Sun", as_of=now)
    (True, False)
    """
    base = utc_naive(as_of)
    first = _parse(text, base, languages, page=True)
    second = _parse(text, base + _SHIFT, languages, page=True)
    if first is None or second is None:
        return False
    return utc_naive(first[0]) - base == utc_naive(second[0]) - (base + _SHIFT)


def _unglue(line: str) -> tuple[str, list[int]]:
    """Insert spaces where a word runs into a number or a new word ("India3", "IndiaHace").

    Returns the spaced line and, for each position in it, the position in ``line``.
    """
    spaced: list[str] = []
    origin: list[int] = []
    cuts = {m.start() for m in _GLUE.finditer(line)}
    for i, char in enumerate(line):
        if i in cuts:
            spaced.append(" ")
            origin.append(i)
        spaced.append(char)
        origin.append(i)
    origin.append(len(line))
    return "".join(spaced), origin


def _substantial(cue: str, parsed: ParsedDate, whole_line: bool, as_of: datetime) -> bool:
    """Refuse lone words that dateparser reads as dates ("on", "Sun", "March", "2024")."""
    if any(c.isdigit() for c in cue):
        return not cue.replace(" ", "").isdigit()
    if len(cue.split()) >= 2:
        return True
    return whole_line and parsed.is_relative and is_pure_offset(cue, as_of=as_of)


def _grow(
    spaced: str, start: int, end: int, parsed: ParsedDate, as_of: datetime, languages: Sequence[str]
) -> tuple[int, int, ParsedDate]:
    """Widen a search hit to neighbouring words that parse to the same date.

    dateparser's search can return part of a cue ("a 3 jours" of "il y a 3 jours").
    """
    starts = [m.start() for m in _WORD.finditer(spaced) if m.start() <= start][-4:]
    ends = [m.end() for m in _WORD.finditer(spaced) if m.end() >= end][:3]
    for s in starts:
        for e in reversed(ends):
            if (s, e) == (start, end):
                continue
            wider = parse_date(spaced[s:e], as_of=as_of, languages=languages, page=True)
            if wider is not None and wider.iso == parsed.iso:
                return s, e, wider
    return start, end, parsed


def find_date(
    line: str,
    *,
    as_of: datetime,
    languages: Sequence[str] = DATE_LANGUAGES,
) -> DateMatch | None:
    """The first plausible date cue in a short ``line``, with offsets into ``line``.

    Words glued to a number are split first, so "Mint2 days ago" yields the cue
    "2 days ago" starting at 4. Lone words that merely *can* be dates ("on",
    "Sun", "March") are refused unless they are the whole line and a fixed
    offset such as "yesterday".

    >>> from datetime import datetime
    >>> find_date("Focus on the big picture.", as_of=datetime(2025, 6, 1)) is None
    True
    """
    if not line.strip() or len(line) > 2 * MAX_CUE_CHARS:
        return None
    spaced, origin = _unglue(line)
    base = utc_naive(as_of)
    try:
        hits = search_dates(spaced, languages=list(languages), settings=_settings(base, page=True))
    except Exception as err:  # dateparser raises assorted errors on odd input
        logger.debug("dateparser search failed on %r: %s", line, err)
        return None
    cursor = 0
    for cue, _ in hits or []:
        start = spaced.find(cue, cursor)
        if start < 0:
            continue
        cursor = start + len(cue)
        parsed = parse_date(cue, as_of=as_of, languages=languages, page=True)
        if parsed is None:
            continue
        start, end, parsed = _grow(spaced, start, cursor, parsed, as_of, languages)
        while start < end and spaced[start] in _CUE_EDGE:
            start += 1
        while end > start and spaced[end - 1] in _CUE_EDGE:
            end -= 1
        whole = spaced[start:end].strip() == spaced.strip()
        if not _substantial(spaced[start:end].strip(), parsed, whole, as_of):
            continue
        o_start, o_end = origin[start], origin[end]
        return DateMatch(replace(parsed, text=line[o_start:o_end].strip()), o_start, o_end)
    return None


def date_fields(parsed: ParsedDate | None, *, strength: DateStrength) -> dict[str, Any]:
    """``Document`` keyword arguments for a parsed date (empty when there is none).

    >>> date_fields(None, strength="page")
    {}
    """
    if parsed is None:
        return {}
    return {
        "published_at": parsed.iso,
        "date_is_relative": parsed.is_relative,
        "date_strength": strength,
        "date_text": parsed.text,
    }


def date_metadata(parsed: ParsedDate | None, *, source: str, as_of: datetime) -> dict[str, Any]:
    """Provenance of a date for ``Document.metadata``: where it came from and its base."""
    if parsed is None:
        return {}
    meta: dict[str, Any] = {"date_source": source, "date_period": parsed.period}
    if parsed.language:
        meta["date_language"] = parsed.language
    if parsed.is_relative:
        meta["as_of"] = iso_utc(as_of)
    return meta


def iso_utc(moment: datetime) -> str:
    """``moment`` as an ISO string in UTC (naive means UTC).

    >>> iso_utc(datetime(2025, 8, 1, 12))
    '2025-08-01T12:00:00+00:00'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()
