"""Administering users: disable and enable, reset a password, take a role back, revoke a token.

Every handler finds the user through the scoped repository first, so an administrator of one tenant
never reaches another tenant's users (they are simply not found), and records what it did.
"""

from __future__ import annotations

from uuid import UUID

from tocsin.domain import commands as c
from tocsin.domain import user_admin as a
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.tenancy import Tenant
from tocsin.domain.users import User
from tocsin.services.handlers.directory import create_tenant
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.handlers.users import MIN_PASSWORD, add_user, describe_grant, grant_role
from tocsin.services.unit_of_work import UnitOfWork


def user_in_scope(uow: UnitOfWork, user_id: UUID) -> User:
    """The user, or NotFound (a user of another tenant is not found either)."""
    user = uow.users.get(user_id)
    if user is None:
        raise NotFound(f"No user {user_id} in your scope: list the users to find the right id.")
    return user


def create_user(cmd: a.CreateUser, uow: UnitOfWork, actor: str, deps: Deps) -> User:
    added = add_user(
        c.AddUser(cmd.tenant_id, cmd.username, cmd.display_name, cmd.password, cmd.language), uow, actor, deps
    )
    grant_role(c.GrantRole(added.id, cmd.role, cmd.client_ids, cmd.site_ids), uow, actor, deps)
    return added


def create_tenant_with_admin(
    cmd: a.CreateTenantWithAdmin, uow: UnitOfWork, actor: str, deps: Deps
) -> tuple[Tenant, User]:
    """The tenant, then its administrator; any refusal (a taken reference or user name, a short
    password) undoes both, since they share the caller's transaction."""
    tenant = create_tenant(c.CreateTenant(cmd.ref, cmd.name), uow, actor, deps)
    if uow.users.find(username=cmd.username.strip().lower()):  # the caller is the node: it sees them all
        raise Conflict(f"The user name {cmd.username!r} is taken on this node: choose another one.")
    admin = create_user(
        a.CreateUser(tenant.id, cmd.username, cmd.display_name, cmd.password, "admin", language=cmd.language),
        uow,
        actor,
        deps,
    )
    return tenant, admin


def disable_user(cmd: a.DisableUser, uow: UnitOfWork, actor: str, _deps: Deps) -> User:
    user = user_in_scope(uow, cmd.user_id)
    if cmd.by == user.id:
        raise Conflict("You cannot disable your own account: ask another administrator.")
    user.active = False
    uow.users.update(user)
    ended = uow.auth.revoke_sessions_of(user.id, uow.clock.now())
    uow.record(
        a.UserDisabled(
            tenant_id=user.tenant_id, user_id=user.id, username=user.username, sessions_ended=ended
        ),
        actor,
    )
    return user


def enable_user(cmd: a.EnableUser, uow: UnitOfWork, actor: str, _deps: Deps) -> User:
    user = user_in_scope(uow, cmd.user_id)
    user.active = True
    uow.users.update(user)
    uow.record(a.UserEnabled(tenant_id=user.tenant_id, user_id=user.id, username=user.username), actor)
    return user


def reset_password(cmd: a.ResetPassword, uow: UnitOfWork, actor: str, deps: Deps) -> User:
    if len(cmd.password) < MIN_PASSWORD:
        raise InvalidInput(f"The password must be at least {MIN_PASSWORD} characters long.")
    user = user_in_scope(uow, cmd.user_id)
    user.password_hash = deps.hasher.hash(cmd.password)
    uow.users.update(user)
    ended = uow.auth.revoke_sessions_of(user.id, uow.clock.now())
    uow.record(
        a.PasswordReset(
            tenant_id=user.tenant_id, user_id=user.id, username=user.username, sessions_ended=ended
        ),
        actor,
    )
    return user


def revoke_grant(cmd: a.RevokeGrant, uow: UnitOfWork, actor: str, _deps: Deps) -> User:
    user = user_in_scope(uow, cmd.user_id)
    grant = uow.grants.get(cmd.grant_id)
    if grant is None or grant.user_id != user.id:
        raise NotFound(f"No grant {cmd.grant_id} for user {user.username}: list the user's grants.")
    role = uow.roles.get(grant.role_id)
    if cmd.by == user.id and role is not None and "users.manage" in role.permissions:
        others = [g for g in uow.grants.find(user_id=user.id) if g.id != grant.id]
        if not any("users.manage" in _permissions(uow, g.role_id) for g in others):
            raise Conflict("You cannot take back your own last administrator role: ask another one.")
    uow.grants.remove(grant)
    uow.record(
        a.RoleRevoked(
            tenant_id=user.tenant_id,
            user_id=user.id,
            username=user.username,
            role="?" if role is None else role.name,
            scope=describe_grant(uow, grant.client_ids, grant.site_ids),
        ),
        actor,
    )
    return user


def _permissions(uow: UnitOfWork, role_id: UUID) -> tuple[str, ...]:
    role = uow.roles.get(role_id)
    return () if role is None else role.permissions


def revoke_token(cmd: a.RevokeToken, uow: UnitOfWork, actor: str, _deps: Deps) -> User:
    user = user_in_scope(uow, cmd.user_id)
    token = next((t for t in uow.auth.tokens_of(user.id) if t.id == cmd.token_id), None)
    if token is None:
        raise NotFound(f"No API token {cmd.token_id} for user {user.username}: list the user's tokens.")
    uow.auth.revoke_token(token.id, uow.clock.now())
    uow.record(
        a.TokenRevoked(
            tenant_id=user.tenant_id,
            user_id=user.id,
            username=user.username,
            token_id=token.id,
            token_name=token.name,
        ),
        actor,
    )
    return user


HANDLERS = (
    Handlers()
    .add(a.CreateUser, create_user)
    .add(a.CreateTenantWithAdmin, create_tenant_with_admin)
    .add(a.DisableUser, disable_user)
    .add(a.EnableUser, enable_user)
    .add(a.ResetPassword, reset_password)
    .add(a.RevokeGrant, revoke_grant)
    .add(a.RevokeToken, revoke_token)
)
