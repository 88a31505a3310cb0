"""Link supervision: each transmitter path must report within its interval, or the room is told.

A path is the receiving node, the listener and the transmitter's receiver/line/account. Every frame
(NULL polls included) refreshes its path in memory; once a second the refreshed paths are written in one
transaction as deadlines (``supervision`` kind, one per path, moved on each refresh), so polls are never
stored one by one. When a deadline fires, the path was silent too long: a technical alarm is recorded.
After the receiver's own outage, deadlines are re-armed from its restart, so our downtime never becomes
a storm of false "missing test" alarms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tocsin.domain.deadlines import Deadline
from tocsin.domain.events import SupervisionLost
from tocsin.domain.scope import Scope
from tocsin.services.ports import Clock
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)
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

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._heard: dict[str, Heard] = {}

    def heard(self, heard: Heard) -> None:
        """A frame came in on this path (called on the hot path: memory only)."""
        self._heard[heard.path] = heard

    def flush(self) -> int:
        """Write the refreshed paths' deadlines; return how many."""
        batch, self._heard = self._heard, {}
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
            log.exception("supervision deadlines not written; they will be on the next frames")
            for path, h in batch.items():
                self._heard.setdefault(path, h)
            return 0
        return len(batch)

    async def run(self, stop: asyncio.Event) -> None:
        """Flush once a second until ``stop``, then a last time."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), FLUSH_EVERY)
            await asyncio.to_thread(self.flush)


def rearm_after_restart(uow: UnitOfWork, now: datetime) -> int:
    """Give every supervised path a full interval from now; return how many deadlines moved."""
    moved = 0
    for deadline in uow.deadlines.pending():
        if deadline.kind != KIND:
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
