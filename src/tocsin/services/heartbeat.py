"""Processes that say they are alive: each long-running process of a node (``tocsin serve``, ``tocsin
receiver``, ``tocsin worker``) moves a deadline of its own forward every few seconds. A process that
dies without stopping (killed, hung, its machine off) lets its deadline come due, and whichever node's
scheduler fires it raises a ``process_silent`` technical alarm on every tenant; the process's first beat
when it is back restores it. A process that stops cleanly cancels its deadline: no alarm for a planned
stop. The pending heartbeats are also the station page's list of the room's nodes and processes.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import Any

import structlog

from tocsin.domain import alarms as a
from tocsin.domain.deadlines import Deadline
from tocsin.domain.scope import Scope
from tocsin.services.alarm_rules import raise_technical, restore_technical
from tocsin.services.ports import Clock
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import Store, UnitOfWork

log = structlog.get_logger()
KIND = "process.heartbeat"
CLASS = "process_silent"
ZONE = "000"


class Heartbeat:
    """One process's beat: ``node|process`` armed ``silent_after`` seconds ahead, every ``every`` s."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        node: str,
        process: str,
        pid: int,
        *,
        silent_after: float = 60.0,
    ) -> None:
        self._store = store
        self._clock = clock
        self.key = f"{node}|{process}"
        self._payload: dict[str, Any] = {"node": node, "process": process, "pid": pid}
        self._started = clock.now().isoformat()
        self.silent_after = silent_after

    def beat(self) -> bool:
        """Move the deadline forward and restore a silence alarm if one is open (the process was hung or
        down, and beats again); False when the store failed."""
        now = self._clock.now()
        payload = self._payload | {"started_at": self._started, "seen_at": now.isoformat()}

        def write(uow: UnitOfWork) -> None:
            due = now + timedelta(seconds=self.silent_after)
            arm(uow, KIND, self.key, due, payload=payload | {"silent_after": self.silent_after})
            for tenant in uow.tenants.find():  # one indexed read each: nothing open, nothing written
                restore_technical(uow, tenant.id, CLASS, self.key, ZONE, now)

        try:
            self._store.write(write, Scope.system())
        except Exception:  # the database is away: beat again later, and restore then
            log.warning("heartbeat.not_written", key=self.key)
            return False
        return True

    def stop(self) -> None:
        """A clean stop: the deadline is cancelled, so no silence alarm follows."""
        with contextlib.suppress(Exception):
            self._store.write(lambda uow: uow.deadlines.cancel(KIND, self.key), Scope.system())

    async def run(self, stop: asyncio.Event) -> None:
        """Beat now and every quarter of ``silent_after`` until ``stop``; then cancel the deadline."""
        while not stop.is_set():
            await asyncio.to_thread(self.beat)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.silent_after / 4)
        await asyncio.to_thread(self.stop)


def on_silent(uow: UnitOfWork, deadline: Deadline) -> None:
    """The scheduler's handler: a process stopped beating. A technical alarm on every tenant."""
    node = str(deadline.payload.get("node", "?"))
    process = str(deadline.payload.get("process", "?"))
    seen = str(deadline.payload.get("seen_at", "?"))[:19].replace("T", " ")
    now = uow.clock.now()
    happening = a.Happening(
        now,
        CLASS,
        deadline.key,
        ZONE,
        f"Process {process} of {node} silent since {seen} UTC",
        f"Processus {process} de {node} muet depuis {seen} UTC",
    )
    for tenant in uow.tenants.find():
        raise_technical(uow, tenant.id, None, happening)


def processes(uow: UnitOfWork, now: datetime) -> list[dict[str, Any]]:
    """The processes beating now (and those whose beat is overdue but not fired yet), by node."""
    found = []
    for deadline in uow.deadlines.pending(KIND):
        late = deadline.due_at <= now
        found.append(
            {
                "node": str(deadline.payload.get("node", "?")),
                "name": str(deadline.payload.get("process", "?")),
                "pid": deadline.payload.get("pid"),
                "started_at": deadline.payload.get("started_at"),
                "seen_at": deadline.payload.get("seen_at"),
                "state": "silent" if late else "ok",
            }
        )
    return sorted(found, key=lambda p: (p["node"], p["name"]))
