"""Local-time panels around Europe/Paris's daylight-saving changes: stamps read, and answers written, in
the panel's zone, the repeated autumn hour and the skipped spring hour included."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from tests.unit.intake_support import frame, running_intake
from tocsin.protocols import dc09
from tocsin.services.intake import KnownAccount, answer_time, panel_time
from tocsin.testing import FakeClock

PARIS = KnownAccount(uuid4(), uuid4(), uuid4(), None, "local-time", time_zone="Europe/Paris")
UTC_PANEL = KnownAccount(uuid4(), uuid4(), uuid4(), None, None, time_zone="Europe/Paris")


def wall(text: str) -> datetime:
    """A panel's stamp as the decoder returns it: wall-clock digits tagged UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_repeated_autumn_hour_is_read_as_the_occurrence_nearest_our_clock() -> None:
    """On 25 October 2026 02:30 happens twice in Paris (00:30 and 01:30 UTC): each is read right."""
    assert panel_time(wall("2026-10-25T02:30:00"), PARIS, utc("2026-10-25T00:30:05")) == utc(
        "2026-10-25T00:30"
    )
    assert panel_time(wall("2026-10-25T02:30:00"), PARIS, utc("2026-10-25T01:30:05")) == utc(
        "2026-10-25T01:30"
    )


def test_the_skipped_spring_hour_is_read_with_the_offset_nearest_our_clock() -> None:
    """On 29 March 2026 02:30 does not exist in Paris; a panel still on winter time means 01:30 UTC."""
    assert panel_time(wall("2026-03-29T02:30:00"), PARIS, utc("2026-03-29T01:30:10")) == utc(
        "2026-03-29T01:30"
    )
    assert panel_time(wall("2026-03-29T03:30:00"), PARIS, utc("2026-03-29T01:30:10")) == utc(
        "2026-03-29T01:30"
    )


def test_other_panels_stamp_utc() -> None:
    """Without the local-time profile a stamp is UTC whatever the site's zone."""
    assert panel_time(wall("2026-07-01T10:00:00"), UTC_PANEL, utc("2026-07-01T10:00")) == utc(
        "2026-07-01T10:00"
    )
    assert answer_time(utc("2026-07-01T10:00"), UTC_PANEL) == utc("2026-07-01T10:00")


def test_answer_stamps_are_the_panels_wall_clock_across_both_changes() -> None:
    """Summer (UTC+2), the second 02:30 of autumn (UTC+1) and just after the spring jump."""
    assert answer_time(utc("2026-07-01T10:00"), PARIS) == wall("2026-07-01T12:00")
    assert answer_time(utc("2026-10-25T00:30"), PARIS) == wall("2026-10-25T02:30")
    assert answer_time(utc("2026-10-25T01:30"), PARIS) == wall("2026-10-25T02:30")
    assert answer_time(utc("2026-03-29T01:00"), PARIS) == wall("2026-03-29T03:00")


def _stamp_of(answer: bytes | None) -> datetime | None:
    assert answer is not None
    return dc09.decode(answer).timestamp


def test_a_local_time_panel_is_acked_in_its_time_during_the_repeated_hour(tmp_path: Path) -> None:
    """In the second 02:30 of the autumn change a local-time panel's frame is accepted (not NAKed as an
    hour early) and its ACK carries 02:30 Paris time; a frame an hour off gets a NAK in Paris time."""

    async def scenario() -> None:
        clock = FakeClock(utc("2026-10-25T01:30:00"))
        async with running_intake(tmp_path, clock) as rx:
            local = wall("2026-10-25T02:30:00")
            answer = await rx.intake.receive(frame("7777", 1, at=local), "tcp:9000")
            assert dc09.decode(answer).id_token == "ACK"  # type: ignore[arg-type]
            assert _stamp_of(answer) == local
            assert [s.occurred_at for s in rx.signals()] == [utc("2026-10-25T01:30:00")]
            off = await rx.intake.receive(frame("7777", 2, at=local + timedelta(hours=1)), "tcp:9000")
            assert b'"NAK"' in off  # type: ignore[operator]
            assert _stamp_of(off) == local

    asyncio.run(scenario())
