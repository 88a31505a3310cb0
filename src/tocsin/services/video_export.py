"""The requisition register and exports for the authorities, as the store sees them.

:func:`record_requisition` enters a requisition (``requisition.recorded``). :func:`prepare_export`
checks, before any file is made, that the clip, the requisition and the exporting user exist in the
caller's scope and that the footage is still there; :func:`record_export` then writes the export's
``clip.exported`` entry (a line of the register, mode ``export``), marks the requisition delivered and
puts the clip under the requisition's legal hold, all in one transaction. The files (the watermarked
clip, the signed manifest) are made in between by :mod:`tocsin.workers.video.export`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tocsin.domain.clips import CLIP, Clip
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.requisitions import ClipExported, Requisition, RequisitionRecorded
from tocsin.domain.users import User
from tocsin.services import video_retention
from tocsin.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ExportJob:
    """What an export needs, read and checked in one transaction."""

    clip: Clip
    requisition: Requisition
    user: User
    client_id: UUID


def record_requisition(
    uow: UnitOfWork,
    tenant_id: UUID,
    *,
    authority: str,
    reference: str,
    received_at: datetime,
    request: str,
    actor: str,
) -> Requisition:
    """Enter a requisition in the register, with its entry; a reference is entered once."""
    if uow.requisitions.find(tenant_id=tenant_id, reference=reference.strip()):
        raise Conflict(f"Requisition {reference.strip()} is already in the register.")
    requisition = Requisition(
        id=uow.clock.new_id(),
        tenant_id=tenant_id,
        authority=authority.strip(),
        reference=reference.strip(),
        received_at=received_at,
        request=request.strip(),
        recorded_by=actor,
    )
    uow.requisitions.add(requisition)
    uow.record(
        RequisitionRecorded(
            tenant_id=tenant_id,
            requisition_id=requisition.id,
            authority=requisition.authority,
            reference=requisition.reference,
            received_at=received_at,
        ),
        actor,
    )
    return requisition


def prepare_export(uow: UnitOfWork, clip_id: UUID, reference: str, username: str) -> ExportJob:
    """The clip, requisition and user of an export, or a refusal that names what is missing."""
    if not reference.strip():
        raise InvalidInput("An export answers a requisition: give its reference (--requisition).")
    clip = uow.clips.get(clip_id)
    if clip is None:
        raise NotFound(f"No clip {clip_id} in your scope: list the alarm's clips to find the right id.")
    if clip.purged_at is not None:
        raise InvalidInput(f"Clip {clip_id} was deleted on {clip.purged_at:%Y-%m-%d}: nothing to export.")
    if clip.kind != CLIP:
        raise InvalidInput(f"Clip {clip_id} is a {clip.kind}: only footage (a clip) is exported yet.")
    found = uow.requisitions.find(tenant_id=clip.tenant_id, reference=reference.strip())
    if not found:
        raise InvalidInput(
            f"No requisition {reference.strip()!r} in the register: record it first (video requisition add)."
        )
    users = [u for u in uow.users.find(username=username) if u.tenant_id == clip.tenant_id and u.active]
    if not users:
        raise InvalidInput(f"No active user {username!r} in this tenant: the export names who made it.")
    site = uow.sites.get(clip.site_id)
    return ExportJob(clip, found[0], users[0], site.client_id if site is not None else clip.site_id)


def record_export(uow: UnitOfWork, job: ExportJob, manifest_sha256: str, key_id: str) -> ClipExported:
    """The export's entry, the requisition delivered, the clip kept under its legal hold."""
    requisition = uow.requisitions.get(job.requisition.id)
    clip = uow.clips.get(job.clip.id)
    if requisition is None or clip is None:
        raise NotFound("The clip or the requisition went away during the export: nothing was recorded.")
    reason = f"{requisition.authority} {requisition.reference}"
    event = ClipExported(
        tenant_id=clip.tenant_id,
        site_id=clip.site_id,
        client_id=job.client_id,
        camera_id=clip.camera_id,
        clip_id=clip.id,
        requisition_id=requisition.id,
        name=clip.camera_name,
        mode="export",
        start=clip.start,
        end=clip.end,
        reason=reason,
        user=job.user.username,
        manifest_sha256=manifest_sha256,
        key_id=key_id,
    )
    uow.record(event, job.user.username)
    if requisition.delivered_at is None:
        uow.requisitions.update(dataclasses.replace(requisition, delivered_at=uow.clock.now()))
    if not clip.hold:
        video_retention.hold(uow, clip.id, requisition.reference, job.user.username)
    return event
