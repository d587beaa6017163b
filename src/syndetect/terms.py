"""Content words and corpus statistics: what a rewrite keeps.

Rewritten sentences keep their content words (names, numbers, nouns, verbs) and
lose their n-grams, so rewrite matching works on *content words*: tokens that are
not function words. Curated stop lists cover English, Spanish and Urdu (short
lists of function words: news content such as "million" or "group" stays). For
every other language, each document's language is recognised by the function
words it is made of (``document_language``: the stopwords-iso list, 58
languages, that covers most of its tokens) and that list is applied to it
(``extra_stop_words``); it works the same for one document or a million, since
it needs no corpus statistics. IDF weights (``Vocabulary``) then weigh down what
stop lists miss. Light folding makes "startups" and "startup" agree.

>>> content_words(["the", "startups", "of", "hangzhou", "in", "2025"])
['startup', 'hangzhou', '2025']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

_EN = """a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other our ours
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours said says say told according also its it's
one two new like would could may might must shall""".split()
_ES = """a al algo como con de del el ella ellas ellos en entre era es esa ese eso esta este esto
fue ha han hay la las le les lo los mas más me mi muy no nos o para pero por que qué se ser si
sin sobre su sus también te tu un una uno unos y ya""".split()
_UR = """اور کے کی کا میں سے نے کو ہے ہیں پر یہ وہ کہ بھی تھا تھی تھے ہو گیا گئی گئے کر کیا
ایک لیے لئے دیا دی ان اس جو تو نہیں جس جن ہوا ہوئے ہوئی رہا رہی رہے والے والی والا ساتھ بعد
تک اپنے اپنی کرنے کرتے سکتا جائے جا ہی یا لیکن مگر اگر اب پھر بہت کہا گا گی گے دیں ہوں تاہم
جبکہ وہاں یہاں کسی کوئی کچھ ہر سب نہ کیے کئے کرے کریں کرنا ہونے جائیں جاتا جاتی جاتے ہوتا ہوتی
ہوتے رہیں تھیں انہوں انہیں اسے اسی انکے ان کے دوران طرف بارے مطابق حوالے""".split()

STOP_WORDS: frozenset[str] = frozenset(_EN + _ES + _UR)

# Languages whose curated list above is used instead of stopwords-iso's (whose English
# list, for one, holds news content: "million", "group", "world", "research").
CURATED_LANGUAGES = frozenset({"en", "es", "ur"})
# A document is in language L when L's function words are at least this share of its
# first ``LANGUAGE_SAMPLE_TOKENS`` tokens: function words make up 40-60% of running text
# in the languages these lists cover, and under 10% in other languages' text.
LANGUAGE_MIN_SHARE = 0.2
LANGUAGE_SAMPLE_TOKENS = 400


@lru_cache(maxsize=1)
def iso_lists() -> dict[str, frozenset[str]]:
    """Function words by language: stopwords-iso's lists as single tokens in matching
    form (numbers left out), with the curated lists added to their languages."""
    import stopwordsiso

    from .segment import normalize, tokenize

    out = {}
    for lang in sorted(stopwordsiso.langs()):
        words = set()
        for w in stopwordsiso.stopwords(lang):
            toks = tokenize(normalize(w))
            if len(toks) == 1 and not toks[0].isdigit():
                words.add(toks[0])
        out[lang] = frozenset(words)
    # The curated lists name their languages too (stopwords-iso's Urdu list is
    # mis-encoded: most of its words are not Urdu spellings).
    for lang, curated in (("en", _EN), ("es", _ES), ("ur", _UR)):
        out[lang] = out.get(lang, frozenset()) | frozenset(curated)
    return out


def document_language(tokens: Sequence[str]) -> str | None:
    """The language whose function words make up most of ``tokens`` (ISO 639-1), or None.

    Only the first ``LANGUAGE_SAMPLE_TOKENS`` tokens are read; a language needs
    ``LANGUAGE_MIN_SHARE`` of them.

    >>> document_language("der minister sagte am dienstag dass die regierung nicht".split())
    'de'
    >>> document_language(["hangzhou", "deepseek"]) is None
    True
    """
    sample = tokens[:LANGUAGE_SAMPLE_TOKENS]
    if not sample:
        return None
    best, best_n = None, 0
    for lang, words in iso_lists().items():
        n = sum(1 for t in sample if t in words)
        if n > best_n:
            best, best_n = lang, n
    return best if best_n >= LANGUAGE_MIN_SHARE * len(sample) else None


def extra_stop_words(language: str | None) -> frozenset[str]:
    """Function words to drop in a document of ``language`` beyond ``STOP_WORDS``."""
    if language is None or language in CURATED_LANGUAGES:
        return frozenset()
    return iso_lists().get(language, frozenset())


def _fold(token: str) -> str:
    """Light, language-neutral folding: Latin plurals ending in -s lose it."""
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss") and token.isascii():
        return token[:-1]
    return token


def content_words(tokens: Iterable[str], stop_words: frozenset[str] = STOP_WORDS) -> list[str]:
    """Tokens that carry content, folded, in order.

    Single letters and stop words are dropped; numbers are kept (they are
    strong evidence of shared facts). Latin-script words need 3 letters.
    """
    out = []
    for tok in tokens:
        if tok in stop_words:
            continue
        if tok.isdigit():
            out.append(tok)
            continue
        if len(tok) < 2 or (tok.isascii() and len(tok) < 3):
            continue
        out.append(_fold(tok))
    return out


@dataclass
class Vocabulary:
    """Document frequencies of content words over a corpus, and IDF weights.

    Candidate selection takes each set's rarest words (``rarest``); IDF weighs
    words in verification.

    >>> v = Vocabulary.from_documents([["liangzhu", "ai"], ["ai", "chip"], ["ai"]])
    >>> v.idf("liangzhu") > v.idf("ai")
    True
    """

    n_docs: int = 0
    df: Counter[str] = field(default_factory=Counter)
    _table: dict[str, float] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_documents(cls, docs: Iterable[Iterable[str]]) -> Vocabulary:
        """Count, for each word, the documents it occurs in."""
        vocab = cls()
        for words in docs:
            vocab.add(words)
        return vocab

    def add(self, words: Iterable[str]) -> None:
        """Count one more document."""
        self._table = None
        self.n_docs += 1
        self.df.update(set(words))

    def remove(self, words: Iterable[str]) -> None:
        """Forget one document counted before."""
        self._table = None
        self.n_docs -= 1
        self.df.subtract(set(words))

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency (>= 1 for a word seen in every document)."""
        return math.log((self.n_docs + 1) / (self.df.get(word, 0) + 1)) + 1.0

    def idf_table(self) -> dict[str, float]:
        """IDF of every counted word, computed once (a plain dict: fast lookups)."""
        if self._table is None:
            base = math.log(self.n_docs + 1)
            self._table = {w: base - math.log(c + 1) + 1.0 for w, c in self.df.items()}
        return self._table

    def rarest(self, words: Iterable[str], k: int, min_df: int = 2) -> list[str]:
        """The ``k`` rarest distinct words among those in at least ``min_df`` documents.

        Rarest means fewest documents (ties by a stable hash). Always up to ``k``
        words however common they are: the rule that picks candidate words holds at
        any corpus size, and a story's own names are never cut away for being in
        many documents.

        >>> v = Vocabulary.from_documents([["kessler", "vote", "city"], ["kessler", "vote"],
        ...                                ["vote", "city"], ["vote"]])
        >>> v.rarest(["vote", "kessler", "city", "solo"], 2)
        ['kessler', 'city']
        """
        from .minhash import token_hash

        df = self.df
        cand = {w for w in words if df.get(w, 0) >= min_df}
        return sorted(cand, key=lambda w: (df[w], token_hash(w)))[:k]

    def weights(self, words: Sequence[str]) -> dict[str, float]:
        """IDF weight of each distinct word."""
        return {w: self.idf(w) for w in set(words)}
