"""The KPIs of a generated day read alike from every store and equal an independent computation; a
period with no data is an empty report; another tenant's alarms and signals never count; a scope over
one client sees that client's figures only; a tenant's own targets replace the node's for it alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.contract.kpi_day import DAY, expected, generate, store
from tests.contract.support import Backend, World
from tocsin.domain.errors import InvalidInput
from tocsin.domain.kpi_targets import SetKpiTargets
from tocsin.domain.kpis import ALL_CLASSES, EN50518_TAKE, AlarmKpis, Period, Target, Targets
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.kpis import read_kpis, to_csv
from tocsin.services.messagebus import MessageBus
from tocsin.testing import FakeHasher

PERIOD = Period(DAY, DAY + timedelta(days=1))


def _report(backend: Backend, world: World, scope: Scope | None = None) -> AlarmKpis:
    return read_kpis(backend.store, scope or Scope.tenant(world.t1.id), PERIOD, Targets())


def test_a_generated_day_matches_the_independent_computation(backend: Backend, world: World) -> None:
    """Counts, p50 and p90 per class for take and settle, the shares within 30 s and 60 s, false rates
    per site and client, causes, and signals per hour equal what the test computes by itself."""
    day = generate(world)
    store(backend, day)
    kpis = _report(backend, world)
    want = expected(day, world.t1.id, {world.a.id: world.a, world.b.id: world.b})
    assert kpis.alarms == want["alarms"]
    for t in kpis.timings:
        assert (t.measured, t.p50, t.p90) == pytest.approx(want[t.measure][t.alarm_class])
    overall = next(t for t in kpis.timings if t.alarm_class == ALL_CLASSES and t.measure == "take")
    assert [w.target.seconds for w in overall.within] == [30, 60]
    assert [w.share for w in overall.within] == pytest.approx([want["within_30"], want["within_60"]])
    assert {r.key: (r.settled, r.false) for r in kpis.by_site} == want["per_site"]
    assert {r.key: (r.settled, r.false) for r in kpis.by_client} == want["per_client"]
    assert {r.label for r in kpis.by_client} == {"A Client A", "B Client B", "—"}
    assert {c.cause: c.count for c in kpis.causes} == want["causes"]
    assert [h.signals for h in kpis.signals_per_hour] == want["hours"]
    assert kpis.signals_per_hour[4].signals == 0  # the silent hour is there, at zero
    assert not kpis.empty
    assert not kpis.truncated


def test_another_tenant_sees_only_its_own(backend: Backend, world: World) -> None:
    """Tenant two's report counts its 25 alarms and its own signals, none of tenant one's."""
    day = generate(world)
    store(backend, day)
    kpis = _report(backend, world, Scope.tenant(world.t2.id))
    assert kpis.alarms == day.others
    theirs = [
        s for s in day.signals if s.tenant_id == world.t2.id and s.received_at < DAY + timedelta(days=1)
    ]
    assert kpis.signals == len(theirs)
    assert {r.key for r in kpis.by_site} <= {str(world.c1.id)}


def test_a_scope_over_one_client_sees_its_sites_only(backend: Backend, world: World) -> None:
    """A grant over client B counts B1's alarms and signals; site-less alarms need the whole tenant."""
    day = generate(world)
    store(backend, day)
    scope = Scope.restricted(world.t1.id, client_ids=frozenset({world.b.id}))
    kpis = _report(backend, world, scope)
    in_day = [x for x in day.alarms if PERIOD.start <= x.opened_at < PERIOD.end]
    assert kpis.alarms == sum(1 for x in in_day if x.site_id == world.b1.id)
    assert kpis.signals == sum(
        1 for s in day.signals if s.site_id == world.b1.id and s.received_at < PERIOD.end
    )


def test_a_period_with_no_data_is_an_empty_report_that_says_so(backend: Backend, world: World) -> None:
    """A day before anything happened: empty, every hour at zero, no percentile, and the CSV says so."""
    store(backend, generate(world))
    kpis = read_kpis(
        backend.store,
        Scope.tenant(world.t1.id),
        Period(DAY - timedelta(days=3), DAY - timedelta(days=2)),
        Targets(),
    )
    assert kpis.empty
    assert kpis.alarms == 0
    assert kpis.signals == 0
    assert len(kpis.signals_per_hour) == 24
    assert all(t.p90 is None and t.measured == 0 for t in kpis.timings)
    assert "No alarm and no signal in this period." in to_csv(kpis)


def _set(backend: Backend, world: World, take: str | None, settle: str | None) -> None:
    bus = MessageBus(backend.store, Deps(hasher=FakeHasher()))
    bus.handle(SetKpiTargets(world.t1.id, take, settle), scope=Scope.tenant(world.t1.id), actor="admin")


def test_a_tenants_own_targets_replace_the_nodes(backend: Backend, world: World) -> None:
    """Tenant one's 20 s at 90 % replaces the node's take targets for it alone, with a logbook entry;
    given back to the node (None), the node's hold again."""
    day = generate(world)
    store(backend, day)
    _set(backend, world, "20:90", "600:95")
    mine = _report(backend, world)
    theirs = _report(backend, world, Scope.tenant(world.t2.id))
    assert mine.targets == Targets((Target(20, 0.9),), (Target(600, 0.95),))
    assert theirs.targets == Targets()
    overall = next(t for t in mine.timings if t.alarm_class == ALL_CLASSES and t.measure == "take")
    in_day = [
        x for x in day.alarms if x.tenant_id == world.t1.id and PERIOD.start <= x.opened_at < PERIOD.end
    ]
    takes = [(x.first_taken_at - x.opened_at).total_seconds() for x in in_day if x.first_taken_at]
    assert overall.within[0].share == pytest.approx(sum(1 for s in takes if s <= 20) / len(takes))
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    (entry,) = [e for e in entries if e.kind == "kpi.targets_set"]
    assert (entry.data["take"], entry.data["settle"]) == ("20:90", "600:95")
    _set(backend, world, None, "")
    assert _report(backend, world).targets == Targets(EN50518_TAKE, ())


def test_malformed_targets_are_refused_and_nothing_is_written(backend: Backend, world: World) -> None:
    """'30' alone is refused with the form to use; no targets and no entry are stored."""
    with pytest.raises(InvalidInput, match="seconds:percent"):
        _set(backend, world, "30", None)
    assert backend.read(lambda uow: uow.kpis.tenant_targets(world.t1.id)) == (None, None)
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    assert not [e for e in entries if e.kind == "kpi.targets_set"]
