"""The demo room's notification matrix: which partner services each kind of event calls for, on which
channel, with which message template (plain data; the seeding use case turns partner kinds into ids)."""

from __future__ import annotations

TEMPLATES = (
    {
        "code": "police_request",
        "name": "Demande d'intervention police",
        "text": "CSU Valmont — demande d'intervention {priority} : {type_label_fr} au {address}. "
        "Appelant : {caller_name?} {caller_phone?}. {summary?} Canal : {radio?}. Réf. Tocsin {event_id}.",
    },
    {
        "code": "fire_request",
        "name": "Demande de concours sapeurs-pompiers",
        "text": "CSU Valmont — {type_label_fr} ({priority}) au {address} ({latitude?}, {longitude?}). "
        "Appelant : {caller_phone}. {summary?} Réf. Tocsin {event_id}.",
    },
    {
        "code": "samu_request",
        "name": "Information SAMU (centre 15)",
        "text": "CSU Valmont — {type_label_fr} ({priority}) au {address}. Appelant joignable au "
        "{caller_phone}. {summary?} Réf. Tocsin {event_id}.",
    },
    {
        "code": "utility_notice",
        "name": "Information exploitant (gaz, électricité, rail)",
        "text": "CSU Valmont — {type_label_fr} au {address}, ouvert {opened_at}. {summary?} "
        "Merci de rappeler l'opérateur {operator}. Réf. Tocsin {event_id}.",
    },
)

# (partner kind, event type code or "", category or "", most urgent priority told, channel, template)
RULES = (
    ("police", "", "police", 3, "phone", "police_request"),
    ("police", "ROAD_ACCIDENT", "", 3, "phone", "police_request"),
    ("police", "ALARM_HOLDUP", "", 5, "radio", "police_request"),
    ("fire", "", "fire", 5, "phone", "fire_request"),
    ("fire", "", "rescue", 3, "phone", "fire_request"),
    ("fire", "GAS_LEAK", "", 5, "phone", "fire_request"),
    ("samu", "", "medical", 5, "phone", "samu_request"),
    ("samu", "ROAD_ACCIDENT", "", 2, "phone", "samu_request"),
    ("gas", "GAS_LEAK", "", 5, "phone", "utility_notice"),
    ("gas", "EXPLOSION", "", 5, "phone", "utility_notice"),
    ("power", "FLOOD", "", 3, "email", "utility_notice"),
    ("rail", "PERSON_IN_WATER", "", 1, "phone", "utility_notice"),
)
