"""Signals: what transmitters send, stored exactly as received before anything is acknowledged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

ACK, NAK, DUH = "ACK", "NAK", "DUH"


@dataclass(frozen=True, slots=True)
class Signal:
    """One received frame with its decoding and the answer given.

    ``id`` is assigned by the receiver when the frame arrives (time-ordered), so a journal replay
    stores it once. ``problem`` says why a frame could not be tied to a known, readable account.
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
    events: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    problem: str | None = None

    def retransmission_key(self) -> tuple[str | None, ...]:
        """What identifies a retransmission of the same message by the same panel."""
        return (self.receiver, self.line, self.account_number, self.sequence, self.payload_hash)
