"""Simulated alarm panels: realistic DC-09 traffic to a receiver, for the demo and for benchmarks.

Each panel keeps one TCP connection (or sends datagrams) and sends, at its share of the rate, a mix of
supervision polls, openings and closings (following its armed state), periodic tests, burglaries and
technical faults each followed a little later by its restore on the same zone, and, rarely, a fire, a
panic or a duress call (see :data:`TRAFFIC`). It waits for each answer and measures the ACK latency.

A panel of a declared site reports only the zones that site declares (none declared: no zone events);
a panel of no known site (``zones=None``) draws zone numbers 1 to 32. A panel whose site keeps opening
hours (``open_at``) opens and closes as its people would: it is disarmed only while the site is open, so
the demo room does not fill with "opened outside hours" alarms at night.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections.abc import Callable
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
    open_at: Callable[[datetime], bool] | None = None  # the site's hours: whether it is open then


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


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of frame in the mix: its share, its Contact ID and SIA DCS event (``{zone}`` or ``{user}``
    filled in; None for a NULL supervision poll), and the restore the panel sends on the same zone after
    ``restore_after`` (fewest, most) of its own later frames, when the event has one."""

    name: str
    weight: float
    cid: str | None
    sia: str | None
    restore_cid: str | None = None
    restore_sia: str | None = None
    restore_after: tuple[int, int] = (1, 1)

    @property
    def zoned(self) -> bool:
        """Whether the event names a zone (a site with no zones declared never sends it)."""
        return "{zone}" in (self.cid or "")


# The mix, per 1,000 frames. At the demo's pace (a frame a minute per panel, 40 panels: 2,400 frames an
# hour) that is about two burglaries a minute, a few fires, panics and duress calls an hour, and mostly
# polls, periodic tests, openings and closings. An opening or a closing follows the panel's state: a
# disarmed panel closes, an armed one opens.
OPEN_CLOSE = "open_close"
TRAFFIC: tuple[Kind, ...] = (
    Kind("poll", 365, None, None),
    Kind(OPEN_CLOSE, 380, "1401 01 {user}", "Nri1/OP{user}", "3401 01 {user}", "Nri1/CL{user}"),
    Kind("test", 180, "1602 00 000", "Nri0/RP0000"),
    Kind("burglary", 50, "1130 01 {zone}", "Nri1/BA{zone}", "3130 01 {zone}", "Nri1/BR{zone}", (1, 3)),
    Kind("mains_loss", 10, "1301 00 000", "Nri0/AT0000", "3301 00 000", "Nri0/AR0000", (3, 10)),
    Kind("low_battery", 6, "1302 00 000", "Nri0/YT0000", "3302 00 000", "Nri0/YR0000", (5, 20)),
    Kind("tamper", 6, "1137 01 {zone}", "Nri1/TA{zone}", "3137 01 {zone}", "Nri1/TR{zone}", (1, 4)),
    Kind("fire", 1.5, "1110 01 {zone}", "Nri1/FA{zone}", "3110 01 {zone}", "Nri1/FR{zone}", (2, 5)),
    Kind("panic", 1.0, "1120 01 {zone}", "Nri1/PA{zone}", "3120 01 {zone}", "Nri1/PR{zone}", (1, 3)),
    Kind("duress", 0.5, "1121 01 {user}", "Nri1/HA{user}"),
)

ZONELESS_TRAFFIC = tuple(k for k in TRAFFIC if not k.zoned)


@dataclass(frozen=True, slots=True)
class Event:
    """One frame's event: its kind's name, whether it is a restore, and its Contact ID and SIA DCS bodies
    (None for a NULL poll)."""

    kind: str
    restore: bool
    zone: str
    cid: str | None
    sia: str | None


@dataclass
class _PanelState:
    frames: int = 0
    armed: bool = False
    pending: list[tuple[int, Event]] = field(default_factory=list)  # (due at the panel's frame n, restore)


class Traffic:
    """What each panel sends next: a draw from the mix, or a restore it owes.

    A panel remembers the alarms it has not yet restored and sends each restore, on the same zone, a
    few of its own frames later (the restore is that frame, instead of a draw); a zone in alarm is not
    drawn again for the same kind until restored. Pure: the only state is the panels' and the random
    generator's, so the same seed gives the same traffic.
    """

    def __init__(self, rng: random.Random, mix: tuple[Kind, ...] = TRAFFIC) -> None:
        self._random = rng
        self._mix = mix
        self._zoneless = tuple(k for k in mix if not k.zoned)
        self._panels: dict[str, _PanelState] = {}

    def next(self, panel: Panel, at: datetime | None = None) -> Event:
        """The panel's next event; ``at`` (default: now) is when it is sent, for a panel with hours."""
        state = self._panels.setdefault(panel.account, _PanelState())
        state.frames += 1
        for i, (due, restore) in enumerate(state.pending):
            if due <= state.frames:
                del state.pending[i]
                return restore
        mix = self._mix if panel.zones is None or panel.zones else self._zoneless
        kind = self._random.choices(mix, [k.weight for k in mix])[0]
        if kind.cid is None:
            return Event(kind.name, False, "", None, None)
        user = f"{self._random.randint(1, 8):03d}"
        if kind.name == OPEN_CLOSE:
            if panel.open_at is not None:
                open_now = panel.open_at(at or datetime.now(UTC))  # noqa: TID251 - a panel's own clock
                if state.armed != open_now:  # already as its hours want it: nothing to open or close
                    return Event("poll", False, "", None, None)
            state.armed = not state.armed  # a disarmed panel closes (a restore of 401), an armed one opens
            cid, sia = (kind.restore_cid, kind.restore_sia) if state.armed else (kind.cid, kind.sia)
            return Event(kind.name, state.armed, user, _fill(cid, user, user), _fill(sia, user, user))
        busy = {r.zone for _, r in state.pending if r.kind == kind.name}
        zones = [z for z in (panel.zones or _ANY_ZONES) if z not in busy] if kind.zoned else ["000"]
        if (busy and not kind.zoned) or not zones:  # already in alarm, not yet restored: a poll instead
            return Event("poll", False, "", None, None)
        zone = self._random.choice(zones)
        event = Event(kind.name, False, zone, _fill(kind.cid, zone, user), _fill(kind.sia, zone, user))
        if kind.restore_cid is not None:
            later = self._random.randint(*kind.restore_after)
            cid, sia = _fill(kind.restore_cid, zone, user), _fill(kind.restore_sia, zone, user)
            restore = Event(kind.name, True, zone, cid, sia)
            state.pending.append((state.frames + later, restore))
        return event


_ANY_ZONES = tuple(f"{n:03d}" for n in range(1, 33))  # a panel of no known site: zones 1 to 32


def _fill(template: str | None, zone: str, user: str) -> str | None:
    return None if template is None else template.format(zone=zone, user=user)


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
        mix: tuple[Kind, ...] = TRAFFIC,
    ) -> None:
        self._panels = panels
        self._host, self._port = host, port
        self._interval = len(panels) / rate
        self._udp = udp
        self._protocol = protocol
        self._random = random.Random(seed)  # noqa: S311 - simulated traffic, not security
        self._traffic = Traffic(self._random, mix)
        self.report = Report()

    def _frame(self, panel: Panel, sequence: int) -> bytes:
        event = self._traffic.next(panel)
        stamp = datetime.now(UTC).replace(microsecond=0)  # noqa: TID251 - a panel's own clock
        number = _number(sequence)
        body = event.cid if self._protocol == "ADM-CID" or event.sia is None else event.sia
        return dc09.encode(
            "NULL" if body is None else self._protocol,
            number,
            panel.account,
            body or "",
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
        answers: asyncio.Queue[bytes | None] = asyncio.Queue()  # None: the port is unreachable

        report = self.report

        class _Endpoint(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
                answers.put_nowait(data)

            def error_received(self, exc: Exception) -> None:  # e.g. ICMP port unreachable
                report.unreachable = report.unreachable or _reason(exc)
                answers.put_nowait(None)  # no answer will come: stop waiting for one

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
                if answer is None:  # as over TCP, a panel whose receiver is not there stops
                    self.report.failed += 1
                    return
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
