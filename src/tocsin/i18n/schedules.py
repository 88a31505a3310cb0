"""Words of schedules and their alarms, in English and French: merged into the console's strings
(``ui.UI``) and the logbook's catalogue (``catalogue.MESSAGES`` and ``WORDS``)."""

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
    "site.schedule_assigned": {
        "en": "Site {site_ref} follows the schedule {schedule_name} (next check {next_check})",
        "fr": "Le site {site_ref} suit l\u2019horaire {schedule_name} (prochain contrôle {next_check})",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "opened_outside_hours": {"en": "opened outside hours", "fr": "ouverture hors horaires"},
    "failed_to_open": {"en": "failed to open", "fr": "défaut d\u2019ouverture"},
    "late_to_close": {"en": "late to close", "fr": "défaut de fermeture"},
}
