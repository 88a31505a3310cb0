"""Contact ID (SIA DC-05) event data, as carried in DC-09 ``ADM-CID`` frames.

Accepted forms (spaces optional): ``#1234|1130 01 015`` and ``1234|1130 01 015`` (DC-09 data),
``1130 01 015`` (``QXYZ GG CCC``), ``18 1130 01 015`` (``MT`` first) and the full DC-05 string
``1234 18 1130 01 015 [S]``. ``MT`` is 18 or 98; digits are 0-9 and B-F.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Qualifier = Literal["new", "restore", "status"]
QUALIFIERS: dict[str, Qualifier] = {"1": "new", "3": "restore", "6": "status"}
_ACCOUNT_PREFIX = re.compile(r"#?(?P<account>[0-9A-Fa-f]{3,16})\|")
_DIGITS = re.compile(r"[0-9B-Fb-f]*")


class ContactIdError(ValueError):
    """Data that is not a Contact ID event."""


@dataclass(frozen=True, slots=True)
class ContactIdEvent:
    """One Contact ID event: ``code`` is the 3-digit event code, ``partition`` GG, ``zone_or_user`` CCC."""

    account: str
    qualifier: Qualifier
    code: str
    partition: str
    zone_or_user: str


def parse(data: str, *, account: str = "") -> ContactIdEvent:
    """Read one Contact ID event; ``account`` is used when the data carries none."""
    text = data.strip()
    prefix = _ACCOUNT_PREFIX.match(text)
    if prefix:
        account, text = prefix["account"], text[prefix.end() :]
    digits = text.replace(" ", "")
    if not _DIGITS.fullmatch(digits):
        raise ContactIdError(f"Contact ID data {data!r} holds characters other than 0-9 and B-F.")
    event = _event_digits(digits, data)
    if len(digits) >= 15:
        account = digits[:4]
    qualifier = QUALIFIERS.get(event[0])
    if qualifier is None:
        raise ContactIdError(
            f"Contact ID qualifier {event[0]!r} in {data!r} is not 1 (new), 3 (restore) or 6 (status)."
        )
    return ContactIdEvent(account, qualifier, event[1:4], event[4:6], event[6:9])


def _event_digits(digits: str, data: str) -> str:
    """Return the 9 digits ``QXYZGGCCC`` from the bare, MT-prefixed or full DC-05 forms."""
    if len(digits) == 9:
        return digits
    if len(digits) == 11:
        message_type, event = digits[:2], digits[2:]
    elif len(digits) in (15, 16):
        message_type, event = digits[4:6], digits[6:15]
    else:
        raise ContactIdError(
            f"Contact ID data {data!r} has {len(digits)} digits; expected QXYZ GG CCC (9), "
            "MT QXYZ GG CCC (11) or ACCT MT QXYZ GG CCC [S] (15-16)."
        )
    if message_type not in ("18", "98"):
        raise ContactIdError(f"Contact ID message type {message_type!r} in {data!r} is not 18 or 98.")
    return event
