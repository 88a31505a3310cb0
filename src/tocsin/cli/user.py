"""``tocsin user``: people who log in, their roles and API tokens.

The command line is the node's own administrator: it reaches every tenant's users, finds them by user
name, and records each act in their tenant's logbook with the actor ``cli``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.cli.common import read_secret, resolve_tenant
from tocsin.domain import commands as c
from tocsin.domain import user_admin as a
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.scope import Scope
from tocsin.domain.users import User
from tocsin.services import queries
from tocsin.services.auth import TOKEN_LIFETIME
from tocsin.services.unit_of_work import UnitOfWork


def resolve_scopes(node: Node, tenant_id: UUID, scopes: tuple[str, ...]) -> tuple[list[UUID], list[UUID]]:
    """``client:REF`` and ``site:REF`` options turned into ids."""
    clients: list[UUID] = []
    sites: list[UUID] = []

    def look(uow: UnitOfWork) -> None:
        for item in scopes:
            kind, _, ref = item.partition(":")
            repo: Any = {"client": uow.clients, "site": uow.sites}.get(kind)
            if repo is None or not ref:
                raise InvalidInput(f"--scope {item!r} must be client:REF or site:REF.")
            found = repo.find(ref=ref)
            if not found:
                raise InvalidInput(f"No {kind} with reference {ref!r} in this tenant.")
            (clients if kind == "client" else sites).append(found[0].id)

    node.store.read(look, Scope.tenant(tenant_id))
    return clients, sites


@click.group()
def user() -> None:
    """Users, roles and API tokens."""


@user.command()
@click.argument("username")
@click.option("--role", required=True, help="operator, supervisor, admin, unit or client.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--scope", "scopes", multiple=True, help="Limit the role: client:REF or site:REF (repeat).")
@click.option("--name", "display_name", help="The name shown in the console (default: the user name).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
def add(
    *,
    username: str,
    role: str,
    tenant_ref: str | None,
    scopes: tuple[str, ...],
    display_name: str | None,
    lang: str,
) -> None:
    """Create a user; the password is read from standard input (or typed twice)."""
    password = read_secret("Password")
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        clients, sites = resolve_scopes(node, tenant_id, scopes)
        scope = Scope.tenant(tenant_id)

        def create(uow: UnitOfWork) -> None:
            from tocsin.services.handlers import users as handlers  # noqa: PLC0415
            from tocsin.services.handlers.registry import Deps  # noqa: PLC0415

            deps = Deps(hasher=node.hasher)
            added = handlers.add_user(
                c.AddUser(tenant_id, username, display_name or username, password, lang), uow, "cli", deps
            )
            handlers.grant_role(c.GrantRole(added.id, role, tuple(clients), tuple(sites)), uow, "cli", deps)

        node.store.write(create, scope)
    finally:
        node.close()
    where = ", ".join(scopes) or "the whole tenant"
    click.echo(f"User {username.lower()} created with role {role} over {where}.")


@user.command()
@click.argument("username")
@click.option("--name", "token_name", default="api", show_default=True, help="What the token is for.")
@click.option(
    "--expires-in",
    "--days",
    "days",
    type=click.IntRange(1, 3650),
    default=TOKEN_LIFETIME.days,
    show_default=True,
    metavar="DAYS",
    help="Days until the token expires.",
)
def token(username: str, token_name: str, days: int) -> None:
    """Create an API bearer token for a user and print it once; it expires (90 days unless told)."""
    node = bootstrap(load_settings())
    try:
        secret = node.auth.create_token(username, token_name, timedelta(days=days))
    finally:
        node.close()
    click.echo(secret)


def _find_user(node: Node, username: str) -> User:
    found = node.store.read(lambda uow: uow.users.find(username=username.strip().lower()), Scope.system())
    if not found:
        raise NotFound(f"No user {username!r}: `tocsin user list` shows them.")
    return found[0]


def _with_user(username: str, act: Callable[[Node, User], str]) -> None:
    """Open the node, find the user, run ``act`` and print what it says."""
    node = bootstrap(load_settings())
    try:
        said = act(node, _find_user(node, username))
    finally:
        node.close()
    click.echo(said)


def _handle(node: Node, user: User, command: c.Command) -> object:
    return node.messagebus.handle(command, scope=Scope.tenant(user.tenant_id), actor="cli")


def _refs(uow: UnitOfWork, repo: str, ids: list[UUID]) -> list[str]:
    found = (getattr(uow, repo).get(i) for i in ids)
    return [x.ref for x in found if x is not None]


def _listing(uow: UnitOfWork) -> list[dict[str, Any]]:
    tenants = {t.id: t.ref for t in uow.tenants.find()}
    shown = []
    for view in queries.users(uow):
        grants = [
            {
                "id": str(g["id"]),
                "role": g["role"],
                "clients": _refs(uow, "clients", g["client_ids"]),
                "sites": _refs(uow, "sites", g["site_ids"]),
            }
            for g in view["grants"]
        ]
        shown.append(
            {
                "id": str(view["id"]),
                "tenant": tenants.get(view["tenant_id"], ""),
                "username": view["username"],
                "display_name": view["display_name"],
                "language": view["language"],
                "active": view["active"],
                "grants": grants,
            }
        )
    return shown


def _grant_words(grant: dict[str, Any]) -> str:
    where = [f"client:{r}" for r in grant["clients"]] + [f"site:{r}" for r in grant["sites"]]
    return f"{grant['role']} over {', '.join(where) or 'the whole tenant'}"


@user.command(name="list")
@click.option("--tenant", "tenant_ref", help="Only this tenant's users (default: every tenant's).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
def list_users(tenant_ref: str | None, as_json: bool) -> None:
    """Users with their tenant, state and roles."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.system() if tenant_ref is None else Scope.tenant(resolve_tenant(node, tenant_ref))
        shown = node.store.read(_listing, scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(shown, indent=2))
        return
    for item in shown:
        state = "active" if item["active"] else "disabled"
        roles = "; ".join(_grant_words(g) for g in item["grants"]) or "no role"
        click.echo(f"{item['tenant']:<12} {item['username']:<24} {state:<9} {roles}")


@user.command()
@click.argument("username")
def disable(username: str) -> None:
    """Stop a user from logging in; their open sessions end and their tokens stop working."""

    def act(node: Node, found: User) -> str:
        _handle(node, found, a.DisableUser(found.id))
        return f"User {found.username} disabled."

    _with_user(username, act)


@user.command()
@click.argument("username")
def enable(username: str) -> None:
    """Let a disabled user log in again."""

    def act(node: Node, found: User) -> str:
        _handle(node, found, a.EnableUser(found.id))
        return f"User {found.username} enabled."

    _with_user(username, act)


@user.command()
@click.argument("username")
def password(username: str) -> None:
    """Set a user's password, read from standard input (or typed twice); their open sessions end."""
    secret = read_secret("New password")

    def act(node: Node, found: User) -> str:
        _handle(node, found, a.ResetPassword(found.id, secret))
        return f"Password of {found.username} changed; their open sessions are over."

    _with_user(username, act)


@user.command()
@click.argument("username")
@click.option("--role", required=True, help="operator, supervisor, admin, unit or client.")
@click.option("--scope", "scopes", multiple=True, help="Limit the role: client:REF or site:REF (repeat).")
def grant(username: str, role: str, scopes: tuple[str, ...]) -> None:
    """Give a user one more role, over the whole tenant or some clients and sites."""

    def act(node: Node, found: User) -> str:
        clients, sites = resolve_scopes(node, found.tenant_id, scopes)
        _handle(node, found, c.GrantRole(found.id, role, tuple(clients), tuple(sites)))
        return f"User {found.username} granted role {role} over {', '.join(scopes) or 'the whole tenant'}."

    _with_user(username, act)


@user.command()
@click.argument("username")
@click.option("--role", required=True, help="The role to take back (every grant of it).")
def revoke(username: str, role: str) -> None:
    """Take a role back from a user (each grant of that role, whatever its scope)."""

    def act(node: Node, found: User) -> str:
        def grants_of(uow: UnitOfWork) -> list[UUID]:
            return [g["id"] for g in queries.user(uow, found.id)["grants"] if g["role"] == role]

        ids = node.store.read(grants_of, Scope.tenant(found.tenant_id))
        if not ids:
            raise NotFound(
                f"User {found.username} has no role {role!r}: `tocsin user list` shows their roles."
            )
        for grant_id in ids:
            _handle(node, found, a.RevokeGrant(found.id, grant_id))
        return f"Role {role} taken back from {found.username} ({len(ids)} grant(s))."

    _with_user(username, act)


def _token_view(token: Any) -> dict[str, Any]:
    def when(at: Any) -> str | None:
        return None if at is None else str(at.isoformat())

    return {
        "id": str(token.id),
        "name": token.name,
        "created_at": when(token.created_at),
        "expires_at": when(token.expires_at),
        "revoked_at": when(token.revoked_at),
    }


@user.command()
@click.argument("username")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
def tokens(username: str, as_json: bool) -> None:
    """A user's API tokens: id, name and dates (secrets are never stored, so never shown)."""
    node = bootstrap(load_settings())
    try:
        found = _find_user(node, username)
        shown = [
            _token_view(t)
            for t in node.store.read(lambda uow: queries.tokens(uow, found.id), Scope.tenant(found.tenant_id))
        ]
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(shown, indent=2))
        return
    for item in shown:
        state = "revoked" if item["revoked_at"] else f"expires {item['expires_at'] or 'never'}"
        click.echo(f"{item['id']}  {item['name']:<20} created {item['created_at']}  {state}")


@user.command(name="revoke-token")
@click.argument("username")
@click.argument("token_id", type=click.UUID)
def revoke_token(username: str, token_id: UUID) -> None:
    """Revoke one of a user's API tokens (its id is in `tocsin user tokens`)."""

    def act(node: Node, found: User) -> str:
        _handle(node, found, a.RevokeToken(found.id, token_id))
        return f"Token {token_id} of {found.username} revoked."

    _with_user(username, act)
