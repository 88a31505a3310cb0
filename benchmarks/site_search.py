"""Site search benchmark: the sites page's search (``GET /api/v1/sites?q=``) over a large portfolio.

A scratch SQLite database (or ``--database-url``, migrated) gets one tenant with S sites spread over 20
clients, each site with a transmitter and two contacts, written with the repositories' bulk adds. Then
the service the route calls (``site_search.search_sites``, through the store's scoped read) answers Q
searches of each sort: a word of a name, a reference typed whole, an account number, a contact's name,
a city, and a word found nowhere; p50, p95 and the worst are printed per sort, for a whole-tenant reader
and for a reader scoped to one client, each "cold" (the folded texts dropped before every search, as
when alarms move the logbook's head between two keystrokes) and "kept" (nothing changed in between).
Figures are printed, never asserted.

    python benchmarks/site_search.py [--sites S] [--queries Q] [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Contact, Site
from tocsin.domain.tenancy import Client
from tocsin.services import site_search
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.site_search import search_sites
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing.hashing import FakeHasher

WORDS = ("Boulangerie", "Pharmacie", "Garage", "Entrepôt", "Agence", "Mairie", "École", "Cabinet", "Dépôt")
CITIES = ("Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire", "Écully", "Oullins", "Meyzieu")
NAMES = ("Martin", "Bernard", "Roussel", "Petit", "Durand", "Leroy", "Moreau", "Fournier", "Girard")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def build(store: SqlStore, sites: int) -> tuple[Scope, Scope]:
    """The tenant's portfolio; answers the whole-tenant scope and one client's."""
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    tenant = bus.handle(c.CreateTenant("bench", "Bench ARC"), scope=Scope.system(), actor="bench")
    scope = Scope.tenant(tenant.id)
    clock = SystemClock()
    clients = [Client(clock.new_id(), tenant.id, f"C{n:02d}", f"Client {n}") for n in range(20)]

    def write(uow: UnitOfWork) -> None:
        uow.clients.add_many(clients)
        rows = [
            Site(
                clock.new_id(),
                tenant.id,
                clients[n % 20].id,
                f"S{n:06d}",
                f"{WORDS[n % len(WORDS)]} {NAMES[n % len(NAMES)]} {n}",
                address=f"{n % 200 + 1} rue de la République",
                postcode=f"690{n % 10:02d}",
                city=CITIES[n % len(CITIES)],
            )
            for n in range(sites)
        ]
        uow.sites.add_many(rows)
        uow.accounts.add_many(
            [Account(clock.new_id(), tenant.id, s.id, f"{n + 4096:X}") for n, s in enumerate(rows)]
        )
        uow.contacts.add_many(
            [
                Contact(clock.new_id(), tenant.id, s.id, k + 1, f"{NAMES[(n + k) % len(NAMES)]} {n}-{k}")
                for n, s in enumerate(rows)
                for k in range(2)
            ]
        )

    store.write(write, scope)
    return scope, Scope(tenant.id, client_ids=frozenset({clients[0].id}))


def timed(store: SqlStore, scope: Scope, queries: list[str], cold: bool) -> tuple[list[float], int]:
    times, found = [], 0
    for q in queries:
        if cold:  # as in a busy room, where alarms move the logbook's head between two searches
            site_search._CACHE.clear()
            site_search.fold.cache_clear()
        started = time.perf_counter()
        hits = store.read(lambda uow, q=q: search_sites(uow, q, 20), scope)
        times.append(time.perf_counter() - started)
        found += bool(hits)
    return times, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        migrate.upgrade(url)
        store = SqlStore(url, SystemClock())
        try:
            started = time.perf_counter()
            whole, one_client = build(store, args.sites)
            print(f"{args.sites:,} sites, {args.sites:,} transmitters, {2 * args.sites:,} contacts written"
                  f" in {time.perf_counter() - started:.1f} s")  # fmt: skip
            rng = random.Random(7)
            n = args.queries
            sorts: dict[str, Callable[[], str]] = {
                "name word": lambda: (
                    f"{WORDS[rng.randrange(len(WORDS))].lower()} {rng.randrange(args.sites)}"
                ),
                "reference": lambda: f"S{rng.randrange(args.sites):06d}",
                "account": lambda: f"{rng.randrange(args.sites) + 4096:X}",
                "contact": lambda: f"{NAMES[rng.randrange(len(NAMES))]} {rng.randrange(args.sites)}-1",
                "city": lambda: rng.choice(CITIES).lower(),
                "nowhere": lambda: "zyxwvut",
            }
            for label, scope, cold in (
                ("whole tenant, cold", whole, True),
                ("whole tenant, kept", whole, False),
                ("one client, cold", one_client, True),
                ("one client, kept", one_client, False),
            ):
                for sort, make in sorts.items():
                    times, found = timed(store, scope, [make() for _ in range(n)], cold)
                    print(
                        f"{label:18} {sort:9}: p50 {percentile(times, 0.5) * 1000:6.1f} ms"
                        f"  p95 {percentile(times, 0.95) * 1000:6.1f} ms  worst {max(times) * 1000:6.1f} ms"
                        f"  ({found}/{n} found something)"
                    )
        finally:
            store.close()


if __name__ == "__main__":
    main()
