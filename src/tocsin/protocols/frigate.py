"""Frigate's MQTT messages, read without I/O: ``<prefix>/events`` (one tracked object's new, update and
end), ``<prefix>/reviews`` (a review item: the objects of one stretch of activity on a camera, rated
``alert`` or ``detection``), ``<prefix>/<camera>/status/<role>`` (online, offline, disabled) and
``<prefix>/available`` (Frigate itself online or offline).

Only what the room acts on is kept: a person or a vehicle that Frigate no longer takes for a false
positive, an alert that holds a person or a vehicle, a camera's stream going offline or back online and
Frigate itself going away or coming back. Anything else reads as ``None``; a review that is not
Frigate's JSON, or larger than :data:`MAX_MESSAGE`, is logged (``frigate.review_unreadable``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import structlog

log = structlog.get_logger("tocsin.frigate")
PERSON_OR_VEHICLE = frozenset({"person", "car", "motorcycle", "bicycle", "bus", "truck", "boat"})
STATES = frozenset({"online", "offline", "disabled"})
MAX_MESSAGE = 64 * 1024  # bytes: a review or event is a kilobyte or two
MAX_IDS = 64  # a review's tracked objects kept (an alert of hundreds is cut, not refused)
REVIEW_KINDS = frozenset({"new", "update", "end"})
ALERT = "alert"


@dataclass(frozen=True, slots=True)
class Detection:
    """A new person or vehicle on a camera (Frigate's ``type: new``)."""

    event_id: str
    camera: str
    label: str
    score: float
    start_time: float
    zones: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CameraStatus:
    """A camera's role (``detect``, ``record``, ``audio``) reported online, offline or disabled."""

    camera: str
    role: str
    state: str


def read_event(payload: bytes) -> Detection | None:
    """The detection a ``frigate/events`` message announces, or None (update, end, other objects,
    false positives, or a message that is not Frigate's JSON)."""
    try:
        message = json.loads(payload)
        after = message["after"]
        if message.get("type") != "new" or after.get("false_positive"):
            return None
        label = str(after["label"])
        if label not in PERSON_OR_VEHICLE:
            return None
        zones = after.get("entered_zones") or after.get("current_zones") or ()
        return Detection(
            event_id=str(after["id"])[:100],
            camera=str(after["camera"])[:64],
            label=label,
            score=float(after.get("top_score") or after.get("score") or 0.0),
            start_time=float(after["start_time"]),
            zones=tuple(str(z)[:64] for z in zones)[:16],
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass(frozen=True, slots=True)
class Review:
    """A review item Frigate rated ``alert`` that holds a person or a vehicle (its ``after`` side)."""

    review_id: str
    kind: str  # new, update or end
    camera: str
    start_time: float
    end_time: float | None
    objects: tuple[str, ...]  # the labels seen, "-verified" dropped
    zones: tuple[str, ...]
    detections: tuple[str, ...]  # the ids of the tracked objects: those of ``<prefix>/events``

    @property
    def label(self) -> str:
        """The first person or vehicle of the review (its signal's code)."""
        return next(o for o in self.objects if o in PERSON_OR_VEHICLE)


def _unreadable(reason: str) -> None:
    log.warning("frigate.review_unreadable", reason=reason)


def _texts(value: object, length: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v)[:length] for v in value[:MAX_IDS] if isinstance(v, str | int | float))


def read_review(payload: bytes) -> Review | None:
    """The alert a ``<prefix>/reviews`` message carries, or None: a review rated ``detection``, one
    without a person or vehicle, or a message that is not Frigate's (logged). Never raises."""
    if len(payload) > MAX_MESSAGE:
        _unreadable(f"larger than {MAX_MESSAGE} bytes ({len(payload)})")
        return None
    try:
        message = json.loads(payload)
        kind = message["type"]
        after = message["after"]
        data = after.get("data") or {}
        if kind not in REVIEW_KINDS or not isinstance(data, dict):
            _unreadable(f"type {str(kind)[:20]!r} or data not understood")
            return None
        end = after.get("end_time")
        objects = tuple(o.removesuffix("-verified") for o in _texts(data.get("objects"), 64))
        review = Review(
            review_id=str(after["id"])[:100],
            kind=kind,
            camera=str(after["camera"])[:64],
            start_time=float(after["start_time"]),
            end_time=None if end is None else float(end),
            objects=objects,
            zones=_texts(data.get("zones"), 64)[:16],
            detections=_texts(data.get("detections"), 100),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        _unreadable(f"{type(exc).__name__}: {str(exc)[:100]}")
        return None
    if after.get("severity") != ALERT or not PERSON_OR_VEHICLE.intersection(review.objects):
        return None
    return review


def read_available(payload: bytes) -> str | None:
    """Frigate's ``<prefix>/available`` message: ``online`` or ``offline``; None for anything else."""
    state = payload[:32].decode("utf-8", "replace").strip().lower()
    return state if state in ("online", "offline") else None


def read_status(prefix: str, topic: str, payload: bytes) -> CameraStatus | None:
    """The camera status a ``<prefix>/<camera>/status/<role>`` message gives, or None."""
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != prefix or parts[2] != "status":
        return None
    state = payload.decode("utf-8", "replace").strip().lower()
    if state not in STATES:
        return None
    return CameraStatus(camera=parts[1][:64], role=parts[3][:16], state=state)


MAX_SNAPSHOT = 2 * 1024 * 1024  # bytes: a detection's JPEG is some tens of kilobytes
JPEG_TYPES = frozenset({"image/jpeg", "image/jpg"})


def snapshot_problem(content_type: str, body: bytes, limit: int = MAX_SNAPSHOT) -> str:
    """Why an answer to a snapshot request is not a JPEG to keep, in English; empty when it is one.

    ``body`` is what was read of the answer, at most ``limit + 1`` bytes (one more than allowed tells
    an answer too large without reading all of it)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind not in JPEG_TYPES:
        return f"Frigate answered {kind or 'no content type'}, not image/jpeg"
    if len(body) > limit:
        return f"the picture is larger than {limit} bytes"
    if not body.startswith(b"\xff\xd8\xff"):
        return "the answer is not a JPEG (it does not start like one)"
    return ""
