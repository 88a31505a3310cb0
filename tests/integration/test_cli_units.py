"""`tocsin units list [--json]`, `units add` and `units status` on SQLite and PostgreSQL, in process."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.integration.cli_support import tocsin
from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.testing import FakeClock

LIST_FIELDS = {
    "id", "callsign", "kind", "status", "capabilities", "station", "latitude", "longitude", "status_at",
    "event_id",
}  # fmt: skip


def test_units_are_added_listed_and_moved_along_legal_statuses(db_url: str, tmp_path: Path) -> None:
    """add then list --json shows the unit with the interface's fields; a legal status change is
    printed; an illegal one is one error line naming the legal statuses, exit 2, nothing changed."""
    store = SqlStore(db_url, FakeClock())
    ref = f"un{uuid.uuid4().hex[:10]}"
    try:
        make_room(store, ref=ref)
    finally:
        store.close()
    env = {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    added = tocsin(
        env, "units", "add", "VSAV 1", "ambulance", "--capability", "first_aid", "--equipment",
        "defibrillator", "--crew", "3", "--station", "Centre", "--tenant", ref,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = tocsin(env, "units", "list", "--tenant", ref, "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert set(row) == LIST_FIELDS
    assert (row["callsign"], row["kind"], row["status"]) == ("VSAV 1", "ambulance", "available")
    moved = tocsin(env, "units", "status", "VSAV 1", "unavailable", "--tenant", ref)
    assert moved.returncode == 0, moved.stderr
    assert "available → unavailable" in moved.stdout
    refused = tocsin(env, "units", "status", "VSAV 1", "on_scene", "--tenant", ref)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error:")
    assert "available, out_of_service" in refused.stderr
    again = json.loads(tocsin(env, "units", "list", "--tenant", ref, "--json").stdout)
    assert again[0]["status"] == "unavailable"
    text = tocsin(env, "units", "list", "--tenant", ref)
    assert "VSAV 1" in text.stdout
    unknown = tocsin(env, "units", "status", "Nobody", "available", "--tenant", ref)
    assert unknown.returncode == 2
    assert "tocsin units list" in unknown.stderr
