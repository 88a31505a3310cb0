"""The KPIs' words: the logbook's entry for a tenant's targets, the supervisors' page and the PDF report."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "kpi.targets_set": {
        "en": "KPI targets set: take {take}; settle {settle} (seconds:percent; node: the node's settings;"
        " -: none)",
        "fr": "Objectifs des indicateurs\u00a0: prise en charge {take}\u00a0; acquittement {settle}"
        " (secondes:pourcentage\u00a0; node\u00a0: les réglages du nœud\u00a0; -\u00a0: aucun)",
    },
}

UI: dict[str, dict[str, str]] = {
    "kpis.link": {"en": "KPIs", "fr": "Indicateurs"},
    "kpis.title": {"en": "Key performance indicators", "fr": "Indicateurs de performance"},
    "kpis.back": {"en": "Back to the console", "fr": "Retour à la console"},
    "kpis.from": {"en": "From", "fr": "Du"},
    "kpis.to": {"en": "To", "fr": "Au"},
    "kpis.show": {"en": "Show", "fr": "Afficher"},
    "kpis.last24": {"en": "Last 24 h (live)", "fr": "Dernières 24\u00a0h (en direct)"},
    "kpis.csv": {"en": "CSV export", "fr": "Export CSV"},
    "kpis.pdf": {"en": "PDF report", "fr": "Rapport PDF"},
    "kpis.refresh": {
        "en": "The last 24 hours, live (an alarm's change shows within 5 s; read again every 30 s)",
        "fr": "Les dernières 24\u00a0heures, en direct (un changement d\u2019alarme paraît en 5\u00a0s\u00a0;"
        " relues toutes les 30\u00a0s)",
    },
    "kpis.fixed": {"en": "A fixed period", "fr": "Une période fixe"},
    "kpis.empty": {
        "en": "No alarm and no signal in this period.",
        "fr": "Aucune alarme et aucun signal sur cette période.",
    },
    "kpis.truncated": {
        "en": "Too many alarms: only the first 200,000 are counted. Ask for a shorter period.",
        "fr": "Trop d\u2019alarmes\u00a0: seules les 200\u00a0000 premières sont comptées. Demandez une"
        " période plus courte.",
    },
    "kpis.alarms": {"en": "Alarms", "fr": "Alarmes"},
    "kpis.settled": {"en": "Settled", "fr": "Acquittées"},
    "kpis.false_rate": {"en": "False alarms", "fr": "Fausses alarmes"},
    "kpis.signals": {"en": "Signals", "fr": "Signaux"},
    "kpis.per_hour": {"en": "per hour", "fr": "par heure"},
    "kpis.timings": {
        "en": "Time to take and to settle",
        "fr": "Délais de prise en charge et d\u2019acquittement",
    },
    "kpis.class": {"en": "Class", "fr": "Classe"},
    "kpis.measure": {"en": "Measure", "fr": "Mesure"},
    "kpis.measure.take": {"en": "Take", "fr": "Prise en charge"},
    "kpis.measure.settle": {"en": "Settle", "fr": "Acquittement"},
    "kpis.measured": {"en": "Measured", "fr": "Mesurées"},
    "kpis.targets": {"en": "Targets", "fr": "Objectifs"},
    "kpis.met": {"en": "met", "fr": "atteint"},
    "kpis.missed": {"en": "missed", "fr": "manqué"},
    "kpis.all": {"en": "All classes", "fr": "Toutes classes"},
    "kpis.by_site": {"en": "False alarms by site", "fr": "Fausses alarmes par site"},
    "kpis.by_client": {"en": "False alarms by client", "fr": "Fausses alarmes par client"},
    "kpis.by_class": {"en": "False alarms by class", "fr": "Fausses alarmes par classe"},
    "kpis.causes": {"en": "Causes (closure codes)", "fr": "Causes (codes de clôture)"},
    "kpis.cause": {"en": "Cause", "fr": "Cause"},
    "kpis.outcome": {"en": "Outcome", "fr": "Issue"},
    "kpis.count": {"en": "Count", "fr": "Nombre"},
    "kpis.share": {"en": "Share", "fr": "Part"},
    "kpis.rate": {"en": "Rate", "fr": "Taux"},
    "kpis.name": {"en": "Name", "fr": "Nom"},
    "kpis.hour": {"en": "Hour", "fr": "Heure"},
    "kpis.signals_chart": {"en": "Signals per hour", "fr": "Signaux par heure"},
    "kpis.take_chart": {
        "en": "Share of alarms taken within a time (%), against the targets",
        "fr": "Part des alarmes prises en charge dans un délai (%), face aux objectifs",
    },
    "kpis.forbidden": {
        "en": "The KPIs are for supervisors: ask one of them.",
        "fr": "Les indicateurs sont réservés aux superviseurs\u00a0: demandez à l\u2019un d\u2019eux.",
    },
    "kpis.unreachable": {
        "en": "The server does not answer: the figures shown are the last ones read.",
        "fr": "Le serveur ne répond pas\u00a0: les chiffres affichés sont les derniers lus.",
    },
    "kpis.bad_period": {
        "en": "Give both times of the period, the start before the end.",
        "fr": "Indiquez les deux bornes de la période, le début avant la fin.",
    },
    "kpis.outcome.real": {"en": "real", "fr": "réelle"},
    "kpis.outcome.false": {"en": "false", "fr": "fausse"},
    "kpis.dispatch": {
        "en": "Dispatch intervals (NFPA 1225)",
        "fr": "Délais d\u2019engagement (NFPA 1225)",
    },
    "kpis.dispatch_note": {
        "en": "From each event opened in the period: processing is the event opened (the call answered)"
        " to its first unit alerted; turnout, that unit alerted to en route; travel, en route to on"
        " scene. Targets: 90 % within 60, 80 and 240 s.",
        "fr": "Pour chaque événement ouvert sur la période\u00a0: le traitement va de"
        " l\u2019ouverture de l\u2019événement (l\u2019appel décroché) à l\u2019alerte du premier"
        " moyen\u00a0; la sortie, de cette alerte au départ de ce moyen\u00a0; le trajet, du départ à"
        " l\u2019arrivée sur les lieux. Objectifs\u00a0: 90 % en 60, 80 et 240 s.",
    },
    "kpis.dispatch_chart": {
        "en": "p90 of each interval against its target (s)",
        "fr": "p90 de chaque délai face à son objectif (s)",
    },
    "kpis.events": {"en": "Events opened", "fr": "Événements ouverts"},
    "kpis.no_unit": {"en": "Without a unit alerted", "fr": "Sans moyen alerté"},
    "kpis.inconsistent": {
        "en": "Steps out of order (left out)",
        "fr": "Étapes dans le désordre (écartées)",
    },
    "kpis.interval": {"en": "Interval", "fr": "Délai"},
    "kpis.samples": {"en": "Events measured", "fr": "Événements mesurés"},
    "kpis.target": {"en": "Target", "fr": "Objectif"},
    "kpis.within": {"en": "Within the target", "fr": "Dans l\u2019objectif"},
    "kpis.interval.processing": {"en": "Processing", "fr": "Traitement"},
    "kpis.interval.turnout": {"en": "Turnout", "fr": "Sortie"},
    "kpis.interval.travel": {"en": "Travel", "fr": "Trajet"},
}

PDF: dict[str, dict[str, str]] = {
    "title": {"en": "Key performance indicators", "fr": "Indicateurs de performance"},
    "period": {"en": "Period (UTC): {start} to {end}", "fr": "Période (UTC)\u00a0: du {start} au {end}"},
    "intro": {
        "en": "Times are from an alarm's opening to its first take and to its settling; p50 and p90 are"
        " nearest-rank percentiles (always a measured time). Targets: {targets}.",
        "fr": "Les délais vont de l\u2019ouverture d\u2019une alarme à sa première prise en charge et à son"
        " acquittement\u00a0; p50 et p90 sont des percentiles au rang le plus proche (toujours un délai"
        " mesuré). Objectifs\u00a0: {targets}.",
    },
    "summary": {
        "en": "{alarms} alarms, {settled} settled, {false_rate} false; {signals} signals"
        " ({per_hour} per hour).",
        "fr": "{alarms} alarmes, {settled} acquittées, {false_rate} fausses\u00a0; {signals} signaux"
        " ({per_hour} par heure).",
    },
    "empty": UI["kpis.empty"],
    "truncated": UI["kpis.truncated"],
    "none": {"en": "None.", "fr": "Aucun."},
    "no_targets": {"en": "none", "fr": "aucun"},
    "timings": UI["kpis.timings"],
    "by_class": UI["kpis.by_class"],
    "by_site": UI["kpis.by_site"],
    "by_client": UI["kpis.by_client"],
    "causes": UI["kpis.causes"],
    "signals_chart": UI["kpis.signals_chart"],
    "class": UI["kpis.class"],
    "measure": UI["kpis.measure"],
    "take": UI["kpis.measure.take"],
    "settle": UI["kpis.measure.settle"],
    "alarms": UI["kpis.alarms"],
    "measured": UI["kpis.measured"],
    "targets": UI["kpis.targets"],
    "met": UI["kpis.met"],
    "missed": UI["kpis.missed"],
    "all": UI["kpis.all"],
    "name": UI["kpis.name"],
    "settled": UI["kpis.settled"],
    "false": UI["kpis.false_rate"],
    "rate": UI["kpis.rate"],
    "cause": UI["kpis.cause"],
    "outcome": UI["kpis.outcome"],
    "count": UI["kpis.count"],
    "share": UI["kpis.share"],
    "p50": {"en": "p50", "fr": "p50"},
    "p90": {"en": "p90", "fr": "p90"},
    "made": {"en": "Made at {at} UTC by {by}.", "fr": "Établi le {at} UTC par {by}."},
    "dispatch": UI["kpis.dispatch"],
    "dispatch_note": UI["kpis.dispatch_note"],
    "dispatch_summary": {
        "en": "{events} events opened, {no_unit} without a unit alerted, {inconsistent} steps out of order"
        " (left out).",
        "fr": "{events} événements ouverts, {no_unit} sans moyen alerté, {inconsistent} étapes dans le"
        " désordre (écartées).",
    },
    "interval": UI["kpis.interval"],
    "samples": UI["kpis.samples"],
    "target": UI["kpis.target"],
    "processing": UI["kpis.interval.processing"],
    "turnout": UI["kpis.interval.turnout"],
    "travel": UI["kpis.interval.travel"],
}
