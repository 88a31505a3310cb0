"""The station monitor under a fake clock: the clock, the UPS and the disk raise technical alarms on
every tenant when a condition begins, restore them when it ends, and never crash on a silent server."""

from __future__ import annotations

import pytest

from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.protocols.ntp import Measure
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.station import StationMonitor, StationSettings
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore

MIB = 1024 * 1024


class FakeTime:
    """An NTP server whose offset the test sets; ``None``: it does not answer."""

    def __init__(self) -> None:
        self.offset: float | None = 0.01

    def measure(self, server: str) -> Measure:
        if self.offset is None:
            raise TimeoutError("timed out")
        return Measure(offset=self.offset, delay=0.002, stratum=2)


class FakeUps:
    """A UPS whose status flags the test sets; ``None``: upsd does not answer."""

    name = "ups@127.0.0.1:3493"

    def __init__(self) -> None:
        self.status: str | None = "OL"

    def flags(self) -> frozenset[str]:
        if self.status is None:
            raise ConnectionRefusedError("refused")
        return frozenset(self.status.split())


class World:
    def __init__(self, tenants: int = 1) -> None:
        self.clock = FakeClock()
        self.store = InMemoryStore(self.clock)
        bus = MessageBus(self.store, Deps(hasher=FakeHasher()))
        for n in range(tenants):
            bus.handle(c.CreateTenant(f"arc{n}", f"ARC {n}"), scope=Scope.system(), actor="t")
        self.time, self.ups, self.free = FakeTime(), FakeUps(), 10_000 * MIB
        settings = StationSettings(
            node="node-1",
            data_path="/var/tocsin",
            ntp_servers=("ntp.room",),
            clock_max_offset=1.0,
            silent_after=60,
            storage_min_free_mb=1024,
        )

        def disk(_path: str) -> tuple[int, int]:
            return (self.free, 50_000 * MIB)

        self.monitor = StationMonitor(
            self.store, self.clock, settings, time_source=self.time, power=self.ups, disk=disk
        )

    def alarms(self, *states: str) -> list[a.Alarm]:
        wanted = states or a.OPEN_STATES
        return self.store.read(lambda uow: uow.alarms.find(states=wanted), Scope.system())

    def classes(self) -> list[tuple[str, bool]]:
        return sorted((x.alarm_class, x.back_to_normal) for x in self.alarms())


def test_all_well_raises_nothing_and_reports_the_readings() -> None:
    """A synchronised clock, a UPS on line and room on disk: no alarm; the readings say so."""
    world = World()
    readings = world.monitor.check()
    assert world.alarms() == []
    assert readings.clock["state"] == "ok"
    assert readings.clock["offset"] == pytest.approx(0.01)
    assert readings.ups["state"] == "on_line"
    assert readings.storage["state"] == "ok"


def test_a_clock_offset_past_the_limit_raises_one_alarm_and_its_end_restores_it() -> None:
    """Offset 2.5 s > 1 s: one clock_offset alarm (checked again: still one); back within: back to normal."""
    world = World()
    world.time.offset = 2.5
    world.monitor.check()
    world.monitor.check()
    (alarm,) = world.alarms()
    assert (alarm.alarm_class, alarm.priority, alarm.site_id) == ("clock_offset", 5, None)
    assert "+2.500 s" in alarm.title_en
    assert "décalée" in alarm.title_fr
    assert alarm.signal_count == 1
    world.time.offset = -0.2
    world.monitor.check()
    assert world.classes() == [("clock_offset", True)]


def test_a_silent_ntp_server_is_an_alarm_after_the_delay_not_a_crash() -> None:
    """No answer: nothing for 60 s ("no answer yet"), then clock_unsynchronised; an answer ends it."""
    world = World()
    world.time.offset = None
    assert world.monitor.check().clock["state"] == "unanswered"
    assert world.alarms() == []
    world.clock.advance(61)
    assert world.monitor.check().clock["state"] == "unsynchronised"
    assert world.classes() == [("clock_unsynchronised", False)]
    world.time.offset = 0.0
    world.monitor.check()
    assert world.classes() == [("clock_unsynchronised", True)]


def test_ups_on_battery_then_low_battery_then_back_on_line() -> None:
    """OB raises ups_on_battery, OB LB adds ups_low_battery (priority 3), OL restores both."""
    world = World()
    world.monitor.check()
    world.ups.status = "OB DISCHRG"
    assert world.monitor.check().ups["state"] == "on_battery"
    assert world.classes() == [("ups_on_battery", False)]
    world.ups.status = "OB LB"
    world.monitor.check()
    assert world.classes() == [("ups_low_battery", False), ("ups_on_battery", False)]
    assert {x.alarm_class: x.priority for x in world.alarms()}["ups_low_battery"] == 3
    world.ups.status = "OL CHRG"
    world.monitor.check()
    assert world.classes() == [("ups_low_battery", True), ("ups_on_battery", True)]


def test_a_settled_ups_alarm_closes_when_power_returns() -> None:
    """An operator settled the on-battery alarm as real; when the mains return, it closes by itself."""
    world = World()
    world.ups.status = "OB"
    world.monitor.check()
    (alarm,) = world.alarms()
    cause = a.ClosureCode("mains", "real", "Mains cut", "Coupure secteur")
    now = world.clock.now()
    settled = a.settle(alarm, world.clock.new_id(), "Op", now, outcome="real", cause=cause)
    world.store.write(lambda uow: uow.alarms.save([settled]), Scope.system())
    world.ups.status = "OL"
    world.monitor.check()
    assert world.alarms() == []
    (closed,) = world.alarms("closed")
    assert closed.back_to_normal


def test_an_unreachable_upsd_keeps_the_last_state_and_alarms_after_the_delay() -> None:
    """upsd gone while on battery: the on-battery alarm stays (unknown is not restored), and after 60 s
    ups_unreachable is raised; when upsd answers OL, both are restored."""
    world = World()
    world.ups.status = "OB"
    world.monitor.check()
    world.ups.status = None
    world.clock.advance(30)
    assert world.monitor.check().ups["state"] == "unanswered"
    assert world.classes() == [("ups_on_battery", False)]
    world.clock.advance(31)
    assert world.monitor.check().ups["state"] == "unreachable"
    assert world.classes() == [("ups_on_battery", False), ("ups_unreachable", False)]
    world.ups.status = "OL"
    world.monitor.check()
    assert world.classes() == [("ups_on_battery", True), ("ups_unreachable", True)]


def test_storage_low_past_the_threshold() -> None:
    """Less free space than the minimum raises storage_low; room again restores it."""
    world = World()
    world.free = 500 * MIB
    assert world.monitor.check().storage["state"] == "low"
    assert world.classes() == [("storage_low", False)]
    world.free = 4096 * MIB
    world.monitor.check()
    assert world.classes() == [("storage_low", True)]


def test_every_tenant_of_the_node_gets_the_alarm_in_its_own_logbook() -> None:
    """Two tenants on the node: each gets its own clock alarm, with an alarm.opened entry in its chain."""
    world = World(tenants=2)
    world.time.offset = 5.0
    world.monitor.check()
    alarms = world.alarms()
    assert len({x.tenant_id for x in alarms}) == 2
    entries = world.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
    opened = [e for e in entries if e.kind == "alarm.opened"]
    assert {e.chain for e in opened} == {f"tenant:{x.tenant_id}" for x in alarms}


def test_a_store_that_fails_is_retried_at_the_next_check() -> None:
    """The store refuses the write: no crash, and the next check raises the alarm."""
    world = World()
    world.time.offset = 3.0
    real_write = world.store.write
    world.store.write = lambda *_args, **_kw: (_ for _ in ()).throw(RuntimeError("down"))  # type: ignore[method-assign]
    world.monitor.check()
    world.store.write = real_write  # type: ignore[method-assign]
    assert world.alarms() == []
    world.monitor.check()
    assert world.classes() == [("clock_offset", False)]
