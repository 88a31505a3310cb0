"""SIA DC-09 over TCP and UDP: transports only. Bytes go to the intake service, its answer goes back.

A TCP connection may carry many frames; a connection that sends garbage gets NAKs and, past a limit,
is closed, without affecting the others. Optional TLS on the TCP listener.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, cast

from tocsin.protocols import dc09

log = logging.getLogger(__name__)

Handler = Callable[[bytes, str], Awaitable[bytes | None]]
MAX_BAD_FRAMES = 20  # garbage in a row before we hang up
IDLE_TIMEOUT = 600.0  # seconds without a byte before a TCP connection is closed


class Dc09Tcp(asyncio.Protocol):
    """One TCP connection: frames are answered in order."""

    def __init__(self, handle: Handler, listener: str, open_connections: set[Dc09Tcp] | None = None) -> None:
        self._handle = handle
        self._listener = listener
        self._open = open_connections if open_connections is not None else set()
        self._buffer = b""
        self._transport: asyncio.Transport | None = None
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._bad = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        self._open.add(self)
        self._worker = asyncio.get_running_loop().create_task(self._answer())

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        try:
            frames, self._buffer = dc09.split_frames(self._buffer)
        except dc09.FrameError:
            self._hang_up("a frame without its end")
            return
        for frame in frames:
            self._queue.put_nowait(frame)

    def connection_lost(self, exc: Exception | None) -> None:
        self._open.discard(self)
        self._queue.put_nowait(None)

    async def _answer(self) -> None:
        while (frame := await self._queue.get()) is not None:
            try:
                answer = await self._handle(frame, self._listener)
            except Exception:
                log.exception(
                    "frame handling failed on %s; no answer sent (the panel will retry)", self._listener
                )
                continue
            if answer is None or self._transport is None or self._transport.is_closing():
                continue
            self._transport.write(answer)
            self._bad = self._bad + 1 if b'"NAK"' in answer else 0
            if self._bad > MAX_BAD_FRAMES:
                self._hang_up("too many unreadable frames")

    def _hang_up(self, why: str) -> None:
        log.info("closing a DC-09 connection on %s: %s", self._listener, why)
        if self._transport is not None:
            self._transport.close()


class Dc09Udp(asyncio.DatagramProtocol):
    """UDP: one datagram, one frame, one answer to the sender."""

    def __init__(self, handle: Handler, listener: str) -> None:
        self._handle = handle
        self._listener = listener
        self._transport: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        task = asyncio.get_running_loop().create_task(self._answer(data, addr))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        try:
            frames, _ = dc09.split_frames(data)
        except dc09.FrameError:
            frames = [data]
        for frame in frames or [data]:
            try:
                answer = await self._handle(frame, self._listener)
            except Exception:
                log.exception("datagram handling failed on %s", self._listener)
                continue
            if answer is not None and self._transport is not None:
                self._transport.sendto(answer, addr)


class Dc09Server:
    """TCP and UDP listeners on one port."""

    def __init__(self, handle: Handler, host: str, port: int, tls: ssl.SSLContext | None = None) -> None:
        self._handle = handle
        self.host = host
        self.port = port
        self._tls = tls
        self._tcp: asyncio.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._open: set[Dc09Tcp] = set()  # TCP connections now open, for the node's health

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tcp = await loop.create_server(
            lambda: Dc09Tcp(self._handle, f"tcp:{self.port}", self._open),
            self.host,
            self.port,
            ssl=self._tls,
            reuse_address=True,
        )
        self.port = self._tcp.sockets[0].getsockname()[1]  # when 0 was asked for
        self._udp, _ = await loop.create_datagram_endpoint(
            lambda: Dc09Udp(self._handle, f"udp:{self.port}"), local_addr=(self.host, self.port)
        )

    @property
    def listening(self) -> bool:
        """Whether both listeners are up."""
        return self._tcp is not None and self._udp is not None

    def status(self) -> dict[str, Any]:
        """For the node's health: whether it listens, on which port, and how many TCP connections are open."""
        return {"listening": self.listening, "port": self.port, "connections": len(self._open)}

    async def stop(self) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
            with contextlib.suppress(Exception):
                await self._tcp.wait_closed()


async def run_receiver(
    server: Dc09Server,
    loops: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]],
    stop: asyncio.Event,
) -> None:
    """Listen until ``stop``; the loops (group commit, supervision…) run alongside and finish after."""
    finishing = asyncio.Event()
    running = [asyncio.create_task(loop(finishing)) for loop in loops]
    await server.start()
    log.warning("DC-09 receiver listening on %s:%d (TCP and UDP)", server.host, server.port)
    try:
        await stop.wait()
    finally:
        await server.stop()
        await asyncio.sleep(0.05)  # frames already read get their batch
        finishing.set()
        for task in running:
            await task
