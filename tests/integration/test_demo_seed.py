"""`tocsin demo seed` on real databases: the room, its streets, its logbook, and never twice."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Connection

from tests.conftest import clone_postgres, migrated_sqlite
from tocsin.adapters.store import geo_store
from tocsin.adapters.store.database import create_db_engine
from tocsin.bootstrap import Node, bootstrap, demo_seeder
from tocsin.config import Settings
from tocsin.demo.plan import DemoPlan, plan_demo
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.domain.sites import normalize_spoken_word
from tocsin.services.demo import DemoAlreadySeeded, DemoSummary
from tocsin.services.logbook import verify_all
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore

SEED = 7
R = TypeVar("R")


@dataclass
class Seeded:
    """A node whose database holds the demo room of ``SEED``, and the plan it was drawn from."""

    node: Node
    url: str
    summary: DemoSummary
    plan: DemoPlan


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database of each kind, for this module only."""
    if request.param == "sqlite":
        url = migrated_sqlite(tmp_path_factory.mktemp("demo") / "tocsin.db")
        yield url
        return
    url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    yield url
    drop()  # type: ignore[operator]


@pytest.fixture(scope="module")
def seeded(empty_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """The demo room seeded once per database, with the fast test hasher."""
    settings = Settings(database_url=empty_db, var_dir=tmp_path_factory.mktemp("var"))
    node = bootstrap(settings, hasher=FakeHasher(), clock=FakeClock())
    try:
        yield Seeded(node, empty_db, demo_seeder(node)(SEED), plan_demo(SEED))
    finally:
        node.close()


def _read(seeded: Seeded, fn: Callable[[UnitOfWork], R]) -> R:
    scope = Scope.tenant(seeded.summary.tenant_id)
    return seeded.node.store.read(fn, scope)


def _geo(seeded: Seeded, fn: Callable[[Connection], R]) -> R:
    engine = create_db_engine(seeded.url, writer=False)
    try:
        with engine.connect() as connection:
            return fn(connection)
    finally:
        engine.dispose()


def _sizes(uow: UnitOfWork) -> dict[str, int]:
    return {
        "clients": len(uow.clients.find()),
        "sites": len(uow.sites.find()),
        "transmitters": len(uow.accounts.find()),
        "zones": len(uow.zones.find()),
        "contacts": len(uow.contacts.find()),
        "schedules": len(uow.schedules.find()),
        "units": len(uow.units.find()),
        "partners": len(uow.partners.find()),
        "notification matrices": len({p.tenant_id for p in uow.partners.find()} & _with_rules(uow)),
        "cameras": len(uow.cameras.find()),
    }


def _with_rules(uow: UnitOfWork) -> set[Any]:
    """The tenants whose notification matrix has rules."""
    return {t.id for t in uow.tenants.find() if uow.liaison.matrix(t.id).rules}


def test_the_room_is_in_the_store(seeded: Seeded) -> None:
    """Every client, site, transmitter, zone, contact, schedule, unit, partner and camera of the plan is
    stored."""
    plan = seeded.plan
    assert _read(seeded, _sizes) == seeded.summary.counts
    assert seeded.summary.counts["sites"] == len(plan.sites) >= 150
    accounts = _read(seeded, lambda uow: uow.accounts.find())
    assert {(a.receiver, a.line) for a in accounts} == {("1", "1")}
    assert sorted(a.number for a in accounts) == sorted(s.account_number for s in plan.sites)
    sites = _read(seeded, lambda uow: uow.sites.find())
    assert all(s.schedule_id is not None and s.city == plan.town.name for s in sites)


def test_the_units_have_crews_and_the_unit_login_reports_for_ronde_11(seeded: Seeded) -> None:
    """Each demo unit has a crew and its type's equipment; the ``unit`` user is linked to Ronde 11."""
    units = {x.callsign: x for x in _read(seeded, lambda uow: uow.units.find())}
    assert all(x.crew > 0 and x.equipment for x in units.values())
    (crew,) = _read(seeded, lambda uow: uow.users.find(username="unit"))
    assert crew.unit_id == units["Ronde 11"].id


def test_the_town_is_in_the_geographic_reference(seeded: Seeded) -> None:
    """Nodes, segments and addresses are stored, and each site's address is found by searching it."""
    town = seeded.plan.town
    assert _geo(seeded, geo_store.count_addresses) == len(town.addresses)
    assert _geo(seeded, geo_store.count_road_network) == (len(town.nodes), len(town.segments))
    for site in seeded.plan.sites[::15]:
        found = _geo(seeded, lambda c, s=site: geo_store.search_addresses(c, f"{s.address} {town.postcode}"))
        assert site.address_id in {a.id for a in found}
    accented = _geo(seeded, lambda c: geo_store.search_addresses(c, "VALMONT sur loire", limit=5))
    assert len(accented) == 5
    assert _geo(seeded, lambda c: geo_store.search_addresses(c, "100%_ rue")) == []


def test_the_logbook_records_every_record_and_holds(seeded: Seeded) -> None:
    """One entry for the tenant and one per record, in a chain that verifies."""
    scope = Scope.tenant(seeded.summary.tenant_id)
    entries = _read(seeded, lambda uow: list(uow.logbook.read(scope)))
    assert len(entries) == 1 + sum(seeded.summary.counts.values()) + 2 * len(seeded.summary.users)
    assert {e.actor for e in entries} == {"demo"}
    reports = seeded.node.store.read(lambda uow: verify_all(uow.logbook, _NoKeys()), Scope.system())
    assert reports
    assert all(r.breach is None for r in reports)


def test_spoken_passwords_are_stored_hashed(seeded: Seeded) -> None:
    """The first contact's password and duress word verify against their hashes; no clear text is kept."""
    contacts = _read(seeded, lambda uow: uow.contacts.find(call_order=1))
    sites = {s.id: s.ref for s in _read(seeded, lambda uow: uow.sites.find())}
    planned = {s.ref: s.contacts[0] for s in seeded.plan.sites}
    hasher = seeded.node.hasher
    for contact in contacts[:20]:
        plan = planned[sites[contact.site_id]]
        assert plan.password
        assert plan.duress_word
        assert contact.password_hash
        assert contact.duress_hash
        assert plan.password not in contact.password_hash
        assert hasher.verify(contact.password_hash, normalize_spoken_word(plan.password))
        assert hasher.verify(contact.duress_hash, normalize_spoken_word(plan.duress_word))


def test_a_second_seed_is_refused_and_changes_nothing(seeded: Seeded) -> None:
    """Seeding again names the problem and the way out, and writes nothing, streets included."""

    def snapshot() -> tuple[Any, ...]:
        scope = Scope.system()
        entries = seeded.node.store.read(lambda uow: sum(1 for _ in uow.logbook.read(scope)), scope)
        tenants = seeded.node.store.read(lambda uow: len(uow.tenants.find()), scope)
        return entries, tenants, _read(seeded, _sizes), _geo(seeded, geo_store.count_addresses)

    before = snapshot()
    with pytest.raises(DemoAlreadySeeded, match=r"already seeded.*tocsin db upgrade"):
        demo_seeder(seeded.node)(SEED + 1)
    assert snapshot() == before


def test_the_command_seeds_then_refuses(sqlite_url: str, tmp_path: Path) -> None:
    """`tocsin demo seed` prints the counts, then exits 2 with one line when run again (0 if asked)."""
    env = {**os.environ, "TOCSIN_DATABASE_URL": sqlite_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tocsin.cli", "demo", "seed", "--seed", str(SEED), *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    first = run()
    assert first.returncode == 0, first.stderr
    assert f"{len(plan_demo(SEED).sites)} sites" in first.stdout
    assert "addresses" in first.stdout
    second = run()
    assert second.returncode == 2
    assert second.stderr.startswith("error: The demo room is already seeded")
    assert len(second.stderr.strip().splitlines()) == 1
    tolerant = run("--if-absent")
    assert tolerant.returncode == 0, tolerant.stderr
    assert "already seeded" in tolerant.stdout


class _NoKeys:
    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


def test_the_demo_needs_a_sql_database(tmp_path: Path) -> None:
    """A node on the in-memory store is told the demo room is written to SQLite or PostgreSQL."""
    node = bootstrap(Settings(var_dir=tmp_path), store=InMemoryStore(FakeClock()), hasher=FakeHasher())
    with pytest.raises(InvalidInput, match="SQLite or PostgreSQL"):
        demo_seeder(node)
