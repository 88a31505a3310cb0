"""The DC-09 transports' limits over real sockets: whatever a peer sends, what it costs is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvloop
from structlog.testing import capture_logs

from tests.integration.test_receiver_tls import self_signed
from tocsin.protocols import dc09
from tocsin.receivers.dc09 import (
    READ_SIZE,
    Dc09Server,
    Dc09Tcp,
    Limits,
    ReceiverFailed,
    TransportStats,
    _Report,
    run_receiver,
)

# a hang under uvloop is not always interrupted by a signal: the thread method stops it, with stacks
pytestmark = pytest.mark.timeout(60, method="thread")

ACK = b'\n0000"ACK"0000R0L0#0[]\r'
FRAME = b'\n0000"NULL"0001R1L1#1234[]_00:00:00,01-01-2026\r'


@pytest.fixture(params=["asyncio", "uvloop"])
def run(request: pytest.FixtureRequest) -> Iterator[Callable[[Coroutine[Any, Any, None]], None]]:
    """Run a coroutine on the standard event loop and on uvloop (what the CLI uses)."""
    loop = asyncio.new_event_loop() if request.param == "asyncio" else uvloop.new_event_loop()
    yield lambda main: loop.run_until_complete(asyncio.wait_for(main, 60))
    loop.run_until_complete(asyncio.sleep(0.1))  # connections the test closed see their end
    for task in asyncio.all_tasks(loop):
        task.cancel()
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()


class Gate:
    """A handler that answers ACK to every frame, once the gate is open."""

    def __init__(self) -> None:
        self.open = asyncio.Event()
        self.frames: list[bytes] = []

    async def __call__(self, frame: bytes, listener: str) -> bytes:
        self.frames.append(frame)
        await self.open.wait()
        return ACK


async def tcp_server(
    handle: Callable[[bytes, str], Awaitable[bytes | None]], limits: Limits
) -> tuple[asyncio.Server, int, list[Dc09Tcp], TransportStats]:
    """A TCP listener of our protocol on a free port, keeping each connection's protocol for inspection."""
    stats = TransportStats()
    connections: list[Dc09Tcp] = []

    def make() -> Dc09Tcp:
        connections.append(Dc09Tcp(handle, "tcp:test", limits, stats, _Report("refused")))
        return connections[-1]

    server = await asyncio.get_running_loop().create_server(make, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], connections, stats


async def closed_by_peer(reader: asyncio.StreamReader) -> bool:
    """Read until the receiver closes the connection (True, a reset included), or a 10 s guard runs
    out (False)."""
    try:
        async with asyncio.timeout(10):
            while await reader.read(4096):
                pass
    except ConnectionError:
        return True
    except TimeoutError:
        return False
    return True


def test_a_fast_sender_is_paused_not_buffered(run: Callable[[Coroutine[Any, Any, None]], None]) -> None:
    """A sender pushing 20,000 frames without waiting fills its queue, then reading pauses: the
    receiver holds at most the queue's frames and one read; once answered, every frame gets its ACK."""

    async def main() -> None:
        gate = Gate()
        limits = Limits(max_queued_frames=8)
        server, port, connections, stats = await tcp_server(gate, limits)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(FRAME * 20_000)
        sending = asyncio.ensure_future(writer.drain())
        await asyncio.sleep(0.5)
        (rx,) = connections
        assert stats.pauses >= 1
        assert rx._queue.qsize() <= limits.max_queued_frames
        assert len(rx._buffer) <= READ_SIZE + dc09.MAX_FRAME
        assert len(gate.frames) == 1  # the one being answered
        gate.open.set()
        answers = b""
        while answers.count(b"\r") < 20_000:
            chunk = await reader.read(65536)
            assert chunk, "the receiver closed the connection"
            answers += chunk
        await sending
        assert answers == ACK * 20_000
        writer.close()
        server.close()

    run(main())


def test_a_frame_without_its_end_closes_the_connection(
    run: Callable[[Coroutine[Any, Any, None]], None],
) -> None:
    """A frame start followed by more than the DC-09 maximum without a CR gets the connection closed."""

    async def main() -> None:
        server, port, _, stats = await tcp_server(Gate(), Limits())
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"\n" + b"A" * (dc09.MAX_FRAME + 10))
        assert await closed_by_peer(reader)
        assert stats.closed == {"frame_too_long": 1}
        assert stats.open_connections == 0
        writer.close()
        server.close()

    run(main())


def test_a_silent_connection_is_closed_after_the_idle_timeout(
    run: Callable[[Coroutine[Any, Any, None]], None],
) -> None:
    """A connection that says nothing is closed after the idle timeout; one that keeps talking is not."""

    async def main() -> None:
        gate = Gate()
        gate.open.set()
        server, port, _, stats = await tcp_server(gate, Limits(idle_timeout=0.5))
        with capture_logs() as logs:
            silent_reader, silent = await asyncio.open_connection("127.0.0.1", port)
            talking_reader, talking = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(12):  # 1.2 s, more than twice the idle timeout
                talking.write(FRAME)
                await talking_reader.readuntil(b"\r")
                await asyncio.sleep(0.1)
            assert await closed_by_peer(silent_reader)
        assert stats.closed == {"idle": 1}
        closed = {"event": "dc09.connection_closed", "reason": "idle", "listener": "tcp:test"}
        assert [e for e in logs if e["event"] == "dc09.connection_closed"] == [
            {**closed, "log_level": "info"}
        ]
        assert stats.open_connections == 1
        talking.write(FRAME)
        assert await talking_reader.readuntil(b"\r") == ACK
        for writer in (silent, talking):
            writer.close()
        server.close()

    run(main())


@pytest.mark.parametrize("drip", [FRAME, b"garbage, never a frame "], ids=["frame", "garbage"])
def test_a_slow_drip_sender_is_closed_at_the_frame_deadline(
    run: Callable[[Coroutine[Any, Any, None]], None], drip: bytes
) -> None:
    """Bytes sent one at a time, each well within the idle timeout, still have to make a frame within
    the frame timeout: the slow-drip sender is closed, whether it drips a frame or garbage."""

    async def main() -> None:
        server, port, _, stats = await tcp_server(Gate(), Limits(idle_timeout=60, frame_timeout=0.5))
        reader, writer = await asyncio.open_connection("127.0.0.1", port)

        async def dribble() -> None:
            for byte in drip:
                writer.write(bytes([byte]))
                await asyncio.sleep(0.05)

        dripping = asyncio.ensure_future(dribble())
        assert await closed_by_peer(reader)
        dripping.cancel()
        assert stats.closed == {"slow_frame": 1}
        writer.close()
        server.close()

    run(main())


def test_past_the_connection_cap_a_new_connection_is_closed(
    run: Callable[[Coroutine[Any, Any, None]], None],
) -> None:
    """With a cap of 3, a fourth connection is closed at once; after one leaves, a new one is served."""

    async def main() -> None:
        gate = Gate()
        gate.open.set()
        server, port, _, stats = await tcp_server(gate, Limits(max_connections=3))
        kept = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
        for reader, writer in kept:
            writer.write(FRAME)
            assert await reader.readuntil(b"\r") == ACK
        refused_reader, refused = await asyncio.open_connection("127.0.0.1", port)
        assert await closed_by_peer(refused_reader)
        assert stats.refused_connections == 1
        kept[0][1].close()
        await kept[0][1].wait_closed()
        while stats.open_connections == 3:  # noqa: ASYNC110 - the server notices the close by itself
            await asyncio.sleep(0.01)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(FRAME)
        assert await reader.readuntil(b"\r") == ACK
        for _, w in [*kept, (reader, writer), (refused_reader, refused)]:
            w.close()
        server.close()

    run(main())


def test_past_the_udp_cap_datagrams_are_dropped_and_counted(
    run: Callable[[Coroutine[Any, Any, None]], None],
) -> None:
    """With 5 datagrams being answered at most, 50 sent at once leave 5 in flight and 45 dropped."""

    async def main() -> None:
        gate = Gate()
        server = Dc09Server(gate, "127.0.0.1", 0, limits=Limits(max_udp_in_flight=5))
        await server.start()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(5)
            for _ in range(50):
                sock.sendto(FRAME, ("127.0.0.1", server.port))
            while server.stats.udp_in_flight + server.stats.udp_dropped < 50:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            assert server.stats.udp_in_flight == 5
            assert server.stats.udp_dropped == 45
            gate.open.set()
            answers = [await asyncio.to_thread(sock.recv, 4096) for _ in range(5)]
            await server.stop()
        assert answers == [ACK] * 5

    run(main())


def test_a_loop_that_fails_stops_the_receiver_loudly(
    run: Callable[[Coroutine[Any, Any, None]], None],
) -> None:
    """A receiver loop raising takes the whole receiver down: listeners closed, the other loops
    cancelled, a `receiver.failed` error event, and ReceiverFailed naming the loop."""
    cancelled = []

    async def steady(stop: asyncio.Event) -> None:
        try:
            await stop.wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def broken(stop: asyncio.Event) -> None:
        await asyncio.sleep(0.2)
        raise RuntimeError("disk on fire")

    async def main() -> None:
        server = Dc09Server(Gate(), "127.0.0.1", 0)
        with capture_logs() as logs, pytest.raises(ReceiverFailed, match="loop broken failed"):
            await run_receiver(server, [steady, broken], asyncio.Event())
        assert not server.listening
        assert cancelled == [True]
        failed = [e for e in logs if e["event"] == "process.loop_failed"]
        assert failed[0]["log_level"] == "error"
        assert "disk on fire" in failed[0]["reason"]
        assert any(e["event"] == "dc09.listening" for e in logs)

    run(main())


def test_a_loop_that_ends_on_its_own_stops_the_receiver(
    run: Callable[[Coroutine[Any, Any, None]], None],
) -> None:
    """A loop returning before the receiver was told to stop is a failure too, not a quiet exit."""

    async def quitter(stop: asyncio.Event) -> None:
        return None

    async def main() -> None:
        with pytest.raises(ReceiverFailed, match="loop quitter ended on its own"):
            await run_receiver(Dc09Server(Gate(), "127.0.0.1", 0), [quitter], asyncio.Event())

    run(main())


def test_tls_connections_read_through_the_bounded_buffer(
    run: Callable[[Coroutine[Any, Any, None]], None], tmp_path: Path
) -> None:
    """Over TLS too (the transport decrypts into our fixed read buffer), frames are read and answered,
    pipelined ones included, on asyncio and on uvloop."""
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))

    async def main() -> None:
        gate = Gate()
        gate.open.set()
        server = Dc09Server(gate, "127.0.0.1", 0, context, Limits(max_queued_frames=4))
        await server.start()
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", server.port, ssl=client, server_hostname="localhost"
        )
        writer.write(FRAME * 200)
        answers = b""
        while answers.count(b"\r") < 200:
            chunk = await reader.read(65536)
            assert chunk, "the receiver closed the connection"
            answers += chunk
        assert answers == ACK * 200
        writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await writer.wait_closed()
        await server.stop()

    run(main())
