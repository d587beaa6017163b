"""Exceptions a caller can act on.

Problems with one input document are *data* (a document with ``status`` "skipped"
or "error" and a reason), never exceptions. Exceptions are for the caller's mistakes::

    SyndetectError
    ├── ConfigError          a bad parameter value or unknown key
    ├── InputError           a path that does not exist, an unknown format asked for
    ├── IndexFormatError     a persisted index written by another version or config
    ├── BackendError         an index's storage failed (damaged file, full disk, Redis gone)
    └── MissingExtraError    an optional dependency is not installed
"""

from __future__ import annotations


class SyndetectError(Exception):
    """Base class of every error syndetect raises on purpose."""


class ConfigError(SyndetectError, ValueError):
    """A configuration value is out of range or unknown."""


class InputError(SyndetectError, ValueError):
    """An argument names an input that cannot be used at all."""


class IndexFormatError(SyndetectError):
    """A persisted index does not match this version or configuration."""


class BackendError(SyndetectError):
    """The storage under an index failed: a damaged SQLite file, a full disk, a Redis
    server that is gone or refuses. Writes committed before the failure are kept."""


class MissingExtraError(SyndetectError, ImportError):
    """An optional dependency is missing; the message names the install command."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed; install it with: pip install 'syndetect[{extra}]'"
        )
        self.package = package
        self.extra = extra
