"""Segmentation: offsets round-trip on arbitrary Unicode, normalisation, tokens, windows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndetect.config import SegmentConfig
from syndetect.segment import normalize, paragraphs, segment, split_sentences, tokenize

# Pieces that stress the splitter: scripts without spaces, Urdu's full stop, emoji
# (astral code points), combining marks, every kind of line break and white space.
_PIECES = [
    "Hello", "world", "Mr.", "U.S.", "Dr.", "3.5", "e\u0301", "n\u0303o",
    "中国经济增长", "。", "！", "？", "「引用」", "日本語", "한국어",
    "پاکستان", "میں", "بارش", "ہوئی", "۔", "؟", "क्या", "।",
    "\U0001f600", "\U0001f44d\U0001f3fd", "\u200b", "\u200c", "\ufeff", "\u00ad",
    " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\u2028", "\u2029", "\x85", "\x0c",
    "\u00a0", "\u3000", ".", "!", "?", "...", "\u2026", '"', "\u201d", ")", "-", "\u2014",
]
texts = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60
).map("".join)


def _check_invariants(text: str, segs: list) -> None:
    prev_end = 0
    prev_para = -1
    for k, s in enumerate(segs):
        assert text[s.start : s.end] == s.text
        assert s.index == k
        assert s.start >= prev_end, "segments overlap or are out of order"
        assert s.end > s.start
        assert s.text.strip(), f"whitespace-only segment {s.text!r}"
        assert s.text == s.text.strip(), "segments are trimmed"
        assert s.paragraph >= prev_para
        assert s.norm == normalize(s.text)
        prev_end, prev_para = s.end, s.paragraph
    # Nothing is lost: every non-space character lies inside some segment.
    covered = [False] * len(text)
    for s in segs:
        covered[s.start : s.end] = [True] * (s.end - s.start)
    missing = [k for k, ch in enumerate(text) if not ch.isspace() and not covered[k]]
    assert not missing, f"characters outside every segment at {missing[:5]}"


@settings(max_examples=300, deadline=None)
@given(texts)
def test_segments_round_trip_on_arbitrary_unicode(text: str) -> None:
    _check_invariants(text, segment("d", text))


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(1, 40), st.integers(1, 4))
def test_offsets_hold_with_windowing(text: str, max_chars: int, window: int) -> None:
    cfg = SegmentConfig(max_paragraph_chars=max_chars, window_sentences=window)
    segs = segment("d", text, cfg)
    _check_invariants(text, segs)
    for p, start, end in paragraphs(segs):
        members = [s for s in segs if s.paragraph == p]
        assert len(members) <= max(window, 1) or end - start <= max_chars
        assert (start, end) == (members[0].start, members[-1].end)


def test_crlf_lines_are_paragraphs_and_offsets_skip_the_cr() -> None:
    text = "First line here.\r\nSecond line. Third one!\r\n\r\nFourth."
    segs = segment("d", text)
    assert [(s.paragraph, s.text) for s in segs] == [
        (0, "First line here."), (1, "Second line."), (1, "Third one!"), (2, "Fourth."),
    ]
    assert all("\r" not in s.text for s in segs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中国经济增长。股市上涨！明天见？", ["中国经济增长。", "股市上涨！", "明天见？"]),
        ("پاکستان میں بارش ہوئی۔ لوگ خوش ہیں۔", ["پاکستان میں بارش ہوئی۔", "لوگ خوش ہیں۔"]),
        ("بارش ہوئی۔لوگ خوش ہیں", ["بارش ہوئی۔", "لوگ خوش ہیں"]),  # no space after ۔
        ("क्या हुआ। सब ठीक है।", ["क्या हुआ।", "सब ठीक है।"]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("Wait... what? Really!", ["Wait...", "what?", "Really!"]),
    ],
)
def test_sentence_ends_in_several_scripts(text: str, expected: list[str]) -> None:
    assert [s.text for s in segment("d", text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith met Dr. Jones in St. Louis on Jan. 5 to sign the deal.",
        "The U.S. economy grew 3.5 percent in the second quarter.",
        "Gen. Asim Munir and Lt. Col. Khan visited the site with J. K. Rowling.",
        "Prices rose at Acme Corp. and Beta Inc. this week.",
    ],
)
def test_abbreviations_do_not_end_sentences(text: str) -> None:
    assert [s.text for s in segment("d", text)] == [text]


def test_abbreviation_inside_a_paragraph_keeps_the_real_break() -> None:
    text = "The U.S. envoy met Mr. Khan. Talks ended at noon."
    assert [s.text for s in segment("d", text)] == [
        "The U.S. envoy met Mr. Khan.", "Talks ended at noon.",
    ]


def test_decimal_point_is_not_a_sentence_end() -> None:
    spans = split_sentences("Growth hit 3.5 percent. Then it fell.", 0, 38)
    assert len(spans) == 2


# --- windows for long one-line blobs -----------------------------------------------


def _blob(n: int) -> tuple[str, list[str]]:
    sentences = [f"Sentence number {k} talks about item {k}." for k in range(n)]
    return " ".join(sentences), sentences


def test_long_blob_is_cut_into_sentence_windows() -> None:
    blob, sentences = _blob(11)
    cfg = SegmentConfig(max_paragraph_chars=100, window_sentences=4)
    assert len(blob) > cfg.max_paragraph_chars
    text = "Intro line.\n" + blob + "\nOutro line."
    segs = segment("d", text, cfg)
    assert [s.text for s in segs] == ["Intro line.", *sentences, "Outro line."]
    paras = [s.paragraph for s in segs]
    # intro, windows of 4 + 4 + 3 sentences, outro: each its own paragraph number.
    assert paras == [0] + [1] * 4 + [2] * 4 + [3] * 3 + [4]


def test_short_line_is_not_windowed() -> None:
    blob, sentences = _blob(11)
    cfg = SegmentConfig(max_paragraph_chars=len(blob), window_sentences=4)
    segs = segment("d", blob, cfg)
    assert len(segs) == 11
    assert {s.paragraph for s in segs} == {0}


def test_default_config_windows_a_real_size_blob() -> None:
    blob, sentences = _blob(60)
    cfg = SegmentConfig()
    assert len(blob) > cfg.max_paragraph_chars
    segs = segment("d", blob)
    sizes = [len([s for s in segs if s.paragraph == p]) for p, _, _ in paragraphs(segs)]
    assert sizes == [cfg.window_sentences] * (60 // cfg.window_sentences)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.integers(1, 6))
def test_window_sizes_property(n: int, window: int) -> None:
    blob, sentences = _blob(n)
    cfg = SegmentConfig(max_paragraph_chars=1, window_sentences=window)
    segs = segment("d", blob, cfg)
    assert [s.text for s in segs] == sentences
    by_para: dict[int, int] = {}
    for s in segs:
        by_para[s.paragraph] = by_para.get(s.paragraph, 0) + 1
    assert list(by_para) == list(range(len(by_para)))  # distinct, consecutive numbers
    expected = [window] * (n // window) + ([n % window] if n % window else [])
    assert list(by_para.values()) == expected


# --- normalize and tokenize ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("start-ups", "startups"),
        ("Start\u2010ups", "startups"),  # Unicode hyphen inside a word
        ("\u201cBoom\u201d", '"boom"'),
        ("\u00abBoom\u00bb", '"boom"'),
        ("it\u2019s", "it's"),
        ("\u2018x\u2019", "'x'"),
        ("a \u2014 b", "a - b"),
        ("a \u2013 b", "a - b"),
        ("\u22125", "-5"),
        ("SHOUTING Headline", "shouting headline"),
        ("Stra\u00dfe", "strasse"),
        ("\uff26\uff55\uff4c\uff4c", "full"),  # full-width letters (NFKC)
        ("co\u00adoperate", "cooperate"),  # soft hyphen
        ("zero\u200bwidth", "zerowidth"),
        ("  many \t\n spaces  ", "many spaces"),
        ("caf\u00e9", "cafe\u0301"),  # composed and decomposed agree
    ],
)
def test_normalize_folds(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_normalize_exact_output() -> None:
    assert normalize("Start-ups \u201cboom\u201d \u2014 OK") == 'startups "boom" - ok'


def test_normalize_keeps_distinct_words_apart() -> None:
    assert normalize("start ups") != normalize("startups")
    assert normalize("re-sign") == normalize("resign")  # the documented trade-off
    assert normalize("a - b") == "a - b"  # a spaced dash is not a word hyphen


@settings(max_examples=200, deadline=None)
@given(texts)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_tokenize_splits_cjk_into_characters() -> None:
    assert tokenize(normalize("AI发展很快 in 2025")) == ["ai", "发", "展", "很", "快", "in", "2025"]
    assert tokenize("日本語とカタカナ") == ["日", "本", "語", "と", "カ", "タ", "カ", "ナ"]
    assert tokenize("한국어") == ["한", "국", "어"]


def test_tokenize_keeps_urdu_words_whole() -> None:
    text = normalize("وزیراعظم شہباز شریف نے کہا۔")
    assert tokenize(text) == ["وزیراعظم", "شہباز", "شریف", "نے", "کہا"]
    # A zero-width non-joiner is part of a Persian/Urdu word, not a break.
    assert tokenize("می\u200cخواهم") == ["می\u200cخواهم"]


def test_tokenize_drops_punctuation_and_keeps_numbers() -> None:
    assert tokenize(normalize("Rs 12,000 (approx.) for U.S. startups!")) == [
        "rs", "12", "000", "approx", "for", "u", "s", "startups",
    ]


# The plain-text fast paths (no hyphen, no CJK character, no white space before an
# abbreviation's dot) must give exactly what the general rules give.
def _normalize_reference(text: str) -> str:
    import re
    import unicodedata

    from syndetect.segment import _QUOTES, _WORD_HYPHEN

    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", _WORD_HYPHEN.sub("", text)).strip()


def _split_reference(text: str, start: int, end: int) -> list[tuple[int, int]]:
    from syndetect.segment import _NO_BREAK, _SENT_END

    chunk, cut, spans = text[start:end], 0, []
    for m in _SENT_END.finditer(chunk):
        if chunk[m.start()] == "." and _NO_BREAK.search(chunk[cut : m.start() + 1]):
            continue
        spans.append((cut, m.end()))
        cut = m.end()
    if cut < len(chunk):
        spans.append((cut, len(chunk)))
    out = []
    for s, e in spans:
        piece = chunk[s:e]
        lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
        if e - trail > s + lead:
            out.append((start + s + lead, start + e - trail))
    return out


_ABBREVIATED = st.lists(
    st.sampled_from(["Mr.", "Dr.", "U.S.", "J. R. R.", "No. 5.", "e.g.", "x.y", "Sept.",
                     "Hello world!", '"Quote."', "(Mr.)", "St.Louis", "\u3002Mr.", "\u06d4Dr.",
                     "co-\nop", "start-ups", "\u53d1\u5c55", "word", " ", "\n", "\t", "\u2028",
                     "\x1c", "\u00a0", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "a\u200db"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, _ABBREVIATED))
def test_fast_paths_agree_with_the_general_rules(text: str) -> None:
    from syndetect.segment import _TOKEN

    assert normalize(text) == _normalize_reference(text)
    assert tokenize(text) == _TOKEN.findall(text)
    assert tokenize(normalize(text)) == _TOKEN.findall(_normalize_reference(text))
    assert split_sentences(text, 0, len(text)) == _split_reference(text, 0, len(text))
    cut = len(text) // 3
    assert split_sentences(text, cut, len(text)) == _split_reference(text, cut, len(text))
