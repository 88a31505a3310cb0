"""What the operator does on an alarm completes the checklist's steps by itself: a call to the site
(answered or not), the contacts once one answers, the password once it matched (never the word), a guard
dispatched, a video seen, a request for help; on the in-memory twin, SQLite and PostgreSQL."""

from __future__ import annotations

from tests.contract.support import Backend, World
from tests.contract.test_alarm_calls import PHONE, call, taken_intrusion
from tests.contract.test_alarm_verification import police, run, taken
from tests.contract.test_alarms import OPERATOR, act
from tocsin.domain import alarms as a
from tocsin.domain import verification as v


def _steps(backend: Backend, alarm: a.Alarm) -> dict[str, tuple[str, str, str]]:
    return {
        s.kind: (s.state, s.result, s.answered_by)
        for s in backend.read(lambda uow: uow.plans.checklist(alarm.id))
    }


def test_calls_complete_the_call_steps_and_the_settle_then_passes(backend: Backend, world: World) -> None:
    alarm = taken_intrusion(backend, world)
    contact = world.contacts["a1"].id
    assert _steps(backend, alarm)["call_site"][0] == "pending"

    call(backend, alarm.id, contact_id=None, number="+33 1 99 00 00 00", outcome="no_answer")
    steps = _steps(backend, alarm)
    assert steps["call_site"][:2] == ("done", "no_answer: +33 1 99 00 00 00")
    assert steps["call_contacts"][0] == "pending"  # nobody of the list answered yet

    call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="no_answer")
    assert _steps(backend, alarm)["call_contacts"][0] == "pending"
    call(backend, alarm.id, contact_id=contact, number=PHONE, outcome="answered", word="open sesame")
    steps = _steps(backend, alarm)
    assert steps["call_contacts"][0] == "done"
    assert steps["call_contacts"][2] == "Keyholder a1"
    assert "sesame" not in repr(steps).lower()

    settled = act(backend, a.SettleAlarm(alarm.id, OPERATOR, "Ann", outcome="false", cause="animal"))
    assert settled.state == "settled"  # every mandatory step of the intrusion plan is done


def test_a_guard_dispatched_a_video_seen_and_a_police_request_complete_their_steps(
    backend: Backend, world: World
) -> None:
    alarm = taken(backend, world)
    assert {k: s[0] for k, s in _steps(backend, alarm).items()}["dispatch_guard"] == "pending"
    dispatch, _ = run(
        backend, v.DispatchResponder(alarm.id, OPERATOR, "Ann", unit_id=world.unit.id, eta_minutes=12)
    )
    run(backend, v.RecordVerification(alarm.id, OPERATOR, "Ann", method="video", outcome="confirmed"))
    police(backend, world, alarm.id, reference="PN-42")
    steps = _steps(backend, alarm)
    assert steps["dispatch_guard"][:2] == ("done", "Patrol 1 (patrol)")
    assert steps["view_clip"][0] == "done"
    assert steps["request_police"][0] == "done"
    assert "PN-42" in steps["request_police"][1]
    assert dispatch.name == "Patrol 1"
