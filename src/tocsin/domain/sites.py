"""Sites and what belongs to them: transmitters (accounts), zones, contacts, shared schedules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from tocsin.domain.errors import InvalidInput
from tocsin.domain.places import check_coordinates, check_time_zone
from tocsin.domain.tenancy import check_name, check_ref

_HEX = re.compile(r"^[0-9A-Fa-f]+$")
PROFILES = (
    "binary-crc",
    "local-time",
    "hex-sequence",
)  # named panel quirks, accepted only where an account says so

# EN 50136-1:2012 single-path alarm transmission categories and their reporting time: how long after a
# path fails its loss must be known at the receiving centre, so the supervision interval of the path.
# These are the values commonly quoted for the standard; a category not listed (the dual-path DP1 to DP4,
# whose alternative path has its own, longer time) is given as a custom interval in seconds.
ATS_CATEGORIES: dict[str, int] = {
    "SP1": 32 * 24 * 3600,
    "SP2": 25 * 3600,
    "SP3": 30 * 60,
    "SP4": 3 * 60,
    "SP5": 90,
    "SP6": 20,
}


def category_interval(category: str) -> int:
    """The supervision interval, in seconds, of an EN 50136-1 single-path category (SP1 to SP6)."""
    found = ATS_CATEGORIES.get(category.strip().upper())
    if found is None:
        raise InvalidInput(
            f"Unknown transmission category {category!r}: use one of {', '.join(ATS_CATEGORIES)},"
            " or give the interval in seconds."
        )
    return found


def category_of(interval: int | None) -> str | None:
    """The single-path category whose reporting time is exactly this interval, if one is."""
    return next((name for name, seconds in ATS_CATEGORIES.items() if seconds == interval), None)


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(slots=True)
class Site:
    """A protected place of a client, with its address, position, local time zone and notes."""

    id: UUID
    tenant_id: UUID
    client_id: UUID
    ref: str
    name: str
    address: str = ""
    postcode: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    time_zone: str = "Europe/Paris"
    notes: str = ""
    schedule_id: UUID | None = None

    def __post_init__(self) -> None:
        check_ref(self.ref, "site")
        self.name = check_name(self.name, "site")
        check_time_zone(self.time_zone)
        check_coordinates(self.latitude, self.longitude)


def _check_hex(value: str, what: str, low: int, high: int) -> str:
    if not (low <= len(value) <= high and _HEX.match(value)):
        raise InvalidInput(f"The {what} {value!r} must be {low} to {high} hexadecimal digits.")
    return value.upper()


@dataclass(slots=True)
class Account:
    """A transmitter at a site, known by receiver prefix, line prefix and account number.

    The three together are unique on the node, across all tenants: they are all an alarm frame carries,
    so they alone must say whose panel sent it. The encryption key itself never lives here, only
    ``key_ref``, the name under which it is kept. An account with a key accepts only encrypted frames,
    unless ``allow_cleartext`` says otherwise (a panel being moved to encryption).
    """

    id: UUID
    tenant_id: UUID
    site_id: UUID
    number: str
    receiver: str = "0"
    line: str = "0"
    protocol_options: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None
    key_ref: str | None = None
    supervision_seconds: int | None = None
    allow_cleartext: bool = False
    test_seconds: int | None = None  # the periodic test interval; None: tests are not expected
    station: bool = False  # the room's own alarm panel: its intrusion and fire alarms top the queue

    @property
    def label(self) -> str:
        """How a person names the transmitter: ``R1 L2 #1234``."""
        return f"R{self.receiver} L{self.line} #{self.number}"

    def __post_init__(self) -> None:
        self.number = _check_hex(self.number, "account number", 3, 16)
        self.receiver = _check_hex(self.receiver, "receiver prefix", 1, 6)
        self.line = _check_hex(self.line, "line prefix", 1, 6)
        if self.profile is not None and self.profile not in PROFILES:
            raise InvalidInput(f"Unknown panel profile {self.profile!r}: use one of {', '.join(PROFILES)}.")
        if self.supervision_seconds is not None and self.supervision_seconds <= 0:
            raise InvalidInput("The supervision interval must be a positive number of seconds.")


@dataclass(slots=True)
class Zone:
    """A detection zone of a site's panel (a door contact, a smoke detector, a panic button)."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    number: str
    name: str
    kind: str = "intrusion"

    def __post_init__(self) -> None:
        if not self.number.strip():
            raise InvalidInput("A zone needs a number, as the panel reports it.")
        self.name = check_name(self.name, "zone")


@dataclass(slots=True)
class Contact:
    """A person to call for a site, in call order; the spoken password and duress word are hashed."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    call_order: int
    name: str
    phones: tuple[str, ...] = ()
    role: str = "keyholder"
    password_hash: str | None = None
    duress_hash: str | None = None

    def __post_init__(self) -> None:
        self.name = check_name(self.name, "contact")
        if self.call_order < 1:
            raise InvalidInput("The call order starts at 1.")
        self.phones = tuple(self.phones)


def normalize_spoken_word(word: str) -> str:
    """How a password heard on the phone is compared: case, spacing and edges do not matter."""
    return " ".join(word.casefold().split())


@dataclass(frozen=True, slots=True)
class ScheduleWindow:
    """One expected opening: on these ISO weekdays (1 = Monday), open at ``opens``, close at ``closes``."""

    days: tuple[int, ...]
    opens: str
    closes: str

    def __post_init__(self) -> None:
        if not self.days or any(d not in range(1, 8) for d in self.days):
            raise InvalidInput("Schedule days are ISO weekdays from 1 (Monday) to 7 (Sunday).")
        for t in (self.opens, self.closes):
            if not _HHMM.match(t):
                raise InvalidInput(f"Schedule time {t!r} must be HH:MM on a 24-hour clock.")

    def as_json(self) -> dict[str, Any]:
        """Plain JSON form, for storage."""
        return {"days": list(self.days), "opens": self.opens, "closes": self.closes}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScheduleWindow:
        """Inverse of :meth:`as_json`."""
        return cls(days=tuple(data["days"]), opens=data["opens"], closes=data["closes"])


@dataclass(slots=True)
class Schedule:
    """Expected open and close times, in local time of the sites that use it; shared by many sites.

    ``client_id`` is ``None`` for a schedule the tenant shares across clients.
    """

    id: UUID
    tenant_id: UUID
    name: str
    client_id: UUID | None = None
    windows: tuple[ScheduleWindow, ...] = ()
    holidays: tuple[str, ...] = ()
    grace_seconds: int = 900  # how late an opening or closing may come before it is an alarm

    def __post_init__(self) -> None:
        self.name = check_name(self.name, "schedule")
        self.windows = tuple(self.windows)
        self.holidays = tuple(self.holidays)
