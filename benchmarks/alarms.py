"""Alarms benchmark: a storm of alarm signals through the real receiver, and the queue's API under load.

``tocsin serve --processing in-process`` runs as in production (the console's API, the DC-09 receiver and
the signal processor that applies the alarm rules, in one process) on a scratch database with S sites,
each with its transmitter, and 2,000 open alarms already in the queue (technical ones, two per site, so
that the storm's burglaries and fires open their own). Then:

1. Idle: a probe process (the operators' consoles) lists the queue (GET /api/v1/alarms, as a console
   does when it loads) once a second and takes an alarm (POST /api/v1/alarms/{id}/take) four times a
   second, for a few seconds, with no signal load.
2. Storm: N Contact ID alarm signals (burglaries on several zones, one in twenty a fire) from K
   connections at once, spread over the S sites, each connection sending its next frame as soon as the
   previous one is acknowledged. Measured: from the first frame sent until every signal is processed
   (none pending) and in an alarm (as many alarm_signal rows as alarm events sent), the ACK latency, and
   how many alarms resulted. The probe keeps listing and taking meanwhile.
3. Steady: a steady signal load (R signals/s) for a few seconds, the probe still running.

The probe's latencies are reported per phase. SQLite always; PostgreSQL too when TOCSIN_TEST_POSTGRES_URL
is set (a scratch database is created and dropped). Figures are printed, never asserted.

    python benchmarks/alarms.py [--signals N] [--sites S] [--connections K] [--open-alarms A]
                                [--steady-rate R] [--steady-seconds T] [--profile FILE]

``--profile FILE`` then stores the storm's signals as the receiver leaves them and has the signal
processor alone drain them in this process under cProfile: its rate, its CPU per signal and its most
costly functions are printed, the profile written to FILE (read it with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import multiprocessing
import os
import pstats
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Event as StopEvent
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import normalize_url
from tocsin.bootstrap import bootstrap, signal_processor
from tocsin.config import Settings
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal, as_events
from tocsin.protocols import dc09
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import HANDLERS
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeHasher

BURGLARY_ZONES = 6  # a storm's burglaries fall on zones 1 to 6 of each site
FIRE_EVERY = 20  # one frame in twenty is a fire (zone 9)
OPERATOR = ("bench-operator", "bench-operator-password")
# A console lists the queue when it loads, then follows it over its WebSocket: the probe lists it once a
# second (a console opened every second) and takes an alarm four times a second.
LIST_EVERY, TAKE_EVERY = 1.0, 0.25


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def account_of(site: int) -> str:
    return f"{0x10000 + site:X}"


# ---------------------------------------------------------------------------------------------- setup


@dataclass
class Prepared:
    """What the setup left in the store: the operator's session, and the open alarms to take."""

    session: str
    csrf: str
    alarm_ids: list[str] = field(default_factory=list)


def prepare(url: str, var: Path, sites: int, open_alarms: int) -> Prepared:
    """Sites with a transmitter each, an operator, and ``open_alarms`` open technical alarms."""
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=var), hasher=FakeHasher(), clock=SystemClock())
    deps = Deps(hasher=FakeHasher())
    try:

        def directory(uow: UnitOfWork) -> tuple[Any, list[Any]]:
            def run(command: c.Command) -> Any:
                return HANDLERS.run(command, uow, "bench", deps)

            tenant = run(c.CreateTenant("bench", "Bench"))
            client = run(c.CreateClient(tenant.id, "c", "Client"))
            made = []
            for n in range(sites):
                site = run(c.CreateSite(tenant.id, client.id, f"s{n:05d}", f"Site {n}"))
                run(c.AddAccount(site.id, account_of(n), "1", "1"))
                made.append(site)
            user = run(c.AddUser(tenant.id, OPERATOR[0], "Bench Operator", OPERATOR[1]))
            run(c.GrantRole(user.id, "operator", ()))
            return tenant, made

        tenant, made = node.store.write(directory, Scope.system())
        now = datetime.now(UTC)
        classes = ("tamper", "ac_loss", "low_battery", "technical")
        alarms = []
        for n in range(open_alarms):
            site = made[n % len(made)]
            alarm_class = classes[(n // len(made)) % len(classes)]
            at = now - timedelta(minutes=30, seconds=n)
            happening = a.Happening(at, alarm_class, account_of(n % len(made)), "000", "Fault", "Défaut")
            alarms.append(
                a.open_alarm(
                    uuid.uuid4(),
                    tenant.id,
                    happening,
                    a.effective([], alarm_class, site.client_id, site.id),
                    site_id=site.id,
                    client_id=site.client_id,
                    site_ref=site.ref,
                    site_name=site.name,
                    group_key=alarm_class,
                )
            )
        node.store.write(lambda uow: uow.alarms.add(alarms), Scope.system())
        login = node.auth.login(*OPERATOR, "127.0.0.1")
        csrf = login.principal.csrf_token or ""
        return Prepared(login.token, csrf, [str(x.id) for x in alarms])
    finally:
        node.close()


def start_server(url: str, var: Path, processing: str) -> tuple[list[subprocess.Popen[bytes]], int, int]:
    """Start the node as ``processing`` says; its processes, its HTTP port and its DC-09 port.

    ``split`` is the layout of a room that must absorb storms: ``tocsin receiver`` (the DC-09 receiver
    and its worker child) apart from ``tocsin serve --dc09-port -1 --processing none`` (the console's
    API), so the operators' requests never queue behind the receiver's frames in one process."""
    env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(var), "TOCSIN_LOG_LEVEL": "ERROR"}
    tocsin = [sys.executable, "-m", "tocsin.cli"]
    subprocess.run([*tocsin, "logbook", "keygen"], env=env, check=True, stdout=subprocess.DEVNULL)
    http, dc09_port = free_port(), free_port()
    serve = [*tocsin, "serve", "--host", "127.0.0.1", "--port", str(http)]
    receiver = ["--dc09-host", "127.0.0.1", "--dc09-port", str(dc09_port)]
    worker = ["--processing", "worker"]
    if processing == "split":
        commands = [
            [*serve, "--dc09-port", "-1", "--processing", "none"],
            [*tocsin, "receiver", "--host", "127.0.0.1", "--dc09-port", str(dc09_port), *worker],
        ]
    else:
        commands = [[*serve, *receiver, "--processing", processing]]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL) for command in commands]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise SystemExit(f"{process.args[3]} exited with {process.returncode}")  # type: ignore[index]
        try:
            socket.create_connection(("127.0.0.1", dc09_port), timeout=0.2).close()
            httpx2.get(f"http://127.0.0.1:{http}/health", timeout=2)
        except (OSError, httpx2.HTTPError):
            time.sleep(0.1)
        else:
            wait_for_kits(var)
            return processes, http, dc09_port
    raise SystemExit("tocsin did not start")


def wait_for_kits(var: Path, timeout_s: float = 600) -> None:
    """Wait until the server has written its first degraded-mode kits (docs/degraded.md: every tenant's
    sites, units and open alarms and events as PDF, at start then hourly, printed by a child process):
    for a room of thousands that is seconds of CPU, which would otherwise fall on the first seconds
    measured. What is measured is the room after its start."""
    deadline = time.monotonic() + timeout_s
    while len(list((var / "kit").glob("kit-*.pdf"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)


def stop_server(processes: list[subprocess.Popen[bytes]]) -> float:
    """Stop the node and return the CPU seconds its processes used (their children's included)."""
    total = 0.0
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            _, _, usage = os.wait4(process.pid, 0)
        except ChildProcessError:
            return float("nan")
        process.returncode = 0
        total += float(usage.ru_utime + usage.ru_stime)
    return total


# ---------------------------------------------------------------------------------------------- probe


def probe(base: str, prepared: Prepared, ready: StopEvent, stop: StopEvent, results: Any) -> None:
    """Operators' consoles: list the queue every LIST_EVERY seconds and take an alarm every TAKE_EVERY,
    until told to stop; sends back (monotonic time, "list"|"take", seconds, status, rows)."""
    samples: list[tuple[float, str, float, int, int]] = []
    ids = iter(prepared.alarm_ids)
    headers = {"X-CSRF-Token": prepared.csrf}
    with httpx2.Client(base_url=base, cookies={"tocsin_session": prepared.session}, timeout=30) as client:
        ready.set()
        next_list = time.monotonic()
        while not stop.is_set():
            began = time.monotonic()
            if began >= next_list:
                next_list = began + LIST_EVERY
                response = client.get("/api/v1/alarms")
                took = time.monotonic() - began
                rows = len(response.json()) if response.status_code == 200 else 0
                samples.append((began, "list", took, response.status_code, rows))
            alarm_id = next(ids, None)
            if alarm_id is not None:
                taking = time.monotonic()
                response = client.post(f"/api/v1/alarms/{alarm_id}/take", headers=headers)
                samples.append((taking, "take", time.monotonic() - taking, response.status_code, 0))
            time.sleep(max(0.0, TAKE_EVERY - (time.monotonic() - began)))
    results.put(samples)


# ---------------------------------------------------------------------------------------------- load


def storm_event(site: int, k: int) -> str:
    """The k-th alarm event of a site: a burglary on one of its zones or, one in twenty over all the
    sites' events, a fire."""
    fire = (site + k) % FIRE_EVERY == FIRE_EVERY - 1
    return "1110 01 009" if fire else f"1130 01 {k % BURGLARY_ZONES + 1:03d}"


def frame(site: int, k: int, sequence: int) -> bytes:
    """A site's k-th alarm event as its panel sends it."""
    account = account_of(site)
    return dc09.encode(
        "ADM-CID",
        f"{sequence % 9999 + 1:04d}",
        account,
        storm_event(site, k),
        receiver="1",
        line="1",
        timestamp=datetime.now(UTC).replace(microsecond=0),
    )


async def sender(
    port: int,
    sites: list[int],
    count: int,
    latencies: list[float],
    *,
    pace: float,
    started: Callable[[], None],
) -> int:
    """One connection: ``count`` frames over its sites in turn, each after the previous one's ACK (and,
    with ``pace``, no sooner than that many seconds after the previous one)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    acked = 0
    try:
        for n in range(count):
            site = sites[n % len(sites)]
            raw = frame(site, n // len(sites), n)
            began = time.perf_counter()
            started()
            writer.write(raw)
            answer = await reader.readuntil(b"\r")
            latencies.append(time.perf_counter() - began)
            acked += b'ACK"' in answer
            if pace:
                await asyncio.sleep(max(0.0, pace - (time.perf_counter() - began)))
    finally:
        writer.close()
    return acked


def send(
    port: int, sites: int, connections: int, signals: int, rate: float = 0.0
) -> tuple[int, list[float], float]:
    """``signals`` frames from ``connections`` connections at once (at ``rate`` frames/s in all, or as
    fast as they are acknowledged); returns the ACKs, the latencies and the monotonic time of the first
    frame."""
    latencies: list[float] = []
    first: list[float] = []

    def started() -> None:
        if not first:
            first.append(time.monotonic())

    connections = min(connections, signals)
    share = [list(range(k, sites, connections)) or [k % sites] for k in range(connections)]
    counts = [signals // connections + (k < signals % connections) for k in range(connections)]
    pace = connections / rate if rate else 0.0

    async def run() -> int:
        done = await asyncio.gather(
            *(
                sender(port, share[k], counts[k], latencies, pace=pace, started=started)
                for k in range(connections)
            )
        )
        return sum(done)

    acked = asyncio.run(run())
    return acked, latencies, first[0] if first else time.monotonic()


def absorbed(url: str, expected: int, timeout: float) -> tuple[float, int, int, int]:
    """Poll the store until no signal is pending and ``expected`` alarm events are in alarms; returns
    the monotonic time that was seen, the alarms the storm opened, their events and the signals pending."""
    engine = create_engine(normalize_url(url))
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                pending = int(
                    conn.execute(text("SELECT count(*) FROM signal WHERE processed_at IS NULL")).scalar_one()
                )
                linked = int(conn.execute(text("SELECT count(*) FROM alarm_signal")).scalar_one())
                alarms, events = conn.execute(
                    text(
                        "SELECT count(*), coalesce(sum(signal_count), 0) FROM alarm"
                        " WHERE alarm_class IN ('intrusion', 'fire')"
                    )
                ).one()
            seen = time.monotonic()
            if (pending == 0 and linked >= expected) or seen > deadline:
                return seen, int(alarms), int(events), pending
            time.sleep(0.05)
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------- report


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def probe_lines(
    samples: list[tuple[float, str, float, int, int]], phases: list[tuple[str, float, float]]
) -> list[str]:
    lines = []
    for name, start, end in phases:
        inside = [s for s in samples if start <= s[0] < end]
        lists = [s[2] * 1000 for s in inside if s[1] == "list"]
        takes = [s[2] * 1000 for s in inside if s[1] == "take"]
        bad = ", ".join(
            f"{n} x {code}" for code, n in sorted(Counter(s[3] for s in inside if s[3] >= 400).items())
        )
        rows = max((s[4] for s in inside if s[1] == "list"), default=0)
        lines.append(
            f"  {name:<8} GET /api/v1/alarms ({rows} rows) ms: p50 {median(lists):7.1f}"
            f"  p99 {percentile(lists, 0.99):7.1f}  n={len(lists)}"
            f" | take ms: p50 {median(takes):6.1f}"
            f"  p99 {percentile(takes, 0.99):6.1f}  n={len(takes)}" + (f" | errors: {bad}" if bad else "")
        )
    return lines


def run(label: str, url: str, var: Path, args: argparse.Namespace) -> None:
    print(
        f"== {label}: {args.sites} sites, {args.open_alarms} open alarms, storm of {args.signals} signals"
        f" from {args.connections} connections, processing {args.processing}"
    )
    began = time.perf_counter()
    prepared = prepare(url, var, args.sites, args.open_alarms)
    print(f"  setup {time.perf_counter() - began:.1f} s")
    processes, http, dc09_port = start_server(url, var, args.processing)
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Event(), context.Event()
    results = context.Queue()
    prober = context.Process(target=probe, args=(f"http://127.0.0.1:{http}", prepared, ready, stop, results))
    cpu = float("nan")
    try:
        idle_from = time.monotonic()  # the probe's first requests count as idle ones
        if args.probe:
            prober.start()
            ready.wait(60)
        time.sleep(args.idle_seconds)
        idle_to = time.monotonic()

        acked, latencies, first = send(dc09_port, args.sites, args.connections, args.signals)
        last_ack = time.monotonic()
        done, alarms, events, pending = absorbed(url, args.signals, timeout=120)
        ms = sorted(x * 1000 for x in latencies)
        print(
            f"  storm: {args.signals} signals sent, {acked} acknowledged in {last_ack - first:.2f} s"
            f" ({acked / max(last_ack - first, 1e-9):.0f}/s); ACK ms p50 {statistics.median(ms):.1f}"
            f" p99 {percentile(ms, 0.99):.1f} max {ms[-1]:.1f}"
        )
        print(
            f"  storm: absorbed {done - first:.2f} s after the first frame ({done - last_ack:.2f} s after the"
            f" last ACK): {alarms} alarms opened holding {events} events, {pending} signals still pending"
            f"  [target: under 10 s]"
        )
        steady_from = time.monotonic()
        steady_signals = int(args.steady_rate * args.steady_seconds)
        s_acked, s_latencies, _ = send(
            dc09_port, args.sites, min(50, args.sites), steady_signals, rate=args.steady_rate
        )
        steady_to = time.monotonic()
        sms = sorted(x * 1000 for x in s_latencies)
        print(
            f"  steady: {s_acked} signals acknowledged at {s_acked / (steady_to - steady_from):.0f}/s;"
            f" ACK ms p50 {statistics.median(sms):.1f} p99 {percentile(sms, 0.99):.1f}"
        )
        stop.set()
        if not args.probe:
            return
        samples = results.get(timeout=60)
        prober.join(10)
        print("  console probe (a list every second, a take every 0.25 s)  [target: take p99 under 50 ms]:")
        for line in probe_lines(
            samples,
            [("idle", idle_from, idle_to), ("storm", first, done), ("steady", steady_from, steady_to)],
        ):
            print(line)
    finally:
        stop.set()
        if args.probe and prober.is_alive():
            prober.terminate()
        cpu = stop_server(processes)
    print(f"  server CPU seconds: {cpu:.1f}")


def pending(account: str, site_id: uuid.UUID, tenant_id: uuid.UUID, data: str, at: datetime) -> Signal:
    """A stored, not yet processed signal as the receiver leaves it, of one storm event."""
    fire = data.startswith("1110")
    event = {
        "protocol": "contact-id",
        "code": "110" if fire else "130",
        "qualifier": "1",
        "partition": "01",
        "zone": data[-3:],
        "class": "fire" if fire else "intrusion",
        "label_en": "Fire" if fire else "Burglary",
        "label_fr": "Incendie" if fire else "Intrusion",
        "restore": False,
    }
    return Signal(
        id=uuid.uuid4(),
        received_at=at,
        node="bench",
        listener="tcp:9000",
        raw=f'"ADM-CID"0001R1L1#{account}[#{account}|{data}]',
        answer="ACK",
        tenant_id=tenant_id,
        account_id=None,
        site_id=site_id,
        occurred_at=at,
        receiver="1",
        line="1",
        account_number=account,
        sequence="0001",
        id_token="ADM-CID",  # noqa: S106 - the DC-09 message type, not a secret
        payload_hash=uuid.uuid4().hex * 2,
        data=data,
        events=as_events((event,)),
    )


def processor_alone(args: argparse.Namespace) -> None:
    """The storm's signals stored as the receiver leaves them, then drained by the signal processor alone
    (rules, alarms, logbook entries) in this process, under cProfile: where the processing time goes."""
    with tempfile.TemporaryDirectory() as folder:
        url, var = f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder)
        prepare(url, var, args.sites, args.open_alarms)
        node = bootstrap(Settings(database_url=url, var_dir=var), hasher=FakeHasher(), clock=SystemClock())
        try:

            def sites(uow: UnitOfWork) -> list[tuple[str, uuid.UUID, uuid.UUID]]:
                by_site = {x.id: x for x in uow.sites.find()}
                return sorted(
                    (x.number, x.site_id, by_site[x.site_id].tenant_id) for x in uow.accounts.find()
                )

            accounts = node.store.read(sites, Scope.system())
            now = datetime.now(UTC)
            signals = [
                pending(
                    *accounts[n % len(accounts)],
                    storm_event(n % len(accounts), n // len(accounts)),
                    now + timedelta(microseconds=n),
                )
                for n in range(args.signals)
            ]
            for first in range(0, len(signals), 1000):
                chunk = signals[first : first + 1000]
                node.store.write(lambda uow, s=chunk: uow.signals.insert_many(s), Scope.system())  # type: ignore[misc]
            processor = signal_processor(node)
            # each thread's own CPU time, whatever else loads the machine (a wait costs nothing)
            profiler, writer = cProfile.Profile(time.thread_time), cProfile.Profile(time.thread_time)
            # SQLite writes run on the store's writer thread: its transactions get their own profiler
            transaction = node.store._transaction  # type: ignore[attr-defined]
            node.store._transaction = lambda *a: writer.runcall(transaction, *a)  # type: ignore[attr-defined]
            cpu, wall = time.process_time(), time.perf_counter()
            profiler.enable()
            done = processor.drain()
            profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        finally:
            node.close()
    print(
        f"== the signal processor alone (SQLite, this process): {done} storm signals drained in {wall:.2f} s"
        f" ({done / wall:.0f}/s, {cpu / max(done, 1) * 1e6:.0f} µs CPU per signal, profiled), most costly:"
    )
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.add(writer)
    stats.dump_stats(args.profile)
    stats.sort_stats("cumulative").print_stats(r"tocsin|commit|execute", 30)
    print(f"  profile written to {args.profile} (python -m pstats {args.profile})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=10_000, help="the storm's signals")
    parser.add_argument("--sites", type=int, default=1_000, help="sites, each with its transmitter")
    parser.add_argument("--connections", type=int, default=200, help="the storm's connections, at once")
    parser.add_argument("--open-alarms", type=int, default=2_000, help="alarms already open in the queue")
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="the probe alone, before the storm")
    parser.add_argument("--steady-rate", type=float, default=100.0, help="signals/s after the storm")
    parser.add_argument("--steady-seconds", type=float, default=10.0)
    parser.add_argument("--no-probe", dest="probe", action="store_false", help="the storm alone, no console")
    parser.add_argument(
        "--processing",
        choices=("in-process", "worker", "split"),
        default="in-process",
        help="the signal processor in the server's process (tocsin serve's default), or in a worker child,"
        " or split: the receiver and its worker apart from the console's API (receiver + serve)",
    )
    parser.add_argument(
        "--profile", help="also drain the storm's signals with the processor alone, profiled, to this file"
    )
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.connections + 1_000)), hard))
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder), args)
    if args.profile:
        processor_alone(args)
    base = os.environ.get("TOCSIN_TEST_POSTGRES_URL")
    if not base:
        print("PostgreSQL: skipped (set TOCSIN_TEST_POSTGRES_URL)")
        return
    name = f"tocsin_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    try:
        url = make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        with tempfile.TemporaryDirectory() as folder:
            run("PostgreSQL", url, Path(folder), args)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
