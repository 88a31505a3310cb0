"""An event's situation as EMSI (ISO/TR 22351, Emergency Management Shared Information), in the JSON
form the French health emergency services' exchange hub (Hub Santé, ANS) publishes for the EMSI
message: ``CONTEXT`` (the message), ``EVENT`` (what, where, when, how far along) and ``MISSION`` (one per
partner service asked to act, with the state of its answer).

The codes come from the EMSI nomenclature as the hub documents it; ``reference/emsi.schema.json``
holds the fields and codes Tocsin writes, and the tests validate every export against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tocsin.domain import incidents as i
from tocsin.domain.partners import PartnerRequest

# The event's category (ETYPE.CATEGORY) by nomenclature category, with more precise codes by type.
CATEGORY = {
    "fire": "FIR",
    "rescue": "ASR",
    "medical": "HLT",
    "police": "PSW",
    "security": "PSW/ALM",
    "technical": "PSW",
    "other": "PSW",
}
CATEGORY_OF_TYPE = {
    "ROAD_ACCIDENT": "TRP/COL",
    "GAS_LEAK": "EXP/GAS",
    "EXPLOSION": "EXP/UKN",
    "FLOOD": "FLD",
    "HAZMAT": "POL/CHM",
    "SUSPICIOUS_PACKAGE": "PSW/PKG",
    "LOST_CHILD": "PSW/MIS",
    "MISSING_VULNERABLE": "PSW/MIS",
    "PUBLIC_DISORDER": "PSW/RIOT",
    "PERSON_IN_WATER": "ASR/WAT",
    "SUSPICIOUS_PERSON": "PSW/SUS",
}
# Who or what is affected (ETYPE.ACTOR).
ACTOR_OF_CATEGORY = {"fire": "BEV", "technical": "BEV", "security": "BEV"}
ACTOR_OF_TYPE = {
    "FIRE_VEHICLE": "VEH",
    "ROAD_ACCIDENT": "VEH",
    "ROAD_OBSTRUCTION": "VEH",
    "ANIMAL": "ANI",
    "FIRE_VEGETATION": "PPL",
    "LOST_CHILD": "PPL/CHD",
}
# What a partner service of each kind is asked to do (MISSION.TYPE).
MISSION_OF_KIND = {
    "police": "GEN/SUPRTN",
    "gendarmerie": "GEN/SUPRTN",
    "fire": "FFST/FR_FIRE",
    "samu": "SAV/AR/FR_MED",
    "gas": "FSTT/TA",
    "power": "FSTT/TA",
    "rail": "FSTT/TA",
    "other": "GEN/SUPRTN",
}
EVENT_STATUS = {"open": "NST", "dispatched": "IPR", "on_scene": "IPR", "closing": "STOP", "closed": "COM"}
SOURCE = {"call": "HUMDED", "operator": "HUMOBS", "alarm": "SENSOR", "api": "COMFOR", "cap": "COMFOR"}
FREETEXT_MAX = 2000


def stamp(value: datetime) -> str:
    """A time as EMSI writes it: seconds, and the offset in full (``2026-12-01T08:00:00+00:00``)."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _geo(incident: i.Incident) -> list[dict[str, Any]]:
    position: dict[str, Any] = {"TYPE": "POINT", "COORDSYS": "EPSG-4326"}
    if incident.latitude is not None and incident.longitude is not None:
        position["COORD"] = [{"LAT": incident.latitude, "LONG": incident.longitude}]
    if incident.address:
        position["ADDRESS"] = [incident.address]
    return [{"DATIME": stamp(incident.opened_at), "TYPE": "GEN", "POSITION": position}]


def _freetext(incident: i.Incident) -> str:
    lines = [incident.summary, *(str(n.get("text", "")) for n in incident.notes)]
    return "\n".join(x for x in lines if x)[:FREETEXT_MAX]


def _mission(request: PartnerRequest) -> dict[str, Any]:
    mission = {
        "TYPE": MISSION_OF_KIND.get(request.partner_kind, "GEN/SUPRTN"),
        "ID": str(request.id),
        "NAME": request.partner_name,
        "STATUS": "IPR" if request.acknowledged else "NST",
        "START_TIME": stamp(request.sent_at),
        "FREETEXT": request.message[:FREETEXT_MAX],
    }
    if request.reference:
        mission["FREETEXT"] = f"{mission['FREETEXT']}\n[ref. {request.reference}]"[:FREETEXT_MAX]
    return mission


def to_emsi(
    incident: i.Incident,
    category: str,
    requests: Sequence[PartnerRequest],
    *,
    message_id: UUID,
    organisation: str,
    sender: str,
    now: datetime,
) -> dict[str, Any]:
    """The EMSI message of the event as it now stands (``ALERT`` while nobody was asked yet)."""
    context: dict[str, Any] = {
        "ID": str(message_id),
        "MODE": "ACTUAL",
        "MSGTYPE": "UPDATE" if requests else "ALERT",
        "CREATION": stamp(now),
        "LEVEL": "OPR",
        "SECLASS": "RESTRC",
        "URGENCY": "URGENT" if incident.priority <= 2 else "NOT_URGENT",
        "ORIGIN": {"ORG_ID": organisation, "USER_ID": sender, "NAME": "Tocsin"},
    }
    event: dict[str, Any] = {
        "ID": str(incident.id),
        "NAME": f"{incident.type_label_fr} - {incident.address or '?'}"[:300],
        "MAIN_EVENT_ID": f"{organisation}.{incident.id}",
        "ETYPE": {
            "CATEGORY": [CATEGORY_OF_TYPE.get(incident.type_code, CATEGORY.get(category, "PSW"))],
            "ACTOR": [ACTOR_OF_TYPE.get(incident.type_code, ACTOR_OF_CATEGORY.get(category, "PPL"))],
            "LOCTYPE": ["OTH"],
        },
        "SOURCE": SOURCE.get(incident.origin, "HUMDED"),
        "SCALE": str(6 - incident.priority),  # P1, the most urgent, is the highest level (5)
        "DECL_DATIME": stamp(incident.opened_at),
        "OCC_DATIME": stamp(incident.opened_at),
        "OBS_DATIME": stamp(incident.updated_at),
        "STATUS": EVENT_STATUS[incident.state],
        "EGEO": _geo(incident),
    }
    text = _freetext(incident)
    if text:
        event["FREETEXT"] = text
    document: dict[str, Any] = {"CONTEXT": context, "EVENT": event}
    if requests:
        document["MISSION"] = [_mission(r) for r in requests]
    return document
