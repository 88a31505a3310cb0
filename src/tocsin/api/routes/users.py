"""``/api/v1/users``: user administration for the ``users.manage`` permission (the admin role).

An administrator sees and changes the users of their own tenant only: another tenant's user answers
404, as any record outside one's scope. Every change is a logbook entry.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Path
from pydantic import BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.schemas import TokenOut, UserOut
from tocsin.domain import commands as c
from tocsin.domain import user_admin as a
from tocsin.domain.commands import Command
from tocsin.domain.scope import Scope
from tocsin.domain.users import Forbidden, Principal
from tocsin.services import queries

router = api_router("/api/v1/users", "users")
MANAGE = "users.manage"
UserId = Annotated[UUID, Path(description="The user's id")]


def manage_scope(principal: Principal) -> Scope:
    """The whole tenant, for a principal whose ``users.manage`` grant covers it; Forbidden otherwise
    (an admin over some clients only would see users and grants beyond those clients)."""
    scope = principal.scope_for(MANAGE)
    if not scope.whole_tenant:
        raise Forbidden(
            "Managing users needs an administrator grant over the whole tenant: ask an administrator."
        )
    return scope


def _read_user(node: NodeDep, principal: Principal, user_id: UUID) -> UserOut:
    found = node.store.read(lambda uow: queries.user(uow, user_id), manage_scope(principal))
    return UserOut.model_validate(found)


def _act(node: NodeDep, principal: Principal, command: Command, user_id: UUID) -> UserOut:
    node.messagebus.handle(command, scope=manage_scope(principal), actor=principal.actor)
    return _read_user(node, principal, user_id)


@router.get("")
def list_users(node: NodeDep, principal: PrincipalDep) -> list[UserOut]:
    """The users of my tenant, with their grants."""
    return [UserOut.model_validate(u) for u in node.store.read(queries.users, manage_scope(principal))]


class GrantIn(BaseModel):
    role: str = Field(min_length=1, max_length=64, description="operator, supervisor, admin, unit, client…")
    client_ids: list[UUID] = Field(default_factory=list, max_length=100)
    site_ids: list[UUID] = Field(default_factory=list, max_length=100)


class UserIn(GrantIn):
    username: str = Field(min_length=2, max_length=64)
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=1000)
    language: Literal["en", "fr"] = "en"


@router.post("", status_code=201)
def create_user(body: UserIn, node: NodeDep, principal: CheckedPrincipalDep) -> UserOut:
    """Create a user in my tenant with one role (over the whole tenant, or some clients and sites)."""

    command = a.CreateUser(
        tenant_id=principal.tenant_id,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
        role=body.role,
        client_ids=tuple(body.client_ids),
        site_ids=tuple(body.site_ids),
        language=body.language,
    )
    user = node.messagebus.handle(command, scope=manage_scope(principal), actor=principal.actor)
    return _read_user(node, principal, user.id)


@router.get("/{user_id}")
def read_user(user_id: UserId, node: NodeDep, principal: PrincipalDep) -> UserOut:
    """One user of my tenant."""
    return _read_user(node, principal, user_id)


@router.post("/{user_id}/disable")
def disable_user(user_id: UserId, node: NodeDep, principal: CheckedPrincipalDep) -> UserOut:
    """Stop a user from logging in; their open sessions end (not my own account)."""
    return _act(node, principal, a.DisableUser(user_id, by=principal.user_id), user_id)


@router.post("/{user_id}/enable")
def enable_user(user_id: UserId, node: NodeDep, principal: CheckedPrincipalDep) -> UserOut:
    """Let a disabled user log in again."""
    return _act(node, principal, a.EnableUser(user_id), user_id)


class PasswordIn(BaseModel):
    password: str = Field(min_length=10, max_length=1000)


@router.put("/{user_id}/password")
def reset_password(
    user_id: UserId, body: PasswordIn, node: NodeDep, principal: CheckedPrincipalDep
) -> UserOut:
    """Set a user's password; their open sessions end."""
    return _act(node, principal, a.ResetPassword(user_id, body.password), user_id)


@router.post("/{user_id}/grants", status_code=201)
def grant_role(user_id: UserId, body: GrantIn, node: NodeDep, principal: CheckedPrincipalDep) -> UserOut:
    """Give a user a role over my whole tenant, or over some of its clients and sites."""
    command = c.GrantRole(user_id, body.role, tuple(body.client_ids), tuple(body.site_ids))
    return _act(node, principal, command, user_id)


@router.delete("/{user_id}/grants/{grant_id}")
def revoke_grant(
    user_id: UserId,
    grant_id: Annotated[UUID, Path(description="The grant's id")],
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> UserOut:
    """Take a role back from a user (not my own last administrator role)."""
    return _act(node, principal, a.RevokeGrant(user_id, grant_id, by=principal.user_id), user_id)


@router.get("/{user_id}/tokens")
def list_tokens(user_id: UserId, node: NodeDep, principal: PrincipalDep) -> list[TokenOut]:
    """A user's API tokens: names and dates, never the secrets."""
    found = node.store.read(lambda uow: queries.tokens(uow, user_id), manage_scope(principal))
    return [TokenOut.model_validate(t) for t in found]


@router.delete("/{user_id}/tokens/{token_id}")
def revoke_token(
    user_id: UserId,
    token_id: Annotated[UUID, Path(description="The token's id")],
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> TokenOut:
    """Revoke one of a user's API tokens."""
    _act(node, principal, a.RevokeToken(user_id, token_id), user_id)
    found = node.store.read(lambda uow: queries.tokens(uow, user_id), manage_scope(principal))
    return TokenOut.model_validate(next(t for t in found if t.id == token_id))
