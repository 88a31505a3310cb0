"""The fake clock and the fake hasher keep the promises of the Clock and SecretHasher ports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.hashing import Argon2Hasher
from tocsin.services.ports import Clock, SecretHasher
from tocsin.testing import FakeClock, FakeHasher
from tocsin.testing.clock import DEFAULT_START


@pytest.fixture(params=["fake", "system"])
def any_clock(request: pytest.FixtureRequest) -> Clock:
    """The fake clock and the system clock."""
    return FakeClock() if request.param == "fake" else SystemClock()


@pytest.fixture(params=["fake", "argon2"])
def hasher(request: pytest.FixtureRequest) -> SecretHasher:
    """The fake hasher and the Argon2 hasher."""
    return FakeHasher() if request.param == "fake" else Argon2Hasher()


# ---------------------------------------------------------------- the Clock port


def test_now_is_aware_utc(any_clock: Clock) -> None:
    """now() is timezone-aware UTC."""
    assert any_clock.now().utcoffset() == timedelta(0)


def test_ids_are_uuid7_and_strictly_increasing(any_clock: Clock) -> None:
    """new_id() makes UUIDv7s, each greater than the one before, even within one millisecond."""
    made = [any_clock.new_id() for _ in range(2000)]
    assert all(i.version == 7 for i in made)
    assert all(a < b for a, b in pairwise(made))


def test_monotonic_never_goes_back(any_clock: Clock) -> None:
    """monotonic() never decreases."""
    first = any_clock.monotonic()
    assert any_clock.monotonic() >= first


# ---------------------------------------------------------------- the fake clock


def test_fake_clock_starts_on_a_monday_morning() -> None:
    """By default the fake clock reads 2026-01-05 08:00 UTC and stands still."""
    clock = FakeClock()
    assert clock.now() == DEFAULT_START == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert clock.now() == clock.now()
    assert clock.monotonic() == 0


def test_fake_clock_advances_and_monotonic_follows() -> None:
    """advance() moves now() and monotonic() by seconds plus timedelta fields."""
    clock = FakeClock()
    assert clock.advance(30) == DEFAULT_START + timedelta(seconds=30)
    clock.advance(minutes=2, milliseconds=500)
    assert clock.now() == DEFAULT_START + timedelta(seconds=150.5)
    assert clock.monotonic() == pytest.approx(150.5)
    with pytest.raises(ValueError, match="only advances forward"):
        clock.advance(-1)


def test_fake_clock_set_jumps_without_monotonic_going_back() -> None:
    """set() jumps the wall clock either way; monotonic() follows forward jumps only."""
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    clock = FakeClock(start)
    clock.set(start + timedelta(hours=2))
    assert clock.monotonic() == pytest.approx(7200)
    clock.set(start)
    assert clock.now() == start
    assert clock.monotonic() == pytest.approx(7200)
    with pytest.raises(ValueError, match="aware datetime"):
        clock.set(datetime(2026, 1, 1))  # noqa: DTZ001  # a naive datetime, refused on purpose


def test_fake_clock_ids_carry_the_fake_time() -> None:
    """An id made after the clock moves carries the fake time in its first 48 bits."""
    clock = FakeClock()
    for _ in range(5):
        clock.new_id()
    clock.advance(hours=1)
    stamp_ms = clock.new_id().int >> 80
    assert stamp_ms == int(clock.now().timestamp() * 1000)


def test_fake_clock_ids_keep_order_across_a_jump_back() -> None:
    """Ids stay strictly increasing when the fake wall clock is set back."""
    clock = FakeClock()
    before = clock.new_id()
    clock.set(DEFAULT_START - timedelta(days=1))
    assert clock.new_id() > before


# ---------------------------------------------------------------- the SecretHasher port


def test_hash_keeps_no_clear_secret_and_verifies(hasher: SecretHasher) -> None:
    """A hash does not contain the secret, verifies it, and rejects another secret."""
    hashed = hasher.hash("blue horizon")
    assert "blue horizon" not in hashed
    assert hasher.verify(hashed, "blue horizon") is True
    assert hasher.verify(hashed, "red horizon") is False


def test_hashes_are_salted(hasher: SecretHasher) -> None:
    """Hashing one secret twice gives two different hashes that both verify."""
    first, second = hasher.hash("same"), hasher.hash("same")
    assert first != second
    assert hasher.verify(first, "same")
    assert hasher.verify(second, "same")


def test_malformed_hash_does_not_verify(hasher: SecretHasher) -> None:
    """verify() returns False, without raising, for text that is not one of its hashes."""
    assert hasher.verify("not a hash", "anything") is False
    assert hasher.verify("", "") is False
