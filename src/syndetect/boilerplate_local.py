"""Labelling rules that read one document alone (see ``syndetect.boilerplate``).

2. **In-document repeats** (``_label_repeats``), 3. **blocks** (``_label_blocks``),
3b. **related-article sections** (``_label_related``) and 4. **embedded runs**
(``_label_runs``, with the corpus's template n-grams from ``_run_ngrams``). Each
works on one document's working state (``boilerplate._Doc``): its segments' keys,
token counts and the labels given so far, which it extends and never removes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence, Set
from itertools import pairwise
from typing import TYPE_CHECKING

from .config import BoilerplateConfig
from .segment import tokenize

if TYPE_CHECKING:
    from .boilerplate import _Doc

# Terminal punctuation (as in ``segment``), then optional closing quotes or brackets.
_SENTENCE_END = re.compile(
    r"[.!?\u2026\u06d4\u061f\u0964\u0965\u3002\uff01\uff1f]['\"\u2019\u201d)\]\u300d\u300f]*$"
)

# Headings of the lists of other stories that follow an article on its page.
_RELATED = re.compile(
    r"(?:(?:related|more|other|recommended|suggested|popular|trending|latest|top|similar)?\s*"
    r"(?:articles?|stories|news|headlines|links|content|reads?|posts|coverage|videos)"
    r"(?:\s+(?:for you|on this topic))?"
    r"|you\s+(?:may|might)\s+also\s+like|also\s+read|read\s+(?:more|next|also)"
    r"|most\s+(?:read|popular|viewed|e-?mailed|commented)|don't\s+miss"
    r"|recommended(?:\s+for\s+you)?|trending(?:\s+now)?|more\s+from\s+[\w .&'-]{1,40})"
    r"\s*[:.\u2026]*",
    re.IGNORECASE,
)


# Labels whose text may seed a document's own n-grams; the later copies of a repeat
# are excluded so that its first copy, kept as text, is not labelled through them.
_LOCAL_SOURCES = frozenset({"input", "shape", "site", "corpus", "doubled", "block"})



def _tokens(key: str) -> list[str]:
    """The (digit-masked) tokens of a key; keys are tokens joined by single spaces."""
    return key.split(" ") if key else []


def _label_in_document(doc: _Doc, config: BoilerplateConfig) -> None:
    """Rules 2 and 3, then related-article lists: one document."""
    if config.in_document_repeats:
        _label_repeats(doc)
    _label_blocks(doc, config)
    _label_related(doc, config)


def _label_repeats(doc: _Doc) -> None:
    """Rule 2: every copy after the first; the first too when a short line is printed twice in a row.

    A doubled short line (a title block, "by Taboola" twice) is layout. Other repeats
    keep their first copy as text, so a headline repeated as the lead sentence, or a
    section heading listed in a table of contents, still takes part in matching.
    Exact text, digits included: two lines that differ only in their numbers (a
    petrol price and a diesel price) are facts, not a repeat.
    """
    masked = Counter(k for k in doc.keys if k)
    where: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(doc.keys):
        if key and masked[key] >= 2:
            where[" ".join(tokenize(doc.segments[i].norm))].append(i)
    for key, idx in where.items():
        if len(idx) < 2:
            continue
        paras = [doc.segments[i].paragraph for i in idx]
        doubled = not doc.long[idx[0]] and any(b - a <= 1 for a, b in pairwise(paras))
        for n, i in enumerate(idx):
            if doubled:
                doc.reasons[i] = doc.reasons[i] or "doubled"
            elif n:
                doc.reasons[i] = doc.reasons[i] or "repeat"


def _label_blocks(doc: _Doc, config: BoilerplateConfig) -> None:
    """Rule 3: the labels in a stretch of short paragraphs that is mostly template are template.

    Labels are paragraphs that do not end like a sentence (an ad title, an advertiser,
    "Learn More", a byline, a dateline); a short paragraph of prose such as "Officials
    declined to comment." is left alone.
    """
    paragraphs: list[list[int]] = []
    for i, seg in enumerate(doc.segments):
        if i and seg.paragraph == doc.segments[i - 1].paragraph:
            paragraphs[-1].append(i)
        else:
            paragraphs.append([i])

    def short(p: list[int]) -> bool:
        n_tokens = sum(doc.n_tokens[i] for i in p)
        n_chars = sum(len(doc.keys[i]) for i in p)
        return n_tokens <= config.max_words and n_chars <= config.max_chars

    def flush(stretch: list[list[int]]) -> None:
        worded = [p for p in stretch if any(doc.n_tokens[i] for i in p)]
        flagged = [p for p in worded if all(doc.reasons[i] for i in p)]
        # One line printed twice is not a block: it takes two different template texts.
        distinct = {tuple(doc.keys[i] for i in p) for p in flagged}
        if len(distinct) >= 2 and len(flagged) > config.block_share * len(worded):
            for p in stretch:
                if doc.reasons[p[-1]] or not _SENTENCE_END.search(doc.segments[p[-1]].text):
                    for i in p:
                        doc.reasons[i] = doc.reasons[i] or "block"

    stretch: list[list[int]] = []
    for p in paragraphs:
        if short(p):
            stretch.append(p)
        else:
            flush(stretch)
            stretch = []
    flush(stretch)


def _label_related(doc: _Doc, config: BoilerplateConfig) -> None:
    """Rule 3b: after a story, a "Related Articles" heading starts the page's teasers.

    Pages end a story with lists of other stories ("Related Articles", "You May Also
    Like", "Most Read"), often with a teaser paragraph under each headline. Teasers
    are prose that other pages carry too, so they look like shared story text. Once a
    story has been told (``link_sentences`` long unlabelled sentences), a line that is
    only such a heading opens a section: its short lines that are not sentences
    (headlines, outlets, times) are labelled, and so is each run of prose that follows a headline printed again (the
    teaser's own title, labelled as a repeat). Prose after anything else (an ad
    block's labels, inside a story) ends the section and stays text.
    """
    told = 0
    n = len(doc.segments)
    i = 0
    while i < n:
        seg = doc.segments[i]
        heading = (
            told >= config.link_sentences
            and not (i + 1 < n and doc.segments[i + 1].paragraph == seg.paragraph)
            and _RELATED.fullmatch(" ".join(seg.text.split())) is not None
        )
        if not heading:
            told += doc.reasons[i] is None and doc.long[i]
            i += 1
            continue
        doc.reasons[i] = doc.reasons[i] or "related"
        teaser_ok = True  # prose right under the heading is its first teaser
        i += 1
        while i < n:
            reason = doc.reasons[i]
            if reason is not None:
                teaser_ok = reason in ("doubled", "repeat")
            elif not doc.long[i] and not _SENTENCE_END.search(doc.segments[i].text):
                doc.reasons[i] = "related"  # a headline, an outlet, a time: list furniture
                teaser_ok = False
            elif teaser_ok:
                while i < n and doc.reasons[i] is None:
                    doc.reasons[i] = "related"
                    i += 1
                teaser_ok = False
                continue
            else:
                break  # prose after anything but a teaser's title: the story goes on
            i += 1


def _ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*(tokens[k:] for k in range(n))))


def _run_ngrams(doc: _Doc, sources: frozenset[str], n: int) -> set[tuple[str, ...]]:
    """Word n-grams of each run of consecutive segments labelled for one of ``sources``."""
    grams: set[tuple[str, ...]] = set()
    run: list[str] = []
    for key, reason in zip([*doc.keys, ""], [*doc.reasons, None]):
        if reason in sources:
            run.extend(_tokens(key))
        else:
            grams.update(_ngrams(run, n))
            run = []
    return grams


def gram_marks(grams: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """One token of each n-gram (its longest, the first of equals): a sentence holding
    none of them holds none of the n-grams, and needs no n-grams of its own made."""
    return frozenset(max(g, key=len) for g in grams)


def _label_runs(
    doc: _Doc, corpus_grams: Set[tuple[str, ...]], config: BoilerplateConfig,
    corpus_marks: frozenset[str] | None = None,
) -> None:
    """Rule 4: sentences with template runs flattened into them.

    ``corpus_marks`` (optional): ``gram_marks(corpus_grams)``, computed once for a
    corpus; sentences with no marked token are passed over without their n-grams.
    """
    n = config.run_ngram
    local = _run_ngrams(doc, _LOCAL_SOURCES, n)
    # The document's marks apart: the corpus's are not copied for every document.
    local_marks = gram_marks(local) if corpus_marks is not None else frozenset()
    for i, key in enumerate(doc.keys):
        if doc.reasons[i] or doc.n_tokens[i] < config.run_min_tokens:
            continue
        toks = _tokens(key)
        if corpus_marks is not None and corpus_marks.isdisjoint(toks) \
                and local_marks.isdisjoint(toks):
            continue
        grams = _ngrams(toks, n)
        if corpus_grams.isdisjoint(grams) and local.isdisjoint(grams):
            continue
        covered = [False] * len(toks)
        for j, g in enumerate(grams):
            if g in corpus_grams or g in local:
                covered[j : j + n] = [True] * n
        hits = sum(covered)
        if hits >= config.run_min_tokens and hits >= config.run_min_share * len(toks):
            doc.reasons[i] = "run"
