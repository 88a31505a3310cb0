"""Administering people: the commands an administrator gives about users, and what they record.

Each act is a logbook entry about the user (``user:<id>`` subject), in the administrator's tenant chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef

# ---------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class CreateUser(Command):
    """A new user and their first role, in one transaction (no user is ever left without a role)."""

    tenant_id: UUID
    username: str
    display_name: str
    password: str = field(repr=False)
    role: str = "operator"
    client_ids: tuple[UUID, ...] = ()
    site_ids: tuple[UUID, ...] = ()
    language: str = "en"


@dataclass(frozen=True, slots=True)
class CreateTenantWithAdmin(Command):
    """A new tenant and its first administrator (role admin over the whole tenant), in one transaction:
    a room that starts from nothing never holds a tenant nobody can administer."""

    ref: str
    name: str
    username: str
    display_name: str
    password: str = field(repr=False)
    language: str = "en"


@dataclass(frozen=True, slots=True)
class DisableUser(Command):
    """Stop a user from logging in (their open sessions end); ``by`` is who asks, who may not be them."""

    user_id: UUID
    by: UUID | None = None


@dataclass(frozen=True, slots=True)
class EnableUser(Command):
    user_id: UUID


@dataclass(frozen=True, slots=True)
class ResetPassword(Command):
    """Set a new password (hashed before it is stored); the user's open sessions end."""

    user_id: UUID
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class RevokeGrant(Command):
    """Take a role (one grant) back from a user; ``by`` may not take their own last admin grant."""

    user_id: UUID
    grant_id: UUID
    by: UUID | None = None


@dataclass(frozen=True, slots=True)
class RevokeToken(Command):
    user_id: UUID
    token_id: UUID


# ---------------------------------------------------------------- events


@dataclass(frozen=True, slots=True, kw_only=True)
class UserDisabled(Event):
    """A user may no longer log in."""

    KIND: ClassVar[str] = "user.disabled"
    MESSAGE: ClassVar[str] = "user.disabled"
    user_id: UUID
    username: str
    sessions_ended: int

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class UserEnabled(Event):
    """A disabled user may log in again."""

    KIND: ClassVar[str] = "user.enabled"
    MESSAGE: ClassVar[str] = "user.enabled"
    user_id: UUID
    username: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordReset(Event):
    """An administrator set a user's password."""

    KIND: ClassVar[str] = "user.password_reset"
    MESSAGE: ClassVar[str] = "user.password_reset"
    user_id: UUID
    username: str
    sessions_ended: int

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleRevoked(Event):
    """A role (one grant) was taken back from a user."""

    KIND: ClassVar[str] = "user.role_revoked"
    MESSAGE: ClassVar[str] = "user.role_revoked"
    user_id: UUID
    username: str
    role: str
    scope: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRevoked(Event):
    """One of a user's API tokens was revoked."""

    KIND: ClassVar[str] = "user.token_revoked"
    MESSAGE: ClassVar[str] = "user.token_revoked"
    user_id: UUID
    username: str
    token_id: UUID
    token_name: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)
