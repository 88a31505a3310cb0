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


class KpisOut(Out):
    """The KPIs of a period: times to take and to settle per class against the targets, false-alarm
    rates, causes, signals per hour."""

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
