"""NTP (RFC 5905) as a client needs it, sans I/O: the 48-byte request, the server's reply, the offset.

A client stamps its request with its own time (T1), the server stamps reception (T2) and transmission
(T3), the client notes arrival (T4). The node's clock is ``offset`` seconds behind the server's
(``((T2 - T1) + (T3 - T4)) / 2``; negative when the node runs ahead) and the round trip took
``(T4 - T1) - (T3 - T2)``. Times here are seconds since the Unix epoch, as floats.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

PACKET = struct.Struct(
    "!BBbbII4sQQQQ"
)  # flags, stratum, poll, precision, delay, dispersion, ref id, 4 stamps
NTP_EPOCH = 2_208_988_800  # seconds from 1900-01-01 (NTP's era 0) to 1970-01-01
VERSION = 4
CLIENT, SERVER = 3, 4
UNSYNCHRONISED = 3  # leap indicator: the server's own clock is not synchronised


class NtpError(ValueError):
    """A reply that is not a usable NTP answer to our request."""


@dataclass(frozen=True, slots=True)
class Measure:
    """One exchange with a server: how far the node's clock is from it, and the round trip."""

    offset: float
    delay: float
    stratum: int


def to_ntp(seconds: float) -> int:
    """Unix seconds as an NTP 64-bit timestamp (32 bits of seconds, 32 of fraction)."""
    return round((seconds + NTP_EPOCH) * 2**32) & 0xFFFF_FFFF_FFFF_FFFF


def from_ntp(stamp: int) -> float:
    """An NTP 64-bit timestamp as Unix seconds."""
    return stamp / 2**32 - NTP_EPOCH


def request(t1: float) -> bytes:
    """A client request sent at ``t1`` (its transmit stamp comes back as the reply's origin stamp)."""
    return PACKET.pack((VERSION << 3) | CLIENT, 0, 0, 0, 0, 0, b"\0\0\0\0", 0, 0, 0, to_ntp(t1))


def reply(query: bytes, received: float, sent: float, *, stratum: int = 1, leap: int = 0) -> bytes:
    """A server's answer to ``query`` (what a local responder sends; the tests use it)."""
    if len(query) < PACKET.size:
        raise NtpError(f"An NTP request is {PACKET.size} bytes, not {len(query)}.")
    origin = PACKET.unpack_from(query)[10]
    flags = (leap << 6) | (VERSION << 3) | SERVER
    return PACKET.pack(
        flags, stratum, 4, -20, 0, 0, b"LOCL", to_ntp(received), origin, to_ntp(received), to_ntp(sent)
    )


def measure(data: bytes, t1: float, t4: float) -> Measure:
    """The offset and delay a reply gives, sent at ``t1`` and received at ``t4``; :class:`NtpError` when it
    is not a server's answer to that request, or the server says its own clock is unsynchronised."""
    if len(data) < PACKET.size:
        raise NtpError(f"The NTP reply is {len(data)} bytes; a reply is at least {PACKET.size}.")
    flags, stratum, _poll, _precision, _delay, _disp, _ref, _refts, origin, t2, t3 = PACKET.unpack_from(data)
    if flags & 0x7 != SERVER:
        raise NtpError("The NTP reply is not in server mode.")
    if flags >> 6 == UNSYNCHRONISED or stratum == 0:
        raise NtpError("The NTP server says its own clock is not synchronised.")
    if origin != to_ntp(t1):
        raise NtpError("The NTP reply does not answer our request (its origin stamp differs).")
    server_in, server_out = from_ntp(t2), from_ntp(t3)
    offset = ((server_in - t1) + (server_out - t4)) / 2
    delay = (t4 - t1) - (server_out - server_in)
    return Measure(offset=offset, delay=max(delay, 0.0), stratum=stratum)
