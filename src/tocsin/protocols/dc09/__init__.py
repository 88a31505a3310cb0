"""SIA DC-09 (ANSI/SIA DC-09, IP event reporting) as a sans-I/O codec: bytes in, frames out.

Read in this order: :mod:`.frame` (the value and stream framing), :mod:`.decode`, :mod:`.encode`,
:mod:`.responses`; :mod:`.crc` and :mod:`.crypto` are the checksum and the AES layer.
"""

from __future__ import annotations

from tocsin.protocols.dc09.crc import crc16
from tocsin.protocols.dc09.decode import DECODING_PROFILES, PROFILES, decode
from tocsin.protocols.dc09.encode import encode
from tocsin.protocols.dc09.errors import (
    CrcError,
    DecryptError,
    FormatError,
    FrameError,
    LengthError,
    TimestampRequired,
    UnknownKey,
)
from tocsin.protocols.dc09.frame import MAX_FRAME, RESPONSE_TOKENS, Frame, KeyLookup, split_frames
from tocsin.protocols.dc09.responses import ack, duh, nak, rsp

__all__ = [
    "DECODING_PROFILES",
    "MAX_FRAME",
    "PROFILES",
    "RESPONSE_TOKENS",
    "CrcError",
    "DecryptError",
    "FormatError",
    "Frame",
    "FrameError",
    "KeyLookup",
    "LengthError",
    "TimestampRequired",
    "UnknownKey",
    "ack",
    "crc16",
    "decode",
    "duh",
    "encode",
    "nak",
    "rsp",
    "split_frames",
]
