"""The intake as a whole under hostile bytes: every frame gets an answer, nothing else escapes."""

from __future__ import annotations

import asyncio
import functools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.protocols import dc09
from tocsin.protocols.dc09.encode import wrap
from tocsin.services.intake import SignalIntake
from tocsin.testing import FakeClock
from tocsin.testing.fuzzing import fuzz_room, mutated_frame, run, valid_frame

ANSWERS = (b'"ACK"', b'"NAK"', b'"DUH"', b'"RSP"', b'"*ACK"', b'"*RSP"', b'"*NAK"', b'"*DUH"')
_ALPHABET = b'\n\r"*#[]|_:,-/ 0123456789ABCDEFLNRSIAKCMDUHXY^'


@functools.cache
def room() -> tuple[SignalIntake, FakeClock]:
    """One intake on in-memory twins for every example (the accounts never change)."""
    clock = FakeClock()
    return fuzz_room(clock)[0], clock


def answers_for(stream: bytes) -> list[bytes | None]:
    """Split a stream into frames and answer each, as the receiver does for one connection."""
    intake, _ = room()
    try:
        frames, _rest = dc09.split_frames(stream)
    except dc09.FormatError:
        return []
    return [asyncio.run(intake.receive(raw, "fuzz")) for raw in frames]


def assert_answered(answers: list[bytes | None]) -> None:
    for answer in answers:
        assert answer is None or any(token in answer for token in ANSWERS), answer


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.lists(st.sampled_from(list(_ALPHABET)), max_size=200).map(bytes))
def test_any_bytes_get_an_answer_or_none(stream: bytes) -> None:
    """Arbitrary bytes, split and received, give ACK/NAK/DUH/RSP or nothing, never an exception."""
    assert_answered(answers_for(b"\n" + stream + b"\r"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.lists(st.sampled_from(list(_ALPHABET)), max_size=150).map(bytes))
def test_any_message_with_a_valid_crc_gets_an_answer(message: bytes) -> None:
    """Arbitrary messages under a correct CRC and length reach the parsers and still get an answer."""
    for prefix in (b"", b'"SIA-DCS"0001L0#1234[', b'"ADM-CID"0001R1L2#1234[#1234|', b'"*SIA-DCS"0001#5678['):
        answers = answers_for(wrap(prefix + message))
        assert_answered(answers)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_valid_frames_get_an_answer(seed: int) -> None:
    """Damaged panel frames (clear, encrypted, quirky) get an answer; undamaged ones are acknowledged."""
    rng, (_, clock) = random.Random(seed), room()  # noqa: S311 - reproducible, not secret
    assert_answered(answers_for(mutated_frame(rng, clock.now())))
    intact = answers_for(valid_frame(rng, clock.now()))
    assert len(intact) == 1


def test_a_short_fuzz_run_meets_only_documented_errors() -> None:
    """Twenty thousand generated frames through split, decode and intake: every one answered."""
    report = run(20_000, seed=2026)
    assert report.frames == 20_000
    assert {"ACK", "NAK", "DUH", "RSP"} <= set(report.answers)
    assert report.stored > 0
    assert report.stream_errors > 0  # the documented error was met, and handled
