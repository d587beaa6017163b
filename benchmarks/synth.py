"""Deterministic synthetic news corpus with planted copies, edits and rewrites.

    python benchmarks/synth.py N OUT.jsonl [--seed 0] [--truth TRUTH.json]

writes N articles as JSONL (``id``, ``text``, ``outlet``, ``published_at``), ready for
``syndetect scan OUT.jsonl``, and optionally the planted truth as JSON. No network,
stdlib + numpy only; the same ``(N, seed)`` always gives byte-identical output.

What is in a corpus (``make_corpus(n, seed)``; ``generate(n, seed)`` is its articles):

* **Language.** A fixed lexicon (independent of ``seed``): ~100 English function
  words in five classes, 6,000 pseudo-words with Zipfian frequencies (``synonym(w)``
  pairs each with its frequency neighbour), person / place / organisation names
  and numbers. Sentences of 12-30 words alternate runs of function and content
  words; a quarter end with an attribution ("..., Maria Kessler said.").
* **Topics.** About one topic per 25 articles, each with 80 topic words, a few
  people, places, organisations and numbers. Articles on one topic share that
  vocabulary and those names (5-20% of an article's content words are topic words):
  independent same-event stories are hard negatives. Calibrated on COUNTER: the
  IDF-weighted share of one article's content words found in another is ~0.23 for
  same-topic unrelated pairs (COUNTER non-derived: 0.20), ~0.65 for rewrites
  (COUNTER wholly derived: 0.69) and ~0.11 across topics.
* **Originals.** 600-900 body words, one paragraph (1-4 sentences) per line,
  between two outlet header lines and two outlet footer lines (boilerplate that
  recurs across an outlet's articles; ``body_of`` strips it).
* **Derived articles** (30%: 30% copies, 35% edits, 35% rewrites), each from an
  earlier article (90% an original) of another outlet, published 0.5-72 hours later:
  - ``copy``: the source body verbatim under the new outlet's boilerplate;
  - ``edit``: ~8% of sentences dropped, small word swaps / deletions / synonym
    substitutions in ~30% of the rest, sometimes the last paragraphs cut;
  - ``rewrite``: sentences reordered and regrouped, ~40% of content words replaced
    by synonyms, function words changed or dropped, clauses swapped around commas,
    ~15% of sentences dropped and ~10% new topic sentences added; names and numbers
    kept.

``Corpus.planted`` lists (source, derived, kind); ``Corpus.family`` maps every
article to the original its derivation chain starts from, so two copies of one
story are related too (``related(a, b)``).

>>> c = make_corpus(20, seed=1)
>>> len(c.articles), len(c.planted), sorted(c.articles[0])
(20, 6, ['id', 'outlet', 'published_at', 'text'])
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import numpy as np

HEADER_LINES = 2
FOOTER_LINES = 2
DERIVED_SHARE = 0.30
KIND_SHARES = {"copy": 0.30, "edit": 0.35, "rewrite": 0.35}
KINDS = tuple(KIND_SHARES)
_LEXICON_SEED = 20240501  # the lexicon is the same for every corpus seed
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
# Within each class, earlier words are more frequent ("the" over "each").
_FUNCTION_W = np.array([1.0 / (i + 1) for ws in FUNCTION_WORDS.values() for i in range(len(ws))])
_FUNCTION_CDF = np.cumsum(_FUNCTION_W / _FUNCTION_W.sum())
_FUNCTION_ARR = np.array(_FUNCTION_LIST, dtype=object)
_ONSETS = ("", "", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
           "w", "br", "ch", "cl", "dr", "fr", "gr", "pl", "pr", "sh", "st", "tr", "th")
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "i", "o", "ea", "ou", "ai", "io")
_CODAS = ("", "", "", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "st", "ng", "nt")
_SUFFIXES = ("", "", "", "", "", "", "ing", "ed", "er", "tion", "ment", "al", "ity", "ly")
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


@dataclass(frozen=True)
class Lexicon:
    """Every word a corpus can use (function words are module constants)."""

    content: list[str]  # Zipf rank order; synonym of index i is i ^ 1
    content_cdf: np.ndarray
    first: list[str]
    last: list[str]
    places: list[str]
    orgs: list[str]
    outlets: list[str]
    kind_of: dict[str, str]  # lower-case token -> "function" | "content" | "name"
    content_index: dict[str, int]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The fixed lexicon (built once per process; independent of any corpus seed)."""
    rng = np.random.default_rng(_LEXICON_SEED)
    banned = set(_FUNCTION_LIST) | {"said", "says", "told", "according", "also", "new"}
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < 6000 + 300 + 1500 + 800 + 600:
        is_name = len(words) >= 6000  # names: 1-2 syllables, no suffix
        n_syl = int(rng.choice([1, 2, 2] if is_name else [1, 2, 2, 2, 3]))
        w = "".join(
            _ONSETS[rng.integers(len(_ONSETS))] + _VOWELS[rng.integers(len(_VOWELS))]
            + _CODAS[rng.integers(len(_CODAS))]
            for _ in range(n_syl)
        )
        if not is_name:
            w += _SUFFIXES[rng.integers(len(_SUFFIXES))]
        if len(w) < 4 or w in seen or w in banned:
            continue
        seen.add(w)
        words.append(w)
    content, rest = words[:6000], words[6000:]
    # Frequent words are short ones, as in real text.
    content.sort(key=lambda w: len(w) + 3.0 * rng.random())
    first = [w.capitalize() for w in rest[:300]]
    last = [w.capitalize() for w in rest[300:1800]]
    places = [w.capitalize() for w in rest[1800:2600]]
    org_roots = [w.capitalize() for w in rest[2600:3200]]
    orgs = [f"{r} {_ORG_KINDS[i % len(_ORG_KINDS)]}" for i, r in enumerate(org_roots)]
    outlets = [f"The {places[i]} {_OUTLET_KINDS[i % len(_OUTLET_KINDS)]}" for i in range(60)]
    weights = 1.0 / (np.arange(len(content)) + 2.7)
    cdf = np.cumsum(weights / weights.sum())
    kind_of = {w: "function" for w in _FUNCTION_LIST}
    kind_of.update({w: "content" for w in content})
    kind_of.update({w.lower(): "name" for w in first + last + places + org_roots})
    return Lexicon(
        content=content, content_cdf=cdf, first=first, last=last, places=places, orgs=orgs,
        outlets=outlets, kind_of=kind_of, content_index={w: i for i, w in enumerate(content)},
    )


@lru_cache(maxsize=1)
def _content_arr() -> np.ndarray:
    return np.array(lexicon().content, dtype=object)


def synonym(word: str) -> str:
    """The substitution-table partner of a content word (itself for any other word)."""
    lex = lexicon()
    i = lex.content_index.get(word)
    return word if i is None else lex.content[i ^ 1]


@dataclass(frozen=True)
class Topic:
    words: list[str]
    word_cdf: np.ndarray
    names: list[str]  # people, places, organisations
    people: list[str]
    numbers: list[str]


@dataclass(frozen=True)
class Planted:
    """``derived`` was made from ``source`` by ``kind`` (copy / edit / rewrite)."""

    source: str
    derived: str
    kind: str


@dataclass
class Corpus:
    articles: list[dict[str, str]]
    planted: list[Planted]
    topic: dict[str, int] = field(default_factory=dict)
    family: dict[str, str] = field(default_factory=dict)

    def related(self, a: str, b: str) -> bool:
        """True when one article derives from the other or both from one original."""
        return self.family[a] == self.family[b]

    def truth_dict(self) -> dict[str, object]:
        """JSON-ready planted truth."""
        return {
            "planted": [vars(p) for p in self.planted],
            "topic": self.topic,
            "family": self.family,
        }


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


def _person(rng: np.random.Generator, lex: Lexicon) -> str:
    return f"{lex.first[rng.integers(len(lex.first))]} {lex.last[rng.integers(len(lex.last))]}"


def _topic(rng: np.random.Generator, lex: Lexicon) -> Topic:
    idx = rng.choice(np.arange(150, len(lex.content)), 80, replace=False)
    w = 1.0 / (np.arange(80) + 3.0)
    people = [_person(rng, lex) for _ in range(3)]
    places = [lex.places[i] for i in rng.integers(len(lex.places), size=2)]
    orgs = [lex.orgs[i] for i in rng.integers(len(lex.orgs), size=2)]
    return Topic(
        words=[lex.content[i] for i in idx],
        word_cdf=np.cumsum(w / w.sum()),
        names=people + places + orgs,
        people=people,
        numbers=[_number(rng) for _ in range(6)],
    )


def _sentences(rng: np.random.Generator, topic: Topic, n_words: int) -> list[str]:
    """About ``n_words`` words of sentences on ``topic``."""
    lex = lexicon()
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
    # Content slots: topic words (a share that varies by article), topic names, any place,
    # topic numbers, fresh numbers, general vocabulary.
    share = rng.uniform(0.05, 0.20)
    cuts = share + np.array([0.0, 0.025, 0.045, 0.06, 0.08])
    cat = np.searchsorted(cuts, rng.random(total), side="right")
    pick = rng.integers(1 << 30, size=total)
    for c, pool in enumerate([topic.words, topic.names, lex.places, topic.numbers]):
        m = is_content & (cat == c)
        toks[m] = np.asarray(pool, dtype=object)[pick[m] % len(pool)]
    m = is_content & (cat == 4)
    toks[m] = [_number(rng) for _ in range(int(m.sum()))]
    m = is_content & (cat == 5)
    gen = np.searchsorted(lex.content_cdf, rng.random(int(m.sum())))
    toks[m] = _content_arr()[np.minimum(gen, len(lex.content) - 1)]
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
            sent = f"{sent.rstrip(',')}, {topic.people[pick[start + 1] % len(topic.people)]} said"
        out.append(sent + ".")
        start = end
    return out


def _paragraphs(rng: np.random.Generator, sentences: list[str]) -> str:
    lines, i = [], 0
    while i < len(sentences):
        k = int(rng.integers(1, 5))
        lines.append(" ".join(sentences[i : i + k]))
        i += k
    return "\n".join(lines)


def _original(rng: np.random.Generator, topic: Topic) -> str:
    target = int(rng.integers(620, 880))
    return _paragraphs(rng, _sentences(rng, topic, target))


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
    lex = lexicon()
    words = []
    for raw in sent.split(" "):
        comma = raw.endswith(",")
        w = raw.rstrip(",")
        low = w.lower()
        kind = lex.kind_of.get(low)
        if kind == "function":
            r = rng.random()
            if r < 0.12:
                continue
            if r < 0.5:
                cls = FUNCTION_WORDS[_FUNCTION_CLASS[low]]
                low = cls[rng.integers(len(cls))]
            w = low
        elif kind == "content" and rng.random() < 0.4:
            w = synonym(low)
        elif kind == "content":
            w = low
        words.append(w + ("," if comma else ""))
    if not words:
        return sent
    text = " ".join(words)
    if ", " in text and rng.random() < 0.5:  # swap clauses around the first comma
        a, b = text.split(", ", 1)
        text = f"{b}, {a}"
    return text[0].upper() + text[1:]


def _rewrite(rng: np.random.Generator, body: str, topic: Topic) -> str:
    sents = [s for para in _split(body) for s in para]
    keep = [s for s in sents if rng.random() >= 0.15] or sents[:1]
    lead, rest = keep[0], keep[1:]
    order = rng.permutation(len(rest))
    # Reorder locally (windows of 6): a rewrite follows its source's story arc.
    order = sorted(range(len(rest)), key=lambda i: (i // 6, order[i]))
    out = [_rewrite_sentence(rng, s) + "." for s in [lead] + [rest[i] for i in order]]
    extra = _sentences(rng, topic, max(12, len(out) * 2))
    for s in extra[: max(1, len(out) // 10)]:
        out.insert(int(rng.integers(1, len(out) + 1)), s)
    return _paragraphs(rng, out)


def _boilerplate(outlet: str, when: datetime, section: str, footer: list[str]) -> tuple[str, str]:
    head = f"{outlet}\n{section} | {when.strftime('%A, %B %d, %Y')}"
    fmt = {"outlet": outlet, "year": when.year, "section": section}
    return head, "\n".join(f.format(**fmt) for f in footer)


def body_of(text: str) -> str:
    """An article's text without its outlet header and footer lines."""
    lines = text.split("\n")
    return "\n".join(lines[HEADER_LINES : len(lines) - FOOTER_LINES])


def make_corpus(n_articles: int, seed: int = 0) -> Corpus:
    """``n_articles`` synthetic articles and their planted derivations."""
    if n_articles < 2:
        raise ValueError(f"n_articles must be at least 2, got {n_articles!r}")
    lex = lexicon()
    rng = np.random.default_rng(seed)
    n_topics = max(4, n_articles // 25)
    topics = [_topic(rng, lex) for _ in range(n_topics)]
    outlet_footer = [
        [_FOOTERS[j] for j in rng.choice(len(_FOOTERS), FOOTER_LINES, replace=False)]
        for _ in lex.outlets
    ]
    n_derived = round(DERIVED_SHARE * n_articles)
    derived_at = set(rng.choice(np.arange(1, n_articles), n_derived, replace=False).tolist())
    counts = [round(KIND_SHARES[k] * n_derived) for k in KINDS[:-1]]
    kinds = np.repeat(np.arange(len(KINDS)), counts + [n_derived - sum(counts)])
    kind_iter = iter(rng.permutation(kinds).tolist())

    articles: list[dict[str, str]] = []
    bodies: list[str] = []
    meta: list[tuple[int, int, datetime]] = []  # topic, outlet index, published
    originals: list[int] = []
    corpus = Corpus(articles=articles, planted=[])
    for i in range(n_articles):
        doc_id = f"syn{i:07d}"
        if i in derived_at:
            kind = KINDS[next(kind_iter)]
            pool = originals if (rng.random() < 0.9 or i < 2) else range(i)
            src = int(pool[rng.integers(len(pool))])
            t, src_outlet, src_when = meta[src]
            outlet = int(rng.integers(len(lex.outlets) - 1))
            outlet += outlet >= src_outlet  # never the source's outlet
            when = src_when + timedelta(minutes=int(rng.integers(30, 72 * 60)))
            if kind == "copy":
                body = bodies[src]
            elif kind == "edit":
                body = _edit(rng, bodies[src])
            else:
                body = _rewrite(rng, bodies[src], topics[t])
            src_id = articles[src]["id"]
            corpus.planted.append(Planted(src_id, doc_id, kind))
            corpus.family[doc_id] = corpus.family[src_id]
        else:
            t = int(rng.integers(n_topics))
            outlet = int(rng.integers(len(lex.outlets)))
            when = _EPOCH + timedelta(minutes=int(rng.integers(0, 365 * 24 * 60)))
            body = _original(rng, topics[t])
            originals.append(i)
            corpus.family[doc_id] = doc_id
        section = _SECTIONS[t % len(_SECTIONS)]
        head, foot = _boilerplate(lex.outlets[outlet], when, section, outlet_footer[outlet])
        articles.append({
            "id": doc_id,
            "text": f"{head}\n{body}\n{foot}",
            "outlet": lex.outlets[outlet],
            "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        })
        bodies.append(body)
        meta.append((t, outlet, when))
        corpus.topic[doc_id] = t
    return corpus


def generate(n_articles: int, seed: int = 0) -> list[dict[str, str]]:
    """The articles of ``make_corpus(n_articles, seed)`` (id, text, outlet, published_at)."""
    return make_corpus(n_articles, seed).articles


def write_jsonl(corpus: Corpus, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for art in corpus.articles:
            f.write(json.dumps(art, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", type=Path, help="output JSONL path")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--truth", type=Path, help="also write the planted truth as JSON")
    args = ap.parse_args(argv)
    corpus = make_corpus(args.n, args.seed)
    write_jsonl(corpus, args.out)
    if args.truth:
        args.truth.write_text(json.dumps(corpus.truth_dict()), encoding="utf-8")
    by_kind = {k: sum(1 for p in corpus.planted if p.kind == k) for k in KINDS}
    print(f"wrote {len(corpus.articles)} articles to {args.out}; planted {by_kind}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
