"""``tocsin serve``: every service of one node in one process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import click

from tocsin.bootstrap import bootstrap, heartbeat, kit_refresher, load_settings, station_monitor
from tocsin.cli.receiver import ALL_INTERFACES, dc09_server, processing_option, receiver_with_processing
from tocsin.cli.simulate import known_panels
from tocsin.receivers.dc09 import Dc09Server, run_receiver
from tocsin.receivers.frigate import FrigateListener
from tocsin.services.demo import DEMO_CAMERA_PORT
from tocsin.services.loops import Loop, LoopFailed
from tocsin.simulators.panels import Panel, PanelSimulator
from tocsin.workers.process import settle_memory
from tocsin.workers.video.supervisor import VideoSupervisor, settings_of


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
@processing_option("in-process")
@click.option(
    "--simulate-panels",
    default=0,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Also play this many of the declared alarm panels against the receiver (demo).",
)
@click.option(
    "--simulate-cameras",
    is_flag=True,
    help=f"Also serve the demo's test-pattern cameras on 127.0.0.1:{DEMO_CAMERA_PORT} (a process apart).",
)
@click.option(
    "--video/--no-video",
    default=True,
    show_default=True,
    help="Record the cameras, cut clips around alarms and watch camera health (idle without cameras).",
)
def serve(
    *,
    host: str,
    port: int,
    checkpoint_every: int,
    dc09_host: str,
    dc09_port: int,
    processing: str,
    simulate_panels: int,
    video: bool,
    simulate_cameras: bool,
) -> None:
    """Start this node: the console and API, the live updates, the scheduler and the logbook signer."""
    import uvicorn  # noqa: PLC0415 - the web stack loads only for the command that serves it

    from tocsin.api.app import create_app, server_config  # noqa: PLC0415

    node = bootstrap(load_settings())
    try:
        node.signer()  # fail now, with the way out, if the signing key is missing
        companions = []
        receiver_status: Callable[[], dict[str, Any]] | None = None
        failures: list[LoopFailed] = []
        monitor = station_monitor(node)  # the clock, the power and the disk (docs/station.md)
        companions.extend([monitor.run, heartbeat(node, "serve").run])
        companions.append(kit_refresher(node).run)  # the degraded-mode kit, hourly (docs/degraded.md)
        signal_stats = None
        if dc09_port >= 0:
            parts, loops = receiver_with_processing(node, processing)
            server = dc09_server(node, parts, dc09_host, dc09_port)
            companions.append(lambda stop: _receive(server, loops, stop, failures))
            receiver_status = server.status
            signal_stats = parts.committer.stats
            if simulate_panels:
                panels = known_panels(node, simulate_panels, encrypted=False)
                companions.append(lambda stop: _simulate(panels, server, stop))
        if node.settings.frigate_mqtt_url:
            frigate = FrigateListener(
                node.store,
                node.settings.frigate_mqtt_url,
                node.settings.frigate_prefix,
                base_url=node.settings.frigate_url,
                snapshots=Path(node.settings.var_dir) / "video" / "clips",
            )
            companions.append(lambda stop: _frigate(frigate, stop))
        cameras_ready = asyncio.Event()  # the demo's cameras answer: recording them may start
        if simulate_cameras:
            companions.append(lambda stop: _test_pattern(stop, cameras_ready))
        else:
            cameras_ready.set()
        if video:
            supervisor = VideoSupervisor(node.store, node.keys, node.clock, settings_of(node.settings))
            companions.append(lambda stop: _when_ready(cameras_ready, supervisor.run, stop))
        app = create_app(
            node,
            run_services=True,
            checkpoint_every=checkpoint_every,
            companions=companions,
            receiver_status=receiver_status,
        )
        app.state.station, app.state.signal_stats = monitor, signal_stats
        click.echo(
            f"Tocsin node {node.settings.node_name}: console on http://{host}:{port}/ (Ctrl-C stops it)"
        )
        settle_memory()
        uvicorn.Server(server_config(app, host, port)).run()
        if failures:
            raise failures[0]
    finally:
        node.close()


async def _receive(
    server: Dc09Server, loops: list[Loop], stop: asyncio.Event, failures: list[LoopFailed]
) -> None:
    """The receiver beside the console; if one of its loops fails, the whole node stops (uvicorn is told
    as by Ctrl-C) and ``tocsin serve`` exits with the error, rather than a console over a dead receiver."""
    try:
        await run_receiver(server, loops, stop)
    except LoopFailed as exc:
        failures.append(exc)
        os.kill(os.getpid(), signal.SIGTERM)


async def _simulate(panels: list[Panel], server: Dc09Server, stop: asyncio.Event) -> None:
    """Demo traffic: the panels report to this node's own receiver, about one frame a minute each."""
    while server.port == 0 or not server.listening:  # noqa: ASYNC110 - the server sets these once bound
        await asyncio.sleep(0.2)
    if not panels:
        return
    simulator = PanelSimulator(panels, "127.0.0.1", server.port, rate=max(len(panels) / 60, 0.1))
    running = asyncio.create_task(simulator.run(seconds=10**9))
    await stop.wait()
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running


async def _test_pattern(stop: asyncio.Event, ready: asyncio.Event) -> None:
    """The demo's cameras: ``tocsin video test-pattern`` in a process of its own, ended with the node.
    ``ready`` is set once its port answers (or after a minute), so that the recorders do not start on a
    refused connection and raise a camera-down alarm per camera at every start of the demo."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tocsin.cli", "video", "test-pattern", "--port", str(DEMO_CAMERA_PORT)
    )
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while not ready.is_set() and process.returncode is None:
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", DEMO_CAMERA_PORT)
            except OSError:
                if asyncio.get_running_loop().time() > deadline:
                    break
                await asyncio.sleep(0.2)
            else:
                writer.close()
                break
        ready.set()
        await stop.wait()
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


async def _when_ready(
    ready: asyncio.Event, run: Callable[[asyncio.Event], Awaitable[None]], stop: asyncio.Event
) -> None:
    """A companion that starts once ``ready`` is set (or never, if the node stops first)."""
    waiting = asyncio.create_task(ready.wait())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    stopping.cancel()
    if ready.is_set() and not stop.is_set():
        await run(stop)


async def _frigate(listener: FrigateListener, stop: asyncio.Event) -> None:
    """Frigate's MQTT topics beside the console (TOCSIN_FRIGATE_MQTT_URL); a lost broker is retried."""
    running = asyncio.create_task(listener.run())
    await stop.wait()
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
