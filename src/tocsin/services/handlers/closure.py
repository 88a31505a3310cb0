"""Closing events: the report (compte-rendu) an event needs before it closes, closing with it in one
transaction, and the reference-data corrections filed from an event for the administrators.

The close path itself (``update_incident``) asks :func:`tocsin.domain.closure.require_report`; closing
with the report here writes the report and then goes through that same path, so every other rule of
closing applies as well.
"""

from __future__ import annotations

from tocsin.domain import closure as c
from tocsin.domain import incidents as i
from tocsin.domain.errors import NotFound
from tocsin.domain.partner_commands import CloseWithReport, FileCorrection, ResolveCorrection, WriteReport
from tocsin.domain.partner_events import CorrectionFiled, CorrectionResolved, IncidentReported
from tocsin.services.handlers.incidents import _event, _write, incident_in_scope, update_incident
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork


def write_report(cmd: WriteReport, uow: UnitOfWork, actor: str, _deps: Deps) -> c.Report:
    """Write (or rewrite) an open event's report."""
    incident = i.still_open(incident_in_scope(uow, cmd.incident_id))
    report = c.Report(incident.id, incident.tenant_id, cmd.outcomes, cmd.text, uow.clock.now(), cmd.by)
    uow.liaison.put_report(report)
    event = _event(
        IncidentReported,
        incident,
        cmd.by,
        outcomes=report.outcomes,
        dispositions=report.dispositions,
        text=report.text[:2000],
    )
    _write(uow, incident, event, actor)
    return report


def close_with_report(cmd: CloseWithReport, uow: UnitOfWork, actor: str, deps: Deps) -> i.Incident:
    """The report written, then the event closed through the ordinary close path."""
    write_report(WriteReport(cmd.incident_id, cmd.outcomes, cmd.text, cmd.by), uow, actor, deps)
    return update_incident(i.UpdateIncident(cmd.incident_id, cmd.by, state="closed"), uow, actor, deps)


def file_correction(cmd: FileCorrection, uow: UnitOfWork, actor: str, _deps: Deps) -> c.Correction:
    """A correction of reference data filed from an event (open or closed) for the administrators."""
    incident = incident_in_scope(uow, cmd.incident_id)
    correction = c.Correction(
        id=uow.clock.new_id(),
        tenant_id=incident.tenant_id,
        incident_id=incident.id,
        subject=c.correction_subject(cmd.subject),
        ref=cmd.ref,
        text=cmd.text,
        filed_at=uow.clock.now(),
        filed_by=cmd.by,
    )
    uow.liaison.add_correction(correction)
    event = _event(
        CorrectionFiled,
        incident,
        cmd.by,
        correction_id=correction.id,
        subject=correction.subject,
        ref=correction.ref or "-",
        text=correction.text,
    )
    _write(uow, incident, event, actor)
    return correction


def resolve_correction(cmd: ResolveCorrection, uow: UnitOfWork, actor: str, _deps: Deps) -> c.Correction:
    found = uow.liaison.correction(cmd.correction_id)
    if found is None:
        raise NotFound(
            f"No correction {cmd.correction_id} in your scope: GET /api/v1/corrections lists them."
        )
    done = c.resolve(found, uow.clock.now(), cmd.by, cmd.resolution)
    uow.liaison.save_correction(done)
    uow.record(
        CorrectionResolved(
            tenant_id=done.tenant_id,
            correction_id=done.id,
            incident_id=done.incident_id,
            subject=done.subject,
            ref=done.ref or "-",
            resolution=done.resolution,
            by=cmd.by,
        ),
        actor,
    )
    return done


HANDLERS = (
    Handlers()
    .add(WriteReport, write_report)
    .add(CloseWithReport, close_with_report)
    .add(FileCorrection, file_correction)
    .add(ResolveCorrection, resolve_correction)
)
