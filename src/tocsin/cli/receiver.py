"""``tocsin receiver`` and ``tocsin signals``: the alarm receiver alone, and what it stored."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal as signals_module
from collections.abc import Callable, Coroutine
from typing import Any

import click

from tocsin.bootstrap import bootstrap, dc09_tls, load_settings, receiver_parts, signal_processor
from tocsin.cli.common import parse_instant
from tocsin.domain.scope import Scope
from tocsin.receivers.dc09 import Dc09Server, run_receiver
from tocsin.services.intake import signal_view

dc09_port = click.option(
    "--dc09-port",
    default=9000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="DC-09 port, TCP and UDP (0 picks a free one).",
)
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - alarm panels dial in from the network
host_option = click.option(
    "--host",
    default=ALL_INTERFACES,
    show_default=True,
    help="Address the receiver listens on.",
)


def run_until_signalled(main: Callable[[asyncio.Event], Coroutine[Any, Any, None]]) -> None:
    """Run ``main(stop)`` on uvloop; SIGINT and SIGTERM set ``stop``."""

    async def guarded() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signals_module.SIGINT, signals_module.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await main(stop)

    try:
        import uvloop  # noqa: PLC0415 - the faster event loop, where the platform has it
    except ImportError:  # pragma: no cover - Windows
        asyncio.run(guarded())
    else:
        uvloop.run(guarded())


@click.command()
@host_option
@dc09_port
@click.option(
    "--no-processing",
    is_flag=True,
    help="Only receive and store; a `tocsin worker` (or `tocsin serve`) writes the signals' entries.",
)
def receiver(host: str, dc09_port: int, no_processing: bool) -> None:
    """Run only the DC-09 receiver (TCP and UDP), durable before it acknowledges."""
    node = bootstrap(load_settings())
    parts = receiver_parts(node, process_signals=not no_processing)
    server = Dc09Server(parts.intake.receive, host, dc09_port, dc09_tls(node.settings))
    try:
        click.echo(f"DC-09 receiver on {host}:{dc09_port} (TCP and UDP); Ctrl-C stops it.")
        run_until_signalled(lambda stop: run_receiver(server, [*parts.loops(), node.scheduler.run], stop))
    finally:
        node.close()


@click.command()
def worker() -> None:
    """Process stored signals (their logbook entries) and fire due deadlines, beside receivers that
    run with --no-processing."""
    node = bootstrap(load_settings())
    processor = signal_processor(node)

    async def main(stop: asyncio.Event) -> None:
        running = [asyncio.create_task(loop(stop)) for loop in (processor.run, node.scheduler.run)]
        for task in running:
            await task

    try:
        click.echo("Worker: processing stored signals and due deadlines; Ctrl-C stops it.")
        run_until_signalled(main)
    finally:
        node.close()


@click.group()
def signals() -> None:
    """Signals received from transmitters."""


@signals.command("list")
@click.option("--account", help="Only this account number.")
@click.option("--since", help="From this time (ISO 8601).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="JSON, one object per signal.")
def list_signals(account: str | None, since: str | None, limit: int, as_json: bool) -> None:
    """The newest signals, with raw frame, decoded fields, time, node and answer."""
    start = parse_instant(since, "--since")
    node = bootstrap(load_settings())
    try:
        found = node.store.read(
            lambda uow: uow.signals.find(Scope.system(), account_number=account, since=start, limit=limit),
            Scope.system(),
        )
    finally:
        node.close()
    views = [signal_view(s) for s in found]
    if as_json:
        click.echo(json.dumps(views, indent=2, ensure_ascii=False))
        return
    for v in views:
        what = ", ".join(f"{e.get('code')} {e.get('label_en')}" for e in v["events"]) or v["problem"] or ""
        click.echo(f"{v['received_at']}  #{v['account']}  {v['id_token']}  {v['answer']}  {what}")
