"""Camera health from thumbnails, without I/O: frozen, covered, defocused and moved, each raised only
once it held for its delay and cleared once gone as long; the clip window's bounds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from tocsin.domain import video_health as vh
from tocsin.domain.clips import SiteVideo
from tocsin.domain.errors import InvalidInput

W, H = vh.THUMB_WIDTH, vh.THUMB_HEIGHT


def scene(shift: int = 0, seed: int = 1) -> bytes:
    """A textured picture: a checkerboard with noise, the board moved ``shift`` pixels right."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable texture, no secret
    return bytes(
        (200 if ((x + shift) // 8 + y // 8) % 2 else 40) + rng.randint(0, 10)
        for y in range(H)
        for x in range(W)
    )


def blurred(gray: bytes) -> bytes:
    """A box blur of the picture (5 pixels wide, twice)."""
    rows = [list(gray[y * W : (y + 1) * W]) for y in range(H)]
    for _ in range(2):
        rows = [
            [sum(r[max(0, x - 2) : x + 3]) // len(r[max(0, x - 2) : x + 3]) for x in range(W)] for r in rows
        ]
        cols = list(zip(*rows, strict=True))
        cols = [
            tuple(sum(c[max(0, y - 2) : y + 3]) // len(c[max(0, y - 2) : y + 3]) for y in range(H))
            for c in cols
        ]
        rows = [list(r) for r in zip(*cols, strict=True)]
    return bytes(v for r in rows for v in r)


def feed(watch: vh.HealthWatch, frames: list[bytes], start: float = 0.0) -> list[vh.Change]:
    """Feed one frame a second; every change raised."""
    changes: list[vh.Change] = []
    for i, frame in enumerate(frames):
        changes += watch.observe(start + i, frame)
    return changes


def live(count: int, seed: int = 0) -> list[bytes]:
    """A live camera: the same scene with fresh noise each frame."""
    return [scene(seed=seed + i) for i in range(count)]


def test_a_live_picture_raises_nothing_and_settles_a_reference() -> None:
    """Noisy frames of one scene: no change, and the third becomes the reference."""
    watch = vh.HealthWatch(frozen_after=3, tamper_after=3)
    assert feed(watch, live(10)) == []
    assert watch.reference is not None


def test_identical_frames_raise_frozen_after_the_delay_and_clear_when_it_moves() -> None:
    """The same bytes for 3 s raise frozen once; live frames for 3 s clear it."""
    watch = vh.HealthWatch(frozen_after=3, tamper_after=3)
    feed(watch, live(4))
    held = scene(seed=99)
    changes = feed(watch, [held] * 3, start=4)
    assert changes == []  # 2 s of sameness: not yet
    changes = feed(watch, [held] * 3, start=7)
    assert changes == [vh.Change("frozen", True, "identical frames")]
    changes = feed(watch, live(5, seed=50), start=10)
    assert [(c.condition, c.on) for c in changes] == [("frozen", False)]


def test_a_black_picture_is_covered() -> None:
    """A black lens for the delay: tamper, covered."""
    watch = vh.HealthWatch(frozen_after=100, tamper_after=2)
    feed(watch, live(4))
    changes = feed(watch, [bytes([2]) * (W * H)] * 4, start=4)
    assert vh.Change("tamper", True, "covered") in changes


def test_a_blurred_picture_is_defocused() -> None:
    """The scene out of focus (edges gone, brightness kept): tamper, defocused."""
    watch = vh.HealthWatch(frozen_after=100, tamper_after=2)
    feed(watch, live(4))
    soft = blurred(scene(seed=7))
    assert vh.look(soft).edges < vh.DEFOCUS_SHARE * vh.look(scene()).edges
    changes = feed(watch, [soft, blurred(scene(seed=8)), blurred(scene(seed=9)), soft], start=4)
    assert vh.Change("tamper", True, "defocused") in changes


def test_a_turned_camera_is_moved() -> None:
    """The scene shifted by one checker square: tamper, moved."""
    watch = vh.HealthWatch(frozen_after=100, tamper_after=2)
    feed(watch, live(4))
    changes = feed(watch, [scene(shift=8, seed=s) for s in range(20, 24)], start=4)
    assert vh.Change("tamper", True, "moved") in changes


def test_one_dark_frame_raises_nothing() -> None:
    """A single black frame (a passing shadow) is gone before the delay."""
    watch = vh.HealthWatch(frozen_after=100, tamper_after=2)
    frames = [*live(4), bytes(W * H), *live(4, seed=30)]
    assert feed(watch, frames) == []


def test_a_thumbnail_of_the_wrong_size_is_refused() -> None:
    """look() names the size it expected."""
    with pytest.raises(ValueError, match="64x48"):
        vh.look(b"\x00" * 10)


def test_the_clip_window_is_around_the_first_signal_and_bounded() -> None:
    """10 s before and 20 s after by default; a negative or too long window is refused."""
    site = uuid4()
    window = SiteVideo(id=site, tenant_id=uuid4(), site_id=site)
    at = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert window.window(at) == (at - timedelta(seconds=10), at + timedelta(seconds=20))
    with pytest.raises(InvalidInput, match="before an alarm"):
        SiteVideo(id=site, tenant_id=uuid4(), site_id=site, pre_seconds=-1)
    with pytest.raises(InvalidInput, match="after an alarm"):
        SiteVideo(id=site, tenant_id=uuid4(), site_id=site, post_seconds=3600)
