"""``/api/v1``: the clips cut around an alarm, their video, and a camera's live snapshot.

Operators, supervisors and administrators (``console.use``) over the alarm's site list an alarm's clips,
play a clip (an MP4 served with HTTP range requests, so the browser's player seeks), see a detection's
snapshot kept with the alarm (a clip of kind ``snapshot``: the JPEG Frigate took) and see a camera's
latest picture, its privacy masks blacked out. A client's or a unit's role sees none of it (403); a clip,
alarm or camera of another tenant or outside the caller's scope is 404 and the probe is recorded. The
console declares each playback and live view in the register first (``POST /cameras/{id}/views``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path as FilePath
from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request
from fastapi.responses import FileResponse

from tocsin.api.deps import NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import Out
from tocsin.domain.cameras import Camera
from tocsin.domain.clips import CLIP, SNAPSHOT, Clip
from tocsin.domain.errors import NotFound
from tocsin.domain.users import Principal

router = api_router("/api/v1", "clips")
READ = "console.use"
AlarmId = Annotated[UUID, Path(description="The alarm's id")]
ClipId = Annotated[UUID, Path(description="The clip's id")]
CameraId = Annotated[UUID, Path(description="The camera's id")]


class ClipOut(Out):
    """A clip attached to an alarm: footage (``kind`` clip, an MP4) or a detection's snapshot (``kind``
    snapshot, a JPEG, its start and end the detection's time); ``url`` is where to get it."""

    id: UUID
    kind: str
    alarm_id: UUID
    camera_id: UUID
    camera_name: str
    start: datetime
    end: datetime
    seconds: float
    frames: int
    size: int
    sha256: str
    hold: str
    purged_at: datetime | None
    url: str


def _video_folder(request: Request) -> FilePath:
    node = request.app.state.node
    return FilePath(node.settings.var_dir) / "video"


def _clip_out(clip: Clip) -> ClipOut:
    return ClipOut(
        id=clip.id,
        kind=clip.kind,
        alarm_id=clip.alarm_id,
        camera_id=clip.camera_id,
        camera_name=clip.camera_name,
        start=clip.start,
        end=clip.end,
        seconds=round(clip.seconds, 3),
        frames=clip.frames,
        size=clip.size,
        sha256=clip.sha256,
        hold=clip.hold,
        purged_at=clip.purged_at,
        url=f"/api/v1/clips/{clip.id}/{'picture' if clip.kind == SNAPSHOT else 'video'}",
    )


@router.get("/alarms/{alarm_id}/clips")
def list_clips(alarm_id: AlarmId, request: Request, node: NodeDep, principal: PrincipalDep) -> list[ClipOut]:
    """The clips cut around an alarm in my scope, one per camera of its site, and the snapshots of its
    detections, by camera name (a camera's snapshot before its clip)."""
    scope = principal.scope_for(READ)
    in_scope_or_probe(
        request,
        principal,
        scope,
        lambda uow: uow.alarms.get(alarm_id),
        f"No alarm {alarm_id} in your scope: list the alarms to find the right id.",
    )
    clips = node.store.read(lambda uow: uow.clips.find(alarm_id=alarm_id), scope)
    return [_clip_out(clip) for clip in sorted(clips, key=lambda c: (c.camera_name, c.kind != SNAPSHOT))]


def _file(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI answer of a route that sends a file, not JSON."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {200: {"content": content, "description": description}}


@router.get(
    "/clips/{clip_id}/video",
    response_class=FileResponse,
    responses=_file("video/mp4", "The clip (H.264 in MP4)"),
)
def clip_video(clip_id: ClipId, request: Request, principal: PrincipalDep) -> FileResponse:
    """A clip's video (H.264 in MP4), with range requests for the player's seeks."""
    clip = _clip_file(clip_id, request, principal, CLIP)
    return FileResponse(
        _video_folder(request) / "clips" / clip.file,
        media_type="video/mp4",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@router.get(
    "/clips/{clip_id}/picture",
    response_class=FileResponse,
    responses=_file("image/jpeg", "The snapshot (JPEG)"),
)
def clip_picture(clip_id: ClipId, request: Request, principal: PrincipalDep) -> FileResponse:
    """A detection's snapshot kept with its alarm (the JPEG Frigate took), scoped as the alarm's clips."""
    clip = _clip_file(clip_id, request, principal, SNAPSHOT)
    return FileResponse(
        _video_folder(request) / "clips" / clip.file,
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=3600"},
    )


def _clip_file(clip_id: UUID, request: Request, principal: Principal, kind: str) -> Clip:
    """A clip of ``kind`` in the caller's scope whose file is still there (404 otherwise)."""
    clip: Clip = in_scope_or_probe(
        request,
        principal,
        principal.scope_for(READ),
        lambda uow: uow.clips.get(clip_id),
        f"No clip {clip_id} in your scope: list the alarm's clips to find the right id.",
    )
    if clip.kind != kind:
        other = "picture" if clip.kind == SNAPSHOT else "video"
        raise NotFound(
            f"Clip {clip_id} is a {clip.kind}, not a {kind}: get it at /api/v1/clips/{clip_id}/{other}."
        )
    if clip.purged_at is not None:
        raise NotFound(
            f"Clip {clip_id} was deleted on {clip.purged_at:%Y-%m-%d}, past its camera's retention limit."
        )
    path = _video_folder(request) / "clips" / clip.file
    if not path.is_file():
        raise NotFound(f"The file of clip {clip_id} is gone (purged or moved): the alarm keeps its record.")
    return clip


@router.get(
    "/cameras/{camera_id}/snapshot",
    response_class=FileResponse,
    responses=_file("image/jpeg", "The camera's latest picture"),
)
def camera_snapshot(camera_id: CameraId, request: Request, principal: PrincipalDep) -> FileResponse:
    """The camera's latest picture as its recorder saw it (about once a second), masks blacked out."""
    camera: Camera = in_scope_or_probe(
        request,
        principal,
        principal.scope_for(READ),
        lambda uow: uow.cameras.get(camera_id),
        f"No camera {camera_id} in your scope: list the site's cameras to find the right id.",
    )
    path = _video_folder(request) / "ring" / str(camera.id) / "latest.jpg"
    if not path.is_file():
        raise NotFound(f"Camera {camera.name} has no picture yet: its stream is not recorded (check it).")
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "no-store"})
