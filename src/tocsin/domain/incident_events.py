"""Domain events of dispatch incidents. Every entry carries the incident as it now stands, so a console
keeps its event board from the logbook alone (as alarm entries do for the queue).

An incident's entries name no site or client for the logbook's scoped readers: what a caller said is the
room's, so only readers of the whole tenant's logbook see them (a client reading its sites' logbook does
not), whatever site the incident is linked to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef

BOARD_KEYS = (
    "incident_id",
    "type_code",
    "type_label_en",
    "type_label_fr",
    "apco",
    "priority",
    "reflex",
    "state",
    "origin",
    "address",
    "latitude",
    "longitude",
    "site_id",
    "opened_at",
    "missing",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentEvent(Event):
    """Something happened to an incident (a base: never recorded itself)."""

    incident_id: UUID
    type_code: str
    type_label_en: str
    type_label_fr: str
    apco: str
    priority: int
    reflex: bool
    state: str
    origin: str
    address: str
    latitude: float | None
    longitude: float | None
    site_id: UUID | None
    opened_at: datetime
    missing: tuple[str, ...] = ()
    by: str = ""

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("incident", str(self.incident_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentOpened(IncidentEvent):
    """An incident was opened."""

    KIND: ClassVar[str] = "incident.opened"
    MESSAGE: ClassVar[str] = "incident.opened"
    caller_name: str = ""
    caller_phone: str = ""
    answers_text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentUpdated(IncidentEvent):
    """An incident's type, priority, place, caller or state changed."""

    KIND: ClassVar[str] = "incident.updated"
    MESSAGE: ClassVar[str] = "incident.updated"
    changes: str = ""  # "field: before → after; …"


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentNoted(IncidentEvent):
    """A line of the narrative was written."""

    KIND: ClassVar[str] = "incident.note"
    MESSAGE: ClassVar[str] = "incident.note"
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentLinked(IncidentEvent):
    """An alarm, site, camera or another incident was linked (a duplicate call is linked this way)."""

    KIND: ClassVar[str] = "incident.linked"
    MESSAGE: ClassVar[str] = "incident.linked"
    link_kind: str = ""
    link_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentTypeChanged(Event):
    """An administrator changed an entry of the tenant's nomenclature."""

    KIND: ClassVar[str] = "incident_type.changed"
    MESSAGE: ClassVar[str] = "incident_type.changed"
    code: str
    label_en: str
    label_fr: str
    default_priority: int
    active: bool
