"""``/api/v1/video``: the requisition register, exports of footage and the viewing register, for the
supervisors and administrators of the room (``room.supervise``; operators view cameras, they do not
extract footage nor read the register).

- ``POST /video/requisitions`` enters a requisition (authority, reference, when received, what it asks:
  free text, cameras, a time range); ``GET`` lists them; ``PATCH /video/requisitions/{id}`` records
  the delivery (when, how, to whom).
- ``POST /video/exports`` exports one camera's footage over a time range, for a requisition or a stated
  reason (neither: 422): the watermarked MP4, the chain-of-custody sheet and the signed manifest are made
  in the request (the same code as ``tocsin video export``); ``GET`` lists the exports;
  ``GET /video/exports/{id}/download`` is a zip of the export's folder (its download is an entry).
- ``GET /video/register`` and ``/video/register.csv``: who viewed or extracted what, when, which camera
  and time range, and why, for an inspection (R252-11), by period, camera and user.

Every change is a logbook entry in the change's transaction; another tenant's or an out-of-scope
record answers 404 (the probe is recorded).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path as FilePath
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import AwareDatetime, BaseModel, Field
from starlette.background import BackgroundTask

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.routes.cameras import RegisterLineOut
from tocsin.api.schemas import Out
from tocsin.bootstrap import Node
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.requisitions import MAX_TEXT, Requisition, VideoExport
from tocsin.domain.scope import Scope
from tocsin.domain.users import Principal
from tocsin.services import video_export, video_register
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.services.video_custody import CLIP, EXPORT_FILES

router = api_router("/api/v1/video", "video")
PERMISSION = "room.supervise"
FILES = EXPORT_FILES
RequisitionId = Annotated[UUID, Path(description="The requisition's id")]
ExportId = Annotated[UUID, Path(description="The export's id")]
From = Annotated[
    AwareDatetime | None, Query(alias="from", description="Start of the period (default: 30 days before to)")
]
To = Annotated[
    AwareDatetime | None, Query(alias="to", description="End of the period, excluded (default: now)")
]
CameraFilter = Annotated[UUID | None, Query(alias="camera", description="Only this camera's lines")]
UserFilter = Annotated[str | None, Query(alias="user", max_length=200, description="Only this user's lines")]


class RequisitionIn(BaseModel):
    authority: str = Field(min_length=1, max_length=100, examples=["Police nationale, Valmont"])
    reference: str = Field(min_length=1, max_length=100, examples=["PN-2026-118"])
    received_at: AwareDatetime = Field(description="When the requisition was received.")
    request: str = Field(default="", max_length=MAX_TEXT, description="What it asks for, in its own words.")
    camera_ids: list[UUID] = Field(default_factory=list, max_length=64, description="The cameras it names.")
    asked_from: AwareDatetime | None = Field(default=None, description="Start of the time range it asks for.")
    asked_to: AwareDatetime | None = Field(default=None, description="End of the time range it asks for.")


class DeliveryIn(BaseModel):
    delivered_at: AwareDatetime | None = Field(default=None, description="When it was handed over (now).")
    note: str = Field(default="", max_length=MAX_TEXT, description="How, and to whom.")


class RequisitionOut(Out):
    id: UUID
    tenant_id: UUID
    authority: str
    reference: str
    received_at: datetime
    request: str
    camera_ids: list[UUID]
    asked_from: datetime | None
    asked_to: datetime | None
    recorded_by: str
    delivered_at: datetime | None
    delivery_note: str


class ExportIn(BaseModel):
    camera_id: UUID
    start: AwareDatetime = Field(alias="from", description="Start of the footage to export.")
    end: AwareDatetime = Field(alias="to", description="End of the footage to export.")
    requisition_id: UUID | None = Field(default=None, description="The requisition it answers.")
    reason: str | None = Field(
        default=None, max_length=500, description="Why, when no requisition (3 to 200 characters)."
    )


class ExportOut(Out):
    id: UUID
    site_id: UUID
    camera_id: UUID
    camera_name: str
    start: datetime
    end: datetime
    reason: str
    requisition_id: UUID | None
    exported_by: str
    exported_at: datetime
    manifest_sha256: str
    key_id: str
    frames: int
    files: list[str]


def export_out(export: VideoExport) -> ExportOut:
    """An export as the API shows it: its files by name (the folder stays on the node)."""
    folder = FilePath(export.folder)
    names = [name for name in FILES if (folder / name).is_file()]
    return ExportOut.model_validate(
        {**{f: getattr(export, f) for f in ExportOut.model_fields if f != "files"}, "files": names}
    )


def _scope(principal: Principal) -> Scope:
    return principal.scope_for(PERMISSION)


@router.post("/requisitions", status_code=201)
def add_requisition(body: RequisitionIn, node: NodeDep, principal: CheckedPrincipalDep) -> RequisitionOut:
    """Enter an authority's requisition in the register (a reference is entered once: 409)."""
    asked = None
    if body.asked_from is not None or body.asked_to is not None:
        if body.asked_from is None or body.asked_to is None:
            raise InvalidInput(
                "Give both ends of the time range asked for (asked_from and asked_to), or neither."
            )
        asked = (body.asked_from, body.asked_to)
    found = node.store.write(
        lambda uow: video_export.record_requisition(
            uow,
            principal.tenant_id,
            authority=body.authority,
            reference=body.reference,
            received_at=body.received_at,
            request=body.request,
            actor=principal.actor,
            camera_ids=tuple(body.camera_ids),
            asked=asked,
        ),
        _scope(principal),
    )
    return RequisitionOut.model_validate(found)


@router.get("/requisitions")
def list_requisitions(node: NodeDep, principal: PrincipalDep) -> list[RequisitionOut]:
    """The requisitions of my tenant, the latest received first."""
    found = node.store.read(lambda uow: uow.requisitions.find(), _scope(principal))
    found.sort(key=lambda r: (r.received_at, r.id), reverse=True)
    return [RequisitionOut.model_validate(r) for r in found]


@router.patch("/requisitions/{requisition_id}")
def deliver_requisition(
    requisition_id: RequisitionId,
    body: DeliveryIn,
    request: Request,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> RequisitionOut:
    """Record that a requisition's footage was handed over (once: 409 after)."""
    scope = _scope(principal)
    in_scope_or_probe(
        request,
        principal,
        scope,
        lambda uow: uow.requisitions.get(requisition_id),
        f"No requisition {requisition_id} in your scope.",
    )
    done: Requisition = node.store.write(
        lambda uow: video_export.record_delivery(
            uow, requisition_id, delivered_at=body.delivered_at, note=body.note, actor=principal.actor
        ),
        scope,
    )
    return RequisitionOut.model_validate(done)


@router.post("/exports", status_code=201)
def add_export(body: ExportIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep) -> ExportOut:
    """Export a camera's footage over a time range for a requisition or a stated reason: the MP4 with a
    watermark naming me, the chain-of-custody sheet (PDF, in my language) and the signed manifest."""
    scope = _scope(principal)
    in_scope_or_probe(
        request,
        principal,
        scope,
        lambda uow: uow.cameras.get(body.camera_id),
        f"No camera {body.camera_id} in your scope.",
    )
    if body.requisition_id is not None:
        rid = body.requisition_id
        in_scope_or_probe(
            request,
            principal,
            scope,
            lambda uow: uow.requisitions.get(rid),
            f"No requisition {rid} in your scope.",
        )
    node.signer()  # no key: refused now, with the way out
    job = node.store.read(
        lambda uow: video_export.prepare_range_export(
            uow,
            camera_id=body.camera_id,
            start=body.start,
            end=body.end,
            requisition_id=body.requisition_id,
            reason=body.reason,
            username=principal.username,
        ),
        scope,
    )
    done = node.make_export(job, node.exports_folder / str(job.export_id), scope, language=principal.language)
    return export_out(done)


@router.get("/exports")
def list_exports(node: NodeDep, principal: PrincipalDep) -> list[ExportOut]:
    """The exports of the sites I supervise, the latest first."""
    found = node.store.read(lambda uow: uow.video_exports.find(), _scope(principal))
    found.sort(key=lambda x: (x.exported_at, x.id), reverse=True)
    return [export_out(x) for x in found]


@router.get(
    "/exports/{export_id}/download",
    response_class=Response,
    responses={200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}},
)
def download_export(
    export_id: ExportId, request: Request, node: NodeDep, principal: PrincipalDep
) -> Response:
    """The export's folder as a zip (MP4, custody sheet, manifest, signature); the download is an entry."""
    scope = _scope(principal)
    export = in_scope_or_probe(
        request,
        principal,
        scope,
        lambda uow: uow.video_exports.get(export_id),
        f"No export {export_id} in your scope.",
    )
    folder = FilePath(export.folder)
    present = [name for name in FILES if (folder / name).is_file()]
    if len(present) < len(FILES) - 1 or CLIP not in present:  # exports before the sheet lack only it
        raise NotFound(f"The files of export {export_id} are no longer in {folder}: nothing to download.")
    node.store.write(lambda uow: video_export.record_download(uow, export_id, principal.username), scope)
    spool = tempfile.NamedTemporaryFile(prefix="tocsin-export-", suffix=".zip", delete=False)  # noqa: SIM115 - removed after the response
    with spool, zipfile.ZipFile(spool, "w") as archive:
        top = f"export-{export_id}"
        for name in present:
            kind = zipfile.ZIP_STORED if name == CLIP else zipfile.ZIP_DEFLATED
            archive.write(folder / name, f"{top}/{name}", compress_type=kind)
    return FileResponse(
        spool.name,
        media_type="application/zip",
        filename=f"tocsin-export-{export_id}.zip",
        background=BackgroundTask(FilePath(spool.name).unlink, missing_ok=True),
    )


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """Which lines of the register: a period (default the last 30 days), a camera, a user."""

    since: datetime | None
    until: datetime | None
    camera: UUID | None
    user: str | None


def register_filter(
    since: From = None, until: To = None, camera: CameraFilter = None, user: UserFilter = None
) -> RegisterFilter:
    return RegisterFilter(since, until, camera, user)


FilterDep = Annotated[RegisterFilter, Depends(register_filter)]


def _lines(node: Node, principal: Principal, wanted: RegisterFilter) -> list[video_register.RegisterLine]:
    end = wanted.until or node.clock.now()
    start = wanted.since or end - timedelta(days=30)

    def read(uow: UnitOfWork) -> list[video_register.RegisterLine]:
        return video_register.register(uow, start, end, camera_id=wanted.camera, user=wanted.user or None)

    return node.store.read(read, _scope(principal))


@router.get("/register")
def video_register_lines(node: NodeDep, principal: PrincipalDep, wanted: FilterDep) -> list[RegisterLineOut]:
    """Who viewed or extracted what, when, which camera and time range, and why (R252-11), oldest first."""
    return [RegisterLineOut.model_validate(line) for line in _lines(node, principal, wanted)]


@router.get(
    "/register.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The register"}},
)
def register_csv(node: NodeDep, principal: PrincipalDep, wanted: FilterDep) -> Response:
    """The same lines as CSV with a header, for an inspection."""
    out = io.StringIO()
    video_register.write_csv(_lines(node, principal, wanted), out)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tocsin-video-register.csv"'},
    )
