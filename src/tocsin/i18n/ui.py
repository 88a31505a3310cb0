"""The console's own words, in English and French: every visible text of the pages and of console.js.

Logbook messages are in ``catalogue.py``; these are the labels, states and hints around them. Templates
read them as ``t["key"]``; the page embeds the same dictionary as JSON, which console.js reads as
``T("key")``. ``{named}`` parameters are filled in by whoever shows the text.

French typography: a non-breaking space (U+00A0) before ':' and inside guillemets, a narrow one
(U+202F) before ';', '!' and '?', and the typographic apostrophe (U+2019).
"""

from __future__ import annotations

from tocsin.i18n import routing, video
from tocsin.i18n import schedules as schedule_words
from tocsin.i18n import sites as site_words
from tocsin.i18n.calltaking_ui import CALLTAKING_UI
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.i18n.debrief import UI as DEBRIEF_UI
from tocsin.i18n.degraded import UI as DEGRADED_UI
from tocsin.i18n.events_ui import EVENTS_UI
from tocsin.i18n.geo import GEO_UI
from tocsin.i18n.kpis import UI as KPI_UI
from tocsin.i18n.partners import UI as PARTNERS_UI
from tocsin.i18n.plans_ui import PLAN_UI
from tocsin.i18n.room import UI as ROOM_UI
from tocsin.i18n.station import UI as STATION_UI
from tocsin.i18n.units import UI_STRINGS as UNITS_UI
from tocsin.i18n.verification import UI as VERIFICATION_UI

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
    "queue.alarm_site": {"en": "Alarm · site", "fr": "Alarme · site"},
    "queue.holder": {"en": "Held by", "fr": "Pris par"},
    "queue.restored": {"en": "back to normal", "fr": "rétablie"},
    # ---- alarms (queue rows, the alarm view, the acts)
    "class.hold_up": {"en": "Hold-up", "fr": "Agression"},
    "class.ac_loss": {"en": "Mains loss", "fr": "Secteur"},
    "class.low_battery": {"en": "Low battery", "fr": "Batterie"},
    "class.link_lost": {"en": "Link lost", "fr": "Liaison"},
    "class.missed_test": {"en": "Missed test", "fr": "Test manquant"},
    "class.unknown_account": {"en": "Unknown account", "fr": "Compte inconnu"},
    "class.test_ended": {"en": "Test ended", "fr": "Fin de test"},
    "alarm.signals_one": {"en": "1 signal", "fr": "1 signal"},
    "alarm.signals": {"en": "{count} signals", "fr": "{count} signaux"},
    "alarm.state": {"en": "State", "fr": "État"},
    "alarm.state.new": {"en": "Waiting", "fr": "En attente"},
    "alarm.state.taken": {"en": "Taken", "fr": "Prise"},
    "alarm.state.settled": {"en": "Settled", "fr": "Acquittée"},
    "alarm.state.closed": {"en": "Closed", "fr": "Close"},
    "alarm.held_by": {"en": "held by {name}", "fr": "prise par {name}"},
    "alarm.escalated": {"en": "Escalated", "fr": "Escaladée"},
    "alarm.opened_at": {"en": "opened at {time}", "fr": "ouverte à {time}"},
    "alarm.opened": {"en": "Opened", "fr": "Ouverte"},
    "alarm.outcome": {"en": "Outcome", "fr": "Issue"},
    "alarm.zones": {"en": "Zones", "fr": "Zones"},
    "alarm.zone": {"en": "Zone", "fr": "Zone"},
    "alarm.zone_name": {"en": "Name", "fr": "Nom"},
    "alarm.zone_site": {"en": "Site now", "fr": "Site actuel"},
    "alarm.zone_alarm": {"en": "This alarm", "fr": "Cette alarme"},
    "zone.alarm": {"en": "Alarm", "fr": "Alarme"},
    "zone.normal": {"en": "Normal", "fr": "Normal"},
    "zone.restored": {"en": "Restored", "fr": "Rétablie"},
    "alarm.contacts": {"en": "Contacts, in call order", "fr": "Contacts, dans l\u2019ordre d\u2019appel"},
    "alarm.contact": {"en": "Contact", "fr": "Contact"},
    "alarm.contact_role": {"en": "Role", "fr": "Rôle"},
    "alarm.phones": {"en": "Phones", "fr": "Téléphones"},
    "alarm.no_contacts": {"en": "No contact on file for this site.", "fr": "Aucun contact pour ce site."},
    "alarm.history": {"en": "Signals", "fr": "Signaux"},
    "alarm.code": {"en": "Code", "fr": "Code"},
    "nature.new": {"en": "New", "fr": "Nouveau"},
    "nature.restore": {"en": "Restore", "fr": "Rétablissement"},
    "nature.status": {"en": "Status", "fr": "État"},
    "alarm.logbook": {"en": "This alarm\u2019s logbook", "fr": "Main courante de l\u2019alarme"},
    "alarm.no_entries": {
        "en": "No entry about this alarm since the console opened.",
        "fr": "Aucune inscription sur cette alarme depuis l\u2019ouverture de la console.",
    },
    "alarm.recent": {
        "en": "The site\u2019s alarms, last 30 days",
        "fr": "Alarmes du site, 30 derniers jours",
    },
    "alarm.no_recent": {"en": "No other alarm in 30 days.", "fr": "Aucune autre alarme en 30 jours."},
    "alarm.none_waiting": {"en": "No alarm waiting.", "fr": "Aucune alarme en attente."},
    "alarm.none_selected": {
        "en": "No alarm selected: J/K to choose one, Enter to open it.",
        "fr": "Aucune alarme choisie\u00a0: J/K pour en choisir une, Entrée pour l\u2019ouvrir.",
    },
    "alarm.refused": {"en": "Not done: {detail}", "fr": "Non fait\u00a0: {detail}"},
    "alarm.took": {"en": "You hold the alarm at {site}.", "fr": "Vous tenez l\u2019alarme de {site}."},
    "alarm.released": {
        "en": "The alarm at {site} is back in the queue.",
        "fr": "L\u2019alarme de {site} est remise dans la file.",
    },
    "alarm.settled": {
        "en": "The alarm at {site} is settled.",
        "fr": "L\u2019alarme de {site} est acquittée.",
    },
    "alarm.closed": {"en": "The alarm at {site} is closed.", "fr": "L\u2019alarme de {site} est close."},
    "note.on_alarm": {"en": "Note on the alarm at {site}", "fr": "Note sur l\u2019alarme de {site}"},
    "settle.title": {"en": "Settle the alarm", "fr": "Acquitter l\u2019alarme"},
    "settle.outcome": {"en": "Outcome", "fr": "Issue"},
    "settle.false": {"en": "False alarm", "fr": "Fausse alarme"},
    "settle.real": {"en": "Real alarm", "fr": "Alarme réelle"},
    "settle.cause": {"en": "Cause", "fr": "Cause"},
    "settle.cause_hint": {"en": "number keys", "fr": "touches chiffres"},
    "settle.choose_outcome": {
        "en": "F for a false alarm, V for a real one: their causes are listed then.",
        "fr": "F pour une fausse alarme, V pour une vraie\u00a0: leurs causes s\u2019affichent alors.",
    },
    "settle.note": {"en": "Note (optional)", "fr": "Note (facultative)"},
    "settle.need_outcome": {
        "en": "Choose the outcome first: F false, V real.",
        "fr": "Choisissez d\u2019abord l\u2019issue\u00a0: F fausse, V réelle.",
    },
    "settle.need_cause": {
        "en": "Choose a cause with its number key.",
        "fr": "Choisissez une cause avec sa touche chiffre.",
    },
    "settle.submit": {"en": "Settle", "fr": "Acquitter"},
    "call.title": {"en": "Record a call", "fr": "Noter un appel"},
    "call.whom": {"en": "Who, which number", "fr": "Qui, quel numéro"},
    "call.whom_hint": {"en": "number keys; 0 the site", "fr": "touches chiffres\u00a0; 0 le site"},
    "call.site": {"en": "The site itself (contre-appel)", "fr": "Le site (contre-appel)"},
    "call.number": {"en": "Number dialled", "fr": "Numéro composé"},
    "call.outcome": {"en": "Outcome", "fr": "Issue"},
    "call.answered": {"en": "Answered", "fr": "A répondu"},
    "call.no_answer": {"en": "No answer", "fr": "Pas de réponse"},
    "call.busy": {"en": "Busy", "fr": "Occupé"},
    "call.wrong_person": {"en": "Wrong person", "fr": "Mauvais interlocuteur"},
    "call.word": {
        "en": "Word the person gave (checked, never kept)",
        "fr": "Mot donné par la personne (vérifié, jamais conservé)",
    },
    "call.submit": {"en": "Record", "fr": "Noter"},
    "call.need_number": {
        "en": "Choose whom you called with a number key, or type the number.",
        "fr": "Choisissez qui vous avez appelé avec une touche chiffre, ou saisissez le numéro.",
    },
    "call.need_outcome": {
        "en": "Choose the outcome: A, N, B or W.",
        "fr": "Choisissez l\u2019issue\u00a0: A, N, B ou W.",
    },
    "call.result.password": {"en": "\u2713 password", "fr": "\u2713 mot de passe"},
    "call.result.wrong": {"en": "\u2717 wrong word", "fr": "\u2717 mot faux"},
    "call.result.duress": {"en": "DURESS", "fr": "CONTRAINTE"},
    "call.result.none": {"en": "no word", "fr": "sans mot"},
    "call.recorded": {"en": "Call recorded: {result}.", "fr": "Appel noté\u00a0: {result}."},
    "call.duress_banner": {
        "en": "DURESS \u2014 carry on the call normally, then call the police",
        "fr": "CONTRAINTE \u2014 poursuivez l\u2019appel normalement, puis appelez la police",
    },
    "alarm.calls": {"en": "Calls", "fr": "Appels"},
    "alarm.call_result": {"en": "Last call", "fr": "Dernier appel"},
    "alarm.ecv": {
        "en": "Two numbers called (enhanced call verification)",
        "fr": "Deux numéros appelés (vérification d\u2019appel renforcée)",
    },
    "keys.call": {"en": "call back", "fr": "rappel"},
    "help.call": {
        "en": "Record a call: a contact\u2019s number by its digit (0 the site), A answered, N no answer,"
        " B busy, W wrong person, the word, Enter",
        "fr": "Noter un appel\u00a0: le numéro d\u2019un contact par son chiffre (0 le site), A a répondu,"
        " N pas de réponse, B occupé, W mauvais interlocuteur, le mot, Entrée",
    },
    "close.title": {"en": "Close the alarm", "fr": "Clore l\u2019alarme"},
    "close.reason": {"en": "Reason (written in the logbook)", "fr": "Motif (inscrit en main courante)"},
    "close.need_reason": {
        "en": "A supervisor closes an alarm with a reason: type it.",
        "fr": "Un superviseur clôt une alarme avec un motif\u00a0: saisissez-le.",
    },
    "close.submit": {"en": "Close", "fr": "Clore"},
    "dialog.cancel": {"en": "Cancel", "fr": "Annuler"},
    "queue.empty": {"en": "No alarm waiting", "fr": "Aucune alarme en attente"},
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
    "actor.rules": {"en": "Alarm rules", "fr": "Règles d\u2019alarme"},
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
    "keys.select": {"en": "select", "fr": "choisir"},
    "keys.open": {"en": "open", "fr": "ouvrir"},
    "keys.next": {"en": "next", "fr": "suivante"},
    "keys.take": {"en": "take", "fr": "prendre"},
    "keys.release": {"en": "release", "fr": "rendre"},
    "keys.settle": {"en": "settle", "fr": "acquitter"},
    "keys.close": {"en": "close", "fr": "clore"},
    "help.select": {
        "en": "Previous / next alarm in the queue",
        "fr": "Alarme précédente / suivante de la file",
    },
    "help.open": {"en": "Open the selected alarm", "fr": "Ouvrir l\u2019alarme choisie"},
    "help.next": {
        "en": "Next: open the most urgent alarm nobody holds",
        "fr": "Suivante\u00a0: ouvrir l\u2019alarme la plus urgente que personne ne tient",
    },
    "help.take": {
        "en": "Take the open alarm (a supervisor takes over)",
        "fr": "Prendre l\u2019alarme ouverte (un superviseur la reprend)",
    },
    "help.release": {"en": "Put the alarm back in the queue", "fr": "Remettre l\u2019alarme dans la file"},
    "help.settle": {
        "en": "Settle: F false or V real, a cause by its number, a note, Enter",
        "fr": "Acquitter\u00a0: F fausse ou V réelle, une cause par son chiffre, une note, Entrée",
    },
    "help.close_alarm": {
        "en": "Close the alarm with a reason (supervisor)",
        "fr": "Clore l\u2019alarme avec un motif (superviseur)",
    },
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
    **video.UI,
}
# Each area keeps its labels in a module of its own (i18n/<area>.py), merged here once, in this order.
for _area in (
    STATION_UI,
    schedule_words.UI_STRINGS,
    EVENTS_UI,
    GEO_UI,
    CALLTAKING_UI,
    PLAN_UI,
    VERIFICATION_UI,
    UNITS_UI,
    KPI_UI,
    PARTNERS_UI,
    site_words.UI_STRINGS,
    ROOM_UI,
    DEGRADED_UI,
    DEBRIEF_UI,
):
    UI.update(_area)
UI.update(routing.UI)  # the recommendation panel


def ui_strings(language: str) -> dict[str, str]:
    """Every UI string in ``language`` (English when the language is not offered)."""
    language = language if language in LANGUAGES else "en"
    return {key: texts[language] for key, texts in UI.items()}
