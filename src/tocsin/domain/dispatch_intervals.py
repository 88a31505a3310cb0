"""NFPA 1225 call-handling intervals from an event's timeline, and their 90th percentiles against targets.

The intervals (NFPA 1225, which absorbed NFPA 1221; NFPA 1710 for turnout and travel; figures from the
research file cad-anchors.md):

- **answer**: the call rings (``received_at``) to a call-taker answering (``answered_at``): 90 % ≤ 10 s;
- **processing**: answered to the first unit alerted (``alerted_at`` of the earliest unit): 90 % ≤ 60 s;
- **turnout**: a unit alerted to that unit en route: 90 % ≤ 80 s (fire; 60 s for EMS);
- **travel**: a unit en route to that unit on scene: 90 % ≤ 240 s (the first engine).

Answer and processing are one sample per event; turnout and travel one per unit that recorded both of
its steps. A step not recorded leaves its interval out (never zero); a step recorded before the one it
follows (a clock or data-entry fault) leaves the interval out too and is counted as ``inconsistent``,
so a bad timestamp never improves the figures.

Pure: the caller builds the timelines from its own tables; :func:`dispatch_kpis` takes the events of a
period (opened at, each unit's alerted, en route and on scene times from ``unit_assignment``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Interval = Literal["answer", "processing", "turnout", "travel"]
INTERVALS: tuple[Interval, ...] = ("answer", "processing", "turnout", "travel")


@dataclass(frozen=True, slots=True)
class IntervalTarget:
    """``share`` (0-1) of the samples within ``seconds``."""

    seconds: float
    share: float = 0.90


NFPA_TARGETS: Mapping[Interval, IntervalTarget] = {
    "answer": IntervalTarget(10),
    "processing": IntervalTarget(60),
    "turnout": IntervalTarget(80),
    "travel": IntervalTarget(240),
}


@dataclass(frozen=True, slots=True)
class UnitSteps:
    """One unit's status times on the event."""

    alerted_at: datetime | None = None
    en_route_at: datetime | None = None
    on_scene_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Timeline:
    """The timestamps of one event's steps."""

    received_at: datetime | None = None
    answered_at: datetime | None = None
    units: tuple[UnitSteps, ...] = ()


@dataclass(frozen=True, slots=True)
class Samples:
    """The intervals one timeline yields, in seconds, and how many steps were out of order."""

    values: Mapping[Interval, tuple[float, ...]]
    inconsistent: int = 0


def _between(start: datetime | None, end: datetime | None) -> float | Literal[False] | None:
    """Seconds from start to end; None when a step is missing, False when they are out of order."""
    if start is None or end is None:
        return None
    seconds = (end - start).total_seconds()
    return False if seconds < 0 else seconds


def samples(timeline: Timeline) -> Samples:
    """The intervals of one event's timeline."""
    alerted = [u.alerted_at for u in timeline.units if u.alerted_at is not None]
    pairs: list[tuple[Interval, datetime | None, datetime | None]] = [
        ("answer", timeline.received_at, timeline.answered_at),
        ("processing", timeline.answered_at, min(alerted) if alerted else None),
    ]
    for unit in timeline.units:
        pairs.append(("turnout", unit.alerted_at, unit.en_route_at))
        pairs.append(("travel", unit.en_route_at, unit.on_scene_at))
    found: dict[Interval, list[float]] = {name: [] for name in INTERVALS}
    bad = 0
    for name, start, end in pairs:
        seconds = _between(start, end)
        if seconds is False:
            bad += 1
        elif seconds is not None:
            found[name].append(seconds)
    return Samples({k: tuple(v) for k, v in found.items()}, bad)


@dataclass(frozen=True, slots=True)
class IntervalFigure:
    """One interval over many events: its samples' p50 and p90 and the share within the target."""

    interval: Interval
    samples: int
    p50: float | None
    p90: float | None
    target: IntervalTarget
    within: int

    @property
    def share(self) -> float:
        return self.within / self.samples if self.samples else 0.0

    @property
    def met(self) -> bool:
        """The target holds (no samples: nothing to hold it against, so not met)."""
        return self.samples > 0 and self.share >= self.target.share


def _nearest_rank(ordered: Sequence[float], p: float) -> float | None:
    if not ordered:
        return None
    return ordered[max(math.ceil(p / 100 * len(ordered)), 1) - 1]


def interval_figures(
    timelines: Iterable[Timeline], targets: Mapping[Interval, IntervalTarget] = NFPA_TARGETS
) -> tuple[tuple[IntervalFigure, ...], int]:
    """Each interval's figures over these events, and how many steps were out of order."""
    pooled: dict[Interval, list[float]] = {name: [] for name in INTERVALS}
    bad = 0
    for timeline in timelines:
        found = samples(timeline)
        bad += found.inconsistent
        for name in INTERVALS:
            pooled[name].extend(found.values[name])
    figures = []
    for name in INTERVALS:
        ordered = sorted(pooled[name])
        target = targets[name]
        figures.append(
            IntervalFigure(
                interval=name,
                samples=len(ordered),
                p50=_nearest_rank(ordered, 50),
                p90=_nearest_rank(ordered, 90),
                target=target,
                within=sum(1 for v in ordered if v <= target.seconds),
            )
        )
    return tuple(figures), bad


# The intervals a room measures from its events' timelines (no ring time is kept: "answer" has no sample).
DISPATCH_INTERVALS: tuple[Interval, ...] = ("processing", "turnout", "travel")


@dataclass(frozen=True, slots=True)
class DispatchedEvent:
    """What the dispatch KPIs read of one event opened in the period: when it was opened (the call
    answered, or the event created by the room) and its units' steps, in any order."""

    opened_at: datetime
    units: tuple[UnitSteps, ...] = ()


@dataclass(frozen=True, slots=True)
class DispatchKpis:
    """NFPA 1225 intervals over the events of a period, from each event's first unit alerted."""

    events: int = 0  # opened in the period
    dispatched: int = 0  # of which with at least one unit alerted
    figures: tuple[IntervalFigure, ...] = ()  # processing, turnout, travel
    inconsistent: int = 0  # steps recorded before the one they follow
    truncated: bool = False

    @property
    def no_unit(self) -> int:
        """Events with no unit alerted (yet, or ever)."""
        return self.events - self.dispatched

    def figure(self, interval: Interval) -> IntervalFigure | None:
        return next((f for f in self.figures if f.interval == interval), None)


def first_alerted(units: Iterable[UnitSteps]) -> UnitSteps | None:
    """The unit alerted first (ties: the first given), or None when no unit was alerted."""
    alerted = [(u.alerted_at, n, u) for n, u in enumerate(units) if u.alerted_at is not None]
    return min(alerted, key=lambda x: (x[0], x[1]))[2] if alerted else None


def dispatch_kpis(
    events: Sequence[DispatchedEvent],
    targets: Mapping[Interval, IntervalTarget] = NFPA_TARGETS,
    *,
    truncated: bool = False,
) -> DispatchKpis:
    """The events' timelines as answer = opened, then the first unit alerted, that unit's en route and
    its on scene: processing, turnout and travel over these events (one sample per event each)."""
    timelines = []
    for event in events:
        first = first_alerted(event.units)
        if first is not None:
            timelines.append(Timeline(answered_at=event.opened_at, units=(first,)))
    figures, bad = interval_figures(timelines, targets)
    return DispatchKpis(
        events=len(events),
        dispatched=len(timelines),
        figures=tuple(f for f in figures if f.interval in DISPATCH_INTERVALS),
        inconsistent=bad,
        truncated=truncated,
    )


NO_DISPATCH = dispatch_kpis(())
