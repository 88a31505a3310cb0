"""``/api/v1``: schedules (opening hours) and which sites follow them.

Reading needs ``directory.read``; creating, changing and assigning need ``directory.write``
(administrators), with that permission's scope: an administrator of one client sets that client's
schedules and assigns schedules to its sites, and only a whole-tenant administrator changes a schedule
shared by every client. A record outside the scope answers 404 (the probe is recorded). Each change is
a logbook entry, and the sites concerned are planned again in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request
from pydantic import BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import ScheduleOut, SiteOut
from tocsin.domain.schedule_admin import AssignSchedule, SetSchedule
from tocsin.domain.schedules import DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Schedule, ScheduleWindow, Site
from tocsin.domain.users import Principal
from tocsin.services.schedule_rules import KIND
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "schedules")
READ, WRITE = "directory.read", "directory.write"
ScheduleId = Annotated[UUID, Path(description="The schedule's id")]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["08:00"])]


class WindowIn(BaseModel):
    """Open on these ISO weekdays (1 = Monday) from ``opens`` to ``closes`` (at or before ``opens``:
    the next day)."""

    days: list[Annotated[int, Field(ge=1, le=7)]] = Field(min_length=1, max_length=7)
    opens: HHMM
    closes: HHMM


class ScheduleIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    client_id: UUID | None = Field(default=None, description="None: shared by every client of the tenant.")
    windows: list[WindowIn] = Field(default_factory=list, max_length=50)
    holidays: list[str] = Field(
        default_factory=list,
        max_length=1000,
        description="Dates closed (2026-12-25) or with special hours (2026-12-24 08:00-12:00).",
    )
    grace_seconds: int = Field(default=DEFAULT_GRACE_SECONDS, ge=0, le=MAX_GRACE_SECONDS)


class ScheduledSiteOut(BaseModel):
    id: UUID
    ref: str
    name: str
    next_check: datetime | None
    next_check_kind: str | None


class ScheduleFileOut(ScheduleOut):
    """A schedule with the sites I may see that follow it, and each one's next planned check."""

    sites: list[ScheduledSiteOut]


class AssignIn(BaseModel):
    schedule_id: UUID | None = Field(description="The schedule the site follows; null: none.")


def _command(principal: Principal, body: ScheduleIn, schedule_id: UUID | None) -> SetSchedule:
    return SetSchedule(
        principal.tenant_id,
        body.name,
        windows=tuple(ScheduleWindow(tuple(w.days), w.opens, w.closes) for w in body.windows),
        holidays=tuple(body.holidays),
        grace_seconds=body.grace_seconds,
        client_id=body.client_id,
        schedule_id=schedule_id,
    )


def _in_scope(request: Request, principal: Principal, permission: str, repo: str, item_id: UUID) -> Any:
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(permission),
        lambda uow: getattr(uow, repo).get(item_id),
        f"No {repo.rstrip('s')} {item_id} in your scope.",
    )


def _file(node: NodeDep, principal: Principal, schedule: Schedule) -> ScheduleFileOut:
    def sites(uow: UnitOfWork) -> list[Site]:
        return uow.sites.find(schedule_id=schedule.id)

    found = node.store.read(sites, principal.scope_for(READ))
    keys = {str(site.id) for site in found}
    pending = node.store.read(lambda uow: uow.deadlines.pending(KIND), Scope.system()) if keys else []
    checks = {d.key: d for d in pending if d.key in keys}
    shown = []
    for site in found:
        check = checks.get(str(site.id))
        shown.append(
            ScheduledSiteOut(
                id=site.id,
                ref=site.ref,
                name=site.name,
                next_check=None if check is None else check.due_at,
                next_check_kind=None if check is None else str(check.payload.get("check")),
            )
        )
    return ScheduleFileOut.model_validate(
        {**ScheduleOut.model_validate(schedule).model_dump(), "sites": shown}
    )


@router.get("/schedules/{schedule_id}")
def read_schedule(
    schedule_id: ScheduleId, request: Request, node: NodeDep, principal: PrincipalDep
) -> ScheduleFileOut:
    """One schedule, the sites I may see that follow it and their next checks."""
    return _file(node, principal, _in_scope(request, principal, READ, "schedules", schedule_id))


@router.post("/schedules", status_code=201)
def create_schedule(
    body: ScheduleIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> ScheduleFileOut:
    """Create a schedule, shared by the tenant's clients or of one client I may change."""
    if body.client_id is not None:
        _in_scope(request, principal, WRITE, "clients", body.client_id)
    command = _command(principal, body, None)
    created = node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)
    return _file(node, principal, created)


@router.put("/schedules/{schedule_id}")
def replace_schedule(
    schedule_id: ScheduleId, body: ScheduleIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> ScheduleFileOut:
    """Replace a schedule's name, windows, holidays and grace; its sites are planned again."""
    _in_scope(request, principal, WRITE, "schedules", schedule_id)
    if body.client_id is not None:
        _in_scope(request, principal, WRITE, "clients", body.client_id)
    command = _command(principal, body, schedule_id)
    changed = node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)
    return _file(node, principal, changed)


@router.put("/sites/{site_id}/schedule")
def assign_schedule(
    site_id: Annotated[UUID, Path(description="The site's id")],
    body: AssignIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> SiteOut:
    """Make a site I may change follow a schedule (or none); its next check is planned."""
    _in_scope(request, principal, WRITE, "sites", site_id)
    if body.schedule_id is not None:
        _in_scope(request, principal, READ, "schedules", body.schedule_id)
    command = AssignSchedule(site_id, body.schedule_id)
    site = node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)
    return SiteOut.model_validate(site)
