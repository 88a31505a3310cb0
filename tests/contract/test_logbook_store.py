"""The logbook store chains, keeps and filters entries the same way in memory and in SQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from tests.contract.support import SYSTEM, Backend
from tocsin.domain.logbook import (
    GENESIS_HASH,
    SYSTEM_CHAIN,
    ChainHead,
    Checkpoint,
    LogbookEntry,
    NewEntry,
    SubjectRef,
    chain_for,
)
from tocsin.domain.scope import Scope
from tocsin.services import logbook
from tocsin.services.unit_of_work import UnitOfWork


def note(
    backend: Backend,
    tenant_id: UUID | None,
    *,
    client_id: UUID | None = None,
    site_id: UUID | None = None,
    kind: str = "test.note",
) -> LogbookEntry:
    """Append one entry through the unit of work, in its own transaction."""
    entry = NewEntry(kind, kind, "operator:alice", tenant_id, client_id=client_id, site_id=site_id)
    return backend.write(lambda uow: uow.note(entry))


def read(backend: Backend, scope: Scope = SYSTEM, **options: Any) -> list[LogbookEntry]:
    """The entries ``scope`` reads with the given filters."""
    return backend.read(lambda uow: list(uow.logbook.read(scope, **options)))


def chains(backend: Backend) -> list[ChainHead]:
    """Every chain head the store reports."""
    return backend.read(lambda uow: uow.logbook.chains())


def stored(backend: Backend, chain: str, after_seq: int = 0) -> list[LogbookEntry]:
    """A chain's stored entries after ``after_seq``."""
    return backend.read(lambda uow: list(uow.logbook.entries(chain, after_seq)))


class AcceptAll:
    """A signature verifier for chains without checkpoints (it is never asked)."""

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        """Accept every signature."""
        return True


# ---------------------------------------------------------------- heads and appending


def test_lock_head_creates_an_empty_head(backend: Backend) -> None:
    """Locking a new chain's head creates it empty (sequence 0, genesis hash), and it is listed."""
    head = backend.write(lambda uow: uow.logbook.lock_head("tenant:new"))
    assert head == ChainHead("tenant:new", 0, GENESIS_HASH)
    assert chains(backend) == [head]


def test_a_rolled_back_lock_creates_no_chain(backend: Backend) -> None:
    """A head created in a transaction that fails is not kept."""

    def lock_then_fail(uow: UnitOfWork) -> None:
        uow.logbook.lock_head("tenant:new")
        raise LookupError("abandon")

    with pytest.raises(LookupError):
        backend.write(lock_then_fail)
    assert chains(backend) == []


def test_append_moves_the_head_and_chains_hashes(backend: Backend) -> None:
    """Each entry follows the previous one's hash and sequence; the head tracks the last one."""
    tenant = backend.clock.new_id()
    first, second, third = (note(backend, tenant) for _ in range(3))
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert chains(backend) == [ChainHead(chain_for(tenant), 3, third.hash)]
    assert stored(backend, chain_for(tenant)) == [first, second, third]
    assert stored(backend, chain_for(tenant), after_seq=1) == [second, third]
    assert stored(backend, chain_for(tenant), after_seq=3) == []
    assert stored(backend, "tenant:unknown") == []


def test_entries_come_back_exactly_as_written(backend: Backend) -> None:
    """Every field of an entry survives storage, so its hash still verifies."""
    tenant, client, site = (backend.clock.new_id() for _ in range(3))
    entry = NewEntry(
        "alarm.received",
        "alarm.received",
        "receiver:dc09",
        tenant,
        params={"zone": "12", "nested": {"list": [1, 2.5, None, "é"]}},
        subjects=(SubjectRef("site", str(site)), SubjectRef("alarm", "A-1")),
        client_id=client,
        site_id=site,
        data={"raw": "#1234|NBA12", "flags": [True, False]},
        occurred_at=backend.clock.now() - timedelta(seconds=3, microseconds=250),
    )
    written = backend.write(lambda uow: uow.note(entry))
    backend.clock.advance(1)
    later = note(backend, tenant)
    assert stored(backend, chain_for(tenant)) == [written, later]
    head = chains(backend)[0]
    report = logbook.verify_chain(head, stored(backend, head.chain), [], AcceptAll())
    assert report.breach is None
    assert report.entries == 2


def test_append_out_of_sequence_is_refused(backend: Backend) -> None:
    """Appending an entry that does not follow the locked head raises and stores nothing."""
    good = note(backend, None)

    def skip_ahead(uow: UnitOfWork) -> None:
        head = uow.logbook.lock_head(SYSTEM_CHAIN)
        uow.logbook.append(dataclasses.replace(good, id=uow.clock.new_id(), seq=head.seq + 5))

    with pytest.raises(RuntimeError, match="head moved"):
        backend.write(skip_ahead)
    assert stored(backend, SYSTEM_CHAIN) == [good]
    assert chains(backend) == [ChainHead(SYSTEM_CHAIN, 1, good.hash)]


def test_chains_are_listed_by_name(backend: Backend) -> None:
    """chains() lists the system chain and every tenant chain, ordered by chain name."""
    tenants = [backend.clock.new_id() for _ in range(3)]
    for tenant in reversed(tenants):
        note(backend, tenant)
    note(backend, None)
    names = [head.chain for head in chains(backend)]
    assert names == sorted([SYSTEM_CHAIN, *(chain_for(t) for t in tenants)])


def test_chain_with_entries_but_no_head_is_listed(backend: Backend) -> None:
    """A chain whose head row was deleted still shows in chains(), as empty, so verifying catches it."""
    tenant = backend.clock.new_id()
    note(backend, tenant)
    last = note(backend, tenant)
    note(backend, None)
    backend.drop_chain_head(chain_for(tenant))
    heads = {head.chain: head for head in chains(backend)}
    assert heads[chain_for(tenant)] == ChainHead(chain_for(tenant), 0, GENESIS_HASH)
    report = logbook.verify_chain(
        heads[chain_for(tenant)], stored(backend, chain_for(tenant)), [], AcceptAll()
    )
    assert report.breach is not None
    assert last.seq == 2


# ---------------------------------------------------------------- checkpoints


def test_checkpoints_are_kept_per_chain_by_sequence(backend: Backend) -> None:
    """Checkpoints come back for their chain only, ordered by sequence, exactly as signed."""
    at = backend.clock.now()
    made = [
        Checkpoint("tenant:x", 5, "b" * 64, at + timedelta(minutes=5), "key-1", "c2lnbmF0dXJl"),
        Checkpoint("tenant:x", 2, "a" * 64, at, "key-1", "c2lnMQ=="),
        Checkpoint(SYSTEM_CHAIN, 1, "c" * 64, at, "key-2", "c2lnMg=="),
    ]

    def add_all(uow: UnitOfWork) -> None:
        for checkpoint in made:
            uow.logbook.add_checkpoint(checkpoint)

    backend.write(add_all)
    assert backend.read(lambda uow: uow.logbook.checkpoints("tenant:x")) == [made[1], made[0]]
    assert backend.read(lambda uow: uow.logbook.checkpoints(SYSTEM_CHAIN)) == [made[2]]
    assert backend.read(lambda uow: uow.logbook.checkpoints("tenant:y")) == []
    latest = backend.read(lambda uow: uow.logbook.latest_checkpoints())
    assert latest == {"tenant:x": made[0], SYSTEM_CHAIN: made[2]}


def test_heads_come_from_the_chain_table_alone(backend: Backend) -> None:
    """heads() lists recorded heads by name; a chain whose head row is gone is not in it (chains() is)."""
    tenant, other = backend.clock.new_id(), backend.clock.new_id()
    note(backend, tenant)
    last = note(backend, other)
    backend.drop_chain_head(chain_for(tenant))
    heads = backend.read(lambda uow: uow.logbook.heads())
    assert heads == [ChainHead(chain_for(other), last.seq, last.hash)]
    assert chain_for(tenant) in [h.chain for h in chains(backend)]


# ---------------------------------------------------------------- reading through a scope


def test_read_applies_the_scope(backend: Backend) -> None:
    """A tenant reads its own chain, a client grant its client's entries, a site grant its site's."""
    t1, t2, a, b, a1, b1 = (backend.clock.new_id() for _ in range(6))
    system = note(backend, None)
    whole = note(backend, t1)
    client_only = note(backend, t1, client_id=a)
    on_a1 = note(backend, t1, client_id=a, site_id=a1)
    on_b1 = note(backend, t1, client_id=b, site_id=b1)
    other = note(backend, t2)
    everything = sorted([system, whole, client_only, on_a1, on_b1, other], key=lambda e: (e.chain, e.seq))
    assert read(backend) == everything
    assert read(backend, Scope.tenant(t1)) == [whole, client_only, on_a1, on_b1]
    assert read(backend, Scope.tenant(t2)) == [other]
    assert read(backend, Scope.restricted(t1, client_ids=frozenset({a}))) == [client_only, on_a1]
    assert read(backend, Scope.restricted(t1, site_ids=frozenset({b1}))) == [on_b1]
    assert read(backend, Scope.restricted(t1, site_ids=frozenset({a1}))) == [on_a1]
    assert read(backend, Scope.restricted(t2, client_ids=frozenset({a}))) == []


def test_read_between_times(backend: Backend) -> None:
    """since is inclusive and until exclusive, both on the recording time."""
    tenant = backend.clock.new_id()
    start = backend.clock.now()
    first = note(backend, tenant)
    backend.clock.advance(10)
    second = note(backend, tenant)
    backend.clock.advance(10)
    third = note(backend, tenant)
    ten = start + timedelta(seconds=10)
    assert read(backend, since=ten) == [second, third]
    assert read(backend, until=ten) == [first]
    assert read(backend, since=ten, until=ten + timedelta(seconds=10)) == [second]
    assert read(backend, since=start + timedelta(seconds=30)) == []


def test_read_after_a_sequence(backend: Backend) -> None:
    """after_seq skips each chain's entries up to that sequence."""
    tenant = backend.clock.new_id()
    entries = [note(backend, tenant) for _ in range(3)]
    system = [note(backend, None) for _ in range(2)]
    assert read(backend, after_seq=1) == [system[1], *entries[1:]]


def test_read_newest_first_with_limit(backend: Backend) -> None:
    """newest_first orders by time descending, then chain, then sequence descending; limit cuts."""
    tenant = backend.clock.new_id()
    sys1 = note(backend, None)
    ten1 = note(backend, tenant)
    ten2 = note(backend, tenant)
    backend.clock.advance(seconds=5)
    ten3 = note(backend, tenant)
    assert read(backend, newest_first=True) == [ten3, sys1, ten2, ten1]
    assert read(backend, newest_first=True, limit=2) == [ten3, sys1]
    assert read(backend, limit=2) == [sys1, ten1]
    assert read(backend, Scope.tenant(tenant), newest_first=True, limit=2) == [ten3, ten2]
