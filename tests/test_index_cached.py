"""The index prepares each article once and reuses it in every neighbourhood it joins.

``Index.add`` labels boilerplate over the new article and its candidates, then
verifies and decides. A stored article is segmented, tokenized and shape-labelled
once (``decide.Neighbour``, ``boilerplate.prepare_page``) and kept between adds;
only the labels that depend on the group (corpus and site template, blocks, runs)
are computed per add. These tests check on news pages (site chrome, a wire
story's copies with the agency's copyright line, local stories of the same sites)
that this changes nothing: each neighbourhood is labelled exactly as ``prepare``
labels it from the raw texts, each table is the one built from those labels, and
every add decides as an index that re-reads and re-prepares every candidate does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from syndetect import Config, Document
from syndetect.boilerplate import detect_boilerplate, detect_boilerplate_prepared, prepare_page
from syndetect.errors import InputError
from syndetect.index import AddResult, Index
from syndetect.index.base import solo_view
from syndetect.index.decide import _group_prepare, encode_page, neighbour, restore
from syndetect.pipeline import prepare
from syndetect.segment import segment
from syndetect.site import template_groups
from syndetect.table import SentenceTable, TokenIds

WIRE = [
    "Firefighters battled a wildfire that forced 2,300 people from their homes near the "
    "town of Carrow Ridge on Saturday, as winds of up to 60 kilometres an hour pushed the "
    "flames across dry grassland, officials said.",
    "The fire had burned about 4,100 hectares by late afternoon and destroyed at least 14 "
    "houses on the western edge of the town, the state forestry department said.",
    "Governor Alma Reyes declared a state of emergency for Dunmore County and asked for "
    "federal help, saying the fire was moving faster than crews could cut breaks.",
    "Evacuation centres opened at the Carrow Ridge high school and the county fairground, "
    "where the Red Cross said it had registered more than 600 people by the evening.",
    "Highway 9 was closed in both directions between Carrow Ridge and Pell Junction, and "
    "smoke grounded flights at the regional airport for several hours.",
    "Investigators have not determined the cause, but a spokesman said a downed power line "
    "near a ranch on Old Mill Road was being examined.",
]
COPYRIGHT = "Copyright 2025 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."

LOCAL = {
    "valley": [
        "The Valley school board voted 5-2 on Monday to close Elm Street Elementary at the end "
        "of the year, citing falling enrolment and a repair bill of 3.2 million dollars.",
        "Parents who packed the meeting said the closure would force some children onto buses "
        "for nearly an hour each way, and several asked the board to delay the vote.",
    ],
    "herald": [
        "A new farmers market will open on Saturdays in the Herald Square car park from June, "
        "the city council announced, with stalls for up to 40 local growers and bakers.",
        "Council member Tom Brandt said the market would bring shoppers back to the old town "
        "centre, where a dozen shops have closed since the bypass opened in 2019.",
    ],
}


def _chrome(name: str) -> tuple[str, str]:
    head = (f"{name}\nHome | Local | Sports | Opinion | Obituaries | Subscribe\n"
            "Sign up for our morning newsletter\n")
    foot = (f"Share this story | Print | Email\nMost Read\nWeather closes schools\n"
            f"(c) 2025 {name}. All rights reserved. Privacy policy | Terms of use")
    return head, foot


def _page(name: str, body: list[str], wire: bool) -> str:
    head, foot = _chrome(name)
    copyright_line = f"\n\n{COPYRIGHT}" if wire else ""
    return f"{head}\n" + "\n\n".join(body) + f"{copyright_line}\n\n{foot}"


def _corpus() -> list[Document]:
    def doc(i: str, text: str, site: str | None, day: int, hour: int) -> Document:
        return Document(id=i, text=text, site=site, outlet=site or "AP",
                        published_at=f"2025-07-{day:02d}T{hour:02d}:00:00+00:00",
                        date_strength="metadata")

    sites = {"valley": ("The Valley Gazette", "valleygazette.com"),
             "herald": ("Dunmore Herald", "dunmoreherald.com")}
    docs = [doc("ap-fire", "\n\n".join(WIRE) + f"\n\n{COPYRIGHT}", None, 5, 9)]
    for k, (key, (name, site)) in enumerate(sites.items()):
        local = LOCAL[key]
        docs.append(doc(f"{key}-school", _page(name, local[:1] + [
            "Board members said the building's boiler failed twice last winter."], False),
            site, 4, 8 + k))
        docs.append(doc(f"{key}-market", _page(name, local[1:] + [
            "Officials declined to comment on the timing of the decision."], False),
            site, 4, 12 + k))
        # The wire story, cut and with a local line of the paper's own.
        kept = WIRE[:4] if k == 0 else [WIRE[0], WIRE[2], WIRE[4], WIRE[5]]
        docs.append(doc(f"{key}-fire", _page(name, kept + [
            f"Readers of {name} can find shelter locations on our live page."], True),
            site, 5, 11 + k))
        docs.append(doc(f"{key}-fire-update", _page(name, [
            "Update: crews said on Sunday the fire was 40 percent contained."] + kept[:3], True),
            site, 6, 9 + k))
    return docs


def test_prepared_pages_label_every_neighbourhood_as_prepare_does() -> None:
    """One prepared page per article, reused in several groups, labels each like a fresh run."""
    config = Config()
    docs = _corpus()
    prepared = {d.id: neighbour(d, config) for d in docs}
    numbering = TokenIds()
    # A page in another language among them: its function words are dropped in its rows.
    docs = [*docs, Document(id="el-pais", text=(
        "El incendio obligó a evacuar a 2.300 personas cerca de Carrow Ridge el sábado, "
        "según las autoridades, mientras el viento empujaba las llamas.\n\nLa gobernadora "
        "Alma Reyes declaró el estado de emergencia en el condado de Dunmore."))]
    prepared["el-pais"] = neighbour(docs[-1], config)
    groups = [docs, docs[:4], docs[3:], [docs[0], docs[3], docs[7]], docs[1:6], docs]
    labelled_any = 0
    for group in groups:
        fresh = prepare(group, config)
        got = _group_prepare(prepared[group[0].id], [prepared[d.id] for d in group[1:]], config)
        assert got.segments == fresh.segments
        assert got.boilerplate == fresh.boilerplate
        labelled_any += sum(s.boilerplate for segs in got.segments.values() for s in segs)
        # The table from the kept tokens is the table from the labelled segments.
        tokens = {d.id: prepared[d.id].page.tokens for d in group}
        b = SentenceTable.build(fresh.segments)
        # ... and the one built from token ids kept across groups (``TokenIds``).
        ids = {d.id: prepared[d.id].token_ids(numbering) for d in group}
        for a in (SentenceTable.build(got.segments, tokens),
                  SentenceTable.build_from_ids(got.segments, ids, numbering)):
            for name in ("doc_ids", "rows", "doc_rows", "tokens_by_id", "words_by_id",
                         "word_index", "doc_language"):
                assert getattr(a, name) == getattr(b, name), name
            for name in ("owner", "tok_ptr", "tok_ids", "seq_ptr", "seq_wids", "row_ptr",
                         "row_wids", "position", "paragraph"):
                assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert labelled_any > 0  # the chrome was found: the groups did label something
    # Labelling never wrote into the prepared pages it was given.
    for d in docs:
        again = neighbour(d, config)
        assert prepared[d.id].page.reasons == again.page.reasons


def test_detect_boilerplate_prepared_is_detect_boilerplate() -> None:
    config = Config()
    docs = _corpus()
    segments = {d.id: segment(d.id, d.text, config.segment) for d in docs}
    sites = {d.id: template_groups(d) for d in docs}
    pages = {d: prepare_page(d, segs, config.boilerplate) for d, segs in segments.items()}
    assert (detect_boilerplate_prepared(pages, config.boilerplate, sites)
            == detect_boilerplate(segments, config.boilerplate, sites))
    labelled, entries = detect_boilerplate(segments, config.boilerplate, sites)
    texts = {e.text for e in entries}
    assert "Sign up for our morning newsletter" in texts  # site chrome, labelled
    assert not any(s.boilerplate for s in labelled["ap-fire"] if "Carrow" in s.text)


def test_solo_view_is_prepare_of_one_document() -> None:
    config = Config()
    numbering = TokenIds()
    for d in [*_corpus(), Document(id="empty", text="  \n")]:
        doc, table, words, page = solo_view(d, config)
        fresh = prepare([d], config)
        assert doc == fresh.documents[d.id]
        if doc.status != "ok":
            assert table is None and page is None and words == []
            continue
        assert table is not None and page is not None
        assert table.rows == SentenceTable.build(fresh.segments).rows
        assert words == sorted(set(SentenceTable.build(fresh.segments).doc_words(d.id)))
        # with a token numbering shared across documents: the same table
        _, table2, words2, _ = solo_view(d, config, numbering)
        assert table2 is not None and words2 == words
        assert table2.tok_ids.tolist() == table.tok_ids.tolist()
        assert table2.seq_wids.tolist() == table.seq_wids.tolist()


def _decisions(result: AddResult) -> tuple[object, ...]:
    return result.pairs, result.matches, result.cluster, result.candidates


@pytest.mark.parametrize("batch", [1, 3])
def test_adds_with_kept_neighbours_decide_as_with_fresh_ones(tmp_path: Path, batch: int) -> None:
    """Warm cache vs an index that forgets every prepared article before each add."""
    docs = _corpus()
    warm_results, cold_results, bare_results = [], [], []
    with (Index.open(tmp_path / "warm.db") as warm, Index.open(tmp_path / "cold.db") as cold,
          Index.open(tmp_path / "bare.db") as bare):
        for i in range(0, len(docs), batch):
            warm_results += warm.add_many(docs[i:i + batch], batch_size=batch)
            cold._docs.clear()  # every candidate is read back with its stored page
            cold_results += cold.add_many(docs[i:i + batch], batch_size=batch)
            cold._docs.clear()
            bare._docs.clear()  # and here without one: segmented and prepared again
            bare_results += bare.add_many(docs[i:i + batch], batch_size=batch)
            bare._docs.clear()
            bare.storage.conn.execute("DELETE FROM pages")
        stored = cold.storage.conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert stored == len(docs)
    assert [_decisions(r) for r in warm_results] == [_decisions(r) for r in cold_results]
    assert [_decisions(r) for r in warm_results] == [_decisions(r) for r in bare_results]
    derived = {(p.a, p.b) for r in warm_results for p in r.pairs if p.derived}
    # The copies were found, against the wire original and each other.
    assert ("ap-fire", "valley-fire") in derived or ("valley-fire", "ap-fire") in derived
    assert any("herald-fire" in pair and "ap-fire" in pair for pair in derived)
    assert not any("school" in a or "school" in b for a, b in derived)
    assert sum(r.candidates for r in warm_results) > len(docs)  # neighbourhoods were reused


def test_a_stored_page_restores_the_prepared_page() -> None:
    config = Config()
    fields = ("id", "keys", "n_tokens", "long", "reasons", "tokens")
    shaped = 0
    for d in _corpus():
        fresh = neighbour(d, config)
        back = restore(d, encode_page(fresh.page, d.text), config)
        assert back.page.segments == fresh.page.segments
        for name in fields:
            assert getattr(back.page, name) == getattr(fresh.page, name), name
        shaped += sum(r == "shape" for r in back.page.reasons)
        # A page that does not fit the document (another text) is not trusted.
        other = Document(id=d.id, text=d.text[: len(d.text) // 3])
        assert restore(other, encode_page(fresh.page, d.text), config).page.segments == (
            neighbour(other, config).page.segments)
        assert restore(d, b"not a page", config).page.reasons == fresh.page.reasons
    assert shaped > 0  # the copyright and share lines are labelled by shape, and kept


def test_frequencies_kept_between_adds_follow_other_writers(tmp_path: Path) -> None:
    """An index keeps the stored word frequencies it read; another writer's adds void them."""
    docs = _corpus()
    path = tmp_path / "shared.db"
    with Index.open(path) as a, Index.open(path) as b:
        for d in docs[:4]:
            a.add(d)
        for d in docs[4:8]:
            b.add(d)  # a's kept frequencies of the wire and chrome words are now stale
        mine = a.query(docs[8], detail=True)
        with Index.open(path) as fresh:
            theirs = fresh.query(docs[8], detail=True)
        assert _decisions(mine) == _decisions(theirs)
        assert any(p.derived for p in mine.pairs)
        # and after its own adds, the kept counts are the stored ones
        a.add(docs[8])
        kept = a._df_cache
        assert kept is not None and kept[0] == a.storage.generation()
        stored = a.storage.df(kept[1])
        assert kept[1] and all(n == stored.get(w, 0) for w, n in kept[1].items())


def test_candidates_per_add_default_to_the_partners_scan_decides(tmp_path: Path) -> None:
    with Index.open(tmp_path / "a.db") as index:
        assert index.max_candidates == Config().candidates.max_partners
    few = Config.from_dict({"candidates": {"max_partners": 2}})
    with Index.open(tmp_path / "b.db", few) as index:
        assert index.max_candidates == 2
        results = index.add_many(_corpus(), batch_size=3)
        assert max(r.candidates for r in results) == 2
    with Index.open(tmp_path / "b.db", max_candidates=5) as index:
        assert index.max_candidates == 5
    with pytest.raises(InputError):
        Index.open(tmp_path / "c.db", max_candidates=0)
