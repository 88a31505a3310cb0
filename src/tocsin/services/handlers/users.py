"""Users and grants: creating people, giving them roles, their console language."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tocsin.domain import commands as c
from tocsin.domain import events as e
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.users import Grant, User
from tocsin.services.client_writes import check_typed_at, first_time
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork

MIN_PASSWORD = 10


def add_user(cmd: c.AddUser, uow: UnitOfWork, actor: str, deps: Deps) -> User:
    if len(cmd.password) < MIN_PASSWORD:
        raise InvalidInput(f"The password must be at least {MIN_PASSWORD} characters long.")
    user = User(
        id=uow.clock.new_id(),
        tenant_id=cmd.tenant_id,
        username=cmd.username,
        display_name=cmd.display_name,
        password_hash=deps.hasher.hash(cmd.password),
        language=cmd.language,
    )
    if uow.tenants.get(cmd.tenant_id) is None:
        raise NotFound(f"No tenant {cmd.tenant_id} in your scope.")
    uow.users.add(user)
    uow.record(e.UserCreated(tenant_id=user.tenant_id, user_id=user.id, username=user.username), actor)
    return user


def grant_role(cmd: c.GrantRole, uow: UnitOfWork, actor: str, _deps: Deps) -> Grant:
    user = uow.users.get(cmd.user_id)
    if user is None:
        raise NotFound(f"No user {cmd.user_id} in your scope.")
    roles = [r for r in uow.roles.find(name=cmd.role) if r.tenant_id in (None, user.tenant_id)]
    if not roles:
        known = sorted({r.name for r in uow.roles.find()})
        raise NotFound(f"No role {cmd.role!r}: use one of {', '.join(known)}.")
    for client_id in cmd.client_ids:
        if uow.clients.get(client_id) is None:
            raise NotFound(f"No client {client_id} in your scope.")
    for site_id in cmd.site_ids:
        if uow.sites.get(site_id) is None:
            raise NotFound(f"No site {site_id} in your scope.")
    grant = Grant(
        id=uow.clock.new_id(),
        tenant_id=user.tenant_id,
        user_id=user.id,
        role_id=roles[-1].id,  # a tenant's own role of that name wins over the built-in one
        client_ids=cmd.client_ids,
        site_ids=cmd.site_ids,
    )
    uow.grants.add(grant)
    where = describe_grant(uow, cmd.client_ids, cmd.site_ids)
    uow.record(
        e.RoleGranted(
            tenant_id=user.tenant_id, user_id=user.id, username=user.username, role=cmd.role, scope=where
        ),
        actor,
    )
    return grant


def describe_grant(uow: UnitOfWork, client_ids: tuple[UUID, ...], site_ids: tuple[UUID, ...]) -> str:
    """What a grant covers, in words: ``whole-tenant`` (translated), or its clients' and sites' refs."""
    if not (client_ids or site_ids):
        return "whole-tenant"
    clients = [uow.clients.get(x) for x in client_ids]
    sites = [uow.sites.get(x) for x in site_ids]
    parts = [f"client {x.ref}" for x in clients if x] + [f"site {x.ref}" for x in sites if x]
    return ", ".join(parts)


def set_language(cmd: c.SetLanguage, uow: UnitOfWork, actor: str, _deps: Deps) -> User:
    user = uow.users.get(cmd.user_id)
    if user is None:
        raise NotFound(f"No user {cmd.user_id} in your scope.")
    user.language = cmd.language
    User.__post_init__(user)  # validates the language
    uow.users.update(user)  # a preference, not an act of the room: no logbook entry
    return user


MAX_NOTE = 2000


def write_note(cmd: c.WriteNote, uow: UnitOfWork, actor: str, _deps: Deps) -> Any:
    text = cmd.text.strip()
    if not text or len(text) > MAX_NOTE:
        raise InvalidInput(f"A note must be 1 to {MAX_NOTE} characters.")
    client_id = None
    if cmd.site_id is not None:
        site = uow.sites.get(cmd.site_id)
        if site is None:
            raise NotFound(f"No site {cmd.site_id} in your scope.")
        client_id = site.client_id
    typed_at = check_typed_at(cmd.typed_at, uow.clock.now())
    if not first_time(uow, cmd.tenant_id, cmd.client_key, "note", str(cmd.site_id or "")):
        return None  # a replay: written the first time
    return uow.record(
        e.NoteWritten(tenant_id=cmd.tenant_id, text=text, site_id=cmd.site_id, client_id=client_id),
        actor,
        typed_at,
    )


HANDLERS = (
    Handlers()
    .add(c.AddUser, add_user)
    .add(c.GrantRole, grant_role)
    .add(c.SetLanguage, set_language)
    .add(c.WriteNote, write_note)
)
