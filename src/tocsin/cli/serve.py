"""``tocsin serve``: every service of one node in one process."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from datetime import timedelta

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.services.checkpoints import schedule_checkpoints


async def run_node(node: Node, checkpoint_every: timedelta) -> None:
    """Run the node's services until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    schedule_checkpoints(node.scheduler, node.store, node.signer(), checkpoint_every)
    await node.scheduler.run(stop)


@click.command()
@click.option(
    "--checkpoint-every",
    default=300,
    show_default=True,
    type=click.IntRange(5),
    help="Seconds between signed logbook checkpoints.",
)
def serve(checkpoint_every: int) -> None:
    """Start this node: the deadline scheduler and the logbook signer (more services to come)."""
    node = bootstrap(load_settings())
    try:
        node.signer()  # fail now, with the way out, if the key is missing
        click.echo(
            f"Tocsin node {node.settings.node_name} on {node.settings.effective_database_url}:"
            " scheduler and logbook signer running. Ctrl-C stops it."
        )
        asyncio.run(run_node(node, timedelta(seconds=checkpoint_every)))
    finally:
        node.close()
    click.echo("Stopped.")
