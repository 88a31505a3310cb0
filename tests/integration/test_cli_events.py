"""`tocsin events list [--json]` and `tocsin events show ID` on SQLite and PostgreSQL, in process."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from click.testing import CliRunner

from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.cli.main import cli
from tocsin.domain import incidents as i
from tocsin.domain.scope import Scope
from tocsin.services.handlers.incidents import Opened
from tocsin.testing import FakeClock

BOARD_FIELDS = {
    "id", "type_code", "type_label_en", "type_label_fr", "apco", "priority", "reflex", "state", "origin",
    "address", "latitude", "longitude", "site_id", "opened_at", "updated_at", "closed_at", "missing",
    "version",
}  # fmt: skip


def test_events_list_and_show_print_the_board_and_a_file(db_url: str, tmp_path: Path) -> None:
    """The list is most urgent first with the API's fields; show prints the timeline; a bad id is one
    error line with exit 2."""
    clock = FakeClock()
    store = SqlStore(db_url, clock)
    ref = f"ev{uuid.uuid4().hex[:10]}"
    try:
        room = make_room(store, ref=ref)
        scope = Scope.tenant(room.tenant_id)
        made = []
        for code in ("NOISE", "CARDIAC_ARREST"):
            command = i.CreateIncident(
                room.tenant_id, code, i.Place(48.85, 2.35, "Quai"), by="Op", note="Hello"
            )
            opened: Opened = room.bus.handle(command, scope=scope, actor="op")
            made.append(opened.incident)
    finally:
        store.close()
    env = {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    runner = CliRunner()
    listed = runner.invoke(cli, ["events", "list", "--tenant", ref, "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [r["type_code"] for r in rows] == ["CARDIAC_ARREST", "NOISE"]
    assert set(rows[0]) == BOARD_FIELDS
    assert rows[0]["reflex"] is True
    text = runner.invoke(cli, ["events", "list", "--tenant", ref], env=env)
    assert "DÉPART RÉFLEXE" in text.output
    assert "NOISE" in text.output
    shown = runner.invoke(cli, ["events", "show", str(made[0].id), "--language", "fr"], env=env)
    assert shown.exit_code == 0
    assert "Évènement P5 NOISE" in shown.output
    assert "Hello" in shown.output
    as_json = json.loads(runner.invoke(cli, ["events", "show", str(made[0].id), "--json"], env=env).output)
    assert as_json["notes"][0]["text"] == "Hello"
    bad = runner.invoke(cli, ["events", "show", "nope"], env=env)
    assert bad.exit_code == 2
    assert "not an event id" in bad.output
