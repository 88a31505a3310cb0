"""The in-memory twin of the scoped SQL repository: the same scope policy, keys and references."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection, Sequence
from typing import Any, Generic, Protocol, TypeVar, cast
from uuid import UUID

from tocsin.domain.cameras import Camera
from tocsin.domain.clips import Clip, SiteVideo
from tocsin.domain.errors import Conflict, NotFound, OutOfScope
from tocsin.domain.requisitions import Requisition, VideoExport
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.shifts import Handover, Shift
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone
from tocsin.domain.tenancy import Client, Tenant
from tocsin.domain.units import Assignment, StatusChange
from tocsin.domain.users import Grant, Role, User
from tocsin.services import scoping


class Record(Protocol):
    """What every stored record has: an id."""

    @property
    def id(self) -> UUID:
        """The record's identifier."""
        ...


T = TypeVar("T", bound=Record)
Tables = dict[str, dict[UUID, Any]]

# The repository (and table) name of each kind of record, as on the unit of work.
TABLE_OF: dict[type[Any], str] = {
    Tenant: "tenants",
    Client: "clients",
    Site: "sites",
    Account: "accounts",
    Zone: "zones",
    Contact: "contacts",
    Schedule: "schedules",
    Unit: "units",
    Partner: "partners",
    User: "users",
    Role: "roles",
    Grant: "grants",
    Camera: "cameras",
    Assignment: "assignments",
    StatusChange: "unit_history",
    Shift: "shifts",
    Handover: "handovers",
    Clip: "clips",
    SiteVideo: "site_videos",
    Requisition: "requisitions",
    VideoExport: "video_exports",
}

# The unique constraints of the SQL schema.
UNIQUE: dict[type[Any], tuple[tuple[str, ...], ...]] = {
    Tenant: (("ref",),),
    Client: (("tenant_id", "ref"),),
    Site: (("tenant_id", "ref"),),
    Account: (("receiver", "line", "number"),),  # on the node, across tenants
    Zone: (("site_id", "number"),),
    Unit: (("tenant_id", "callsign"),),
    User: (("username",),),
    Role: (("tenant_id", "name"),),
    Camera: (("site_id", "name"),),
    Clip: (("alarm_id", "camera_id"),),
    SiteVideo: (("site_id",),),
    Requisition: (("tenant_id", "reference"),),
}

# The foreign keys of the SQL schema: field -> referenced table.
REFERENCES: dict[type[Any], tuple[tuple[str, str], ...]] = {
    Client: (("tenant_id", "tenants"),),
    Site: (("tenant_id", "tenants"), ("client_id", "clients"), ("schedule_id", "schedules")),
    Account: (("tenant_id", "tenants"), ("site_id", "sites")),
    Zone: (("tenant_id", "tenants"), ("site_id", "sites")),
    Contact: (("tenant_id", "tenants"), ("site_id", "sites")),
    Schedule: (("tenant_id", "tenants"), ("client_id", "clients")),
    Unit: (("tenant_id", "tenants"),),
    Partner: (("tenant_id", "tenants"),),
    User: (("tenant_id", "tenants"),),
    Role: (("tenant_id", "tenants"),),
    Grant: (("tenant_id", "tenants"), ("user_id", "users"), ("role_id", "roles")),
    Camera: (("tenant_id", "tenants"), ("site_id", "sites")),
    Assignment: (("tenant_id", "tenants"), ("unit_id", "units")),
    StatusChange: (("tenant_id", "tenants"), ("unit_id", "units")),
    Shift: (("tenant_id", "tenants"), ("user_id", "users")),
    Handover: (("tenant_id", "tenants"), ("from_user_id", "users")),
    Clip: (("tenant_id", "tenants"), ("site_id", "sites")),
    SiteVideo: (("tenant_id", "tenants"), ("site_id", "sites")),
    Requisition: (("tenant_id", "tenants"),),
    VideoExport: (("tenant_id", "tenants"), ("site_id", "sites"), ("requisition_id", "requisitions")),
}


class InMemoryRepository(Generic[T]):
    """One kind of record in a dict, seen through a scope.

    Records go in and come out as deep copies, so a caller changes the store only through
    ``update``, and a stored record is never changed in place (the store relies on that to share
    records between snapshots).
    """

    def __init__(self, tables: Tables, scope: Scope, entity: type[T]) -> None:
        self._tables = tables
        self._rows: dict[UUID, T] = tables[TABLE_OF[entity]]
        self._scope = scope
        self._entity = entity
        self._name = entity.__name__.lower()
        self._fields = frozenset(f.name for f in dataclasses.fields(cast(Any, entity)))

    # ------------------------------------------------------------ reads

    def get(self, item_id: UUID) -> T | None:
        """The record with this id, or None when it does not exist or is out of scope."""
        item = self._rows.get(item_id)
        if item is None or not self._readable(item):
            return None
        return copy.deepcopy(item)

    def get_many(self, item_ids: Collection[UUID]) -> list[T]:
        """The visible records with these ids."""
        return [item for item in map(self.get, item_ids) if item is not None]

    def find(self, **equal: Any) -> list[T]:
        """Visible records whose fields equal the given values, ordered by id."""
        unknown = sorted(set(equal) - self._fields)
        if unknown:
            raise AttributeError(f"A {self._name} has no field {unknown[0]!r}.")
        return [
            copy.deepcopy(item)
            for _id, item in sorted(self._rows.items())
            if self._readable(item) and all(getattr(item, k) == v for k, v in equal.items())
        ]

    # ------------------------------------------------------------ writes

    def add(self, item: T) -> None:
        """Store a new record; raises OutOfScope or Conflict."""
        self._check_write(item)
        if item.id in self._rows:
            raise Conflict(f"A {self._name} with id {item.id} is already stored: use update.")
        self._check_keys(item)
        self._rows[item.id] = copy.deepcopy(item)

    def add_many(self, items: Sequence[T]) -> None:
        """Store new records together: each as :meth:`add` (all or none: the unit of work rolls back)."""
        for item in items:
            self.add(item)

    def update(self, item: T) -> None:
        """Write back a changed record; raises OutOfScope, NotFound or Conflict."""
        self._check_write(item)
        stored = self._rows.get(item.id)
        if stored is None or not self._readable(stored):
            raise NotFound(f"No {self._name} {item.id} in your scope.")
        self._check_keys(item)
        self._rows[item.id] = copy.deepcopy(item)

    def remove(self, item: T) -> None:
        """Delete a record; raises OutOfScope or NotFound."""
        self._check_write(item)
        stored = self._rows.get(item.id)
        if stored is None or not self._readable(stored):
            raise NotFound(f"No {self._name} {item.id} in your scope.")
        del self._rows[item.id]

    # ------------------------------------------------------------ rules

    def _readable(self, item: T) -> bool:
        return scoping.may_read(self._scope, item, self._site_of, self._clients_of_sites)

    def _check_write(self, item: T) -> None:
        if not scoping.may_write(self._scope, item, self._site_of):
            raise OutOfScope(
                f"Your grant does not cover this {self._name}:"
                " ask an administrator for access to its tenant, client or site."
            )

    def _check_keys(self, item: T) -> None:
        for fields in UNIQUE.get(self._entity, ()):
            key = tuple(getattr(item, f) for f in fields)
            for other in self._rows.values():
                if other.id != item.id and tuple(getattr(other, f) for f in fields) == key:
                    raise Conflict(
                        f"This {self._name} clashes with one already stored: its"
                        f" {', '.join(fields)} must be unique; pick another value."
                    )
        for field, table in REFERENCES.get(self._entity, ()):
            value = getattr(item, field)
            if value is not None and value not in self._tables[table]:
                raise Conflict(
                    f"This {self._name} refers to {field} {value}, which is not stored:"
                    " create that record first."
                )

    def _site_of(self, site_id: UUID) -> Site | None:
        site: Site | None = self._tables["sites"].get(site_id)
        return site

    def _clients_of_sites(self, site_ids: frozenset[UUID]) -> frozenset[UUID]:
        sites = self._tables["sites"]
        return frozenset(sites[s].client_id for s in site_ids if s in sites)


class InMemoryAccountIdentities:
    """Transmitter identities across tenants, over the accounts table."""

    def __init__(self, tables: Tables) -> None:
        self._accounts: dict[UUID, Account] = tables["accounts"]

    def holder(self, receiver: str, line: str, number: str) -> UUID | None:
        wanted = (receiver.upper(), line.upper(), number.upper())
        return next(
            (a.tenant_id for a in self._accounts.values() if (a.receiver, a.line, a.number) == wanted), None
        )

    def holders(self, identities: Collection[tuple[str, str, str]]) -> dict[tuple[str, str, str], UUID]:
        wanted = {(r.upper(), li.upper(), n.upper()) for r, li, n in identities}
        held = {(a.receiver, a.line, a.number): a.tenant_id for a in self._accounts.values()}
        return {key: tenant for key, tenant in held.items() if key in wanted}
