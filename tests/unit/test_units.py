"""Units in memory: every legal and illegal status change (from the transition table), engagement and
release, the close of an event with units engaged, snapping a position to the road, and the timers on
a fake clock (an alert not acknowledged, too long on scene, a status left unchanged)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import units as u
from tocsin.domain.errors import Conflict, InvalidInput
from tocsin.domain.partner_commands import WriteReport
from tocsin.domain.resources import UNIT_STATUSES, Unit
from tocsin.domain.scope import Scope
from tocsin.services.handlers import units as handlers
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.scheduler import Scheduler
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
PAIRS = [(a, b) for a, b in itertools.product(UNIT_STATUSES, UNIT_STATUSES) if a != b]
LEGAL = [(a, b) for a, b in PAIRS if b in u.legal_next(a)]
ILLEGAL = [(a, b) for a, b in PAIRS if b not in u.legal_next(a)]


class Room:
    """A tenant, an open event and a guard unit, in memory, with the units' timers registered."""

    def __init__(self) -> None:
        self.clock = FakeClock(START)
        self.store = InMemoryStore(self.clock)
        self.bus = MessageBus(self.store, Deps(hasher=FakeHasher()))
        self.scheduler = Scheduler(self.store, self.clock)
        for kind, handler in handlers.DEADLINES.items():
            self.scheduler.register(kind, handler)
        tenant = self.run(c.CreateTenant("room", "Room"))
        self.tenant_id = tenant.id
        self.event = self.run(
            i.CreateIncident(tenant.id, "road_accident", i.Place(48.85, 2.35, "Quai"), by="Op")
        ).incident
        self.unit: Unit = self.run(u.CreateUnit(tenant.id, "R11", "guard", crew=2))

    def run(self, command: c.Command) -> Any:
        return self.bus.handle(command, scope=Scope.system(), actor="t")

    def read(self, fn: Any) -> Any:
        return self.store.read(fn, Scope.system())

    def unit_now(self) -> Unit:
        return self.read(lambda uow: uow.units.get(self.unit.id))  # type: ignore[no-any-return]

    def put_in(self, status: str) -> None:
        """Set the unit in ``status`` directly (engaged on the event when the status is an engaged one)."""
        engaged = status in u.ENGAGED

        def write(uow: Any) -> None:
            unit = uow.units.get(self.unit.id)
            event_id = self.event.id if engaged else None
            uow.units.update(replace(unit, status=status, status_at=self.clock.now(), event_id=event_id))
            if engaged:
                uow.assignments.add(
                    u.Assignment(
                        self.clock.new_id(), self.tenant_id, self.event.id, unit.id, unit.callsign, START
                    )
                )

        self.store.write(write, Scope.system())

    def kinds(self) -> list[str]:
        return [e.kind for e in self.read(lambda uow: list(uow.logbook.read(Scope.system())))]

    def after(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.scheduler.fire_due()


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_the_domain_allows_exactly_the_table_s_moves(current: str, target: str) -> None:
    """check_move accepts a move listed in the table (alerted only by engaging) and refuses the rest,
    naming the legal ones."""
    unit = Unit(
        id=FakeClock().new_id(), tenant_id=FakeClock().new_id(), callsign="R", kind="guard", status=current
    )
    if target in u.legal_next(current):
        u.check_move(unit, target)
        return
    with pytest.raises(u.IllegalTransition) as refused:
        u.check_move(unit, target)
    assert current in str(refused.value)
    for legal in u.legal_next(current):
        assert legal in str(refused.value)


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_every_legal_change_is_written_with_its_history_and_entry(current: str, target: str) -> None:
    """The unit takes the status, its history gets a line, the logbook an entry, in one transaction."""
    room = Room()
    room.put_in(current)
    room.run(u.ChangeUnitStatus(room.unit.id, target, "crew"))
    assert room.unit_now().status == target
    history = room.read(lambda uow: uow.unit_history.find(unit_id=room.unit.id))
    assert (history[-1].previous, history[-1].status) == (current, target)
    assert "unit.status" in room.kinds()[-2:]  # on scene moves the event too
    released = room.read(lambda uow: uow.assignments.find(unit_id=room.unit.id, released_at=None))
    assert bool(released) == (target in u.ENGAGED and current in u.ENGAGED)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_change_is_refused_and_changes_nothing(current: str, target: str) -> None:
    """The refusal names the legal statuses; the unit, its history and the logbook stay as they were."""
    room = Room()
    room.put_in(current)
    entries = room.kinds()
    with pytest.raises(u.IllegalTransition):
        room.run(u.ChangeUnitStatus(room.unit.id, target, "crew"))
    assert room.unit_now().status == current
    assert room.kinds() == entries


def test_engaging_alerts_and_engaging_again_or_unavailable_is_refused() -> None:
    """Engage alerts the unit and dispatches the event; a second engage is a conflict; an unavailable
    unit is refused; neither changes anything."""
    room = Room()
    room.run(u.EngageUnits(room.event.id, (room.unit.id,), "Op"))
    assert room.unit_now().status == "alerted"
    assert room.read(lambda uow: uow.incidents.get(room.event.id)).state == "dispatched"
    entries = room.kinds()
    with pytest.raises(Conflict):
        room.run(u.EngageUnits(room.event.id, (room.unit.id,), "Op"))
    other = room.run(u.CreateUnit(room.tenant_id, "R12", "guard"))
    room.run(u.ChangeUnitStatus(other.id, "unavailable", "Op"))
    entries = room.kinds()
    with pytest.raises(InvalidInput):
        room.run(u.EngageUnits(room.event.id, (other.id,), "Op"))
    assert room.kinds() == entries


def test_an_event_with_a_unit_engaged_does_not_close_until_it_is_released() -> None:
    """Closing is refused with the unit named; after the release (available) it closes."""
    room = Room()
    room.run(u.EngageUnits(room.event.id, (room.unit.id,), "Op"))
    with pytest.raises(InvalidInput, match="R11"):
        room.run(i.UpdateIncident(room.event.id, "Op", state="closed"))
    room.run(u.ReleaseUnit(room.event.id, room.unit.id, "Op"))
    assert room.unit_now().status == "available"
    room.run(WriteReport(room.event.id, ("handled",), "Handled.", "Op"))  # an event closes with its report
    closed = room.run(i.UpdateIncident(room.event.id, "Op", state="closed"))
    assert closed.state == "closed"


def test_an_alert_not_acknowledged_in_time_flags_the_unit() -> None:
    """A guard has 60 s to acknowledge: at 59 s nothing, at 61 s the unit is flagged and an entry says
    so; acknowledging clears the flag."""
    room = Room()
    room.run(u.EngageUnits(room.event.id, (room.unit.id,), "Op"))
    room.after(59)
    assert room.unit_now().flag == ""
    room.after(2)
    assert room.unit_now().flag == "ack_overdue"
    assert room.kinds()[-1] == "unit.flagged"
    room.run(u.ChangeUnitStatus(room.unit.id, "acknowledged", "crew"))
    assert room.unit_now().flag == ""


def test_an_acknowledged_alert_raises_no_flag() -> None:
    """Acknowledged at 30 s: the alert's timer is gone, nothing fires at 61 s."""
    room = Room()
    room.run(u.EngageUnits(room.event.id, (room.unit.id,), "Op"))
    room.after(30)
    room.run(u.ChangeUnitStatus(room.unit.id, "acknowledged", "crew"))
    room.after(31)
    assert room.unit_now().flag == ""
    assert "unit.flagged" not in room.kinds()


def test_too_long_on_scene_and_a_stale_status_flag_the_unit() -> None:
    """En route past the type's stale limit: status_stale; on scene past the guard's 45 minutes:
    on_scene_long."""
    room = Room()
    limits = u.timers_for("guard")
    room.run(u.EngageUnits(room.event.id, (room.unit.id,), "Op"))
    room.run(u.ChangeUnitStatus(room.unit.id, "acknowledged", "crew"))
    room.run(u.ChangeUnitStatus(room.unit.id, "en_route", "crew"))
    room.after(limits.stale_s + 1)
    assert room.unit_now().flag == "status_stale"
    room.run(u.ChangeUnitStatus(room.unit.id, "on_scene", "crew"))
    room.after(limits.on_scene_s - 1)
    assert room.unit_now().flag == ""
    room.after(2)
    assert room.unit_now().flag == "on_scene_long"


def test_a_position_is_snapped_to_the_nearest_point_of_a_segment() -> None:
    """A point 20 m off an east-west street lands on the street, between its ends."""
    street = [((48.8566, 2.3500), (48.8566, 2.3550))]
    lat, lon, metres = u.snap(48.85678, 2.3520, street) or (0, 0, 0)
    assert lat == pytest.approx(48.8566)
    assert lon == pytest.approx(2.3520)
    assert metres == pytest.approx(20, abs=1)
    assert u.snap(48.0, 2.0, []) is None
