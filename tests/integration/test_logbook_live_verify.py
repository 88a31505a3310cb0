"""Verifying a live logbook: a writer appending meanwhile never makes verify report a breach."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import clone_postgres, migrated_sqlite
from tocsin.adapters.signing import Ed25519Signer, Ed25519Verifier
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.logbook import NewEntry
from tocsin.domain.scope import Scope
from tocsin.services import logbook
from tocsin.testing import FakeClock

SIGNER = Ed25519Signer(Ed25519PrivateKey.generate())
VERIFIER = Ed25519Verifier([SIGNER.public_key])
ROUNDS = 40


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live_store(request: pytest.FixtureRequest, tmp_path) -> Iterator[SqlStore]:  # type: ignore[no-untyped-def]
    """A fresh database of its own, with a store on it."""
    if request.param == "sqlite":
        url = migrated_sqlite(tmp_path / "tocsin.db")
        drop = None
    else:
        url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    store = SqlStore(url, FakeClock())
    yield store
    store.close()
    if drop is not None:
        drop()  # type: ignore[operator]


def _note(index: int) -> NewEntry:
    return NewEntry(kind="test", message="test.note", actor="writer", tenant_id=None, data={"i": index})


def _writer(store: SqlStore, stop: threading.Event, errors: list[BaseException]) -> None:
    index = 0
    try:
        while not stop.is_set():
            batch = [_note(index + k) for k in range(3)]
            store.write(lambda uow, b=batch: [uow.note(n) for n in b], Scope.system())  # type: ignore[misc]
            index += 3
            if index % 30 == 0:
                store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    except BaseException as exc:
        errors.append(exc)


def test_verify_while_a_writer_appends_never_reports_a_false_breach(live_store: SqlStore) -> None:
    """Each verify reads one snapshot: what a writer commits meanwhile never looks like a breach."""
    live_store.write(lambda uow: uow.note(_note(-1)), Scope.system())
    live_store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    stop, errors = threading.Event(), list[BaseException]()
    writer = threading.Thread(target=_writer, args=(live_store, stop, errors), daemon=True)
    writer.start()
    seen: list[int] = []
    try:
        for _ in range(ROUNDS):
            reports = live_store.read(lambda uow: logbook.verify_all(uow.logbook, VERIFIER), Scope.system())
            assert [str(r.breach) for r in reports if r.breach is not None] == []
            seen.append(sum(r.entries for r in reports))
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not errors
    assert seen[-1] > seen[0], "the writer did not append while verify ran"
