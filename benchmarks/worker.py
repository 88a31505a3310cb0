"""Worker benchmark: the signal processor alone, draining N pending signals into the logbook.

Stores N Contact ID alarm signals (as the receiver stores them) with their entries still to write, then
runs the signal processor that ``tocsin worker`` runs until none is pending, and prints the CPU time
it took per signal (``time.process_time``: what this process spent, whatever else loads the machine)
and signals/s (wall clock). SQLite always; PostgreSQL when TOCSIN_TEST_POSTGRES_URL is set (a scratch
database is created and dropped). Figures are printed, never asserted.

    python benchmarks/worker.py [--signals N] [--rounds R] [--profile FILE]

``--profile`` writes a cProfile of the SQLite drain to FILE, and PostgreSQL's to FILE.postgresql (read them
with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import normalize_url
from tocsin.bootstrap import bootstrap, signal_processor
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.domain.sites import Account
from tocsin.testing import FakeHasher

ACCOUNTS = 50


def _event(n: int) -> dict[str, object]:
    return {
        "protocol": "contact-id",
        "code": "130",
        "qualifier": "1",
        "partition": "01",
        "zone": f"{n % 999 + 1:03d}",
        "class": "intrusion",
        "label_en": "Burglary",
        "label_fr": "Intrusion",
        "restore": False,
    }


def _signal(account: Account, n: int, at: datetime) -> Signal:
    return Signal(
        id=uuid.uuid4(),
        received_at=at,
        node="bench",
        listener="tcp:9000",
        raw=f'"ADM-CID"{n % 9999 + 1:04d}R1L1#{account.number}[#{account.number}|1130 01 007]',
        answer="ACK",
        tenant_id=account.tenant_id,
        account_id=account.id,
        site_id=account.site_id,
        occurred_at=at,
        receiver="1",
        line="1",
        account_number=account.number,
        sequence=f"{n % 9999 + 1:04d}",
        id_token="ADM-CID",  # noqa: S106 - the DC-09 message type, not a secret
        payload_hash=f"{n:064x}",
        data="1130 01 007",
        events=(_event(n),),
    )


def prepare(url: str, var: Path, count: int) -> None:
    """A tenant, a site, its accounts, and ``count`` pending signals from them."""
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=var), hasher=FakeHasher(), clock=SystemClock())
    bus, system = node.messagebus, Scope.system()
    tenant = bus.handle(c.CreateTenant("bench", "Bench"), scope=system, actor="bench")
    scope = Scope.tenant(tenant.id)
    client = bus.handle(c.CreateClient(tenant.id, "c", "Client"), scope=scope, actor="bench")
    site = bus.handle(c.CreateSite(tenant.id, client.id, "s", "Site"), scope=scope, actor="bench")
    accounts = [
        bus.handle(c.AddAccount(site.id, f"{0xB000 + n:04X}", "1", "1"), scope=scope, actor="bench")
        for n in range(ACCOUNTS)
    ]
    start = datetime.now(UTC) - timedelta(hours=1)
    for first in range(0, count, 1000):
        signals = [
            _signal(accounts[n % ACCOUNTS], n, start + timedelta(microseconds=n))
            for n in range(first, min(first + 1000, count))
        ]
        node.store.write(lambda uow, s=signals: uow.signals.insert_many(s), system)
    node.close()


def drain(label: str, url: str, var: Path, count: int, profile: str | None) -> tuple[float, float]:
    """Drain ``count`` pending signals; return CPU µs per signal and signals/s."""
    prepare(url, var, count)
    node = bootstrap(Settings(database_url=url, var_dir=var), clock=SystemClock())
    processor = signal_processor(node)
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    done = processor.drain()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    node.close()
    print(
        f"{label:<10} {done} signals drained: {cpu / done * 1e6:6.1f} µs CPU per signal, "
        f"{done / wall:7.0f} signals/s ({processor.stats.transactions} transactions)"
    )
    return cpu / done * 1e6, done / wall


def rounds(label: str, count: int, n: int, profile: str | None, make_url: Callable[[Path], str]) -> None:
    figures = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as folder:
            figures.append(drain(label, make_url(Path(folder)), Path(folder), count, profile))
    cpu = sorted(f[0] for f in figures)
    rate = sorted(f[1] for f in figures)
    print(
        f"{label:<10} over {n} rounds: {statistics.median(cpu):6.1f} µs CPU per signal (median; best"
        f" {cpu[0]:.1f}), {statistics.median(rate):7.0f} signals/s (median)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--profile", help="write a cProfile of the SQLite drain to FILE (PostgreSQL's to FILE.postgresql)"
    )
    args = parser.parse_args()
    print(f"Worker benchmark: {args.signals} pending Contact ID signals, one logbook entry each.")
    rounds("SQLite", args.signals, args.rounds, args.profile, lambda d: f"sqlite:///{d / 'bench.db'}")
    base = os.environ.get("TOCSIN_TEST_POSTGRES_URL")
    if not base:
        print("PostgreSQL: skipped (set TOCSIN_TEST_POSTGRES_URL)")
        return
    admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    names: list[str] = []

    def scratch(_folder: Path) -> str:
        names.append(f"tocsin_bench_{uuid.uuid4().hex[:8]}")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{names[-1]}"'))
        return make_url(normalize_url(base)).set(database=names[-1]).render_as_string(hide_password=False)

    try:
        profile = None if args.profile is None else f"{args.profile}.postgresql"
        rounds("PostgreSQL", args.signals, args.rounds, profile, scratch)
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
