"""Process heartbeats under a fake clock: a process that stops beating raises process_silent on every
tenant, its return restores it, a clean stop raises nothing, and the beating processes are listed."""

from __future__ import annotations

from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services import heartbeat
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.scheduler import Scheduler
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore


def setup(tenants: int = 1) -> tuple[FakeClock, InMemoryStore, Scheduler, heartbeat.Heartbeat]:
    clock = FakeClock()
    store = InMemoryStore(clock)
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    for n in range(tenants):
        bus.handle(c.CreateTenant(f"arc{n}", f"ARC {n}"), scope=Scope.system(), actor="t")
    scheduler = Scheduler(store, clock)
    scheduler.register(heartbeat.KIND, heartbeat.on_silent)
    return (
        clock,
        store,
        scheduler,
        heartbeat.Heartbeat(store, clock, "node-1", "receiver", 4242, silent_after=60),
    )


def open_alarms(store: InMemoryStore) -> list[a.Alarm]:
    return store.read(lambda uow: uow.alarms.find(states=a.OPEN_STATES), Scope.system())


def test_a_process_that_stops_beating_raises_process_silent_and_its_return_restores_it() -> None:
    """Beats every 15 s keep it quiet; 61 s without one (hung) fires the alarm on both tenants; its next
    beat marks them back to normal."""
    clock, store, scheduler, beat = setup(tenants=2)
    for _ in range(8):
        assert beat.beat()
        clock.advance(15)
        assert scheduler.fire_due() == 0
    clock.advance(61)
    assert scheduler.fire_due() == 1
    alarms = open_alarms(store)
    assert len({x.tenant_id for x in alarms}) == 2
    assert {x.alarm_class for x in alarms} == {"process_silent"}
    assert "receiver of node-1" in alarms[0].title_en
    assert "muet" in alarms[0].title_fr
    assert all(not x.back_to_normal for x in alarms)
    assert beat.beat()
    assert all(x.back_to_normal for x in open_alarms(store))


def test_a_clean_stop_raises_nothing() -> None:
    """A process that stops cleanly cancels its deadline: no alarm however long it stays down."""
    clock, store, scheduler, beat = setup()
    beat.beat()
    beat.stop()
    clock.advance(3600)
    assert scheduler.fire_due() == 0
    assert open_alarms(store) == []


def test_the_beating_processes_are_listed_and_an_overdue_one_is_silent() -> None:
    """The station page's list: node, process, pid; an overdue beat not yet fired reads silent."""
    clock, store, _scheduler, beat = setup()
    beat.beat()
    listed = store.read(lambda uow: heartbeat.processes(uow, clock.now()), Scope.system())
    assert [(p["node"], p["name"], p["pid"], p["state"]) for p in listed] == [
        ("node-1", "receiver", 4242, "ok")
    ]
    clock.advance(61)
    listed = store.read(lambda uow: heartbeat.processes(uow, clock.now()), Scope.system())
    assert listed[0]["state"] == "silent"


def test_a_beat_the_store_refuses_is_retried_and_restores_then() -> None:
    """The store down: the beat says so and the next one (the store back) restores what fired meanwhile."""
    clock, store, scheduler, beat = setup()
    beat.beat()
    clock.advance(61)
    scheduler.fire_due()
    real = store.write
    store.write = lambda *_a, **_k: (_ for _ in ()).throw(RuntimeError("down"))  # type: ignore[method-assign]
    assert not beat.beat()
    store.write = real  # type: ignore[method-assign]
    assert beat.beat()
    assert all(x.back_to_normal for x in open_alarms(store))
