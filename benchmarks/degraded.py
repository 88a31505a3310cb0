"""Degraded mode benchmark: how fast the API says the database is gone, and notices it is back.

A node on a scratch SQLite database (its app in this process, as ``tocsin serve`` runs it), an operator's
API token, then another connection takes SQLite's write lock (reads go on, no write can start: a hung
tool, a stuck process). Measured:

1. a healthy GET /api/v1/alarms (the baseline);
2. the first note written during the cut: how long until its 503 (the guard's first look after 2 s, then
   a probe given ``TOCSIN_API_STORE_DEADLINE`` seconds; without the guard it would wait for SQLite's 30 s
   busy timeout);
3. the calls after it (answered by the guard without asking the store);
4. from the lock's release until /health answers 200 again (probes run every second).

Figures are printed, never asserted.

    python benchmarks/degraded.py [--deadline SECONDS] [--calls N]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from tocsin.adapters.store import migrate
from tocsin.api.app import create_app
from tocsin.bootstrap import bootstrap
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=5.0, help="TOCSIN_API_STORE_DEADLINE (s)")
    parser.add_argument("--calls", type=int, default=50, help="calls timed while the store is down")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tocsin.db"
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        node = bootstrap(Settings(database_url=url, var_dir=Path(folder), api_store_deadline=args.deadline))
        tenant = node.messagebus.handle(c.CreateTenant("bench", "Bench"), scope=Scope.system(), actor="b")
        scope = Scope.tenant(tenant.id)
        user = node.messagebus.handle(
            c.AddUser(tenant.id, "op", "Op", "benchmark password 1"), scope=scope, actor="b"
        )
        node.messagebus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="b")
        token = node.auth.create_token("op", "bench", None)
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(create_app(node)) as client:
            healthy = []
            for _ in range(args.calls):
                started = time.perf_counter()
                client.get("/api/v1/alarms", headers=headers)
                healthy.append(time.perf_counter() - started)
            lock = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            lock.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            first = client.post("/api/v1/logbook/notes", json={"text": "cut"}, headers=headers)
            to_503 = time.perf_counter() - started
            down = []
            for _ in range(args.calls):
                started = time.perf_counter()
                answer = client.get("/api/v1/alarms", headers=headers)
                down.append(time.perf_counter() - started)
            lock.execute("ROLLBACK")
            lock.close()
            released = time.perf_counter()
            while client.get("/health").status_code != 200:
                time.sleep(0.05)
            back = time.perf_counter() - released
        node.close()
    print(f"healthy GET /api/v1/alarms: median {_ms(statistics.median(healthy))}")
    print(
        f"first note during the cut: {first.status_code} after {_ms(to_503)} (deadline {args.deadline:g} s)"
    )
    print(
        f"calls while down: {answer.status_code}, median {_ms(statistics.median(down))},"
        f" max {_ms(max(down))} ({args.calls} calls)"
    )
    print(f"from the lock's release to /health 200: {_ms(back)}")


if __name__ == "__main__":
    main()
