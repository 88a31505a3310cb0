"""Clips around alarms: the window a site's cameras are cut over, the clip attached, and its events.

When an alarm opens on a site with cameras, each camera's footage from ``pre_seconds`` before the first
signal to ``post_seconds`` after it is cut from the camera's ring buffer once the post-roll is recorded,
and attached to the alarm: a :class:`Clip`. The window is the site's (:class:`SiteVideo`), 10 s before
and 20 s after when the site sets none. Camera-health alarms (the camera itself is the subject) get no clip.
A Frigate detection's snapshot, fetched from Frigate once and kept, is attached the same way: a
:class:`Clip` of kind ``snapshot`` (one JPEG, its start and end the detection's time), under the same
retention, holds and scope as a clip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar
from uuid import UUID

from tocsin.domain.errors import InvalidInput
from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef

DEFAULT_PRE = 10
DEFAULT_POST = 20
MAX_PRE = 120
MAX_POST = 300
NO_CLIP_CLASSES = frozenset({"camera_down", "camera_frozen", "camera_tamper", "storage_low"})
CLIP = "clip"  # footage cut from a camera's ring buffer (an MP4)
SNAPSHOT = "snapshot"  # one picture a detector (Frigate) took of its detection (a JPEG)
KINDS = (CLIP, SNAPSHOT)


@dataclass(frozen=True, slots=True)
class SiteVideo:
    """A site's clip window around an alarm's first signal."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    pre_seconds: int = DEFAULT_PRE
    post_seconds: int = DEFAULT_POST

    def __post_init__(self) -> None:
        if not 0 <= self.pre_seconds <= MAX_PRE:
            raise InvalidInput(f"The time before an alarm is 0 to {MAX_PRE} seconds, not {self.pre_seconds}.")
        if not 1 <= self.post_seconds <= MAX_POST:
            raise InvalidInput(
                f"The time after an alarm is 1 to {MAX_POST} seconds, not {self.post_seconds}."
            )

    def window(self, first_signal: datetime) -> tuple[datetime, datetime]:
        """The clip's start and end around an alarm's first signal."""
        return (
            first_signal - timedelta(seconds=self.pre_seconds),
            first_signal + timedelta(seconds=self.post_seconds),
        )


@dataclass(frozen=True, slots=True)
class Clip:
    """One camera's footage around one alarm, cut and stored as a file."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    alarm_id: UUID
    camera_id: UUID
    camera_name: str
    start: datetime  # the first frame's time
    end: datetime  # the last frame's time
    file: str  # the file's name in the node's clip folder
    frames: int
    size: int
    sha256: str
    created_at: datetime
    hold: str = ""  # the requisition whose legal hold keeps it past its camera's retention
    purged_at: datetime | None = None  # when its file was deleted (the record stays, for the history)
    kind: str = CLIP  # one of KINDS

    @property
    def seconds(self) -> float:
        """How long the clip lasts."""
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, slots=True, kw_only=True)
class _ClipFootage(Event):
    """What the entries about a clip's footage share: the alarm, the camera and the time range."""

    alarm_id: UUID
    site_id: UUID
    client_id: UUID
    camera_id: UUID
    clip_id: UUID
    name: str
    start: datetime
    end: datetime
    sha256: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (
            SubjectRef("alarm", str(self.alarm_id)),
            SubjectRef("camera", str(self.camera_id)),
            SubjectRef("site", str(self.site_id)),
        )

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipAttached(_ClipFootage):
    """A clip of a camera was cut around an alarm and attached to it."""

    KIND: ClassVar[str] = "clip.attached"
    MESSAGE: ClassVar[str] = "clip.attached"


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotAttached(Event):
    """A detector's snapshot of a detection was fetched, kept and attached to the alarm it raised."""

    KIND: ClassVar[str] = "snapshot.attached"
    MESSAGE: ClassVar[str] = "snapshot.attached"
    alarm_id: UUID
    site_id: UUID
    client_id: UUID
    camera_id: UUID
    clip_id: UUID
    name: str
    source: str  # who took it: "Frigate"
    taken: datetime
    size: int
    sha256: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (
            SubjectRef("alarm", str(self.alarm_id)),
            SubjectRef("camera", str(self.camera_id)),
            SubjectRef("site", str(self.site_id)),
        )

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotFailed(Event):
    """A detector's snapshot could not be fetched or was refused (``problem``): nothing was attached."""

    KIND: ClassVar[str] = "snapshot.failed"
    MESSAGE: ClassVar[str] = "snapshot.failed"
    alarm_id: UUID
    site_id: UUID
    client_id: UUID
    camera_id: UUID
    name: str
    source: str
    problem: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("alarm", str(self.alarm_id)), SubjectRef("camera", str(self.camera_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipPurged(_ClipFootage):
    """A clip's footage was deleted: it passed its camera's retention limit (L252-5) with no hold."""

    KIND: ClassVar[str] = "clip.purged"
    MESSAGE: ClassVar[str] = "clip.purged"
    retention_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipHeld(Event):
    """A clip was put under a legal hold for a requisition (``hold``, its reference)."""

    KIND: ClassVar[str] = "clip.held"
    MESSAGE: ClassVar[str] = "clip.held"
    alarm_id: UUID
    site_id: UUID
    client_id: UUID
    camera_id: UUID
    clip_id: UUID
    name: str
    hold: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("alarm", str(self.alarm_id)), SubjectRef("camera", str(self.camera_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipReleased(ClipHeld):
    """A clip's legal hold ``hold`` was lifted: its camera's retention applies again."""

    KIND: ClassVar[str] = "clip.released"
    MESSAGE: ClassVar[str] = "clip.released"


def past_retention(clip: Clip, retention_days: int, now: datetime) -> bool:
    """Whether a clip's footage must go: its end older than the retention limit, and no legal hold."""
    return not clip.hold and clip.purged_at is None and clip.end < now - timedelta(days=retention_days)


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteVideoSet(Event):
    """A site's clip window changed."""

    KIND: ClassVar[str] = "site.video_set"
    MESSAGE: ClassVar[str] = "site.video_set"
    site_id: UUID
    client_id: UUID
    pre_seconds: int
    post_seconds: int

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("site", str(self.site_id)),)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id
