"""Date cues: parsing, relative resolution against as_of, and cue finding inside lines."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from syndetect.load.dates import find_date, is_pure_offset, parse_date

AS_OF = datetime(2025, 8, 1, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "iso", "relative", "period"),
    [
        ("2025-05-09", "2025-05-09", False, "day"),
        ("2025-05-09T10:00:00Z", "2025-05-09T10:00:00+00:00", False, "time"),
        ("2025-05-09T10:00:00+05:00", "2025-05-09T10:00:00+05:00", False, "time"),
        ("Friday, May 09, 2025", "2025-05-09", False, "day"),
        ("9 May 2025", "2025-05-09", False, "day"),
        ("3 days ago", "2025-07-29", True, "day"),
        ("2 hours ago", "2025-08-01T10:00:00+00:00", True, "time"),
        ("Hace una semana", "2025-07-25", True, "week"),
        ("hace 2 días", "2025-07-30", True, "day"),
        ("yesterday", "2025-07-31", True, "day"),
        ("3天前", "2025-07-29", True, "day"),
        ("May 9", "2025-05-09", True, "day"),  # the year comes from as_of: relative
    ],
)
def test_parse_date(text, iso, relative, period) -> None:
    parsed = parse_date(text, as_of=AS_OF)
    assert parsed is not None
    assert (parsed.iso, parsed.is_relative, parsed.period) == (iso, relative, period)
    assert parsed.text == text


def test_relative_dates_move_with_as_of_and_absolute_ones_do_not() -> None:
    later = AS_OF + timedelta(days=30)
    assert parse_date("3 days ago", as_of=later).iso == "2025-08-28"
    assert parse_date("Friday, May 09, 2025", as_of=later).iso == "2025-05-09"


@pytest.mark.parametrize(
    "text", ["", "   ", "not a date at all", "next week", "in 3 days", "1850-01-01"]
)
def test_implausible_or_unreadable_dates_are_refused(text) -> None:
    assert parse_date(text, as_of=AS_OF) is None


def test_month_first_reading_in_the_future_falls_back_to_day_first() -> None:
    assert parse_date("09/05/2025", as_of=AS_OF).iso == "2025-05-09"
    assert parse_date("05/09/2025", as_of=datetime(2025, 12, 1)).iso == "2025-05-09"


def test_bare_numbers_are_not_page_dates() -> None:
    assert parse_date("20250509", as_of=AS_OF, page=True) is None
    assert parse_date("1700000000", as_of=AS_OF, page=True) is None


def test_pure_offsets() -> None:
    assert is_pure_offset("3 days ago", as_of=AS_OF)
    assert is_pure_offset("yesterday", as_of=AS_OF)
    assert not is_pure_offset("Sunday", as_of=AS_OF)
    assert not is_pure_offset("May 9, 2025", as_of=AS_OF)


@pytest.mark.parametrize(
    ("line", "cue", "start"),
    [
        ("Time of India3 days ago", "3 days ago", 13),
        ("Mint2 days ago", "2 days ago", 4),
        ("Time of IndiaHace una semana", "Hace una semana", 13),
        ("Dawn News | July 3, 2025", "July 3, 2025", 12),
        ("il y a 3 jours", "il y a 3 jours", 0),
        ("Hace una semana", "Hace una semana", 0),
    ],
)
def test_find_date_offsets_index_the_original_line(line, cue, start) -> None:
    match = find_date(line, as_of=AS_OF)
    assert match is not None
    assert match.date.text == cue
    assert match.start == start
    assert line[match.start : match.end] == cue


@pytest.mark.parametrize(
    "line",
    [
        "Focus on the big picture.",
        "Sun",
        "March",
        "2024",
        "1. Key Highlights:",
        "London Daily",
        "by",
    ],
)
def test_find_date_refuses_lone_words_and_numbers(line) -> None:
    assert find_date(line, as_of=AS_OF) is None
