"""Template and ad text: found from corpus statistics, labelled, never deleted.

Page chrome (navigation, "Comments", "Related Articles", app banners, ad labels
such as "by Taboola / Sponsored Links") is repeated text. So is syndication: two
copies of one story share every sentence. This stage must label the first and
leave the second alone, or syndication detection goes blind. It works on a key
per sentence (its word tokens, digits masked to ``0`` so "3 days ago" and
"21 days ago" agree) and uses four rules, in order.

1. **Corpus template.** Text is template when it recurs in enough *independent*
   documents: ``min_documents`` for short text (at most ``max_words`` tokens and
   ``max_chars`` characters), ``max(long_min_documents, long_min_share * corpus)``
   for longer text. Documents that hold the text are counted after merging the
   ones that are copies of each other *around it*: two documents are merged when,
   near the text (``link_span`` segments or ``link_paragraphs`` paragraphs), both
   hold the same ordered run of ``link_sentences`` long sentences
   (``link_sentences_short`` around short text), or, for short text, when its
   paragraph holds the same long sentence in both. Only long sentences that recur
   and are not template themselves count (long text is decided first). Syndicated
   text sits inside such runs (a story is many long sentences in the same order),
   so copies of one story count once, however many there are. Template text sits
   among other template lines and page-specific content, so its pages stay
   independent. A template block merges its own pages only if it holds more long
   sentences in a row than a run needs (more than a cookie or app banner), and
   then only until it is frequent enough to be long template itself.
2. **In-document repeats.** A short line printed twice in a row (a title block,
   doubled ad labels) is template at every occurrence. Any other repeat keeps its
   first occurrence as text and labels the others, so no content is lost. Repeats
   compare exact text: lines that differ only in their numbers are facts.
3. **Blocks.** In a stretch of consecutive short paragraphs, when more than
   ``block_share`` of them are template (and at least two different texts), the
   labels among the rest, paragraphs that do not end like a sentence, are template
   too: the ad title, "Learn More" and "Undo" after "by Taboola / Sponsored Links /
   Promoted Links"; a byline under a logo and a doubled title. Short prose
   ("Officials declined to comment.") is left alone.
4. **Embedded runs.** A sentence that carries template text flattened into it (a
   related-article blob with "by Taboola by Taboola Sponsored Links ..." inside)
   is template when its tokens covered by template word ``run_ngram``-grams number
   at least ``run_min_tokens`` and ``run_min_share`` of the sentence. The
   n-grams come from runs of consecutive template sentences: corpus template
   anywhere, a document's own repeats and blocks within that document only.

Consequences worth knowing: a corpus of two full copies has nothing flagged
(no text reaches ``min_documents`` independent documents), and neither has a
story copied into any number of documents; a long sentence is only template when
it is in many independent documents, so a quote shared by a few rewrites stays
text; short stock sentences that recur in unrelated articles ("He declined to
comment.") are labelled template, which costs matching almost nothing; a short
line without terminal punctuation next to a template block (a byline, a one-line
subheading) is labelled with the block. A template needs
``min_documents`` pages in the corpus to be seen at all. Everything is counters
over keys: time and memory are linear in the corpus size, with no all-pairs step.

>>> from syndetect.segment import segment
>>> stories = ["Rain fell on the coast all week, and the river rose above its banks on Sunday.",
...            "The council voted on the budget late on Tuesday after a long and bitter debate.",
...            "A new bridge opened to traffic this morning, two years later than first planned.",
...            "Schools reopened after the storm, although many roads in the north remain shut."]
>>> segs = {f"d{i}": segment(f"d{i}", f"Home\\n{s}\\nShare this story\\n")
...         for i, s in enumerate(stories)}
>>> labelled, entries = detect_boilerplate(segs, BoilerplateConfig())
>>> [(b.text, b.count) for b in entries]
[('Home', 4), ('Share this story', 4)]
>>> [s.text for s in labelled["d0"] if not s.boilerplate] == [stories[0]]
True
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from .boilerplate_local import (  # noqa: F401 - the Spark engine reads the rules here
    _SENTENCE_END,
    _label_in_document,
    _label_runs,
    _run_ngrams,
    _tokens,
    gram_marks,
)
from .chrome import shape_of
from .config import BoilerplateConfig
from .segment import tokenize
from .types import Boilerplate, Segment

logger = logging.getLogger(__name__)

MAX_NOTICE_WORDS = 40
"""A notice and the links glued to it make a footer paragraph of at most twice this."""

SiteKeys = str | Sequence[str] | None
"""A page's site, or the template groups it belongs to."""

Reason = Literal["input", "shape", "site", "corpus", "doubled", "repeat", "block", "related", "run"]
"""Why a segment was labelled; only ``corpus`` text seeds the corpus-wide n-grams."""

_DIGITS = re.compile(r"\d+")
@dataclass(slots=True)
class _Doc:
    """One document's segments with their keys and labels (mutable working state)."""

    id: str
    segments: Sequence[Segment]
    keys: list[str] = field(default_factory=list)
    n_tokens: list[int] = field(default_factory=list)
    long: list[bool] = field(default_factory=list)
    reasons: list[Reason | None] = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)  # per segment, kept by prepare_page


PreparedPage = _Doc
"""What labelling needs from one document alone (``prepare_page``): opaque to callers."""


def _is_long(n_tokens: int, key: str, config: BoilerplateConfig) -> bool:
    """Longer than a label or a short line: content-bearing if not widely repeated."""
    return n_tokens > config.max_words or len(key) > config.max_chars


def _prepare(
    doc_id: str, segments: Sequence[Segment], config: BoilerplateConfig,
    *, keep_tokens: bool = False, tokens: Sequence[list[str]] | None = None,
) -> _Doc:
    doc = _Doc(id=doc_id, segments=segments)
    for s, seg in enumerate(segments):
        raw = tokenize(seg.norm) if tokens is None else tokens[s]
        key = _DIGITS.sub("0", " ".join(raw))
        doc.keys.append(key)
        if keep_tokens:
            doc.tokens.append(raw)
        doc.n_tokens.append(len(raw))
        doc.long.append(_is_long(len(raw), key, config))
        doc.reasons.append("input" if seg.boilerplate else None)
    return doc


def long_threshold(n_documents: int, config: BoilerplateConfig) -> int:
    """Independent documents a long sentence needs to be template in a corpus of ``n_documents``.

    >>> long_threshold(100, BoilerplateConfig()), long_threshold(100_000, BoilerplateConfig())
    (10, 500)
    """
    return max(config.long_min_documents, math.ceil(config.long_min_share * n_documents))


class _Links:
    """Evidence that documents are copies of each other around a sentence.

    Evidence comes from long sentences that recur (in two documents or more) and
    are not template themselves (``template``, filled once long template is known):

    * an ordered run of ``link_sentences`` of them in the sentence's neighbourhood,
      which reaches ``link_span`` segments or ``link_paragraphs`` paragraphs to each
      side, whichever is further (a few sentences on pages with one sentence a line,
      a few paragraphs elsewhere, only a few lines into a block of one-line chrome);
    * for a short sentence, one of them in the same paragraph: a short sentence that
      shares its paragraph with copied prose is part of the copy.
    """

    _PARAGRAPH = "\x00paragraph"

    def __init__(
        self, docs: Sequence[_Doc], df: Mapping[str, int], *, prose_only: bool = False
    ) -> None:
        self.docs = docs
        self.shared_long = [
            [
                lg
                and bool(k)
                and df.get(k, 0) >= 2
                and (not prose_only or bool(_SENTENCE_END.search(seg.text)))
                for k, lg, seg in zip(d.keys, d.long, d.segments)
            ]
            for d in docs
        ]
        self.paragraph = [[s.paragraph for s in d.segments] for d in docs]
        self.template: set[str] = set()

    def nodes(self, d: int, i: int, config: BoilerplateConfig) -> list[tuple[str, ...]]:
        """Evidence nodes of occurrence ``i`` of document ``d``; documents sharing one are linked."""
        doc, mask = self.docs[d], self.shared_long[d]
        m = config.link_sentences if doc.long[i] else config.link_sentences_short
        key, para, p = doc.keys[i], self.paragraph[d], self.paragraph[d][i]

        def usable(j: int) -> bool:
            return mask[j] and doc.keys[j] != key and doc.keys[j] not in self.template

        first = min(i - config.link_span, bisect_left(para, p - config.link_paragraphs))
        last = max(i + config.link_span, bisect_right(para, p + config.link_paragraphs) - 1)
        # Distinct keys in order, across the sentence itself: a short sentence between
        # two shared sentences is inside their run, and a related-article title printed
        # three times is one sentence, not a run of three.
        seq = list(
            dict.fromkeys(
                doc.keys[j] for j in range(max(0, first), min(last + 1, len(mask))) if usable(j)
            )
        )
        out = [tuple(seq[k : k + m]) for k in range(len(seq) - m + 1)]
        if not doc.long[i]:
            mates = range(bisect_left(para, p), bisect_right(para, p))
            out.extend((self._PARAGRAPH, doc.keys[j]) for j in mates if j != i and usable(j))
        return out


def independent_support(
    occurrences: Iterable[tuple[int, int]], links: _Links, config: BoilerplateConfig
) -> int:
    """Documents holding a key, counting once the copies among them.

    Occurrences whose neighbourhoods share a run link their documents. A group of
    linked documents counts once, or once for each of its documents that also holds
    the key somewhere unlinked: two pages that carry the same related article next
    to one of their "time N minutes ago" lines are still two pages for the others.
    """
    return support_of_nodes([(d, links.nodes(d, i, config)) for d, i in occurrences])


def support_of_nodes(occ: Sequence[tuple[int, list[tuple[str, ...]]]]) -> int:
    """``independent_support`` from each occurrence's document and evidence nodes.

    Only which occurrences share a node matters, not the documents' numbering, so
    nodes computed document by document (``_Links`` over one document with the
    corpus frequencies) give the corpus-wide answer.
    """
    holders: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for d, nodes in occ:
        for node in nodes:
            holders[node].add(d)
    parent = {d: d for d, _ in occ}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    free: set[int] = set()
    for d, nodes in occ:
        shared = [min(holders[n]) for n in nodes if len(holders[n]) > 1]
        if not shared:
            free.add(d)
        for other in shared:
            ra, rb = find(d), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: Counter[int] = Counter()
    for d in parent:
        groups[find(d)] += d in free
    return sum(max(1, n_free) for n_free in groups.values())


def _corpus_template(docs: Sequence[_Doc], config: BoilerplateConfig) -> set[str]:
    """Keys that recur in enough independent documents (rule 1)."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update({k for k in doc.keys if k})
    long_min = long_threshold(len(docs), config)
    is_long: dict[str, bool] = {}
    occurrences: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for d, doc in enumerate(docs):
        for i, (key, lg) in enumerate(zip(doc.keys, doc.long)):
            if key and df[key] >= (long_min if lg else config.min_documents):
                occurrences[key].append((d, i))
                is_long[key] = is_long.get(key, False) or lg
    links = _Links(docs, df)
    template: set[str] = set()
    # Long text first: once known, long template is no evidence of copying for short text.
    for long_pass in (True, False):
        for key, occ in occurrences.items():
            if is_long[key] != long_pass:
                continue
            needed = long_min if long_pass else config.min_documents
            if df[key] >= needed and independent_support(occ, links, config) >= needed:
                template.add(key)
        links.template = set(template)
    logger.debug(
        "boilerplate: %d candidate keys, %d template (long threshold %d documents)",
        len(occurrences),
        len(template),
        long_min,
    )
    return template


def _label_shapes(doc: _Doc) -> None:
    """Rule 0: notices, credit lines, prompts, stamps, tool rows and menus, by shape alone.

    A notice's paragraph goes with it when the paragraph is short: "All content (c)
    MMVIII, CBS Corporation. All Rights Reserved. Please read our Privacy Policy." is
    one footer.
    """
    by_paragraph: dict[int, list[int]] = defaultdict(list)
    for i, seg in enumerate(doc.segments):
        by_paragraph[seg.paragraph].append(i)
    for members in by_paragraph.values():
        shapes = [shape_of(doc.segments[i].text) for i in members]
        words = sum(doc.n_tokens[i] for i in members)
        whole = "notice" in shapes and words <= 2 * MAX_NOTICE_WORDS
        for i, found in zip(members, shapes):
            if found or whole:
                doc.reasons[i] = doc.reasons[i] or "shape"


def _site_template(
    docs: Sequence[_Doc], sites: Mapping[str, SiteKeys], config: BoilerplateConfig
) -> dict[int, set[str]]:
    """Rule 1b: text two pages of one site share, outside a story they share, is that site's.

    Pages of one site carry its template (masthead, menus, footer) at any corpus
    size, even two. Within each site, a key held by two or more pages is template
    unless those pages are copies of each other around it (an article and its
    print version): the same independence test as rule 1, with shared prose
    sentences (long, ending like a sentence) as the only evidence of copying, so
    that a list of headlines shared by two pages does not make them copies.
    A page may belong to several groups (its site, and the stations of one owner
    that share a template); it takes the template of each.
    Returns, per document index, the keys that are template on its site.
    """
    by_site: dict[str, list[int]] = defaultdict(list)
    for d, doc in enumerate(docs):
        value = sites.get(doc.id)
        for site in [value] if isinstance(value, str) else list(value or ()):
            if site:
                by_site[site].append(d)
    out: dict[int, set[str]] = defaultdict(set)
    for site in sorted(by_site):
        members = by_site[site]
        if len(members) < 2:
            continue
        sub = [docs[d] for d in members]
        df: Counter[str] = Counter()
        for doc in sub:
            df.update({k for k in doc.keys if k})
        occurrences: dict[str, list[tuple[int, int]]] = defaultdict(list)
        is_long: dict[str, bool] = {}
        for d, doc in enumerate(sub):
            for i, (key, lg) in enumerate(zip(doc.keys, doc.long)):
                if key and df[key] >= 2:
                    occurrences[key].append((d, i))
                    is_long[key] = is_long.get(key, False) or lg
        links = _Links(sub, df, prose_only=True)
        links.template = {
            k for doc in sub for k, r in zip(doc.keys, doc.reasons) if r in ("shape", "corpus")
        }
        template: set[str] = set()
        for long_pass in (True, False):
            for key, occ in occurrences.items():
                if is_long[key] == long_pass and independent_support(occ, links, config) >= 2:
                    template.add(key)
            links.template |= template
        for d in members:
            out[d] |= template
        logger.debug(
            "boilerplate: site %s, %d pages, %d template keys", site, len(sub), len(template)
        )
    return out


def _label_shapes_and_corpus(
    doc: _Doc, template: set[str] | frozenset[str], config: BoilerplateConfig
) -> None:
    """Rule 0 (shapes), then rule 1 given the corpus template keys: one document."""
    if config.shapes:
        _label_shapes(doc)
    _label_corpus(doc, template)


def _label_corpus(doc: _Doc, template: set[str] | frozenset[str]) -> None:
    """Rule 1's labels on one document, given the corpus template keys."""
    for i, key in enumerate(doc.keys):
        if key in template:
            doc.reasons[i] = doc.reasons[i] or "corpus"


def _label_site(doc: _Doc, site_keys: set[str] | frozenset[str]) -> None:
    """Rule 1b's labels on one document, given its site's template keys."""
    for i, key in enumerate(doc.keys):
        if key in site_keys:
            doc.reasons[i] = doc.reasons[i] or "site"


def _report(docs: Sequence[_Doc]) -> list[Boilerplate]:
    """One entry per labelled key: a representative text, its documents and occurrences."""
    texts: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for seg, key, reason in zip(doc.segments, doc.keys, doc.reasons):
            if reason:
                group = key or seg.norm
                texts[group][seg.text] += 1
                where[group].add(doc.id)
    entries = [_entry(counter, where[group]) for group, counter in texts.items()]
    entries.sort(key=lambda b: (-b.count, b.text, b.documents))
    return entries


def _entry(texts: Mapping[str, int], documents: Iterable[str]) -> Boilerplate:
    """One report entry from a group's texts (with occurrence counts) and documents."""
    text = min(texts, key=lambda t: (-texts[t], t))
    return Boilerplate(text=text, documents=tuple(sorted(documents)), count=sum(texts.values()))


def detect_boilerplate(
    segments: Mapping[str, Sequence[Segment]],
    config: BoilerplateConfig,
    sites: Mapping[str, SiteKeys] | None = None,
) -> tuple[dict[str, list[Segment]], list[Boilerplate]]:
    """Label template text; returns the segments (``boilerplate`` set) and the entries.

    ``sites`` maps document ids to their site (``Document.site``), or to several
    template groups (see ``syndetect.site.template_groups``); pages of one group
    share its template from two pages on. Output is independent of the mapping's
    order: documents come back sorted by id and entries sorted by
    ``(-count, text, documents)``. Segments are never dropped.

    >>> from syndetect.segment import segment
    >>> one = "Breaking news\\nThe mayor resigned on Monday after a long inquiry into spending.\\n"
    >>> labelled, entries = detect_boilerplate({"a": segment("a", one), "b": segment("b", one)},
    ...                                        BoilerplateConfig())
    >>> entries, any(s.boilerplate for v in labelled.values() for s in v)
    ([], False)
    """
    docs = [_prepare(doc_id, segments[doc_id], config) for doc_id in sorted(segments)]
    if config.shapes:
        for doc in docs:
            _label_shapes(doc)
    return _label_prepared(docs, config, sites)


def prepare_page(
    doc_id: str, segments: Sequence[Segment], config: BoilerplateConfig
) -> PreparedPage:
    """The part of labelling that needs one document only: sentence keys, tokens, shapes.

    ``detect_boilerplate`` is ``detect_boilerplate_prepared`` of each document's
    ``prepare_page``; a caller that labels one document within many different
    groups (the streaming index, each stored article within each neighbourhood it
    is a candidate of) prepares it once. The result is not changed by labelling.
    """
    doc = _prepare(doc_id, segments, config, keep_tokens=True)
    if config.shapes:  # rule 0 needs no corpus: it labels before rule 1 does
        _label_shapes(doc)
    return doc


def restore_page(
    doc_id: str,
    segments: Sequence[Segment],
    tokens: Sequence[list[str]],
    shaped: Iterable[int],
    config: BoilerplateConfig,
) -> PreparedPage:
    """``prepare_page`` from what it computed before: each segment's tokens
    (``tokenize(seg.norm)``) and the indices it labelled by shape (``page_shapes``)."""
    doc = _prepare(doc_id, segments, config, keep_tokens=True, tokens=tokens)
    for i in shaped:
        doc.reasons[i] = doc.reasons[i] or "shape"
    return doc


def page_shapes(page: PreparedPage) -> list[int]:
    """Indices of the segments ``prepare_page`` labelled by shape (rule 0)."""
    return [i for i, r in enumerate(page.reasons) if r == "shape"]


def detect_boilerplate_prepared(
    pages: Mapping[str, PreparedPage],
    config: BoilerplateConfig,
    sites: Mapping[str, SiteKeys] | None = None,
) -> tuple[dict[str, list[Segment]], list[Boilerplate]]:
    """``detect_boilerplate`` of documents already through ``prepare_page`` (same config)."""
    docs = [replace(pages[doc_id], reasons=list(pages[doc_id].reasons))
            for doc_id in sorted(pages)]
    return _label_prepared(docs, config, sites)


def _label_prepared(
    docs: list[_Doc], config: BoilerplateConfig, sites: Mapping[str, SiteKeys] | None
) -> tuple[dict[str, list[Segment]], list[Boilerplate]]:
    """Rules 1 to 4 over documents in id order, their shapes (rule 0) labelled already."""
    template = _corpus_template(docs, config)
    for doc in docs:
        _label_corpus(doc, template)
    for d, site_keys in _site_template(docs, sites or {}, config).items():
        _label_site(docs[d], site_keys)
    for doc in docs:
        _label_in_document(doc, config)

    corpus_grams: set[tuple[str, ...]] = set()
    seen_runs: set[tuple[str, ...]] = set()
    for doc in docs:
        # A template block repeats on every page of its site: take its n-grams once.
        sig = tuple(k for k, r in zip(doc.keys, doc.reasons) if r == "corpus")
        if sig not in seen_runs:
            seen_runs.add(sig)
            corpus_grams |= _run_ngrams(doc, frozenset({"corpus"}), config.run_ngram)
    marks = gram_marks(corpus_grams)
    for doc in docs:
        _label_runs(doc, corpus_grams, config, marks)

    labelled = {
        doc.id: [
            seg.as_boilerplate() if reason and not seg.boilerplate else seg
            for seg, reason in zip(doc.segments, doc.reasons)
        ]
        for doc in docs
    }
    entries = _report(docs)
    if logger.isEnabledFor(logging.INFO):
        counts = Counter(r for doc in docs for r in doc.reasons if r)
        logger.info(
            "boilerplate: %d of %d segments labelled in %d documents (%s); %d entries",
            sum(counts.values()),
            sum(len(d.keys) for d in docs),
            len(docs),
            ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
            len(entries),
        )
    return labelled, entries
