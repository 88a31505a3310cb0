"""Logbook benchmark: appends per second (one and several writers) and verification speed.

Run with `make bench`. PostgreSQL is measured when TOCSIN_TEST_POSTGRES_URL is set (a scratch database is
created and dropped). Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.signing import Ed25519Signer
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore, normalize_url
from tocsin.domain.logbook import Checkpoint, NewEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.services import logbook
from tocsin.services.unit_of_work import UnitOfWork

ENTRIES = 2_000
WRITERS = 4


def _entry(tenant: uuid.UUID, n: int) -> NewEntry:
    return NewEntry(
        kind="note",
        message="logbook.note",
        actor="bench",
        tenant_id=tenant,
        params={"text": f"entry {n}"},
        data={"n": n, "zone": "012", "class": "intrusion"},
    )


def _append_one(store: SqlStore, tenant: uuid.UUID, n: int) -> float:
    started = time.perf_counter()

    def write(uow: UnitOfWork) -> None:
        uow.note(_entry(tenant, n))

    store.write(write, Scope.system())
    return time.perf_counter() - started


def bench(label: str, url: str) -> None:
    store = SqlStore(url, SystemClock())
    tenant = uuid.uuid4()
    started = time.perf_counter()
    latencies = [_append_one(store, tenant, n) for n in range(ENTRIES)]
    single = ENTRIES / (time.perf_counter() - started)

    tenant2 = uuid.uuid4()
    per_writer = ENTRIES // WRITERS
    threads = [
        threading.Thread(
            target=lambda w=w: [_append_one(store, tenant2, w * 10_000 + n) for n in range(per_writer)]
        )
        for w in range(WRITERS)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    concurrent = per_writer * WRITERS / (time.perf_counter() - started)

    started = time.perf_counter()
    reports = store.read(
        lambda uow: [
            logbook.verify_chain(h, uow.logbook.entries(h.chain), [], _NoKeys())
            for h in uow.logbook.chains()
            if h.chain == chain_for(tenant)
        ],
        Scope.system(),
    )
    verify_rate = reports[0].entries / (time.perf_counter() - started)
    signing = _bench_signing(store, tenant)
    store.close()
    ms = sorted(x * 1000 for x in latencies)
    print(
        f"{label:<10} append 1 writer: {single:8.0f} entries/s "
        f"(commit latency p50 {statistics.median(ms):.2f} ms, p99 {ms[int(len(ms) * 0.99)]:.2f} ms) | "
        f"{WRITERS} writers: {concurrent:8.0f} entries/s | verify: {verify_rate:8.0f} entries/s"
    )
    print(f"{'':<10} {signing}")


CHECKPOINTS = 20_000  # about ten weeks of five-minute checkpoints of one busy chain


def _bench_signing(store: SqlStore, tenant: uuid.UUID) -> str:
    """Signing the heads with many checkpoints stored: latest per chain, against reading them all."""
    chain, at = chain_for(tenant), store.clock.now()

    def fill(uow: UnitOfWork) -> None:
        head = uow.logbook.head(chain)
        for seq in range(1, CHECKPOINTS + 1):
            uow.logbook.add_checkpoint(Checkpoint(chain, -seq, head.hash, at, "bench", "c2ln"))

    store.write(fill, Scope.system())
    _append_one(store, tenant, -1)
    started = time.perf_counter()
    store.read(lambda uow: [uow.logbook.checkpoints(h.chain) for h in uow.logbook.chains()], Scope.system())
    reading_all = time.perf_counter() - started
    signer = Ed25519Signer(Ed25519PrivateKey.generate())
    started = time.perf_counter()
    made = store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, signer), Scope.system())
    signing = time.perf_counter() - started
    return (
        f"sign {len(made)} moved chains with {CHECKPOINTS:,} checkpoints stored: {signing * 1000:.1f} ms"
        f" (reading them all and scanning the entries for chains, as before: {reading_all * 1000:.1f} ms)"
    )


class _NoKeys:
    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


def main() -> None:
    print(f"Logbook benchmark: {ENTRIES} entries, each its own durable transaction (fsync on commit).")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        bench("SQLite", url)
    base = os.environ.get("TOCSIN_TEST_POSTGRES_URL")
    if not base:
        print("PostgreSQL: skipped (set TOCSIN_TEST_POSTGRES_URL)")
        return
    name = f"tocsin_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
        migrate.upgrade(url)
        bench("PostgreSQL", url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
