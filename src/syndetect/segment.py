"""Normalise and split text into paragraphs and sentences, keeping offsets.

Paragraphs come from line structure. Hard-wrapped text (wire copy, e-mail and
archives break lines at 60-100 columns mid-sentence) is unwrapped first: a line
that was broken only because the next word did not fit joins the next line, so
that sentences and paragraphs come out as in the unwrapped text (``wrapped_lines``).
A very long one-line blob (an aggregator's "related articles" section is often a
whole article on one line) is cut into windows of a few sentences, each its own
paragraph, so that one blob cannot stand for a whole story. Sentences end at ``. ! ?`` and their equivalents in other
scripts (Urdu ``۔``, Arabic ``؟``, CJK ``。！？``, Devanagari ``।``).

>>> segs = segment("a", "First line here.\\nSecond one. And a third!")
>>> [(s.paragraph, s.text) for s in segs]
[(0, 'First line here.'), (1, 'Second one.'), (1, 'And a third!')]
>>> normalize("Start-ups \u201cboom\u201d \u2014 ok")
'startups "boom" - ok'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .config import SegmentConfig
from .types import Segment

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00ad": None, "\u200b": None, "\ufeff": None,
    }
)
_WORD_HYPHEN = re.compile(r"(?<=\w)-(?:[ \t]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])\s*)?(?=\w)")

# Sentence ends: terminal mark, optional closing quotes/brackets, then space or end.
# Marks used without a following space in their scripts (CJK, Urdu) end a sentence anyway.
_SENT_END = re.compile(
    r"""(?:[.!?…]+['"\u2019\u201d)\]]*(?=\s+|$))"""
    r"""|(?:[\u06d4\u061f\u0964\u0965\u3002\uff01\uff1f]+['"\u2019\u201d)\]\u300d\u300f]*)"""
)
# Abbreviations and initials whose dot does not end a sentence.
_NO_BREAK = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Rev|Hon|Inc|Co|Corp|Ltd|"
    r"No|Nos|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|Fig|Vol)"
    r"|\b[A-Z](?:\.[A-Z])*)\.$"
)
_CJK = (
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
    r"\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
)
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[\w\u200c\u200d])+")
# Without a character of those scripts a token is a plain run of word characters; the
# lookahead above costs a test per character, and most text has no such character.
_HAS_CJK = re.compile(rf"[{_CJK}]")
_PLAIN_TOKEN = re.compile(r"[\w\u200c\u200d]+")


def normalize(text: str) -> str:
    """The matching form of ``text``: NFKC, case-folded, unified quotes, dashes and spaces.

    Hyphens inside words are dropped so that "start-ups" and "startups" agree.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    if "-" in text:
        text = _WORD_HYPHEN.sub("", text)
    return " ".join(text.split())  # str.split and re's \s agree on what white space is


def tokenize(norm: str) -> list[str]:
    """Word tokens of normalised text; CJK, Thai, Lao, Burmese and Khmer give one token a character.

    >>> tokenize("ai 发展很快 in 2025")
    ['ai', '发', '展', '很', '快', 'in', '2025']
    """
    if _HAS_CJK.search(norm) is None:
        return _PLAIN_TOKEN.findall(norm)
    return _TOKEN.findall(norm)


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # first non-space character
    end: int  # after the last non-space character
    indent: int  # leading white space, in characters
    after_blank: bool  # a blank line (or the text's start) comes before it

    @property
    def width(self) -> int:
        return self.indent + self.end - self.start


def _lines(text: str) -> list[_Line]:
    """Each non-blank line, stripped of surrounding white space."""
    out: list[_Line] = []
    pos = 0
    blank = True
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        lead = len(line) - len(line.lstrip())
        out.append(_Line(start + lead, start + lead + len(stripped), lead, blank))
        blank = False
    return out


# A bullet or numbered list item: it starts a new line even in wrapped text.
_LIST_ITEM = re.compile(r"(?:[-*+\u2022\u00b7\u2023\u25aa\u25e6]|\(?\d{1,3}[.)]|\(?[a-z]\))\s")
# A line that ends a sentence (or a heading/label that ends with a colon).
_LINE_END = re.compile(
    r"""[.!?:;\u2026\u06d4\u061f\u0964\u0965\u3002\uff01\uff1f]['"\u2019\u201d)\]]*$"""
)
# Widths text is wrapped at: below 30 columns lines are labels, not prose; beyond
# 250 nobody wraps (those are one-paragraph-per-line texts).
_MIN_WRAP, _MAX_WRAP = 30, 250


def wrap_width(text: str, lines: list[_Line] | None = None) -> int | None:
    """The column ``text`` was hard-wrapped at, or None when it is not hard-wrapped.

    A wrapped text has one dominant line width W (the 90th percentile of its line
    widths, between 30 and 250 columns): few lines run past it (URLs, tables),
    most lines come close to it (a wrapper fills each line until the next word
    does not fit, so lines fall short of W by at most one word), and most of those
    full lines end mid-sentence. One-paragraph-per-line text (lines of hundreds of
    characters) and one-sentence-per-line text (every line ends a sentence) are
    not wrapped.

    >>> import textwrap
    >>> prose = "The minister said the tax would rise next year, and that it was needed. " * 6
    >>> wrap_width(textwrap.fill(prose, 70)) in range(60, 71)
    True
    >>> wrap_width(prose) is None
    True
    """
    lines = _lines(text) if lines is None else lines
    if len(lines) < 3:
        return None
    widths = sorted(line.width for line in lines)
    w = widths[int(0.9 * (len(widths) - 1))]
    if not _MIN_WRAP <= w <= _MAX_WRAP:
        return None
    over = sum(1 for x in widths if x > 1.15 * w)
    full = [line for line in lines if 0.75 * w <= line.width <= 1.15 * w]
    open_ended = sum(1 for line in full if not _LINE_END.search(text[line.start : line.end]))
    if over > 0.1 * len(lines) or len(full) < 0.5 * len(lines) or open_ended < 0.5 * len(full):
        return None
    return w


def _continues(text: str, head: _Line, cur: _Line, nxt: _Line, width: int, base: int) -> bool:
    """Whether ``nxt`` continues the paragraph that ``head`` starts and ``cur`` ends.

    ``width`` is the wrap width and ``base`` the usual indentation of the text's
    lines: a line indented beyond it starts a paragraph (wire copy without blank
    lines), except under a list item, whose wrapped lines hang indented.
    """
    if nxt.after_blank or _LIST_ITEM.match(text, nxt.start):
        return False
    if _LIST_ITEM.match(text, head.start):
        if nxt.indent <= head.indent:
            return False  # a list item's wrapped lines hang indented; this one does not
    elif nxt.indent > base:
        return False
    first = text[nxt.start : nxt.end].split(maxsplit=1)[0]
    needed = cur.width + 1 + len(first)  # the width had the next word stayed on this line
    if _LINE_END.search(text[cur.start : cur.end]):
        # A sentence ends here: a new paragraph unless the next word could not fit.
        return needed > width
    # Mid-sentence: broken for width unless the line is clearly short.
    return needed > 0.75 * width


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: a non-blank line, or wrapped lines joined.

    >>> paragraph_spans("Title\\n\\nOne line.\\nAnother line.")
    [(0, 5), (7, 16), (17, 30)]
    """
    lines = _lines(text)
    width = wrap_width(text, lines)
    if width is None:
        return [(line.start, line.end) for line in lines]
    base = Counter(line.indent for line in lines).most_common(1)[0][0]
    spans: list[tuple[int, int]] = []
    head = lines[0]
    for k, line in enumerate(lines):
        if k and _continues(text, head, lines[k - 1], line, width, base):
            spans[-1] = (spans[-1][0], line.end)
        else:
            spans.append((line.start, line.end))
            head = line
    return spans


def char_before(text: str, pos: int) -> int:
    """Index of the last character before ``pos`` that is not white space, or -1.

    >>> char_before("Said:   He", 8)
    4
    """
    k = pos - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k


def _last_space(text: str, lo: int, hi: int) -> int:
    """Index of the last white-space character in ``text[lo:hi]``, or -1."""
    k = hi - 1
    while k >= lo and not text[k].isspace():
        k -= 1
    return k if k >= lo else -1


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence (start, end) spans within ``text[start:end]``, trimmed of white space."""
    spans: list[tuple[int, int]] = []
    chunk = text[start:end]
    cut = 0
    for m in _SENT_END.finditer(chunk):
        stop = m.end()
        dot = m.start()
        # An abbreviation or initials hold no white space: read from the last space on
        # (before it, or at ``cut``, stands a character that is no word character).
        if chunk[dot] == "." and _NO_BREAK.search(
                chunk, max(cut, _last_space(chunk, cut, dot) + 1), dot + 1):
            continue
        spans.append((cut, stop))
        cut = stop
    if cut < len(chunk):
        spans.append((cut, len(chunk)))
    out = []
    for s, e in spans:
        piece = chunk[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if e - trail > s + lead:
            out.append((start + s + lead, start + e - trail))
    return out


def segment(doc_id: str, text: str, config: SegmentConfig | None = None) -> list[Segment]:
    """Sentences of ``text`` with paragraph numbers and offsets into ``text``.

    Every segment satisfies ``text[seg.start:seg.end] == seg.text``.
    """
    config = config or SegmentConfig()
    out: list[Segment] = []
    paragraph = 0
    for para_start, para_end in paragraph_spans(text):
        sentences = split_sentences(text, para_start, para_end)
        if para_end - para_start > config.max_paragraph_chars:
            groups = [
                sentences[i : i + config.window_sentences]
                for i in range(0, len(sentences), config.window_sentences)
            ]
        else:
            groups = [sentences]
        for group in groups:
            for s, e in group:
                piece = text[s:e]
                out.append(
                    Segment(
                        doc_id=doc_id,
                        index=len(out),
                        paragraph=paragraph,
                        start=s,
                        end=e,
                        text=piece,
                        norm=normalize(piece),
                    )
                )
            paragraph += 1
    return out


def paragraphs(segments: list[Segment]) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of each paragraph, from its sentences."""
    spans: dict[int, list[int]] = {}
    for seg in segments:
        if seg.paragraph in spans:
            spans[seg.paragraph][1] = seg.end
        else:
            spans[seg.paragraph] = [seg.start, seg.end]
    return [(p, s, e) for p, (s, e) in sorted(spans.items())]
