"""Domain events of units: each carries the unit as the board shows it (callsign, type, status, the
event it is engaged on, a timer's flag), so a console keeps its units from the logbook alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import Event
from tocsin.domain.incident_events import IncidentEvent
from tocsin.domain.logbook import SubjectRef

BOARD_KEYS = ("unit_id", "callsign", "unit_kind", "status", "incident_id", "flag")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitEvent(Event):
    """Something happened to a unit (a base: never recorded itself)."""

    unit_id: UUID
    callsign: str
    unit_kind: str
    status: str
    incident_id: UUID | None = None
    flag: str = ""
    by: str = ""

    def subjects(self) -> tuple[SubjectRef, ...]:
        unit = SubjectRef("unit", str(self.unit_id))
        if self.incident_id is None:
            return (unit,)
        return (unit, SubjectRef("incident", str(self.incident_id)))


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitEngaged(UnitEvent):
    """The room engaged (alerted) a unit on an event."""

    KIND: ClassVar[str] = "unit.engaged"
    MESSAGE: ClassVar[str] = "unit.engaged"
    address: str = ""
    type_code: str = ""
    latitude: float | None = None  # where the unit was when alerted (its last known position), for replays
    longitude: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitStatusChanged(UnitEvent):
    """A unit's status changed (by its crew or the room)."""

    KIND: ClassVar[str] = "unit.status"
    MESSAGE: ClassVar[str] = "unit.status"
    previous: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitReleased(UnitEvent):
    """The room released a unit from its event."""

    KIND: ClassVar[str] = "unit.released"
    MESSAGE: ClassVar[str] = "unit.released"
    previous: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitMoved(UnitEvent):
    """A unit's position was reported (snapped to the nearest road when the reference has one)."""

    KIND: ClassVar[str] = "unit.position"
    MESSAGE: ClassVar[str] = "unit.position"
    latitude: float
    longitude: float
    reported_latitude: float
    reported_longitude: float
    snapped_m: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitFlagged(UnitEvent):
    """A unit's timer ran out: an alert not acknowledged, too long on scene, a status left unchanged."""

    KIND: ClassVar[str] = "unit.flagged"
    MESSAGE: ClassVar[str] = "unit.flagged"
    seconds: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitCreated(UnitEvent):
    """A unit was added to the tenant's means."""

    KIND: ClassVar[str] = "unit.created"
    MESSAGE: ClassVar[str] = "unit.created"
    station: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitReported(IncidentEvent):
    """A unit on an event sent a situation update, a message or a reinforcement request (a line of the
    event's narrative, by the unit)."""

    KIND: ClassVar[str] = "incident.unit_report"
    MESSAGE: ClassVar[str] = "incident.unit_report"
    unit_id: UUID
    callsign: str
    report_kind: str
    text: str
