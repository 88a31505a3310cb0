"""Call-backs on an alarm: the word check (password, wrong, none, duress), who may record a call, the
numbers allowed, duress turning the alarm into a P1 duress alarm, enhanced call verification, and the
word kept nowhere; on the in-memory twin, SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest

from tests.contract.support import SPOKEN_WORD, Backend, World
from tests.contract.test_alarms import DEPS, OPERATOR, OTHER, act, alarms, send
from tocsin.domain import alarms as a
from tocsin.domain import calls as c
from tocsin.domain import commands as dc
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.scope import Scope
from tocsin.services.messagebus import HANDLERS

DURESS_WORD = "blue heron"
PHONE = "+33100000000"


def call(backend: Backend, alarm_id: UUID, scope: Scope | None = None, **fields: Any) -> tuple[Any, Any]:
    command = c.RecordCall(alarm_id, fields.pop("user_id", OPERATOR), "Ann", **fields)
    return backend.write(lambda uow: HANDLERS.run(command, uow, "ann", DEPS), scope or Scope.system())


def taken_intrusion(backend: Backend, world: World) -> a.Alarm:
    send(backend, world, "a1", "1130 01 001")
    (alarm,) = alarms(backend)
    return act(backend, a.TakeAlarm(alarm.id, OPERATOR, "Ann"))


def test_each_word_gives_its_result_and_the_attempts_are_kept_in_order(
    backend: Backend, world: World
) -> None:
    alarm = taken_intrusion(backend, world)
    contact = world.contacts["a1"].id
    results = [
        call(backend, alarm.id, contact_id=None, number="+33 1 99 00 00 00", outcome="no_answer")[0].result,
        call(backend, alarm.id, contact_id=contact, number="+33 1 00 00 00 00", outcome="answered")[0].result,
        call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="answered", word="nope")[0].result,
        call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="answered", word=" Open  SESAME ")[
            0
        ].result,
    ]
    assert results == ["none", "none", "wrong", "password"]
    stored = backend.read(lambda uow: uow.alarms.calls(alarm.id))
    assert [(x.call_order, x.outcome, x.result) for x in stored] == [
        (0, "no_answer", "none"),
        (1, "answered", "none"),
        (1, "answered", "wrong"),
        (1, "answered", "password"),
    ]
    assert stored[0].contact_name == world.a1.name
    assert stored[1].contact_name == "Keyholder a1"
    assert c.ecv(stored)  # the site's number and the contact's
    assert not c.ecv(stored[1:])  # one number, however many times
    after = backend.read(lambda uow: uow.alarms.get(alarm.id))
    assert after is not None
    assert (after.alarm_class, after.priority, after.state) == ("intrusion", 4, "taken")


def test_the_duress_word_makes_a_p1_duress_alarm_still_held_and_the_word_is_nowhere(
    backend: Backend, world: World
) -> None:
    contact = backend.write(
        lambda uow: HANDLERS.run(
            dc.AddContact(
                world.a1.id, 2, "Night guard", ("06 12 34 56 78",), password="x", duress_word=DURESS_WORD
            ),
            uow,
            "test",
            DEPS,
        ),
        Scope.system(),
    )
    alarm = taken_intrusion(backend, world)
    attempt, after = call(
        backend, alarm.id, contact_id=contact.id, number="0612345678", outcome="answered", word="Blue Heron"
    )
    assert attempt.result == "duress"
    assert (after.alarm_class, after.priority, after.state, after.holder_id) == (
        "duress",
        1,
        "taken",
        OPERATOR,
    )
    assert alarms(backend)[0].alarm_class == "duress"
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    mine = [e for e in entries if e.kind in ("alarm.call", "alarm.duress_word")]
    assert [e.kind for e in mine] == ["alarm.call", "alarm.duress_word"]
    assert mine[1].data["original_class"] == "intrusion"
    assert mine[1].data["priority"] == 1
    assert mine[0].data["result"] == "duress"
    everything = json.dumps([(e.message, e.data, e.params) for e in entries], default=str).casefold()
    assert "heron" not in everything
    assert SPOKEN_WORD not in everything
    # a call to the site itself checks the word against every contact of the site
    again = call(backend, alarm.id, number="01 99", outcome="answered", word=SPOKEN_WORD)[0]
    assert again.result == "password"


def test_only_the_holder_records_calls_and_only_to_the_contacts_numbers(
    backend: Backend, world: World
) -> None:
    send(backend, world, "a1", "1130 01 001")
    (alarm,) = alarms(backend)
    contact = world.contacts["a1"].id
    with pytest.raises(a.WrongState):  # not taken yet
        call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="no_answer")
    act(backend, a.TakeAlarm(alarm.id, OPERATOR, "Ann"))
    with pytest.raises(a.AlarmHeld):
        call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="no_answer", user_id=OTHER)
    with pytest.raises(InvalidInput, match="not a number of"):
        call(backend, alarm.id, contact_id=contact, number="+33 6 00", outcome="no_answer")
    with pytest.raises(InvalidInput, match="not a contact of"):
        call(backend, alarm.id, contact_id=world.contacts["b1"].id, number=PHONE, outcome="no_answer")
    with pytest.raises(InvalidInput, match="only given on an answered call"):
        call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="busy", word=SPOKEN_WORD)
    with pytest.raises(InvalidInput, match="Unknown call outcome"):
        call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="maybe")
    assert backend.read(lambda uow: uow.alarms.calls(alarm.id)) == []
    assert not [
        e for e in backend.read(lambda uow: list(uow.logbook.read(Scope.system()))) if e.kind == "alarm.call"
    ]


def test_another_tenants_operator_cannot_reach_the_alarm(backend: Backend, world: World) -> None:
    alarm = taken_intrusion(backend, world)
    with pytest.raises(NotFound):
        call(
            backend, alarm.id, Scope.tenant(world.t2.id), contact_id=None, number="0199", outcome="no_answer"
        )
    assert backend.read(lambda uow: uow.alarms.calls(alarm.id)) == []
