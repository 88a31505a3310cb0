"""The in-memory twin of the SQL deadline store: one pending deadline per (kind, key)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tocsin.domain.deadlines import Deadline


class InMemoryDeadlineStore:
    """Deadlines in a dict, keyed by id, over one snapshot of the in-memory state.

    Deadlines are frozen; their payloads are copied on the way in and out, so a stored deadline is
    never changed in place.
    """

    def __init__(self, deadlines: dict[UUID, Deadline]) -> None:
        self._deadlines = deadlines

    def _pending(self) -> list[Deadline]:
        waiting = [d for d in self._deadlines.values() if d.fired_at is None]
        return sorted(waiting, key=lambda d: (d.due_at, d.id))

    def _pending_with(self, kind: str, key: str) -> Deadline | None:
        return next((d for d in self._pending() if (d.kind, d.key) == (kind, key)), None)

    def arm(self, deadline: Deadline) -> Deadline:
        """Add the deadline, or move the pending one with the same kind and key."""
        current = self._pending_with(deadline.kind, deadline.key)
        if current is None:
            stored = dataclasses.replace(
                deadline, payload=copy.deepcopy(dict(deadline.payload)), fired_at=None
            )
        else:
            stored = dataclasses.replace(
                current, due_at=deadline.due_at, payload=copy.deepcopy(dict(deadline.payload))
            )
        self._deadlines[stored.id] = stored
        return _copy(stored)

    def add_new(self, deadlines: Sequence[Deadline]) -> None:
        """Add deadlines whose keys no pending deadline has."""
        for deadline in deadlines:
            if self._pending_with(deadline.kind, deadline.key) is not None:
                raise ValueError(f"a {deadline.kind} deadline {deadline.key} is already pending")
            stored = dataclasses.replace(
                deadline, payload=copy.deepcopy(dict(deadline.payload)), fired_at=None
            )
            self._deadlines[stored.id] = stored

    def cancel(self, kind: str, key: str) -> bool:
        """Remove a pending deadline; True when one was pending."""
        current = self._pending_with(kind, key)
        if current is None:
            return False
        del self._deadlines[current.id]
        return True

    def claim_due(self, now: datetime, limit: int, exclude: frozenset[UUID] = frozenset()) -> list[Deadline]:
        """Due, unfired deadlines (but those in ``exclude``), earliest first, now marked fired."""
        due = [d for d in self._pending() if d.due_at <= now and d.id not in exclude][:limit]
        claimed = []
        for deadline in due:
            fired = dataclasses.replace(deadline, fired_at=now)
            self._deadlines[fired.id] = fired
            claimed.append(_copy(fired))
        return claimed

    def next_due(self) -> datetime | None:
        """When the earliest pending deadline is due."""
        pending = self._pending()
        return pending[0].due_at if pending else None

    def pending(self, kind: str | None = None) -> list[Deadline]:
        """All unfired deadlines (only of ``kind`` when given), by due time."""
        return [_copy(d) for d in self._pending() if kind is None or d.kind == kind]


def _copy(deadline: Deadline) -> Deadline:
    return dataclasses.replace(deadline, payload=copy.deepcopy(dict(deadline.payload)))
