"""One fixture, three stores: every contract test runs on the in-memory twin, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import clone_postgres, migrated_sqlite
from tests.contract.support import Backend, World, build_world
from tocsin.adapters.store.database import SqlStore
from tocsin.testing import FakeClock, InMemoryStore


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """A fresh, empty store of each kind, with a fake clock."""
    clock = FakeClock()
    if request.param == "memory":
        memory = Backend("memory", InMemoryStore(clock), clock)
        yield memory
        memory.store.close()
        return
    if request.param == "postgres":
        url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
        pg = Backend("postgres", SqlStore(url, clock), clock, url=url)
        yield pg
        pg.store.close()
        drop()  # type: ignore[operator]
        return
    path = tmp_path / "tocsin.db"
    url = migrated_sqlite(path)
    sql = Backend("sqlite", SqlStore(url, clock), clock, path)
    yield sql
    sql.store.close()


@pytest.fixture
def world(backend: Backend) -> World:
    """The two-tenant world, stored in the backend."""
    return build_world(backend)
