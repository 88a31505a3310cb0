"""The decoded DC-09 frame, the key lookup the decoder calls, and TCP stream framing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tocsin.protocols.dc09.errors import FormatError

MAX_FRAME = 1024
"""Longest frame (LF to CR) we wait for before calling the stream garbage."""

KeyLookup = Callable[[str, str | None, str | None], bytes | None]
"""``(account, receiver, line) -> AES key`` (16, 24 or 32 bytes), or None when none is known."""

RESPONSE_TOKENS = frozenset({"ACK", "NAK", "DUH", "RSP"})
"""Id tokens a receiver answers with."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One DC-09 message, as read off the wire and (when needed) decrypted."""

    id_token: str
    encrypted: bool
    sequence: str
    receiver: str | None
    line: str | None
    account: str
    data: str
    extended: tuple[str, ...]
    timestamp: datetime | None
    raw: bytes


def split_frames(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Cut a TCP byte stream into complete ``LF … CR`` frames; return them and the unfinished rest.

    A frame holds no LF of its own, so a frame starts at the last LF before its CR; bytes before it
    are garbage and are dropped. An unfinished frame longer than :data:`MAX_FRAME` raises
    :class:`FormatError` (the peer is not speaking DC-09).
    """
    frames: list[bytes] = []
    position = 0
    while (end := buffer.find(b"\r", position)) >= 0:
        start = buffer.rfind(b"\n", position, end)
        if start >= 0:
            frames.append(buffer[start : end + 1])
        position = end + 1
    start = buffer.rfind(b"\n", position)
    rest = buffer[start:] if start >= 0 else b""
    if len(rest) > MAX_FRAME:
        raise FormatError(
            f"No CR within {MAX_FRAME} bytes of a frame start: the peer is not sending DC-09 frames."
        )
    return frames, rest
