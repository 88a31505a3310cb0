"""After signals are committed: each event becomes a logbook entry, each problem a technical alarm.

This runs off the hot path, after the ACK, in its own transaction. If it fails the signals stay stored
(they are the truth) and the failure is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain.events import Event, SignalProblem, SignalReceived
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)
ACTOR = "receiver"


def record_signals(uow: UnitOfWork, signals: list[Signal]) -> int:
    """Write the logbook entries of stored signals in one batch; return how many were written."""
    events: list[tuple[Event, str, datetime | None]] = []
    clients: dict[UUID, UUID | None] = {}
    for signal in signals:
        if signal.problem is not None and (signal.tenant_id is None or not signal.events):
            problem = SignalProblem(
                tenant_id=signal.tenant_id,
                signal_id=signal.id,
                listener=signal.listener,
                account=signal.account_number or "?",
                problem=signal.problem,
            )
            events.append((problem, ACTOR, signal.occurred_at))
            continue
        if signal.site_id is not None and signal.site_id not in clients:
            site = uow.sites.get(signal.site_id)
            clients[signal.site_id] = None if site is None else site.client_id
        client_id = None if signal.site_id is None else clients[signal.site_id]
        events.extend(
            (_received(signal, event, client_id), ACTOR, signal.occurred_at) for event in signal.events
        )
    uow.record_many(events)
    return len(events)


def _received(signal: Signal, event: Mapping[str, Any], client_id: UUID | None) -> SignalReceived:
    return SignalReceived(
        tenant_id=signal.tenant_id,
        signal_id=signal.id,
        site_id=signal.site_id,
        client_id=client_id,
        account=signal.account_number or "?",
        code=str(event.get("code", "")),
        event_class=str(event.get("class", "other")),
        label_en=str(event.get("label_en", "")),
        label_fr=str(event.get("label_fr", "")),
        zone=str(event.get("zone", "")),
    )


def after_commit(store: Store) -> Callable[[list[Signal]], None]:
    """A committer listener that records entries in the background, in commit order.

    Signals committed while a write of entries runs are gathered into the next one, so under load the
    entries cost one transaction for many batches.
    """
    pending: list[Signal] = []
    running: list[asyncio.Task[None]] = []

    async def drain() -> None:
        while pending:
            batch = pending[:]
            pending.clear()
            try:
                await asyncio.to_thread(
                    store.write, lambda uow, b=batch: record_signals(uow, b), Scope.system()
                )
            except Exception:
                log.exception("logbook entries for %d stored signals failed", len(batch))

    def schedule(signals: list[Signal]) -> None:
        pending.extend(signals)
        if not running or running[-1].done():
            running[:] = [asyncio.get_running_loop().create_task(drain())]

    return schedule
