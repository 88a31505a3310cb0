"""A message is remembered before its commit is awaited: a copy arriving meanwhile is stored once and
answered only once the first copy is durable."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.unit.intake_support import frame, running_intake
from tocsin.protocols import dc09


def test_a_copy_during_a_slow_commit_is_stored_once_and_acked_after_durability(tmp_path: Path) -> None:
    """Two copies of one frame (UDP, then a new TCP connection) while the first commit hangs: neither is
    answered before the commit ends, both get an ACK after, and one signal is stored."""

    async def scenario() -> None:
        async with running_intake(tmp_path) as rx:
            raw = frame("1234", 7, at=rx.clock.now())
            rx.store.slow = True
            first = asyncio.create_task(rx.intake.receive(raw, "udp:9000"))
            assert await asyncio.to_thread(rx.store.entered.wait, 10)  # the first commit is under way
            second = asyncio.create_task(rx.intake.receive(raw, "tcp:9000"))
            await asyncio.sleep(0.1)
            assert not first.done()
            assert not second.done()  # never ACK before durable
            assert rx.signals() == []
            rx.store.gate.set()
            answers = await asyncio.gather(first, second)
            assert [dc09.decode(a).id_token for a in answers if a is not None] == ["ACK", "ACK"]
            assert [s.sequence for s in rx.signals()] == ["0007"]

    asyncio.run(scenario())


def test_a_copy_waiting_on_a_failed_commit_is_stored_itself(tmp_path: Path) -> None:
    """If the first copy's commit fails (neither store nor journal took it), the waiting copy is not
    answered on its behalf: it is committed itself."""

    async def scenario() -> None:
        async with running_intake(tmp_path) as rx:
            raw = frame("1234", 8, at=rx.clock.now())
            failing = rx.intake._committer  # made to fail once, as a full disk would
            original = failing.submit
            calls = 0

            async def submit_failing_once(signal):  # type: ignore[no-untyped-def]
                nonlocal calls
                calls += 1
                if calls == 1:
                    await asyncio.sleep(0.05)
                    raise OSError("disk full")
                await original(signal)

            failing.submit = submit_failing_once  # type: ignore[method-assign]
            first = asyncio.create_task(rx.intake.receive(raw, "udp:9000"))
            await asyncio.sleep(0)
            second = asyncio.create_task(rx.intake.receive(raw, "tcp:9000"))
            results = await asyncio.gather(first, second, return_exceptions=True)
            assert isinstance(results[0], OSError)
            assert isinstance(results[1], bytes)
            assert dc09.decode(results[1]).id_token == "ACK"
            assert len(rx.signals()) == 1

    asyncio.run(scenario())
