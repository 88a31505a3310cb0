"""``tocsin receiver`` and ``tocsin signals``: the alarm receiver alone, and what it stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from tocsin.bootstrap import (
    Node,
    ReceiverParts,
    bootstrap,
    dc09_tls,
    heartbeat,
    load_settings,
    receiver_parts,
)
from tocsin.cli.common import parse_instant
from tocsin.domain.scope import Scope
from tocsin.receivers.dc09 import Dc09Server, Limits, run_receiver
from tocsin.services.loops import Loop
from tocsin.services.queries import signal_view
from tocsin.workers.process import run_until_signalled
from tocsin.workers.signal_worker import WorkerChild, run_signal_worker

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


PROCESSING = {
    "worker": "a `tocsin worker` child process writes the signals' entries (the receiver's latency holds"
    " under an alarm storm)",
    "in-process": "this process writes them, in a thread (at once)",
    "none": "only receive and store; a `tocsin worker` or `tocsin serve` elsewhere writes them",
}


def processing_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--processing``: who writes the logbook entries of the signals this receiver stores."""
    return click.option(
        "--processing",
        type=click.Choice(list(PROCESSING)),
        default=default,
        show_default=True,
        help="Who writes the logbook entries of stored signals: "
        + "; ".join(f"{k}: {v}" for k, v in PROCESSING.items())
        + ".",
    )


def receiver_with_processing(node: Node, processing: str) -> tuple[ReceiverParts, list[Loop]]:
    """The receiver's parts and the loops to run beside its listeners, a worker child among them when the
    processing is left to one."""
    parts = receiver_parts(node, process_signals=processing == "in-process")
    return parts, [*parts.loops(), *([WorkerChild().run] if processing == "worker" else [])]


def dc09_server(node: Node, parts: ReceiverParts, host: str, port: int) -> Dc09Server:
    """The DC-09 listeners of this node, with the limits its settings give (docs/receiver.md)."""
    settings = node.settings
    limits = Limits(
        idle_timeout=settings.dc09_idle_timeout,
        frame_timeout=settings.dc09_frame_timeout,
        max_connections=settings.dc09_max_connections,
        max_udp_in_flight=settings.dc09_max_udp_in_flight,
    )
    return Dc09Server(parts.intake.receive, host, port, dc09_tls(settings), limits)


@click.command()
@host_option
@dc09_port
@processing_option("worker")
def receiver(host: str, dc09_port: int, processing: str) -> None:
    """Run the DC-09 receiver (TCP and UDP), durable before it acknowledges."""
    node = bootstrap(load_settings())
    parts, loops = receiver_with_processing(node, processing)
    server = dc09_server(node, parts, host, dc09_port)
    loops.extend([node.scheduler.run, heartbeat(node, "receiver").run])
    try:
        click.echo(f"DC-09 receiver on {host}:{dc09_port} (TCP and UDP); Ctrl-C stops it.")
        run_until_signalled(lambda stop: run_receiver(server, loops, stop))
    finally:
        node.close()


@click.command()
def worker() -> None:
    """Process stored signals (their logbook entries) and fire due deadlines; `tocsin receiver` starts
    one itself, and more may run (on PostgreSQL, on other machines too)."""
    node = bootstrap(load_settings())
    try:
        click.echo("Worker: processing stored signals and due deadlines; Ctrl-C stops it.")
        run_until_signalled(lambda stop: run_signal_worker(node, stop))
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
