"""Event board benchmark: a board of 500 open events in a real browser, updated live.

A scratch SQLite database with an operator and B open events (500 by default, created in process),
``tocsin serve``, and Debian's Chromium driven by Playwright, logged in as the operator, at 1920x1080:

1. Load: from the navigation's start to the board's B rows in the DOM.
2. Update: U events created one at a time through the API (POST /api/v1/events, the operator's session);
   for each, from just before the request is sent (this process's wall clock) to its row in the page's
   DOM (the page's wall clock, ``performance.timeOrigin + performance.now()``, same machine). The issue's
   target is a board update p99 under 250 ms with 500 open events.

Figures are printed, never asserted.

    python benchmarks/event_board.py [--open-events B] [--updates U]
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
from tocsin.domain.scope import Scope
from tocsin.testing import FakeHasher

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
WIDTH, HEIGHT = 1920, 1080
ROWS = '[data-testid="event-rows"] tr'
INSTRUMENT = """
window.__board = { seen: {} };
const wall = () => performance.timeOrigin + performance.now();
new MutationObserver((records) => {
  const at = wall();
  for (const record of records) for (const node of record.addedNodes) {
    const id = node.dataset?.id;
    if (id && !(id in window.__board.seen)) window.__board.seen[id] = at;
  }
}).observe(document, { childList: true, subtree: true });
"""


def prepare(url: str, var: Path, count: int) -> tuple[str, str]:
    """An operator's session and CSRF token, and ``count`` open events around Paris."""
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=var), hasher=FakeHasher(), clock=SystemClock())
    try:
        tenant = node.messagebus.handle(c.CreateTenant("bench", "Bench"), scope=Scope.system(), actor="b")
        scope = Scope.tenant(tenant.id)
        user = node.messagebus.handle(
            c.AddUser(tenant.id, "op", "Operator", "op-password"), scope=scope, actor="b"
        )
        node.messagebus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="b")
        rng = random.Random(500)
        for n in range(count):
            place = i.Place(48.85 + rng.uniform(-0.05, 0.05), 2.35 + rng.uniform(-0.07, 0.07), f"{n} rue X")
            command = i.CreateIncident(tenant.id, rng.choice(("NOISE", "FIGHT", "GAS_LEAK")), place, by="b")
            node.messagebus.handle(command, scope=scope, actor="b")
        login = node.auth.login("op", "op-password", "127.0.0.1")
        return login.token, login.principal.csrf_token or ""
    finally:
        node.close()


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {pick(0.95):6.1f} ms  p99 {pick(0.99):6.1f} ms"


def run(page: Any, base: str, login: tuple[str, str], count: int, updates: int) -> None:
    session, csrf = login
    page.goto(f"{base}/console")
    page.wait_for_function(
        "([rows, count]) => document.querySelectorAll(rows).length >= count",
        arg=[ROWS, count],
        timeout=120_000,
    )
    loaded = page.evaluate("Math.max(...Object.values(window.__board.seen)) - performance.timeOrigin")
    print(f"1. console load: {count} event rows in the DOM {loaded:.0f} ms after the navigation's start")
    latencies: list[float] = []
    answered: list[float] = []
    rng = random.Random(7)
    headers = {"X-CSRF-Token": csrf}
    with httpx2.Client(
        base_url=base, cookies={SESSION_COOKIE: session}, headers=headers, timeout=30
    ) as client:
        for _ in range(updates):
            body = {
                "type_code": "NOISE",
                "latitude": 48.9 + rng.random() / 10,
                "longitude": 2.3,
                "address": "x",
            }
            sent = time.time() * 1000
            made = client.post("/api/v1/events", json=body)
            made.raise_for_status()
            answered.append(time.time() * 1000 - sent)
            event_id = made.json()["event"]["id"]
            page.wait_for_function("(id) => id in window.__board.seen", arg=event_id, timeout=30_000)
            latencies.append(page.evaluate(f"window.__board.seen['{event_id}']") - sent)
            time.sleep(0.2)
    print(f"2. board update, {count}+ open events, request to row in the DOM (n={updates}):")
    print(f"   {percentiles(latencies)}")
    print(f"   of which the API's answer to the POST: {percentiles(answered)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open-events", type=int, default=500)
    parser.add_argument("--updates", type=int, default=100)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"event board benchmark skipped: no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only once Chromium is known there

    with tempfile.TemporaryDirectory() as folder:
        url, var = f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder)
        session, csrf = prepare(url, var, args.open_events)
        process, http, _dc09 = start_server(url, var, "in-process")
        base = f"http://127.0.0.1:{http}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
                context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": base}])
                context.add_init_script(INSTRUMENT)
                run(context.new_page(), base, (session, csrf), args.open_events, args.updates)
                browser.close()
        finally:
            stop_server(process)


if __name__ == "__main__":
    main()
