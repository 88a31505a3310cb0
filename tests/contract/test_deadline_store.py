"""The deadline store arms, moves, cancels and claims deadlines the same way in memory and in SQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import pytest

from tests.contract.support import Backend, deadline
from tocsin.domain.deadlines import Deadline
from tocsin.services.unit_of_work import UnitOfWork


def arm(backend: Backend, armed: Deadline) -> Deadline:
    """Arm a deadline in its own transaction."""
    return backend.write(lambda uow: uow.deadlines.arm(armed))


def pending(backend: Backend) -> list[Deadline]:
    """The pending deadlines."""
    return backend.read(lambda uow: uow.deadlines.pending())


def claim(backend: Backend, limit: int = 10, exclude: frozenset[UUID] = frozenset()) -> list[Deadline]:
    """Claim what is due at the clock's now, in its own transaction."""
    now = backend.clock.now()
    return backend.write(lambda uow: uow.deadlines.claim_due(now, limit, exclude))


def next_due(backend: Backend) -> datetime | None:
    """When the earliest pending deadline is due."""
    return backend.read(lambda uow: uow.deadlines.next_due())


def test_nothing_pending_at_first(backend: Backend) -> None:
    """An empty store has no pending deadline, no next due time and nothing to claim."""
    assert pending(backend) == []
    assert next_due(backend) is None
    assert claim(backend) == []


def test_arm_stores_a_pending_deadline(backend: Backend) -> None:
    """An armed deadline is pending, unfired, and sets the next due time."""
    tenant = backend.clock.new_id()
    armed = Deadline(
        id=backend.clock.new_id(),
        kind="supervision",
        key="R1-L1-1234",
        due_at=backend.clock.now() + timedelta(minutes=15),
        tenant_id=tenant,
        payload={"account": "1234", "grace": [30, 60]},
    )
    assert arm(backend, armed) == armed
    assert pending(backend) == [armed]
    assert next_due(backend) == armed.due_at


def test_arming_the_same_key_moves_the_pending_deadline(backend: Backend) -> None:
    """Arming a kind and key again moves the pending deadline (same id) to the new time and payload."""
    first = arm(backend, deadline(backend.clock, "supervision", "acct-1", 60, {"n": 1}))
    moved = arm(backend, deadline(backend.clock, "supervision", "acct-1", 600, {"n": 2}))
    assert moved.id == first.id
    assert moved.due_at == backend.clock.now() + timedelta(seconds=600)
    assert moved.payload == {"n": 2}
    assert pending(backend) == [moved]


def test_kind_and_key_together_name_a_deadline(backend: Backend) -> None:
    """The same key under another kind is another deadline; pending lists them by due time."""
    late = arm(backend, deadline(backend.clock, "supervision", "k", 120))
    early = arm(backend, deadline(backend.clock, "sla", "k", 30))
    other = arm(backend, deadline(backend.clock, "supervision", "k2", 60))
    assert pending(backend) == [early, other, late]
    assert next_due(backend) == early.due_at


def test_cancel_removes_only_a_pending_deadline(backend: Backend) -> None:
    """cancel is True once for a pending deadline, then False; unknown names are False."""
    kept = arm(backend, deadline(backend.clock, "sla", "keep", 30))
    arm(backend, deadline(backend.clock, "sla", "drop", 30))
    assert backend.write(lambda uow: uow.deadlines.cancel("sla", "drop")) is True
    assert backend.write(lambda uow: uow.deadlines.cancel("sla", "drop")) is False
    assert backend.write(lambda uow: uow.deadlines.cancel("supervision", "keep")) is False
    assert pending(backend) == [kept]


def test_claim_due_fires_due_deadlines_once(backend: Backend) -> None:
    """claim_due returns due deadlines earliest first (due now included), marked fired, only once."""
    overdue = arm(backend, deadline(backend.clock, "sla", "overdue", -10, {"x": 1}))
    due_now = arm(backend, deadline(backend.clock, "sla", "now", 0))
    later = arm(backend, deadline(backend.clock, "sla", "later", 10))
    now = backend.clock.now()
    claimed = claim(backend)
    assert [d.id for d in claimed] == [overdue.id, due_now.id]
    assert all(d.fired_at == now for d in claimed)
    assert claimed[0].payload == {"x": 1}
    assert claim(backend) == []
    assert pending(backend) == [later]
    assert next_due(backend) == later.due_at
    backend.clock.advance(10)
    assert [d.id for d in claim(backend)] == [later.id]
    assert next_due(backend) is None


def test_claim_due_respects_limit_and_exclude(backend: Backend) -> None:
    """claim_due takes at most ``limit`` deadlines and skips those in ``exclude``."""
    first = arm(backend, deadline(backend.clock, "sla", "1", -30))
    second = arm(backend, deadline(backend.clock, "sla", "2", -20))
    third = arm(backend, deadline(backend.clock, "sla", "3", -10))
    assert [d.id for d in claim(backend, limit=1, exclude=frozenset({first.id}))] == [second.id]
    assert [d.id for d in claim(backend, exclude=frozenset({first.id}))] == [third.id]
    assert [d.id for d in claim(backend)] == [first.id]


def test_a_fired_deadline_is_neither_cancelled_nor_moved(backend: Backend) -> None:
    """Once fired, cancel is False and arming the same key makes a new pending deadline."""
    fired = arm(backend, deadline(backend.clock, "sla", "k", 0))
    claim(backend)
    assert backend.write(lambda uow: uow.deadlines.cancel("sla", "k")) is False
    again = arm(backend, deadline(backend.clock, "sla", "k", 60))
    assert again.id != fired.id
    assert again.fired_at is None
    assert pending(backend) == [again]


def test_a_failed_claim_is_rolled_back(backend: Backend) -> None:
    """A deadline claimed in a transaction that raises stays pending, to fire on a later pass."""
    armed = arm(backend, deadline(backend.clock, "sla", "k", 0))

    def claim_then_fail(uow: UnitOfWork) -> None:
        assert [d.id for d in uow.deadlines.claim_due(backend.clock.now(), 1)] == [armed.id]
        raise ConnectionError("handler failed")

    with pytest.raises(ConnectionError):
        backend.write(claim_then_fail)
    assert pending(backend) == [armed]
    assert [d.id for d in claim(backend)] == [armed.id]


def test_a_moved_deadline_is_claimed_at_its_new_time(backend: Backend) -> None:
    """Moving a deadline later means it is not due at its old time."""
    arm(backend, deadline(backend.clock, "supervision", "acct", 10))
    moved = arm(backend, deadline(backend.clock, "supervision", "acct", 100))
    backend.clock.advance(50)
    assert claim(backend) == []
    backend.clock.advance(50)
    assert [d.id for d in claim(backend)] == [moved.id]
