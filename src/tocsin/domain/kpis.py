"""The room's key performance indicators over a period: how fast alarms are taken and settled, how many
are false, how many signals came in.

EN 50518 asks an alarm receiving centre to prove how fast its operators start handling alarms (the
research file's figures: 80 % within 30 s and 98.5 % within 60 s); these figures are computed here from
what the alarms themselves record: ``opened_at``, ``first_taken_at`` (the first take, kept when an alarm
is released or reopened), ``settled_at`` (the last settling), the outcome and the closure code (cause).

Percentiles are **nearest-rank**: the p-th percentile of n values is the ⌈p·n/100⌉-th smallest, always
one of the measured values; so "p90 ≤ 60 s" and "90 % within 60 s" always agree.

Pure: no I/O, no clock reads; the caller passes the period and the rows.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

from tocsin.domain.dispatch_intervals import NO_DISPATCH, DispatchKpis
from tocsin.domain.errors import InvalidInput

Measure = Literal["take", "settle"]
MEASURES: tuple[Measure, ...] = ("take", "settle")
MAX_PERIOD = timedelta(days=366)
ALL_CLASSES = "*"
EARLIEST, LATEST = (
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(9000, 1, 1, tzinfo=UTC),
)  # the row of every class together


@dataclass(frozen=True, slots=True)
class Target:
    """``share`` (0-1) of the alarms within ``seconds``: EN 50518's "80 % within 30 s"."""

    seconds: float
    share: float

    @property
    def label(self) -> str:
        return f"{_number(self.share * 100)} % ≤ {_number(self.seconds)} s"


# The research file's EN 50518 figures (arc-anchors.md, marked unverified there): settings replace them.
EN50518_TAKE: tuple[Target, ...] = (Target(30, 0.80), Target(60, 0.985))


def parse_targets(text: str) -> tuple[Target, ...]:
    """``"30:80,60:98.5"`` (seconds:percent, comma-separated) as targets; empty text is none."""
    found: list[Target] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        seconds, _, percent = part.partition(":")
        try:
            target = Target(float(seconds), float(percent) / 100)
        except ValueError:
            raise InvalidInput(
                f"Bad target {part!r}: write seconds:percent, such as 30:80 (80 % within 30 s)."
            ) from None
        if not (0 < target.seconds <= 86_400 and 0 < target.share <= 1):
            raise InvalidInput(f"Bad target {part!r}: seconds in (0, 86400], percent in (0, 100].")
        found.append(target)
    return tuple(sorted(found, key=lambda t: t.seconds))


@dataclass(frozen=True, slots=True)
class Targets:
    """What the room measures its alarms against, per measure."""

    take: tuple[Target, ...] = EN50518_TAKE
    settle: tuple[Target, ...] = ()

    def of(self, measure: Measure) -> tuple[Target, ...]:
        return self.take if measure == "take" else self.settle


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)``, UTC-aware, at most :data:`MAX_PERIOD` long."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InvalidInput("A period's times need their offset (2026-12-01T00:00:00+00:00).")
        try:
            start, end = self.start.astimezone(UTC), self.end.astimezone(UTC)
        except OverflowError:
            start = end = EARLIEST - timedelta(days=1)
        if not (start >= EARLIEST and end <= LATEST):
            raise InvalidInput("A period lies between the years 1970 and 9000: check the dates.")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        if self.end <= self.start:
            raise InvalidInput("The period ends before it starts: give 'from' before 'to'.")
        if self.end - self.start > MAX_PERIOD:
            raise InvalidInput("The period is longer than 366 days: ask for a shorter one.")

    def hours(self) -> list[datetime]:
        """The start of every UTC hour the period touches."""
        first = self.start.replace(minute=0, second=0, microsecond=0)
        count = math.ceil((self.end - first) / timedelta(hours=1))
        return [first + timedelta(hours=i) for i in range(count)]


@dataclass(frozen=True, slots=True)
class HandledAlarm:
    """What the KPIs read of one alarm opened in the period."""

    alarm_class: str
    opened_at: datetime
    first_taken_at: datetime | None = None
    settled_at: datetime | None = None
    outcome: str | None = None
    cause: str | None = None
    site_id: UUID | None = None
    site_ref: str = ""
    site_name: str = ""
    client_id: UUID | None = None

    def seconds(self, measure: Measure) -> float | None:
        at = self.first_taken_at if measure == "take" else self.settled_at
        return None if at is None else max((at - self.opened_at).total_seconds(), 0.0)


@dataclass(frozen=True, slots=True)
class Within:
    """How many of the measured alarms met one target."""

    target: Target
    count: int
    share: float

    @property
    def met(self) -> bool:
        return self.share >= self.target.share


@dataclass(frozen=True, slots=True)
class Timing:
    """One measure over one class (or every class): how many, p50, p90, max, and each target's share."""

    alarm_class: str
    measure: Measure
    alarms: int  # opened in the period
    measured: int  # of which taken (or settled)
    p50: float | None
    p90: float | None
    longest: float | None
    within: tuple[Within, ...]


@dataclass(frozen=True, slots=True)
class FalseRate:
    """Settled alarms of one site, client or class, and how many were false."""

    key: str
    label: str
    settled: int
    false: int

    @property
    def rate(self) -> float:
        return self.false / self.settled if self.settled else 0.0


@dataclass(frozen=True, slots=True)
class CauseCount:
    """Alarms settled with one closure code."""

    cause: str
    outcome: str
    count: int
    share: float  # of every settled alarm


@dataclass(frozen=True, slots=True)
class HourCount:
    """Signals received and alarms opened in one UTC hour."""

    hour: datetime
    signals: int
    alarms: int = 0


# Seconds at which the share of alarms taken is drawn (the console's curve, against the targets).
CURVE_SECONDS: tuple[int, ...] = (*range(0, 120, 5), *range(120, 301, 15), 450, 600, 900)


@dataclass(frozen=True, slots=True)
class AlarmKpis:
    """The alarm KPIs of one period."""

    period: Period
    targets: Targets
    alarms: int
    settled: int
    false: int
    timings: tuple[Timing, ...]
    by_site: tuple[FalseRate, ...]
    by_client: tuple[FalseRate, ...]
    by_class: tuple[FalseRate, ...]
    causes: tuple[CauseCount, ...]
    signals: int
    signals_per_hour: tuple[HourCount, ...]
    take_curve: tuple[tuple[int, float], ...] = ()  # (seconds, share of the taken alarms within them)
    truncated: bool = False
    dispatch: DispatchKpis = NO_DISPATCH  # NFPA 1225 intervals of the events opened in the period

    @property
    def empty(self) -> bool:
        """No alarm and no signal in the period: the report says so."""
        return self.alarms == 0 and self.signals == 0

    @property
    def false_rate(self) -> float:
        return self.false / self.settled if self.settled else 0.0

    @property
    def mean_signals_per_hour(self) -> float:
        """Signals per hour over the period's length (not over the hours it touches)."""
        return self.signals / ((self.period.end - self.period.start) / timedelta(hours=1))


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank p-th percentile of ``values`` (None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(p / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def timing(alarm_class: str, measure: Measure, alarms: Sequence[HandledAlarm], targets: Targets) -> Timing:
    """One measure over these alarms."""
    values = [s for x in alarms if (s := x.seconds(measure)) is not None]
    within = tuple(
        Within(t, n, n / len(values) if values else 0.0)
        for t in targets.of(measure)
        for n in [sum(1 for v in values if v <= t.seconds)]
    )
    return Timing(
        alarm_class=alarm_class,
        measure=measure,
        alarms=len(alarms),
        measured=len(values),
        p50=percentile(values, 50),
        p90=percentile(values, 90),
        longest=max(values) if values else None,
        within=within,
    )


def _false_rates(
    alarms: Iterable[HandledAlarm], key_of: Mapping[str, str], key: str
) -> tuple[FalseRate, ...]:
    settled: Counter[str] = Counter()
    false: Counter[str] = Counter()
    for x in alarms:
        if x.outcome is None:
            continue
        k = getattr(x, key)
        k = "" if k is None else str(k)
        settled[k] += 1
        false[k] += x.outcome == "false"
    rates = [FalseRate(k, key_of.get(k, k), settled[k], false[k]) for k in settled]
    return tuple(sorted(rates, key=lambda r: (-r.rate, -r.settled, r.label)))


def alarm_kpis(
    period: Period,
    alarms: Sequence[HandledAlarm],
    signal_hours: Mapping[datetime, int],
    targets: Targets,
    *,
    client_names: Mapping[UUID, str] | None = None,
    truncated: bool = False,
    dispatch: DispatchKpis = NO_DISPATCH,
) -> AlarmKpis:
    """The KPIs of the alarms opened in ``period`` and the signals counted per UTC hour."""
    by_class: dict[str, list[HandledAlarm]] = defaultdict(list)
    for x in alarms:
        by_class[x.alarm_class].append(x)
    timings = [timing(ALL_CLASSES, m, alarms, targets) for m in MEASURES]
    for name in sorted(by_class):
        timings.extend(timing(name, m, by_class[name], targets) for m in MEASURES)
    sites = {str(x.site_id): f"{x.site_ref} {x.site_name}".strip() for x in alarms if x.site_id}
    sites[""] = "—"
    clients = {str(k): v for k, v in (client_names or {}).items()} | {"": "—"}
    settled = [x for x in alarms if x.outcome is not None]
    causes = Counter((x.cause or "", x.outcome or "") for x in settled)
    opened = Counter(x.opened_at.replace(minute=0, second=0, microsecond=0) for x in alarms)
    hours = [HourCount(h, signal_hours.get(h, 0), opened.get(h, 0)) for h in period.hours()]
    taken = sorted(s for x in alarms if (s := x.seconds("take")) is not None)
    return AlarmKpis(
        period=period,
        targets=targets,
        alarms=len(alarms),
        settled=len(settled),
        false=sum(1 for x in settled if x.outcome == "false"),
        timings=tuple(timings),
        by_site=_false_rates(alarms, sites, "site_id"),
        by_client=_false_rates(alarms, clients, "client_id"),
        by_class=_false_rates(alarms, {}, "alarm_class"),
        causes=tuple(
            CauseCount(cause, outcome, n, n / len(settled))
            for (cause, outcome), n in sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        signals=sum(h.signals for h in hours),
        signals_per_hour=tuple(hours),
        take_curve=tuple((c, bisect_right(taken, c) / len(taken)) for c in CURVE_SECONDS) if taken else (),
        truncated=truncated,
        dispatch=dispatch,
    )


def _number(value: float) -> str:
    return f"{value:g}"
