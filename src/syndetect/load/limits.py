"""Size limits of the loaders: what one document, one record and one file may cost.

A news article is a few kilobytes of text inside at most a few megabytes of
HTML; anything far bigger is not an article but a dump, a mistake or an attack
(a decompression bomb: a small gzip member that expands to gigabytes). Every
loader streams its input and stops at these limits, so a hostile file costs a
bounded amount of memory and time and becomes a ``too_large`` or
``decompression_limit`` row, never a crash.

>>> MAX_DOCUMENT_BYTES // (1 << 20), MAX_EXPANSION
(16, 20)
"""

from __future__ import annotations

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""Bytes of one document: a .txt or .html file, a JSONL line, a WARC record or its
decoded HTTP payload. The heaviest news pages weigh about 2 MB of HTML (scripts
and inline images included); 16 MiB leaves them eight times that."""

MAX_HEADER_BYTES = 64 * 1024
"""Bytes of one WARC record's header block: a few hundred bytes in practice."""

MAX_EXPANSION = 20
"""Most a compressed file may expand, as decompressed bytes per compressed byte:
gzip shrinks HTML and HTTP headers 4-10 times; 20 times and more is padding
made to expand (a million zeros compress to about a kilobyte)."""

MIN_EXPANSION_BUDGET = 1024 * 1024 * 1024
"""Decompressed bytes any compressed file may produce whatever its size: small
archives of small pages are judged by :data:`MAX_EXPANSION` only past this."""

MAX_MESSAGE_CHARS = 300
"""Characters of a problem message: enough to name the input and the fault,
never enough to carry a payload into the report or the terminal."""


def expansion_budget(compressed_bytes: int) -> int:
    """Decompressed bytes a compressed file of ``compressed_bytes`` may produce.

    >>> expansion_budget(10) == MIN_EXPANSION_BUDGET
    True
    >>> expansion_budget(100 * 1024 * 1024) // (1 << 20)
    2000
    """
    return max(MIN_EXPANSION_BUDGET, MAX_EXPANSION * compressed_bytes)


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, marked with an ellipsis when cut.

    >>> clip("x" * 10, 5)
    'xxxx…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
