"""``tocsin events debrief ID``: an event's timeline replayed from the logbook, without the console.

``--json`` prints the API's answer (``/api/v1/events/{id}/debrief``): its field names are an interface
for scripts and stay as they are. Without it, a table: each step's time since the call, what happened,
and every engaged unit's status (and position when it was reported).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.scope import Scope
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.services.debrief import debrief_view, gather


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"+{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _units_at(step: dict[str, Any], callsigns: dict[str, str]) -> str:
    shown = []
    for unit in step["units"]:
        where = "" if unit["latitude"] is None else f" @{unit['latitude']:.5f},{unit['longitude']:.5f}"
        released = "" if unit["engaged"] else " (released)"
        shown.append(f"{callsigns.get(unit['unit_id'], '?')} {unit['status']}{released}{where}")
    return "; ".join(shown)


@click.command("debrief")
@click.argument("event_id", type=click.UUID)
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--tenant", "tenant_ref", help="Look in this tenant only (default: every tenant).")
@click.option("--json", "as_json", is_flag=True, help="The debrief as JSON (the API's answer).")
def debrief(event_id: UUID, language: str, tenant_ref: str | None, as_json: bool) -> None:
    """Replay an event's timeline from the logbook: each step's time since the call, what happened, and
    where each engaged unit was and in which status."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        view = debrief_view(node.store.read(lambda uow: gather(uow, event_id), scope), language)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    event = view["event"]
    place = event["address"] or "-"
    click.echo(f"{event['id']}  P{event['priority']} {event['state']}  {event['type_code']}  {place}")
    callsigns = {u["unit_id"]: u["callsign"] for u in view["units"]}
    for unit in view["units"]:
        released = (unit["released_at"] or "-")[:19]
        engaged = unit["engaged_at"][:19]
        click.echo(f"  {unit['callsign']} ({unit['unit_kind']}): engaged {engaged}, released {released}")
    click.echo(f"{'since call':>10}  {'state':<10}  what happened  |  units")
    for step in view["steps"]:
        click.echo(
            f"{_clock(step['offset_s']):>10}  {step['event']['state']:<10}  {step['text']}"
            f"  |  {_units_at(step, callsigns) or '-'}"
        )
    if view["truncated"]:
        click.echo(
            f"Only the first {view['limit']} logbook entries after the call were read: later steps"
            " are missing.",
            err=True,
        )
