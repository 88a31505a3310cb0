"""Units as the API, the CLI and the pages show them: plain JSON values (field names are an interface)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain import units as u
from tocsin.domain.resources import Unit
from tocsin.services.queries import streets_around
from tocsin.services.unit_of_work import UnitOfWork

HISTORY_SHOWN = 50
NOTES_SHOWN = 50


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def unit_view(unit: Unit) -> dict[str, Any]:
    """A unit: its type, capabilities, equipment, crew, station, status, position, event and flag."""
    return {
        "id": str(unit.id),
        "tenant_id": str(unit.tenant_id),
        "callsign": unit.callsign,
        "kind": unit.kind,
        "status": unit.status,
        "capabilities": list(unit.capabilities),
        "equipment": list(unit.equipment),
        "crew": unit.crew,
        "station": unit.station,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "position_at": _iso(unit.position_at),
        "status_at": _iso(unit.status_at),
        "event_id": None if unit.event_id is None else str(unit.event_id),
        "flag": unit.flag,
        "legal_next": list(u.legal_next(unit.status)),
    }


def assignment_view(assignment: u.Assignment, unit: Unit | None = None) -> dict[str, Any]:
    shown = {
        "id": str(assignment.id),
        "event_id": str(assignment.incident_id),
        "unit_id": str(assignment.unit_id),
        "callsign": assignment.callsign,
        "alerted_at": assignment.alerted_at.isoformat(),
        "acknowledged_at": _iso(assignment.acknowledged_at),
        "en_route_at": _iso(assignment.en_route_at),
        "on_scene_at": _iso(assignment.on_scene_at),
        "released_at": _iso(assignment.released_at),
        "by": assignment.by,
    }
    if unit is not None:
        shown |= {"status": unit.status, "flag": unit.flag}
    return shown


def unit_file(uow: UnitOfWork, unit: Unit) -> dict[str, Any]:
    """A unit with its latest status changes, newest first."""
    history = sorted(uow.unit_history.find(unit_id=unit.id), key=lambda h: (h.at, h.id), reverse=True)
    return unit_view(unit) | {
        "history": [
            {
                "at": h.at.isoformat(),
                "status": h.status,
                "previous": h.previous,
                "event_id": None if h.incident_id is None else str(h.incident_id),
                "by": h.by,
            }
            for h in history[:HISTORY_SHOWN]
        ]
    }


def mine(uow: UnitOfWork, unit_id: UUID, language: str) -> dict[str, Any]:
    """What a crew's page shows: its unit and, when engaged, the event's place and narrative."""
    unit = uow.units.get(unit_id)
    if unit is None:
        return {"unit": None, "assignment": None}
    if unit.event_id is None:
        return {"unit": unit_view(unit), "assignment": None}
    incident = uow.incidents.get(unit.event_id)
    if incident is None:
        return {"unit": unit_view(unit), "assignment": None}
    label = incident.type_label_fr if language == "fr" else incident.type_label_en
    return {
        "unit": unit_view(unit),
        "assignment": {
            "event_id": str(incident.id),
            "type_code": incident.type_code,
            "type_label": label or incident.type_code,
            "priority": incident.priority,
            "state": incident.state,
            "address": incident.address,
            "latitude": incident.latitude,
            "longitude": incident.longitude,
            "summary": incident.summary,
            "notes": [dict(n) for n in incident.notes[-NOTES_SHOWN:]],
        },
    }


def cli_row(unit: Unit) -> dict[str, Any]:
    """``tocsin units list --json``: one unit (these field names are an interface)."""
    return {
        "id": str(unit.id),
        "callsign": unit.callsign,
        "kind": unit.kind,
        "status": unit.status,
        "capabilities": list(unit.capabilities),
        "station": unit.station,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "status_at": _iso(unit.status_at),
        "event_id": None if unit.event_id is None else str(unit.event_id),
    }


MAP_RADIUS_M = 500


def mine_map(uow: UnitOfWork, unit_id: UUID) -> dict[str, Any]:
    """The streets around the unit's event (or the unit itself when it is engaged on none)."""
    unit = uow.units.get(unit_id)
    if unit is None:
        return {"center": None, "unit": None, "streets": []}
    here = None if unit.latitude is None or unit.longitude is None else [unit.latitude, unit.longitude]
    incident = None if unit.event_id is None else uow.incidents.get(unit.event_id)
    center = here
    if incident is not None and incident.latitude is not None and incident.longitude is not None:
        center = [incident.latitude, incident.longitude]
    if center is None:
        return {"center": None, "unit": here, "streets": []}
    found = streets_around(uow, center[0], center[1], MAP_RADIUS_M)
    lines = [{"name": s.name, "points": [list(p) for p in s.points]} for s in found.lines]
    return {"center": center, "unit": here, "streets": lines}
