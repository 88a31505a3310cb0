"""The levée de doute on the three stores: verifications, a guard dispatched then on site with
findings, police requests refused before a positive verification and accepted after, ECV with two
numbers, duress passing with a note, the AVS-01 score kept on the alarm, and nothing written on a
refusal; on the in-memory twin, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest

from tests.contract.support import Backend, World
from tests.contract.test_alarm_calls import call
from tests.contract.test_alarms import DEPS, OPERATOR, OTHER, act, alarms, send
from tocsin.domain import alarms as a
from tocsin.domain import verification as v
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.scope import Scope
from tocsin.services.messagebus import HANDLERS
from tocsin.testing import FakeHasher


def run(backend: Backend, command: Any, scope: Scope | None = None) -> Any:
    return backend.write(lambda uow: HANDLERS.run(command, uow, "ann", DEPS), scope or Scope.system())


def taken(backend: Backend, world: World, frame: str = "1130 01 001") -> a.Alarm:
    send(backend, world, "a1", frame)
    newest = max(alarms(backend), key=lambda x: x.opened_at)
    return act(backend, a.TakeAlarm(newest.id, OPERATOR, "Ann"))


def police(backend: Backend, world: World, alarm_id: UUID, **fields: Any) -> Any:
    fields.setdefault("message", "Intrusion at Site A1, rear door")
    return run(backend, v.RequestAuthority(alarm_id, OPERATOR, "Ann", partner_id=world.partner.id, **fields))


def state(backend: Backend, alarm_id: UUID) -> tuple[Any, ...]:
    def read(uow: Any) -> tuple[Any, ...]:
        return (
            uow.verifications.verifications(alarm_id),
            uow.verifications.dispatches(alarm_id),
            uow.verifications.requests(alarm_id),
            uow.alarms.get(alarm_id),
        )

    return backend.read(read)


def entry_kinds(backend: Backend) -> list[str]:
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    return [
        e.kind
        for e in entries
        if e.kind.startswith("alarm.")
        and e.kind not in ("alarm.opened", "alarm.taken")
        and not e.kind.startswith(("alarm.checklist", "alarm.step_"))  # the plan's (test_plan_calls)
    ]


def test_a_guard_on_site_verifies_and_the_police_request_passes_only_then(
    backend: Backend, world: World
) -> None:
    """Refused while unverified (nothing written), a guard dispatched, on site, findings: the police
    request is then recorded with its basis, reference and the AVS score, and each step is an entry."""
    alarm = taken(backend, world)
    before = state(backend, alarm.id)
    with pytest.raises(v.NotVerified, match="L613-6"):
        police(backend, world, alarm.id)
    assert state(backend, alarm.id) == before
    assert entry_kinds(backend) == []
    dispatch, after = run(
        backend, v.DispatchResponder(alarm.id, OPERATOR, "Ann", unit_id=world.unit.id, eta_minutes=12)
    )
    assert (dispatch.name, dispatch.kind, after.avs_score) == ("Patrol 1", "patrol", None)
    assert dispatch.eta is not None
    assert (dispatch.eta - dispatch.dispatched_at).total_seconds() == 720
    backend.clock.advance(600)
    arrived, verification, _ = run(
        backend, v.UpdateDispatch(alarm.id, OPERATOR, "Ann", dispatch_id=dispatch.id, arrived=True)
    )
    assert arrived.arrived_at == backend.clock.now()
    assert verification is None
    with pytest.raises(a.WrongState, match="already on site"):
        run(backend, v.UpdateDispatch(alarm.id, OPERATOR, "Ann", dispatch_id=dispatch.id, arrived=True))
    backend.clock.advance(60)
    done, verification, rescored = run(
        backend,
        v.UpdateDispatch(
            alarm.id,
            OPERATOR,
            "Ann",
            dispatch_id=dispatch.id,
            findings="confirmed_intrusion",
            note="Door forced",
        ),
    )
    assert (done.findings, verification.method, verification.outcome, verification.threat) == (
        "confirmed_intrusion",
        "guard",
        "confirmed",
        "property",
    )
    assert verification.dispatch_id == dispatch.id
    assert rescored.avs_score == 3
    with pytest.raises(a.WrongState, match="already recorded"):
        run(
            backend,
            v.UpdateDispatch(alarm.id, OPERATOR, "Ann", dispatch_id=dispatch.id, findings="nothing_found"),
        )
    request, final = police(backend, world, alarm.id, reference="PN-2026-118")
    assert (request.service, request.basis, request.avs_score, request.reference) == (
        "police",
        "verified: guard",
        3,
        "PN-2026-118",
    )
    assert final.avs_score == 3
    verifications, dispatches, requests, stored = state(backend, alarm.id)
    assert [x.method for x in verifications] == ["guard"]
    assert dispatches == [done]
    assert requests == [request]
    assert stored.avs_score == 3
    assert entry_kinds(backend) == [
        "alarm.dispatched",
        "alarm.dispatch_arrived",
        "alarm.dispatch_findings",
        "alarm.verified",
        "alarm.authority_requested",
    ]
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    (last,) = [e for e in entries if e.kind == "alarm.authority_requested"]
    assert (last.data["score"], last.data["basis"], last.data["avs_score"]) == (3, "verified: guard", 3)


def test_video_and_audio_results_score_the_alarm(backend: Backend, world: World) -> None:
    """Video seen not confirmed scores 0; audio confirming a threat to life then scores 4."""
    alarm = taken(backend, world)
    _, cleared = run(
        backend, v.RecordVerification(alarm.id, OPERATOR, "Ann", method="video", outcome="not_confirmed")
    )
    assert cleared.avs_score == 0
    with pytest.raises(v.NotVerified):  # a video that saw nothing verifies nothing
        police(backend, world, alarm.id)
    heard, loud = run(
        backend,
        v.RecordVerification(
            alarm.id, OPERATOR, "Ann", method="audio", outcome="confirmed", threat="life", note="cries"
        ),
    )
    assert (heard.method, heard.threat, heard.note, loud.avs_score) == ("audio", "life", "cries", 4)
    assert alarms(backend, states=("taken",))[0].avs_score == 4
    request, _ = police(backend, world, alarm.id)
    assert request.basis == "verified: audio"


def test_ecv_with_two_numbers_allows_the_police_request(backend: Backend, world: World) -> None:
    """One number called twice is no ECV (refused); a second number makes one (accepted, AVS 1)."""
    alarm = taken(backend, world)
    contact = world.contacts["a1"].id
    call(backend, alarm.id, contact_id=contact, number="+33100000000", outcome="no_answer")
    call(backend, alarm.id, contact_id=contact, number="+33 1 00 00 00 00", outcome="no_answer")
    with pytest.raises(v.NotVerified):
        police(backend, world, alarm.id)
    call(backend, alarm.id, contact_id=None, number="01 99 00 00 00", outcome="no_answer")
    request, after = police(backend, world, alarm.id)
    assert (request.basis, request.avs_score, after.avs_score) == ("verified: ecv", 1, 1)


def test_duress_passes_with_a_note_and_scores_4(backend: Backend, world: World) -> None:
    """A duress alarm needs no verification, but a note; its score is 4."""
    alarm = taken(backend, world, "1121 01 000")
    assert alarm.alarm_class == "duress"
    with pytest.raises(InvalidInput, match="needs a note"):
        police(backend, world, alarm.id)
    request, after = police(backend, world, alarm.id, note="Duress code at the keypad, staff inside")
    assert (request.basis, request.avs_score, after.avs_score) == ("person-triggered duress alarm", 4, 4)


def test_a_duress_word_scores_the_alarm_4_at_once(backend: Backend, world: World) -> None:
    """The contact's duress word makes the alarm a duress alarm scored 4, before any verification."""
    contact = world.contacts["a1"]
    backend.write(
        lambda uow: uow.contacts.update(replace(contact, duress_hash=FakeHasher().hash("red kite"))),
    )
    alarm = taken(backend, world)
    assert alarm.avs_score is None
    _attempt, after = call(
        backend, alarm.id, contact_id=contact.id, number="+33100000000", outcome="answered", word="red kite"
    )
    assert (after.alarm_class, after.avs_score) == ("duress", 4)


def test_keyholders_units_and_partners_are_the_tenants_and_the_holder_acts(
    backend: Backend, world: World
) -> None:
    """A keyholder of another site, a unit or partner of another tenant, another operator, an alarm
    not taken, or another tenant's caller: each refused, and nothing is written."""
    alarm = taken(backend, world)
    keyholder, _ = run(
        backend, v.DispatchResponder(alarm.id, OPERATOR, "Ann", contact_id=world.contacts["a1"].id)
    )
    assert (keyholder.name, keyholder.kind, keyholder.eta) == ("Keyholder a1", "keyholder", None)
    before = state(backend, alarm.id)
    refusals: list[tuple[type[Exception], Any, Scope | None]] = [
        (
            InvalidInput,
            v.DispatchResponder(alarm.id, OPERATOR, "Ann", contact_id=world.contacts["b1"].id),
            None,
        ),
        (InvalidInput, v.DispatchResponder(alarm.id, OPERATOR, "Ann", unit_id=world.unit2.id), None),
        (InvalidInput, v.DispatchResponder(alarm.id, OPERATOR, "Ann"), None),
        (
            InvalidInput,
            v.RequestAuthority(alarm.id, OPERATOR, "Ann", partner_id=world.partner2.id, message="x"),
            None,
        ),
        (
            a.AlarmHeld,
            v.RecordVerification(alarm.id, OTHER, "Bob", method="video", outcome="confirmed"),
            None,
        ),
        (NotFound, v.UpdateDispatch(alarm.id, OPERATOR, "Ann", dispatch_id=UUID(int=5), arrived=True), None),
        (InvalidInput, v.UpdateDispatch(alarm.id, OPERATOR, "Ann", dispatch_id=keyholder.id), None),
        (
            NotFound,
            v.RecordVerification(alarm.id, OPERATOR, "Ann", method="video", outcome="confirmed"),
            Scope.tenant(world.t2.id),
        ),
    ]
    for error, command, scope in refusals:
        with pytest.raises(error):
            run(backend, command, scope)
        assert state(backend, alarm.id) == before, command
    act(backend, a.ReleaseAlarm(alarm.id, OPERATOR, "Ann"))
    with pytest.raises(a.WrongState, match="take it before"):
        run(backend, v.RecordVerification(alarm.id, OPERATOR, "Ann", method="video", outcome="confirmed"))
