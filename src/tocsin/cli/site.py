"""``tocsin site``: create a site, and what an operator does to one from the command line (test mode)."""

from __future__ import annotations

import json
from datetime import timedelta

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import parse_instant, resolve_tenant
from tocsin.cli.site_import import import_file
from tocsin.domain.alarms import SetTestMode
from tocsin.domain.commands import CreateSite
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope


@click.group()
def site() -> None:
    """Sites: create them, import them from a file, test mode."""


site.add_command(import_file)


@site.command()
@click.argument("ref")
@click.option("--client", "client_ref", required=True, help="The client's reference (the site's owner).")
@click.option("--name", required=True, help="The site's name.")
@click.option("--address", required=True, help="Street and number.")
@click.option("--postcode", required=True)
@click.option("--city", required=True)
@click.option("--lat", "latitude", type=click.FloatRange(-90, 90), help="Latitude (WGS 84 degrees).")
@click.option("--lon", "longitude", type=click.FloatRange(-180, 180), help="Longitude (WGS 84 degrees).")
@click.option("--time-zone", default="Europe/Paris", show_default=True, help="The site's IANA time zone.")
@click.option("--notes", default="", help="What an operator should know about the site.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def add(
    *,
    ref: str,
    client_ref: str,
    name: str,
    address: str,
    postcode: str,
    city: str,
    latitude: float | None,
    longitude: float | None,
    time_zone: str,
    notes: str,
    tenant_ref: str | None,
    as_json: bool,
) -> None:
    """Create a site of a client; connect its transmitters with `tocsin account add`."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        clients = node.store.read(lambda uow: uow.clients.find(ref=client_ref), scope)
        if not clients:
            raise InvalidInput(
                f"No client with reference {client_ref!r}: create it first with `tocsin client add`."
            )
        command = CreateSite(
            clients[0].tenant_id,
            clients[0].id,
            ref,
            name,
            address=address,
            postcode=postcode,
            city=city,
            latitude=latitude,
            longitude=longitude,
            time_zone=time_zone,
            notes=notes,
        )
        created = node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    if as_json:
        shown = {
            "id": str(created.id),
            "tenant_id": str(created.tenant_id),
            "client_id": str(created.client_id),
            "ref": created.ref,
            "name": created.name,
            "time_zone": created.time_zone,
        }
        click.echo(json.dumps(shown, indent=2))
        return
    click.echo(f"Site {created.ref} created for client {client_ref}.")


@site.command("test-mode")
@click.argument("site_ref")
@click.option("--until", "until_text", help="When test mode ends (ISO 8601; without offset: UTC).")
@click.option("--minutes", type=click.IntRange(1, 7 * 24 * 60), help="Test mode for so many minutes.")
@click.option("--end", is_flag=True, help="End test mode now.")
@click.option("--account", default="", help="Only this transmitter (its number); default: the whole site.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
def test_mode(
    *,
    site_ref: str,
    until_text: str | None,
    minutes: int | None,
    end: bool,
    account: str,
    tenant_ref: str | None,
) -> None:
    """Put a site (or one transmitter) in test mode, or end it: its events are logged and raise no
    alarm; zones left in alarm when it ends make a technical alarm."""
    if sum((until_text is not None, minutes is not None, end)) != 1:
        raise InvalidInput("Give exactly one of --until, --minutes or --end.")
    until = parse_instant(until_text, "--until")
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        sites = node.store.read(lambda uow: uow.sites.find(ref=site_ref), scope)
        if not sites:
            raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
        if minutes is not None:
            until = node.clock.now() + timedelta(minutes=minutes)
        command = SetTestMode(site_id=sites[0].id, until=until, by="cli", account=account)
        node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    what = f"transmitter #{account.upper()} of {site_ref}" if account else f"site {site_ref}"
    if until is None:
        click.echo(f"Test mode of {what} ended.")
    else:
        click.echo(f"Test mode for {what} until {until.isoformat()}.")
