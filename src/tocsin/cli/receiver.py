"""``tocsin receiver`` and ``tocsin signals``: the alarm receiver alone, and what it stored."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal as signals_module

import click

from tocsin.bootstrap import bootstrap, dc09_tls, load_settings, receiver_parts
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


@click.command()
@host_option
@dc09_port
def receiver(host: str, dc09_port: int) -> None:
    """Run only the DC-09 receiver (TCP and UDP), durable before it acknowledges."""
    node = bootstrap(load_settings())
    parts = receiver_parts(node)
    server = Dc09Server(parts.intake.receive, host, dc09_port, dc09_tls(node.settings))

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signals_module.SIGINT, signals_module.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await run_receiver(server, [*parts.loops(), node.scheduler.run], stop)

    try:
        click.echo(f"DC-09 receiver on {host}:{dc09_port} (TCP and UDP); Ctrl-C stops it.")
        asyncio.run(main())
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
