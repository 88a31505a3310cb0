"""Incidents in the exchange formats: OASIS CAP 1.2 out and in, NENA EIDO (NENA-STA-021) JSON out.

CAP carries the type as two event codes (``tocsin:type``, our code; ``APCO-2.103``, the common incident
type) and the priority, state and départ réflexe as parameters, so a Tocsin room reading another's alert
gets the same event; an alert from elsewhere is typed by its APCO code, else by its CAP category. No
caller's name or number leaves in CAP (a public-alerting format): they stay in the room.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain import incidents as i
from tocsin.domain.errors import InvalidInput
from tocsin.domain.nomenclature import IncidentType
from tocsin.protocols import cap
from tocsin.services.nomenclature import tenant_types
from tocsin.services.unit_of_work import UnitOfWork

TYPE_CODE, APCO_CODE = "tocsin:type", "APCO-2.103"
CAP_CATEGORY = {
    "fire": "Fire",
    "rescue": "Rescue",
    "medical": "Health",
    "police": "Security",
    "security": "Security",
    "technical": "Infra",
    "other": "Other",
}
CATEGORY_TYPE = {"Fire": "FIRE_SMOKE", "Rescue": "ASSISTANCE", "Health": "UNWELL_PERSON", "Security": "OTHER"}
URGENCY = {1: "Immediate", 2: "Immediate", 3: "Expected", 4: "Future", 5: "Future"}
SEVERITY = {1: "Extreme", 2: "Severe", 3: "Moderate", 4: "Minor", 5: "Minor"}
PRIORITY_OF_SEVERITY = {"Extreme": 1, "Severe": 2, "Moderate": 3, "Minor": 4}
EIDO_STATUS = {"open": "Created", "dispatched": "Dispatched", "on_scene": "OnScene", "closing": "Clearing"}
CIRCLE_KM = 0.3


def to_cap(incident: i.Incident, sender: str, category: str = "other") -> bytes:
    """The incident as a CAP 1.2 alert: one info in English and one in French (``category``: its type's,
    from the nomenclature)."""
    parameters = (
        ("tocsin:priority", str(incident.priority)),
        ("tocsin:state", incident.state),
        ("tocsin:reflex", "true" if incident.reflex else "false"),
    )
    codes = ((TYPE_CODE, incident.type_code), (APCO_CODE, incident.apco))
    circle = (
        "" if incident.latitude is None else f"{incident.latitude:.6f},{incident.longitude:.6f} {CIRCLE_KM}"
    )
    cap_category = CAP_CATEGORY.get(category, "Other")

    def info(language: str, label: str) -> cap.CapInfo:
        return cap.CapInfo(
            language=language,
            category=cap_category,
            event=label,
            urgency=URGENCY.get(incident.priority, "Unknown"),
            severity=SEVERITY.get(incident.priority, "Unknown"),
            certainty="Observed",
            headline=f"P{incident.priority} {label}"[:160],
            description=incident.summary or label,
            event_codes=codes,
            parameters=parameters,
            area_desc=incident.address or "?",
            circle=circle,
        )

    alert = cap.CapAlert(
        identifier=f"tocsin-{incident.id}",
        sender=sender.replace(" ", "_").replace(",", "_") or "tocsin",
        sent=incident.updated_at,
        status="Actual",
        msg_type="Alert" if incident.is_open else "Cancel",
        scope="Restricted",
        restriction="Emergency and security operations rooms only",
        incidents=str(incident.id),
        infos=(info("en-GB", incident.type_label_en), info("fr-FR", incident.type_label_fr)),
    )
    return cap.write(alert)


def read_cap(document: bytes) -> cap.CapAlert:
    """A CAP alert from its XML, or InvalidInput with the validator's reason (nothing is created)."""
    try:
        alert = cap.read(document)
    except cap.CapInvalid as exc:
        raise InvalidInput(f"This is not a valid CAP 1.2 alert: {exc}") from None
    if not alert.infos:
        raise InvalidInput("This CAP alert has no info block: there is no event to open.")
    if alert.msg_type not in {"Alert", "Update"}:
        raise InvalidInput(f"A CAP {alert.msg_type} opens no event: send an Alert or an Update.")
    return alert


def _type_of(types: dict[str, IncidentType], info: cap.CapInfo) -> IncidentType:
    codes = dict(info.event_codes)
    own = types.get(codes.get(TYPE_CODE, "").upper())
    if own is not None and own.active:
        return own
    apco = codes.get(APCO_CODE)
    same = [t for t in types.values() if t.active and apco and t.apco == apco]
    if same:
        return same[0]
    fallback = types.get(CATEGORY_TYPE.get(info.category, "OTHER")) or types.get("OTHER")
    if fallback is None:
        raise InvalidInput("No event type of the nomenclature fits this alert, and there is no OTHER type.")
    return fallback


def cap_command(uow: UnitOfWork, alert: cap.CapAlert, tenant_id: UUID, by: str) -> i.CreateIncident:
    """The command that opens an event for a CAP alert (read in a read transaction; typed by its codes)."""
    info = next((x for x in alert.infos if x.language.lower().startswith("fr")), alert.infos[0])
    kind = _type_of(tenant_types(uow, tenant_id), info)
    parameters = dict(info.parameters)
    priority = parameters.get("tocsin:priority", "")
    given = int(priority) if priority.isdigit() and 1 <= int(priority) <= 5 else None
    point = cap.point_of(info)
    place = i.Place(
        latitude=None if point is None else point[0],
        longitude=None if point is None else point[1],
        address=info.area_desc[:500],
    )
    summary = info.description or info.headline or info.event
    return i.CreateIncident(
        tenant_id=tenant_id,
        type_code=kind.code,
        place=place,
        by=by,
        origin="cap",
        priority=given or PRIORITY_OF_SEVERITY.get(info.severity),
        summary=summary[:2000],
        source_ref=f"{alert.sender} {alert.identifier}"[:200],
        note=f"CAP {alert.msg_type} {alert.identifier} from {alert.sender}: {info.headline or info.event}"[
            :2000
        ],
    )


# ---------------------------------------------------------------- NENA EIDO


def _stamp(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds")


def to_eido(incident: i.Incident, agency: str = "tocsin.local") -> dict[str, Any]:
    """The incident as a NENA EIDO 1.0 JSON document: incident, location, notes and the issuing agency."""
    stamp = _stamp(incident.updated_at)
    prologue = {"lastUpdateTimeStamp": stamp, "updatedByAgencyReference": {"$ref": agency}}
    incident_uri = f"urn:emergency:uid:incidentid:{incident.id.hex}:{agency}"
    location_id = f"urn:emergency:uid:locationid:{incident.id.hex}:{agency}"
    notes = [
        {
            "$id": f"urn:emergency:uid:notesid:{incident.id.hex}-{n}:{agency}",
            "lastUpdateTimeStamp": str(note.get("at", stamp)),
            "updatedByAgencyReference": {"$ref": agency},
            "notesActionComments": str(note.get("text", "")),
        }
        for n, note in enumerate(incident.notes)
    ]
    location: dict[str, Any] = {
        "$id": location_id,
        **prologue,
        "locationTypeDescriptionRegistryText": "geodetic" if incident.latitude is not None else "civic",
        "locationDescriptionText": incident.address or "?",
    }
    if incident.latitude is not None:
        location["locationByValue"] = (
            '<gml:Point xmlns:gml="http://www.opengis.net/gml" srsName="urn:ogc:def:crs:EPSG::4326">'
            f"<gml:pos>{incident.latitude} {incident.longitude}</gml:pos></gml:Point>"
        )
    status = ["Closed"] if incident.state == "closed" else [EIDO_STATUS[incident.state]]
    return {
        "$id": incident_uri,
        **prologue,
        "eidoVersion": "1.0",
        "issuingElementIdentification": f"tocsin.{agency}",
        "incidentComponent": {
            "$id": incident_uri,
            **prologue,
            "incidentTypeCommonRegistryText": incident.apco,
            "incidentTypeInternalCode": incident.type_code,
            "incidentTypeInternalText": incident.type_label_en,
            "incidentStatusInternalText": [incident.state],
            "incidentStatusCommonRegistryText": status,
            "internalIncidentId": str(incident.id),
            "incidentPriorityInternalText": f"P{incident.priority}",
            "incidentCommonPriorityNumber": incident.priority,
            "locationReference": [{"$ref": location_id}],
            "notesReference": [{"$ref": n["$id"]} for n in notes],
        },
        "locationComponent": [location],
        "notesComponent": notes,
        "agencyComponent": [
            {
                "$id": agency,
                **prologue,
                "agencyRoleDescriptionRegistryText": ["Dispatching"],
                "agencyType": ["psap"],
                "incidentOwningAgencyIndicator": True,
            }
        ],
    }
