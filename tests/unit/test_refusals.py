"""The refusal counter keeps memory and writes bounded whatever an attacker varies."""

from __future__ import annotations

import uuid

from tocsin.domain.events import LoginFailed, RefusalsCounted, SecurityRefusal
from tocsin.domain.scope import Scope
from tocsin.services import refusals
from tocsin.services.refusals import IMMEDIATE_PER_MINUTE, MAX_KEYS, OTHER_SOURCES, RefusalLog
from tocsin.testing import FakeClock, InMemoryStore


def failed(source: str, name: str = "guess", reason: str = "unknown user") -> LoginFailed:
    return LoginFailed(tenant_id=None, username=name, source=source, reason=reason)


def test_the_first_of_a_minute_is_written_at_once_the_rest_counted() -> None:
    """One source: its first refusal comes back to be written; the others only when the minute ends."""
    clock = FakeClock()
    log = RefusalLog(InMemoryStore(clock), clock)
    assert log.count(failed("10.0.0.1")) == [failed("10.0.0.1")]
    for n in range(99):
        assert log.count(failed("10.0.0.1", f"name{n}")) == []
    clock.advance(seconds=60)
    (summary,) = log.count(failed("10.0.0.2"))[:1]
    assert isinstance(summary, RefusalsCounted)
    assert (summary.count, summary.source, summary.what) == (100, "10.0.0.1", "logins")
    assert len(summary.usernames) == refusals.MAX_NAMES


def test_many_sources_pool_and_immediate_writes_are_capped() -> None:
    """Past MAX_KEYS sources a minute, the rest pool into one counter; past IMMEDIATE_PER_MINUTE first
    refusals, the others wait for the minute's count. Nothing is lost from the counts."""
    clock = FakeClock()
    log = RefusalLog(InMemoryStore(clock), clock)
    sources = MAX_KEYS + 500
    immediate = sum(
        len(log.count(failed(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"))) for n in range(sources)
    )
    assert immediate == IMMEDIATE_PER_MINUTE
    clock.advance(seconds=60)
    summaries = [e for e in log.count(failed("10.9.9.9")) if isinstance(e, RefusalsCounted)]
    assert len(summaries) == MAX_KEYS - IMMEDIATE_PER_MINUTE + 1  # the written ones had no others
    assert sum(s.count for s in summaries) == sources - IMMEDIATE_PER_MINUTE
    assert [s.count for s in summaries if s.source == OTHER_SOURCES] == [500]


def test_logins_and_requests_are_counted_apart() -> None:
    """A refused login and a refused request from one source are two counters (two first entries)."""
    clock = FakeClock()
    log = RefusalLog(InMemoryStore(clock), clock)
    request = SecurityRefusal(
        tenant_id=uuid.uuid4(),
        username="op",
        source="10.0.0.1",
        reason="role lacks the permission",
        target="GET /x",
    )
    assert log.count(failed("10.0.0.1")) == [failed("10.0.0.1")]
    assert log.count(request) == [request]


def test_flush_writes_the_minutes_that_are_over() -> None:
    """flush() writes nothing within the minute, then one summary entry once it is over."""
    clock = FakeClock()
    store = InMemoryStore(clock)
    log = RefusalLog(store, clock)
    events = [e for _ in range(3) for e in log.count(failed("10.0.0.1"))]
    store.write(lambda uow: refusals.record(uow, events), Scope.system())
    assert log.flush() == 0
    clock.advance(seconds=61)
    assert log.flush() == 1
    assert log.flush(everything=True) == 0
    kinds = [e.kind for e in store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())]
    assert kinds == ["auth.login_failed", "security.refusals_counted"]
