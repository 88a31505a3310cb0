"""The station health over HTTP: ``/api/v1/station`` and its page for supervisors, ``/metrics`` scraped
and parsed as Prometheus reads it; never for anonymous callers, clients or operators, and a tenant's
alarms never counted for another tenant's supervisor."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.protocols.ntp import Measure
from tocsin.services.alarm_rules import raise_technical
from tocsin.services.station import StationMonitor, StationSettings

MIB = 1024 * 1024


class Offset:
    def measure(self, server: str) -> Measure:
        return Measure(offset=0.042, delay=0.001, stratum=2)


class OnBattery:
    name = "ups@127.0.0.1:3493"

    def flags(self) -> frozenset[str]:
        return frozenset({"OB", "DISCHRG"})


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app with a station monitor (a clock 42 ms off, a UPS on battery), a supervisor, a client
    and another tenant's supervisor; a fire alarm open in the first tenant only."""
    for built in make_stack(tmp_path_factory.mktemp("station")):
        built.add_user("supervisor", "supervisor")
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        user = built.node.messagebus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        built.node.messagebus.handle(c.GrantRole(user.id, "supervisor"), scope=scope, actor="t")
        settings = StationSettings(
            node="node-1", data_path=str(built.node.settings.var_dir), ntp_servers=("ntp",)
        )
        monitor = StationMonitor(
            built.node.store,
            built.clock,
            settings,
            time_source=Offset(),
            power=OnBattery(),
            disk=lambda _path: (8192 * MIB, 65536 * MIB),
        )
        built.app.state.station = monitor
        happening = a.Happening(built.clock.now(), "fire", "1234", "001", "Fire", "Incendie")
        tenant, site = built.room.tenant_id, built.room.site_a
        built.node.store.write(lambda uow: raise_technical(uow, tenant, site, happening), Scope.system())  # noqa: B023 - called at once
        yield built


def _bearer(stack: Stack, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.node.auth.create_token(username, 'station-test', None)}"}


def test_a_supervisor_reads_the_station(stack: Stack) -> None:
    """Every part is there: node, processes, processor, database, disk, journal, consoles, clock, UPS."""
    body = stack.session("supervisor").get("/api/v1/station").json()
    assert body["node"]["name"] == "node-1"
    assert {p["name"] for p in body["processes"]} >= {"console", "scheduler", "station monitor"}
    assert body["heartbeats"] == []  # no process of this test app beats (tocsin serve does: e2e)
    assert body["processor"] == {"backlog": 0, "oldest_pending_at": None, "lag_seconds": 0.0}
    assert body["database"]["ok"] is True
    assert body["database"]["kind"] == "sqlite"
    assert body["storage"]["state"] == "ok"
    assert body["storage"]["free_bytes"] == 8192 * MIB
    assert body["journal_backlog"] == 0
    assert body["clock"]["state"] == "ok"
    assert body["clock"]["offset"] == pytest.approx(0.042)
    assert body["ups"]["state"] == "on_battery"
    assert "ups_on_battery" in body["conditions"]
    classes = {row["class"]: row["count"] for row in body["open_alarms"]}
    assert classes == {"fire": 1, "ups_on_battery": 1}


def test_another_tenants_supervisor_never_counts_our_alarms(stack: Stack) -> None:
    """The other tenant's supervisor sees its own station alarm, not our fire alarm."""
    body = stack.session("elsewhere").get("/api/v1/station").json()
    assert {row["class"] for row in body["open_alarms"]} == {"ups_on_battery"}
    metrics = stack.browser().get("/metrics", headers=_bearer(stack, "elsewhere")).text
    assert 'class="fire"' not in metrics


@pytest.mark.parametrize("username", ["client-a", "operator", "site-b"])
def test_clients_and_operators_are_refused(stack: Stack, username: str) -> None:
    """A client, an operator and an operator over one site get 403 from the API, the page and /metrics."""
    browser = stack.session(username)
    assert browser.get("/api/v1/station").status_code == 403
    assert browser.get("/metrics").status_code == 403
    page = browser.get("/console/station")
    assert page.status_code == 403
    assert "station.js" not in page.text


def test_anonymous_callers_get_401(stack: Stack) -> None:
    """No session and no token: 401 on the API and /metrics; the page sends to the login."""
    browser = stack.browser()
    assert browser.get("/api/v1/station").status_code == 401
    assert browser.get("/metrics").status_code == 401
    assert browser.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert browser.get("/console/station").headers["location"] == "/login"


def test_metrics_are_scraped_and_parsed(stack: Stack) -> None:
    """Prometheus's own parser reads the scrape: the database is up, alarms by class and priority,
    the backlog, consoles, the logbook's length and the clock's offset."""
    response = stack.browser().get("/metrics", headers=_bearer(stack, "supervisor"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }
    assert samples[("tocsin_database_up", ())] == 1
    assert samples[("tocsin_alarms_open", (("class", "fire"), ("priority", "2")))] == 1
    assert samples[("tocsin_alarms_open", (("class", "ups_on_battery"), ("priority", "5")))] == 1
    assert samples[("tocsin_processor_backlog", ())] == 0
    assert samples[("tocsin_processor_lag_seconds", ())] == 0
    assert samples[("tocsin_journal_backlog", ())] == 0
    assert ("tocsin_console_connections", ()) in samples
    assert samples[("tocsin_logbook_entries_total", ())] > 0
    assert samples[("tocsin_clock_offset_seconds", ())] == pytest.approx(0.042)
    assert samples[("tocsin_ups_state", (("state", "on_battery"),))] == 1
    assert samples[("tocsin_storage_free_bytes", ())] == 8192 * MIB


def test_the_page_is_served_in_the_supervisors_language(stack: Stack) -> None:
    """The page loads its script and its strings; French when asked."""
    browser = stack.session("supervisor")
    page = browser.get("/console/station")
    assert page.status_code == 200
    assert "/static/station.js" in page.text
    assert "Station health" in page.text
    assert "/console/station" in browser.get("/console").text
