"""Crew page benchmark: from an engage in the room to the assignment on the crew's phone, in a browser.

A scratch SQLite database with an operator, a crew login linked to its unit and N open events,
``tocsin serve``, and Debian's Chromium driven by Playwright on the crew's page (``/unit``, 412x915).
For each sample the operator engages the unit on the next event (POST /api/v1/events/{id}/engage, its
session, from this process); the time runs from just before the request is sent (this process's wall
clock) to the event's address written in the page's DOM (the page's wall clock,
``performance.timeOrigin + performance.now()``, same machine). The operator then sends the unit back
to available and waits for the page to show no assignment; a random pause of up to a second before
each engage keeps a poll's phase from lining up with the samples.

Figures are printed, never asserted.

    python benchmarks/unit_page.py [--samples N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2
from alarms import start_server, stop_server

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.api.deps import SESSION_COOKIE
from tocsin.bootstrap import bootstrap
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import units as u
from tocsin.domain.scope import Scope
from tocsin.testing import FakeHasher

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
INSTRUMENT = """
window.__shown = {};
const wall = () => performance.timeOrigin + performance.now();
new MutationObserver(() => {
  const text = document.getElementById("assignment-address")?.textContent;
  if (text && !(text in window.__shown)) window.__shown[text] = wall();
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


class Room:
    """What the benchmark drives: the two sessions, the unit and the events."""

    def __init__(self, operator: tuple[str, str], crew: str, unit_id: str, events: list[tuple[str, str]]):
        self.operator = operator
        self.crew = crew
        self.unit_id = unit_id
        self.events = events  # (id, address)


def prepare(url: str, var: Path, count: int) -> Room:
    """An operator, a crew linked to unit « Bench 1 », and ``count`` open events."""
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=var), hasher=FakeHasher(), clock=SystemClock())
    try:
        bus = node.messagebus
        tenant = bus.handle(c.CreateTenant("bench", "Bench"), scope=Scope.system(), actor="b")
        scope = Scope.tenant(tenant.id)
        users = {}
        for name, role in (("op", "operator"), ("crew", "unit")):
            user = bus.handle(c.AddUser(tenant.id, name, name, f"{name}-password"), scope=scope, actor="b")
            bus.handle(c.GrantRole(user.id, role), scope=scope, actor="b")
            users[name] = user
        unit = bus.handle(
            u.CreateUnit(tenant.id, "Bench 1", "guard", user_id=users["crew"].id), scope=scope, actor="b"
        )
        events = []
        for n in range(count):
            place = i.Place(48.85 + n / 10_000, 2.35, f"{n + 1} rue du Banc")
            made = bus.handle(i.CreateIncident(tenant.id, "NOISE", place, by="b"), scope=scope, actor="b")
            events.append((str(made.incident.id), place.address))
        op = node.auth.login("op", "op-password", "127.0.0.1")
        crew = node.auth.login("crew", "crew-password", "127.0.0.1")
        return Room((op.token, op.principal.csrf_token or ""), crew.token, str(unit.id), events)
    finally:
        node.close()


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {statistics.median(ordered):6.0f} ms  p90 {pick(0.9):6.0f} ms  max {ordered[-1]:6.0f} ms"


def run(page: Any, base: str, room: Room) -> None:
    page.goto(f"{base}/unit")
    page.wait_for_selector('[data-testid="unit-callsign"]:has-text("Bench 1")')
    page.wait_for_timeout(1500)  # the live socket (when the page has one) is open
    latencies: list[float] = []
    rng = random.Random(11)
    session, csrf = room.operator
    with httpx2.Client(
        base_url=base, cookies={SESSION_COOKIE: session}, headers={"X-CSRF-Token": csrf}, timeout=30
    ) as client:
        for event_id, address in room.events:
            time.sleep(rng.random())
            sent = time.time() * 1000
            client.post(
                f"/api/v1/events/{event_id}/engage", json={"unit_ids": [room.unit_id]}
            ).raise_for_status()
            page.wait_for_function("(a) => a in window.__shown", arg=address, timeout=30_000)
            latencies.append(page.evaluate("(a) => window.__shown[a]", address) - sent)
            client.post(
                f"/api/v1/units/{room.unit_id}/status", json={"status": "available"}
            ).raise_for_status()
            page.wait_for_selector('[data-testid="assignment-empty"]', state="visible", timeout=30_000)
    print(f"engage (HTTP) to the assignment on the crew's page (n={len(latencies)}):")
    print(f"   {percentiles(latencies)}")
    print("   each:", " ".join(f"{x:.0f}" for x in latencies))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=12)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"crew page benchmark skipped: no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only once Chromium is known there

    with tempfile.TemporaryDirectory() as folder:
        url, var = f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder)
        room = prepare(url, var, args.samples)
        process, http, _dc09 = start_server(url, var, "in-process")
        base = f"http://127.0.0.1:{http}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True)
                context.add_cookies([{"name": SESSION_COOKIE, "value": room.crew, "url": base}])
                context.add_init_script(INSTRUMENT)
                run(context.new_page(), base, room)
                browser.close()
        finally:
            stop_server(process)


if __name__ == "__main__":
    main()
