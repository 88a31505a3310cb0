"""``tocsin alarms``: the alarm queue as a list, the tenant's alarm rules, and an alarm's evidence file
(``alarms evidence ID -o FILE``, a PDF), without the console.

``alarms list --json`` is an interface for scripts: its field names (id, state, priority, alarm_class,
site_ref, accounts, signal_count, holder, opened_at) stay as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain import alarms as a
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.services.evidence import gather
from tocsin.services.unit_of_work import UnitOfWork


@click.group()
def alarms() -> None:
    """The alarm queue and the rules that shape it."""


def _row(alarm: a.Alarm) -> dict[str, object]:
    """An alarm as ``alarms list --json`` prints it (stable names)."""
    return {
        "id": str(alarm.id),
        "state": alarm.state,
        "priority": alarm.priority,
        "alarm_class": alarm.alarm_class,
        "site_ref": alarm.site_ref,
        "accounts": list(alarm.accounts),
        "signal_count": alarm.signal_count,
        "holder": alarm.holder_name or None,
        "opened_at": alarm.opened_at.isoformat(),
    }


@alarms.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(a.ALARM_STATES),
    help="Only alarms in this state (repeatable; default: new, taken and settled).",
)
@click.option("--tenant", "tenant_ref", help="Only this tenant (default: every tenant).")
@click.option(
    "--limit", default=500, show_default=True, type=click.IntRange(1, 5000), help="At most so many."
)
@click.option("--json", "as_json", is_flag=True, help="JSON, one object per alarm.")
def list_alarms(states: tuple[str, ...], tenant_ref: str | None, limit: int, as_json: bool) -> None:
    """The alarms in queue order: unsettled first, then priority 1 first, then the oldest first."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        wanted = states or a.OPEN_STATES
        found = node.store.read(lambda uow: uow.alarms.find(states=wanted, limit=limit), scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps([_row(x) for x in found], indent=2))
        return
    for x in found:
        accounts = ",".join(f"#{n}" for n in x.accounts) or "-"
        click.echo(
            f"{x.id}  {x.state:<8} P{x.priority} {x.alarm_class:<15} {x.site_ref or '-':<12} {accounts:<12}"
            f" {x.signal_count:>4} signal(s)  {x.holder_name}".rstrip()
        )


@alarms.group()
def rule() -> None:
    """A tenant's alarm rules: priority, escalation and grouping per class."""


def _target(uow: UnitOfWork, client_ref: str | None, site_ref: str | None) -> tuple[UUID | None, UUID | None]:
    """The client or site a rule is for, by reference (neither: the whole tenant)."""
    if client_ref is not None:
        clients = uow.clients.find(ref=client_ref)
        if not clients:
            raise InvalidInput(f"No client with reference {client_ref!r}: check --client.")
        return clients[0].id, None
    if site_ref is not None:
        sites = uow.sites.find(ref=site_ref)
        if not sites:
            raise InvalidInput(f"No site with reference {site_ref!r}: check --site.")
        return None, sites[0].id
    return None, None


@rule.command("set")
@click.option(
    "--class", "alarm_class", required=True, help="An alarm class (fire, intrusion…), or * for all."
)
@click.option("--client", "client_ref", help="Only this client's sites (by reference).")
@click.option("--site", "site_ref", help="Only this site (by reference).")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--priority", type=click.IntRange(1, a.LOWEST_PRIORITY), help="1 (most urgent) to 9.")
@click.option("--escalate-after", type=click.IntRange(5, 86_400), help="Seconds untaken before it moves up.")
@click.option(
    "--group-window", type=click.IntRange(5, 86_400), help="Grouping window in seconds (tenant-wide)."
)
def set_rule(
    *,
    alarm_class: str,
    client_ref: str | None,
    site_ref: str | None,
    tenant_ref: str | None,
    priority: int | None,
    escalate_after: int | None,
    group_window: int | None,
) -> None:
    """Set the rule for a class over the tenant, a client or a site (it replaces the same one)."""
    if client_ref is not None and site_ref is not None:
        raise InvalidInput("Give either --client or --site, not both.")
    if priority is None and escalate_after is None and group_window is None:
        raise InvalidInput("Say what the rule sets: --priority, --escalate-after or --group-window.")
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        scope = Scope.tenant(tenant_id)
        client_id, site_id = node.store.read(lambda uow: _target(uow, client_ref, site_ref), scope)
        command = a.SetAlarmRule(
            tenant_id, alarm_class, client_id, site_id, priority, escalate_after, group_window
        )
        node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    over = f"client {client_ref}" if client_ref else f"site {site_ref}" if site_ref else "the whole tenant"
    settings = ", ".join(
        f"{name} {value}"
        for name, value in (
            ("priority", priority),
            ("escalate after", escalate_after),
            ("group window", group_window),
        )
        if value is not None
    )
    click.echo(f"Rule for {alarm_class} over {over}: {settings}.")


@alarms.command("evidence")
@click.argument("alarm_id", type=click.UUID)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The PDF file to write.",
)
@click.option(
    "--language", default="en", show_default=True, type=click.Choice(LANGUAGES), help="Its language."
)
@click.option("--tenant", "tenant_ref", help="Look in this tenant only (default: every tenant).")
def evidence(alarm_id: UUID, output: Path, language: str, tenant_ref: str | None) -> None:
    """Write an alarm's evidence file (levée de doute) as a PDF: the alarm, its signals, verifications,
    dispatches, calls, requests for help with their AVS-01 score, and the logbook hashes of it all."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        file = node.store.read(lambda uow: gather(uow, alarm_id, "tocsin alarms evidence"), scope)
        pdf = node.evidence_pdf(file, language)
    finally:
        node.close()
    output.write_bytes(pdf)
    click.echo(
        f"Evidence file of alarm {alarm_id} ({file.alarm.site_ref or 'no site'}, AVS {file.avs_score},"
        f" {len(file.requests)} request(s), {len(file.entries)} logbook entries) written to {output}."
    )
