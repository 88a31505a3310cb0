"""``tocsin simulate panels``: realistic DC-09 traffic to a receiver."""

from __future__ import annotations

import asyncio

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.domain.errors import TocsinError
from tocsin.domain.scope import Scope
from tocsin.simulators.panels import Panel, PanelSimulator


def known_panels(node: Node, count: int, *, encrypted: bool) -> list[Panel]:
    """Up to ``count`` transmitters declared in the database, so the traffic reaches real sites."""
    accounts = node.store.read(lambda uow: uow.accounts.find(), Scope.system())
    panels = []
    for account in accounts:
        key = node.keys.get(account.key_ref) if account.key_ref else None
        if encrypted == (key is not None):
            panels.append(Panel(account.number, account.receiver, account.line, key))
    return panels[:count]


def _known_panels(count: int, encrypted: bool) -> list[Panel]:
    """Declared transmitters when a database is configured and reachable, else none."""
    try:
        node = bootstrap(load_settings())
    except TocsinError:
        return []
    try:
        return known_panels(node, count, encrypted=encrypted)
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
    known = _known_panels(count, encrypted)
    if encrypted and not known:
        raise click.UsageError("--encrypted needs transmitters with keys (tocsin account add --key-stdin).")
    fleet = known or [Panel(f"{0xA000 + n:X}") for n in range(count)]
    simulator = PanelSimulator(
        fleet, host, port, rate=rate, udp=udp, protocol="SIA-DCS" if sia else "ADM-CID"
    )
    report = asyncio.run(simulator.run(seconds))
    source = "declared transmitters" if known else "unknown transmitters (no database)"
    click.echo(f"{len(fleet)} panels ({source}) over {'UDP' if udp else 'TCP'}:")
    for line in report.lines():
        click.echo("  " + line)
