"""Canonical JSON: the fast path writes exactly the bytes of the RFC 8785 reference implementation."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from tocsin.protocols.canonical_json import canonical_json

SAFE_INT = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
SCALARS = st.none() | st.booleans() | SAFE_INT | st.text() | st.floats(allow_nan=False, allow_infinity=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@given(VALUES)
def test_every_value_serializes_exactly_as_rfc8785(value: object) -> None:
    """Whichever path is taken, the bytes equal the reference implementation's."""
    assert canonical_json(value) == rfc8785.dumps(value)


def test_values_json_cannot_carry_are_refused() -> None:
    """Bytes and integers beyond 2**53 raise instead of hashing differently elsewhere."""
    for bad in ({"b": b"raw"}, {"n": 2**60}, [float("nan")]):
        with pytest.raises((TypeError, ValueError)):
            canonical_json(bad)
