"""Words of schedules and their alarms, and of site imports, in English and French: merged into the
console's strings (``ui.UI``) and the logbook's catalogue (``catalogue.MESSAGES`` and ``WORDS``)."""

from __future__ import annotations

UI_STRINGS: dict[str, dict[str, str]] = {
    "class.opened_outside_hours": {"en": "Opened outside hours", "fr": "Ouverture hors horaires"},
    "class.failed_to_open": {"en": "Failed to open", "fr": "Défaut d\u2019ouverture"},
    "class.late_to_close": {"en": "Late to close", "fr": "Défaut de fermeture"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "schedule.set": {
        "en": "Schedule {name} set: {windows}; {holiday_count} holiday(s); grace {grace_seconds} s"
        " ({sites} site(s) planned again)",
        "fr": "Horaire {name} enregistré\u00a0: {windows}\u00a0; {holiday_count} jour(s) particulier(s)"
        "\u00a0; délai {grace_seconds}\u00a0s ({sites} site(s) replanifié(s))",
    },
    "directory.imported": {
        "en": "{what} {key} {action} by import: {detail}",
        "fr": "{what} {key} {action} par import\u00a0: {detail}",
    },
    "directory.import_done": {
        "en": "Import of {file} (SHA-256 {sha256}): {created} created, {updated} updated,"
        " {unchanged} unchanged ({summary}) {skipped}",
        "fr": "Import de {file} (SHA-256 {sha256})\u00a0: {created} créé(s), {updated} modifié(s),"
        " {unchanged} inchangé(s) ({summary}) {skipped}",
    },
    "site.schedule_assigned": {
        "en": "Site {site_ref} follows the schedule {schedule_name} (next check {next_check})",
        "fr": "Le site {site_ref} suit l\u2019horaire {schedule_name} (prochain contrôle {next_check})",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "client": {"en": "Client", "fr": "Client"},
    "site": {"en": "Site", "fr": "Site"},
    "created": {"en": "created", "fr": "créé"},
    "updated": {"en": "updated", "fr": "modifié"},
    "opened_outside_hours": {"en": "opened outside hours", "fr": "ouverture hors horaires"},
    "failed_to_open": {"en": "failed to open", "fr": "défaut d\u2019ouverture"},
    "late_to_close": {"en": "late to close", "fr": "défaut de fermeture"},
}
