"""``/api/v1/events``: dispatch events (incidents) — create (from a call, an operator, a partner's
webhook), list, read, change, narrative, links, the questioning's evaluation, an alarm's event, CAP 1.2
import and export, NENA EIDO export; ``/api/v1/event-types``: the tenant's nomenclature.

Everything asks for ``events.dispatch`` (operators, supervisors, administrators; never a client or a
field unit); editing the nomenclature asks for ``directory.write``. An event outside the caller's scope
answers 404 like one that does not exist, and the probe is logged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.domain import incidents as i
from tocsin.domain.errors import InvalidInput
from tocsin.domain.nomenclature import CODE_MAX, LOWEST
from tocsin.domain.users import Principal
from tocsin.services import incident_exchange as x
from tocsin.services.handlers.incidents import Opened, evaluate
from tocsin.services.incident_views import (
    assessment_view,
    board_view,
    candidate_view,
    incident_view,
)
from tocsin.services.nomenclature import tenant_types
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "events")
DISPATCH, TYPES_WRITE = "events.dispatch", "directory.write"
EventId = Annotated[UUID, Path(description="The event's id")]
CAP_MAX = 256 * 1024


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class EventRowOut(_Open):
    """An event as the board shows it."""

    id: str
    type_code: str
    priority: int
    state: str
    opened_at: str


class EventFileOut(EventRowOut):
    """An event's file: the board's row with caller, answers, links, notes and timeline."""

    timeline: list[dict[str, Any]]


class AssessmentOut(_Open):
    """What the answers mean: priority, départ réflexe, missing, next question, candidates."""

    priority: int
    reflex: bool
    missing: list[str]


class OpenedOut(_Open):
    """An opened event (or the one a call was attached to), its assessment and the candidates nearby."""

    event: EventFileOut
    candidates: list[dict[str, Any]]


class EidoOut(_Open):
    """A NENA EIDO 1.0 document."""

    eidoVersion: str  # noqa: N815 - the standard's name


class CapOut(_Open):
    """Not returned as JSON: the CAP export answers ``application/cap+xml``."""


class PlaceIn(BaseModel):
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    address: str = Field(default="", max_length=500, description="As typed or found by the geocoder")
    address_id: str = Field(default="", max_length=64, description="The geocoder's address id, if any")
    site_id: UUID | None = Field(default=None, description="A site of the directory")

    def place(self) -> i.Place:
        return i.Place(self.latitude, self.longitude, self.address, self.address_id, self.site_id)


Answers = dict[str, bool | float | str | None]


class AssessIn(PlaceIn):
    type_code: str = Field(min_length=1, max_length=CODE_MAX)
    answers: Answers = Field(default_factory=dict)


class LinkIn(BaseModel):
    kind: Literal["alarm", "site", "camera", "incident"]
    id: UUID


class EventIn(AssessIn):
    origin: Literal["call", "operator", "api"] = "call"
    priority: int | None = Field(default=None, ge=1, le=LOWEST, description="Overrides the computed one")
    caller_name: str = Field(default="", max_length=200)
    caller_phone: str = Field(default="", max_length=32)
    summary: str = Field(default="", max_length=2000)
    source_ref: str = Field(default="", max_length=200, description="The partner's own reference")
    note: str = Field(default="", max_length=i.NOTE_MAX, description="The first line of the narrative")
    links: list[LinkIn] = Field(default_factory=list, max_length=50)
    duplicate_of: UUID | None = Field(
        default=None, description="Attach this call to that open event (a note) instead of opening one"
    )


class EventUpdateIn(BaseModel):
    state: Literal["open", "dispatched", "on_scene", "closing", "closed"] | None = None
    type_code: str | None = Field(default=None, min_length=1, max_length=CODE_MAX)
    answers: Answers | None = None
    priority: int | None = Field(default=None, ge=1, le=LOWEST)
    place: PlaceIn | None = None
    caller_name: str | None = Field(default=None, max_length=200)
    caller_phone: str | None = Field(default=None, max_length=32)
    summary: str | None = Field(default=None, max_length=2000)


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=i.NOTE_MAX)
    client_key: UUID | None = Field(
        default=None, description="A key the console made for this note: a note sent again is written once"
    )
    typed_at: AwareDatetime | None = Field(
        default=None, description="When it was typed, if earlier (a note kept while the server was away)"
    )


class AlarmEventIn(BaseModel):
    type_code: str = Field(default="", max_length=CODE_MAX, description="Empty: from the alarm's class")
    note: str = Field(default="", max_length=i.NOTE_MAX)


def _visible(principal: Principal, request: Request, event_id: UUID) -> i.Incident:
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(DISPATCH),
        lambda uow: uow.incidents.get(event_id),
        f"No event {event_id} in your scope: list the events to find the right id.",
    )


def _opened(opened: Opened, language: str) -> dict[str, Any]:
    return {
        "event": incident_view(opened.incident, language),
        "assessment": assessment_view(opened.assessment, opened.kind),
        "candidates": [candidate_view(c) for c in opened.candidates if c.incident.id != opened.incident.id],
    }


def _answers(given: Answers | None) -> dict[str, Any]:
    return {k: v for k, v in (given or {}).items() if v is not None}


@router.post("/events/assess", response_model=AssessmentOut)
def assess_call(body: AssessIn, node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """For the call screen, as answers come: the priority, départ réflexe, what is missing, the next
    question, and the open events nearby of a compatible type (nothing is written)."""

    def run(uow: UnitOfWork) -> dict[str, Any]:
        found = evaluate(uow, principal.tenant_id, body.type_code, _answers(body.answers), body.place())
        return assessment_view(found.assessment, found.kind) | {
            "candidates": [candidate_view(c) for c in found.candidates]
        }

    return node.store.read(run, principal.scope_for(DISPATCH))


@router.post("/events", status_code=201, response_model=OpenedOut)
def create_event(
    body: EventIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Open an event from a call, an operator or a partner's webhook. The answer lists the open events of
    a compatible type nearby (``candidates``): send ``duplicate_of`` to attach a call to one instead."""
    scope = principal.scope_for(DISPATCH)
    if body.duplicate_of is not None:
        _visible(principal, request, body.duplicate_of)
        who = " ".join(x for x in (body.caller_name, body.caller_phone) if x) or "?"
        text = f"Further call ({who}): {body.note or body.summary or body.type_code}"[: i.NOTE_MAX]
        command: Any = i.NoteIncident(body.duplicate_of, principal.display_name, text)
        incident = node.messagebus.handle(command, scope=scope, actor=principal.actor)
        return {"event": incident_view(incident, principal.language), "attached": True, "candidates": []}
    command = i.CreateIncident(
        tenant_id=principal.tenant_id,
        type_code=body.type_code,
        place=body.place(),
        by=principal.display_name,
        origin=body.origin,
        answers=_answers(body.answers),
        priority=body.priority,
        caller_name=body.caller_name,
        caller_phone=body.caller_phone,
        summary=body.summary,
        source_ref=body.source_ref,
        links=tuple(i.Link(link.kind, str(link.id)) for link in body.links),
        note=body.note,
    )
    opened = node.messagebus.handle(command, scope=scope, actor=principal.actor)
    return _opened(opened, principal.language) | {"attached": False}


@router.get("/events", response_model=list[EventRowOut])
def list_events(
    *,
    node: NodeDep,
    principal: PrincipalDep,
    state: Annotated[
        list[i.IncidentState] | None, Query(description="States (repeatable); open ones")
    ] = None,
    type_code: Annotated[list[str] | None, Query(max_length=CODE_MAX, description="Type codes")] = None,
    priority: Annotated[
        int | None, Query(ge=1, le=LOWEST, description="This priority or more urgent")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[dict[str, Any]]:
    """The board: events most urgent first, then oldest first (the open ones unless ``state`` says)."""
    states = tuple(state) if state else i.OPEN_STATES
    codes = None if not type_code else [c.upper() for c in type_code]
    found = node.store.read(
        lambda uow: uow.incidents.find(
            states=states, type_codes=codes, min_priority=priority, limit=limit, light=True
        ),
        principal.scope_for(DISPATCH),
    )
    # already plain JSON values: answered as they are, not checked again against the model row by row
    return JSONResponse([board_view(x) for x in found])  # type: ignore[return-value]


@router.get("/events/{event_id}", response_model=EventFileOut)
def read_event(event_id: EventId, request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """An event's file: caller, answers, links, narrative and timeline (in my language)."""
    return incident_view(_visible(principal, request, event_id), principal.language)


@router.patch("/events/{event_id}", response_model=EventFileOut)
def update_event(
    event_id: EventId, body: EventUpdateIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Change an event's state, type, answers, priority, place or caller (a closed one changes no more)."""
    _visible(principal, request, event_id)
    command = i.UpdateIncident(
        incident_id=event_id,
        by=principal.display_name,
        state=body.state,
        type_code=body.type_code,
        answers=None if body.answers is None else _answers(body.answers),
        priority=body.priority,
        place=None if body.place is None else body.place.place(),
        caller_name=body.caller_name,
        caller_phone=body.caller_phone,
        summary=body.summary,
    )
    incident = node.messagebus.handle(command, scope=principal.scope_for(DISPATCH), actor=principal.actor)
    return incident_view(incident, principal.language)


@router.post("/events/{event_id}/notes", response_model=EventFileOut)
def note_event(
    event_id: EventId, body: NoteIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Write a line of the narrative (timestamped, in the logbook)."""
    _visible(principal, request, event_id)
    command = i.NoteIncident(
        event_id, principal.display_name, body.text, client_key=body.client_key, typed_at=body.typed_at
    )
    incident = node.messagebus.handle(command, scope=principal.scope_for(DISPATCH), actor=principal.actor)
    return incident_view(incident, principal.language)


@router.post("/events/{event_id}/links", response_model=EventFileOut)
def link_event(
    event_id: EventId, body: LinkIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Link an alarm, a site, a camera or another event (a duplicate) to the event."""
    _visible(principal, request, event_id)
    command = i.LinkIncident(event_id, principal.display_name, i.Link(body.kind, str(body.id)))
    incident = node.messagebus.handle(command, scope=principal.scope_for(DISPATCH), actor=principal.actor)
    return incident_view(incident, principal.language)


@router.post("/alarms/{alarm_id}/event", status_code=201, response_model=OpenedOut)
def event_from_alarm(
    alarm_id: Annotated[UUID, Path(description="The alarm's id")],
    body: AlarmEventIn,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> dict[str, Any]:
    """Open an event for an alarm: linked to the alarm and its site, typed from its class unless told."""
    principal.scope_for("alarms.read")
    command = i.CreateFromAlarm(alarm_id, body.type_code, principal.display_name, body.note)
    opened = node.messagebus.handle(command, scope=principal.scope_for(DISPATCH), actor=principal.actor)
    return _opened(opened, principal.language)


@router.get(
    "/events/{event_id}/cap",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/CapOut"}},
                "application/cap+xml": {},
            }
        }
    },
)
def export_cap(event_id: EventId, request: Request, node: NodeDep, principal: PrincipalDep) -> Response:
    """The event as an OASIS CAP 1.2 alert (valid against the official schema)."""
    incident = _visible(principal, request, event_id)
    types = node.store.read(lambda uow: tenant_types(uow, incident.tenant_id), principal.scope_for(DISPATCH))
    kind = types.get(incident.type_code)
    document = x.to_cap(incident, f"tocsin-{incident.tenant_id}", "other" if kind is None else kind.category)
    return Response(document, media_type="application/cap+xml")


@router.get("/events/{event_id}/eido", response_model=EidoOut)
def export_eido(event_id: EventId, request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """The event as a NENA EIDO (NENA-STA-021) JSON document."""
    return x.to_eido(_visible(principal, request, event_id))


@router.post("/events/cap", status_code=201, response_model=OpenedOut)
async def import_cap(request: Request, node: NodeDep, principal: CheckedPrincipalDep) -> dict[str, Any]:
    """Open an event from a CAP 1.2 alert (the XML document as the body). A document that does not
    validate against the CAP 1.2 schema is refused with the validator's reason; nothing is created."""
    scope = principal.scope_for(DISPATCH)  # refused before the document is read
    document = await request.body()
    if len(document) > CAP_MAX:
        raise InvalidInput(f"A CAP document is at most {CAP_MAX} bytes.")
    if not document.strip():
        raise InvalidInput("Send the CAP 1.2 alert as the request body (application/cap+xml).")
    alert = x.read_cap(document)
    command = node.store.read(
        lambda uow: x.cap_command(uow, alert, principal.tenant_id, principal.display_name), scope
    )
    opened = node.messagebus.handle(command, scope=scope, actor=principal.actor)
    return _opened(opened, principal.language)
