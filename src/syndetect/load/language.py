"""A cheap language guess from the script a text is written in.

Only scripts that (nearly) pin a language are named; Latin and Cyrillic text
gets ``None`` rather than a guess. Arabic-script text is Urdu when it uses
letters only Urdu uses, Persian when it uses Persian letters, else Arabic.

>>> guess_language("پاکستان میں بارش ہوئی اور لوگ گھروں سے نکلے")
'ur'
>>> guess_language("中国的人工智能")
'zh'
>>> guess_language("Plain English text") is None
True
"""

from __future__ import annotations

SAMPLE_CHARS = 4000
MIN_SHARE = 0.5  # the script must cover at least half of the letters

_URDU_LETTERS = set("\u0679\u0688\u0691\u06ba\u06c1\u06d2")  # ٹ ڈ ڑ ں ہ ے
_PERSIAN_LETTERS = set("\u067e\u0686\u0698\u06af\u06a9\u06cc")  # پ چ ژ گ ک ی
_SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("arabic", 0x0600, 0x06FF),
    ("arabic", 0x0750, 0x077F),
    ("arabic", 0xFB50, 0xFDFF),
    ("arabic", 0xFE70, 0xFEFF),
    ("han", 0x4E00, 0x9FFF),
    ("han", 0x3400, 0x4DBF),
    ("kana", 0x3040, 0x30FF),
    ("hangul", 0xAC00, 0xD7AF),
    ("devanagari", 0x0900, 0x097F),
    ("bengali", 0x0980, 0x09FF),
    ("thai", 0x0E00, 0x0E7F),
    ("greek", 0x0370, 0x03FF),
    ("hebrew", 0x0590, 0x05FF),
)
_BY_SCRIPT = {
    "han": "zh",
    "hangul": "ko",
    "devanagari": "hi",
    "bengali": "bn",
    "thai": "th",
    "greek": "el",
    "hebrew": "he",
}


def _script(char: str) -> str | None:
    code = ord(char)
    for name, low, high in _SCRIPTS:
        if low <= code <= high:
            return name
    return None


def guess_language(text: str) -> str | None:
    """ISO 639-1 code suggested by the dominant script of ``text``, or None."""
    sample = text[:SAMPLE_CHARS]
    counts: dict[str, int] = {}
    letters = 0
    for char in sample:
        if not char.isalpha():
            continue
        letters += 1
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts or not letters:
        return None
    if (
        counts.get("kana", 0)
        and counts.get("kana", 0) + counts.get("han", 0) >= MIN_SHARE * letters
    ):
        return "ja"  # Japanese mixes kana with Han characters
    script, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    if count < MIN_SHARE * letters:
        return None
    if script == "arabic":
        chars = set(sample)
        if chars & _URDU_LETTERS:
            return "ur"
        return "fa" if chars & _PERSIAN_LETTERS else "ar"
    return _BY_SCRIPT.get(script)
