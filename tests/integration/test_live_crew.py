"""A field crew's live socket: its own unit's entries and its current event's entries, nothing else of
the tenant. Two units engaged on two events, each crew's socket sees only its own; a crew released and
engaged on a third event follows it there and stops seeing the first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.integration.api_support import Stack, make_stack
from tocsin.api.live import NOT_A_CREW
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import units as u
from tocsin.domain.scope import Scope


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room, its users and two crews (crew-1, crew-2)."""
    for built in make_stack(tmp_path):
        built.add_user("crew-1", "unit")
        built.add_user("crew-2", "unit")
        built.add_user("crew-none", "unit")
        yield built


class Room:
    """Drives the service layer as the room's operators would."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.tenant = stack.room.tenant_id
        self.scope = Scope.tenant(self.tenant)

    def handle(self, command: Any) -> Any:
        return self.stack.node.messagebus.handle(command, scope=self.scope, actor="operator")

    def unit(self, callsign: str, username: str) -> UUID:
        found = self.stack.node.store.read(lambda uow: uow.users.find(username=username), self.scope)
        return self.handle(u.CreateUnit(self.tenant, callsign, "guard", user_id=found[0].id)).id  # type: ignore[no-any-return]

    def event(self, address: str) -> UUID:
        place = i.Place(48.85, 2.35, address)
        return self.handle(i.CreateIncident(self.tenant, "NOISE", place, by="op")).incident.id  # type: ignore[no-any-return]

    def note(self, event: UUID, text: str) -> None:
        self.handle(i.NoteIncident(event, "op", text))


def receive_until(ws: Any, text: str) -> list[dict[str, Any]]:
    """Entries received until one whose text ends with ``text``."""
    seen: list[dict[str, Any]] = []
    while True:
        message = ws.receive_json()
        if message["type"] in ("entries", "snapshot"):
            seen.extend(message["entries"])
            if any(e["text"].endswith(text) for e in message["entries"]):
                return seen


def about(entry: dict[str, Any]) -> set[str]:
    """The unit and event ids an entry's data names."""
    data = entry.get("data") or {}
    return {str(data[key]) for key in ("unit_id", "incident_id") if data.get(key)}


def test_each_crew_socket_sees_only_its_unit_and_its_event(stack: Stack) -> None:
    """Units 1 and 2 on events A and B: notes, statuses and the tenant's other entries are written; crew
    1 receives A's and unit 1's entries only, crew 2 B's and unit 2's only."""
    room = Room(stack)
    unit1, unit2 = room.unit("Unit 1", "crew-1"), room.unit("Unit 2", "crew-2")
    event_a, event_b = room.event("1 rue A"), room.event("2 rue B")
    room.handle(u.EngageUnits(event_a, (unit1,), "op"))
    room.handle(u.EngageUnits(event_b, (unit2,), "op"))
    crew1, crew2 = stack.session("crew-1"), stack.session("crew-2")
    with (
        crew1.websocket_connect("/api/v1/live?after=0") as ws1,
        crew2.websocket_connect("/api/v1/live?after=0") as ws2,
    ):
        assert ws1.receive_json()["type"] == ws2.receive_json()["type"] == "hello"
        room.note(event_a, "secret of A")
        room.note(event_b, "secret of B")
        room.handle(c.WriteNote(room.tenant, "the tenant's own business"))
        room.handle(u.ChangeUnitStatus(unit1, "acknowledged", "op"))
        room.handle(u.ChangeUnitStatus(unit2, "acknowledged", "op"))
        room.note(event_a, "end A")
        room.note(event_b, "end B")
        got1, got2 = receive_until(ws1, "end A"), receive_until(ws2, "end B")
    texts1, texts2 = " | ".join(e["text"] for e in got1), " | ".join(e["text"] for e in got2)
    assert "secret of A" in texts1
    assert "secret of B" not in texts1
    assert "secret of B" in texts2
    assert "secret of A" not in texts2
    assert "tenant's own business" not in texts1 + texts2
    assert all(about(e) and about(e) <= {str(unit1), str(event_a)} for e in got1), got1
    assert all(about(e) and about(e) <= {str(unit2), str(event_b)} for e in got2), got2
    assert any(e["kind"] == "unit.engaged" for e in got1)  # the catch-up: its own assignment
    assert any(e["kind"] == "unit.status" and e["data"]["status"] == "acknowledged" for e in got1)
    assert len({e["seq"] for e in got1}) == len(got1)  # no duplicate


def test_a_crew_follows_its_unit_to_its_next_event(stack: Stack) -> None:
    """Released from A and engaged on C while connected: the socket then carries C's notes and no
    longer A's."""
    room = Room(stack)
    unit1 = room.unit("Unit 1", "crew-1")
    event_a, event_c = room.event("1 rue A"), room.event("3 rue C")
    room.handle(u.EngageUnits(event_a, (unit1,), "op"))
    crew = stack.session("crew-1")
    with crew.websocket_connect("/api/v1/live?after=0") as ws:
        ws.receive_json()
        room.note(event_a, "on A")
        room.note(event_c, "C before the engage")
        receive_until(ws, "on A")
        room.handle(u.ReleaseUnit(event_a, unit1, "op"))
        room.note(event_a, "A after the release")
        room.handle(u.EngageUnits(event_c, (unit1,), "op"))
        room.note(event_c, "on C")
        got = receive_until(ws, "on C")
    texts = [e["text"] for e in got]
    assert not any("A after the release" in t or "C before the engage" in t for t in texts), texts
    assert [e["kind"] for e in got if e["kind"].startswith("unit.")] == ["unit.released", "unit.engaged"]


def test_an_operator_still_reads_the_whole_logbook(stack: Stack) -> None:
    """The room's console is not a crew: it receives every event's notes."""
    room = Room(stack)
    event_a, event_b = room.event("1 rue A"), room.event("2 rue B")
    operator = stack.session("operator")
    with operator.websocket_connect("/api/v1/live?after=0") as ws:
        ws.receive_json()
        room.note(event_a, "seen A")
        room.note(event_b, "seen B")
        texts = [e["text"] for e in receive_until(ws, "seen B")]
    assert any(t.endswith("seen A") for t in texts)


def test_a_crew_login_linked_to_no_unit_gets_no_feed(stack: Stack) -> None:
    """A unit login with no unit: the socket closes (4403) before any entry is sent."""
    crew = stack.session("crew-none")
    with pytest.raises(WebSocketDisconnect) as closed, crew.websocket_connect("/api/v1/live?after=0") as ws:
        ws.receive_json()
    assert closed.value.code == NOT_A_CREW
