"""``/api/v1``: the cameras of a site, and the viewing register (R252-11).

Administrators (``directory.write``) add, change and remove cameras; operators, supervisors and
administrators read the cameras of the sites their ``console.use`` grant covers (a client's or a unit's
role does not read them: stream addresses are the room's). A camera's password arrives in the request,
goes to the node's key folder and never comes back: the answer says only whether one is set.

Before viewing a camera, live or recorded, a user declares it with ``POST /cameras/{id}/views`` and a
reason; supervisors read the register back for an inspection with ``GET /video-register``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Query, Request
from pydantic import BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import Out
from tocsin.bootstrap import Node
from tocsin.domain import camera_commands as c
from tocsin.domain.cameras import MAX_RETENTION_DAYS, VIEW_REASONS, Camera, ViewRequest, view_reason
from tocsin.domain.commands import Command
from tocsin.domain.sites import Site
from tocsin.domain.users import Principal
from tocsin.domain.video_events import CameraViewed
from tocsin.services import camera_secrets, video_register
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "cameras")
WRITE = "directory.write"
READ = "console.use"
REGISTER = "room.supervise"
SiteId = Annotated[UUID, Path(description="The site's id")]
CameraId = Annotated[UUID, Path(description="The camera's id")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Url = Annotated[str, Field(max_length=500)]
Point = Annotated[list[float], Field(min_length=2, max_length=2, description="x, y from 0 to 1")]
Polygon = Annotated[list[Point], Field(max_length=32)]
NULLABLE = frozenset(
    {
        "latitude",
        "longitude",
        "bearing",
        "view_angle",
        "view_range",
        "authorisation_expires",
    }
)


class CameraOut(Out):
    """A camera as the API shows it: everything but its password, shown only as whether it is set."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    name: str
    latitude: float | None
    longitude: float | None
    bearing: float | None
    view_angle: float | None
    view_range: float | None
    rtsp_url: str
    mjpeg_url: str
    snapshot_url: str
    username: str
    has_password: bool
    frigate_name: str
    authorisation_ref: str
    authorisation_expires: date | None
    purposes: list[str]
    retention_days: int
    signage: bool
    privacy_masks: list[list[tuple[float, float]]]


def camera_out(camera: Camera) -> CameraOut:
    """The answer for a camera (never its password nor the reference of the file that holds it)."""
    fields: dict[str, Any] = {f: getattr(camera, f) for f in CameraOut.model_fields if f != "has_password"}
    return CameraOut(**fields, has_password=camera.credential_ref is not None)


class _CameraFields(BaseModel):
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    bearing: float | None = Field(default=None, description="Degrees from north where it looks, 0 to <360.")
    view_angle: float | None = Field(default=None, description="Width of the field of view, degrees.")
    view_range: float | None = Field(default=None, description="How far it usefully sees, metres.")
    rtsp_url: Url = ""
    mjpeg_url: Url = ""
    snapshot_url: Url = ""
    username: str = Field(default="", max_length=100)
    password: str | None = Field(default=None, min_length=1, max_length=200, description="Kept, never shown.")
    frigate_name: str = Field(default="", max_length=64, description="The camera's name in Frigate.")
    authorisation_ref: str = Field(default="", max_length=100, description="The préfecture's reference.")
    authorisation_expires: date | None = Field(default=None, examples=["2031-01-31"])
    purposes: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list)
    retention_days: int = Field(
        default=MAX_RETENTION_DAYS, description="1 to 30: the law (CSI L252-5) caps it at one month."
    )
    signage: bool = False
    privacy_masks: list[Polygon] = Field(
        default_factory=list, max_length=16, description="Polygons in image coordinates from 0 to 1."
    )


class CameraIn(_CameraFields):
    name: Name


class CameraPatch(_CameraFields):
    """Only the fields sent change; send null to clear the position, field of view or expiry."""

    name: Name | None = None


def _values(body: _CameraFields) -> dict[str, Any]:
    sent = body.model_dump(exclude_unset=True, exclude={"password"})
    values = {k: v for k, v in sent.items() if v is not None or k in NULLABLE}
    for name in ("purposes", "privacy_masks"):
        if name in values:
            values[name] = tuple(values[name])
    return values


def _site(request: Request, principal: Principal, site_id: UUID, permission: str) -> Site:
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(permission),
        lambda uow: uow.sites.get(site_id),
        f"No site {site_id} in your scope.",
    )


def _camera(request: Request, principal: Principal, camera_id: UUID, permission: str) -> Camera:
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(permission),
        lambda uow: uow.cameras.get(camera_id),
        f"No camera {camera_id} in your scope.",
    )


def _write(node: Node, principal: Principal, command: Command, permission: str = WRITE) -> Any:
    return node.messagebus.handle(command, scope=principal.scope_for(permission), actor=principal.actor)


@router.post("/sites/{site_id}/cameras", status_code=201)
def add_camera(
    site_id: SiteId, body: CameraIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> CameraOut:
    """Declare a camera on a site I may change, with its compliance record."""
    site = _site(request, principal, site_id, WRITE)
    values = _values(body)
    camera: Camera = camera_secrets.with_password(
        node.keys,
        node.clock,
        body.password,
        lambda ref: _write(node, principal, c.AddCamera(site.id, values, credential_ref=ref)),
    )
    return camera_out(camera)


@router.get("/sites/{site_id}/cameras")
def list_cameras(
    site_id: SiteId, request: Request, node: NodeDep, principal: PrincipalDep
) -> list[CameraOut]:
    """The cameras of a site in my scope."""
    site = _site(request, principal, site_id, READ)
    found = node.store.read(lambda uow: uow.cameras.find(site_id=site.id), principal.scope_for(READ))
    return [camera_out(camera) for camera in sorted(found, key=lambda k: k.name)]


@router.get("/cameras/{camera_id}")
def get_camera(camera_id: CameraId, request: Request, node: NodeDep, principal: PrincipalDep) -> CameraOut:
    """One camera in my scope."""
    return camera_out(_camera(request, principal, camera_id, READ))


@router.patch("/cameras/{camera_id}")
def change_camera(
    camera_id: CameraId, body: CameraPatch, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> CameraOut:
    """Change a camera I may change (a new password replaces the old one, whose file is deleted)."""
    before = _camera(request, principal, camera_id, WRITE)
    values = _values(body)
    after: Camera = camera_secrets.with_password(
        node.keys,
        node.clock,
        body.password,
        lambda ref: _write(node, principal, c.ChangeCamera(before.id, values, credential_ref=ref)),
    )
    camera_secrets.forget_old(node.keys, before, after)
    return camera_out(after)


@router.delete("/cameras/{camera_id}")
def remove_camera(
    camera_id: CameraId, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> CameraOut:
    """Take a camera off its site and answer with it (the logbook keeps that it was there, and its
    register lines)."""
    camera = _camera(request, principal, camera_id, WRITE)
    removed: Camera = _write(node, principal, c.RemoveCamera(camera.id))
    camera_secrets.forget_old(node.keys, camera, None)
    return camera_out(removed)


class ViewIn(BaseModel):
    mode: str = Field(description="live or playback", examples=["live"])
    start: datetime = Field(description="Start of the footage viewed (for live: now).")
    end: datetime | None = Field(default=None, description="End of the footage viewed (playback: required).")
    reason: str | None = Field(
        default=None,
        max_length=500,
        description=f"Without reason_kind: one of {', '.join(VIEW_REASONS)}, or typed text (3 to 200"
        " characters). With it: the requisition's reference, the typed reason (other), or a detail.",
    )
    reason_kind: str | None = Field(
        default=None,
        max_length=40,
        description=f"One of {', '.join(VIEW_REASONS)} (the console's reason dialog sends it).",
    )


class ViewOut(Out):
    camera_id: UUID
    name: str
    site_id: UUID
    mode: str
    start: datetime
    end: datetime | None
    reason: str
    user: str


@router.post("/cameras/{camera_id}/views", status_code=201)
def record_view(
    camera_id: CameraId, body: ViewIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> ViewOut:
    """Declare a viewing of a camera in my scope before it starts (a line of the R252-11 register)."""
    camera = _camera(request, principal, camera_id, READ)
    reason = view_reason(body.reason_kind, body.reason)
    view = ViewRequest(mode=body.mode, start=body.start, end=body.end, reason=reason)  # type: ignore[arg-type]  # checked by ViewRequest
    event: CameraViewed = _write(
        node, principal, c.RecordView(camera.id, view, user=principal.username), permission=READ
    )
    return ViewOut.model_validate(event)


class RegisterLineOut(Out):
    recorded_at: str
    user: str
    actor: str
    camera_id: str
    camera: str
    site_id: str
    mode: str
    start: str
    end: str
    reason: str
    entry_id: str
    chain: str
    seq: int
    hash: str


@router.get("/video-register")
def read_register(
    node: NodeDep,
    principal: PrincipalDep,
    since: Annotated[
        datetime | None, Query(alias="from", description="Start of the period (default: 30 days before to).")
    ] = None,
    until: Annotated[
        datetime | None, Query(alias="to", description="End of the period, excluded (default: now).")
    ] = None,
) -> list[RegisterLineOut]:
    """The viewings recorded in a period on the sites I supervise, oldest first (for an inspection)."""
    end = until or node.clock.now()
    start = since or end - timedelta(days=30)

    def read(uow: UnitOfWork) -> list[RegisterLineOut]:
        return [RegisterLineOut.model_validate(line) for line in video_register.register(uow, start, end)]

    return node.store.read(read, principal.scope_for(REGISTER))
