"""The ways a DC-09 frame can fail to decode; every one is a :class:`FrameError`."""

from __future__ import annotations


class FrameError(Exception):
    """A byte string that is not a DC-09 frame we can read."""


class CrcError(FrameError):
    """The CRC sent does not match the CRC of the message."""


class LengthError(FrameError):
    """The length field does not match the length of the message."""


class FormatError(FrameError):
    """The frame does not follow the DC-09 layout (framing, header, brackets, timestamp)."""


class TimestampRequired(FrameError):
    """An encrypted frame came without its mandatory timestamp."""


class UnknownKey(FrameError):
    """An encrypted frame came from an account we hold no (usable) key for."""


class DecryptError(FrameError):
    """An encrypted frame could not be read with the key we hold: wrong key or bad padding."""
