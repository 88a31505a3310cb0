"""Units in the field: their status machine, their engagement on events, their timers and positions.

A unit moves only along :data:`TRANSITIONS`; any other change is refused with the legal ones named.
Engaging a unit on an event opens an :class:`Assignment` (alerted, then acknowledged, en route, on
scene, released); the unit's own status changes fill its times. A unit that leaves the engaged statuses
(:data:`ENGAGED`: available, returning, unavailable…) has cleared the event: its assignment is
released. Each change is kept as a :class:`StatusChange` and written to the logbook in the same
transaction (the services do that).

Timers (per unit type, :data:`KIND_TIMERS`): an alert not acknowledged in time, a unit on scene past
its type's limit, a status not updated for long; each flags the unit (:data:`FLAGS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.errors import Conflict, InvalidInput
from tocsin.domain.resources import UNIT_STATUSES, Unit

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "available": ("alerted", "unavailable", "out_of_service"),
    "alerted": ("acknowledged", "available", "unavailable"),
    "acknowledged": ("en_route", "available"),
    "en_route": ("on_scene", "available"),
    "on_scene": ("transporting", "returning", "available"),
    "transporting": ("at_destination",),
    "at_destination": ("returning", "available"),
    "returning": ("available", "alerted"),
    "unavailable": ("available", "out_of_service"),
    "out_of_service": ("available",),
}
ENGAGEABLE = ("available", "returning")  # a unit one may alert (a returning one is free again)
ENGAGED = ("alerted", "acknowledged", "en_route", "on_scene", "transporting", "at_destination")
ALERT_ONLY = "alerted"  # set by engaging a unit on an event, never by a status change alone
TIMES = {  # the assignment's time each status fills
    "alerted": "alerted_at",
    "acknowledged": "acknowledged_at",
    "en_route": "en_route_at",
    "on_scene": "on_scene_at",
}
FLAGS = ("ack_overdue", "on_scene_long", "status_stale")
CALLSIGN_MAX, TEXT_MAX, EQUIPMENT_MAX, CREW_MAX = 200, 2000, 30, 99
REPORT_KINDS = ("situation", "message", "reinforcement")


@dataclass(frozen=True, slots=True)
class Timers:
    """A unit type's limits, in seconds: alert to acknowledgment, time on scene, a status unchanged."""

    ack_s: int = 60
    on_scene_s: int = 3600
    stale_s: int = 1800


DEFAULT_TIMERS = Timers()
KIND_TIMERS: dict[str, Timers] = {
    "guard": Timers(ack_s=60, on_scene_s=2700, stale_s=1800),
    "keyholder": Timers(ack_s=120, on_scene_s=3600, stale_s=2700),
    "police": Timers(ack_s=45, on_scene_s=3600, stale_s=1800),
    "fire": Timers(ack_s=30, on_scene_s=7200, stale_s=1800),
    "ambulance": Timers(ack_s=30, on_scene_s=2400, stale_s=1200),
}
STALE_STATUSES = ("acknowledged", "en_route", "transporting", "at_destination", "returning")


def timers_for(kind: str) -> Timers:
    """The timers of a unit type (the defaults for a type not listed)."""
    return KIND_TIMERS.get(kind, DEFAULT_TIMERS)


@dataclass(frozen=True, slots=True)
class Assignment:
    """A unit engaged on an event, with the times of its progress; open until ``released_at``."""

    id: UUID
    tenant_id: UUID
    incident_id: UUID
    unit_id: UUID
    callsign: str
    alerted_at: datetime
    acknowledged_at: datetime | None = None
    en_route_at: datetime | None = None
    on_scene_at: datetime | None = None
    released_at: datetime | None = None
    by: str = ""

    @property
    def active(self) -> bool:
        return self.released_at is None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One line of a unit's status history."""

    id: UUID
    tenant_id: UUID
    unit_id: UUID
    status: str
    previous: str
    at: datetime
    incident_id: UUID | None = None
    by: str = ""


class IllegalTransition(InvalidInput):
    """A status change the machine does not allow."""


class AlreadyEngaged(Conflict):
    """The unit is engaged on an event already."""


def legal_next(status: str) -> tuple[str, ...]:
    """The statuses a unit in ``status`` may move to by a status change (alerted comes by engaging)."""
    return tuple(s for s in TRANSITIONS.get(status, ()) if s != ALERT_ONLY)


def check_status(status: str) -> str:
    if status not in UNIT_STATUSES:
        raise InvalidInput(f"Unit status {status!r} is unknown; use one of {', '.join(UNIT_STATUSES)}.")
    return status


def check_move(unit: Unit, target: str, *, engaging: bool = False) -> None:
    """Refuse a change the machine does not allow, naming the legal ones."""
    check_status(target)
    if target == unit.status:
        raise IllegalTransition(f"Unit {unit.callsign} is {unit.status} already: nothing to change.")
    allowed = TRANSITIONS[unit.status] if engaging else legal_next(unit.status)
    if target == ALERT_ONLY and not engaging:
        raise IllegalTransition(
            f"A unit is alerted by engaging it on an event (POST /api/v1/events/ID/engage), not by a"
            f" status change; {unit.callsign} ({unit.status}) may become: {_named(allowed)}."
        )
    if target not in allowed:
        raise IllegalTransition(
            f"Unit {unit.callsign} is {unit.status}: it cannot become {target}; it may become:"
            f" {_named(allowed)}."
        )


def _named(statuses: tuple[str, ...]) -> str:
    return ", ".join(statuses) if statuses else "nothing (engage it on an event first)"


def check_engageable(unit: Unit) -> None:
    """A unit may be engaged when it is free: available, or returning from an event it cleared."""
    if unit.event_id is not None:
        raise AlreadyEngaged(
            f"Unit {unit.callsign} is engaged on event {unit.event_id} already: release it there first,"
            " or choose another unit."
        )
    if unit.status not in ENGAGEABLE:
        raise IllegalTransition(
            f"Unit {unit.callsign} is {unit.status}: only an available or returning unit can be"
            " engaged. Choose another unit."
        )


def progressed(assignment: Assignment, status: str, at: datetime) -> Assignment:
    """The assignment with the time of ``status`` filled (first time only), released when cleared."""
    name = TIMES.get(status)
    if name is not None and getattr(assignment, name) is None:
        times: dict[str, Any] = {name: at}
        assignment = replace(assignment, **times)
    if status not in ENGAGED and assignment.released_at is None:
        assignment = replace(assignment, released_at=at)
    return assignment


def release_target(unit: Unit) -> str:
    """The status a unit takes when the room releases it from its event."""
    if unit.status in ("alerted", "acknowledged", "en_route"):
        return "available"
    if unit.status in ("on_scene", "at_destination"):
        return "returning"
    raise IllegalTransition(
        f"Unit {unit.callsign} is {unit.status}: it is released once at its destination (or when it"
        " reports available)."
    )


# ---------------------------------------------------------------- positions

M_PER_DEG_LAT = 111_320.0


def snap(
    latitude: float, longitude: float, segments: list[tuple[tuple[float, float], tuple[float, float]]]
) -> tuple[float, float, float] | None:
    """The nearest point of the segments to the position, and its distance in metres (flat projection:
    exact enough within a town); None when there is no segment."""
    best: tuple[float, float, float] | None = None
    shrink = math.cos(math.radians(latitude))
    for (lat1, lon1), (lat2, lon2) in segments:
        ax, ay = (lon1 - longitude) * shrink, lat1 - latitude
        bx, by = (lon2 - longitude) * shrink, lat2 - latitude
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        px, py = ax + t * dx, ay + t * dy
        metres = math.hypot(px, py) * M_PER_DEG_LAT
        if best is None or metres < best[2]:
            best = (latitude + py, longitude + px / shrink, metres)
    return best


# ---------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class ChangeUnitStatus(Command):
    unit_id: UUID
    status: str
    by: str
    crew_of: UUID | None = None  # the user, when a crew acts: its login reports for its own unit only


@dataclass(frozen=True, slots=True)
class MoveUnit(Command):
    unit_id: UUID
    latitude: float
    longitude: float
    by: str
    accuracy_m: float | None = None
    crew_of: UUID | None = None


@dataclass(frozen=True, slots=True)
class EngageUnits(Command):
    incident_id: UUID
    unit_ids: tuple[UUID, ...]
    by: str


@dataclass(frozen=True, slots=True)
class ReleaseUnit(Command):
    incident_id: UUID
    unit_id: UUID
    by: str


@dataclass(frozen=True, slots=True)
class ReportFromUnit(Command):
    """A situation update, a message to the room or a reinforcement request, on the unit's event."""

    unit_id: UUID
    kind: str
    text: str
    by: str
    crew_of: UUID | None = None


@dataclass(frozen=True, slots=True)
class CreateUnit(Command):
    tenant_id: UUID
    callsign: str
    kind: str
    capabilities: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    crew: int = 0
    station: str = ""
    latitude: float | None = None
    longitude: float | None = None
    user_id: UUID | None = None  # the crew's login, linked to this unit
