"""Site import benchmark: ``tocsin site import`` of a file of 10,000 sites, as a room moving in would.

A CSV is generated with S sites of one client (each with a transmitter, three zones and two contacts,
all on one shared schedule), and W of the contacts given a password and a duress word (hashed with
Argon2id, slow by design: they are timed on their own). Then the real command runs as its own process
on a scratch database that holds the tenant and the client:

1. ``--dry-run --json``: read, check and plan the whole file; nothing written;
2. the import itself: checked again, secrets hashed, written in one transaction with its entries;
3. the same file again: all unchanged, nothing written but the file's entry.

Each run's wall time is printed with the rates; the database is checked to hold every record. SQLite
always; PostgreSQL too when TOCSIN_TEST_POSTGRES_URL is set (a scratch database is created and dropped).
Figures are printed, never asserted.

    python benchmarks/site_import.py [--sites S] [--secrets W] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore, normalize_url
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.testing import FakeHasher

COLUMNS = [
    "record", "ref", "name", "client", "site", "address", "postcode", "city", "latitude", "longitude",
    "schedule", "windows", "holidays", "number", "receiver", "line", "test_seconds", "kind", "call_order",
    "phones", "role", "password", "duress_word",
]  # fmt: skip


def write_file(path: Path, sites: int, secrets: int) -> int:
    """The CSV; returns how many records it holds."""
    rows = [{"record": "schedule", "name": "Shops", "windows": "1-6 08:00-19:30", "holidays": "2026-12-25"}]
    for n in range(sites):
        ref = f"SITE-{n:06d}"
        rows.append(_site(n, ref))
        account = {"number": f"{0x100000 + n:X}", "receiver": "3", "line": "1", "test_seconds": "86400"}
        rows.append({"record": "account", "site": ref, **account})
        for zone, kind in (("1", "intrusion"), ("2", "intrusion"), ("3", "fire")):
            rows.append({"record": "zone", "site": ref, "number": zone, "name": f"Zone {zone}", "kind": kind})
        for order in (1, 2):
            secret = order == 1 and n < secrets
            rows.append(
                {
                    "record": "contact",
                    "site": ref,
                    "name": f"Keyholder {order}",
                    "call_order": str(order),
                    "phones": f"+33 6 {n:08d};+33 4 {order:08d}",
                    "password": f"heron {n}" if secret else "",
                    "duress_word": f"lantern {n}" if secret else "",
                }
            )
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _site(n: int, ref: str) -> dict[str, str]:
    return {
        "record": "site",
        "ref": ref,
        "name": f"Shop {n}",
        "client": "BIG",
        "address": f"{n} rue du Port",
        "postcode": "69007",
        "city": "Lyon",
        "latitude": f"{45.70 + n % 1000 / 10000:.4f}",
        "longitude": f"{4.80 + n // 1000 / 1000:.4f}",
        "schedule": "Shops",
    }


def prepare(url: str) -> None:
    migrate.upgrade(url)
    store = SqlStore(url, SystemClock())
    try:
        bus = MessageBus(store, Deps(hasher=FakeHasher()))
        tenant = bus.handle(c.CreateTenant("bench", "Bench ARC"), scope=Scope.system(), actor="bench")
        bus.handle(
            c.CreateClient(tenant.id, "BIG", "Big retail"), scope=Scope.tenant(tenant.id), actor="bench"
        )
    finally:
        store.close()


def run(url: str, var: Path, *args: str) -> tuple[float, dict[str, object]]:
    env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(var)}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "tocsin.cli", "site", "import", *args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"import failed: {out.stderr.strip()}")
    return elapsed, json.loads(out.stdout) if "--json" in args else {}


def stored(url: str) -> dict[str, int]:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return {
                t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one())  # noqa: S608 - our names
                for t in ("site", "account", "zone", "contact", "logbook_entry", "deadline")
            }
    finally:
        engine.dispose()


def bench(name: str, url: str, path: Path, records: int, sites: int, var: Path) -> None:  # noqa: PLR0917
    prepare(url)
    print(f"\n{name}: {sites:,} sites, {records:,} records")
    startup, _ = run(url, var, "--help")
    for label, args in (("dry run", ("--dry-run",)), ("import", ()), ("again (unchanged)", ())):
        elapsed, report = run(url, var, str(path), *args, "--tenant", "bench", "--json")
        counts: dict[str, dict[str, int]] = report["counts"]  # type: ignore[assignment]
        created = sum(k["created"] for k in counts.values())
        rates = f"{sites / elapsed:,.0f} sites/s, {records / elapsed:,.0f} records/s"
        print(f"  {label:<18} {elapsed:7.1f} s  ({rates}; {created:,} created)")
    print(f"  (a bare `tocsin --help` process: {startup:.1f} s)")
    print(f"  stored: {stored(url)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10_000)
    parser.add_argument("--secrets", type=int, default=20, help="contacts given a password and a duress word")
    parser.add_argument("--keep", type=Path, help="keep the generated file and SQLite database here")
    options = parser.parse_args()
    work = Path(options.keep or tempfile.mkdtemp(prefix="tocsin-import-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "sites.csv"
    records = write_file(path, options.sites, options.secrets)
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB, {options.secrets} contacts with secrets (x2 hashes)")
    bench("SQLite", f"sqlite:///{work / 'import.db'}", path, records, options.sites, work / "var")
    base = os.environ.get("TOCSIN_TEST_POSTGRES_URL")
    if base:
        name = f"tocsin_import_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
            bench("PostgreSQL", url, path, records, options.sites, work / "var")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
