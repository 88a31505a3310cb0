"""Dispatch events benchmark: event creation and the board's list over HTTP.

The app (as ``tocsin serve`` builds it) runs under uvicorn in this process's thread on a scratch SQLite
database (PostgreSQL too when TOCSIN_TEST_POSTGRES_URL is set: a scratch database is created and dropped),
with a tenant, an operator and an API token. A client over real HTTP (keep-alive) then:

1. creates N events (POST /api/v1/events: a typed call with answers, a place, a caller and a note, so the
   duplicate search, the assessment, two logbook entries and the row are all on the path): p50/p95;
2. lists the board (GET /api/v1/events, every open event) with 10, 110 and 500 open events: p50/p95.

Reference (issue 13): TicketsCAD over HTTP, create p50 17-22 ms (p95 23-83 ms), board list 27 ms with 10
open incidents and 190-250 ms with 110. Figures are printed, never asserted.

    python benchmarks/incidents.py [--creates N] [--lists L]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tocsin.adapters.store import migrate
from tocsin.api.app import create_app
from tocsin.bootstrap import bootstrap
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

CENTRE = (48.8566, 2.3522)
TYPES = ("ROAD_ACCIDENT", "FIRE_BUILDING", "ASSAULT", "INJURED_PERSON", "NOISE", "GAS_LEAK")


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def scratch_postgres(base: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  (n={len(ordered)})"


def _event(rng: random.Random) -> dict[str, object]:
    code = rng.choice(TYPES)
    answers = {"ROAD_ACCIDENT": {"victims": 1}, "ASSAULT": {"weapon": False}}.get(code, {})
    return {
        "type_code": code,
        "answers": answers,
        "latitude": CENTRE[0] + rng.uniform(-0.05, 0.05),
        "longitude": CENTRE[1] + rng.uniform(-0.07, 0.07),
        "address": f"{rng.randint(1, 200)} rue de la Paix",
        "caller_name": "Caller",
        "caller_phone": "0600000000",
        "note": "Benchmark call",
    }


def run(url: str, creates: int, lists: int, label: str) -> None:
    with tempfile.TemporaryDirectory() as var:
        migrate.upgrade(url)
        node = bootstrap(Settings(database_url=url, var_dir=Path(var)))  # type: ignore[call-arg]
        scope = Scope.system()
        tenant = node.messagebus.handle(c.CreateTenant(ref="bench", name="Bench"), scope=scope, actor="bench")
        scope = Scope.tenant(tenant.id)
        user = node.messagebus.handle(
            c.AddUser(tenant.id, "op", "Operator", "correct horse battery"), scope=scope, actor="bench"
        )
        node.messagebus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="bench")
        token = node.auth.create_token("op", "bench")
        port = _port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(node), port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        rng = random.Random(13)
        headers = {"Authorization": f"Bearer {token}"}
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            with httpx2.Client(headers=headers, timeout=30) as client:
                open_events = 0
                board: dict[int, list[float]] = {}
                created: list[float] = []
                for target in (10, 110, 500):
                    while open_events < target:
                        start = time.perf_counter()
                        answer = client.post(f"{base}/events", json=_event(rng))
                        created.append(time.perf_counter() - start)
                        answer.raise_for_status()
                        open_events += 1
                    samples = []
                    for _ in range(lists):
                        start = time.perf_counter()
                        listed = client.get(f"{base}/events")
                        samples.append(time.perf_counter() - start)
                        listed.raise_for_status()
                    if len(listed.json()) != target:
                        raise RuntimeError(f"the board listed {len(listed.json())} events, not {target}")
                    board[target] = samples
                for _ in range(max(0, creates - open_events)):
                    start = time.perf_counter()
                    client.post(f"{base}/events", json=_event(rng)).raise_for_status()
                    created.append(time.perf_counter() - start)
        finally:
            server.should_exit = True
            thread.join(10)
            node.close()
    print(f"[{label}] create event over HTTP:           {_percentiles(created)}")
    for target, samples in board.items():
        print(f"[{label}] board list, {target:>3} open events:     {_percentiles(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=500, help="events created in all (at least 500)")
    parser.add_argument("--lists", type=int, default=50, help="board lists per size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.db", args.creates, args.lists, "sqlite")
    base = os.environ.get("TOCSIN_TEST_POSTGRES_URL")
    if base:
        with scratch_postgres(base) as url:
            run(url, args.creates, args.lists, "postgresql")


if __name__ == "__main__":
    main()
