"""``/api/v1/units``: the tenant's units (list, one unit with its history, create), their status and
position, their crews' reports; ``/api/v1/events/{id}/engage`` and ``…/units/{unit_id}/release``.

Reading asks for ``units.read``; creating for ``resources.write``; engaging and releasing for
``events.dispatch``. A status, a position or a report is sent by the room (``events.dispatch``, any unit
of its scope) or by a unit's crew (``unit.report``: only the unit its login is linked to). A unit or an
event outside the caller's scope answers 404 like one that does not exist, and the probe is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Path, Request
from pydantic import BaseModel, ConfigDict, Field

from tocsin.api.deps import (
    CheckedPrincipalDep,
    NodeDep,
    PrincipalDep,
    get_node,
    in_scope_or_probe,
    source_of,
)
from tocsin.api.permissions import api_router
from tocsin.domain import units as u
from tocsin.domain.errors import NotFound
from tocsin.domain.resources import UNIT_STATUSES, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.users import Principal
from tocsin.services import unit_views as views
from tocsin.services.unit_of_work import UnitOfWork

T = TypeVar("T")
router = api_router("/api/v1", "units")
READ, WRITE, DISPATCH, REPORT = "units.read", "resources.write", "events.dispatch", "unit.report"
UnitId = Annotated[UUID, Path(description="The unit's id")]
EventId = Annotated[UUID, Path(description="The event's id")]


class UnitOut(BaseModel):
    """A unit as the board and the map show it."""

    model_config = ConfigDict(extra="allow")
    id: str
    tenant_id: str
    callsign: str
    kind: str
    status: str
    capabilities: list[str]
    station: str
    latitude: float | None
    longitude: float | None
    status_at: str | None
    event_id: str | None
    legal_next: list[str]


class UnitFileOut(UnitOut):
    """A unit with its current assignment and its latest status changes."""

    history: list[dict[str, Any]]


class MineOut(BaseModel):
    """What a crew's mobile page shows: its unit, its assignment (the event, its narrative)."""

    model_config = ConfigDict(extra="allow")
    unit: UnitOut | None
    assignment: dict[str, Any] | None


class StreetOut(BaseModel):
    name: str
    points: list[list[float]]


class CrewMapOut(BaseModel):
    """The streets around a crew's assignment (or its own position), for a map with no tiles."""

    center: list[float] | None
    unit: list[float] | None
    streets: list[StreetOut]


class ReportOut(BaseModel):
    """Where a crew's report went: the event and how many lines its narrative now has."""

    event_id: str
    notes: int


class AssignmentOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    unit_id: str
    callsign: str
    alerted_at: str


class UnitIn(BaseModel):
    callsign: str = Field(min_length=1, max_length=u.CALLSIGN_MAX)
    kind: str = Field(min_length=1, max_length=32, description="guard, police, fire, ambulance…")
    capabilities: list[str] = Field(default_factory=list, max_length=u.EQUIPMENT_MAX)
    equipment: list[str] = Field(default_factory=list, max_length=u.EQUIPMENT_MAX)
    crew: int = Field(default=0, ge=0, le=u.CREW_MAX)
    station: str = Field(default="", max_length=200, description="The home station")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    user_id: UUID | None = Field(default=None, description="The crew's login, linked to this unit")


class StatusIn(BaseModel):
    status: str = Field(min_length=1, max_length=32, description=" | ".join(UNIT_STATUSES))


class PositionIn(BaseModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)


class ReportIn(BaseModel):
    kind: str = Field(description=" | ".join(u.REPORT_KINDS))
    text: str = Field(default="", max_length=u.TEXT_MAX)


class EngageIn(BaseModel):
    unit_ids: list[UUID] = Field(min_length=1, max_length=50)


def _unit(request: Request, principal: Principal, scope: Scope, unit_id: UUID) -> Unit:
    return in_scope_or_probe(
        request,
        principal,
        scope,
        lambda uow: uow.units.get(unit_id),
        f"No unit {unit_id} in your scope: list the units to find the right id.",
    )


def _linked_unit(node: NodeDep, principal: Principal) -> UUID | None:
    user = node.store.read(lambda uow: uow.users.get(principal.user_id), Scope.tenant(principal.tenant_id))
    return None if user is None else user.unit_id


def _acting(principal: Principal) -> tuple[Scope, UUID | None]:
    """The scope a status, position or report is written with, and whose crew acts: the room (any unit
    of its scope), or a crew (``unit.report``: the handler checks the unit is the one its login is for)."""
    if principal.can(DISPATCH):
        return principal.scope_for(DISPATCH), None
    return principal.scope_for(REPORT), principal.user_id  # refused here without either permission


def _probed(request: Request, principal: Principal, run: Callable[[], T], *ids: UUID) -> T:
    """``run()``, the write that checks the scope itself; when it finds nothing in the caller's scope,
    a record that exists elsewhere (a unit or an event of ``ids``) is logged as a probe, and the caller
    gets the same 404 either way (one read on a miss, none on the way that succeeds)."""
    try:
        return run()
    except NotFound:
        node = get_node(request)

        def exists(uow: UnitOfWork) -> bool:
            return any(uow.units.get(x) is not None or uow.incidents.get(x) is not None for x in ids)

        if node.store.read(exists, Scope.system()):
            node.auth.refuse(
                principal.tenant_id,
                principal.username,
                source_of(request),
                "outside the user's scope",
                f"{request.method} {request.url.path}",
            )
        raise


@router.get("/units", response_model=list[UnitOut])
def list_units(node: NodeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """The tenant's units, their status, position and the event each is engaged on (``units.read``)."""
    found = node.store.read(lambda uow: uow.units.find(), principal.scope_for(READ))
    return [views.unit_view(x) for x in sorted(found, key=lambda x: (x.kind, x.callsign))]


@router.post("/units", status_code=201, response_model=UnitOut)
def create_unit(body: UnitIn, node: NodeDep, principal: CheckedPrincipalDep) -> dict[str, Any]:
    """Add a unit: type, capabilities, equipment, crew, home station, position, the crew's login."""
    command = u.CreateUnit(
        tenant_id=principal.tenant_id,
        callsign=body.callsign,
        kind=body.kind,
        capabilities=tuple(body.capabilities),
        equipment=tuple(body.equipment),
        crew=body.crew,
        station=body.station,
        latitude=body.latitude,
        longitude=body.longitude,
        user_id=body.user_id,
    )
    unit = node.messagebus.handle(command, scope=principal.scope_for(WRITE), actor=principal.actor)
    return views.unit_view(unit)


@router.get("/units/me", response_model=MineOut)
def my_unit(node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """For a crew's mobile page: its unit, the legal next statuses and its assignment (the event's
    place and narrative), or nulls when its login is linked to no unit."""
    scope = principal.scope_for(REPORT)
    unit_id = _linked_unit(node, principal)
    if unit_id is None:
        return {"unit": None, "assignment": None}
    return node.store.read(lambda uow: views.mine(uow, unit_id, principal.language), scope)


@router.get("/units/me/map", response_model=CrewMapOut)
def my_map(node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """The streets around the crew's assignment (or its own position), for a map with no tiles:
    ``{"center": [lat, lon] | null, "unit": [lat, lon] | null, "streets": [{"name", "points"}]}``."""
    scope = principal.scope_for(REPORT)
    unit_id = _linked_unit(node, principal)
    if unit_id is None:
        return {"center": None, "unit": None, "streets": []}
    return node.store.read(lambda uow: views.mine_map(uow, unit_id), scope)


@router.get("/units/{unit_id}", response_model=UnitFileOut)
def read_unit(unit_id: UnitId, request: Request, node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """One unit, with its latest status changes (newest first)."""
    scope = principal.scope_for(READ)
    unit = _unit(request, principal, scope, unit_id)
    return node.store.read(lambda uow: views.unit_file(uow, unit), scope)


@router.post("/units/{unit_id}/status", response_model=UnitOut)
def change_status(
    unit_id: UnitId, body: StatusIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Change a unit's status; a change the status machine does not allow is refused with the legal
    ones named (an alert comes by engaging the unit on an event)."""
    scope, crew = _acting(principal)
    command = u.ChangeUnitStatus(unit_id, body.status, principal.display_name, crew)
    unit = _probed(
        request,
        principal,
        lambda: node.messagebus.handle(command, scope=scope, actor=principal.actor),
        unit_id,
    )
    return views.unit_view(unit)


@router.post("/units/{unit_id}/position", response_model=UnitOut)
def move_unit(
    unit_id: UnitId, body: PositionIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Report a unit's position: snapped to the nearest road; one far from every road of the room's
    map is refused."""
    scope, crew = _acting(principal)
    command = u.MoveUnit(
        unit_id, body.latitude, body.longitude, principal.display_name, body.accuracy_m, crew
    )
    unit = _probed(
        request,
        principal,
        lambda: node.messagebus.handle(command, scope=scope, actor=principal.actor),
        unit_id,
    )
    return views.unit_view(unit)


@router.post("/units/{unit_id}/reports", status_code=201, response_model=ReportOut)
def report(
    unit_id: UnitId, body: ReportIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """A situation update, a message to the room or a reinforcement request, written on the event the
    unit is engaged on (a line of its narrative, by the unit)."""
    scope, crew = _acting(principal)
    command = u.ReportFromUnit(unit_id, body.kind, body.text, principal.display_name, crew)
    incident = _probed(
        request,
        principal,
        lambda: node.messagebus.handle(command, scope=scope, actor=principal.actor),
        unit_id,
    )
    return {"event_id": str(incident.id), "notes": len(incident.notes)}


def _event_in_scope(request: Request, principal: Principal, event_id: UUID) -> None:
    in_scope_or_probe(
        request,
        principal,
        principal.scope_for(DISPATCH),
        lambda uow: uow.incidents.get(event_id),
        f"No event {event_id} in your scope: list the events to find the right id.",
    )


@router.post("/events/{event_id}/engage", status_code=201, response_model=list[AssignmentOut])
def engage(
    event_id: EventId, body: EngageIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> list[dict[str, Any]]:
    """Alert units on the event (all or none: a unit unavailable or already engaged refuses the call).
    A reinforcement is another engage later."""
    command = u.EngageUnits(event_id, tuple(body.unit_ids), principal.display_name)
    scope = principal.scope_for(DISPATCH)
    made = _probed(
        request,
        principal,
        lambda: node.messagebus.handle(command, scope=scope, actor=principal.actor),
        event_id,
        *body.unit_ids,
    )
    return [views.assignment_view(a) for a in made]


@router.get("/events/{event_id}/units", response_model=list[AssignmentOut])
def event_units(
    event_id: EventId, request: Request, node: NodeDep, principal: PrincipalDep
) -> list[dict[str, Any]]:
    """The units engaged on the event, released ones included, with their times."""
    _event_in_scope(request, principal, event_id)

    def read(uow: UnitOfWork) -> list[dict[str, Any]]:
        found = sorted(uow.assignments.find(incident_id=event_id), key=lambda a: (a.alerted_at, a.callsign))
        units = {x.id: x for x in uow.units.get_many({a.unit_id for a in found})}
        return [views.assignment_view(a, units.get(a.unit_id)) for a in found]

    return node.store.read(read, principal.scope_for(DISPATCH))


@router.post("/events/{event_id}/units/{unit_id}/release", response_model=UnitOut)
def release(
    event_id: EventId, unit_id: UnitId, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Release a unit from the event: back to available if it had not arrived, returning if it had."""
    command = u.ReleaseUnit(event_id, unit_id, principal.display_name)
    scope = principal.scope_for(DISPATCH)
    unit = _probed(
        request,
        principal,
        lambda: node.messagebus.handle(command, scope=scope, actor=principal.actor),
        event_id,
        unit_id,
    )
    return views.unit_view(unit)
