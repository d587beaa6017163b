"""A cheap language guess from the script a text is written in.

Scripts are Unicode's (``regex``'s ``\\p{Script=...}`` classes), not
hand-kept code-point ranges.

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

from collections import Counter
from functools import lru_cache

import regex

SAMPLE_CHARS = 4000
MIN_SHARE = 0.5  # the script must cover at least half of the letters

_URDU_LETTERS = set("\u0679\u0688\u0691\u06ba\u06c1\u06d2")  # ٹ ڈ ڑ ں ہ ے
_PERSIAN_LETTERS = set("\u067e\u0686\u0698\u06af\u06a9\u06cc")  # پ چ ژ گ ک ی
_SCRIPTS = tuple((name, regex.compile(pattern)) for name, pattern in (
    ("arabic", r"\p{Script=Arabic}"),
    ("han", r"\p{Script=Han}"),
    # Japanese kana, with the long-vowel mark (U+30FC), which Unicode files as Common.
    ("kana", r"[\p{Script=Hiragana}\p{Script=Katakana}\u30fc]"),
    ("hangul", r"\p{Script=Hangul}"),
    ("devanagari", r"\p{Script=Devanagari}"),
    ("bengali", r"\p{Script=Bengali}"),
    ("thai", r"\p{Script=Thai}"),
    ("greek", r"\p{Script=Greek}"),
    ("hebrew", r"\p{Script=Hebrew}"),
))
_BY_SCRIPT = {
    "han": "zh",
    "hangul": "ko",
    "devanagari": "hi",
    "bengali": "bn",
    "thai": "th",
    "greek": "el",
    "hebrew": "he",
}


@lru_cache(maxsize=4096)
def _script(char: str) -> str | None:
    return next((name for name, pattern in _SCRIPTS if pattern.match(char)), None)


def guess_language(text: str) -> str | None:
    """ISO 639-1 code suggested by the dominant script of ``text``, or None."""
    sample = text[:SAMPLE_CHARS]
    counts: dict[str, int] = {}
    letters = 0
    for char, n in Counter(sample).items():
        if not char.isalpha():
            continue
        letters += n
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + n
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
