"""The console's words for the event board (dispatch events), in English and French; merged into
``ui.UI``. French: « évènement » (rectified spelling) throughout."""

from __future__ import annotations

EVENTS_UI: dict[str, dict[str, str]] = {
    "events.title": {"en": "Events", "fr": "Évènements"},
    "events.empty": {"en": "No open event", "fr": "Aucun évènement en cours"},
    "events.priority": {"en": "Pri.", "fr": "Prio."},
    "events.type": {"en": "Type", "fr": "Type"},
    "events.place": {"en": "Place", "fr": "Lieu"},
    "events.state": {"en": "State", "fr": "État"},
    "events.age": {"en": "Age", "fr": "Âge"},
    "events.reflex": {"en": "IMMEDIATE DISPATCH", "fr": "DÉPART RÉFLEXE"},
    "events.state.open": {"en": "open", "fr": "ouvert"},
    "events.state.dispatched": {"en": "dispatched", "fr": "engagé"},
    "events.state.on_scene": {"en": "on scene", "fr": "sur les lieux"},
    "events.state.closing": {"en": "closing", "fr": "en clôture"},
    "events.state.closed": {"en": "closed", "fr": "clos"},
    "events.file": {"en": "Event file", "fr": "Fiche de l\u2019évènement"},
    "events.caller": {"en": "Caller", "fr": "Appelant"},
    "events.answers": {"en": "Answers", "fr": "Réponses"},
    "events.missing": {"en": "Still to ask", "fr": "Reste à demander"},
    "events.timeline": {"en": "Timeline", "fr": "Chronologie"},
    "events.load_failed": {
        "en": "The events could not be read: the board will try again.",
        "fr": "Lecture des évènements impossible\u00a0: le tableau réessaiera.",
    },
    "keys.events": {"en": "events", "fr": "évènements"},
    "help.events": {
        "en": "The event board: ↑ ↓ to choose, Enter to open an event\u2019s file",
        "fr": "Le tableau des évènements\u00a0: ↑ ↓ pour choisir, Entrée pour ouvrir la fiche",
    },
}
