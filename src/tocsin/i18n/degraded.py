"""Degraded mode's words: the console's banner and notes kept in the browser, and the paper kit."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "degraded.title": {"en": "Degraded mode", "fr": "Mode dégradé"},
    "degraded.server": {
        "en": "The server is not answering: the queue and files shown are the last known. Work from the"
        " paper kit; notes are kept in this browser and written when it answers",
        "fr": "Le serveur ne répond plus\u00a0: la file et les fiches affichées sont les dernières connues."
        " Travaillez avec le kit papier\u00a0; les notes sont gardées dans ce navigateur et écrites à son"
        " retour",
    },
    "degraded.live": {
        "en": "Live updates are lost: the screen may be behind. Reconnecting",
        "fr": "Les mises à jour en direct sont perdues\u00a0: l\u2019écran peut être en retard. Reconnexion",
    },
    "degraded.replaying": {
        "en": "The server answers again: writing the kept notes, in order",
        "fr": "Le serveur répond à nouveau\u00a0: écriture des notes gardées, dans l\u2019ordre",
    },
    "degraded.kept": {
        "en": "notes kept, to write: {count}",
        "fr": "notes gardées, à écrire\u00a0: {count}",
    },
    "degraded.about": {"en": "[Note kept for {label}]", "fr": "[Note gardée pour {label}]"},
    "degraded.full": {
        "en": "{count} notes are already kept in this browser: write on paper until the server answers.",
        "fr": "{count} notes sont déjà gardées dans ce navigateur\u00a0: écrivez sur papier jusqu\u2019au"
        " retour du serveur.",
    },
    "note.kept": {
        "en": "Note kept in this browser: written when the server answers ({count} waiting).",
        "fr": "Note gardée dans ce navigateur\u00a0: écrite au retour du serveur ({count} en attente).",
    },
}
