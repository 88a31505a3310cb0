"""``tocsin user``: people who log in, their roles and API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.cli.common import read_secret, resolve_tenant
from tocsin.domain import commands as c
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
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
            from tocsin.services.handlers.directory import Deps  # noqa: PLC0415

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
