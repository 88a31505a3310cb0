"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme): one byte string for one JSON value.

The logbook hashes entries in this form, so the hash does not depend on key order, spacing or the
database that returned the values.

For values with no floating-point number and only ASCII object keys, RFC 8785's output is exactly what
the standard library's C encoder writes with sorted keys, no spaces and no ASCII escaping (strings are
escaped the same way, integers print the same, and ASCII keys sort the same by code point as by UTF-16
unit). Those values, nearly all of the logbook, take that fast path; anything else goes through the
``rfc8785`` library. A property test holds the two paths to the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

_MAX_SAFE = 2**53 - 1
_FAST = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _simple(value: Any) -> bool:
    """Whether the fast encoder gives RFC 8785's bytes for this value."""
    if value is None or isinstance(value, str | bool):
        return True
    if isinstance(value, int):
        return -_MAX_SAFE <= value <= _MAX_SAFE
    if isinstance(value, list | tuple):
        return all(_simple(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and k.isascii() and _simple(v) for k, v in value.items())
    return False  # floats, bytes, objects: the library decides (and refuses what JSON cannot carry)


def canonical_json(value: Any) -> bytes:
    """Serialize ``value`` (JSON types only) per RFC 8785."""
    if _simple(value):
        return _FAST.encode(value).encode("utf-8")
    result: bytes = rfc8785.dumps(value)
    return result
