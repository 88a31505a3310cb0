"""What the site search needs of a store: the searchable texts of the sites in the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(slots=True)
class SiteText:
    """A site's searchable words: its own fields, its transmitters' numbers, its contacts' names (never
    a secret)."""

    site_id: str  # as the store writes it: uuid.UUID(site_id) reads it
    name: str
    ref: str
    place: str  # address, postcode and city
    accounts: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)


class SiteTexts(Protocol):
    """Reads the searchable texts of every site in the unit of work's scope, as plain columns (no
    records built: a search reads them all)."""

    def texts(self) -> list[SiteText]:
        """Every visible site's texts."""
        ...
