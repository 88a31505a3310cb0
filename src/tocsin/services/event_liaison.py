"""What an event's file shows of partners and closure, read in one transaction: the notifications the
matrix suggests, the requests sent and their answers, the radio channel, the report, the corrections;
the same read feeds the printable event sheet (see :mod:`tocsin.adapters.event_sheet_pdf`) and the EMSI
export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain import incidents as i
from tocsin.domain import partners as p
from tocsin.domain.closure import OUTCOMES, Correction, Report
from tocsin.domain.resources import Partner
from tocsin.services.emsi import to_emsi
from tocsin.services.handlers.incidents import incident_in_scope
from tocsin.services.nomenclature import tenant_types
from tocsin.services.unit_of_work import UnitOfWork

PARTNERS_MAX = 500


@dataclass(frozen=True, slots=True)
class EventLiaison:
    """An event with its partners' side and its closure, as one read saw them."""

    incident: i.Incident
    category: str
    notify: tuple[str, ...]  # the chain of command the event's type names (nomenclature)
    matrix: p.Matrix
    partners: list[Partner]
    suggestions: list[p.Suggestion]
    requests: list[p.PartnerRequest]
    radio: p.RadioAssignment | None
    report: Report | None
    corrections: list[Correction]
    made_at: datetime


def gather(uow: UnitOfWork, incident_id: UUID) -> EventLiaison:
    """The event (NotFound outside the caller's scope) and everything about its partners and closure."""
    incident = incident_in_scope(uow, incident_id)
    kind = tenant_types(uow, incident.tenant_id).get(incident.type_code)
    category = "other" if kind is None else kind.category
    matrix = uow.liaison.matrix(incident.tenant_id)
    partners = uow.partners.find(tenant_id=incident.tenant_id)[:PARTNERS_MAX]
    requests = uow.liaison.requests(incident.id)
    return EventLiaison(
        incident=incident,
        category=category,
        notify=() if kind is None else kind.notify,
        matrix=matrix,
        partners=partners,
        suggestions=p.suggest(matrix, incident, category, partners, requests),
        requests=requests,
        radio=uow.liaison.radio(incident.id),
        report=uow.liaison.report(incident.id),
        corrections=uow.liaison.corrections(incident_id=incident.id, limit=100),
        made_at=uow.clock.now(),
    )


def corrections_in_scope(uow: UnitOfWork, state: str | None, limit: int) -> list[Correction]:
    """The tenant's corrections, newest first; a caller granted only some clients or sites sees those
    filed from events it may read."""
    found = uow.liaison.corrections(state=state, limit=limit)
    if uow.scope.all_tenants or uow.scope.whole_tenant:
        return found
    return [c for c in found if uow.incidents.get(c.incident_id) is not None]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def request_view(r: p.PartnerRequest) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "incident_id": str(r.incident_id),
        "partner_id": str(r.partner_id),
        "partner_name": r.partner_name,
        "partner_kind": r.partner_kind,
        "channel": r.channel,
        "address": r.address,
        "template_code": r.template_code,
        "message": r.message,
        "sent_at": r.sent_at.isoformat(),
        "sent_by": r.sent_by,
        "acknowledged": r.acknowledged,
        "acked_at": _iso(r.acked_at),
        "ack_by": r.ack_by,
        "reference": r.reference,
        "ack_note": r.ack_note,
    }


def report_view(report: Report | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "incident_id": str(report.incident_id),
        "outcomes": list(report.outcomes),
        "dispositions": list(report.dispositions),
        "text": report.text,
        "written_at": report.written_at.isoformat(),
        "by": report.by,
    }


def radio_view(radio: p.RadioAssignment | None) -> dict[str, Any] | None:
    if radio is None:
        return None
    return {
        "channel": radio.channel,
        "talkgroup": radio.talkgroup,
        "assigned_at": radio.assigned_at.isoformat(),
        "by": radio.by,
    }


def correction_view(c: Correction) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "tenant_id": str(c.tenant_id),
        "incident_id": str(c.incident_id),
        "subject": c.subject,
        "ref": c.ref,
        "text": c.text,
        "state": c.state,
        "filed_at": c.filed_at.isoformat(),
        "filed_by": c.filed_by,
        "resolved_at": _iso(c.resolved_at),
        "resolved_by": c.resolved_by,
        "resolution": c.resolution,
    }


def template_view(t: p.Template) -> dict[str, Any]:
    return {"code": t.code, "name": t.name, "text": t.text, "required": list(t.required)}


def matrix_view(matrix: p.Matrix) -> dict[str, Any]:
    return {
        "rules": [
            {
                "type_code": r.type_code,
                "category": r.category,
                "max_priority": r.max_priority,
                "partner_id": str(r.partner_id),
                "channel": r.channel,
                "template_code": r.template_code,
            }
            for r in matrix.rules
        ],
        "templates": [template_view(t) for t in matrix.templates],
    }


def liaison_view(found: EventLiaison) -> dict[str, Any]:
    """The event's partners and closure as the console shows them."""
    return {
        "event_id": str(found.incident.id),
        "category": found.category,
        "chain_of_command": list(found.notify),
        "suggestions": [
            {
                "partner_id": str(s.partner.id),
                "partner_name": s.partner.name,
                "partner_kind": s.partner.kind,
                "channel": s.channel,
                "address": s.partner.address(s.channel),
                "template_code": s.template_code,
                "reason": s.reason,
                "sent": s.sent,
            }
            for s in found.suggestions
        ],
        "partners": [
            {
                "id": str(x.id),
                "name": x.name,
                "kind": x.kind,
                "channels": [c for c in p.CHANNELS if x.address(c)],
            }
            for x in found.partners
        ],
        "templates": [template_view(t) for t in found.matrix.templates],
        "requests": [request_view(r) for r in found.requests],
        "radio": radio_view(found.radio),
        "report": report_view(found.report),
        "outcome_codes": [{"code": k, "apco": v} for k, v in OUTCOMES.items()],
        "corrections": [correction_view(c) for c in found.corrections],
    }


def emsi_of(found: EventLiaison, sender: str, message_id: UUID) -> dict[str, Any]:
    """The event's EMSI message, from the same read."""
    return to_emsi(
        found.incident,
        found.category,
        found.requests,
        message_id=message_id,
        organisation=f"fr.tocsin.{found.incident.tenant_id}",
        sender=sender,
        now=found.made_at,
    )
