"""The console's own words, in English and French: every visible text of the pages and scripts.

French typography: a non-breaking space (\\u00a0) before ':' and inside guillemets.
"""

from __future__ import annotations

from tocsin.i18n.catalogue import LANGUAGES

UI: dict[str, dict[str, str]] = {
    "app.name": {"en": "Tocsin", "fr": "Tocsin"},
    "app.tagline": {"en": "Operations room", "fr": "Salle opérationnelle"},
    "login.title": {"en": "Log in", "fr": "Connexion"},
    "login.username": {"en": "User name", "fr": "Identifiant"},
    "login.password": {"en": "Password", "fr": "Mot de passe"},
    "login.submit": {"en": "Log in", "fr": "Se connecter"},
    "login.error.failed": {
        "en": "Wrong user name or password.",
        "fr": "Identifiant ou mot de passe incorrect.",
    },
    "login.error.throttled": {
        "en": "Too many failed attempts from here: wait {seconds} s and try again.",
        "fr": "Trop d'échecs depuis ce poste\u00a0: attendez {seconds}\u00a0s puis réessayez.",
    },
    "login.error.expired": {
        "en": "This form had expired: it was reloaded, please try again.",
        "fr": "Ce formulaire avait expiré\u00a0: il a été rechargé, veuillez réessayer.",
    },
    "login.offline": {
        "en": "Works without internet access: everything is served by this room's Tocsin.",
        "fr": "Fonctionne sans accès à Internet\u00a0: tout est servi par le Tocsin de la salle.",
    },
    "lang.en": {"en": "English", "fr": "English"},
    "lang.fr": {"en": "Français", "fr": "Français"},
    "lang.switch": {"en": "Language", "fr": "Langue"},
    "top.clock": {"en": "Room time", "fr": "Heure salle"},
    "top.user": {"en": "User", "fr": "Utilisateur"},
    "top.logout": {"en": "Log out", "fr": "Déconnexion"},
    "status.connecting": {"en": "Connecting…", "fr": "Connexion…"},
    "status.connected": {"en": "Live", "fr": "En direct"},
    "status.lost": {"en": "Connection lost — reconnecting", "fr": "Connexion perdue — reconnexion"},
    "queue.title": {"en": "Queue", "fr": "File d'attente"},
    "queue.priority": {"en": "Priority", "fr": "Priorité"},
    "queue.type": {"en": "Type", "fr": "Type"},
    "queue.site": {"en": "Site", "fr": "Site"},
    "queue.age": {"en": "Age", "fr": "Âge"},
    "queue.empty": {"en": "No item waiting.", "fr": "Aucun élément en attente."},
    "detail.title": {"en": "Item", "fr": "Élément"},
    "detail.empty": {
        "en": "Select an item in the queue to see its site file and action plan.",
        "fr": "Choisissez un élément de la file pour voir sa fiche site et ses consignes.",
    },
    "logbook.title": {"en": "Logbook", "fr": "Main courante"},
    "logbook.empty": {"en": "No entry yet.", "fr": "Aucune entrée pour l'instant."},
    "logbook.time": {"en": "Time", "fr": "Heure"},
    "logbook.actor": {"en": "By", "fr": "Par"},
    "logbook.text": {"en": "Entry", "fr": "Entrée"},
    "note.label": {"en": "Note for the logbook", "fr": "Note pour la main courante"},
    "note.placeholder": {
        "en": "Type a note, Enter to record",
        "fr": "Saisir une note, Entrée pour consigner",
    },
    "note.submit": {"en": "Record", "fr": "Consigner"},
    "note.error": {
        "en": "The note was not recorded: {detail}",
        "fr": "La note n'a pas été consignée\u00a0: {detail}",
    },
    "map.title": {"en": "Map and cameras", "fr": "Carte et caméras"},
    "map.empty": {
        "en": "The map and camera wall appear here with the next capabilities.",
        "fr": "La carte et le mur d'images apparaîtront ici avec les prochaines fonctions.",
    },
    "keys.title": {"en": "Keys", "fr": "Touches"},
    "keys.note": {"en": "note", "fr": "note"},
    "keys.logbook": {"en": "logbook", "fr": "main courante"},
    "keys.queue": {"en": "queue", "fr": "file"},
    "keys.leave": {"en": "leave field", "fr": "quitter le champ"},
    "keys.help": {"en": "all keys", "fr": "toutes les touches"},
    "keys.language": {"en": "language", "fr": "langue"},
    "help.title": {"en": "Keyboard", "fr": "Clavier"},
    "help.close": {"en": "Close", "fr": "Fermer"},
    "help.note": {"en": "Write a note in the logbook", "fr": "Écrire une note dans la main courante"},
    "help.logbook": {"en": "Go to the logbook list", "fr": "Aller à la liste de la main courante"},
    "help.queue": {"en": "Go to the queue", "fr": "Aller à la file d'attente"},
    "help.leave": {"en": "Leave the field, close this help", "fr": "Quitter le champ, fermer cette aide"},
    "help.language": {"en": "Switch English / French", "fr": "Basculer anglais / français"},
    "help.help": {"en": "Show this help", "fr": "Afficher cette aide"},
    "error.generic": {"en": "Something went wrong.", "fr": "Une erreur est survenue."},
}


def ui_strings(language: str) -> dict[str, str]:
    """Every UI string in ``language`` (English when the language is not offered)."""
    language = language if language in LANGUAGES else "en"
    return {key: texts[language] for key, texts in UI.items()}
