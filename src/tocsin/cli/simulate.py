"""``tocsin simulate panels``: realistic DC-09 traffic to a receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.domain import schedules
from tocsin.domain.errors import TocsinError
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Schedule
from tocsin.services.schedule_rules import grace
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.simulators.panels import Panel, PanelSimulator, panel_zones


class ReceiverUnreachable(TocsinError):
    """The simulated panels found no receiver to talk to."""


def known_panels(node: Node, count: int, *, encrypted: bool) -> list[Panel]:
    """Up to ``count`` transmitters declared in the database, so the traffic reaches real sites; each
    reports only the zones its site declares, and one whose site keeps hours opens only while open."""

    def read(uow: UnitOfWork) -> list[tuple[Account, tuple[str, ...], Callable[[datetime], bool] | None]]:
        zones: dict[UUID, list[str]] = {}
        for zone in uow.zones.find():
            zones.setdefault(zone.site_id, []).append(zone.number)
        hours: dict[UUID, Callable[[datetime], bool] | None] = {}
        for site in uow.sites.find():
            schedule = None if site.schedule_id is None else uow.schedules.get(site.schedule_id)
            hours[site.id] = None if schedule is None else _opening_hours(schedule, ZoneInfo(site.time_zone))
        return [(a, panel_zones(zones.get(a.site_id, [])), hours.get(a.site_id)) for a in uow.accounts.find()]

    panels = []
    for account, site_zones, open_at in node.store.read(read, Scope.system()):
        key = node.keys.get(account.key_ref) if account.key_ref else None
        if encrypted == (key is not None):
            panels.append(Panel(account.number, account.receiver, account.line, key, site_zones, open_at))
    return panels[:count]


def _opening_hours(schedule: Schedule, zone: ZoneInfo) -> Callable[[datetime], bool]:
    """Whether the site is open at a time, by its schedule (holidays and grace included)."""
    allowed = grace(schedule)
    return lambda at: schedules.is_open(schedule, zone, at, allowed)


def _known_panels(count: int, encrypted: bool) -> tuple[list[Panel], str]:
    """Declared transmitters when a database is configured and reachable, else none and why."""
    try:
        node = bootstrap(load_settings())
    except TocsinError as exc:
        return [], str(exc)
    try:
        return known_panels(node, count, encrypted=encrypted), ""
    finally:
        node.close()


@click.group()
def simulate() -> None:
    """Simulated field equipment."""


@simulate.command()
@click.option("--count", default=10, show_default=True, type=click.IntRange(1, 10_000), help="Panels.")
@click.option(
    "--rate", default=10.0, show_default=True, type=click.FloatRange(0.1), help="Frames/s, all panels."
)
@click.option("--seconds", default=10.0, show_default=True, type=click.FloatRange(0.5), help="How long.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--encrypted", is_flag=True, help="Use transmitters that have an AES key.")
@click.option("--udp", is_flag=True, help="Send datagrams instead of TCP.")
@click.option("--sia", is_flag=True, help="SIA DCS payloads instead of Contact ID.")
def panels(
    *, count: int, rate: float, seconds: float, host: str, port: int, encrypted: bool, udp: bool, sia: bool
) -> None:
    """Send alarms, restores, openings, closings, tests and NULL polls, and report the ACK latency."""
    known, why = _known_panels(count, encrypted)
    if encrypted and not known:
        raise click.UsageError("--encrypted needs transmitters with keys (tocsin account add --key-stdin).")
    fleet = known or [Panel(f"{0xA000 + n:X}") for n in range(count)]
    simulator = PanelSimulator(
        fleet, host, port, rate=rate, udp=udp, protocol="SIA-DCS" if sia else "ADM-CID"
    )
    report = asyncio.run(simulator.run(seconds))
    if report.acked == 0 and report.unreachable:
        raise ReceiverUnreachable(
            f"No receiver answers at {host}:{port} ({report.unreachable}): start one (`tocsin serve` or"
            " `tocsin receiver`), or check --host and --port."
        )
    source = "declared transmitters" if known else f"unknown transmitters: {why or 'none declared'}"
    click.echo(f"{len(fleet)} panels ({source}) over {'UDP' if udp else 'TCP'}:")
    for line in report.lines():
        click.echo("  " + line)
