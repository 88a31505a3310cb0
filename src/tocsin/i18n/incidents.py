"""Logbook messages of dispatch incidents (events), merged into the catalogue."""

from __future__ import annotations

INCIDENT_MESSAGES: dict[str, dict[str, str]] = {
    "incident.opened": {
        "en": "Event P{priority} {type_code} ({type_label_en}) opened at {address} by {by}",
        "fr": "Évènement P{priority} {type_code} ({type_label_fr}) ouvert\u00a0: {address}, par {by}",
    },
    "incident.updated": {
        "en": "Event {type_code} at {address} changed by {by}: {changes}",
        "fr": "Évènement {type_code} ({address}) modifié par {by}\u00a0: {changes}",
    },
    "incident.note": {
        "en": "Note by {by} on event {type_code} at {address}: {text}",
        "fr": "Note de {by} sur l'évènement {type_code} ({address})\u00a0: {text}",
    },
    "incident.linked": {
        "en": "Event {type_code} at {address} linked to {link_kind} {link_id} by {by}",
        "fr": "Évènement {type_code} ({address}) lié à {link_kind} {link_id} par {by}",
    },
    "incident_type.changed": {
        "en": "Event type {code} ({label_en}) set: default priority P{default_priority}, active {active}",
        "fr": (
            "Type d'évènement {code} ({label_fr}) défini\u00a0: priorité P{default_priority}, actif {active}"
        ),
    },
}
