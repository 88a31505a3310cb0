"""The message catalogue: one key, one text per language, with ``{named}`` parameters.

Logbook entries store the key and its parameters, never the rendered text, so the same entry reads
in the language of whoever reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    "tenant.created": {
        "en": "Tenant {ref} ({name}) created",
        "fr": "Locataire {ref} ({name}) créé",
    },
    "client.created": {
        "en": "Client {ref} ({name}) created",
        "fr": "Client {ref} ({name}) créé",
    },
    "site.created": {
        "en": "Site {ref} ({name}) created",
        "fr": "Site {ref} ({name}) créé",
    },
    "site.child_added": {
        "en": "{what} {label} added to the site",
        "fr": "{what} {label} ajouté au site",
    },
    "resource.added": {
        "en": "{what} {label} added",
        "fr": "{what} {label} ajouté",
    },
    "deadline.fired": {
        "en": "Deadline {deadline_kind} {key} came due",
        "fr": "Échéance {deadline_kind} {key} atteinte",
    },
    "logbook.note": {
        "en": "Note: {text}",
        "fr": "Note : {text}",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "account": {"en": "Transmitter", "fr": "Transmetteur"},
    "zone": {"en": "Zone", "fr": "Zone"},
    "contact": {"en": "Contact", "fr": "Contact"},
    "unit": {"en": "Unit", "fr": "Moyen"},
    "partner": {"en": "Partner", "fr": "Partenaire"},
    "schedule": {"en": "Schedule", "fr": "Horaire"},
}


def render(key: str, params: Mapping[str, Any], language: str = "en") -> str:
    """The text of a message in a language; unknown keys and missing parameters stay readable."""
    language = language if language in LANGUAGES else "en"
    texts = MESSAGES.get(key)
    if texts is None:
        return f"{key} {dict(params)}" if params else key
    shown = {k: WORDS.get(v, {}).get(language, v) if isinstance(v, str) else v for k, v in params.items()}
    try:
        return texts[language].format(**shown)
    except (KeyError, IndexError):
        return f"{texts[language]} {dict(params)}"
