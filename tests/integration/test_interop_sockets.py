"""Independent DC-09 implementations over real sockets, TCP and UDP.

- dc09-spt's own dialler (its queue, send thread and TCP/UDP paths) sends SIA DCS and Contact ID events
  to our receiver, which stores them and answers what dc09-spt's answer checker accepts.
- Our panel simulator (what ``tocsin simulate panels`` runs) sends plain and encrypted traffic to
  pysiaalarm's asyncio receiver: every frame pysiaalarm delivers decodes with our codec to the same
  fields, and every answer pysiaalarm gives is read by our codec as an ACK echoing the frame.

dc09-spt cannot encrypt (it was written for pycrypto), so encrypted traffic is covered by the second pair.
pysiaalarm's UDP server cannot start on Python 3.11 as shipped (see ``_Datagrams``); its datagram
protocol is driven through a thin adapter instead.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pysiaalarm")
pytest.importorskip("dc09_spt")

from dc09_spt import dc09_spt as spt_module
from pysiaalarm import SIAAccount, SIAEvent
from pysiaalarm.aio import SIAClient
from pysiaalarm.utils import CommunicationsProtocol

from tests.integration.receiver_support import Receiving, free_port, running_receiver
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.protocols import contact_id, dc09, sia_dcs
from tocsin.protocols.dc09.encode import wrap
from tocsin.simulators.panels import Panel, PanelSimulator


@pytest.fixture
def rx(fresh_db_url: str, tmp_path: Path) -> Iterator[Receiving]:
    with running_receiver(fresh_db_url, tmp_path) as receiving:
        yield receiving


# ------------------------------------------------------------------ dc09-spt's dialler → our receiver


Dc09Spt = spt_module.dc09_spt  # the dialler class, named as the package names it


def _wait_sent(spt: Dc09Spt, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while spt.notSent() or spt.state().get("send active") or spt.state()["msgs sent"] < count:
        assert time.monotonic() < deadline, f"dc09-spt could not deliver everything: {spt.state()}"
        time.sleep(0.05)


@pytest.mark.parametrize("transport", ["TCP", "UDP"])
def test_dc09_spt_dialler_delivers_to_our_receiver(rx: Receiving, transport: str) -> None:
    """Twelve events from dc09-spt's dialler, over its own TCP or UDP path, all acknowledged and stored.

    dc09-spt numbers its frames in hex (the tenth is "000A"), so its account names the hex-sequence
    profile; the answers echo the number as sent, which dc09-spt checks before counting a message sent.
    """
    rx.node.messagebus.handle(
        c.AddAccount(rx.room.site_a, "5A5A", "2", "3", profile="hex-sequence"),
        scope=Scope.tenant(rx.room.tenant_id),
        actor="t",
    )
    spt = Dc09Spt("5A5A", receiver=2, line=3)
    spt.set_path("main", "primary", "127.0.0.1", rx.port, type=transport)
    for user in range(1, 11):
        spt.send_msg("SIA-DCS", {"code": "OP", "area": 2, "user": user})
    spt.send_msg("ADM-CID", {"code": 130, "q": 1, "area": 2, "zone": 11})
    spt.send_msg("ADM-CID", {"code": 130, "q": 3, "area": 2, "zone": 11})
    _wait_sent(spt, 12)

    stored = sorted((s for s in rx.signals() if s.account_number == "5A5A"), key=lambda s: s.received_at)
    assert [s.sequence for s in stored] == [f"{n:04X}" for n in range(1, 13)]
    assert all(s.answer.startswith("ACK") and s.problem is None for s in stored), stored
    assert [s.listener.split(":")[0] for s in stored] == [transport.lower()] * 12
    events = [s.events[0] for s in stored]
    assert [(e["code"], e["partition"], e["zone"], e["class"]) for e in events[:10]] == [
        ("OP", "2", str(user), "open_close") for user in range(1, 11)
    ]
    assert [(e["code"], e["partition"], e["zone"], e["restore"]) for e in events[10:]] == [
        ("130", "02", "011", False),
        ("130", "02", "011", True),
    ]


# ------------------------------------------------------------------ our simulator → pysiaalarm's receiver

PYSIA_KEY = "0123456789ABCDEF"  # pysiaalarm uses these characters' bytes as the AES-128 key


async def _simulate_against_pysiaalarm(
    transport: str, encrypted: bool, protocol: str
) -> tuple[list[SIAEvent], PanelSimulator]:
    key = PYSIA_KEY if encrypted else None
    numbers = [f"A{n:03X}" for n in range(1, 5)]
    delivered: list[SIAEvent] = []

    async def collect(event: SIAEvent) -> None:
        delivered.append(event)

    port = free_port()
    accounts = [SIAAccount(n, key) for n in numbers]
    server = SIAClient("127.0.0.1", port, accounts, collect, protocol=CommunicationsProtocol(transport))
    if transport == "TCP":
        await server.async_start()
    else:  # pysiaalarm's own start fails on Python 3.11: see _Datagrams
        udp = server.sia_server
        endpoint, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: _Datagrams(udp), local_addr=("127.0.0.1", port)
        )
    try:
        panels = [Panel(n, key=None if key is None else key.encode("ascii")) for n in numbers]
        simulator = PanelSimulator(
            panels, "127.0.0.1", port, rate=60.0, udp=transport == "UDP", protocol=protocol, seed=11
        )
        await simulator.run(1.5)
        await asyncio.sleep(0.1)  # pysiaalarm calls back after it answers
    finally:
        if transport == "TCP":
            await server.async_stop()
        else:
            endpoint.close()
    return delivered, simulator


class _Datagrams(asyncio.DatagramProtocol):
    """Hands datagrams to pysiaalarm's UDP server protocol, which parses, checks and answers them itself.

    Its ``connection_made`` asserts that the transport is an ``asyncio.DatagramTransport``, which the
    datagram transports of Python 3.11 (and uvloop's) do not subclass, so it cannot start as shipped."""

    def __init__(self, server: Any) -> None:
        self._server = server

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._server.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self._server.datagram_received(data, addr)


@pytest.mark.parametrize("protocol", ["ADM-CID", "SIA-DCS"])
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "aes128"])
@pytest.mark.parametrize("transport", ["TCP", "UDP"])
def test_pysiaalarm_receives_our_simulated_panels(transport: str, encrypted: bool, protocol: str) -> None:
    """pysiaalarm acknowledges every frame of our simulator and reads each one as our codec does."""
    delivered, simulator = asyncio.run(_simulate_against_pysiaalarm(transport, encrypted, protocol))
    report = simulator.report
    assert report.sent >= 20, report
    assert (report.acked, report.refused, report.failed, report.bad_answers) == (report.sent, 0, 0, 0)
    assert len(delivered) == report.sent

    key = PYSIA_KEY.encode("ascii") if encrypted else None
    for event in delivered:
        assert event.full_message is not None
        # pysiaalarm keeps the message from the opening quote; CRC and length go around it again.
        assert event.msg_crc == event.calc_crc
        ours = dc09.decode(wrap(event.full_message.encode("ascii")), lambda *_: key)
        assert (event.account, event.sequence) == (ours.account, ours.sequence)
        assert (event.receiver, event.line) == (f"R{ours.receiver}", f"L{ours.line}")
        assert event.encrypted == ours.encrypted == encrypted
        assert event.message_type is not None
        assert event.message_type.value == ours.id_token
        if ours.id_token == "NULL":
            continue
        if protocol == "SIA-DCS":
            (sia,) = sia_dcs.parse(ours.data)
            assert (event.code, event.ri, event.message) == (sia.code, sia.partition, sia.zone_or_user)
        else:
            cid = contact_id.parse(ours.data)
            qualifier = {"new": "1", "restore": "3", "status": "6"}[cid.qualifier]
            assert (event.event_qualifier, event.event_type, event.partition, event.ri) == (
                qualifier,
                cid.code,
                cid.partition,
                cid.zone_or_user,
            )
        assert event.timestamp is not None
        assert event.timestamp == ours.timestamp
