"""Build DC-09 frames: the sender side (simulator, tests) and the receiver's answers share it."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from tocsin.protocols.dc09.crc import crc16
from tocsin.protocols.dc09.crypto import ZERO_IV, encrypt, pad_length, random_pad

ACCOUNT_IN_DATA = frozenset({"SIA-DCS", "ADM-CID"})
"""Id tokens whose data starts with ``#acct|``, as panels send it."""

_SEQUENCE = re.compile(r"[0-9]{4}")
_ECHOED_SEQUENCE = re.compile(r"[0-9A-Fa-f]{4}")  # an answer echoes what a hex-sequence panel sent


def encode(
    id_token: str,
    sequence: str | int,
    account: str,
    data: str,
    *,
    receiver: str | None = None,
    line: str | None = None,
    extended: Iterable[str] = (),
    timestamp: datetime | None = None,
    key: bytes | None = None,
    iv: bytes | None = None,
    pad: str | None = None,
) -> bytes:
    """Build one ``LF … CR`` frame; encrypt it when ``key`` is given (a timestamp is then required).

    For SIA-DCS and ADM-CID the data is sent as ``#acct|data``, as panels do. ``iv`` defaults to the
    standard's all-zero IV; ``pad`` (filler before the ``|``) is random unless given.
    """
    body = f"#{account}|{data}" if id_token in ACCOUNT_IN_DATA else data
    body += "]" + "".join(f"[{block}]" for block in extended)
    if timestamp is not None:
        body += stamp(timestamp)
    elif key is not None:
        raise ValueError("An encrypted DC-09 frame needs a timestamp.")
    return build(
        id_token,
        sequence,
        receiver=receiver,
        line=line,
        account_field=f"#{account}",
        body=body,
        key=key,
        iv=iv,
        pad=pad,
    )


def build(
    id_token: str,
    sequence: str | int,
    *,
    receiver: str | None,
    line: str | None,
    account_field: str,
    body: str,
    key: bytes | None = None,
    iv: bytes | None = None,
    pad: str | None = None,
    echo: bool = False,
) -> bytes:
    """Assemble header and ``body`` (``data]…_timestamp``), encrypting the body when ``key`` is given.

    ``echo`` marks an answer, whose sequence repeats the frame's as it was sent (4 hex digits from a
    panel with the hex-sequence quirk); a frame we originate always has 4 decimal digits."""
    sequence = f"{sequence:04d}" if isinstance(sequence, int) else sequence
    if not (_ECHOED_SEQUENCE if echo else _SEQUENCE).fullmatch(sequence):
        raise ValueError(f"Sequence {sequence!r} is not 4 decimal digits.")
    message = f'"{"*" if key is not None else ""}{id_token}"{sequence}'
    message += (f"R{receiver}" if receiver is not None else "") + (f"L{line}" if line is not None else "")
    message += f"{account_field}["
    if key is None:
        message += body
    else:
        filler = random_pad(pad_length(body)) if pad is None else pad
        region = f"{filler}|{body}".encode()
        if len(region) % 16:
            raise ValueError(f"Padding {filler!r} does not fill whole AES blocks.")
        message += encrypt(region, key, ZERO_IV if iv is None else iv)
    return wrap(message.encode())


def wrap(message: bytes) -> bytes:
    """Put ``LF``, CRC, length and ``CR`` around a message (opening quote to end of timestamp)."""
    return b"\n%04X%04X" % (crc16(message), len(message)) + message + b"\r"


def stamp(moment: datetime) -> str:
    """Format an aware datetime as the DC-09 timestamp ``_HH:MM:SS,MM-DD-YYYY`` in UTC."""
    if moment.tzinfo is None:
        raise ValueError("DC-09 timestamps are UTC: give an aware datetime.")
    return _stamp_of_second(math.floor(moment.timestamp()))


@functools.lru_cache(maxsize=8)
def _stamp_of_second(epoch_second: int) -> str:
    """One formatting per second: every answer given in that second carries the same stamp."""
    return datetime.fromtimestamp(epoch_second, UTC).strftime("_%H:%M:%S,%m-%d-%Y")
