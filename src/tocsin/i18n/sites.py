"""Words of the sites page and of a site file's editing, in English and French: merged into the
console's strings (``ui.UI``) and the logbook's catalogue (``catalogue.MESSAGES`` and ``WORDS``)."""

from __future__ import annotations

NB = "\u00a0"  # before ':' in French

UI_STRINGS: dict[str, dict[str, str]] = {
    "sitefile.title": {"en": "Sites", "fr": "Sites"},
    "sitefile.link": {"en": "Sites", "fr": "Sites"},
    "sitefile.help_key": {
        "en": "Find a site and its file (the Sites page)",
        "fr": "Rechercher un site et sa fiche (page Sites)",
    },
    "sitefile.back": {"en": "Back to the console", "fr": "Retour à la console"},
    "sitefile.read_only": {"en": "read only", "fr": "lecture seule"},
    "sitefile.forbidden": {
        "en": "Your role does not let you read the sites: ask an administrator.",
        "fr": f"Votre rôle ne permet pas de consulter les sites{NB}: demandez à un administrateur.",
    },
    "sitefile.keys": {
        "en": "/ search · ↑ ↓ move through the results · Enter open · Esc back to the search",
        "fr": "/ rechercher · ↑ ↓ parcourir les résultats · Entrée ouvrir · Échap revenir à la recherche",
    },
    "sitefile.search": {"en": "Find a site", "fr": "Rechercher un site"},
    "sitefile.search_label": {
        "en": "Name, reference, address, account number or contact",
        "fr": "Nom, référence, adresse, numéro de transmetteur ou contact",
    },
    "sitefile.search_placeholder": {
        "en": "e.g. bakery, SA-12, 1280",
        "fr": "ex.\u00a0: boulangerie, SA-12, 1280",
    },
    "sitefile.results": {"en": "Sites found", "fr": "Sites trouvés"},
    "sitefile.none": {"en": "No site matches.", "fr": "Aucun site ne correspond."},
    "sitefile.create": {"en": "Create", "fr": "Créer"},
    "sitefile.new_client": {"en": "New client", "fr": "Nouveau client"},
    "sitefile.new_site": {"en": "New site", "fr": "Nouveau site"},
    "sitefile.create_client": {"en": "Create the client", "fr": "Créer le client"},
    "sitefile.create_site": {"en": "Create the site", "fr": "Créer le site"},
    "sitefile.client_created": {"en": "Client {name} created.", "fr": "Client {name} créé."},
    "sitefile.site_created": {"en": "Site {name} created.", "fr": "Site {name} créé."},
    "sitefile.client": {"en": "Client", "fr": "Client"},
    "sitefile.ref": {"en": "Reference", "fr": "Référence"},
    "sitefile.name": {"en": "Name", "fr": "Nom"},
    "sitefile.address": {"en": "Address", "fr": "Adresse"},
    "sitefile.postcode": {"en": "Postcode", "fr": "Code postal"},
    "sitefile.city": {"en": "City", "fr": "Commune"},
    "sitefile.latitude": {"en": "Latitude", "fr": "Latitude"},
    "sitefile.longitude": {"en": "Longitude", "fr": "Longitude"},
    "sitefile.time_zone": {"en": "Time zone", "fr": "Fuseau horaire"},
    "sitefile.notes": {"en": "Notes", "fr": "Remarques"},
    "sitefile.fields": {"en": "Site", "fr": "Site"},
    "sitefile.bad_number": {
        "en": "Latitude and longitude are decimal degrees (45.7485): nothing was saved.",
        "fr": f"Latitude et longitude s\u2019écrivent en degrés décimaux (45,7485){NB}:"
        " rien n\u2019a été enregistré.",
    },
    "sitefile.save": {"en": "Save", "fr": "Enregistrer"},
    "sitefile.saved": {
        "en": "Saved: the change is in the logbook.",
        "fr": f"Enregistré{NB}: le changement est inscrit en main courante.",
    },
    "sitefile.failed": {"en": "Not done: {detail}", "fr": f"Non effectué{NB}: {{detail}}"},
    "sitefile.remove": {"en": "Remove", "fr": "Supprimer"},
    "sitefile.removed": {
        "en": "Removed: the logbook says so.",
        "fr": f"Supprimé{NB}: la main courante l\u2019indique.",
    },
    "sitefile.confirm_remove": {"en": "Remove {what}?", "fr": "Supprimer {what}\u202f?"},
    "sitefile.actions": {"en": "Actions", "fr": "Actions"},
    "sitefile.schedule": {"en": "Schedule", "fr": "Horaire"},
    "sitefile.no_schedule": {"en": "No schedule", "fr": "Aucun horaire"},
    "sitefile.assign": {"en": "Assign", "fr": "Affecter"},
    "sitefile.zones": {"en": "Zones", "fr": "Zones"},
    "sitefile.zone_number": {"en": "Zone", "fr": "Zone"},
    "sitefile.zone_label": {"en": "Label", "fr": "Libellé"},
    "sitefile.zone_kind": {"en": "Kind", "fr": "Type"},
    "sitefile.no_zones": {"en": "No zone yet.", "fr": "Aucune zone pour l\u2019instant."},
    "sitefile.add_zone": {"en": "Add the zone", "fr": "Ajouter la zone"},
    "sitefile.contacts": {"en": "Contacts (call order)", "fr": "Contacts (ordre d\u2019appel)"},
    "sitefile.call_order": {"en": "Order", "fr": "Ordre"},
    "sitefile.contact_name": {"en": "Name", "fr": "Nom"},
    "sitefile.phones": {"en": "Phones", "fr": "Téléphones"},
    "sitefile.role": {"en": "Role", "fr": "Qualité"},
    "sitefile.password": {"en": "Password", "fr": "Mot de passe"},
    "sitefile.duress": {"en": "Duress word", "fr": "Mot de contrainte"},
    "sitefile.set": {"en": "set", "fr": "défini"},
    "sitefile.not_set": {"en": "not set", "fr": "non défini"},
    "sitefile.new_password": {"en": "New password", "fr": "Nouveau mot de passe"},
    "sitefile.new_duress": {"en": "New duress word", "fr": "Nouveau mot de contrainte"},
    "sitefile.move_up": {"en": "Call earlier:", "fr": f"Appeler plus tôt{NB}:"},
    "sitefile.move_down": {"en": "Call later:", "fr": f"Appeler plus tard{NB}:"},
    "sitefile.no_contacts": {"en": "No contact yet.", "fr": "Aucun contact pour l\u2019instant."},
    "sitefile.add_contact": {"en": "Add the contact", "fr": "Ajouter le contact"},
    "sitefile.accounts": {"en": "Transmitters", "fr": "Transmetteurs"},
    "sitefile.account": {"en": "Transmitter", "fr": "Transmetteur"},
    "sitefile.account_number": {"en": "Account number", "fr": "Numéro de compte"},
    "sitefile.receiver": {"en": "Receiver prefix", "fr": "Préfixe récepteur"},
    "sitefile.line": {"en": "Line prefix", "fr": "Préfixe ligne"},
    "sitefile.profile": {"en": "Panel profile", "fr": "Profil de centrale"},
    "sitefile.supervision": {"en": "Supervision", "fr": "Supervision"},
    "sitefile.no_accounts": {"en": "No transmitter yet.", "fr": "Aucun transmetteur pour l\u2019instant."},
    "sitefile.add_account": {"en": "Add the transmitter", "fr": "Ajouter le transmetteur"},
    "sitefile.plans": {"en": "Action plans", "fr": "Consignes"},
    "sitefile.plans_help": {
        "en": "The plan in force for each alarm class, and where it comes from: the site's own, its"
        " client's template, or the default.",
        "fr": "La consigne en vigueur pour chaque classe d\u2019alarme, et son origine\u00a0: celle du site,"
        " le modèle du client, ou la consigne par défaut.",
    },
    "sitefile.override": {"en": "Write a site plan", "fr": "Écrire une consigne du site"},
    "sitefile.edit_override": {"en": "Edit the site plan", "fr": "Modifier la consigne du site"},
    "sitefile.remove_override": {"en": "Remove the site plan", "fr": "Supprimer la consigne du site"},
    "sitefile.save_override": {"en": "Save the site plan", "fr": "Enregistrer la consigne du site"},
    "sitefile.plan_saved": {
        "en": "The site plan is saved and in force.",
        "fr": "La consigne du site est enregistrée et en vigueur.",
    },
    "sitefile.plan_removed": {
        "en": "The site plan is removed: the client's or the default applies.",
        "fr": f"La consigne du site est supprimée{NB}: celle du client ou par défaut s\u2019applique.",
    },
    "sitefile.add_step": {"en": "Add a step", "fr": "Ajouter une étape"},
    "sitefile.step_kind": {"en": "Step kind", "fr": "Type d\u2019étape"},
    "sitefile.step_text": {"en": "Instruction", "fr": "Consigne"},
    "sitefile.cancel": {"en": "Cancel", "fr": "Annuler"},
    "sitefile.instructions": {"en": "Temporary instructions", "fr": "Consignes temporaires"},
    "sitefile.instruction_kind": {"en": "Kind", "fr": "Type"},
    "sitefile.instruction_text": {"en": "What the client said", "fr": "Ce qu\u2019a dit le client"},
    "sitefile.caller": {"en": "Caller", "fr": "Appelant"},
    "sitefile.starts": {"en": "From", "fr": "Du"},
    "sitefile.ends": {"en": "Until", "fr": "Au"},
    "sitefile.state": {"en": "State", "fr": "État"},
    "sitefile.in_force": {"en": "in force", "fr": "en vigueur"},
    "sitefile.upcoming": {"en": "upcoming", "fr": "à venir"},
    "sitefile.end_now": {"en": "End now", "fr": "Terminer maintenant"},
    "sitefile.ended": {"en": "The instruction is ended.", "fr": "La consigne est terminée."},
    "sitefile.no_instructions": {"en": "No temporary instruction.", "fr": "Aucune consigne temporaire."},
    "sitefile.add_instruction": {"en": "Add the instruction", "fr": "Ajouter la consigne"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "site.updated": {
        "en": "Site {site_ref} changed ({fields}): {before} → {after}",
        "fr": f"Site {{site_ref}} modifié ({{fields}}){NB}: {{before}} → {{after}}",
    },
    "site.child_changed": {
        "en": "Site {site_ref}: {what} {label} {action} ({fields})",
        "fr": f"Site {{site_ref}}{NB}: {{what}} {{label}} {{action}} ({{fields}})",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "changed": {"en": "changed", "fr": "modifié"},
    "removed": {"en": "removed", "fr": "supprimé"},
    "reordered": {"en": "contacts reordered", "fr": "contacts réordonnés"},
}
