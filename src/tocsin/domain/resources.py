"""The tenant's means: units it dispatches and partner services it calls on."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tocsin.domain.errors import InvalidInput
from tocsin.domain.places import check_coordinates
from tocsin.domain.tenancy import check_name

UNIT_STATUSES = (
    "available",
    "alerted",
    "en_route",
    "on_scene",
    "transporting",
    "returning",
    "out_of_service",
)


@dataclass(slots=True)
class Unit:
    """A field unit: a guard, a patrol, a fire or police crew, with its station and capabilities."""

    id: UUID
    tenant_id: UUID
    callsign: str
    kind: str
    capabilities: tuple[str, ...] = ()
    station: str = ""
    status: str = "available"
    latitude: float | None = None
    longitude: float | None = None

    def __post_init__(self) -> None:
        self.callsign = check_name(self.callsign, "unit callsign")
        if self.status not in UNIT_STATUSES:
            raise InvalidInput(
                f"Unit status {self.status!r} is unknown; use one of {', '.join(UNIT_STATUSES)}."
            )
        self.capabilities = tuple(self.capabilities)
        check_coordinates(self.latitude, self.longitude)


PARTNER_KINDS = ("police", "gendarmerie", "fire", "samu", "gas", "power", "rail", "other")
# Kinds written before the list was fixed, and what they now read as.
PARTNER_KIND_ALIASES = {"medical": "samu", "railway": "rail", "utility": "other", "municipal": "other"}
RADIO_MAX = 100


def partner_kind(kind: str) -> str:
    """The partner kind a text names (older names accepted), or an error naming the kinds."""
    text = kind.strip().casefold()
    text = PARTNER_KIND_ALIASES.get(text, text)
    if text not in PARTNER_KINDS:
        raise InvalidInput(f"Partner kind {kind!r} is unknown; use one of {', '.join(PARTNER_KINDS)}.")
    return text


@dataclass(slots=True)
class Partner:
    """A partner service the room calls on: police, gendarmerie, fire, SAMU, a gas or power utility, the
    railway; reached by phone, email or radio (a channel or talk-group)."""

    id: UUID
    tenant_id: UUID
    name: str
    kind: str
    phones: tuple[str, ...] = ()
    email: str = ""
    notes: str = ""
    radio: str = ""

    def __post_init__(self) -> None:
        self.name = check_name(self.name, "partner")
        self.kind = partner_kind(self.kind)
        self.phones = tuple(self.phones)
        self.radio = self.radio.strip()
        if len(self.radio) > RADIO_MAX:
            raise InvalidInput(f"A partner's radio channel is at most {RADIO_MAX} characters.")

    def address(self, channel: str) -> str:
        """Where a message on ``channel`` goes: the first phone, the email or the radio channel."""
        if channel == "phone":
            return self.phones[0] if self.phones else ""
        if channel == "email":
            return self.email
        return self.radio if channel == "radio" else ""
