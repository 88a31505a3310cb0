"""The live hub's queues: a slow console costs bounded memory and gets a snapshot instead."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime

from tocsin.api.live import QUEUE_SIZE, Console, LiveHub, visible
from tocsin.domain.logbook import LogbookEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.domain.users import Principal
from tocsin.testing import FakeClock, InMemoryStore

TENANT = uuid.uuid4()


def entry(seq: int, site: uuid.UUID | None = None) -> LogbookEntry:
    return LogbookEntry(
        id=uuid.uuid4(),
        chain=chain_for(TENANT),
        seq=seq,
        tenant_id=TENANT,
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
        occurred_at=None,
        actor="a",
        kind="k",
        message="m",
        params={},
        subjects=(),
        client_id=None,
        site_id=site,
        data={},
        prev_hash="",
        hash="",
    )


def principal() -> Principal:
    return Principal(
        uuid.uuid4(),
        TENANT,
        "op",
        "Op",
        "en",
        ("operator",),
        ((frozenset({"logbook.read"}), Scope.tenant(TENANT)),),
    )


def test_a_slow_console_gets_a_snapshot_marker_not_an_endless_queue() -> None:
    """Past the queue size, the backlog is dropped and replaced by one snapshot request."""

    async def run() -> Console:
        hub = LiveHub(InMemoryStore(FakeClock()), FakeClock())
        console = Console(principal(), Scope.tenant(TENANT))
        hub._consoles.add(console)
        for seq in range(1, QUEUE_SIZE * 4):
            hub.publish(entry(seq))
        return console

    console = asyncio.run(run())
    assert console.behind
    assert console.queue.qsize() == 1


def test_entries_of_other_tenants_never_reach_a_console() -> None:
    """The hub offers a console only its own tenant's chain."""

    async def run() -> Console:
        hub = LiveHub(InMemoryStore(FakeClock()), FakeClock())
        console = Console(principal(), Scope.tenant(TENANT))
        hub._consoles.add(console)
        hub.publish(dataclasses.replace(entry(1), chain=chain_for(uuid.uuid4())))
        return console

    assert asyncio.run(run()).queue.qsize() == 0


def test_visibility_follows_the_scope() -> None:
    """A restricted scope sees entries about its sites and clients only."""
    site = uuid.uuid4()
    scope = Scope.restricted(TENANT, site_ids=frozenset({site}))
    assert visible(entry(1, site), scope)
    assert not visible(entry(1, uuid.uuid4()), scope)
    assert visible(entry(1), Scope.tenant(TENANT))
