"""PostgreSQL that stops answering without closing its sockets: ACKs continue from the journal, and every
acknowledged signal is stored exactly once when it answers again."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import clone_postgres
from tests.integration.receiver_support import frame, running_receiver, send_tcp
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal

pytestmark = pytest.mark.postgres
SILENT_FOR = 12.0  # seconds the database stays silent: long enough to strand more threads than a pool has


class BlackholeProxy:
    """A TCP proxy to PostgreSQL that can go silent: connections stay open, nothing is forwarded (the
    bytes wait in the proxy and the kernels' buffers) until it resumes, as a partitioned network does."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._open = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self._open.wait()  # silent: hold the bytes, keep the socket
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        await self._open.wait()  # a connection opened while silent is accepted, then hears nothing
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.add(up_writer)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _start(self) -> None:
        self._open.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        self._open.set()
        if self._server is not None:
            self._server.close()
        for writer in self._writers:
            writer.transport.abort()

    def start(self) -> None:
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    def blackhole(self) -> None:
        self._loop.call_soon_threadsafe(self._open.clear)

    def resume(self) -> None:
        self._loop.call_soon_threadsafe(self._open.set)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture
def database(postgres_template: str) -> Iterator[tuple[str, BlackholeProxy]]:
    """A fresh PostgreSQL database and a proxy in front of it."""
    url, drop = clone_postgres(postgres_template)
    proxy = BlackholeProxy(make_url(url).port or 5432)
    proxy.start()
    yield url, proxy
    proxy.stop()
    drop()  # type: ignore[operator]


def _wait_for_all(direct_url: str, count: int) -> tuple[list[Signal], Counter[str]]:
    """The stored signals and the logbook's signal entries, once ``count`` signals are stored and each
    has its entry (or after a minute). The entries themselves are waited for: "nothing pending" skips
    the signals a processing transaction holds locked, so it can be read while that transaction is
    still committing them."""
    direct = SqlStore(direct_url, SystemClock())
    try:
        deadline = time.monotonic() + 60
        while True:
            stored = direct.read(lambda uow: uow.signals.find(Scope.system(), limit=1000), Scope.system())
            entries = direct.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
            received = Counter(e.data["signal_id"] for e in entries if e.kind == "signal.received")
            if (len(stored) >= count and {str(s.id) for s in stored} <= set(received)) or (
                time.monotonic() > deadline
            ):
                return stored, received
            time.sleep(0.25)
    finally:
        direct.close()


def test_a_silent_database_sends_signals_to_the_journal_and_replays_them_once(
    database: tuple[str, BlackholeProxy], tmp_path: Path
) -> None:
    """While PostgreSQL hears nothing (sockets open, nothing forwarded) every frame is still
    acknowledged from the journal; once it answers, the stored signals are exactly the acknowledged
    ones, each once, with one logbook entry each."""
    direct_url, proxy = database
    via_proxy = make_url(direct_url).set(port=proxy.port).render_as_string(hide_password=False)
    frames = [frame("1234", n, f"1130 01 {n:03d}") for n in range(1, 51)]
    with running_receiver(via_proxy, tmp_path) as rx:
        answers = send_tcp(rx.port, frames[:20])
        proxy.blackhole()
        for raw in frames[20:]:  # paced over ~12 s: every store call made meanwhile is stranded
            answers += send_tcp(rx.port, [raw])  # a new connection each time
            time.sleep(SILENT_FOR / 30)
        journal = tmp_path / "journal"
        assert any(journal.glob("signals*.jsonl")), "nothing went to the journal"
        proxy.resume()
        stored, entries = _wait_for_all(direct_url, 50)
    acked = [n for n, answer in enumerate(answers, start=1) if b'"ACK"' in answer]
    assert acked == list(range(1, 51))
    assert sorted(s.events[0]["zone"] for s in stored) == [f"{n:03d}" for n in acked]
    assert sorted(entries) == sorted(str(s.id) for s in stored)
    assert set(entries.values()) == {1}
    assert not any(p.stat().st_size for p in journal.glob("signals*.jsonl")), "the journal was not emptied"
