"""Link supervision: each transmitter path must report within its interval, or the room is told.

A path is the receiving node, the listener and the transmitter's receiver/line/account, written
``node|listener|Rreceiver|Lline|#account``. Every frame (NULL polls included) refreshes its path in
memory; once a second the refreshed paths are written in one transaction as deadlines (``supervision``
kind, one per path, moved on each refresh), so polls are never stored one by one. The map of refreshed
paths belongs to the event loop: it is handed over on the loop and only the write runs in a thread.
When a deadline fires, the path was silent too long: a technical alarm is recorded. After the receiver's
own outage, this node's deadlines are re-armed from its restart, so our downtime never becomes a storm of
false "missing test" alarms; other nodes' paths are theirs to re-arm.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import structlog

from tocsin.domain.deadlines import Deadline
from tocsin.domain.events import SupervisionLost
from tocsin.domain.scope import Scope
from tocsin.services.handlers.alarms import link_lost
from tocsin.services.ports import Clock
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import Store, UnitOfWork

log = structlog.get_logger()
KIND = "supervision"
FLUSH_EVERY = 1.0


@dataclass(frozen=True, slots=True)
class Heard:
    """The last time a path was heard from."""

    path: str
    account_id: UUID
    tenant_id: UUID
    site_id: UUID
    account: str
    interval: int
    at: datetime


class LinkSupervisor:
    """Keeps the newest message time per path and writes them as deadlines in batches."""

    def __init__(self, store: Store, clock: Clock, *, flush_every: float = FLUSH_EVERY) -> None:
        self._store = store
        self._clock = clock
        self._flush_every = flush_every
        self._heard: dict[str, Heard] = {}

    def heard(self, heard: Heard) -> None:
        """A frame came in on this path (called on the hot path: memory only)."""
        self._heard[heard.path] = heard

    def flush(self) -> int:
        """Write the refreshed paths' deadlines; return how many (for callers on the map's own thread)."""
        batch = self._take()
        written = self._write(batch)
        if not written:
            self._put_back(batch)
        return written

    def _take(self) -> dict[str, Heard]:
        batch, self._heard = self._heard, {}
        return batch

    def _put_back(self, batch: dict[str, Heard]) -> None:
        """A batch that was not written goes back, unless a newer frame was heard since."""
        for path, h in batch.items():
            self._heard.setdefault(path, h)

    def _write(self, batch: dict[str, Heard]) -> int:
        """Write ``batch``'s deadlines (any thread: touches nothing but ``batch``); 0 if it failed."""
        if not batch:
            return 0

        def write(uow: UnitOfWork) -> None:
            for h in batch.values():
                payload = {
                    "account_id": str(h.account_id),
                    "site_id": str(h.site_id),
                    "account": h.account,
                    "interval": h.interval,
                    "last": h.at.isoformat(),
                }
                arm(
                    uow,
                    KIND,
                    h.path,
                    h.at + timedelta(seconds=h.interval),
                    tenant_id=h.tenant_id,
                    payload=payload,
                )

        try:
            self._store.write(write, Scope.system())
        except Exception:
            log.exception("supervision.flush_failed", paths=len(batch))
            return 0
        return len(batch)

    async def run(self, stop: asyncio.Event) -> None:
        """Flush once a second until ``stop``, then a last time. The map is taken and given back on the
        loop; only the store write runs in a thread."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._flush_every)
            batch = self._take()
            if batch and not await asyncio.to_thread(self._write, batch):
                self._put_back(batch)


def rearm_after_restart(uow: UnitOfWork, now: datetime, node: str) -> int:
    """Give every path supervised by ``node`` a full interval from now; return how many deadlines moved.

    Another node's paths are left alone: that node is running, or re-arms its own when it starts."""
    moved = 0
    for deadline in uow.deadlines.pending(KIND):
        if not deadline.key.startswith(f"{node}|"):
            continue
        interval = timedelta(seconds=int(deadline.payload.get("interval", 0)))
        if deadline.due_at < now + interval:
            uow.deadlines.arm(
                Deadline(
                    id=deadline.id,
                    kind=KIND,
                    key=deadline.key,
                    due_at=now + interval,
                    tenant_id=deadline.tenant_id,
                    payload=deadline.payload,
                )
            )
            moved += 1
    return moved


def describe_path(path: str) -> dict[str, str]:
    """A path key (``node|tcp:9000|R1|L2|#1234``) in the words an operator reads: transport, port,
    receiver and line numbers (0 when the transmitter sends none)."""
    parts = path.split("|")
    if len(parts) != 5:  # a key written by another version: say it as it is
        return {"transport": path, "port": "?", "receiver": "?", "line": "?"}
    _node, listener, receiver, line, _account = parts
    transport, _, port = listener.partition(":")
    return {"transport": transport.upper(), "port": port, "receiver": receiver[1:], "line": line[1:]}


def on_silence(uow: UnitOfWork, deadline: Deadline) -> None:
    """The scheduler's handler: a path stayed silent past its interval. Its entry names the site and
    the path in words, and stands for the deadline (the scheduler writes no second entry)."""
    payload = deadline.payload
    site_id = UUID(str(payload["site_id"]))
    site = uow.sites.get(site_id)
    uow.record(
        SupervisionLost(
            tenant_id=deadline.tenant_id,
            account_id=UUID(str(payload["account_id"])),
            site_id=site_id,
            client_id=None if site is None else site.client_id,
            account=str(payload["account"]),
            path=deadline.key,
            last_message_at=datetime.fromisoformat(str(payload["last"])),
            interval_seconds=int(payload["interval"]),
            site_ref="?" if site is None else site.ref,
            site_name="?" if site is None else site.name,
            **describe_path(deadline.key),
        ),
        "supervision",
    )
    path = describe_path(deadline.key)
    account, interval = str(payload["account"]), int(payload["interval"])
    where = f"{path['transport']} port {path['port']}"
    link_lost(
        uow,
        deadline.tenant_id,
        site_id,
        account,
        f"Link lost: #{account} silent over {interval} s on {where}",
        f"Perte de liaison\u00a0: #{account} muet depuis plus de {interval}\u00a0s sur {where}",
    )
