"""The geographic reference of an installation: a road network and an address table.

It is shared by every tenant of the installation (a town's streets belong to no one), so it carries
no ``tenant_id``. Ids are plain integers, as in the road data sets an installation imports.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tocsin.domain.errors import InvalidInput
from tocsin.domain.places import check_coordinates

_SEPARATORS = re.compile(r"[\s,'\u2019\-]+")  # spaces, commas, apostrophes, hyphens


def normalize_address_text(text: str) -> str:
    """How addresses are searched: no case, no accents, no punctuation between words, single spaces.

    ``"12, Allée de l'Église"`` and ``"12 allee de l eglise"`` read the same.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare).strip()


@dataclass(frozen=True, slots=True)
class RoadNode:
    """A junction or a bend of the road network (WGS 84 degrees)."""

    id: int
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        check_coordinates(self.latitude, self.longitude)


@dataclass(frozen=True, slots=True)
class RoadSegment:
    """A stretch of road between two nodes, with its length, its speed and its street name.

    A one-way segment is driven from ``from_node`` to ``to_node`` only.
    """

    id: int
    from_node: int
    to_node: int
    length_m: float
    speed_kmh: int
    name: str
    oneway: bool = False

    def __post_init__(self) -> None:
        if self.from_node == self.to_node:
            raise InvalidInput(f"Road segment {self.id} starts and ends at the same node.")
        if self.length_m <= 0 or self.speed_kmh <= 0:
            raise InvalidInput(f"Road segment {self.id} needs a positive length and speed.")

    @property
    def seconds(self) -> float:
        """Time to drive it at its speed."""
        return self.length_m / (self.speed_kmh / 3.6)


@dataclass(frozen=True, slots=True)
class Address:
    """A numbered address on a street, with the position of its door."""

    id: int
    number: str
    street: str
    postcode: str
    city: str
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not self.number.strip() or not self.street.strip():
            raise InvalidInput("An address needs a house number and a street.")
        check_coordinates(self.latitude, self.longitude)

    @property
    def line(self) -> str:
        """The street line, as written on an envelope: ``12 rue des Tilleuls``."""
        return f"{self.number} {self.street}"

    @property
    def label(self) -> str:
        """The full address on one line."""
        return f"{self.line}, {self.postcode} {self.city}"

    @property
    def search_text(self) -> str:
        """The normalised text address searches match against."""
        return normalize_address_text(f"{self.line} {self.postcode} {self.city}")
