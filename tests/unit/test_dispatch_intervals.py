"""NFPA 1225 intervals from synthetic event timelines equal an independent computation (pairs of steps
read from a flat list of stamps, percentiles by counting); missing steps leave intervals out, steps out
of order are counted and never improve the figures; the KPI module's percentiles and targets."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tocsin.domain.dispatch_intervals import (
    NFPA_TARGETS,
    IntervalTarget,
    Timeline,
    UnitSteps,
    interval_figures,
    samples,
)
from tocsin.domain.errors import InvalidInput
from tocsin.domain.kpis import Period, Target, parse_targets, percentile

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def _synthetic(seed: int, count: int) -> list[list[tuple[str, int, float]]]:
    """Each event as a flat list of (step, unit number, seconds after the ring), some steps missing."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible test day, not a secret
    events = []
    for _ in range(count):
        stamps = [("ring", -1, 0.0)]
        answered = rng.uniform(1, 25)
        stamps.append(("answer", -1, answered))
        for unit in range(rng.randint(0, 3)):
            alerted = answered + rng.uniform(10, 140)
            en_route = alerted + rng.uniform(15, 150)
            on_scene = en_route + rng.uniform(60, 600)
            for step, at in (("alert", alerted), ("route", en_route), ("scene", on_scene)):
                if rng.random() < 0.93:
                    stamps.append((step, unit, round(at, 3)))
        events.append(stamps)
    return events


def _timeline(stamps: list[tuple[str, int, float]]) -> Timeline:
    def at(step: str, unit: int) -> datetime | None:
        found = [s for name, u, s in stamps if name == step and u == unit]
        return T0 + timedelta(seconds=found[0]) if found else None

    units = sorted({u for _, u, _ in stamps if u >= 0})
    return Timeline(
        received_at=at("ring", -1),
        answered_at=at("answer", -1),
        units=tuple(UnitSteps(at("alert", u), at("route", u), at("scene", u)) for u in units),
    )


def _independent(events: list[list[tuple[str, int, float]]]) -> dict[str, list[float]]:
    """The intervals read straight from the stamps: a dict per event, one key per (step, unit)."""
    found: dict[str, list[float]] = {"answer": [], "processing": [], "turnout": [], "travel": []}
    for stamps in events:
        table = {(name, unit): s for name, unit, s in stamps}
        found["answer"].append(table[("answer", -1)] - table[("ring", -1)])
        alerts = [s for (name, _), s in table.items() if name == "alert"]
        if alerts:
            found["processing"].append(min(alerts) - table[("answer", -1)])
        for (name, unit), s in table.items():
            if name == "route" and ("alert", unit) in table:
                found["turnout"].append(s - table[("alert", unit)])
            if name == "scene" and ("route", unit) in table:
                found["travel"].append(s - table[("route", unit)])
    return found


def _counted(values: list[float], p: int) -> float:
    return min(v for v in values if sum(1 for w in values if w <= v) * 100 >= p * len(values))


def test_synthetic_timelines_match_an_independent_computation() -> None:
    """500 events, 0-3 units each, 7 % of unit steps missing: samples, p50, p90 and shares agree."""
    events = _synthetic(1225, 500)
    figures, bad = interval_figures([_timeline(e) for e in events])
    want = _independent(events)
    assert bad == 0
    for figure in figures:
        values = want[figure.interval]
        assert figure.samples == len(values) > 100
        assert figure.p50 == pytest.approx(_counted(values, 50))
        assert figure.p90 == pytest.approx(_counted(values, 90))
        target = NFPA_TARGETS[figure.interval].seconds
        assert figure.share == pytest.approx(sum(1 for v in values if v <= target) / len(values))
        assert figure.met == (figure.share >= 0.9)


def test_missing_steps_leave_their_intervals_out() -> None:
    """No ring, no units: only nothing; an alerted unit never en route gives processing only."""
    assert samples(Timeline(answered_at=T0)).values == {
        "answer": (),
        "processing": (),
        "turnout": (),
        "travel": (),
    }
    found = samples(Timeline(T0, T0 + timedelta(seconds=4), (UnitSteps(T0 + timedelta(seconds=50)),)))
    assert found.values["answer"] == (4.0,)
    assert found.values["processing"] == (46.0,)
    assert found.values["turnout"] == ()
    assert found.values["travel"] == ()


def test_steps_out_of_order_are_counted_and_left_out() -> None:
    """A unit on scene before it left: travel is not a negative sample, and the fault is counted."""
    unit = UnitSteps(T0 + timedelta(seconds=30), T0 + timedelta(seconds=90), T0 + timedelta(seconds=60))
    figures, bad = interval_figures([Timeline(T0, T0 + timedelta(seconds=5), (unit,))])
    travel = next(f for f in figures if f.interval == "travel")
    assert bad == 1
    assert travel.samples == 0
    assert travel.p90 is None
    assert not travel.met


def test_targets_can_be_replaced() -> None:
    """A stricter processing target (90 % within 30 s) is what the share is measured against."""
    timeline = Timeline(T0, T0 + timedelta(seconds=2), (UnitSteps(T0 + timedelta(seconds=47)),))
    strict = {**NFPA_TARGETS, "processing": IntervalTarget(30)}
    figures, _ = interval_figures([timeline], strict)
    processing = next(f for f in figures if f.interval == "processing")
    assert (processing.p90, processing.within, processing.met) == (45.0, 0, False)


def test_nearest_rank_percentiles_are_measured_values() -> None:
    """p50 and p90 of 1..10 are 5 and 9; of one value, that value; of none, None."""
    values = [float(v) for v in range(10, 0, -1)]
    assert (percentile(values, 50), percentile(values, 90)) == (5.0, 9.0)
    assert percentile([7.0], 90) == 7.0
    assert percentile([], 50) is None


def test_targets_are_parsed_and_bad_ones_refused() -> None:
    """'30:80,60:98.5' is EN 50518's pair; bad text is a clear error naming the form."""
    assert parse_targets("60:98.5, 30:80") == (Target(30, 0.8), Target(60, 0.985))
    assert parse_targets("") == ()
    for bad in ("30", "x:80", "30:0", "-1:50", "30:101"):
        with pytest.raises(InvalidInput, match="seconds"):
            parse_targets(bad)


def test_bad_periods_are_refused() -> None:
    """Naive times, an end before the start and a period over 366 days are refused."""
    with pytest.raises(InvalidInput, match="offset"):
        Period(datetime(2026, 1, 1), T0)  # noqa: DTZ001 - the naive time under test
    with pytest.raises(InvalidInput, match="before"):
        Period(T0, T0 - timedelta(seconds=1))
    with pytest.raises(InvalidInput, match="366"):
        Period(T0, T0 + timedelta(days=367))
    with pytest.raises(InvalidInput, match="1970"):
        Period(datetime(1, 1, 1, tzinfo=UTC), datetime(1, 1, 2, tzinfo=UTC))
    with pytest.raises(InvalidInput, match="1970"):
        Period(datetime.max.replace(tzinfo=UTC) - timedelta(days=1), datetime.max.replace(tzinfo=UTC))


@given(
    st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=100),
)
def test_the_percentile_is_the_smallest_value_covering_p_percent(values: list[float], p: int) -> None:
    """For any times and any p, the percentile is a measured value with at least p % at or below it,
    and no smaller measured value has (so 'p90 <= X' and '90 % within X' agree)."""
    found = percentile(values, p)
    assert found in values
    covered = sum(1 for v in values if v <= found)
    assert covered * 100 >= p * len(values)
    below = [v for v in values if v < found]
    assert all(sum(1 for w in values if w <= v) * 100 < p * len(values) for v in below)
