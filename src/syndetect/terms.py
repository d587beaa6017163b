"""Content words and corpus statistics: what a rewrite keeps.

Rewritten sentences keep their content words (names, numbers, nouns, verbs) and
lose their n-grams, so rewrite matching works on *content words*: tokens that are
not function words. Built-in stop lists cover English, Spanish and Urdu; for other
languages, a large enough corpus supplies its own by document frequency (see
``Vocabulary``). Light folding makes "startups" and "startup" agree.

>>> content_words(["the", "startups", "of", "hangzhou", "in", "2025"])
['startup', 'hangzhou', '2025']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
