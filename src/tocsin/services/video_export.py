"""The requisition register and exports of footage, as the store sees them.

:func:`record_requisition` enters a requisition (``requisition.recorded``) and :func:`record_delivery`
says when its footage was handed over (``requisition.delivered``). An export is one camera's footage
over a time range, for a requisition or for a stated reason: :func:`prepare_export` (a clip, for the
command line) and :func:`prepare_range_export` (a camera and a time range, for the API) check, before
any file is made, that the camera, its footage, the requisition and the exporting user exist in the
caller's scope; :func:`record_export` then stores the export's record and writes its ``clip.exported``
entry (a line of the register, mode ``export``), and for a requisition puts the clips under its legal
hold, all in one transaction. The files (the watermarked footage, the chain-of-custody sheet, the signed
manifest) are made in between by :mod:`tocsin.adapters.export_files`, which the node's
``make_export`` calls.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tocsin.domain.cameras import Camera
from tocsin.domain.clips import CLIP, Clip
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.requisitions import (
    ClipExported,
    ExportDownloaded,
    Requisition,
    RequisitionDelivered,
    RequisitionRecorded,
    VideoExport,
)
from tocsin.domain.users import User
from tocsin.services import video_retention
from tocsin.services.unit_of_work import UnitOfWork

MIN_REASON, MAX_REASON = 3, 200
MAX_EXPORT = timedelta(hours=24)  # one export covers at most a day of one camera's footage


@dataclass(frozen=True, slots=True)
class ExportJob:
    """What an export needs, read and checked in one transaction: the clips holding the footage (oldest
    first), the time range kept of them, and why (a requisition, or a reason stated)."""

    export_id: UUID
    clips: tuple[Clip, ...]
    start: datetime
    end: datetime
    requisition: Requisition | None
    reason: str  # the register's reason: the requisition's authority and reference, or the one stated
    user: User
    client_id: UUID
    site: str  # the site's reference and name, for the custody sheet

    @property
    def clip(self) -> Clip:
        """The first clip (the command line exports one)."""
        return self.clips[0]


def record_requisition(
    uow: UnitOfWork,
    tenant_id: UUID,
    *,
    authority: str,
    reference: str,
    received_at: datetime,
    request: str,
    actor: str,
    camera_ids: tuple[UUID, ...] = (),
    asked: tuple[datetime, datetime] | None = None,
) -> Requisition:
    """Enter a requisition in the register, with its entry; a reference is entered once. The cameras it
    names must be in the caller's scope."""
    if uow.requisitions.find(tenant_id=tenant_id, reference=reference.strip()):
        raise Conflict(f"Requisition {reference.strip()} is already in the register.")
    for camera_id in camera_ids:
        if uow.cameras.get(camera_id) is None:
            raise NotFound(f"No camera {camera_id} in your scope: list the site's cameras to find its id.")
    requisition = Requisition(
        id=uow.clock.new_id(),
        tenant_id=tenant_id,
        authority=authority.strip(),
        reference=reference.strip(),
        received_at=received_at,
        request=request.strip(),
        recorded_by=actor,
        camera_ids=tuple(dict.fromkeys(camera_ids)),
        asked_from=None if asked is None else asked[0],
        asked_to=None if asked is None else asked[1],
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


def record_delivery(
    uow: UnitOfWork, requisition_id: UUID, *, delivered_at: datetime | None, note: str, actor: str
) -> Requisition:
    """Say when a requisition's footage was handed over (and how, to whom), with the entry."""
    requisition = uow.requisitions.get(requisition_id)
    if requisition is None:
        raise NotFound(f"No requisition {requisition_id} in your scope.")
    if requisition.delivered_at is not None:
        raise Conflict(
            f"Requisition {requisition.reference} was already delivered on"
            f" {requisition.delivered_at:%Y-%m-%d %H:%M} UTC: a delivery is recorded once."
        )
    when = delivered_at or uow.clock.now()
    if when.tzinfo is None:
        raise InvalidInput("delivered_at needs a time zone (for example 2026-12-01T10:00:00Z).")
    if when > uow.clock.now() + timedelta(minutes=5):
        raise InvalidInput("delivered_at is in the future: record a delivery once it is made.")
    delivered = dataclasses.replace(requisition, delivered_at=when, delivery_note=note.strip())
    uow.requisitions.update(delivered)
    uow.record(
        RequisitionDelivered(
            tenant_id=requisition.tenant_id,
            requisition_id=requisition.id,
            reference=requisition.reference,
            delivered_at=when,
            note=delivered.delivery_note,
        ),
        actor,
    )
    return delivered


def _user(uow: UnitOfWork, tenant_id: UUID, username: str) -> User:
    users = [u for u in uow.users.find(username=username) if u.tenant_id == tenant_id and u.active]
    if not users:
        raise InvalidInput(f"No active user {username!r} in this tenant: the export names who made it.")
    return users[0]


def _site_of(uow: UnitOfWork, site_id: UUID) -> tuple[UUID, str]:
    """The site's client and its label (reference and name)."""
    site = uow.sites.get(site_id)
    if site is None:
        return site_id, str(site_id)
    return site.client_id, f"{site.ref} — {site.name}"


def prepare_export(uow: UnitOfWork, clip_id: UUID, reference: str, username: str) -> ExportJob:
    """A clip's export for a requisition (its reference), or a refusal that names what is missing."""
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
    user = _user(uow, clip.tenant_id, username)
    reason = f"{found[0].authority} {found[0].reference}"
    return ExportJob(
        uow.clock.new_id(),
        (clip,),
        clip.start,
        clip.end,
        found[0],
        reason,
        user,
        *_site_of(uow, clip.site_id),
    )


def check_reason(reason: str) -> str:
    """A reason stated for an export or a viewing: 3 to 200 characters once trimmed."""
    text = reason.strip()
    if not MIN_REASON <= len(text) <= MAX_REASON:
        raise InvalidInput(
            f"State the reason in {MIN_REASON} to {MAX_REASON} characters (the register the law asks for"
            " records it), or give the requisition the export answers."
        )
    return text


def _range(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("from and to need a time zone (for example 2026-12-01T08:00:00Z).")
    if end <= start:
        raise InvalidInput("to must be after from: give the time range in order.")
    if end - start > MAX_EXPORT:
        raise InvalidInput("One export covers at most 24 hours of a camera: split the time range.")


def prepare_range_export(
    uow: UnitOfWork,
    *,
    camera_id: UUID,
    start: datetime,
    end: datetime,
    requisition_id: UUID | None,
    reason: str | None,
    username: str,
) -> ExportJob:
    """A camera's footage over a time range, for a requisition or a stated reason; refused, naming what
    is missing, without either, for a camera or requisition out of scope, or where no footage is kept."""
    if requisition_id is None and not (reason or "").strip():
        raise InvalidInput(
            "An export needs a reason or a requisition: give requisition_id, or a reason of"
            f" {MIN_REASON} to {MAX_REASON} characters."
        )
    _range(start, end)
    camera: Camera | None = uow.cameras.get(camera_id)
    if camera is None:
        raise NotFound(f"No camera {camera_id} in your scope: list the site's cameras to find its id.")
    requisition = None
    if requisition_id is not None:
        requisition = uow.requisitions.get(requisition_id)
        if requisition is None:
            raise NotFound(f"No requisition {requisition_id} in your scope: enter it in the register first.")
    stated = check_reason(reason) if reason and reason.strip() else ""
    clips = sorted(
        (c for c in uow.clips.find(camera_id=camera.id, purged_at=None) if c.start < end and c.end > start),
        key=lambda c: (c.start, c.id),
    )
    if not clips:
        raise InvalidInput(
            f"No footage of camera {camera.name} is kept between {start:%Y-%m-%d %H:%M:%S} and"
            f" {end:%Y-%m-%d %H:%M:%S} UTC: footage is kept around alarms (the alarm view lists the clips)."
        )
    client_id, site = _site_of(uow, camera.site_id)
    why = stated if requisition is None else f"{requisition.authority} {requisition.reference}"
    if requisition is not None and stated:
        why = f"{why}: {stated}"
    return ExportJob(
        export_id=uow.clock.new_id(),
        clips=tuple(clips),
        start=max(start, clips[0].start),
        end=min(end, max(c.end for c in clips)),
        requisition=requisition,
        reason=why,
        user=_user(uow, camera.tenant_id, username),
        client_id=client_id,
        site=site,
    )


@dataclass(frozen=True, slots=True)
class ExportFiles:
    """What making an export's files gave: where, the manifest's hash, the key, the frames kept."""

    folder: str
    manifest_sha256: str
    key_id: str
    frames: int


def record_export(
    uow: UnitOfWork, job: ExportJob, files: ExportFiles, *, delivered: bool = False
) -> VideoExport:
    """The export's record and entry; for a requisition, its clips kept under its legal hold, and with
    ``delivered`` (the command line writes the export where it is handed over) the requisition marked
    delivered."""
    clips = [uow.clips.get(c.id) for c in job.clips]
    requisition = None if job.requisition is None else uow.requisitions.get(job.requisition.id)
    if any(c is None for c in clips) or (job.requisition is not None and requisition is None):
        raise NotFound("The clip or the requisition went away during the export: nothing was recorded.")
    first = job.clips[0]
    export = VideoExport(
        id=job.export_id,
        tenant_id=first.tenant_id,
        site_id=first.site_id,
        camera_id=first.camera_id,
        camera_name=first.camera_name,
        start=job.start,
        end=job.end,
        reason=job.reason,
        exported_by=job.user.username,
        exported_at=uow.clock.now(),
        folder=files.folder,
        manifest_sha256=files.manifest_sha256,
        key_id=files.key_id,
        frames=files.frames,
        requisition_id=None if requisition is None else requisition.id,
    )
    uow.video_exports.add(export)
    uow.record(
        ClipExported(
            tenant_id=first.tenant_id,
            site_id=first.site_id,
            client_id=job.client_id,
            camera_id=first.camera_id,
            clip_id=first.id,
            requisition_id=export.requisition_id,
            name=first.camera_name,
            mode="export",
            start=job.start,
            end=job.end,
            reason=job.reason,
            user=job.user.username,
            manifest_sha256=files.manifest_sha256,
            key_id=files.key_id,
            export_id=export.id,
        ),
        job.user.username,
    )
    if requisition is None:
        return export
    if delivered and requisition.delivered_at is None:
        uow.requisitions.update(dataclasses.replace(requisition, delivered_at=uow.clock.now()))
    for clip in clips:
        if clip is not None and not clip.hold:
            video_retention.hold(uow, clip.id, requisition.reference, job.user.username)
    return export


def record_download(uow: UnitOfWork, export_id: UUID, username: str) -> VideoExport:
    """A copy of an export's files leaves the node: its entry, naming who took it."""
    export = uow.video_exports.get(export_id)
    if export is None:
        raise NotFound(f"No export {export_id} in your scope.")
    uow.record(
        ExportDownloaded(
            tenant_id=export.tenant_id,
            site_id=export.site_id,
            client_id=_site_of(uow, export.site_id)[0],
            camera_id=export.camera_id,
            export_id=export.id,
            name=export.camera_name,
            user=username,
        ),
        username,
    )
    return export
