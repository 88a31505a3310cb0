"""Partners and closure benchmark over HTTP: what an operator does after the call.

The app (as ``tocsin serve`` builds it) runs under uvicorn in this process's thread on a scratch SQLite
database (PostgreSQL too when TOCSIN_TEST_POSTGRES_URL is set: a scratch database is created and dropped),
with a tenant, a SAMU partner, a one-rule matrix, an operator and an API token. For each of N events a
client over real HTTP (keep-alive) then times: reading the event's partners view (the matrix's
suggestions), sending the suggested request from its template, recording the acknowledgment, the EMSI
export, the sheet PDF, and closing with the report. Figures are printed, never asserted.

    python benchmarks/partners.py [--events N]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
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
from tocsin.domain import partner_commands as pc
from tocsin.domain.scope import Scope

STEPS = ("partners view", "send request", "acknowledge", "EMSI export", "sheet PDF", "close with report")
TEMPLATE = {
    "code": "samu",
    "name": "SAMU",
    "text": "{type_code} {priority} at {address}, caller {caller_phone}",
}


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


def _room(node: object) -> str:
    """A tenant with a SAMU partner, a matrix telling it of medical events, and an operator's token."""
    bus = node.messagebus  # type: ignore[attr-defined]
    tenant = bus.handle(c.CreateTenant(ref="bench", name="Bench"), scope=Scope.system(), actor="bench")
    scope = Scope.tenant(tenant.id)
    samu = bus.handle(c.AddPartner(tenant.id, "SAMU", "samu", ("15",)), scope=scope, actor="bench")
    rule = {"category": "medical", "partner_id": str(samu.id), "channel": "phone", "template_code": "samu"}
    bus.handle(pc.SetMatrix(tenant.id, (rule,), (TEMPLATE,), "bench"), scope=scope, actor="bench")
    user = bus.handle(
        c.AddUser(tenant.id, "op", "Operator", "correct horse battery"), scope=scope, actor="bench"
    )
    bus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="bench")
    return str(node.auth.create_token("op", "bench"))  # type: ignore[attr-defined]


def _one_event(
    client: httpx2.Client, base: str, n: int, timed: Callable[[str, Callable[[], object]], object]
) -> None:
    body = {
        "type_code": "CARDIAC_ARREST",
        "latitude": 48.85 + n * 1e-4,
        "longitude": 2.35,
        "address": f"{n} rue de la Paix",
        "caller_phone": "0600000000",
    }
    event = client.post(f"{base}/events", json=body).raise_for_status().json()["event"]
    url = f"{base}/events/{event['id']}"
    view = timed("partners view", lambda: client.get(f"{url}/partners").raise_for_status().json())
    s = view["suggestions"][0]  # type: ignore[index]
    ask = {"partner_id": s["partner_id"], "channel": s["channel"], "template_code": s["template_code"]}
    sent = timed(
        "send request", lambda: client.post(f"{url}/partner-requests", json=ask).raise_for_status().json()
    )
    ack = f"{url}/partner-requests/{sent['id']}/ack"  # type: ignore[index]
    timed("acknowledge", lambda: client.post(ack, json={"reference": f"R-{n}"}).raise_for_status())
    timed("EMSI export", lambda: client.get(f"{url}/emsi").raise_for_status())
    timed("sheet PDF", lambda: client.get(f"{url}/sheet.pdf").raise_for_status())
    report = {"outcomes": ["transported"], "text": "Taken to hospital."}
    timed("close with report", lambda: client.post(f"{url}/close", json=report).raise_for_status())


def run(url: str, events: int, label: str) -> None:
    samples: dict[str, list[float]] = {step: [] for step in STEPS}

    def timed(step: str, action: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = action()
        samples[step].append(time.perf_counter() - start)
        return result

    with tempfile.TemporaryDirectory() as var:
        migrate.upgrade(url)
        node = bootstrap(Settings(database_url=url, var_dir=Path(var)))  # type: ignore[call-arg]
        token = _room(node)
        port = _port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(node), port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with httpx2.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
                for n in range(events):
                    _one_event(client, f"http://127.0.0.1:{port}/api/v1", n, timed)
        finally:
            server.should_exit = True
            thread.join(10)
            node.close()
    for step in STEPS:
        print(f"[{label}] {step:<18} {_percentiles(samples[step])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200, help="events taken through the whole path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.db", args.events, "sqlite")
    base = os.environ.get("TOCSIN_TEST_POSTGRES_URL")
    if base:
        with scratch_postgres(base) as url:
            run(url, args.events, "postgresql")


if __name__ == "__main__":
    main()
