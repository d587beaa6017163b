"""The synthetic benchmark corpus: deterministic, planted derivations are what they say."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "synth.py"
_spec = importlib.util.spec_from_file_location("synth", _PATH)
assert _spec and _spec.loader
synth = importlib.util.module_from_spec(_spec)
sys.modules["synth"] = synth  # dataclasses resolve their module by name
_spec.loader.exec_module(synth)

N = 120


@pytest.fixture(scope="module")
def corpus():
    return synth.make_corpus(N, seed=7)


def _by_id(corpus):
    return {a["id"]: a for a in corpus.articles}


def _grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    toks = re.findall(r"\w+", text.lower())
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def test_same_seed_same_corpus(corpus):
    again = synth.make_corpus(N, seed=7)
    assert again.articles == corpus.articles
    assert again.planted == corpus.planted
    assert again.family == corpus.family
    assert synth.generate(N, seed=8) != corpus.articles


def test_counts(corpus):
    arts = corpus.articles
    assert len(arts) == N
    assert len({a["id"] for a in arts}) == N
    assert all(sorted(a) == ["id", "outlet", "published_at", "text"] for a in arts)
    n_derived = round(synth.DERIVED_SHARE * N)
    assert len(corpus.planted) == n_derived
    assert len({p.derived for p in corpus.planted}) == n_derived
    kinds = [p.kind for p in corpus.planted]
    for kind in synth.KINDS:
        assert abs(kinds.count(kind) - synth.KIND_SHARES[kind] * n_derived) <= 1
    derived = {p.derived for p in corpus.planted}
    for a in arts:
        if a["id"] not in derived:
            words = len(synth.body_of(a["text"]).split())
            assert 600 <= words <= 1000, (a["id"], words)


def test_derived_come_later_from_another_outlet(corpus):
    arts = _by_id(corpus)
    for p in corpus.planted:
        src, der = arts[p.source], arts[p.derived]
        assert src["published_at"] < der["published_at"]
        assert src["outlet"] != der["outlet"]
        assert corpus.related(p.source, p.derived)
        assert corpus.topic[p.source] == corpus.topic[p.derived]


def test_copies_are_copies(corpus):
    arts = _by_id(corpus)
    copies = [p for p in corpus.planted if p.kind == "copy"]
    assert copies
    for p in copies:
        src, der = arts[p.source]["text"], arts[p.derived]["text"]
        assert src != der  # different outlet boilerplate
        assert synth.body_of(der) == synth.body_of(src)


def test_edits_and_rewrites_are_graded(corpus):
    """Edits keep most word 5-grams; rewrites keep few but keep names and numbers."""
    arts = _by_id(corpus)
    lex = synth.lexicon()
    for p in corpus.planted:
        src = synth.body_of(arts[p.source]["text"])
        der = synth.body_of(arts[p.derived]["text"])
        sim = _jaccard(_grams(src), _grams(der))
        if p.kind == "edit":
            assert src != der
            assert sim > 0.5, (p, sim)
        elif p.kind == "rewrite":
            assert sim < 0.3, (p, sim)
            src_names = {w for w in re.findall(r"\w+", src) if lex.kind_of.get(w.lower()) == "name"}
            der_names = {w for w in re.findall(r"\w+", der) if lex.kind_of.get(w.lower()) == "name"}
            assert len(src_names & der_names) >= 0.6 * len(src_names), p


def test_unrelated_same_topic_articles_share_vocabulary(corpus):
    arts = _by_id(corpus)
    originals = [a for a in corpus.articles if corpus.family[a["id"]] == a["id"]]
    by_topic: dict[int, list[str]] = {}
    for a in originals:
        by_topic.setdefault(corpus.topic[a["id"]], []).append(a["id"])
    a, b = next(ids[:2] for ids in by_topic.values() if len(ids) >= 2)
    wa = set(re.findall(r"\w+", synth.body_of(arts[a]["text"]).lower()))
    wb = set(re.findall(r"\w+", synth.body_of(arts[b]["text"]).lower()))
    assert not corpus.related(a, b)
    assert len(wa & wb) >= 40  # topic words and names, beyond function words
    assert _jaccard(_grams(arts[a]["text"]), _grams(arts[b]["text"])) < 0.05


def test_cli_writes_jsonl(tmp_path):
    out, truth = tmp_path / "c.jsonl", tmp_path / "t.json"
    assert synth.main(["30", str(out), "--seed", "3", "--truth", str(truth)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == synth.generate(30, seed=3)
    planted = json.loads(truth.read_text(encoding="utf-8"))["planted"]
    assert len(planted) == round(synth.DERIVED_SHARE * 30)
