"""Action plans and temporary instructions: writing a client's or a site's plan, working through an
alarm's checklist, and the instructions a client gives by phone, with the deadlines that start and end
them.

A ``test_mode`` instruction uses the site's ordinary test mode: it is set over the instruction's
window (at its start, by a deadline when the start is later) and ended when the instruction is
cancelled; the test mode's own deadline ends it at the instruction's end.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain import instructions as i
from tocsin.domain import plans as p
from tocsin.domain.deadlines import Deadline
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.events import TestModeChanged
from tocsin.domain.plan_events import ActionPlanRemoved, ActionPlanSet, InstructionChanged
from tocsin.domain.sites import Site
from tocsin.services import checklists
from tocsin.services.alarm_rules import TEST_MODE_END
from tocsin.services.handlers.alarms import set_test_mode
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import UnitOfWork

INSTRUCTION_START = "instruction.start"  # deadline kinds
INSTRUCTION_END = "instruction.end"


def site_in_scope(uow: UnitOfWork, site_id: UUID) -> Site:
    site = uow.sites.get(site_id)
    if site is None:
        raise NotFound(f"No site {site_id} in your scope: list the sites to find the right id.")
    return site


def set_action_plan(cmd: p.SetActionPlan, uow: UnitOfWork, actor: str, _deps: Deps) -> p.ActionPlan:
    """Write a client's or a site's plan for a class (replacing the one it had)."""
    if (cmd.client_id is None) == (cmd.site_id is None):
        raise InvalidInput("An action plan belongs to a client or to a site: name one of the two.")
    if cmd.site_id is not None:
        site = site_in_scope(uow, cmd.site_id)
        tenant_id, client_id, owner_ref = site.tenant_id, site.client_id, site.ref
    else:
        client = uow.clients.get(cmd.client_id) if cmd.client_id else None
        if client is None:
            raise NotFound(f"No client {cmd.client_id} in your scope: list the clients to find the right id.")
        tenant_id, client_id, owner_ref = client.tenant_id, client.id, client.ref
    plan = p.ActionPlan(
        id=uow.clock.new_id(),
        tenant_id=tenant_id,
        alarm_class=p.check_class(cmd.alarm_class),
        steps=tuple(cmd.steps),
        client_id=None if cmd.site_id else client_id,
        site_id=cmd.site_id,
        updated_at=uow.clock.now(),
        updated_by=cmd.by,
    )
    uow.plans.put_plan(plan)
    uow.record(
        ActionPlanSet(
            tenant_id=tenant_id,
            plan_id=plan.id,
            alarm_class=plan.alarm_class,
            owner=plan.source,
            owner_ref=owner_ref,
            client_id=client_id,
            site_id=plan.site_id,
            steps=len(plan.steps),
            mandatory=sum(s.mandatory for s in plan.steps),
            by=cmd.by,
        ),
        actor,
    )
    return plan


def remove_site_plan(cmd: p.RemoveSitePlan, uow: UnitOfWork, actor: str, _deps: Deps) -> p.ActionPlan:
    site = site_in_scope(uow, cmd.site_id)
    plan = uow.plans.plan(p.check_class(cmd.alarm_class), site_id=site.id)
    if plan is None:
        raise NotFound(f"Site {site.ref} has no plan of its own for {cmd.alarm_class} alarms.")
    uow.plans.remove_plan(plan.id)
    uow.record(
        ActionPlanRemoved(
            tenant_id=site.tenant_id,
            plan_id=plan.id,
            alarm_class=plan.alarm_class,
            site_ref=site.ref,
            client_id=site.client_id,
            site_id=site.id,
            by=cmd.by,
        ),
        actor,
    )
    return plan


def complete_step(cmd: p.CompleteStep, uow: UnitOfWork, actor: str, _deps: Deps) -> p.AlarmStep:
    return checklists.do_step(cmd, uow, actor)


def skip_step(cmd: p.SkipStep, uow: UnitOfWork, actor: str, _deps: Deps) -> p.AlarmStep:
    return checklists.skip_step(cmd, uow, actor)


# ---------------------------------------------------------------- temporary instructions


def _changed(site: Site, x: i.TemporaryInstruction, change: str, by: str) -> InstructionChanged:
    return InstructionChanged(
        tenant_id=x.tenant_id,
        instruction_id=x.id,
        change=change,
        site_id=x.site_id,
        client_id=x.client_id,
        site_ref=site.ref,
        instruction_kind=x.kind,
        text=x.text,
        account=x.account,
        caller=x.caller,
        starts_at=x.starts_at,
        ends_at=x.ends_at,
        by=by,
    )


def _start_test_mode(uow: UnitOfWork, site: Site, x: i.TemporaryInstruction, actor: str) -> None:
    """Put the site (or the transmitter) in test mode until the instruction's end, as ``site
    test-mode`` does: the site's status, its end deadline and its entry."""
    status = uow.alarms.statuses([site.id]).get(site.id) or a.SiteStatus(
        site_id=site.id, tenant_id=site.tenant_id
    )
    status = replace(status, test_until=x.ends_at, test_account=x.account, test_by=x.created_by)
    uow.alarms.put_statuses([status])
    arm(uow, TEST_MODE_END, str(site.id), x.ends_at, tenant_id=site.tenant_id)
    uow.record(
        TestModeChanged(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            site_ref=site.ref,
            account=x.account,
            until=x.ends_at,
            by=x.created_by,
        ),
        actor,
    )


def give_instruction(
    cmd: i.GiveInstruction, uow: UnitOfWork, actor: str, _deps: Deps
) -> i.TemporaryInstruction:
    """Record an instruction a client gave by phone; a test-mode one starts the site's test mode."""
    site = site_in_scope(uow, cmd.site_id)
    account = cmd.account.strip().upper()
    if account and not uow.accounts.find(site_id=site.id, number=account):
        raise InvalidInput(f"Site {site.ref} has no transmitter #{account}: check its number.")
    now = uow.clock.now()
    x = i.new_instruction(
        uow.clock.new_id(),
        site.tenant_id,
        site.client_id,
        site.id,
        cmd.kind,
        cmd.text,
        cmd.starts_at or now,
        cmd.ends_at,
        now=now,
        by=cmd.by,
        account=account,
        caller=cmd.caller,
    )
    uow.plans.add_instruction(x)
    uow.record(_changed(site, x, "given", cmd.by), actor)
    arm(uow, INSTRUCTION_END, str(x.id), x.ends_at, tenant_id=x.tenant_id)
    if x.kind == "test_mode":
        if x.starts_at <= now:
            _start_test_mode(uow, site, x, actor)
        else:
            arm(uow, INSTRUCTION_START, str(x.id), x.starts_at, tenant_id=x.tenant_id)
    return x


def cancel_instruction(
    cmd: i.CancelInstruction, uow: UnitOfWork, actor: str, deps: Deps
) -> i.TemporaryInstruction:
    """Cancel an instruction before its end; a test-mode one in force ends the site's test mode."""
    site = site_in_scope(uow, cmd.site_id)
    x = uow.plans.instruction(cmd.instruction_id)
    if x is None or x.site_id != site.id:
        raise NotFound(f"Site {site.ref} has no instruction {cmd.instruction_id}: list its instructions.")
    now = uow.clock.now()
    cancelled = i.cancel(x, cmd.by, now)
    uow.plans.save_instruction(cancelled)
    uow.record(_changed(site, cancelled, "cancelled", cmd.by), actor)
    uow.deadlines.cancel(INSTRUCTION_END, str(x.id))
    uow.deadlines.cancel(INSTRUCTION_START, str(x.id))
    if x.kind == "test_mode" and x.in_force(now):
        status = uow.alarms.statuses([site.id]).get(site.id)
        if status is not None and status.test_until == x.ends_at:  # still this instruction's test mode
            set_test_mode(
                a.SetTestMode(site_id=site.id, until=None, by=cmd.by, account=x.account), uow, actor, deps
            )
    return cancelled


def on_instruction_start(uow: UnitOfWork, deadline: Deadline) -> None:
    """A test-mode instruction's start came: the site goes into test mode until its end."""
    x = uow.plans.instruction(UUID(deadline.key))
    if x is None or x.kind != "test_mode" or not x.in_force(uow.clock.now()):
        return
    site = uow.sites.get(x.site_id)
    if site is not None:
        _start_test_mode(uow, site, x, "rules")


def on_instruction_end(uow: UnitOfWork, deadline: Deadline) -> None:
    """An instruction reached its end: it expires (a test mode ends by its own deadline)."""
    x = uow.plans.instruction(UUID(deadline.key))
    expired = None if x is None else i.expire(x, uow.clock.now())
    if expired is None:
        return
    uow.plans.save_instruction(expired)
    site = uow.sites.get(expired.site_id)
    if site is not None:
        uow.record(_changed(site, expired, "expired", "rules"), "rules")


HANDLERS = (
    Handlers()
    .add(p.SetActionPlan, set_action_plan)
    .add(p.RemoveSitePlan, remove_site_plan)
    .add(p.CompleteStep, complete_step)
    .add(p.SkipStep, skip_step)
    .add(i.GiveInstruction, give_instruction)
    .add(i.CancelInstruction, cancel_instruction)
)

DEADLINES = {
    INSTRUCTION_START: on_instruction_start,
    INSTRUCTION_END: on_instruction_end,
}
