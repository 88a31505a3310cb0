"""Requisitions by the authorities and the exports that answer them (Code de la sécurité intérieure,
L252-3 and R252-11: who asked for which footage, what was extracted and when it was delivered).

A :class:`Requisition` names the authority, its reference, when it was received and what it asks for. An
export answers one: a clip with a visible watermark naming the user who exported it, a manifest with
the files' SHA-256 signed with the node's key; the export is a ``clip.exported`` entry (a line of the
register, mode ``export``, its reason the requisition) and the requisition is marked delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from tocsin.domain.errors import InvalidInput
from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef

MAX_TEXT = 500
MAX_CAMERAS = 64


@dataclass(frozen=True, slots=True)
class Requisition:
    """One authority's request for footage."""

    id: UUID
    tenant_id: UUID
    authority: str
    reference: str
    received_at: datetime
    request: str = ""  # what it asks for, in its own words
    recorded_by: str = ""
    delivered_at: datetime | None = None
    camera_ids: tuple[UUID, ...] = ()  # the cameras it asks for, when named
    asked_from: datetime | None = None  # the time range it asks for, when given
    asked_to: datetime | None = None
    delivery_note: str = ""  # how it was handed over, to whom

    def __post_init__(self) -> None:
        for name in ("authority", "reference"):
            value = getattr(self, name).strip()
            if not value or len(value) > MAX_TEXT // 5:
                raise InvalidInput(f"A requisition needs its {name} (1 to {MAX_TEXT // 5} characters).")
        if len(self.request) > MAX_TEXT or len(self.delivery_note) > MAX_TEXT:
            raise InvalidInput(f"Say what the requisition asks for in at most {MAX_TEXT} characters.")
        if len(self.camera_ids) > MAX_CAMERAS:
            raise InvalidInput(f"A requisition names at most {MAX_CAMERAS} cameras: enter it in parts.")
        if (self.asked_from is None) != (self.asked_to is None):
            raise InvalidInput("Give both ends of the time range asked for (from and to), or neither.")
        if self.asked_from is not None and self.asked_to is not None and self.asked_to <= self.asked_from:
            raise InvalidInput("The time range asked for ends before it starts: give it in order.")


@dataclass(frozen=True, slots=True)
class VideoExport:
    """One export of a camera's footage over a time range: for a requisition, or for a stated reason.

    ``folder`` is where its files are: a name under the node's export folder (an export made through
    the API, downloadable) or the folder the command line was given (``tocsin video export --out``).
    """

    id: UUID
    tenant_id: UUID
    site_id: UUID
    camera_id: UUID
    camera_name: str
    start: datetime
    end: datetime
    reason: str
    exported_by: str  # the user's name (username)
    exported_at: datetime
    folder: str
    manifest_sha256: str
    key_id: str
    frames: int
    requisition_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequisitionRecorded(Event):
    """A requisition was received and entered in the register."""

    KIND: ClassVar[str] = "requisition.recorded"
    MESSAGE: ClassVar[str] = "requisition.recorded"
    requisition_id: UUID
    authority: str
    reference: str
    received_at: datetime

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("requisition", str(self.requisition_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequisitionDelivered(Event):
    """The footage a requisition asked for was handed over to its authority (``note``: how, to whom)."""

    KIND: ClassVar[str] = "requisition.delivered"
    MESSAGE: ClassVar[str] = "requisition.delivered"
    requisition_id: UUID
    reference: str
    delivered_at: datetime
    note: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("requisition", str(self.requisition_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipExported(Event):
    """A clip was exported for a requisition: who, which camera, what time range, the manifest's hash."""

    KIND: ClassVar[str] = "clip.exported"
    MESSAGE: ClassVar[str] = "clip.exported"
    site_id: UUID
    client_id: UUID
    camera_id: UUID
    clip_id: UUID  # the first clip the footage came from
    requisition_id: UUID | None  # None: an export for a stated reason
    name: str
    mode: str  # "export", as the register's lines read
    start: datetime
    end: datetime
    reason: str  # the requisition (authority and reference), or the reason stated
    user: str
    manifest_sha256: str
    key_id: str
    export_id: UUID | None = None  # the export's record (entries written before it existed have none)

    def subjects(self) -> tuple[SubjectRef, ...]:
        about = [SubjectRef("camera", str(self.camera_id))]
        if self.requisition_id is not None:
            about.append(SubjectRef("requisition", str(self.requisition_id)))
        if self.export_id is not None:
            about.append(SubjectRef("export", str(self.export_id)))
        return (*about, SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportDownloaded(Event):
    """An export's files were downloaded (a copy left the node): who, which export."""

    KIND: ClassVar[str] = "export.downloaded"
    MESSAGE: ClassVar[str] = "export.downloaded"
    site_id: UUID
    client_id: UUID
    camera_id: UUID
    export_id: UUID
    name: str
    user: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (
            SubjectRef("export", str(self.export_id)),
            SubjectRef("camera", str(self.camera_id)),
            SubjectRef("site", str(self.site_id)),
        )

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id
