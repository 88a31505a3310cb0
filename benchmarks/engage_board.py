"""Engage-to-board benchmark: from an engagement's request to the unit on the board, in a real browser.

A scratch SQLite database with an operator, B open events (200 by default) and U available patrols,
``tocsin serve``, and Debian's Chromium driven by Playwright, logged in as the operator at 1920x1080,
the event board loaded and the first event's file open (as an operator engaging units has it). Then, N
times (100 by default), one unit after another:

1. the page itself posts ``POST /api/v1/events/{id}/engage`` for one unit (``fetch`` in the page, the
   console's session and CSRF token), stamping ``performance.timeOrigin + performance.now()`` just
   before the request and when its answer came;
2. a MutationObserver in the page stamps, with the same clock, the unit's chip appearing in the event's
   row of the board (``.unit-chip[data-unit-id]``: drawn from the live hub's ``unit.*`` entry) and the
   unit appearing in the open file's list of engaged units (redrawn from ``GET …/units`` after that
   entry);
3. the unit is released (its chip gone) before the next, so every engagement meets the same board.

Both clocks are the page's: no clock is compared across processes. Printed: p50 / p95 / p99 of request
to chip, request to the file's list, and of the engage's own answer. The issue's target: engage-to-board
p99 under 250 ms. Figures are printed, never asserted.

    python benchmarks/engage_board.py [--open-events B] [--engages N] [--no-file]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from alarms import start_server, stop_server, wait_for_kits

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
window.__engage = { chip: {}, file: {} };
const CHIP = '.unit-chip[data-unit-id]', PANEL = '[data-testid="event-units-panel"]';
const wall = () => performance.timeOrigin + performance.now();
new MutationObserver((records) => {
  const at = wall();
  const seen = window.__engage;
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== 1) continue;
    const chips = node.matches(CHIP) ? [node] : node.querySelectorAll(CHIP);
    for (const chip of chips) if (!(chip.dataset.unitId in seen.chip)) seen.chip[chip.dataset.unitId] = at;
    const panel = node.matches(PANEL) ? node : node.querySelector(PANEL);
    for (const li of panel?.querySelectorAll('.event-units-list li') ?? []) {
      const callsign = li.textContent.split(' · ')[0];
      if (!(callsign in seen.file)) seen.file[callsign] = at;
    }
  }
}).observe(document, { childList: true, subtree: true });
"""
POST = """
async ([url, body]) => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const sent = performance.timeOrigin + performance.now();
  const answer = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body),
  });
  const answered = performance.timeOrigin + performance.now();
  return [sent, answered, answer.status];
}
"""


def prepare(url: str, var: Path, count: int, units: int) -> tuple[str, list[str], list[tuple[str, str]]]:
    """An operator's session, ``count`` open events around Paris (their ids) and ``units`` available
    patrols (their ids and callsigns)."""
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
        events = []
        for n in range(count):
            place = i.Place(48.85 + rng.uniform(-0.05, 0.05), 2.35 + rng.uniform(-0.07, 0.07), f"{n} rue X")
            command = i.CreateIncident(tenant.id, rng.choice(("NOISE", "FIGHT", "GAS_LEAK")), place, by="b")
            events.append(str(node.messagebus.handle(command, scope=scope, actor="b").incident.id))
        patrols = []
        for n in range(units):
            command = c.AddUnit(
                tenant.id,
                f"PM {n:03d}",
                "police",
                ("intervention",),
                latitude=48.85 + rng.uniform(-0.05, 0.05),
                longitude=2.35 + rng.uniform(-0.07, 0.07),
            )
            unit = node.messagebus.handle(command, scope=scope, actor="b")
            patrols.append((str(unit.id), unit.callsign))
        login = node.auth.login("op", "op-password", "127.0.0.1")
        return login.token, events, patrols
    finally:
        node.close()


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {pick(0.95):6.1f} ms  p99 {pick(0.99):6.1f} ms"


def run(  # noqa: PLR0917 - the benchmark's figures
    page: Any, base: str, events: list[str], patrols: list[tuple[str, str]], engages: int, file: bool
) -> None:
    page.goto(f"{base}/console")
    page.wait_for_function(
        "([rows, count]) => document.querySelectorAll(rows).length >= count",
        arg=[ROWS, len(events)],
        timeout=120_000,
    )
    event = events[0]
    if file:
        page.evaluate("(id) => window.TocsinEventBoard.open(id)", event)
        page.locator('[data-testid="event-units-panel"]').wait_for(timeout=30_000)
    to_chip, to_file, answered = [], [], []
    for unit_id, callsign in patrols[:engages]:
        sent, back, status = page.evaluate(POST, [f"/api/v1/events/{event}/engage", {"unit_ids": [unit_id]}])
        if status != 201:
            raise SystemExit(f"the engage answered {status}")
        page.wait_for_function(
            "([id, name, file]) => id in window.__engage.chip && (!file || name in window.__engage.file)",
            arg=[unit_id, callsign, file],
            timeout=30_000,
        )
        seen = page.evaluate("([id, callsign]) => [window.__engage.chip[id], window.__engage.file[callsign]]",
                             [unit_id, callsign])  # fmt: skip
        to_chip.append(seen[0] - sent)
        if file:
            to_file.append(seen[1] - sent)
        answered.append(back - sent)
        _, _, status = page.evaluate(POST, [f"/api/v1/events/{event}/units/{unit_id}/release", {}])
        if status != 200:
            raise SystemExit(f"the release answered {status}")
        gone = '(id) => !document.querySelector(`.unit-chip[data-unit-id="${id}"]`)'
        page.wait_for_function(gone, arg=unit_id, timeout=30_000)
        time.sleep(0.2)
    opened = "the first one's file open" if file else "no file open"
    print(f"engage to board, {len(events)} open events, {opened} (n={len(to_chip)}):")
    print(f"  request to the unit's chip in the event's row: {percentiles(to_chip)}")
    if file:
        print(f"  request to the unit in the open file's list:   {percentiles(to_file)}")
    print(f"  of which the engage's own answer:              {percentiles(answered)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open-events", type=int, default=200)
    parser.add_argument("--engages", type=int, default=100)
    parser.add_argument(
        "--no-file", action="store_true", help="The board alone: the event's file not open (what it costs)"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"engage-to-board benchmark skipped: no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only once Chromium is known there

    with tempfile.TemporaryDirectory() as folder:
        url, var = f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder)
        session, events, patrols = prepare(url, var, args.open_events, args.engages)
        process, http, _dc09 = start_server(url, var, "in-process")
        base = f"http://127.0.0.1:{http}"
        try:
            wait_for_kits(var)  # the server's first degraded-mode kits written: its steady state
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
                context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": base}])
                context.add_init_script(INSTRUMENT)
                run(context.new_page(), base, events, patrols, args.engages, not args.no_file)
                browser.close()
        finally:
            stop_server(process)


if __name__ == "__main__":
    main()
