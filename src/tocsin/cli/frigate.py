"""``tocsin frigate``: listen to a Frigate's MQTT topics and turn its detections and camera status into
signals and camera-health alarms (MQTT is optional: nothing else needs a broker)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.receivers.frigate import FrigateListener, broker_of


@click.command()
@click.option(
    "--url", envvar="TOCSIN_FRIGATE_MQTT_URL", required=True, help="mqtt://host[:port] of the broker."
)
@click.option("--prefix", default="frigate", show_default=True, help="Frigate's MQTT topic prefix.")
@click.option("--frigate-url", default="", help="Frigate's web address, for snapshot and clip links.")
def frigate(url: str, prefix: str, frigate_url: str) -> None:
    """Listen to Frigate over MQTT until stopped (Ctrl-C); a lost broker is retried, never fatal."""
    broker_of(url)  # a malformed address is one error line before anything starts
    node = bootstrap(load_settings())
    snapshots = Path(node.settings.var_dir) / "video" / "clips"  # where the detections' snapshots are kept
    listener = FrigateListener(node.store, url, prefix, base_url=frigate_url, snapshots=snapshots)
    click.echo(f"Listening to Frigate on {url} (topics {prefix}/events, {prefix}/+/status/+).")
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(listener.run())
    finally:
        node.close()
