"""Domain events of telling partners and closing events: each is a logbook entry, and those about an
event carry the event as it stands (its board row) like the other incident entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import Event
from tocsin.domain.incident_events import IncidentEvent
from tocsin.domain.logbook import SubjectRef


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerRequested(IncidentEvent):
    """A message was sent to a partner service about the event."""

    KIND: ClassVar[str] = "incident.partner_requested"
    MESSAGE: ClassVar[str] = "incident.partner_requested"
    request_id: UUID
    partner_id: UUID
    partner_name: str
    channel: str
    sent_to: str
    template_code: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerAcknowledged(IncidentEvent):
    """A partner acknowledged a request, with its own reference if it gave one."""

    KIND: ClassVar[str] = "incident.partner_acknowledged"
    MESSAGE: ClassVar[str] = "incident.partner_acknowledged"
    request_id: UUID
    partner_name: str
    reference: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioAssigned(IncidentEvent):
    """A radio channel (and talk-group) was assigned to the event."""

    KIND: ClassVar[str] = "incident.radio_assigned"
    MESSAGE: ClassVar[str] = "incident.radio_assigned"
    channel: str
    talkgroup: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentReported(IncidentEvent):
    """The event's report (compte-rendu) was written or rewritten."""

    KIND: ClassVar[str] = "incident.reported"
    MESSAGE: ClassVar[str] = "incident.reported"
    outcomes: tuple[str, ...]
    dispositions: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectionFiled(IncidentEvent):
    """An operator filed a reference-data correction from the event."""

    KIND: ClassVar[str] = "incident.correction_filed"
    MESSAGE: ClassVar[str] = "incident.correction_filed"
    correction_id: UUID
    subject: str
    ref: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectionResolved(Event):
    """An administrator resolved a reference-data correction."""

    KIND: ClassVar[str] = "correction.resolved"
    MESSAGE: ClassVar[str] = "correction.resolved"
    correction_id: UUID
    incident_id: UUID
    subject: str
    ref: str
    resolution: str
    by: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (
            SubjectRef("incident", str(self.incident_id)),
            SubjectRef("correction", str(self.correction_id)),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixChanged(Event):
    """An administrator replaced the tenant's notification matrix and templates."""

    KIND: ClassVar[str] = "partners.matrix_changed"
    MESSAGE: ClassVar[str] = "partners.matrix_changed"
    rules: int
    templates: int
    by: str
