"""Logbook events of a site import: one per client, schedule or site the import created or changed
(a site's entry says what changed among its transmitters, zones and contacts), and one for the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordImported(Event):
    """A client, schedule or site (``what``) was created or updated by an import; ``detail`` says what
    changed (the fields, and for a site its transmitters, zones and contacts)."""

    KIND: ClassVar[str] = "directory.imported"
    MESSAGE: ClassVar[str] = "directory.imported"
    what: str
    key: str
    action: str  # created, updated
    record_id: UUID
    detail: str
    site_id: UUID | None = None
    client_id: UUID | None = None

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef(self.what, str(self.record_id)),)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportDone(Event):
    """A file was imported: its name, its SHA-256, and the counts of what it created and changed."""

    KIND: ClassVar[str] = "directory.import_done"
    MESSAGE: ClassVar[str] = "directory.import_done"
    file: str
    sha256: str
    created: int
    updated: int
    unchanged: int
    summary: str
    skipped: str = ""

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("tenant", str(self.tenant_id)),)
