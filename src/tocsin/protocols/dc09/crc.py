"""CRC-16/ARC, the DC-09 checksum: reflected polynomial 0xA001, initial value 0, no final xor.

Computed by ``fastcrc`` (compiled) where it is installed, which is every platform it ships wheels for;
elsewhere by the table below. A property test holds the two to the same values.
"""

from __future__ import annotations

from collections.abc import Callable


def _table() -> tuple[int, ...]:
    entries = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        entries.append(crc)
    return tuple(entries)


_TABLE = _table()


def crc16_table(data: bytes) -> int:
    """CRC-16/ARC in pure Python, one table look-up per byte."""
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ _TABLE[(crc ^ byte) & 0xFF]
    return crc


def _compiled() -> Callable[[bytes], int]:
    try:
        from fastcrc import crc16 as fast  # noqa: PLC0415 - optional speed-up, checked once
    except ImportError:  # pragma: no cover - a platform without fastcrc's wheels
        return crc16_table
    arc: Callable[[bytes], int] = fast.arc
    return arc


crc16: Callable[[bytes], int] = _compiled()
"""Return the CRC-16/ARC of ``data`` (check value: ``crc16(b"123456789") == 0xBB3D``)."""
