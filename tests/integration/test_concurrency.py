"""Concurrent writers never fork the chain or leave a gap, on PostgreSQL and on SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.integration.helpers import make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.logbook import NewEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.services import logbook
from tocsin.services.unit_of_work import UnitOfWork

WRITERS, EACH = 8, 25


def _note(tenant_id: object, writer: int, n: int):  # type: ignore[no-untyped-def]
    def write(uow: UnitOfWork) -> None:
        uow.note(
            NewEntry(
                kind="note",
                message="logbook.note",
                actor=f"writer-{writer}",
                tenant_id=tenant_id,
                params={"text": f"{writer}/{n}"},
            )
        )  # type: ignore[arg-type]

    return write


def _hammer(store: SqlStore, tenant_id: object) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(i: int) -> None:
        start.wait()
        try:
            for n in range(EACH):
                store.write(_note(tenant_id, i, n), Scope.system())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_threads_keep_one_gapless_chain(db_url: str) -> None:
    """Many threads appending at once give sequences 1..N with every link intact."""
    store = SqlStore(db_url, SystemClock())
    try:
        room = make_room(store)
        assert _hammer(store, room.tenant_id) == []
        chain = chain_for(room.tenant_id)
        entries = store.read(lambda uow: list(uow.logbook.entries(chain)), Scope.system())
        assert [e.seq for e in entries] == list(range(1, 5 + WRITERS * EACH + 1))
        reports = store.read(
            lambda uow: [
                logbook.verify_chain(h, uow.logbook.entries(h.chain), [], _Nobody())
                for h in uow.logbook.chains()
                if h.chain == chain
            ],
            Scope.system(),
        )
        assert reports[0].breach is None
    finally:
        store.close()


class _Nobody:
    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


SCRIPT = textwrap.dedent(
    """
    import sys, uuid
    from tocsin.adapters.clock import SystemClock
    from tocsin.adapters.store.database import SqlStore
    from tocsin.domain.logbook import NewEntry
    from tocsin.domain.scope import Scope
    store = SqlStore(sys.argv[1], SystemClock())
    tenant = uuid.UUID(sys.argv[2])
    for n in range(int(sys.argv[3])):
        store.write(lambda uow: uow.note(NewEntry(kind="note", message="logbook.note",
            actor="process", tenant_id=tenant, params={"text": str(n)})), Scope.system())
    store.close()
    """
)


@pytest.mark.parametrize("processes", [3])
def test_sqlite_writers_in_several_processes_queue_instead_of_failing(
    sqlite_url: str, tmp_path: Path, processes: int
) -> None:
    """Separate processes writing one SQLite file wait their turn: no 'database is locked'."""
    store = SqlStore(sqlite_url, SystemClock())
    room = make_room(store)
    script = tmp_path / "writer.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    runs = [
        subprocess.Popen(
            [sys.executable, str(script), sqlite_url, str(room.tenant_id), "30"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    outputs = [p.communicate(timeout=120) for p in runs]
    failures = [err for p, (_, err) in zip(runs, outputs, strict=True) if p.returncode != 0]
    assert failures == []
    chain = chain_for(room.tenant_id)
    seqs = store.read(lambda uow: [e.seq for e in uow.logbook.entries(chain)], Scope.system())
    store.close()
    assert seqs == list(range(1, 5 + processes * 30 + 1))


def test_two_nodes_storing_copies_of_one_message_at_once_store_it_once(db_url: str) -> None:
    """Two stores (as two receiver processes or nodes would hold) insert copies of the same messages,
    each copy with its own id, at the same moment: every message is stored once."""
    import uuid  # noqa: PLC0415
    from datetime import UTC, datetime  # noqa: PLC0415

    from tocsin.domain.signals import Signal  # noqa: PLC0415

    number = uuid.uuid4().hex[:8].upper()
    received = datetime.now(UTC)
    stores = [SqlStore(db_url, SystemClock()) for _ in range(2)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def node(store: SqlStore, name: str) -> None:
        copies = [
            Signal(
                id=store.clock.new_id(),
                received_at=received,
                node=name,
                listener="udp:9000",
                raw="r",
                answer="ACK",
                receiver="1",
                line="1",
                account_number=number,
                sequence=f"{n:04d}",
                payload_hash=f"{n:064x}",
            )
            for n in range(50)
        ]
        start.wait()
        try:
            for copy in copies:
                store.write(lambda uow, copy=copy: uow.signals.insert_many([copy]), Scope.system())
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=node, args=(s, f"node-{i}")) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    found = stores[0].read(
        lambda uow: uow.signals.find(Scope.system(), account_number=number, limit=1000), Scope.system()
    )
    for store in stores:
        store.close()
    assert errors == []
    assert sorted(s.sequence for s in found) == [f"{n:04d}" for n in range(50)]
