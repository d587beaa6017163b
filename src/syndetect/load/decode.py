"""Bytes -> text, with a stated fallback, and a cheap binary sniff.

UTF-8 first (a byte-order mark is dropped). Invalid UTF-8 is decoded as cp1252,
the usual culprit in scraped Western pages, and if even that fails as latin-1,
which accepts any byte. The codec used is reported so that the document can
say so. Line ends are unified to ``\\n`` because later stages split on lines.

>>> decode_text("café".encode("cp1252"))
Decoded(text='café', encoding='cp1252')
>>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
True
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

SNIFF_BYTES = 8192
"""How much of the start of a file the binary sniff looks at."""

_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\b\x1b")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the codec that produced it ("utf-8" when nothing was needed)."""

    text: str
    encoding: str

    @property
    def fallback(self) -> bool:
        """True when the bytes were not valid UTF-8 (or UTF-16 with a BOM)."""
        return self.encoding not in ("utf-8", "utf-16")


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or over 30% control bytes.

    UTF-16 text with a byte-order mark has NUL bytes but is text.

    >>> looks_binary(b"plain words\\n")
    False
    """
    head = data[:SNIFF_BYTES]
    if not head or head.startswith(_UTF16_BOMS):
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b in _CONTROL)
    return control > 0.3 * len(head)


def decode_text(data: bytes) -> Decoded:
    """Decode ``data``: UTF-8 (BOM dropped), UTF-16 with a BOM, else cp1252, else latin-1.

    >>> decode_text(b"\\xef\\xbb\\xbfhi\\r\\nthere")
    Decoded(text='hi\\nthere', encoding='utf-8')
    """
    if data.startswith(_UTF16_BOMS):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1", errors="replace"), "latin-1"
    return Decoded(text=normalize_newlines(text), encoding=encoding)


def normalize_newlines(text: str) -> str:
    r"""Turn ``\r\n`` and lone ``\r`` into ``\n``.

    >>> normalize_newlines("a\r\nb\rc")
    'a\nb\nc'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")
