"""Words of the debrief page (an event's timeline replayed on the map) and its entry point on the event
board, in English and French (merged into ``ui.UI``)."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "debrief.title": {"en": "Debrief", "fr": "Débriefing"},
    "debrief.open": {"en": "Debrief", "fr": "Débriefing"},
    "debrief.open_hint": {
        "en": "Replay the event's timeline on the map",
        "fr": "Rejouer la chronologie de l\u2019événement sur la carte",
    },
    "debrief.back": {"en": "Back to the console", "fr": "Retour à la console"},
    "debrief.forbidden": {
        "en": "Only those who handle events read their debrief: ask a supervisor.",
        "fr": "Seuls ceux qui traitent les événements en lisent le débriefing\u00a0: demandez à un"
        " superviseur.",
    },
    "debrief.error": {
        "en": "The debrief could not be read ({detail}): reload the page.",
        "fr": "Le débriefing n\u2019a pas pu être lu ({detail})\u00a0: rechargez la page.",
    },
    "debrief.truncated": {
        "en": "This event is long: only its first logbook entries are replayed (the tocsin events debrief"
        " command says how many).",
        "fr": "Cet événement est long\u00a0: seules ses premières entrées de main courante sont rejouées (la"
        " commande tocsin events debrief dit combien).",
    },
    "debrief.empty": {
        "en": "Nothing to replay: the logbook holds no entry of this event.",
        "fr": "Rien à rejouer\u00a0: la main courante ne contient aucune entrée de cet événement.",
    },
    "debrief.map": {"en": "Map of the replay", "fr": "Carte du rejeu"},
    "debrief.no_place": {
        "en": "Neither the event nor its units have a position: the timeline is replayed without a map.",
        "fr": "Ni l\u2019événement ni ses moyens n\u2019ont de position\u00a0: la chronologie est rejouée"
        " sans carte.",
    },
    "debrief.controls": {"en": "Replay controls", "fr": "Commandes du rejeu"},
    "debrief.play": {"en": "Play", "fr": "Lecture"},
    "debrief.pause": {"en": "Pause", "fr": "Pause"},
    "debrief.prev": {"en": "Previous step", "fr": "Étape précédente"},
    "debrief.next": {"en": "Next step", "fr": "Étape suivante"},
    "debrief.time": {"en": "Time since the call", "fr": "Temps depuis l\u2019appel"},
    "debrief.speed": {"en": "Speed", "fr": "Vitesse"},
    "debrief.units": {"en": "Units at this moment", "fr": "Moyens à cet instant"},
    "debrief.unit": {"en": "Unit", "fr": "Moyen"},
    "debrief.unit_kind": {"en": "Type", "fr": "Type"},
    "debrief.status": {"en": "Status", "fr": "Statut"},
    "debrief.position": {"en": "Position", "fr": "Position"},
    "debrief.no_position": {"en": "not reported", "fr": "non transmise"},
    "debrief.released": {"en": "released", "fr": "désengagé"},
    "debrief.no_units": {"en": "No unit engaged yet.", "fr": "Aucun moyen engagé pour l\u2019instant."},
    "debrief.steps": {"en": "Timeline", "fr": "Chronologie"},
    "debrief.step_count": {"en": "{count} steps", "fr": "{count}\u00a0étapes"},
    "debrief.event_marker": {"en": "The event: {label}", "fr": "L\u2019événement\u00a0: {label}"},
    "debrief.key_play": {"en": "play / pause", "fr": "lecture / pause"},
    "debrief.key_step": {"en": "previous / next step", "fr": "étape précédente / suivante"},
    "debrief.key_back": {"en": "back to the console", "fr": "retour à la console"},
    "keys.debrief": {"en": "debrief", "fr": "débriefing"},
    "help.debrief": {
        "en": "The open event\u2019s debrief: its timeline replayed on the map (Space plays, ← → step, Esc"
        " comes back)",
        "fr": "Le débriefing de l\u2019événement ouvert\u00a0: sa chronologie rejouée sur la carte (Espace"
        " lit, ← → pas à pas, Échap revient)",
    },
}
