"""Receiver benchmark: K connections sharing N signals through real sockets, durable storage.

Prints signals/s and ACK latency p50/p99/max for Tocsin's receiver on SQLite and on PostgreSQL (when
TOCSIN_TEST_POSTGRES_URL is set), and for pysiaalarm's asyncio receiver (which stores nothing) under the
same load in the same run, plus the load generator's own CPU time. Figures are printed, not asserted.

Tocsin runs three ways: as ``tocsin receiver`` starts by default, with a ``tocsin worker`` child process
writing each signal's logbook entry, and with ``--processing in-process`` (one process, the entries
written in a thread) and alone (``--processing none``: the hot path only, a worker started after the
last ACK writes the entries). For each, the run waits until every signal's logbook entry is written and
prints how long after the last ACK that was, and the CPU seconds the receiver used (its worker child
included, from its resource usage). Each connection first has one frame answered, unmeasured. Every
configuration runs R times (3 by default), rounds interleaved, and the medians close the report.

    python benchmarks/receiver.py [--connections K [K ...]] [--signals N] [--rounds R] [--idle-connections I]

By default two loads, 50 and 200 connections, 20,000 signals each. With ``--idle-connections 5000``,
every configuration also runs "with 5,000 idle connections and a slow-drip sender" (a connection
sending a frame one byte a second) open during the load, so the ACK p99 with and without them can be
compared.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import normalize_url
from tocsin.bootstrap import bootstrap
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.protocols import dc09
from tocsin.testing import FakeHasher

PEER = textwrap.dedent(
    """
    import asyncio, sys
    from pysiaalarm import SIAAccount
    from pysiaalarm.aio import SIAClient
    async def ignore(event):
        return None
    async def main():
        accounts = [SIAAccount(f"{n:04X}") for n in range(0xB000, 0xB000 + int(sys.argv[2]))]
        client = SIAClient("127.0.0.1", int(sys.argv[1]), accounts, ignore)
        await client.async_start()
        await asyncio.Event().wait()
    asyncio.run(main())
    """
)


MODES = (
    ("worker", "receiver + worker"),  # as `tocsin receiver` starts by default
    ("in-process", "1 process"),
    ("none", "receiver alone"),  # the hot path only: decode, durable commit, ACK
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the receiver exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the receiver did not start")


def prepare_tocsin(url: str, var: Path, accounts: int) -> None:
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=var), hasher=FakeHasher(), clock=SystemClock())
    bus = node.messagebus
    tenant = bus.handle(c.CreateTenant("bench", "Bench"), scope=Scope.system(), actor="bench")
    scope = Scope.tenant(tenant.id)
    client = bus.handle(c.CreateClient(tenant.id, "c", "Client"), scope=scope, actor="bench")
    site = bus.handle(c.CreateSite(tenant.id, client.id, "s", "Site"), scope=scope, actor="bench")
    for n in range(accounts):
        bus.handle(c.AddAccount(site.id, f"{0xB000 + n:04X}", "1", "1"), scope=scope, actor="bench")
    node.close()


def alarm(account: str, n: int) -> bytes:
    """The n-th frame of a connection: a Contact ID burglary alarm, zone cycling, stamped now."""
    return dc09.encode(
        "ADM-CID",
        f"{n % 9999 + 1:04d}",
        account,
        f"1130 01 {n % 999 + 1:03d}",
        receiver="1",
        line="1",
        timestamp=datetime.now(UTC).replace(microsecond=0),
    )


async def warm_up(port: int, account: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect and have one frame answered, outside the measurement (both receivers get the same)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(alarm(account, 9998))
    await reader.readuntil(b"\r")
    return reader, writer


async def connection(
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    account: str,
    count: int,
    latencies: list[float],
) -> int:
    reader, writer = streams
    acked = 0
    for n in range(count):
        raw = alarm(account, n)
        began = time.perf_counter()
        writer.write(raw)
        answer = await reader.readuntil(b"\r")
        latencies.append(time.perf_counter() - began)
        acked += b'ACK"' in answer
    writer.close()
    return acked


def load(port: int, connections: int, signals: int) -> tuple[float, list[float], int, float]:
    latencies: list[float] = []
    accounts = [f"{0xB000 + k:04X}" for k in range(connections)]
    cpu = 0.0
    started = 0.0

    async def run() -> int:
        nonlocal cpu, started
        streams = await asyncio.gather(*(warm_up(port, account) for account in accounts))
        cpu, started = time.process_time(), time.perf_counter()
        counts = await asyncio.gather(
            *(
                connection(s, account, signals, latencies)
                for s, account in zip(streams, accounts, strict=True)
            )
        )
        return sum(counts)

    acked = asyncio.run(run())
    return time.perf_counter() - started, latencies, acked, time.process_time() - cpu


SIEGE = " + idle, slow drip"  # label suffix of a run beside idle connections and a slow-drip sender


def drip(port: int, stop: threading.Event) -> None:
    """A slow-drip sender: a frame one byte a second, reconnecting whenever the receiver hangs up."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                for byte in alarm("B000", 1):
                    if stop.wait(1.0):
                        return
                    sock.sendall(bytes([byte]))
        except OSError:
            stop.wait(0.5)


@contextlib.contextmanager
def siege(port: int, idle: int) -> Iterator[None]:
    """``idle`` connections that never send a byte, and a slow-drip sender, open around the load."""
    if not idle:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, idle + 2_000)), hard))
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(idle)]
    stop = threading.Event()
    dripping = threading.Thread(target=drip, args=(port, stop), daemon=True)
    dripping.start()
    try:
        yield
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
        dripping.join(5)


RESULTS: dict[str, list[tuple[float, float, float]]] = {}  # label: (signals/s, p50, p99) per round


def report(label: str, seconds: float, latencies: list[float], acked: int, cpu: float) -> None:
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    RESULTS.setdefault(label, []).append((acked / seconds, statistics.median(ms), p99))
    print(
        f"{label:<52} {acked / seconds:8.0f} signals/s  ACK ms p50 {statistics.median(ms):6.2f}"
        f"  p99 {p99:6.2f}  max {ms[-1]:7.2f}  acked {acked}/{len(ms)}  generator CPU {cpu:.1f} s"
    )


def pending_signals(url: str) -> tuple[int, int]:
    """How many signals are stored, and how many still wait for their logbook entries."""
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT count(*), count(*) - count(processed_at) FROM signal")).one()
            return int(row[0]), int(row[1])
    finally:
        engine.dispose()


def run_tocsin(label: str, url: str, var: Path, k: int, m: int, *, processing: str, idle: int = 0) -> None:
    prepare_tocsin(url, var, k)
    port = free_port()
    env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(var), "TOCSIN_LOG_LEVEL": "ERROR"}
    tocsin = [sys.executable, "-m", "tocsin.cli"]
    command = [
        *tocsin,
        "receiver",
        "--host",
        "127.0.0.1",
        "--dc09-port",
        str(port),
        "--processing",
        processing,
    ]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)]
    # processes[0] is the receiver (its worker child's CPU included); processes[1], when started, a worker
    labels = ["receiver and its worker" if processing == "worker" else "receiver", "worker"]
    try:
        wait_listening(port, processes[0])
        with siege(port, idle):
            report(label + (SIEGE if idle else ""), *load(port, k, m))
        acked_at = time.perf_counter()
        if processing == "none":  # the entries are written afterwards, by a worker started now
            processes.append(subprocess.Popen([*tocsin, "worker"], env=env, stdout=subprocess.DEVNULL))
        stored, waiting = pending_signals(url)
        while waiting and time.perf_counter() - acked_at < 120:
            time.sleep(0.05)
            stored, waiting = pending_signals(url)
        took = time.perf_counter() - acked_at
        if processing == "none":
            print(
                f"{'':<52} then a worker started after the last ACK wrote the entries of all {stored}"
                f" signals in {took:.2f} s, its start included ({stored / took:.0f} signals/s)"
            )
        else:
            print(
                f"{'':<52} logbook entries of all {stored} signals written"
                f" {took:.2f} s after the last ACK ({waiting} still pending)"
            )
    finally:
        cpu = [stop_and_measure(process) for process in processes]
        print(
            f"{'':<52} CPU seconds: " + ", ".join(f"{n} {c:.1f}" for n, c in zip(labels, cpu, strict=False))
        )


def stop_and_measure(process: subprocess.Popen[bytes]) -> float:
    """Stop a child and return the CPU seconds it used (user and system), from its resource usage."""
    process.terminate()
    try:
        _, _, usage = os.wait4(process.pid, 0)
    except ChildProcessError:
        return float("nan")
    process.returncode = 0
    return float(usage.ru_utime + usage.ru_stime)


def run_peer(k: int, m: int, idle: int = 0) -> None:
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(PEER)
    process = subprocess.Popen(
        [sys.executable, script.name, str(port), str(k)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_listening(port, process)
        with siege(port, idle):
            report("pysiaalarm (stores nothing)" + (SIEGE if idle else ""), *load(port, k, m))
    finally:
        print(f"{'':<52} CPU seconds: pysiaalarm {stop_and_measure(process):.1f}")
        os.unlink(script.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[50, 200], help="one load per count")
    parser.add_argument("--signals", type=int, default=20_000, help="per load, shared by its connections")
    parser.add_argument("--rounds", type=int, default=3, help="every configuration, this many times")
    parser.add_argument(
        "--idle-connections",
        type=int,
        default=0,
        help="also run every configuration with this many idle connections and a slow-drip sender (5000)",
    )
    args = parser.parse_args()
    base = os.environ.get("TOCSIN_TEST_POSTGRES_URL")
    for k in args.connections:
        m = max(1, args.signals // k)
        print(f"== {k} connections x {m} signals, one at a time per connection (closed loop)")
        RESULTS.clear()
        for round_ in range(1, args.rounds + 1):
            print(f"-- round {round_} of {args.rounds}")
            one_round(k, m, base, args.idle_connections)
        print(f"-- {k} connections: medians over {args.rounds} rounds (signals/s: lowest to highest)")
        for label, runs in RESULTS.items():
            rates = sorted(r[0] for r in runs)
            print(
                f"{label:<52} {statistics.median(rates):8.0f} signals/s ({rates[0]:.0f} to {rates[-1]:.0f})"
                f"  ACK ms p50 {statistics.median(r[1] for r in runs):6.2f}"
                f"  p99 {statistics.median(r[2] for r in runs):6.2f}"
            )
    if not base:
        print("PostgreSQL: skipped (set TOCSIN_TEST_POSTGRES_URL)")


def one_round(k: int, m: int, base: str | None, idle: int) -> None:
    """Every configuration once (and once more beside ``idle`` idle connections and a slow-drip sender,
    when asked): Tocsin on SQLite, on PostgreSQL when configured, then the peer."""
    for siege_size in (0, idle) if idle else (0,):
        one_siege(k, m, base, siege_size)


def one_siege(k: int, m: int, base: str | None, idle: int) -> None:
    """Every configuration once, beside ``idle`` idle connections (none: the plain load)."""
    for processing, how in MODES:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            run_tocsin(f"Tocsin SQLite, {how}", url, Path(folder), k, m, processing=processing, idle=idle)
    if base:
        name = f"tocsin_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
        try:
            url = make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
            for processing, how in MODES:
                with tempfile.TemporaryDirectory() as folder:
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                        conn.execute(text(f'CREATE DATABASE "{name}"'))
                    run_tocsin(
                        f"Tocsin PostgreSQL, {how}", url, Path(folder), k, m, processing=processing, idle=idle
                    )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    run_peer(k, m, idle)


if __name__ == "__main__":
    main()
