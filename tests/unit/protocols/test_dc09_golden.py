"""Golden frames (the standard's examples and captured frames) decode to the expected fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.unit.protocols.dc09_support import fixed_key, golden_frames, key_of
from tocsin.protocols.dc09 import decode

GOLDEN = golden_frames()


@pytest.mark.parametrize("entry", GOLDEN, ids=[entry["name"] for entry in GOLDEN])
def test_golden_frame_decodes(entry: dict[str, Any]) -> None:
    """Each golden frame decodes to exactly the fields listed in the fixture."""
    raw = entry["frame"].encode("latin-1")
    frame = decode(raw, fixed_key(key_of(entry)))
    expect = entry["expect"]
    stamp = None if expect["timestamp"] is None else datetime.fromisoformat(expect["timestamp"])
    assert frame.id_token == expect["id_token"]
    assert frame.encrypted is expect["encrypted"]
    assert (frame.sequence, frame.receiver, frame.line) == (
        expect["sequence"],
        expect["receiver"],
        expect["line"],
    )
    assert (frame.account, frame.data) == (expect["account"], expect["data"])
    assert frame.extended == tuple(expect["extended"])
    assert frame.timestamp == stamp
    assert frame.raw == raw


def test_fixtures_cover_plain_and_encrypted() -> None:
    """The golden set holds both plain and encrypted frames, with 128-bit keys of both key styles."""
    kinds = {entry["expect"]["encrypted"] for entry in GOLDEN}
    assert kinds == {True, False}
    assert {"key_hex", "key_ascii"} <= {name for entry in GOLDEN for name in entry}
