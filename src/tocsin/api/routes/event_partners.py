"""``/api/v1/events/{id}/…``: an event's partners and closure — what the matrix suggests, requests to
partners and their acknowledgment, the radio channel, the report and closing with it, the EMSI export,
the printable sheet, reference-data corrections; ``/api/v1/notification-matrix`` (the tenant's matrix
and templates) and ``/api/v1/corrections`` (the administrators' list).

An event's routes ask for ``events.dispatch``; reading the matrix ``partners.read``, changing it
``resources.write``; the corrections list and resolving one ``directory.write``. An event outside the
caller's scope answers 404 like one that does not exist, and the probe is logged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.routes.events import EventFileOut
from tocsin.bootstrap import Node
from tocsin.domain import incidents as i
from tocsin.domain import partner_commands as pc
from tocsin.domain.closure import CORRECTION_REF_MAX, CORRECTION_TEXT_MAX, OUTCOMES_MAX, REPORT_TEXT_MAX
from tocsin.domain.partners import FIELD_VALUE_MAX, FIELDS, NOTE_MAX, RADIO_MAX, REFERENCE_MAX
from tocsin.domain.users import Principal
from tocsin.services import event_liaison as el
from tocsin.services.incident_views import incident_view

router = api_router("/api/v1", "event partners and closure")
DISPATCH, MATRIX_READ, MATRIX_WRITE, CORRECTIONS = (
    "events.dispatch",
    "partners.read",
    "resources.write",
    "directory.write",
)
EventId = Annotated[UUID, Path(description="The event's id")]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class LiaisonOut(_Open):
    """The event's partners and closure: suggestions, requests, radio, report, corrections."""

    event_id: str
    suggestions: list[dict[str, Any]]
    requests: list[dict[str, Any]]


class RequestOut(_Open):
    """A request sent to a partner, and the acknowledgment it got."""

    id: str
    partner_name: str
    message: str
    acknowledged: bool


class RadioOut(_Open):
    channel: str
    talkgroup: str


class ReportOut(_Open):
    outcomes: list[str]
    dispositions: list[str]
    text: str


class CorrectionOut(_Open):
    id: str
    tenant_id: str
    state: str


class MatrixOut(_Open):
    """The tenant's notification matrix: rules in order, and the templates they use."""

    rules: list[dict[str, Any]]
    templates: list[dict[str, Any]]


class EmsiOut(_Open):
    """An EMSI message (ISO/TR 22351) in the Hub Santé JSON form."""

    CONTEXT: dict[str, Any]
    EVENT: dict[str, Any]


class PartnerRequestIn(BaseModel):
    partner_id: UUID
    channel: Literal["phone", "email", "radio"]
    template_code: str = Field(min_length=1, max_length=32)
    fields: dict[str, Annotated[str, Field(max_length=FIELD_VALUE_MAX)]] = Field(
        default_factory=dict,
        max_length=len(FIELDS),
        description="Values the operator gives, before the event's own",
    )


class AckIn(BaseModel):
    reference: str = Field(default="", max_length=REFERENCE_MAX, description="The partner's own reference")
    note: str = Field(default="", max_length=NOTE_MAX)


class RadioIn(BaseModel):
    channel: str = Field(min_length=1, max_length=RADIO_MAX)
    talkgroup: str = Field(default="", max_length=RADIO_MAX)


class ReportIn(BaseModel):
    outcomes: list[Annotated[str, Field(max_length=32)]] = Field(min_length=1, max_length=OUTCOMES_MAX)
    text: str = Field(min_length=1, max_length=REPORT_TEXT_MAX)


class CorrectionIn(BaseModel):
    subject: Literal["address", "contact", "site", "partner", "other"]
    ref: str = Field(default="", max_length=CORRECTION_REF_MAX, description="Which one (a name, an address)")
    text: str = Field(min_length=1, max_length=CORRECTION_TEXT_MAX)


class ResolveIn(BaseModel):
    resolution: str = Field(min_length=1, max_length=CORRECTION_TEXT_MAX)


class RuleIn(BaseModel):
    type_code: str = Field(default="", max_length=32, description="An event type code, or empty")
    category: str = Field(default="", max_length=32, description="A nomenclature category, or empty")
    max_priority: int = Field(default=5, ge=1, le=5, description="Events this urgent or more")
    partner_id: UUID
    channel: Literal["phone", "email", "radio"]
    template_code: str = Field(min_length=1, max_length=32)


class TemplateIn(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=2000, description="{field} required, {field?} optional")


class MatrixIn(BaseModel):
    rules: list[RuleIn] = Field(default_factory=list, max_length=500)
    templates: list[TemplateIn] = Field(default_factory=list, max_length=200)


def _visible(principal: Principal, request: Request, event_id: UUID) -> i.Incident:
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(DISPATCH),
        lambda uow: uow.incidents.get(event_id),
        f"No event {event_id} in your scope: list the events to find the right id.",
    )


def _gather(node: Node, principal: Principal, event_id: UUID) -> el.EventLiaison:
    return node.store.read(lambda uow: el.gather(uow, event_id), principal.scope_for(DISPATCH))


def _handle(node: Node, principal: Principal, command: Any, permission: str = DISPATCH) -> Any:
    return node.messagebus.handle(command, scope=principal.scope_for(permission), actor=principal.actor)


@router.get("/events/{event_id}/partners", response_model=LiaisonOut)
def event_partners(event_id: EventId, request: Request, node: NodeDep, principal: PrincipalDep) -> Any:
    """Who the matrix says to tell (and whether they were), the requests sent and their answers, the
    radio channel, the report, the corrections filed, the templates and the outcome codes."""
    _visible(principal, request, event_id)
    return el.liaison_view(_gather(node, principal, event_id))


@router.post("/events/{event_id}/partner-requests", status_code=201, response_model=RequestOut)
def request_partner(
    event_id: EventId, body: PartnerRequestIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> Any:
    """Send a partner a message from a template filled with the event's fields (and those given here);
    refused with the field named when the template needs one that is empty. Recorded with what was sent,
    when, to whom."""
    _visible(principal, request, event_id)
    command = pc.RequestPartner(
        event_id, body.partner_id, body.channel, body.template_code, principal.display_name, body.fields
    )
    return el.request_view(_handle(node, principal, command))


@router.post("/events/{event_id}/partner-requests/{request_id}/ack", response_model=RequestOut)
def acknowledge_partner(
    *,
    event_id: EventId,
    request_id: Annotated[UUID, Path(description="The request's id")],
    body: AckIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> Any:
    """Record that the partner acknowledged the request, with the reference they gave (once)."""
    _visible(principal, request, event_id)
    command = pc.AcknowledgePartner(event_id, request_id, principal.display_name, body.reference, body.note)
    return el.request_view(_handle(node, principal, command))


@router.put("/events/{event_id}/radio", response_model=RadioOut)
def assign_radio(
    event_id: EventId, body: RadioIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> Any:
    """Assign the event a radio channel (and talk-group); a second call reassigns it."""
    _visible(principal, request, event_id)
    command = pc.AssignRadio(event_id, body.channel, principal.display_name, body.talkgroup)
    return el.radio_view(_handle(node, principal, command))


@router.put("/events/{event_id}/report", response_model=ReportOut)
def write_report(
    event_id: EventId, body: ReportIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> Any:
    """Write (or rewrite) the event's report: outcome codes (each mapped to an APCO disposition) and
    text. An event closes only with its report."""
    _visible(principal, request, event_id)
    command = pc.WriteReport(event_id, tuple(body.outcomes), body.text, principal.display_name)
    return el.report_view(_handle(node, principal, command))


@router.post("/events/{event_id}/close", response_model=EventFileOut)
def close_event(
    event_id: EventId, body: ReportIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> Any:
    """Write the report and close the event, in one transaction (nothing is written if closing is
    refused)."""
    _visible(principal, request, event_id)
    command = pc.CloseWithReport(event_id, tuple(body.outcomes), body.text, principal.display_name)
    return incident_view(_handle(node, principal, command), principal.language)


@router.get("/events/{event_id}/emsi", response_model=EmsiOut)
def export_emsi(event_id: EventId, request: Request, node: NodeDep, principal: PrincipalDep) -> Any:
    """The event's situation as an EMSI message (ISO/TR 22351) in the Hub Santé JSON form: the event,
    where and how far along, and a mission per partner asked."""
    _visible(principal, request, event_id)
    found = _gather(node, principal, event_id)
    return el.emsi_of(found, principal.username, node.clock.new_id())


@router.get(
    "/events/{event_id}/sheet.pdf",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The event sheet (PDF)",
        }
    },
)
def event_sheet(event_id: EventId, request: Request, node: NodeDep, principal: PrincipalDep) -> Response:
    """The printable event sheet: the event, the partners told and their answers, the report, the
    corrections and the timeline, in the caller's language."""
    _visible(principal, request, event_id)
    found = _gather(node, principal, event_id)
    pdf = node.event_sheet_pdf(found, principal.language, principal.display_name)
    name = f"event-{found.incident.type_code.lower()}-{event_id}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/events/{event_id}/corrections", status_code=201, response_model=CorrectionOut)
def file_correction(
    event_id: EventId, body: CorrectionIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> Any:
    """Report wrong reference data seen while handling the event (a wrong address, an outdated
    contact): it goes to the administrators' list."""
    _visible(principal, request, event_id)
    command = pc.FileCorrection(event_id, body.subject, body.ref, body.text, principal.display_name)
    return el.correction_view(_handle(node, principal, command))


@router.get("/corrections", response_model=list[CorrectionOut])
def list_corrections(
    node: NodeDep,
    principal: PrincipalDep,
    state: Annotated[Literal["open", "resolved"] | None, Query(description="Only these")] = "open",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Any:
    """The reference-data corrections filed from events, newest first (the open ones unless told)."""
    scope = principal.scope_for(CORRECTIONS)

    found = node.store.read(lambda uow: el.corrections_in_scope(uow, state, limit), scope)
    return [el.correction_view(c) for c in found]


@router.post("/corrections/{correction_id}/resolve", response_model=CorrectionOut)
def resolve_correction(
    correction_id: Annotated[UUID, Path(description="The correction's id")],
    body: ResolveIn,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> Any:
    """Mark a correction done, saying what was changed."""
    command = pc.ResolveCorrection(correction_id, body.resolution, principal.display_name)
    return el.correction_view(_handle(node, principal, command, CORRECTIONS))


@router.get("/notification-matrix", response_model=MatrixOut)
def read_matrix(node: NodeDep, principal: PrincipalDep) -> Any:
    """The tenant's notification matrix (rules by event type or category and priority: which partner,
    on which channel, with which template) and its message templates."""
    scope = principal.scope_for(MATRIX_READ)
    return node.store.read(lambda uow: el.matrix_view(uow.liaison.matrix(principal.tenant_id)), scope)


@router.put("/notification-matrix", response_model=MatrixOut)
def put_matrix(body: MatrixIn, node: NodeDep, principal: CheckedPrincipalDep) -> Any:
    """Replace the tenant's matrix and templates, whole. Each rule names a partner of the tenant and a
    template of the body; a template names only the event's fields."""
    command = pc.SetMatrix(
        principal.tenant_id,
        tuple(r.model_dump(mode="json") for r in body.rules),
        tuple(t.model_dump() for t in body.templates),
        principal.display_name,
    )
    return el.matrix_view(_handle(node, principal, command, MATRIX_WRITE))
