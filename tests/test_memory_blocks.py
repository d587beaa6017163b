"""What keeps a 100k-article scan's memory bounded does not change its answers.

Collapse keys are signed in blocks of bodies, candidate sentence pairs are verified
in blocks, bodies are held as token ids and the evidence checks read the table's
arrays instead of Python sets per row. Each is compared here with the plain
definition it replaces, on English pages with site chrome and wire copyright lines.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from english_news import unrelated_articles
from test_collapse import AP_STORY, COUNCIL_STORY, OUTLETS, edit, page

import syndetect.collapse as collapse_mod
import syndetect.verified as verified_mod
from syndetect import Config, scan
from syndetect.collapse import _bodies, _body_arrays, near_keys, near_keys_of_ids
from syndetect.evidence import MatchEvidence, specifics
from syndetect.minhash import TokenHasher
from syndetect.pipeline import prepare
from syndetect.report import to_json
from syndetect.table import SentenceTable

REWRITE = """\
Federal regulators grounded 171 Boeing 737 Max 9 aircraft on Tuesday for inspections, \
days after a door panel tore off an Alaska Airlines jet climbing out of Portland.

Checks should take four to eight hours for each plane, the Federal Aviation \
Administration said, and the jets will not fly until they are done.

United Airlines, which flies 79 of the Max 9s, reported loose bolts on several door \
plugs, while Alaska cancelled 160 flights.

A teacher found the door plug in his Portland backyard on Sunday, according to the \
National Transportation Safety Board."""


@pytest.fixture(scope="module")
def corpus():
    rng = random.Random(3)
    docs = [page("ap", AP_STORY, "Associated Press", "2024-01-09T08:00:00+00:00"),
            page("council", COUNCIL_STORY, "The Daily Ledger", "2024-01-09T07:00:00+00:00"),
            page("rewrite", REWRITE, "Salem Herald", "2024-01-09T15:00:00+00:00")]
    for k in range(12):
        body = AP_STORY if k % 2 else edit(rng, AP_STORY)
        docs.append(page(f"copy-{k:02d}", body, OUTLETS[k % len(OUTLETS)],
                         f"2024-01-09T{9 + k:02d}:00:00+00:00"))
    return docs + unrelated_articles(30, seed=5)


def test_blocked_collapse_keys_and_verification_give_the_same_report(corpus, monkeypatch):
    whole = to_json(scan(corpus, Config()))
    monkeypatch.setattr(collapse_mod, "_KEY_BLOCK", 40)  # a block per body, or fewer
    monkeypatch.setattr(verified_mod, "VERIFY_BLOCK", 3)  # thousands of blocks
    blocked = scan(corpus, Config())
    assert to_json(blocked) == whole
    # Not a trivial equality: the wire story's cluster holds the copies and the rewrite.
    (story,) = [c for c in blocked.clusters if c.origin == "ap"]
    assert {"rewrite", *(f"copy-{k:02d}" for k in range(12))} <= {m.document for m in story.members}
    assert blocked.stats["documents_collapsed"] >= 6


def test_body_ids_give_the_bodies_keys_and_digests(corpus) -> None:
    config = Config()
    segments = prepare(corpus, config).segments
    lists = _bodies(segments)
    index: dict[str, int] = {}
    arrays = _body_arrays(segments, index, min_words=1)
    assert set(arrays) == set(lists)
    words = list(index)
    for d, (tokens, extent) in lists.items():
        ids, extent2, _ = arrays[d]
        assert [words[k] for k in ids.tolist()] == tokens and extent2 == extent
    ids_of = [arrays[d][0] for d in sorted(arrays)]
    by_lists = near_keys([lists[d][0] for d in sorted(lists)], config)
    hashes = TokenHasher().hash_tokens(words)
    assert np.array_equal(near_keys_of_ids(ids_of, hashes, config), by_lists)
    # Copies of one story (bodies differ by the outlets' own chrome lines) share most
    # keys, different stories none.
    row = {d: k for k, d in enumerate(sorted(arrays))}
    assert (by_lists[row["copy-01"]] == by_lists[row["copy-03"]]).mean() > 0.5
    assert not set(by_lists[row["ap"]].tolist()) & set(by_lists[row["council"]].tolist())


@pytest.mark.parametrize("kept_sets", [1, 4096])
def test_evidence_checks_on_arrays_equal_their_set_definitions(corpus, kept_sets,
                                                               monkeypatch) -> None:
    """``novel`` and ``quote_only`` against the definitions on Python sets, with every
    document's token set kept and with one kept at a time."""
    import syndetect.evidence as evidence_mod

    monkeypatch.setattr(evidence_mod, "DOC_TOKEN_SETS", kept_sets)
    two_bombings = [
        page("blast-a", 'A car bomb killed 14 people near a market in Kirkuk on Monday, police '
             'said. "We heard a huge explosion," said Ahmed Karim, a shopkeeper.', "Wire A"),
        page("blast-b", 'A car bomb killed 9 people near a mosque in Mosul on Friday, police '
             'said. "We heard a huge explosion," said Omar Saleh, a guard.', "Wire B"),
        # One side quotes the mayor, the other reports the same words without quotes.
        page("quote-a", '"The Harwick bridge will reopen to traffic on Monday," the mayor '
             'told the council.', "Harwick Today"),
        page("para-b", "The mayor said the Harwick bridge will reopen to traffic on Monday.",
             "Upton Observer"),
    ]
    docs = [*two_bombings, *corpus[:6]]
    table = SentenceTable.build(prepare(docs, Config()).segments)
    ev = MatchEvidence(table, {d.id: d.text for d in docs})  # a row's text: its offsets' slice
    tokens_of = {d: {t for r in table.doc_rows[d] for t in table.tokens[r]} for d in table.doc_ids}
    seen_novel = seen_quote = False
    for a in ("blast-a", "ap", "para-b"):
        for b in table.doc_ids:
            if b == a:
                continue
            for i in table.doc_rows[a]:
                expect = frozenset(s for s in specifics(table.rows[i].text)
                                   if s not in tokens_of[b])
                assert ev.novel(i, b) == expect
                seen_novel |= bool(expect)
            for i in table.doc_rows[a]:
                for j in table.doc_rows[b]:
                    p = type("P", (), {"i": i, "j": j})()
                    qi, qj = ev.quoted(i), ev.quoted(j)
                    if not qi and not qj:
                        continue
                    shared = table.word_sets[i] & table.word_sets[j]
                    assert ev.quote_only(p, 3) == (len(shared - qi - qj) < 3)
                    seen_quote |= ev.quote_only(p, 3)
    assert seen_novel and seen_quote  # both checks met cases that decide


def test_table_arrays_built_by_blocks_equal_one_block(corpus, monkeypatch) -> None:
    import syndetect.table as table_mod

    segments = dict(prepare(corpus, Config()).segments)
    segments["empty"] = []  # a document with no sentence left keeps empty slices
    whole = SentenceTable.build(segments)
    monkeypatch.setattr(table_mod, "_BLOCK", 50)  # blocks of a sentence or two
    blocked = SentenceTable.build(segments)
    for name in ("seq_ptr", "seq_wids", "row_ptr", "row_wids"):
        assert np.array_equal(getattr(whole, name), getattr(blocked, name))
    for x, y in zip(whole.doc_arrays(), blocked.doc_arrays(), strict=True):
        assert x.dtype == y.dtype and np.array_equal(x, y)
    # The arrays mean what they say: a copy shares most of the wire story's bigrams,
    # the council story almost none.
    wptr, wids, bptr, bids = blocked.doc_arrays()
    ix = {d: k for k, d in enumerate(blocked.doc_ids)}

    def bigrams(d: str) -> set[int]:
        return set(bids[bptr[ix[d]]:bptr[ix[d] + 1]].tolist())

    assert len(bigrams("ap") & bigrams("copy-01")) > 0.8 * len(bigrams("ap"))
    assert len(bigrams("ap") & bigrams("council")) < 0.1 * len(bigrams("ap"))
    assert bptr[ix["empty"]] == bptr[ix["empty"] + 1]
    words = [blocked.words_by_id[k] for k in wids[wptr[ix["ap"]]:wptr[ix["ap"] + 1]].tolist()]
    assert {"boeing", "alaska", "portland"} <= set(words) and words == sorted(words, key=blocked.word_index.get)


def test_pairs_merged_band_by_band_equal_one_unique_of_all() -> None:
    from syndetect.candidates import decode_pairs, merge_unique, pair_codes, unique_pairs

    rng = np.random.default_rng(11)
    owners = np.repeat(np.arange(40), 5)  # 200 rows, 5 per document
    found = [rng.integers(0, 200, size=(int(rng.integers(0, 400)), 2)) for _ in range(30)]
    flat = np.concatenate(found)
    flat = flat[owners[flat[:, 0]] != owners[flat[:, 1]]]
    expect = np.unique(np.sort(flat, axis=1), axis=0)
    for limit in (1, 7, 1 << 22):  # merge after every chunk, every few, once at the end
        codes = merge_unique((pair_codes(f, owners, 200) for f in found), pending_limit=limit)
        assert np.array_equal(decode_pairs(codes, 200), expect)
    assert np.array_equal(unique_pairs(found, owners, 200), expect)
    assert len(expect) and (expect[:, 0] < expect[:, 1]).all()


def test_verified_matches_read_as_the_lists_of_sentence_pairs(corpus, monkeypatch) -> None:
    """The arrays behind ``verify_candidates`` read back as each document pair's
    ``SentencePair`` list, in candidate order, as a dict of lists held them."""
    from syndetect.align import SentencePair, row_overlaps, verify_arrays
    from syndetect.grains import rewrite_candidates
    from syndetect.minhash import MinHasher
    from syndetect.table import corpus_vocabulary
    from syndetect.verified import strongest_partners, verify_candidates

    config = Config()
    table = SentenceTable.build(prepare(corpus, config).segments)
    vocab = corpus_vocabulary(table)
    pairs = rewrite_candidates(table, vocab, config, MinHasher(config.minhash.num_perm,
                               config.minhash.seed), TokenHasher())
    weights, mass = table.weights(vocab.idf_table())
    i, j = pairs[:, 0].copy(), pairs[:, 1].copy()
    n, w = row_overlaps(table.row_ptr, table.row_wids, weights, i, j)
    expect: dict[tuple[int, int], list[SentencePair]] = {}
    for p in verify_arrays(i, j, n, w, mass[i], mass[j], table.columns(), config.align).pairs():
        a, b = int(table.owner[p.i]), int(table.owner[p.j])
        if a > b:
            p, a, b = SentencePair(p.j, p.i, p.similarity, p.char_ratio, p.overlap,
                                   p.n_shared), b, a
        expect.setdefault((a, b), []).append(p)
    lone = next((0, b) for b in range(1, len(table.doc_ids)) if (0, b) not in expect)
    monkeypatch.setattr(verified_mod, "VERIFY_BLOCK", 5)
    got = verify_candidates(table, pairs, vocab, config, also=np.array([lone]))
    assert len(expect) > 20
    for key, matches in expect.items():
        assert got[key] == matches
    extra = set(got) - set(expect)  # pairs decided with no verified match
    assert lone in extra and all(got[k] == [] for k in extra)
    assert len(got) == len(set(got)) == len(expect) + len(extra)
    some = next(iter(expect))
    assert got.setdefault(some, []) == expect[some]  # an existing pair keeps its matches
    assert (len(table.doc_ids), 0) not in got
    kept = strongest_partners(got, 2)
    assert kept == strongest_partners({k: got[k] for k in got}, 2)  # arrays, lists: one answer
    assert len(kept) < len(got)
    # The kept pairs stay arrays (SentencePair lists are made pair by pair when read).
    assert isinstance(kept, verified_mod.VerifiedMatches)
    assert kept.n_matches() == sum(len(v) for v in kept.values()) > 0
    keys = sorted(expect, key=lambda k: -len(expect[k]))[:5]  # any order, any pair lengths
    sub = got.restricted([lone, *keys])
    assert dict(sub) == {lone: [], **{k: expect[k] for k in keys}}
    assert sub.n_matches() == sum(len(expect[k]) for k in keys)


def test_evidence_row_caches_stay_bounded_and_give_the_same_report(corpus, monkeypatch):
    """``MatchEvidence``'s per-row caches start again past ``ROW_CACHE`` rows; a cache
    of 2 rows (cleared over and over) decides every pair as an unbounded one does."""
    import syndetect.evidence as evidence_mod

    whole = to_json(scan(corpus, Config()))
    seen: list[int] = []
    quoted = MatchEvidence.quoted

    def watched(self, row):
        got = quoted(self, row)
        seen.append(len(self._quoted))
        return got

    monkeypatch.setattr(evidence_mod, "ROW_CACHE", 2)
    monkeypatch.setattr(MatchEvidence, "quoted", watched)
    assert to_json(scan(corpus, Config())) == whole
    assert seen and max(seen) <= 2 and len(seen) > 10  # many rows met, two kept at most


class _Untouchable(list):
    """Rows that cannot be read: a pair decision that reads a ``Segment`` fails."""

    def __getitem__(self, k):
        raise AssertionError(f"a Segment was read (row {k})")

    def __iter__(self):
        raise AssertionError("the Segments were iterated")


def test_pair_decisions_read_columns_not_segments(corpus, monkeypatch) -> None:
    """Forked decision workers copy every page whose objects they read: the decisions
    read the table's ``RowColumns`` (arrays and one text buffer), never its
    ``Segment`` objects, and decide as before."""
    import syndetect.detect as detect_mod

    whole = to_json(scan(corpus, Config()))
    decide = detect_mod.decide_pairs
    calls = []

    def guarded(table, *args, **kwargs):
        table.columns()  # built from the Segments before the workers start
        rows, table.rows = table.rows, _Untouchable([None] * len(table.rows))
        try:
            got = decide(table, *args, **kwargs)
        finally:
            table.rows = rows
        calls.append(len(got))
        return got

    monkeypatch.setattr(detect_mod, "decide_pairs", guarded)
    assert to_json(scan(corpus, Config())) == whole
    assert calls and calls[0] > 10


@pytest.mark.parametrize("text", [
    "Karachi: حکومت نے اعلان کیا۔ The minister said 12 schools would reopen.",
    "Tokyo — 東京で地震があった。 Emoji 🚨 alerts went out. Plain line.",
    "A lone surrogate \ud800 from a Python caller. It stays as it was.",
])
def test_row_columns_give_each_segment_back(text) -> None:
    """Norms of any script (one to four UTF-8 bytes a character) come back from the
    shared buffer exactly; offsets and positions as the segments hold them."""
    from syndetect.columns import RowColumns
    from syndetect.segment import segment

    segs = segment("x", text) + segment("y", "Second document. " + text)
    cols = RowColumns.of(segs)
    assert len(cols) == len(segs) > 3
    assert [cols.norm(k) for k in range(len(segs))] == [s.norm for s in segs]
    assert cols.norms(np.arange(len(segs))[::-1]) == [s.norm for s in segs][::-1]
    assert [cols.doc_id(k) for k in range(len(segs))] == [s.doc_id for s in segs]
    assert cols.start.tolist() == [s.start for s in segs]
    assert cols.end.tolist() == [s.end for s in segs]
    assert cols.positions(range(len(segs))) == [s.index for s in segs]
    assert cols.paragraph.tolist() == [s.paragraph for s in segs]


def test_a_lone_surrogate_in_a_document_does_not_stop_a_scan() -> None:
    """A ``Document`` built in Python may hold a lone surrogate (JSON ``"\\ud800"``
    decodes to one); the columns keep it, and the pair is still found."""
    text = ("The council approved the harbour plan on Monday after a long debate \ud800 "
            "about costs. The mayor said the vote was close and the plan would go ahead "
            "next spring with money from the port authority and two regional banks.")
    docs = [page("sur-a", text, "Port Alder Times", "2024-01-09T08:00:00+00:00"),
            page("sur-b", text, "Harbor Gazette", "2024-01-09T12:00:00+00:00")]
    report = scan(docs, Config())
    assert [d.status for d in report.documents] == ["ok", "ok"]
    assert [(p.a, p.b) for p in report.pairs if p.derived] == [("sur-a", "sur-b")]
