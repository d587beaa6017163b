"""Teasers under a "Related Articles" heading are page furniture; a story cut by an ad is not."""

from __future__ import annotations

from syndetect.boilerplate import detect_boilerplate
from syndetect.config import BoilerplateConfig
from syndetect.segment import segment

STORY = [
    "The city council voted 6-3 on Tuesday to build a new water treatment plant on the "
    "north bank of the river, ending a two-year fight over its location.",
    "Mayor Ellen Park said the plant would cost about $48 million and would be paid for "
    "with a bond issue that voters approved in November.",
    "Residents of the Riverside neighborhood had asked the council to choose a site "
    "farther from homes, citing truck traffic and the smell of the existing plant.",
    "Construction is expected to begin next spring and take about three years, according "
    "to the city's public works director, Sam Greene.",
]
AD = ["Sponsored Links", "Most Popular", "This one trick lowers your energy bill", "Learn More"]
TEASER_TITLE = "State lawmakers approve new rules for well water testing"
TEASER = (
    "Homeowners who rely on private wells will have to test their water every three years "
    "under a bill passed by the state Senate on Monday, the first such rule in the region."
)


def labelled(text: str) -> tuple[set[str], set[str]]:
    segs, _ = detect_boilerplate({"a": segment("a", text)}, BoilerplateConfig())
    return {s.text for s in segs["a"] if s.boilerplate}, {
        s.text for s in segs["a"] if not s.boilerplate
    }


def test_teasers_after_a_related_heading_are_labelled_the_story_is_not() -> None:
    page = "\n".join(
        [
            *STORY,
            "Related Articles",
            TEASER_TITLE,
            TEASER_TITLE,
            "Daily Courier",
            TEASER_TITLE,
            TEASER,
        ]
    )
    flagged, kept = labelled(page)
    assert TEASER in flagged and "Related Articles" in flagged
    assert kept == set(STORY)


def test_an_ad_heading_inside_the_story_does_not_end_it() -> None:
    page = "\n".join([*STORY[:3], *AD, *STORY[3:]])
    flagged, kept = labelled(page)
    assert set(STORY) <= kept  # "Most Popular" opened a section, but the story went on
    assert {"Most Popular", "This one trick lowers your energy bill"} <= flagged


def test_a_heading_before_any_story_labels_nothing_after_it() -> None:
    page = "\n".join(["Top Stories", *STORY])
    flagged, kept = labelled(page)
    assert not flagged and kept == {"Top Stories", *STORY}
