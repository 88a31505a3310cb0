"""``tocsin units``: the tenant's units (list, add) and a unit's status, without the console.

``units list --json`` is an interface for scripts: one object per unit with the fields id, callsign,
kind, status, capabilities, station, latitude, longitude, status_at and event_id (they stay as they are).
"""

from __future__ import annotations

import json

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain import units as u
from tocsin.domain.errors import InvalidInput
from tocsin.domain.resources import UNIT_STATUSES
from tocsin.domain.scope import Scope
from tocsin.services.unit_views import cli_row


@click.group()
def units() -> None:
    """Units: list them, add one, change a unit's status."""


@units.command("list")
@click.option("--tenant", "tenant_ref", help="Only this tenant (default: every tenant).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(UNIT_STATUSES), help="Only these.")
@click.option("--json", "as_json", is_flag=True, help="JSON, one object per unit.")
def list_units(tenant_ref: str | None, statuses: tuple[str, ...], as_json: bool) -> None:
    """The units by type then callsign, with their status, station and position."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        found = node.store.read(lambda uow: uow.units.find(), scope)
    finally:
        node.close()
    shown = sorted(
        (x for x in found if not statuses or x.status in statuses), key=lambda x: (x.kind, x.callsign)
    )
    if as_json:
        click.echo(json.dumps([cli_row(x) for x in shown], indent=2, ensure_ascii=False))
        return
    for x in shown:
        where = "-" if x.latitude is None else f"{x.latitude:.5f},{x.longitude:.5f}"
        event = f"  event {x.event_id}" if x.event_id else ""
        flag = f"  [{x.flag}]" if x.flag else ""
        click.echo(
            f"{x.callsign:<16} {x.kind:<10} {x.status:<15} {x.station or '-':<30} {where}{event}{flag}"
        )


@units.command("add")
@click.argument("callsign")
@click.argument("kind")
@click.option(
    "--capability", "capabilities", multiple=True, help="What it can do (repeatable): first_aid, dog…"
)
@click.option("--equipment", "equipment", multiple=True, help="What it carries (repeatable): ladder…")
@click.option("--crew", type=click.IntRange(0, u.CREW_MAX), default=0, show_default=True)
@click.option("--station", default="", help="Its home station.")
@click.option("--latitude", type=click.FloatRange(-90, 90))
@click.option("--longitude", type=click.FloatRange(-180, 180))
@click.option("--user", "username", help="The crew's login, linked to this unit (it reports for it only).")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="The unit as JSON.")
def add_unit(
    *,
    callsign: str,
    kind: str,
    capabilities: tuple[str, ...],
    equipment: tuple[str, ...],
    crew: int,
    station: str,
    latitude: float | None,
    longitude: float | None,
    username: str | None,
    tenant_ref: str | None,
    as_json: bool,
) -> None:
    """Add a unit: its callsign and type (guard, police, fire, ambulance…), what it can do and carries."""
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        scope = Scope.tenant(tenant_id)
        user_id = None
        if username:
            users = node.store.read(lambda uow: uow.users.find(username=username.lower()), scope)
            if not users:
                raise InvalidInput(f"No user {username!r} in this tenant: create it with `tocsin user add`.")
            user_id = users[0].id
        command = u.CreateUnit(
            tenant_id, callsign, kind, capabilities, equipment, crew, station, latitude, longitude, user_id
        )
        created = node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(cli_row(created), indent=2, ensure_ascii=False))
        return
    click.echo(f"Unit {created.callsign} ({created.kind}) added, available.")


@units.command("status")
@click.argument("callsign")
@click.argument("status", type=click.Choice(UNIT_STATUSES))
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
def change_status(callsign: str, status: str, tenant_ref: str | None) -> None:
    """Change a unit's status (only a move the status machine allows; an alert comes by engaging)."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        found = node.store.read(lambda uow: uow.units.find(callsign=callsign), scope)
        if not found:
            raise InvalidInput(f"No unit with callsign {callsign!r}: see `tocsin units list`.")
        before = found[0].status
        node.messagebus.handle(u.ChangeUnitStatus(found[0].id, status, "cli"), scope=scope, actor="cli")
    finally:
        node.close()
    click.echo(f"Unit {callsign}: {before} → {status}.")
