"""A step that an operator's act completes by itself (a call, a dispatch, a video seen, a request for
help) names that operator, by name and user id, as a step done by hand does; on the in-memory twin,
SQLite and PostgreSQL. (It named the process's actor string, "user:…", and no user.)"""

from __future__ import annotations

from tests.contract.support import Backend, World
from tests.contract.test_alarm_calls import call
from tests.contract.test_alarm_verification import police, run, taken
from tests.contract.test_alarms import OPERATOR
from tocsin.domain import verification as v


def test_the_acts_steps_name_the_operator_who_acted(backend: Backend, world: World) -> None:
    alarm = taken(backend, world)
    call(backend, alarm.id, contact_id=None, number="+33 1 99 00 00 00", outcome="no_answer")
    run(backend, v.DispatchResponder(alarm.id, OPERATOR, "Ann", unit_id=world.unit.id))
    run(backend, v.RecordVerification(alarm.id, OPERATOR, "Ann", method="video", outcome="confirmed"))
    police(backend, world, alarm.id, reference="PN-42")
    done = [s for s in backend.read(lambda uow: uow.plans.checklist(alarm.id)) if s.state == "done"]
    assert {s.kind for s in done} >= {"call_site", "dispatch_guard", "view_clip", "request_police"}
    assert {(s.done_by, s.user_id) for s in done} == {("Ann", OPERATOR)}  # as the commands name her
