"""The in-memory twin of the SQL signal store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tocsin.domain.scope import Scope
from tocsin.domain.signals import PendingSignal, Signal


class InMemorySignalStore:
    """Signals in a dict by id (the snapshot's own copy)."""

    def __init__(
        self, signals: dict[UUID, Signal], processed: dict[UUID, datetime], site_clients: dict[UUID, UUID]
    ) -> None:
        self._signals = signals
        self._processed = processed
        self._site_clients = site_clients

    def insert_many(self, signals: Sequence[Signal]) -> int:
        """Like the SQL store: a signal clashing on its id or its stored-once key is skipped."""
        keys = {k for s in self._signals.values() if (k := s.stored_once_key()) is not None}
        new = 0
        for signal in signals:
            key = signal.stored_once_key()
            if signal.id in self._signals or (key is not None and key in keys):
                continue
            self._signals[signal.id] = signal
            if key is not None:
                keys.add(key)
            new += 1
        return new

    def pending(self, limit: int) -> list[Signal]:
        waiting = [s for s in self._signals.values() if s.id not in self._processed]
        return sorted(waiting, key=lambda s: (s.received_at, s.id))[:limit]

    def pending_work(self, limit: int) -> list[PendingSignal]:
        return [
            PendingSignal(
                s.id,
                s.tenant_id,
                s.site_id,
                s.occurred_at,
                s.listener,
                s.account_number,
                s.problem,
                tuple(e.to_json() for e in s.events),
                s.received_at,
                s.account_id,
            )
            for s in self.pending(limit)
        ]

    def pending_ids(self, limit: int) -> list[UUID]:
        return [s.id for s in self.pending(limit)]

    def backlog(self, limit: int) -> tuple[int, datetime | None]:
        waiting = self.pending(limit)
        return len(waiting), waiting[0].received_at if waiting else None

    def pending_by_id(self, ids: Sequence[UUID]) -> list[Signal]:
        wanted = set(ids)
        waiting = [s for s in self._signals.values() if s.id in wanted and s.id not in self._processed]
        return sorted(waiting, key=lambda s: (s.received_at, s.id))

    def mark_processed(self, ids: Sequence[UUID], at: datetime) -> int:
        marked = 0
        for signal_id in ids:
            if signal_id in self._signals and signal_id not in self._processed:
                self._processed[signal_id] = at
                marked += 1
        return marked

    def _visible(self, scope: Scope, signal: Signal) -> bool:
        if scope.all_tenants:
            return True
        if signal.tenant_id != scope.tenant_id:
            return False
        if scope.whole_tenant:
            return True
        client = self._site_clients.get(signal.site_id) if signal.site_id else None
        return signal.site_id in (scope.site_ids or ()) or client in (scope.client_ids or ())

    def find(
        self,
        scope: Scope,
        *,
        account_number: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[Signal]:
        found = [
            s
            for s in self._signals.values()
            if self._visible(scope, s)
            and (account_number is None or s.account_number == account_number.upper())
            and (since is None or s.received_at >= since)
        ]
        return sorted(found, key=lambda s: (s.received_at, s.id), reverse=True)[:limit]
