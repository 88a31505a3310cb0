"""Words of the levée de doute, in English and French: the logbook's messages (merged into the
catalogue), the words their parameters take, and the console's labels (merged into the UI strings)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "alarm.verified": {
        "en": "{by} verified the {alarm_class} alarm at {site_ref} by {method}: {outcome} (AVS {avs_score})",
        "fr": "{by} a vérifié l'alarme {alarm_class} sur {site_ref} par {method}\u00a0: {outcome}"
        " (AVS {avs_score})",
    },
    "alarm.dispatched": {
        "en": "{by} sent {responder} to {site_ref} for the {alarm_class} alarm",
        "fr": "{by} a envoyé {responder} sur {site_ref} pour l'alarme {alarm_class}",
    },
    "alarm.dispatch_arrived": {
        "en": "{responder} arrived at {site_ref} for the {alarm_class} alarm",
        "fr": "{responder} est arrivé sur {site_ref} pour l'alarme {alarm_class}",
    },
    "alarm.dispatch_findings": {
        "en": "{responder} at {site_ref}: {findings}",
        "fr": "{responder} sur {site_ref}\u00a0: {findings}",
    },
    "alarm.authority_requested": {
        "en": "{by} called on {partner_name} ({service}) for the {alarm_class} alarm at {site_ref}"
        " (AVS {score}; {basis}); their reference: {reference}",
        "fr": "{by} a fait appel à {partner_name} ({service}) pour l'alarme {alarm_class} sur {site_ref}"
        " (AVS {score}\u00a0; {basis})\u00a0; leur référence\u00a0: {reference}",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "video": {"en": "video", "fr": "vidéo"},
    "audio": {"en": "audio", "fr": "écoute"},
    "guard": {"en": "guard on site", "fr": "agent sur place"},
    "ecv": {"en": "ECV", "fr": "contre-appels (ECV)"},
    "confirmed": {"en": "confirmed", "fr": "confirmée"},
    "not_confirmed": {"en": "not confirmed", "fr": "non confirmée"},
    "inconclusive": {"en": "inconclusive", "fr": "indéterminée"},
    "confirmed_intrusion": {"en": "intrusion confirmed", "fr": "intrusion avérée"},
    "person_on_site": {"en": "someone on site", "fr": "présence sur place"},
    "threat_to_life": {"en": "threat to life", "fr": "menace pour les personnes"},
    "nothing_found": {"en": "nothing found", "fr": "rien à signaler"},
    "no_access": {"en": "no access", "fr": "accès impossible"},
    "police": {"en": "police", "fr": "forces de l'ordre"},
    "presence": {"en": "human presence", "fr": "présence humaine"},
    "property": {"en": "threat to property", "fr": "atteinte aux biens"},
    "life": {"en": "threat to life", "fr": "menace pour les personnes"},
}
TRANSLATED_PARAMS = ("method", "findings", "service", "threat")

UI: dict[str, dict[str, str]] = {
    "verify.title": {"en": "Levée de doute", "fr": "Levée de doute"},
    "verify.score": {"en": "AVS-01 score", "fr": "Score AVS-01"},
    "verify.queue_score": {"en": "AVS", "fr": "AVS"},
    "verify.positive": {"en": "Verified by", "fr": "Vérifiée par"},
    "verify.unverified": {"en": "not verified", "fr": "non vérifiée"},
    "verify.results": {"en": "Verifications", "fr": "Vérifications"},
    "verify.dispatches": {"en": "Dispatches", "fr": "Envois sur place"},
    "verify.requests": {"en": "Requests for help", "fr": "Demandes d\u2019intervention"},
    "verify.none": {"en": "none yet", "fr": "aucune pour l\u2019instant"},
    "verify.method": {"en": "Method", "fr": "Moyen"},
    "verify.outcome": {"en": "Result", "fr": "Résultat"},
    "verify.threat": {"en": "Threat", "fr": "Menace"},
    "verify.note": {"en": "Note", "fr": "Note"},
    "verify.record": {"en": "Record", "fr": "Enregistrer"},
    "verify.cancel": {"en": "Cancel", "fr": "Annuler"},
    "verify.form_title": {"en": "Record a verification", "fr": "Enregistrer une vérification"},
    "verify.form_hint": {
        "en": "V video · U audio — then C confirmed, N not confirmed, I inconclusive; Enter records, Esc"
        " cancels",
        "fr": "V vidéo · U écoute — puis C confirmée, N non confirmée, I indéterminée\u00a0; Entrée"
        " enregistre, Échap annule",
    },
    "verify.dispatch_title": {"en": "Send a guard or keyholder", "fr": "Envoyer un agent ou un détenteur"},
    "verify.dispatch_hint": {
        "en": "a digit picks the responder; Enter sends, Esc cancels",
        "fr": "un chiffre choisit l\u2019intervenant\u00a0; Entrée envoie, Échap annule",
    },
    "verify.eta": {"en": "ETA (minutes)", "fr": "Arrivée prévue (minutes)"},
    "verify.send": {"en": "Send", "fr": "Envoyer"},
    "verify.arrived": {"en": "On site", "fr": "Sur place"},
    "verify.mark_arrived": {"en": "Mark on site", "fr": "Marquer sur place"},
    "verify.findings": {"en": "Findings", "fr": "Constat"},
    "verify.findings_title": {"en": "On site and findings", "fr": "Sur place et constat"},
    "verify.findings_hint": {
        "en": "a digit picks the findings; Enter records (arrival too), Esc cancels",
        "fr": "un chiffre choisit le constat\u00a0; Entrée enregistre (et l\u2019arrivée), Échap annule",
    },
    "verify.request_title": {
        "en": "Request police, fire or ambulance",
        "fr": "Demander police, pompiers ou SAMU",
    },
    "verify.request_hint": {
        "en": "a digit picks the partner; Enter requests, Esc cancels",
        "fr": "un chiffre choisit le partenaire\u00a0; Entrée demande, Échap annule",
    },
    "verify.partner": {"en": "Partner", "fr": "Partenaire"},
    "verify.message": {"en": "Message given", "fr": "Message transmis"},
    "verify.reference": {"en": "Their reference", "fr": "Leur référence"},
    "verify.request": {"en": "Request", "fr": "Demander"},
    "verify.refused": {"en": "Refused", "fr": "Refusée"},
    "verify.requested": {"en": "Requested", "fr": "Demandée"},
    "verify.evidence": {"en": "Evidence file (PDF)", "fr": "Dossier de preuve (PDF)"},
    "verify.keys": {
        "en": "V verify · G send a guard · A on site, findings · D request police · E evidence",
        "fr": "V vérifier · G envoyer un agent · A sur place, constat · D demander la police · E preuve",
    },
    "verify.eta_at": {"en": "ETA", "fr": "prévu"},
    "verify.keyholder": {"en": "keyholder", "fr": "détenteur des clés"},
    "verify.nobody": {"en": "No unit or keyholder to send.", "fr": "Aucun agent ni détenteur à envoyer."},
    "verify.no_partner": {"en": "No partner on file.", "fr": "Aucun partenaire enregistré."},
    "verify.take_first": {
        "en": "Take the alarm first (T).",
        "fr": "Prenez d\u2019abord l\u2019alarme (T).",
    },
    "verify.on_site_only": {"en": "on site, no findings yet", "fr": "sur place, sans constat"},
    "verify.method_video": {"en": "Video seen", "fr": "Vidéo visionnée"},
    "verify.method_audio": {"en": "Audio heard", "fr": "Écoute"},
    "verify.outcome_confirmed": {"en": "Confirmed", "fr": "Confirmée"},
    "verify.outcome_not_confirmed": {"en": "Not confirmed", "fr": "Non confirmée"},
    "verify.outcome_inconclusive": {"en": "Inconclusive", "fr": "Indéterminée"},
    "verify.threat_presence": {"en": "human presence", "fr": "présence humaine"},
    "verify.threat_property": {"en": "threat to property", "fr": "atteinte aux biens"},
    "verify.threat_life": {"en": "threat to life", "fr": "menace pour les personnes"},
    "verify.findings_confirmed_intrusion": {"en": "intrusion confirmed", "fr": "intrusion avérée"},
    "verify.findings_person_on_site": {"en": "someone on site", "fr": "présence sur place"},
    "verify.findings_threat_to_life": {"en": "threat to life", "fr": "menace pour les personnes"},
    "verify.findings_nothing_found": {"en": "nothing found", "fr": "rien à signaler"},
    "verify.findings_no_access": {"en": "no access", "fr": "accès impossible"},
    "verify.arrival_only": {"en": "on site only, no findings yet", "fr": "sur place seulement, sans constat"},
    "verify.ecv": {"en": "ECV (two numbers called)", "fr": "ECV (deux numéros appelés)"},
    "verify.guard": {"en": "guard on site", "fr": "agent sur place"},
    "verify.video": {"en": "video", "fr": "vidéo"},
    "verify.audio": {"en": "audio", "fr": "écoute"},
    "verify.basis": {"en": "Allowed by", "fr": "Fondement"},
    "verify.default_message": {
        "en": "{alarm} alarm at {site}: intervention requested.",
        "fr": "Alarme {alarm} sur {site}\u00a0: intervention demandée.",
    },
    "verify.no_dispatch": {
        "en": "Nobody was sent yet: press G.",
        "fr": "Personne n\u2019a été envoyé\u00a0: touche G.",
    },
}

# The evidence file's headings and labels (the PDF is printed in the reader's language).
PDF: dict[str, dict[str, str]] = {
    "title": {"en": "Evidence file — levée de doute", "fr": "Dossier de preuve — levée de doute"},
    "intro": {
        "en": "What the alarm receiving centre did before asking for help, from its logbook. Each entry's"
        " chain, sequence and hash can be checked against the logbook (tocsin logbook verify).",
        "fr": "Ce que le centre de télésurveillance a fait avant de demander une intervention, tiré de sa"
        " main courante. La chaîne, le numéro et l\u2019empreinte de chaque inscription se vérifient sur la"
        " main courante (tocsin logbook verify).",
    },
    "alarm": {"en": "Alarm", "fr": "Alarme"},
    "id": {"en": "Alarm id", "fr": "Identifiant de l\u2019alarme"},
    "class": {"en": "Class", "fr": "Type"},
    "priority": {"en": "Priority", "fr": "Priorité"},
    "site": {"en": "Site", "fr": "Site"},
    "opened": {"en": "Opened", "fr": "Ouverte"},
    "state": {"en": "State", "fr": "État"},
    "operator": {"en": "Operator", "fr": "Opérateur"},
    "outcome": {"en": "Outcome", "fr": "Issue"},
    "score": {"en": "AVS-01 score", "fr": "Score AVS-01"},
    "verified_by": {"en": "Verified by", "fr": "Vérifiée par"},
    "not_verified": {"en": "no positive verification", "fr": "aucune vérification positive"},
    "signals": {"en": "Signals", "fr": "Signaux"},
    "verifications": {"en": "Verifications", "fr": "Vérifications"},
    "dispatches": {"en": "Guards and keyholders sent", "fr": "Agents et détenteurs envoyés"},
    "calls": {"en": "Calls", "fr": "Appels"},
    "requests": {"en": "Requests for help", "fr": "Demandes d\u2019intervention"},
    "entries": {"en": "Logbook entries", "fr": "Inscriptions en main courante"},
    "none": {"en": "None.", "fr": "Aucun."},
    "time": {"en": "Time (UTC)", "fr": "Heure (UTC)"},
    "account": {"en": "Transmitter", "fr": "Transmetteur"},
    "zone": {"en": "Zone", "fr": "Zone"},
    "event": {"en": "Event", "fr": "Évènement"},
    "method": {"en": "Method", "fr": "Moyen"},
    "result": {"en": "Result", "fr": "Résultat"},
    "threat": {"en": "Threat", "fr": "Menace"},
    "by": {"en": "By", "fr": "Par"},
    "note": {"en": "Note", "fr": "Note"},
    "who": {"en": "Who", "fr": "Qui"},
    "eta": {"en": "ETA", "fr": "Prévu"},
    "arrived": {"en": "On site", "fr": "Sur place"},
    "findings": {"en": "Findings", "fr": "Constat"},
    "number": {"en": "Number", "fr": "Numéro"},
    "word": {"en": "Word", "fr": "Mot"},
    "partner": {"en": "Partner", "fr": "Partenaire"},
    "message": {"en": "Message given", "fr": "Message transmis"},
    "reference": {"en": "Their reference", "fr": "Leur référence"},
    "basis": {"en": "Allowed by", "fr": "Fondement"},
    "kind": {"en": "Kind", "fr": "Nature"},
    "seq": {"en": "Chain / seq", "fr": "Chaîne / n°"},
    "hash": {"en": "Hash (SHA-256)", "fr": "Empreinte (SHA-256)"},
    "made": {"en": "Printed {at} by {by}", "fr": "Édité le {at} par {by}"},
    "page": {"en": "Page {n}", "fr": "Page {n}"},
}
