"""``/api/v1/alarms/{id}/…``: the levée de doute. Record what video or audio showed, send a guard or
keyholder and record their arrival and findings, request the police, fire service or an ambulance
(refused for an unverified intrusion: CSI art. L613-6), and print the evidence file.

Reads ask for ``alarms.read``; actions for ``alarms.handle`` and are the holder's. An alarm outside the
caller's scope answers 404 like one that does not exist, and the probe is logged.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.routes.alarms import HANDLE, READ, AlarmId, _acting, _visible
from tocsin.api.schemas import AlarmOut
from tocsin.api.verification_schemas import (
    DispatchedOut,
    DispatchOut,
    PartnerChoiceOut,
    RequestedOut,
    RequestOut,
    ResponderOut,
    RespondersOut,
    VerificationFileOut,
    VerificationOut,
    VerifiedOut,
)
from tocsin.domain import verification as v
from tocsin.domain.alarms import AlarmCommand
from tocsin.domain.avs import Threat
from tocsin.domain.users import Principal
from tocsin.services.evidence import gather
from tocsin.services.handlers.verification import standing
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "alarms")
DispatchId = Annotated[UUID, Path(description="The dispatch's id (from the alarm's verification file)")]


def _handle(node: NodeDep, principal: Principal, request: Request, command: AlarmCommand) -> Any:
    """Run an action on an alarm the caller may handle: 404 if they cannot read it, 403 if they read it
    but may not handle it."""
    _visible(principal, request, READ, command.alarm_id)
    _visible(principal, request, HANDLE, command.alarm_id)
    return node.messagebus.handle(command, scope=principal.scope_for(HANDLE), actor=principal.actor)


@router.get("/alarms/{alarm_id}/verification")
def read_verification(
    alarm_id: AlarmId, request: Request, node: NodeDep, principal: PrincipalDep
) -> VerificationFileOut:
    """The alarm's levée de doute: its AVS-01 score, what verified it, and every verification,
    dispatch and request for help."""
    alarm = _visible(principal, request, READ, alarm_id)

    def read(uow: UnitOfWork) -> VerificationFileOut:
        score, verified_by, ecv_made = standing(uow, alarm)
        return VerificationFileOut(
            alarm_id=alarm.id,
            avs_score=score,
            verified_by=verified_by,
            ecv=ecv_made,
            verifications=[
                VerificationOut.model_validate(x) for x in uow.verifications.verifications(alarm.id)
            ],
            dispatches=[DispatchOut.model_validate(x) for x in uow.verifications.dispatches(alarm.id)],
            requests=[RequestOut.model_validate(x) for x in uow.verifications.requests(alarm.id)],
        )

    return node.store.read(read, principal.scope_for(READ))


@router.get("/alarms/{alarm_id}/responders")
def list_responders(
    alarm_id: AlarmId, request: Request, node: NodeDep, principal: PrincipalDep
) -> RespondersOut:
    """Whom I may send to the alarm's site (the tenant's units, the site's keyholders in call order) and
    the partners I may call on (``alarms.handle``)."""
    _visible(principal, request, READ, alarm_id)
    alarm = _visible(principal, request, HANDLE, alarm_id)

    def read(uow: UnitOfWork) -> RespondersOut:
        units = sorted(uow.units.find(tenant_id=alarm.tenant_id), key=lambda u: (u.kind, u.callsign))
        contacts = [] if alarm.site_id is None else uow.contacts.find(site_id=alarm.site_id)
        contacts.sort(key=lambda c: (c.call_order, c.name))
        partners = sorted(uow.partners.find(tenant_id=alarm.tenant_id), key=lambda p: (p.kind, p.name))
        responders = [
            ResponderOut(unit_id=u.id, contact_id=None, name=u.callsign, kind=u.kind, status=u.status)
            for u in units
        ]
        responders += [
            ResponderOut(unit_id=None, contact_id=c.id, name=c.name, kind="keyholder", status="")
            for c in contacts
        ]
        return RespondersOut(
            responders=responders,
            partners=[
                PartnerChoiceOut(
                    id=p.id, name=p.name, kind=p.kind, service=v.service_of(p.kind), phones=list(p.phones)
                )
                for p in partners
            ],
        )

    return node.store.read(read, principal.scope_for(HANDLE))


class VerificationIn(BaseModel):
    method: str = Field(max_length=16, description="video or audio (a guard's comes from a dispatch)")
    outcome: str = Field(max_length=16, description="confirmed, not_confirmed or inconclusive")
    threat: Threat = Field(
        default="none", description="On a confirmed result: presence, property or life (presence if none)"
    )
    note: str = Field(default="", max_length=v.NOTE_MAX)


@router.post("/alarms/{alarm_id}/verifications")
def record_verification(
    alarm_id: AlarmId, body: VerificationIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> VerifiedOut:
    """Record what I saw on video or heard on audio for the alarm I hold; its AVS-01 score follows."""
    command = v.RecordVerification(
        **_acting(alarm_id, principal),
        method=body.method,
        outcome=body.outcome,
        threat=body.threat,
        note=body.note,
    )
    found, alarm = _handle(node, principal, request, command)
    return VerifiedOut(
        verification=VerificationOut.model_validate(found), alarm=AlarmOut.model_validate(alarm)
    )


class DispatchIn(BaseModel):
    unit_id: UUID | None = Field(default=None, description="A unit of my tenant (or name a contact)")
    contact_id: UUID | None = Field(default=None, description="A keyholder: a contact of the alarm's site")
    eta_minutes: int | None = Field(default=None, ge=0, le=v.ETA_MAX_MINUTES)
    note: str = Field(default="", max_length=v.NOTE_MAX)


@router.post("/alarms/{alarm_id}/dispatches")
def dispatch_responder(
    alarm_id: AlarmId, body: DispatchIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> DispatchedOut:
    """Send a guard (a unit of my tenant) or a keyholder (a contact of the site) to the alarm I hold."""
    command = v.DispatchResponder(
        **_acting(alarm_id, principal),
        unit_id=body.unit_id,
        contact_id=body.contact_id,
        eta_minutes=body.eta_minutes,
        note=body.note,
    )
    dispatch, alarm = _handle(node, principal, request, command)
    return DispatchedOut(dispatch=DispatchOut.model_validate(dispatch), alarm=AlarmOut.model_validate(alarm))


class DispatchUpdateIn(BaseModel):
    arrived: bool = Field(default=False, description="They are on site now")
    findings: str = Field(
        default="",
        max_length=32,
        description="What they found: " + ", ".join(v.FINDINGS) + " (marks them on site too)",
    )
    note: str = Field(default="", max_length=v.NOTE_MAX)


@router.patch("/alarms/{alarm_id}/dispatches/{dispatch_id}")
def update_dispatch(
    alarm_id: AlarmId,
    dispatch_id: DispatchId,
    *,
    body: DispatchUpdateIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> DispatchedOut:
    """Mark a guard or keyholder on site and/or record their findings: the findings are the guard's
    verification (``verification`` in the answer)."""
    command = v.UpdateDispatch(
        **_acting(alarm_id, principal),
        dispatch_id=dispatch_id,
        arrived=body.arrived,
        findings=body.findings,
        note=body.note,
    )
    dispatch, found, alarm = _handle(node, principal, request, command)
    return DispatchedOut(
        dispatch=DispatchOut.model_validate(dispatch),
        verification=None if found is None else VerificationOut.model_validate(found),
        alarm=AlarmOut.model_validate(alarm),
    )


class AuthorityRequestIn(BaseModel):
    partner_id: UUID = Field(description="A partner of my tenant (police, gendarmerie, fire, medical…)")
    message: str = Field(min_length=1, max_length=v.MESSAGE_MAX, description="The message given to them")
    reference: str = Field(default="", max_length=v.REFERENCE_MAX, description="The reference they gave")
    note: str = Field(
        default="", max_length=v.NOTE_MAX, description="Why: required for a panic, hold-up or duress alarm"
    )


@router.post("/alarms/{alarm_id}/requests")
def request_authority(
    alarm_id: AlarmId,
    body: AuthorityRequestIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> RequestedOut:
    """Record a request for help for the alarm I hold. To the police or gendarmerie, an intrusion needs
    a positive verification first (409 otherwise: CSI art. L613-6); a panic, hold-up or duress alarm
    passes with a note."""
    command = v.RequestAuthority(
        **_acting(alarm_id, principal),
        partner_id=body.partner_id,
        message=body.message,
        reference=body.reference,
        note=body.note,
    )
    made, alarm = _handle(node, principal, request, command)
    return RequestedOut(request=RequestOut.model_validate(made), alarm=AlarmOut.model_validate(alarm))


@router.get(
    "/alarms/{alarm_id}/evidence",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The evidence file (PDF)",
        }
    },
)
def evidence(alarm_id: AlarmId, request: Request, node: NodeDep, principal: PrincipalDep) -> Response:
    """The alarm's evidence file as a PDF: the alarm, its signals, verifications, dispatches, calls,
    requests with their AVS-01 score, the operator, and the logbook hashes of those entries."""
    _visible(principal, request, READ, alarm_id)
    file = node.store.read(
        lambda uow: gather(uow, alarm_id, principal.display_name), principal.scope_for(READ)
    )
    pdf = node.evidence_pdf(file, principal.language)
    name = f"evidence-{file.alarm.site_ref or 'alarm'}-{alarm_id}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
