"""``tocsin serve``: every service of one node in one process."""

from __future__ import annotations

import click

from tocsin.bootstrap import bootstrap, dc09_tls, load_settings, receiver_parts
from tocsin.cli.receiver import ALL_INTERFACES
from tocsin.receivers.dc09 import Dc09Server, run_receiver


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--checkpoint-every",
    default=300,
    show_default=True,
    type=click.IntRange(5),
    help="Seconds between signed logbook checkpoints.",
)
@click.option(
    "--dc09-host",
    default=ALL_INTERFACES,
    show_default=True,
    help="Address the DC-09 receiver listens on.",
)
@click.option(
    "--dc09-port",
    default=9000,
    show_default=True,
    type=click.IntRange(-1, 65535),
    help="DC-09 port, TCP and UDP; -1 runs no receiver.",
)
def serve(host: str, port: int, checkpoint_every: int, dc09_host: str, dc09_port: int) -> None:
    """Start this node: the console and API, the live updates, the scheduler and the logbook signer."""
    import uvicorn  # noqa: PLC0415 - the web stack loads only for the command that serves it

    from tocsin.api.app import create_app  # noqa: PLC0415

    node = bootstrap(load_settings())
    try:
        node.signer()  # fail now, with the way out, if the signing key is missing
        companions = []
        if dc09_port >= 0:
            parts = receiver_parts(node)
            server = Dc09Server(parts.intake.receive, dc09_host, dc09_port, dc09_tls(node.settings))
            companions.append(lambda stop: run_receiver(server, parts.loops(), stop))
        app = create_app(node, run_services=True, checkpoint_every=checkpoint_every, companions=companions)
        click.echo(
            f"Tocsin node {node.settings.node_name}: console on http://{host}:{port}/ (Ctrl-C stops it)"
        )
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        node.close()
