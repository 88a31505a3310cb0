"""Fuzzing the receiver's intake: valid DC-09 frames, mutations of them, and a driver.

:func:`valid_frame` writes the frames panels send (SIA DCS, Contact ID, NULL polls; clear or
AES-encrypted; receiver and line prefixes; extended blocks). :func:`mutated_frame` damages one in the
ways a line or an attacker does (flipped, inserted, deleted, repeated bytes, truncation, splicing),
and usually rewraps it with a correct CRC and length so that the damage reaches the parsers instead
of stopping at the checksum. :func:`fuzz_intake` streams such frames, cut at random places, through
``dc09.split_frames`` and ``SignalIntake.receive`` (which decodes them) on in-memory twins, and lets
anything but the documented errors escape. Generating from valid frames reaches far deeper than
random bytes at the same speed, so a million frames take about a minute.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.protocols import dc09
from tocsin.protocols.dc09.encode import wrap
from tocsin.services.committer import GroupCommitter
from tocsin.services.handlers.directory import Deps
from tocsin.services.intake import AccountDirectory, SignalIntake
from tocsin.services.messagebus import MessageBus
from tocsin.services.unit_of_work import Store
from tocsin.testing.clock import FakeClock
from tocsin.testing.hashing import FakeHasher
from tocsin.testing.keystore import InMemoryKeyStore
from tocsin.testing.store import InMemoryStore

KEY = bytes.fromhex("0123456789ABCDEF0123456789ABCDEF")
CLEAR, KEYED, QUIRKY = "1234", "5678", "9ABC"
"""Accounts the fuzzed room knows: one in clear, one with an AES key, one with the hex-sequence quirk."""
_NUMBERS = (CLEAR, KEYED, QUIRKY, "ABC", "FFFFFFFF", "0000", "12345678901234AB")
_TOKENS = ("SIA-DCS", "ADM-CID", "NULL", "SIA-DCS", "ADM-CID")
_SIA = ("Nri1/BA501", "NBA501/BR501", "Nid12/OP1", "Nri2/ti10:12/FA12^Kitchen^", "NRP", "OCL5|Ahello")
_CID = ("1130 01 015", "3401 02 007", "18 1602 00 000", "6570 03 123")
_INTERESTING = b'\n\r"*#[]|_:,-/ 0123456789ABCDEFLNRSIAKCMDUHXY\x00\xff^'
_ANSWER = re.compile(rb'"\*?(ACK|NAK|DUH|RSP)"')


def valid_frame(rng: random.Random, now: datetime) -> bytes:
    """A frame a panel could send at ``now``."""
    token, account = rng.choice(_TOKENS), rng.choice(_NUMBERS)
    data = {"SIA-DCS": rng.choice(_SIA), "ADM-CID": rng.choice(_CID), "NULL": ""}[token]
    key = KEY if account == KEYED and rng.random() < 0.8 else None
    stamped = key is not None or rng.random() < 0.5
    extended = rng.choice(((), ("X001E002",), ("Y12N34",), ("K0123456789ABCDEF",), ("Ffire", "Mmac")))
    return dc09.encode(
        token,
        rng.randrange(10_000),
        account,
        data,
        receiver=rng.choice((None, "1", "ABC")),
        line=rng.choice((None, "0", "2")),
        extended=extended,
        timestamp=now + timedelta(seconds=rng.choice((0, 0, 0, -30, 15, -3600))) if stamped else None,
        key=key,
    )


def _flip(body: bytes, at: int, rng: random.Random) -> bytes:
    return body[:at] + bytes([body[at] ^ (1 << rng.randrange(8))]) + body[at + 1 :]


def _replace(body: bytes, at: int, rng: random.Random) -> bytes:
    return body[:at] + bytes([rng.choice(_INTERESTING)]) + body[at + 1 :]


def _insert(body: bytes, at: int, rng: random.Random) -> bytes:
    return body[:at] + bytes(rng.choice(_INTERESTING) for _ in range(rng.randint(1, 4))) + body[at:]


def _delete(body: bytes, at: int, rng: random.Random) -> bytes:
    return body[:at] + body[at + rng.randint(1, 8) :]


def _repeat(body: bytes, at: int, rng: random.Random) -> bytes:
    return body[:at] + body[at : at + rng.randint(1, 16)] * rng.randint(2, 4) + body[at:]


def _truncate(body: bytes, at: int, rng: random.Random) -> bytes:
    return body[:at]


def _noise(body: bytes, at: int, rng: random.Random) -> bytes:
    return body[:at] + rng.randbytes(rng.randint(1, 6)) + body[at:]


_MUTATIONS = (_flip, _replace, _insert, _delete, _repeat, _truncate, _noise)


def _mutate(body: bytes, rng: random.Random) -> bytes:
    if not body:
        return bytes([rng.choice(_INTERESTING)])
    return rng.choice(_MUTATIONS)(body, rng.randrange(len(body)), rng)


def mutated_frame(rng: random.Random, now: datetime) -> bytes:
    """A valid frame, or (nine times in ten) a damaged one, mostly with a CRC and length that match."""
    frame = valid_frame(rng, now)
    if rng.random() < 0.1:
        return frame
    message = frame[9:-1]  # LF, CRC (4) and length (4) first; CR last
    if rng.random() < 0.1:  # splice with another frame's message
        other = valid_frame(rng, now)[9:-1]
        message = message[: rng.randrange(len(message) + 1)] + other[rng.randrange(len(other) + 1) :]
    for _ in range(rng.randint(1, 3)):
        message = _mutate(message, rng)
    if rng.random() < 0.75:
        return wrap(message)
    return frame[:9] + message + b"\r"


class CountingCommitter:
    """Stands in for the group commit: counts what the intake hands over as durable."""

    def __init__(self, store: Store) -> None:
        self.store = store  # where the intake records what it refuses (substitution reports)
        self.submitted = 0
        self.answers: Counter[str] = Counter()

    async def submit(self, signal: Signal) -> None:
        """Take the signal as stored at once."""
        self.submitted += 1
        self.answers[signal.answer] += 1


@dataclass
class FuzzReport:
    """What a fuzz run did: frames sent, answers by kind, stream errors, signals stored, seconds."""

    frames: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    stream_errors: int = 0
    stored: int = 0
    seconds: float = 0.0


def fuzz_room(clock: FakeClock) -> tuple[SignalIntake, CountingCommitter]:
    """An intake on in-memory twins, knowing the accounts :data:`CLEAR`, :data:`KEYED` and :data:`QUIRKY`."""
    store, keys = InMemoryStore(clock), InMemoryKeyStore()
    keys.put("fuzz-key", KEY)
    bus, system = MessageBus(store, Deps(hasher=FakeHasher())), Scope.system()
    tenant = bus.handle(c.CreateTenant("fuzz", "Fuzz"), scope=system, actor="fuzz")
    client = bus.handle(c.CreateClient(tenant.id, "c", "Client"), scope=system, actor="fuzz")
    site = bus.handle(c.CreateSite(tenant.id, client.id, "s", "Site"), scope=system, actor="fuzz")
    for number, key_ref, profile in (
        (CLEAR, None, None),
        (KEYED, "fuzz-key", None),
        (QUIRKY, None, "hex-sequence"),
    ):
        for receiver, line in (("0", "0"), ("1", "2"), ("ABC", "0")):
            command = c.AddAccount(site.id, number, receiver, line, key_ref=key_ref, profile=profile)
            bus.handle(command, scope=system, actor="fuzz")
    accounts = AccountDirectory(store, clock)
    accounts.load()
    committer = CountingCommitter(store)
    intake = SignalIntake(cast(GroupCommitter, committer), accounts, keys, clock, "fuzz")
    return intake, committer


async def fuzz_intake(frames: int, seed: int = 0) -> FuzzReport:
    """Stream ``frames`` generated frames, cut at random places, through split, decode and intake."""
    rng, clock = random.Random(seed), FakeClock()  # noqa: S311 - reproducible, not secret
    intake, committer = fuzz_room(clock)
    report, started, buffer = FuzzReport(), time.perf_counter(), b""
    while report.frames < frames:
        burst = [mutated_frame(rng, clock.now()) for _ in range(min(32, frames - report.frames))]
        if rng.random() < 0.01:  # a frame start that never ends: the stream is not DC-09
            burst.append(b"\n" + b"\x00" * (dc09.MAX_FRAME + 1))
        report.frames += len(burst)
        stream = b"".join(burst)
        while stream:
            cut = rng.randint(1, 2 * len(stream))
            buffer, stream = buffer + stream[:cut], stream[cut:]
            try:
                complete, buffer = dc09.split_frames(buffer)
            except dc09.FormatError:  # documented: the receiver drops such a connection
                report.stream_errors += 1
                buffer = b""
                continue
            for raw in complete:
                answer = await intake.receive(raw, "fuzz")
                found = None if answer is None else _ANSWER.search(answer)
                report.answers["none" if found is None else found[1].decode()] += 1
    report.seconds, report.stored = time.perf_counter() - started, committer.submitted
    return report


def run(frames: int, seed: int = 0) -> FuzzReport:
    """:func:`fuzz_intake` on a fresh event loop."""
    return asyncio.run(fuzz_intake(frames, seed))
