"""The three schedule alarms end to end on both databases: opening and closing signals go through the
real signal processor and rules, the checks through the deadline scheduler, and a restart loses none."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.alarm_support import send
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import commands as c
from tocsin.domain.schedule_admin import AssignSchedule, SetSchedule
from tocsin.domain.schedules import parse_window
from tocsin.domain.scope import Scope
from tocsin.services.handlers import alarms as alarm_handlers
from tocsin.services.handlers import schedules as schedule_handlers
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.scheduler import Scheduler
from tocsin.testing import FakeClock, FakeHasher

OPENING, CLOSING = "1401 01 003", "3401 01 003"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _scheduler(store: SqlStore, clock: FakeClock) -> Scheduler:
    scheduler = Scheduler(store, clock)
    for kind, handler in (alarm_handlers.DEADLINES | schedule_handlers.DEADLINES).items():
        scheduler.register(kind, handler)
    return scheduler


def _alarms(store: SqlStore, site_id: object) -> dict[str, int]:
    found = store.read(lambda uow: uow.alarms.find(site_id=site_id), Scope.system())
    return {a.alarm_class: a.signal_count for a in found}


def test_the_three_schedule_alarms_through_signals_and_a_restart(db_url: str) -> None:
    """On a Paris shop open 08:00-19:00 on weekdays (Friday 27 March 2026, then the weekend clocks go
    forward): an opening on time raises nothing, no closing by 19:15 is late to close, a night opening is
    outside hours, Monday with no opening is a failed opening at 08:15 summer time, found by a node
    started again after the deadline came due; each alarm has its logbook entry."""
    clock = FakeClock(_utc("2026-03-27T06:30:00"))  # Friday 07:30 in Paris
    store = SqlStore(db_url, clock)
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    system = Scope.system()
    tenant = bus.handle(c.CreateTenant("arc", "ARC"), scope=system, actor="t")
    client = bus.handle(c.CreateClient(tenant.id, "c", "Client"), scope=system, actor="t")
    site = bus.handle(c.CreateSite(tenant.id, client.id, "shop", "Shop"), scope=system, actor="t")
    account = bus.handle(c.AddAccount(site.id, "4321"), scope=system, actor="t")
    window = parse_window("1-5 08:00-19:00")
    schedule = bus.handle(SetSchedule(tenant.id, "Shop", windows=(window,)), scope=system, actor="t")
    bus.handle(AssignSchedule(site.id, schedule.id), scope=system, actor="t")
    scheduler = _scheduler(store, clock)

    clock.set(_utc("2026-03-27T06:55:00"))  # 07:55: early, within the grace
    send(store, clock, account, OPENING)
    clock.set(_utc("2026-03-27T07:15:00"))
    scheduler.fire_due()
    assert _alarms(store, site.id) == {}

    clock.set(_utc("2026-03-27T18:15:00"))  # 19:15 winter time, still open
    scheduler.fire_due()
    assert _alarms(store, site.id) == {"late_to_close": 1}
    clock.set(_utc("2026-03-27T19:00:00"))
    send(store, clock, account, CLOSING)

    clock.set(_utc("2026-03-28T02:00:00"))  # Saturday 03:00: closed
    send(store, clock, account, OPENING)
    send(store, clock, account, CLOSING)
    assert _alarms(store, site.id) == {"late_to_close": 1, "opened_outside_hours": 1}
    store.close()

    clock.set(_utc("2026-03-30T07:00:00"))  # Monday 09:00 summer time: the node was down since Saturday
    restarted = SqlStore(db_url, clock)
    _scheduler(restarted, clock).fire_due()
    found = _alarms(restarted, site.id)
    assert found.keys() == {"late_to_close", "opened_outside_hours", "failed_to_open"}
    pending = restarted.read(lambda uow: uow.deadlines.pending(), system)
    (next_check,) = [d for d in pending if d.kind == "site.schedule"]
    assert next_check.due_at == _utc("2026-03-30T17:15:00")  # Monday 19:15 summer time
    entries = restarted.read(lambda uow: list(uow.logbook.read(system)), system)
    opened = [e.data["alarm_class"] for e in entries if e.kind == "alarm.opened"]
    assert sorted(opened) == ["failed_to_open", "late_to_close", "opened_outside_hours"]
    restarted.close()
