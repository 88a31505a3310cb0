"""The room's own words (shifts, handovers, the dead-man, the room's own alarm panel), in English and
French: merged into the logbook's catalogue (``MESSAGES``, ``WORDS``) and the console's strings (``UI``)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "shift.started": {"en": "{name} went on shift", "fr": "{name} a pris son poste"},
    "shift.ended": {"en": "{name} ended their shift", "fr": "{name} a quitté son poste"},
    "shift.handover_submitted": {
        "en": "{name} handed over ({open_alarms} open alarm(s), {open_events} open event(s),"
        " {follow_ups} follow-up(s), {instructions} temporary instruction(s)): {text}",
        "fr": "{name} a transmis la relève ({open_alarms} alarme(s) ouverte(s), {open_events}"
        " événement(s) ouvert(s), {follow_ups} rappel(s), {instructions} consigne(s)"
        " temporaire(s))\u00a0: {text}",
    },
    "shift.handover_acknowledged": {
        "en": "{name} acknowledged the handover from {from_name}",
        "fr": "{name} a pris connaissance de la relève de {from_name}",
    },
    "deadman.asked": {
        "en": "Dead-man: {name} shows no activity for {idle_seconds} s while holding {held} alarm(s);"
        " asked to confirm within {answer_within} s",
        "fr": "Homme mort\u00a0: {name} sans activité depuis {idle_seconds}\u00a0s en tenant {held} alarme(s)"
        "\u00a0; invité à confirmer sous {answer_within}\u00a0s",
    },
    "deadman.confirmed": {
        "en": "Dead-man: {name} is present ({how})",
        "fr": "Homme mort\u00a0: {name} est présent ({how})",
    },
    "deadman.unanswered": {
        "en": "Dead-man: {name} did not answer; supervisors alerted, {released} alarm(s) back in the queue",
        "fr": "Homme mort\u00a0: {name} n\u2019a pas répondu\u00a0; superviseurs alertés,"
        " {released} alarme(s) remise(s) en file",
    },
    "alarm.released_by_deadman": {
        "en": "The dead-man put the {alarm_class} alarm at {site_ref} back in the queue: {operator}"
        " did not answer",
        "fr": "L\u2019homme mort a remis l\u2019alarme {alarm_class} sur {site_ref} dans la file\u00a0:"
        " {operator} n\u2019a pas répondu",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "operator_unresponsive": {"en": "operator unresponsive", "fr": "opérateur sans réponse"},
    "console": {"en": "confirmed in the console", "fr": "confirmé dans la console"},
    "activity": {"en": "acted meanwhile", "fr": "a agi entre-temps"},
}
TRANSLATED_PARAMS: tuple[str, ...] = ("how",)

UI: dict[str, dict[str, str]] = {
    "class.operator_unresponsive": {"en": "Operator unresponsive", "fr": "Opérateur sans réponse"},
    "queue.room": {"en": "ROOM", "fr": "SALLE"},
    "queue.room_title": {
        "en": "The room's own alarm panel: above everything",
        "fr": "Alarme de la salle elle-même\u00a0: avant tout le reste",
    },
    "deadman.title": {"en": "Are you there?", "fr": "Êtes-vous là\u00a0?"},
    "deadman.text": {
        "en": "You hold {held} alarm(s) and nothing was done for a while. Confirm you are at your post,"
        " or your alarms go back to the queue and the supervisor is alerted.",
        "fr": "Vous tenez {held} alarme(s) et rien n\u2019a été fait depuis un moment. Confirmez que vous"
        " êtes à votre poste, sinon vos alarmes retournent dans la file et le superviseur est alerté.",
    },
    "deadman.left": {"en": "Time left: {seconds} s", "fr": "Temps restant\u00a0: {seconds}\u00a0s"},
    "deadman.confirm": {"en": "I am here (Enter)", "fr": "Je suis là (Entrée)"},
    "deadman.ok": {"en": "Understood (Enter)", "fr": "Compris (Entrée)"},
    "deadman.released": {
        "en": "You did not answer: your alarms went back to the queue.",
        "fr": "Vous n\u2019avez pas répondu\u00a0: vos alarmes sont retournées dans la file.",
    },
    "deadman.alert": {
        "en": "Dead-man: {name} did not answer; {released} alarm(s) back in the queue.",
        "fr": "Homme mort\u00a0: {name} n\u2019a pas répondu\u00a0; {released} alarme(s) remise(s) en file.",
    },
    "room.link": {"en": "Shift", "fr": "Prise de poste"},
    "room.title": {"en": "Shift and handover", "fr": "Prise de poste et relève"},
    "room.back": {"en": "Back to the console", "fr": "Retour à la console"},
    "room.my_shift": {"en": "My shift", "fr": "Mon poste"},
    "room.on_shift_since": {"en": "On shift since {time}", "fr": "En poste depuis {time}"},
    "room.off_shift": {"en": "Not on shift", "fr": "Pas en poste"},
    "room.start": {"en": "Start my shift", "fr": "Prendre mon poste"},
    "room.end": {"en": "End my shift without handover", "fr": "Quitter mon poste sans relève"},
    "room.pending": {"en": "Handover to acknowledge", "fr": "Relève à prendre en compte"},
    "room.pending_none": {"en": "No handover waiting.", "fr": "Aucune relève en attente."},
    "room.from": {"en": "From {name}, {time}", "fr": "De {name}, {time}"},
    "room.acknowledge": {"en": "Acknowledge and take over", "fr": "Prendre connaissance et prendre le poste"},
    "room.acknowledged": {
        "en": "Acknowledged: the entry is in the logbook.",
        "fr": "Pris en compte\u00a0: l\u2019entrée est en main courante.",
    },
    "room.write": {"en": "Hand over", "fr": "Transmettre la relève"},
    "room.write_hint": {
        "en": "Prepared by Tocsin from what is open: edit it and add your notes for the next shift.",
        "fr": "Préparée par Tocsin à partir de ce qui est ouvert\u00a0: modifiez-la et ajoutez vos notes"
        " pour l\u2019équipe suivante.",
    },
    "room.refresh_draft": {"en": "Prepare again", "fr": "Préparer à nouveau"},
    "room.submit": {"en": "Submit the handover", "fr": "Transmettre"},
    "room.submitted": {
        "en": "Handed over: your shift is ended and the entry is in the logbook.",
        "fr": "Relève transmise\u00a0: votre poste est terminé et l\u2019entrée est en main courante.",
    },
    "room.on_shift": {"en": "On shift now", "fr": "En poste"},
    "room.nobody": {"en": "Nobody is on shift.", "fr": "Personne n\u2019est en poste."},
    "room.user": {"en": "Operator", "fr": "Opérateur"},
    "room.started": {"en": "Started", "fr": "Début"},
    "room.ended": {"en": "Ended", "fr": "Fin"},
    "room.recent": {"en": "Recent handovers", "fr": "Relèves récentes"},
    "room.by": {"en": "From", "fr": "De"},
    "room.ack_by": {"en": "Acknowledged by", "fr": "Prise en compte par"},
    "room.not_yet": {"en": "not yet", "fr": "pas encore"},
    "room.deadman_alerts": {"en": "Dead-man alerts", "fr": "Alertes homme mort"},
    "room.no_alerts": {"en": "No dead-man alert.", "fr": "Aucune alerte homme mort."},
    "room.forbidden": {
        "en": "Shifts and handovers are for the room's operators and supervisors: ask a supervisor.",
        "fr": "La prise de poste est réservée aux opérateurs et superviseurs de la salle\u00a0: demandez à"
        " un superviseur.",
    },
    "room.error": {"en": "The server refused: {detail}", "fr": "Le serveur a refusé\u00a0: {detail}"},
}

# The handover summary Tocsin prepares (services/handover.py), per language.
HANDOVER_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Handover",
        "alarms": "Open alarms",
        "events": "Open events",
        "follow_ups": "Follow-ups",
        "instructions": "Temporary instructions in force",
        "none": "none",
        "held": "held by",
        "until": "until",
        "more": "and {n} more",
        "notes": "Notes for the next shift:",
        "room": "ROOM",
    },
    "fr": {
        "title": "Prise de poste",
        "alarms": "Alarmes ouvertes",
        "events": "Événements ouverts",
        "follow_ups": "Rappels",
        "instructions": "Consignes temporaires en vigueur",
        "none": "aucun",
        "held": "tenue par",
        "until": "jusqu\u2019à",
        "more": "et {n} de plus",
        "notes": "Notes pour l\u2019équipe suivante\u00a0:",
        "room": "SALLE",
    },
}
