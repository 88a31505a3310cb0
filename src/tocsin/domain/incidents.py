"""Dispatch events ("incidents" in the code, so as not to mix them with domain events): a typed, located,
prioritised happening the room responds to, whatever the channel it came from (a call, an alarm, a
partner's webhook or CAP alert, an operator).

An incident moves open → dispatched → on_scene → closing → closed (a step may be skipped forward; it may
go back one step, and a closed one stays closed). Its narrative and timeline are kept on the record as
entries of the logbook are written, so a board reads one row per incident.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.errors import Conflict, InvalidInput
from tocsin.domain.nomenclature import Answer, Assessment, IncidentType

IncidentState = Literal["open", "dispatched", "on_scene", "closing", "closed"]
STATES: tuple[IncidentState, ...] = ("open", "dispatched", "on_scene", "closing", "closed")
OPEN_STATES: tuple[IncidentState, ...] = STATES[:-1]
Origin = Literal["call", "operator", "alarm", "api", "cap"]
ORIGINS: tuple[Origin, ...] = ("call", "operator", "alarm", "api", "cap")
LinkKind = Literal["alarm", "site", "camera", "incident"]
LINK_KINDS: tuple[LinkKind, ...] = ("alarm", "site", "camera", "incident")
NOTE_MAX, TIMELINE_MAX, LINKS_MAX = 2000, 1000, 200
EARTH_RADIUS_M = 6_371_008.8


class IncidentChanged(Conflict):
    """The incident changed since it was read (another operator's write won)."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where: coordinates and the address as typed or found (the geocoder is another module's)."""

    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    address_id: str = ""
    site_id: UUID | None = None

    def __post_init__(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise InvalidInput("A location needs both latitude and longitude, or neither.")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise InvalidInput("Latitude is between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise InvalidInput("Longitude is between -180 and 180.")

    @property
    def located(self) -> bool:
        return self.latitude is not None


@dataclass(frozen=True, slots=True)
class Link:
    kind: LinkKind
    id: str


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One logbook entry about the incident, as its file shows it (rendered in the reader's language)."""

    seq: int
    at: datetime
    kind: str
    message: str
    params: Mapping[str, Any]
    actor: str


@dataclass(frozen=True, slots=True)
class Incident:
    id: UUID
    tenant_id: UUID
    type_code: str
    type_label_en: str
    type_label_fr: str
    apco: str
    priority: int
    reflex: bool
    state: IncidentState
    origin: Origin
    opened_at: datetime
    updated_at: datetime
    created_by: str
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    address_id: str = ""
    site_id: UUID | None = None
    client_id: UUID | None = None
    caller_name: str = ""
    caller_phone: str = ""
    source_ref: str = ""  # the alarm id, the CAP identifier, the partner's own reference
    summary: str = ""
    answers: Mapping[str, Answer] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    notes: tuple[Mapping[str, Any], ...] = ()  # {"at", "by", "text"}: the narrative
    timeline: tuple[TimelineItem, ...] = ()
    closed_at: datetime | None = None
    version: int = 0

    @property
    def is_open(self) -> bool:
        return self.state != "closed"

    def linked(self, kind: LinkKind) -> list[str]:
        return [link.id for link in self.links if link.kind == kind]


# ---------------------------------------------------------------- rules


def may_move(current: IncidentState, target: IncidentState) -> bool:
    """Forward any number of steps, back one step (a unit called off the scene), never out of closed."""
    if current in {"closed", target}:
        return False
    here, there = STATES.index(current), STATES.index(target)
    return there > here or there == here - 1


def move(incident: Incident, target: IncidentState, now: datetime) -> Incident:
    if incident.state == "closed":
        raise InvalidInput(f"Event {incident.id} is closed: it changes no more. Open a new event instead.")
    if not may_move(incident.state, target):
        raise InvalidInput(f"An event {incident.state} cannot become {target}.")
    closed_at = now if target == "closed" else None
    return replace(incident, state=target, updated_at=now, closed_at=closed_at)


def still_open(incident: Incident) -> Incident:
    if incident.state == "closed":
        raise InvalidInput(
            f"Event {incident.id} is closed: it takes no more notes or links. Open a new event."
        )
    return incident


def retype(
    incident: Incident, kind: IncidentType, assessment: Assessment, answers: Mapping[str, Answer]
) -> Incident:
    """The incident typed (again) and prioritised from its answers."""
    return replace(
        incident,
        type_code=kind.code,
        type_label_en=kind.label_en,
        type_label_fr=kind.label_fr,
        apco=kind.apco,
        priority=assessment.priority,
        reflex=incident.reflex or assessment.reflex,
        answers=dict(answers),
        missing=assessment.missing,
    )


def add_link(incident: Incident, link: Link) -> Incident:
    if link in incident.links:
        return incident
    if len(incident.links) >= LINKS_MAX:
        raise InvalidInput(f"An event has at most {LINKS_MAX} links.")
    return replace(incident, links=(*incident.links, link))


def with_entry(incident: Incident, item: TimelineItem) -> Incident:
    """The incident with a logbook entry added to its timeline (the oldest dropped past the limit)."""
    timeline = (*incident.timeline, item)[-TIMELINE_MAX:]
    return replace(incident, timeline=timeline)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Near:
    """Where a duplicate search looks: within a radius of a point, or on a site."""

    latitude: float | None
    longitude: float | None
    radius_m: int
    site_id: UUID | None = None

    def box(self) -> tuple[float, float, float, float] | None:
        """(south, north, west, east) around the point, a little larger than the radius."""
        if self.latitude is None or self.longitude is None:
            return None
        dlat = math.degrees(self.radius_m * 1.01 / EARTH_RADIUS_M)
        dlon = dlat / max(0.01, math.cos(math.radians(self.latitude)))
        return self.latitude - dlat, self.latitude + dlat, self.longitude - dlon, self.longitude + dlon

    def admits(self, incident: Incident) -> bool:
        """Whether the incident is on the site or inside the box (the exact distance is checked later)."""
        if self.site_id is not None and incident.site_id == self.site_id:
            return True
        box, lat, lon = self.box(), incident.latitude, incident.longitude
        return (
            box is not None
            and lat is not None
            and lon is not None
            and box[0] <= lat <= box[1]
            and box[2] <= lon <= box[3]
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """An open incident a new call may be about: how far, how long ago."""

    incident: Incident
    distance_m: float | None
    minutes_ago: float


def duplicates(
    kind: IncidentType, place: Place, now: datetime, open_incidents: Iterable[Incident], limit: int = 5
) -> list[Candidate]:
    """Open incidents of the same or a compatible type, within the type's radius (or on the same site)
    and opened within its minutes: nearest first."""
    compatible = {kind.code, *kind.compatible}
    window = timedelta(minutes=kind.duplicate_minutes)
    found = []
    for other in open_incidents:
        if not other.is_open or other.type_code not in compatible or now - other.opened_at > window:
            continue
        distance = None
        here = (place.latitude, place.longitude)
        there = (other.latitude, other.longitude)
        if here[0] is not None and here[1] is not None and there[0] is not None and there[1] is not None:
            distance = distance_m(here[0], here[1], there[0], there[1])
        same_site = place.site_id is not None and place.site_id == other.site_id
        if same_site or (distance is not None and distance <= kind.duplicate_radius_m):
            found.append(Candidate(other, distance, (now - other.opened_at).total_seconds() / 60))
    found.sort(key=lambda c: (c.distance_m if c.distance_m is not None else 0.0, c.minutes_ago))
    return found[:limit]


# ---------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class CreateIncident(Command):
    tenant_id: UUID
    type_code: str
    place: Place
    by: str
    origin: Origin = "operator"
    answers: Mapping[str, Any] = field(default_factory=dict)
    priority: int | None = None  # an operator's override of the computed one
    caller_name: str = ""
    caller_phone: str = ""
    summary: str = ""
    source_ref: str = ""
    links: tuple[Link, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class CreateFromAlarm(Command):
    alarm_id: UUID
    type_code: str
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class UpdateIncident(Command):
    incident_id: UUID
    by: str
    state: IncidentState | None = None
    type_code: str | None = None
    answers: Mapping[str, Any] | None = None
    priority: int | None = None
    place: Place | None = None
    caller_name: str | None = None
    caller_phone: str | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class NoteIncident(Command):
    incident_id: UUID
    by: str
    text: str
    client_key: UUID | None = None  # a note kept by a console while the server was away: written once
    typed_at: datetime | None = None  # when it was typed


@dataclass(frozen=True, slots=True)
class LinkIncident(Command):
    incident_id: UUID
    by: str
    link: Link


@dataclass(frozen=True, slots=True)
class PutIncidentType(Command):
    tenant_id: UUID
    data: Mapping[str, Any]
