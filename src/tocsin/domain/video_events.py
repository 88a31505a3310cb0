"""Events of video protection: cameras added, changed and removed, and each viewing (the register).

A :class:`CameraViewed` entry is one line of the register article R252-11 of the Code de la sécurité
intérieure asks for: who viewed which camera, live or played back, over what time range and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef


@dataclass(frozen=True, slots=True, kw_only=True)
class _CameraEvent(Event):
    site_id: UUID
    client_id: UUID
    camera_id: UUID
    name: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("camera", str(self.camera_id)), SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraAdded(_CameraEvent):
    """A camera was declared on a site, with its retention limit."""

    KIND: ClassVar[str] = "camera.added"
    MESSAGE: ClassVar[str] = "camera.added"
    retention_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraChanged(_CameraEvent):
    """A camera's record changed (``fields`` names what; a new password is named, never shown)."""

    KIND: ClassVar[str] = "camera.changed"
    MESSAGE: ClassVar[str] = "camera.changed"
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraRemoved(_CameraEvent):
    """A camera was taken off its site."""

    KIND: ClassVar[str] = "camera.removed"
    MESSAGE: ClassVar[str] = "camera.removed"


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraViewed(_CameraEvent):
    """A user viewed a camera, live or played back, for a declared reason (a line of the register)."""

    KIND: ClassVar[str] = "camera.viewed"
    MESSAGE: ClassVar[str] = "camera.viewed"
    mode: str
    start: datetime
    end: datetime | None
    reason: str
    user: str
