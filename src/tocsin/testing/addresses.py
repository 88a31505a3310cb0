"""Address test data: BAN-like CSV files of any size, and queries typed the way callers say addresses.

Both are drawn from a seeded ``random.Random``, so a failing figure can be reproduced. The BAN-like file
has the real file's header (:data:`tocsin.protocols.ban.HEADER`) and a département's shape: communes of a
few hundred to several thousand addresses, French street names, numbers with ``bis``/``ter``.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tocsin.demo import names as n
from tocsin.domain.geo import Address
from tocsin.protocols.ban import HEADER

_SHORT = {  # how callers and clerks shorten words of a street name (every one is in ABBREVIATIONS)
    "avenue": "av",
    "boulevard": "bd",
    "allee": "all",
    "rue": "r",
    "route": "rte",
    "impasse": "imp",
    "place": "pl",
    "chemin": "ch",
    "general": "gal",
    "marechal": "mal",
    "saint": "st",
    "passage": "pass",
}
_SYLLABLES = (
    "bel", "mont", "ville", "val", "saint", "roche", "font", "aine", "court", "lis", "mar", "beau",
    "cha", "teau", "bois", "ger", "mi", "gny", "sou", "vil", "lan", "dre", "pon", "tin", "ray", "bon",
    "neuf", "chê", "rou", "vre", "mé", "ry", "lé", "ché", "bour", "gue",
)  # fmt: skip
_KINDS = ("rue", "rue", "rue", "avenue", "boulevard", "place", "impasse", "chemin", "allée", "route")
_NAMES = (*n.PEOPLE, *n.TREES, *n.TRADES, *n.PLACES)


def _commune(rng: random.Random) -> str:
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()
    return name if rng.random() < 0.7 else f"{name}-sur-{rng.choice(('Loire', 'Cher', 'Loiret', 'Sauldre'))}"


def _street_name(rng: random.Random) -> str:
    """A street name: a famous person, a tree, a trade or a place; or, like many a village's lanes, a
    local person's name or a hamlet's (made of syllables, so a département has thousands of words)."""
    kind = rng.choice(_KINDS)
    draw = rng.random()
    if draw < 0.3:
        return f"{kind} {rng.choice(n.FIRST_NAMES)} {_commune(rng).split('-')[0]}"
    if draw < 0.4:
        return f"{kind} du {_commune(rng).split('-')[0]}"
    return f"{kind} {rng.choice(_NAMES)}"


def ban_lines(count: int, seed: int = 45, department: str = "45") -> Iterator[str]:
    """A BAN-like file of ``count`` addresses, line by line (header first), ending in newlines."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    yield HEADER + "\n"
    made = 0
    commune_no = 0
    cities: set[str] = set()
    while made < count:
        commune_no += 1
        insee = f"{department}{commune_no:03d}"
        city = _commune(rng)
        while city in cities:  # communes of a département have distinct names
            city = _commune(rng)
        cities.add(city)
        postcode = f"{department}{rng.randrange(0, 1000):03d}"
        lat0, lon0 = 47.9 + rng.uniform(-0.5, 0.5), 2.2 + rng.uniform(-0.8, 0.8)
        streets = {_street_name(rng) for _ in range(rng.randint(10, 300))}
        for street_no, street in enumerate(sorted(streets)):
            fantoir = f"{insee}_{street_no:04d}"
            lat, lon = lat0 + rng.uniform(-0.02, 0.02), lon0 + rng.uniform(-0.03, 0.03)
            for number in range(1, rng.randint(2, 40)):
                rep = "bis" if rng.random() < 0.03 else ""
                key = f"{fantoir}_{number:05d}" + (f"_{rep}" if rep else "")
                lat, lon = lat + rng.uniform(-0.0003, 0.0003), lon + rng.uniform(-0.0003, 0.0003)
                fields = (
                    key, fantoir, str(number), rep, street, postcode, insee, city, "", "", "", "",
                    f"{lon:.6f}", f"{lat:.6f}", "entrée", "", "", city.upper(), street.upper(),
                    "commune", "commune", "1", "",
                )  # fmt: skip
                yield ";".join(fields) + "\n"
                made += 1
                if made >= count:
                    return


@dataclass(frozen=True, slots=True)
class TypedQuery:
    """A query as a caller might say it, and the address it means."""

    text: str
    address: Address
    changes: tuple[str, ...]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "replace", "double"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "replace":
        return word[:i] + rng.choice("aeioursnt") + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def typed_query(rng: random.Random, address: Address) -> TypedQuery:
    """One address said with some of: a typo in its longest word, no accents, an abbreviated street
    type, the number after the street, the town left out or added, lower case."""
    words = address.street.split()
    changes: list[str] = []
    if rng.random() < 0.6:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        typo = _typo(rng, words[longest])
        if typo != words[longest]:
            words[longest] = typo
            changes.append("typo")
    shortened = [i for i, w in enumerate(words) if _strip_accents(w.lower()) in _SHORT]
    if shortened and rng.random() < 0.5:
        i = rng.choice(shortened)
        words[i] = _SHORT[_strip_accents(words[i].lower())] + rng.choice(("", "."))
        changes.append("abbreviation")
    street = " ".join(words)
    if rng.random() < 0.5:
        street = _strip_accents(street)
        changes.append("no accents")
    town = ""
    if rng.random() < 0.5:
        town = rng.choice((address.city, address.city.split("-")[0], address.postcode))
        changes.append("town")
    if rng.random() < 0.4:
        text = f"{street} {address.number} {town}"
        changes.append("number last")
    else:
        text = f"{address.number} {street} {town}"
    if rng.random() < 0.5:
        text = text.lower()
    return TypedQuery(" ".join(text.split()), address, tuple(changes))


def typed_queries(addresses: Sequence[Address], count: int, seed: int = 13) -> list[TypedQuery]:
    """``count`` queries for addresses drawn at random."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    return [typed_query(rng, rng.choice(addresses)) for _ in range(count)]
