"""``tocsin shift``: who is on shift and the handovers waiting to be acknowledged, without the console.

``shift list --json`` is an interface for scripts: its fields (``on_shift``: id, username, name,
started_at; ``pending_handovers``: id, from_name, submitted_at, open_alarms, open_events, follow_ups,
instructions) stay as they are.
"""

from __future__ import annotations

import json

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.scope import Scope
from tocsin.services.unit_of_work import UnitOfWork

PENDING_SHOWN = 20


@click.group()
def shift() -> None:
    """Shifts and the handover between them (prise de poste)."""


@shift.command("list")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="JSON: who is on shift, and the handovers waiting.")
def list_shifts(tenant_ref: str | None, as_json: bool) -> None:
    """Who is on shift now, and the handovers nobody has acknowledged yet (newest first)."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))

        def read(uow: UnitOfWork) -> dict[str, list[dict[str, object]]]:
            on_shift = sorted(uow.shifts.find(ended_at=None), key=lambda x: x.started_at)
            pending = sorted(uow.handovers.find(acknowledged_at=None), key=lambda x: x.submitted_at)
            return {
                "on_shift": [
                    {
                        "id": str(x.id),
                        "username": x.username,
                        "name": x.name,
                        "started_at": x.started_at.isoformat(),
                    }
                    for x in on_shift
                ],
                "pending_handovers": [
                    {
                        "id": str(x.id),
                        "from_name": x.from_name,
                        "submitted_at": x.submitted_at.isoformat(),
                        "open_alarms": x.open_alarms,
                        "open_events": x.open_events,
                        "follow_ups": x.follow_ups,
                        "instructions": x.instructions,
                    }
                    for x in reversed(pending[-PENDING_SHOWN:])
                ],
            }

        found = node.store.read(read, scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    if not found["on_shift"]:
        click.echo("Nobody is on shift.")
    for row in found["on_shift"]:
        click.echo(f"on shift  {row['name']} ({row['username']}) since {row['started_at']}")
    for row in found["pending_handovers"]:
        click.echo(
            f"handover  from {row['from_name']} at {row['submitted_at']}, not acknowledged"
            f" ({row['open_alarms']} open alarm(s), {row['open_events']} open event(s))"
        )
