"""Sentence rows as columns: what pair decisions read of each ``Segment``.

Pair decisions run in forked workers (``parallel.map_ranges``). A child shares the
parent's memory until it writes to a page, and reading a Python object writes its
reference count: a worker that reads ``rows[k].norm`` for the sentences of its pairs
copies every page holding those ``Segment`` objects and their strings, which across
a corpus is most of them (about 1.5 GB per worker at 100k articles). ``RowColumns``
holds the same fields as numpy arrays and the normalised texts as one UTF-8 buffer
sliced when read, so a worker touches a handful of objects whatever the corpus size.

>>> from syndetect.segment import segment
>>> cols = RowColumns.of(segment("d", "One here. Two “there”."))
>>> len(cols), cols.doc_id(1), cols.norm(1), cols.norms(np.array([1, 0]))
(2, 'd', 'two "there".', ['two "there".', 'one here.'])
>>> cols.position.tolist(), cols.start.tolist(), cols.end.tolist()
([0, 1], [0, 10], [9, 22])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .types import Segment

_CHUNK = 1 << 16
"""Rows encoded at once while the buffer is filled (their bytes objects are temporary)."""


def _encode(text: str) -> bytes:
    """UTF-8 that keeps a lone surrogate (a ``Document`` made in Python may hold one)."""
    return text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True, eq=False)
class RowColumns:
    """Segment fields by global row number (see the module).

    ``owner[k]`` numbers row ``k``'s document in ``doc_ids``; ``position`` and
    ``paragraph`` are ``Segment.index`` and ``Segment.paragraph``; ``start``/``end``
    the offsets into the document's text; ``norm(k)`` is ``Segment.norm``.
    """

    doc_ids: Sequence[str]
    owner: np.ndarray
    position: np.ndarray
    paragraph: np.ndarray
    start: np.ndarray
    end: np.ndarray
    norm_utf8: bytearray
    norm_ptr: np.ndarray

    @classmethod
    def of(
        cls,
        segments: Sequence[Segment],
        numbered: tuple[Sequence[str], np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> RowColumns:
        """The columns of ``segments`` (documents numbered in order of first row).

        ``numbered`` gives ``(doc_ids, owner, position, paragraph)`` already computed
        (a ``SentenceTable`` holds them), so that only offsets and norms are read here.
        """
        n = len(segments)

        def column(field: str) -> np.ndarray:
            return np.fromiter((getattr(s, field) for s in segments), dtype=np.int64, count=n)

        if numbered is None:
            number: dict[str, int] = {}
            owner = np.fromiter((number.setdefault(s.doc_id, len(number)) for s in segments),
                                dtype=np.int64, count=n)
            numbered = (list(number), owner, column("index"), column("paragraph"))
        # Byte lengths first, so the buffer is allocated once at its size.
        size = np.fromiter((len(s.norm) if s.norm.isascii() else len(_encode(s.norm))
                            for s in segments), dtype=np.int64, count=n)
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(size, out=ptr[1:])
        buf = bytearray(int(ptr[-1]))
        for lo in range(0, n, _CHUNK):
            hi = min(n, lo + _CHUNK)
            buf[int(ptr[lo]):int(ptr[hi])] = b"".join(_encode(s.norm) for s in segments[lo:hi])
        return cls(*numbered, column("start"), column("end"), buf, ptr)

    def __len__(self) -> int:
        return len(self.owner)

    def doc_id(self, k: int) -> str:
        return self.doc_ids[int(self.owner[k])]

    def norm(self, k: int) -> str:
        return self.norm_utf8[int(self.norm_ptr[k]):int(self.norm_ptr[k + 1])].decode(
            "utf-8", "surrogatepass")

    def norms(self, rows: np.ndarray | Sequence[int]) -> list[str]:
        """``norm`` of each of ``rows``, in order."""
        idx = np.asarray(rows, dtype=np.int64)
        buf = self.norm_utf8
        return [buf[a:b].decode("utf-8", "surrogatepass")
                for a, b in zip(self.norm_ptr[idx].tolist(), self.norm_ptr[idx + 1].tolist(),
                                strict=True)]

    def norm_keys(self, rows: np.ndarray | Sequence[int]) -> list[bytearray]:
        """The UTF-8 bytes of each of ``rows``' norms: they sort as the norms do (UTF-8
        keeps code point order), without decoding them."""
        idx = np.asarray(rows, dtype=np.int64)
        buf = self.norm_utf8
        return [buf[a:b] for a, b in zip(self.norm_ptr[idx].tolist(),
                                         self.norm_ptr[idx + 1].tolist(), strict=True)]

    def positions(self, rows: Sequence[int]) -> list[int]:
        """``position`` of each of ``rows`` as Python ints."""
        return self.position[np.asarray(rows, dtype=np.int64)].tolist()
