"""The console's words for the call-taking screen and the events map, in English and French; merged
into ``ui.UI``. French: « évènement » (rectified spelling) throughout."""

from __future__ import annotations

CALLTAKING_UI: dict[str, dict[str, str]] = {
    "call_screen.title": {"en": "Incoming call", "fr": "Appel entrant"},
    "call_screen.caller": {"en": "Caller", "fr": "Appelant"},
    "call_screen.phone": {"en": "Call-back number", "fr": "Numéro de rappel"},
    "call_screen.type": {"en": "Type (code or words)", "fr": "Type (code ou mots)"},
    "call_screen.type_none": {"en": "No type matches", "fr": "Aucun type ne correspond"},
    "call_screen.questions": {"en": "Questions", "fr": "Questions"},
    "call_screen.yes": {"en": "yes", "fr": "oui"},
    "call_screen.no": {"en": "no", "fr": "non"},
    "call_screen.unknown": {"en": "—", "fr": "—"},
    "call_screen.next": {"en": "ask next", "fr": "à demander"},
    "call_screen.priority": {"en": "Priority", "fr": "Priorité"},
    "call_screen.missing": {"en": "Still to ask", "fr": "Reste à demander"},
    "call_screen.place": {"en": "Address", "fr": "Adresse"},
    "call_screen.place_set": {"en": "Place: {label}", "fr": "Lieu\u00a0: {label}"},
    "call_screen.here": {"en": "Here", "fr": "Ici"},
    "call_screen.point": {"en": "Point {lat}, {lon}", "fr": "Point {lat}, {lon}"},
    "call_screen.no_centre": {
        "en": "No map yet: find an address first.",
        "fr": "Pas encore de carte\u00a0: cherchez d\u2019abord une adresse.",
    },
    "call_screen.narrative": {"en": "Narrative (Enter adds a line)", "fr": "Main courante (Entrée ajoute)"},
    "call_screen.duplicates": {"en": "Open events nearby", "fr": "Évènements en cours à proximité"},
    "call_screen.link": {"en": "Link to this one", "fr": "Rattacher à celui-ci"},
    "call_screen.linked": {"en": "Will be linked to {label}", "fr": "Sera rattaché à {label}"},
    "call_screen.create": {"en": "Create", "fr": "Créer"},
    "call_screen.cancel": {"en": "Close", "fr": "Fermer"},
    "call_screen.need_type": {
        "en": "Choose the event\u2019s type first.",
        "fr": "Choisissez d\u2019abord le type.",
    },
    "call_screen.created": {"en": "Event created: {label}", "fr": "Évènement créé\u00a0: {label}"},
    "call_screen.attached": {"en": "Call linked to {label}", "fr": "Appel rattaché à {label}"},
    "call_screen.notes_lost": {
        "en": "{count} narrative lines not recorded: add them on the event",
        "fr": "{count} lignes de main courante non enregistrées\u00a0: ajoutez-les à l\u2019évènement",
    },
    "events_map.title": {"en": "Events map", "fr": "Carte des évènements"},
    "events_map.empty": {
        "en": "No open event has a place",
        "fr": "Aucun évènement en cours n\u2019a de lieu",
    },
    "keys.call_screen": {"en": "new call", "fr": "nouvel appel"},  # P is "call back": both said "call"
    "help.call_screen": {
        "en": "The call-taking screen: Tab through caller, type, questions, address and narrative;"
        " Ctrl+Enter creates the event",
        "fr": "L\u2019écran de prise d\u2019appel\u00a0: Tab pour passer de l\u2019appelant au type, aux"
        " questions, à l\u2019adresse et à la main courante\u00a0; Ctrl+Entrée crée l\u2019évènement",
    },
}
