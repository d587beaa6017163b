"""Deterministic synthetic news corpus with planted copies, edits, rewrites and lifted passages.

    python benchmarks/synth.py N OUT.jsonl [--seed 0] [--truth TRUTH.json] [--big-story K]

writes N articles as JSONL (``id``, ``text``, ``outlet``, ``published_at``), ready for
``syndetect scan OUT.jsonl``, and optionally the planted truth as JSON. No network,
stdlib + numpy only; the same ``(N, seed, options)`` always gives byte-identical output.

Public API (import this file, or run it):

* ``Plan(n, seed, big_story=0)``: the corpus plan, built in seconds even for 1M articles;
  ``plan.article(i)`` generates article ``i`` alone (random access, deterministic),
  ``iter(plan)`` yields them all lazily, ``plan.truth()`` is the gold standard
  (``planted`` (source, derived, kind), ``family``, ``topic``, ``event``) without any text;
* ``make_corpus(n, seed, big_story=0)`` -> ``Corpus`` (articles in memory + truth);
  ``generate(n, seed)`` -> its articles; ``body_of(text)`` strips outlet boilerplate.

How news is modelled:

* **Open vocabulary.** General words are drawn by rank from a Pareto (Zipf-Mandelbrot)
  law over an unbounded rank space; the word of rank r is a pronounceable string that
  encodes r, so the vocabulary grows with the corpus as Heaps' law says (distinct words
  ~ tokens^0.6) and never runs out. Names (people, places, organisations) come from a
  second open space, so a large corpus keeps inventing names as real news does.
* **Topics** (sections/beats: "elections", "floods") with their own vocabulary. Topic
  sizes are heavy-tailed and the largest holds 20% of the corpus: topic words are then
  in a fifth of all documents.
* **Events** inside a topic, each with story-specific names, numbers and terms. One
  event in four is reported by two or three outlets *independently* (same names and
  numbers, different writing): the hard negatives.
* **Stories** (families): an original and the outlets that carry it. The number of
  carriers follows a power law (exponent 2.7: most stories have one outlet, a few have
  hundreds, at most 500 and at most the number of outlets); ``big_story=K`` adds one
  story carried by exactly K outlets (a wire story). Each carrier derives from the
  original (80%) or from an earlier carrier (chains), 0.5-72 hours later, as
  ``copy`` (body verbatim), ``edit`` (small edits, cuts), ``rewrite`` (reordered,
  synonyms, dropped and added sentences; names and numbers kept) or ``partial`` (an
  independent article on the same event that lifts 1-3 paragraphs of the source).
* **Pages**: header and footer lines per outlet (boilerplate), one paragraph per line.

>>> c = make_corpus(20, seed=1)
>>> len(c.articles), sorted(c.articles[0]), len(c.planted) > 0
(20, ['id', 'outlet', 'published_at', 'text'], True)
>>> Plan(20, seed=1).article(7) == c.articles[7]
True
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import numpy as np

HEADER_LINES = 2
FOOTER_LINES = 2
KIND_SHARES = {"copy": 0.30, "edit": 0.30, "rewrite": 0.25, "partial": 0.15}
BIG_STORY_SHARES = {"copy": 0.50, "edit": 0.30, "rewrite": 0.15, "partial": 0.05}
KINDS = tuple(KIND_SHARES)
CARRIER_EXPONENT = 2.7  # P(a story has k carriers) ~ k^-2.7: mean 1.6 carriers
MAX_CARRIERS = 500
SAME_EVENT_SHARE = 0.25  # originals that report an event another original also reports
BIG_TOPIC_SHARE = 0.20
_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)

FUNCTION_WORDS: dict[str, list[str]] = {
    "det": ["the", "a", "this", "that", "its", "their", "some", "each"],
    "prep": ["of", "in", "on", "at", "for", "with", "from", "by", "to", "over", "after",
             "into", "about", "during", "under", "against", "between", "before"],
    "conj": ["and", "but", "while", "as", "because", "or", "so", "than"],
    "aux": ["was", "is", "has", "had", "will", "would", "could", "were", "have", "been",
            "may", "can", "did", "should"],
    "pron": ["it", "they", "he", "she", "we", "which", "who", "there"],
}
_FUNCTION_CLASS = {w: c for c, ws in FUNCTION_WORDS.items() for w in ws}
_FUNCTION_LIST = [w for ws in FUNCTION_WORDS.values() for w in ws]
_FUNCTION_W = np.array([1.0 / (i + 1) for ws in FUNCTION_WORDS.values() for i in range(len(ws))])
_FUNCTION_CDF = np.cumsum(_FUNCTION_W / _FUNCTION_W.sum())
_FUNCTION_ARR = np.array(_FUNCTION_LIST, dtype=object)
# English words a pseudo-word must not spell (function and common stop words).
_BANNED = set(_FUNCTION_LIST) | set(
    """also more most here were have some same made make said says told like must none
    done gone come came take took give gave have mine hers whom upon into onto only once
    same such then than them they what when were will with your yours""".split())

# Pseudo-words: consonant-vowel syllables encode a rank (so every rank has one word);
# content words end with a vowel, names with one of _CODAS: the two never collide.
_CONS = "bdfghklmnprstvz"
_VOWS = "aeiou"
_SYLL = [c + v for c in _CONS for v in _VOWS]
_NS = len(_SYLL)
_SYLL_INDEX = {s: i for i, s in enumerate(_SYLL)}
_CODAS = "nrlkm"
_OUTLET_KINDS = ["Herald", "Times", "Post", "Daily", "Tribune", "Gazette", "Courier",
                 "Observer", "Chronicle", "Star", "Ledger", "Press Agency", "News"]
_ORG_KINDS = ["Group", "Bank", "Council", "Holdings", "University", "Institute",
              "Ministry", "Party", "Federation", "Authority"]
_SECTIONS = ["World", "Politics", "Business", "Local", "Science", "Sport", "Health", "Tech"]
_FOOTERS = [
    "Share this story on Facebook, X and Email.",
    "Copyright {year} {outlet}. All rights reserved.",
    "Subscribe to our newsletter for the {outlet} morning briefing.",
    "Follow {outlet} for live updates and analysis.",
    "Read more stories from our {section} desk.",
    "Reporting by {outlet} staff; editing by our {section} desk.",
]
_SENT_SPLIT = re.compile(r"(?<=\.) ")


def _syllables(x: int) -> str:
    out = []
    while True:
        x, d = divmod(x, _NS)
        out.append(_SYLL[d])
        if x == 0:
            return "".join(out)
        x -= 1  # bijective numeration: every length is used


@lru_cache(maxsize=1 << 18)
def word(rank: int) -> str:
    """The content word of ``rank`` (0 = most frequent); distinct ranks, distinct words."""
    w = _syllables(rank + _NS)  # at least two syllables
    return w + "x" if w in _BANNED else w


def _rank_of(w: str) -> int | None:
    if w.endswith("x"):
        w = w[:-1]
    if len(w) < 4 or len(w) % 2:
        return None
    digits = [_SYLL_INDEX.get(w[k: k + 2]) for k in range(0, len(w), 2)]
    if None in digits:
        return None
    x = digits[-1]
    for d in reversed(digits[:-1]):
        x = d + _NS * (x + 1)
    return x - _NS


def name(index: int) -> str:
    """A proper name (capitalised), distinct per index and never a content word."""
    return (_syllables(index + _NS) + _CODAS[index % len(_CODAS)]).capitalize()


@lru_cache(maxsize=1 << 18)
def kind(token: str) -> str:
    """'function', 'content', 'name' or 'other' (numbers, punctuation) for a token."""
    low = token.lower()
    if low in _FUNCTION_CLASS:
        return "function"
    if low and low[-1] in _CODAS and _rank_of(low[:-1]) is not None:
        return "name"
    if low and low[-1] in _VOWS + "x" and _rank_of(low) is not None:
        return "content"
    return "other"


@lru_cache(maxsize=1 << 18)
def synonym(w: str) -> str:
    """The substitution partner of a content word (its frequency neighbour); else itself."""
    r = _rank_of(w) if kind(w) == "content" else None
    return w if r is None else word(r ^ 1)


RANK_SCALE = 400.0
"""Zipf-Mandelbrot offset: the commonest content word is 0.17% of content tokens and the
top 100 take 15%, as in English news once function words are set apart."""


def _ranks(rng: np.random.Generator, size: int, floor: int = 0) -> np.ndarray:
    """Word ranks from a Pareto law P(rank >= k) = (1 + k / RANK_SCALE) ** -0.7, >= ``floor``."""
    u = rng.random(size)
    lo = (1.0 + floor / RANK_SCALE) ** -0.7  # condition on rank >= floor
    return (RANK_SCALE * ((u * lo) ** (-1.0 / 0.7) - 1.0)).astype(np.int64)


def _number(rng: np.random.Generator) -> str:
    k = rng.integers(5)
    if k == 0:
        return str(int(rng.integers(2, 100)))
    if k == 1:
        return f"{int(rng.integers(1000, 99000)):,}"
    if k == 2:
        return str(int(rng.integers(1990, 2025)))
    if k == 3:
        return f"{rng.integers(1, 100)}.{rng.integers(0, 10)}"
    return f"{int(rng.integers(2, 100))} percent"


@dataclass(frozen=True)
class Topic:
    words: np.ndarray  # object array of words
    cdf: np.ndarray


@dataclass(frozen=True)
class Event:
    names: list[str]
    people: list[str]
    numbers: list[str]
    terms: list[str]


@dataclass(frozen=True)
class Planted:
    """``derived`` was made from ``source`` by ``kind`` (copy / edit / rewrite / partial)."""

    source: str
    derived: str
    kind: str


@dataclass
class Corpus:
    articles: list[dict[str, str]]
    planted: list[Planted]
    topic: dict[str, int] = field(default_factory=dict)
    family: dict[str, str] = field(default_factory=dict)
    event: dict[str, int] = field(default_factory=dict)

    def related(self, a: str, b: str) -> bool:
        """True when one article derives from the other or both from one original."""
        return self.family[a] == self.family[b]

    def truth_dict(self) -> dict[str, object]:
        """JSON-ready planted truth."""
        return {"planted": [vars(p) for p in self.planted], "topic": self.topic,
                "family": self.family, "event": self.event}


def _doc_id(i: int) -> str:
    return f"syn{i:07d}"


class Plan:
    """Who publishes what, when, derived from what: everything but the text.

    Built with a few numpy passes and one loop over stories (about 2 s per 1M
    articles); texts are generated per article on demand.
    """

    def __init__(self, n_articles: int, seed: int = 0, *, big_story: int = 0) -> None:
        if n_articles < 2:
            raise ValueError(f"n_articles must be at least 2, got {n_articles!r}")
        if not 0 <= big_story <= n_articles:
            raise ValueError(f"big_story must be between 0 and n_articles, got {big_story!r}")
        self.n, self.seed = n_articles, seed
        rng = np.random.default_rng([seed, 0])
        self.n_outlets = max(60, min(3000, n_articles // 20), big_story + 1)
        self.n_topics = max(3, n_articles // 40)
        t = np.arange(self.n_topics)
        w = 1.0 / (t + 1.0) ** 0.7
        w[0] = 0.0
        w = (1.0 - BIG_TOPIC_SHARE) * w / w.sum()
        w[0] = BIG_TOPIC_SHARE
        topic_cdf = np.cumsum(w)
        outlet_w = 1.0 / (np.arange(self.n_outlets) + 5.0)  # big outlets publish more
        outlet_cdf = np.cumsum(outlet_w / outlet_w.sum())
        cap = min(MAX_CARRIERS, self.n_outlets)
        # Stories until the corpus is full; the big story first.
        sizes: list[int] = [big_story] if big_story else []
        total = big_story
        while total < n_articles:
            s = min(int(rng.zipf(CARRIER_EXPONENT)), cap, n_articles - total)
            sizes.append(s)
            total += s
        n_st = len(sizes)
        st_topic = np.minimum(np.searchsorted(topic_cdf, rng.random(n_st)), self.n_topics - 1)
        st_time = rng.integers(0, 365 * 24 * 60, size=n_st)
        # Events: a quarter of stories report an event an earlier story of the topic reports.
        st_event = np.arange(n_st)
        last_of_topic: dict[int, list[int]] = {}
        same = rng.random(n_st) < SAME_EVENT_SHARE
        pick = rng.integers(1 << 30, size=n_st)
        for s in range(n_st):
            tp = int(st_topic[s])
            prev = last_of_topic.setdefault(tp, [])
            if same[s] and prev:
                other = prev[int(pick[s]) % len(prev)]
                st_event[s] = st_event[other]
                st_time[s] = st_time[other] + int(pick[s] % (24 * 60))
            prev.append(s)
            if len(prev) > 20:
                del prev[0]
        # Members of every story (member 0 is the original), all at once.
        size_a = np.array(sizes, dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(size_a)[:-1]))
        fam_a = np.repeat(np.arange(n_st), size_a)
        mem_a = np.arange(n_articles) - starts[fam_a]
        lag = np.exp(rng.uniform(np.log(30), np.log(72 * 60), n_articles)).astype(np.int64)
        # Later members come later: sort each story's lags so member m is the m-th carrier.
        lag = np.where(mem_a > 0, lag, 0)
        lag = lag[np.lexsort((lag, fam_a))]
        when_a = st_time[fam_a] + lag
        # Distinct outlets within a story: first + m * step (mod outlets), step coprime.
        first = np.minimum(np.searchsorted(outlet_cdf, rng.random(n_st)), self.n_outlets - 1)
        step = rng.integers(1, self.n_outlets, size=n_st)
        bad = np.gcd(step, self.n_outlets) != 1
        while bad.any():
            step[bad] = rng.integers(1, self.n_outlets, size=int(bad.sum()))
            bad = np.gcd(step, self.n_outlets) != 1
        outlet_a = (first[fam_a] + mem_a * step[fam_a]) % self.n_outlets
        u = rng.random(n_articles)
        kinds_a = np.minimum(np.searchsorted(np.cumsum(list(KIND_SHARES.values())), u),
                             len(KINDS) - 1)
        if big_story:
            big = fam_a == 0
            kinds_a[big] = np.minimum(
                np.searchsorted(np.cumsum(list(BIG_STORY_SHARES.values())), u[big]),
                len(KINDS) - 1)
        kinds_a = np.where(mem_a > 0, kinds_a, -1)
        # Source: the original, or (one in five) a random earlier carrier (chains).
        chain = rng.random(n_articles) < 0.2
        src_mem = np.where(chain, (rng.random(n_articles) * mem_a).astype(np.int64), 0)
        src_mem = np.where(mem_a > 0, src_mem, -1)
        order = np.lexsort((mem_a, fam_a, when_a))  # time order; ties by story and member
        self.family_of = fam_a[order]
        self.member = mem_a[order]
        self.minute = when_a[order]
        self.outlet = outlet_a[order]
        self.kind = kinds_a[order]
        self.topic = st_topic[self.family_of]
        self.event = st_event[self.family_of]
        self.big_family = 0 if big_story else -1
        # Article index of each (story, member), then each article's source index.
        pos = np.empty(len(order), dtype=np.int64)
        pos[order] = np.arange(len(order))
        flat_src = np.where(src_mem >= 0, starts[fam_a] + src_mem, -1)
        self.source = np.where(flat_src >= 0, pos[np.maximum(flat_src, 0)], -1)[order]
        self.origin = pos[starts][self.family_of]
        self._bodies: OrderedDict[int, str] = OrderedDict()

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[dict[str, str]]:
        for i in range(self.n):
            yield self.article(i)

    # ------------------------------------------------------------------ truth

    def truth(self) -> dict[str, object]:
        """JSON-ready gold labels: planted (source, derived, kind), family, topic, event."""
        planted = [
            {"source": _doc_id(int(self.source[i])), "derived": _doc_id(i),
             "kind": KINDS[int(self.kind[i])]}
            for i in np.flatnonzero(self.source >= 0).tolist()
        ]
        ids = [_doc_id(i) for i in range(self.n)]
        return {
            "planted": planted,
            "family": dict(zip(ids, (_doc_id(o) for o in self.origin.tolist()), strict=True)),
            "topic": dict(zip(ids, self.topic.tolist(), strict=True)),
            "event": dict(zip(ids, self.event.tolist(), strict=True)),
        }

    # ------------------------------------------------------------------ text

    @lru_cache(maxsize=4096)  # noqa: B019 - one plan per benchmark run
    def _topic(self, t: int) -> Topic:
        rng = np.random.default_rng([self.seed, 3, t])
        ranks = np.unique(_ranks(rng, 400, floor=150))[:120]
        rng.shuffle(ranks)
        w = 1.0 / (np.arange(len(ranks)) + 3.0)
        return Topic(np.array([word(int(r)) for r in ranks], dtype=object),
                     np.cumsum(w / w.sum()))

    @lru_cache(maxsize=65536)  # noqa: B019
    def _event(self, e: int) -> Event:
        rng = np.random.default_rng([self.seed, 4, e])
        people = [f"{name(int(rng.integers(400)))} {name(int(_ranks(rng, 1, 400)[0]))}"
                  for _ in range(int(rng.integers(2, 5)))]
        places = [name(int(_ranks(rng, 1, 200)[0])) for _ in range(2)]
        org = f"{name(int(_ranks(rng, 1, 300)[0]))} {_ORG_KINDS[int(rng.integers(10))]}"
        terms = [word(int(r)) for r in _ranks(rng, 12, floor=2000)]
        return Event(names=people + places + [org], people=people,
                     numbers=[_number(rng) for _ in range(6)], terms=terms)

    def outlet_name(self, k: int) -> str:
        return f"The {name(100_000 + k)} {_OUTLET_KINDS[k % len(_OUTLET_KINDS)]}"

    @lru_cache(maxsize=4096)  # noqa: B019
    def _footer(self, k: int) -> list[str]:
        rng = np.random.default_rng([self.seed, 6, k])
        return [_FOOTERS[j] for j in rng.choice(len(_FOOTERS), FOOTER_LINES, replace=False)]

    def body(self, i: int) -> str:
        """Article ``i``'s body (no boilerplate); derived bodies regenerate their source."""
        cached = self._bodies.get(i)
        if cached is not None:
            self._bodies.move_to_end(i)
            return cached
        topic, event = self._topic(int(self.topic[i])), self._event(int(self.event[i]))
        if self.source[i] < 0:
            rng = np.random.default_rng([self.seed, 1, i])
            body = _paragraphs(rng, _sentences(rng, topic, event, int(rng.integers(520, 880))))
        else:
            src = self.body(int(self.source[i]))
            rng = np.random.default_rng([self.seed, 2, i])
            k = KINDS[int(self.kind[i])]
            if k == "copy":
                body = src
            elif k == "edit":
                body = _edit(rng, src)
            elif k == "rewrite":
                body = _rewrite(rng, src, topic, event)
            else:
                body = _partial(rng, src, topic, event)
        self._bodies[i] = body
        if len(self._bodies) > 20_000:
            self._bodies.popitem(last=False)
        return body

    def article(self, i: int) -> dict[str, str]:
        """Article ``i`` (id, text, outlet, published_at); the same every time."""
        if not 0 <= i < self.n:
            raise IndexError(i)
        k = int(self.outlet[i])
        outlet = self.outlet_name(k)
        when = _EPOCH + timedelta(minutes=int(self.minute[i]))
        section = _SECTIONS[int(self.topic[i]) % len(_SECTIONS)]
        head = f"{outlet}\n{section} | {when.strftime('%A, %B %d, %Y')}"
        fmt = {"outlet": outlet, "year": when.year, "section": section}
        foot = "\n".join(f.format(**fmt) for f in self._footer(k))
        return {"id": _doc_id(i), "text": f"{head}\n{self.body(i)}\n{foot}", "outlet": outlet,
                "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ")}


# ---------------------------------------------------------------------- writing


def _sentences(rng: np.random.Generator, topic: Topic, event: Event, n_words: int) -> list[str]:
    """About ``n_words`` words of sentences on ``topic`` reporting ``event``."""
    lengths = rng.integers(12, 31, size=n_words // 12 + 2)
    lengths = lengths[: int(np.searchsorted(np.cumsum(lengths), n_words)) + 1]
    total = int(lengths.sum())
    # Alternating runs: function words (1-2) then content words (1-3).
    runs = np.empty(total, dtype=np.int64)
    runs[0::2] = rng.choice([1, 1, 1, 2], size=len(runs[0::2]))
    runs[1::2] = rng.choice([1, 1, 2, 2, 3], size=len(runs[1::2]))
    is_content = (np.repeat(np.arange(len(runs)) % 2, runs)[:total]).astype(bool)
    fw = np.searchsorted(_FUNCTION_CDF, rng.random(total))
    toks = _FUNCTION_ARR[np.minimum(fw, len(_FUNCTION_ARR) - 1)]
    # Content slots: topic words (a share that varies by article), the event's names,
    # terms and numbers, fresh numbers, then general vocabulary.
    share = rng.uniform(0.08, 0.25)
    cuts = share + np.array([0.0, 0.04, 0.07, 0.085, 0.10])
    cat = np.searchsorted(cuts, rng.random(total), side="right")
    pick = rng.integers(1 << 30, size=total)
    m = is_content & (cat == 0)
    toks[m] = topic.words[np.minimum(np.searchsorted(topic.cdf, rng.random(int(m.sum()))),
                                     len(topic.words) - 1)]
    for c, pool in ((1, event.names), (2, event.terms), (3, event.numbers)):
        m = is_content & (cat == c)
        toks[m] = np.asarray(pool, dtype=object)[pick[m] % len(pool)]
    m = is_content & (cat == 4)
    toks[m] = [_number(rng) for _ in range(int(m.sum()))]
    m = is_content & (cat == 5)
    toks[m] = [word(r) for r in _ranks(rng, int(m.sum())).tolist()]
    toks = toks.tolist()
    ends = np.cumsum(lengths).tolist()
    commas = rng.random(len(ends)) < 0.4
    said = rng.random(len(ends)) < 0.25
    lead_det = rng.random(len(ends)) < 0.6
    out = []
    start = 0
    for k, end in enumerate(ends):
        words = toks[start:end]
        if commas[k]:
            c = start + int(pick[start] % (end - start - 5)) + 3
            words[c - start] += ","
        if lead_det[k]:
            words[0] = FUNCTION_WORDS["det"][pick[end - 1] % 3]
        words[0] = words[0][0].upper() + words[0][1:]
        sent = " ".join(words)
        if said[k]:
            sent = f"{sent.rstrip(',')}, {event.people[pick[start + 1] % len(event.people)]} said"
        out.append(sent + ".")
        start = end
    return out


def _paragraphs(rng: np.random.Generator, sentences: list[str]) -> str:
    lines, i = [], 0
    while i < len(sentences):
        k = int(rng.integers(1, 5))
        lines.append(" ".join(sentences[i: i + k]))
        i += k
    return "\n".join(lines)


def _split(body: str) -> list[list[str]]:
    """Paragraphs -> sentences (each without its final period)."""
    return [[s[:-1] for s in _SENT_SPLIT.split(p)] for p in body.split("\n")]


def _edit(rng: np.random.Generator, body: str) -> str:
    paras = _split(body)
    if len(paras) > 4 and rng.random() < 0.3:
        paras = paras[: len(paras) - int(rng.integers(1, 3))]
    out = []
    for para in paras:
        kept = []
        for sent in para:
            if rng.random() < 0.08 and len(para) > 1:
                continue
            words = sent.split(" ")
            if rng.random() < 0.3 and len(words) > 6:
                op, j = rng.integers(3), int(rng.integers(1, len(words) - 2))
                if op == 0:
                    w = words[j].rstrip(",")
                    words[j] = synonym(w) + words[j][len(w):]
                elif op == 1:
                    del words[j]
                else:
                    words[j], words[j + 1] = words[j + 1], words[j]
            kept.append(" ".join(words) + ".")
        if kept:
            out.append(" ".join(kept))
    return "\n".join(out)


def _rewrite_sentence(rng: np.random.Generator, sent: str) -> str:
    words = []
    for raw in sent.split(" "):
        comma = raw.endswith(",")
        w = raw.rstrip(",")
        low = w.lower()
        k = kind(low)
        if k == "function":
            r = rng.random()
            if r < 0.12:
                continue
            if r < 0.5:
                cls = FUNCTION_WORDS[_FUNCTION_CLASS[low]]
                low = cls[rng.integers(len(cls))]
            w = low
        elif k == "content":
            w = synonym(low) if rng.random() < 0.4 else low
        words.append(w + ("," if comma else ""))
    if not words:
        return sent
    text = " ".join(words)
    if ", " in text and rng.random() < 0.5:  # swap clauses around the first comma
        a, b = text.split(", ", 1)
        text = f"{b}, {a}"
    return text[0].upper() + text[1:]


def _rewrite(rng: np.random.Generator, body: str, topic: Topic, event: Event) -> str:
    sents = [s for para in _split(body) for s in para]
    keep = [s for s in sents if rng.random() >= 0.15] or sents[:1]
    lead, rest = keep[0], keep[1:]
    order = rng.permutation(len(rest))
    # Reorder locally (windows of 6): a rewrite follows its source's story arc.
    order = sorted(range(len(rest)), key=lambda i: (i // 6, order[i]))
    out = [_rewrite_sentence(rng, s) + "." for s in [lead] + [rest[i] for i in order]]
    extra = _sentences(rng, topic, event, max(12, len(out) * 2))
    for s in extra[: max(1, len(out) // 10)]:
        out.insert(int(rng.integers(1, len(out) + 1)), s)
    return _paragraphs(rng, out)


def _partial(rng: np.random.Generator, body: str, topic: Topic, event: Event) -> str:
    """An independent article on the event that lifts 1-3 consecutive source paragraphs."""
    own = _paragraphs(rng, _sentences(rng, topic, event, int(rng.integers(300, 700)))).split("\n")
    paras = body.split("\n")
    k = min(len(paras), int(rng.integers(1, 4)))
    at = int(rng.integers(0, len(paras) - k + 1))
    lifted = "\n".join(paras[at: at + k])
    if rng.random() < 0.4:
        lifted = _edit(rng, lifted)
    pos = int(rng.integers(1, len(own) + 1))
    return "\n".join(own[:pos] + lifted.split("\n") + own[pos:])


def body_of(text: str) -> str:
    """An article's text without its outlet header and footer lines."""
    lines = text.split("\n")
    return "\n".join(lines[HEADER_LINES: len(lines) - FOOTER_LINES])


def make_corpus(n_articles: int, seed: int = 0, *, big_story: int = 0) -> Corpus:
    """``n_articles`` synthetic articles (in memory) and their gold labels."""
    plan = Plan(n_articles, seed, big_story=big_story)
    truth = plan.truth()
    return Corpus(
        articles=list(plan),
        planted=[Planted(**p) for p in truth["planted"]],  # type: ignore[attr-defined]
        topic=truth["topic"],  # type: ignore[arg-type]
        family=truth["family"],  # type: ignore[arg-type]
        event=truth["event"],  # type: ignore[arg-type]
    )


def generate(n_articles: int, seed: int = 0) -> list[dict[str, str]]:
    """The articles of ``make_corpus(n_articles, seed)`` (id, text, outlet, published_at)."""
    return list(Plan(n_articles, seed))


def write_jsonl(articles: Iterator[dict[str, str]] | list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for art in articles:
            f.write(json.dumps(art, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", type=Path, help="output JSONL path")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--big-story", type=int, default=0,
                    help="add one story carried by this many outlets")
    ap.add_argument("--truth", type=Path, help="also write the gold labels as JSON")
    args = ap.parse_args(argv)
    plan = Plan(args.n, args.seed, big_story=args.big_story)
    write_jsonl(iter(plan), args.out)
    truth = plan.truth()
    if args.truth:
        args.truth.write_text(json.dumps(truth), encoding="utf-8")
    planted = truth["planted"]
    by_kind = {k: sum(1 for p in planted if p["kind"] == k) for k in KINDS}  # type: ignore[union-attr]
    print(f"wrote {args.n} articles to {args.out}; planted {by_kind}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
