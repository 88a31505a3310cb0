"""``tocsin client``: a tenant's customers, the owners of sites."""

from __future__ import annotations

import json

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.commands import CreateClient
from tocsin.domain.scope import Scope


@click.group()
def client() -> None:
    """Clients: the customers whose sites a room protects."""


@client.command()
@click.argument("ref")
@click.option("--name", required=True, help="The client's name.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def add(*, ref: str, name: str, tenant_ref: str | None, as_json: bool) -> None:
    """Create a client of a tenant."""
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        command = CreateClient(tenant_id, ref, name)
        created = node.messagebus.handle(command, scope=Scope.tenant(tenant_id), actor="cli")
    finally:
        node.close()
    if as_json:
        shown = {"id": str(created.id), "tenant_id": str(tenant_id), "ref": created.ref, "name": created.name}
        click.echo(json.dumps(shown, indent=2))
        return
    click.echo(f"Client {created.ref} created.")
