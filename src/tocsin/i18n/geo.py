"""Words of the geocoder and the address import: logbook messages and console strings, EN and FR."""

from __future__ import annotations

GEO_MESSAGES: dict[str, dict[str, str]] = {
    "geo.addresses_imported": {
        "en": "Addresses imported from {source}: {added} added, {updated} updated, {skipped} lines skipped",
        "fr": "Adresses importées de {source}\u00a0: {added} ajoutées, {updated} mises à jour,"
        " {skipped} lignes ignorées",
    },
}

GEO_UI: dict[str, dict[str, str]] = {
    "geo.search": {"en": "Find an address or a site", "fr": "Chercher une adresse ou un site"},
    "geo.nothing_found": {
        "en": "No address matches \u201c{query}\u201d: check the spelling, or click the place on the map.",
        "fr": "Aucune adresse ne correspond à «\u00a0{query}\u00a0»\u00a0: vérifiez l\u2019orthographe,"
        " ou cliquez l\u2019endroit sur la carte.",
    },
    "geo.precision.address": {"en": "address", "fr": "adresse"},
    "geo.precision.nearby_number": {"en": "nearest number", "fr": "numéro le plus proche"},
    "geo.precision.street": {"en": "street", "fr": "voie"},
    "geo.precision.site": {"en": "site", "fr": "site"},
    "geo.map_click": {"en": "Click the map to place it", "fr": "Cliquez la carte pour le placer"},
}
