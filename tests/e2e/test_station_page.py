"""A real `tocsin serve` watching a local NTP responder 5 s ahead and an upsd on battery: the node
raises both alarms, and a supervisor reads the station page in French in Debian's Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in
from tests.integration.station_support import NtpResponder, Upsd, ntp_responder, upsd
from tocsin.adapters.clock import SystemClock


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, NtpResponder, Upsd]]:
    """The node, told of the room's NTP server and UPS, checking every second."""
    tmp = tmp_path_factory.mktemp("station-e2e")
    settings, room = _prepare(tmp)
    port = _free_port()
    with ntp_responder(SystemClock(), offset=5.0) as responder, upsd(status="OB DISCHRG") as server_ups:
        env = {
            "TOCSIN_NTP_SERVERS": responder.server,
            "TOCSIN_NUT_UPS": server_ups.target,
            "TOCSIN_STATION_CHECK_EVERY": "1",
        }
        running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
        with mock.patch.dict(os.environ, env):
            running.start()
        yield running, responder, server_ups
        running.stop()


def test_a_supervisor_sees_the_clock_and_the_power_on_the_station_page(
    browser: Any, watched: tuple[Server, NtpResponder, Upsd]
) -> None:
    """The top bar's link opens the page; the clock row says the offset is past the limit and the UPS
    row says on battery, in French; the serve process beats; both alarms are in the queue the API gives."""
    server, _responder, _ups = watched
    page = log_in(browser, server, "dominique")
    page.locator('[data-testid="station-link"]').click()
    page.wait_for_url(f"{server.url}/console/station")
    page.wait_for_selector('body[data-station-loaded="yes"]')
    clock = page.locator('[data-testid="station-clock"]')
    page.wait_for_function(
        "document.querySelector('[data-testid=station-clock]').dataset.state === 'offset'", timeout=15_000
    )
    assert "Décalage hors limite" in clock.inner_text()
    ups = page.locator('[data-testid="station-ups"]')
    assert ups.get_attribute("data-state") == "on_battery"
    assert "Sur batterie" in ups.inner_text()
    assert page.locator('[data-testid="station-database"]').get_attribute("data-state") == "ok"
    beating = page.locator('[data-testid="station-heartbeat-node-1-serve"]')
    assert beating.get_attribute("data-state") == "ok"  # the serve process's own heartbeat
    alarms = page.request.get(f"{server.url}/api/v1/alarms").json()
    rows = alarms["alarms"] if isinstance(alarms, dict) else alarms
    assert {"clock_offset", "ups_on_battery"} <= {row["alarm_class"] for row in rows}
    page.context.close()
