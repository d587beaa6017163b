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


def test_two_bombings_in_one_wire_style_are_different_stories() -> None:
    """Same agency, same formulas, different death tolls, towns and officials."""
    for extra in ([], BACKGROUND[2:]):
        docs = [_doc("pakistan", _text("wire_pakistan"), "Reuters"),
                _doc("iraq", _text("wire_iraq"), "Reuters")]
        docs += [_doc(n, _text(n), n) for n in extra]
        report = scan(docs, Config())
        pair = _pair(report, "pakistan", "iraq")
        assert pair is not None, "the formulas make them candidates: the decision must refuse"
        assert not pair.derived
        assert pair.decided_by.startswith("not_derived")
        assert pair.features["n_conflicting"] >= 2
        assert not any({"pakistan", "iraq"} <= {m.document for m in c.members}
                       for c in report.clusters)


@pytest.mark.parametrize(
    ("a", "b"), [("minister_brief_ap", "minister_brief_local"), ("minister_wire", "minister_local")]
)
def test_two_reports_quoting_one_minister_are_not_derived(a: str, b: str) -> None:
    docs = [_doc(a, _text(a), "AP"), _doc(b, _text(b), "Local")]
    docs += [_doc(n, _text(n), n) for n in ("wire_rates", "local_housing")]
    report = scan(docs, Config())
    pair = _pair(report, a, b)
    assert pair is not None and not pair.derived, pair
    assert pair.features["n_quote_only"] >= 1


def test_quotations_alone_would_have_linked_them() -> None:
    """The minister briefs share long quotations: counted as phrasing, they would link."""
    a, b = "minister_brief_ap", "minister_brief_local"
    # Quote marks removed: the same words now read as the reporters' own phrasing.
    docs = [_doc(n, _text(n).replace('"', ""), n) for n in (a, b)]
    pair = _pair(scan(docs, Config()), a, b)
    assert pair is not None and pair.derived


@pytest.mark.parametrize("wrap_width_cols", [None, 100])
def test_wire_paragraph_lifted_into_a_local_story_is_a_partial_derivation(
    wrap_width_cols: int | None,
) -> None:
    wire, local = _text("wire_rates"), _text("local_housing")
    if wrap_width_cols:
        local = _wrap(local, wrap_width_cols)
    docs = [_doc("wire", wire, "Reuters"), _doc("local", local, "Advertiser")]
    docs += [_doc(n, _text(n), n) for n in ("wire_pakistan", "minister_wire", "minister_local")]
    report = scan(docs, Config())
    pair = _pair(report, "wire", "local")
    assert pair is not None and pair.derived
    assert pair.decided_by == "verbatim_passage"
    assert pair.coverage_a < 0.5 or pair.coverage_b < 0.5  # most of the local story is its own
    lifted = ("The Bank of England raised interest rates to 5.25 percent on Thursday, its 14th "
              "increase in a row, and said borrowing costs would need to stay high for some "
              "time to bring inflation back down to its 2 percent target.")
    (m,) = pair.matches
    span = m.a if m.a.document == "local" else m.b
    start = local.replace("\n", " ").index(lifted)
    assert (span.start, span.end) == (start, start + len(lifted))
    assert local[span.start:span.end] == span.text
    assert m.kind in ("verbatim", "near_verbatim")
    (cluster,) = [c for c in report.clusters if "local" in {x.document for x in c.members}]
    member = next(x for x in cluster.members if x.document == "local")
    assert member.derived_from == "wire" and member.derivation == "partial"


def test_identical_copy_aligns_each_sentence_with_itself() -> None:
    from syndetect.detect import align_exhaustive
    from syndetect.table import SentenceTable, corpus_vocabulary

    text = _text("wire_pakistan")
    docs = [_doc("reuters", text, "Reuters"), _doc("dawn", text, "Dawn"),
            _doc("iraq", _text("wire_iraq"), "Reuters")]
    report = scan(docs, Config())
    pair = _pair(report, "dawn", "reuters")
    assert pair is not None and pair.derived
    assert pair.decided_by in ("verbatim_passage", "near_duplicate")
    assert [m.kind for m in pair.matches] == ["verbatim"]
    # One passage, the same text on both sides, the whole story (a credit line shared
    # with the other wire story may be labelled template and left out).
    assert pair.matches[0].a.text == pair.matches[0].b.text
    assert len(pair.matches[0].a.text) > 0.9 * len(text.strip())
    (cluster,) = [c for c in report.clusters if "dawn" in {x.document for x in c.members}]
    assert {x.relation for x in cluster.members if x.derived_from} == {"verbatim"}
    # Sentence i of one copy is matched with sentence i of the other, and only with it.
    segs = {d.id: segment(d.id, d.text) for d in docs}
    table = SentenceTable.build(segs)
    idf = corpus_vocabulary(table).idf_table()
    pairs = align_exhaustive(table, "dawn", "reuters", idf, Config(), select=True)
    assert len(pairs) == len(segs["dawn"])
    assert all(table.rows[p.i].index == table.rows[p.j].index for p in pairs)


def test_an_ordered_chain_must_beat_what_chance_lines_up() -> None:
    """Long unrelated texts of one genre share dozens of loose strong matches; about
    2 * sqrt(m) of m random matches always line up, so a chain of 7 out of 30 is chance."""
    from syndetect.config import DecisionConfig
    from syndetect.detect import decide

    base = {"verbatim_chars": 0, "n_matched": 9, "n_quote_only": 0, "n_conflicting": 0,
            "n_sequence": 7}
    assert decide({**base, "n_anchor_pairs": 9}, {"a": 0.1}, 0.32, DecisionConfig()) == (
        True, "rewrite_sequence")
    derived, why = decide({**base, "n_anchor_pairs": 30}, {"a": 0.1}, 0.32, DecisionConfig())
    assert not derived and why.startswith("not_derived: score")
