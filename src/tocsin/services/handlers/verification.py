"""The levée de doute on an alarm: verification results, guards and keyholders sent on site, and
requests to the police, fire service or ambulance, each refused unless its rule allows it.

Every action is the holder's (see :func:`tocsin.domain.verification.may_act`), checks all its input
before writing anything, refreshes the alarm's AVS-01 score, and records its entries in the same
transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain import verification as v
from tocsin.domain.avs import avs_score
from tocsin.domain.calls import ecv
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.plans import StepResult
from tocsin.domain.verification_events import (
    AlarmDispatched,
    AlarmVerified,
    AuthorityRequested,
    DispatchArrived,
    DispatchFindings,
)
from tocsin.services import checklists
from tocsin.services.alarm_rules import entry
from tocsin.services.handlers.alarms import _change, alarm_in_scope
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork

# The checklist step a request for help completes, by the service asked.
REQUEST_STEPS = {"police": "request_police", "fire": "request_fire", "medical": "request_medical"}


def standing(uow: UnitOfWork, alarm: a.Alarm) -> tuple[int, list[str], bool]:
    """The alarm's AVS-01 score, the methods that verified it, and whether its calls make an ECV."""
    found = uow.verifications.verifications(alarm.id)
    ecv_made = ecv(uow.alarms.calls(alarm.id))
    return (
        avs_score(alarm.alarm_class, v.results(found, ecv_made)),
        v.positive(found, ecv_made),
        ecv_made,
    )


def _rescore(uow: UnitOfWork, alarm: a.Alarm) -> a.Alarm:
    """Store the alarm's score as its verification results now make it."""
    score = standing(uow, alarm)[0]
    _before, after = _change(
        uow, alarm.id, lambda x: x if x.avs_score == score else replace(x, avs_score=score)
    )
    return after


def _verify(
    uow: UnitOfWork, alarm: a.Alarm, cmd: a.AlarmCommand, actor: str, found: v.Verification
) -> tuple[v.Verification, a.Alarm]:
    uow.verifications.add_verification(found)
    alarm = _rescore(uow, alarm)
    uow.record(
        entry(
            AlarmVerified,
            alarm,
            verification_id=found.id,
            method=found.method,
            outcome=found.outcome,
            threat=found.threat,
            note=found.note,
            dispatch_id=found.dispatch_id,
            by=cmd.name,
        ),
        actor,
    )
    return found, alarm


def record_verification(
    cmd: v.RecordVerification, uow: UnitOfWork, actor: str, _deps: Deps
) -> tuple[v.Verification, a.Alarm]:
    """Record what I saw on video or heard on audio for the alarm I hold."""
    alarm = alarm_in_scope(uow, cmd.alarm_id)
    v.may_act(alarm, cmd.user_id, "recording a verification")
    outcome, threat, note = v.check_verification(cmd.method, cmd.outcome, cmd.threat, cmd.note)
    found = v.Verification(
        id=uow.clock.new_id(),
        tenant_id=alarm.tenant_id,
        alarm_id=alarm.id,
        at=uow.clock.now(),
        method=cmd.method,
        outcome=outcome,
        threat=threat,
        note=note,
        user_id=cmd.user_id,
        by=cmd.name,
    )
    verified = _verify(uow, alarm, cmd, actor, found)
    if found.method == "video":
        seen = StepResult(text=f"{found.outcome}" + (f": {found.note}" if found.note else ""))
        checklists.complete_step_of_kind(
            uow, alarm.id, "view_clip", seen, actor, by=cmd.name, user_id=cmd.user_id
        )
    return verified


def dispatch_responder(
    cmd: v.DispatchResponder, uow: UnitOfWork, actor: str, _deps: Deps
) -> tuple[v.Dispatch, a.Alarm]:
    """Send a unit of the tenant, or a keyholder of the site, to the alarm I hold."""
    alarm = alarm_in_scope(uow, cmd.alarm_id)
    v.may_act(alarm, cmd.user_id, "sending anyone")
    if (cmd.unit_id is None) == (cmd.contact_id is None):
        raise InvalidInput("Name one unit (unit_id) or one keyholder (contact_id) to send.")
    if alarm.site_id is None:
        raise InvalidInput("This alarm has no site: there is nowhere to send anyone.")
    if cmd.unit_id is not None:
        unit = uow.units.get(cmd.unit_id)
        if unit is None or unit.tenant_id != alarm.tenant_id:
            raise InvalidInput(f"No unit {cmd.unit_id} in your tenant: list the units to find the right id.")
        name, kind = unit.callsign, unit.kind
    else:
        contact = uow.contacts.get(cmd.contact_id) if cmd.contact_id is not None else None
        if contact is None or contact.site_id != alarm.site_id:
            raise InvalidInput(f"Contact {cmd.contact_id} is not a contact of {alarm.site_ref}.")
        name, kind = contact.name, "keyholder"
    minutes = v.check_eta(cmd.eta_minutes)
    now = uow.clock.now()
    dispatch = v.Dispatch(
        id=uow.clock.new_id(),
        tenant_id=alarm.tenant_id,
        alarm_id=alarm.id,
        dispatched_at=now,
        name=name,
        kind=kind,
        unit_id=cmd.unit_id,
        contact_id=cmd.contact_id,
        eta=None if minutes is None else now + timedelta(minutes=minutes),
        note=v.check_note(cmd.note),
        user_id=cmd.user_id,
        by=cmd.name,
    )
    uow.verifications.add_dispatch(dispatch)
    uow.record(
        entry(
            AlarmDispatched,
            alarm,
            dispatch_id=dispatch.id,
            responder=name,
            responder_kind=kind,
            unit_id=dispatch.unit_id,
            contact_id=dispatch.contact_id,
            eta=dispatch.eta,
            by=cmd.name,
        ),
        actor,
    )
    done = StepResult(text=f"{dispatch.name} ({dispatch.kind})"[:500])
    checklists.complete_step_of_kind(
        uow, alarm.id, "dispatch_guard", done, actor, by=cmd.name, user_id=cmd.user_id
    )
    return dispatch, alarm


def _dispatch_of(uow: UnitOfWork, alarm: a.Alarm, dispatch_id: UUID | None) -> v.Dispatch:
    for dispatch in uow.verifications.dispatches(alarm.id):
        if dispatch.id == dispatch_id:
            return dispatch
    raise NotFound(f"No dispatch {dispatch_id} for this alarm: read its verification file for the ids.")


def update_dispatch(
    cmd: v.UpdateDispatch, uow: UnitOfWork, actor: str, _deps: Deps
) -> tuple[v.Dispatch, v.Verification | None, a.Alarm]:
    """Mark a dispatch on site and/or record its findings, which are the guard's verification (findings
    mean they are on site: the arrival is marked with them if it was not)."""
    alarm = alarm_in_scope(uow, cmd.alarm_id)
    v.may_act(alarm, cmd.user_id, "updating a dispatch")
    dispatch = _dispatch_of(uow, alarm, cmd.dispatch_id)
    if not cmd.arrived and not cmd.findings:
        raise InvalidInput("Say what changed: arrived, findings, or both.")
    outcome, threat = v.check_findings(cmd.findings) if cmd.findings else ("", "")
    if cmd.findings and dispatch.findings:
        raise a.WrongState(f"{dispatch.name}'s findings are already recorded ({dispatch.findings}).")
    note = v.check_note(cmd.note)
    now = uow.clock.now()
    if dispatch.arrived_at is None:
        dispatch = replace(dispatch, arrived_at=now)
        uow.record(
            entry(DispatchArrived, alarm, dispatch_id=dispatch.id, responder=dispatch.name, by=cmd.name),
            actor,
        )
    elif not cmd.findings:
        raise a.WrongState(f"{dispatch.name} is already on site (since {dispatch.arrived_at.isoformat()}).")
    verification = None
    if cmd.findings:
        dispatch = replace(dispatch, findings=cmd.findings, findings_at=now, note=note or dispatch.note)
        uow.record(
            entry(
                DispatchFindings,
                alarm,
                dispatch_id=dispatch.id,
                responder=dispatch.name,
                findings=cmd.findings,
                note=note,
                by=cmd.name,
            ),
            actor,
        )
        found = v.Verification(
            id=uow.clock.new_id(),
            tenant_id=alarm.tenant_id,
            alarm_id=alarm.id,
            at=now,
            method="guard",
            outcome=outcome,
            threat=threat,
            note=note,
            dispatch_id=dispatch.id,
            user_id=cmd.user_id,
            by=cmd.name,
        )
        verification, alarm = _verify(uow, alarm, cmd, actor, found)
    uow.verifications.save_dispatch(dispatch)
    return dispatch, verification, alarm


def request_authority(
    cmd: v.RequestAuthority, uow: UnitOfWork, actor: str, _deps: Deps
) -> tuple[v.AuthorityRequest, a.Alarm]:
    """Record a request to a partner for the alarm I hold, refused for an unverified intrusion when the
    partner is the police or gendarmerie (CSI art. L613-6)."""
    alarm = alarm_in_scope(uow, cmd.alarm_id)
    v.may_act(alarm, cmd.user_id, "requesting help")
    partner = uow.partners.get(cmd.partner_id) if cmd.partner_id is not None else None
    if partner is None or partner.tenant_id != alarm.tenant_id:
        raise InvalidInput(
            f"No partner {cmd.partner_id} in your tenant: list the partners to find the right id."
        )
    message, reference, note = v.check_request(cmd.message, cmd.reference, cmd.note)
    score, verified_by, _ecv = standing(uow, alarm)
    basis = v.allow_request(alarm, partner.kind, verified_by, note)
    request = v.AuthorityRequest(
        id=uow.clock.new_id(),
        tenant_id=alarm.tenant_id,
        alarm_id=alarm.id,
        at=uow.clock.now(),
        partner_id=partner.id,
        partner_name=partner.name,
        partner_kind=partner.kind,
        service=v.service_of(partner.kind),
        message=message,
        reference=reference,
        note=note,
        avs_score=score,
        basis=basis,
        user_id=cmd.user_id,
        by=cmd.name,
    )
    uow.verifications.add_request(request)
    alarm = _rescore(uow, alarm)
    uow.record(
        entry(
            AuthorityRequested,
            alarm,
            request_id=request.id,
            partner_id=partner.id,
            partner_name=partner.name,
            service=request.service,
            message=message,
            reference=reference or "—",  # the entry reads "their reference: —" when they gave none
            note=note,
            basis=basis,
            score=score,
            by=cmd.name,
        ),
        actor,
    )
    step = REQUEST_STEPS.get(request.service)
    if step is not None:
        said = f"{partner.name}: {message}" + (f" (ref. {reference})" if reference else "")
        checklists.complete_step_of_kind(
            uow, alarm.id, step, StepResult(text=said[:500]), actor, by=cmd.name, user_id=cmd.user_id
        )
    return request, alarm


HANDLERS = (
    Handlers()
    .add(v.RecordVerification, record_verification)
    .add(v.DispatchResponder, dispatch_responder)
    .add(v.UpdateDispatch, update_dispatch)
    .add(v.RequestAuthority, request_authority)
)
