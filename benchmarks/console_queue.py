"""Console queue benchmark: the alarm queue in a real browser, idle and during a storm.

The same room as benchmarks/alarms.py (a scratch SQLite database with S sites, a transmitter each, and A
open technical alarms; ``tocsin serve`` with its DC-09 receiver, the signal processor in a worker child by
default), and Debian's Chromium driven by Playwright, logged in as the room's operator, at 1920x1080:

1. Load: the console opened L times; from the navigation's start to the queue's rows in the DOM (the queue
   is filled from GET /api/v1/alarms once the socket says hello), and to the next frame after them.
2. Re-render: an open console while alarms are taken through the API, one at a time: how long the page
   spends handling the WebSocket message that brings each change (parsing it, the logbook, the queue's
   full re-render), measured in the page around the console's own message listener.
3. One alarm at a time, idle: a few single frames on sites of their own; from each alarm's ``alarm.opened``
   logbook entry (its ``recorded_at``) to its row in the page's DOM.
4. Storm: N signals over the S sites from K connections at once (benchmarks/alarms.py's storm); for every
   alarm it opens, from its entry's ``recorded_at`` to its row in the DOM and to the frame after it, how
   many appeared, the page's time in message handlers, and its responsiveness: a ``page.evaluate("1")``
   round trip about every second, from the first frame until the page has shown every alarm.

Times in the page are wall-clock times (``performance.timeOrigin + performance.now()``), compared with
the database's (same machine). Figures are printed, never asserted.

    python benchmarks/console_queue.py [--signals N] [--sites S] [--connections K] [--open-alarms A]
                                       [--loads L] [--takes T] [--processing worker|in-process]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shlex
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
from alarms import Prepared, frame, median, percentile, prepare, send, start_server, stop_server
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine

from tocsin.adapters.store.database import normalize_url
from tocsin.adapters.store.rows import LogbookEntryRow
from tocsin.api.deps import SESSION_COOKIE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [  # as tests/e2e/conftest.py launches it
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, HEIGHT = 1920, 1080
ROWS = "#queue-body tr[data-alarm-id]"  # the queue's rows, as console.js draws them
SINGLES = 5  # alarms opened one at a time before the storm, on sites of their own

# Installed in every page before its own scripts. It records, for every alarm row that appears in the
# queue (#queue-body's rows carry data-alarm-id), the wall time it entered the DOM and the wall time of the
# frame after it; and for every WebSocket message about an alarm, when the console's listener began and
# how long it ran (the console updates the DOM synchronously in it). The console's listener is wrapped:
# its DOM changes are read at its end (takeRecords), the others (the queue's load) by the observer.
INSTRUMENT = """
(() => {
  const B = (window.__bench = {
    firstRows: null, firstCount: 0, firstPainted: null, appeared: [], handled: [], sockets: 0,
  });
  const wall = () => performance.timeOrigin + performance.now();
  const seen = new Set();
  let body = null;
  let observer = null;
  let waiting = [];
  function painted() {
    const t = wall();
    for (const item of waiting) item[2] = t;
    if (B.firstPainted === null && waiting.length) B.firstPainted = t - performance.timeOrigin;
    waiting = [];
  }
  function consume(records, t) {
    let added = false;
    for (const record of records) {
      for (const node of record.addedNodes) {
        const id = node.dataset && node.dataset.alarmId;
        if (!id || seen.has(id)) continue;
        seen.add(id);
        const item = [id, t, null];
        B.appeared.push(item);
        if (!waiting.length) {
          requestAnimationFrame(() => {
            const channel = new MessageChannel();  // after this frame's rendering
            channel.port1.onmessage = painted;
            channel.port2.postMessage(null);
          });
        }
        waiting.push(item);
        added = true;
      }
    }
    if (added && B.firstRows === null) {
      B.firstRows = t - performance.timeOrigin;
      B.firstCount = body.rows.length;
    }
  }
  document.addEventListener("DOMContentLoaded", () => {
    body = document.getElementById("queue-body");
    if (!body) return;
    observer = new MutationObserver((records) => consume(records, wall()));
    observer.observe(body, { childList: true });
  });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      B.sockets += 1;
    }
    addEventListener(type, listener, options) {
      if (type !== "message") return super.addEventListener(type, listener, options);
      const measured = (event) => {
        const start = performance.now();
        try {
          listener.call(this, event);
        } finally {
          const end = performance.now();
          if (observer) consume(observer.takeRecords(), performance.timeOrigin + end);
          if (typeof event.data === "string" && event.data.includes('"alarm_id"')) {
            B.handled.push([performance.timeOrigin + start, end - start, event.data.length]);
          }
        }
      };
      return super.addEventListener(type, measured, options);
    }
  };
})();
"""


def ms(values: list[float]) -> str:
    """p50 / p99 / max of milliseconds, as printed."""
    if not values:
        return "none"
    return f"p50 {median(values):8.1f}  p99 {percentile(values, 0.99):8.1f}  max {max(values):8.1f} ms"


def opened_since(engine: Engine, since: datetime) -> dict[str, float]:
    """The alarms opened since ``since``: their id and their ``alarm.opened`` entry's wall time (ms)."""
    query = select(LogbookEntryRow.recorded_at, LogbookEntryRow.data).where(
        LogbookEntryRow.kind == "alarm.opened", LogbookEntryRow.recorded_at >= since
    )
    with engine.connect() as conn:
        return {str(data["alarm_id"]): at.timestamp() * 1000 for at, data in conn.execute(query)}


def progress(engine: Engine) -> tuple[int, int]:
    """Signals still pending, and the alarm events already in an alarm."""
    with engine.connect() as conn:
        pending = conn.execute(text("SELECT count(*) FROM signal WHERE processed_at IS NULL")).scalar_one()
        linked = conn.execute(text("SELECT count(*) FROM alarm_signal")).scalar_one()
    return int(pending), int(linked)


def appeared(page: Any) -> dict[str, tuple[float, float | None]]:
    """Every alarm row the page has shown: its id, when it entered the DOM and the frame after (wall ms)."""
    return {row[0]: (row[1], row[2]) for row in page.evaluate("window.__bench.appeared")}


def open_console(context: Any, base: str) -> Any:
    page = context.new_page()
    page.goto(f"{base}/console")
    page.wait_for_function("() => window.__bench.firstPainted !== null", timeout=120_000)
    return page


# ---------------------------------------------------------------------------------------------- phases


def loads(context: Any, base: str, count: int) -> None:
    """The console opened ``count`` times, each in a new page closed afterwards."""
    ready, api, rows, frames, shown = [], [], [], [], 0
    for _ in range(count):
        page = open_console(context, base)
        figures = page.evaluate(
            """() => {
              const api = performance.getEntriesByType("resource")
                .find((e) => e.name.endsWith("/api/v1/alarms"));
              const nav = performance.getEntriesByType("navigation")[0];
              const B = window.__bench;
              return [nav.domContentLoadedEventEnd, api ? api.responseEnd : NaN, B.firstRows, B.firstPainted,
                      B.firstCount];
            }"""
        )
        page.close()
        ready.append(figures[0])
        api.append(figures[1])
        rows.append(figures[2])
        frames.append(figures[3])
        shown = int(figures[4])
    print(f"1. console load x{count} (ms from the navigation's start; the queue shows {shown} rows):")
    print(f"   DOMContentLoaded          {ms(ready)}")
    print(f"   GET /api/v1/alarms ended  {ms(api)}")
    print(f"   queue rows in the DOM     {ms(rows)}")
    print(f"   next frame after them     {ms(frames)}")


def rerender(page: Any, base: str, prepared: Prepared, count: int) -> None:
    """Alarms taken through the API one at a time: the page's time handling each change's message."""
    ids = page.evaluate(f"[...document.querySelectorAll('{ROWS}')].map((r) => r.dataset.alarmId)")
    chosen = ids[len(ids) // 4 :: max(1, len(ids) // (2 * count))][:count]
    since = time.time() * 1000
    headers = {"X-CSRF-Token": prepared.csrf}
    with httpx2.Client(base_url=base, cookies={SESSION_COOKIE: prepared.session}, timeout=30) as client:
        for alarm_id in chosen:
            client.post(f"/api/v1/alarms/{alarm_id}/take", headers=headers).raise_for_status()
            time.sleep(0.5)
    handled = [h for h in page.evaluate("window.__bench.handled") if h[0] >= since]
    rows = page.evaluate(f"document.querySelectorAll('{ROWS}').length")
    print(
        f"2. re-render: {len(chosen)} alarms taken one at a time, {len(handled)} messages, queue of"
        f" {rows} rows; the console's handling of each (its DOM updated at its end):"
    )
    print(f"   message -> queue updated  {ms([h[1] for h in handled])}")


def singles(page: Any, engine: Engine, port: int, first_site: int) -> None:
    """Single alarms, one every two seconds, on sites of their own: entry recorded -> row in the DOM."""
    since = datetime.now(UTC)
    for k in range(SINGLES):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as link:
            link.sendall(frame(first_site + k, 0, k))
            link.recv(1024)
        time.sleep(2)
    opened = opened_since(engine, since)
    shown = appeared(page)
    dom = [shown[i][0] - at for i, at in opened.items() if i in shown]
    painted = [p - at for i, at in opened.items() if i in shown and (p := shown[i][1]) is not None]
    print(f"3. single alarms, idle: {len(opened)} opened, {len(dom)} shown; from an entry's recorded_at to")
    print(f"   its row in the DOM        {ms(dom)}")
    print(f"   the next frame            {ms(painted)}")


def storm_sender(port: int, sites: int, connections: int, signals: int, results: Any) -> None:
    """The storm, in a process of its own (Playwright's sync API holds this one's event loop)."""
    results.put(send(port, sites, connections, signals))


def storm(page: Any, engine: Engine, port: int, args: argparse.Namespace) -> None:
    before = len(page.evaluate("window.__bench.appeared"))
    since = datetime.now(UTC)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    sender = context.Process(
        target=storm_sender, args=(port, args.sites, args.connections, args.signals, results)
    )
    began = time.monotonic()
    sender.start()
    rounds: list[float] = []
    outcome: tuple[int, list[float], float] | None = None
    absorbed_at = caught_up_at = None
    opened: dict[str, float] = {}
    while True:
        tick = time.monotonic()
        page.evaluate("1")
        rounds.append((time.monotonic() - tick) * 1000)
        if outcome is None and not results.empty():
            outcome = results.get()
            sender.join(10)
        if absorbed_at is None and outcome is not None:
            pending, linked = progress(engine)
            if pending == 0 and linked >= args.signals:
                absorbed_at = time.monotonic()
        if absorbed_at is not None:
            opened = opened_since(engine, since)
            if page.evaluate("window.__bench.appeared.length") >= before + len(opened):
                caught_up_at = time.monotonic()
                break
            if time.monotonic() - absorbed_at > args.catch_up:
                break
        elif time.monotonic() - began > 300:
            print("   the storm was not absorbed in 300 s")
            break
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    if sender.is_alive():
        sender.terminate()
    acked, _, first = outcome if outcome is not None else (0, [], began)
    opened = opened_since(engine, since)
    shown = appeared(page)
    dom = [shown[i][0] - at for i, at in opened.items() if i in shown]
    painted = [p - at for i, at in opened.items() if i in shown and (p := shown[i][1]) is not None]
    handled = [h for h in page.evaluate("window.__bench.handled") if h[0] >= since.timestamp() * 1000]
    sockets = page.evaluate("window.__bench.sockets")
    print(
        f"4. storm: {args.signals} signals from {args.connections} connections over {args.sites} sites,"
        f" {acked} acknowledged;"
        + (f" absorbed {absorbed_at - first:.1f} s after the first frame" if absorbed_at else " NOT absorbed")
    )
    print(
        f"   {len(opened)} alarms opened, {len(dom)} appeared in the page"
        + (
            f" (the last {caught_up_at - first:.1f} s after the first frame)"
            if caught_up_at
            else f" (gave up {args.catch_up:.0f} s after the storm was absorbed)"
        )
        + f"; WebSocket connections opened by the page since it loaded: {sockets}"
    )
    print("   from an alarm's entry recorded_at to")
    print(f"   its row in the DOM        {ms(dom)}")
    print(f"   the next frame            {ms(painted)}")
    durations = [h[1] for h in handled]
    print(
        f"   alarm messages handled: {len(handled)}, {sum(durations) / 1000:.1f} s in the console's listener"
        f" in all; per message {ms(durations)}"
    )
    print(f"   page.evaluate('1') round trip, about every second ({len(rounds)}): {ms(rounds)}")


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=10_000, help="the storm's signals")
    parser.add_argument("--sites", type=int, default=1_000, help="the storm's sites")
    parser.add_argument("--connections", type=int, default=200, help="the storm's connections, at once")
    parser.add_argument("--open-alarms", type=int, default=2_000, help="alarms already open in the queue")
    parser.add_argument("--loads", type=int, default=10, help="console loads measured")
    parser.add_argument("--takes", type=int, default=20, help="alarms taken one at a time (re-render)")
    parser.add_argument("--catch-up", type=float, default=180.0, help="seconds the page may lag the store")
    parser.add_argument("--processing", choices=("in-process", "worker"), default="worker")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"console queue benchmark skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only once Chromium is known there

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.connections + 1_000)), hard))
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, Python {sys.version.split()[0]},"
        f" Chromium {CHROMIUM}\n$ {shlex.join([Path(sys.executable).name, *sys.argv])}"
    )
    print(
        f"== SQLite: {args.sites} sites, {args.open_alarms} open alarms, processing {args.processing},"
        f" console at {WIDTH}x{HEIGHT}"
    )
    with tempfile.TemporaryDirectory() as folder:
        url, var = f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder)
        prepared = prepare(url, var, args.sites + SINGLES, args.open_alarms)
        process, http, dc09_port = start_server(url, var, args.processing)
        base = f"http://127.0.0.1:{http}"
        engine = create_engine(normalize_url(url))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
                context.add_cookies([{"name": SESSION_COOKIE, "value": prepared.session, "url": base}])
                context.add_init_script(INSTRUMENT)
                loads(context, base, args.loads)
                page = open_console(context, base)
                rerender(page, base, prepared, args.takes)
                singles(page, engine, dc09_port, args.sites)
                storm(page, engine, dc09_port, args)
                skew = page.evaluate("Date.now() - (performance.timeOrigin + performance.now())")
                print(f"   (the page's clock: Date.now() - (timeOrigin + now()) = {skew:.1f} ms at the end)")
                browser.close()
        finally:
            engine.dispose()
            cpu = stop_server(process)
    print(f"   server CPU seconds: {cpu:.1f}")


if __name__ == "__main__":
    main()
