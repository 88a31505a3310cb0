"""Camera health from its images: a frozen picture, and tamper (covered, defocused, moved).

The video worker decodes a frame now and then, shrinks it to a small grey thumbnail and hands it here
with the time it was seen. Each thumbnail is summed up as a :class:`Look` (brightness, spread, edge
energy) and compared with the one before (frozen: nothing changed at all) and with a **reference**, the
picture the camera showed once it settled (tamper). A condition must hold for a while before it is
raised, and be gone for as long before it is cleared, so a passing shadow or one bad frame raises nothing.
Pure: thumbnails and times in, changes out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

THUMB_WIDTH = 64
THUMB_HEIGHT = 48
FROZEN_DIFFERENCE = 0.25  # mean absolute difference (0-255) under which two pictures are the same
DARK = 14.0  # mean brightness under which the lens is taken as covered
FLAT = 5.0  # standard deviation under which the picture is one colour (covered)
DEFOCUS_SHARE = 0.4  # edge energy under this share of the reference's: defocused
MIN_REFERENCE_EDGES = 20.0  # a reference this flat cannot tell a defocus
MOVED_DIFFERENCE = 45.0  # mean absolute difference from the reference over which the camera moved
SETTLE_LOOKS = 3  # the reference is the picture of the third look

Condition = Literal["frozen", "tamper"]


@dataclass(frozen=True, slots=True)
class Look:
    """What a thumbnail shows, in numbers."""

    brightness: float
    spread: float  # standard deviation of the grey levels
    edges: float  # mean squared difference between neighbouring pixels (a blur spreads edges: it falls)


@dataclass(frozen=True, slots=True)
class Change:
    """A condition raised (``on``) or cleared, with the reason to show."""

    condition: Condition
    on: bool
    reason: str = ""


def look(gray: bytes, width: int = THUMB_WIDTH, height: int = THUMB_HEIGHT) -> Look:
    """Sum up a grey thumbnail (``width * height`` bytes, rows top to bottom)."""
    count = width * height
    if len(gray) != count or count == 0:
        raise ValueError(f"a thumbnail of {width}x{height} has {count} bytes, not {len(gray)}")
    mean = sum(gray) / count
    spread = (sum((g - mean) ** 2 for g in gray) / count) ** 0.5
    total = 0
    pairs = 0
    for y in range(height):
        row = gray[y * width : (y + 1) * width]
        total += sum((row[x + 1] - row[x]) ** 2 for x in range(width - 1))
        pairs += width - 1
        if y + 1 < height:
            below = gray[(y + 1) * width : (y + 2) * width]
            total += sum((below[x] - row[x]) ** 2 for x in range(width))
            pairs += width
    return Look(mean, spread, total / pairs if pairs else 0.0)


def difference(first: bytes, second: bytes) -> float:
    """Mean absolute difference of two thumbnails of one size (0 = identical, 255 = opposite)."""
    if len(first) != len(second) or not first:
        return 255.0
    return sum(abs(a - b) for a, b in zip(first, second, strict=True)) / len(first)


def tamper_reason(now: Look, gray: bytes, reference: bytes | None, reference_look: Look | None) -> str:
    """Why this picture looks tampered with ('' when it does not): covered, defocused or moved."""
    if now.brightness < DARK or now.spread < FLAT:
        return "covered"
    if reference is None or reference_look is None:
        return ""
    if reference_look.edges >= MIN_REFERENCE_EDGES and now.edges < DEFOCUS_SHARE * reference_look.edges:
        return "defocused"
    if difference(gray, reference) > MOVED_DIFFERENCE:
        return "moved"
    return ""


@dataclass(slots=True)
class _Hold:
    """A condition that must hold ``after`` seconds to be raised, and be gone as long to be cleared."""

    after: float
    on: bool = False
    since: float | None = None  # when the present state started disagreeing with ``on``
    reason: str = ""

    def see(self, at: float, present: bool, reason: str = "") -> bool:
        """Feed one observation; True when ``on`` flipped."""
        if present == self.on:
            self.since = None
            return False
        if self.since is None:
            self.since = at
        if at - self.since < self.after:
            return False
        self.on, self.since, self.reason = present, None, reason
        return True


@dataclass(slots=True)
class HealthWatch:
    """Follows one camera's thumbnails; :meth:`observe` returns what changed."""

    frozen_after: float = 10.0
    tamper_after: float = 5.0
    reference: bytes | None = None
    looks: int = 0
    _previous: bytes | None = None
    _reference_look: Look | None = None
    _frozen: _Hold = field(default_factory=lambda: _Hold(10.0))
    _tamper: _Hold = field(default_factory=lambda: _Hold(5.0))

    def __post_init__(self) -> None:
        self._frozen.after = self.frozen_after
        self._tamper.after = self.tamper_after
        if self.reference is not None:
            self._reference_look = look(self.reference)

    def observe(self, at: float, gray: bytes) -> list[Change]:
        """One thumbnail seen at ``at`` (seconds): the conditions raised or cleared by it."""
        now = look(gray)
        self.looks += 1
        changes: list[Change] = []
        same = self._previous is not None and difference(gray, self._previous) < FROZEN_DIFFERENCE
        self._previous = gray
        if self._frozen.see(at, same):
            changes.append(Change("frozen", self._frozen.on, "identical frames" if same else ""))
        reason = tamper_reason(now, gray, self.reference, self._reference_look)
        if self._tamper.see(at, bool(reason), reason):
            changes.append(Change("tamper", self._tamper.on, reason))
        if self.reference is None and self.looks >= SETTLE_LOOKS and not reason:
            self.reference, self._reference_look = gray, now
        return changes
