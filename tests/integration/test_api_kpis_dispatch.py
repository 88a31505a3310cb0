"""The NFPA 1225 dispatch section of the KPIs over HTTP: ``GET /api/v1/kpis``'s ``dispatch``, its CSV
rows, the ``/metrics`` gauges, the scope of a supervisor over one client, another tenant's events never
counted, an empty period's zeros. The figures are small enough to be checked by hand (docstrings)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pypdfium2 as pdfium
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain.scope import Scope
from tocsin.domain.units import Assignment
from tocsin.services.unit_of_work import UnitOfWork


def _event(tenant: UUID, site: UUID, client: UUID, opened: datetime) -> i.Incident:
    return i.Incident(
        id=uuid4(),
        tenant_id=tenant,
        type_code="FIRE",
        type_label_en="Fire",
        type_label_fr="Feu",
        apco="FIRE",
        priority=2,
        reflex=False,
        state="closed",
        origin="call",
        opened_at=opened,
        updated_at=opened,
        created_by="test",
        site_id=site,
        client_id=client,
    )


def _unit(event: i.Incident, unit: UUID, alerted: float, en_route: float, on_scene: float) -> Assignment:
    """A released assignment ``alerted`` s after the event opened, then ``en_route`` and ``on_scene``."""
    at = event.opened_at
    return Assignment(
        id=uuid4(),
        tenant_id=event.tenant_id,
        incident_id=event.id,
        unit_id=unit,
        callsign="FPT 1",
        alerted_at=at + timedelta(seconds=alerted),
        en_route_at=at + timedelta(seconds=en_route),
        on_scene_at=at + timedelta(seconds=on_scene),
        released_at=at + timedelta(hours=1),
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Tenant one: event 1 on site A, first unit alerted at 30 s, en route at 90 s, on scene at 290 s (a
    second unit alerted at 40 s does not count); event 2 on site B, 90 s, 190 s, 490 s; event 3 on site
    A with no unit. Tenant two: one event alerted at 10 s. So processing 30 and 90 s (p90 90 s, half
    within 60 s), turnout 60 and 100 s (p90 100 s), travel 200 and 300 s (p90 300 s)."""
    for built in make_stack(tmp_path_factory.mktemp("kpis-dispatch")):
        room = built.room
        built.add_user("supervisor", "supervisor")
        built.add_user("sup-a", "supervisor", client_ids=(room.client_a,))
        other = make_room(built.node.store)
        bus = built.node.messagebus
        scope = Scope.tenant(other.tenant_id)
        user = bus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        bus.handle(c.GrantRole(user.id, "supervisor"), scope=scope, actor="t")
        ours = bus.handle(c.AddUnit(room.tenant_id, "FPT 1", "fire"), scope=Scope.system(), actor="t")
        theirs = bus.handle(
            c.AddUnit(other.tenant_id, "VSAV 1", "ambulance"), scope=Scope.system(), actor="t"
        )
        now = built.clock.now()
        e1 = _event(room.tenant_id, room.site_a, room.client_a, now - timedelta(hours=3))
        e2 = _event(room.tenant_id, room.site_b, room.client_b, now - timedelta(hours=2))
        e3 = _event(room.tenant_id, room.site_a, room.client_a, now - timedelta(hours=1))
        e4 = _event(other.tenant_id, other.site_a, other.client_a, now - timedelta(hours=1))
        second = bus.handle(c.AddUnit(room.tenant_id, "FPT 2", "fire"), scope=Scope.system(), actor="t")
        units = [
            _unit(e1, second.id, 40, 50, 100),
            _unit(e1, ours.id, 30, 90, 290),
            _unit(e2, ours.id, 90, 190, 490),
            _unit(e4, theirs.id, 10, 20, 30),
        ]

        def write(uow: UnitOfWork) -> None:
            for event in (e1, e2, e3, e4):  # noqa: B023 - called at once
                uow.incidents.add(event)
            for unit in units:  # noqa: B023 - called at once
                uow.assignments.add(unit)

        built.node.store.write(write, Scope.system())
        yield built


def _intervals(body: dict[str, object]) -> dict[str, tuple[object, ...]]:
    dispatch = body["dispatch"]
    assert isinstance(dispatch, dict)
    return {
        x["interval"]: (x["samples"], x["p50"], x["p90"], x["within"], x["share"], x["met"])
        for x in dispatch["intervals"]
    }


def test_a_supervisor_reads_the_dispatch_intervals(stack: Stack) -> None:
    """Three events, one without a unit; the intervals of each event's first unit against 60, 80 and
    240 s."""
    body = stack.session("supervisor").get("/api/v1/kpis").json()
    dispatch = body["dispatch"]
    assert (dispatch["events"], dispatch["dispatched"], dispatch["no_unit"]) == (3, 2, 1)
    assert (dispatch["inconsistent"], dispatch["truncated"]) == (0, False)
    assert _intervals(body) == {
        "processing": (2, 30.0, 90.0, 1, 0.5, False),
        "turnout": (2, 60.0, 100.0, 1, 0.5, False),
        "travel": (2, 200.0, 300.0, 1, 0.5, False),
    }
    processing = dispatch["intervals"][0]
    assert (processing["target_seconds"], processing["target_percent"]) == (60, 90)


def test_scopes_see_their_own_events_only(stack: Stack) -> None:
    """The grant over client A counts site A's two events (one without a unit); the other tenant its
    one event, processed in 10 s."""
    mine = stack.session("sup-a").get("/api/v1/kpis").json()
    assert (mine["dispatch"]["events"], mine["dispatch"]["no_unit"]) == (2, 1)
    assert _intervals(mine)["processing"] == (1, 30.0, 30.0, 1, 1.0, True)
    theirs = stack.session("elsewhere").get("/api/v1/kpis").json()
    assert (theirs["dispatch"]["events"], theirs["dispatch"]["no_unit"]) == (1, 0)
    assert _intervals(theirs)["processing"] == (1, 10.0, 10.0, 1, 1.0, True)


def test_the_csv_has_the_dispatch_rows(stack: Stack) -> None:
    """``dispatch_events`` (3 opened, 2 with a unit, 1 without) and one ``dispatch`` row per interval."""
    text = stack.session("supervisor").get("/api/v1/kpis/csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    (events,) = [r for r in rows if r["section"] == "dispatch_events"]
    assert (events["count"], events["measured"], events["value"]) == ("3", "2", "1")
    found = {
        r["key"]: (r["count"], r["measured"], r["p90_s"], r["value"], r["target"])
        for r in rows
        if r["section"] == "dispatch"
    }
    assert found == {
        "processing": ("1", "2", "90.0", "0.5000", "90 % ≤ 60 s"),
        "turnout": ("1", "2", "100.0", "0.5000", "90 % ≤ 80 s"),
        "travel": ("1", "2", "300.0", "0.5000", "90 % ≤ 240 s"),
    }


def test_an_empty_period_has_zero_events(stack: Stack) -> None:
    """A day last year: no event, no percentile, nothing met."""
    query = "from=2025-06-01T00:00:00%2B00:00&to=2025-06-02T00:00:00%2B00:00"
    body = stack.session("supervisor").get(f"/api/v1/kpis?{query}").json()
    assert (body["dispatch"]["events"], body["dispatch"]["no_unit"]) == (0, 0)
    assert {k: v[:3] + v[5:] for k, v in _intervals(body).items()} == dict.fromkeys(
        ("processing", "turnout", "travel"), (0, None, None, False)
    )


def test_metrics_carry_the_dispatch_gauges(stack: Stack) -> None:
    """p90 per interval, the share within its target, events opened and without a unit."""
    token = stack.node.auth.create_token("supervisor", "kpi-test", None)
    response = stack.browser().get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }
    assert samples[("tocsin_kpi_dispatch_p90_seconds", (("interval", "processing"),))] == 90
    assert samples[("tocsin_kpi_dispatch_p90_seconds", (("interval", "travel"),))] == 300
    key = (("interval", "processing"), ("seconds", "60"))
    assert samples[("tocsin_kpi_dispatch_within_ratio", key)] == 0.5
    assert samples[("tocsin_kpi_dispatch_events", (("kind", "opened"),))] == 3
    assert samples[("tocsin_kpi_dispatch_events", (("kind", "no_unit"),))] == 1


def test_the_pdf_report_has_the_dispatch_intervals(stack: Stack) -> None:
    """The KPI report's PDF carries the NFPA 1225 section: the events' summary and each interval's row
    with its share against its target."""
    response = stack.session("supervisor").get("/api/v1/kpis/pdf")
    assert response.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    text = " ".join(text.split())
    assert "Dispatch intervals (NFPA 1225)" in text
    assert "3 events opened, 1 without a unit alerted" in text
    assert "90 % ≤ 60 s: 50.0 % (missed)" in text
    assert "90 % ≤ 240 s: 50.0 % (missed)" in text
