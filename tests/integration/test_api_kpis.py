"""The KPIs over HTTP: ``/api/v1/kpis`` as JSON, CSV and PDF (its first page rendered to a PNG), the
page, and the alarm KPIs at ``/metrics`` parsed as Prometheus reads them; supervisors only, scoped to
their grant, another tenant's alarms never counted; bad periods refused; an empty period says so."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pypdfium2 as pdfium
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.api_support import PASSWORD, Stack, console_csrf, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.unit_of_work import UnitOfWork


def _alarm(
    stack: Stack, tenant: object, site: object, client: object, ago_h: float, **values: object
) -> a.Alarm:
    opened = stack.clock.now() - timedelta(hours=ago_h)
    return a.Alarm(
        id=uuid4(),
        tenant_id=tenant,  # type: ignore[arg-type]
        alarm_class=str(values.pop("alarm_class", "intrusion")),
        priority=4,
        opened_at=opened,
        last_signal_at=opened,
        site_id=site,  # type: ignore[arg-type]
        client_id=client,  # type: ignore[arg-type]
        site_ref="S",
        site_name="Site",
        group_key="intrusion",
        **values,  # type: ignore[arg-type]
    )


def _settled(
    stack: Stack, ago_h: float, take: float, settle: float, *, outcome: str, cause: str
) -> dict[str, object]:
    opened = stack.clock.now() - timedelta(hours=ago_h)
    return {
        "first_taken_at": opened + timedelta(seconds=take),
        "taken_at": opened + timedelta(seconds=take),
        "settled_at": opened + timedelta(seconds=settle),
        "outcome": outcome,
        "cause": cause,
        "state": "settled",
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Tenant one: an intrusion on site A taken in 12 s and settled false (animal), one on site B taken
    in 45 s and settled real, 30 signals; tenant two: a fire taken in 500 s. Supervisors of both, one
    over client A only."""
    for built in make_stack(tmp_path_factory.mktemp("kpis")):
        room = built.room
        built.add_user("supervisor", "supervisor")
        built.add_user("superviseur", "supervisor")  # switches to French
        built.add_user("sup-a", "supervisor", client_ids=(room.client_a,))
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        user = built.node.messagebus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        built.node.messagebus.handle(c.GrantRole(user.id, "supervisor"), scope=scope, actor="t")
        alarms = [
            _alarm(
                built,
                room.tenant_id,
                room.site_a,
                room.client_a,
                2,
                **_settled(built, 2, 12, 100, outcome="false", cause="animal"),
            ),
            _alarm(
                built,
                room.tenant_id,
                room.site_b,
                room.client_b,
                1,
                **_settled(built, 1, 45, 300, outcome="real", cause="intrusion"),
            ),
            _alarm(
                built,
                other.tenant_id,
                other.site_a,
                other.client_a,
                1,
                alarm_class="fire",
                **_settled(built, 1, 500, 900, outcome="false", cause="user-error"),
            ),
        ]
        signals = [
            Signal(
                uuid4(),
                built.clock.now() - timedelta(minutes=m),
                "n",
                "tcp",
                "r",
                "ACK",
                room.tenant_id,
                None,
                room.site_a,
            )
            for m in range(1, 31)
        ]

        def write(uow: UnitOfWork) -> None:
            uow.alarms.add(alarms)  # noqa: B023 - called at once
            uow.signals.insert_many(signals)  # noqa: B023 - called at once

        built.node.store.write(write, Scope.system())
        yield built


def _bearer(stack: Stack, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.node.auth.create_token(username, 'kpi-test', None)}"}


def test_a_supervisor_reads_the_last_24_hours(stack: Stack) -> None:
    """Two alarms, take p50 12 s and p90 45 s, half within 30 s and all within 60 s, one false of two,
    30 signals; the fire of the other tenant is not there."""
    body = stack.session("supervisor").get("/api/v1/kpis").json()
    assert (body["alarms"], body["settled"], body["false"], body["signals"]) == (2, 2, 1, 30)
    assert body["empty"] is False
    assert body["to"] == stack.clock.now().isoformat()
    assert body["from"] == (stack.clock.now() - timedelta(hours=24)).isoformat()
    overall = next(t for t in body["timings"] if t["alarm_class"] == "*" and t["measure"] == "take")
    assert (overall["p50"], overall["p90"], overall["max"]) == (12.0, 45.0, 45.0)
    assert [(w["seconds"], w["share"], w["met"]) for w in overall["within"]] == [
        (30, 0.5, False),
        (60, 1.0, True),
    ]
    assert {t["alarm_class"] for t in body["timings"]} == {"*", "intrusion"}
    assert {c["cause"]: c["count"] for c in body["causes"]} == {"animal": 1, "intrusion": 1}
    assert {r["key"]: r["rate"] for r in body["false_by_site"]} == {
        str(stack.room.site_a): 1.0,
        str(stack.room.site_b): 0.0,
    }
    assert sum(h["signals"] for h in body["per_hour"]) == 30
    assert sum(h["alarms"] for h in body["per_hour"]) == 2


def test_a_supervisor_over_one_client_counts_its_sites_only(stack: Stack) -> None:
    """The grant over client A sees site A's alarm and signals, not site B's."""
    body = stack.session("sup-a").get("/api/v1/kpis").json()
    assert (body["alarms"], body["signals"]) == (1, 30)
    assert [r["key"] for r in body["false_by_client"]] == [str(stack.room.client_a)]


def test_another_tenants_supervisor_sees_only_theirs(stack: Stack) -> None:
    """The other tenant counts its fire only; none of our sites, clients or signals appear."""
    response = stack.session("elsewhere").get("/api/v1/kpis")
    body = response.json()
    assert (body["alarms"], body["signals"]) == (1, 0)
    assert {t["alarm_class"] for t in body["timings"]} == {"*", "fire"}
    for ours in (stack.room.site_a, stack.room.site_b, stack.room.client_a, stack.room.client_b):
        assert str(ours) not in response.text


@pytest.mark.parametrize("username", ["client-a", "operator", "site-b"])
def test_clients_and_operators_are_refused(stack: Stack, username: str) -> None:
    """403 from the API, its exports and the page for a client and operators."""
    browser = stack.session(username)
    for path in ("/api/v1/kpis", "/api/v1/kpis/csv", "/api/v1/kpis/pdf", "/console/kpis"):
        assert browser.get(path).status_code == 403, path


def test_anonymous_callers_get_401(stack: Stack) -> None:
    """No session: 401 from the API, the page sends to the login."""
    browser = stack.browser()
    assert browser.get("/api/v1/kpis").status_code == 401
    assert browser.get("/console/kpis").headers["location"] == "/login"


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("from=2026-12-02T00:00:00%2B00:00&to=2026-12-01T00:00:00%2B00:00", "before"),
        ("from=2025-01-01T00:00:00%2B00:00&to=2026-06-01T00:00:00%2B00:00", "366"),
        ("from=2026-12-01T00:00:00", "from"),
        ("from=0001-01-01T00:00:00%2B01:00&to=0001-01-02T00:00:00%2B01:00", "1970"),
        ("to=yesterday", "to"),
    ],
)
def test_bad_periods_are_refused_with_a_message(stack: Stack, query: str, word: str) -> None:
    """The end before the start, over 366 days, a time without offset, not a time: 422 naming it."""
    response = stack.session("supervisor").get(f"/api/v1/kpis?{query}")
    assert response.status_code == 422
    assert word in response.text


def test_an_empty_period_says_so_in_json_csv_and_pdf(stack: Stack) -> None:
    """A day last year: empty, every hour at zero; the CSV's and the PDF's text say it."""
    browser = stack.session("supervisor")
    query = "from=2025-06-01T00:00:00%2B00:00&to=2025-06-02T00:00:00%2B00:00"
    body = browser.get(f"/api/v1/kpis?{query}").json()
    assert body["empty"] is True
    assert (body["alarms"], body["signals"], len(body["per_hour"])) == (0, 0, 24)
    assert "No alarm and no signal in this period." in browser.get(f"/api/v1/kpis/csv?{query}").text
    pdf = pdfium.PdfDocument(browser.get(f"/api/v1/kpis/pdf?{query}").content)
    try:
        assert "No alarm and no signal in this period." in pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


def test_the_csv_export_holds_every_section(stack: Stack) -> None:
    """One table: the period, timings, targets, false rates by class, site and client, causes, hours."""
    response = stack.session("supervisor").get("/api/v1/kpis/csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    sections = {r["section"] for r in rows}
    assert sections == {
        "period",
        "timing",
        "within",
        "false_class",
        "false_site",
        "false_client",
        "cause",
        "hour",
        "dispatch_events",  # NFPA 1225 intervals: test_api_kpis_dispatch.py
        "dispatch",
    }
    take = next(r for r in rows if r["section"] == "timing" and r["key"] == "*" and r["measure"] == "take")
    assert (take["p50_s"], take["p90_s"]) == ("12.0", "45.0")


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Key performance indicators"), ("fr", "Indicateurs de performance")]
)
def test_the_pdf_report_renders(stack: Stack, tmp_path: Path, language: str, title: str) -> None:
    """The first page, rendered to a PNG, is an A4 page with ink on it; its text has the title, the
    targets and the false rate, in the supervisor's language."""
    browser = stack.session("supervisor" if language == "en" else "superviseur")
    if language == "fr":
        csrf = console_csrf(browser)
        browser.put("/api/v1/me/language", json={"language": "fr"}, headers={"X-CSRF-Token": csrf})
    response = browser.get("/api/v1/kpis/pdf")
    assert response.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    try:
        page = pdf[0]
        width, height = page.get_size()
        image = page.render(scale=1).to_pil().convert("L")
        text = page.get_textpage().get_text_range()
    finally:
        pdf.close()
    png = tmp_path / f"kpis-{language}.png"
    image.save(png)
    assert png.stat().st_size > 10_000
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    inked = sum(image.histogram()[:128])
    assert inked > 5_000, "the page has text, tables and a chart"
    assert title in text
    assert "80 % ≤ 30 s" in text
    assert "50.0 %" in text  # one false of two


def test_the_page_is_served_with_its_charts(stack: Stack) -> None:
    """The page loads its script, uPlot from the vendored folder and its strings; the console links it."""
    browser = stack.session("supervisor")
    page = browser.get("/console/kpis")
    assert page.status_code == 200
    for asset in (
        "/static/kpis.js",
        "/static/vendor/uplot/uPlot.iife.min.js",
        "/static/vendor/uplot/uPlot.min.css",
    ):
        assert asset in page.text
    assert "Key performance indicators" in page.text
    assert 'href="/console/kpis"' in browser.get("/console").text


def test_metrics_carry_the_alarm_kpis(stack: Stack) -> None:
    """Prometheus's parser reads the window's KPIs: alarms by class, p50 and p90 of the time to take,
    the share within each target and the target itself, the false ratio, signals per hour."""
    response = stack.browser().get("/metrics", headers=_bearer(stack, "supervisor"))
    assert response.status_code == 200
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }
    assert samples[("tocsin_kpi_window_seconds", ())] == 86_400
    assert samples[("tocsin_kpi_alarms", (("class", "intrusion"),))] == 2
    take = (("class", "*"), ("measure", "take"))
    assert samples[("tocsin_kpi_handling_seconds", (*take, ("quantile", "0.5")))] == 12
    assert samples[("tocsin_kpi_handling_seconds", (*take, ("quantile", "0.9")))] == 45
    assert samples[("tocsin_kpi_within_ratio", (*take, ("seconds", "30")))] == 0.5
    assert samples[("tocsin_kpi_target_ratio", (("measure", "take"), ("seconds", "60")))] == 0.985
    assert samples[("tocsin_kpi_false_ratio", (("class", "*"),))] == 0.5
    assert samples[("tocsin_kpi_signals_per_hour", ())] == pytest.approx(30 / 24)
    # the station's own figure stays as it was beside them (settled alarms are still open)
    assert samples[("tocsin_alarms_open", (("class", "intrusion"), ("priority", "4")))] == 2
