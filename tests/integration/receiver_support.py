"""A receiver running in-process on a real database, and a panel that talks to it over real sockets."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.integration.helpers import Room, make_room
from tocsin.adapters.clock import SystemClock
from tocsin.bootstrap import Node, bootstrap, receiver_parts
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.protocols import dc09
from tocsin.receivers.dc09 import Dc09Server, Limits, run_receiver
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeHasher

KEY = bytes(range(16))


@dataclass
class Receiving:
    """The node, its room and the port the receiver listens on."""

    node: Node
    room: Room
    port: int
    server: Dc09Server

    def signals(self) -> list[Signal]:
        return self.node.store.read(
            lambda uow: uow.signals.find(Scope.system(), limit=10_000), Scope.system()
        )

    def entries(self, kind: str) -> list[dict[str, object]]:
        found = self.node.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
        return [dict(e.data) for e in found if e.kind == kind]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def add_accounts(node: Node, room: Room) -> None:
    """Account 1234 (plain) and 5678 (AES-128) on site A, receiver 1 line 1."""
    scope = Scope.tenant(room.tenant_id)
    node.keys.put("acct-5678", KEY)
    node.messagebus.handle(c.AddAccount(room.site_a, "1234", "1", "1"), scope=scope, actor="t")
    node.messagebus.handle(
        c.AddAccount(room.site_a, "5678", "1", "1", key_ref="acct-5678"), scope=scope, actor="t"
    )


def receiving_room(node: Node) -> Room:
    """The room whose accounts an earlier receiver on this database declared (a transmitter identity is
    unique on the node, across tenants), or a new room with :func:`add_accounts`."""

    def earlier(uow: UnitOfWork) -> Room | None:
        tenant_id = uow.account_identities.holder("1", "1", "1234")
        if tenant_id is None:
            return None
        clients = {client.ref: client.id for client in uow.clients.find(tenant_id=tenant_id)}
        sites = {site.ref: site.id for site in uow.sites.find(tenant_id=tenant_id)}
        bus = MessageBus(node.store, Deps(hasher=FakeHasher()))
        return Room(bus, tenant_id, clients["A"], clients["B"], sites["SA"], sites["SB"])

    room = node.store.read(earlier, Scope.system())
    if room is None:
        room = make_room(node.store)
        add_accounts(node, room)
    return room


@contextmanager
def running_receiver(
    url: str,
    var_dir: Path,
    tls: ssl.SSLContext | None = None,
    limits: Limits | None = None,
    **settings: Any,
) -> Iterator[Receiving]:
    """A receiver on a free port, in a thread with its own event loop (``settings``: more Settings;
    ``limits``: the transports' limits, the defaults otherwise)."""
    node = bootstrap(
        Settings(database_url=url, var_dir=var_dir, **settings), hasher=FakeHasher(), clock=SystemClock()
    )
    room = receiving_room(node)
    parts = receiver_parts(node)
    server = Dc09Server(parts.intake.receive, "127.0.0.1", 0, tls, limits)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    started = threading.Event()

    async def main() -> None:
        task = asyncio.create_task(run_receiver(server, parts.loops(), stop))
        while server.port == 0:  # noqa: ASYNC110 - the server sets its port once bound; nothing to await
            await asyncio.sleep(0.01)
        started.set()
        await task

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield Receiving(node, room, server.port, server)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
        node.close()


def frame(
    account: str, sequence: int, data: str, *, key: bytes | None = None, token: str = "ADM-CID"
) -> bytes:
    """A frame as a panel would send it, time-stamped now."""
    return dc09.encode(
        token,
        f"{sequence:04d}",
        account,
        data,
        receiver="1",
        line="1",
        timestamp=datetime.now(UTC).replace(microsecond=0),
        key=key,
    )


def send_tcp(port: int, frames: list[bytes]) -> list[bytes]:
    """Send frames on one connection, one at a time, reading each answer."""
    answers = []
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for raw in frames:
            sock.sendall(raw)
            answers.append(_read_answer(sock))
    return answers


def _read_answer(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def send_udp(port: int, raw: bytes) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(10)
        sock.sendto(raw, ("127.0.0.1", port))
        return sock.recv(4096)
