"""What a verified sentence match says about reuse: quotations and specifics.

Two facts about news decide whether a sentence match is evidence that one text
was built from the other:

* A speaker's quotation is printed word for word by every outlet that covers the
  speech, so words inside quotation marks are shared by independent reports.
  A match whose shared words lie inside quotes on either side (``quote_only``)
  shows that both texts quote one person, not that one copied the other.
* Stories of the same kind are told in the same words ("A suicide bomber killed
  30 people ...", "condemned the bombing and ordered an inquiry"), but with
  different specifics: numbers, places, people. A match in which each sentence
  carries a specific that the *other text does not contain anywhere*
  (``conflicting``) pairs two different events; a rewrite keeps the specifics of
  its source, or drops them, but does not replace them with others.

Both work on the normalised sentence text (``Segment.norm``) and the original
text (for capital letters); neither needs language-specific lists beyond the
content-word filter of ``terms.py``.

>>> sorted(quoted_words('"we will not raise taxes," reeves said.'))
['raise', 'taxe']
>>> sorted(specifics("The bomber killed 30 people in Tuz Khurmato, police said."))
['30', 'khurmato', 'tuz']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .align import SentencePair, _lis_length, passage_groups
from .columns import RowColumns
from .config import AlignConfig
from .segment import char_before, normalize, tokenize
from .table import SentenceTable
from .terms import STOP_WORDS, content_words

# After ``normalize`` every double quotation mark is '"'.
_QUOTE = '"'
# A word of the original text that may be a name.
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# After these, any word is capitalised: sentence ends, quotation marks, brackets, colons.
_OPENERS = frozenset(".!?:;\"'\u2018\u201c\u00ab([{-\u2013\u2014")


def quoted_spans(norm: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of a normalised sentence inside double quotes.

    A quotation may open in one sentence and close in a later one: an unpaired
    mark that opens (at the start or after a space) quotes the rest of the
    sentence; one that closes quotes everything before it.

    >>> quoted_spans('he said "no more" today')
    [(9, 16)]
    >>> quoted_spans('"first of two sentences.')
    [(1, 24)]
    >>> quoted_spans('end of a quote," he said.')
    [(0, 15)]
    """
    marks = [m.start() for m in re.finditer(_QUOTE, norm)]
    spans: list[tuple[int, int]] = []
    if len(marks) % 2:
        first = marks[0]
        if first == 0 or norm[first - 1].isspace():
            # Opening mark: pairs are (0,1), (2,3) ...; the last one quotes to the end.
            marks.append(len(norm) + 1)
        else:
            # The first mark closes a quotation opened in an earlier sentence.
            spans.append((0, first))
            marks = marks[1:]
    for a, b in zip(marks[::2], marks[1::2], strict=True):
        spans.append((a + 1, min(b, len(norm))))
    return spans


def quoted_words(norm: str) -> frozenset[str]:
    """Content words of a normalised sentence that lie inside quotation marks."""
    words: list[str] = []
    for a, b in quoted_spans(norm):
        words.extend(content_words(tokenize(norm[a:b])))
    return frozenset(words)


def unquoted_words(norm: str) -> frozenset[str]:
    """Content words of a normalised sentence outside quotation marks."""
    spans = quoted_spans(norm)
    if not spans:
        return frozenset(content_words(tokenize(norm)))
    parts, pos = [], 0
    for a, b in spans:
        parts.append(norm[pos:max(pos, a - 1)])
        pos = b + 1
    parts.append(norm[pos:])
    return frozenset(content_words(tokenize(" ".join(parts))))


def specifics(text: str) -> frozenset[str]:
    """Numbers and names in a sentence: what tells one event from another of its kind.

    Names are capitalised words that do not open the sentence, a quotation or a
    clause after a colon (where any word is capitalised) and are not function
    words; scripts without letter case contribute numbers only. Returned in
    matching form.
    """
    out: set[str] = set()
    for tok in tokenize(normalize(text)):
        if tok.isdigit():
            out.add(tok)
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[:1].isupper():
            continue
        k = char_before(text, m.start())
        if k < 0 or text[k] in _OPENERS:
            continue
        for tok in tokenize(normalize(word)):
            if len(tok) > 1 and tok not in STOP_WORDS and not tok.isdigit():
                out.add(tok)
    return frozenset(out)


def novel(specific: Iterable[str], other_tokens: frozenset[str]) -> frozenset[str]:
    """The specifics absent from every word of the other text."""
    return frozenset(s for s in specific if s not in other_tokens)


DOC_TOKEN_SETS = 4096
"""Documents whose token-id sets ``MatchEvidence`` keeps (a few tens of MB)."""

ROW_CACHE = 1 << 16
"""Rows whose quoted words (and, apart, specifics) ``MatchEvidence`` keeps; past it the
cache starts again. Pairs come sorted by document, so a row is met again within its
document's pairs, not across the corpus: a cache of every matched row held 74k rows'
sets at 10k articles (34 MB) and grew with the corpus in every deciding process."""


@dataclass
class MatchEvidence:
    """Per-row quotation and specifics caches for one corpus's pair decisions.

    A match *supports* derivation unless it is ``quote_only`` (the words the two
    sentences share outside quotation marks are fewer than ``min_shared_words``:
    both quote one speaker) or ``conflicting`` (each sentence names a number or a
    name that the other text never mentions: two events of one kind). See
    ``syndetect.evidence``. ``texts`` maps each document id to its text (a row's
    original text is the slice its offsets give).
    """

    table: SentenceTable
    texts: Mapping[str, str]
    rows: RowColumns = field(init=False)
    _quoted: dict[int, frozenset[str]] = field(default_factory=dict)
    _specific: dict[int, frozenset[str]] = field(default_factory=dict)
    _doc_tokens: dict[str, frozenset[int]] = field(default_factory=dict)
    _tok_index: dict[str, int] | None = None

    def __post_init__(self) -> None:
        self.rows = self.table.columns()

    def quoted(self, row: int) -> frozenset[str]:
        got = self._quoted.get(row)
        if got is None:
            if len(self._quoted) >= ROW_CACHE:
                self._quoted.clear()
            got = self._quoted[row] = quoted_words(self.rows.norm(row))
        return got

    def specific(self, row: int) -> frozenset[str]:
        got = self._specific.get(row)
        if got is None:
            if len(self._specific) >= ROW_CACHE:
                self._specific.clear()
            rows = self.rows
            text = self.texts[rows.doc_id(row)][int(rows.start[row]):int(rows.end[row])]
            got = self._specific[row] = specifics(text)
        return got

    def doc_tokens(self, doc_id: str) -> frozenset[int]:
        """The distinct token ids of a document's rows. The last ``DOC_TOKEN_SETS``
        documents' sets are kept: pairs come sorted by document, so a document's set
        is reused across its pairs, and a set for every document of a 100k corpus
        would hold gigabytes."""
        got = self._doc_tokens.get(doc_id)
        if got is None:
            t = self.table
            rows = t.doc_rows[doc_id]
            got = frozenset(t.tok_ids[t.tok_ptr[rows.start]:t.tok_ptr[rows.stop]].tolist())
            if len(self._doc_tokens) >= DOC_TOKEN_SETS:
                del self._doc_tokens[next(iter(self._doc_tokens))]
            self._doc_tokens[doc_id] = got
        return got

    def novel(self, row: int, other_doc: str) -> frozenset[str]:
        """Specifics of sentence ``row`` that the document ``other_doc`` never mentions."""
        specific = self.specific(row)
        if not specific:
            return specific
        if self._tok_index is None:
            self._tok_index = {w: k for k, w in enumerate(self.table.tokens_by_id)}
        index, toks = self._tok_index, self.doc_tokens(other_doc)
        return frozenset(s for s in specific if index.get(s, -1) not in toks)

    def quote_only(self, p: SentencePair, min_shared: int) -> bool:
        qi, qj = self.quoted(p.i), self.quoted(p.j)
        if not qi and not qj:
            return False
        t = self.table  # the rows' sorted distinct word ids; no Python sets for all rows
        shared = np.intersect1d(t.row_wids[t.row_ptr[p.i]:t.row_ptr[p.i + 1]],
                                t.row_wids[t.row_ptr[p.j]:t.row_ptr[p.j + 1]], assume_unique=True)
        by_id = t.words_by_id
        return sum(1 for k in shared.tolist() if by_id[k] not in qi and by_id[k] not in qj) \
            < min_shared

    def conflicting(self, p: SentencePair, da: str, db: str) -> bool:
        return bool(self.novel(p.i, db)) and bool(self.novel(p.j, da))

    def split(
        self, matches: Sequence[SentencePair], da: str, db: str, align: AlignConfig
    ) -> tuple[list[SentencePair], int, int]:
        """(supporting matches, number quote-only, number conflicting).

        A quotation or a changed number inside a passage that is otherwise
        supported (a copy that updates the death toll, a copied paragraph with
        its quote) belongs to that passage and supports with it.
        """
        n_quote, n_conflict = 0, 0
        support: list[SentencePair] = []
        for group in passage_groups(matches, self.rows, align):
            clean = False
            for p in group:
                if self.quote_only(p, align.min_shared_words):
                    n_quote += 1
                elif self.conflicting(p, da, db):
                    n_conflict += 1
                else:
                    clean = True
            if clean:
                support.extend(group)
        return support, n_quote, n_conflict


def _chain_length(points: Sequence[tuple[int, int]]) -> int:
    """Longest chain of points strictly increasing in both coordinates (sorted by the
    first, ties by the second descending, so equal firsts never chain)."""
    return _lis_length([j for _, j in sorted(set(points), key=lambda q: (q[0], -q[1]))],
                       strict=True)


def passage_evidence(
    support: Sequence[SentencePair], rows: RowColumns, align: AlignConfig
) -> tuple[int, int, int]:
    """(longest near-verbatim passage in characters, longest ordered anchor chain, anchors).

    Near-verbatim passages are runs of sentence matches whose character similarity
    reaches ``align.near_verbatim_similarity``; a passage's length is that of its
    shorter side.
    The chain counts anchor matches in the same order on both sides; the third value
    is the number of distinct anchor matches it was drawn from.
    """
    longest = 0
    close = [p for p in support if p.char_ratio >= align.near_verbatim_similarity]
    for g in passage_groups(close, rows, align):
        ia = np.array([p.i for p in g], dtype=np.int64)
        jb = np.array([p.j for p in g], dtype=np.int64)
        a = int(rows.end[ia].max() - rows.start[ia].min())
        b = int(rows.end[jb].max() - rows.start[jb].min())
        longest = max(longest, min(a, b))
    anchor = [p for p in support if p.is_anchor(align)]
    anchors = list(zip(rows.positions([p.i for p in anchor]),
                       rows.positions([p.j for p in anchor]), strict=True))
    return longest, _chain_length(anchors), len(set(anchors))


def lifted_passages(
    matches: Sequence[SentencePair], rows: RowColumns, align: AlignConfig
) -> list[SentencePair]:
    """The matches worth reporting for a pair derived by a lifted passage.

    Around a lifted passage the two texts are independent, and single loose sentence
    matches there (same topic, same genre) are not reuse: kept are near-verbatim
    matches and runs of two or more matched sentences (a rewritten passage).
    """
    out: list[SentencePair] = []
    for g in passage_groups(matches, rows, align):
        if len(g) >= 2 or g[0].char_ratio >= align.near_verbatim_similarity:
            out.extend(g)
    return out
