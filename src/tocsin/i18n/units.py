"""Words of units in English and French: the logbook's messages (merged into ``catalogue.MESSAGES`` and
``WORDS``) and the labels of the board and the units' mobile page (merged into ``ui.UI``)."""

from __future__ import annotations

STATUS_WORDS: dict[str, dict[str, str]] = {
    "available": {"en": "available", "fr": "disponible"},
    "alerted": {"en": "alerted", "fr": "alerté"},
    "acknowledged": {"en": "acknowledged", "fr": "acquitté"},
    "en_route": {"en": "en route", "fr": "en route"},
    "on_scene": {"en": "on scene", "fr": "sur les lieux"},
    "transporting": {"en": "transporting", "fr": "en transport"},
    "at_destination": {"en": "at destination", "fr": "arrivé à destination"},
    "returning": {"en": "returning", "fr": "retour"},
    "unavailable": {"en": "unavailable", "fr": "indisponible"},
    "out_of_service": {"en": "out of service", "fr": "hors service"},
}
FLAG_WORDS: dict[str, dict[str, str]] = {
    "ack_overdue": {"en": "alert not acknowledged", "fr": "alerte non acquittée"},
    "on_scene_long": {"en": "on scene too long", "fr": "trop longtemps sur les lieux"},
    "status_stale": {"en": "status not updated", "fr": "statut non mis à jour"},
    "situation": {"en": "situation update", "fr": "point de situation"},
    "message": {"en": "message", "fr": "message"},
    "reinforcement": {"en": "reinforcement request", "fr": "demande de renfort"},
}
WORDS: dict[str, dict[str, str]] = {**STATUS_WORDS, **FLAG_WORDS}
TRANSLATED_PARAMS = ("status", "previous", "flag", "report_kind")

MESSAGES: dict[str, dict[str, str]] = {
    "unit.created": {
        "en": "Unit {callsign} ({unit_kind}) created at {station}",
        "fr": "Moyen {callsign} ({unit_kind}) créé à {station}",
    },
    "unit.engaged": {
        "en": "Unit {callsign} engaged on event {type_code} at {address}: alerted",
        "fr": "Moyen {callsign} engagé sur l\u2019événement {type_code} à {address}\u00a0: alerté",
    },
    "unit.status": {
        "en": "Unit {callsign}: {previous} → {status}",
        "fr": "Moyen {callsign}\u00a0: {previous} → {status}",
    },
    "unit.released": {
        "en": "Unit {callsign} released from its event: {previous} → {status}",
        "fr": "Moyen {callsign} désengagé de son événement\u00a0: {previous} → {status}",
    },
    "unit.position": {
        "en": "Unit {callsign} at {latitude}, {longitude}",
        "fr": "Moyen {callsign} à {latitude}, {longitude}",
    },
    "unit.flagged": {
        "en": "Unit {callsign} ({status}): {flag} after {seconds} s",
        "fr": "Moyen {callsign} ({status})\u00a0: {flag} après {seconds}\u00a0s",
    },
    "incident.unit_report": {
        "en": "{callsign}, {report_kind}: {text}",
        "fr": "{callsign}, {report_kind}\u00a0: {text}",
    },
}

UI_STRINGS: dict[str, dict[str, str]] = {
    **{
        f"unit.status.{k}": {"en": v["en"].capitalize(), "fr": v["fr"].capitalize()}
        for k, v in STATUS_WORDS.items()
    },
    **{f"unit.flag.{k}": v for k, v in FLAG_WORDS.items()},
    "units.engaged": {"en": "Units", "fr": "Moyens"},
    "units.none": {"en": "no unit", "fr": "aucun moyen"},
    "units.engage": {"en": "Engage", "fr": "Engager"},
    "units.release": {"en": "Release", "fr": "Désengager"},
    "units.choose": {"en": "A free unit to engage", "fr": "Un moyen libre à engager"},
    "mobile.title": {"en": "Unit", "fr": "Moyen"},
    "mobile.unlinked": {
        "en": "Your login is linked to no unit: ask a supervisor to link it (tocsin units add --user).",
        "fr": "Votre compte n\u2019est lié à aucun moyen\u00a0: demandez à un superviseur de le lier"
        " (tocsin units add --user).",
    },
    "mobile.assignment": {"en": "Current assignment", "fr": "Mission en cours"},
    "mobile.no_assignment": {
        "en": "No assignment: you will see it here when the room engages you.",
        "fr": "Aucune mission\u00a0: elle s\u2019affichera ici quand la salle vous engagera.",
    },
    "mobile.status": {"en": "Status", "fr": "Statut"},
    "mobile.position": {"en": "Share my position", "fr": "Partager ma position"},
    "mobile.position_on": {"en": "Position shared", "fr": "Position partagée"},
    "mobile.position_off": {
        "en": "This browser gives no position.",
        "fr": "Ce navigateur ne donne pas de position.",
    },
    "mobile.messages": {"en": "Messages and updates", "fr": "Messages et points de situation"},
    "mobile.text": {"en": "Text", "fr": "Texte"},
    "mobile.send_situation": {"en": "Situation update", "fr": "Point de situation"},
    "mobile.send_message": {"en": "Message to the room", "fr": "Message à la salle"},
    "mobile.reinforcement": {"en": "Request reinforcement", "fr": "Demander du renfort"},
    "mobile.sent": {"en": "Sent: it is in the logbook.", "fr": "Envoyé\u00a0: c\u2019est en main courante."},
    "mobile.refused": {"en": "Refused", "fr": "Refusé"},
    "mobile.offline": {
        "en": "Connection lost: retrying…",
        "fr": "Connexion perdue\u00a0: nouvel essai…",
    },
    "mobile.live_on": {"en": "● Live", "fr": "● En direct"},
    "mobile.live_off": {
        "en": "○ Live link down: checked every 30 s",
        "fr": "○ Liaison directe coupée\u00a0: vérifié toutes les 30 s",
    },
    "mobile.address": {"en": "Address", "fr": "Adresse"},
    "mobile.event": {"en": "Event", "fr": "Événement"},
    "mobile.flag": {"en": "Warning", "fr": "Alerte"},
    "mobile.console": {"en": "Open the unit page", "fr": "Ouvrir la page du moyen"},
    "mobile.logout": {"en": "Log out", "fr": "Se déconnecter"},
}
