"""SIA DC-09 over TCP and UDP: transports only. Bytes go to the intake service, its answer goes back.

A TCP connection may carry many frames; a connection that sends garbage gets NAKs and, past a limit,
is closed, without affecting the others. Optional TLS on the TCP listener.

Whatever a peer sends, what it costs us is bounded (:class:`Limits`, in docs/receiver.md):
- a connection reads at most :data:`READ_SIZE` bytes at a time into its own buffer, and at most
  ``max_queued_frames`` frames wait for their answer; past that, reading pauses (the kernel's window
  then slows the sender down) until the queue has drained to half;
- a frame started and not ended within :data:`dc09.MAX_FRAME` bytes closes the connection, and so does
  a frame not completed within ``frame_timeout`` seconds of its first byte (a slow-drip sender);
- a connection silent for ``idle_timeout`` seconds is closed;
- past ``max_connections`` open connections, a new one is closed at once;
- past ``max_udp_in_flight`` datagrams being answered, a new datagram is dropped and counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, cast

import structlog

from tocsin.protocols import dc09
from tocsin.services.loops import Loop, LoopFailed, run_loops

log = structlog.get_logger(__name__)

Handler = Callable[[bytes, str], Awaitable[bytes | None]]
MAX_BAD_FRAMES = 20  # garbage in a row before we hang up
READ_SIZE = 4096  # bytes read from a connection at a time (a DC-09 frame is at most 1,024)
REPORT_EVERY = 10.0  # seconds between two log events about refused connections or dropped datagrams


@dataclass(frozen=True, slots=True)
class Limits:
    """What one peer, or all of them together, may cost the receiver."""

    idle_timeout: float = 600.0  # seconds without a byte before a TCP connection is closed
    frame_timeout: float = 30.0  # seconds from a frame's first byte to its end
    max_connections: int = 10_000  # open TCP connections; past it a new one is closed at once
    max_queued_frames: int = 32  # frames of one connection waiting for their answer; then reading pauses
    max_udp_in_flight: int = 1_000  # datagrams being answered; past it a new one is dropped


@dataclass
class TransportStats:
    """Counters of what the limits did, for the health page, the tests and the benchmark."""

    open_connections: int = 0
    refused_connections: int = 0
    closed: dict[str, int] = field(default_factory=dict)  # why: how many connections we closed
    pauses: int = 0  # times a connection's reading was paused because its queue was full
    udp_in_flight: int = 0
    udp_dropped: int = 0


class _Report:
    """A log event about something that may happen thousands of times a second: once per
    :data:`REPORT_EVERY` seconds at most, with the count since the last one."""

    def __init__(self, event: str) -> None:
        self._event = event
        self._next = 0.0
        self._count = 0

    def count(self, **fields: object) -> None:
        self._count += 1
        now = asyncio.get_running_loop().time()
        if now >= self._next:
            log.warning(self._event, count=self._count, **fields)
            self._next, self._count = now + REPORT_EVERY, 0


class Dc09Tcp(asyncio.BufferedProtocol):
    """One TCP connection: frames are answered in order, within the connection's limits."""

    def __init__(
        self,
        handle: Handler,
        listener: str,
        limits: Limits,
        stats: TransportStats,
        refused: _Report,
        *,
        read_buffer: bytearray | None = None,
    ) -> None:
        self._handle = handle
        self._listener = listener
        self._limits = limits
        self._stats = stats
        self._refused = refused
        # the transport reads into this buffer and hands it back in the same callback, where it is
        # copied at once: one buffer serves all the connections of a listener
        self._read = read_buffer if read_buffer is not None else bytearray(READ_SIZE)
        self._buffer = b""  # read, not yet queued: at most one read and one unfinished frame
        self._transport: asyncio.Transport | None = None
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(limits.max_queued_frames)
        self._worker: asyncio.Task[None] | None = None
        self._bad = 0
        self._counted = False
        self._closing = False
        self._paused = False
        self._heard_at = 0.0
        self._idle: asyncio.TimerHandle | None = None
        self._frame_deadline: asyncio.TimerHandle | None = None
        self._frame_started: float | None = None  # when the unfinished frame's first byte came

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        if self._stats.open_connections >= self._limits.max_connections:
            self._stats.refused_connections += 1
            self._refused.count(listener=self._listener, limit=self._limits.max_connections)
            self._closing = True
            self._transport.close()
            return
        self._counted = True
        self._stats.open_connections += 1
        loop = asyncio.get_running_loop()
        self._heard_at = loop.time()
        self._idle = loop.call_later(self._limits.idle_timeout, self._check_idle)
        self._worker = loop.create_task(self._answer())

    def get_buffer(self, sizehint: int) -> bytearray:
        return self._read

    def buffer_updated(self, nbytes: int) -> None:
        if self._closing:
            return
        loop = asyncio.get_running_loop()
        self._heard_at = loop.time()
        if self._frame_started is None:
            self._frame_started = self._heard_at
        if self._frame_deadline is None:  # armed at most once a frame timeout, not once a frame
            self._frame_deadline = loop.call_later(self._limits.frame_timeout, self._check_frame)
        self._buffer += self._read[:nbytes]
        self._feed()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closing = True
        self._cancel_timers()
        if self._counted:
            self._stats.open_connections -= 1
        if not self._queue.full():
            self._queue.put_nowait(None)  # else the worker ends once it has emptied the queue

    def _feed(self) -> None:
        """Move complete frames from the buffer to the queue while it has room; pause reading when full."""
        took = False
        while not self._queue.full() and (end := self._buffer.find(b"\r")) >= 0:
            frames, _ = dc09.split_frames(self._buffer[: end + 1])  # garbage before the frame is dropped
            self._buffer = self._buffer[end + 1 :]
            for frame in frames:
                self._queue.put_nowait(frame)
                took = True
        if self._queue.full():
            self._pause()
            return
        try:
            _, self._buffer = dc09.split_frames(self._buffer)  # keeps only an unfinished frame
        except dc09.FrameError:
            self._hang_up("frame_too_long")
            return
        if took:  # a frame ended: the next one's clock starts with its first byte (now, if some came)
            self._frame_started = asyncio.get_running_loop().time() if self._buffer else None

    def _check_frame(self) -> None:
        """Close the connection if its unfinished frame started a frame timeout ago; else look again later."""
        self._frame_deadline = None
        if self._closing or self._frame_started is None:
            return
        loop = asyncio.get_running_loop()
        remaining = self._limits.frame_timeout - (loop.time() - self._frame_started)
        if remaining <= 0:
            self._hang_up("slow_frame")
            return
        self._frame_deadline = loop.call_later(remaining, self._check_frame)

    def _pause(self) -> None:
        self._frame_started = None  # we hold the frames up now, not the sender
        if not self._paused and self._transport is not None:
            self._paused = True
            self._stats.pauses += 1
            self._transport.pause_reading()

    def _taken(self) -> None:
        """A frame left the queue: refill it from the buffer, and read again once it is half empty."""
        if self._closing:
            return
        if self._paused and self._queue.qsize() <= self._limits.max_queued_frames // 2:
            self._feed()
            if not self._queue.full() and self._transport is not None:
                self._paused = False
                self._transport.resume_reading()

    async def _answer(self) -> None:
        while (frame := await self._queue.get()) is not None:
            self._taken()
            try:
                answer = await self._handle(frame, self._listener)
            except Exception:
                log.exception("dc09.frame_failed", listener=self._listener)  # the panel will retry
                answer = None
            self._heard_at = asyncio.get_running_loop().time()
            if self._closing and self._queue.empty():
                return
            if answer is None or self._transport is None or self._transport.is_closing():
                continue
            self._transport.write(answer)
            self._bad = self._bad + 1 if b'"NAK"' in answer else 0
            if self._bad > MAX_BAD_FRAMES:
                self._hang_up("unreadable_frames")

    def _check_idle(self) -> None:
        """Close the connection if nothing came or went for the idle timeout; else look again later."""
        if self._closing:
            return
        loop = asyncio.get_running_loop()
        remaining = self._limits.idle_timeout - (loop.time() - self._heard_at)
        if remaining <= 0:
            if self._queue.empty():
                self._hang_up("idle")
                return
            remaining = self._limits.idle_timeout  # frames still wait for us: not idle
        self._idle = loop.call_later(remaining, self._check_idle)

    def _cancel_timers(self) -> None:
        for timer in (self._idle, self._frame_deadline):
            if timer is not None:
                timer.cancel()
        self._idle = self._frame_deadline = None

    def _hang_up(self, why: str) -> None:
        if self._closing:
            return
        self._closing = True
        self._cancel_timers()
        self._stats.closed[why] = self._stats.closed.get(why, 0) + 1
        log.info("dc09.connection_closed", listener=self._listener, reason=why)
        if self._transport is not None:
            self._transport.close()


class Dc09Udp(asyncio.DatagramProtocol):
    """UDP: one datagram, one frame, one answer to the sender; a bounded number at a time."""

    def __init__(self, handle: Handler, listener: str, limits: Limits, stats: TransportStats) -> None:
        self._handle = handle
        self._listener = listener
        self._limits = limits
        self._stats = stats
        self._dropped = _Report("dc09.datagrams_dropped")
        self._transport: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        if len(self._tasks) >= self._limits.max_udp_in_flight:
            self._stats.udp_dropped += 1
            self._dropped.count(listener=self._listener, limit=self._limits.max_udp_in_flight)
            return
        task = asyncio.get_running_loop().create_task(self._answer(data, addr))
        self._tasks.add(task)
        self._stats.udp_in_flight = len(self._tasks)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._stats.udp_in_flight = len(self._tasks)

    async def _answer(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        try:
            frames, _ = dc09.split_frames(data)
        except dc09.FrameError:
            frames = [data]
        for frame in frames or [data]:
            try:
                answer = await self._handle(frame, self._listener)
            except Exception:
                log.exception("dc09.datagram_failed", listener=self._listener)
                continue
            if answer is not None and self._transport is not None:
                self._transport.sendto(answer, addr)


class Dc09Server:
    """TCP and UDP listeners on one port."""

    def __init__(
        self,
        handle: Handler,
        host: str,
        port: int,
        tls: ssl.SSLContext | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._handle = handle
        self.host = host
        self.port = port
        self._tls = tls
        self.limits = limits or Limits()
        self.stats = TransportStats()
        self._refused = _Report("dc09.connections_refused")
        self._tcp: asyncio.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        read_buffer = bytearray(READ_SIZE)
        self._tcp = await loop.create_server(
            lambda: Dc09Tcp(
                self._handle,
                f"tcp:{self.port}",
                self.limits,
                self.stats,
                self._refused,
                read_buffer=read_buffer,
            ),
            self.host,
            self.port,
            ssl=self._tls,
            reuse_address=True,
            backlog=1024,
        )
        self.port = self._tcp.sockets[0].getsockname()[1]  # when 0 was asked for
        self._udp, _ = await loop.create_datagram_endpoint(
            lambda: Dc09Udp(self._handle, f"udp:{self.port}", self.limits, self.stats),
            local_addr=(self.host, self.port),
        )

    @property
    def listening(self) -> bool:
        """Whether both listeners are up."""
        return self._tcp is not None and self._udp is not None

    def status(self) -> dict[str, Any]:
        """For the node's health: whether it listens, on which port, and how many TCP connections are open."""
        return {"listening": self.listening, "port": self.port, "connections": self.stats.open_connections}

    async def stop(self) -> None:
        udp, tcp, self._udp, self._tcp = self._udp, self._tcp, None, None
        if udp is not None:
            udp.close()
        if tcp is not None:
            tcp.close()
            with contextlib.suppress(Exception):
                await tcp.wait_closed()


ReceiverFailed = LoopFailed  # what :func:`run_receiver` raises when one of its loops fails


async def run_receiver(server: Dc09Server, loops: Sequence[Loop], stop: asyncio.Event) -> None:
    """Listen until ``stop``; the loops (group commit, supervision…) run alongside and finish after.

    All run in one :class:`asyncio.TaskGroup` (:func:`run_loops`): if one fails or ends before ``stop``,
    the others are cancelled, the listeners close, a ``process.loop_failed`` error event is logged and
    :class:`LoopFailed` is raised, so the process exits instead of running half a receiver."""

    async def listeners(finishing: asyncio.Event) -> None:
        try:
            await server.start()
        except OSError as exc:
            raise LoopFailed(
                f"The DC-09 receiver cannot listen on {server.host}:{server.port} ({exc}): "
                "choose another address or port, or stop what uses it."
            ) from exc
        log.warning("dc09.listening", host=server.host, port=server.port, **asdict(server.limits))
        await stop.wait()
        await server.stop()
        await asyncio.sleep(0.05)  # frames already read get their batch
        finishing.set()

    try:
        await run_loops("receiver", [listeners, *loops], asyncio.Event())
    finally:
        await server.stop()
