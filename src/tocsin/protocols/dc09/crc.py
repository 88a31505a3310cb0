"""CRC-16/ARC, the DC-09 checksum: reflected polynomial 0xA001, initial value 0, no final xor."""

from __future__ import annotations


def _table() -> tuple[int, ...]:
    entries = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        entries.append(crc)
    return tuple(entries)


_TABLE = _table()


def crc16(data: bytes) -> int:
    """Return the CRC-16/ARC of ``data`` (check value: ``crc16(b"123456789") == 0xBB3D``)."""
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ _TABLE[(crc ^ byte) & 0xFF]
    return crc
