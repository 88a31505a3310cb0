"""Frigate's MQTT messages, read without I/O: ``<prefix>/events`` (one tracked object's new, update and
end) and ``<prefix>/<camera>/status/<role>`` / ``<prefix>/available`` (online, offline, disabled).

Only what the room acts on is kept: a person or a vehicle that Frigate no longer takes for a false
positive, and a camera's stream going offline or back online. Anything else reads as ``None``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

PERSON_OR_VEHICLE = frozenset({"person", "car", "motorcycle", "bicycle", "bus", "truck", "boat"})
STATES = frozenset({"online", "offline", "disabled"})


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
