"""Clips around alarms and camera health, as the video supervisor asks the store for them.

:func:`pending` lists the clips still to cut: every camera of every site with an alarm opened within the
ring buffer's reach, less the clips already attached (camera-health alarms get none). Once a clip is cut
from the ring (in a video process), :func:`attach` stores it and writes ``clip.attached`` in the
same transaction. :func:`camera_health` raises the technical alarm of what a recorder reports (stream down
past its delay, frozen image, tamper), :func:`camera_restored` restores it when the camera is back, and
:func:`storage_low` raises the one of a recorder's disk running out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain.cameras import Camera
from tocsin.domain.clips import CLIP, NO_CLIP_CLASSES, Clip, ClipAttached, SiteVideo, SiteVideoSet
from tocsin.domain.errors import NotFound
from tocsin.services.alarm_rules import raise_technical, restore_technical
from tocsin.services.unit_of_work import UnitOfWork

ACTOR = "video"
MAX_PENDING = 200
HEALTH_CLASSES = {"down": "camera_down", "frozen": "camera_frozen", "tamper": "camera_tamper"}
_REASONS = {
    "down": ("stream down: {reason}", "flux perdu\u00a0: {reason}"),
    "frozen": ("frozen image ({reason})", "image figée ({reason})"),
    "tamper": ("tamper: {reason}", "sabotage\u00a0: {reason}"),
}
_RESTORES = {
    "down": ("stream back", "flux rétabli"),
    "frozen": ("image moving again", "l'image bouge de nouveau"),
    "tamper": ("image like its reference again", "image de nouveau conforme à sa référence"),
}
_TAMPER_FR = {"covered": "caméra masquée", "defocused": "image floue", "moved": "caméra déplacée"}
ZONE_LENGTH = 16  # an alarm's zone is at most this long (the alarm history's column)
ACCOUNT_LENGTH = 32
LABEL_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ClipJob:
    """One camera's clip to cut around one alarm."""

    alarm_id: UUID
    tenant_id: UUID
    site_id: UUID
    camera_id: UUID
    camera_name: str
    start: datetime
    end: datetime
    masks: list[list[list[float]]]


def window_of(uow: UnitOfWork, site_id: UUID, tenant_id: UUID) -> SiteVideo:
    """The site's clip window (the defaults when it set none)."""
    found = uow.site_videos.find(site_id=site_id)
    return found[0] if found else SiteVideo(id=site_id, tenant_id=tenant_id, site_id=site_id)


def pending(uow: UnitOfWork, horizon: float) -> list[ClipJob]:
    """The clips still to cut for the alarms opened in the last ``horizon`` seconds (system scope)."""
    since = uow.clock.now() - timedelta(seconds=horizon)
    jobs: list[ClipJob] = []
    cameras: dict[UUID, list[Camera]] = {}
    for alarm in uow.alarms.find(since=since, limit=MAX_PENDING):
        if alarm.site_id is None or alarm.alarm_class in NO_CLIP_CLASSES:
            continue
        if alarm.site_id not in cameras:
            cameras[alarm.site_id] = uow.cameras.find(site_id=alarm.site_id)
        if not cameras[alarm.site_id]:
            continue
        done = {clip.camera_id for clip in uow.clips.find(alarm_id=alarm.id, kind=CLIP)}
        start, end = window_of(uow, alarm.site_id, alarm.tenant_id).window(alarm.opened_at)
        jobs.extend(
            ClipJob(
                alarm.id,
                alarm.tenant_id,
                alarm.site_id,
                camera.id,
                camera.name,
                start,
                end,
                [[list(point) for point in polygon] for polygon in camera.privacy_masks],
            )
            for camera in cameras[alarm.site_id]
            if camera.id not in done
        )
    return jobs[:MAX_PENDING]


def attach(
    uow: UnitOfWork,
    job: ClipJob,
    *,
    file: str,
    first: datetime,
    last: datetime,
    frames: int,
    size: int,
    sha256: str,
) -> Clip | None:
    """Store a cut clip and its logbook entry; None when the alarm or site is gone or it was attached."""
    site = uow.sites.get(job.site_id)
    if site is None or uow.alarms.get(job.alarm_id) is None:
        return None
    if any(c.camera_id == job.camera_id for c in uow.clips.find(alarm_id=job.alarm_id, kind=CLIP)):
        return None
    clip = Clip(
        id=uow.clock.new_id(),
        tenant_id=job.tenant_id,
        site_id=job.site_id,
        alarm_id=job.alarm_id,
        camera_id=job.camera_id,
        camera_name=job.camera_name,
        start=first,
        end=last,
        file=file,
        frames=frames,
        size=size,
        sha256=sha256,
        created_at=uow.clock.now(),
    )
    uow.clips.add(clip)
    uow.record(
        ClipAttached(
            tenant_id=job.tenant_id,
            alarm_id=job.alarm_id,
            site_id=job.site_id,
            client_id=site.client_id,
            camera_id=job.camera_id,
            clip_id=clip.id,
            name=job.camera_name,
            start=first,
            end=last,
            sha256=sha256,
        ),
        ACTOR,
    )
    return clip


def set_window(uow: UnitOfWork, site_id: UUID, pre: int, post: int, actor: str) -> SiteVideo:
    """Set a site's clip window (seconds before and after the first signal), with its entry."""
    site = uow.sites.get(site_id)
    if site is None:
        raise NotFound("No such site.")
    found = uow.site_videos.find(site_id=site_id)
    if found:
        window = SiteVideo(found[0].id, site.tenant_id, site_id, pre, post)
        uow.site_videos.update(window)
    else:
        window = SiteVideo(uow.clock.new_id(), site.tenant_id, site_id, pre, post)
        uow.site_videos.add(window)
    uow.record(
        SiteVideoSet(
            tenant_id=site.tenant_id,
            site_id=site_id,
            client_id=site.client_id,
            pre_seconds=pre,
            post_seconds=post,
        ),
        actor,
    )
    return window


def health_zone(camera: Camera, part: str = "") -> str:
    """The zone a camera's health condition holds in its site's alarm (one alarm per class and site, one
    zone per camera, so each camera's restore ends only its own share): the camera's name (``/part``
    added: Frigate's role), shortened with a piece of its id when longer than a zone may be."""
    name = f"{camera.name}/{part}" if part else camera.name
    if len(name) <= ZONE_LENGTH:
        return name
    tail = camera.id.hex[-4:]  # the random end of the id (its start is a time)
    return f"{name[: ZONE_LENGTH - len(tail) - 1]}~{tail}"


def health_account(camera: Camera) -> str:
    """The "transmitter" a camera's health alarm names: the camera."""
    return f"camera:{camera.name}"[:ACCOUNT_LENGTH]


def camera_health(uow: UnitOfWork, camera_id: UUID, condition: str, reason: str) -> bool:
    """Raise the camera-health alarm of ``condition`` (down, frozen, tamper); False for a camera gone."""
    camera = uow.cameras.get(camera_id)
    if camera is None or condition not in HEALTH_CLASSES:
        return False
    english, french = _REASONS[condition]
    happening = a.Happening(
        uow.clock.now(),
        HEALTH_CLASSES[condition],
        health_account(camera),
        health_zone(camera),
        (f"Camera {camera.name}: " + english.format(reason=reason))[:LABEL_LENGTH],
        (f"Caméra {camera.name}\u00a0: " + french.format(reason=_TAMPER_FR.get(reason, reason)))[
            :LABEL_LENGTH
        ],
    )
    raise_technical(uow, camera.tenant_id, camera.site_id, happening)
    return True


def camera_restored(uow: UnitOfWork, camera_id: UUID, condition: str) -> bool:
    """The camera is back (frames flowing, image moving, like its reference): its zone of the open
    ``condition`` alarm is restored, a history line and an ``alarm.updated`` entry; a settled alarm back
    to normal closes. True when an alarm was restored (False: nothing open for it, or a camera gone)."""
    camera = uow.cameras.get(camera_id)
    if camera is None or condition not in HEALTH_CLASSES:
        return False
    english, french = _RESTORES[condition]
    events = restore_technical(
        uow,
        camera.tenant_id,
        HEALTH_CLASSES[condition],
        health_account(camera),
        health_zone(camera),
        uow.clock.now(),
        site_id=camera.site_id,
        labels=(
            f"Camera {camera.name}: {english}"[:LABEL_LENGTH],
            f"Caméra {camera.name}\u00a0: {french}"[:LABEL_LENGTH],
        ),
    )
    return bool(events)


def storage_low(uow: UnitOfWork, tenant_ids: list[UUID], free_mb: int, folder: str) -> None:
    """Raise ``storage_low`` for each tenant with cameras: the recordings' disk is running out."""
    happening = a.Happening(
        uow.clock.now(),
        "storage_low",
        "video",
        "",
        f"Video recordings: {free_mb} MB left on the disk of {folder}",
        f"Enregistrements vidéo\u00a0: {free_mb}\u00a0Mo libres sur le disque de {folder}",
    )
    for tenant_id in tenant_ids:
        raise_technical(uow, tenant_id, None, happening)


def recorded_cameras(uow: UnitOfWork) -> list[Camera]:
    """Every camera with a stream to record (system scope: the node's cameras)."""
    return [camera for camera in uow.cameras.find() if camera.rtsp_url or camera.mjpeg_url]


def window_ms(job: ClipJob) -> tuple[int, int]:
    """A job's window in wall-clock milliseconds since the epoch."""
    return round(job.start.timestamp() * 1000), round(job.end.timestamp() * 1000)


def at_ms(ms: int) -> datetime:
    """A wall-clock millisecond as an aware datetime."""
    return datetime.fromtimestamp(0, tz=UTC) + timedelta(milliseconds=ms)
