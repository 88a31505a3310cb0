"""Commands: what a user or a device asks for, in the imperative. Each has exactly one handler."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain.sites import ScheduleWindow


@dataclass(frozen=True, slots=True)
class Command:
    """Base of all commands."""


@dataclass(frozen=True, slots=True)
class CreateTenant(Command):
    ref: str
    name: str


@dataclass(frozen=True, slots=True)
class CreateClient(Command):
    tenant_id: UUID
    ref: str
    name: str


@dataclass(frozen=True, slots=True)
class CreateSite(Command):
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


@dataclass(frozen=True, slots=True)
class AddAccount(Command):
    site_id: UUID
    number: str
    receiver: str = "0"
    line: str = "0"
    protocol_options: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None
    key_ref: str | None = None
    supervision_seconds: int | None = None
    allow_cleartext: bool = False
    test_seconds: int | None = None  # the periodic test interval; None: no test expected
    station: bool = False  # the room's own alarm panel (docs/room.md)


@dataclass(frozen=True, slots=True)
class AddZone(Command):
    site_id: UUID
    number: str
    name: str
    kind: str = "intrusion"


@dataclass(frozen=True, slots=True)
class AddContact(Command):
    """The password and duress word arrive in clear and are hashed before anything is stored."""

    site_id: UUID
    call_order: int
    name: str
    phones: tuple[str, ...] = ()
    role: str = "keyholder"
    password: str | None = field(default=None, repr=False)
    duress_word: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class CreateSchedule(Command):
    tenant_id: UUID
    name: str
    client_id: UUID | None = None
    windows: tuple[ScheduleWindow, ...] = ()
    holidays: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AddUnit(Command):
    tenant_id: UUID
    callsign: str
    kind: str
    capabilities: tuple[str, ...] = ()
    station: str = ""
    latitude: float | None = None
    longitude: float | None = None
    crew: int = 0
    equipment: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AddPartner(Command):
    tenant_id: UUID
    name: str
    kind: str
    phones: tuple[str, ...] = ()
    email: str = ""
    notes: str = ""
    radio: str = ""


@dataclass(frozen=True, slots=True)
class AddUser(Command):
    """The password arrives in clear and is hashed before anything is stored."""

    tenant_id: UUID
    username: str
    display_name: str
    password: str = field(repr=False)
    language: str = "en"


@dataclass(frozen=True, slots=True)
class GrantRole(Command):
    """Give a user a role over the whole tenant (no clients or sites) or over some of them."""

    user_id: UUID
    role: str
    client_ids: tuple[UUID, ...] = ()
    site_ids: tuple[UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class SetLanguage(Command):
    user_id: UUID
    language: str


@dataclass(frozen=True, slots=True)
class WriteNote(Command):
    """A free note in the logbook, optionally about a site."""

    tenant_id: UUID
    text: str
    site_id: UUID | None = None
    client_key: UUID | None = None  # a note kept by a console while the server was away: written once
    typed_at: datetime | None = None  # when it was typed
