"""The room itself, on the in-memory twin, SQLite and PostgreSQL: the room's own alarm panel above
everything, the operator dead-man under a fake clock, shifts and the handover between them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.support import Backend, World
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain import shifts as s
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.scope import Scope
from tocsin.domain.users import User
from tocsin.services import deadman, handover
from tocsin.services.alarm_rules import ESCALATE
from tocsin.services.handlers import alarms as alarm_handlers
from tocsin.services.handlers import shifts as shift_handlers
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.scheduler import Scheduler
from tocsin.services.signal_processing import SiteClients, process_pending
from tocsin.testing import FakeHasher
from tocsin.testing.alarm_signals import contact_id_signal

DEPS = Deps(hasher=FakeHasher(), deadman_idle=120, deadman_confirm=30)


def send(backend: Backend, world: World, site: str, *frames: str) -> None:
    """One stored signal per Contact ID event for the site's account, processed into alarms."""
    signals = []
    for data in frames:
        signals.append(contact_id_signal(backend.clock, world.accounts[site], data))
        backend.clock.advance(1)
    backend.write(lambda uow: uow.signals.insert_many(signals))
    clients = SiteClients(backend.clock)
    while backend.write(lambda uow: process_pending(uow, clients)):
        pass


def entries(backend: Backend, prefix: str = "") -> list[Any]:
    found = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    return [e for e in found if e.kind.startswith(prefix)]


def scheduler(backend: Backend) -> Scheduler:
    """A scheduler knowing the alarms' deadlines and the dead-man's."""
    found = Scheduler(backend.store, backend.clock)
    for kind, handler in {**alarm_handlers.DEADLINES, **shift_handlers.DEADLINES}.items():
        found.register(kind, handler)
    return found


@pytest.fixture
def bus(backend: Backend) -> MessageBus:
    return MessageBus(backend.store, DEPS)


@pytest.fixture
def people(bus: MessageBus, world: World) -> dict[str, User]:
    """Two operators of tenant 1 and one of tenant 2."""

    def add(tenant_id: Any, username: str, name: str) -> User:
        user: User = bus.handle(
            c.AddUser(tenant_id, username, name, "correct horse battery"), scope=Scope.system(), actor="t"
        )
        return user

    return {
        "alice": add(world.t1.id, "alice", "Alice Martin"),
        "bruno": add(world.t1.id, "bruno", "Bruno Petit"),
        "carla": add(world.t2.id, "carla", "Carla Other"),
    }


def who(user: User) -> s.Who:
    return s.Who(user.id, user.username, user.display_name)


# ---------------------------------------------------------------- the room's own alarm panel


def test_the_rooms_own_panel_goes_above_everything(backend: Backend, world: World, bus: MessageBus) -> None:
    """An account flagged as the station's raises its intrusion and fire alarms at priority 0, before a
    duress elsewhere; its other classes keep theirs; escalation never lowers it."""
    room = bus.handle(c.AddAccount(world.a2.id, "5150", station=True), scope=Scope.system(), actor="t")
    assert room.station
    world.accounts["room"] = room
    send(backend, world, "b1", "1121 01 000")  # duress elsewhere: priority 1
    send(backend, world, "room", "1130 01 001", "1110 01 002", "1100 01 003")  # intrusion, fire, medical
    found = backend.read(lambda uow: uow.alarms.find(states=a.OPEN_STATES))
    assert [(x.alarm_class, x.priority) for x in found] == [
        ("intrusion", 0),  # oldest first among equals
        ("fire", 0),
        ("duress", 1),
        ("medical", 3),
    ]
    listed = backend.read(lambda uow: uow.accounts.find(site_id=world.a2.id))
    assert {x.number: x.station for x in listed} == {"1002": False, "5150": True}
    backend.clock.advance(600)
    scheduler(backend).fire_due()  # escalations come due: the room's stay at 0
    escalated = {x.alarm_class: x.priority for x in backend.read(lambda uow: uow.alarms.find())}
    assert escalated["intrusion"] == 0
    assert escalated["fire"] == 0
    assert escalated["medical"] == 2


def test_an_ordinary_accounts_intrusion_keeps_its_priority(backend: Backend, world: World) -> None:
    """Without the flag, an intrusion is the usual priority 4."""
    send(backend, world, "a1", "1130 01 001")
    assert [x.priority for x in backend.read(lambda uow: uow.alarms.find())] == [4]


# ---------------------------------------------------------------- the dead-man


def _take(backend: Backend, world: World, bus: MessageBus, user: User, site: str = "a1") -> a.Alarm:
    send(backend, world, site, "1130 01 001")
    alarm = next(x for x in backend.read(lambda uow: uow.alarms.find()) if x.site_id == world.a1.id)
    taken: a.Alarm = bus.handle(
        a.TakeAlarm(alarm.id, user.id, user.display_name),
        scope=Scope.tenant(alarm.tenant_id),
        actor=f"user:{user.username}",
    )
    return taken


def _status(backend: Backend, user: User) -> deadman.Status:
    return backend.read(lambda uow: deadman.status(uow, user.tenant_id, f"user:{user.username}", user.id))


def test_the_deadman_asks_then_returns_the_alarm_and_alerts_the_supervisor(
    backend: Backend, world: World, bus: MessageBus, people: dict[str, User]
) -> None:
    """No activity for the idle time: asked; no answer within the confirm time: the alarm goes back to
    the queue (released by the dead-man, the operator named) and an alarm tells the supervisors."""
    alice = people["alice"]
    alarm = _take(backend, world, bus, alice)
    assert _status(backend, alice).stage == "idle"
    fire = scheduler(backend)
    backend.clock.advance(119)
    assert fire.fire_due() == 0
    backend.clock.advance(1)
    assert fire.fire_due() == 1
    asked = entries(backend, "deadman.")
    assert [e.kind for e in asked] == ["deadman.asked"]
    assert asked[0].data["name"] == "Alice Martin"
    assert asked[0].data["held"] == 1
    assert asked[0].actor == "dead-man"
    status = _status(backend, alice)
    assert (status.stage, status.held, status.answer_within) == ("asked", 1, 30)
    backend.clock.advance(29)
    assert fire.fire_due() == 0
    backend.clock.advance(1)
    assert fire.fire_due() == 1
    back = backend.read(lambda uow: uow.alarms.get(alarm.id))
    assert back is not None
    assert (back.state, back.holder_id) == ("new", None)
    released = entries(backend, "alarm.released_by_deadman")
    assert len(released) == 1
    assert released[0].data["operator"] == "Alice Martin"
    assert released[0].actor == "dead-man"
    assert [e.kind for e in entries(backend, "deadman.")] == ["deadman.asked", "deadman.unanswered"]
    alerts = backend.read(lambda uow: uow.alarms.find(states=("new",)))
    unresponsive = [x for x in alerts if x.alarm_class == "operator_unresponsive"]
    assert len(unresponsive) == 1
    assert unresponsive[0].tenant_id == world.t1.id
    assert unresponsive[0].priority == 2
    assert "Alice Martin" in unresponsive[0].title_en
    pending = backend.read(lambda uow: uow.deadlines.pending(ESCALATE))
    assert str(alarm.id) in {d.key for d in pending}  # back in the queue, its escalation armed again
    assert _status(backend, alice).stage == "none"


def test_activity_moves_the_deadman_and_a_confirmation_answers_it(
    backend: Backend, world: World, bus: MessageBus, people: dict[str, User]
) -> None:
    """A write by the operator starts the wait again; once asked, a heartbeat does not answer but the
    confirmation does (an entry), and the alarm stays held."""
    alice = people["alice"]
    alarm = _take(backend, world, bus, alice)
    fire = scheduler(backend)
    actor, scope = "user:alice", Scope.tenant(world.t1.id)
    backend.clock.advance(100)
    bus.handle(
        a.NoteAlarm(alarm.id, alice.id, "Alice Martin", text="calling the keyholder"),
        scope=scope,
        actor=actor,
    )
    backend.clock.advance(100)
    assert fire.fire_due() == 0  # the note moved it: 120 s from the note
    beat = s.ConfirmPresence(world.t1.id, who(alice), heartbeat=True)
    assert bus.handle(beat, scope=scope, actor=actor).stage == "idle"
    backend.clock.advance(119)
    assert fire.fire_due() == 0  # so did the heartbeat
    backend.clock.advance(1)
    assert fire.fire_due() == 1
    assert bus.handle(beat, scope=scope, actor=actor).stage == "asked"  # a heartbeat is no answer
    answer = bus.handle(s.ConfirmPresence(world.t1.id, who(alice)), scope=scope, actor=actor)
    assert answer.stage == "idle"
    confirmed = entries(backend, "deadman.confirmed")
    assert [(e.data["name"], e.data["how"]) for e in confirmed] == [("Alice Martin", "console")]
    backend.clock.advance(60)
    assert fire.fire_due() == 0
    held = backend.read(lambda uow: uow.alarms.get(alarm.id))
    assert held is not None
    assert held.holder_id == alice.id


def test_releasing_the_last_alarm_stops_the_deadman(
    backend: Backend, world: World, bus: MessageBus, people: dict[str, User]
) -> None:
    """An operator who holds nothing is not watched: no question, no entry."""
    alice = people["alice"]
    alarm = _take(backend, world, bus, alice)
    bus.handle(
        a.ReleaseAlarm(alarm.id, alice.id, "Alice Martin"),
        scope=Scope.tenant(world.t1.id),
        actor="user:alice",
    )
    assert _status(backend, alice).stage == "none"
    backend.clock.advance(600)
    scheduler(backend).fire_due()
    assert entries(backend, "deadman.") == []


def test_the_deadman_is_off_when_its_idle_time_is_zero(
    backend: Backend, world: World, people: dict[str, User]
) -> None:
    """``TOCSIN_DEADMAN_IDLE=0``: taking an alarm arms nothing."""
    off = MessageBus(backend.store, Deps(hasher=FakeHasher(), deadman_idle=0))
    _take(backend, world, off, people["alice"])
    assert _status(backend, people["alice"]).stage == "none"


# ---------------------------------------------------------------- shifts and handovers


def test_a_handover_round_trip(
    backend: Backend, world: World, bus: MessageBus, people: dict[str, User]
) -> None:
    """Alice's shift ends with her handover (counts of what was open); Bruno acknowledges it and his shift
    starts; each step is a logbook entry; a second acknowledgment is refused and changes nothing."""
    alice, bruno = people["alice"], people["bruno"]
    scope = Scope.tenant(world.t1.id)
    bus.handle(s.StartShift(world.t1.id, who(alice)), scope=scope, actor="user:alice")
    with pytest.raises(Conflict, match="is on shift since"):
        bus.handle(s.StartShift(world.t1.id, who(alice)), scope=scope, actor="user:alice")
    send(backend, world, "a1", "1130 01 001")
    draft = backend.read(handover.prepare, scope)
    assert draft.counts["alarms"] == 1
    assert "Open alarms (1)" in draft.text
    assert f"P4 {world.a1.ref}" in draft.text
    french = backend.read(lambda uow: handover.prepare(uow, "fr"), scope)
    assert "Alarmes ouvertes (1)" in french.text
    assert "Notes pour l\u2019équipe suivante\u00a0:" in french.text
    with pytest.raises(InvalidInput, match="needs some text"):
        bus.handle(s.SubmitHandover(world.t1.id, who(alice), "   "), scope=scope, actor="user:alice")
    item = bus.handle(
        s.SubmitHandover(world.t1.id, who(alice), draft.text + "Keyholder of A1 calls back at 7."),
        scope=scope,
        actor="user:alice",
    )
    assert item.open_alarms == 1
    with pytest.raises(InvalidInput, match="You wrote this handover"):
        bus.handle(s.AcknowledgeHandover(world.t1.id, who(alice), item.id), scope=scope, actor="user:alice")
    acknowledge = s.AcknowledgeHandover(world.t1.id, who(bruno), item.id)
    done = bus.handle(acknowledge, scope=scope, actor="user:bruno")
    assert (done.acknowledged_by, done.acknowledged_by_id) == ("Bruno Petit", bruno.id)
    before = entries(backend)
    with pytest.raises(s.AlreadyAcknowledged, match="already acknowledged by Bruno Petit"):
        bus.handle(acknowledge, scope=scope, actor="user:bruno")
    assert len(entries(backend)) == len(before)
    shifts = backend.read(lambda uow: uow.shifts.find(), scope)
    assert [(x.username, x.ended_at is None) for x in shifts] == [("alice", False), ("bruno", True)]
    assert [e.kind for e in entries(backend, "shift.")] == [
        "shift.started",
        "shift.handover_submitted",
        "shift.ended",
        "shift.handover_acknowledged",
        "shift.started",
    ]
    with pytest.raises(Conflict, match="not on shift"):
        bus.handle(s.EndShift(world.t1.id, who(alice)), scope=scope, actor="user:alice")


def test_another_tenant_neither_sees_nor_acknowledges_a_handover(
    backend: Backend, world: World, bus: MessageBus, people: dict[str, User]
) -> None:
    """Tenant 2's operator gets not found for tenant 1's handover, and lists none of it."""
    alice, carla = people["alice"], people["carla"]
    item = bus.handle(
        s.SubmitHandover(world.t1.id, who(alice), "Quiet night."), scope=Scope.tenant(world.t1.id), actor="u"
    )
    other = Scope.tenant(world.t2.id)
    with pytest.raises(NotFound):
        bus.handle(s.AcknowledgeHandover(world.t2.id, who(carla), item.id), scope=other, actor="user:carla")
    assert backend.read(lambda uow: uow.handovers.find(), other) == []
    assert backend.read(lambda uow: uow.handovers.get(item.id), other) is None


def test_a_burst_of_writes_moves_the_deadman_once(
    backend: Backend, world: World, bus: MessageBus, people: dict[str, User]
) -> None:
    """Writes a few seconds apart move the deadline once (it is rewritten at most every 10 s): the
    question comes 120 s after the first of them."""
    alice = people["alice"]
    alarm = _take(backend, world, bus, alice)
    scope, fire = Scope.tenant(world.t1.id), scheduler(backend)
    backend.clock.advance(60)
    first = a.NoteAlarm(alarm.id, alice.id, "Alice Martin", text="first")
    bus.handle(first, scope=scope, actor="user:alice")
    due = _status(backend, alice).due_at
    backend.clock.advance(5)
    second = a.NoteAlarm(alarm.id, alice.id, "Alice Martin", text="second")
    bus.handle(second, scope=scope, actor="user:alice")
    assert _status(backend, alice).due_at == due
    backend.clock.advance(114)
    assert fire.fire_due() == 0
    backend.clock.advance(1)
    assert fire.fire_due() == 1
