"""Who owns what in the demo town: clients and their sites, shared schedules, units, partners."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from tocsin.demo import names as n
from tocsin.demo.town import GRID, Town, to_metres
from tocsin.domain.geo import Address
from tocsin.domain.sites import ScheduleWindow

GRID_NODES = GRID * GRID
WEEKDAYS, MON_SAT, TUE_SAT, EVERY_DAY = (
    (1, 2, 3, 4, 5),
    (1, 2, 3, 4, 5, 6),
    (2, 3, 4, 5, 6),
    tuple(range(1, 8)),
)
COMMERCE, OFFICE, BANK, SCHOOL, STORE, SPORT, ALWAYS = (
    "Commerce 9h-19h lun-sam",
    "Bureaux 8h-18h lun-ven",
    "Banque 9h-12h30 14h-17h30 mar-sam",
    "École 8h-17h30 (mercredi matin)",
    "Grande surface 8h30-20h lun-sam, dimanche matin",
    "Équipement sportif 7h-22h",
    "24/7 (site toujours occupé)",
)
HOLIDAY_YEARS = (2026, 2027, 2028)

CLIENTS = (
    ("CLB", "Crédit Ligérien"),
    ("PHV", "Pharmacies du Val"),
    ("MFR", "Groupe Marché Frais"),
    ("VILLE", f"Mairie de {n.TOWN}"),
    ("BTL", "Berthier Transports & Logistique"),
    ("COM", "Commerces indépendants de Valmont"),
)
QUARTERS = (
    "Centre",
    "Gare",
    "Saint-Marceau",
    "Les Aubiers",
    "La Levée",
    "Les Prés",
    "Saint-Jean",
    "Bel-Air",
    "Les Carmes",
    "La Tuilerie",
    "Le Port",
    "Les Vignes",
)
PHARMACIES = (
    "Pharmacie du Centre",
    "Pharmacie de la Gare",
    "Pharmacie des Halles",
    "Pharmacie du Port",
    "Pharmacie Saint-Jean",
    "Pharmacie de Bel-Air",
    "Pharmacie des Prés",
    "Pharmacie de la Loire",
    "Pharmacie des Carmes",
)
SHOPS = 100

BASE_ZONES = (("Contact porte d'entrée", "intrusion"), ("Autoprotection centrale", "tamper"))
ZONE_PROFILES: dict[str, tuple[tuple[str, str], ...]] = {
    "bank": (
        ("Bouton d'agression guichet", "panic"),
        ("Pédale d'alarme caisse", "panic"),
        ("Contact porte du coffre", "intrusion"),
        ("Détecteur sismique coffre", "intrusion"),
        ("Détecteur volumétrique hall", "intrusion"),
        ("Détecteur volumétrique bureaux", "intrusion"),
        ("Détecteur de fumée local informatique", "fire"),
    ),
    "shop": (
        ("Détecteur volumétrique magasin", "intrusion"),
        ("Détecteur volumétrique arrière-boutique", "intrusion"),
        ("Contact rideau métallique", "intrusion"),
        ("Détecteur bris de vitre vitrine", "intrusion"),
        ("Bouton d'agression caisse", "panic"),
        ("Détecteur de fumée réserve", "fire"),
    ),
    "store": (
        ("Détecteur volumétrique surface de vente", "intrusion"),
        ("Détecteur volumétrique réserve", "intrusion"),
        ("Contact porte quai de livraison", "intrusion"),
        ("Bouton d'agression caisse centrale", "panic"),
        ("Détecteur de fumée réserve", "fire"),
        ("Alarme température chambre froide", "technical"),
        ("Contact issue de secours", "intrusion"),
    ),
    "public": (
        ("Détecteur volumétrique hall", "intrusion"),
        ("Détecteur volumétrique couloir", "intrusion"),
        ("Contact issue de secours", "intrusion"),
        ("Détecteur de fumée chaufferie", "fire"),
        ("Bouton d'appel accueil", "panic"),
        ("Détecteur d'inondation local technique", "technical"),
    ),
    "warehouse": (
        ("Contact porte quai 1", "intrusion"),
        ("Contact porte quai 2", "intrusion"),
        ("Détecteur volumétrique entrepôt", "intrusion"),
        ("Barrière infrarouge périmétrique", "intrusion"),
        ("Détecteur de fumée entrepôt", "fire"),
        ("Alarme sprinkler", "fire"),
        ("Défaut groupe froid", "technical"),
    ),
}
SITE_NOTES = (
    "",
    "",
    "Accès par la cour arrière.",
    "Chien sur place la nuit.",
    "Clés déposées au poste de Valmont Télésurveillance.",
    "Parking visiteurs devant l'entrée.",
    "Vidéoprotection : trois caméras, levée de doute à distance possible.",
    "Sirène extérieure coupée par arrêté municipal après 22 h.",
)
TOWN_HALL = (
    ("Hôtel de ville", OFFICE, "public"),
    ("Centre technique municipal", OFFICE, "warehouse"),
    ("Médiathèque George Sand", COMMERCE, "public"),
    ("Conservatoire de musique", OFFICE, "public"),
    ("Piscine municipale", SPORT, "public"),
    ("Stade municipal (vestiaires)", SPORT, "public"),
    ("Gymnase Jean Bouin", SPORT, "public"),
    ("Gymnase des Tilleuls", SPORT, "public"),
    ("Salle des fêtes", OFFICE, "public"),
    ("Centre communal d'action sociale", OFFICE, "public"),
    ("Musée des Mariniers", COMMERCE, "public"),
    ("Office de tourisme", COMMERCE, "public"),
    ("Cimetière (local des agents)", OFFICE, "public"),
    ("Crèche municipale Les Petits Loups", OFFICE, "public"),
    ("Maison des associations", OFFICE, "public"),
    *(
        (f"École maternelle {name}", SCHOOL, "public")
        for name in ("Les Coquelicots", "Pauline Kergomard", "Le Petit Prince", "Les Hirondelles")
    ),
    *(
        (f"École élémentaire {name}", SCHOOL, "public")
        for name in (
            "Jules Ferry",
            "Jean Zay",
            "Louise Michel",
            "Paul Bert",
            "Jacques Prévert",
            "Marie Curie",
        )
    ),
    ("Restaurant scolaire central", SCHOOL, "public"),
    ("Centre de loisirs des Prés", SCHOOL, "public"),
)
BTL_SITES = (
    ("Siège et bureaux", OFFICE),
    ("plateforme A", ALWAYS),
    ("plateforme B", ALWAYS),
    ("Entrepôt frigorifique", ALWAYS),
    ("Atelier poids lourds", OFFICE),
    ("Quai de messagerie", ALWAYS),
    ("Entrepôt de stockage", OFFICE),
    ("Parc de remorques", ALWAYS),
)


@dataclass(frozen=True, slots=True)
class WantedSite:
    """A site a client has, before it is given an address."""

    client_ref: str
    name: str
    schedule: str
    profile: str
    placement: str = "any"  # "centre" (the town square), "edge" (on a boulevard) or "any"


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_public_holidays(year: int) -> tuple[str, ...]:
    """The eleven public holidays of metropolitan France, as ISO dates."""
    easter = _easter(year)
    fixed = [
        date(year, m, d) for m, d in ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    ]
    moving = [easter + timedelta(days=days) for days in (1, 39, 50)]
    return tuple(sorted(day.isoformat() for day in (*fixed, *moving)))


def schedules() -> tuple[tuple[str, tuple[ScheduleWindow, ...], tuple[str, ...]], ...]:
    """The tenant's shared schedules: name, opening windows, days closed."""
    holidays = tuple(day for year in HOLIDAY_YEARS for day in french_public_holidays(year))
    w = ScheduleWindow
    return (
        (COMMERCE, (w(MON_SAT, "09:00", "19:00"),), ()),
        (OFFICE, (w(WEEKDAYS, "08:00", "18:00"),), holidays),
        (BANK, (w(TUE_SAT, "09:00", "12:30"), w(TUE_SAT, "14:00", "17:30")), holidays),
        (SCHOOL, (w((1, 2, 4, 5), "08:00", "17:30"), w((3,), "08:00", "12:30")), holidays),
        (STORE, (w(MON_SAT, "08:30", "20:00"), w((7,), "09:00", "12:30")), ()),
        (SPORT, (w(EVERY_DAY, "07:00", "22:00"),), ()),
        (ALWAYS, (), ()),  # never closed, so never late to close
    )


def portfolio(rng: random.Random) -> list[WantedSite]:
    """Every client's sites, client by client."""
    quarters = list(QUARTERS)
    sites = [WantedSite("CLB", f"Crédit Ligérien, agence {q}", BANK, "bank") for q in quarters[:10]]
    sites += [
        WantedSite("CLB", "Crédit Ligérien, siège régional", OFFICE, "bank", "centre"),
        *(WantedSite("CLB", f"Crédit Ligérien, libre-service {q}", ALWAYS, "bank") for q in quarters[10:]),
    ]
    sites += [WantedSite("PHV", name, COMMERCE, "shop") for name in PHARMACIES]
    sites.append(WantedSite("PHV", "Pharmacies du Val, dépôt", OFFICE, "warehouse", "edge"))
    sites += [WantedSite("MFR", f"Marché Frais Express {q}", STORE, "store") for q in rng.sample(quarters, 5)]
    sites += [
        WantedSite("MFR", "Hyper Marché Frais Valmont", STORE, "store", "edge"),
        WantedSite("MFR", "Drive Marché Frais", STORE, "store", "edge"),
    ]
    sites += [
        WantedSite("VILLE", name, schedule, profile, "centre" if name == "Hôtel de ville" else "any")
        for name, schedule, profile in TOWN_HALL
    ]
    sites += [WantedSite("BTL", f"Berthier, {name}", s, "warehouse", "edge") for name, s in BTL_SITES]
    return sites + _shops(rng)


def _shops(rng: random.Random) -> list[WantedSite]:
    names: set[str] = set()
    shops: list[WantedSite] = []
    while len(shops) < SHOPS:
        name = f"{rng.choice(n.SHOP_TRADES)} {rng.choice(n.LAST_NAMES)}"
        if name not in names:
            names.add(name)
            shops.append(WantedSite("COM", name, COMMERCE, "shop"))
    return shops


def place(rng: random.Random, town: Town, wanted: list[WantedSite]) -> list[Address]:
    """One distinct address per site: the town square, a boulevard, or anywhere."""
    by_centre = sorted(town.addresses, key=_from_centre)
    edge = [a for a in town.addresses if a.street in n.BOULEVARDS]
    anywhere = list(town.addresses)
    rng.shuffle(edge)
    rng.shuffle(anywhere)
    pools = {"centre": iter(by_centre), "edge": iter(edge), "any": iter(anywhere)}
    used: set[int] = set()
    placed = []
    for site in wanted:
        address = next(a for a in pools[site.placement] if a.id not in used)
        used.add(address.id)
        placed.append(address)
    return placed


def _from_centre(address: Address) -> float:
    x, y = to_metres(address.latitude, address.longitude)
    return x * x + y * y


# Stations: name -> road node (grid node ids count rows from the south edge, west to east).
STATIONS = {
    "Base Valmont Télésurveillance": 3 * GRID + 4 + 1,
    "Antenne Est": 11 * GRID + 17 + 1,
    "Antenne Nord": 16 * GRID + 7 + 1,
    "Poste de police municipale": 9 * GRID + 10 + 1,
}
_GUARD = ("intervention", "first_aid")
_PM = ("intervention", "first_aid", "traffic")
UNITS = (
    *((f"Ronde {i}", "guard", _GUARD, "Base Valmont Télésurveillance") for i in (11, 12, 13)),
    *((f"Ronde {i}", "guard", _GUARD, "Antenne Est") for i in (14, 15)),
    ("Cynophile 21", "guard", ("intervention", "dog"), "Base Valmont Télésurveillance"),
    ("Cynophile 22", "guard", ("intervention", "dog"), "Antenne Est"),
    *((f"Clé {i}", "keyholder", ("keyholding",), "Antenne Nord") for i in (31, 32, 33)),
    ("Clé 34", "keyholder", ("keyholding", "intervention"), "Base Valmont Télésurveillance"),
    *((f"PM {i}", "police", _PM, "Poste de police municipale") for i in (41, 42, 43, 44)),
    ("PM VTT 45", "police", ("intervention", "first_aid"), "Poste de police municipale"),
    ("PM Cyno 46", "police", ("intervention", "dog"), "Poste de police municipale"),
)
PARTNERS = (
    (
        "Police nationale, commissariat de Valmont",
        "police",
        "commissariat@police-valmont.example",
        "Urgence : 17 ou 112. Ligne directe du chef de poste ci-dessus.",
        "TG Police Valmont",
    ),
    (
        "Gendarmerie, brigade de Valmont-Campagne",
        "gendarmerie",
        "brigade@gendarmerie-valmont.example",
        "Compétente hors agglomération, au-delà de la rocade.",
        "TG Gendarmerie 41",
    ),
    (
        "Sapeurs-pompiers, centre de secours de Valmont",
        "fire",
        "cis@sdis-valmont.example",
        "Urgence : 18 ou 112. Ligne directe du centre de traitement de l'alerte ci-dessus.",
        "ANTARES CTA 41",
    ),
    (
        "SAMU, centre 15",
        "samu",
        "regulation@samu-valmont.example",
        "Urgence : 15 ou 112. Régulation médicale.",
        "ANTARES SAMU 41",
    ),
    (
        "Enedis, dépannage électricité",
        "power",
        "depannage@enedis.example",
        "Coupures et câbles à terre, 24 h/24.",
        "",
    ),
    (
        "GRDF, urgence sécurité gaz",
        "gas",
        "urgence@grdf.example",
        "Odeur de gaz ou fuite : faire évacuer, ne rien allumer.",
        "",
    ),
    (
        "SNCF, poste de commandement régional",
        "rail",
        "pc-centre@sncf.example",
        "Intrusion sur les voies, passage à niveau, gare de Valmont.",
        "",
    ),
    (
        f"Services techniques de {n.TOWN}",
        "other",
        "astreinte@valmont-sur-loire.example",
        "Astreinte voirie, éclairage public, bâtiments communaux.",
        "TG Ville de Valmont",
    ),
)
