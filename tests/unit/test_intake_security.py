"""Keyed accounts accept only encrypted frames: cleartext is refused, not stored, reported once a minute."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import uuid4

from tests.unit.intake_support import KEY, frame, running_intake
from tocsin.protocols import dc09
from tocsin.services.intake.accounts import KnownAccount
from tocsin.services.intake.substitution import SubstitutionReports
from tocsin.testing import FakeClock, InMemoryStore

SUBSTITUTION = "security.substitution_suspected"


def test_cleartext_frames_for_a_keyed_account_get_duh_and_one_entry_a_minute(tmp_path: Path) -> None:
    """Unencrypted frames naming a keyed account are answered DUH, never stored, and write one possible-
    substitution entry per account and minute, not one per frame."""

    async def scenario() -> None:
        async with running_intake(tmp_path) as rx:
            now = rx.clock.now
            answers = [await rx.intake.receive(frame("5678", n, at=now()), "tcp:9000") for n in range(1, 6)]
            assert all(dc09.decode(a).id_token == "DUH" for a in answers if a is not None)
            assert len(answers) == 5
            assert rx.signals() == []
            assert len(rx.entries(SUBSTITUTION)) == 1
            rx.clock.advance(30)
            await rx.intake.receive(frame("5678", 6, at=now()), "udp:9000")
            assert len(rx.entries(SUBSTITUTION)) == 1
            rx.clock.advance(31)
            await rx.intake.receive(frame("5678", 7, at=now()), "udp:9000")
            (first, second) = rx.entries(SUBSTITUTION)
            assert (first["account"], first["listener"], second["listener"]) == (
                "R1 L1 #5678",
                "tcp:9000",
                "udp:9000",
            )
            assert rx.signals() == []

    asyncio.run(scenario())


def test_the_same_account_encrypted_is_still_acknowledged_and_stored(tmp_path: Path) -> None:
    """Refusing cleartext does not touch the account's encrypted frames."""

    async def scenario() -> None:
        async with running_intake(tmp_path) as rx:
            await rx.intake.receive(frame("5678", 1, at=rx.clock.now()), "tcp:9000")
            answer = await rx.intake.receive(frame("5678", 2, at=rx.clock.now(), key=KEY), "tcp:9000")
            assert answer is not None
            assert dc09.decode(answer, lambda *_: KEY).id_token == "ACK"
            assert [s.sequence for s in rx.signals()] == ["0002"]

    asyncio.run(scenario())


def test_a_cleartext_null_poll_does_not_keep_a_keyed_link_alive(tmp_path: Path) -> None:
    """A supervised keyed account's unencrypted NULL poll is refused and does not refresh its path;
    its encrypted poll does."""

    async def scenario() -> None:
        async with running_intake(tmp_path) as rx:
            plain = frame("4321", 1, "", at=rx.clock.now(), token="NULL")
            answer = await rx.intake.receive(plain, "tcp:9000")
            assert answer is not None
            assert dc09.decode(answer).id_token == "DUH"
            assert rx.supervisor.paths == []
            assert len(rx.entries(SUBSTITUTION)) == 1
            sealed = frame("4321", 2, "", at=rx.clock.now(), token="NULL", key=KEY)
            await rx.intake.receive(sealed, "tcp:9000")
            assert rx.supervisor.paths == ["n1|tcp:9000|R1|L1|#4321"]

    asyncio.run(scenario())


def test_an_account_allowing_cleartext_takes_both(tmp_path: Path) -> None:
    """During a migration an account with a key and ``allow_cleartext`` accepts plain and encrypted."""

    async def scenario() -> None:
        async with running_intake(tmp_path) as rx:
            plain = await rx.intake.receive(frame("9ABC", 1, at=rx.clock.now()), "tcp:9000")
            sealed = await rx.intake.receive(frame("9ABC", 2, at=rx.clock.now(), key=KEY), "tcp:9000")
            assert plain is not None
            assert sealed is not None
            assert dc09.decode(plain).id_token == "ACK"
            assert dc09.decode(sealed, lambda *_: KEY).id_token == "ACK"
            assert len(rx.signals()) == 2
            assert rx.entries(SUBSTITUTION) == []

    asyncio.run(scenario())


def test_the_rate_limiter_remembers_a_bounded_number_of_accounts() -> None:
    """However many keyed accounts are imitated, the limiter holds at most its bound, and forgets after
    a minute."""
    clock = FakeClock()
    reports = SubstitutionReports(InMemoryStore(clock), clock, remembered=100)
    accounts = [KnownAccount(uuid4(), uuid4(), uuid4(), "k", None) for _ in range(1000)]
    assert all(reports.due(a) for a in accounts)
    assert len(reports) == 100
    assert not reports.due(accounts[-1])
    clock.advance(61)
    assert reports.due(accounts[-1])
