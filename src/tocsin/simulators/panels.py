"""Simulated alarm panels: realistic DC-09 traffic to a receiver, for the demo and for benchmarks.

Each panel keeps one TCP connection (or sends datagrams) and sends, at its share of the rate, a mix of
supervision polls, openings and closings, periodic tests, alarms followed by their restore, and the odd
fire or panic. It waits for each answer and measures the ACK latency.

A panel of a declared site reports only the zones that site declares (none declared: no zone events);
a panel of no known site (``zones=None``) draws zone numbers 1 to 32.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tocsin.protocols import dc09


@dataclass(frozen=True, slots=True)
class Panel:
    """A transmitter to impersonate."""

    account: str
    receiver: str = "1"
    line: str = "1"
    key: bytes | None = None
    zones: tuple[str, ...] | None = None  # the site's declared zone numbers; None: no site known


@dataclass
class Report:
    """What a run measured."""

    sent: int = 0
    acked: int = 0
    refused: int = 0  # NAK or DUH
    failed: int = 0  # no answer, or the connection broke
    bad_answers: int = 0  # an answer our codec cannot read, or that does not echo the frame
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    unreachable: str | None = None  # why the receiver could not be reached, the first time it failed

    def lines(self) -> list[str]:
        ms = sorted(x * 1000 for x in self.latencies) or [0.0]
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        return [
            f"sent {self.sent}, acknowledged {self.acked}, refused {self.refused}, failed {self.failed},"
            f" bad answers {self.bad_answers} in {self.seconds:.1f} s"
            f" ({self.acked / max(self.seconds, 1e-9):.0f} ACK/s)",
            f"ACK latency ms: p50 {statistics.median(ms):.2f}, p99 {p99:.2f}, max {ms[-1]:.2f}",
        ]


# (weight, Contact ID event, SIA DCS event) — the SIA zone/user number is added at random.
TRAFFIC = [
    (50, None, None),  # NULL supervision poll
    (8, "1401 01 {user}", "Nri1/OP{user}"),
    (8, "3401 01 {user}", "Nri1/CL{user}"),
    (8, "1602 00 000", "Nri0/RP0000"),
    (10, "1130 01 {zone}", "Nri1/BA{zone}"),
    (10, "3130 01 {zone}", "Nri1/BR{zone}"),
    (2, "1110 01 {zone}", "Nri1/FA{zone}"),
    (1, "1120 01 {zone}", "Nri1/PA{zone}"),
    (3, "1301 00 000", "Nri0/AT0000"),
]


ZONELESS_TRAFFIC = [t for t in TRAFFIC if not (t[1] or "").endswith("{zone}")]


def panel_zones(numbers: list[str]) -> tuple[str, ...]:
    """A site's declared zone numbers as a panel sends them (three digits); others cannot be sent."""
    return tuple(sorted({f"{int(n):03d}" for n in numbers if n.strip().isdigit() and 0 < int(n) <= 999}))


class PanelSimulator:
    """Runs many panels against one receiver."""

    def __init__(
        self,
        panels: list[Panel],
        host: str,
        port: int,
        *,
        rate: float,
        udp: bool = False,
        protocol: str = "ADM-CID",
        seed: int = 7,
    ) -> None:
        self._panels = panels
        self._host, self._port = host, port
        self._interval = len(panels) / rate
        self._udp = udp
        self._protocol = protocol
        self._random = random.Random(seed)  # noqa: S311 - simulated traffic, not security
        self.report = Report()

    def _frame(self, panel: Panel, sequence: int) -> bytes:
        traffic = TRAFFIC if panel.zones is None or panel.zones else ZONELESS_TRAFFIC
        weights = [w for w, _, _ in traffic]
        _, cid, sia = self._random.choices(traffic, weights)[0]
        stamp = datetime.now(UTC).replace(microsecond=0)  # noqa: TID251 - a panel's own clock
        number = _number(sequence)
        if cid is None:
            return dc09.encode(
                "NULL",
                number,
                panel.account,
                "",
                receiver=panel.receiver,
                line=panel.line,
                timestamp=stamp,
                key=panel.key,
            )
        if panel.zones is None:
            zone = f"{self._random.randint(1, 32):03d}"
        else:  # a site with no zones declared draws only zone-less traffic: this is never sent
            zone = self._random.choice(panel.zones) if panel.zones else "000"
        user = f"{self._random.randint(1, 8):03d}"
        template = cid if self._protocol == "ADM-CID" or sia is None else sia
        body = template.format(zone=zone, user=user)
        return dc09.encode(
            self._protocol,
            number,
            panel.account,
            body,
            receiver=panel.receiver,
            line=panel.line,
            timestamp=stamp,
            key=panel.key,
        )

    async def run(self, seconds: float) -> Report:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(self._panel(p, deadline) for p in self._panels))
        self.report.seconds = time.perf_counter() - started
        return self.report

    async def _panel(self, panel: Panel, deadline: float) -> None:
        await asyncio.sleep(self._random.random() * self._interval)  # spread the panels out
        if self._udp:
            await self._udp_panel(panel, deadline)
            return
        try:
            reader, writer = await asyncio.open_connection(self._host, self._port)
        except OSError as exc:
            self.report.failed += 1
            self.report.unreachable = self.report.unreachable or _reason(exc)
            return
        sequence = 0
        try:
            while time.perf_counter() < deadline:
                sequence += 1
                began = time.perf_counter()
                writer.write(self._frame(panel, sequence))
                answer = await asyncio.wait_for(reader.readuntil(b"\r"), 10)
                self._count(panel, sequence, answer, time.perf_counter() - began)
                await asyncio.sleep(max(0.0, self._interval - (time.perf_counter() - began)))
        except (OSError, asyncio.IncompleteReadError, TimeoutError):
            self.report.failed += 1
        finally:
            writer.close()

    async def _udp_panel(self, panel: Panel, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        answers: asyncio.Queue[bytes] = asyncio.Queue()

        report = self.report

        class _Endpoint(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
                answers.put_nowait(data)

            def error_received(self, exc: Exception) -> None:  # e.g. ICMP port unreachable
                report.unreachable = report.unreachable or _reason(exc)

        transport, _ = await loop.create_datagram_endpoint(_Endpoint, remote_addr=(self._host, self._port))
        sequence = 0
        try:
            while time.perf_counter() < deadline:
                sequence += 1
                began = time.perf_counter()
                transport.sendto(self._frame(panel, sequence))
                try:
                    answer = await asyncio.wait_for(answers.get(), 5)
                except TimeoutError:
                    self.report.failed += 1
                    continue
                self._count(panel, sequence, answer, time.perf_counter() - began)
                await asyncio.sleep(max(0.0, self._interval - (time.perf_counter() - began)))
        finally:
            transport.close()

    def _count(self, panel: Panel, sequence: int, answer: bytes, latency: float) -> None:
        """Read the answer with our codec: an ACK counts only if it echoes the frame's sequence and
        account (and, for an encrypted frame, is encrypted with the panel's key)."""
        self.report.sent += 1
        try:
            reply = dc09.decode(answer, lambda *_: panel.key)
        except dc09.FrameError:
            self.report.bad_answers += 1
            return
        if reply.id_token in {"NAK", "DUH"}:
            self.report.refused += 1
        elif (
            reply.id_token == "ACK"  # noqa: S105 - a DC-09 answer token, not a password
            and reply.sequence == _number(sequence)
            and reply.account.upper() == panel.account.upper()
            and reply.encrypted == (panel.key is not None)
        ):
            self.report.acked += 1
            self.report.latencies.append(latency)
        else:
            self.report.bad_answers += 1


def _reason(exc: Exception) -> str:
    """Why a socket failed, in the system's words ("Connection refused")."""
    errno = getattr(exc, "errno", None)
    return os.strerror(errno) if isinstance(errno, int) else str(exc)


def _number(sequence: int) -> str:
    """The DC-09 sequence number of a panel's n-th frame: 0001 to 9999, then round again."""
    return f"{(sequence - 1) % 9999 + 1:04d}"
