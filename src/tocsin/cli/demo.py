"""``tocsin demo``: a living operations room in a fictional French town, for trying Tocsin."""

from __future__ import annotations

import click

from tocsin.bootstrap import bootstrap, demo_seeder, load_settings
from tocsin.demo.plan import DEFAULT_SEED
from tocsin.services.demo import DemoAlreadySeeded


@click.group()
def demo() -> None:
    """The demo room of Valmont-sur-Loire: clients, sites, units, partners and streets."""


@demo.command()
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    type=click.IntRange(0),
    help="Draws the town and its room: the same seed always gives the same room.",
)
@click.option(
    "--if-absent",
    is_flag=True,
    help="When the demo room is already there, say so and exit 0 instead of failing (for `make run`).",
)
def seed(seed: int, if_absent: bool) -> None:
    """Write the demo room to the database (once: a second run is refused)."""
    node = bootstrap(load_settings())
    try:
        started = node.clock.monotonic()
        summary = demo_seeder(node)(seed)
        elapsed = node.clock.monotonic() - started
    except DemoAlreadySeeded:
        if not if_absent:
            raise
        click.echo("The demo room is already seeded; nothing was changed.")
        return
    finally:
        node.close()
    for line in summary.lines():
        click.echo(line)
    click.echo(f"Done in {elapsed:.1f} s; its logbook: `tocsin logbook tail --tenant {summary.tenant_ref}`.")
