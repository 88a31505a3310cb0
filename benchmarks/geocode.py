"""Geocoding benchmark: a département's worth of BAN addresses, imported, indexed and searched.

1. Generate a BAN-like ``adresses-45.csv`` of N addresses (the real header; communes of tens to hundreds
   of streets; French street names; numbers with ``bis``), streamed to a scratch folder.
2. Import it into a scratch SQLite database (or ``--database-url``) as ``tocsin geo import-ban`` does:
   a checking pass, then upserts in batches of 5,000; then import it again (every row updated).
3. Build the geocoder's index from the table (the service's own path: one streamed read), timed; its
   memory measured twice: the process's resident size before and after, and tracemalloc's count of the
   index's own allocations.
4. Query it through the service (``Geocoder.search``): Q typo'd queries (a typo in the longest word, no
   accents, abbreviations, number last, the town or its postcode) and Q clean ones ("12 rue X, Town"),
   p50/p95/p99 and top-1 (the right label first); then Q reverse look-ups of random points.

Figures are printed, never asserted.

    python benchmarks/geocode.py [--addresses N] [--queries Q] [--database-url URL] [--reuse FOLDER]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.geo.address_index import build_index
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.geo import Address
from tocsin.protocols.ban import read_ban
from tocsin.services.address_import import import_ban
from tocsin.services.geocoding import Geocoder
from tocsin.testing.addresses import ban_lines, typed_query


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def resident_mib() -> float:
    """The process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def sample(path: Path, every: int) -> list[Address]:
    """One address in ``every`` of the file, to ask for."""
    with path.open(encoding="utf-8") as handle:
        records = [r for i, r in enumerate(read_ban(handle)) if r is not None and i % every == 0]
    return [Address(r.id, r.number, r.street, r.postcode, r.city, r.latitude, r.longitude) for r in records]


def timed_queries(
    geocoder: Geocoder, queries: list[tuple[str, str]]
) -> tuple[list[float], list[float], float]:
    """Each query's wall and CPU time in ms, and the share whose first candidate has the wanted label."""
    wall, cpu, right = [], [], 0
    for text, label in queries:
        started, spent = time.perf_counter(), time.thread_time()
        found = geocoder.search(text, 5).candidates
        cpu.append((time.thread_time() - spent) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        right += bool(found) and found[0].label == label
    return wall, cpu, right / len(queries)


def line(name: str, times: list[float], extra: str = "") -> None:
    p50, p95, p99 = (percentile(times, s) for s in (0.50, 0.95, 0.99))
    figures = f"p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   p99 {p99:6.2f} ms   max {max(times):6.1f} ms"
    print(f"  {name:<26} {figures}{extra}")


def generate(folder: Path, count: int) -> Path:
    csv = folder / "adresses-45.csv"
    started = time.perf_counter()
    with csv.open("w", encoding="utf-8") as out:
        out.writelines(ban_lines(count, seed=45))
    seconds = time.perf_counter() - started
    print(f"generated {count:,} addresses: {csv.stat().st_size / 2**20:.1f} MiB in {seconds:.1f} s")
    return csv


def imports(store: SqlStore, clock: SystemClock, csv: Path) -> None:
    def lines() -> Iterator[str]:
        with csv.open(encoding="utf-8") as handle:
            yield from handle

    for run in ("first import", "re-import"):
        started, spent = time.perf_counter(), time.process_time()
        summary = import_ban(store, clock, csv.name, lines)
        seconds, cpu = time.perf_counter() - started, time.process_time() - spent
        print(
            f"{run}: {summary.added:,} added, {summary.updated:,} updated in {seconds:.1f} s, {cpu:.1f} s of"
            f" CPU ({summary.addresses / seconds:,.0f} addresses/s, both passes)"
        )


def index_figures(geocoder: Geocoder, csv: Path) -> None:
    gc.collect()
    before = resident_mib()
    started, spent = time.perf_counter(), time.process_time()
    count = geocoder.refresh()
    build, cpu = time.perf_counter() - started, time.process_time() - spent
    gc.collect()
    print(
        f"index from the table: {count:,} addresses in {build:.1f} s, {cpu:.1f} s of CPU (one streamed read"
        f" and the build); resident memory +{resident_mib() - before:.0f} MiB"
    )
    every = sample(csv, 1)  # the same addresses, read before tracing starts
    tracemalloc.start()
    started = time.perf_counter()
    rebuilt = build_index(iter(every))
    build = time.perf_counter() - started
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"index alone: {len(rebuilt.streets):,} streets, {len(rebuilt.vocabulary):,} words; built in"
        f" {build:.1f} s under tracemalloc; {current / 2**20:.0f} MiB kept, {peak / 2**20:.0f} MiB peak"
    )


def query_figures(geocoder: Geocoder, csv: Path, count: int) -> None:
    rng = random.Random(7)
    asked = rng.sample(sample(csv, 10), count)
    typo = []
    for address in asked:
        text = typed_query(rng, address).text
        named = (address.postcode, address.city, address.city.split("-")[0])
        if not any(name in text for name in named):
            text += f" {address.city}"  # a département has many rue Victor Hugo: a caller names the town
        typo.append((text, f"{address.number} {address.street}, {address.postcode} {address.city}"))
    clean = [
        (f"{a.number} {a.street}, {a.city}", f"{a.number} {a.street}, {a.postcode} {a.city}") for a in asked
    ]
    print(f"{count:,} queries of each kind (service path, one thread; wall clock, then CPU time):")
    for name, queries in (("typo'd", typo), ("clean", clean)):
        wall, cpu, top1 = timed_queries(geocoder, queries)
        line(f"{name}, wall", wall, f"   top-1 {top1:.1%}")
        line(f"{name}, CPU", cpu)
    points = [(rng.uniform(47.4, 48.4), rng.uniform(1.4, 3.0)) for _ in range(count)]
    wall, cpu = [], []
    for lat, lon in points:
        started, spent = time.perf_counter(), time.thread_time()
        geocoder.reverse(lat, lon, 5)
        cpu.append((time.thread_time() - spent) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    line("reverse (5 nearest), wall", wall)
    line("reverse (5 nearest), CPU", cpu)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--addresses", type=int, default=400_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--reuse", type=Path, help="a scratch folder of an earlier run: measure the index only"
    )
    args = parser.parse_args()
    folder = args.reuse or Path(tempfile.mkdtemp(prefix="tocsin-geocode-"))
    csv = folder / "adresses-45.csv" if args.reuse else generate(folder, args.addresses)
    url = args.database_url or f"sqlite:///{folder / 'tocsin.db'}"
    migrate.upgrade(url)
    clock = SystemClock()
    store = SqlStore(url, clock)
    try:
        if not args.reuse:
            imports(store, clock, csv)
        geocoder = Geocoder(store, build_index, clock)
        index_figures(geocoder, csv)
        query_figures(geocoder, csv, args.queries)
    finally:
        store.close()
    print(f"load average at the end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"scratch folder: {folder} (delete it when done)", file=sys.stderr)


if __name__ == "__main__":
    main()
