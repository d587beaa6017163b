"""Normalise and split text into paragraphs and sentences, keeping offsets.

Paragraphs come from line structure. A very long one-line blob (an aggregator's
"related articles" section is often a whole article on one line) is cut into
windows of a few sentences, each its own paragraph, so that one blob cannot stand
for a whole story. Sentences end at ``. ! ?`` and their equivalents in other
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
from collections.abc import Iterator

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
_WORD_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_SPACE = re.compile(r"\s+")

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


def normalize(text: str) -> str:
    """The matching form of ``text``: NFKC, case-folded, unified quotes, dashes and spaces.

    Hyphens inside words are dropped so that "start-ups" and "startups" agree.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _WORD_HYPHEN.sub("", text)
    return _SPACE.sub(" ", text).strip()


def tokenize(norm: str) -> list[str]:
    """Word tokens of normalised text; CJK, Thai, Lao, Burmese and Khmer give one token a character.

    >>> tokenize("ai 发展很快 in 2025")
    ['ai', '发', '展', '很', '快', 'in', '2025']
    """
    return _TOKEN.findall(norm)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped of surrounding white space."""
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        s = start + lead
        yield s, s + len(stripped)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence (start, end) spans within ``text[start:end]``, trimmed of white space."""
    spans: list[tuple[int, int]] = []
    chunk = text[start:end]
    cut = 0
    for m in _SENT_END.finditer(chunk):
        stop = m.end()
        if chunk[m.start()] == "." and _NO_BREAK.search(chunk[cut : m.start() + 1]):
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
    for line_start, line_end in _lines(text):
        sentences = split_sentences(text, line_start, line_end)
        if line_end - line_start > config.max_paragraph_chars:
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
