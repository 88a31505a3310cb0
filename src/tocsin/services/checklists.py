"""An alarm's checklist: the action plan in force copied onto the alarm, and each step done or skipped.

The checklist is made when an operator takes the alarm (or settles one nobody took), from the site's
plan for the alarm's class, else its client's, else the tenant's default. It is a copy: editing the
plan later changes no running checklist. When the alarm's class changes (a duress word), the pending
steps give way to the new class's plan; what was done or skipped stays, and a kind of step already done
is not asked again. Every change is a logbook entry in the same transaction.

:func:`complete_step_of_kind` is for the acts that complete a step by themselves (a call-back, a
guard's dispatch, a police request): it marks the first pending step of that kind done.
"""

from __future__ import annotations

from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain import plans as p
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.plan_events import ChecklistStarted, ChecklistSwitched, StepCompleted, StepSkipped
from tocsin.services.alarm_rules import entry
from tocsin.services.unit_of_work import UnitOfWork


def plan_in_force(
    uow: UnitOfWork, alarm_class: str, site_id: UUID | None, client_id: UUID | None
) -> tuple[p.PlanSource, tuple[p.PlanStep, ...]]:
    """The plan for a class at a site: the site's own, else its client's, else the default."""
    site_plan = None if site_id is None else uow.plans.plan(alarm_class, site_id=site_id)
    client_plan = None if client_id is None or site_plan else uow.plans.plan(alarm_class, client_id=client_id)
    return p.effective_plan(alarm_class, site_plan, client_plan)


def _current_class(steps: list[p.AlarmStep]) -> str:
    return max(steps, key=lambda s: s.position).alarm_class


def ensure_checklist(uow: UnitOfWork, alarm: a.Alarm, actor: str) -> list[p.AlarmStep]:
    """The alarm's checklist, made now from the plan in force if it has none, or switched to the plan of
    its class if the class changed since it was made."""
    steps = uow.plans.checklist(alarm.id)
    if steps and _current_class(steps) == alarm.alarm_class:
        return steps
    source, plan = plan_in_force(uow, alarm.alarm_class, alarm.site_id, alarm.client_id)
    kept = [s for s in steps if not s.open]
    dropped = [s.id for s in steps if s.open]
    done_kinds = [s.kind for s in kept if s.state == "done"]
    first = max((s.position for s in steps), default=0) + 1
    ids = [uow.clock.new_id() for _ in plan]
    made = p.checklist_from(alarm, source, plan, ids, first_position=first, already_done=done_kinds)
    if not made:  # everything the new plan asks was done already: still record it as the class's
        made = p.checklist_from(alarm, source, plan, ids, first_position=first)
    uow.plans.drop_steps(dropped)
    uow.plans.add_steps(made)
    counts = {"source": source, "steps": len(made), "mandatory": sum(s.mandatory for s in made)}
    if steps:
        switched = entry(
            ChecklistSwitched, alarm, switched_from=_current_class(steps), kept=len(kept), **counts
        )
        uow.record(switched, actor)
    else:
        uow.record(entry(ChecklistStarted, alarm, **counts), actor)
    return sorted([*kept, *made], key=lambda s: (s.position, s.id))


def check_settle(uow: UnitOfWork, alarm: a.Alarm, actor: str) -> None:
    """Refuse settling the alarm while a mandatory step of its checklist is neither done nor skipped."""
    if alarm.state in ("settled", "closed"):
        return  # the settle rule itself answers
    p.may_settle(ensure_checklist(uow, alarm, actor))


def _step(steps: list[p.AlarmStep], step_id: UUID | None) -> p.AlarmStep:
    for step in steps:
        if step.id == step_id:
            return step
    raise NotFound(f"This alarm's checklist has no step {step_id}: read its steps again.")


def complete_step(
    uow: UnitOfWork,
    alarm: a.Alarm,
    step: p.AlarmStep,
    result: p.StepResult,
    actor: str,
    *,
    by: str,
    user_id: UUID | None,
) -> p.AlarmStep:
    """Mark a step done with its result, and record it."""
    done = p.complete(step, result, by, user_id, uow.clock.now())
    uow.plans.save_step(done)
    uow.record(
        entry(
            StepCompleted,
            alarm,
            step_id=done.id,
            position=done.position,
            step_kind=done.kind,
            result_text=done.result,
            answered_by=done.answered_by,
            said=done.said,
            by=by,
        ),
        actor,
    )
    return done


def complete_step_of_kind(
    uow: UnitOfWork,
    alarm_id: UUID,
    kind: str,
    result: p.StepResult,
    actor: str,
    *,
    by: str = "",
    user_id: UUID | None = None,
) -> p.AlarmStep | None:
    """Mark the first pending step of ``kind`` of the alarm's checklist done with ``result`` (made from
    the plan in force if the alarm has none yet); None when no pending step is of that kind. ``by`` and
    ``user_id`` name the operator whose act completed it, as a step done by hand does (``actor`` when
    no name is given). The caller has checked who may act on the alarm."""
    alarm = uow.alarms.get(alarm_id)
    if alarm is None:
        raise NotFound(f"No alarm {alarm_id} in your scope: list the alarms to find the right id.")
    for step in ensure_checklist(uow, alarm, actor):
        if step.open and step.kind == kind:
            return complete_step(uow, alarm, step, result, actor, by=by or actor, user_id=user_id)
    return None


def do_step(cmd: p.CompleteStep, uow: UnitOfWork, actor: str) -> p.AlarmStep:
    """The holder completes a step of the alarm's checklist."""
    alarm = uow.alarms.get(cmd.alarm_id)
    if alarm is None:
        raise NotFound(f"No alarm {cmd.alarm_id} in your scope: list the alarms to find the right id.")
    p.may_act(alarm, cmd.user_id)
    if cmd.result is None:
        raise InvalidInput("Completing a step needs its result.")
    step = _step(ensure_checklist(uow, alarm, actor), cmd.step_id)
    return complete_step(uow, alarm, step, cmd.result, actor, by=cmd.name, user_id=cmd.user_id)


def skip_step(cmd: p.SkipStep, uow: UnitOfWork, actor: str) -> p.AlarmStep:
    """The holder skips a step of the alarm's checklist, with a reason."""
    alarm = uow.alarms.get(cmd.alarm_id)
    if alarm is None:
        raise NotFound(f"No alarm {cmd.alarm_id} in your scope: list the alarms to find the right id.")
    p.may_act(alarm, cmd.user_id)
    step = _step(ensure_checklist(uow, alarm, actor), cmd.step_id)
    skipped = p.skip(step, cmd.reason, cmd.name, cmd.user_id, uow.clock.now())
    uow.plans.save_step(skipped)
    uow.record(
        entry(
            StepSkipped,
            alarm,
            step_id=skipped.id,
            position=skipped.position,
            step_kind=skipped.kind,
            reason=skipped.reason,
            by=cmd.name,
        ),
        actor,
    )
    return skipped
