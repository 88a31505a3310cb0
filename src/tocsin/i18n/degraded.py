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
    "degraded.kit_link": {
        "en": "Degraded-mode kit (PDF): open items, call lists, units and partners, to work on paper",
        "fr": "Kit du mode dégradé (PDF)\u00a0: éléments ouverts, listes d\u2019appel, unités et partenaires,"
        " pour travailler sur papier",
    },
    "note.on_event": {"en": "Note on the event {label}", "fr": "Note sur l\u2019événement {label}"},
    "note.kept": {
        "en": "Note kept in this browser: written when the server answers ({count} waiting).",
        "fr": "Note gardée dans ce navigateur\u00a0: écrite au retour du serveur ({count} en attente).",
    },
}

# The paper kit's headings and labels (printed in the reader's language).
KIT: dict[str, dict[str, str]] = {
    "title": {"en": "Degraded-mode kit", "fr": "Kit du mode dégradé"},
    "intro": {
        "en": "For working on paper when the systems fail: the open alarms and events, the instructions"
        " and call lists of their sites, the units and the partners. Made {at} ({zone}). Write every act"
        " on the paper logbook sheet with its time, and enter it in Tocsin when it answers again.",
        "fr": "Pour travailler sur papier quand les systèmes tombent\u00a0: alarmes et événements ouverts,"
        " consignes et listes d\u2019appel de leurs sites, unités et partenaires. Fait le {at} ({zone})."
        " Notez chaque acte sur la feuille de main courante avec son heure, et saisissez-le dans Tocsin à"
        " son retour.",
    },
    "alarms": {"en": "Open alarms", "fr": "Alarmes ouvertes"},
    "events": {"en": "Open events", "fr": "Événements ouverts"},
    "sites": {"en": "Sites with open items", "fr": "Sites concernés"},
    "units": {"en": "Units", "fr": "Unités"},
    "partners": {"en": "Partners", "fr": "Partenaires"},
    "none": {"en": "None.", "fr": "Aucun."},
    "priority": {"en": "Prio.", "fr": "Prio."},
    "class": {"en": "Class", "fr": "Classe"},
    "site": {"en": "Site", "fr": "Site"},
    "opened": {"en": "Opened", "fr": "Ouverte"},
    "state": {"en": "State", "fr": "État"},
    "holder": {"en": "Held by", "fr": "Tenue par"},
    "type": {"en": "Type", "fr": "Type"},
    "place": {"en": "Place", "fr": "Lieu"},
    "caller": {"en": "Caller", "fr": "Appelant"},
    "address": {"en": "Address", "fr": "Adresse"},
    "client": {"en": "Client", "fr": "Client"},
    "site_notes": {"en": "Access and risks", "fr": "Accès et risques"},
    "plan": {"en": "Instructions for {cls}", "fr": "Consignes pour {cls}"},
    "temporary": {"en": "Temporary instructions", "fr": "Consignes temporaires"},
    "until": {"en": "until {at}", "fr": "jusqu\u2019au {at}"},
    "call_list": {"en": "Call list", "fr": "Liste d\u2019appel"},
    "order": {"en": "#", "fr": "N°"},
    "name": {"en": "Name", "fr": "Nom"},
    "role": {"en": "Role", "fr": "Rôle"},
    "phones": {"en": "Phones", "fr": "Téléphones"},
    "callsign": {"en": "Callsign", "fr": "Indicatif"},
    "kind": {"en": "Kind", "fr": "Genre"},
    "station": {"en": "Station", "fr": "Base"},
    "status": {"en": "Status", "fr": "Statut"},
    "email": {"en": "E-mail", "fr": "Courriel"},
    "notes": {"en": "Notes", "fr": "Notes"},
    "left_out": {
        "en": "{count} more sites have open items: see the queue when it answers.",
        "fr": "{count} autres sites ont des éléments ouverts\u00a0: voir la file à son retour.",
    },
    "page": {"en": "page {n}", "fr": "page {n}"},
}
