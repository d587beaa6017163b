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
from collections.abc import Iterable

from .segment import normalize, tokenize
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
        before = text[: m.start()].rstrip()
        if not before or before[-1] in _OPENERS:
            continue
        for tok in tokenize(normalize(word)):
            if len(tok) > 1 and tok not in STOP_WORDS and not tok.isdigit():
                out.add(tok)
    return frozenset(out)


def novel(specific: Iterable[str], other_tokens: frozenset[str]) -> frozenset[str]:
    """The specifics absent from every word of the other text."""
    return frozenset(s for s in specific if s not in other_tokens)
