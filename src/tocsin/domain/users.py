"""People who use Tocsin: users, roles (named sets of permissions, stored as data) and grants.

A grant gives a user a role over the whole tenant or over some clients and sites. What a user may do
with a permission is the union of the scopes of the grants whose role carries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from tocsin.domain.errors import InvalidInput, TocsinError
from tocsin.domain.scope import Scope
from tocsin.domain.tenancy import check_name

PERMISSIONS: dict[str, str] = {
    "console.use": "open the operator console",
    "logbook.read": "read the logbook",
    "logbook.write": "write notes in the logbook",
    "directory.read": "read clients, sites, transmitters, zones, contacts, schedules and signals",
    "units.read": "read the units and their live positions",
    "partners.read": "read the partner services and their direct lines",
    "directory.write": "create and change clients, sites, transmitters, zones and contacts",
    "resources.write": "create and change units, partners and schedules",
    "alarms.read": "read the alarms of one's sites and their history",
    "alarms.handle": "take, handle and settle alarms",
    "events.dispatch": "create events and dispatch units",
    "room.supervise": "re-assign work, read KPIs, run debriefs",
    "users.manage": "manage users and their grants",
    "unit.report": "report a unit's own status and situation",
    "reports.read": "read reports about one's sites",
}

_OPERATOR = (
    "console.use",
    "logbook.read",
    "logbook.write",
    "directory.read",
    "units.read",
    "partners.read",
    "alarms.read",
    "alarms.handle",
    "events.dispatch",
)
BUILTIN_ROLES: dict[str, tuple[str, ...]] = {
    "operator": _OPERATOR,
    "supervisor": (*_OPERATOR, "room.supervise", "reports.read"),
    "admin": tuple(PERMISSIONS),
    # a crew sees the units (its own, and the others for backup) and writes in the logbook; it reads no
    # client's file, contacts or partners' direct lines
    "unit": ("unit.report", "logbook.write", "units.read"),
    # a client reads its own sites, their signals and logbook, never the room's means or partners
    "client": ("directory.read", "logbook.read", "alarms.read", "reports.read"),
}
LANGUAGES = ("en", "fr")


def builtin_role_id(name: str) -> UUID:
    """Stable ids for the built-in roles, the same on every installation (and in migration 0003)."""
    return uuid5(NAMESPACE_URL, f"urn:tocsin:role:{name}")


def builtin_roles() -> list[Role]:
    """The built-in roles, as the migration stores them."""
    return [Role(id=builtin_role_id(n), name=n, permissions=p) for n, p in BUILTIN_ROLES.items()]


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


class AuthenticationFailed(TocsinError):
    """Wrong user name or password (never says which)."""


class Throttled(TocsinError):
    """Too many recent failures from this place: wait before trying again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SessionExpired(TocsinError):
    """The session is over: log in again."""


class AuthenticationRequired(SessionExpired):
    """A request came with no credentials at all (no session cookie, no bearer token)."""


class TokenRejected(SessionExpired):
    """A bearer token that is unknown, revoked or expired."""


class Forbidden(TocsinError):
    """The user's roles do not carry the permission the request needs."""


class CsrfRejected(TocsinError):
    """A form or request came without the token of the session that is sending it."""


def check_username(name: str) -> str:
    """User names are short, lower-case, and unique across the installation."""
    name = name.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput(
            f"The user name {name!r} is not valid: use 2 to 64 lower-case letters, digits, '.', '_',"
            " '-' or '@'."
        )
    return name


@dataclass(slots=True)
class Role:
    """A named set of permissions; built-in roles have no tenant, a tenant may define its own."""

    id: UUID
    name: str
    permissions: tuple[str, ...]
    tenant_id: UUID | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.permissions) - set(PERMISSIONS))
        if unknown:
            raise InvalidInput(f"Unknown permission(s) {', '.join(unknown)} in role {self.name!r}.")
        self.permissions = tuple(self.permissions)


@dataclass(slots=True)
class User:
    """A person who logs in; the password is stored as an Argon2 hash only."""

    id: UUID
    tenant_id: UUID
    username: str
    display_name: str
    password_hash: str
    language: str = "en"
    active: bool = True
    unit_id: UUID | None = None  # a field crew's login: the one unit it reports for

    def __post_init__(self) -> None:
        self.username = check_username(self.username)
        self.display_name = check_name(self.display_name, "user")
        if self.language not in LANGUAGES:
            raise InvalidInput(f"Language {self.language!r} is not offered: use 'en' or 'fr'.")


@dataclass(slots=True)
class Grant:
    """A role given to a user over the whole tenant (no clients, no sites) or over some of them."""

    id: UUID
    tenant_id: UUID
    user_id: UUID
    role_id: UUID
    client_ids: tuple[UUID, ...] = ()
    site_ids: tuple[UUID, ...] = ()

    def __post_init__(self) -> None:
        self.client_ids = tuple(self.client_ids)
        self.site_ids = tuple(self.site_ids)

    def scope(self) -> Scope:
        """The part of the tenant this grant covers."""
        if not self.client_ids and not self.site_ids:
            return Scope.tenant(self.tenant_id)
        return Scope.restricted(self.tenant_id, frozenset(self.client_ids), frozenset(self.site_ids))


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a user with the permissions and scopes of their grants."""

    user_id: UUID
    tenant_id: UUID
    username: str
    display_name: str
    language: str
    roles: tuple[str, ...]
    grants: tuple[tuple[frozenset[str], Scope], ...]
    session_id: UUID | None = None
    csrf_token: str | None = None

    @property
    def actor(self) -> str:
        """How this user is named in the logbook."""
        return f"user:{self.username}"

    def can(self, permission: str) -> bool:
        """Whether any grant carries the permission."""
        return any(permission in perms for perms, _ in self.grants)

    def scope_for(self, permission: str) -> Scope:
        """The union of the scopes of the grants that carry ``permission``."""
        scopes = [scope for perms, scope in self.grants if permission in perms]
        if not scopes:
            raise Forbidden(
                f"Your role does not allow this ({PERMISSIONS.get(permission, permission)}):"
                " ask a supervisor or an administrator."
            )
        if any(s.whole_tenant for s in scopes):
            return Scope.tenant(self.tenant_id)
        clients = frozenset().union(*(s.client_ids or frozenset() for s in scopes))
        sites = frozenset().union(*(s.site_ids or frozenset() for s in scopes))
        return Scope.restricted(self.tenant_id, clients, sites)


@dataclass(frozen=True, slots=True)
class AuthSession:
    """A console login: the cookie holds a random token, the store only its SHA-256."""

    id: UUID
    user_id: UUID
    tenant_id: UUID
    token_hash: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    source: str
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A bearer token for the API, shown once at creation; the store keeps its SHA-256."""

    id: UUID
    user_id: UUID
    tenant_id: UUID
    name: str
    token_hash: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LoginThrottle:
    """Recent failures for one key (a source address, or a user name from an address)."""

    key: str
    failures: int
    last_failure_at: datetime
    next_allowed_at: datetime
