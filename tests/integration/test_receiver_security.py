"""Keyed accounts over real sockets: an unencrypted frame is refused, not stored, and reported once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.receiver_support import (
    KEY,
    Receiving,
    frame,
    running_receiver,
    send_tcp,
    send_udp,
)
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.protocols import dc09

SUBSTITUTION = "security.substitution_suspected"


@pytest.fixture
def rx(fresh_db_url: str, tmp_path: Path) -> Iterator[Receiving]:
    """A receiver on each database kind; account 5678 has a key."""
    with running_receiver(fresh_db_url, tmp_path) as receiving:
        yield receiving


def test_cleartext_for_a_keyed_account_is_refused_on_every_path_and_reported_once(rx: Receiving) -> None:
    """Plain frames naming keyed account 5678 (two on one connection, one on a new connection, one by
    UDP, a NULL poll) are each answered DUH echoing the frame, none is stored, and the logbook holds one
    possible-substitution entry; the account's encrypted frame is then acknowledged and stored."""
    answers = send_tcp(rx.port, [frame("5678", 1, "1130 01 015"), frame("5678", 2, "1130 01 016")])
    answers += send_tcp(rx.port, [frame("5678", 3, "1130 01 017")])
    answers.append(send_udp(rx.port, frame("5678", 4, "Nri1/BA501", token="SIA-DCS")))
    answers += send_tcp(rx.port, [frame("5678", 5, "", token="NULL")])
    replies = [dc09.decode(a) for a in answers]
    assert [r.id_token for r in replies] == ["DUH"] * 5
    assert [(r.sequence, r.account) for r in replies][:2] == [("0001", "5678"), ("0002", "5678")]
    assert rx.signals() == []
    (entry,) = rx.entries(SUBSTITUTION)
    assert (entry["account"], entry["listener"]) == ("R1 L1 #5678", f"tcp:{rx.port}")
    assert entry["site_id"] == str(rx.room.site_a)

    sealed = send_tcp(rx.port, [frame("5678", 6, "1130 01 015", key=KEY)])[0]
    assert dc09.decode(sealed, lambda *_: KEY).id_token == "ACK"
    assert [s.sequence for s in rx.signals()] == ["0006"]
    assert len(rx.entries(SUBSTITUTION)) == 1


def test_an_account_allowing_cleartext_during_its_migration_is_acknowledged(rx: Receiving) -> None:
    """A keyed account added with allow_cleartext takes plain frames (acknowledged, stored, no entry)."""
    rx.node.keys.put("acct-2468", KEY)
    rx.node.messagebus.handle(
        c.AddAccount(rx.room.site_a, "2468", "1", "1", key_ref="acct-2468", allow_cleartext=True),
        scope=Scope.tenant(rx.room.tenant_id),
        actor="t",
    )
    answer = send_tcp(rx.port, [frame("2468", 1, "1130 01 015")])[0]
    assert dc09.decode(answer).id_token == "ACK"
    assert [s.account_number for s in rx.signals()] == ["2468"]
    assert rx.entries(SUBSTITUTION) == []
