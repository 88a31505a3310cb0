"""Incidents, their types and the questioning's answers as plain JSON views (the API, CLI and console)."""

from __future__ import annotations

from typing import Any

from tocsin.domain import incidents as i
from tocsin.domain.nomenclature import Assessment, IncidentType, type_data
from tocsin.i18n import render


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def board_view(incident: i.Incident) -> dict[str, Any]:
    """What the board shows of an incident (one row)."""
    return {
        "id": str(incident.id),
        "type_code": incident.type_code,
        "type_label_en": incident.type_label_en,
        "type_label_fr": incident.type_label_fr,
        "apco": incident.apco,
        "priority": incident.priority,
        "reflex": incident.reflex,
        "state": incident.state,
        "origin": incident.origin,
        "address": incident.address,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "site_id": None if incident.site_id is None else str(incident.site_id),
        "opened_at": incident.opened_at.isoformat(),
        "updated_at": incident.updated_at.isoformat(),
        "closed_at": _iso(incident.closed_at),
        "missing": list(incident.missing),
        "version": incident.version,
    }


def incident_view(incident: i.Incident, language: str = "en") -> dict[str, Any]:
    """An incident's file: the board's row, the caller, the answers, links, narrative and timeline."""
    return board_view(incident) | {
        "address_id": incident.address_id,
        "client_id": None if incident.client_id is None else str(incident.client_id),
        "caller_name": incident.caller_name,
        "caller_phone": incident.caller_phone,
        "source_ref": incident.source_ref,
        "summary": incident.summary,
        "created_by": incident.created_by,
        "answers": dict(incident.answers),
        "links": [{"kind": x.kind, "id": x.id} for x in incident.links],
        "notes": [dict(n) for n in incident.notes],
        "timeline": [
            {
                "seq": t.seq,
                "at": t.at.isoformat(),
                "kind": t.kind,
                "actor": t.actor,
                "text": render(t.message, t.params, language),
            }
            for t in incident.timeline
        ],
    }


def assessment_view(assessment: Assessment, kind: IncidentType) -> dict[str, Any]:
    return {
        "type_code": kind.code,
        "priority": assessment.priority,
        "reflex": assessment.reflex,
        "reasons": list(assessment.reasons),
        "missing": list(assessment.missing),
        "next_question": assessment.next_question,
        "response_plan": [{"unit_type": p.unit_type, "count": p.count} for p in kind.response_plan]
        if assessment.reflex
        else [],
        "notify": list(kind.notify),
    }


def candidate_view(candidate: i.Candidate) -> dict[str, Any]:
    return board_view(candidate.incident) | {
        "distance_m": None if candidate.distance_m is None else round(candidate.distance_m, 1),
        "minutes_ago": round(candidate.minutes_ago, 1),
    }


def type_view(kind: IncidentType) -> dict[str, Any]:
    return type_data(kind)
