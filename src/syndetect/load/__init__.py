"""The I/O edge: files, directories, HTML, JSON Lines and WARC -> Documents.

Every input is accounted for. A problem with one input is a Document with
``status`` "skipped" or "error", a machine ``reason`` and a one-line
``message`` naming the input, never an exception:

===================  =======  ==========================================================
reason               status   meaning
===================  =======  ==========================================================
missing              error    the path does not exist (or is a broken link)
unreadable           error    the operating system refused to read it
empty                skipped  an empty file, record or directory
binary               skipped  not text (NUL bytes or mostly control bytes)
unsupported_type     skipped  a file type syndetect does not load
too_large            skipped  a file, record or line over the size limit for one document
decompression_limit  skipped  compressed data expanding past the limit (a bomb)
decode_fallback      ok       not UTF-8; decoded as cp1252 (else latin-1)
invalid_record       error    a JSONL line that is not an object with a text string
truncated            error    the file ends inside a record; earlier ones kept
corrupt              error    an archive that cannot be parsed past this point
failed               error    the loader failed unexpectedly (see the log)
no_article           skipped  HTML with no extractable article text
http_status          skipped  an archived HTTP response that is not 2xx
symlink              skipped  a symbolic link in a scanned directory, not followed
duplicate_id         error    a record whose id another input already has
===================  =======  ==========================================================

Supported: ``.txt`` and extensionless text (scraped article text; title,
outlet, byline and date are read from its header), ``.html``/``.htm``/``.xhtml``
(trafilatura), ``.jsonl``/``.ndjson`` (one record per line) and
``.warc``/``.warc.gz`` (HTML responses).

>>> import tempfile, pathlib
>>> from datetime import datetime
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "a.txt").write_text("Time of India3 days ago\\n" + "A sentence of prose. " * 12)
>>> [(d.id, d.outlet, d.published_at) for d in load_documents([root], as_of=datetime(2025, 8, 1))]
[('a.txt', 'Time of India', '2025-07-29')]
"""

from __future__ import annotations

from .files import SUPPORTED_TYPES, iter_documents, load_documents, load_file
from .problems import REASONS

__all__ = ["REASONS", "SUPPORTED_TYPES", "iter_documents", "load_documents", "load_file"]
