"""Logbook messages and words of action plans, alarm checklists and temporary instructions (merged into
the catalogue by :mod:`tocsin.i18n.catalogue`)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "plan.set": {
        "en": "Action plan for {alarm_class} alarms of {owner} {owner_ref} set by {by}: {steps} step(s),"
        " {mandatory} mandatory",
        "fr": "Consigne pour les alarmes {alarm_class} du {owner} {owner_ref} fixée par {by}\u00a0:"
        " {steps} étape(s), dont {mandatory} obligatoire(s)",
    },
    "plan.removed": {
        "en": "Site {site_ref}'s own action plan for {alarm_class} alarms removed by {by}",
        "fr": "Consigne propre au site {site_ref} pour les alarmes {alarm_class} retirée par {by}",
    },
    "alarm.checklist": {
        "en": "Checklist of the {alarm_class} alarm at {site_ref}: {steps} step(s) from the {source} plan"
        " ({mandatory} mandatory)",
        "fr": "Liste d'actions de l'alarme {alarm_class} sur {site_ref}\u00a0: {steps} étape(s) de la"
        " consigne {source} ({mandatory} obligatoire(s))",
    },
    "alarm.checklist_switched": {
        "en": "The checklist of the alarm at {site_ref} switched from the {switched_from} plan to the"
        " {alarm_class} plan ({source}): {steps} step(s) added, {mandatory} mandatory; {kept} done or"
        " skipped kept",
        "fr": "La liste d'actions de l'alarme sur {site_ref} passe de la consigne {switched_from} à la"
        " consigne {alarm_class} ({source})\u00a0: {steps} étape(s) ajoutée(s), dont {mandatory}"
        " obligatoire(s)\u00a0; {kept} faite(s) ou passée(s) conservée(s)",
    },
    "alarm.step_done": {
        "en": "Step {position} ({step_kind}) of the {alarm_class} alarm at {site_ref} done by {by}:"
        " {result_text} {answered_by} {said}",
        "fr": "Étape {position} ({step_kind}) de l'alarme {alarm_class} sur {site_ref} faite par {by}\u00a0:"
        " {result_text} {answered_by} {said}",
    },
    "alarm.step_skipped": {
        "en": "Step {position} ({step_kind}) of the {alarm_class} alarm at {site_ref} skipped by {by}:"
        " {reason}",
        "fr": "Étape {position} ({step_kind}) de l'alarme {alarm_class} sur {site_ref} passée par {by}\u00a0:"
        " {reason}",
    },
    "site.instruction": {
        "en": "Temporary instruction ({instruction_kind}) on {site_ref} {account} {change} by {by}: {text}"
        " (from {starts_at} to {ends_at})",
        "fr": "Consigne temporaire ({instruction_kind}) sur {site_ref} {account} {change} par {by}\u00a0:"
        " {text} (du {starts_at} au {ends_at})",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "view_clip": {"en": "view the clip", "fr": "voir la séquence"},
    "call_site": {"en": "call the site", "fr": "contre-appel"},
    "call_contacts": {"en": "call the contacts", "fr": "appel des contacts"},
    "check_password": {"en": "check the password", "fr": "vérifier le mot de passe"},
    "dispatch_guard": {"en": "dispatch a guard", "fr": "envoi d'un agent"},
    "request_police": {"en": "request the police", "fr": "appel police"},
    "request_fire": {"en": "request the fire service", "fr": "appel pompiers"},
    "request_medical": {"en": "request medical help", "fr": "appel SAMU"},
    "inform_client": {"en": "inform the client", "fr": "informer le client"},
    "free_text": {"en": "instruction", "fr": "consigne"},
    "note": {"en": "note", "fr": "note"},
    "test_mode": {"en": "test mode", "fr": "mode test"},
    "keyholder": {"en": "keyholder", "fr": "détenteur de clés"},
    "closed": {"en": "site closed", "fr": "site fermé"},
    "given": {"en": "given", "fr": "donnée"},
    "expired": {"en": "expired", "fr": "expirée"},
    "cancelled": {"en": "cancelled", "fr": "annulée"},
    "site": {"en": "site", "fr": "site"},
    "client": {"en": "client", "fr": "client"},
    "default": {"en": "default", "fr": "par défaut"},
}

TRANSLATED_PARAMS = ("step_kind", "instruction_kind", "change", "owner", "source", "switched_from")
