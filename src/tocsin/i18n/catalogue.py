"""The message catalogue: one key, one text per language, with ``{named}`` parameters.

Logbook entries store the key and its parameters, never the rendered text, so the same entry reads
in the language of whoever reads it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from tocsin.i18n import video
from tocsin.i18n.geo import GEO_MESSAGES
from tocsin.i18n.incidents import INCIDENT_MESSAGES
from tocsin.i18n.station import CLASS_WORDS as STATION_WORDS

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
        "fr": "Note\u00a0: {text}",
    },
    "user.created": {
        "en": "User {username} created",
        "fr": "Utilisateur {username} créé",
    },
    "user.role_granted": {
        "en": "User {username} granted role {role} over {scope}",
        "fr": "Rôle {role} donné à {username} sur {scope}",
    },
    "user.disabled": {
        "en": "User {username} disabled ({sessions_ended} open session(s) ended)",
        "fr": "Utilisateur {username} désactivé ({sessions_ended} session(s) ouverte(s) fermée(s))",
    },
    "user.enabled": {
        "en": "User {username} enabled again",
        "fr": "Utilisateur {username} réactivé",
    },
    "user.password_reset": {
        "en": "Password of {username} reset ({sessions_ended} open session(s) ended)",
        "fr": "Mot de passe de {username} réinitialisé ({sessions_ended} session(s) ouverte(s) fermée(s))",
    },
    "user.role_revoked": {
        "en": "Role {role} over {scope} taken back from {username}",
        "fr": "Rôle {role} sur {scope} retiré à {username}",
    },
    "user.token_revoked": {
        "en": "API token {token_name} of {username} revoked",
        "fr": "Jeton d'API {token_name} de {username} révoqué",
    },
    "user.language_changed": {
        "en": "{username} switched the console to {language}",
        "fr": "{username} a passé la console en {language}",
    },
    "auth.login": {
        "en": "{username} logged in from {source}",
        "fr": "{username} s'est connecté depuis {source}",
    },
    "auth.logout": {
        "en": "{username} logged out",
        "fr": "{username} s'est déconnecté",
    },
    "auth.login_failed": {
        "en": "Failed login as {username} from {source} ({reason})",
        "fr": "Échec de connexion de {username} depuis {source} ({reason})",
    },
    "signal.received": {
        "en": "{label_en} (code {code}, zone {zone}) from transmitter #{account}",
        "fr": "{label_fr} (code {code}, zone {zone}) du transmetteur #{account}",
    },
    "signal.event": {
        "en": "{nature}: {label_en} (code {code}, zone {zone}) from transmitter #{account}",
        "fr": "{nature}\u00a0: {label_fr} (code {code}, zone {zone}) du transmetteur #{account}",
    },
    "signal.problem": {
        "en": "Technical alarm: frame from #{account} on {listener} not taken ({problem})",
        "fr": "Alarme technique\u00a0: trame de #{account} sur {listener} non prise en compte ({problem})",
    },
    "signal.supervision_lost": {
        "en": "Technical alarm: {site_name} ({site_ref}), transmitter #{account} silent for more than"
        " {interval_seconds} s on its {transport} path (port {port}, receiver {receiver}, line {line})",
        "fr": "Alarme technique\u00a0: {site_name} ({site_ref}), transmetteur #{account} muet depuis plus"
        " de {interval_seconds}\u00a0s sur sa voie {transport} (port {port}, récepteur {receiver},"
        " ligne {line})",
    },
    "security.substitution_suspected": {
        "en": "Possible substitution: transmitter {account} sent an unencrypted {id_token} frame on"
        " {listener}, refused (its account has a key); further ones are logged at most once a minute",
        "fr": "Substitution possible\u00a0: le transmetteur {account} a envoyé une trame {id_token} non"
        " chiffrée sur {listener}, refusée (son compte a une clé)\u00a0; les suivantes sont notées au plus"
        " une fois par minute",
    },
    "security.refused": {
        "en": "Refused for {username} from {source}: {reason} ({target})",
        "fr": "Refusé à {username} depuis {source}\u00a0: {reason} ({target})",
    },
    "security.refusals_counted": {
        "en": "{count} refused {what} from {source} in the minute from {minute} ({reasons})",
        "fr": "{count} {what} refusées depuis {source} dans la minute de {minute} ({reasons})",
    },
    "alarm.opened": {
        "en": "Alarm P{priority} {alarm_class}: {title_en} at {site_name} ({site_ref})",
        "fr": "Alarme P{priority} {alarm_class}\u00a0: {title_fr} sur {site_name} ({site_ref})",
    },
    "alarm.updated": {
        "en": "Alarm {alarm_class} at {site_ref}: {signal_count} signals, P{priority}, {state}",
        "fr": "Alarme {alarm_class} sur {site_ref}\u00a0: {signal_count} signaux, P{priority}, {state}",
    },
    "alarm.taken": {
        "en": "{holder} took the {alarm_class} alarm at {site_name} ({site_ref})",
        "fr": "{holder} a pris l'alarme {alarm_class} sur {site_name} ({site_ref})",
    },
    "alarm.released": {
        "en": "{by} put the {alarm_class} alarm at {site_ref} back in the queue",
        "fr": "{by} a remis l'alarme {alarm_class} sur {site_ref} dans la file",
    },
    "alarm.settled": {
        "en": "{holder} settled the {alarm_class} alarm at {site_ref}: {outcome}, cause {cause}. {note}",
        "fr": "{holder} a acquitté l'alarme {alarm_class} sur {site_ref}\u00a0: {outcome}, cause {cause}."
        " {note}",
    },
    "alarm.closed": {
        "en": "The {alarm_class} alarm at {site_ref} is closed by {by}: {reason}",
        "fr": "L'alarme {alarm_class} sur {site_ref} est close par {by}\u00a0: {reason}",
    },
    "alarm.reopened": {
        "en": "The {alarm_class} alarm at {site_ref} is back in the queue ({why})",
        "fr": "L'alarme {alarm_class} sur {site_ref} revient dans la file ({why})",
    },
    "alarm.escalated": {
        "en": "Escalation: the P{priority} {alarm_class} alarm at {site_name} ({site_ref}) waited"
        " {waited_seconds} s untaken",
        "fr": "Escalade\u00a0: l'alarme P{priority} {alarm_class} sur {site_name} ({site_ref}) attend"
        " depuis {waited_seconds}\u00a0s sans être prise",
    },
    "alarm.note": {
        "en": "Note by {by} on the {alarm_class} alarm at {site_ref}: {text}",
        "fr": "Note de {by} sur l'alarme {alarm_class} sur {site_ref}\u00a0: {text}",
    },
    "alarm.call": {
        "en": "{by} called {contact_name} on {number} for the {alarm_class} alarm at {site_ref}: {outcome},"
        " word {result}",
        "fr": "{by} a appelé {contact_name} au {number} pour l'alarme {alarm_class} sur {site_ref}\u00a0:"
        " {outcome}, mot {result}",
    },
    "alarm.duress_word": {
        "en": "DURESS: {contact_name} gave the duress word on the {original_class} alarm at {site_name}"
        " ({site_ref}); now a P1 duress alarm",
        "fr": "CONTRAINTE\u00a0: {contact_name} a donné le mot de contrainte sur l'alarme {original_class}"
        " de {site_name} ({site_ref})\u00a0; alarme de contrainte P1",
    },
    "site.test_mode": {
        "en": "Test mode on {site_ref} {account}: until {until} (by {by}); zones still in alarm:"
        " {zones_in_alarm}",
        "fr": "Mode test sur {site_ref} {account}\u00a0: jusqu'à {until} (par {by})\u00a0; zones encore en"
        " alarme\u00a0: {zones_in_alarm}",
    },
    **video.MESSAGES,
}

WORDS: dict[str, dict[str, str]] = {
    "account": {"en": "Transmitter", "fr": "Transmetteur"},
    "zone": {"en": "Zone", "fr": "Zone"},
    "contact": {"en": "Contact", "fr": "Contact"},
    "unit": {"en": "Unit", "fr": "Moyen"},
    "partner": {"en": "Partner", "fr": "Partenaire"},
    "schedule": {"en": "Schedule", "fr": "Horaire"},
    "whole-tenant": {"en": "the whole tenant", "fr": "tout le locataire"},
    "logins": {"en": "logins", "fr": "connexions"},
    "requests": {"en": "requests", "fr": "requêtes"},
    "new": {"en": "New event", "fr": "Nouvel événement"},
    "restore": {"en": "Restore", "fr": "Fin d'alarme"},
    "status": {"en": "Status", "fr": "État"},
    "duress": {"en": "duress", "fr": "contrainte"},
    "panic": {"en": "panic", "fr": "panique"},
    "hold_up": {"en": "hold-up", "fr": "agression"},
    "fire": {"en": "fire", "fr": "incendie"},
    "medical": {"en": "medical", "fr": "médical"},
    "intrusion": {"en": "intrusion", "fr": "intrusion"},
    "other": {"en": "general", "fr": "générale"},
    "tamper": {"en": "tamper", "fr": "autoprotection"},
    "ac_loss": {"en": "mains loss", "fr": "coupure secteur"},
    "low_battery": {"en": "low battery", "fr": "batterie faible"},
    "technical": {"en": "technical", "fr": "technique"},
    "link_lost": {"en": "link lost", "fr": "perte de liaison"},
    "missed_test": {"en": "missed test", "fr": "test cyclique manquant"},
    "unknown_account": {"en": "unknown transmitter", "fr": "transmetteur inconnu"},
    "test_ended": {"en": "end of test mode", "fr": "fin de mode test"},
    "supervision": {"en": "supervision", "fr": "supervision"},
    "real": {"en": "real", "fr": "réelle"},
    "false": {"en": "false", "fr": "fausse"},
    "signal": {"en": "new signal", "fr": "nouveau signal"},
    "follow-up": {"en": "follow-up due", "fr": "rappel échu"},
    "answered": {"en": "answered", "fr": "a répondu"},
    "no_answer": {"en": "no answer", "fr": "pas de réponse"},
    "busy": {"en": "busy", "fr": "occupé"},
    "wrong_person": {"en": "wrong person", "fr": "mauvais interlocuteur"},
    "password": {"en": "correct", "fr": "correct"},
    "wrong": {"en": "wrong", "fr": "faux"},
    "none": {"en": "not asked", "fr": "non demandé"},
    **video.WORDS,
}
TRANSLATED_PARAMS: tuple[str, ...] = (
    "what",
    "scope",
    "nature",
    "alarm_class",
    "original_class",
    "outcome",
    "why",
    "result",
    "action",
    "mode",
)


def render(key: str, params: Mapping[str, Any], language: str = "en") -> str:
    """The text of a message in a language; unknown keys and missing parameters stay readable."""
    language = language if language in LANGUAGES else "en"
    texts = MESSAGES.get(key)
    if texts is None:
        return f"{key} {dict(params)}" if params else key
    shown = {  # a list (outcome codes, zones) reads as words, not as Python's repr
        name: ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        for name, value in params.items()
    }
    for name in TRANSLATED_PARAMS:  # only these parameters hold words of ours; the rest is data
        if isinstance(shown.get(name), str):
            shown[name] = WORDS.get(shown[name], {}).get(language, shown[name])
    try:
        return texts[language].format(**shown)
    except (KeyError, IndexError):
        return f"{texts[language]} {dict(params)}"


def _merge_areas(*names: str) -> None:
    """Areas keep their messages and words in modules of their own (``i18n/<area>.py``: ``MESSAGES``,
    ``WORDS``, ``TRANSLATED_PARAMS``), merged here once, at import."""
    global TRANSLATED_PARAMS  # noqa: PLW0603 - extended once, at import
    for name in names:
        module = importlib.import_module(f"tocsin.i18n.{name}")
        MESSAGES.update(module.MESSAGES)
        WORDS.update({k: v for k, v in getattr(module, "WORDS", {}).items() if k not in WORDS})
        TRANSLATED_PARAMS = (*TRANSLATED_PARAMS, *getattr(module, "TRANSLATED_PARAMS", ()))


WORDS |= STATION_WORDS  # the station health's alarm classes
MESSAGES.update(GEO_MESSAGES)  # addresses and the geocoder
_merge_areas("plans", "verification", "schedules", "kpis", "partners", "units", "sites", "room")
MESSAGES.update(INCIDENT_MESSAGES)  # dispatch events
_merge_areas("routing")  # unit recommendation and road import
