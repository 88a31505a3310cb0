"""The KPI page in Debian's Chromium against a real `tocsin serve`: a supervisor opens it from the top
bar, in French, sees the alarms a transmitter raised counted and both uPlot charts drawn (no request
leaves the node, the CSP refuses nothing), asks for a fixed empty period and is told so, and the live
view counts a new alarm."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Server, log_in, shoot
from tests.e2e.test_console import _axe


def _alarms_in_queue(page: Any, server: Server, count: int) -> None:
    """Wait until the signal processor made ``count`` alarms (the page then counts them at its next read)."""
    page.wait_for_function(
        """async ([url, count]) => {
            const r = await fetch(url + "/api/v1/alarms", {credentials: "same-origin"});
            return r.ok && (await r.json()).length >= count;
        }""",
        arg=[server.url, count],
        timeout=15_000,
        polling=250,
    )


def test_a_supervisor_reads_the_kpis_with_charts(browser: Any, server: Server) -> None:
    """Counted alarms, two charts as canvases, French words, an empty period said, a live update."""
    server.send_frame("1130 01 001")  # an intrusion on Site A
    page = log_in(browser, server, "dominique")
    _alarms_in_queue(page, server, 1)
    refused: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    broken: list[str] = []
    page.on("pageerror", lambda e: broken.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None)
    page.locator('[data-testid="kpis-link"]').click()
    page.wait_for_url(f"{server.url}/console/kpis")
    page.wait_for_selector("body[data-kpis-loaded]")
    page.wait_for_selector('body[data-kpis-alarms="1"]', timeout=15_000)
    assert "Alarmes\t1" in page.locator('[data-testid="kpis-summary"]').inner_text()
    assert page.locator("#kpis-hours .uplot canvas").count() == 1
    assert page.locator("#kpis-curve .uplot canvas").count() == 1
    assert "Signaux par heure" in page.inner_text("main")
    assert "Intrusion" in page.locator('[data-testid="kpis-timings"]').inner_text()
    # NFPA 1225: no event yet, so three intervals with no figure, and the p90-against-target chart
    dispatch = page.locator('[data-testid="kpis-dispatch"]').inner_text()
    assert [line.split("\t")[0] for line in dispatch.splitlines()[1:]] == ["Traitement", "Sortie", "Trajet"]
    assert "90 % ≤ 60 s" in dispatch
    assert page.locator("#kpis-dispatch-chart .uplot canvas").count() == 1
    assert broken == []
    shoot(page, "kpis-fr")
    page.locator('[data-testid="kpis-dispatch"]').scroll_into_view_if_needed()
    shoot(page, "kpis-dispatch-fr")
    serious = [v["id"] for v in _axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == []

    page.fill('[data-testid="kpis-from"]', "2025-01-01T00:00")
    page.fill('[data-testid="kpis-to"]', "2025-01-02T00:00")
    page.locator('[data-testid="kpis-show"]').click()
    page.wait_for_selector('[data-testid="kpis-empty"]:not([hidden])')
    assert "Aucune alarme et aucun signal sur cette période." in page.inner_text('[data-testid="kpis-empty"]')
    assert "from=2025-01-01" in (page.locator('[data-testid="kpis-csv"]').get_attribute("href") or "")

    page.locator('[data-testid="kpis-live"]').click()
    page.wait_for_selector('[data-testid="kpis-empty"][hidden]', state="attached")
    page.wait_for_selector('body[data-kpis-alarms="1"]')
    # a fire: another alarm, counted through the live socket within 20 s (the next 30 s read is later)
    server.send_frame("1110 01 002")
    page.wait_for_selector('body[data-kpis-alarms="2"]', timeout=20_000)
    assert refused == []
    assert outside == []
    page.context.close()
