"""SIA DCS event data (SIA DC-03/DC-04 blocks), as carried in DC-09 ``SIA-DCS`` frames.

``#1234|Nri1/BA501/BR501`` is account 1234, new events, area 1: burglary alarm then restore on zone
501. Blocks are separated by ``/``; ``ri`` (area), ``id`` (user), ``ti`` (time) and ``pi`` modifiers
apply to the events after them. A zone name may follow the number between ``^``, and a text block
``|A…`` may close the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ACCOUNT_PREFIX = re.compile(r"#?(?P<account>[0-9A-Fa-f]{3,16})?\|")
_BLOCK = re.compile(
    r"/?(?:(?P<modifier>ti|id|ri|pi)(?P<value>[0-9:]+)"
    r"|(?P<code>[A-Z]{2})(?P<number>[0-9]*)(?:\^(?P<name>[^^]*)\^|\*\"(?P<xtext>[^\"]*)\"NM)?)"
)


class SiaDcsError(ValueError):
    """Data that is not SIA DCS event blocks."""


@dataclass(frozen=True, slots=True)
class SiaEvent:
    """One SIA event: a 2-letter ``code`` and the zone, user, door or area number that follows it."""

    account: str
    code: str
    zone_or_user: str
    partition: str
    new: bool = True
    user: str | None = None
    time: str | None = None
    text: str | None = None


def parse(data: str, *, account: str = "") -> list[SiaEvent]:
    """Read the events of one SIA DCS data field; ``account`` is used when the data carries none."""
    text = data.strip()
    prefix = _ACCOUNT_PREFIX.match(text)
    if prefix:
        account, text = prefix["account"] or account, text[prefix.end() :]
    blocks, _, message = text.partition("|")
    note = message[1:] if message.startswith("A") else (message or None)
    new = not blocks.startswith("O")
    if blocks[:1] in ("N", "O"):
        try:
            return _events(blocks[1:], account, new=new, note=note)
        except SiaDcsError:
            pass  # no function letter after all ("NL4" is event NL): read the blocks whole
    if blocks.startswith("A"):
        raise SiaDcsError(f"SIA data {data!r} is a text message ('A' block), not an event.")
    return _events(blocks, account, new=True, note=note)


def _events(blocks: str, account: str, *, new: bool, note: str | None) -> list[SiaEvent]:
    modifiers: dict[str, str] = {}
    events: list[SiaEvent] = []
    position = 0
    while position < len(blocks):
        block = _BLOCK.match(blocks, position)
        if block is None or block.end() == position:
            raise SiaDcsError(f"SIA data {blocks!r} cannot be read at {blocks[position:]!r}.")
        position = block.end()
        if block["modifier"]:
            modifiers[block["modifier"]] = block["value"]
            continue
        events.append(
            SiaEvent(
                account=account,
                code=block["code"],
                zone_or_user=block["number"],
                partition=modifiers.get("ri", ""),
                new=new,
                user=modifiers.get("id"),
                time=modifiers.get("ti"),
                text=block["name"] or block["xtext"] or note,
            )
        )
    if not events:
        raise SiaDcsError(f"SIA data {blocks!r} holds no event code.")
    return events
