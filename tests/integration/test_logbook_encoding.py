"""Entries stored before the JSON columns were written as canonical text still verify, next to new ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import clone_postgres, migrated_sqlite
from tocsin.adapters.store.database import SqlStore, normalize_url
from tocsin.domain.logbook import NewEntry
from tocsin.domain.scope import Scope
from tocsin.services import logbook
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock

DATA = {"code": "130", "zone": "007", "label_fr": "Intrusion é", "restore": False}


class NoKeys:
    """No checkpoint is signed here."""

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[SqlStore]:  # type: ignore[no-untyped-def]
    """An empty store of each kind."""
    if request.param == "sqlite":
        url = migrated_sqlite(tmp_path / "tocsin.db")
        drop = None
    else:
        url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    sql = SqlStore(url, FakeClock())
    yield sql
    sql.close()
    if drop is not None:
        drop()


def _new(n: int) -> NewEntry:
    return NewEntry(kind="note", message="logbook.note", actor="op", tenant_id=None, params=DATA, data=DATA)


def _written_the_old_way(uow: UnitOfWork) -> None:
    """As the logbook wrote entries before: the store serializes params, subjects and data itself."""
    head = uow.logbook.lock_head("system")
    entries, _texts = logbook._chain_all(uow.clock, head, [_new(n) for n in range(3)])
    uow.logbook.append_many(entries)


def test_entries_in_the_previous_encoding_verify_with_new_ones(store: SqlStore) -> None:
    """Old rows (spaced JSON) and new rows (canonical text) in one chain verify without a breach."""
    system = Scope.system()
    store.write(_written_the_old_way, system)
    news = [_new(n) for n in range(3)]
    prepared = store.read(lambda uow: logbook.prepare(uow.logbook, uow.clock, news), system)
    store.write(lambda uow: uow.record_prepared(prepared), system)
    reports = store.read(lambda uow: logbook.verify_all(uow.logbook, NoKeys()), system)
    assert [(r.chain, r.entries, r.breach) for r in reports] == [("system", 6, None)]
    engine = create_engine(normalize_url(store.url))
    with engine.connect() as conn:
        stored = [
            r[0] for r in conn.execute(text("SELECT CAST(data AS TEXT) FROM logbook_entry ORDER BY seq"))
        ]
    engine.dispose()
    assert [('": "' in s) for s in stored] == [True] * 3 + [False] * 3
