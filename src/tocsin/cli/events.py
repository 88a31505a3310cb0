"""``tocsin events``: the event board as a list, and one event's file, without the console.

``events list --json`` and ``events show --json`` are interfaces for scripts: their field names are the
API's (``/api/v1/events`` and ``/api/v1/events/{id}``) and stay as they are.
"""

from __future__ import annotations

import json
from uuid import UUID

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain import incidents as i
from tocsin.domain.scope import Scope
from tocsin.services.incident_views import board_view, incident_view
from tocsin.services.recommendation import MAX_LIMIT, recommendation_view


@click.group()
def events() -> None:
    """Dispatch events: the board, an event's file and the units to send."""


@events.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(i.STATES),
    help="Only events in this state (repeatable; default: every state but closed).",
)
@click.option("--tenant", "tenant_ref", help="Only this tenant (default: every tenant).")
@click.option(
    "--limit", default=500, show_default=True, type=click.IntRange(1, 5000), help="At most so many."
)
@click.option("--json", "as_json", is_flag=True, help="JSON, one object per event.")
def list_events(states: tuple[str, ...], tenant_ref: str | None, limit: int, as_json: bool) -> None:
    """The events, most urgent first, then the oldest first."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        wanted = states or i.OPEN_STATES
        found = node.store.read(lambda uow: uow.incidents.find(states=wanted, limit=limit, light=True), scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps([board_view(x) for x in found], indent=2, ensure_ascii=False))
        return
    for x in found:
        reflex = " DÉPART RÉFLEXE" if x.reflex else ""
        click.echo(
            f"{x.id}  P{x.priority} {x.state:<10} {x.type_code:<20} {x.opened_at:%Y-%m-%d %H:%M}"
            f"  {x.address or '-'}{reflex}"
        )


@events.command("show")
@click.argument("event_id")
@click.option("--language", type=click.Choice(("en", "fr")), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The event's file as JSON.")
def show_event(event_id: str, language: str, as_json: bool) -> None:
    """One event's file: caller, answers, links, narrative and timeline."""
    try:
        ident = UUID(event_id)
    except ValueError:
        raise click.UsageError(
            f"{event_id!r} is not an event id (a UUID): see `tocsin events list`."
        ) from None
    node = bootstrap(load_settings())
    try:
        found = node.store.read(lambda uow: uow.incidents.get(ident), Scope.system())
    finally:
        node.close()
    if found is None:
        raise click.UsageError(f"No event {event_id}: see `tocsin events list`.")
    view = incident_view(found, language)
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    label = found.type_label_fr if language == "fr" else found.type_label_en
    click.echo(f"{found.id}  P{found.priority} {found.state}  {found.type_code} ({label})")
    click.echo(f"  {found.address or '-'}  caller: {found.caller_name or '-'} {found.caller_phone}".rstrip())
    for item in view["timeline"]:
        click.echo(f"  {item['at'][:19]}  {item['text']}")


@events.command("recommend")
@click.argument("event_id")
@click.option("--language", type=click.Choice(("en", "fr")), default="en", show_default=True)
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(1, MAX_LIMIT), help="Ranked units shown."
)
@click.option("--json", "as_json", is_flag=True, help="The recommendation as JSON (the API's answer).")
def recommend(event_id: str, language: str, limit: int, as_json: bool) -> None:
    """The units to send to an event, ranked by drive time + turnout time, each with why."""
    try:
        ident = UUID(event_id)
    except ValueError:
        raise click.UsageError(
            f"{event_id!r} is not an event id (a UUID): see `tocsin events list`."
        ) from None
    node = bootstrap(load_settings())
    try:
        found = node.store.read(lambda uow: uow.incidents.get(ident), Scope.system())
        if found is None:
            raise click.UsageError(f"No event {event_id}: see `tocsin events list`.")
        graph = node.router.graph()
        computed = node.store.read(
            lambda uow: node.recommender.recommend(uow, found, graph, limit),
            Scope.tenant(found.tenant_id),
        )
        view = recommendation_view(computed, node.clock.now(), language, limit)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    click.echo(f"{found.id}  {found.type_code}  method: {view['method']}  {view['note']}")
    for line in view["plan"]:
        missing = f"  ({line['missing']} missing)" if line["missing"] else ""
        click.echo(f"  plan {line['count']} x {line['unit_type']}{missing}")
    for unit in view["units"]:
        eta = "-" if unit["eta_seconds"] is None else f"{unit['eta_seconds']} s"
        mark = "*" if unit["proposed_as"] else " "
        click.echo(
            f"{mark}{unit['rank']:>3}  {unit['callsign']:<20} {unit['status']:<14} {eta:>7}  {unit['reason']}"
        )
