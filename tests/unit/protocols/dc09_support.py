"""Shared test data for the DC-09 codec tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tocsin.protocols.dc09 import KeyLookup

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dc09"
NOW = datetime(2024, 3, 1, 12, 30, 45, tzinfo=UTC)
KEYS = {
    128: bytes.fromhex("0123456789ABCDEF0123456789ABCDEF"),
    192: bytes.fromhex("000102030405060708090A0B0C0D0E0F1011121314151617"),
    256: bytes.fromhex("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4"),
}


def golden_frames() -> list[dict[str, Any]]:
    """The golden frames of tests/fixtures/dc09/golden.json."""
    frames: list[dict[str, Any]] = json.loads((FIXTURES / "golden.json").read_text("utf-8"))["frames"]
    return frames


def key_of(entry: dict[str, Any]) -> bytes | None:
    """The AES key a golden frame is encrypted with, if any."""
    if "key_hex" in entry:
        return bytes.fromhex(entry["key_hex"])
    if "key_ascii" in entry:
        return str(entry["key_ascii"]).encode("ascii")
    return None


def fixed_key(key: bytes | None) -> KeyLookup:
    """A key lookup that gives ``key`` for every account."""
    return lambda _account, _receiver, _line: key
