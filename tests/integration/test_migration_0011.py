"""Migration 0011 (the levée de doute's tables and each alarm's AVS-01 score) goes down to 0009 and up
again on SQLite and PostgreSQL, keeping the alarms."""

from __future__ import annotations

import importlib

import sqlalchemy as sa

from tests.integration.test_migrations import _to_revision
from tocsin.adapters.store.database import create_db_engine

TABLES = {"alarm_verification", "alarm_dispatch", "alarm_request"}
BEFORE = importlib.import_module(
    "tocsin.adapters.store.migrations.versions.0011_alarm_verification"
).down_revision


def _shape(url: str) -> tuple[set[str], set[str]]:
    engine = create_db_engine(url)
    try:
        inspector = sa.inspect(engine)
        return set(inspector.get_table_names()), {c["name"] for c in inspector.get_columns("alarm")}
    finally:
        engine.dispose()


def test_0011_goes_down_and_up_again(fresh_db_url: str) -> None:
    """Down to the revision before drops the three tables and the score column; up again brings them back."""
    tables, columns = _shape(fresh_db_url)
    assert tables >= TABLES
    assert "avs_score" in columns
    _to_revision(fresh_db_url, BEFORE, down=True)
    tables, columns = _shape(fresh_db_url)
    assert not tables & TABLES
    assert "avs_score" not in columns
    assert "alarm" in tables
    _to_revision(fresh_db_url, "head", down=False)
    tables, columns = _shape(fresh_db_url)
    assert tables >= TABLES
    assert "avs_score" in columns
