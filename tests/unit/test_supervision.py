"""Link supervision under a fake clock: silence past the interval alarms; our own outage does not."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from typing import Any

from structlog.testing import capture_logs

from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.i18n.catalogue import render
from tocsin.services import supervision
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.scheduler import Scheduler
from tocsin.services.supervision import Heard, LinkSupervisor
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore

INTERVAL = 180


def setup() -> tuple[InMemoryStore, FakeClock, Scheduler, LinkSupervisor, Heard]:
    clock = FakeClock()
    store = InMemoryStore(clock)
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    system = Scope.system()
    tenant = bus.handle(c.CreateTenant("arc", "ARC"), scope=system, actor="t")
    client = bus.handle(c.CreateClient(tenant.id, "c", "Client"), scope=system, actor="t")
    site = bus.handle(c.CreateSite(tenant.id, client.id, "s", "Site"), scope=system, actor="t")
    account = bus.handle(c.AddAccount(site.id, "1234", supervision_seconds=INTERVAL), scope=system, actor="t")
    scheduler = Scheduler(store, clock)
    scheduler.register(supervision.KIND, supervision.on_silence)
    heard = Heard("n1|tcp:9000|R0|L0|#1234", account.id, tenant.id, site.id, "1234", INTERVAL, clock.now())
    return store, clock, scheduler, LinkSupervisor(store, clock), heard


def lost(store: InMemoryStore) -> list[dict[str, object]]:
    entries = store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
    return [dict(e.data) for e in entries if e.kind == "signal.supervision_lost"]


def test_a_silent_path_raises_a_technical_alarm_once() -> None:
    """No frame for longer than the interval fires one supervision alarm for that path."""
    store, clock, scheduler, supervisor, heard = setup()
    supervisor.heard(heard)
    assert supervisor.flush() == 1
    clock.advance(INTERVAL - 1)
    assert scheduler.fire_due() == 0
    clock.advance(2)
    assert scheduler.fire_due() == 1
    clock.advance(3600)
    scheduler.fire_due()  # the alarm's escalation fires: never a second supervision alarm
    assert [a["path"] for a in lost(store)] == [heard.path]


def test_each_frame_pushes_the_deadline_back() -> None:
    """A poll inside the interval keeps the path alive; polls are not stored one by one."""
    store, clock, scheduler, supervisor, heard = setup()
    supervisor.heard(heard)
    supervisor.flush()
    for _ in range(5):
        clock.advance(INTERVAL - 10)
        supervisor.heard(_at(heard, clock))
        supervisor.flush()
        assert scheduler.fire_due() == 0
    assert lost(store) == []
    assert store.read(lambda uow: uow.signals.find(Scope.system()), Scope.system()) == []


def _at(heard: Heard, clock: FakeClock) -> Heard:
    return dataclasses.replace(heard, at=clock.now())


def test_our_own_outage_does_not_storm_false_alarms() -> None:
    """After the receiver was down an hour, every path gets a full interval from the restart."""
    store, clock, scheduler, supervisor, heard = setup()
    supervisor.heard(heard)
    supervisor.flush()
    clock.advance(3600)  # the receiver was down
    moved = store.write(lambda uow: supervision.rearm_after_restart(uow, clock.now(), "n1"), Scope.system())
    assert moved == 1
    assert scheduler.fire_due() == 0
    clock.advance(INTERVAL + 1)
    assert scheduler.fire_due() == 1  # still silent a full interval after the restart: a real loss


def test_a_supervision_alarm_names_the_site_and_path_in_words_in_one_entry() -> None:
    """The alarm reads as the site's name and ref and the path's transport, port, receiver and line, and
    it is the only entry the fired deadline writes (no second 'deadline came due' entry)."""
    store, clock, scheduler, supervisor, heard = setup()
    supervisor.heard(heard)
    supervisor.flush()
    clock.advance(INTERVAL + 1)
    before = store.read(lambda uow: len(list(uow.logbook.read(Scope.system()))), Scope.system())
    assert scheduler.fire_due() == 1
    entries = store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())[before:]
    assert [e.kind for e in entries] == ["signal.supervision_lost", "alarm.opened"]  # and its queue alarm
    data = entries[0].data
    assert (data["site_name"], data["site_ref"]) == ("Site", "s")
    assert (data["transport"], data["port"], data["receiver"], data["line"]) == ("TCP", "9000", "0", "0")
    assert "n1|" not in render(entries[0].message, entries[0].params, "en")
    assert "Site (s)" in render(entries[0].message, entries[0].params, "fr")


def test_a_restart_rearms_only_this_nodes_paths() -> None:
    """A restarting node moves its own supervision deadlines, never another node's (still running)."""
    store, clock, scheduler, supervisor, heard = setup()
    other = dataclasses.replace(heard, path="n2|tcp:9000|R0|L0|#1234")
    supervisor.heard(heard)
    supervisor.heard(other)
    supervisor.flush()
    clock.advance(INTERVAL - 10)
    moved = store.write(lambda uow: supervision.rearm_after_restart(uow, clock.now(), "n1"), Scope.system())
    assert moved == 1
    clock.advance(11)
    assert scheduler.fire_due() == 1  # n2's path was silent its whole interval: its alarm is not delayed
    assert [a["path"] for a in lost(store)] == [other.path]


class WatchedSupervisor(LinkSupervisor):
    """Notes the thread of every change to the map of heard paths."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.threads: set[int] = set()
        super().__init__(*args, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_heard":
            self.threads.add(threading.get_ident())
        super().__setattr__(name, value)


def test_the_heard_map_changes_hands_on_the_event_loop_only() -> None:
    """While the loop keeps writing heard paths, the flush takes the map on the loop, not in its thread."""
    store, clock, _, _, heard = setup()
    supervisor = WatchedSupervisor(store, clock, flush_every=0.01)

    async def scenario() -> int:
        stop = asyncio.Event()
        running = asyncio.create_task(supervisor.run(stop))
        for n in range(20):
            supervisor.heard(dataclasses.replace(heard, path=f"n1|tcp:9000|R0|L0|#{n}"))
            await asyncio.sleep(0.005)
        stop.set()
        await running
        return threading.get_ident()

    loop_thread = asyncio.run(scenario())
    assert supervisor.threads == {loop_thread}
    deadlines = store.read(lambda uow: uow.deadlines.pending(), Scope.system())
    assert len(deadlines) == 20


class DownStore:
    """A store whose writes fail as an unreachable database's would."""

    def __init__(self, inner: InMemoryStore) -> None:
        self.inner = inner
        self.down = True

    def write(self, fn: Any, scope: Scope) -> Any:
        if self.down:
            raise RuntimeError("connection refused")
        return self.inner.write(fn, scope)


def test_a_failed_flush_is_reported_and_kept_for_the_next() -> None:
    """A flush the store refuses logs ``supervision.flush_failed`` and keeps the paths for the next one."""
    store, clock, _, _, heard = setup()
    down = DownStore(store)
    supervisor = LinkSupervisor(down, clock)  # type: ignore[arg-type]
    supervisor.heard(heard)
    with capture_logs() as logs:
        assert supervisor.flush() == 0
    assert [e["event"] for e in logs] == ["supervision.flush_failed"]
    down.down = False
    assert supervisor.flush() == 1
