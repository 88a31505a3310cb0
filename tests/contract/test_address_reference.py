"""The address table's writes and streamed read behave the same in memory, on SQLite and on PostgreSQL:
upserts by id say what they added and updated, the revision counts the changes, a failed transaction
changes nothing."""

from __future__ import annotations

import pytest

from tests.contract.support import Backend
from tocsin.domain.geo import Address
from tocsin.services.unit_of_work import UnitOfWork

LILAS = Address(2**62 + 5, "3", "rue des Lilas", "45000", "Orléans", 47.9, 1.9)
GARE = Address(7, "12 bis", "avenue de la Gare", "45000", "Orléans", 47.91, 1.91)


def test_upserts_count_what_they_add_and_update(backend: Backend) -> None:
    """A new id is added, a known one updated; the read streams them in id order."""
    assert backend.read(lambda uow: (uow.geo.address_revision(), list(uow.geo.addresses()))) == (0, [])
    assert backend.write(lambda uow: uow.geo.put_addresses([LILAS, GARE])) == (2, 0)
    moved = Address(GARE.id, "12 bis", "avenue de la Gare", "45000", "Orléans", 47.92, 1.92)
    assert backend.write(lambda uow: uow.geo.put_addresses([moved])) == (0, 1)
    assert backend.read(lambda uow: list(uow.geo.addresses())) == [moved, LILAS]


def test_the_revision_counts_changes(backend: Backend) -> None:
    """Each recorded change moves the revision by one, from 0."""
    assert [backend.write(lambda uow: uow.geo.addresses_changed(backend.clock.now())) for _ in range(3)] == [
        1,
        2,
        3,
    ]
    assert backend.read(lambda uow: uow.geo.address_revision()) == 3


def test_a_failed_transaction_leaves_the_table_as_it_was(backend: Backend) -> None:
    """Addresses written in a transaction that fails are not there afterwards."""

    def fail(uow: UnitOfWork) -> None:
        uow.geo.put_addresses([LILAS])
        uow.geo.addresses_changed(backend.clock.now())
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        backend.write(fail)
    assert backend.read(lambda uow: (uow.geo.address_revision(), list(uow.geo.addresses()))) == (0, [])
