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


_STRING = json.encoder.encode_basestring  # the C escaper the fast encoder itself uses for strings
_SCALARS = frozenset({str, bool, type(None)})
_STR = frozenset({str})


def _simple(value: Any) -> bool:
    """Whether the fast encoder gives RFC 8785's bytes for this value.

    This runs for every logbook entry, so it walks the value with a stack and tests exact types
    first; subclasses (an enum over str, say) take the general checks."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _SCALARS:
            continue
        if kind is dict:
            if not _ascii_keys(item):
                return False
            if not _SCALARS.issuperset(map(type, item.values())):  # a flat object: done in C
                stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif not _simple_subclass(item, stack):
            return False
    return True


def _ascii_keys(item: dict[Any, Any]) -> bool:
    return _STR.issuperset(map(type, item)) and "".join(item).isascii()


def _simple_subclass(item: Any, stack: list[Any]) -> bool:
    if isinstance(item, str | bool):
        return True
    if isinstance(item, int):
        return -_MAX_SAFE <= item <= _MAX_SAFE
    if isinstance(item, list | tuple):
        stack.extend(item)
        return True
    if isinstance(item, dict):
        stack.extend(item.values())
        return all(isinstance(k, str) and k.isascii() for k in item)
    return False  # floats, bytes, objects: the library decides (and refuses what JSON cannot carry)


def canonical_json(value: Any) -> bytes:
    """Serialize ``value`` (JSON types only) per RFC 8785."""
    if _simple(value):
        return _FAST.encode(value).encode("utf-8")
    result: bytes = rfc8785.dumps(value)
    return result


def canonical_text(value: Any) -> str:
    """:func:`canonical_json` as text, for callers that assemble a larger canonical document from parts
    (RFC 8785's form of an object is its members' canonical forms, sorted by key)."""
    if _simple(value):
        return _FAST.encode(value)
    return canonical_json(value).decode("utf-8")


def canonical_string(value: str) -> str:
    """The canonical form of one string (the same escaping as :func:`canonical_json`)."""
    return _STRING(value)
