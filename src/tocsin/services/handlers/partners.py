"""Telling partners about events: the administrators' notification matrix and templates, a request sent
from a template (refused, with the field named, when the event lacks what the template needs), the
partner's acknowledgment and reference, the event's radio channel.

Every change is a logbook entry in the same transaction; those about an event are copied into its
timeline (the event's version moves, so a stale write elsewhere is refused as for any change).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from tocsin.domain import incidents as i
from tocsin.domain import partners as p
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.partner_commands import AcknowledgePartner, AssignRadio, RequestPartner, SetMatrix
from tocsin.domain.partner_events import MatrixChanged, PartnerAcknowledged, PartnerRequested, RadioAssigned
from tocsin.domain.resources import Partner
from tocsin.services.handlers.incidents import _event, _write, incident_in_scope
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork


def partner_of(uow: UnitOfWork, tenant_id: UUID, partner_id: UUID) -> Partner:
    found = uow.partners.get(partner_id)
    if found is None or found.tenant_id != tenant_id:
        raise NotFound(f"No partner {partner_id} in your scope: GET /api/v1/partners lists them.")
    return found


def _text(data: Mapping[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise InvalidInput(f"{name} is text, not {value!r}.")
    return value


def _rule(uow: UnitOfWork, tenant_id: UUID, data: Mapping[str, Any]) -> p.MatrixRule:
    try:
        partner_id = UUID(str(data.get("partner_id", "")))
    except ValueError:
        raise InvalidInput("Each rule names its partner by id (partner_id, a UUID).") from None
    priority = data.get("max_priority", 5)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise InvalidInput("A rule's max_priority is a whole number from 1 to 5.")
    partner = partner_of(uow, tenant_id, partner_id)
    return p.MatrixRule(
        tenant_id=tenant_id,
        partner_id=partner.id,
        channel=_text(data, "channel"),
        template_code=_text(data, "template_code"),
        type_code=_text(data, "type_code"),
        category=_text(data, "category"),
        max_priority=priority,
    )


def set_matrix(cmd: SetMatrix, uow: UnitOfWork, actor: str, _deps: Deps) -> p.Matrix:
    """Replace the tenant's matrix and templates, whole (partners are checked first: a foreign one is
    answered as not found, and nothing is written)."""
    rules = tuple(_rule(uow, cmd.tenant_id, data) for data in cmd.rules)
    templates = tuple(
        p.Template(cmd.tenant_id, _text(d, "code"), _text(d, "name"), _text(d, "text")) for d in cmd.templates
    )
    matrix = p.Matrix(rules, templates)
    uow.liaison.put_matrix(cmd.tenant_id, matrix)
    uow.record(
        MatrixChanged(tenant_id=cmd.tenant_id, rules=len(rules), templates=len(templates), by=cmd.by),
        actor,
    )
    return uow.liaison.matrix(cmd.tenant_id)


def request_partner(cmd: RequestPartner, uow: UnitOfWork, actor: str, _deps: Deps) -> p.PartnerRequest:
    """Send the partner a message from the template; refused when a required field is empty."""
    incident = i.still_open(incident_in_scope(uow, cmd.incident_id))
    partner = partner_of(uow, incident.tenant_id, cmd.partner_id)
    channel = p.check_channel(cmd.channel)
    address = partner.address(channel)
    if not address:
        raise InvalidInput(
            f"{partner.name} has no {channel} on file: choose another channel, or add it to the partner."
        )
    template = uow.liaison.matrix(incident.tenant_id).template(cmd.template_code)
    values = p.event_fields(incident, uow.liaison.radio(incident.id), partner, cmd.by)
    message = p.render(template, values, cmd.fields)
    request = p.PartnerRequest(
        id=uow.clock.new_id(),
        tenant_id=incident.tenant_id,
        incident_id=incident.id,
        partner_id=partner.id,
        partner_name=partner.name,
        partner_kind=partner.kind,
        channel=channel,
        address=address,
        template_code=template.code,
        message=message,
        sent_at=uow.clock.now(),
        sent_by=cmd.by,
    )
    uow.liaison.add_request(request)
    event = _event(
        PartnerRequested,
        incident,
        cmd.by,
        request_id=request.id,
        partner_id=partner.id,
        partner_name=partner.name,
        channel=channel,
        sent_to=address,
        template_code=template.code,
        message=message,
    )
    _write(uow, incident, event, actor)
    return request


def acknowledge_partner(
    cmd: AcknowledgePartner, uow: UnitOfWork, actor: str, _deps: Deps
) -> p.PartnerRequest:
    """Record the partner's acknowledgment (and reference) of a request, once."""
    incident = incident_in_scope(uow, cmd.incident_id)
    request = uow.liaison.request(cmd.request_id)
    if request is None or request.incident_id != incident.id:
        raise NotFound(f"No request {cmd.request_id} on event {incident.id}: read the event's requests.")
    acked = p.acknowledge(request, uow.clock.now(), cmd.by, cmd.reference, cmd.note)
    uow.liaison.save_request(acked)
    event = _event(
        PartnerAcknowledged,
        incident,
        cmd.by,
        request_id=request.id,
        partner_name=request.partner_name,
        reference=acked.reference or "-",
        note=acked.ack_note,
    )
    _write(uow, incident, event, actor)
    return acked


def assign_radio(cmd: AssignRadio, uow: UnitOfWork, actor: str, _deps: Deps) -> p.RadioAssignment:
    incident = i.still_open(incident_in_scope(uow, cmd.incident_id))
    radio = p.RadioAssignment(
        incident.id, incident.tenant_id, cmd.channel, cmd.talkgroup, uow.clock.now(), cmd.by
    )
    uow.liaison.set_radio(radio)
    event = _event(RadioAssigned, incident, cmd.by, channel=radio.channel, talkgroup=radio.talkgroup)
    _write(uow, incident, event, actor)
    return radio


HANDLERS = (
    Handlers()
    .add(SetMatrix, set_matrix)
    .add(RequestPartner, request_partner)
    .add(AcknowledgePartner, acknowledge_partner)
    .add(AssignRadio, assign_radio)
)
