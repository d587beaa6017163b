"""Plain scraped text: header metadata on the real seeds and on other page shapes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from syndetect.load import load_documents
from syndetect.load.header import header_lines, parse_header
from syndetect.load.language import guess_language

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
AS_OF = datetime(2025, 8, 1, 12, tzinfo=timezone.utc)
PROSE = (
    "Officials said the water level in the river had risen sharply overnight, forcing "
    "thousands of families from their homes in low-lying districts of the city."
)


@pytest.fixture(scope="module")
def seeds() -> dict[str, object]:
    docs = load_documents([SEEDS], as_of=AS_OF)
    return {d.id[:3]: d for d in docs}


def test_all_seeds_load_ok_with_their_full_text(seeds) -> None:
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    for key, doc in seeds.items():
        on_disk = next(SEEDS.glob(f"{key}_*.txt")).read_text(encoding="utf-8")
        assert doc.status == "ok"
        assert doc.text == on_disk  # offsets of later stages index what is on disk
        assert doc.metadata["format"] == "text"


@pytest.mark.parametrize(
    ("key", "outlet", "published_at", "relative", "date_text"),
    [
        ("000", "Time of India", "2025-07-29", True, "3 days ago"),
        ("002", None, "2025-07-25", True, "Hace una semana"),
        ("003", "London Daily", "2025-05-09", False, "Friday, May 09, 2025"),
        ("004", "Mint", "2025-07-30", True, "2 days ago"),
    ],
)
def test_seed_outlet_and_date(seeds, key, outlet, published_at, relative, date_text) -> None:
    doc = seeds[key]
    assert doc.outlet == outlet
    assert doc.published_at == published_at
    assert doc.date_is_relative is relative
    assert doc.date_text == date_text
    assert doc.date_strength == "page"
    assert doc.metadata["date_source"] == "page-header"
    assert ("as_of" in doc.metadata) is relative


def test_seed_without_a_date_says_so(seeds) -> None:
    doc = seeds["001"]
    assert (doc.published_at, doc.date_strength, doc.date_is_relative, doc.date_text) == (
        None,
        "none",
        False,
        None,
    )
    assert doc.outlet is None


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("000", "Chinese village that is at the central of the US-China AI war"),
        ("001", "Coder 'village' at the heart of China's artificial intelligence boom"),
        ("002", "Liangzhu: The Rise of China\u2019s AI Powerhouse and Its Challenges"),
        ("003", "China's Tech Sector Focuses on AI Race with US Titans like Google and Microsoft"),
        ("004", "Six months after DeepSeek's breakthrough, China speeds on with AI"),
    ],
)
def test_seed_titles(seeds, key, title) -> None:
    assert seeds[key].title == title


def test_seed_bylines(seeds) -> None:
    assert seeds["001"].byline == "Meaghan Tobin"
    # 002 has a bare "by" whose name was not scraped: no byline, and the next line is not one
    assert seeds["002"].byline is None
    assert {seeds[k].byline for k in ("000", "003", "004")} == {None}


def test_no_seed_takes_article_text_or_navigation_as_metadata(seeds) -> None:
    for doc in seeds.values():
        lines = [" ".join(line.split()) for line in doc.text.split("\n")][:15]
        header = [line for line in lines if len(line) <= 200 and not line.endswith(".")]
        for value in (doc.title, doc.outlet, doc.byline):
            if value is None:
                continue
            assert any(value in line for line in header), f"{doc.id}: {value!r} not from the header"
            assert not value.endswith(".") and len(value.split()) <= 15, f"{doc.id}: {value!r}"
        assert doc.outlet not in {"logo", "Carrito de compra", "Focus on the big picture."}
        assert doc.title not in {"logo", "Carrito de compra", "Table of Contents", "by"}


def test_relative_dates_follow_as_of(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Some Headline About Floods\nThe Daily Star5 hours ago\n" + PROSE, encoding="utf-8"
    )
    later = AS_OF + timedelta(days=10)

    [now_doc] = load_documents([path], as_of=AS_OF)
    [later_doc] = load_documents([path], as_of=later)

    assert now_doc.outlet == later_doc.outlet == "The Daily Star"
    assert now_doc.published_at == "2025-08-01T07:00:00+00:00"
    assert later_doc.published_at == "2025-08-11T07:00:00+00:00"
    assert now_doc.date_text == "5 hours ago"


def test_naive_as_of_means_utc(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("A Headline For The Test\nNews Today3 days ago\n" + PROSE, encoding="utf-8")

    [aware] = load_documents([path], as_of=datetime(2025, 8, 1, 0, 30, tzinfo=timezone.utc))
    [naive] = load_documents([path], as_of=datetime(2025, 8, 1, 0, 30))
    [karachi] = load_documents(
        [path], as_of=datetime(2025, 8, 1, 5, 30, tzinfo=timezone(timedelta(hours=5)))
    )

    assert aware.published_at == naive.published_at == karachi.published_at == "2025-07-29"


def header(text: str):
    return parse_header(text + "\n" + PROSE + "\n" + PROSE, as_of=AS_OF)


@pytest.mark.parametrize(
    ("page", "outlet", "iso"),
    [
        (
            "Dawn News1 hour ago\nHeavy Rain Lashes The City",
            "Dawn News",
            "2025-08-01T11:00:00+00:00",
        ),
        (
            "Heavy Rain Lashes The City\nThe Express Tribune | July 3, 2025",
            "The Express Tribune",
            "2025-07-03",
        ),
        ("Heavy Rain Lashes The City\nGeo News \u00b7 4 days ago", "Geo News", "2025-07-28"),
        (
            "Heavy Rain Lashes The City\nThe Hindu 12 hours ago",
            "The Hindu",
            "2025-08-01T00:00:00+00:00",
        ),
        ("Heavy Rain Lashes The City\nUpdated: 2 hours ago", None, "2025-08-01T10:00:00+00:00"),
        ("Heavy Rain Lashes The City\nPublished July 3, 2025", None, "2025-07-03"),
        ("Heavy Rain Lashes The City\nil y a 3 jours", None, "2025-07-29"),
        ("Heavy Rain Lashes The City\nvor 2 Tagen", None, "2025-07-30"),
        ("Heavy Rain Lashes The City\nyesterday", None, "2025-07-31"),
    ],
)
def test_datelines_of_other_shapes(page, outlet, iso) -> None:
    result = header(page)
    assert result.outlet == outlet
    assert result.date is not None and result.date.iso == iso
    assert result.title == "Heavy Rain Lashes The City"


@pytest.mark.parametrize(
    "page",
    [
        "Flood Hits Karachi Yesterday",  # a headline naming a day is not a dateline
        "Markets Rally On March 3",
        "What happened in March",
        "Sun\nHeavy Rain Lashes The City",  # lone words dateparser would read as dates
        "March\nHeavy Rain Lashes The City",
    ],
)
def test_headlines_and_lone_words_are_not_datelines(page) -> None:
    result = header(page)
    assert result.date is None
    assert result.outlet is None


def test_text_without_a_header_gives_nothing() -> None:
    result = parse_header(PROSE + "\n" + PROSE, as_of=AS_OF)
    assert result == type(result)()


def test_short_first_sentence_is_not_a_title() -> None:
    result = parse_header("The city flooded.\n" + PROSE, as_of=AS_OF)
    assert result.title is None


def test_by_prefix_bylines() -> None:
    assert header("Heavy Rain Lashes The City\nBy Jane Doe").byline == "Jane Doe"
    result = header("Heavy Rain Lashes The City\nBy Jane Doe | Updated: 2 hours ago")
    assert (result.byline, result.outlet) == ("Jane Doe", None)
    assert result.date is not None and result.date.is_relative
    assert header("Heavy Rain Lashes The City\nBy").byline is None


def test_masthead_above_the_headline_is_the_outlet_but_a_section_word_is_not() -> None:
    assert header("Daily Courier\nHeavy Rain Lashes The City").outlet == "Daily Courier"
    assert header("World\nHeavy Rain Lashes The City").outlet is None
    assert header("Menu\nSign in\nHeavy Rain Lashes The City").outlet is None


def test_bare_name_under_the_headline_is_a_byline_not_above_it() -> None:
    assert header("Heavy Rain Lashes The City\nAyesha Khan").byline == "Ayesha Khan"
    above = header("Ayesha Khan\nHeavy Rain Lashes The City")
    assert above.byline is None
    assert header("Heavy Rain Lashes The City\nTable of Contents").byline is None


def test_header_stops_at_the_first_line_of_prose() -> None:
    lines = header_lines("Title Line Here\n" + PROSE + "\nBy Someone Later\nMint2 days ago")
    assert lines == ["Title Line Here"]
    late = parse_header(
        "Title Line Here\n" + PROSE + "\nMint2 days ago\nBy Someone Later", as_of=AS_OF
    )
    assert (late.date, late.outlet, late.byline) == (None, None, None)


def test_urdu_page_header_and_language(tmp_path: Path) -> None:
    body = "کراچی میں شدید بارش کے باعث نظام زندگی مفلوج ہو گیا اور کئی علاقے زیر آب آ گئے۔ " * 4
    path = tmp_path / "urdu.txt"
    path.write_text("کراچی میں شدید بارش\n2 دن پہلے\n" + body, encoding="utf-8")

    [doc] = load_documents([path], as_of=AS_OF)

    assert doc.language == "ur"
    assert doc.published_at == "2025-07-30"
    assert doc.date_is_relative is True
    assert doc.title == "کراچی میں شدید بارش"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("هطلت أمطار غزيرة على المدينة يوم الجمعة", "ar"),
        ("پاکستان میں بارش ہوئی اور لوگ گھروں سے نکلے", "ur"),
        ("باران شدیدی در شهر بارید و مردم از خانه‌ها بیرون آمدند", "fa"),
        ("杭州良渚成为人工智能创业中心", "zh"),
        ("東京で大雨が降りました", "ja"),
        ("भारी बारिश से शहर में बाढ़", "hi"),
        ("Heavy rain fell on the city", None),
        ("Сильный дождь прошёл над городом", None),
        ("", None),
    ],
)
def test_script_language_guess(text, language) -> None:
    assert guess_language(text) == language
