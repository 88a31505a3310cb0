"""Words of telling partners and closing events, in English and French: the logbook's messages (merged
into the catalogue), the words their parameters take, and the console's labels (merged into the UI)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "incident.partner_requested": {
        "en": "{by} told {partner_name} by {channel} ({sent_to}) about event {type_code} at {address}:"
        " {message}",
        "fr": "{by} a prévenu {partner_name} par {channel} ({sent_to}) de l'évènement {type_code}"
        " ({address})\u00a0: {message}",
    },
    "incident.partner_acknowledged": {
        "en": "{partner_name} acknowledged for event {type_code} at {address}; their reference:"
        " {reference} (recorded by {by})",
        "fr": "{partner_name} a accusé réception pour l'évènement {type_code} ({address})\u00a0; leur"
        " référence\u00a0: {reference} (noté par {by})",
    },
    "incident.radio_assigned": {
        "en": "{by} assigned radio channel {channel} {talkgroup} to event {type_code} at {address}",
        "fr": "{by} a attribué le canal radio {channel} {talkgroup} à l'évènement {type_code} ({address})",
    },
    "incident.reported": {
        "en": "{by} wrote the report of event {type_code} at {address}: {outcomes} ({dispositions}) — {text}",
        "fr": "{by} a rédigé le compte-rendu de l'évènement {type_code} ({address})\u00a0: {outcomes}"
        " ({dispositions}) — {text}",
    },
    "incident.correction_filed": {
        "en": "{by} asked for a correction of a {subject} ({ref}) from event {type_code}: {text}",
        "fr": "{by} a demandé la correction d'une donnée ({subject}, {ref}) depuis l'évènement"
        " {type_code}\u00a0: {text}",
    },
    "correction.resolved": {
        "en": "{by} resolved the correction of a {subject} ({ref}): {resolution}",
        "fr": "{by} a traité la demande de correction ({subject}, {ref})\u00a0: {resolution}",
    },
    "partners.matrix_changed": {
        "en": "{by} set the notification matrix: {rules} rules, {templates} templates",
        "fr": "{by} a défini la matrice d'information\u00a0: {rules} règles, {templates} modèles",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "phone": {"en": "phone", "fr": "téléphone"},
    "email": {"en": "email", "fr": "courriel"},
    "radio": {"en": "radio", "fr": "radio"},
    "address": {"en": "address", "fr": "adresse"},
    "contact": {"en": "contact", "fr": "contact"},
    "site": {"en": "site", "fr": "site"},
    "partner": {"en": "partner", "fr": "partenaire"},
    "other": {"en": "other", "fr": "autre"},
}
TRANSLATED_PARAMS = ("channel", "subject")

# The outcome codes of a report, as operators read them.
OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "handled": {"en": "handled on scene", "fr": "traité sur place"},
    "transported": {"en": "victim transported", "fr": "victime transportée"},
    "arrest": {"en": "arrest", "fr": "interpellation"},
    "citation": {"en": "ticket issued", "fr": "verbalisation"},
    "warning": {"en": "warning given", "fr": "avertissement"},
    "report_taken": {"en": "report taken", "fr": "procès-verbal / rapport établi"},
    "referred": {"en": "referred to another service", "fr": "orienté vers un autre service"},
    "false_alarm": {"en": "false alarm", "fr": "fausse alerte"},
    "unfounded": {"en": "nothing found", "fr": "rien à signaler"},
    "gone_on_arrival": {"en": "gone on arrival", "fr": "parti à l\u2019arrivée"},
    "unable_to_locate": {"en": "unable to locate", "fr": "introuvable"},
    "cancelled": {"en": "cancelled", "fr": "annulé"},
    "duplicate": {"en": "duplicate", "fr": "doublon"},
    "no_action": {"en": "no action needed", "fr": "sans suite"},
}

PARTNER_KIND_LABELS: dict[str, dict[str, str]] = {
    "police": {"en": "police", "fr": "police"},
    "gendarmerie": {"en": "gendarmerie", "fr": "gendarmerie"},
    "fire": {"en": "fire service", "fr": "sapeurs-pompiers"},
    "samu": {"en": "SAMU (emergency medical)", "fr": "SAMU"},
    "gas": {"en": "gas utility", "fr": "gaz"},
    "power": {"en": "power utility", "fr": "électricité"},
    "rail": {"en": "railway", "fr": "ferroviaire"},
    "other": {"en": "other", "fr": "autre"},
}

UI: dict[str, dict[str, str]] = {
    "partners.title": {"en": "Partners", "fr": "Partenaires"},
    "partners.suggested": {"en": "To tell (matrix)", "fr": "À prévenir (matrice)"},
    "partners.none_suggested": {
        "en": "The matrix names no partner for this event.",
        "fr": "La matrice ne désigne aucun partenaire pour cet évènement.",
    },
    "partners.chain": {"en": "Chain of command to tell", "fr": "Chaîne de commandement à informer"},
    "partners.sent": {"en": "told", "fr": "prévenu"},
    "partners.send": {"en": "Send", "fr": "Envoyer"},
    "partners.requests": {"en": "Requests sent", "fr": "Demandes envoyées"},
    "partners.no_requests": {"en": "none yet", "fr": "aucune pour l\u2019instant"},
    "partners.partner": {"en": "Partner", "fr": "Partenaire"},
    "partners.channel": {"en": "Channel", "fr": "Canal"},
    "partners.template": {"en": "Template", "fr": "Modèle"},
    "partners.message": {"en": "Message", "fr": "Message"},
    "partners.ack": {"en": "Acknowledged", "fr": "Accusé de réception"},
    "partners.record_ack": {"en": "Record ack", "fr": "Noter l\u2019accusé"},
    "partners.reference": {"en": "Their reference", "fr": "Leur référence"},
    "partners.waiting": {"en": "waiting", "fr": "en attente"},
    "partners.radio": {"en": "Radio channel", "fr": "Canal radio"},
    "partners.talkgroup": {"en": "Talk-group", "fr": "Groupe"},
    "partners.assign": {"en": "Assign", "fr": "Attribuer"},
    "partners.fields": {"en": "Fields to fill", "fr": "Champs à remplir"},
    "report.title": {"en": "Report and close", "fr": "Compte-rendu et clôture"},
    "report.outcomes": {"en": "Outcome", "fr": "Issue"},
    "report.text": {"en": "Report", "fr": "Compte-rendu"},
    "report.save": {"en": "Save the report", "fr": "Enregistrer le compte-rendu"},
    "report.close": {"en": "Close the event", "fr": "Clore l\u2019évènement"},
    "report.written": {"en": "Report written by", "fr": "Compte-rendu rédigé par"},
    "report.sheet": {"en": "Event sheet (PDF)", "fr": "Fiche évènement (PDF)"},
    "report.emsi": {"en": "EMSI export", "fr": "Export EMSI"},
    "correction.title": {"en": "Report wrong reference data", "fr": "Signaler une donnée erronée"},
    "correction.subject": {"en": "About", "fr": "Concerne"},
    "correction.ref": {"en": "Which one", "fr": "Laquelle"},
    "correction.text": {"en": "What is wrong", "fr": "Ce qui est faux"},
    "correction.file": {"en": "File", "fr": "Transmettre"},
    "correction.filed": {
        "en": "Filed: the administrators will see it in their list.",
        "fr": "Transmis\u00a0: les administrateurs le verront dans leur liste.",
    },
    **{f"outcome.{code}": label for code, label in OUTCOME_LABELS.items()},
    **{f"partner_kind.{kind}": label for kind, label in PARTNER_KIND_LABELS.items()},
}

# The printable event sheet.
PDF: dict[str, dict[str, str]] = {
    "title": {"en": "Event sheet", "fr": "Fiche évènement"},
    "intro": {
        "en": "The event as the operations room recorded it: what, where, who called, who was told and what"
        " they answered, the report, and the timeline from the logbook (tocsin logbook verify checks it).",
        "fr": "L\u2019évènement tel que la salle l\u2019a consigné\u00a0: quoi, où, qui a appelé, qui a été"
        " prévenu et ce qu\u2019il a répondu, le compte-rendu, et la chronologie tirée de la main courante"
        " (tocsin logbook verify la vérifie).",
    },
    "id": {"en": "Event id", "fr": "Identifiant"},
    "type": {"en": "Type", "fr": "Nature"},
    "priority": {"en": "Priority", "fr": "Priorité"},
    "state": {"en": "State", "fr": "État"},
    "origin": {"en": "Origin", "fr": "Origine"},
    "address": {"en": "Address", "fr": "Adresse"},
    "position": {"en": "Position", "fr": "Position"},
    "caller": {"en": "Caller", "fr": "Appelant"},
    "opened": {"en": "Opened", "fr": "Ouvert"},
    "closed": {"en": "Closed", "fr": "Clos"},
    "radio": {"en": "Radio channel", "fr": "Canal radio"},
    "summary": {"en": "Summary", "fr": "Résumé"},
    "partners": {"en": "Partners told", "fr": "Partenaires prévenus"},
    "report": {"en": "Report (compte-rendu)", "fr": "Compte-rendu"},
    "outcomes": {"en": "Outcome", "fr": "Issue"},
    "written": {"en": "Written", "fr": "Rédigé"},
    "no_report": {"en": "No report yet.", "fr": "Pas encore de compte-rendu."},
    "timeline": {"en": "Timeline", "fr": "Chronologie"},
    "corrections": {"en": "Corrections asked", "fr": "Corrections demandées"},
    "time": {"en": "Time (UTC)", "fr": "Heure (UTC)"},
    "partner": {"en": "Partner", "fr": "Partenaire"},
    "channel": {"en": "Channel", "fr": "Canal"},
    "message": {"en": "Message", "fr": "Message"},
    "answer": {"en": "Answer", "fr": "Réponse"},
    "by": {"en": "By", "fr": "Par"},
    "what": {"en": "What", "fr": "Quoi"},
    "about": {"en": "About", "fr": "Concerne"},
    "status": {"en": "Status", "fr": "Statut"},
    "none": {"en": "None.", "fr": "Aucun."},
    "waiting": {"en": "waiting", "fr": "en attente"},
    "made": {"en": "Printed {at} by {by}.", "fr": "Imprimé le {at} par {by}."},
    "page": {"en": "page {n}", "fr": "page {n}"},
}
