"""What the Redis backend says to a server: its URL, its server-side scripts, its errors.

``split_url`` reads ``redis://host:port/db[?prefix=NAME]`` (the prefix is
syndetect's, the rest goes to redis-py); failures are described with a hint at
the likely cause and the password left out.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import InputError, MissingExtraError

DEFAULT_PREFIX = "syndetect"
_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}")

# Server-side loops over a batch's bucket keys: one request per document instead of
# one per key, and a single packed argument (the 11-byte keys, back to back) instead
# of one per key. The scripts build key names themselves, which a Redis Cluster
# would refuse; the index's MULTI/EXEC over many keys needs one server anyway.
SADD_BLOB = (
    "local p, blob, seq = ARGV[1], ARGV[2], ARGV[3] "
    "for i = 1, #blob, 11 do redis.call('SADD', p .. string.sub(blob, i, i + 10), seq) end "
    "return #blob / 11"
)
SREM_BLOB = (
    "local p, blob, seq = ARGV[1], ARGV[2], ARGV[3] "
    "for i = 1, #blob, 11 do redis.call('SREM', p .. string.sub(blob, i, i + 10), seq) end "
    "return #blob / 11"
)
HINCR_ALL = (
    "for i = 1, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end "
    "return #ARGV / 2"
)
# Per key: {0, every member} for a bucket of at most ``limit``, else {1, its ``tail``
# highest sequence numbers} (a set has no order: SORT orders it numerically, inside
# the server, for the few buckets that are over the limit).
MEMBERS_BLOB = (
    "local p, blob, limit, tail = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]) "
    "local out = {} "
    "for i = 1, #blob, 11 do local k = p .. string.sub(blob, i, i + 10) "
    "if redis.call('SCARD', k) <= limit then out[#out + 1] = {0, redis.call('SMEMBERS', k)} "
    "elseif tail > 0 then out[#out + 1] = {1, redis.call('SORT', k, 'DESC', 'LIMIT', 0, tail)} "
    "else out[#out + 1] = {1, {}} end end "
    "return out"
)


def import_redis() -> Any:
    try:
        import redis
    except ImportError:
        raise MissingExtraError("redis", "redis") from None
    return redis


def split_url(url: str) -> tuple[str, str]:
    """``(connection URL, prefix)``: the ``prefix`` query parameter is syndetect's.

    >>> split_url("unix:///run/redis.sock?db=2&prefix=news")
    ('unix:///run/redis.sock?db=2', 'news')
    >>> split_url("redis://localhost:6379/3")
    ('redis://localhost:6379/3', 'syndetect')
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    public = public_url(url)
    prefix = next((v for k, v in query if k == "prefix"), DEFAULT_PREFIX)
    if not _PREFIX.fullmatch(prefix):
        raise InputError(
            f"{public}: prefix must be 1-100 letters, digits and _ . : / - (starting with a "
            f"letter or digit), got {prefix!r}"
        )
    path_db = parts.path.lstrip("/") if parts.scheme != "unix" else ""
    query_db = [v for k, v in query if k == "db"]
    for db in ([path_db] if path_db else []) + query_db:
        if not db.isdigit():
            raise InputError(
                f"{public}: the database must be a number such as /0 (or ?db=0), got {db!r}"
            )
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    # urlunsplit would drop the empty host of unix:///path: build the URL by hand.
    conn = f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{rest}" if rest else "")
    return conn, prefix


def _hint(exc: BaseException) -> str:
    text = str(exc)
    if "DB index is out of range" in text:
        return "; the database number is over the server's 'databases' setting (16 by default)"
    if isinstance(exc, (ConnectionError, TimeoutError)) or "Connection" in type(exc).__name__ \
            or "Timeout" in type(exc).__name__:
        return ("; is redis-server running and reachable? Every add committed before the "
                "failure is stored")
    if "OOM" in text or "MISCONF" in text:
        return "; the server refuses writes (memory limit or failed snapshot): free it and retry"
    return ""


def describe(storage: Any, exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:200]
    return f"{getattr(storage, 'target', 'redis')}: Redis failed ({type(exc).__name__}: " \
           f"{detail}){_hint(exc)}"


def redis_errors() -> tuple[type[BaseException], ...]:
    try:
        import redis
    except ImportError:
        return ()
    return (redis.RedisError,)


def encode_id(doc_id: str) -> bytes:
    """Key bytes of a document id; ``surrogatepass`` keeps ids made from undecodable file names."""
    return doc_id.encode("utf-8", "surrogatepass")


def decode_id(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogatepass")


def public_url(url: str) -> str:
    """``url`` without a password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
