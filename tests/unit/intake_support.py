"""An intake on the in-memory store and a fake clock, with its group committer running, for unit tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from tocsin.adapters.journal import FileJournal
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.protocols import dc09
from tocsin.services.committer import GroupCommitter
from tocsin.services.handlers.registry import Deps
from tocsin.services.intake import AccountDirectory, SignalIntake
from tocsin.services.messagebus import MessageBus
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore

R = TypeVar("R")
KEY = bytes(range(16))


class Keys:
    """Transmitter keys in a dict."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}

    def put(self, ref: str, key: bytes) -> None:
        self.keys[ref] = key

    def get(self, ref: str) -> bytes | None:
        return self.keys.get(ref)

    def delete(self, ref: str) -> None:
        self.keys.pop(ref, None)


class GatedStore(InMemoryStore):
    """The in-memory store whose writes wait for ``gate`` once ``slow`` is set: a commit that takes long."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.slow = False
        self.gate = threading.Event()
        self.entered = threading.Event()

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        if self.slow:
            self.entered.set()
            self.gate.wait(30)
        return super().write(fn, scope)


@dataclass
class Heard:
    """A supervisor that only records what it heard."""

    paths: list[str] = field(default_factory=list)

    def heard(self, heard: Any) -> None:
        self.paths.append(heard.path)


@dataclass
class Intake:
    """The intake under test and what it writes to."""

    intake: SignalIntake
    store: GatedStore
    clock: FakeClock
    site_id: UUID
    supervisor: Heard

    def signals(self) -> list[Signal]:
        return self.store.read(lambda uow: uow.signals.find(Scope.system(), limit=10_000), Scope.system())

    def entries(self, kind: str) -> list[dict[str, Any]]:
        found = self.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
        return [dict(e.data) for e in found if e.kind == kind]


def add_account(store: InMemoryStore, site_id: UUID, number: str, **fields: Any) -> None:
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    bus.handle(c.AddAccount(site_id, number, "1", "1", **fields), scope=Scope.system(), actor="t")


@asynccontextmanager
async def running_intake(tmp_path: Path, clock: FakeClock | None = None) -> AsyncIterator[Intake]:
    """Accounts on one site (Europe/Paris): 1234 plain, 5678 keyed, 9ABC keyed allowing cleartext,
    4321 keyed and supervised, 7777 plain with the local-time profile."""
    clock = clock or FakeClock()
    store = GatedStore(clock)
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    system = Scope.system()
    tenant = bus.handle(c.CreateTenant("arc", "ARC"), scope=system, actor="t")
    client = bus.handle(c.CreateClient(tenant.id, "c", "Client"), scope=system, actor="t")
    site = bus.handle(
        c.CreateSite(tenant.id, client.id, "s", "Site", time_zone="Europe/Paris"), scope=system, actor="t"
    )
    keys = Keys()
    keys.put("k", KEY)
    add_account(store, site.id, "1234")
    add_account(store, site.id, "5678", key_ref="k")
    add_account(store, site.id, "9ABC", key_ref="k", allow_cleartext=True)
    add_account(store, site.id, "4321", key_ref="k", supervision_seconds=180)
    add_account(store, site.id, "7777", profile="local-time")
    accounts = AccountDirectory(store, clock)
    accounts.load()
    committer = GroupCommitter(store, FileJournal(tmp_path / "journal"), commit_timeout=60.0)
    supervisor = Heard()
    intake = SignalIntake(committer, accounts, keys, clock, "n1", supervisor=supervisor)  # type: ignore[arg-type]
    stop = asyncio.Event()
    running = asyncio.create_task(committer.run(stop))
    try:
        yield Intake(intake, store, clock, site.id, supervisor)
    finally:
        stop.set()
        await running


def frame(
    account: str,
    sequence: int,
    data: str = "1130 01 015",
    *,
    at: datetime,
    key: bytes | None = None,
    token: str = "ADM-CID",
) -> bytes:
    """A frame from receiver 1, line 1, stamped ``at``."""
    return dc09.encode(token, sequence, account, data, receiver="1", line="1", timestamp=at, key=key)
