"""Action plans, alarm checklists and temporary instructions, on the in-memory twin, SQLite and PostgreSQL:
plans per client and site with the tenant's defaults, the checklist copied when an alarm is taken,
steps done once, settling refused while a mandatory step is pending, the duress switch, and
temporary instructions that start test mode and expire on the fake clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from tests.contract.support import Backend, World
from tests.contract.test_alarms import DEPS, OPERATOR, OTHER, alarms, send
from tocsin.domain import alarms as a
from tocsin.domain import calls as c
from tocsin.domain import instructions as i
from tocsin.domain import plans as p
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.scope import Scope
from tocsin.services import checklists
from tocsin.services.handlers import alarms as alarm_handlers
from tocsin.services.handlers import plans as plan_handlers
from tocsin.services.messagebus import HANDLERS
from tocsin.services.scheduler import Scheduler

CLIENT_PLAN = (
    p.PlanStep("call_site", "Call the bakery."),
    p.PlanStep("inform_client", "Tell the owner.", mandatory=False),
)
SITE_PLAN = (
    p.PlanStep("view_clip", "Look at camera 2."),
    p.PlanStep("call_contacts", "Call the keyholders."),
)


def run(backend: Backend, command: Any, scope: Scope | None = None) -> Any:
    return backend.write(lambda uow: HANDLERS.run(command, uow, "tester", DEPS), scope or Scope.system())


def steps_of(backend: Backend, alarm_id: UUID) -> list[p.AlarmStep]:
    return backend.read(lambda uow: uow.plans.checklist(alarm_id))


def entries(backend: Backend, kind: str) -> list[dict[str, Any]]:
    found = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    return [dict(e.data) for e in found if e.kind == kind]


def intrusion(backend: Backend, world: World, zone: str = "001") -> a.Alarm:
    send(backend, world, "a1", f"1130 01 {zone}")
    return next(x for x in alarms(backend) if x.alarm_class == "intrusion" and x.state == "new")


def take(backend: Backend, alarm: a.Alarm, user: UUID = OPERATOR) -> None:
    run(backend, a.TakeAlarm(alarm.id, user, "Op"))


def test_plans_by_client_and_site_with_the_defaults_otherwise(backend: Backend, world: World) -> None:
    """A site's plan replaces its client's, the client's applies to its other sites, the default to
    the rest; writing again replaces; another tenant sees none of them."""
    run(backend, p.SetActionPlan("intrusion", CLIENT_PLAN, "sup", client_id=world.a.id))
    run(backend, p.SetActionPlan("intrusion", SITE_PLAN, "sup", site_id=world.a1.id))

    def in_force(site: Any) -> tuple[str, tuple[p.PlanStep, ...]]:
        return backend.read(lambda uow: checklists.plan_in_force(uow, "intrusion", site.id, site.client_id))

    assert in_force(world.a1) == ("site", SITE_PLAN)
    assert in_force(world.a2) == ("client", CLIENT_PLAN)
    assert in_force(world.b1) == ("default", p.default_steps("intrusion"))
    run(backend, p.SetActionPlan("intrusion", SITE_PLAN[:1], "sup", client_id=world.a.id))
    assert in_force(world.a2) == ("client", SITE_PLAN[:1])
    tenant2 = Scope.tenant(world.t2.id)
    assert backend.read(lambda uow: uow.plans.plan("intrusion", client_id=world.a.id), tenant2) is None
    run(backend, p.RemoveSitePlan(world.a1.id, "intrusion", "sup"))
    assert in_force(world.a1) == ("client", SITE_PLAN[:1])
    with pytest.raises(NotFound, match="no plan of its own"):
        run(backend, p.RemoveSitePlan(world.a1.id, "intrusion", "sup"))
    with pytest.raises(NotFound):
        run(
            backend,
            p.SetActionPlan("intrusion", CLIENT_PLAN, "x", site_id=world.c1.id),
            Scope.tenant(world.t1.id),
        )
    assert [e["owner"] for e in entries(backend, "plan.set")] == ["client", "site", "client"]
    assert len(entries(backend, "plan.removed")) == 1


def test_a_plan_with_no_step_or_an_unknown_kind_or_class_is_refused(backend: Backend, world: World) -> None:
    """Bad plans are refused with the reason, and nothing is written."""
    with pytest.raises(InvalidInput, match="at least one step"):
        run(backend, p.SetActionPlan("intrusion", (), "sup", client_id=world.a.id))
    with pytest.raises(InvalidInput, match="Unknown step kind"):
        p.PlanStep("pray", "Hope for the best.")
    with pytest.raises(InvalidInput, match="Unknown alarm class"):
        run(backend, p.SetActionPlan("burglary", CLIENT_PLAN, "sup", client_id=world.a.id))
    assert entries(backend, "plan.set") == []


def test_taking_an_alarm_copies_the_plan_and_later_edits_leave_it_alone(
    backend: Backend, world: World
) -> None:
    """The checklist is the plan in force at the take; a plan written afterwards changes nothing."""
    run(backend, p.SetActionPlan("intrusion", CLIENT_PLAN, "sup", client_id=world.a.id))
    alarm = intrusion(backend, world)
    take(backend, alarm)
    run(backend, p.SetActionPlan("intrusion", SITE_PLAN, "sup", client_id=world.a.id))
    steps = steps_of(backend, alarm.id)
    assert [(s.position, s.kind, s.mandatory, s.source, s.state) for s in steps] == [
        (1, "call_site", True, "client", "pending"),
        (2, "inform_client", False, "client", "pending"),
    ]
    assert entries(backend, "alarm.checklist")[-1]["steps"] == 2
    take(backend, alarm)  # taking again changes nothing
    assert steps_of(backend, alarm.id) == steps


def test_steps_are_done_once_by_the_holder_and_settling_waits_for_the_mandatory_ones(
    backend: Backend, world: World
) -> None:
    """Another operator is refused, a step completed twice is refused, a skip needs a reason; settling
    is refused while a mandatory step is pending, then allowed; each act is one entry."""
    run(backend, p.SetActionPlan("intrusion", CLIENT_PLAN, "sup", client_id=world.a.id))
    alarm = intrusion(backend, world)
    take(backend, alarm)
    first, second = steps_of(backend, alarm.id)
    settle = a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome="false", cause="animal")
    with pytest.raises(p.MandatoryStepsPending, match=r"1\. call_site"):
        run(backend, settle)
    assert alarms(backend, site_id=world.a1.id)[0].state == "taken"
    result = p.StepResult("Owner answered, cat inside", answered_by="Mrs Martin", said="tulip")
    with pytest.raises(a.AlarmHeld, match="only they work through its plan"):
        run(backend, p.CompleteStep(alarm.id, OTHER, "Op Two", step_id=first.id, result=result))
    done = run(backend, p.CompleteStep(alarm.id, OPERATOR, "Op", step_id=first.id, result=result))
    assert (done.state, done.answered_by, done.done_at) == ("done", "Mrs Martin", backend.clock.now())
    with pytest.raises(p.StepAlreadyDone, match="already done"):
        run(backend, p.CompleteStep(alarm.id, OPERATOR, "Op", step_id=first.id, result=result))
    with pytest.raises(InvalidInput, match="needs a reason"):
        run(backend, p.SkipStep(alarm.id, OPERATOR, "Op", step_id=second.id, reason=" "))
    with pytest.raises(InvalidInput, match="needs its result"):
        p.StepResult("")
    settled = run(backend, settle)  # the optional step may stay pending
    assert settled.state == "settled"
    assert [e["step_kind"] for e in entries(backend, "alarm.step_done")] == ["call_site"]
    assert entries(backend, "alarm.step_done")[0]["said"] == "tulip"


def test_a_new_alarm_settled_without_its_plan_is_refused_and_skipping_lets_it_settle(
    backend: Backend, world: World
) -> None:
    """Settling an untaken alarm under the default plan is refused; skipped with reasons, it settles."""
    alarm = intrusion(backend, world)
    settle = a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome="false", cause="animal")
    with pytest.raises(p.MandatoryStepsPending, match=r"call_site.*call_contacts"):
        run(backend, settle)
    assert steps_of(backend, alarm.id) == []  # the refusal rolled the copy back
    take(backend, alarm)
    for step in steps_of(backend, alarm.id):
        if step.mandatory:
            run(backend, p.SkipStep(alarm.id, OPERATOR, "Op", step_id=step.id, reason="user error on site"))
    assert run(backend, settle).state == "settled"
    assert [e["reason"] for e in entries(backend, "alarm.step_skipped")] == ["user error on site"] * 2


def test_a_duress_word_switches_the_checklist_to_the_duress_plan_keeping_what_was_done(
    backend: Backend, world: World
) -> None:
    """Done steps stay; pending ones give way to the duress plan's, a kind already done is not asked
    again; the entry names the class it switched from."""
    world_contact = world.contacts["a1"]
    hashed = DEPS.hasher.hash("red kestrel")
    backend.write(lambda uow: uow.contacts.update(_with_duress(world_contact, hashed)))
    alarm = intrusion(backend, world)
    take(backend, alarm)
    call_site = steps_of(backend, alarm.id)[1]
    assert call_site.kind == "call_site"
    run(
        backend,
        p.CompleteStep(alarm.id, OPERATOR, "Op", step_id=call_site.id, result=p.StepResult("no answer")),
    )
    number = world_contact.phones[0]
    run(
        backend,
        c.RecordCall(
            alarm.id,
            OPERATOR,
            "Op",
            contact_id=world_contact.id,
            number=number,
            outcome="answered",
            word="red kestrel",
        ),
    )
    steps = steps_of(backend, alarm.id)
    assert [(s.alarm_class, s.kind, s.state) for s in steps] == [
        ("intrusion", "call_site", "done"),
        *[("duress", s.kind, "pending") for s in p.default_steps("duress")],
    ]
    switched = entries(backend, "alarm.checklist_switched")
    assert [(e["switched_from"], e["alarm_class"], e["kept"]) for e in switched] == [
        ("intrusion", "duress", 1)
    ]
    police = checklists.complete_step_of_kind
    done = backend.write(lambda uow: police(uow, alarm.id, "request_police", p.StepResult("Ref 42"), "Op"))
    assert done is not None
    assert done.kind == "request_police"
    assert backend.write(lambda uow: police(uow, alarm.id, "view_clip", p.StepResult("x"), "Op")) is None


def _with_duress(contact: Any, hashed: str) -> Any:
    return replace(contact, duress_hash=hashed)


def _scheduler(backend: Backend) -> Scheduler:
    scheduler = Scheduler(backend.store, backend.clock)
    for deadlines in (plan_handlers.DEADLINES, alarm_handlers.DEADLINES):
        for kind, handler in deadlines.items():
            scheduler.register(kind, handler)
    return scheduler


def test_a_temporary_instruction_expires_at_its_end(backend: Backend, world: World) -> None:
    """Given, in force, then expired by its deadline on the fake clock, with an entry each time."""
    now = backend.clock.now()
    given = run(
        backend,
        i.GiveInstruction(
            world.a1.id, "keyholder", "Mr X has the keys", None, now + timedelta(hours=2), "op"
        ),
    )
    assert given.in_force(now)
    listed = backend.read(lambda uow: uow.plans.instructions(world.a1.id))
    assert [x.id for x in listed] == [given.id]
    backend.clock.advance(hours=2)
    _scheduler(backend).fire_due()
    assert backend.read(lambda uow: uow.plans.instructions(world.a1.id)) == []
    every = backend.read(lambda uow: uow.plans.instructions(world.a1.id, open_only=False))
    assert [x.state for x in every] == ["expired"]
    assert [e["change"] for e in entries(backend, "site.instruction")] == ["given", "expired"]


def test_a_test_mode_instruction_starts_and_ends_the_sites_test_mode(backend: Backend, world: World) -> None:
    """A later start is armed; at the start the site goes into test mode until the end, then out."""
    now = backend.clock.now()
    start, end = now + timedelta(hours=1), now + timedelta(hours=3)
    run(backend, i.GiveInstruction(world.a1.id, "test_mode", "Technician on site", start, end, "op"))

    def test_until() -> Any:
        status = backend.read(lambda uow: uow.alarms.statuses([world.a1.id])).get(world.a1.id)
        return None if status is None else status.test_until

    assert test_until() is None
    backend.clock.advance(hours=1)
    _scheduler(backend).fire_due()
    assert test_until() == end
    backend.clock.advance(hours=2)
    _scheduler(backend).fire_due()
    assert test_until() is None
    assert [e["change"] for e in entries(backend, "site.instruction")] == ["given", "expired"]


def test_bad_instructions_are_refused_and_a_cancel_ends_test_mode(backend: Backend, world: World) -> None:
    """An end before the start, an unknown transmitter and another tenant's site are refused; a
    cancelled test-mode instruction ends the test mode it started."""
    now = backend.clock.now()
    with pytest.raises(InvalidInput, match=r"ends .* before it starts"):
        run(
            backend,
            i.GiveInstruction(
                world.a1.id, "note", "x", now + timedelta(hours=2), now + timedelta(hours=1), "op"
            ),
        )
    with pytest.raises(InvalidInput, match="no transmitter"):
        run(
            backend,
            i.GiveInstruction(world.a1.id, "note", "x", None, now + timedelta(hours=1), "op", account="FFFF"),
        )
    with pytest.raises(NotFound):
        run(
            backend,
            i.GiveInstruction(world.c1.id, "note", "x", None, now + timedelta(hours=1), "op"),
            Scope.tenant(world.t1.id),
        )
    assert entries(backend, "site.instruction") == []
    given = run(
        backend, i.GiveInstruction(world.a1.id, "test_mode", "Tech", None, now + timedelta(hours=1), "op")
    )
    assert backend.read(lambda uow: uow.alarms.statuses([world.a1.id]))[world.a1.id].test_until is not None
    cancelled = run(backend, i.CancelInstruction(world.a1.id, given.id, "op"))
    assert cancelled.state == "cancelled"
    assert backend.read(lambda uow: uow.alarms.statuses([world.a1.id]))[world.a1.id].test_until is None
    with pytest.raises(Exception, match="already cancelled"):
        run(backend, i.CancelInstruction(world.a1.id, given.id, "op"))
