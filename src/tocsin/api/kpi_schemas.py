"""The KPI report as the API documents it (``GET /api/v1/kpis``; the same object as ``tocsin kpis
--json``, built by :func:`tocsin.services.kpis.as_json`)."""

from __future__ import annotations

from pydantic import Field

from tocsin.api.schemas import Out


class TargetOut(Out):
    seconds: float
    percent: float = Field(description="The share asked for, 0-100")


class TargetsOut(Out):
    take: list[TargetOut]
    settle: list[TargetOut]


class WithinOut(Out):
    seconds: float
    target_percent: float
    count: int = Field(description="Alarms within the target's seconds")
    share: float = Field(description="count / measured, 0-1")
    met: bool


class TimingOut(Out):
    alarm_class: str = Field(description='The class, or "*" for every class')
    measure: str = Field(description='"take" (opening to first take) or "settle" (opening to settling)')
    alarms: int = Field(description="Alarms opened in the period")
    measured: int = Field(description="Of which taken (or settled)")
    p50: float | None = Field(description="Nearest-rank median, seconds")
    p90: float | None = Field(description="Nearest-rank 90th percentile, seconds")
    max: float | None
    within: list[WithinOut]


class FalseRateOut(Out):
    key: str = Field(description='The class, site id or client id ("" for none)')
    label: str
    settled: int
    false: int
    rate: float = Field(description="false / settled, 0-1")


class CauseOut(Out):
    cause: str
    outcome: str
    count: int
    share: float = Field(description="Of every settled alarm, 0-1")


class HourOut(Out):
    hour: str = Field(description="The UTC hour's start, ISO 8601")
    signals: int
    alarms: int = Field(description="Alarms opened in the hour")


class CurvePointOut(Out):
    seconds: int
    share: float = Field(description="Share of the taken alarms taken within these seconds, 0-1")


class DispatchIntervalOut(Out):
    interval: str = Field(
        description='"processing" (event opened to first unit alerted), "turnout" (that unit alerted to en'
        ' route) or "travel" (that unit en route to on scene)'
    )
    samples: int = Field(description="Events whose first unit recorded both steps in order")
    p50: float | None = Field(description="Nearest-rank median, seconds")
    p90: float | None = Field(description="Nearest-rank 90th percentile, seconds")
    target_seconds: float = Field(description="NFPA 1225 / 1710 target: 60, 80, 240 s")
    target_percent: float = Field(description="The share the target asks for, 0-100 (90)")
    within: int = Field(description="Samples within target_seconds")
    share: float = Field(description="within / samples, 0-1")
    met: bool = Field(description="share >= the target's share (false with no samples)")


class DispatchOut(Out):
    """NFPA 1225 dispatch intervals of the events opened in the period (scope as the alarm figures)."""

    events: int = Field(description="Events opened in the period")
    dispatched: int = Field(description="Of which with at least one unit alerted")
    no_unit: int = Field(description="Events with no unit alerted")
    inconsistent: int = Field(description="Steps recorded before the one they follow (left out)")
    truncated: bool = Field(description="More than 200,000 events: only the first are counted")
    intervals: list[DispatchIntervalOut]


class KpisOut(Out):
    """The KPIs of a period: times to take and to settle per class against the targets, false-alarm
    rates, causes, signals per hour; the NFPA 1225 dispatch intervals of the period's events."""

    from_: str = Field(alias="from", description="Start of the period (UTC, ISO 8601)")
    to: str = Field(description="End of the period, excluded")
    empty: bool = Field(description="No alarm and no signal in the period")
    truncated: bool = Field(description="More than 200,000 alarms: only the first are counted")
    alarms: int
    settled: int
    false: int
    false_rate: float
    signals: int
    signals_per_hour_mean: float
    targets: TargetsOut
    timings: list[TimingOut]
    false_by_class: list[FalseRateOut]
    false_by_site: list[FalseRateOut]
    false_by_client: list[FalseRateOut]
    causes: list[CauseOut]
    per_hour: list[HourOut]
    take_curve: list[CurvePointOut]
    dispatch: DispatchOut = Field(description="NFPA 1225 dispatch intervals of the period's events")
