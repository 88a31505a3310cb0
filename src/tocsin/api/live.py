"""Live updates: one WebSocket per console, fed from the logbook after commit.

The hub receives every committed entry (from the outbox, on the store's writer thread) and hands it to
the consoles of that tenant. Entries written by other processes (a receiver's signal worker, another
node) never pass through this process's outbox: the hub also follows the logbook of each tenant that
has a console connected, a few times a second, and publishes what was added there.

Each console has a bounded queue: one that cannot keep up gets a fresh snapshot instead of unbounded
memory. Each console tracks the last chain sequence it processed, so a gap (entries published out of
order by concurrent writers) is filled from the logbook, and a console that reconnects with the last
sequence it saw catches up without loss or duplicates.

Every ``CHECK_EVERY`` seconds the hub asks whether the credentials of the connected consoles still let
them in; the sockets of a session that was logged out (from any tab or process), expired or whose user
was disabled are closed with code 4401, so no tab keeps receiving the logbook after its session ended.

A field crew's login (``unit.report``, no ``logbook.read``) gets a feed of its own (:class:`CrewFeed`):
the entries about its unit and those about the event its unit is engaged on, nothing else of the tenant.
The event is read from the store when the socket opens and then followed from the unit's own entries as
they pass, in the chain's order (an engage names the new event, a release or an available ends it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from tocsin.domain.logbook import LogbookEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.domain.units import ENGAGED
from tocsin.domain.users import Principal
from tocsin.services import queries
from tocsin.services.auth import Credential
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store

log = logging.getLogger(__name__)

QUEUE_SIZE = 2048
SEND_AT_MOST = 500  # entries in one message to a console: a storm's entries go in few messages
SNAPSHOT_SIZE = 100
CATCH_UP_LIMIT = 500
HEARTBEAT_SECONDS = 15.0
FOLLOW_EVERY = 0.5  # seconds between looks at the logbook for entries written by other processes
FOLLOW_BURST = 20  # reads one look may chain while each comes back full
CHECK_EVERY = 2.0  # seconds between checks that the consoles' sessions and tokens still let them in
SESSION_OVER = 4401  # close code: the session or token no longer lets in
SESSION_OVER_REASON = "Your session is over: log in again."
NOT_A_CREW = 4403  # close code: a login with neither the logbook nor a unit to report for
NOT_A_CREW_REASON = "Your login reads no logbook and is linked to no unit."
_SNAPSHOT = object()  # queue marker: send a snapshot, the console fell behind
_END = object()  # queue marker: the session is over, close the socket
EndedCheck = Callable[[Collection[Credential]], set[Credential]]


def visible(entry: LogbookEntry, scope: Scope) -> bool:
    """Whether a logbook reader with this scope sees the entry."""
    if scope.all_tenants:
        return True
    if entry.chain != chain_for(scope.tenant_id):
        return False
    if scope.whole_tenant:
        return True
    return (entry.client_id in (scope.client_ids or ())) or (entry.site_id in (scope.site_ids or ()))


@dataclass(eq=False)
class CrewFeed:
    """What a field crew's socket may receive: the entries about its unit, and those about the event its
    unit is engaged on. ``sees`` is asked once per entry, in the chain's order: the unit's own entries
    move ``event_id`` (engaged on an event, or on none once released or available)."""

    unit_id: str
    event_id: str | None

    def about(self, entry: LogbookEntry) -> bool:
        """Whether the entry is about the crew's unit or about the event the unit is engaged on."""
        subjects = {(s.kind, s.id) for s in entry.subjects}
        if ("unit", self.unit_id) in subjects:
            return True
        return self.event_id is not None and ("incident", self.event_id) in subjects

    def sees(self, entry: LogbookEntry) -> bool:
        """Whether the crew receives the entry; the unit's own entries also move its event."""
        shown = self.about(entry)
        if entry.kind.startswith("unit.") and str(entry.params.get("unit_id")) == self.unit_id:
            incident, status = entry.params.get("incident_id"), entry.params.get("status")
            self.event_id = str(incident) if incident and status in ENGAGED else None
        return shown


def crew_of(uow: Any, principal: Principal) -> CrewFeed | None:
    """The feed of a crew's login: its linked unit and the event it is engaged on (None: no unit)."""
    user = uow.users.get(principal.user_id)
    unit = None if user is None or user.unit_id is None else uow.units.get(user.unit_id)
    if unit is None or unit.tenant_id != principal.tenant_id:
        return None
    return CrewFeed(str(unit.id), None if unit.event_id is None else str(unit.event_id))


@dataclass(eq=False)
class Console:
    """One connected console (or a crew's page: ``crew`` then filters what it receives)."""

    principal: Principal
    scope: Scope
    queue: asyncio.Queue[Any] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    last_seq: int = 0
    behind: bool = False
    caught_up: bool = False  # what the logbook held when it connected has been sent
    credential: Credential | None = None  # what it logged in with, checked every CHECK_EVERY seconds
    ended: bool = False
    crew: CrewFeed | None = None  # a field crew's page: its unit's and its event's entries only

    @property
    def chain(self) -> str:
        return chain_for(self.principal.tenant_id)

    def offer(self, entry: LogbookEntry) -> None:
        """Queue an entry, or replace the backlog with a snapshot marker when the queue is full."""
        if self.behind or self.ended:
            return
        try:
            self.queue.put_nowait(entry)
        except asyncio.QueueFull:
            self.behind = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(_SNAPSHOT)

    def end(self) -> None:
        """Drop what is queued and ask the connection to close: the session is over."""
        self.ended = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(_END)


class LiveHub:
    """Fans committed logbook entries out to the consoles that may see them."""

    def __init__(self, store: Store, clock: Clock, ended: EndedCheck | None = None) -> None:
        self._store = store
        self._clock = clock
        self._ended = ended
        self._consoles: set[Console] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._published: dict[str, int] = {}  # per chain, the last sequence offered to consoles

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on this event loop from now on."""
        self._loop = loop

    def publish_threadsafe(self, entry: LogbookEntry) -> None:
        """Called by the outbox after commit, from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.publish, entry)

    def publish(self, entry: LogbookEntry) -> None:
        """Offer an entry to every console of its chain (on the event loop)."""
        self._published[entry.chain] = max(self._published.get(entry.chain, 0), entry.seq)
        for console in self._consoles:
            if console.chain == entry.chain:
                console.offer(entry)

    async def follow(self, stop: asyncio.Event) -> None:
        """Until ``stop``: publish the entries other processes added to the chains consoles watch."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), FOLLOW_EVERY)
            for tenant_id in {c.principal.tenant_id for c in self._consoles}:
                try:
                    # a full read means more is waiting (a storm written by a worker): read on at once
                    for _ in range(FOLLOW_BURST):
                        if await self._follow_chain(tenant_id) < CATCH_UP_LIMIT:
                            break
                except Exception:  # the store away: consoles catch up when it returns
                    log.warning("could not follow the logbook of tenant %s", tenant_id, exc_info=True)

    async def watch_sessions(self, stop: asyncio.Event) -> None:
        """Until ``stop``: close the consoles whose session or token no longer lets them in."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), CHECK_EVERY)
            try:
                await self.check_sessions()
            except Exception:  # the store away: checked again at the next turn
                log.warning("could not check the consoles' sessions", exc_info=True)

    async def check_sessions(self) -> int:
        """Close the consoles whose credentials ended; return how many were closed."""
        if self._ended is None:
            return 0
        watched = [c for c in self._consoles if c.credential is not None and not c.ended]
        credentials = {c.credential for c in watched if c.credential is not None}
        if not credentials:
            return 0
        over = await asyncio.to_thread(self._ended, credentials)
        closing = [c for c in watched if c.credential in over]
        for console in closing:
            console.end()
        return len(closing)

    async def _follow_chain(self, tenant_id: Any) -> int:
        """Publish what other processes added to the tenant's chain since the last look; how many."""
        chain = chain_for(tenant_id)
        seen = self._published.get(chain)
        if seen is None:  # first look: from where the consoles' catch-up ended, so nothing falls between
            ready = [c.last_seq for c in self._consoles if c.chain == chain and c.caught_up]
            if not ready:
                return 0
            seen = self._published[chain] = min(ready)
        scope = Scope.tenant(tenant_id)
        found = await asyncio.to_thread(
            self._read, lambda uow: queries.entries_after(uow, scope, seen, CATCH_UP_LIMIT)
        )
        for entry in found:
            self.publish(entry)  # a console skips what it already has, by sequence
        return len(found)

    @property
    def consoles(self) -> int:
        """How many consoles are connected."""
        return len(self._consoles)

    async def serve(
        self, websocket: WebSocket, principal: Principal, after: int, credential: Credential | None = None
    ) -> None:
        """Run one console's connection until it closes (or its session ends). A login that may read the
        logbook gets its scope of it; a field crew's login (``unit.report``) the feed of its unit."""
        crewed = not principal.can("logbook.read")
        scope = Scope.tenant(principal.tenant_id) if crewed else principal.scope_for("logbook.read")
        console = Console(principal, scope, credential=credential)
        self._consoles.add(console)  # subscribe first, then read: nothing falls between the two
        try:
            head, crew = await asyncio.to_thread(
                self._read,
                lambda uow: (
                    queries.chain_head(uow, principal.tenant_id),
                    crew_of(uow, principal) if crewed else None,
                ),
            )
            if crewed and crew is None:
                await websocket.close(code=NOT_A_CREW, reason=NOT_A_CREW_REASON)
                return
            console.crew = crew
            await websocket.send_json({"type": "hello", "seq": head, "chain": console.chain})
            if head - after > CATCH_UP_LIMIT:
                await self._send_snapshot(websocket, console)
            else:
                await self._send_after(websocket, console, after)
                console.last_seq = max(console.last_seq, head)
            console.caught_up = True
            await self._pump(websocket, console)
        except (WebSocketDisconnect, RuntimeError):  # the console went away mid-send
            pass
        finally:
            self._consoles.discard(console)

    def _read(self, fn: Any) -> Any:
        return self._store.read(fn, Scope.system())

    async def _send_after(self, websocket: WebSocket, console: Console, after: int) -> None:
        found = await asyncio.to_thread(
            self._read, lambda uow: queries.entries_after(uow, console.scope, after, CATCH_UP_LIMIT)
        )
        if found:
            views = self._views(found, console)
            if views:  # a crew's page may see none of them
                await websocket.send_json({"type": "entries", "entries": views})
            console.last_seq = max(console.last_seq, found[-1].seq)

    async def _send_snapshot(self, websocket: WebSocket, console: Console) -> None:
        tenant = console.principal.tenant_id

        def read(uow: Any) -> tuple[int, list[LogbookEntry], CrewFeed | None]:
            crew = None if console.crew is None else crew_of(uow, console.principal)
            return (
                queries.chain_head(uow, tenant),
                queries.latest_entries(uow, console.scope, SNAPSHOT_SIZE),
                crew,
            )

        head, latest, crew = await asyncio.to_thread(self._read, read)
        if console.crew is not None:  # its unit's engagement as it stands at the head
            console.crew = crew or CrewFeed(console.crew.unit_id, None)
            latest = [e for e in latest if console.crew.about(e)]
        console.behind = False
        console.last_seq = head
        views = [queries.console_entry_view(e, console.principal.language) for e in latest]  # filtered
        await websocket.send_json({"type": "snapshot", "seq": head, "entries": views})

    def _views(self, entries: list[LogbookEntry], console: Console) -> list[dict[str, Any]]:
        """The entries as the console shows them; a crew's page only those its feed lets through (asked
        once per entry, in order: catch-up, gap fills and live entries all come this way; a snapshot is
        filtered where it is read)."""
        crew = console.crew
        return [
            queries.console_entry_view(e, console.principal.language)
            for e in entries
            if crew is None or crew.sees(e)
        ]

    async def _pump(self, websocket: WebSocket, console: Console) -> None:
        """Send what the console's queue receives until the socket closes. The wait for the queue also
        watches the socket: a console that went away (or a server shutting down, which closes every
        socket) ends the connection at once, not at the next heartbeat."""
        receiver = asyncio.ensure_future(self._drain_incoming(websocket))
        getter: asyncio.Future[Any] | None = None
        try:
            while not receiver.done():
                if getter is None:
                    getter = asyncio.ensure_future(console.queue.get())
                done, _ = await asyncio.wait(
                    (getter, receiver), timeout=HEARTBEAT_SECONDS, return_when=asyncio.FIRST_COMPLETED
                )
                if not done:
                    await websocket.send_json({"type": "heartbeat", "at": self._clock.now().isoformat()})
                    continue
                if getter not in done:
                    break  # the socket closed
                items = [getter.result()]  # and whatever else waits: sent together, in order
                getter = None
                while len(items) < SEND_AT_MOST and not console.queue.empty():
                    items.append(console.queue.get_nowait())
                await self._deliver(websocket, console, items)
        finally:
            if getter is not None:
                getter.cancel()  # a pending get takes nothing from the queue
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await receiver

    async def _deliver(self, websocket: WebSocket, console: Console, items: list[Any]) -> None:
        """Send queued entries in order, as few messages as their sequence allows; a marker (session over,
        snapshot) or a gap to fill from the logbook first sends what was gathered before it."""
        views: list[dict[str, Any]] = []

        async def flush() -> None:
            if views:
                await websocket.send_json({"type": "entries", "entries": list(views)})
                views.clear()

        for item in items:
            if item is _END:
                await flush()
                await websocket.close(code=SESSION_OVER, reason=SESSION_OVER_REASON)
                raise WebSocketDisconnect(SESSION_OVER)
            if item is _SNAPSHOT:
                await flush()
                await self._send_snapshot(websocket, console)
                continue
            entry: LogbookEntry = item
            if entry.seq <= console.last_seq:
                continue  # already sent (catch-up or an out-of-order publish)
            if entry.seq > console.last_seq + CATCH_UP_LIMIT:
                await flush()
                await self._send_snapshot(websocket, console)
                continue
            if entry.seq > console.last_seq + 1:  # a gap: fill it from the logbook
                await flush()
                await self._send_after(websocket, console, console.last_seq)
                console.last_seq = max(console.last_seq, entry.seq)
                continue
            console.last_seq = entry.seq
            if visible(entry, console.scope):
                views.extend(self._views([entry], console))
        await flush()

    async def _drain_incoming(self, websocket: WebSocket) -> None:
        """Read (and ignore) what the console sends, so a closed socket ends the connection."""
        while True:
            await websocket.receive_text()
