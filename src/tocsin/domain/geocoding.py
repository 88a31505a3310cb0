"""What a geocoder reads in what an operator types, and what it answers: pure rules, no index.

An operator types an address the way a caller says it: ``12 av victor hugo valmont``, ``vicor hugo 12``,
``12 bis bd gambeta 45990``. :func:`parse_query` splits that into a house number, a postcode and the
words of the street and town, each word normalised (no case, no accent) and its abbreviation spelled
out (``av`` → ``avenue``, ``st`` → ``saint``); the index (:mod:`tocsin.adapters.geo.address_index`)
matches the words with typos allowed and ranks its :class:`GeoCandidate` answers by a score in [0, 1].
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tocsin.domain.errors import InvalidInput
from tocsin.domain.geo import normalize_address_text

MAX_QUERY_CHARS = 200
MAX_LIMIT = 50

# Abbreviations of French street types and titles, as callers say them and postal lines write them.
ABBREVIATIONS: dict[str, str] = {
    "av": "avenue",
    "ave": "avenue",
    "avn": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "boul": "boulevard",
    "bvd": "boulevard",
    "r": "rue",
    "pl": "place",
    "pla": "place",
    "imp": "impasse",
    "all": "allee",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "rte": "route",
    "rt": "route",
    "fg": "faubourg",
    "fbg": "faubourg",
    "sq": "square",
    "crs": "cours",
    "qu": "quai",
    "qua": "quai",
    "pass": "passage",
    "psg": "passage",
    "rle": "ruelle",
    "res": "residence",
    "lot": "lotissement",
    "st": "saint",
    "ste": "sainte",
    "gal": "general",
    "gen": "general",
    "mal": "marechal",
    "pdt": "president",
    "pres": "president",
    "dr": "docteur",
    "doct": "docteur",
    "prof": "professeur",
    "cdt": "commandant",
    "lt": "lieutenant",
    "cpt": "capitaine",
    "mgr": "monseigneur",
}
# Words that carry no meaning in an address ("rue DE LA gare"): left out of matching.
STOP_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"})
# What may follow a house number: ``12 bis``, ``12 ter``, ``12 b``.
REPETITIONS = frozenset({"bis", "ter", "quater", "quinquies", "a", "b", "c", "d", "e", "f", "g", "h"})
_NUMBER = re.compile(r"^(\d{1,4})([a-z]{0,9})$")
_POSTCODE = re.compile(r"^\d{5}$")


def address_words(text: str) -> list[str]:
    """The meaningful words of an address text: normalised, abbreviations spelled out, no stop words."""
    words = (ABBREVIATIONS.get(w, w) for w in normalize_address_text(text).replace(".", " ").split())
    return [w for w in words if w not in STOP_WORDS]


def number_key(number: str) -> str:
    """How house numbers compare: ``12 bis``, ``12BIS`` and ``12bis`` are one number."""
    return normalize_address_text(number).replace(" ", "")


@dataclass(frozen=True, slots=True)
class AddressQuery:
    """What an address search asks for: the house number and postcode if given, and the other words."""

    text: str
    number: str | None
    postcode: str | None
    words: tuple[str, ...]


def parse_query(text: str) -> AddressQuery:
    """Split what was typed into number, postcode and words (order does not matter)."""
    text = text.strip()
    if not text:
        raise InvalidInput("Type something to search: a street and number, a place or a site.")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(f"A search is at most {MAX_QUERY_CHARS} characters: shorten it.")
    tokens = normalize_address_text(text).replace(".", " ").split()
    number: str | None = None
    postcode: str | None = None
    words: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if _POSTCODE.match(token) and postcode is None:
            postcode = token
            continue
        found = _NUMBER.match(token)
        if found and number is None and (not found[2] or found[2] in REPETITIONS):
            number = token
            if not found[2] and i < len(tokens) and tokens[i] in REPETITIONS:
                number += tokens[i]
                i += 1
            continue
        word = ABBREVIATIONS.get(token, token)
        if word not in STOP_WORDS:
            words.append(word)
    return AddressQuery(text=text, number=number, postcode=postcode, words=tuple(words))


@dataclass(frozen=True, slots=True)
class GeoCandidate:
    """One answer of the geocoder: an address (or a street, or a site) with its position and score.

    ``precision`` says how far to trust the point: ``address`` (the number asked for), ``nearby_number``
    (the street has no such number: the nearest one it has), ``street`` (no number asked: the middle of
    the street's numbers), ``site`` (a site of the caller's room), ``none`` (a site with no coordinates:
    no point). ``distance_m`` is set by reverse geocoding only.
    """

    kind: str
    label: str
    score: float
    latitude: float | None
    longitude: float | None
    precision: str
    address_id: int | None = None
    number: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    site_id: str | None = None
    distance_m: float | None = None


NOTHING_FOUND = (
    "No address matches {query!r}: check the spelling, or click the place on the map to take its coordinates."
)


def nothing_found(query: str) -> str:
    """The answer to show when a search finds nothing: say so, and offer the map."""
    return NOTHING_FOUND.format(query=query)


M_PER_DEG_LAT = 111_320.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres between two points (equirectangular: exact enough within a département)."""
    x = (lon2 - lon1) * M_PER_DEG_LAT * math.cos(math.radians((lat1 + lat2) / 2))
    y = (lat2 - lat1) * M_PER_DEG_LAT
    return math.hypot(x, y)
