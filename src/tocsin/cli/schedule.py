"""``tocsin schedule``: opening hours shared by sites, and which sites follow them."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.errors import InvalidInput
from tocsin.domain.schedule_admin import AssignSchedule, SetSchedule
from tocsin.domain.schedules import DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS, parse_window, window_text
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Schedule
from tocsin.services.unit_of_work import UnitOfWork

TENANT_HELP = "The tenant's reference (needed when there are several)."


@click.group()
def schedule() -> None:
    """Schedules: opening hours, holidays and grace; late-to-close and failed-to-open alarms."""


def _by_name(node: Node, scope: Scope, name: str) -> Schedule | None:
    found = node.store.read(lambda uow: uow.schedules.find(name=name), scope)
    if len(found) > 1:
        raise InvalidInput(f"Several schedules are named {name!r}: rename one in the console or the API.")
    return found[0] if found else None


def shown(schedule: Schedule, sites: int | None = None) -> dict[str, Any]:
    """A schedule as ``--json`` prints it (a stable interface)."""
    out: dict[str, Any] = {
        "id": str(schedule.id),
        "name": schedule.name,
        "client_id": None if schedule.client_id is None else str(schedule.client_id),
        "windows": [window_text(w) for w in schedule.windows],
        "holidays": list(schedule.holidays),
        "grace_seconds": schedule.grace_seconds,
    }
    if sites is not None:
        out["sites"] = sites
    return out


@schedule.command("set")
@click.argument("name")
@click.option(
    "--window", "windows", multiple=True, help="Weekdays and hours, e.g. '1-5 08:00-19:00' (repeat)."
)
@click.option(
    "--holiday", "holidays", multiple=True, help="'2026-12-25' closed, or '2026-12-24 08:00-12:00'."
)
@click.option(
    "--grace",
    "grace_minutes",
    type=click.IntRange(0, MAX_GRACE_SECONDS // 60),
    default=DEFAULT_GRACE_SECONDS // 60,
    show_default=True,
    help="Minutes an opening or closing may be late before it is an alarm.",
)
@click.option("--client", "client_ref", help="Only for this client's sites (default: shared by all).")
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def set_schedule(
    *,
    name: str,
    windows: tuple[str, ...],
    holidays: tuple[str, ...],
    grace_minutes: int,
    client_ref: str | None,
    tenant_ref: str | None,
    as_json: bool,
) -> None:
    """Create the schedule NAME, or replace its windows, holidays and grace (its sites are planned again)."""
    parsed = tuple(parse_window(w) for w in windows)
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        scope = Scope.tenant(tenant_id)
        client_id = _client(node, scope, client_ref)
        existing = _by_name(node, scope, name)
        command = SetSchedule(
            tenant_id,
            name,
            windows=parsed,
            holidays=holidays,
            grace_seconds=grace_minutes * 60,
            client_id=client_id,
            schedule_id=None if existing is None else existing.id,
        )
        result = node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(shown(result) | {"created": existing is None}, indent=2))
        return
    verb = "created" if existing is None else "changed"
    hours = "; ".join(window_text(w) for w in result.windows) or "no hours"
    click.echo(f"Schedule {result.name} {verb}: {hours}, {len(result.holidays)} holiday(s).")


def _client(node: Node, scope: Scope, client_ref: str | None) -> UUID | None:
    if client_ref is None:
        return None
    clients = node.store.read(lambda uow: uow.clients.find(ref=client_ref), scope)
    if not clients:
        raise InvalidInput(f"No client with reference {client_ref!r}: check --client.")
    return clients[0].id


@schedule.command("list")
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
@click.option("--json", "as_json", is_flag=True, help="JSON, one object per schedule.")
def list_schedules(tenant_ref: str | None, as_json: bool) -> None:
    """Every schedule with its hours and how many sites follow it."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))

        def read(uow: UnitOfWork) -> list[dict[str, Any]]:
            counts: dict[UUID, int] = {}
            for site in uow.sites.find():
                if site.schedule_id is not None:
                    counts[site.schedule_id] = counts.get(site.schedule_id, 0) + 1
            return [shown(s, counts.get(s.id, 0)) for s in sorted(uow.schedules.find(), key=lambda s: s.name)]

        rows = node.store.read(read, scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        hours = "; ".join(row["windows"]) or "no hours"
        click.echo(f"{row['name']:<24} {hours}  ({len(row['holidays'])} holiday(s), {row['sites']} site(s))")


@schedule.command("assign")
@click.argument("site_ref")
@click.argument("name", required=False)
@click.option("--none", "no_schedule", is_flag=True, help="The site follows no schedule any more.")
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
def assign(site_ref: str, name: str | None, no_schedule: bool, tenant_ref: str | None) -> None:
    """Make the site SITE_REF follow the schedule NAME (or none, with --none)."""
    if (name is None) == (not no_schedule):
        raise InvalidInput("Give a schedule name, or --none.")
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        sites = node.store.read(lambda uow: uow.sites.find(ref=site_ref), scope)
        if not sites:
            raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
        found = None if name is None else _by_name(node, scope, name)
        if name is not None and found is None:
            raise InvalidInput(f"No schedule named {name!r}: `tocsin schedule list` shows them.")
        command = AssignSchedule(sites[0].id, None if found is None else found.id)
        node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    click.echo(f"Site {site_ref} follows {'no schedule' if found is None else found.name}.")
