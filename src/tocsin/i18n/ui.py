"""The console's own words, in English and French: every visible text of the pages and of console.js.

Logbook messages are in ``catalogue.py``; these are the labels, states and hints around them. Templates
read them as ``t["key"]``; the page embeds the same dictionary as JSON, which console.js reads as
``T("key")``. ``{named}`` parameters are filled in by whoever shows the text.

French typography: a non-breaking space (U+00A0) before ':' and inside guillemets, a narrow one
(U+202F) before ';', '!' and '?', and the typographic apostrophe (U+2019).
"""

from __future__ import annotations

from tocsin.i18n.catalogue import LANGUAGES

UI: dict[str, dict[str, str]] = {
    # ---- product
    "app.name": {"en": "Tocsin", "fr": "Tocsin"},
    "app.tagline": {"en": "Operations room", "fr": "Salle opérationnelle"},
    # ---- login page (the login.error.* texts are chosen by the server)
    "login.title": {"en": "Log in", "fr": "Connexion"},
    "login.intro": {
        "en": "Log in with the account your room supervisor gave you.",
        "fr": "Connectez-vous avec le compte remis par votre chef de salle.",
    },
    "login.username": {"en": "User name", "fr": "Identifiant"},
    "login.password": {"en": "Password", "fr": "Mot de passe"},
    "login.submit": {"en": "Log in", "fr": "Se connecter"},
    "login.error.failed": {
        "en": "Wrong user name or password: check both and try again.",
        "fr": "Identifiant ou mot de passe incorrect\u00a0: vérifiez les deux et réessayez.",
    },
    "login.error.throttled": {
        "en": "Too many failed attempts from here: wait {seconds} s and try again.",
        "fr": "Trop d\u2019échecs depuis ce poste\u00a0: attendez {seconds}\u00a0s puis réessayez.",
    },
    "login.error.expired": {
        "en": "This form had expired: it was reloaded, please try again.",
        "fr": "Ce formulaire avait expiré\u00a0: il a été rechargé, veuillez réessayer.",
    },
    "login.offline": {
        "en": "Works without internet access: everything is served by this room\u2019s Tocsin.",
        "fr": "Fonctionne sans accès à Internet\u00a0: tout est servi par le Tocsin de la salle.",
    },
    # ---- languages, each named in itself
    "lang.en": {"en": "English", "fr": "English"},
    "lang.fr": {"en": "Français", "fr": "Français"},
    "lang.switch": {"en": "Language", "fr": "Langue"},
    # ---- top bar
    "top.clock": {"en": "Room time", "fr": "Heure salle"},
    "top.user": {"en": "Signed in as", "fr": "Connecté en tant que"},
    "top.logout": {"en": "Log out", "fr": "Déconnexion"},
    "role.operator": {"en": "Operator", "fr": "Opérateur"},
    "role.supervisor": {"en": "Supervisor", "fr": "Superviseur"},
    "role.admin": {"en": "Administrator", "fr": "Administrateur"},
    "role.unit": {"en": "Unit", "fr": "Moyen"},
    "role.client": {"en": "Client", "fr": "Client"},
    "status.connecting": {"en": "Connecting…", "fr": "Connexion…"},
    "status.connected": {"en": "Live", "fr": "En direct"},
    "status.lost": {"en": "Connection lost — reconnecting", "fr": "Connexion perdue — reconnexion"},
    "status.off": {"en": "No live feed for your role", "fr": "Pas de flux en direct pour votre rôle"},
    "status.signed_out": {
        "en": "Session ended — log in again",
        "fr": "Session terminée — reconnectez-vous",
    },
    # ---- queue
    "queue.title": {"en": "Queue", "fr": "File d\u2019attente"},
    "queue.priority": {"en": "Priority", "fr": "Priorité"},
    "queue.type": {"en": "Type", "fr": "Type"},
    "queue.site": {"en": "Site", "fr": "Site"},
    "queue.age": {"en": "Age", "fr": "Âge"},
    "queue.empty": {"en": "No item waiting", "fr": "Aucun élément en attente"},
    "queue.empty_hint": {
        "en": "Alarms and events appear here, most urgent first.",
        "fr": "Les alarmes et les événements s\u2019affichent ici, les plus urgents en tête.",
    },
    # ---- item detail
    "detail.title": {"en": "Item", "fr": "Élément"},
    "detail.empty": {"en": "No item open", "fr": "Aucun élément ouvert"},
    "detail.empty_hint": {
        "en": "Take an item from the queue to see its site file, instructions and action plan.",
        "fr": "Prenez un élément de la file pour voir sa fiche site, ses consignes"
        " et son plan d\u2019action.",
    },
    # ---- logbook
    "logbook.title": {"en": "Logbook", "fr": "Main courante"},
    "logbook.time": {"en": "Time", "fr": "Heure"},
    "logbook.actor": {"en": "By", "fr": "Par"},
    "logbook.text": {"en": "Entry", "fr": "Inscription"},
    "logbook.empty": {"en": "No entry yet", "fr": "Aucune inscription pour l\u2019instant"},
    "actor.scheduler": {"en": "Scheduler", "fr": "Planificateur"},
    "actor.cli": {"en": "Command line", "fr": "Ligne de commande"},
    "actor.system": {"en": "System", "fr": "Système"},
    "actor.demo": {"en": "Demo room", "fr": "Salle de démo"},
    "actor.receiver": {"en": "Receiver", "fr": "Récepteur"},
    "actor.auth": {"en": "Sign-in", "fr": "Authentification"},
    "actor.supervision": {"en": "Supervision", "fr": "Supervision"},
    "logbook.read_only": {"en": "read only", "fr": "lecture seule"},
    "logbook.not_allowed": {
        "en": "Your role does not include reading the logbook.",
        "fr": "Votre rôle ne comprend pas la lecture de la main courante.",
    },
    "logbook.new_one": {"en": "1 new entry — L to show", "fr": "1 nouvelle inscription — L pour voir"},
    "logbook.new_many": {
        "en": "{count} new entries — L to show",
        "fr": "{count} nouvelles inscriptions — L pour voir",
    },
    "logbook.where": {"en": "{site} · {client}", "fr": "{site} · {client}"},
    "class.fire": {"en": "Fire", "fr": "Incendie"},
    "class.medical": {"en": "Medical", "fr": "Médical"},
    "class.panic": {"en": "Panic", "fr": "Panique"},
    "class.duress": {"en": "Duress", "fr": "Contrainte"},
    "class.intrusion": {"en": "Intrusion", "fr": "Intrusion"},
    "class.tamper": {"en": "Tamper", "fr": "Autoprotection"},
    "class.technical": {"en": "Technical", "fr": "Technique"},
    "class.supervision": {"en": "Supervision", "fr": "Supervision"},
    "class.open_close": {"en": "Open/close", "fr": "Marche/arrêt"},
    "class.test": {"en": "Test", "fr": "Test"},
    "class.other": {"en": "Info", "fr": "Info"},
    "class.security": {"en": "Security", "fr": "Sécurité"},
    "class.restore": {"en": "Restore", "fr": "Fin d\u2019alarme"},
    "note.label": {"en": "Note for the logbook", "fr": "Note pour la main courante"},
    "note.placeholder": {
        "en": "Type a note, Enter to record it",
        "fr": "Saisissez une note, Entrée pour la consigner",
    },
    "note.submit": {"en": "Record", "fr": "Consigner"},
    "note.sending": {"en": "Recording…", "fr": "Enregistrement…"},
    "note.recorded": {"en": "Recorded in the logbook.", "fr": "Consigné dans la main courante."},
    "note.empty": {
        "en": "The note is empty: type its text first.",
        "fr": "La note est vide\u00a0: saisissez d\u2019abord son texte.",
    },
    "note.error": {
        "en": "The note was not recorded: {detail}",
        "fr": "La note n\u2019a pas été consignée\u00a0: {detail}",
    },
    "note.offline": {
        "en": "the server cannot be reached. Your text is kept: try again in a moment.",
        "fr": "le serveur est injoignable. Votre texte est conservé\u00a0: réessayez dans un instant.",
    },
    "error.http": {
        "en": "the server answered {status}.",
        "fr": "le serveur a répondu {status}.",
    },
    "error.offline": {
        "en": "the server cannot be reached: try again in a moment.",
        "fr": "le serveur est injoignable\u00a0: réessayez dans un instant.",
    },
    "error.language": {
        "en": "The language was not changed: {detail}",
        "fr": "La langue n\u2019a pas été changée\u00a0: {detail}",
    },
    # ---- a unit's screen
    "unit.title": {"en": "Your unit", "fr": "Votre moyen"},
    "unit.kind": {"en": "Type", "fr": "Type"},
    "unit.status": {"en": "Status", "fr": "Statut"},
    "unit.station": {"en": "Station", "fr": "Base"},
    "unit.status.available": {"en": "Available", "fr": "Disponible"},
    "unit.status.alerted": {"en": "Alerted", "fr": "Alerté"},
    "unit.status.en_route": {"en": "En route", "fr": "En route"},
    "unit.status.on_scene": {"en": "On scene", "fr": "Sur les lieux"},
    "unit.status.transporting": {"en": "Transporting", "fr": "En transport"},
    "unit.status.returning": {"en": "Returning", "fr": "Retour"},
    "unit.status.out_of_service": {"en": "Out of service", "fr": "Hors service"},
    "unit.unlinked": {
        "en": "No unit has this account\u2019s name as its callsign: ask a supervisor to link it.",
        "fr": "Aucun moyen ne porte le nom de ce compte comme indicatif\u00a0: demandez à un"
        " superviseur de le rattacher.",
    },
    "unit.note_title": {"en": "Report to the room", "fr": "Signaler à la salle"},
    "unit.dispatches": {"en": "Your dispatches", "fr": "Vos missions"},
    "unit.dispatches_empty": {"en": "No dispatch for you", "fr": "Aucune mission pour vous"},
    "unit.dispatches_hint": {
        "en": "Your dispatches will appear here when the room sends you.",
        "fr": "Vos missions s\u2019afficheront ici quand la salle vous engagera.",
    },
    # ---- a client's screen
    "sites.title": {"en": "Your sites", "fr": "Vos sites"},
    "sites.site": {"en": "Site", "fr": "Site"},
    "sites.client": {"en": "Client", "fr": "Client"},
    "sites.address": {"en": "Address", "fr": "Adresse"},
    "sites.empty": {"en": "No site in your scope", "fr": "Aucun site dans votre périmètre"},
    # ---- map and cameras
    "map.title": {"en": "Map", "fr": "Carte"},
    "map.empty": {"en": "No site to show", "fr": "Aucun site à afficher"},
    "map.empty_hint": {
        "en": "The open item\u2019s site, units and their ETA appear here.",
        "fr": "Le site de l\u2019élément ouvert, les moyens et leur délai d\u2019arrivée"
        " s\u2019affichent ici.",
    },
    # the site map (site-map.js): labels the console passes to TocsinSiteMap.draw
    "map.site": {"en": "Map of {ref}, {name}", "fr": "Plan de {ref}, {name}"},
    "map.no_coordinates": {
        "en": "This site has no coordinates: add its latitude and longitude to see it on a map.",
        "fr": "Ce site n\u2019a pas de coordonnées\u00a0: ajoutez sa latitude et sa longitude pour le voir"
        " sur un plan.",
    },
    "map.no_streets": {
        "en": "No street is known around this site: load the road network of its town.",
        "fr": "Aucune rue connue autour de ce site\u00a0: chargez le réseau routier de sa commune.",
    },
    "map.truncated": {
        "en": "Only the streets nearest the site are drawn.",
        "fr": "Seules les rues les plus proches du site sont tracées.",
    },
    "map.zoom_in": {"en": "Zoom in", "fr": "Zoom avant"},
    "map.zoom_out": {"en": "Zoom out", "fr": "Zoom arrière"},
    "cameras.title": {"en": "Cameras", "fr": "Caméras"},
    "cameras.empty": {"en": "No camera for this item", "fr": "Aucune caméra pour cet élément"},
    # ---- keys: the status line (short) and the help (long)
    "keys.title": {"en": "Keys", "fr": "Touches"},
    "keys.note": {"en": "note", "fr": "note"},
    "keys.logbook": {"en": "logbook", "fr": "main courante"},
    "keys.queue": {"en": "queue", "fr": "file"},
    "keys.rows": {"en": "move", "fr": "parcourir"},
    "keys.leave": {"en": "leave field", "fr": "quitter le champ"},
    "keys.language": {"en": "language", "fr": "langue"},
    "keys.help": {"en": "all keys", "fr": "toutes les touches"},
    "help.title": {"en": "Keyboard", "fr": "Clavier"},
    "help.intro": {
        "en": "Letter keys work when no field has the focus.",
        "fr": "Les touches lettres agissent quand aucun champ n\u2019a le focus.",
    },
    "help.close": {"en": "Close", "fr": "Fermer"},
    "help.note": {"en": "Write a note in the logbook", "fr": "Écrire une note dans la main courante"},
    "help.submit": {"en": "Record the note", "fr": "Consigner la note"},
    "help.logbook": {
        "en": "Go to the newest logbook entry (brings back the \u201cn new\u201d entries)",
        "fr": "Aller à la dernière inscription de la main courante (affiche les"
        " \u00ab\u00a0nouvelles\u00a0\u00bb)",
    },
    "help.rows": {
        "en": "Previous / next entry, first / last",
        "fr": "Inscription précédente / suivante, première / dernière",
    },
    "help.queue": {"en": "Go to the queue", "fr": "Aller à la file d\u2019attente"},
    "help.leave": {
        "en": "Leave the field, back where you were",
        "fr": "Quitter le champ, revenir là où vous étiez",
    },
    "help.language": {"en": "Switch English / French", "fr": "Passer en anglais / en français"},
    "help.help": {"en": "Show or close this help", "fr": "Afficher ou fermer cette aide"},
    # ---- user administration page (/console/users)
    "users.title": {"en": "Users", "fr": "Utilisateurs"},
    "users.back": {"en": "Back to the console", "fr": "Retour à la console"},
    "users.username": {"en": "User name", "fr": "Identifiant"},
    "users.name": {"en": "Name", "fr": "Nom"},
    "users.roles": {"en": "Roles", "fr": "Rôles"},
    "users.state": {"en": "State", "fr": "État"},
    "users.tokens": {"en": "API tokens", "fr": "Jetons d\u2019API"},
    "users.actions": {"en": "Actions", "fr": "Actions"},
    "users.active": {"en": "active", "fr": "actif"},
    "users.disabled": {"en": "disabled", "fr": "désactivé"},
    "users.disable": {"en": "Disable", "fr": "Désactiver"},
    "users.enable": {"en": "Enable", "fr": "Réactiver"},
    "users.new_password": {"en": "New password", "fr": "Nouveau mot de passe"},
    "users.set_password": {"en": "Set password", "fr": "Changer le mot de passe"},
    "users.revoke": {"en": "Revoke", "fr": "Révoquer"},
    "users.revoked": {"en": "revoked", "fr": "révoqué"},
    "users.none": {"en": "none", "fr": "aucun"},
    "users.whole_tenant": {"en": "whole tenant", "fr": "tout le locataire"},
    "users.scoped": {"en": "some clients or sites", "fr": "certains clients ou sites"},
    "users.create": {"en": "Create a user", "fr": "Créer un utilisateur"},
    "users.password": {
        "en": "Password (10 characters or more)",
        "fr": "Mot de passe (10 caractères ou plus)",
    },
    "users.role": {"en": "Role", "fr": "Rôle"},
    "users.submit_create": {"en": "Create", "fr": "Créer"},
    "users.done": {
        "en": "Done: the change is in the logbook.",
        "fr": "C\u2019est fait\u00a0: le changement est inscrit en main courante.",
    },
    "users.forbidden": {
        "en": "Only an administrator manages users: ask one of them.",
        "fr": "Seul un administrateur gère les utilisateurs\u00a0: demandez à l\u2019un d\u2019eux.",
    },
}


def ui_strings(language: str) -> dict[str, str]:
    """Every UI string in ``language`` (English when the language is not offered)."""
    language = language if language in LANGUAGES else "en"
    return {key: texts[language] for key, texts in UI.items()}
