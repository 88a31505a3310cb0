"""The NFPA 1225 dispatch intervals of a generated day of events read alike from every store and equal
an independent computation; another tenant's events never count; a scope over one client sees its sites'
events only; a period with no event is an empty section; the CSV and the JSON carry the section."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from tests.contract import dispatch_day
from tests.contract.kpi_day import DAY
from tests.contract.support import Backend, World
from tocsin.domain.dispatch_intervals import DispatchedEvent
from tocsin.domain.kpis import AlarmKpis, Period, Targets
from tocsin.domain.scope import Scope
from tocsin.services.kpis import as_json, read_kpis, to_csv

PERIOD = Period(DAY, DAY + timedelta(days=1))


def _report(backend: Backend, scope: Scope, period: Period = PERIOD) -> AlarmKpis:
    return read_kpis(backend.store, scope, period, Targets())


def test_a_generated_day_of_events_matches_the_independent_computation(
    backend: Backend, world: World
) -> None:
    """Events, events without a unit, out-of-order steps, and per interval the samples, p50, p90, the
    count and share within the target equal what the test computes by itself."""
    made = dispatch_day.generate(world)
    dispatch_day.store(backend, made)
    dispatch = _report(backend, Scope.tenant(world.t1.id)).dispatch
    want = dispatch_day.expected(made, world.t1.id)
    assert (dispatch.events, dispatch.no_unit, dispatch.inconsistent) == (
        want["events"],
        want["no_unit"],
        want["inconsistent"],
    )
    assert want["no_unit"] > 0
    assert want["inconsistent"] > 0
    assert [f.interval for f in dispatch.figures] == ["processing", "turnout", "travel"]
    for f in dispatch.figures:
        w = want["figures"][f.interval]
        assert (f.samples, f.within) == (w["samples"], w["within"]), f.interval
        assert (f.p50, f.p90, f.share) == pytest.approx((w["p50"], w["p90"], w["share"])), f.interval
    processing = dispatch.figure("processing")
    assert processing is not None
    assert processing.target.seconds == 60
    assert processing.target.share == 0.9
    assert not dispatch.truncated


def test_another_tenant_and_a_client_scope_see_only_theirs(backend: Backend, world: World) -> None:
    """Tenant two counts its 20 events; a grant over client B counts site B1's events only."""
    made = dispatch_day.generate(world)
    dispatch_day.store(backend, made)
    theirs = _report(backend, Scope.tenant(world.t2.id)).dispatch
    assert theirs.events == dispatch_day.expected(made, world.t2.id)["events"] == 20
    scope = Scope.restricted(world.t1.id, client_ids=frozenset({world.b.id}))
    mine = _report(backend, scope).dispatch
    want = dispatch_day.expected(made, world.t1.id, {world.b1.id})
    assert (mine.events, mine.no_unit) == (want["events"], want["no_unit"])
    for f in mine.figures:
        assert f.p90 == pytest.approx(want["figures"][f.interval]["p90"])


def test_a_period_without_events_is_an_empty_section(backend: Backend, world: World) -> None:
    """No event: zero events, no percentile, nothing met; the JSON and the CSV say so."""
    dispatch_day.store(backend, dispatch_day.generate(world))
    before = Period(DAY - timedelta(days=3), DAY - timedelta(days=2))
    kpis = _report(backend, Scope.tenant(world.t1.id), before)
    assert (kpis.dispatch.events, kpis.dispatch.dispatched, kpis.dispatch.no_unit) == (0, 0, 0)
    assert all(f.samples == 0 and f.p90 is None and not f.met for f in kpis.dispatch.figures)
    body = as_json(kpis)["dispatch"]
    assert body["events"] == 0
    assert [x["interval"] for x in body["intervals"]] == ["processing", "turnout", "travel"]
    rows = list(csv.DictReader(io.StringIO(to_csv(kpis))))
    assert [r["count"] for r in rows if r["section"] == "dispatch_events"] == ["0"]
    assert [r["key"] for r in rows if r["section"] == "dispatch"] == ["processing", "turnout", "travel"]


def test_the_csv_and_json_carry_the_dispatch_section(backend: Backend, world: World) -> None:
    """One ``dispatch_events`` row and one ``dispatch`` row per interval, with the JSON's figures."""
    made = dispatch_day.generate(world)
    dispatch_day.store(backend, made)
    kpis = _report(backend, Scope.tenant(world.t1.id))
    want = dispatch_day.expected(made, world.t1.id)
    rows = list(csv.DictReader(io.StringIO(to_csv(kpis))))
    (events,) = [r for r in rows if r["section"] == "dispatch_events"]
    assert (int(events["count"]), int(events["value"])) == (want["events"], want["no_unit"])
    body = as_json(kpis)["dispatch"]
    for row, item in zip([r for r in rows if r["section"] == "dispatch"], body["intervals"], strict=True):
        w = want["figures"][row["key"]]
        assert (int(row["count"]), int(row["measured"])) == (w["within"], w["samples"])
        assert float(row["p90_s"]) == pytest.approx(w["p90"], abs=0.05)
        assert item["interval"] == row["key"]
        assert item["p90"] == pytest.approx(w["p90"], abs=0.001)
        assert item["met"] == (w["share"] >= 0.9)
    assert row["target"] == "90 % ≤ 240 s"


def test_a_limit_reads_the_oldest_events_with_all_their_units(backend: Backend, world: World) -> None:
    """``dispatched`` with a limit gives the oldest events, oldest first, each with every unit it had."""
    made = dispatch_day.generate(world)
    dispatch_day.store(backend, made)
    scope = Scope.tenant(world.t1.id)

    def read(limit: int) -> list[DispatchedEvent]:
        return backend.read(lambda uow: uow.kpis.dispatched(PERIOD.start, PERIOD.end, limit), scope)

    everything, first = read(1_000), read(7)
    assert first == everything[:7]
    mine = sorted(
        (
            e
            for e in made.incidents
            if e.tenant_id == world.t1.id and PERIOD.start <= e.opened_at < PERIOD.end
        ),
        key=lambda e: e.opened_at,
    )
    assert [e.opened_at for e in first] == [e.opened_at for e in mine[:7]]
    units = {e.id: sum(1 for x in made.assignments if x.incident_id == e.id) for e in mine}
    assert [len(e.units) for e in everything] == [units[e.id] for e in mine]
