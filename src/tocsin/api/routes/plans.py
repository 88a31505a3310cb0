"""Action plans (consignes), an alarm's checklist, and a site's temporary instructions.

Plans are read with ``directory.read`` and written by supervisors and administrators
(``room.supervise``); a site's plan for a class replaces its client's, and the tenant's default
applies when neither exists. The checklist is read with ``alarms.read`` and worked through by the
operator holding the alarm (``alarms.handle``). Temporary instructions are read with
``directory.read`` and given or cancelled by operators (``alarms.handle``). A record outside the
caller's scope answers 404 like one that does not exist, and the probe is logged.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Query, Request
from pydantic import AwareDatetime, BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import Out
from tocsin.domain import instructions as i
from tocsin.domain import plans as p
from tocsin.domain.users import Principal
from tocsin.services import checklists
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "plans")
READ, WRITE, ALARMS, HANDLE = "directory.read", "room.supervise", "alarms.read", "alarms.handle"
ClientId = Annotated[UUID, Path(description="The client's id")]
SiteId = Annotated[UUID, Path(description="The site's id")]
AlarmId = Annotated[UUID, Path(description="The alarm's id")]
AlarmClass = Annotated[str, Path(max_length=32, description="An alarm class (intrusion, fire, duress…)")]


class StepIn(BaseModel):
    kind: p.StepKind
    instruction: str = Field(min_length=1, max_length=p.INSTRUCTION_MAX, description="What the operator does")
    mandatory: bool = Field(default=True, description="Settling waits until it is done or skipped")


class PlanIn(BaseModel):
    steps: list[StepIn] = Field(max_length=p.MAX_STEPS, description="The steps in order (at least one)")


class PlanStepOut(Out):
    kind: str
    instruction: str
    mandatory: bool


class PlanOut(Out):
    """The plan for a class: ``source`` says whose it is (site, client, or the tenant's default)."""

    alarm_class: str
    source: str
    client_id: UUID | None
    site_id: UUID | None
    steps: list[PlanStepOut]
    updated_at: datetime | None
    updated_by: str


class StepOut(Out):
    """A checklist step (``id`` null on a preview of an alarm nobody took yet)."""

    id: UUID | None
    position: int
    alarm_class: str
    source: str
    kind: str
    instruction: str
    mandatory: bool
    state: str
    result: str
    answered_by: str
    said: str
    reason: str
    done_at: datetime | None
    done_by: str


class ChecklistOut(Out):
    """An alarm's checklist; ``started`` is false while nobody took the alarm (the steps are then the
    plan in force, as it would be copied)."""

    alarm_id: UUID
    alarm_class: str
    started: bool
    settle_ready: bool
    steps: list[StepOut]


class InstructionOut(Out):
    id: UUID
    site_id: UUID
    client_id: UUID
    kind: str
    text: str
    account: str
    caller: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    created_by: str
    state: str
    in_force: bool
    ended_at: datetime | None
    ended_by: str


def _probe(principal: Principal, request: Request, permission: str, repo: str, item_id: UUID) -> Any:
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(permission),
        lambda uow: getattr(uow, repo).get(item_id),
        f"No {repo[:-1]} {item_id} in your scope: list the {repo} to find the right id.",
    )


def _plan_out(
    alarm_class: str, source: str, steps: tuple[p.PlanStep, ...], found: p.ActionPlan | None
) -> PlanOut:
    return PlanOut(
        alarm_class=alarm_class,
        source=source,
        client_id=None if found is None else found.client_id,
        site_id=None if found is None else found.site_id,
        steps=[PlanStepOut.model_validate(s) for s in steps],
        updated_at=None if found is None else found.updated_at,
        updated_by="" if found is None else found.updated_by,
    )


def _steps_of(body: PlanIn) -> tuple[p.PlanStep, ...]:
    return p.check_steps([p.PlanStep(s.kind, s.instruction, s.mandatory) for s in body.steps])


@router.get("/clients/{client_id}/action-plans/{alarm_class}")
def read_client_plan(
    client_id: ClientId, alarm_class: AlarmClass, request: Request, node: NodeDep, principal: PrincipalDep
) -> PlanOut:
    """The client's plan for a class, or the tenant's default (``source``) while it has none."""
    p.check_class(alarm_class)
    client = _probe(principal, request, READ, "clients", client_id)
    found = node.store.read(
        lambda uow: uow.plans.plan(alarm_class, client_id=client.id), principal.scope_for(READ)
    )
    if found is None:
        return _plan_out(alarm_class, "default", p.default_steps(alarm_class), None)
    return _plan_out(alarm_class, "client", found.steps, found)


@router.put("/clients/{client_id}/action-plans/{alarm_class}")
def write_client_plan(
    *,
    client_id: ClientId,
    alarm_class: AlarmClass,
    body: PlanIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> PlanOut:
    """Write the client's plan for a class (a template its sites follow unless they have their own)."""
    steps = _steps_of(body)
    _probe(principal, request, WRITE, "clients", client_id)
    command = p.SetActionPlan(alarm_class, steps, principal.actor, client_id=client_id)
    plan = node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)
    return _plan_out(plan.alarm_class, plan.source, plan.steps, plan)


@router.get("/sites/{site_id}/action-plans/{alarm_class}")
def read_site_plan(
    site_id: SiteId, alarm_class: AlarmClass, request: Request, node: NodeDep, principal: PrincipalDep
) -> PlanOut:
    """The plan in force for a class at the site: its own, else its client's, else the default."""
    p.check_class(alarm_class)
    site = _probe(principal, request, READ, "sites", site_id)

    def read(uow: UnitOfWork) -> PlanOut:
        own = uow.plans.plan(alarm_class, site_id=site.id)
        found = own or uow.plans.plan(alarm_class, client_id=site.client_id)
        source, steps = p.effective_plan(alarm_class, own, found if own is None else None)
        return _plan_out(alarm_class, source, steps, found)

    return node.store.read(read, principal.scope_for(READ))


@router.put("/sites/{site_id}/action-plans/{alarm_class}")
def write_site_plan(
    *,
    site_id: SiteId,
    alarm_class: AlarmClass,
    body: PlanIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> PlanOut:
    """Write the site's own plan for a class (it replaces the client's for this site)."""
    steps = _steps_of(body)
    _probe(principal, request, WRITE, "sites", site_id)
    command = p.SetActionPlan(alarm_class, steps, principal.actor, site_id=site_id)
    plan = node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)
    return _plan_out(plan.alarm_class, plan.source, plan.steps, plan)


@router.delete("/sites/{site_id}/action-plans/{alarm_class}")
def remove_site_plan(
    site_id: SiteId, alarm_class: AlarmClass, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> PlanOut:
    """Remove the site's own plan for a class; answers the plan now in force (the client's or default)."""
    _probe(principal, request, WRITE, "sites", site_id)
    command = p.RemoveSitePlan(site_id, alarm_class, principal.actor)
    node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)
    return read_site_plan(site_id, alarm_class, request, node, principal)


# ---------------------------------------------------------------- an alarm's checklist


def _checklist(node: NodeDep, principal: Principal, request: Request, alarm_id: UUID) -> ChecklistOut:
    alarm = _probe(principal, request, ALARMS, "alarms", alarm_id)

    def read(uow: UnitOfWork) -> ChecklistOut:
        steps = uow.plans.checklist(alarm.id)
        started = bool(steps)
        if not started:
            source, plan = checklists.plan_in_force(uow, alarm.alarm_class, alarm.site_id, alarm.client_id)
            steps = p.checklist_from(alarm, source, plan, [alarm.id] * len(plan))
        shown = [
            StepOut.model_validate(s).model_copy(update={"id": s.id if started else None}) for s in steps
        ]
        ready = not any(s.mandatory and s.open for s in steps)
        return ChecklistOut(
            alarm_id=alarm.id, alarm_class=alarm.alarm_class, started=started, settle_ready=ready, steps=shown
        )

    return node.store.read(read, principal.scope_for(ALARMS))


@router.get("/alarms/{alarm_id}/steps")
def read_steps(alarm_id: AlarmId, request: Request, node: NodeDep, principal: PrincipalDep) -> ChecklistOut:
    """The alarm's checklist: its steps in order, each pending, done (with its result) or skipped (with
    the reason), and whether the alarm may be settled."""
    return _checklist(node, principal, request, alarm_id)


class StepDoneIn(BaseModel):
    result: str = Field(default="", max_length=p.RESULT_MAX, description="What was done or found")
    answered_by: str = Field(default="", max_length=p.FIELD_MAX, description="Who answered (on a call)")
    said: str = Field(default="", max_length=p.RESULT_MAX, description="What they said")


class StepSkipIn(BaseModel):
    reason: str = Field(min_length=1, max_length=p.RESULT_MAX, description="Why the step is skipped")


def _acting(alarm_id: UUID, principal: Principal) -> dict[str, Any]:
    return {
        "alarm_id": alarm_id,
        "user_id": principal.user_id,
        "name": principal.display_name,
        "supervisor": principal.can(WRITE),
    }


@router.post("/alarms/{alarm_id}/steps/{step_id}/done")
def complete_step(
    *,
    alarm_id: AlarmId,
    step_id: Annotated[UUID, Path(description="The step's id")],
    body: StepDoneIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> ChecklistOut:
    """Complete a step of the alarm I hold with its result (the time is the room clock's)."""
    result = p.StepResult(body.result, body.answered_by, body.said)
    _probe(principal, request, ALARMS, "alarms", alarm_id)
    _probe(principal, request, HANDLE, "alarms", alarm_id)
    command = p.CompleteStep(**_acting(alarm_id, principal), step_id=step_id, result=result)
    node.messagebus.handle(command, scope=principal.scope_for(HANDLE), actor=principal.actor)
    return _checklist(node, principal, request, alarm_id)


@router.post("/alarms/{alarm_id}/steps/{step_id}/skip")
def skip_step(
    *,
    alarm_id: AlarmId,
    step_id: Annotated[UUID, Path(description="The step's id")],
    body: StepSkipIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> ChecklistOut:
    """Skip a step of the alarm I hold, with the reason."""
    _probe(principal, request, ALARMS, "alarms", alarm_id)
    _probe(principal, request, HANDLE, "alarms", alarm_id)
    command = p.SkipStep(**_acting(alarm_id, principal), step_id=step_id, reason=body.reason)
    node.messagebus.handle(command, scope=principal.scope_for(HANDLE), actor=principal.actor)
    return _checklist(node, principal, request, alarm_id)


# ---------------------------------------------------------------- temporary instructions


def _instruction_out(x: i.TemporaryInstruction, now: datetime) -> InstructionOut:
    return InstructionOut.model_validate({**dataclasses.asdict(x), "in_force": x.in_force(now)})


@router.get("/sites/{site_id}/instructions")
def list_instructions(
    site_id: SiteId,
    request: Request,
    node: NodeDep,
    principal: PrincipalDep,
    ended: Annotated[bool, Query(description="Include expired and cancelled ones")] = False,
) -> list[InstructionOut]:
    """The site's temporary instructions by start time: those not ended (``in_force`` marks the ones
    that apply now), or all of them."""
    site = _probe(principal, request, READ, "sites", site_id)

    def read(uow: UnitOfWork) -> list[InstructionOut]:
        now = uow.clock.now()
        found = uow.plans.instructions(site.id, open_only=not ended)
        return [_instruction_out(x, now) for x in found]

    return node.store.read(read, principal.scope_for(READ))


class InstructionIn(BaseModel):
    kind: i.InstructionKind = Field(description="note, test_mode, keyholder or closed")
    text: str = Field(min_length=1, max_length=i.TEXT_MAX, description="What the client said")
    starts_at: AwareDatetime | None = Field(default=None, description="When it starts (default: now)")
    ends_at: AwareDatetime = Field(description="When it ends (after the start)")
    account: str = Field(default="", max_length=32, description="One transmitter; empty: the whole site")
    caller: str = Field(default="", max_length=200, description="Who phoned it in")


@router.post("/sites/{site_id}/instructions")
def give_instruction(
    site_id: SiteId, body: InstructionIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> InstructionOut:
    """Record a temporary instruction a client gave by phone (test_mode puts the site, or the
    transmitter, in test mode over the window)."""
    _probe(principal, request, HANDLE, "sites", site_id)
    command = i.GiveInstruction(
        site_id=site_id,
        kind=body.kind,
        text=body.text,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        by=principal.actor,
        account=body.account,
        caller=body.caller,
    )
    x = node.messagebus.handle(command, scope=principal.scope_for(HANDLE), actor=principal.actor)
    return _instruction_out(x, node.clock.now())


@router.delete("/sites/{site_id}/instructions/{instruction_id}")
def cancel_instruction(
    site_id: SiteId,
    instruction_id: Annotated[UUID, Path(description="The instruction's id")],
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> InstructionOut:
    """Cancel a temporary instruction before its end (a test mode it started ends now)."""
    _probe(principal, request, HANDLE, "sites", site_id)
    command = i.CancelInstruction(site_id=site_id, instruction_id=instruction_id, by=principal.actor)
    x = node.messagebus.handle(command, scope=principal.scope_for(HANDLE), actor=principal.actor)
    return _instruction_out(x, node.clock.now())
