"""Shared fixtures: fake time, databases (SQLite always; PostgreSQL from a migrated template)."""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import structlog
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore, normalize_url
from tocsin.testing import FakeClock

POSTGRES_ENV = "TOCSIN_TEST_POSTGRES_URL"


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock starting on a Monday morning."""
    return FakeClock()


def _admin_engine(url: str):  # type: ignore[no-untyped-def]
    return create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A database migrated once; each test module clones it (CREATE DATABASE … TEMPLATE)."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} must be set in CI: PostgreSQL tests cannot be skipped there.")
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    name = f"tocsin_tpl_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def clone_postgres(template_url: str) -> tuple[str, object]:
    """A fresh database cloned from the template; returns its URL and a dropper."""
    template = make_url(template_url)
    name = f"tocsin_t_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine(template.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return template.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="module")
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A migrated PostgreSQL database for this test module."""
    url, drop = clone_postgres(postgres_template)
    yield url
    drop()  # type: ignore[operator]


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """Logging as it was before each test: a test that runs the CLI's entry point in this process (click's
    CliRunner) configures structlog and the root logger for the whole process, and a filtering level
    left behind hides the events a later test captures (``structlog.testing.capture_logs``)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configured, config = structlog.is_configured(), structlog.get_config()
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    if configured:
        structlog.configure(**config)
    else:
        structlog.reset_defaults()


_sqlite_template: list[Path] = []  # the migrated SQLite file of this test process, made on first use


def migrated_sqlite(path: Path) -> str:
    """A migrated SQLite database at ``path`` (a copy of one migrated once per test process: running
    the migrations takes about a second, a copy a millisecond); its URL. test_migrations.py runs them."""
    if not _sqlite_template:
        folder = Path(tempfile.mkdtemp(prefix="tocsin-sqlite-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        migrate.upgrade(f"sqlite:///{folder / 'template.db'}")
        _sqlite_template.append(folder / "template.db")
    path.parent.mkdir(parents=True, exist_ok=True)  # as migrating a new file's URL would have made it
    with closing(sqlite3.connect(_sqlite_template[0])) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)  # consistent whatever the template's journal holds
    return f"sqlite:///{path}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database file for this test."""
    return migrated_sqlite(tmp_path / "tocsin.db")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated database of each kind Tocsin supports."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sql_store(db_url: str, clock: FakeClock) -> Iterator[SqlStore]:
    """A SQL store on each database kind, driven by the fake clock."""
    store = SqlStore(db_url, clock)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of each kind, of this test's own (a PostgreSQL clone per test)."""
    if request.param == "sqlite":
        yield migrated_sqlite(tmp_path / "fresh.db")
        return
    url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    yield url
    drop()  # type: ignore[operator]
