"""Every stored signal is visible: `/api/v1/signals` (scoped to the caller) and `tocsin signals list`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.integration.api_support import Stack, make_stack
from tests.integration.test_cli import tocsin
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal

EVENT = {
    "protocol": "contact-id",
    "code": "130",
    "qualifier": "new",
    "partition": "01",
    "zone": "003",
    "class": "intrusion",
    "label_en": "Burglary",
    "label_fr": "Intrusion",
    "restore": False,
}


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room, users, and three signals: two from site A, one from site B."""
    for stack in make_stack(tmp_path):
        scope = Scope.tenant(stack.room.tenant_id)
        bus = stack.node.messagebus
        on_a = bus.handle(c.AddAccount(stack.room.site_a, "1234", "1", "1"), scope=scope, actor="t")
        on_b = bus.handle(c.AddAccount(stack.room.site_b, "4444", "1", "1"), scope=scope, actor="t")
        signals = [
            _signal(stack, on_a.id, stack.room.site_a, "1234", "0001", minutes_ago=3),
            _signal(stack, on_a.id, stack.room.site_a, "1234", "0002", minutes_ago=2),
            _signal(stack, on_b.id, stack.room.site_b, "4444", "0001", minutes_ago=1),
        ]
        _insert(stack, signals)
        yield stack


def _insert(stack: Stack, signals: list[Signal]) -> None:
    stack.node.store.write(lambda uow: uow.signals.insert_many(signals), Scope.system())


def _signal(
    stack: Stack, account_id: object, site_id: object, number: str, seq: str, *, minutes_ago: int
) -> Signal:
    return Signal(
        id=stack.node.clock.new_id(),
        received_at=stack.clock.now() - timedelta(minutes=minutes_ago),
        node="node-1",
        listener="tcp:9000",
        raw=f'\n0000003A"ADM-CID"{seq}R1L1#{number}[#{number}|1130 01 003]\r',
        answer="ACK",
        tenant_id=stack.room.tenant_id,
        account_id=account_id,  # type: ignore[arg-type]
        site_id=site_id,  # type: ignore[arg-type]
        occurred_at=stack.clock.now() - timedelta(minutes=minutes_ago),
        receiver="1",
        line="1",
        account_number=number,
        sequence=seq,
        id_token="ADM-CID",
        payload_hash=f"hash-{number}-{seq}",
        data="1130 01 003",
        events=(EVENT,),
    )


def test_the_api_lists_signals_newest_first_with_what_was_received_and_answered(stack: Stack) -> None:
    response = stack.session("operator").get("/api/v1/signals")
    assert response.status_code == 200
    listed = response.json()
    assert [(s["account"], s["sequence"]) for s in listed] == [
        ("4444", "0001"),
        ("1234", "0002"),
        ("1234", "0001"),
    ]
    first = listed[-1]
    assert first["raw"].startswith('\n0000003A"ADM-CID"0001R1L1#1234[')
    assert (first["answer"], first["node"], first["receiver"], first["line"]) == ("ACK", "node-1", "1", "1")
    assert first["events"] == [EVENT]
    assert first["site_id"] == str(stack.room.site_a)


def test_the_api_filters_and_scopes(stack: Stack) -> None:
    """An account filter, a since filter, a limit; a site-B operator sees only site B's signals."""
    operator = stack.session("operator")
    assert [s["sequence"] for s in operator.get("/api/v1/signals?account=1234").json()] == ["0002", "0001"]
    since = (stack.clock.now() - timedelta(seconds=90)).isoformat()
    assert [s["account"] for s in operator.get("/api/v1/signals", params={"since": since}).json()] == ["4444"]
    assert len(operator.get("/api/v1/signals?limit=1").json()) == 1
    site_b = stack.session("site-b").get("/api/v1/signals").json()
    assert [s["account"] for s in site_b] == ["4444"]
    bad = operator.get("/api/v1/signals?since=yesterday")
    assert bad.status_code == 422
    assert set(bad.json()) == {"error", "detail"}


def test_the_cli_lists_signals_as_json_and_refuses_a_bad_time(stack: Stack, tmp_path: Path) -> None:
    env = {"TOCSIN_DATABASE_URL": stack.node.settings.database_url, "TOCSIN_VAR_DIR": str(tmp_path)}
    out = tocsin(env, "signals", "list", "--account", "1234", "--limit", "1", "--json")
    assert out.returncode == 0, out.stderr
    (listed,) = json.loads(out.stdout)
    assert (listed["account"], listed["sequence"], listed["answer"]) == ("1234", "0002", "ACK")
    assert listed["events"] == [EVENT]
    plain = tocsin(env, "signals", "list")
    assert plain.returncode == 0
    assert len(plain.stdout.splitlines()) == 3
    assert "130 Burglary" in plain.stdout
    bad = tocsin(env, "signals", "list", "--since", "yesterday")
    assert bad.returncode != 0
    assert "--since" in bad.stderr
