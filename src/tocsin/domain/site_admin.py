"""Commands and logbook events of a site file's editing: the site's own fields, its zones and contacts.

Creating a site, an account, a zone or a contact is in ``commands`` (``CreateSite``, ``AddZone``…);
these change or remove what exists. A contact's password and duress word are set or changed here and
never read back: the events name which secret changed, never its value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef

SITE_FIELDS = (
    "client_id",
    "name",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "time_zone",
    "notes",
)
MAX_CONTACTS = 99  # call orders run from 1 to 99


@dataclass(frozen=True, slots=True)
class UpdateSite(Command):
    """Change some of a site's fields (``changes`` maps a name of ``SITE_FIELDS`` to its new value); a
    new ``client_id`` moves the site to another client of the tenant."""

    site_id: UUID
    changes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UpdateZone(Command):
    """Change a zone's number, label or kind (``None``: unchanged)."""

    site_id: UUID
    zone_id: UUID
    number: str | None = None
    name: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class RemoveZone(Command):
    site_id: UUID
    zone_id: UUID


@dataclass(frozen=True, slots=True)
class UpdateContact(Command):
    """Change a contact (``None``: unchanged); a password or duress word given is hashed, and
    ``clear_password`` / ``clear_duress`` remove one."""

    site_id: UUID
    contact_id: UUID
    call_order: int | None = None
    name: str | None = None
    phones: tuple[str, ...] | None = None
    role: str | None = None
    password: str | None = field(default=None, repr=False)
    duress_word: str | None = field(default=None, repr=False)
    clear_password: bool = False
    clear_duress: bool = False


@dataclass(frozen=True, slots=True)
class RemoveContact(Command):
    site_id: UUID
    contact_id: UUID


@dataclass(frozen=True, slots=True)
class ReorderContacts(Command):
    """Give the site's contacts the call orders 1, 2, 3… in this order (every contact, once each)."""

    site_id: UUID
    contact_ids: tuple[UUID, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteUpdated(Event):
    """A site's fields changed; ``fields`` names them, ``before`` and ``after`` give their values."""

    KIND: ClassVar[str] = "site.updated"
    MESSAGE: ClassVar[str] = "site.updated"
    site_id: UUID
    client_id: UUID
    site_ref: str
    fields: str  # "name, address"
    before: str
    after: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("site", str(self.site_id)),)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteChildChanged(Event):
    """A zone or contact of a site was changed or removed (``action``); ``fields`` names what changed
    (a secret appears as ``password`` or ``duress_word``, never its value)."""

    KIND: ClassVar[str] = "site.child_changed"
    MESSAGE: ClassVar[str] = "site.child_changed"
    site_id: UUID
    client_id: UUID
    site_ref: str
    what: str  # zone, contact
    child_id: UUID
    label: str
    action: str  # changed, removed, reordered
    fields: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef(self.what, str(self.child_id)), SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id
