"""The station health's words: its alarm classes (queue labels and logbook words) and its page."""

from __future__ import annotations

CLASS_WORDS: dict[str, dict[str, str]] = {
    "clock_offset": {"en": "clock offset", "fr": "décalage d'horloge"},
    "clock_unsynchronised": {"en": "clock unsynchronised", "fr": "horloge non synchronisée"},
    "ups_on_battery": {"en": "UPS on battery", "fr": "onduleur sur batterie"},
    "ups_low_battery": {"en": "UPS battery low", "fr": "batterie de l'onduleur faible"},
    "ups_unreachable": {"en": "UPS unreachable", "fr": "onduleur injoignable"},
    "storage_low": {"en": "storage low", "fr": "espace disque faible"},
}

UI: dict[str, dict[str, str]] = {
    "class.clock_offset": {"en": "Clock offset", "fr": "Horloge décalée"},
    "class.clock_unsynchronised": {"en": "Clock unsynced", "fr": "Horloge non synchro"},
    "class.ups_on_battery": {"en": "UPS on battery", "fr": "Onduleur batterie"},
    "class.ups_low_battery": {"en": "UPS battery low", "fr": "Onduleur faible"},
    "class.ups_unreachable": {"en": "UPS unreachable", "fr": "Onduleur muet"},
    "class.storage_low": {"en": "Storage low", "fr": "Disque plein"},
    "station.title": {"en": "Station health", "fr": "Santé de la station"},
    "station.back": {"en": "Back to the console", "fr": "Retour à la console"},
    "station.refresh": {"en": "Refreshed every 10 s", "fr": "Actualisé toutes les 10\u00a0s"},
    "station.node": {"en": "Node", "fr": "Nœud"},
    "station.processes": {"en": "Processes", "fr": "Processus"},
    "station.processor": {"en": "Signal processing", "fr": "Traitement des signaux"},
    "station.backlog": {"en": "Signals waiting", "fr": "Signaux en attente"},
    "station.lag": {"en": "Oldest waiting", "fr": "Plus ancien en attente"},
    "station.database": {"en": "Database", "fr": "Base de données"},
    "station.storage": {"en": "Data folder", "fr": "Dossier de données"},
    "station.free": {"en": "free", "fr": "libres"},
    "station.journal": {"en": "Journal backlog", "fr": "Journal en attente"},
    "station.consoles": {"en": "Console connections", "fr": "Consoles connectées"},
    "station.clock": {"en": "Clock", "fr": "Horloge"},
    "station.offset": {"en": "Offset", "fr": "Décalage"},
    "station.ups": {"en": "Power (UPS)", "fr": "Alimentation (onduleur)"},
    "station.alarms": {"en": "Open alarms", "fr": "Alarmes ouvertes"},
    "station.checked": {"en": "Checked", "fr": "Vérifié"},
    "station.state.ok": {"en": "OK", "fr": "OK"},
    "station.state.off": {"en": "Not configured", "fr": "Non configuré"},
    "station.state.offset": {"en": "Offset past the limit", "fr": "Décalage hors limite"},
    "station.state.unanswered": {"en": "No answer yet", "fr": "Pas encore de réponse"},
    "station.state.unsynchronised": {"en": "Unsynchronised", "fr": "Non synchronisée"},
    "station.state.on_line": {"en": "On line", "fr": "Sur secteur"},
    "station.state.on_battery": {"en": "On battery", "fr": "Sur batterie"},
    "station.state.low_battery": {"en": "Battery low", "fr": "Batterie faible"},
    "station.state.unreachable": {"en": "Unreachable", "fr": "Injoignable"},
    "station.state.low": {"en": "Space low", "fr": "Espace faible"},
    "station.state.unknown": {"en": "Unknown", "fr": "Inconnu"},
    "station.state.down": {"en": "Down", "fr": "En panne"},
    "station.state.unmonitored": {
        "en": "Not watched by this process",
        "fr": "Non surveillé par ce processus",
    },
    "station.forbidden": {
        "en": "The station's health is for supervisors: ask one of them.",
        "fr": "La santé de la station est réservée aux superviseurs\u00a0: demandez à l\u2019un d\u2019eux.",
    },
    "station.unreachable": {
        "en": "The server does not answer: the figures shown are the last ones read.",
        "fr": "Le serveur ne répond pas\u00a0: les chiffres affichés sont les derniers lus.",
    },
}
