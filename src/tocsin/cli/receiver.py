"""``tocsin receiver`` and ``tocsin signals``: the alarm receiver alone, and what it stored."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import logging
import os
import signal as signals_module
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any

import click

from tocsin.bootstrap import (
    Node,
    ReceiverParts,
    bootstrap,
    dc09_tls,
    load_settings,
    receiver_parts,
    signal_processor,
)
from tocsin.cli.common import parse_instant
from tocsin.domain.scope import Scope
from tocsin.receivers.dc09 import Dc09Server, run_receiver
from tocsin.services.queries import signal_view

log = logging.getLogger(__name__)

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


def settle_memory() -> None:
    """Take what was loaded at start (modules, mappings, accounts) out of the garbage collector's view.

    It lives as long as the process, yet every full collection walked it: pauses of 30 to 50 ms that
    stalled the event loop and made the receiver's p99. Collected once here, then frozen."""
    gc.collect()
    gc.freeze()


def run_until_signalled(main: Callable[[asyncio.Event], Coroutine[Any, Any, None]]) -> None:
    """Run ``main(stop)`` on uvloop; SIGINT and SIGTERM set ``stop``."""
    settle_memory()

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


PROCESSING = {
    "worker": "a `tocsin worker` child process writes the signals' entries (the receiver's latency holds"
    " under an alarm storm)",
    "in-process": "this process writes them, in a thread (at once)",
    "none": "only receive and store; a `tocsin worker` or `tocsin serve` elsewhere writes them",
}
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


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


@click.command()
@host_option
@dc09_port
@processing_option("worker")
def receiver(host: str, dc09_port: int, processing: str) -> None:
    """Run the DC-09 receiver (TCP and UDP), durable before it acknowledges."""
    node = bootstrap(load_settings())
    parts, loops = receiver_with_processing(node, processing)
    server = Dc09Server(parts.intake.receive, host, dc09_port, dc09_tls(node.settings))
    loops.append(node.scheduler.run)
    try:
        click.echo(f"DC-09 receiver on {host}:{dc09_port} (TCP and UDP); Ctrl-C stops it.")
        run_until_signalled(lambda stop: run_receiver(server, loops, stop))
    finally:
        node.close()


class WorkerChild:
    """A ``tocsin worker`` started beside the receiver, restarted if it dies, stopped with it.

    The worker runs at a lower CPU priority (niceness 10): when an alarm storm needs both processors,
    acknowledging what panels send (durably) comes first and the entries catch up after; measured on
    two cores, this raised the receiver's throughput by a third and shortened the time until the last
    entry was written. A worker that dies soon after starting is restarted after a pause that doubles
    each time, up to a minute, so a lasting fault (the database refusing it, say) is not retried in a
    tight loop. On Linux the child is also told to stop if the receiver itself dies (even by SIGKILL),
    so no orphan worker outlives it."""

    RESTART_AFTER = 1.0  # seconds before the first restart
    MAX_PAUSE = 60.0  # seconds between restarts of a worker that keeps dying
    HEALTHY_AFTER = 30.0  # seconds a worker must live for the pause to start again from RESTART_AFTER

    async def run(self, stop: asyncio.Event) -> None:
        pause = self.RESTART_AFTER
        while not stop.is_set():
            started = time.monotonic()
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tocsin.cli",
                "worker",
                stdout=asyncio.subprocess.DEVNULL,
                preexec_fn=_child_setup if os.name == "posix" else None,
            )
            exited = asyncio.ensure_future(child.wait())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not exited.done():
                stopping.cancel()
                await _stop_child(child)
                return
            stopping.cancel()
            if time.monotonic() - started > self.HEALTHY_AFTER:
                pause = self.RESTART_AFTER
            log.warning("the signal worker exited with %s; restarting it in %.0f s", child.returncode, pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            pause = min(pause * 2, self.MAX_PAUSE)


async def _stop_child(child: asyncio.subprocess.Process) -> None:
    """SIGTERM (the worker finishes its batch and drains once more), then SIGKILL after 30 s."""
    with contextlib.suppress(ProcessLookupError):
        child.terminate()
    try:
        await asyncio.wait_for(child.wait(), 30)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            child.kill()
        await child.wait()


PR_SET_PDEATHSIG = 1
WORKER_NICENESS = 10  # under a storm the receiver's ACK path gets the processor first; entries catch up
_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None  # loaded before any fork


def _child_setup() -> None:
    """In the child, before it runs: a lower CPU priority, and (Linux) SIGTERM when the parent dies."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signals_module.SIGTERM)
    os.nice(WORKER_NICENESS)


@click.command()
def worker() -> None:
    """Process stored signals (their logbook entries) and fire due deadlines; `tocsin receiver` starts
    one itself, and more may run (on PostgreSQL, on other machines too)."""
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
