"""PostgreSQL cut in the middle of a flood: signals keep being acknowledged, and reach it once it returns."""

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

pytestmark = pytest.mark.postgres


class CuttableProxy:
    """A TCP proxy to PostgreSQL that the test can cut (every connection dropped, new ones refused)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def _call(self, coroutine):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    def start(self) -> None:
        self._call(self._start())

    def cut(self) -> None:
        self._call(self._cut())

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture
def database(postgres_template: str) -> Iterator[tuple[str, CuttableProxy]]:
    """A fresh PostgreSQL database and a proxy in front of it."""
    url, drop = clone_postgres(postgres_template)
    parsed = make_url(url)
    proxy = CuttableProxy(parsed.port or 5432)
    proxy.start()
    yield url, proxy
    proxy.stop()
    drop()  # type: ignore[operator]


def test_cutting_postgresql_mid_flood_loses_nothing(
    database: tuple[str, CuttableProxy], tmp_path: Path
) -> None:
    """Frames sent while PostgreSQL is unreachable are acknowledged from the journal and stored once."""
    direct_url, proxy = database
    via_proxy = make_url(direct_url).set(port=proxy.port).update_query_dict({"connect_timeout": "2"})
    with running_receiver(via_proxy.render_as_string(hide_password=False), tmp_path) as rx:
        before = send_tcp(rx.port, [frame("1234", n, f"1130 01 {n:03d}") for n in range(1, 21)])
        proxy.cut()
        during = send_tcp(rx.port, [frame("1234", n, f"1130 01 {n:03d}") for n in range(21, 51)])
        assert all(b'"ACK"' in a for a in before + during)
        assert (tmp_path / "journal").exists()
        proxy.start()
        direct = SqlStore(direct_url, SystemClock())
        try:
            deadline = time.monotonic() + 30
            while True:  # each stored signal's entry, waited for itself ("nothing pending" skips the
                # signals a processing transaction holds locked, so it can be read mid-commit)
                stored = direct.read(lambda uow: uow.signals.find(Scope.system(), limit=1000), Scope.system())
                entries = direct.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
                received = {e.data["signal_id"] for e in entries if e.kind == "signal.received"}
                if len(stored) >= 50 and {str(s.id) for s in stored} <= received:
                    break
                if time.monotonic() > deadline:
                    break
                time.sleep(0.25)
        finally:
            direct.close()
    zones = sorted(s.events[0]["zone"] for s in stored)
    assert zones == [f"{n:03d}" for n in range(1, 51)]
    # Each signal's logbook entry is written once, those stored from the journal after the cut included.
    per_signal = Counter(e.data["signal_id"] for e in entries if e.kind == "signal.received")
    assert sorted(per_signal) == sorted(str(s.id) for s in stored)
    assert set(per_signal.values()) == {1}
