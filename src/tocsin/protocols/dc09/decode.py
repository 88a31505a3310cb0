"""Decode one DC-09 frame: framing, CRC, length, header, optional decryption, content, timestamp.

Quirk profiles (named per account, never the default):

- ``"binary-crc"``: the CRC is sent as 2 raw bytes (high byte first) instead of 4 hex characters,
  as some Jablotron and Egardia transmitters do.
- ``"local-time"``: the panel stamps its messages in local time rather than UTC. The decoder parses
  the timestamp the same way (it is tagged UTC); the receiver, which knows the account's time zone,
  reinterprets it.
- ``"hex-sequence"``: the sequence number is written in hexadecimal (10 is ``000A``), as the dc09-spt
  dialler does. The sequence is kept and echoed as sent, which is what such a sender checks.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime

from tocsin.protocols.dc09.crc import crc16
from tocsin.protocols.dc09.crypto import decrypt, strip_padding
from tocsin.protocols.dc09.errors import (
    CrcError,
    DecryptError,
    FormatError,
    LengthError,
    TimestampRequired,
    UnknownKey,
)
from tocsin.protocols.dc09.frame import RESPONSE_TOKENS, Frame, KeyLookup

PROFILES = frozenset({"binary-crc", "local-time", "hex-sequence"})
DECODING_PROFILES = frozenset({"binary-crc", "hex-sequence"})  # the ones that change how a frame is read

_HEX4 = re.compile(rb"[0-9A-Fa-f]{4}")
_HEADER = re.compile(
    r'"(?P<star>\*?)(?P<id>[A-Z][A-Z0-9-]{1,14})"(?P<seq>[0-9]{4})'
    r"(?:R(?P<receiver>[0-9A-Fa-f]{1,6}))?(?:L(?P<line>[0-9A-Fa-f]{1,6}))?"
    r"(?:R(?P<receiver_after>[0-9A-Fa-f]{1,6}))?"
    r"(?P<mark>[#A])(?P<account>[0-9A-Fa-f]{1,16})\["
)
_HEADER_HEX_SEQUENCE = re.compile(_HEADER.pattern.replace("(?P<seq>[0-9]{4})", "(?P<seq>[0-9A-Fa-f]{4})"))
_CONTENT = re.compile(r"(?P<data>[^\[\]]*)\](?P<extended>(?:\[[^\[\]]*\])*)(?:_(?P<ts>.*))?", re.DOTALL)
_EXTENDED = re.compile(r"\[([^\[\]]*)\]")
_TIMESTAMP = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2}),([0-9]{2})-([0-9]{2})-([0-9]{4})")
_DATA_ACCOUNT = re.compile(r"#?[0-9A-Fa-f]{3,16}\||\|")
_CIPHERTEXT = re.compile(r"(?:[0-9A-Fa-f]{32})+")
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


def decode(raw: bytes, keys: KeyLookup | None = None, *, profile: str | None = None) -> Frame:
    """Decode one ``LF … CR`` frame; raise a :class:`FrameError` subclass when it cannot be read."""
    if profile is not None and profile not in PROFILES:
        raise ValueError(f"Unknown DC-09 quirk profile {profile!r}; known: {', '.join(sorted(PROFILES))}.")
    message = _checked_message(raw, binary_crc=profile == "binary-crc")
    header = (_HEADER_HEX_SEQUENCE if profile == "hex-sequence" else _HEADER).match(message)
    if header is None:
        raise FormatError("The frame header is not '\"ID\"SEQ[Rrrr][Llll]#ACCT[': not a DC-09 message.")
    id_token, encrypted, receiver, line, account = _header_fields(header)
    rest = message[header.end() :]
    if encrypted:
        key = keys(account, receiver, line) if keys is not None else None
        if key is None:
            raise UnknownKey(f"Account {account} sent an encrypted frame and no key is known for it.")
        rest = _decrypted_content(rest, key, data_expected=id_token not in {"NULL", *RESPONSE_TOKENS})
    data, extended, timestamp = _content(rest)
    if encrypted and timestamp is None:
        raise TimestampRequired(
            f"Encrypted frame from account {account} has no timestamp; DC-09 requires one."
        )
    if id_token not in RESPONSE_TOKENS:
        data = _without_account(data)
    return Frame(id_token, encrypted, header["seq"], receiver, line, account, data, extended, timestamp, raw)


def _checked_message(raw: bytes, *, binary_crc: bool) -> str:
    """Check framing, length and CRC; return the message (opening quote to end of timestamp)."""
    if len(raw) < 2 or raw[:1] != b"\n" or raw[-1:] != b"\r":
        raise FormatError("A DC-09 frame starts with LF and ends with CR.")
    body = raw[1:-1]
    if binary_crc:
        crc_sent, body = int.from_bytes(body[:2], "big"), body[2:]
    else:
        if not _HEX4.fullmatch(body[:4]):
            raise FormatError("The CRC field is not 4 hexadecimal characters.")
        crc_sent, body = int(body[:4], 16), body[4:]
    if not _HEX4.fullmatch(body[:4]):
        raise FormatError("The length field is not 4 hexadecimal characters (0LLL).")
    length, message = int(body[:4], 16), body[4:]
    if length != len(message):
        raise LengthError(f"The length field says {length} bytes but the message has {len(message)}.")
    if crc16(message) != crc_sent:
        raise CrcError(f"CRC {crc16(message):04X} computed, {crc_sent:04X} sent: the frame was damaged.")
    return _text(message)


def _header_fields(header: re.Match[str]) -> tuple[str, bool, str | None, str | None, str]:
    id_token, encrypted, account = header["id"], header["star"] == "*", header["account"]
    if header["receiver"] is not None and header["receiver_after"] is not None:
        raise FormatError("The frame carries two receiver (R) prefixes.")
    if id_token not in RESPONSE_TOKENS and (header["mark"] != "#" or len(account) < 3):
        raise FormatError("The account is '#' followed by 3 to 16 hexadecimal digits.")
    if encrypted and id_token == "NAK":
        raise FormatError("A NAK is never encrypted.")
    return id_token, encrypted, header["receiver"] or header["receiver_after"], header["line"], account


def _decrypted_content(rest: str, key: bytes, *, data_expected: bool) -> str:
    if not _CIPHERTEXT.fullmatch(rest):
        raise FormatError(
            "Encrypted content is not hexadecimal whole AES blocks (multiples of 32 characters)."
        )
    plaintext = strip_padding(decrypt(bytes.fromhex(rest), key), data_expected=data_expected)
    content = _text(plaintext)
    if _CONTROL.search(plaintext) or not _CONTENT.fullmatch(content):
        # A wrong key yields random bytes: once in a while they happen to hold a '|' and a ']', but
        # data and timestamp are text, so control bytes betray it (and the answer is DUH, not NAK).
        raise DecryptError(
            "The decrypted message is not readable: the key is wrong or the padding is broken."
        )
    return content


def _without_account(data: str) -> str:
    """Drop the ``#acct|`` (or bare ``|``) that panels put in front of the event data."""
    match = _DATA_ACCOUNT.match(data)
    return data[match.end() :] if match else data


def _content(rest: str) -> tuple[str, tuple[str, ...], datetime | None]:
    """Split ``data][x…][y…]_HH:MM:SS,MM-DD-YYYY`` into its parts."""
    match = _CONTENT.fullmatch(rest)
    if match is None:
        raise FormatError("The message data is not '[data]' followed by '[x-data]' blocks and a timestamp.")
    extended = tuple(_EXTENDED.findall(match["extended"]))
    stamp = match["ts"]
    if stamp is None:
        return match["data"], extended, None
    return match["data"], extended, _timestamp(stamp)


@functools.lru_cache(maxsize=256)
def _timestamp(stamp: str) -> datetime:
    """The frame's time; cached, since the frames of one second carry the same stamp (errors are not)."""
    match = _TIMESTAMP.fullmatch(stamp)
    if match is None:
        raise FormatError(f"Timestamp {stamp!r} is not _HH:MM:SS,MM-DD-YYYY.")
    hour, minute, second, month, day, year = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as error:
        raise FormatError(f"Timestamp {stamp!r} is not a real date and time.") from error


def _text(message: bytes) -> str:
    """Read message bytes as UTF-8 when they are, else as Latin-1 (accented zone names)."""
    try:
        return message.decode("utf-8")
    except UnicodeDecodeError:
        return message.decode("latin-1")
