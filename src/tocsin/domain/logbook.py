"""The main courante: an append-only, hash-chained record of everything that happens.

One chain per tenant and one system chain for what belongs to no tenant. Each entry carries the hash
of the entry before it in its chain; signed checkpoints pin a chain's head with a key kept outside the
database. The hashing itself lives in :mod:`tocsin.services.logbook`; this module holds the values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

GENESIS_HASH = "0" * 64
SYSTEM_CHAIN = "system"


def chain_for(tenant_id: UUID | None) -> str:
    """The chain an entry of this tenant belongs to."""
    return SYSTEM_CHAIN if tenant_id is None else f"tenant:{tenant_id}"


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """What an entry is about: a kind of thing and its id (``site``, ``0192…``)."""

    kind: str
    id: str

    def as_json(self) -> dict[str, str]:
        """Plain JSON form, for storage and hashing."""
        return {"kind": self.kind, "id": self.id}


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What a service asks the logbook to record; the logbook adds sequence, time and hashes.

    ``message`` is a key of the message catalogue and ``params`` its parameters, so the entry reads in
    French or English. ``client_id`` and ``site_id`` let scoped readers see only their part.
    """

    kind: str
    message: str
    actor: str
    tenant_id: UUID | None
    params: Mapping[str, Any] = field(default_factory=dict)
    subjects: tuple[SubjectRef, ...] = ()
    client_id: UUID | None = None
    site_id: UUID | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LogbookEntry:
    """A stored entry: never updated, never deleted; a correction is a new entry."""

    id: UUID
    chain: str
    seq: int
    tenant_id: UUID | None
    recorded_at: datetime
    occurred_at: datetime | None
    actor: str
    kind: str
    message: str
    params: Mapping[str, Any]
    subjects: tuple[SubjectRef, ...]
    client_id: UUID | None
    site_id: UUID | None
    data: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The last sequence and hash of a chain, kept in its own row and locked while appending."""

    chain: str
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signature over a chain's head at some sequence, made with the key kept outside the database."""

    chain: str
    seq: int
    hash: str
    signed_at: datetime
    key_id: str
    signature: str


@dataclass(frozen=True, slots=True)
class Breach:
    """The first place where a chain does not hold, in words an auditor can act on."""

    chain: str
    seq: int | None
    entry_id: UUID | None
    reason: str

    def __str__(self) -> str:
        where = f"entry {self.seq}" if self.seq is not None else "chain head"
        ident = f" (id {self.entry_id})" if self.entry_id else ""
        return f"chain {self.chain}, {where}{ident}: {self.reason}"
