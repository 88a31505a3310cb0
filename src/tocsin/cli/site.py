"""``tocsin site``: create a site, and what an operator does to one from the command line (test mode,
temporary instructions)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.cli.common import parse_instant, resolve_tenant
from tocsin.cli.site_import import import_file
from tocsin.domain.alarms import SetTestMode
from tocsin.domain.commands import Command, CreateSite
from tocsin.domain.errors import InvalidInput
from tocsin.domain.instructions import (
    INSTRUCTION_KINDS,
    CancelInstruction,
    GiveInstruction,
    TemporaryInstruction,
)
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site


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


def _site_of(node: Node, scope: Scope, site_ref: str) -> Site:
    sites = node.store.read(lambda uow: uow.sites.find(ref=site_ref), scope)
    if not sites:
        raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
    found: Site = sites[0]
    return found


def _instruction_json(x: TemporaryInstruction, now: datetime) -> dict[str, Any]:
    return {
        "id": str(x.id),
        "site_id": str(x.site_id),
        "kind": x.kind,
        "text": x.text,
        "account": x.account,
        "caller": x.caller,
        "starts_at": x.starts_at.isoformat(),
        "ends_at": x.ends_at.isoformat(),
        "state": x.state,
        "in_force": x.in_force(now),
        "created_by": x.created_by,
    }


@site.command("instruct")
@click.argument("site_ref")
@click.option("--kind", type=click.Choice(INSTRUCTION_KINDS), default="note", show_default=True)
@click.option("--text", default="", help="What the client said.")
@click.option("--from", "from_text", help="When it starts (ISO 8601; without offset: UTC); default: now.")
@click.option("--until", "until_text", help="When it ends (ISO 8601; without offset: UTC).")
@click.option("--minutes", type=click.IntRange(1, 366 * 24 * 60), help="It lasts so many minutes from now.")
@click.option("--account", default="", help="Only this transmitter (its number); default: the whole site.")
@click.option("--caller", default="", help="Who phoned it in.")
@click.option("--cancel", "cancel_id", help="Cancel the instruction with this id instead.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def instruct(
    *,
    site_ref: str,
    kind: str,
    text: str,
    from_text: str | None,
    until_text: str | None,
    minutes: int | None,
    account: str,
    caller: str,
    cancel_id: str | None,
    tenant_ref: str | None,
    as_json: bool,
) -> None:
    """Record a temporary instruction a client gave by phone (test_mode puts the site in test mode over
    its window), or cancel one with --cancel ID."""
    if cancel_id is None and (until_text is None) == (minutes is None):
        raise InvalidInput("Give exactly one of --until or --minutes.")
    starts_at = parse_instant(from_text, "--from")
    ends_at = parse_instant(until_text, "--until")
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        found = _site_of(node, scope, site_ref)
        if cancel_id is not None:
            try:
                instruction_id = UUID(cancel_id)
            except ValueError:
                raise InvalidInput(f"{cancel_id!r} is not an instruction id.") from None
            command: Command = CancelInstruction(found.id, instruction_id, "cli")
        else:
            if minutes is not None:
                ends_at = node.clock.now() + timedelta(minutes=minutes)
            if ends_at is None:
                raise InvalidInput("Give --until or --minutes: when the instruction ends.")
            command = GiveInstruction(found.id, kind, text, starts_at, ends_at, "cli", account, caller)
        x = node.messagebus.handle(command, scope=scope, actor="cli")
        now = node.clock.now()
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(_instruction_json(x, now), indent=2, ensure_ascii=False))
    elif cancel_id is not None:
        click.echo(f"Instruction {x.id} on {site_ref} cancelled.")
    else:
        window = f"from {x.starts_at.isoformat()} to {x.ends_at.isoformat()}"
        click.echo(f"Instruction {x.id} ({x.kind}) on {site_ref} {window}.")


@site.command("instructions")
@click.argument("site_ref")
@click.option("--all", "show_all", is_flag=True, help="Include expired and cancelled ones.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list, for scripts.")
def instructions(*, site_ref: str, show_all: bool, tenant_ref: str | None, as_json: bool) -> None:
    """List a site's temporary instructions (those not ended, unless --all)."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        found = _site_of(node, scope, site_ref)
        listed = node.store.read(lambda uow: uow.plans.instructions(found.id, open_only=not show_all), scope)
        now = node.clock.now()
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps([_instruction_json(x, now) for x in listed], indent=2, ensure_ascii=False))
        return
    for x in listed:
        flag = "IN FORCE" if x.in_force(now) else x.state
        window = f"{x.starts_at:%Y-%m-%d %H:%M} → {x.ends_at:%Y-%m-%d %H:%M}"
        click.echo(f"{x.id}  {flag:<9} {x.kind:<9} {window}  {x.text}")
    if not listed:
        click.echo(f"No temporary instruction on {site_ref}.")
