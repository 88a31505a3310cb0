"""Frigate as a source: its detections become stored signals, its camera status camera-health alarms.

A person or vehicle Frigate sees on a camera that is linked to a site (the camera's ``frigate_name``)
is stored as a signal of protocol ``frigate`` and class ``intrusion``, exactly as a panel's signal is
stored: the signal processor then applies the site's rules (test mode, grouping, priority) as it does to
a panel's intrusion; like a panel's, it raises an alarm whether or not the site is armed (the rules use
arming for "back to normal"; a rule that ignores detections on a disarmed site is a later step). The
signal keeps Frigate's event id and the addresses of its snapshot and clip (``data``); the alarm's
history names the detection and the signal. A camera whose stream Frigate reports offline raises a technical
``camera_down`` alarm on its site; back online, that stream's zone of the alarm is restored (the alarm is
then back to normal, and closes by itself if it was settled).

Frigate's review items (``<prefix>/reviews``) are its own grouping of one stretch of activity on a camera.
An ``alert`` holding a person or a vehicle is stored as a signal like a detection (:func:`store_review`)
only when none of its tracked objects was already stored from ``<prefix>/events``, nor the review itself:
the review is then the only trace of the intrusion (a missed event message, an event filtered out). The
check reads the recent Frigate signals of the camera's site (:func:`signalled`); the listener keeps the
ids it stored lately in memory so that most reviews need no read. Frigate itself going offline
(``<prefix>/available``) raises one ``camera_down`` alarm "Frigate offline" for each tenant with cameras
Frigate watches (no site: the whole instance), restored when Frigate is online again
(:func:`frigate_available`).

The detection's snapshot is fetched from Frigate once, soon after the detection, and kept (the copy
stays when Frigate purges its own): :func:`alarm_of` finds the alarm the signal went into,
:func:`attach_snapshot` attaches the kept JPEG to it (a clip of kind ``snapshot``, with its
``snapshot.attached`` entry) and :func:`snapshot_failed` records a fetch that failed or was refused.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import structlog

from tocsin.domain import alarms as a
from tocsin.domain.cameras import Camera
from tocsin.domain.clips import SNAPSHOT, Clip, SnapshotAttached, SnapshotFailed
from tocsin.domain.scope import Scope
from tocsin.domain.signals import DecodedEvent, Signal
from tocsin.protocols.frigate import CameraStatus, Detection, Review
from tocsin.services import video_clips
from tocsin.services.alarm_rules import raise_technical, restore_technical
from tocsin.services.unit_of_work import UnitOfWork

LISTENER = "frigate"
SOURCE = "Frigate"
ACTOR = "frigate"
LOOKBACK = timedelta(hours=1)  # the farthest back a review's objects are looked for among signals
LOOKBACK_SIGNALS = 500  # the most recent signals of the site read for that (newest first)
OFFLINE_ZONE = "frigate"
log = structlog.get_logger("tocsin.frigate")


def camera_named(uow: UnitOfWork, frigate_name: str) -> Camera | None:
    """The camera Frigate calls ``frigate_name`` (the node's, whatever tenant: read in system scope)."""
    found = uow.cameras.find(frigate_name=frigate_name)
    return found[0] if found and frigate_name else None


def links(base_url: str, event_id: str) -> dict[str, str]:
    """Frigate's snapshot and clip addresses of an event (empty when Frigate's address is not known)."""
    if not base_url:
        return {}
    root = base_url.rstrip("/")
    return {
        "snapshot": f"{root}/api/events/{event_id}/snapshot.jpg",
        "clip": f"{root}/api/events/{event_id}/clip.mp4",
    }


def store_detection(uow: UnitOfWork, detection: Detection, raw: str, base_url: str = "") -> Signal | None:
    """Store a detection as a signal of the camera's site; None for a camera no site declares."""
    camera = camera_named(uow, detection.camera)
    if camera is None:
        return None
    score = f"{detection.score:.2f}"
    event = DecodedEvent(
        protocol="frigate",
        code=detection.label,
        partition="",
        zone=camera.name[:32],
        alarm_class="intrusion",
        label_en=f"Frigate: {detection.label} on camera {camera.name} (score {score})",
        label_fr=f"Frigate\u00a0: {detection.label} sur la caméra {camera.name} (score {score})",
        restore=False,
    )
    data = {
        "frigate_event": detection.event_id,
        "camera_id": str(camera.id),
        **links(base_url, detection.event_id),
    }
    return _store_signal(uow, camera, event, data, raw)


def _store_signal(
    uow: UnitOfWork, camera: Camera, event: DecodedEvent, data: dict[str, Any], raw: str
) -> Signal:
    """One signal of the camera's site from Frigate, stored (a detection's or a review's)."""
    now = uow.clock.now()
    signal = Signal(
        id=uow.clock.new_id(),
        received_at=now,
        node=LISTENER,
        listener=LISTENER,
        raw=raw[:4000],
        answer="",
        tenant_id=camera.tenant_id,
        site_id=camera.site_id,
        occurred_at=now,
        data=json.dumps(data, sort_keys=True),
        events=(event,),
    )
    uow.signals.insert_many([signal])
    return signal


def signalled(uow: UnitOfWork, camera: Camera, ids: set[str], since: datetime) -> bool:
    """Whether a Frigate signal of the camera's site received since ``since`` (at most
    :data:`LOOKBACK` ago) came from one of ``ids``: a tracked object's event, or a review."""
    since = max(since, uow.clock.now() - LOOKBACK)
    site = Scope.restricted(camera.tenant_id, site_ids=frozenset({camera.site_id}))  # read in SQL
    for signal in uow.signals.find(site, since=since, limit=LOOKBACK_SIGNALS):
        if signal.listener != LISTENER or signal.site_id != camera.site_id or not signal.data:
            continue
        data = json.loads(signal.data)
        if data.get("frigate_event") in ids or data.get("frigate_review") in ids:
            return True
        if not ids.isdisjoint(data.get("frigate_detections", ())):
            return True
    return False


def store_review(uow: UnitOfWork, review: Review, raw: str, base_url: str = "") -> Signal | None:
    """Store a Frigate alert as a signal of the camera's site, unless one of its tracked objects, or the
    review itself, is already a signal (:func:`signalled`). None for a camera no site declares or a
    review already signalled (logged at debug)."""
    camera = camera_named(uow, review.camera)
    if camera is None:
        return None
    ids = {review.review_id, *review.detections}
    started = datetime.fromtimestamp(review.start_time, UTC) - timedelta(minutes=1)
    if signalled(uow, camera, ids, started):
        log.debug("frigate.review_known", review=review.review_id, camera=camera.name, kind=review.kind)
        return None
    objects = ", ".join(review.objects[:8])
    event = DecodedEvent(
        protocol="frigate",
        code=review.label,
        partition="",
        zone=camera.name[:32],
        alarm_class="intrusion",
        label_en=f"Frigate alert: {objects} on camera {camera.name}"[:200],
        label_fr=f"Alerte Frigate\u00a0: {objects} sur la caméra {camera.name}"[:200],
        restore=False,
    )
    data = {
        "frigate_review": review.review_id,
        "frigate_detections": list(review.detections),
        "camera_id": str(camera.id),
        **(links(base_url, review.detections[0]) if review.detections else {}),
    }
    return _store_signal(uow, camera, event, data, raw)


def frigate_available(uow: UnitOfWork, instance: str, online: bool) -> int:
    """Frigate itself (``instance``: its topic prefix) offline raises one ``camera_down`` alarm "Frigate
    offline" for each tenant with a camera Frigate watches, with no site (the whole instance); online
    again restores it. How many tenants' alarms were raised or restored."""
    tenants = sorted({c.tenant_id for c in uow.cameras.find() if c.frigate_name})
    account = f"frigate:{instance}"[: video_clips.ACCOUNT_LENGTH]
    now = uow.clock.now()
    touched = 0
    for tenant_id in tenants:
        if online:
            labels = (
                f"Frigate ({instance}) online again"[:200],
                f"Frigate ({instance}) de nouveau en ligne"[:200],
            )
            restored = restore_technical(
                uow, tenant_id, "camera_down", account, OFFLINE_ZONE, now, labels=labels
            )
            touched += bool(restored)
            continue
        happening = a.Happening(
            now,
            "camera_down",
            account,
            OFFLINE_ZONE,
            f"Frigate offline ({instance}): no detection nor camera status from its cameras"[:200],
            f"Frigate hors ligne ({instance})\u00a0: plus de détection ni d'état de ses caméras"[:200],
        )
        raise_technical(uow, tenant_id, None, happening)
        touched += 1
    return touched


def camera_status(uow: UnitOfWork, status: CameraStatus) -> bool:
    """A linked camera's detect or record stream offline raises ``camera_down`` (its zone is the
    camera's and the role's); online again restores that zone, so the alarm is back to normal once every
    stream of it is back (a settled one then closes). True when an alarm was raised or restored."""
    if status.state not in ("offline", "online") or status.role not in ("detect", "record"):
        return False
    camera = camera_named(uow, status.camera)
    if camera is None:
        return False
    zone = video_clips.health_zone(camera, status.role)
    account = video_clips.health_account(camera)
    if status.state == "online":
        events = restore_technical(
            uow,
            camera.tenant_id,
            "camera_down",
            account,
            zone,
            uow.clock.now(),
            site_id=camera.site_id,
            labels=(
                f"Camera {camera.name}: Frigate reports its {status.role} stream online"[:200],
                f"Caméra {camera.name}\u00a0: Frigate signale son flux {status.role} en ligne"[:200],
            ),
        )
        return bool(events)
    happening = a.Happening(
        uow.clock.now(),
        "camera_down",
        account,
        zone,
        f"Camera {camera.name}: Frigate reports its {status.role} stream offline"[:200],
        f"Caméra {camera.name}\u00a0: Frigate signale son flux {status.role} hors ligne"[:200],
    )
    raise_technical(uow, camera.tenant_id, camera.site_id, happening)
    return True


def alarm_of(uow: UnitOfWork, signal_id: UUID, site_id: UUID) -> UUID | None:
    """The open alarm of the site whose history holds the signal; None until the signal processor has
    raised or grouped it (or when the site's rules raised none)."""
    for alarm in uow.alarms.find(states=a.OPEN_STATES, site_id=site_id):
        if any(line.signal_id == signal_id for line in uow.alarms.history(alarm.id)):
            return alarm.id
    return None


def attach_snapshot(
    uow: UnitOfWork,
    alarm_id: UUID,
    camera_id: UUID,
    *,
    file: str,
    taken: datetime,
    size: int,
    sha256: str,
) -> Clip | None:
    """Attach a kept snapshot of a camera to an alarm, with its ``snapshot.attached`` entry; None when
    the alarm, camera or site is gone or the alarm holds this camera's snapshot already."""
    alarm = uow.alarms.get(alarm_id)
    camera = uow.cameras.get(camera_id)
    if alarm is None or camera is None or alarm.site_id is None:
        return None
    site = uow.sites.get(alarm.site_id)
    if site is None or uow.clips.find(alarm_id=alarm_id, camera_id=camera_id, kind=SNAPSHOT):
        return None
    clip = Clip(
        id=uow.clock.new_id(),
        tenant_id=alarm.tenant_id,
        site_id=alarm.site_id,
        alarm_id=alarm_id,
        camera_id=camera_id,
        camera_name=camera.name,
        start=taken,
        end=taken,
        file=file,
        frames=1,
        size=size,
        sha256=sha256,
        created_at=uow.clock.now(),
        kind=SNAPSHOT,
    )
    uow.clips.add(clip)
    uow.record(
        SnapshotAttached(
            tenant_id=alarm.tenant_id,
            alarm_id=alarm_id,
            site_id=alarm.site_id,
            client_id=site.client_id,
            camera_id=camera_id,
            clip_id=clip.id,
            name=camera.name,
            source=SOURCE,
            taken=taken,
            size=size,
            sha256=sha256,
        ),
        ACTOR,
    )
    return clip


def snapshot_failed(uow: UnitOfWork, alarm_id: UUID, camera_id: UUID, problem: str) -> bool:
    """Record on the alarm that its snapshot could not be kept (``problem``); nothing else changes.
    False when the alarm, camera or site is gone."""
    alarm = uow.alarms.get(alarm_id)
    camera = uow.cameras.get(camera_id)
    site = uow.sites.get(alarm.site_id) if alarm is not None and alarm.site_id is not None else None
    if alarm is None or camera is None or site is None:
        return False
    uow.record(
        SnapshotFailed(
            tenant_id=alarm.tenant_id,
            alarm_id=alarm_id,
            site_id=site.id,
            client_id=site.client_id,
            camera_id=camera_id,
            name=camera.name,
            source=SOURCE,
            problem=problem[:300],
        ),
        ACTOR,
    )
    return True
