"""Signals: what transmitters send, stored exactly as received before anything is acknowledged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

ACK, NAK, DUH = "ACK", "NAK", "DUH"
RETRANSMISSION_SECONDS = 600  # a panel's retry is recognised within this window (DC-09 retries in seconds)

EventProtocol = Literal["contact-id", "sia-dcs", "frigate"]
_KEYS = ("protocol", "code", "qualifier", "partition", "zone", "class", "label_en", "label_fr", "restore")


@dataclass(frozen=True, slots=True)
class DecodedEvent(Mapping[str, Any]):
    """One event a frame carried (a Contact ID or SIA code), classified for the room.

    Stored and shown as its JSON form (:meth:`to_json`, keys ``code``, ``class``, ``zone``…); it reads
    like that mapping too (``event["code"]``), so code written against the stored form keeps working.
    """

    protocol: EventProtocol
    code: str
    partition: str
    zone: str
    alarm_class: str
    label_en: str
    label_fr: str
    restore: bool
    qualifier: str | None = None  # Contact ID only: new, restore or status

    def to_json(self) -> dict[str, Any]:
        """The stored form (the one ``signals list --json`` and the API show)."""
        found = {
            "protocol": self.protocol,
            "code": self.code,
            "qualifier": self.qualifier,
            "partition": self.partition,
            "zone": self.zone,
            "class": self.alarm_class,
            "label_en": self.label_en,
            "label_fr": self.label_fr,
            "restore": self.restore,
        }
        if self.qualifier is None:  # SIA DCS events were always stored without it
            del found["qualifier"]
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DecodedEvent:
        """Inverse of :meth:`to_json`; missing keys take neutral values (entries of older versions)."""
        protocol = data.get("protocol")
        return cls(
            protocol=protocol if protocol in ("sia-dcs", "frigate") else "contact-id",
            code=str(data.get("code", "")),
            partition=str(data.get("partition", "")),
            zone=str(data.get("zone", "")),
            alarm_class=str(data.get("class", "other")),
            label_en=str(data.get("label_en", "")),
            label_fr=str(data.get("label_fr", "")),
            restore=bool(data.get("restore", False)),
            qualifier=None if data.get("qualifier") is None else str(data["qualifier"]),
        )

    def __getitem__(self, key: str) -> Any:
        if key not in _KEYS or (key == "qualifier" and self.qualifier is None):
            raise KeyError(key)
        return getattr(self, "alarm_class" if key == "class" else key)

    def __iter__(self) -> Iterator[str]:
        return (k for k in _KEYS if k != "qualifier" or self.qualifier is not None)

    def __len__(self) -> int:
        return len(_KEYS) - (self.qualifier is None)


def as_events(events: tuple[Mapping[str, Any], ...]) -> tuple[DecodedEvent, ...]:
    """Decoded events from their stored JSON form (or already decoded)."""
    return tuple(e if type(e) is DecodedEvent else DecodedEvent.from_json(e) for e in events)


@dataclass(frozen=True, slots=True)
class Signal:
    """One received frame with its decoding and the answer given.

    ``id`` is assigned by the receiver when the frame arrives (time-ordered), so a journal replay
    stores it once. ``problem`` says why a frame could not be tied to a known, readable account.
    ``events`` given in their stored JSON form are read into :class:`DecodedEvent` values.
    """

    id: UUID
    received_at: datetime
    node: str
    listener: str
    raw: str
    answer: str
    tenant_id: UUID | None = None
    account_id: UUID | None = None
    site_id: UUID | None = None
    occurred_at: datetime | None = None
    receiver: str | None = None
    line: str | None = None
    account_number: str | None = None
    sequence: str | None = None
    id_token: str | None = None
    payload_hash: str | None = None
    data: str | None = None
    events: tuple[DecodedEvent, ...] = field(default_factory=tuple)
    problem: str | None = None

    def __post_init__(self) -> None:
        if any(type(e) is not DecodedEvent for e in self.events):
            object.__setattr__(self, "events", as_events(self.events))

    def retransmission_key(self) -> tuple[str | None, ...]:
        """What identifies a retransmission of the same message by the same panel."""
        return (self.receiver, self.line, self.account_number, self.sequence, self.payload_hash)

    def stored_once_key(self) -> str | None:
        """The key the store holds unique, so that copies of one message are stored once, whichever
        process or node receives them: the retransmission key and the :data:`RETRANSMISSION_SECONDS`
        window the signal was received in. None for a frame that could not be read (stored each time)."""
        if self.sequence is None or self.account_number is None or self.payload_hash is None:
            return None
        window = int(self.received_at.timestamp()) // RETRANSMISSION_SECONDS
        text = "|".join((*(part or "" for part in self.retransmission_key()), str(window)))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PendingSignal:
    """What the signal processor needs of a stored signal to write its entries, read without the rest
    (raw frame, answer, routing fields): ``events`` in their stored JSON form, as the store gives them."""

    id: UUID
    tenant_id: UUID | None
    site_id: UUID | None
    occurred_at: datetime | None
    listener: str
    account_number: str | None
    problem: str | None
    events: tuple[Mapping[str, Any], ...]
    received_at: datetime | None = None
    account_id: UUID | None = None
