"""Notes a console kept while the server was away (degraded mode), on the in-memory twin, SQLite and
PostgreSQL: each carries the key the browser gave it and the time it was typed; sent twice it is written
once, its logbook entry records the typing time as ``occurred_at``, and an impossible time is refused."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from tests.contract.support import Backend, World
from tests.contract.test_alarms import OPERATOR, act, alarms, send
from tests.contract.test_incidents import open_one, run
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain.errors import InvalidInput
from tocsin.domain.logbook import LogbookEntry
from tocsin.domain.scope import Scope


def entries(backend: Backend, kind: str) -> list[LogbookEntry]:
    found = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    return [e for e in found if e.kind == kind]


def test_an_alarm_note_sent_twice_is_written_once_with_its_typing_time(
    backend: Backend, world: World
) -> None:
    """The same key twice: one alarm.note entry, whose occurred_at is when it was typed."""
    send(backend, world, "a1", "1130 01 001")
    (alarm,) = alarms(backend)
    typed = backend.clock.now() - timedelta(seconds=45)
    key = uuid4()
    note = a.NoteAlarm(
        alarm.id, OPERATOR, "Ann", text="Guard called from the landline", client_key=key, typed_at=typed
    )
    act(backend, note)
    backend.clock.advance(5)
    again = act(backend, note)
    assert again.id == alarm.id  # the replay answers with the alarm, as the first send did
    (written,) = entries(backend, "alarm.note")
    assert written.occurred_at == typed
    assert written.recorded_at > typed
    act(backend, a.NoteAlarm(alarm.id, OPERATOR, "Ann", text="Another note", client_key=uuid4()))
    assert len(entries(backend, "alarm.note")) == 2


def test_room_and_event_notes_are_written_once_per_key(backend: Backend, world: World) -> None:
    """A room note and an event note keyed by the console: a replay writes nothing more."""
    key, typed = uuid4(), backend.clock.now() - timedelta(minutes=1)
    room = c.WriteNote(world.t1.id, "Phones down, working on paper", client_key=key, typed_at=typed)
    first = run(backend, room)
    assert first is not None
    assert first.occurred_at == typed
    assert run(backend, room) is None
    assert len(entries(backend, "logbook.note")) == 1

    event = open_one(backend, world)
    note = i.NoteIncident(event.id, "Ann", "Caller rang back", client_key=uuid4(), typed_at=typed)
    noted = run(backend, note)
    again = run(backend, note)
    assert len(noted.notes) == len(again.notes) == 1
    assert noted.notes[0]["at"] == typed.isoformat()
    (written,) = entries(backend, "incident.note")
    assert written.occurred_at == typed


def test_the_same_key_in_two_tenants_is_two_notes(backend: Backend, world: World) -> None:
    """Keys are per tenant: another tenant's note with the same key is its own."""
    key = UUID(int=7)
    run(backend, c.WriteNote(world.t1.id, "one", client_key=key))
    run(backend, c.WriteNote(world.t2.id, "two", client_key=key))
    assert len(entries(backend, "logbook.note")) == 2


@pytest.mark.parametrize(
    ("shift", "message"),
    [(timedelta(minutes=10), "ahead"), (-timedelta(days=8), "7 days")],
)
def test_an_impossible_typing_time_is_refused_and_writes_nothing(
    backend: Backend, world: World, shift: timedelta, message: str
) -> None:
    """A note typed in the future (a workstation clock ahead) or more than a week ago is refused."""
    key = uuid4()
    with pytest.raises(InvalidInput, match=message):
        run(backend, c.WriteNote(world.t1.id, "x", client_key=key, typed_at=backend.clock.now() + shift))
    assert entries(backend, "logbook.note") == []
    run(backend, c.WriteNote(world.t1.id, "x", client_key=key))  # the key was not spent by the refusal
    assert len(entries(backend, "logbook.note")) == 1
