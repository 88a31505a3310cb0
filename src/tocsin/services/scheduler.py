"""The deadline scheduler: persisted timers, each fired exactly once, that survive restarts.

A deadline is claimed and its handler run in one transaction: if the handler fails, the claim rolls
back with it and the deadline fires on a later pass; if it succeeds, no node fires it again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tocsin.domain.deadlines import Deadline
from tocsin.domain.events import DeadlineFired
from tocsin.domain.scope import Scope
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)

DeadlineHandler = Callable[[UnitOfWork, Deadline], None]
IDLE_POLL = timedelta(seconds=1)  # other nodes may arm deadlines we were not told about


def arm(
    uow: UnitOfWork,
    kind: str,
    key: str,
    due_at: datetime,
    *,
    tenant_id: UUID | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Deadline:
    """Arm a deadline in the caller's transaction (or move the pending one of the same key)."""
    return uow.deadlines.arm(
        Deadline(
            id=uow.clock.new_id(),
            kind=kind,
            key=key,
            due_at=due_at,
            tenant_id=tenant_id,
            payload=dict(payload or {}),
        )
    )


class Scheduler:
    """Fires due deadlines through their kind's handler."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._handlers: dict[str, DeadlineHandler] = {}
        self._wake = asyncio.Event()

    def register(self, kind: str, handler: DeadlineHandler) -> None:
        """Handle deadlines of ``kind`` with ``handler(uow, deadline)``."""
        self._handlers[kind] = handler

    def wake(self) -> None:
        """Tell a running loop that a deadline was armed, so it re-reads the next due time."""
        self._wake.set()

    def fire_due(self) -> int:
        """Fire every deadline due now, one transaction each; return how many fired."""
        fired, failed = 0, set[UUID]()
        while True:
            outcome = self._fire_one(failed)
            if outcome is None:
                return fired
            if outcome:
                fired += 1

    def _fire_one(self, failed: set[UUID]) -> bool | None:
        """Fire one due deadline: True when fired, False when its handler failed, None when none."""
        claimed: list[Deadline] = []

        def fire(uow: UnitOfWork) -> None:
            due = uow.deadlines.claim_due(self._clock.now(), 1, exclude=frozenset(failed))
            if not due:
                return
            deadline = due[0]
            claimed.append(deadline)
            handler = self._handlers.get(deadline.kind)
            written = len(uow.written)
            if handler is not None:
                handler(uow, deadline)
            else:
                log.warning("no handler for deadline kind %s; recorded as fired", deadline.kind)
            if len(uow.written) > written:
                return  # the handler's own entry (an alarm, a reminder) is the record of this deadline
            uow.record(
                DeadlineFired(
                    tenant_id=deadline.tenant_id,
                    deadline_id=deadline.id,
                    deadline_kind=deadline.kind,
                    key=deadline.key,
                    due_at=deadline.due_at,
                ),
                actor="scheduler",
            )

        try:
            self._store.write(fire, Scope.system())
        except Exception:
            if not claimed:
                raise
            log.exception("deadline %s (%s) failed; it will be retried", claimed[0].key, claimed[0].kind)
            failed.add(claimed[0].id)
            return False
        return True if claimed else None

    def next_due(self) -> datetime | None:
        """When the earliest pending deadline is due."""
        return self._store.read(lambda uow: uow.deadlines.next_due(), Scope.system())

    async def run(self, stop: asyncio.Event) -> None:
        """Fire deadlines as they come due until ``stop`` is set."""
        while not stop.is_set():
            await asyncio.to_thread(self.fire_due)
            next_due = await asyncio.to_thread(self.next_due)
            wait = IDLE_POLL
            if next_due is not None:
                wait = min(wait, max(next_due - self._clock.now(), timedelta(0)))
            self._wake.clear()
            sleepers = [
                asyncio.ensure_future(stop.wait()),
                asyncio.ensure_future(self._wake.wait()),
            ]
            await asyncio.wait(sleepers, timeout=wait.total_seconds(), return_when=asyncio.FIRST_COMPLETED)
            for task in sleepers:
                task.cancel()
