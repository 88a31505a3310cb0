"""Writes a console keyed itself, so a replay writes them once (degraded mode, docs/degraded.md).

A note typed while the server was away is kept in the browser with a key the browser made (a UUID) and
the time it was typed; when the server answers again the console sends its notes in order. A note sent
twice (the answer to the first try was lost, two tabs replayed the same store) must be written once:
the handler *claims* the key in the note's own transaction, and writes the note only if the claim is
new. The store's primary key on (tenant, key) makes the claim hold across processes and nodes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from tocsin.domain.errors import InvalidInput

if TYPE_CHECKING:  # the unit of work names this module's port
    from tocsin.services.unit_of_work import UnitOfWork

KEPT_AT_MOST = timedelta(days=7)  # a note typed longer ago than this is refused: no browser keeps one so long
AHEAD_AT_MOST = timedelta(minutes=5)  # a workstation clock this far ahead of the server's is refused


class ClientWrites(Protocol):
    """The keys of the writes consoles keyed themselves."""

    def claim(self, tenant_id: UUID, key: UUID, kind: str, subject: str, at: datetime) -> bool:
        """Claim ``key`` for this write; False when it was claimed before (the write is a replay)."""
        ...


def check_typed_at(typed_at: datetime | None, now: datetime) -> datetime | None:
    """The time a note was typed, as the browser kept it; refused when it cannot be right."""
    if typed_at is None:
        return None
    if typed_at.tzinfo is None:
        raise InvalidInput("A note's typing time needs its time zone (ISO 8601 ending in Z or +hh:mm).")
    if typed_at > now + AHEAD_AT_MOST:
        raise InvalidInput(
            "This note's typing time is ahead of the server's clock: check the workstation's clock."
        )
    if typed_at < now - KEPT_AT_MOST:
        raise InvalidInput("This note was typed more than 7 days ago: write it again with today's time.")
    return typed_at


def first_time(uow: UnitOfWork, tenant_id: UUID, key: UUID | None, kind: str, subject: str) -> bool:
    """Whether a write keyed ``key`` by its console is new (claimed now); unkeyed writes always are."""
    if key is None:
        return True
    return uow.client_writes.claim(tenant_id, key, kind, subject, uow.clock.now())
