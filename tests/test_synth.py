"""The synthetic benchmark corpus: deterministic, lazy, and its gold labels say what is planted."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import synth  # benchmarks/, on the path from conftest

N = 300


@pytest.fixture(scope="module")
def corpus():
    return synth.make_corpus(N, seed=7)


def _by_id(corpus):
    return {a["id"]: a for a in corpus.articles}


def _grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    toks = re.findall(r"\w+", text.lower())
    return {tuple(toks[i: i + n]) for i in range(len(toks) - n + 1)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def _names(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text) if synth.kind(w) == "name"}


def test_same_seed_same_corpus_and_random_access(corpus):
    again = synth.make_corpus(N, seed=7)
    assert again.articles == corpus.articles
    assert again.planted == corpus.planted
    assert again.family == corpus.family
    assert synth.generate(N, seed=8) != corpus.articles
    plan = synth.Plan(N, seed=7)
    for i in (N - 1, 0, 150, 3):  # any order, no state carried between articles
        assert plan.article(i) == corpus.articles[i]


def test_words_encode_ranks_and_kinds_never_collide():
    for r in [*range(3000), 10**6, 7 * 10**7]:
        w = synth.word(r)
        assert synth.kind(w) == "content" and synth._rank_of(w) == r
        assert synth.synonym(synth.synonym(w)) == w != synth.synonym(w)
    assert all(synth.kind(synth.name(i)) == "name" for i in range(3000))
    assert synth.kind("the") == "function" and synth.kind("2024") == "other"


def test_counts_and_kinds(corpus):
    arts = corpus.articles
    assert len(arts) == N and len({a["id"] for a in arts}) == N
    assert all(sorted(a) == ["id", "outlet", "published_at", "text"] for a in arts)
    kinds = Counter(p.kind for p in corpus.planted)
    assert set(kinds) == set(synth.KINDS)
    assert 0.2 * N <= len(corpus.planted) <= 0.55 * N
    assert len({p.derived for p in corpus.planted}) == len(corpus.planted)


def test_derived_come_later_from_another_outlet(corpus):
    arts = _by_id(corpus)
    for p in corpus.planted:
        src, der = arts[p.source], arts[p.derived]
        assert src["published_at"] <= der["published_at"] and p.source < p.derived
        assert src["outlet"] != der["outlet"]
        assert corpus.related(p.source, p.derived)
        assert corpus.topic[p.source] == corpus.topic[p.derived]
    # Every member of a story is carried by a different outlet.
    by_family: dict[str, list[str]] = {}
    for art in corpus.articles:
        by_family.setdefault(corpus.family[art["id"]], []).append(art["outlet"])
    assert all(len(set(o)) == len(o) for o in by_family.values())


def test_copies_edits_rewrites_partials_are_what_they_say(corpus):
    arts = _by_id(corpus)
    seen = Counter()
    for p in corpus.planted:
        src = synth.body_of(arts[p.source]["text"])
        der = synth.body_of(arts[p.derived]["text"])
        sim = _jaccard(_grams(src), _grams(der))
        seen[p.kind] += 1
        if p.kind == "copy":
            assert der == src and arts[p.source]["text"] != arts[p.derived]["text"]
        elif p.kind == "edit":
            assert sim > 0.5, (p, sim)
        elif p.kind == "rewrite":
            assert sim < 0.3, (p, sim)
            assert len(_names(src) & _names(der)) >= 0.6 * len(_names(src)), p
        else:  # partial: a source paragraph (perhaps lightly edited) inside new text
            assert sim < 0.6, (p, sim)
            paras = [_grams(x) for x in src.split("\n") if len(x.split()) >= 12]
            assert any(len(g & _grams(der)) >= 0.4 * len(g) for g in paras), p
    assert all(seen[k] for k in synth.KINDS)


def test_same_event_stories_share_names_not_wording(corpus):
    """Independent reports of one event: hard negatives."""
    arts = _by_id(corpus)
    originals = [a["id"] for a in corpus.articles if corpus.family[a["id"]] == a["id"]]
    by_event: dict[int, list[str]] = {}
    for i in originals:
        by_event.setdefault(corpus.event[i], []).append(i)
    pairs = [ids[:2] for ids in by_event.values() if len(ids) >= 2]
    assert len(pairs) >= 5
    for a, b in pairs:
        ta, tb = arts[a]["text"], arts[b]["text"]
        assert not corpus.related(a, b)
        assert len(_names(synth.body_of(ta)) & _names(synth.body_of(tb))) >= 3
        assert _jaccard(_grams(synth.body_of(ta)), _grams(synth.body_of(tb))) < 0.02


def test_vocabulary_is_open_and_the_big_topic_is_a_fifth():
    plan = synth.Plan(4000, seed=3)
    distinct = []
    for n in (250, 1000):
        words = set()
        for i in range(n):
            words.update(w for w in re.findall(r"\w+", plan.article(i)["text"].lower())
                         if synth.kind(w) == "content")
        distinct.append(len(words))
    growth = distinct[1] / distinct[0]  # Heaps: 4 ** beta with beta in (0.3, 0.9)
    assert 4**0.3 < growth < 4**0.9, distinct
    share = Counter(plan.topic.tolist()).most_common(1)[0][1] / plan.n
    assert 0.12 <= share <= 0.3


def test_big_story_and_a_large_plan():
    plan = synth.Plan(3000, seed=1, big_story=500)
    fam = Counter(plan.origin.tolist())
    assert fam.most_common(1)[0][1] == 500
    assert len(set(plan.outlet[plan.origin == fam.most_common(1)[0][0]].tolist())) == 500
    big = synth.Plan(1_000_000, seed=0)  # the plan is cheap; text is generated on demand
    assert len(big) == 1_000_000 and big.article(999_999)["id"] == "syn0999999"
    assert Counter(big.origin.tolist()).most_common(1)[0][1] <= synth.MAX_CARRIERS


def test_cli_writes_jsonl(tmp_path):
    out, truth = tmp_path / "c.jsonl", tmp_path / "t.json"
    assert synth.main(["30", str(out), "--seed", "3", "--truth", str(truth)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == synth.generate(30, seed=3)
    gold = json.loads(truth.read_text(encoding="utf-8"))
    assert gold["planted"] == [vars(p) for p in synth.make_corpus(30, seed=3).planted]
    assert set(gold) == {"planted", "family", "topic", "event"}
