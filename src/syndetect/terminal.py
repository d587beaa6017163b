"""Untrusted text made safe to show on a terminal or in a log line.

Ids, file names, outlets, titles and loader messages come from the inputs, and
an input can hold terminal control sequences: ``ESC[2J`` clears the screen,
``ESC]0;...BEL`` retitles the window, a newline in a file name forges a status
line of its own. Everything the CLI prints that an input may have shaped goes
through :func:`printable`, which spells control characters out as Python-style
escapes (``\\x1b``, ``\\n``, ``\\u202e``) so that what was there stays visible
and nothing is executed. JSON output is data and keeps every character as it is.

>>> printable("Evil\\x1b[2J Gazette\\nsyndetect: forged")
'Evil\\\\x1b[2J Gazette\\\\nsyndetect: forged'
>>> printable("Zürich — 東京")
'Zürich — 東京'
"""

from __future__ import annotations

import logging
import unicodedata

_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
"""Controls (C0, DEL, C1), format characters (bidi overrides, zero-width joiners
used to hide text), line and paragraph separators, surrogates, private-use and
unassigned code points."""

_SAFE_FORMAT = {"\u200d", "\u200c"}  # zero-width (non-)joiners: needed by Indic and Persian scripts


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control or invisible format character escaped.

    ``keep_newlines=True`` leaves ``\\n`` alone (for multi-line output such as a
    rendered table, whose line breaks are the renderer's own).

    >>> printable("a\\tb\\u202ec")
    'a\\\\tb\\\\u202ec'
    >>> printable("one\\ntwo", keep_newlines=True)
    'one\\ntwo'
    """
    s = str(text)
    if s.isprintable():
        return s
    out = []
    for char in s:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char.isprintable() or char == " " or char in _SAFE_FORMAT:
            out.append(char)
        elif unicodedata.category(char) in _UNSAFE_CATEGORIES or not char.isprintable():
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


class PrintableFormatter(logging.Formatter):
    """A log formatter whose every line is :func:`printable` (tracebacks included).

    >>> record = logging.LogRecord("x", logging.WARNING, "f", 1, "bad id %s", ("a\\x1b[2J",), None)
    >>> PrintableFormatter("%(message)s").format(record)
    'bad id a\\\\x1b[2J'
    """

    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(record.__dict__)
        safe.msg, safe.args = printable(record.getMessage()), None
        if record.exc_info:
            trace = record.exc_text or self.formatException(record.exc_info)
            safe.exc_info, safe.exc_text = None, printable(trace, keep_newlines=True)
        return super().format(safe)


__all__ = ["PrintableFormatter", "printable"]
