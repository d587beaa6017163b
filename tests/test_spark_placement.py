"""Where the Spark engine decides each candidate pair: the decision grid's cells.

Pure functions of ``syndetect.spark.stages``: no Spark session needed. The answer
never depends on the placement (each pair is decided once, in whichever cell); what
the placement decides is how many times a document is shipped to a cell, which is
the largest shuffle of a Spark scan.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from syndetect.spark.stages import block_of, cell, placement_blocks, publication_day
from syndetect.types import Document


def _doc(doc_id: str, published_at: str | None) -> Document:
    return Document(id=doc_id, text="x", published_at=published_at)


def test_publication_day_reads_iso_dates_and_tolerates_the_rest():
    assert publication_day(_doc("a", "2024-03-05T23:59:00Z")) == date(2024, 3, 5).toordinal()
    assert publication_day(_doc("b", "2024-03-05")) == date(2024, 3, 5).toordinal()
    assert publication_day(_doc("c", None)) is None
    assert publication_day(_doc("d", "last Tuesday")) is None


def test_cell_numbers_the_upper_triangle_once_each():
    k = 7
    got = {cell(i, j, k) for i in range(k) for j in range(i, k)}
    assert got == set(range(k * (k + 1) // 2))
    assert all(cell(i, j, k) == cell(j, i, k) for i in range(k) for j in range(k))


def _corpus(rng: random.Random, stories: int, start: date) -> list[tuple[str, int | None]]:
    """(id, day) of the versions of ``stories`` wire stories over a year: each story
    carried by 2 to 8 outlets within three days of the first."""
    out = []
    for s in range(stories):
        first = start + timedelta(days=rng.randrange(365))
        for v in range(rng.randint(2, 8)):
            out.append((f"{rng.getrandbits(48):012x}-{s}-{v}",
                        (first + timedelta(days=rng.randrange(4))).toordinal()))
    return out


def test_blocks_follow_the_calendar_in_equal_sizes_undated_last():
    rng = random.Random(7)
    docs = _corpus(rng, 400, date(2024, 1, 1)) + [(f"undated-{i}", None) for i in range(30)]
    k = 10
    blocks = placement_blocks(Counter(day for _, day in docs), k)
    of = {d: block_of(d, day, blocks) for d, day in docs}
    sizes = Counter(of.values())
    assert set(sizes) == set(range(k))
    mean = len(docs) / k
    assert max(sizes.values()) <= 1.25 * mean and min(sizes.values()) >= 0.75 * mean
    dated = sorted((day, of[d]) for d, day in docs if day is not None)
    assert all(b1 <= b2 for (_, b1), (_, b2) in zip(dated, dated[1:]))
    assert {of[d] for d, day in docs if day is None} == {k - 1}


def test_a_day_bigger_than_a_block_is_spread_by_id_the_same_way_every_time():
    day = date(2024, 6, 1).toordinal()
    ids = [f"wire-{i}" for i in range(1000)]
    blocks = placement_blocks({day: len(ids)}, 8)
    assert blocks == {day: (0, 8)}
    sizes = Counter(block_of(i, day, blocks) for i in ids)
    assert set(sizes) == set(range(8)) and min(sizes.values()) >= 80
    assert [block_of(i, day, blocks) for i in ids] == [block_of(i, day, blocks) for i in ids]


@pytest.mark.parametrize("k", [5, 25])
def test_versions_of_a_story_meet_in_one_or_two_cells(k):
    """Each document is shipped once to every cell where it has a partner. With
    blocks by date, a story's versions (days apart) share their block or the next;
    numbered blocks at random (as the grid was before) scatter them over ``k``."""
    rng = random.Random(k)
    docs = _corpus(rng, 1500, date(2024, 1, 1))
    blocks = placement_blocks(Counter(day for _, day in docs), k)
    by_story: dict[str, list[tuple[str, int]]] = {}
    for d, day in docs:
        by_story.setdefault(d.split("-")[1], []).append((d, day))
    pairs = [(a, b) for versions in by_story.values()
             for n, a in enumerate(versions) for b in versions[n + 1:]]

    def cells_per_document(block) -> float:
        cells: dict[str, set[int]] = {}
        for (a, da), (b, db) in pairs:
            c = cell(block(a, da), block(b, db), k)
            cells.setdefault(a, set()).add(c)
            cells.setdefault(b, set()).add(c)
        return sum(len(c) for c in cells.values()) / len(cells)

    by_date = cells_per_document(lambda d, day: block_of(d, day, blocks))
    drawn = {d: rng.randrange(k) for d, _ in docs}
    at_random = cells_per_document(lambda d, day: drawn[d])
    assert by_date <= 1.3
    assert at_random >= 2.0
