"""``tocsin tenant``: the organisations a node serves, and how a room starts from nothing.

``tenant add`` makes a tenant and its first administrator in one transaction, so an empty database
gets someone who can log in and administer it; everything after that (clients, sites, users) can be
done from the console, the API or the other commands.
"""

from __future__ import annotations

import json

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import read_secret
from tocsin.domain import user_admin as a
from tocsin.domain.scope import Scope


@click.group()
def tenant() -> None:
    """Tenants: the organisations that run a room on this node."""


@tenant.command()
@click.argument("ref")
@click.option("--name", required=True, help="The tenant's name, as the console shows it.")
@click.option("--admin", "username", required=True, help="The first administrator's user name.")
@click.option("--admin-name", "display_name", required=True, help="The administrator's display name.")
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def add(*, ref: str, name: str, username: str, display_name: str, language: str, as_json: bool) -> None:
    """Create a tenant and its first administrator (role admin over the whole tenant); the
    administrator's password is read from standard input (or typed twice), never an argument."""
    password = read_secret("Administrator's password")
    node = bootstrap(load_settings())
    try:
        command = a.CreateTenantWithAdmin(ref, name, username, display_name, password, language)
        created, admin = node.messagebus.handle(command, scope=Scope.system(), actor="cli")
    finally:
        node.close()
    if as_json:
        shown = {
            "id": str(created.id),
            "ref": created.ref,
            "name": created.name,
            "admin_user_id": str(admin.id),
        }
        click.echo(json.dumps(shown, indent=2))
        return
    click.echo(f"Tenant {created.ref} created; {admin.username} administers it (log in to the console).")


@tenant.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
def list_tenants(as_json: bool) -> None:
    """Every tenant on this node."""
    node = bootstrap(load_settings())
    try:
        found = node.store.read(lambda uow: uow.tenants.find(), Scope.system())
    finally:
        node.close()
    shown = sorted(({"id": str(t.id), "ref": t.ref, "name": t.name} for t in found), key=lambda t: t["ref"])
    if as_json:
        click.echo(json.dumps(shown, indent=2))
        return
    for item in shown:
        click.echo(f"{item['ref']:<16} {item['name']}")
