"""English news cases for segmentation and pair decisions (issue 9).

The texts in ``tests/data_en`` are written like real wire copy and local news:
datelines, credits, quotations, formulas every wire story repeats ("No group
immediately claimed responsibility"). Each case states what a reader would say
about the pair, and the test fails when syndetect says otherwise.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syndetect import Config, Document, scan
from syndetect.segment import paragraph_spans, segment, wrap_width

DATA = Path(__file__).resolve().parent / "data_en"


def _text(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def _wrap(text: str, width: int, *, indent: str = "", blank_lines: bool = True) -> str:
    """Hard-wrap every paragraph at ``width`` columns, as wire copy and e-mail do."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    wrapped = [textwrap.fill(p, width, initial_indent=indent) for p in paras]
    return ("\n\n" if blank_lines else "\n").join(wrapped)


STORIES = ["wire_pakistan", "wire_iraq", "minister_wire", "minister_local", "wire_rates",
           "local_housing"]


# --- segmentation of hard-wrapped text ----------------------------------------------


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize(
    ("width", "indent", "blank_lines"),
    [(70, "", True), (100, "", True), (72, "   ", False), (64, "", True)],
)
def test_wrapped_copy_gives_the_sentences_of_the_unwrapped_one(
    name: str, width: int, indent: str, blank_lines: bool
) -> None:
    plain = _text(name)
    wrapped = _wrap(plain, width, indent=indent, blank_lines=blank_lines)
    assert wrapped.count("\n") > plain.count("\n")  # the fixture really is wrapped
    want = [s.norm for s in segment("a", plain)]
    segs = segment("b", wrapped)
    assert [s.norm for s in segs] == want
    for s in segs:
        assert wrapped[s.start : s.end] == s.text
    # Paragraphs survive: as many as in the plain text, breaking where it breaks.
    assert len({s.paragraph for s in segs}) == len({s.paragraph for s in segment("a", plain)})


def test_width_is_found_only_in_wrapped_text() -> None:
    plain = _text("local_housing")
    assert wrap_width(plain) is None
    assert wrap_width(_wrap(plain, 70)) in range(60, 71)
    assert wrap_width(_wrap(plain, 100)) in range(88, 101)
    # One sentence per line (a list of headlines, a poem) is not wrapped prose.
    lines = "\n".join(
        f"Police in district {k} reported {k + 3} arrests on Saturday night." for k in range(12)
    )
    assert wrap_width(lines) is None


def test_list_items_and_short_lines_keep_their_own_lines() -> None:
    prose = (
        "The council published its list of roads that will close for resurfacing "
        "over the summer, and said that diversions would be signposted at every "
        "junction affected by the work:"
    )
    items = [
        "- Station Parade, from 3 July to 14 July, between the hours of 9 am and 4 pm",
        "- Skipton Road, from 17 July to 4 August, with overnight closures only",
        "1. Kings Road and Cold Bath Road, from 7 August, for two weeks in total",
    ]
    text = textwrap.fill(prose, 70) + "\n" + "\n".join(items) + "\n" + textwrap.fill(
        "Residents can find the full timetable on the council's website, where a "
        "map shows the diversion routes for buses and lorries during the works.", 70
    )
    spans = [text[s:e] for s, e in paragraph_spans(text)]
    assert spans[0].replace("\n", " ") == prose
    assert spans[1:4] == items
    assert len(spans) == 5


def test_hyphen_at_a_line_break_joins_the_word() -> None:
    text = (
        "Officials at the regional transport authority said that the inter-\n"
        "national airport would reopen on Monday after three days of repairs\n"
        "to its main runway, which was damaged by flooding during the storm\n"
        "that swept across the north of the country late on Thursday night.\n"
    )
    segs = segment("d", text)
    assert len(segs) == 1
    assert "the international airport would reopen" in segs[0].norm


# --- pair decisions -------------------------------------------------------------------


def _doc(doc_id: str, text: str, outlet: str) -> Document:
    return Document(id=doc_id, text=text, outlet=outlet)


def _pair(report, a: str, b: str):
    found = [p for p in report.pairs if {p.a, p.b} == {a, b}]
    return found[0] if found else None


BACKGROUND = ["wire_iraq", "minister_wire", "minister_local", "local_housing"]


@pytest.mark.parametrize("width", [70, 100])
def test_hard_wrapped_wire_copy_is_a_verbatim_copy_of_the_unwrapped_one(width: int) -> None:
    plain = _text("wire_rates")
    docs = [_doc("rates", plain, "Reuters"), _doc("rates-mail", _wrap(plain, width), "Mail")]
    docs += [_doc(n, _text(n), n) for n in BACKGROUND]
    report = scan(docs, Config())
    pair = _pair(report, "rates", "rates-mail")
    assert pair is not None and pair.derived
    assert pair.matches and all(m.kind == "verbatim" for m in pair.matches)
    # The whole story, not fragments of it: one passage covering both texts.
    assert pair.coverage_a > 0.95 and pair.coverage_b > 0.95
    assert len(pair.matches) == 1
