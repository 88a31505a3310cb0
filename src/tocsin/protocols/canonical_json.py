"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme): one byte string for one JSON value.

The logbook hashes entries in this form, so the hash does not depend on key order, spacing or the
database that returned the values.
"""

from __future__ import annotations

from typing import Any

import rfc8785


def canonical_json(value: Any) -> bytes:
    """Serialize ``value`` (JSON types only) per RFC 8785."""
    result: bytes = rfc8785.dumps(value)
    return result
