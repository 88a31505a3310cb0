"""Migrations: from empty on both databases, idempotent, and clear refusals on bad states."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore, create_db_engine, normalize_url
from tocsin.domain.errors import StoreUnavailable
from tocsin.testing import FakeClock

CORE_TABLES = {
    "tenant",
    "client",
    "site",
    "account",
    "zone",
    "contact",
    "schedule",
    "unit",
    "partner",
    "logbook_entry",
    "logbook_chain",
    "logbook_checkpoint",
    "deadline",
}


def test_upgrade_from_empty_creates_the_core_schema(db_url: str) -> None:
    """A migrated database has every core table and is at the head revision."""
    engine = create_db_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= CORE_TABLES
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_upgrade_twice_changes_nothing(db_url: str) -> None:
    """Running the upgrade again reports the same revision before and after."""
    before, after = migrate.upgrade(db_url)
    assert before == after == migrate.head_revision()


def test_sqlite_is_in_wal_mode_with_full_sync(sqlite_url: str) -> None:
    """The embedded database runs with a write-ahead log and full fsync."""
    engine = create_db_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        engine.dispose()


def test_an_unmigrated_database_is_refused_with_the_way_out(tmp_path: Path) -> None:
    """Opening a database with no schema says to run `tocsin db upgrade`."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    store = SqlStore(url, FakeClock())
    try:
        with pytest.raises(StoreUnavailable, match="tocsin db upgrade"):
            migrate.check_ready(store.write_engine, url)
    finally:
        store.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    """An unknown revision is named, and nothing is migrated over it."""
    url = f"sqlite:///{tmp_path / 'future.db'}"
    migrate.upgrade(url)
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreUnavailable, match=r"9999.*newer version"):
        migrate.upgrade(url)


def test_an_unreachable_database_is_one_clear_error() -> None:
    """A PostgreSQL server that does not answer gives a sentence naming the URL, not a trace."""
    url = "postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=2"
    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1:1/nowhere.* cannot be used"):
        migrate.upgrade(url)


def test_an_unsupported_url_is_refused() -> None:
    """Only SQLite and PostgreSQL are accepted."""
    with pytest.raises(StoreUnavailable, match="SQLite or PostgreSQL"):
        normalize_url("mysql://root@localhost/test")


def test_timestamps_come_back_timezone_aware(sql_store: SqlStore) -> None:
    """Times read back from either database are aware UTC, equal to what was written."""
    from tests.integration.helpers import make_room  # noqa: PLC0415
    from tocsin.domain.scope import Scope  # noqa: PLC0415

    room = make_room(sql_store)
    entries = sql_store.read(lambda uow: list(uow.logbook.read(Scope.tenant(room.tenant_id))), Scope.system())
    assert entries
    assert all(e.recorded_at.utcoffset() is not None for e in entries)
    assert entries[0].recorded_at == sql_store.clock.now()


def _to_revision(url: str, revision: str, *, down: bool) -> None:
    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415

    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(migrate.MIGRATIONS))
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


def test_0006_refuses_a_transmitter_declared_in_two_tenants_then_makes_the_identity_unique(
    fresh_db_url: str,
) -> None:
    """Back at 0005 two tenants may hold R1 L1 #1234: the upgrade stops, naming it and the way out, and
    changes nothing; once one is renumbered it passes, and the identity is then unique across tenants
    while each account says whether it allows cleartext (no, for those that were there)."""
    from sqlalchemy import insert  # noqa: PLC0415
    from sqlalchemy.exc import IntegrityError  # noqa: PLC0415

    from tocsin.adapters.store.rows import AccountRow, ClientRow, SiteRow, TenantRow  # noqa: PLC0415
    from tocsin.domain.errors import Conflict  # noqa: PLC0415

    _to_revision(fresh_db_url, "0005", down=True)
    engine = create_db_engine(fresh_db_url)
    ids = [uuid.uuid4() for _ in range(8)]
    with engine.begin() as conn:
        for n in range(2):
            tenant, client, site, account = ids[4 * n : 4 * n + 4]
            conn.execute(insert(TenantRow).values(id=tenant, ref=f"t{n}{tenant.hex[:6]}", name="T"))
            conn.execute(insert(ClientRow).values(id=client, tenant_id=tenant, ref="C", name="C"))
            conn.execute(
                insert(SiteRow).values(
                    id=site,
                    tenant_id=tenant,
                    client_id=client,
                    ref="S",
                    name="S",
                    address="",
                    postcode="",
                    city="",
                    time_zone="UTC",
                    notes="",
                )
            )
            conn.execute(
                insert(AccountRow).values(
                    id=account,
                    tenant_id=tenant,
                    site_id=site,
                    number="1234",
                    receiver="1",
                    line="1",
                    protocol_options={},
                )
            )
    with pytest.raises(Conflict, match=r"R1 L1 #1234 .*more than one tenant.*tocsin db upgrade"):
        migrate.upgrade(fresh_db_url)
    assert migrate.current_revision(engine) == "0005"
    with engine.begin() as conn:
        conn.execute(text("UPDATE account SET line = '2' WHERE id = :id"), {"id": ids[7].hex})
    migrate.upgrade(fresh_db_url)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT allow_cleartext FROM account")).scalars().all() == [False, False]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE account SET line = '1'"))
    engine.dispose()
