"""Words of the unit recommendation and the road import: reasons for a rank, unit statuses, the
console's recommendation panel and the logbook's road-import entry, in English and French."""

from __future__ import annotations

_ROAD_EN = "{drive} by road + {turnout} turnout = {eta} ({km} km as the crow flies)"
_ROAD_FR = "{drive} de route + {turnout} de départ = {eta} ({km} km à vol d\u2019oiseau)"
_DIST_EN = (
    "about {drive} ({km} km straight \u00d7 {detour} at {speed} km/h: no road graph here)"
    " + {turnout} turnout = {eta}"
)
_DIST_FR = (
    "environ {drive} ({km} km à vol d\u2019oiseau \u00d7 {detour} à {speed} km/h\u00a0: pas de graphe"
    " routier ici) + {turnout} de départ = {eta}"
)
_FIRST_EN, _FIRST_FR = "Fastest able unit: ", "Unité apte la plus rapide\u00a0: "
_NEXT_EN, _NEXT_FR = "{behind} after the fastest: ", "{behind} après la plus rapide\u00a0: "
_PROPOSED_EN, _PROPOSED_FR = "; proposed as {line}", "\u00a0; proposée comme {line}"
_BUSY_EN, _BUSY_FR = (
    "Now {unit_status}: freeing it would bring it in ",
    "Actuellement {unit_status}\u00a0: la libérer l\u2019amènerait en ",
)


def _reasons() -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for how, en, fr in (("road", _ROAD_EN, _ROAD_FR), ("distance", _DIST_EN, _DIST_FR)):
        for order, pre_en, pre_fr in (("first", _FIRST_EN, _FIRST_FR), ("next", _NEXT_EN, _NEXT_FR)):
            texts[f"recommend.{order}.{how}"] = {"en": pre_en + en, "fr": pre_fr + fr}
            texts[f"recommend.{order}.{how}.proposed"] = {
                "en": pre_en + en + _PROPOSED_EN,
                "fr": pre_fr + fr + _PROPOSED_FR,
            }
        texts[f"recommend.busy.{how}"] = {"en": _BUSY_EN + en, "fr": _BUSY_FR + fr}
    return texts


MESSAGES: dict[str, dict[str, str]] = {
    **_reasons(),
    "recommend.beyond": {
        "en": "Not reachable by road within {cutoff} ({km} km as the crow flies)",
        "fr": "Injoignable par la route en moins de {cutoff} ({km} km à vol d\u2019oiseau)",
    },
    "recommend.busy_beyond": {
        "en": "Now {unit_status}: not reachable by road within {cutoff} ({km} km as the crow flies)",
        "fr": "Actuellement {unit_status}\u00a0: injoignable par la route en moins de {cutoff}"
        " ({km} km à vol d\u2019oiseau)",
    },
    "recommend.no_position": {
        "en": "Position unknown: no time can be given",
        "fr": "Position inconnue\u00a0: aucun temps ne peut être donné",
    },
    "recommend.busy_no_position": {
        "en": "Now {unit_status}, position unknown",
        "fr": "Actuellement {unit_status}, position inconnue",
    },
    "recommend.method.road": {
        "en": "Drive times on the road graph ({segments} segments).",
        "fr": "Temps de route sur le graphe routier ({segments} tronçons).",
    },
    "recommend.method.no_graph": {
        "en": "No road graph is loaded: times are the straight-line distance \u00d7 {detour}"
        " at {speed} km/h.",
        "fr": "Aucun graphe routier chargé\u00a0: les temps sont la distance à vol d\u2019oiseau"
        " \u00d7 {detour} à {speed} km/h.",
    },
    "recommend.method.off_graph": {
        "en": "The event is {metres} m from the nearest road of the graph: times are the straight-line"
        " distance \u00d7 {detour} at {speed} km/h.",
        "fr": "L\u2019évènement est à {metres} m de la route la plus proche du graphe\u00a0: les temps"
        " sont la distance à vol d\u2019oiseau \u00d7 {detour} à {speed} km/h.",
    },
    "recommend.method.none": {
        "en": "No able unit has a known position.",
        "fr": "Aucune unité apte n\u2019a de position connue.",
    },
    "geo.roads_imported": {
        "en": "Road network imported from {source}: {nodes} nodes, {segments} segments"
        " ({skipped} ways skipped)",
        "fr": "Réseau routier importé de {source}\u00a0: {nodes} nœuds, {segments} tronçons ({skipped} voies"
        " ignorées)",
    },
}

# Statuses are the units' own words (i18n/units.py), written mid-sentence here.
TRANSLATED_PARAMS = ("unit_status",)

UI: dict[str, dict[str, str]] = {
    "recommend.title": {"en": "Recommended units", "fr": "Unités proposées"},
    "recommend.loading": {"en": "Computing drive times…", "fr": "Calcul des temps de route…"},
    "recommend.failed": {
        "en": "The recommendation could not be read: press R to try again.",
        "fr": "Proposition illisible\u00a0: appuyez sur R pour réessayer.",
    },
    "recommend.rank": {"en": "#", "fr": "N°"},
    "recommend.unit": {"en": "Unit", "fr": "Unité"},
    "recommend.eta": {"en": "ETA", "fr": "Arrivée"},
    "recommend.why": {"en": "Why", "fr": "Pourquoi"},
    "recommend.method_distance": {"en": "ESTIMATED FROM DISTANCE", "fr": "ESTIMÉ À VOL D\u2019OISEAU"},
    "recommend.missing": {
        "en": "{count} \u00d7 {line} missing: no able unit is available",
        "fr": "{count} \u00d7 {line} manquant(s)\u00a0: aucune unité apte disponible",
    },
    "recommend.engage": {"en": "Engage the selected units", "fr": "Engager les unités cochées"},
    "recommend.engaged": {"en": "Engaged: {units}", "fr": "Engagées\u00a0: {units}"},
    "recommend.engage_failed": {"en": "Not engaged: {why}", "fr": "Non engagées\u00a0: {why}"},
    "recommend.none_selected": {
        "en": "Select a unit first (Space).",
        "fr": "Cochez d\u2019abord une unité (Espace).",
    },
    "recommend.empty": {
        "en": "No unit of yours can do this job.",
        "fr": "Aucune de vos unités ne peut faire ce travail.",
    },
    "recommend.help": {
        "en": "On the event board: the units to send to the chosen event (↑ ↓, Space to check, G to engage)",
        "fr": "Dans le tableau des évènements\u00a0: les unités à engager sur l\u2019évènement choisi"
        " (↑ ↓, Espace pour cocher, G pour engager)",
    },
    "recommend.hint": {
        "en": "R recommend · ↑↓ choose · Space select · G engage",
        "fr": "R proposer · ↑↓ choisir · Espace cocher · G engager",
    },
}
