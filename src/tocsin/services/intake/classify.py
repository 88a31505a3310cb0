"""Classification of frames: which account a frame names before it is decoded, and what events it carries."""

from __future__ import annotations

import re
from functools import lru_cache

from tocsin.domain.signals import DecodedEvent
from tocsin.protocols import alarm_codes, contact_id, dc09, sia_dcs

PAYLOADS_REMEMBERED = 4096  # distinct payloads whose events are kept (they come from outside: bounded)
_CLEAR_HEADER = re.compile(r"(?:R([0-9A-Fa-f]{1,6}))?(?:L([0-9A-Fa-f]{1,6}))?#([0-9A-Fa-f]{3,16})\[")


def named_account(raw: bytes) -> tuple[str | None, str | None, str] | None:
    """The receiver, line and account a frame's header names, read before decoding (even encrypted)."""
    header = _CLEAR_HEADER.search(raw.decode("latin-1"))
    if header is None:
        return None
    receiver, line, number = header.groups()
    return receiver, line, number


def parse_events(frame: dc09.Frame) -> tuple[tuple[DecodedEvent, ...], str | None]:
    """The events a frame's payload carries, classified; or a problem saying why not."""
    return events_of(frame.id_token, frame.data)


@lru_cache(maxsize=PAYLOADS_REMEMBERED)
def events_of(id_token: str, data: str) -> tuple[tuple[DecodedEvent, ...], str | None]:
    """Parsed and classified once per payload: the same ones recur (a panel's periodic tests, a user's
    openings and closings, a zone's alarms and restores), and the events are immutable values."""
    try:
        if id_token == "ADM-CID":
            return (_contact_id(contact_id.parse(data)),), None
        if id_token == "SIA-DCS":
            return tuple(_sia(event) for event in sia_dcs.parse(data)), None
    except ValueError as exc:
        return (), f"payload not understood: {exc}"
    return (), None


def _contact_id(event: contact_id.ContactIdEvent) -> DecodedEvent:
    found = alarm_codes.classify_contact_id(event.code, event.qualifier)
    return DecodedEvent(
        protocol="contact-id",
        code=event.code,
        qualifier=event.qualifier,
        partition=event.partition,
        zone=event.zone_or_user,
        alarm_class=found.alarm_class,
        label_en=found.label_en,
        label_fr=found.label_fr,
        restore=found.is_restore,
    )


def _sia(event: sia_dcs.SiaEvent) -> DecodedEvent:
    found = alarm_codes.classify_sia(event.code)
    return DecodedEvent(
        protocol="sia-dcs",
        code=event.code,
        partition=event.partition,
        zone=event.zone_or_user,
        alarm_class=found.alarm_class,
        label_en=found.label_en,
        label_fr=found.label_fr,
        restore=found.is_restore,
    )
