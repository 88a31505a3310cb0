"""Cameras of a site and their compliance record (Code de la sécurité intérieure, L251-1 to L255-1).

A camera is placed on the map (position and field of view), names where its streams are (RTSP, HTTP
MJPEG, a snapshot address) and carries what the law asks a room to hold for it: the prefectoral
authorisation (reference and expiry), the purposes it was authorised for, how long its footage may be
kept (L252-5: one month at most), whether the public is told (signage), and the privacy masks blacked
out in every image shown, clipped or exported. Everything here is pure validation; the password to a
camera never lives on this object (it is kept in the node's key folder, see ``credential_ref``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit
from uuid import UUID

from tocsin.domain.errors import InvalidInput

MAX_RETENTION_DAYS = 30
MAX_MASKS = 16
MAX_MASK_POINTS = 32
MAX_PURPOSES = 10
MAX_RANGE_METRES = 5000
PURPOSES = (
    "protection_of_buildings",
    "protection_of_people",
    "prevention_of_theft",
    "traffic_regulation",
    "prevention_of_terrorism",
    "natural_risks",
    "fire_safety",
    "public_safety",
)
VIEW_MODES = ("live", "playback")
ViewMode = Literal["live", "playback"]
VIEW_REASONS = (
    "alarm_verification",
    "incident_investigation",
    "incident_follow_up",
    "requisition",
    "patrol",
    "maintenance",
    "other",
)
MIN_REASON, MAX_REASON = 3, 200  # a typed reason, trimmed


def view_reason(kind: str | None, text: str | None) -> str:
    """The register's reason for a viewing: a listed kind (``requisition`` with its reference, ``other``
    with the typed text, any kind with an optional detail), or, with no kind, a listed kind or free text
    of 3 to 200 characters. Anything else is refused with the choices."""
    detail = (text or "").strip()
    if kind is None:
        if detail in VIEW_REASONS:
            return detail
        if not MIN_REASON <= len(detail) <= MAX_REASON:
            raise InvalidInput(
                "A reason is required to view a camera (the register the law asks for records it):"
                f" choose one of {', '.join(VIEW_REASONS)} or type one ({MIN_REASON} to {MAX_REASON}"
                " characters)."
            )
        return detail
    if kind not in VIEW_REASONS:
        raise InvalidInput(f"reason_kind is one of {', '.join(VIEW_REASONS)}, not {kind!r}.")
    if kind == "requisition" and not 1 <= len(detail) <= MAX_REASON // 2:
        raise InvalidInput("A viewing for a requisition names its reference in reason (1 to 100 characters).")
    if kind == "other" and not MIN_REASON <= len(detail) <= MAX_REASON:
        raise InvalidInput(f"Type the reason in reason ({MIN_REASON} to {MAX_REASON} characters).")
    if kind == "other":
        return detail
    if len(detail) > MAX_REASON:
        raise InvalidInput(f"The reason's detail is at most {MAX_REASON} characters.")
    return f"{kind} {detail}" if detail else kind


Point = tuple[float, float]
Polygon = tuple[Point, ...]
_STREAM_SCHEMES = {
    "rtsp_url": ("rtsp", "rtsps"),
    "mjpeg_url": ("http", "https"),
    "snapshot_url": ("http", "https"),
}
_FRIGATE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Camera:
    """One camera of a site, with its streams and compliance record."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    name: str
    latitude: float | None = None
    longitude: float | None = None
    bearing: float | None = None  # degrees from north, where the camera looks
    view_angle: float | None = None  # degrees, the width of the field of view
    view_range: float | None = None  # metres the camera usefully sees
    rtsp_url: str = ""
    mjpeg_url: str = ""
    snapshot_url: str = ""
    username: str = ""
    credential_ref: str | None = None  # the password's file in the node's key folder, never the password
    frigate_name: str = ""  # the camera's name in Frigate, when Frigate watches it
    authorisation_ref: str = ""
    authorisation_expires: date | None = None
    purposes: tuple[str, ...] = ()
    retention_days: int = MAX_RETENTION_DAYS
    signage: bool = False
    privacy_masks: tuple[Polygon, ...] = ()

    def __post_init__(self) -> None:
        masks = tuple(tuple((float(p[0]), float(p[1])) for p in m) for m in self.privacy_masks)
        object.__setattr__(self, "privacy_masks", masks)  # stored as JSON lists, used as tuples
        check_camera(self)

    def authorised_on(self, day: date) -> bool:
        """Whether the camera's authorisation is recorded and still valid on ``day``."""
        return bool(self.authorisation_ref) and (
            self.authorisation_expires is None or day <= self.authorisation_expires
        )


def check_camera(camera: Camera) -> None:
    """Refuse a camera whose record is not coherent, naming the field and the way out."""
    if not camera.name.strip() or len(camera.name) > 200:
        raise InvalidInput("A camera needs a name of 1 to 200 characters.")
    check_retention(camera.retention_days)
    _check_position(camera)
    for name, schemes in _STREAM_SCHEMES.items():
        check_stream_url(name, getattr(camera, name), schemes)
    if camera.frigate_name and not _FRIGATE_NAME.match(camera.frigate_name):
        raise InvalidInput("frigate_name is the camera's name in Frigate: letters, digits, '_' and '-' only.")
    if len(camera.purposes) > MAX_PURPOSES or any(not 1 <= len(p) <= 100 for p in camera.purposes):
        raise InvalidInput(f"A camera lists at most {MAX_PURPOSES} purposes of 1 to 100 characters.")
    if len(camera.authorisation_ref) > 100 or len(camera.username) > 100:
        raise InvalidInput("authorisation_ref and username are at most 100 characters.")
    check_masks(camera.privacy_masks)


def check_retention(days: int) -> None:
    """Footage is kept 1 to 30 days: the law (L252-5) caps it at one month."""
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise InvalidInput(
            f"Retention of {days} days refused: article L252-5 of the Code de la sécurité intérieure"
            f" keeps recordings at most one month; choose 1 to {MAX_RETENTION_DAYS} days (a requisition"
            " keeps what an authority asks for beyond that)."
        )


def _check_position(camera: Camera) -> None:
    if (camera.latitude is None) != (camera.longitude is None):
        raise InvalidInput("Give both latitude and longitude, or neither.")
    if camera.latitude is not None and not -90 <= camera.latitude <= 90:
        raise InvalidInput("latitude is between -90 and 90.")
    if camera.longitude is not None and not -180 <= camera.longitude <= 180:
        raise InvalidInput("longitude is between -180 and 180.")
    view = (camera.bearing, camera.view_angle, camera.view_range)
    if any(v is not None for v in view):
        if any(v is None for v in view) or camera.latitude is None:
            raise InvalidInput(
                "A field of view needs the camera's position and all of bearing, view_angle and view_range."
            )
        bearing, angle, reach = (float(v) for v in view)  # type: ignore[arg-type]  # none is None here
        if not 0 <= bearing < 360:
            raise InvalidInput("bearing is in degrees from north, 0 to less than 360.")
        if not 0 < angle <= 360:
            raise InvalidInput("view_angle is in degrees, more than 0 and at most 360.")
        if not 0 < reach <= MAX_RANGE_METRES:
            raise InvalidInput(f"view_range is in metres, more than 0 and at most {MAX_RANGE_METRES}.")


def check_stream_url(name: str, url: str, schemes: Sequence[str]) -> None:
    """An empty address, or one of the expected schemes with a host and no password inside."""
    if not url:
        return
    if len(url) > 500:
        raise InvalidInput(f"{name} is at most 500 characters.")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host, parts = None, None
    if parts is None or parts.scheme.lower() not in schemes or not host:
        raise InvalidInput(f"{name} must be a {' or '.join(schemes)} address with a host, not {url!r}.")
    if parts.username or parts.password or "@" in parts.netloc:
        raise InvalidInput(
            f"{name} must not carry a user or password: give them as username and password, so the"
            " password is kept as a secret and never shown."
        )


def check_masks(masks: Iterable[Polygon]) -> None:
    """Privacy masks: at most 16 simple polygons of 3 to 32 points, in image coordinates from 0 to 1
    (so a mask fits any resolution the camera streams), each with an area."""
    found = list(masks)
    if len(found) > MAX_MASKS:
        raise InvalidInput(f"A camera has at most {MAX_MASKS} privacy masks.")
    for number, polygon in enumerate(found, start=1):
        if not 3 <= len(polygon) <= MAX_MASK_POINTS:
            raise InvalidInput(f"Privacy mask {number} needs 3 to {MAX_MASK_POINTS} points.")
        if any(not (0 <= x <= 1 and 0 <= y <= 1) for x, y in polygon):
            raise InvalidInput(
                f"Privacy mask {number} has a point outside the image: coordinates go from 0 (left,"
                " top) to 1 (right, bottom)."
            )
        if _self_intersects(polygon):
            raise InvalidInput(f"Privacy mask {number} crosses itself: list its corners in order around it.")
        if abs(_area(polygon)) < 1e-6:
            raise InvalidInput(f"Privacy mask {number} has no area: its points are on one line.")


def _area(polygon: Polygon) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True))
        / 2
    )


def _self_intersects(polygon: Polygon) -> bool:
    edges = list(zip(polygon, polygon[1:] + polygon[:1], strict=True))
    count = len(edges)
    for i in range(count):
        for j in range(i + 1, count):
            if j == i + 1 or (i == 0 and j == count - 1):
                continue  # neighbours share a corner
            if _cross(*edges[i], *edges[j]):
                return True
    return False


def _orient(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    d1, d2, d3, d4 = _orient(c, d, a), _orient(c, d, b), _orient(a, b, c), _orient(a, b, d)
    return ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4)


def changed_fields(before: Camera, after: Camera) -> tuple[str, ...]:
    """The names of the fields that differ (for the logbook)."""
    return tuple(
        f.name for f in dataclasses.fields(Camera) if getattr(before, f.name) != getattr(after, f.name)
    )


@dataclass(frozen=True, slots=True)
class ViewRequest:
    """What an operator declares before viewing a camera (the R252-11 register's line)."""

    mode: ViewMode
    start: datetime
    end: datetime | None
    reason: str

    def __post_init__(self) -> None:
        if self.mode not in VIEW_MODES:
            raise InvalidInput(f"mode is one of {', '.join(VIEW_MODES)}, not {self.mode!r}.")
        if not self.reason.strip() or len(self.reason) > MAX_REASON + 100:
            raise InvalidInput(
                "A reason is required to view a camera (the register the law asks for records it):"
                f" choose one of {', '.join(VIEW_REASONS)} or type one ({MIN_REASON} to {MAX_REASON}"
                " characters)."
            )
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise InvalidInput("start and end need a time zone (for example 2026-11-30T21:00:00Z).")
        if self.end is not None and self.end < self.start:
            raise InvalidInput("end is before start: give the time range in order.")
        if self.mode == "playback" and self.end is None:
            raise InvalidInput("A playback names the end of the footage viewed as well as its start.")
